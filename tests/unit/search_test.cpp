// Substring search (eval/search.hpp) against the obvious quadratic definition, on random
// texts over small alphabets (where periodic needles and near-matches are common).
#include "text/search.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace hparams::detail {
namespace {

std::size_t naive_last(std::string_view hay, std::string_view needle, std::size_t end) {
  if (needle.size() > end) return kNotFound;
  for (std::size_t i = end - needle.size() + 1; i-- > 0;) {
    if (hay.substr(i, needle.size()) == needle) return i;
  }
  return kNotFound;
}

TEST(Search, ReverseMatchesTheDefinition) {
  std::mt19937 random(1234);
  int checked = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const int alphabet = 1 + static_cast<int>(random() % 3);
    auto text = [&](std::size_t n) {
      std::string s;
      for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + random() % alphabet);
      return s;
    };
    std::string hay = text(random() % 40), needle = text(1 + random() % 8);
    if (random() % 4 == 0 && hay.size() > 4) needle = hay.substr(random() % (hay.size() - 3), 3);
    ReverseSearch search(needle);
    for (std::size_t end = 0; end <= hay.size(); ++end) {
      ASSERT_EQ(search.find(hay, end), naive_last(hay, needle, end))
          << "hay " << hay << " needle " << needle << " end " << end;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100000);
}

TEST(Search, ForwardMatchesTheDefinition) {
  struct Row {
    const char* hay;
    const char* needle;
    std::size_t from;
    std::size_t expected;
  };
  const Row rows[] = {
      {"abcabc", "c", 0, 2},
      {"abcabc", "c", 3, 5},
      {"abcabc", "d", 0, kNotFound},
      {"abc", "", 3, 3},
      {"abc", "", 4, kNotFound},
      {"aaaa", "aa", 1, 1},
      {"caf\xc3\xa9", "\xc3\xa9", 0, 3},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(find_bytes(row.hay, row.needle, row.from), row.expected)
        << row.hay << " " << row.needle;
  }
}

TEST(Search, LongPeriodicNeedlesStayLinear) {
  // Quadratic search would compare about 2.5e11 bytes here; Two-Way does a few million.
  std::string hay(1000000, 'a');
  std::string needle = std::string(500000, 'a') + "b";
  EXPECT_EQ(find_bytes(hay, needle), kNotFound);
  EXPECT_EQ(ReverseSearch(needle).find(hay, hay.size()), kNotFound);
  EXPECT_EQ(ReverseSearch("b" + std::string(500000, 'a')).find(hay, hay.size()), kNotFound);
  EXPECT_EQ(ReverseSearch(std::string(500000, 'a')).find(hay, hay.size()), 500000u);
}

}  // namespace
}  // namespace hparams::detail
