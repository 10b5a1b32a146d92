// hparams/eval.hpp: evaluate one value text the way Python's eval() would, in a sandbox.
//
// The value language is the subset of Python 3.11 expressions described in the manual:
// literals, operators, comprehensions, a fixed set of builtins and methods. An unknown name
// anywhere evaluated makes the whole value its raw text (`adam` -> 'adam'), as does a value
// that is a function or type (`float` -> 'float').
//
//   std::cout << hparams::evaluate("3e-4").repr() << "\n";           // 0.0003
//   std::cout << hparams::evaluate("[1] * 2 + [2]").repr() << "\n";  // [1, 1, 2]
//   std::cout << hparams::evaluate("adam").repr() << "\n";           // 'adam'
//   try {
//     hparams::evaluate("1/0");
//   } catch (const hparams::Error& e) {
//     std::cout << e.kind_name() << ": " << e.message() << "\n";
//     // ZeroDivisionError: division by zero
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hparams/error.hpp"
#include "hparams/export.hpp"
#include "hparams/value.hpp"

namespace hparams {

/// The sandbox's limits for one value. Exceeding one is an hparams::Error, never a hang or a
/// crash: TimeoutError for steps, MemoryError for sizes; nesting is bounded as in CPython, a
/// SyntaxError beyond 200 nested brackets and a RecursionError for a syntax tree deeper than
/// 3,000 levels.
struct HPARAMS_EXPORT EvalLimits {
  /// Work units per value: one per node evaluated, element produced or element copied.
  std::uint64_t max_steps = 10'000'000;
  /// Bytes all strs and containers created while evaluating one value may take together.
  std::size_t max_total_bytes = std::size_t{256} << 20;
};

/// Evaluates `text` with Python's semantics. Throws hparams::Error with Python's exception
/// kind and the 1-based line and column of the offending token within `text`.
HPARAMS_EXPORT Value evaluate(std::string_view text, const EvalLimits& limits = {});

/// What evaluate() did: the value, and whether it fell back to the raw text (unknown name,
/// or a function/type as the result).
struct HPARAMS_EXPORT Evaluation {
  Value value;
  bool raw_text = false;
  /// Bytes the evaluation allocated, temporaries included (an upper bound of what `value`
  /// holds; 0 for plain literals, which take a fast path).
  std::size_t allocated_bytes = 0;
};
HPARAMS_EXPORT Evaluation evaluate_detailed(std::string_view text, const EvalLimits& limits = {});

namespace detail {
/// The fast path evaluate() takes for plain literals (a decimal int, a simple float, a str
/// without escapes, True/False/None, a bare name). Returns false, touching nothing, for any
/// other text; when it returns true, `out` is exactly what evaluate_detailed() gives.
HPARAMS_EXPORT bool evaluate_literal(std::string_view text, Evaluation& out);
}  // namespace detail

}  // namespace hparams
