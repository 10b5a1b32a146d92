// Internal: substring search in linear time, as CPython's is (str.find, count, split,
// rsplit, replace, `in`). It works on the UTF-8 bytes: a match of valid UTF-8 inside valid
// UTF-8 always starts on a character boundary, so no code points need decoding.
#pragma once

#include <cstddef>
#include <string_view>

namespace hparams::detail {

inline constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

/// The first occurrence of `needle` in `hay` at or after `from`, or kNotFound. glibc's
/// memmem, which is linear in the worst case (Two-Way for long needles).
std::size_t find_bytes(std::string_view hay, std::string_view needle, std::size_t from = 0);

/// Searches for one needle from the right: the last occurrence lying within hay[0, end).
/// Crochemore and Perrin's Two-Way algorithm over the reversed texts: linear time, constant
/// space, so repeated searches (rsplit) stay linear in total.
class ReverseSearch {
 public:
  explicit ReverseSearch(std::string_view needle);
  std::size_t find(std::string_view hay, std::size_t end) const;

 private:
  std::string_view needle_;
  std::ptrdiff_t ell_ = -1;  // critical position of the reversed needle
  std::ptrdiff_t period_ = 1;
  bool periodic_ = false;
};

}  // namespace hparams::detail
