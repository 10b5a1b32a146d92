// Config: evaluation at load with every error reported, lookups, and exact typed access with
// every error path.
#include "hparams/config.hpp"

#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace {

using hparams::Config;
using hparams::ErrorKind;

const char* const kText =
    "[DEFAULT]\n"
    "dropout = 0.1\n"
    "[run]\n"
    "name = 1/2\n"
    "seed = 420\n"
    "[model]\n"
    "up_strides = [1] * 3 + [2]\n"
    "kernel = (3, 3)\n"
    "widths = {'a': 1, 'b': 2}\n"
    "ids = {3: 'x', 4: 'y'}\n"
    "tags = {'x', 'y'}\n"
    "act = relu\n"
    "maybe = None\n"
    "big = 2 ** 70\n"
    "flag = True\n"
    "ratio = 0.5\n"
    "mixed = [1, 'x']\n"
    "[Data-Set]\n"
    "Path = 'data/train'\n"
    "[opt]\n"
    "lr = 3e-4\n"
    "seed = 7\n";

Config config() { return Config::parse(kText, "h.cfg"); }

TEST(Config, EvaluatesEveryValueAndKeepsNameRaw) {
  auto c = config();
  EXPECT_EQ(c.at("run.name").as_str(), "1/2");
  EXPECT_EQ(c.at("model.up_strides").repr(), "[1, 1, 1, 2]");
  EXPECT_EQ(c.at("model.act").as_str(), "relu");
  EXPECT_EQ(c.sections(), (std::vector<std::string>{"run", "model", "Data-Set", "opt"}));
  EXPECT_EQ(c.keys("run"), (std::vector<std::string>{"name", "seed", "dropout"}));
  EXPECT_EQ(c.raw("model.up_strides"), "[1] * 3 + [2]");
}

TEST(Config, Lookups) {
  auto c = config();
  EXPECT_EQ(c.get<double>("dropout"), 0.1);                      // DEFAULT
  EXPECT_EQ(c.get<double>("model.dropout"), 0.1);                // inherited
  EXPECT_EQ(c.get<double>("lr"), 3e-4);                          // the one section that has it
  EXPECT_EQ(c.get<std::string>("data_set.path"), "data/train");  // normalised names
  EXPECT_EQ(c.get<std::string>("Data-Set", "PATH"), "data/train");
  EXPECT_EQ(c.find("nope"), nullptr);
  EXPECT_EQ(c.get_or<int>("train.epochs", 10), 10);
  try {
    c.get<int>("seed");  // run.seed and opt.seed
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::LookupError);
    EXPECT_NE(std::string(e.what()).find("run.seed, opt.seed"), std::string::npos) << e.what();
  }
  try {
    c.get<int>("run.sed");
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::LookupError);
    EXPECT_NE(e.message().find("did you mean 'run.seed'?"), std::string::npos) << e.message();
  }
  auto section = c.at("model");  // a section alone is a dict
  EXPECT_TRUE(section.is_dict());
  EXPECT_EQ(c.to_dict().size(), 4u);
}

TEST(Config, TypedAccess) {
  auto c = config();
  EXPECT_EQ(c.get<int>("run.seed"), 420);
  EXPECT_EQ(c.get<std::int16_t>("run.seed"), 420);
  EXPECT_EQ(c.get<unsigned>("run.seed"), 420u);
  EXPECT_EQ(c.get<double>("run.seed"), 420.0);  // an int reads as a float
  EXPECT_EQ(c.get<bool>("model.flag"), true);
  EXPECT_EQ(c.get<std::vector<int>>("model.up_strides"), (std::vector<int>{1, 1, 1, 2}));
  EXPECT_EQ((c.get<std::array<int, 2>>("model.kernel")), (std::array<int, 2>{3, 3}));
  EXPECT_EQ((c.get<std::pair<int, int>>("model.kernel")), (std::pair<int, int>{3, 3}));
  EXPECT_EQ((c.get<std::tuple<int, int>>("model.kernel")), (std::tuple<int, int>{3, 3}));
  EXPECT_EQ((c.get<std::map<std::string, int>>("model.widths")),
            (std::map<std::string, int>{{"a", 1}, {"b", 2}}));
  EXPECT_EQ((c.get<std::unordered_map<int, std::string>>("model.ids")).at(4), "y");
  EXPECT_EQ(c.get<std::set<std::string>>("model.tags"), (std::set<std::string>{"x", "y"}));
  EXPECT_EQ(c.get<std::optional<int>>("model.maybe"), std::nullopt);
  EXPECT_EQ(c.get<std::optional<int>>("run.seed"), 420);
  EXPECT_EQ(c.get<hparams::Value>("model.big").repr(), "1180591620717411303424");
}

