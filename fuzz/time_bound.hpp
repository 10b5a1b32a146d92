// The fuzz targets' time property: every input finishes within a bound (a product with the
// default limits finishes in about a second; the bound leaves room for the sanitizers and
// for allocating what a value may hold, nothing more). HPARAMS_FUZZ_SECONDS changes it.
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace hparams_fuzz {

inline void check_time_bound(std::chrono::steady_clock::time_point start,
                             const std::string& input) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const char* bound_text = std::getenv("HPARAMS_FUZZ_SECONDS");
  const double bound = bound_text != nullptr ? std::atof(bound_text) : 20.0;
  if (seconds > bound) {
    std::fprintf(stderr, "input took %.1f s (bound %.1f s): %.300s\n", seconds, bound,
                 input.c_str());
    std::abort();
  }
}

}  // namespace hparams_fuzz
