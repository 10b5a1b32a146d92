// Python's hash(): CPython 3.11's SipHash-1-3 for strs (as with PYTHONHASHSEED=0), ints, floats,
// tuples, frozensets.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "hparams/value.hpp"
#include "num/numbers.hpp"
#include "text/unicode.hpp"
#include "value/stack_guard.hpp"
#include "value/value_impl.hpp"

namespace hparams {
namespace detail {

// ---- hashing ------------------------------------------------------------------------------

namespace {

inline std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

// SipHash-1-3 with a zero key: CPython 3.11's str hash when PYTHONHASHSEED=0, which is the
// only seed for which set iteration order of strings is reproducible at all.
std::uint64_t siphash13(const unsigned char* in, std::size_t size) {
  std::uint64_t b = static_cast<std::uint64_t>(size) << 56;
  std::uint64_t v0 = 0x736f6d6570736575ULL, v1 = 0x646f72616e646f6dULL;
  std::uint64_t v2 = 0x6c7967656e657261ULL, v3 = 0x7465646279746573ULL;
  auto round = [&] {
    v0 += v1;
    v2 += v3;
    v1 = rotl(v1, 13) ^ v0;
    v3 = rotl(v3, 16) ^ v2;
    v0 = rotl(v0, 32);
    v2 += v1;
    v0 += v3;
    v1 = rotl(v1, 17) ^ v2;
    v3 = rotl(v3, 21) ^ v0;
    v2 = rotl(v2, 32);
  };
  while (size >= 8) {
    std::uint64_t m = 0;
    std::memcpy(&m, in, 8);
    in += 8;
    size -= 8;
    v3 ^= m;
    round();
    v0 ^= m;
  }
  std::uint64_t t = 0;
  for (std::size_t i = 0; i < size; ++i) t |= static_cast<std::uint64_t>(in[i]) << (8 * i);
  b |= t;
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xff;
  round();
  round();
  round();
  return (v0 ^ v1) ^ (v2 ^ v3);
}

std::int64_t str_hash(const StrObject& s) {
  std::int64_t cached = s.hash.load(std::memory_order_relaxed);
  if (cached != -1) return cached;
  std::int64_t h = 0;
  if (!s.utf8.empty()) {
    charge_work(s.utf8.size() / 128 + 1);  // once per str: the hash is cached
    // CPython hashes its compact representation: 1, 2 or 4 bytes per code point.
    if (s.ascii) {
      h = static_cast<std::int64_t>(
          siphash13(reinterpret_cast<const unsigned char*>(s.utf8.data()), s.utf8.size()));
    } else {
      std::u32string cps = to_u32(s.utf8);
      char32_t max = 0;
      for (char32_t c : cps) max = std::max(max, c);
      std::string bytes;
      int width = max < 0x100 ? 1 : (max < 0x10000 ? 2 : 4);
      bytes.reserve(cps.size() * static_cast<std::size_t>(width));
      for (char32_t c : cps) {
        for (int k = 0; k < width; ++k) bytes += static_cast<char>((c >> (8 * k)) & 0xFF);
      }
      h = static_cast<std::int64_t>(
          siphash13(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()));
    }
    if (h == -1) h = -2;
  }
  s.hash.store(h, std::memory_order_relaxed);
  return h;
}

std::int64_t tuple_hash(const std::vector<Value>& items) {
  constexpr std::uint64_t kPrime1 = 11400714785074694791ULL;
  constexpr std::uint64_t kPrime2 = 14029467366897019727ULL;
  constexpr std::uint64_t kPrime5 = 2870177450012600261ULL;
  std::uint64_t acc = kPrime5;
  for (const Value& item : items) {
    auto lane = static_cast<std::uint64_t>(hash_value(item));
    acc += lane * kPrime2;
    acc = rotl(acc, 31);
    acc *= kPrime1;
  }
  acc += items.size() ^ (kPrime5 ^ 3527539UL);
  if (acc == static_cast<std::uint64_t>(-1)) return 1546275796;
  return static_cast<std::int64_t>(acc);
}

}  // namespace

std::int64_t hash_value(const Value& v) {
  check_stack();
  switch (tag_of(v)) {
    case Tag::None:
      return 0x5F3759DF;  // CPython 3.11 hashes None by address: any constant will do
    case Tag::Bool:
    case Tag::SmallInt:
    case Tag::BigInt:
      return int_hash(v);
    case Tag::Float:
      return float_hash(ValueAccess::real(v));
    case Tag::Str:
      return str_hash(ValueAccess::as<StrObject>(v));
    case Tag::Tuple:
      return tuple_hash(seq_of(v));
    case Tag::Range: {
      const auto& r = range_of(v);
      std::int64_t n = r.length();
      return tuple_hash({Value(n), n ? Value(r.start) : Value(), n > 1 ? Value(r.step) : Value()});
    }
    case Tag::Callable:
      return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(ValueAccess::object(v)) >>
                                       4);
    case Tag::Iterator:
      if (iterator_of(v).is_view) break;
      return static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(ValueAccess::object(v)) >>
                                       4);
    default:
      break;
  }
  raise(ErrorKind::TypeError, "unhashable type: '" + std::string(v.type_name()) + "'");
}

std::int64_t frozenset_hash(const Value& v) {
  // CPython's frozenset_hash: empty and dummy slots cancel out of the xor, so only the
  // active entries and the count matter.
  auto shuffle = [](std::uint64_t h) { return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL; };
  const auto& set = set_of(v);
  std::uint64_t hash = 0;
  set.for_each(
      [&](const Value&, std::int64_t h) { hash ^= shuffle(static_cast<std::uint64_t>(h)); });
  hash ^= (static_cast<std::uint64_t>(set.used) + 1) * 1927868237ULL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * 69069U + 907133923ULL;
  if (hash == static_cast<std::uint64_t>(-1)) hash = 590923713ULL;
  return static_cast<std::int64_t>(hash);
}

}  // namespace detail
}  // namespace hparams
