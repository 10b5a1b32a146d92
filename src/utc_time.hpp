// The current UTC time, formatted by strftime (history log lines, SigV4 dates).
#pragma once

#include <ctime>
#include <string>

namespace hparams::detail {

inline std::string utc_now(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[64];
  std::size_t n = std::strftime(buffer, sizeof buffer, format, &tm);
  return std::string(buffer, n);
}

}  // namespace hparams::detail
