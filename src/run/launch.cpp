#include "run/launch.hpp"

#include <unistd.h>

#include <cstdlib>

#include "fs/files.hpp"
#include "fs/sha256.hpp"

namespace hparams::detail {

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t process_start_ms() {
  static const std::int64_t start = [] {
    try {
      // Field 22 of /proc/self/stat: start time in clock ticks after boot; `btime` in
      // /proc/stat: the boot time. The command name (field 2) may hold spaces: skip past ')'.
      std::string stat = files::read_regular("/proc/self/stat", 1 << 16);
      std::size_t at = stat.rfind(')');
      if (at == std::string::npos) return now_ms();
      // `begin` is at the space before field `field + 1`.
      int field = 2;
      std::size_t begin = at + 1;
      while (field < 21 && begin < stat.size()) {
        begin = stat.find(' ', begin + 1);
        if (begin == std::string::npos) return now_ms();
        ++field;
      }
      long long ticks = std::atoll(stat.c_str() + begin);
      std::string boot = files::read_regular("/proc/stat", 1 << 20);
      std::size_t b = boot.find("\nbtime ");
      if (b == std::string::npos) return now_ms();
      long long boot_seconds = std::atoll(boot.c_str() + b + 7);
      long hz = ::sysconf(_SC_CLK_TCK);
      if (hz <= 0 || boot_seconds <= 0) return now_ms();
      return static_cast<std::int64_t>(boot_seconds * 1000 + ticks * 1000 / hz);
    } catch (const Error&) {
      return now_ms();
    }
  }();
  return start;
}

LaunchMark LaunchMark::of(const std::string& run_name, const RankInfo& job,
                          std::string_view bytes) {
  LaunchMark m;
  m.run_name = run_name;
  m.launch_id = job.launch_id;
  m.digest = files::sha256_hex(bytes);
  m.size = bytes.size();
  m.written_ms = now_ms();
  return m;
}

std::string LaunchMark::text() const {
  return "hparams-launch 1\nrun " + run_name + "\nlaunch " + launch_id + "\nsha256 " + digest +
         "\nsize " + std::to_string(size) + "\nwritten " + std::to_string(written_ms) + "\n";
}

std::optional<LaunchMark> LaunchMark::parse(std::string_view text) {
  if (text.size() > 4096 || text.rfind("hparams-launch 1\n", 0) != 0) return std::nullopt;
  LaunchMark m;
  int fields = 0;
  std::size_t at = text.find('\n') + 1;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    std::string_view key = line.substr(0, space), value = line.substr(space + 1);
    char* stop = nullptr;
    std::string number(value);
    if (key == "run") {
      m.run_name = value;
    } else if (key == "launch") {
      m.launch_id = value;
    } else if (key == "sha256") {
      if (value.size() != 64) return std::nullopt;
      m.digest = value;
    } else if (key == "size") {
      m.size = std::strtoull(number.c_str(), &stop, 10);
      if (*stop != '\0') return std::nullopt;
    } else if (key == "written") {
      m.written_ms = std::strtoll(number.c_str(), &stop, 10);
      if (*stop != '\0') return std::nullopt;
    } else {
      continue;  // a later version's field
    }
    ++fields;
  }
  if (fields < 5) return std::nullopt;
  return m;
}

bool LaunchMark::describes(std::string_view bytes) const {
  return bytes.size() == size && files::sha256_hex(bytes) == digest;
}

bool LaunchMark::is_this_launch(const RankInfo& job, std::chrono::milliseconds skew) const {
  if (!job.launch_id.empty() || !launch_id.empty()) return job.launch_id == launch_id;
  return written_ms >= process_start_ms() - skew.count();
}

}  // namespace hparams::detail
