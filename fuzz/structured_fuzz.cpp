// Structure-aware libFuzzer target: the input is a recipe, not the text. A few bytes choose
// hostile shapes and their sizes (long postfix chains, deep nesting, huge repeat counts and
// sizes, long strings with near-matches for every search method, big-int work, sorting,
// formatting) and combine them, so that inputs of megabytes are reached at once; a whole
// .cfg file of such values is loaded too. The property: every input finishes, with a value
// or an hparams::Error, within a time bound (and, by libFuzzer's -rss_limit_mb, within
// bounded memory), with the product's default limits.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "hparams/config.hpp"
#include "hparams/eval.hpp"
#include "time_bound.hpp"

namespace {

// Reads the recipe: bytes, then zeros once it runs out.
class Recipe {
 public:
  Recipe(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint32_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::uint32_t pick(std::uint32_t n) { return n == 0 ? 0 : byte() % n; }
  // A size spread over orders of magnitude, up to about `max`.
  std::uint64_t size(std::uint64_t max) {
    std::uint32_t shift = pick(31);
    std::uint64_t v = (std::uint64_t{1} << shift) + byte() * 7 + byte();
    return max == 0 ? 0 : v % (max + 1);
  }
  bool done() const { return at_ >= size_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

std::string repeat(const std::string& s, std::uint64_t n) {
  std::string out;
  for (std::uint64_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string expression(Recipe& r, int depth);

std::string atom(Recipe& r) {
  static const char* const kAtoms[] = {
      "'a'", "'abc'",  "[1, 2, 3]", "(1, 2)", "{'k': 1}", "{1, 2}", "2",    "-7",
      "3.5", "'aé€😀'", "range(10)", "None",   "True",     "'%s'",   "'{}'", "''"};
  return kAtoms[r.pick(sizeof(kAtoms) / sizeof(kAtoms[0]))];
}

// A long string literal with a near-match inside: `'aaaa...ab...'` as an expression.
std::string near_match(Recipe& r) {
  std::uint64_t n = r.size(1 << 20);
  static const char* const kUnits[] = {"a", "ab", "é", "aa", "a b"};
  std::string unit = kUnits[r.pick(5)];
  return "('" + unit + "' * " + std::to_string(n) + ")";
}

std::string needle(Recipe& r) {
  std::uint64_t m = r.size(1 << 19);
  switch (r.pick(4)) {
    case 0:
      return "('a' * " + std::to_string(m) + " + 'b')";
    case 1:
      return "('b' + 'a' * " + std::to_string(m) + ")";
    case 2:
      return "('a' * " + std::to_string(m) + ")";
    default:
      return "('ab' * " + std::to_string(m / 2) + " + 'a')";
  }
}

std::string search(Recipe& r) {
  std::string hay = near_match(r), n = needle(r);
  switch (r.pick(12)) {
    case 0:
      return hay + ".find(" + n + ")";
    case 1:
      return hay + ".count(" + n + ")";
    case 2:
      return "len(" + hay + ".split(" + n + "))";
    case 3:
      return "len(" + hay + ".rsplit(" + n + ", " + std::to_string(r.size(1000)) + "))";
    case 4:
      return "len(" + hay + ".replace(" + n + ", 'x'))";
    case 5:
      return n + " in " + hay;
    case 6:
      return hay + ".startswith((" + n + ",) * " + std::to_string(r.size(10000)) + ")";
    case 7:
      return "len(" + hay + ".strip(" + n + "))";
    case 8:
      return hay + ".endswith(" + n + ", 1)";
    case 9:
      return "len(" + hay + ".split())";
    case 10:
      return "len(" + hay + ".upper())";
    default:
      return hay + ".find(" + n + ", " + std::to_string(r.size(1 << 20)) + ")";
  }
}

std::string chain(Recipe& r) {
  static const char* const kLinks[] = {"[0]",   ".upper()", "[::-1]", ".strip()",
                                       "[-1:]", ".lower()", "[:]",    ".title()"};
  std::string link = kLinks[r.pick(8)];
  return "'a'" + repeat(link, r.size(40000));
}

std::string nesting(Recipe& r) {
  std::uint64_t d = r.size(12000);
  switch (r.pick(7)) {
    case 0:
      return repeat("[", d) + "1" + repeat("]", d);
    case 1:
      return repeat("(", d) + "1" + repeat(")", d);
    case 2:
      return repeat("-", d) + "1";
    case 3:
      return repeat("not ", d) + "1";
    case 4:
      return repeat("2**", d) + "1";
    case 5:
      return repeat("1 if 1 else ", d) + "1";
    default:
      return "[1" + repeat(" for a in [1]", d) + "]";
  }
}

std::string big_work(Recipe& r) {
  std::string a = std::to_string(r.size(1 << 20)), b = std::to_string(r.size(1 << 20));
  switch (r.pick(10)) {
    case 0:
      return "pow(3, 2**" + a + " - 1, 2**" + b + " - 3)";
    case 1:
      return "len(str(2**" + a + "))";
    case 2:
      return "(7**" + a + ") // (3**" + b + ") > 0";
    case 3:
      return "(1 << " + a + ") % (3**" + b + " + 1) > 0";
    case 4:
      return "len(sorted([str(i) * 50 for i in range(" + a + ")]))";
    case 5:
      return "len('{:>" + a + "}'.format('x'))";
    case 6:
      return "len('%0" + a + "d' % 1)";
    case 7:
      return "len(' '.join(['abc'] * " + a + "))";
    case 8:
      return "sum(range(" + a + "" + b + "))";
    default:
      return "len({i: i for i in range(" + a + ")})";
  }
}

std::string repetition(Recipe& r) {
  std::string n = std::to_string(r.size(std::uint64_t{1} << 40));
  switch (r.pick(5)) {
    case 0:
      return "'ab' * " + n;
    case 1:
      return "[0] * " + n;
    case 2:
      return "[[]] * " + n + " * " + n;
    case 3:
      return "(1, 2) * " + n;
    default:
      return "'x' * (" + n + " // 3)";
  }
}

std::string expression(Recipe& r, int depth) {
  if (depth > 3 || r.done()) return atom(r);
  switch (r.pick(9)) {
    case 0:
      return search(r);
    case 1:
      return chain(r);
    case 2:
      return nesting(r);
    case 3:
      return big_work(r);
    case 4:
      return repetition(r);
    case 5: {
      static const char* const kOps[] = {" + ", " * ", " == ", " < ", " in ", " % ", ", "};
      return "(" + expression(r, depth + 1) + kOps[r.pick(7)] + expression(r, depth + 1) + ")";
    }
    case 6:
      return "sorted([" + expression(r, depth + 1) + "] * " + std::to_string(r.size(1 << 16)) + ")";
    case 7:
      return "str(" + expression(r, depth + 1) + ")";
    default:
      return atom(r);
  }
}

// A .cfg file of such values: many sections and keys, [DEFAULT] inheritance, long lines.
std::string config(Recipe& r) {
  std::string out = "[DEFAULT]\nroot = " + expression(r, 2) + "\n";
  std::uint64_t sections = 1 + r.size(20);
  for (std::uint64_t s = 0; s < sections; ++s) {
    out += "[s" + std::to_string(s) + "]\n";
    std::uint64_t keys = r.size(30);
    for (std::uint64_t k = 0; k < keys; ++k) {
      out += "k" + std::to_string(k) + " = " + expression(r, 1) + "\n";
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Recipe recipe(data, size);
  const bool whole_file = recipe.pick(4) == 0;
  std::string text = whole_file ? config(recipe) : expression(recipe, 0);
  if (std::getenv("HPARAMS_FUZZ_PRINT") != nullptr) {
    std::fprintf(stderr, "%s: %.2000s\n", whole_file ? "file" : "expression", text.c_str());
  }
  const auto start = std::chrono::steady_clock::now();
  try {
    if (whole_file) {
      hparams::Config config = hparams::Config::parse(text, "fuzz.cfg");
      (void)config.to_dict().repr();
    } else {
      hparams::Value v = hparams::evaluate(text);
      (void)v.repr();
    }
  } catch (const hparams::Error&) {
  }
  hparams_fuzz::check_time_bound(start, text);
  return 0;
}