TEST(Config, TypedAccessErrorsNameTheElementAndThePlace) {
  auto c = config();
  struct Row {
    std::function<void()> call;
    ErrorKind kind;
    const char* message;
    int line;
  };
  const Row rows[] = {
      {[&] { c.get<int>("opt.lr"); }, ErrorKind::TypeError,
       "opt.lr: expected int, got float 0.0003", 21},
      {[&] { c.get<int>("model.flag"); }, ErrorKind::TypeError,
       "model.flag: expected int, got bool True", 15},
      {[&] { c.get<bool>("run.seed"); }, ErrorKind::TypeError,
       "run.seed: expected bool, got int 420", 5},
      {[&] { c.get<std::int8_t>("run.seed"); }, ErrorKind::OverflowError,
       "run.seed: 420 does not fit an integer of this size", 5},
      {[&] { c.get<std::int64_t>("model.big"); }, ErrorKind::OverflowError,
       "model.big: 1180591620717411303424 does not fit a 64-bit integer", 14},
      {[&] { c.get<std::vector<int>>("model.mixed"); }, ErrorKind::TypeError,
       "model.mixed[1]: expected int, got str 'x'", 17},
      {[&] { c.get<std::array<int, 3>>("model.kernel"); }, ErrorKind::IndexError,
       "model.kernel: expected 3 elements, got 2", 8},
      {[&] { c.get<std::string>("model.ratio"); }, ErrorKind::TypeError,
       "model.ratio: expected str, got float 0.5", 16},
      {[&] { c.get<std::map<int, int>>("model.widths"); }, ErrorKind::TypeError,
       "model.widths['a']: expected int, got str 'a'", 9},
      {[&] { c.get<double>("model.act"); }, ErrorKind::TypeError,
       "model.act: expected float, got str 'relu'", 12},
  };
  for (const auto& row : rows) {
    try {
      row.call();
      ADD_FAILURE() << row.message;
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), row.kind) << e.what();
      EXPECT_EQ(e.message(), row.message);
      EXPECT_EQ(e.location().file, "h.cfg");
      EXPECT_EQ(e.location().line, row.line) << row.message;
    }
  }
}

struct Model {
  int depth = 0;
  std::vector<int> strides;
  std::string act;
};
void hparams_from_value(const hparams::Field& f, Model& m) {
  m.depth = f.get_or<int>("depth", 12);
  m.strides = f.get<std::vector<int>>("up_strides");
  m.act = f.get<std::string>("act");
}

TEST(Config, UserTypesThroughTheAdlHook) {
  auto c = config();
  Model m = c.get<Model>("model");
  EXPECT_EQ(m.depth, 12);
  EXPECT_EQ(m.strides.size(), 4u);
  EXPECT_EQ(m.act, "relu");
  try {
    c.get<Model>("opt");
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.message(), "opt: no key 'up_strides'");
  }
}

TEST(Config, EveryBadValueIsReportedAtOnce) {
  try {
    Config::parse("[a]\nx = 1 +\ny = 2\nz = 'a' + 1\n[b]\nw = [1,\n  1/0]\n", "bad.cfg");
    FAIL();
  } catch (const hparams::ErrorList& e) {
    ASSERT_EQ(e.errors().size(), 3u);
    EXPECT_EQ(e.errors()[0].kind(), ErrorKind::SyntaxError);
    EXPECT_EQ(e.errors()[0].key(), "a.x");
    EXPECT_EQ(e.errors()[0].location().line, 2);
    EXPECT_EQ(e.errors()[0].location().column, 8);  // the end of "1 +", as CPython reports
    EXPECT_EQ(e.errors()[1].kind(), ErrorKind::TypeError);
    EXPECT_EQ(e.errors()[1].key(), "a.z");
    EXPECT_EQ(e.errors()[1].location().column, 9);
    EXPECT_EQ(e.errors()[2].kind(), ErrorKind::ZeroDivisionError);
    EXPECT_EQ(e.errors()[2].key(), "b.w");
    EXPECT_EQ(e.errors()[2].location().line, 7);
    EXPECT_EQ(e.errors()[2].location().column, 4);
    EXPECT_NE(e.reports().find("bad.cfg:7:4: error: ZeroDivisionError in b.w: division by zero\n"
                               "      1/0]\n       ^\n"),
              std::string::npos)
        << e.reports();
  }
}

