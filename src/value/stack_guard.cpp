#include "value/stack_guard.hpp"

#include <pthread.h>

#include <algorithm>
#include <cstddef>

#include "hparams/error.hpp"

namespace hparams::detail {

thread_local const char* t_stack_limit = nullptr;

const char* compute_stack_limit() {
  const char* here = static_cast<const char*>(__builtin_frame_address(0));
  std::size_t usable = std::size_t{1} << 20;  // when the bounds are unknown: 1 MiB below here
  const char* end = here - usable;
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* address = nullptr;
    std::size_t size = 0;
    if (pthread_attr_getstack(&attr, &address, &size) == 0 && address != nullptr &&
        here > static_cast<const char*>(address)) {
      end = static_cast<const char*>(address);
      usable = static_cast<std::size_t>(here - end);
    }
    pthread_attr_destroy(&attr);
  }
  // Keep a reserve for unwinding and for the frames a guarded function calls before it
  // recurses: a quarter of what is left, at least 64 KiB, at most 512 KiB.
  std::size_t reserve =
      std::clamp<std::size_t>(usable / 4, std::size_t{64} << 10, std::size_t{512} << 10);
  t_stack_limit = end + std::min(reserve, usable);
  return t_stack_limit;
}

void stack_exhausted() {
  throw Error(ErrorKind::RecursionError, "maximum recursion depth exceeded");
}

}  // namespace hparams::detail
