// Evaluation time of typical config values, parse + evaluate + result, one value per iteration.
#include <benchmark/benchmark.h>

#include "hparams/eval.hpp"

namespace {

const char* const kValues[] = {
    "3e-4",
    "'adam'",
    "(1, 1)",
    "[1] * 11 + [2] + [1] * 6",
    "[2 ** i for i in range(5)]",
    "adam",
    "{'lr': 1e-3, 'betas': (0.9, 0.999)}",
    "'%s_%03d' % ('ckpt', 7)",
};

void BM_Evaluate(benchmark::State& state) {
  const char* text = kValues[state.range(0)];
  state.SetLabel(text);
  for (auto _ : state) {
    hparams::Value v = hparams::evaluate(text);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_Evaluate)->DenseRange(0, sizeof(kValues) / sizeof(kValues[0]) - 1);

void BM_Repr(benchmark::State& state) {
  hparams::Value v = hparams::evaluate("[1] * 11 + [2] + [1] * 6");
  for (auto _ : state) benchmark::DoNotOptimize(v.repr());
}
BENCHMARK(BM_Repr);

}  // namespace

BENCHMARK_MAIN();
