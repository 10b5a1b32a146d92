// libFuzzer target for the value engine. Any input must either evaluate or raise
// hparams::Error: never crash, hang or exhaust memory. A value that evaluates also has to
// survive repr(), and (where its repr is a literal) evaluate back to an equal value (equal,
// not same-repr: a set display can lay out its table differently, in CPython too).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "hparams/eval.hpp"
#include "time_bound.hpp"

namespace {

bool literal_repr(const std::string& repr) {
  // nan/inf print as names, dict views and ranges as calls: these do not read back.
  return repr.find("nan") == std::string::npos && repr.find("inf") == std::string::npos &&
         repr.find("dict_") == std::string::npos && repr.find("range(") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  const auto start = std::chrono::steady_clock::now();
  struct Bound {
    std::chrono::steady_clock::time_point start;
    const std::string& text;
    ~Bound() { hparams_fuzz::check_time_bound(start, text); }
  } bound{start, text};
  hparams::EvalLimits limits;
  limits.max_steps = 200'000;  // keeps each input fast; the limit logic is the same
  try {
    hparams::Evaluation result = hparams::evaluate_detailed(text, limits);
    std::string repr;
    try {
      repr = result.value.repr();
    } catch (const hparams::Error&) {
      return 0;  // e.g. an int past 4,300 digits
    }
    if (result.raw_text || !literal_repr(repr)) return 0;
    // Reading back a repr of many megabytes only measures the parser's linear speed, which
    // under ASan exceeds the fuzzer's timeout; the round trip is checked below 1 MiB.
    if (repr.size() > (1u << 20)) return 0;
    hparams::Value again = hparams::evaluate(repr);
    if (!(again == result.value)) {
      std::cerr << "round trip failed:\n  input: " << text << "\n  repr:  " << repr
                << "\n  again: " << again.repr() << "\n";
      std::abort();
    }
  } catch (const hparams::Error&) {
  }
  return 0;
}
