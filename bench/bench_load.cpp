// Load benchmark: hparams (parse + evaluate every value) against inih (raw parse into strings)
// and toml++ (parse of an equivalent TOML file) on the same inputs, plus typed lookups.
// Prints a table of ratios and the peak memory of each parser on the largest input.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "hparams/config.hpp"

#if __has_include(<ini.h>)
#include <ini.h>
#define HAVE_INIH 1
#endif
#if __has_include(<toml++/toml.h>)
#include <toml++/toml.h>
#define HAVE_TOMLPP 1
#endif

namespace {

struct Input {
  std::string name;
  std::string cfg;
  std::string toml;
  std::size_t keys = 0;
};

// A realistic mix: ints, floats like 1e-4, quoted strings, booleans, short lists and tuples,
// `[1] * 33 + [2]`, `2 ** 5`, bare names, comments; one section per 20 keys.
Input generate(std::size_t keys) {
  Input in;
  in.name = std::to_string(keys / 1000) + "k";
  in.keys = keys;
  in.cfg.reserve(keys * 28);
  in.toml.reserve(keys * 28);
  for (std::size_t i = 0; i < keys; ++i) {
    if (i % 20 == 0) {
      in.cfg += "\n[section_" + std::to_string(i / 20) + "]\n";
      in.toml += "\n[section_" + std::to_string(i / 20) + "]\n";
    }
    if (i % 10 == 5) {
      in.cfg += "# a comment about the next value\n";
      in.toml += "# a comment about the next value\n";
    }
    std::string key = "key_" + std::to_string(i);
    std::string n = std::to_string(i % 1000);
    std::string cfg_value, toml_value;
    switch (i % 10) {
      case 0:
        cfg_value = toml_value = n;
        break;
      case 1:
        cfg_value = toml_value = "1e-" + std::to_string(1 + i % 6);
        break;
      case 2:
        cfg_value = "'adam_" + n + "'";
        toml_value = "\"adam_" + n + "\"";
        break;
      case 3:
        cfg_value = "True";
        toml_value = "true";
        break;
      case 4:
        cfg_value = toml_value = "[64, 128, " + n + "]";
        break;
      case 5:
        cfg_value = "(0.9, 0.999)";
        toml_value = "[0.9, 0.999]";
        break;
      case 6: {
        cfg_value = "[1] * 33 + [2]";
        toml_value = "[";
        for (int k = 0; k < 33; ++k) toml_value += "1, ";
        toml_value += "2]";
        break;
      }
      case 7:
        cfg_value = "2 ** 5";
        toml_value = "32";
        break;
      case 8:
        cfg_value = "0." + n;
        toml_value = "0." + n;
        break;
      default:
        cfg_value = "relu";
        toml_value = "\"relu\"";
        break;
    }
    in.cfg += key + " = " + cfg_value + "\n";
    in.toml += key + " = " + toml_value + "\n";
  }
  return in;
}

// A TOML rendering of an evaluated value (TOML has no None: it becomes the string "None").
std::string toml_value(const hparams::Value& v) {
  switch (v.kind()) {
    case hparams::Kind::Bool:
      return v.as_bool() ? "true" : "false";
    case hparams::Kind::Int:
      return v.repr();
    case hparams::Kind::Float:
      return v.repr();  // TOML spells inf, -inf, nan, 1e-05 the same
    case hparams::Kind::Str:
      return "\"" + std::string(v.as_str()) + "\"";
    case hparams::Kind::List:
    case hparams::Kind::Tuple: {
      std::string out = "[";
      for (const auto& item : v.items()) out += (out.size() > 1 ? ", " : "") + toml_value(item);
      return out + "]";
    }
    default:
      return "\"" + v.repr() + "\"";
  }
}

Input vdvae() {
  Input in;
  in.name = "vdvae";
  std::ifstream f(std::string(HPARAMS_BENCH_DATA) +
                  "/real-vdvae-efficient_vdvae_torch_hparams.cfg");
  in.cfg.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  in.keys = 0;
  auto doc = hparams::ini::Document::parse(in.cfg);
  for (const auto& s : doc.sections()) in.keys += s.entries.size();
  // Its TOML twin: the same sections and keys with the evaluated values.
  auto config = hparams::Config::parse(in.cfg);
  for (const auto& section : config.sections()) {
    in.toml += "[" + section + "]\n";
    for (const auto& key : config.keys(section)) {
      in.toml += key + " = " + toml_value(config.at(section, key)) + "\n";
    }
  }
  return in;
}

std::vector<Input>& inputs() {
  static std::vector<Input> all = [] {
    std::vector<Input> v;
    v.push_back(vdvae());
    for (std::size_t n : {1000u, 100000u, 1000000u}) v.push_back(generate(n));
    return v;
  }();
  return all;
}

#ifdef HAVE_INIH
struct RawEntry {
  std::string section, key, value;
};
int inih_handler(void* user, const char* section, const char* name, const char* value) {
  static_cast<std::vector<RawEntry>*>(user)->push_back({section, name, value});
  return 1;
}
#endif

void BM_Hparams(benchmark::State& state, const Input* in) {
  for (auto _ : state) {
    auto config = hparams::Config::parse(in->cfg, "bench.cfg");
    benchmark::DoNotOptimize(config);
  }
  state.counters["ns/key"] = benchmark::Counter(
      static_cast<double>(in->keys),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

#ifdef HAVE_INIH
void BM_Inih(benchmark::State& state, const Input* in) {
  for (auto _ : state) {
    std::vector<RawEntry> entries;
    entries.reserve(in->keys);
    ini_parse_string(in->cfg.c_str(), inih_handler, &entries);
    benchmark::DoNotOptimize(entries);
  }
}
#endif

#ifdef HAVE_TOMLPP
void BM_Tomlpp(benchmark::State& state, const Input* in) {
  for (auto _ : state) {
    auto table = toml::parse(in->toml);
    benchmark::DoNotOptimize(table);
  }
}
#endif

void BM_GetInt(benchmark::State& state) {
  auto config =
      hparams::Config::parse("[train]\nbatch_size = 64\nlr = 3e-4\n[model]\ndepth = 12\n");
  for (auto _ : state) benchmark::DoNotOptimize(config.get<int>("model.depth"));
}
BENCHMARK(BM_GetInt);

void BM_GetIntLarge(benchmark::State& state) {
  auto config = hparams::Config::parse(inputs()[2].cfg);
  for (auto _ : state) benchmark::DoNotOptimize(config.get<int>("section_2500.key_50000"));
}
BENCHMARK(BM_GetIntLarge);

long status_kib(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  }
  return -1;
}

// Peak resident memory one load of the largest input adds, in a fresh process (re-executing
// this program with --peak=WHICH) so that no page the benchmarks touched is reused: the peak
// is reset (/proc/self/clear_refs) once the input is resident, then read after the parse.
long measure_here(int which) {
  const Input& in = inputs().back();
  { std::ofstream("/proc/self/clear_refs") << "5"; }
  long base = status_kib("VmRSS:");
  if (which == 0) {
    auto config = hparams::Config::parse(in.cfg, "bench.cfg");
    benchmark::DoNotOptimize(config);
#ifdef HAVE_INIH
  } else if (which == 1) {
    std::vector<RawEntry> entries;
    ini_parse_string(in.cfg.c_str(), inih_handler, &entries);
    benchmark::DoNotOptimize(entries);
#endif
#ifdef HAVE_TOMLPP
  } else if (which == 2) {
    auto table = toml::parse(in.toml);
    benchmark::DoNotOptimize(table);
#endif
  }
  return status_kib("VmHWM:") - base;
}

long peak_kib(int which) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    std::string arg = "--peak=" + std::to_string(which);
    execl("/proc/self/exe", "bench_load", arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  char buf[64] = {};
  ssize_t n = read(fds[0], buf, sizeof buf - 1);
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return n > 0 ? std::atol(buf) : -1;
}

class Collector : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      times[run.benchmark_name()] = run.GetAdjustedRealTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> times;  // in the run's time unit (ns unless set)
};

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]).rfind("--peak=", 0) == 0) {
    std::printf("%ld\n", measure_here(std::atoi(argv[1] + 7)));
    return 0;
  }
  for (const auto& in : inputs()) {
    benchmark::RegisterBenchmark(("load/hparams/" + in.name).c_str(), BM_Hparams, &in)
        ->Unit(benchmark::kMillisecond);
#ifdef HAVE_INIH
    benchmark::RegisterBenchmark(("load/inih/" + in.name).c_str(), BM_Inih, &in)
        ->Unit(benchmark::kMillisecond);
#endif
#ifdef HAVE_TOMLPP
    if (!in.toml.empty()) {
      benchmark::RegisterBenchmark(("load/tomlpp/" + in.name).c_str(), BM_Tomlpp, &in)
          ->Unit(benchmark::kMillisecond);
    }
#endif
  }
  benchmark::Initialize(&argc, argv);
  Collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);

  std::printf("\n%-8s %9s %12s %12s %12s %10s %10s\n", "input", "keys", "hparams ms", "inih ms",
              "toml++ ms", "vs inih", "vs toml++");
  for (const auto& in : inputs()) {
    auto get = [&](const std::string& who) {
      auto it = collector.times.find("load/" + who + "/" + in.name);
      return it == collector.times.end() ? -1.0 : it->second;
    };
    double h = get("hparams"), i = get("inih"), t = get("tomlpp");
    std::printf("%-8s %9zu %12.3f %12.3f %12.3f %10s %10s   %.0f ns/key\n", in.name.c_str(),
                in.keys, h, i, t, i > 0 ? std::to_string(h / i).substr(0, 5).c_str() : "n/a",
                t > 0 ? std::to_string(h / t).substr(0, 5).c_str() : "n/a",
                h * 1e6 / static_cast<double>(in.keys));
  }
#ifndef HAVE_INIH
  std::printf("inih comparison skipped: libinih-dev is not installed\n");
#endif
#ifndef HAVE_TOMLPP
  std::printf("toml++ comparison skipped: libtomlplusplus-dev is not installed\n");
#endif
  const Input& largest = inputs().back();
  std::printf("\npeak memory of one load of %s (%zu keys): hparams %ld KiB", largest.name.c_str(),
              largest.keys, peak_kib(0));
#ifdef HAVE_INIH
  std::printf(", inih %ld KiB", peak_kib(1));
#endif
#ifdef HAVE_TOMLPP
  std::printf(", toml++ %ld KiB", peak_kib(2));
#endif
  std::printf("\n");
  return 0;
}
