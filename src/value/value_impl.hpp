// Internal: the heap objects behind hparams::Value and the access the evaluator needs.
#pragma once

#include <gmp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "hparams/error.hpp"
#include "hparams/value.hpp"
#include "value/operators.hpp"

namespace hparams::detail {

struct BigIntObject final : Object {
  mpz_t z;
  BigIntObject() { mpz_init(z); }
  ~BigIntObject() override { mpz_clear(z); }
};

struct StrObject final : Object {
  std::string utf8;
  std::size_t length = 0;  // in code points
  bool ascii = true;
  mutable std::atomic<std::int64_t> hash{-1};  // -1: not computed yet (never a valid hash)
};

struct SeqObject final : Object {
  std::vector<Value> items;
};

struct DictObject final : Object {
  std::vector<std::pair<Value, Value>> entries;
  std::vector<std::int64_t> hashes;  // parallel to entries
  std::vector<std::int32_t> index;   // open addressing over entries, -1 empty; empty if small
  const Value* find(const Value& key, std::int64_t hash) const;
  std::ptrdiff_t find_position(const Value& key, std::int64_t hash) const;
  /// Inserts or replaces (keeping the first key, as Python does).
  void insert(Value key, std::int64_t hash, Value value);
  void rebuild_index();
};

/// CPython's set table, reproduced so that iteration (and so repr) order matches CPython.
struct SetObject final : Object {
  struct Slot {
    Value key;
    std::int64_t hash = 0;
    std::uint8_t state = 0;  // 0 unused, 1 active, 2 dummy
  };
  std::vector<Slot> table = std::vector<Slot>(8);
  std::size_t mask = 7;
  std::size_t fill = 0;
  std::size_t used = 0;
  bool contains(const Value& key, std::int64_t hash) const;
  void add(Value key, std::int64_t hash);
  bool discard(const Value& key, std::int64_t hash);
  void resize(std::size_t min_used);
  /// CPython's set_merge: `other`'s elements in its table order, after one up-front resize
  /// (and with set_insert_clean when this set is empty).
  void merge(const SetObject& other);
  /// CPython's set_update_internal for a dict: one resize, then the keys in order.
  void update_from_dict(const DictObject& dict);
  template <class F>
  void for_each(F&& f) const {
    for (const Slot& slot : table) {
      if (slot.state == 1) f(slot.key, slot.hash);
    }
  }
};

struct RangeObject final : Object {
  std::int64_t start = 0, stop = 0, step = 1;
  std::int64_t length() const;
  std::int64_t at(std::int64_t i) const { return start + i * step; }
};

/// A builtin function, type, or a method bound to its receiver.
struct CallableObject final : Object {
  int id = 0;
  bool is_type = false;
  Value self;  // the receiver of a bound method, None otherwise
  std::string name;
};

/// An iterator: zip/enumerate/reversed objects (materialised), dict views, generators.
struct IteratorObject final : Object {
  std::string type_name;  // "zip", "dict_keys", "generator", ...
  std::vector<Value> items;
  /// For a generator: runs its loops, calling `sink` per element until it returns false.
  std::function<void(const std::function<bool(const Value&)>& sink)> generate;
  bool is_view = false;  // dict views print as dict_keys([...]) and are re-iterable
};

struct ValueAccess {
  using Tag = Value::Tag;
  static Tag tag(const Value& v) { return v.tag_; }
  static std::int64_t small(const Value& v) { return v.small_; }
  static double real(const Value& v) { return v.real_; }
  static Object* object(const Value& v) { return v.object_; }
  template <class T>
  static const T& as(const Value& v) {
    return *static_cast<const T*>(v.object_);
  }
  /// Takes ownership of `object` (its count starts at 1).
  static Value adopt(Tag tag, Object* object) { return Value(tag, object); }
};

using Tag = ValueAccess::Tag;

/// bool, int or float: the operands of Python's numeric tower.
inline bool is_numeric(const Value& v) {
  auto t = ValueAccess::tag(v);
  return t == Tag::Bool || t == Tag::SmallInt || t == Tag::BigInt || t == Tag::Float;
}

/// Spreads a hash over all bits (murmur3's finaliser), for our own open-addressing tables.
inline std::uint64_t mix_hash(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

inline Tag tag_of(const Value& v) { return ValueAccess::tag(v); }
inline const std::string& str_of(const Value& v) { return ValueAccess::as<StrObject>(v).utf8; }
inline const std::vector<Value>& seq_of(const Value& v) {
  return ValueAccess::as<SeqObject>(v).items;
}
inline const DictObject& dict_of(const Value& v) { return ValueAccess::as<DictObject>(v); }
inline const SetObject& set_of(const Value& v) { return ValueAccess::as<SetObject>(v); }
inline const RangeObject& range_of(const Value& v) { return ValueAccess::as<RangeObject>(v); }
inline const CallableObject& callable_of(const Value& v) {
  return ValueAccess::as<CallableObject>(v);
}
inline const IteratorObject& iterator_of(const Value& v) {
  return ValueAccess::as<IteratorObject>(v);
}

Value make_list(std::vector<Value> items);
Value make_tuple(std::vector<Value> items);
/// A str from text already known to be valid (WTF-8: lone surrogates allowed).
Value make_str(std::string utf8);
Value make_str(std::string utf8, std::size_t length, bool ascii);
Value make_dict(DictObject* object);
Value make_set(SetObject* object);
Value make_range(std::int64_t start, std::int64_t stop, std::int64_t step);
Value make_callable(int id, bool is_type, std::string name, Value self = Value());
Value make_iterator(std::string type_name, std::vector<Value> items, bool is_view = false);

/// The hash CPython gives the frozenset equal to a set (order-independent).
std::int64_t frozenset_hash(const Value& set);
/// Python's hash(); throws TypeError for unhashable values.
std::int64_t hash_value(const Value& v);

/// Python's rich comparison (TypeError for unorderable types, with Python's message).
bool rich_compare(const Value& a, const Value& b, Op op);
/// Python's `<` and friends for values of possibly different types (TypeError where Python
/// raises it). `op` is one of "<", "<=", ">", ">=".
bool less_than(const Value& a, const Value& b);
/// Python's `is`.
bool identical(const Value& a, const Value& b);
/// Python's repr() with a nesting guard; appends to `out`.
void repr_into(const Value& v, std::string& out, int depth = 0);

/// The sandbox's size limit for a single value, in bytes (64 MiB).
inline constexpr std::size_t kMaxValueBytes = std::size_t{64} << 20;
/// Throws MemoryError when something of `bytes` bytes would exceed the size limit.
void check_size(std::size_t bytes, const char* what);

/// Bytes allocated by the evaluation running on this thread, against its limit: every str,
/// container and table the evaluator creates is counted, so one value cannot exhaust memory
/// through many values each under the single-value limit.
struct AllocationBudget {
  std::size_t used = 0;
  std::size_t limit = 0;
  // The evaluation's step counter, also charged for work inside one operation (big ints).
  std::uint64_t* steps = nullptr;
  std::uint64_t max_steps = 0;
};
extern thread_local AllocationBudget* t_allocation_budget;
void account_overflow();
[[noreturn]] void work_overflow();
/// Charges `units` of work (a 64-bit limb processed, roughly) to the running evaluation.
inline void charge_work(std::uint64_t units) {
  if (AllocationBudget* budget = t_allocation_budget) {
    if (budget->steps != nullptr && (*budget->steps += units) > budget->max_steps) work_overflow();
  }
}
inline void account(std::size_t bytes) {
  if (AllocationBudget* budget = t_allocation_budget) {
    budget->used += bytes;
    if (budget->used > budget->limit) account_overflow();
  }
}

/// The bytes a value holds, as the allocation budget counts them: its strs, big ints and
/// containers, a shared object once. Iterative, so any depth is fine.
std::size_t retained_bytes(const Value& v);

/// push_back that first charges each growth of the vector's buffer to the evaluation's
/// allocation budget: a temporary vector is bounded like the list it becomes.
inline void push_counted(std::vector<Value>& v, Value item) {
  if (v.size() == v.capacity()) {
    std::size_t grown = v.capacity() < 8 ? 16 : v.capacity() * 2;
    check_size(grown * sizeof(Value), "a list");
    account(grown * sizeof(Value));
    v.reserve(grown);
  }
  v.push_back(std::move(item));
}

/// Builds an hparams::Error of the given kind (wording lives with the caller's factory).
[[noreturn]] void raise(ErrorKind kind, std::string message);

}  // namespace hparams::detail
