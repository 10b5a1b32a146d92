// Internal: a guard for every recursive path over untrusted input (the parser, the
// evaluator, repr, comparison, hashing, conversions), so that nesting fails with a
// RecursionError instead of overflowing the thread's stack, whatever the thread's stack size
// and whatever the build (sanitizers make frames several times larger).
#pragma once

namespace hparams::detail {

/// The lowest frame address this thread may use before a recursive path must stop (its
/// stack's end plus a reserve); computed once per thread.
extern thread_local const char* t_stack_limit;
[[noreturn]] void stack_exhausted();
const char* compute_stack_limit();

/// Throws RecursionError when the thread's stack is nearly used up.
inline void check_stack() {
  const char* limit = t_stack_limit != nullptr ? t_stack_limit : compute_stack_limit();
  if (static_cast<const char*>(__builtin_frame_address(0)) < limit) stack_exhausted();
}

}  // namespace hparams::detail
