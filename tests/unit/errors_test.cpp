// Evaluation errors: Python's kind, the message wording where it matters, and the 1-based
// line and column of the offending token (the operator for an operation, the callee for a
// call, the '[' for a subscript, the attribute name for an attribute).
#include <gtest/gtest.h>

#include <string>

#include "hparams/config.hpp"
#include "hparams/eval.hpp"

namespace {

using hparams::ErrorKind;

struct Row {
  const char* input;
  ErrorKind kind;
  int line;
  int column;
  const char* message;  // exact, or nullptr to skip
};

TEST(Errors, KindPositionAndMessage) {
  const Row rows[] = {
      {"'a' + 1", ErrorKind::TypeError, 1, 5, "can only concatenate str (not \"int\") to str"},
      {"1 + 'a'", ErrorKind::TypeError, 1, 3, "unsupported operand type(s) for +: 'int' and 'str'"},
      {"[1] + (2,)", ErrorKind::TypeError, 1, 5,
       "can only concatenate list (not \"tuple\") to list"},
      {"1/0", ErrorKind::ZeroDivisionError, 1, 2, "division by zero"},
      {"1.0/0", ErrorKind::ZeroDivisionError, 1, 4, "float division by zero"},
      {"1//0", ErrorKind::ZeroDivisionError, 1, 2, "integer division or modulo by zero"},
      {"1 + 2 + 3 / 0", ErrorKind::ZeroDivisionError, 1, 11, "division by zero"},
      {"[1,\n 2 / 0]", ErrorKind::ZeroDivisionError, 2, 4, "division by zero"},
      {"{}[0]", ErrorKind::KeyError, 1, 3, "0"},
      {"{'a': 1}['b']", ErrorKind::KeyError, 1, 9, "'b'"},
      {"[1][5]", ErrorKind::IndexError, 1, 4, "list index out of range"},
      {"'abc'[10]", ErrorKind::IndexError, 1, 6, "string index out of range"},
      {"int('x')", ErrorKind::ValueError, 1, 1, "invalid literal for int() with base 10: 'x'"},
      {"float('abc')", ErrorKind::ValueError, 1, 1, "could not convert string to float: 'abc'"},
      {"'abc'.foo()", ErrorKind::AttributeError, 1, 7, "'str' object has no attribute 'foo'"},
      {"(1).foo", ErrorKind::AttributeError, 1, 5, "'int' object has no attribute 'foo'"},
      {"().__class__", ErrorKind::AttributeError, 1, 4,
       "'tuple' object has no attribute '__class__'"},
      {"None + 1", ErrorKind::TypeError, 1, 6,
       "unsupported operand type(s) for +: 'NoneType' and 'int'"},
      {"1 < 'a'", ErrorKind::TypeError, 1, 3,
       "'<' not supported between instances of 'int' and 'str'"},
      {"-'a'", ErrorKind::TypeError, 1, 1, "bad operand type for unary -: 'str'"},
      {"len(5)", ErrorKind::TypeError, 1, 1, "object of type 'int' has no len()"},
      {"max()", ErrorKind::TypeError, 1, 1, "max expected at least 1 argument, got 0"},
      {"max([])", ErrorKind::ValueError, 1, 1, "max() arg is an empty sequence"},
      {"2.0 ** 10000", ErrorKind::OverflowError, 1, 5, nullptr},
      {"int(float('inf'))", ErrorKind::OverflowError, 1, 1,
       "cannot convert float infinity to integer"},
      {"chr(-1)", ErrorKind::ValueError, 1, 1, "chr() arg not in range(0x110000)"},
      {"sorted([1, 'a'])", ErrorKind::TypeError, 1, 1,
       "'<' not supported between instances of 'str' and 'int'"},
      {"{[1]: 2}", ErrorKind::TypeError, 1, 1, "unhashable type: 'list'"},
      {"[1, 2, 3].index(4)", ErrorKind::ValueError, 1, 11, "4 is not in list"},
      {"'%d' % 'a'", ErrorKind::TypeError, 1, 6, "%d format: a real number is required, not str"},
      {"'%s %s' % ('a',)", ErrorKind::TypeError, 1, 9, "not enough arguments for format string"},
      {"'{'.format(1)", ErrorKind::ValueError, 1, 5, "Single '{' encountered in format string"},
      {"'{0}'.format()", ErrorKind::IndexError, 1, 7,
       "Replacement index 0 out of range for positional args tuple"},
      {"[x for x in 5]", ErrorKind::TypeError, 1, 1, "'int' object is not iterable"},
      {"[a for a, b in [(1, 2, 3)]]", ErrorKind::ValueError, 1, 1,
       "too many values to unpack (expected 2)"},
      {"(1, 2)[0](3)", ErrorKind::TypeError, 1, 7, "'int' object is not callable"},
      {"10 ** 5000 > 0 and str(10 ** 5000)", ErrorKind::ValueError, 1, 20, nullptr},
      {"'x' * 10**8", ErrorKind::MemoryError, 1, 5,
       "a repeated str exceeds the sandbox limit of 64 MiB"},
      {"sum(range(10**9))", ErrorKind::TimeoutError, 1, 1, nullptr},
      {"2 ** 2 ** 2 ** 2 ** 2 ** 2", ErrorKind::MemoryError, 1, 3, nullptr},
  };
  for (const auto& row : rows) {
    try {
      hparams::Value v = hparams::evaluate(row.input);
      ADD_FAILURE() << row.input << " gave " << v.repr();
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind_name(), hparams::kind_name(row.kind)) << row.input << ": " << e.what();
      EXPECT_EQ(e.location().line, row.line) << row.input << ": " << e.what();
      EXPECT_EQ(e.location().column, row.column) << row.input << ": " << e.what();
      if (row.message != nullptr) EXPECT_EQ(e.message(), row.message) << row.input;
    }
  }
}

