// hparams-backup: the gs:// and s3:// stores in a program of their own, so that the hparams
// core and the hparams CLI link no network library (git runs git-remote-https the same way).
// The core's ExternalStore runs it once per operation:
//
//   hparams-backup check URI [OPTIONS]        the destination and its credentials
//   hparams-backup put URI NAME [OPTIONS]     stdin -> URI/NAME, verified
//   hparams-backup get URI NAME [OPTIONS]     URI/NAME -> stdout; exit 3 when absent
//
// OPTIONS: --max-attempts=N --initial-delay-ms=N --max-delay-ms=N --deadline-ms=N
// --timeout-ms=N --max-bytes=N --gcs-project=P. Failures: exit 1 and `KIND<TAB>message` on
// stderr (KIND is ConfigError or IOError); exit 2 for a malformed command line.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hparams/backup.hpp"
#include "hparams/error.hpp"

// The backup component's anchor: naming it links the component in, whatever the linker's
// --as-needed; without the component this program would only run itself.
extern "C" const int hparams_backup_component;

namespace {

constexpr int kUsage = 2;
constexpr int kAbsent = 3;

int usage(std::string_view why) {
  std::fprintf(stderr,
               "IOError\thparams-backup: %.*s (usage: hparams-backup check|put|get URI "
               "[NAME] [--max-attempts=N ...])\n",
               static_cast<int>(why.size()), why.data());
  return kUsage;
}

bool parse_count(std::string_view text, long long& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

// Reads stdin whole, at most `limit` bytes.
bool read_stdin(std::string& out, std::size_t limit) {
  char buffer[65536];
  for (;;) {
    ssize_t r = ::read(0, buffer, sizeof(buffer));
    if (r == 0) return true;
    if (r < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (out.size() + static_cast<std::size_t>(r) > limit) return false;
    out.append(buffer, static_cast<std::size_t>(r));
  }
}

bool write_stdout(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t w = ::write(1, bytes.data(), bytes.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (hparams_backup_component != 1) return 1;
  std::vector<std::string_view> positional;
  hparams::BackupOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 2) != "--") {
      positional.push_back(arg);
      continue;
    }
    auto eq = arg.find('=');
    if (eq == std::string_view::npos) return usage("option without a value");
    std::string_view key = arg.substr(2, eq - 2), value = arg.substr(eq + 1);
    if (key == "gcs-project") {
      options.gcs_backup_project = std::string(value);
      continue;
    }
    long long n = 0;
    if (!parse_count(value, n)) return usage("not a count: " + std::string(arg));
    if (key == "max-attempts") {
      options.max_attempts = static_cast<int>(std::min<long long>(n, 1000));
    } else if (key == "initial-delay-ms") {
      options.initial_delay = std::chrono::milliseconds(n);
    } else if (key == "max-delay-ms") {
      options.max_delay = std::chrono::milliseconds(n);
    } else if (key == "deadline-ms") {
      options.deadline = std::chrono::milliseconds(n);
    } else if (key == "timeout-ms") {
      options.timeout = std::chrono::milliseconds(n);
    } else if (key == "max-bytes") {
      options.max_response_bytes = static_cast<std::size_t>(n);
    } else {
      return usage("unknown option " + std::string(arg));
    }
  }
  if (positional.empty()) return usage("no command");
  std::string_view command = positional[0];
  std::size_t wanted = command == "check" ? 2 : 3;
  if ((command != "check" && command != "put" && command != "get") || positional.size() != wanted) {
    return usage("expected check URI, put URI NAME or get URI NAME");
  }
  std::string_view uri = positional[1];
  if (uri.substr(0, 5) == "file:") return usage("file:// stores are the core's own");
  try {
    auto store = hparams::BackupStore::open(uri, options);
    if (command == "check") return 0;
    std::string name(positional[2]);
    if (command == "put") {
      std::string bytes;
      if (!read_stdin(bytes, options.max_response_bytes)) {
        std::fprintf(stderr, "IOError\t%s: the object to upload could not be read whole\n",
                     store->uri_of(name).c_str());
        return 1;
      }
      store->put(name, bytes);
      return 0;
    }
    std::optional<std::string> bytes = store->get(name);
    if (!bytes) return kAbsent;
    return write_stdout(*bytes) ? 0 : 1;
  } catch (const hparams::Error& e) {
    const char* kind = e.kind() == hparams::ErrorKind::ConfigError ? "ConfigError" : "IOError";
    std::fprintf(stderr, "%s\t%s\n", kind, e.message().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "IOError\t%s\n", e.what());
    return 1;
  }
}
