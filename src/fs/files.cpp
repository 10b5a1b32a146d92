#include "fs/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <system_error>

#include "hparams/error.hpp"

namespace hparams::files {
namespace {

[[noreturn]] void fail(std::string_view what, const std::filesystem::path& path, int error) {
  throw Error(ErrorKind::IOError,
              std::string(what) + " " + path.string() + ": " + std::strerror(error),
              SourceLocation{path.string()});
}

void write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open directory", dir, errno);
  // Some file systems cannot fsync a directory (EINVAL); the rename is then as durable as
  // they make it.
  if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
    int error = errno;
    ::close(fd);
    fail("cannot sync directory", dir, error);
  }
  ::close(fd);
}

// Temporary files are named `.hparams-tmp-<host>-<pid>-<random>` in the target's directory:
// short whatever the target's name (a run name may take 240 bytes of the 255 a name has), and
// enough to tell whether their writer is alive.
constexpr std::string_view kTemporaryPrefix = ".hparams-tmp-";

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof(name) - 1) != 0) return "host";
  std::string out;
  for (char c : std::string_view(name)) {
    if (c != '-' && c != '/' && c != '.') out += c;
    if (out.size() == 32) break;
  }
  return out.empty() ? "host" : out;
}

// Creates a temporary file next to `target` holding `bytes`, synced; returns its path.
std::filesystem::path write_temporary(const std::filesystem::path& target, std::string_view bytes) {
  std::filesystem::path dir = target.parent_path();
  std::random_device entropy;
  std::string suffix =
      host_name() + "-" + std::to_string(::getpid()) + "-" + std::to_string(entropy());
  std::filesystem::path temporary = dir / (std::string(kTemporaryPrefix) + suffix);
  // O_EXCL: never through a symbolic link, never someone else's file.
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) fail("cannot create", temporary, errno);
  try {
    write_all(fd, bytes, temporary);
    if (::fsync(fd) != 0) fail("cannot sync", temporary, errno);
    if (::close(fd) != 0) {
      fd = -1;
      fail("cannot close", temporary, errno);
    }
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  return temporary;
}

}  // namespace

void write_atomically(const std::filesystem::path& target, std::string_view bytes) {
  std::filesystem::path temporary = write_temporary(target, bytes);
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    fail("cannot rename to", target, error);
  }
  sync_directory(target.parent_path());
}

bool create_exclusively(const std::filesystem::path& target, std::string_view bytes) {
  std::filesystem::path temporary = write_temporary(target, bytes);
  bool created = ::link(temporary.c_str(), target.c_str()) == 0;
  int error = errno;
  if (!created && error == EEXIST) {
    // NFS may retry a link whose reply was lost and then report EEXIST for our own link.
    struct stat ours {
    }, theirs{};
    created = ::lstat(temporary.c_str(), &ours) == 0 && ::lstat(target.c_str(), &theirs) == 0 &&
              ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev;
  }
  ::unlink(temporary.c_str());
  if (!created && error != EEXIST) fail("cannot create", target, error);
  if (created) sync_directory(target.parent_path());
  return created;
}

void remove_stale_temporaries(const std::filesystem::path& dir) {
  const std::string here = host_name() + "-";
  const auto now = std::filesystem::file_time_type::clock::now();
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(kTemporaryPrefix, 0) != 0) continue;
    std::string_view rest = std::string_view(name).substr(kTemporaryPrefix.size());
    bool stale = false;
    if (rest.rfind(here, 0) == 0) {
      // Ours: stale when its process is gone (kill(pid, 0) fails with ESRCH).
      rest.remove_prefix(here.size());
      long pid = std::atol(std::string(rest.substr(0, rest.find('-'))).c_str());
      stale = pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    } else {
      std::error_code time_error;
      auto written = std::filesystem::last_write_time(it->path(), time_error);
      stale = !time_error && now - written > std::chrono::hours(24);
    }
    if (stale) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

FileLock::FileLock(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0) fail("cannot open lock file", path, errno);
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  // Open file description locks belong to this descriptor, so two threads of one process
  // exclude each other too; kernels without them get process-wide POSIX locks.
  int command = F_OFD_SETLKW;
  for (;;) {
    if (::fcntl(fd_, command, &lock) == 0) return;
    if (errno == EINTR) continue;
    if (errno == EINVAL && command == F_OFD_SETLKW) {
      command = F_SETLKW;
      continue;
    }
    int error = errno;
    ::close(fd_);
    fail("cannot lock", path, error);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
}

void append(const std::filesystem::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) fail("cannot open", path, errno);
  try {
    write_all(fd, text, path);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

void make_directories(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec && !std::filesystem::is_directory(dir)) fail("cannot create directory", dir, ec.value());
}

std::string read_regular(const std::filesystem::path& path, std::size_t max_bytes, bool no_follow) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore it.
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (no_follow ? O_NOFOLLOW : 0);
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    if (errno == ELOOP && no_follow) {
      throw Error(ErrorKind::IOError,
                  "cannot read " + path.string() + ": it is a symbolic link, which is not followed",
                  SourceLocation{path.string()});
    }
    fail("cannot read", path, errno);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail("cannot read", path, errno);
  if (!S_ISREG(st.st_mode)) {
    const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                       : S_ISCHR(st.st_mode)  ? "a character device"
                       : S_ISBLK(st.st_mode)  ? "a block device"
                       : S_ISFIFO(st.st_mode) ? "a FIFO"
                       : S_ISSOCK(st.st_mode) ? "a socket"
                                              : "not a regular file";
    throw Error(ErrorKind::IOError,
                "cannot read " + path.string() + ": it is " + what + ", not a regular file",
                SourceLocation{path.string()});
  }
  auto too_large = [&] {
    throw Error(ErrorKind::IOError,
                "cannot read " + path.string() + ": it is larger than the limit of " +
                    std::to_string(max_bytes) + " bytes",
                SourceLocation{path.string()});
  };
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) too_large();
  // The size may change while reading: read until end of file, never past the limit.
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) {
      if (out.size() > max_bytes) too_large();
      out.resize(std::min(max_bytes + 1, std::max<std::size_t>(out.size() * 2, 4096)));
    }
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read", path, errno);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) too_large();
  out.resize(used);
  return out;
}

bool exists_no_follow(const std::filesystem::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

bool is_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace hparams::files
