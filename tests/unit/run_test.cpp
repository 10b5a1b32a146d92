// Runs in one process: new run and resume, overrides, the seed's DEFAULT bug, resume policy,
// run name validation, the registry, rank waiting. Processes are in run_process_test.cpp.
#include "hparams/run.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;
using hparams::ErrorKind;
using hparams::HParams;
using hparams::RunOptions;

using hparams_test::read;
using hparams_test::write;

// A fresh project directory per test.
class Run : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("hparams-run-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunOptions options(std::vector<std::string> overrides = {}) {
    RunOptions o;
    o.messages = &messages_;
    o.rank = 0;
    for (const auto& text : overrides) o.overrides.push_back(hparams::parse_override(text));
    return o;
  }
  HParams open(std::vector<std::string> overrides = {}) {
    return HParams::open(dir_, options(std::move(overrides)));
  }

  fs::path dir_;
  std::ostringstream messages_;
};

const char* const kCfg =
    "# a comment that the saved copy keeps\n"
    "[DEFAULT]\n"
    "dropout = 0.1\n"
    "\n"
    "[run]\n"
    "name = demo\n"
    "seed = 42\n"
    "\n"
    "[train]\n"
    "lr = 3e-4\n"
    "dropout = 0.3\n"
    "optimizer = adam\n"
    "\n"
    "[model]\n"
    "dims = [64, 64]\n"
    "  ; a comment in the section\n";

TEST_F(Run, NewRunThenResume) {
  write(dir_ / "hparams.cfg", kCfg);
  {
    HParams run = open();
    EXPECT_TRUE(run.is_new_run());
    EXPECT_EQ(run.run_name(), "demo");
    EXPECT_EQ(run.log_dir(), dir_ / "logs-demo");
    EXPECT_EQ(run.saved_file(), dir_ / "logs-demo" / "hparams-demo.cfg");
    EXPECT_EQ(run.get<double>("train.lr"), 3e-4);
    EXPECT_EQ(run.get<std::string>("train.optimizer"), "adam");
  }
  std::string saved = (dir_ / "logs-demo" / "hparams-demo.cfg").string();
  EXPECT_EQ(messages_.str(),
            "No existing config found. New run config file saved in " + saved + "\n");
  EXPECT_EQ(read(dir_ / "logs-demo" / "hparams-demo.cfg"), kCfg);  // byte for byte

  messages_.str("");
  HParams again = open();
  EXPECT_FALSE(again.is_new_run());
  EXPECT_TRUE(again.differences().empty());
  EXPECT_EQ(messages_.str(),
            "Found existing " + saved + "! Resuming run using primary parameters!\n");
  EXPECT_EQ(again.get<std::vector<int>>("model.dims"), (std::vector<int>{64, 64}));
  // No temporary file is left behind: the copy, its values as JSON, the history of launches,
  // the lock file and rank 0's record of this launch.
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(dir_ / "logs-demo")) {
    files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{".hparams-launch", ".hparams.lock", "hparams-demo.cfg",
                                             "hparams-demo.json", "hparams-history.log"}));
  auto history = hparams::read_history(again.history_file());
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].event, "created");
  EXPECT_EQ(history[1].event, "resumed");
}