TEST(Errors, WhatAndReportFormat) {
  try {
    hparams::evaluate("[1, 2] + 'x'");
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_STREQ(e.what(),
                 "<value>:1:8: error: TypeError: can only concatenate list (not \"str\") to list");
    auto located = e.relocated({"hparams.cfg", 12, 11}, 5, "train.sizes");
    EXPECT_STREQ(located.what(),
                 "hparams.cfg:12:18: error: TypeError in train.sizes: can only concatenate "
                 "list (not \"str\") to list");
    EXPECT_EQ(located.report("sizes   = [1, 2] + 'x'"), std::string(located.what()) +
                                                            "\n    sizes   = [1, 2] + 'x'\n" +
                                                            "                     ^\n");
  }
}

TEST(Errors, RelocationOfContinuationLines) {
  // A value on line 3 of a file, continued on line 4 (continuation lines start at column 5).
  try {
    hparams::evaluate("[1,\n 1/0]");
    FAIL();
  } catch (const hparams::Error& e) {
    auto located = e.relocated({"f.cfg", 3, 10}, 5, "model.x");
    EXPECT_EQ(located.location().line, 4);
    EXPECT_EQ(located.location().column, 7);
  }
}

TEST(Errors, RawTextFallbackIsNotAnError) {
  for (const char* text : {"adam", "data/train", "x if True else 1", "lr * 2", "np.float32",
                           "[adam, sgd]", "float", "max", "__import__('os')", "'a b'.split",
                           "True and undefined_name or 1", "reversed([1])"}) {
    auto result = hparams::evaluate_detailed(text);
    EXPECT_TRUE(result.raw_text) << text;
    EXPECT_EQ(result.value.as_str(), text);
  }
  EXPECT_FALSE(hparams::evaluate_detailed("1 if True else adam").raw_text);
  EXPECT_FALSE(hparams::evaluate_detailed("False and adam").raw_text);
}

}  // namespace

// An uncaught ErrorList shows every error: what() holds each one's report (the header's promise).
TEST(Errors, ErrorListWhatListsEveryError) {
  try {
    hparams::Config::parse("[a]\nx = 1/0\ny = [1,\nz = 'a' + 1\n", "f.cfg");
    FAIL();
  } catch (const hparams::ErrorList& e) {
    ASSERT_EQ(e.errors().size(), 3u);
    std::string what = e.what();
    for (const auto& one : e.errors()) {
      EXPECT_NE(what.find(one.what()), std::string::npos) << one.what() << "\nnot in\n" << what;
    }
    EXPECT_EQ(what + "\n", e.reports());
    EXPECT_EQ(e.kind(), hparams::ErrorKind::ZeroDivisionError);  // the first one's
    EXPECT_EQ(e.key(), "a.x");
  }
}
