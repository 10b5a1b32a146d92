#include "text/search.hpp"

#include <string.h>

#include <algorithm>

namespace hparams::detail {

std::size_t find_bytes(std::string_view hay, std::string_view needle, std::size_t from) {
  if (from > hay.size()) return kNotFound;
  if (needle.empty()) return from;
  const void* at = memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return at == nullptr ? kNotFound
                       : static_cast<std::size_t>(static_cast<const char*>(at) - hay.data());
}

namespace {

// The needle read backwards: r(i) is needle[m - 1 - i].
struct Reversed {
  std::string_view s;
  unsigned char operator()(std::ptrdiff_t i) const {
    return static_cast<unsigned char>(s[s.size() - 1 - static_cast<std::size_t>(i)]);
  }
};

// The maximal suffix of x (length m) for the byte order, or for the reverse order when
// `reverse` (Crochemore-Perrin): returns the position before it (-1 for the whole word) and
// its period.
std::ptrdiff_t maximal_suffix(const Reversed& x, std::ptrdiff_t m, bool reverse,
                              std::ptrdiff_t& period) {
  std::ptrdiff_t before = -1, j = 0, k = 1;
  period = 1;
  while (j + k < m) {
    unsigned char a = x(j + k), b = x(before + k);
    if (reverse) std::swap(a, b);
    if (a < b) {
      j += k;
      k = 1;
      period = j - before;
    } else if (a == b) {
      if (k != period) {
        ++k;
      } else {
        j += period;
        k = 1;
      }
    } else {
      before = j;
      j = before + 1;
      k = period = 1;
    }
  }
  return before;
}

}  // namespace

ReverseSearch::ReverseSearch(std::string_view needle) : needle_(needle) {
  const auto m = static_cast<std::ptrdiff_t>(needle.size());
  if (m == 0) return;
  const Reversed x{needle};
  std::ptrdiff_t p = 1, q = 1;
  std::ptrdiff_t i = maximal_suffix(x, m, false, p);
  std::ptrdiff_t j = maximal_suffix(x, m, true, q);
  // The critical factorisation is the later of the two maximal suffixes.
  ell_ = i > j ? i : j;
  period_ = i > j ? p : q;
  // x[0, ell] is a suffix of x[0, ell + period]: the needle is periodic around ell.
  periodic_ = ell_ + 1 + period_ <= m;
  for (std::ptrdiff_t t = 0; periodic_ && t <= ell_; ++t) {
    if (x(t) != x(t + period_)) periodic_ = false;
  }
  if (!periodic_) period_ = std::max(ell_ + 1, m - ell_ - 1) + 1;
}

std::size_t ReverseSearch::find(std::string_view hay, std::size_t end) const {
  const auto m = static_cast<std::ptrdiff_t>(needle_.size());
  const auto n = static_cast<std::ptrdiff_t>(std::min(end, hay.size()));
  if (m == 0) return static_cast<std::size_t>(n);
  if (m > n) return kNotFound;
  const Reversed x{needle_};
  // The text read backwards from `end`; a match at reversed position j ends at n - j.
  auto y = [&](std::ptrdiff_t i) {
    return static_cast<unsigned char>(hay[static_cast<std::size_t>(n - 1 - i)]);
  };
  std::ptrdiff_t j = 0;
  if (periodic_) {
    std::ptrdiff_t memory = -1;
    while (j <= n - m) {
      std::ptrdiff_t i = std::max(ell_, memory) + 1;
      while (i < m && x(i) == y(i + j)) ++i;
      if (i >= m) {
        i = ell_;
        while (i > memory && x(i) == y(i + j)) --i;
        if (i <= memory) return static_cast<std::size_t>(n - j - m);
        j += period_;
        memory = m - period_ - 1;
      } else {
        j += i - ell_;
        memory = -1;
      }
    }
  } else {
    while (j <= n - m) {
      std::ptrdiff_t i = ell_ + 1;
      while (i < m && x(i) == y(i + j)) ++i;
      if (i >= m) {
        i = ell_;
        while (i >= 0 && x(i) == y(i + j)) --i;
        if (i < 0) return static_cast<std::size_t>(n - j - m);
        j += period_;
      } else {
        j += i - ell_;
      }
    }
  }
  return kNotFound;
}

}  // namespace hparams::detail
