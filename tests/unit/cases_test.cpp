// Table-driven tests per area: tests/unit/cases/AREA.tsv rows `EXPRESSION<TAB>EXPECTED`, the
// expected side computed by CPython 3.11 (tools/gen/expect.py). U+23CE in an expression
// stands for a newline.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "hparams/eval.hpp"

namespace {

struct Row {
  int line;
  std::string expression;
  std::string expected;
};

std::string unmark(std::string s) {
  const std::string mark = "\xE2\x8F\x8E";  // U+23CE
  for (auto pos = s.find(mark); pos != std::string::npos; pos = s.find(mark, pos)) {
    s.replace(pos, mark.size(), "\n");
  }
  return s;
}

std::vector<Row> load(const std::string& area) {
  std::ifstream in(std::string(HPARAMS_TEST_DATA) + "/unit/cases/" + area + ".tsv");
  std::vector<Row> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.rfind('\t');
    rows.push_back({number, unmark(line.substr(0, tab)), line.substr(tab + 1)});
  }
  return rows;
}

std::string outcome(const std::string& expression) {
  try {
    return hparams::evaluate(expression).repr();
  } catch (const hparams::Error& e) {
    return "!" + std::string(e.kind_name());
  }
}

class Cases : public ::testing::TestWithParam<std::string> {};

TEST_P(Cases, MatchCPython) {
  auto rows = load(GetParam());
  ASSERT_GT(rows.size(), 50u);
  int passed = 0;
  for (const auto& row : rows) {
    std::string got = outcome(row.expression);
    if (got == row.expected) {
      ++passed;
    } else {
      ADD_FAILURE() << GetParam() << ".tsv:" << row.line << ": " << row.expression
                    << "\n  expected: " << row.expected << "\n  got:      " << got;
    }
  }
  std::cout << "[ cases ] " << GetParam() << ": " << passed << "/" << rows.size() << "\n";
}

INSTANTIATE_TEST_SUITE_P(Areas, Cases,
                         ::testing::Values("numbers", "str", "format", "builtins", "containers",
                                           "comprehension", "syntax"));

}  // namespace
