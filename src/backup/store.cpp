// Backup destinations in the core: parsing URIs, the file:// store, and gs:// and s3:// through
// the hparams::backup component when it is linked in, else through its helper program
// (hparams-backup), as git uses git-remote-https: the core links no network library, and
// programs that never back up never load one.
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "backup/location.hpp"
#include "fs/files.hpp"
#include "hparams/error.hpp"

extern char** environ;

namespace hparams {
namespace {

// The URI with any user information (`user:secret@`) replaced, for messages.
std::string redacted(std::string_view uri) {
  auto scheme_end = uri.find("://");
  std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  auto slash = uri.find('/', authority);
  auto at = uri.rfind('@', slash == std::string_view::npos ? uri.size() : slash);
  if (at == std::string_view::npos || at < authority) return std::string(uri);
  return std::string(uri.substr(0, authority)) + "***@" + std::string(uri.substr(at + 1));
}

[[noreturn]] void bad_uri(std::string_view uri, std::string_view why) {
  throw Error(ErrorKind::ConfigError,
              "backup destination '" + redacted(uri) + "': " + std::string(why));
}

// A directory, written atomically; a mounted bucket or NFS.
class FileStore : public BackupStore {
 public:
  FileStore(std::string uri, std::filesystem::path dir, std::size_t max_bytes)
      : BackupStore(std::move(uri)), dir_(std::move(dir)), max_bytes_(max_bytes) {}

  void put(std::string_view name, std::string_view bytes) override {
    std::filesystem::path target = dir_ / std::string(name);
    files::make_directories(target.parent_path());
    files::write_atomically(target, bytes);
    // Verify: what the directory now holds is what we wrote.
    std::optional<std::string> back = get(name);
    if (!back || *back != bytes) {
      throw Error(ErrorKind::IOError,
                  uri_of(name) + ": the stored copy differs from the local one");
    }
  }

  std::optional<std::string> get(std::string_view name) override {
    std::filesystem::path source = dir_ / std::string(name);
    std::error_code ec;
    if (!std::filesystem::exists(source, ec)) return std::nullopt;
    // Bounded like a server's answer, and only a regular file.
    return files::read_regular(source, max_bytes_);
  }

 private:
  std::filesystem::path dir_;
  std::size_t max_bytes_;
};

}  // namespace

namespace backup {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

Location parse_location(std::string_view uri) {
  Location out;
  auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) bad_uri(uri, "expected gs://, s3:// or file://");
  out.scheme = std::string(uri.substr(0, scheme_end));
  std::string_view rest = uri.substr(scheme_end + 3);
  if (rest.substr(0, rest.find('/')).find('@') != std::string_view::npos) {
    bad_uri(uri,
            "credentials in the URI are not accepted (they would be printed and logged); "
            "give them as the environment the official clients read");
  }
  if (out.scheme == "file") {
    if (rest.substr(0, 9) == "localhost") rest.remove_prefix(9);
    if (rest.empty() || rest.front() != '/')
      bad_uri(uri, "a file:// URI needs an absolute path (file:///dir)");
    while (rest.size() > 1 && rest.back() == '/') rest.remove_suffix(1);
    out.prefix = std::string(rest);
    return out;
  }
  if (out.scheme != "gs" && out.scheme != "s3") bad_uri(uri, "expected gs://, s3:// or file://");
  auto slash = rest.find('/');
  out.bucket = std::string(rest.substr(0, slash));
  if (out.bucket.empty()) bad_uri(uri, "no bucket");
  for (char c : out.bucket) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || (c >= 'A' && c <= 'Z');
    if (!ok) bad_uri(uri, "'" + out.bucket + "' is not a bucket name");
  }
  if (slash != std::string_view::npos) {
    std::string_view prefix = rest.substr(slash + 1);
    while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
    out.prefix = std::string(prefix);
  }
  return out;
}

std::string object_key(const Location& location, std::string_view name) {
  return location.prefix.empty() ? std::string(name) : location.prefix + "/" + std::string(name);
}

}  // namespace backup

std::string backup_destination(const BackupOptions& options) {
  if (!options.uri.empty()) {
    backup::parse_location(options.uri);  // checks it
    return options.uri;
  }
  if (!options.gcs_backup_project.empty() && options.gcs_backup_bucket.empty()) {
    throw Error(ErrorKind::ConfigError, "GCS bucket must be provided to conduct gcs backup!");
  }
  if (options.gcs_backup_bucket.empty()) return {};
  std::string bucket = options.gcs_backup_bucket;
  if (bucket.rfind("gs://", 0) != 0) bucket = "gs://" + bucket;
  backup::parse_location(bucket);
  return bucket;
}

BackupStore::~BackupStore() = default;

std::string BackupStore::uri_of(std::string_view name) const {
  std::string base = uri_;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + std::string(name);
}

namespace backup {
namespace {
std::atomic<RemoteStoreOpener> g_opener{nullptr};
std::mutex g_helper_mutex;
std::string g_helper;  // set_backup_helper()
}  // namespace

void set_remote_store_opener(RemoteStoreOpener opener) { g_opener = opener; }
}  // namespace backup

