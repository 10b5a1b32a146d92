// Runs across processes, through the `hparams run` command (which calls HParams::open):
// many processes starting one new run together, SIGKILL during saves, rank waiting.
// Each test prints a summary line with its counts.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;

using hparams_test::read;
using hparams_test::write;

struct Child {
  pid_t pid = -1;
  fs::path out, err;
};

// Starts `hparams run ARGS...` with stdout and stderr in files. With a gate, the child
// blocks until the gate pipe's write end is closed, so that many start at the same instant.
struct Gate {
  int read = -1, write = -1;
};

Child spawn(const std::vector<std::string>& args, const fs::path& io, Gate gate = {},
            const std::vector<std::string>& env = {}) {
  Child c;
  c.out = io.string() + ".out";
  c.err = io.string() + ".err";
  std::vector<std::string> all = {HPARAMS_CLI, "run"};
  all.insert(all.end(), args.begin(), args.end());
  c.pid = ::fork();
  if (c.pid == 0) {
    if (gate.read >= 0) {
      ::close(gate.write);  // else this child would hold the gate open itself
      char byte;
      while (::read(gate.read, &byte, 1) > 0) {
      }
      ::close(gate.read);
    }
    int out = ::open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return c;
}

int wait_for(const Child& c) {
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int count(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A config of `keys` values in the generated mix of the load benchmark.
std::string generated_config(int keys) {
  std::string text = "# generated\n[run]\nname = proc\nseed = 1\n";
  for (int i = 0; i < keys; ++i) {
    if (i % 50 == 0) text += "\n[section" + std::to_string(i / 50) + "]\n";
    switch (i % 5) {
      case 0:
        text += "k" + std::to_string(i) + " = " + std::to_string(i) + "\n";
        break;
      case 1:
        text += "k" + std::to_string(i) + " = 1e-4\n";
        break;
      case 2:
        text += "k" + std::to_string(i) + " = 'name_" + std::to_string(i) + "'\n";
        break;
      case 3:
        text += "k" + std::to_string(i) + " = [1] * 33 + [2]\n";
        break;
      default:
        text += "k" + std::to_string(i) + " = (1, 2 ** 5)\n";
        break;
    }
  }
  return text;
}

class Processes : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("RANK");
    ::unsetenv("SLURM_PROCID");
    ::unsetenv("OMPI_COMM_WORLD_RANK");
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("hparams-proc-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }
  fs::path root_;
};

// 16 processes start one new run at the same instant, 50 times: exactly one creates the
// saved copy, the 15 others resume from it, and all of them print identical values.
TEST_F(Processes, SixteenAtOnceAgreeOnOneCreator) {
  constexpr int kTrials = 50, kProcesses = 16;
  const std::string cfg = generated_config(2000);
  int creators_total = 0, resumers_total = 0, identical_total = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    fs::path project = root_ / ("t" + std::to_string(trial));
    fs::create_directories(project);
    write(project / "hparams.cfg", cfg);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    Gate gate{fds[0], fds[1]};
    std::vector<Child> children;
    for (int p = 0; p < kProcesses; ++p) {
      children.push_back(spawn({project.string()}, project / ("p" + std::to_string(p)), gate));
    }
    ::close(gate.read);
    ::close(gate.write);  // go
    int creators = 0, resumers = 0, identical = 0;
    std::string first_out;
    for (const Child& c : children) {
      EXPECT_EQ(wait_for(c), 0) << read(c.err);
      std::string err = read(c.err), out = read(c.out);
      creators += count(err, "No existing config found. New run config file saved in ");
      resumers += count(err, "! Resuming run using primary parameters!");
      if (first_out.empty()) first_out = out;
      identical += (out == first_out && !out.empty()) ? 1 : 0;
    }
    EXPECT_EQ(creators, 1) << "trial " << trial;
    EXPECT_EQ(resumers, kProcesses - 1) << "trial " << trial;
    EXPECT_EQ(identical, kProcesses) << "trial " << trial;
    EXPECT_EQ(read(project / "logs-proc" / "hparams-proc.cfg"), cfg) << "trial " << trial;
    creators_total += creators;
    resumers_total += resumers;
    identical_total += identical;
    fs::remove_all(project);
  }
  std::printf(
      "summary: %d trials x %d processes: %d creators, %d resumed, %d printed identical "
      "values\n",
      kTrials, kProcesses, creators_total, resumers_total, identical_total);
}

// Eight launches of one new run while another process keeps deleting the lock file: the
// saved copy is published by a hard link that fails when it exists, so exactly one creates
// it whatever happens to the lock file, and nobody fails.
TEST_F(Processes, DeletingTheLockFileChangesNothing) {
  constexpr int kTrials = 40, kProcesses = 8;
  const std::string cfg = generated_config(2000);
  int creators_total = 0, failed_total = 0, deletions = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    fs::path project = root_ / ("lock" + std::to_string(trial));
    fs::create_directories(project / "logs-proc");
    write(project / "hparams.cfg", cfg);
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    Gate gate{fds[0], fds[1]};
    std::vector<Child> children;
    for (int p = 0; p < kProcesses; ++p) {
      children.push_back(spawn({project.string()}, project / ("p" + std::to_string(p)), gate));
    }
    std::atomic<bool> done{false};
    std::thread deleter([&] {
      while (!done) {
        std::error_code ec;
        if (fs::remove(project / "logs-proc" / ".hparams.lock", ec)) ++deletions;
      }
    });
    ::close(gate.read);
    ::close(gate.write);  // go
    int creators = 0;
    for (const Child& c : children) {
      int status = wait_for(c);
      failed_total += status == 0 ? 0 : 1;
      EXPECT_EQ(status, 0) << read(c.err);
      creators += count(read(c.err), "No existing config found. New run config file saved in ");
    }
    done = true;
    deleter.join();
    EXPECT_EQ(creators, 1) << "trial " << trial;
    EXPECT_EQ(read(project / "logs-proc" / "hparams-proc.cfg"), cfg) << "trial " << trial;
    creators_total += creators;
    fs::remove_all(project);
  }
  std::printf(
      "summary: %d trials x %d launches with the lock file deleted %d times: %d creators, %d "
      "failed launches\n",
      kTrials, kProcesses, deletions, creators_total, failed_total);
}

// SIGKILL at a random instant of `hparams run` on a new run, 200 times: the saved copy is
// then absent or complete, and the next launch always succeeds with a complete copy.
TEST_F(Processes, KilledDuringSaveLeavesNoPartialCopy) {
  constexpr int kTrials = 200;
  const std::string cfg = generated_config(8000);  // ~0.2 MB, so that the save takes a while
  fs::path project = root_ / "kill";
  fs::create_directories(project);
  write(project / "hparams.cfg", cfg);
  fs::path saved = project / "logs-proc" / "hparams-proc.cfg";

  // How long one undisturbed launch takes, and when its saved copy appears. Half the kills
  // land uniformly within the launch, half in the few milliseconds before the copy appears,
  // which is when the temporary file is being written, synced and renamed.
  double launch_us = 0, saved_us = 0;
  for (int i = 0; i < 3; ++i) {
    fs::remove_all(project / "logs-proc");
    auto start = std::chrono::steady_clock::now();
    Child c = spawn({project.string()}, root_ / "calibrate");
    while (!fs::exists(saved)) std::this_thread::sleep_for(std::chrono::microseconds(50));
    saved_us += std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                    .count() /
                3;
    ASSERT_EQ(wait_for(c), 0);
    launch_us += std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                     .count() /
                 3;
  }

  std::mt19937 random(12345);
  std::uniform_real_distribution<double> anywhere(0, launch_us);
  std::uniform_real_distribution<double> near_save(std::max(0.0, saved_us - 4000), saved_us + 500);
  int absent = 0, complete = 0, partial = 0, mid_save = 0, recovered = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    fs::remove_all(project / "logs-proc");
    Child c = spawn({project.string()}, root_ / "killed");
    std::this_thread::sleep_for(std::chrono::microseconds(
        static_cast<long>(trial % 2 == 0 ? anywhere(random) : near_save(random))));
    ::kill(c.pid, SIGKILL);
    wait_for(c);
    bool temporary_left = false;
    if (fs::exists(project / "logs-proc")) {
      for (const auto& e : fs::directory_iterator(project / "logs-proc")) {
        if (e.path().filename().string().find("hparams-tmp-") != std::string::npos) {
          temporary_left = true;
        }
      }
    }
    mid_save += temporary_left ? 1 : 0;
    if (!fs::exists(saved)) {
      ++absent;
    } else if (read(saved) == cfg) {
      ++complete;
    } else {
      ++partial;
      ADD_FAILURE() << "trial " << trial << ": partial saved copy of " << fs::file_size(saved)
                    << " bytes";
    }
    // The next launch creates or resumes the run and leaves a complete copy.
    Child next = spawn({project.string()}, root_ / "next");
    if (wait_for(next) == 0 && read(saved) == cfg) {
      ++recovered;
    } else {
      ADD_FAILURE() << "trial " << trial << ": the next launch failed: " << read(next.err);
    }
  }
  EXPECT_EQ(partial, 0);
  EXPECT_EQ(recovered, kTrials);
  std::printf(
      "summary: %d SIGKILLs within a %.1f ms launch (copy appears at %.1f ms): copy "
      "absent %d, complete %d, partial %d; %d killed mid-save (temporary file left); "
      "next launch fine %d\n",
      kTrials, launch_us / 1000, saved_us / 1000, absent, complete, partial, mid_save, recovered);
}

// Rank 1 never writes: it waits for rank 0's copy, and times out with a clear error.
TEST_F(Processes, RankOneWaitsForRankZero) {
  fs::path project = root_ / "ranks";
  fs::create_directories(project);
  const std::string cfg = "[run]\nname = ranked\nseed = 3\n[train]\nlr = 1e-3\n";
  write(project / "hparams.cfg", cfg);
  // Rank 1 prints only because it is asked to (HPARAMS_MESSAGES=all); rank 2 is quiet.
  Child rank1 = spawn({project.string(), "--rank-timeout", "30"}, root_ / "rank1", {},
                      {"RANK=1", "HPARAMS_MESSAGES=all"});
  Child rank2 = spawn({project.string(), "--rank-timeout", "30"}, root_ / "rank2", {}, {"RANK=2"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(::waitpid(rank1.pid, nullptr, WNOHANG), 0);  // still waiting
  EXPECT_FALSE(fs::exists(project / "logs-ranked" / "hparams-ranked.cfg"));
  Child rank0 = spawn({project.string()}, root_ / "rank0", {}, {"RANK=0"});
  EXPECT_EQ(wait_for(rank0), 0) << read(rank0.err);
  EXPECT_EQ(wait_for(rank1), 0) << read(rank1.err);
  EXPECT_EQ(wait_for(rank2), 0) << read(rank2.err);
  std::string err1 = read(rank1.err);
  EXPECT_NE(err1.find("Rank 1: waiting for rank 0's copy of run 'ranked'"), std::string::npos)
      << err1;
  EXPECT_NE(err1.find("! Resuming run using primary parameters!"), std::string::npos) << err1;
  EXPECT_EQ(read(rank2.err), "");
  EXPECT_NE(read(rank0.err).find("No existing config found."), std::string::npos);
  EXPECT_EQ(read(rank0.out), read(rank1.out));
  EXPECT_EQ(read(rank0.out), read(rank2.out));
  EXPECT_EQ(read(rank0.out), "run.name = 'ranked'\nrun.seed = 3\ntrain.lr = 0.001\n");

  // Alone, rank 1 gives up after its timeout (other rank variables work the same way).
  fs::remove_all(project / "logs-ranked");
  auto start = std::chrono::steady_clock::now();
  Child alone =
      spawn({project.string(), "--rank-timeout", "0.3"}, root_ / "alone", {}, {"SLURM_PROCID=1"});
  EXPECT_EQ(wait_for(alone), 5);  // the exit status of a rank timeout
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(seconds, 0.3);
  std::string err = read(alone.err);
  EXPECT_NE(err.find("TimeoutError"), std::string::npos) << err;
  EXPECT_NE(err.find("rank 1 waited 0.3 s for rank 0's copy of run 'ranked'"), std::string::npos)
      << err;
  EXPECT_FALSE(fs::exists(project / "logs-ranked" / "hparams-ranked.cfg"));
  std::printf(
      "summary: rank 1 waited for rank 0 and read identical values; alone it gave up "
      "after %.2f s\n",
      seconds);
}

}  // namespace
