// NFKC of identifiers (eval/unicode.hpp) against CPython's unicodedata (tests/unit/nfkc.tsv).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "hparams/eval.hpp"
#include "text/unicode.hpp"

namespace {

std::u32string code_points(const std::string& hexes) {
  std::u32string out;
  std::istringstream in(hexes);
  std::string one;
  while (in >> one) out += static_cast<char32_t>(std::stoul(one, nullptr, 16));
  return out;
}

TEST(Nfkc, MatchesCPython) {
  std::ifstream in(std::string(HPARAMS_TEST_DATA) + "/unit/nfkc.tsv");
  ASSERT_TRUE(in);
  std::string line;
  int rows = 0, wrong = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    std::string input = hparams::detail::from_u32(code_points(line.substr(0, tab)));
    std::string expected = hparams::detail::from_u32(code_points(line.substr(tab + 1)));
    if (hparams::detail::nfkc(input) != expected && ++wrong <= 10) {
      ADD_FAILURE() << line;
    }
    ++rows;
  }
  EXPECT_EQ(wrong, 0);
  EXPECT_GT(rows, 7000);
}

TEST(Nfkc, IdentifiersAreNormalisedAsCPythonDoes) {
  // CPython 3.11: ｌｅｎ('abc') is 3, Ｔｒｕｅ is True (found in builtins), ｉｆ is the name
  // 'if' (unknown: raw text here), a keyword argument and an attribute are normalised too.
  EXPECT_EQ(hparams::evaluate("\uff4c\uff45\uff4e('abc')").repr(), "3");
  EXPECT_EQ(hparams::evaluate("\uff34\uff52\uff55\uff45").repr(), "True");
  EXPECT_EQ(
      hparams::evaluate("sorted([3, 1], \uff52\uff45\uff56\uff45\uff52\uff53\uff45=True)").repr(),
      "[3, 1]");
  EXPECT_EQ(hparams::evaluate("'ab'.\uff55\uff50\uff50\uff45\uff52()").repr(), "'AB'");
  EXPECT_EQ(hparams::evaluate("[x for \uff58 in [1, 2]]").repr(), "[1, 2]");
  EXPECT_EQ(hparams::evaluate("\uff49\uff46").repr(), "'\uff49\uff46'");
}

}  // namespace
