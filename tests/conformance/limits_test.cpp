// conformance/expr/reject.txt and deep/: each input fails with an hparams::Error or gives back
// its raw text (only unknown names): never a crash, a hang or unbounded memory. The ctest
// TIMEOUT of this test guards against hangs; the step budget is what keeps each input fast.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "hparams/eval.hpp"

namespace {

std::string data(const std::string& relative) {
  return std::string(HPARAMS_TEST_DATA) + "/conformance/expr/" + relative;
}

TEST(Limits, RejectListFailsOrIsRawText) {
  std::ifstream in(data("reject.txt"));
  std::string line;
  int count = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    ++count;
    try {
      auto result = hparams::evaluate_detailed(line);
      EXPECT_TRUE(result.raw_text) << line << " evaluated to " << result.value.repr().substr(0, 80);
    } catch (const hparams::Error& e) {
      SUCCEED() << e.what();
    }
  }
  EXPECT_EQ(count, 26);
  EXPECT_FALSE(std::filesystem::exists("/tmp/hparams-pwned"));
}

TEST(Limits, DeepInputsNeverOverflowTheStack) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data("deep"))) {
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++count;
    try {
      hparams::Value v = hparams::evaluate(text);
      // long-sum.txt is 1+1+...+1: a flat chain, evaluated without recursion.
      EXPECT_EQ(entry.path().filename(), "long-sum.txt");
      EXPECT_EQ(v.as_int64(), 500000);
    } catch (const hparams::Error& e) {
      EXPECT_NE(entry.path().filename(), "long-sum.txt") << e.what();
    }
  }
  EXPECT_EQ(count, 7);
}

TEST(Limits, EachLimitIsAClearError) {
  struct Row {
    const char* input;
    hparams::ErrorKind kind;
  };
  const Row rows[] = {
      {"9**9**9", hparams::ErrorKind::MemoryError},
      {"'a' * 10**12", hparams::ErrorKind::MemoryError},
      {"sum(range(10**15))", hparams::ErrorKind::TimeoutError},
      {"int('9' * 5000)", hparams::ErrorKind::ValueError},
      {"str(10**10000)", hparams::ErrorKind::ValueError},
      {"len(['ab' * 30000000 for i in range(10)])", hparams::ErrorKind::MemoryError},
      {"'{:>1000000000}'.format('x')", hparams::ErrorKind::MemoryError},
  };
  for (const auto& row : rows) {
    try {
      hparams::evaluate(row.input);
      ADD_FAILURE() << row.input;
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), row.kind) << row.input << ": " << e.what();
    }
  }
  hparams::EvalLimits small;
  small.max_steps = 1000;
  EXPECT_THROW(hparams::evaluate("sum(range(10000))", small), hparams::Error);
  EXPECT_EQ(hparams::evaluate("sum(range(100))", small).as_int64(), 4950);
}

}  // namespace
