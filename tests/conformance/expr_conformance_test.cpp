// Every case of conformance/expr/cases.tsv (computed by CPython 3.11), through the library.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "hparams/eval.hpp"

namespace {

struct Case {
  int line;
  std::string expression;
  std::string expected;
};

std::vector<Case> load_cases() {
  std::ifstream in(std::string(HPARAMS_TEST_DATA) + "/conformance/expr/cases.tsv");
  std::vector<Case> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    cases.push_back({number, line.substr(0, tab), line.substr(tab + 1)});
  }
  return cases;
}

std::string outcome(const std::string& expression) {
  try {
    return hparams::evaluate(expression).repr();
  } catch (const hparams::Error& e) {
    return "!" + std::string(e.kind_name());
  }
}

TEST(ExprConformance, EveryCaseMatchesCPython) {
  auto cases = load_cases();
  ASSERT_EQ(cases.size(), 517u) << "cases.tsv changed: update the expected count";
  int passed = 0;
  for (const auto& c : cases) {
    std::string got = outcome(c.expression);
    if (got == c.expected) {
      ++passed;
    } else {
      ADD_FAILURE() << "cases.tsv:" << c.line << ": " << c.expression
                    << "\n  expected: " << c.expected << "\n  got:      " << got;
    }
  }
  std::cout << "[ conformance ] expr: " << passed << "/" << cases.size() << " passed\n";
}

}  // namespace
