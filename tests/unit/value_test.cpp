// The public Value API: construction from C++, typed accessors and their errors, equality and
// hashing consistent with Python, dict and set behaviour.
#include "hparams/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

#include "hparams/eval.hpp"

namespace {

using hparams::Kind;
using hparams::Value;

TEST(Value, ConstructionAndRepr) {
  struct Row {
    Value value;
    const char* repr;
  };
  const Row rows[] = {
      {Value(), "None"},
      {Value(true), "True"},
      {Value(42), "42"},
      {Value(-7LL), "-7"},
      {Value(18446744073709551615ULL), "18446744073709551615"},
      {Value(0.1), "0.1"},
      {Value(1e16), "1e+16"},
      {Value(-0.0), "-0.0"},
      {Value("it's"), "\"it's\""},
      {Value("片仮名"), "'片仮名'"},
      {Value::list({1, "a", Value()}), "[1, 'a', None]"},
      {Value::tuple({1}), "(1,)"},
      {Value::tuple({}), "()"},
      {Value::dict({{"a", 1}, {"b", Value::list({})}}), "{'a': 1, 'b': []}"},
      {Value::dict({{1, "x"}, {1.0, "y"}, {true, "z"}}), "{1: 'z'}"},
      {Value::set({3, 1, 2, 1}), "{1, 2, 3}"},
      {Value::set({}), "set()"},
      {Value::int_from_string("-123456789012345678901234567890"),
       "-123456789012345678901234567890"},
  };
  for (const auto& row : rows) EXPECT_EQ(row.value.repr(), row.repr);
}

TEST(Value, KindsAndTypeNames) {
  EXPECT_EQ(Value(true).kind(), Kind::Bool);
  EXPECT_EQ(Value(1).kind(), Kind::Int);
  EXPECT_EQ(Value::int_from_string("99999999999999999999").kind(), Kind::Int);
  EXPECT_EQ(Value(1.5).type_name(), "float");
  EXPECT_EQ(Value().type_name(), "NoneType");
  EXPECT_EQ(hparams::evaluate("range(3)").kind(), Kind::Range);
  EXPECT_TRUE(Value(1).is_int());
  EXPECT_FALSE(Value(true).is_int());  // bool is kept apart for typed access
}

TEST(Value, TypedAccessorsAreExact) {
  EXPECT_EQ(Value(5).as_int64(), 5);
  EXPECT_DOUBLE_EQ(Value(5).as_double(), 5.0);
  EXPECT_DOUBLE_EQ(Value(2.5).as_double(), 2.5);
  EXPECT_TRUE(Value(true).as_bool());
  EXPECT_EQ(Value("x").as_str(), "x");
  EXPECT_THROW(Value(2.5).as_int64(), hparams::Error);
  EXPECT_THROW(Value(true).as_int64(), hparams::Error);
  EXPECT_THROW(Value(1).as_bool(), hparams::Error);
  EXPECT_THROW(Value(1).as_str(), hparams::Error);
  EXPECT_THROW(Value("1").as_double(), hparams::Error);
  try {
    Value::int_from_string("18446744073709551616").as_int64();
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), hparams::ErrorKind::OverflowError);
  }
  // A big int converts to the correctly rounded double (2**64 + 1 rounds to 2**64).
  EXPECT_EQ(Value::int_from_string("18446744073709551617").as_double(), 18446744073709551616.0);
  EXPECT_THROW(Value("\xff").as_str(), hparams::Error);
}

TEST(Value, ContainersAccess) {
  Value v = hparams::evaluate("{'a': [1, 2], 'b': (3,)}");
  ASSERT_TRUE(v.is_dict());
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v.entries()[0].first.as_str(), "a");
  const Value* b = v.find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->items()[0].as_int64(), 3);
  EXPECT_EQ(v.find("zzz"), nullptr);
  EXPECT_THROW(v.find(Value::list({})), hparams::Error);  // unhashable key
  EXPECT_EQ(hparams::evaluate("'片仮名'").size(), 3u);
  auto s = hparams::evaluate("{3, 1, 2}").set_items();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].as_int64(), 1);
}

TEST(Value, EqualityFollowsPython) {
  EXPECT_EQ(Value(1), Value(1.0));
  EXPECT_EQ(Value(1), Value(true));
  EXPECT_NE(Value::list({1}), Value::tuple({1}));
  EXPECT_EQ(Value::list({1, 2}), hparams::evaluate("[1, 2.0]"));
  EXPECT_NE(Value(std::nan("")), Value(std::nan("")));
  EXPECT_EQ(Value::int_from_string("9007199254740993"), Value(9007199254740993LL));
  EXPECT_NE(Value::int_from_string("9007199254740993"), Value(9007199254740992.0));
  EXPECT_EQ(hparams::evaluate("{1: 'a'}"), hparams::evaluate("{1.0: 'a'}"));
  EXPECT_EQ(hparams::evaluate("{1, 2}"), hparams::evaluate("{2, 1}"));
}

TEST(Value, TruthAndStr) {
  EXPECT_FALSE(Value().truthy());
  EXPECT_FALSE(Value(0.0).truthy());
  EXPECT_FALSE(Value("").truthy());
  EXPECT_TRUE(Value::list({Value()}).truthy());
  EXPECT_EQ(Value("a'b").str(), "a'b");
  EXPECT_EQ(Value(1e-5).str(), "1e-05");
}

TEST(Value, SharedAcrossThreads) {
  // Values are immutable and reference counts atomic: copying from many threads is safe.
  Value shared = hparams::evaluate("[[i] * 3 for i in range(100)]");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        Value copy = shared;
        Value inner = copy.items()[static_cast<std::size_t>(i % 100)];
        EXPECT_EQ(inner.items()[0].as_int64(), i % 100);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(shared.size(), 100u);
}

TEST(Value, EvaluationIsThreadSafe) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < 500; ++i) {
        auto v = hparams::evaluate("[2 ** i for i in range(" + std::to_string(t + 1) + ")]");
        EXPECT_EQ(v.size(), static_cast<std::size_t>(t + 1));
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace
