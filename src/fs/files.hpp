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

/// Creates `target` with `bytes` unless it exists: a complete temporary file (fsynced) is
/// hard-linked to the name, which fails when the name exists, so exactly one of any number of
/// writers creates it (no lock needed, and a crash leaves no partial file). Returns false
/// when `target` already existed; its content is then untouched.
bool create_exclusively(const std::filesystem::path& target, std::string_view bytes);

/// Removes the temporary files that writers killed mid-save left in `dir`: those of dead
/// processes of this host, and any older than a day (a writer on another host).
void remove_stale_temporaries(const std::filesystem::path& dir);

/// An exclusive advisory lock on a lock file (open file description locks, which the Linux
/// NFS client forwards to the server), released by the destructor or by process death. A
/// symbolic link at `path` is refused. It serialises writers; correctness does not depend on
/// it (see create_exclusively), so deleting the lock file costs only that serialisation.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

/// Appends `text` to `path` (created if absent) with one write(2) in O_APPEND mode. A
/// symbolic link at `path` is refused, not followed.
void append(const std::filesystem::path& path, std::string_view text);

/// Creates `dir` and its parents (existing ones are fine).
void make_directories(const std::filesystem::path& dir);

/// Reads a regular file whole. IOError naming the path when it cannot be opened, when it is
/// not a regular file (a directory, a device such as /dev/zero, a FIFO: never read), or when
/// it holds more than `max_bytes`. With `no_follow`, a symbolic link is refused too.
std::string read_regular(const std::filesystem::path& path, std::size_t max_bytes,
                         bool no_follow = false);

/// Whether `path` exists as a regular file (a symbolic link is followed).
bool is_file(const std::filesystem::path& path);

/// Whether anything exists at `path` itself (a symbolic link, even dangling, counts).
bool exists_no_follow(const std::filesystem::path& path);

}  // namespace hparams::files
