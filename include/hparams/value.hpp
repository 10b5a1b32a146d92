// hparams/value.hpp: the dynamic value a config entry evaluates to.
//
// A Value is what Python's eval() would give for the entry: None, bool, int (arbitrary
// precision), float, str, list, tuple, dict (insertion-ordered), set, or range. Values are
// immutable and cheap to copy (containers are shared, reference-counted, thread-safe to read).
//
//   hparams::Value v = hparams::evaluate("[1] * 3 + [2]");
//   assert(v.is_list() && v.size() == 4);
//   std::cout << v.repr() << "\n";                     // [1, 1, 1, 2]
//   std::cout << v.items().back().as_int64() << "\n";  // 2
//   hparams::Value big = hparams::evaluate("2 ** 100");
//   std::cout << big.repr() << "\n";  // 1267650600228229401496703205376
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hparams/export.hpp"

namespace hparams {

/// What a Value holds.
enum class Kind : std::uint8_t {
  None,
  Bool,
  Int,
  Float,
  Str,
  List,
  Tuple,
  Dict,
  Set,
  Range,
};

namespace detail {
/// Base of every heap object behind a Value; the count is atomic so that values shared by a
/// loaded config can be copied from several threads.
struct HPARAMS_EXPORT Object {
  mutable std::atomic<std::uint32_t> refs{1};
  virtual ~Object() = default;
};
struct BigIntObject;
struct StrObject;
struct SeqObject;
struct DictObject;
struct SetObject;
struct RangeObject;
struct ValueAccess;
}  // namespace detail

class HPARAMS_EXPORT Value {
 public:
  /// None.
  Value() noexcept : tag_(Tag::None), small_(0) {}
  Value(std::nullptr_t) noexcept : Value() {}
  Value(bool b) noexcept : tag_(Tag::Bool), small_(b ? 1 : 0) {}
  Value(int i) noexcept : tag_(Tag::SmallInt), small_(i) {}
  Value(long i) noexcept : tag_(Tag::SmallInt), small_(i) {}
  Value(long long i) noexcept : tag_(Tag::SmallInt), small_(i) {}
  Value(unsigned i) noexcept : tag_(Tag::SmallInt), small_(i) {}
  Value(unsigned long i);
  Value(unsigned long long i);
  Value(double d) noexcept : tag_(Tag::Float), real_(d) {}
  /// A str from UTF-8 text (invalid bytes are an hparams::Error of kind ValueError).
  Value(std::string_view utf8);
  Value(const std::string& utf8) : Value(std::string_view(utf8)) {}
  Value(const char* utf8) : Value(std::string_view(utf8)) {}

  static Value list(std::vector<Value> items);
  static Value tuple(std::vector<Value> items);
  /// A dict; later duplicates of a key replace the value and keep the first position.
  static Value dict(std::vector<std::pair<Value, Value>> entries);
  /// A set, in the iteration order CPython would give it.
  static Value set(std::vector<Value> items);
  /// An int from decimal digits (optional sign); throws ValueError on anything else.
  static Value int_from_string(std::string_view decimal);

  Value(const Value& other) noexcept : tag_(other.tag_), small_(other.small_) { retain(); }
  Value(Value&& other) noexcept : tag_(other.tag_), small_(other.small_) { other.tag_ = Tag::None; }
  Value& operator=(const Value& other) noexcept {
    Value copy(other);
    swap(copy);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    Value moved(std::move(other));
    swap(moved);
    return *this;
  }
  ~Value() { release(); }
  void swap(Value& other) noexcept {
    std::swap(tag_, other.tag_);
    std::swap(small_, other.small_);
  }

  Kind kind() const noexcept;
  /// Python's type name: "int", "str", "NoneType", ...
  std::string_view type_name() const noexcept;

  bool is_none() const noexcept { return tag_ == Tag::None; }
  bool is_bool() const noexcept { return tag_ == Tag::Bool; }
  /// True for int but not for bool (Python's bool is an int; typed access keeps them apart).
  bool is_int() const noexcept { return tag_ == Tag::SmallInt || tag_ == Tag::BigInt; }
  bool is_float() const noexcept { return tag_ == Tag::Float; }
  bool is_str() const noexcept { return tag_ == Tag::Str; }
  bool is_list() const noexcept { return tag_ == Tag::List; }
  bool is_tuple() const noexcept { return tag_ == Tag::Tuple; }
  bool is_dict() const noexcept { return tag_ == Tag::Dict; }
  bool is_set() const noexcept { return tag_ == Tag::Set; }

  /// The bool; throws TypeError for anything else.
  bool as_bool() const;
  /// Whether this int fits in int64 (false for non-ints).
  bool fits_int64() const noexcept { return tag_ == Tag::SmallInt; }
  /// The int as int64; throws TypeError for non-ints, OverflowError when it does not fit.
  std::int64_t as_int64() const;
  /// A float, or an int correctly rounded to the nearest double (OverflowError if too big).
  double as_double() const;
  /// A str's UTF-8 text; throws TypeError for non-str.
  std::string_view as_str() const;
  /// The elements of a list or tuple; throws TypeError otherwise.
  std::span<const Value> items() const;
  /// The entries of a dict in insertion order; throws TypeError otherwise.
  std::span<const std::pair<Value, Value>> entries() const;
  /// The elements of a set in iteration order; throws TypeError otherwise.
  std::vector<Value> set_items() const;
  /// The value for `key` in a dict, or nullptr. Throws TypeError for non-dicts or unhashable keys.
  const Value* find(const Value& key) const;
  /// len(): code points of a str, elements of a container or range.
  std::size_t size() const;

  /// Python's repr(). Throws ValueError for ints over 4,300 digits, like Python.
  std::string repr() const;
  /// Python's str().
  std::string str() const;
  /// Python's truth value.
  bool truthy() const noexcept;

  /// Python's `==` (1 == 1.0 == True, [1] != (1,)).
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  friend struct detail::ValueAccess;
  enum class Tag : std::uint8_t {
    None,
    Bool,
    SmallInt,
    BigInt,
    Float,
    Str,
    List,
    Tuple,
    Dict,
    Set,
    Range,
    Callable,
    Iterator,
  };
  Value(Tag tag, detail::Object* object) noexcept : tag_(tag), object_(object) {}
  bool has_object() const noexcept { return tag_ >= Tag::BigInt && tag_ != Tag::Float; }
  void retain() const noexcept {
    if (has_object()) object_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    if (has_object() && object_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete object_;
    }
  }

  Tag tag_;
  union {
    std::int64_t small_;
    double real_;
    detail::Object* object_;
  };
};

HPARAMS_EXPORT bool operator==(const Value& a, const Value& b);

}  // namespace hparams
