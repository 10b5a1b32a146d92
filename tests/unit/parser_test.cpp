// Parser rows: input -> AST dump. The dumps spell out Python's precedence and associativity.
#include <gtest/gtest.h>

#include <string>

#include "eval/ast.hpp"
#include "hparams/error.hpp"

namespace {

std::string parse(const std::string& text) {
  hparams::detail::Ast ast;
  hparams::detail::parse_expression(text, ast);
  return hparams::detail::dump(ast);
}

struct Row {
  const char* input;
  const char* dump;
};

TEST(Parser, Dumps) {
  const Row rows[] = {
      // ** binds tighter than unary minus on its left, and is right-associative.
      {"-2**2", "Unary(-, Power(Constant(2), Constant(2)))"},
      {"2**3**2", "Power(Constant(2), Power(Constant(3), Constant(2)))"},
      {"2**-1", "Power(Constant(2), Unary(-, Constant(1)))"},
      // Left-associative chains stay flat, each level its own node.
      {"1+2*3-4", "BinOp(Constant(1) + BinOp(Constant(2) * Constant(3)) - Constant(4))"},
      {"a|b^c&d<<e",
       "BinOp(Name(a) | BinOp(Name(b) ^ BinOp(Name(c) & BinOp(Name(d) << Name(e)))))"},
      {"1<2<=3", "Compare(Constant(1) < Constant(2) <= Constant(3))"},
      {"a not in b is not c", "Compare(Name(a) not in Name(b) is not Name(c))"},
      {"not a == b", "Unary(not, Compare(Name(a) == Name(b)))"},
      {"a or b and not c", "BoolOp(or, Name(a), BoolOp(and, Name(b), Unary(not, Name(c))))"},
      {"a if b else c if d else e", "IfExp(Name(a), Name(b), IfExp(Name(c), Name(d), Name(e)))"},
      {"3, 3", "Tuple(Constant(3), Constant(3))"},
      {"(1,)", "Tuple(Constant(1))"},
      {"(1)", "Constant(1)"},
      {"[]", "List()"},
      {"{}", "Dict()"},
      {"{1}", "Set(Constant(1))"},
      {"{'a': 1, 'b': 2}", "Dict(Constant('a'), Constant(1), Constant('b'), Constant(2))"},
      {"'a' 'b'", "Constant('ab')"},
      {"x[1:2]", "Subscript(Name(x), Slice(Constant(1), Constant(2), None))"},
      {"x[::2]", "Subscript(Name(x), Slice(None, None, Constant(2)))"},
      {"x[1, 2]", "Subscript(Name(x), Tuple(Constant(1), Constant(2)))"},
      {"f(1, k=2)", "Call(Name(f), Constant(1), k=Constant(2))"},
      {"'s'.split(',')", "Call(Attribute(Constant('s'), split), Constant(','))"},
      {"sum(x for x in y)", "Call(Name(sum), GenExp(Name(x), For(Name(x), Name(y))))"},
      {"[x for x in y if x if z for w in x]",
       "ListComp(Name(x), For(Name(x), Name(y), Name(x), Name(z)), For(Name(w), Name(x)))"},
      {"{k: v for k, v in d}", "DictComp(Name(k), Name(v), For(Tuple(Name(k), Name(v)), Name(d)))"},
      {"[a for (a, [b, c]) in d]",
       "ListComp(Name(a), For(Tuple(Name(a), Tuple(Name(b), Name(c))), Name(d)))"},
      {"1 # comment", "Constant(1)"},
      {"[1,\n 2]", "List(Constant(1), Constant(2))"},
  };
  for (const auto& row : rows) EXPECT_EQ(parse(row.input), row.dump) << row.input;
}

TEST(Parser, SyntaxErrors) {
  struct ErrorRow {
    const char* input;
    int column;
    const char* message_part;
  };
  const ErrorRow rows[] = {
      {"1 +", 4, "invalid syntax"},  // CPython 3.11: "invalid syntax"
      {"lambda x: x", 1, "lambda"},
      {"x := 1", 3, ":="},
      {"[*a]", 2, "starred"},
      {"{**a}", 2, "starred"},
      {"f'x'", 1, "f-strings"},
      {"b'x'", 1, "bytes"},
      {"...", 1, "Ellipsis"},
      {"a = 1", 3, "Maybe you meant '=='"},
      {"1 2", 3, "invalid syntax"},
      {"f(a=1, 2)", 8, "positional argument follows keyword argument"},
      {"f(a=1, a=2)", 8, "keyword argument repeated: a"},
      {"f(x for x in y, 1)", 3, "Generator expression must be parenthesized"},
      {"import os", 1, "reserved word"},
      {"1;", 2, "invalid syntax"},
  };
  for (const auto& row : rows) {
    try {
      parse(row.input);
      ADD_FAILURE() << "no error for " << row.input;
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), hparams::ErrorKind::SyntaxError) << row.input;
      EXPECT_EQ(e.location().column, row.column) << row.input << ": " << e.message();
      EXPECT_NE(e.message().find(row.message_part), std::string::npos)
          << row.input << ": " << e.message();
    }
  }
}

// CPython 3.11 evaluates a tree of about 3,000 levels (measured: 2,990 `[0]` after 'a',
// 1,494 `.upper()`, 2,990 unary minus signs, with the frames of `python3 -c` in use) and raises
// RecursionError beyond; the value language's limit is a depth of 3,000 (a constant is 1).
TEST(Parser, DepthLimit) {
  struct Row {
    std::string text;
    bool parses;
  };
  auto chain = [](const std::string& link, int n) {
    std::string out = "'a'";
    for (int i = 0; i < n; ++i) out += link;
    return out;
  };
  const Row rows[] = {
      {chain("[0]", 1000), true},
      {chain("[0]", 2999), true},
      {chain("[0]", 3000), false},
      {chain("[0]", 20000), false},
      {chain(".upper()", 1000), true},
      {chain(".upper()", 1499), true},
      {chain(".upper()", 1500), false},
      {chain(".upper()", 20000), false},
      {std::string(2999, '-') + "1", true},
      {std::string(3000, '-') + "1", false},
      {std::string(100000, '-') + "1", false},
  };
  for (const Row& row : rows) {
    if (row.parses) {
      EXPECT_NO_THROW(parse(row.text)) << row.text.size();
    } else {
      try {
        parse(row.text);
        ADD_FAILURE() << row.text.size();
      } catch (const hparams::Error& e) {
        EXPECT_EQ(e.kind(), hparams::ErrorKind::RecursionError);
        EXPECT_EQ(e.message(), "maximum recursion depth exceeded during compilation");
      }
    }
  }
  std::string power;
  for (int i = 0; i < 50000; ++i) power += "2**";
  EXPECT_THROW(parse(power + "1"), hparams::Error);
}

}  // namespace