void set_backup_helper(const std::filesystem::path& helper) {
  std::lock_guard<std::mutex> guard(backup::g_helper_mutex);
  backup::g_helper = helper.string();
}

namespace {

// The directory of the shared library this code is in; empty when it is part of the program.
std::filesystem::path own_library_dir() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&own_library_dir), &info) == 0 ||
      info.dli_fname == nullptr) {
    return {};
  }
  std::filesystem::path object = std::filesystem::absolute(info.dli_fname, ec);
  if (ec || object == self) return {};
  return object.parent_path();
}

// A shared core loads the shared backup component from its own directory when it is installed
// there: in-process gs:// and s3://, with libcurl loaded only by programs that back up (a link
// with --as-needed may have dropped the component even where the program named it).
backup::RemoteStoreOpener load_shared_component() {
#ifdef HPARAMS_BACKUP_LIBRARY_NAME
  static std::once_flag once;
  std::call_once(once, [] {
    std::filesystem::path dir = own_library_dir();
    if (dir.empty()) return;
    std::filesystem::path library = dir / HPARAMS_BACKUP_LIBRARY_NAME;
    // Its static initialiser registers the opener; the handle stays open for the process.
    if (::access(library.c_str(), R_OK) == 0) ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  });
#endif
  return backup::g_opener.load();
}

// Where the hparams-backup helper is: HPARAMS_BACKUP_HELPER, set_backup_helper(), next to
// this program, or in the installed libexec directory (also relative to this program).
constexpr const char* kInHelper = "HPARAMS_IN_BACKUP_HELPER";

std::string find_helper() {
  std::vector<std::string> candidates;
  if (!backup::env(kInHelper).empty()) {
    // The helper itself lacks the component: never run it again (that would recurse).
    throw Error(ErrorKind::IOError,
                "the hparams-backup helper was built without its backup component");
  }
  if (std::string e = backup::env("HPARAMS_BACKUP_HELPER"); !e.empty()) return e;
  {
    std::lock_guard<std::mutex> guard(backup::g_helper_mutex);
    if (!backup::g_helper.empty()) candidates.push_back(backup::g_helper);
  }
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    candidates.push_back((self.parent_path() / "hparams-backup").string());
    candidates.push_back(
        (self.parent_path().parent_path() / "libexec" / "hparams" / "hparams-backup").string());
  }
#ifdef HPARAMS_LIBDIR_TO_HELPER
  // Relative to the shared library this code is in, wherever the installed tree was moved.
  if (std::filesystem::path dir = own_library_dir(); !dir.empty()) {
    candidates.push_back((dir / HPARAMS_LIBDIR_TO_HELPER / "hparams-backup").string());
  }
#endif
#ifdef HPARAMS_LIBEXEC_DIR
  candidates.push_back(std::string(HPARAMS_LIBEXEC_DIR) + "/hparams-backup");
#endif
  for (const std::string& c : candidates) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  std::string looked;
  for (const std::string& c : candidates) looked += (looked.empty() ? "" : ", ") + c;
  throw Error(ErrorKind::ConfigError,
              "gs:// and s3:// backups need hparams' backup component: link hparams::backup "
              "(find_package(hparams COMPONENTS backup)), or install the hparams-backup helper "
              "(looked for " +
                  looked + "; HPARAMS_BACKUP_HELPER names it)");
}

// Writing to a helper that exited early raises SIGPIPE, which would end the whole program:
// blocked in this thread while the pipes are open, and a SIGPIPE raised meanwhile discarded.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

 private:
  sigset_t pipe_{}, old_{};
  bool was_pending_ = false;
};

// gs:// and s3:// through the helper program: one process per operation, the bytes through
// pipes, its errors as `KIND<TAB>message` on stderr. Everything read is bounded.
class ExternalStore : public BackupStore {
 public:
  ExternalStore(std::string uri, std::string helper, const BackupOptions& options)
      : BackupStore(std::move(uri)), helper_(std::move(helper)), options_(options) {
    run({"check", uri_}, {}, nullptr);  // the destination and its credentials, now
  }

  void put(std::string_view name, std::string_view bytes) override {
    run({"put", uri_, std::string(name)}, bytes, nullptr);
  }

  std::optional<std::string> get(std::string_view name) override {
    std::string out;
    if (run({"get", uri_, std::string(name)}, {}, &out) == kAbsent) return std::nullopt;
    return out;
  }

 private:
  static constexpr int kAbsent = 3;

