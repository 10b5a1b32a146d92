// Number internals checked against facts about IEEE doubles and CPython's hash.
#include "num/numbers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "hparams/eval.hpp"

namespace {

using hparams::detail::float_repr;

TEST(Numbers, FloatReprIsShortestRoundTrip) {
  struct Row {
    double value;
    const char* repr;
  };
  const Row rows[] = {
      {0.1, "0.1"},
      {1e-5, "1e-05"},
      {1e-4, "0.0001"},
      {1e16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-0.0, "-0.0"},
      {100.0, "100.0"},
      {1.5e-7, "1.5e-07"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::nan(""), "nan"},
  };
  for (const auto& row : rows) EXPECT_EQ(float_repr(row.value), row.repr);
}

TEST(Numbers, HashMatchesCPython) {
  // hash() values printed by CPython 3.11 (PYTHONHASHSEED=0 for the strs).
  struct Row {
    const char* expression;
    std::int64_t hash;
  };
  const Row rows[] = {
      {"1", 1},
      {"-1", -2},
      {"2**61 - 1", 0},
      {"2**61", 1},
      {"-2**63", -4},
      {"1.5", 1152921504606846977},
      {"0.1", 230584300921369408},
      {"float('inf')", 314159},
      {"'a'", 4644417185603328019},
      {"'片仮名'", -2042606782569167430},
      {"''", 0},
      {"(1, 2)", -3550055125485641917},
      {"()", 5740354900026072187},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(hparams::detail::hash_value(hparams::evaluate(row.expression)), row.hash)
        << row.expression;
  }
}

TEST(Numbers, IntToDoubleRoundsHalfToEven) {
  // 2**53 + 1 is a tie between 2**53 and 2**53 + 2: to even gives 2**53.
  EXPECT_EQ(hparams::evaluate("float(2**53 + 1)").as_double(), 9007199254740992.0);
  // 2**53 + 3 is a tie between 2**53 + 2 and 2**53 + 4: to even gives 2**53 + 4.
  EXPECT_EQ(hparams::evaluate("float(2**53 + 3)").as_double(), 9007199254740996.0);
  EXPECT_EQ(hparams::evaluate("float(2**80 + 2**27 + 1)").as_double(),
            std::ldexp(1.0, 80) + std::ldexp(1.0, 28));
}

}  // namespace
