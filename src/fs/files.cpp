#include "fs/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

std::string temporary_prefix(const std::filesystem::path& target) {
  return "." + target.filename().string() + ".tmp-";
}

}  // namespace

void write_atomically(const std::filesystem::path& target, std::string_view bytes) {
  std::filesystem::path dir = target.parent_path();
  std::random_device entropy;
  std::string suffix = std::to_string(::getpid()) + "-" + std::to_string(entropy());
  std::filesystem::path temporary = dir / (temporary_prefix(target) + suffix);
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", temporary, errno);
  try {
    write_all(fd, bytes, temporary);
    if (::fsync(fd) != 0) fail("cannot sync", temporary, errno);
    if (::close(fd) != 0) {
      fd = -1;
      fail("cannot close", temporary, errno);
    }
    fd = -1;
    if (::rename(temporary.c_str(), target.c_str()) != 0) fail("cannot rename to", target, errno);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  sync_directory(dir);
}

void remove_stale_temporaries(const std::filesystem::path& target) {
  std::string prefix = temporary_prefix(target);
  std::error_code ec;
  for (std::filesystem::directory_iterator it(target.parent_path(), ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) == 0) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

FileLock::FileLock(const std::filesystem::path& path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
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

bool is_file(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

}  // namespace hparams::files