  int run(std::vector<std::string> args, std::string_view input, std::string* output) {
    auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()); };
    args.insert(args.begin(), helper_);
    args.push_back("--max-attempts=" + std::to_string(options_.max_attempts));
    args.push_back("--initial-delay-ms=" + ms(options_.initial_delay));
    args.push_back("--max-delay-ms=" + ms(options_.max_delay));
    args.push_back("--deadline-ms=" + ms(options_.deadline));
    args.push_back("--timeout-ms=" + ms(options_.timeout));
    args.push_back("--max-bytes=" + std::to_string(options_.max_response_bytes));
    if (!options_.gcs_backup_project.empty()) {
      args.push_back("--gcs-project=" + options_.gcs_backup_project);
    }
    SigpipeBlocked sigpipe_blocked;
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
        ::pipe2(err, O_CLOEXEC) != 0) {
      throw Error(ErrorKind::IOError, uri_ + ": cannot start " + helper_ + ": no pipes");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
    std::string marker = std::string(kInHelper) + "=1";
    envp.push_back(marker.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    int spawned = ::posix_spawn(&pid, helper_.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (spawned != 0) {
      ::close(in[1]);
      ::close(out[0]);
      ::close(err[0]);
      throw Error(ErrorKind::IOError,
                  uri_ + ": cannot start " + helper_ + ": " + std::strerror(spawned));
    }
    // Feed stdin, drain stdout and stderr (bounded), until the helper is done or overdue.
    std::string stdout_text, stderr_text;
    std::size_t written = 0;
    int fds[3] = {in[1], out[0], err[0]};
    if (input.empty()) {
      ::close(fds[0]);
      fds[0] = -1;
    }
    const auto limit = options_.deadline + options_.timeout + std::chrono::seconds(30);
    const auto stop = std::chrono::steady_clock::now() + limit;
    bool overflow = false, overdue = false;
    while (fds[1] >= 0 || fds[2] >= 0) {
      pollfd polled[3];
      int n = 0;
      int which[3];
      if (fds[0] >= 0) polled[n] = {fds[0], POLLOUT, 0}, which[n++] = 0;
      if (fds[1] >= 0) polled[n] = {fds[1], POLLIN, 0}, which[n++] = 1;
      if (fds[2] >= 0) polled[n] = {fds[2], POLLIN, 0}, which[n++] = 2;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          stop - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        overdue = true;
        break;
      }
      if (::poll(polled, static_cast<nfds_t>(n), static_cast<int>(left.count())) < 0 &&
          errno != EINTR) {
        break;
      }
      for (int i = 0; i < n; ++i) {
        if (polled[i].revents == 0) continue;
        int k = which[i];
        if (k == 0) {
          ssize_t w = ::write(fds[0], input.data() + written, input.size() - written);
          if (w > 0) written += static_cast<std::size_t>(w);
          if (w < 0 || written == input.size()) {
            ::close(fds[0]);
            fds[0] = -1;
          }
          continue;
        }
        char buffer[65536];
        ssize_t r = ::read(fds[k], buffer, sizeof(buffer));
        if (r <= 0) {
          ::close(fds[k]);
          fds[k] = -1;
          continue;
        }
        std::string& text = k == 1 ? stdout_text : stderr_text;
        std::size_t cap = k == 1 ? options_.max_response_bytes : std::size_t{1} << 16;
        if (text.size() + static_cast<std::size_t>(r) > cap) {
          overflow = k == 1;
          if (k == 1) break;
          continue;  // stderr beyond 64 KiB is dropped
        }
        text.append(buffer, static_cast<std::size_t>(r));
      }
      if (overflow) break;
    }
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
    if (overflow || overdue) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (overflow) {
      throw Error(ErrorKind::IOError, uri_ + ": the response is larger than the limit of " +
                                          std::to_string(options_.max_response_bytes) + " bytes");
    }
    if (overdue) throw Error(ErrorKind::IOError, uri_ + ": the backup helper did not finish");
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code == 0) {
      if (output != nullptr) *output = std::move(stdout_text);
      return 0;
    }
    if (code == kAbsent && output != nullptr) return kAbsent;
    // `KIND<TAB>message` from the helper, else whatever it said.
    while (!stderr_text.empty() && stderr_text.back() == '\n') stderr_text.pop_back();
    ErrorKind kind = ErrorKind::IOError;
    std::string message =
        stderr_text.empty() ? uri_ + ": " + helper_ + " exited with status " + std::to_string(code)
                            : stderr_text;
    if (auto tab = stderr_text.find('\t'); tab != std::string::npos) {
      std::string name = stderr_text.substr(0, tab);
      message = stderr_text.substr(tab + 1);
      if (name == "ConfigError") kind = ErrorKind::ConfigError;
    }
    throw Error(kind, message);
  }

  std::string helper_;
  BackupOptions options_;
};

}  // namespace

std::unique_ptr<BackupStore> BackupStore::open(std::string_view uri, const BackupOptions& options) {
  backup::Location location = backup::parse_location(uri);
  if (location.scheme == "file") {
    return std::make_unique<FileStore>(std::string(uri), location.prefix,
                                       options.max_response_bytes);
  }
  if (backup::RemoteStoreOpener opener = load_shared_component()) return opener(uri, options);
  return std::make_unique<ExternalStore>(std::string(uri), find_helper(), options);
}

}  // namespace hparams