// A resumed run's values are the saved copy's, and so are the places its errors name: whether
// the saved copy equals the cfg byte for byte (its loaded values are taken over), the cfg was
// edited since, or a [DEFAULT] value that no section inherits left a warning.
TEST_F(Run, ResumedErrorsNameTheSavedCopy) {
  const std::string edited = std::string(kCfg) + "extra = 1\n";
  // Every section overrides the bad [DEFAULT] value, so it is a warning, not an error.
  const std::string warned =
      "[DEFAULT]\nbad = /no/such\n[run]\nname = demo\nbad = 1\n[train]\noptimizer = adam\nbad = "
      "1\n";
  for (const std::string& later : {std::string(kCfg), edited, warned}) {
    fs::remove_all(dir_ / "logs-demo");
    write(dir_ / "hparams.cfg", later == warned ? warned : kCfg);
    open();  // the first launch saves the copy
    write(dir_ / "hparams.cfg", later);
    HParams again = open();
    const std::string saved = (dir_ / "logs-demo" / "hparams-demo.cfg").string();
    EXPECT_FALSE(again.is_new_run());
    EXPECT_EQ(again.config().file(), saved);
    EXPECT_EQ(again.config().warnings().empty(), later != warned);
    EXPECT_EQ(again.config().find("model", "extra"), nullptr);  // the saved copy's keys
    try {
      again.get<int>("train.optimizer");
      ADD_FAILURE() << "a str read as an int";
    } catch (const hparams::Error& e) {
      const int line = again.config().document().find("train", "optimizer")->value_line;
      EXPECT_EQ(e.location().file, saved);
      EXPECT_EQ(e.location().line, line);
      EXPECT_NE(std::string(e.what()).find(saved + ":" + std::to_string(line) + ":"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST_F(Run, ResumeUsesTheSavedCopyAndReportsWhatDiffers) {
  write(dir_ / "hparams.cfg", kCfg);
  open();
  std::string edited = kCfg;
  edited.replace(edited.find("lr = 3e-4"), 9, "lr = 1e-3");
  edited += "extra = 1\n";
  write(dir_ / "hparams.cfg", edited);
  messages_.str("");
  HParams run = open();
  EXPECT_EQ(run.get<double>("train.lr"), 3e-4);  // the saved copy wins, as in the seed
  ASSERT_EQ(run.differences().size(), 2u);
  EXPECT_EQ(run.differences()[0].key, "train.lr");
  EXPECT_EQ(*run.differences()[0].first, "0.001");
  EXPECT_EQ(*run.differences()[0].second, "0.0003");
  EXPECT_EQ(run.differences()[1].key, "model.extra");
  EXPECT_FALSE(run.differences()[1].second.has_value());
  EXPECT_NE(messages_.str().find("  train.lr: hparams.cfg has 0.001, the saved copy has 0.0003\n"),
            std::string::npos)
      << messages_.str();
  EXPECT_NE(messages_.str().find("  model.extra: only in hparams.cfg (1)\n"), std::string::npos);

  // Strict resuming refuses to start, by option or by `resume = strict` in the file.
  RunOptions strict = options();
  strict.resume = hparams::ResumePolicy::Strict;
  try {
    HParams::open(dir_, strict);
    FAIL() << "strict resume started";
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::ConfigError);
    EXPECT_NE(std::string(e.message()).find("train.lr"), std::string::npos);
  }
  edited.replace(edited.find("seed = 42"), 9, "seed = 42\nresume = strict");
  write(dir_ / "hparams.cfg", edited);
  EXPECT_THROW(open(), hparams::Error);
  // A type change is a change: 1 and 1.0 are equal in Python but not the same setting.
  write(dir_ / "hparams.cfg", std::string(kCfg) + "w = 1\n");
  fs::remove_all(dir_ / "logs-demo");
  open();
  write(dir_ / "hparams.cfg", std::string(kCfg) + "w = 1.0\n");
  EXPECT_EQ(open().differences().size(), 1u);
  write(dir_ / "hparams.cfg", std::string(kCfg) + "w = float('nan')\n");
  fs::remove_all(dir_ / "logs-demo");
  open();
  EXPECT_TRUE(open().differences().empty());  // nan is nan here
}

TEST_F(Run, OverridesGoIntoTheNewRunsCopyInPlace) {
  write(dir_ / "hparams.cfg", kCfg);
  HParams run =
      open({"train.lr=1e-3", "--model.dims=[32, 32]", "~~run.seed = 7", "model.dropout=0.5"});
  EXPECT_EQ(run.get<double>("train.lr"), 1e-3);
  EXPECT_EQ(run.get<int>("run.seed"), 7);
  // model inherited dropout from DEFAULT: the override gives [model] its own key; the other
  // sections keep the default.
  EXPECT_EQ(run.get<double>("model.dropout"), 0.5);
  EXPECT_EQ(run.get<double>("run.dropout"), 0.1);
  EXPECT_EQ(run.get<double>("train.dropout"), 0.3);
  ASSERT_EQ(run.overrides().size(), 4u);
  EXPECT_TRUE(run.overrides()[3].added);
  // The rest of the file is untouched; the added key follows the section's last entry.
  const char* expected =
      "# a comment that the saved copy keeps\n"
      "[DEFAULT]\n"
      "dropout = 0.1\n"
      "\n"
      "[run]\n"
      "name = demo\n"
      "seed = 7\n"
      "\n"
      "[train]\n"
      "lr = 1e-3\n"
      "dropout = 0.3\n"
      "optimizer = adam\n"
      "\n"
      "[model]\n"
      "dims = [32, 32]\n"
      "dropout = 0.5\n"
      "  ; a comment in the section\n";
  EXPECT_EQ(read(run.saved_file()), expected);
  EXPECT_EQ(read(dir_ / "hparams.cfg"), kCfg);  // the user's file is never written
}

// The seed's saved copy dropped a section's override of a [DEFAULT] key, so a resumed run
// silently used the default. Both ways of overriding must survive save and resume.
TEST_F(Run, SectionOverrideOfADefaultKeySurvivesResume) {
  write(dir_ / "hparams.cfg", kCfg);
  open({"model.dropout=0.5"});
  HParams resumed = open();
  EXPECT_FALSE(resumed.is_new_run());
  EXPECT_EQ(resumed.get<double>("train.dropout"), 0.3);  // written in the file
  EXPECT_EQ(resumed.get<double>("model.dropout"), 0.5);  // given as an override
  EXPECT_EQ(resumed.get<double>("run.dropout"), 0.1);    // the default
}

TEST_F(Run, OverrideKeysFollowLookupRules) {
  write(dir_ / "hparams.cfg", kCfg);
  // DEFAULT.key changes the default everywhere it is not overridden.
  HParams a = open({"DEFAULT.dropout=0.2"});
  EXPECT_EQ(a.get<double>("run.dropout"), 0.2);
  EXPECT_EQ(a.get<double>("train.dropout"), 0.3);
  fs::remove_all(dir_ / "logs-demo");
  // An unqualified key: DEFAULT's, or the one section that has it.
  HParams b = open({"dropout=0.25", "optimizer=sgd", "TRAIN.LR=0.5"});
  EXPECT_EQ(b.get<double>("model.dropout"), 0.25);
  EXPECT_EQ(b.get<std::string>("train.optimizer"), "sgd");
  EXPECT_EQ(b.get<double>("train.lr"), 0.5);
  fs::remove_all(dir_ / "logs-demo");
  // The last of two overrides of one key wins.
  EXPECT_EQ(open({"train.lr=1", "train.lr=2"}).get<int>("train.lr"), 2);
}

TEST_F(Run, OverrideValuesAreValueLanguageText) {
  write(dir_ / "hparams.cfg", std::string(kCfg) + "expr = 0\ntext = ''\n");
  HParams run = open({"model.expr=dict(a=1, b=2)", "model.text='a = b, c'",
                      "model.dims=[2 ** i for i in range(3)]", "train.optimizer=sgd"});
  EXPECT_EQ(run["model.expr"].repr(), "{'a': 1, 'b': 2}");
  EXPECT_EQ(run.get<std::string>("model.text"), "a = b, c");
  EXPECT_EQ(run.get<std::vector<int>>("model.dims"), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(run.get<std::string>("train.optimizer"), "sgd");
  EXPECT_NE(read(run.saved_file()).find("expr = dict(a=1, b=2)\n"), std::string::npos);
}

TEST_F(Run, OverrideErrors) {
  write(dir_ / "hparams.cfg", kCfg);
  struct Case {
    std::string override;
    ErrorKind kind;
    std::string message_part;
  };
  const Case cases[] = {
      {"train.lrr=1", ErrorKind::LookupError, "did you mean 'train.lr'?"},
      {"nosuch.lr=1", ErrorKind::LookupError, "no key 'nosuch.lr'"},
      {"train.lr=1e-", ErrorKind::SyntaxError, "override 'train.lr=1e-'"},
      {"train.lr=[1, 2", ErrorKind::SyntaxError, "train.lr=[1, 2"},
      {"train.lr=1/0", ErrorKind::ZeroDivisionError, "division by zero"},
      {"dims", ErrorKind::ConfigError, "expected section.key=value"},
      {"=3", ErrorKind::ConfigError, "expected section.key=value"},
  };
  for (const Case& c : cases) {
    try {
      open({c.override});
      ADD_FAILURE() << c.override << " was accepted";
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), c.kind) << c.override << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(c.message_part), std::string::npos)
          << c.override << ": " << e.what();
    }
  }
  EXPECT_FALSE(fs::exists(dir_ / "logs-demo" / "hparams-demo.cfg"));  // nothing was saved
}

TEST(Overrides, ParseAndRecognise) {
  struct Case {
    const char* argument;
    bool is_override;
    const char* key;
    const char* value;
  };
  const Case cases[] = {
      {"train.lr=1e-4", true, "train.lr", "1e-4"},
      {"--train.lr=1e-4", true, "train.lr", "1e-4"},
      {"~~train.lr=1e-4", true, "train.lr", "1e-4"},
      {"model.dims=[64, 64]", true, "model.dims", "[64, 64]"},
      {"model.f=dict(a=1)", true, "model.f", "dict(a=1)"},
      {"a.b.c=x", true, "a.b.c", "x"},
      {"run.name=", true, "run.name", ""},
      {"--lr=3", false, "lr", "3"},            // no section: the program's own option
      {"--verbose", false, nullptr, nullptr},  // no '='
      {"data/x.txt=1", false, "data/x.txt", "1"},
      {"-x.y=1", false, "-x.y", "1"},
      {"a b.c=1", false, "a b.c", "1"},
      {".x=1", false, ".x", "1"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(hparams::is_override(c.argument), c.is_override) << c.argument;
    if (c.key == nullptr) continue;
    hparams::Override o = hparams::parse_override(c.argument);
    EXPECT_EQ(o.key, c.key) << c.argument;
    EXPECT_EQ(o.value, c.value) << c.argument;
    EXPECT_EQ(o.argument, c.argument);
  }
  EXPECT_THROW(hparams::parse_override("--verbose"), hparams::Error);
}

TEST(Overrides, TakenOutOfArgvInOrder) {
  std::vector<std::string> storage = {"train",         "--epochs",    "3",
                                      "train.lr=1e-4", "data.csv",    "--model.dims=[1, 2]",
                                      "--lr=2",        "~~run.seed=1"};
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(storage.size());
  auto taken = hparams::take_overrides(argc, argv.data());
  ASSERT_EQ(taken.size(), 3u);
  EXPECT_EQ(taken[0].key, "train.lr");
  EXPECT_EQ(taken[1].value, "[1, 2]");
  EXPECT_EQ(taken[2].key, "run.seed");
  ASSERT_EQ(argc, 5);
  std::vector<std::string> rest(argv.begin(), argv.begin() + argc);
  EXPECT_EQ(rest, (std::vector<std::string>{"train", "--epochs", "3", "data.csv", "--lr=2"}));
  EXPECT_EQ(argv[argc], nullptr);
}

TEST_F(Run, ResumedOverridesApplyToThisLaunchAndAreRecorded) {
  write(dir_ / "hparams.cfg", kCfg);
  open();
  std::string saved_before = read(dir_ / "logs-demo" / "hparams-demo.cfg");
  messages_.str("");
  HParams run = open({"train.lr=5e-5"});
  EXPECT_EQ(run.get<double>("train.lr"), 5e-5);
  EXPECT_TRUE(run.differences().empty());  // the override applies to both sides
  EXPECT_EQ(read(dir_ / "logs-demo" / "hparams-demo.cfg"), saved_before);
  EXPECT_NE(messages_.str().find("Overrides for this launch only"), std::string::npos);
  EXPECT_NE(messages_.str().find("  train.lr = 5e-5\n"), std::string::npos);
  std::string history = read(run.history_file());
  auto launches = hparams::read_history(run.history_file());
  ASSERT_EQ(launches.size(), 2u);
  EXPECT_EQ(launches[1].event, "resumed");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(launches[1].overrides, (Pairs{{"train.lr", "5e-5"}}));
  EXPECT_NE(launches[1].command.find("unit_tests"), std::string::npos);
  EXPECT_EQ(launches[1].time.size(), 20u);  // YYYY-MM-DDTHH:MM:SSZ
  EXPECT_EQ(launches[1].time[19], 'Z');
  open({"train.lr=6e-5"});
  std::string twice = read(run.history_file());
  EXPECT_NE(twice.find("\"train.lr\",\"value\":\"6e-5\""), std::string::npos);
  EXPECT_EQ(twice.find(history), 0u);  // appended, never rewritten
  // An override that changes nothing is not recorded as this launch's change.
  HParams same = open({"train.lr=3e-4"});
  EXPECT_TRUE(same.overrides().empty());
  EXPECT_TRUE(hparams::read_history(run.history_file()).back().overrides.empty());
}

TEST_F(Run, RunNameMustBeOnePathComponent) {
  const char* bad[] = {"", "a/b", "..", "x..y", "a\\b", "../up", "/abs", "\"quoted/\"", nullptr};
  for (const char** name = bad; *name != nullptr; ++name) {
    write(dir_ / "hparams.cfg", std::string("[run]\nname = ") + *name + "\n");
    try {
      open();
      ADD_FAILURE() << "run name '" << *name << "' accepted";
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::ConfigError) << e.what();
      EXPECT_EQ(e.key(), "run.name");
      EXPECT_NE(std::string(e.what()).find("one path component"), std::string::npos) << e.what();
      EXPECT_EQ(e.location().line, 2) << *name;
    }
  }
  write(dir_ / "hparams.cfg", "[run]\nname = " + std::string(241, 'x') + "\n");
  EXPECT_THROW(open(), hparams::Error);
  // Missing: no [run], or no name in it.
  write(dir_ / "hparams.cfg", "[train]\nlr = 1\n");
  try {
    open();
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find("run.name is mandatory (there is no [run] section)"),
              std::string::npos)
        << e.what();
  }
  write(dir_ / "hparams.cfg", "[run]\nseed = 1\n");
  EXPECT_THROW(open(), hparams::Error);
  // Fine: spaces, dots, quotes and unicode stay in the name as written (raw text).
  write(dir_ / "hparams.cfg", "[run]\nname = 'exp 1.2 – β'\n");
  EXPECT_EQ(open().log_dir(), dir_ / "logs-'exp 1.2 – β'");
}

TEST_F(Run, MissingFileNamesThePath) {
  try {
    open();
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::IOError);
    EXPECT_NE(std::string(e.what()).find((dir_ / "hparams.cfg").string()), std::string::npos);
  }
  RunOptions o = options();
  o.filename = "other";
  try {
    HParams::open(dir_, o);
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir_ / "other.cfg").string()), std::string::npos);
  }
}