TEST(Config, ConcurrentReads) {
  auto c = config();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        EXPECT_EQ(c.get<int>("run.seed"), 420);
        EXPECT_EQ(c.get<std::vector<int>>("model.up_strides").size(), 4u);
        EXPECT_TRUE(c.at("model").is_dict());
      }
    });
  }
  for (auto& th : threads) th.join();
}

TEST(Config, MissingFileIsAnIOError) {
  try {
    Config::load("/nonexistent/hparams.cfg");
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::IOError);
    EXPECT_NE(e.message().find("/nonexistent/hparams.cfg"), std::string::npos);
  }
}

// The original evaluates a [DEFAULT] value only through the sections that inherit it.
TEST(Config, DefaultValuesCountWhereTheyAreInherited) {
  // Every section overrides the bad default: the file loads; reading the default throws.
  Config c = Config::parse("[DEFAULT]\nroot = /home/x\n\n[a]\nroot = 1\n", "d.cfg");
  EXPECT_EQ(c.get<int>("a.root"), 1);
  ASSERT_EQ(c.warnings().size(), 1u);
  EXPECT_EQ(c.warnings()[0].key(), "DEFAULT.root");
  EXPECT_THROW(c.find("DEFAULT", "root"), hparams::Error);
  // No section at all: the same.
  EXPECT_EQ(Config::parse("[DEFAULT]\nroot = /home/x\n").warnings().size(), 1u);
  // Inherited: an error of each inheriting section, placed at the [DEFAULT] line.
  try {
    Config::parse("[DEFAULT]\nroot = /home/x\n\n[a]\nroot = 1\n[b]\nx = 1\n[c]\ny = 2\n", "d.cfg");
    FAIL();
  } catch (const hparams::ErrorList& e) {
    ASSERT_EQ(e.errors().size(), 2u);
    EXPECT_EQ(e.errors()[0].key(), "b.root");
    EXPECT_EQ(e.errors()[1].key(), "c.root");
    EXPECT_EQ(e.errors()[0].location().line, 2);
    EXPECT_NE(e.reports().find("d.cfg:2:8: error: SyntaxError in b.root: invalid syntax"),
              std::string::npos)
        << e.reports();
  }
}

TEST(Config, LintFlagsValuesThatSilentlyBecameText) {
  const char* text =
      "[a]\n"
      "flag = true\n"              // did you mean True?
      "nothing = null\n"           // did you mean None?
      "act = nn.ReLU\n"            // a dotted name
      "train = root + '/train'\n"  // an expression over unknown names
      "batch = 256,\n"             // a tuple by a trailing comma
      "path = data/train\n"        // path-like text: meant
      "opt = adam\n"               // a bare word: meant
      "pair = 1, 2\n"              // a tuple without a trailing comma: meant
      "name = true\n";             // `name` is always text
  Config c = Config::parse(text, "l.cfg");
  std::vector<std::string> keys;
  for (const hparams::Error& e : c.lint()) keys.push_back(e.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"a.flag", "a.nothing", "a.act", "a.train", "a.batch"}));
  hparams::LoadOptions strict;
  strict.strict = true;
  try {
    Config::parse(text, "l.cfg", strict);
    FAIL();
  } catch (const hparams::ErrorList& e) {
    EXPECT_EQ(e.errors().size(), 5u);
    EXPECT_NE(e.reports().find("l.cfg:2:8: error: ConfigError in a.flag: the value became the "
                               "text 'true': did you mean True?"),
              std::string::npos)
        << e.reports();
  }
}

TEST(Config, UnquotedPathsGetAHint) {
  try {
    Config::parse("[data]\nroot = /datasets/cifar10\n", "p.cfg");
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid syntax; quote text: '/datasets/cifar10'"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
