// File-system primitives of runs and backups: atomic replacement, an advisory lock file, appending.
// POSIX only; every failure is an hparams IOError naming the path and the system's reason.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace hparams::files {

/// Writes `bytes` to `target` so that a crash at any instant leaves either the old state (no
/// file) or the complete file: a temporary file in the same directory, fsync, rename, fsync
/// of the directory. The temporary file is removed on failure.
void write_atomically(const std::filesystem::path& target, std::string_view bytes);

/// Removes the temporary files write_atomically() left behind for `target` when a process
/// was killed mid-save. Call it only while holding the lock that serialises the writers.
void remove_stale_temporaries(const std::filesystem::path& target);

/// An exclusive advisory lock on a lock file (open file description locks, which the Linux
/// NFS client forwards to the server), released by the destructor or by process death.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

/// Appends `text` to `path` (created if absent) with one write(2) in O_APPEND mode.
void append(const std::filesystem::path& path, std::string_view text);

/// Creates `dir` and its parents (existing ones are fine).
void make_directories(const std::filesystem::path& dir);

/// Reads a regular file whole. IOError naming the path when it cannot be opened, when it is
/// not a regular file (a directory, a device such as /dev/zero, a FIFO: never read), or when
/// it holds more than `max_bytes`. With `no_follow`, a symbolic link is refused too.
std::string read_regular(const std::filesystem::path& path, std::size_t max_bytes,
                         bool no_follow = false);

/// Whether `path` exists as a regular file.
bool is_file(const std::filesystem::path& path);

}  // namespace hparams::files