TEST_F(Run, BadValuesAreAllReportedBeforeAnythingIsSaved) {
  write(dir_ / "hparams.cfg", "[run]\nname = x\na = 1/0\nb = [1,\n");
  try {
    open();
    FAIL();
  } catch (const hparams::ErrorList& e) {
    EXPECT_EQ(e.errors().size(), 2u);
  }
  EXPECT_FALSE(fs::exists(dir_ / "logs-x" / "hparams-x.cfg"));
}

TEST_F(Run, CrlfAndBomFilesAreSavedByteForByte) {
  std::string text = "\xEF\xBB\xBF[run]\r\nname = crlf\r\nlr = 1\r\n[DEFAULT]\r\nk = 2\r\n";
  write(dir_ / "hparams.cfg", text);
  HParams run = open({"run.lr=3", "run.k=4"});
  EXPECT_EQ(read(run.saved_file()),
            "\xEF\xBB\xBF[run]\r\nname = crlf\r\nlr = 3\r\nk = 4\r\n[DEFAULT]\r\nk = 2\r\n");
}

TEST_F(Run, RankOtherThanZeroWaitsForTheCopy) {
  write(dir_ / "hparams.cfg", kCfg);
  RunOptions waiting = options();
  waiting.rank = 1;
  waiting.rank_timeout = std::chrono::milliseconds(150);
  try {
    HParams::open(dir_, waiting);
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::TimeoutError);
    EXPECT_NE(std::string(e.what()).find("rank 1 waited 0.15 s for rank 0's copy"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "logs-demo" / "hparams-demo.cfg"));  // rank 1 never writes
  waiting.rank_timeout = std::chrono::seconds(20);
  std::ostringstream quiet;
  waiting.messages = &quiet;
  std::thread rank1([&] {
    HParams run = HParams::open(dir_, waiting);
    EXPECT_FALSE(run.is_new_run());
    EXPECT_EQ(run.get<double>("train.lr"), 3e-4);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(open().is_new_run());
  rank1.join();
}

TEST(RankEnvironment, FirstSetVariableWins) {
  ::unsetenv("RANK");
  ::unsetenv("SLURM_PROCID");
  ::unsetenv("OMPI_COMM_WORLD_RANK");
  EXPECT_FALSE(hparams::rank_from_environment().has_value());
  ::setenv("OMPI_COMM_WORLD_RANK", "3", 1);
  EXPECT_EQ(hparams::rank_from_environment(), 3);
  ::setenv("SLURM_PROCID", "2", 1);
  EXPECT_EQ(hparams::rank_from_environment(), 2);
  ::setenv("RANK", "0", 1);
  EXPECT_EQ(hparams::rank_from_environment(), 0);
  ::setenv("RANK", "x1", 1);
  EXPECT_THROW(hparams::rank_from_environment(), hparams::Error);
  ::setenv("RANK", "-1", 1);
  EXPECT_THROW(hparams::rank_from_environment(), hparams::Error);
  ::unsetenv("RANK");
  ::unsetenv("SLURM_PROCID");
  ::unsetenv("OMPI_COMM_WORLD_RANK");
}

TEST_F(Run, Registry) {
  write(dir_ / "hparams.cfg", kCfg);
  RunOptions o = options();
  o.name = "registry-a";
  auto a = HParams::create(dir_, o);
  EXPECT_EQ(HParams::get_hparams_by_name("registry-a"), a);
  try {
    HParams::create(dir_, o);
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find("hparams registry-a is being loaded a second time"),
              std::string::npos);
  }
  try {
    HParams::get_hparams_by_name("registry-b");
    FAIL();
  } catch (const hparams::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::LookupError);
    EXPECT_NE(std::string(e.what()).find("registered: registry-a"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(HParams::release("registry-a"));
  EXPECT_FALSE(HParams::release("registry-a"));
  EXPECT_EQ(a->get<int>("run.seed"), 42);  // holders keep the object
  // A failed creation does not keep the name.
  o.name = "registry-c";
  o.overrides = {hparams::parse_override("train.nope=1")};
  EXPECT_THROW(HParams::create(dir_, o), hparams::Error);
  o.overrides.clear();
  EXPECT_NO_THROW(HParams::create(dir_, o));
  EXPECT_TRUE(HParams::release("registry-c"));
}

TEST_F(Run, RegistryFromManyThreads) {
  write(dir_ / "hparams.cfg", kCfg);
  constexpr int kThreads = 16;
  std::atomic<int> created{0}, refused{0}, new_runs{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      RunOptions o;
      o.quiet = true;
      o.rank = 0;
      // Half the threads race for one name, the others each take their own.
      o.name = t % 2 == 0 ? "shared" : "own-" + std::to_string(t);
      try {
        auto hp = HParams::create(dir_, o);
        EXPECT_EQ(HParams::get_hparams_by_name(o.name), hp);
        ++created;
        if (hp->is_new_run()) ++new_runs;
      } catch (const hparams::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::ConfigError) << e.what();
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), kThreads / 2 + 1);
  EXPECT_EQ(refused.load(), kThreads / 2 - 1);
  EXPECT_EQ(new_runs.load(), 1);
  EXPECT_EQ(HParams::names().size(), static_cast<std::size_t>(kThreads / 2 + 1));
  for (const auto& name : HParams::names()) EXPECT_TRUE(HParams::release(name));
  // All of them share one run; exactly one thread created the saved copy.
  EXPECT_EQ(read(dir_ / "logs-demo" / "hparams-demo.cfg"), kCfg);
}

// file:// backup: the copy goes to <dir>/<run.name>/hparams-<run.name>.cfg, and a machine
// without the local copy restores it from there.
TEST_F(Run, FileBackupAndRestore) {
  write(dir_ / "hparams.cfg", kCfg);
  fs::path store = dir_ / "store";
  RunOptions o = options();
  o.backup.uri = "file://" + store.string();
  HParams::open(dir_, o);
  EXPECT_EQ(read(store / "demo" / "hparams-demo.cfg"), kCfg);
  EXPECT_NE(messages_.str().find("Backing up hparams file to file://" + store.string() +
                                 "/demo/hparams-demo.cfg\n"),
            std::string::npos)
      << messages_.str();
  fs::remove_all(dir_ / "logs-demo");
  write(dir_ / "hparams.cfg", std::string(kCfg) + "late = 1\n");
  HParams restored = HParams::open(dir_, o);
  EXPECT_TRUE(restored.is_restored());
  EXPECT_FALSE(restored.is_new_run());
  EXPECT_EQ(read(restored.saved_file()), kCfg);
  ASSERT_EQ(restored.differences().size(), 1u);
  EXPECT_EQ(restored.differences()[0].key, "model.late");
  // A destination that is not a URI is refused before anything happens.
  fs::remove_all(dir_ / "logs-demo");
  o.backup.uri = "bucket/path";
  EXPECT_THROW(HParams::open(dir_, o), hparams::Error);
  EXPECT_FALSE(fs::exists(dir_ / "logs-demo"));
}

// The saved copy is validated on resume: it must be this run's.
TEST_F(Run, ASavedCopyThatIsNotThisRunsIsRefused) {
  write(dir_ / "hparams.cfg", kCfg);
  open();
  const fs::path saved = dir_ / "logs-demo" / "hparams-demo.cfg";
  const struct {
    const char* content;
    const char* expected;
  } rows[] = {
      {"", "it has no [run] section (is it empty?)"},
      {"[train]\nlr = 1\n", "it has no [run] section"},
      {"[run]\nseed = 1\n", "its [run] section has no name"},
      {"[run]\nname = ../../evil\n", "its run.name is '../../evil', not 'demo'"},
      {"[run]\nname = other\n", "its run.name is 'other', not 'demo'"},
  };
  for (const auto& row : rows) {
    write(saved, row.content);
    try {
      open();
      ADD_FAILURE() << row.content;
    } catch (const hparams::Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::ConfigError);
      std::string what = e.what();
      EXPECT_NE(what.find("the saved copy " + saved.string() + " is not this run's"),
                std::string::npos)
          << what;
      EXPECT_NE(what.find(row.expected), std::string::npos) << what;
    }
  }
}

// Files inside the logs directory are never followed through symbolic links.
TEST_F(Run, SymbolicLinksInTheLogsDirectoryAreNotFollowed) {
  write(dir_ / "hparams.cfg", kCfg);
  open();
  const fs::path outside = dir_ / "outside.txt";
  write(outside, "untouched\n");
  const fs::path history = dir_ / "logs-demo" / "hparams-history.log";
  fs::remove(history);
  fs::create_symlink(outside, history);
  EXPECT_THROW(open(), hparams::Error);  // appending the launch to the history refuses
  EXPECT_EQ(read(outside), "untouched\n");
  fs::remove(history);
  // A saved copy that is a link (to a copy elsewhere) is refused too.
  const fs::path saved = dir_ / "logs-demo" / "hparams-demo.cfg";
  write(dir_ / "elsewhere.cfg", kCfg);
  fs::remove(saved);
  fs::create_symlink(dir_ / "elsewhere.cfg", saved);
  try {
    open();
    ADD_FAILURE();
  } catch (const hparams::Error& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
}

// Every run name that passes the check can be saved: the longest derived name, the JSON
// snapshot hparams-<name>.json, takes 13 bytes more, and NAME_MAX is 255.
TEST_F(Run, TheLongestRunNamesAreSaveable) {
  for (std::size_t length : {225u, 236u, 240u}) {
    std::string name(length, 'n');
    write(dir_ / "hparams.cfg", "[run]\nname = " + name + "\n[x]\nv = 1\n");
    HParams run = open();
    EXPECT_TRUE(run.is_new_run()) << length;
    EXPECT_TRUE(fs::exists(run.saved_file())) << length;
    EXPECT_TRUE(fs::exists(run.paths().snapshot)) << length;
  }
  write(dir_ / "hparams.cfg", "[run]\nname = " + std::string(241, 'n') + "\n");
  EXPECT_THROW(open(), hparams::Error);
  EXPECT_FALSE(fs::exists(dir_ / ("logs-" + std::string(241, 'n'))));
}

// A launch that fails after creating the logs directory leaves no empty one behind.
TEST_F(Run, AFailedFirstLaunchLeavesNoLogsDirectory) {
  write(dir_ / "hparams.cfg", "[run]\nname = demo\n");
  RunOptions o = options();
  // The restore finds something it cannot read where the copy would be (a directory); the
  // backup is required, so the launch fails before the copy exists.
  fs::create_directories(dir_ / "store" / "demo" / "hparams-demo.cfg");
  o.backup.uri = "file://" + (dir_ / "store").string();
  EXPECT_THROW(HParams::open(dir_, o), hparams::Error);
  EXPECT_FALSE(fs::exists(dir_ / "logs-demo"));
}

}  // namespace
