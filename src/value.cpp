// hparams::Value: construction, Python's repr/str/==/ordering/hash, and the container objects.
#include "hparams/value.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "eval/numbers.hpp"
#include "eval/unicode.hpp"
#include "stack_guard.hpp"
#include "value_impl.hpp"

namespace hparams {
namespace detail {

void raise(ErrorKind kind, std::string message) { throw Error(kind, std::move(message)); }

thread_local AllocationBudget* t_allocation_budget = nullptr;

void account_overflow() {
  std::size_t limit = t_allocation_budget->limit;
  t_allocation_budget = nullptr;  // the error path itself allocates
  raise(ErrorKind::MemoryError,
        "evaluation allocated more than " + std::to_string(limit >> 20) + " MiB");
}

void work_overflow() {
  std::uint64_t limit = t_allocation_budget->max_steps;
  raise(ErrorKind::TimeoutError,
        "evaluation exceeded the step budget of " + std::to_string(limit) + " steps");
}

std::size_t retained_bytes(const Value& root) {
  std::size_t total = 0;
  std::vector<const Value*> pending{&root};
  std::unordered_set<const Object*> seen;
  while (!pending.empty()) {
    const Value& v = *pending.back();
    pending.pop_back();
    Tag t = tag_of(v);
    if (t == Tag::None || t == Tag::Bool || t == Tag::SmallInt || t == Tag::Float) continue;
    const Object* object = ValueAccess::object(v);
    // Only an object held more than once can be met twice.
    if (object->refs.load(std::memory_order_relaxed) > 1 && !seen.insert(object).second) continue;
    switch (t) {
      case Tag::BigInt:
        total += mpz_size(ValueAccess::as<BigIntObject>(v).z) * sizeof(mp_limb_t) + 48;
        break;
      case Tag::Str:
        total += str_of(v).size() + 64;
        break;
      case Tag::List:
      case Tag::Tuple:
        total += seq_of(v).size() * sizeof(Value) + 48;
        for (const Value& item : seq_of(v)) pending.push_back(&item);
        break;
      case Tag::Dict: {
        const DictObject& d = dict_of(v);
        total += d.entries.size() * (2 * sizeof(Value) + sizeof(std::int64_t)) +
                 d.index.size() * sizeof(std::int32_t) + 64;
        for (const auto& [key, value] : d.entries) {
          pending.push_back(&key);
          pending.push_back(&value);
        }
        break;
      }
      case Tag::Set: {
        const SetObject& s = set_of(v);
        total += s.table.size() * sizeof(SetObject::Slot) + 64;
        for (const auto& slot : s.table) {
          if (slot.state == 1) pending.push_back(&slot.key);
        }
        break;
      }
      default:
        total += 64;
        break;
    }
  }
  return total;
}

void check_size(std::size_t bytes, const char* what) {
  if (bytes > kMaxValueBytes) {
    raise(ErrorKind::MemoryError, std::string(what) + " exceeds the sandbox limit of 64 MiB");
  }
}

Value make_list(std::vector<Value> items) {
  account(items.size() * sizeof(Value) + 48);
  auto* object = new SeqObject();
  object->items = std::move(items);
  return ValueAccess::adopt(Tag::List, object);
}

Value make_tuple(std::vector<Value> items) {
  account(items.size() * sizeof(Value) + 48);
  auto* object = new SeqObject();
  object->items = std::move(items);
  return ValueAccess::adopt(Tag::Tuple, object);
}

Value make_str(std::string utf8, std::size_t length, bool ascii) {
  account(utf8.size() + 64);
  auto* object = new StrObject();
  object->utf8 = std::move(utf8);
  object->length = length;
  object->ascii = ascii;
  return ValueAccess::adopt(Tag::Str, object);
}

Value make_str(std::string utf8) {
  std::size_t length = 0;
  bool ascii = true;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++length;
    if (c >= 0x80) ascii = false;
  }
  return make_str(std::move(utf8), length, ascii);
}

Value make_dict(DictObject* object) { return ValueAccess::adopt(Tag::Dict, object); }
Value make_set(SetObject* object) { return ValueAccess::adopt(Tag::Set, object); }

Value make_range(std::int64_t start, std::int64_t stop, std::int64_t step) {
  auto* object = new RangeObject();
  object->start = start;
  object->stop = stop;
  object->step = step;
  return ValueAccess::adopt(Tag::Range, object);
}

Value make_callable(int id, bool is_type, std::string name, Value self) {
  auto* object = new CallableObject();
  object->id = id;
  object->is_type = is_type;
  object->name = std::move(name);
  object->self = std::move(self);
  return ValueAccess::adopt(Tag::Callable, object);
}

Value make_iterator(std::string type_name, std::vector<Value> items, bool is_view) {
  account(items.size() * sizeof(Value) + 128);
  auto* object = new IteratorObject();
  object->type_name = std::move(type_name);
  object->items = std::move(items);
  object->is_view = is_view;
  return ValueAccess::adopt(Tag::Iterator, object);
}

std::int64_t RangeObject::length() const {
  // Computed in unsigned arithmetic: stop - start may not fit int64.
  if (step > 0 && start < stop) {
    auto span = static_cast<std::uint64_t>(stop) - static_cast<std::uint64_t>(start) - 1;
    return static_cast<std::int64_t>(span / static_cast<std::uint64_t>(step) + 1);
  }
  if (step < 0 && start > stop) {
    auto span = static_cast<std::uint64_t>(start) - static_cast<std::uint64_t>(stop) - 1;
    return static_cast<std::int64_t>(span / (0 - static_cast<std::uint64_t>(step)) + 1);
  }
  return 0;
}

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

// ---- dict and set tables ---

namespace {
// The dict's own index only needs a well-spread slot; CPython's hashes of floats such as k + 0.5
// differ only in their high bits, so they are mixed before masking (dicts keep insertion
// order, so this index never shows).
inline std::size_t spread(std::int64_t hash) {
  return static_cast<std::size_t>(mix_hash(static_cast<std::uint64_t>(hash)));
}
}  // namespace

namespace {
bool keys_equal(const Value& a, const Value& b) { return identical(a, b) || a == b; }
}  // namespace

std::ptrdiff_t DictObject::find_position(const Value& key, std::int64_t hash) const {
  if (index.empty()) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (hashes[i] == hash && keys_equal(entries[i].first, key))
        return static_cast<std::ptrdiff_t>(i);
    }
    return -1;
  }
  std::size_t mask = index.size() - 1;
  for (std::size_t i = spread(hash) & mask;; i = (i + 1) & mask) {
    std::int32_t slot = index[i];
    if (slot < 0) return -1;
    auto s = static_cast<std::size_t>(slot);
    if (hashes[s] == hash && keys_equal(entries[s].first, key)) return slot;
  }
}

const Value* DictObject::find(const Value& key, std::int64_t hash) const {
  auto pos = find_position(key, hash);
  return pos < 0 ? nullptr : &entries[static_cast<std::size_t>(pos)].second;
}

void DictObject::rebuild_index() {
  std::size_t size = 16;
  while (size < entries.size() * 2) size <<= 1;
  index.assign(size, -1);
  std::size_t mask = size - 1;
  for (std::size_t e = 0; e < entries.size(); ++e) {
    std::size_t i = spread(hashes[e]) & mask;
    while (index[i] >= 0) i = (i + 1) & mask;
    index[i] = static_cast<std::int32_t>(e);
  }
}

void DictObject::insert(Value key, std::int64_t hash, Value value) {
  auto pos = find_position(key, hash);
  if (pos >= 0) {
    entries[static_cast<std::size_t>(pos)].second = std::move(value);
    return;
  }
  account(2 * sizeof(Value) + 16);
  entries.emplace_back(std::move(key), std::move(value));
  hashes.push_back(hash);
  if (entries.size() > 8 && entries.size() * 2 > index.size()) {
    rebuild_index();
  } else if (!index.empty()) {
    std::size_t mask = index.size() - 1;
    std::size_t i = spread(hash) & mask;
    while (index[i] >= 0) i = (i + 1) & mask;
    index[i] = static_cast<std::int32_t>(entries.size() - 1);
  }
}

namespace {
constexpr std::size_t kLinearProbes = 9;
constexpr int kPerturbShift = 5;
void insert_clean(std::vector<SetObject::Slot>& table, std::size_t mask, const Value& key,
                  std::int64_t hash);
}  // namespace

bool SetObject::contains(const Value& key, std::int64_t hash) const {
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  auto perturb = static_cast<std::size_t>(hash);
  while (true) {
    std::size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    std::size_t j = i;
    while (true) {
      const Slot& slot = table[j];
      if (slot.state == 0) return false;
      if (slot.state == 1 && slot.hash == hash && keys_equal(slot.key, key)) return true;
      if (probes-- == 0) break;
      ++j;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

// CPython 3.11's set_add_entry, so that the table layout (and iteration order) is the same.
void SetObject::add(Value key, std::int64_t hash) {
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  auto perturb = static_cast<std::size_t>(hash);
  Slot* freeslot = nullptr;
  while (true) {
    std::size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    std::size_t j = i;
    while (true) {
      Slot& slot = table[j];
      if (slot.state == 0) {
        if (freeslot != nullptr) {
          ++used;
          freeslot->key = std::move(key);
          freeslot->hash = hash;
          freeslot->state = 1;
          return;
        }
        ++fill;
        ++used;
        slot.key = std::move(key);
        slot.hash = hash;
        slot.state = 1;
        if (fill * 5 < mask * 3) return;
        resize(used > 50000 ? used * 2 : used * 4);
        return;
      }
      if (slot.state == 1 && slot.hash == hash && keys_equal(slot.key, key)) return;
      if (slot.state == 2) freeslot = &slot;  // CPython 3.11 keeps the last dummy seen
      if (probes-- == 0) break;
      ++j;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

bool SetObject::discard(const Value& key, std::int64_t hash) {
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  auto perturb = static_cast<std::size_t>(hash);
  while (true) {
    std::size_t probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    std::size_t j = i;
    while (true) {
      Slot& slot = table[j];
      if (slot.state == 0) return false;
      if (slot.state == 1 && slot.hash == hash && keys_equal(slot.key, key)) {
        slot.key = Value();
        slot.hash = -1;
        slot.state = 2;
        --used;
        return true;
      }
      if (probes-- == 0) break;
      ++j;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

void SetObject::resize(std::size_t min_used) {
  std::size_t size = 8;
  while (size <= min_used) size <<= 1;
  account(size * sizeof(Slot));
  std::vector<Slot> old = std::move(table);
  table = std::vector<Slot>(size);
  mask = size - 1;
  fill = used;
  for (Slot& slot : old) {
    if (slot.state == 1) insert_clean(table, mask, slot.key, slot.hash);
  }
}

namespace {
void insert_clean(std::vector<SetObject::Slot>& table, std::size_t mask, const Value& key,
                  std::int64_t hash) {
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  auto perturb = static_cast<std::size_t>(hash);
  while (true) {
    if (table[i].state == 0) break;
    bool placed = false;
    if (i + kLinearProbes <= mask) {
      for (std::size_t k = 1; k <= kLinearProbes; ++k) {
        if (table[i + k].state == 0) {
          i += k;
          placed = true;
          break;
        }
      }
    }
    if (placed) break;
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
  table[i].key = key;
  table[i].hash = hash;
  table[i].state = 1;
}
}  // namespace

void SetObject::merge(const SetObject& other) {
  if (&other == this || other.used == 0) return;
  if ((fill + other.used) * 5 >= mask * 3) resize((used + other.used) * 2);
  if (fill == 0 && mask == other.mask && other.fill == other.used) {
    table = other.table;
    fill = other.fill;
    used = other.used;
    return;
  }
  if (fill == 0) {
    fill = other.used;
    used = other.used;
    for (const Slot& slot : other.table) {
      if (slot.state == 1) insert_clean(table, mask, slot.key, slot.hash);
    }
    return;
  }
  for (const Slot& slot : other.table) {
    if (slot.state == 1) add(slot.key, slot.hash);
  }
}

void SetObject::update_from_dict(const DictObject& dict) {
  if ((fill + dict.entries.size()) * 5 >= mask * 3) resize((used + dict.entries.size()) * 2);
  for (std::size_t i = 0; i < dict.entries.size(); ++i) add(dict.entries[i].first, dict.hashes[i]);
}

// ---- comparison ---------------------------------------------------------------------------

bool identical(const Value& a, const Value& b) {
  auto ta = tag_of(a), tb = tag_of(b);
  if (ta != tb) return false;
  switch (ta) {
    case Tag::None:
      return true;
    case Tag::Bool:
      return ValueAccess::small(a) == ValueAccess::small(b);
    case Tag::SmallInt: {
      // CPython caches -5..256; other ints are distinct objects unless shared.
      std::int64_t x = ValueAccess::small(a);
      return x == ValueAccess::small(b) && x >= -5 && x <= 256;
    }
    case Tag::Float:
      return false;
    default:
      return ValueAccess::object(a) == ValueAccess::object(b);
  }
}

namespace {

int numeric_compare(const Value& a, const Value& b, bool& unordered) {
  unordered = false;
  auto ta = tag_of(a), tb = tag_of(b);
  if (ta != Tag::Float && tb != Tag::Float) return int_compare(a, b);
  if (ta == Tag::Float && tb == Tag::Float) {
    double x = ValueAccess::real(a), y = ValueAccess::real(b);
    if (std::isnan(x) || std::isnan(y)) {
      unordered = true;
      return 0;
    }
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (ta == Tag::Float) {
    double x = ValueAccess::real(a);
    if (std::isnan(x)) {
      unordered = true;
      return 0;
    }
    return -int_float_compare(b, x);
  }
  double y = ValueAccess::real(b);
  if (std::isnan(y)) {
    unordered = true;
    return 0;
  }
  return int_float_compare(a, y);
}

bool set_subset(const SetObject& a, const SetObject& b) {
  if (a.used > b.used) return false;
  bool ok = true;
  a.for_each([&](const Value& key, std::int64_t hash) {
    if (ok && !b.contains(key, hash)) ok = false;
  });
  return ok;
}

const char* op_symbol(CompareOp op) {
  switch (op) {
    case CompareOp::Lt:
      return "<";
    case CompareOp::Le:
      return "<=";
    case CompareOp::Gt:
      return ">";
    case CompareOp::Ge:
      return ">=";
    case CompareOp::Eq:
      return "==";
    default:
      return "!=";
  }
}

bool apply(CompareOp op, int c) {
  switch (op) {
    case CompareOp::Lt:
      return c < 0;
    case CompareOp::Le:
      return c <= 0;
    case CompareOp::Gt:
      return c > 0;
    case CompareOp::Ge:
      return c >= 0;
    case CompareOp::Eq:
      return c == 0;
    default:
      return c != 0;
  }
}

}  // namespace

bool rich_compare(const Value& a, const Value& b, CompareOp op) {
  if (op == CompareOp::Eq) return a == b;
  if (op == CompareOp::Ne) return !(a == b);
  auto ta = tag_of(a), tb = tag_of(b);
  if (is_numeric(a) && is_numeric(b)) {
    bool unordered = false;
    int c = numeric_compare(a, b, unordered);
    return !unordered && apply(op, c);
  }
  if (ta == Tag::Str && tb == Tag::Str) {
    charge_work(std::min(str_of(a).size(), str_of(b).size()) / 512 + 1);
    return apply(op, str_of(a).compare(str_of(b)));
  }
  if ((ta == Tag::List && tb == Tag::List) || (ta == Tag::Tuple && tb == Tag::Tuple)) {
    check_stack();
    const auto& x = seq_of(a);
    const auto& y = seq_of(b);
    std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
      charge_work(1);
      if (identical(x[i], y[i]) || x[i] == y[i]) continue;
      return rich_compare(x[i], y[i], op);
    }
    return apply(op, x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0));
  }
  if (ta == Tag::Set && tb == Tag::Set) {
    const auto& x = set_of(a);
    const auto& y = set_of(b);
    switch (op) {
      case CompareOp::Le:
        return set_subset(x, y);
      case CompareOp::Ge:
        return set_subset(y, x);
      case CompareOp::Lt:
        return x.used < y.used && set_subset(x, y);
      default:
        return y.used < x.used && set_subset(y, x);
    }
  }
  raise(ErrorKind::TypeError,
        std::string("'") + op_symbol(op) + "' not supported between instances of '" +
            std::string(a.type_name()) + "' and '" + std::string(b.type_name()) + "'");
}

bool less_than(const Value& a, const Value& b) { return rich_compare(a, b, CompareOp::Lt); }

// ---- repr ---------------------------------------------------------------------------------

namespace {

void repr_str(const std::string& s, std::string& out) {
  bool has_single = s.find('\'') != std::string::npos;
  bool has_double = s.find('"') != std::string::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  out += quote;
  std::size_t pos = 0;
  while (pos < s.size()) {
    char32_t c = decode_utf8(s, pos);
    if (c == static_cast<char32_t>(quote) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x80 ? (c < 0x20 || c == 0x7F) : !is_printable(c)) {
      append_escape(c, out);
    } else {
      encode_utf8(c, out);
    }
  }
  out += quote;
}

void check_repr_size(const std::string& out) { check_size(out.size(), "repr() result"); }

void repr_items(const std::vector<Value>& items, std::string& out, int depth) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    repr_into(items[i], out, depth + 1);
    check_repr_size(out);
  }
}

}  // namespace

void repr_into(const Value& v, std::string& out, int depth) {
  if (depth > 1000) raise(ErrorKind::RecursionError, "maximum recursion depth exceeded in repr");
  check_stack();
  switch (tag_of(v)) {
    case Tag::None:
      out += "None";
      return;
    case Tag::Bool:
      out += ValueAccess::small(v) ? "True" : "False";
      return;
    case Tag::SmallInt:
      out += std::to_string(ValueAccess::small(v));
      return;
    case Tag::BigInt:
      out += int_to_decimal(v);
      return;
    case Tag::Float:
      float_repr_into(ValueAccess::real(v), out);
      return;
    case Tag::Str:
      repr_str(str_of(v), out);
      return;
    case Tag::List:
      out += '[';
      repr_items(seq_of(v), out, depth);
      out += ']';
      return;
    case Tag::Tuple: {
      const auto& items = seq_of(v);
      out += '(';
      repr_items(items, out, depth);
      if (items.size() == 1) out += ',';
      out += ')';
      return;
    }
    case Tag::Dict: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : dict_of(v).entries) {
        if (!first) out += ", ";
        first = false;
        repr_into(key, out, depth + 1);
        out += ": ";
        repr_into(value, out, depth + 1);
        check_repr_size(out);
      }
      out += '}';
      return;
    }
    case Tag::Set: {
      const auto& set = set_of(v);
      if (set.used == 0) {
        out += "set()";
        return;
      }
      out += '{';
      bool first = true;
      set.for_each([&](const Value& key, std::int64_t) {
        if (!first) out += ", ";
        first = false;
        repr_into(key, out, depth + 1);
        check_repr_size(out);
      });
      out += '}';
      return;
    }
    case Tag::Range: {
      const auto& r = range_of(v);
      out += "range(" + std::to_string(r.start) + ", " + std::to_string(r.stop);
      if (r.step != 1) out += ", " + std::to_string(r.step);
      out += ')';
      return;
    }
    case Tag::Callable: {
      const auto& c = callable_of(v);
      if (c.is_type) {
        out += "<class '" + c.name + "'>";
      } else if (!c.self.is_none()) {
        out += "<built-in method " + c.name + " of " + std::string(c.self.type_name()) + " object>";
      } else {
        out += "<built-in function " + c.name + ">";
      }
      return;
    }
    case Tag::Iterator: {
      const auto& it = iterator_of(v);
      if (it.is_view) {
        out += it.type_name + "([";
        repr_items(it.items, out, depth);
        out += "])";
      } else if (it.type_name == "generator") {
        out += "<generator object <genexpr>>";
      } else {
        out += "<" + it.type_name + " object>";
      }
      return;
    }
  }
}

}  // namespace detail

using detail::Tag;
using detail::ValueAccess;

Value::Value(unsigned long i) : Value(static_cast<unsigned long long>(i)) {}
Value::Value(unsigned long long i) : tag_(Tag::SmallInt), small_(0) {
  if (i <= static_cast<unsigned long long>(INT64_MAX)) {
    small_ = static_cast<std::int64_t>(i);
  } else {
    *this = int_from_string(std::to_string(i));
  }
}

Value::Value(std::string_view utf8) : tag_(Tag::None), small_(0) {
  std::size_t length = 0;
  bool ascii = true;
  if (!detail::validate_utf8(utf8, length, ascii)) {
    throw Error(ErrorKind::ValueError, "invalid UTF-8 in a str value");
  }
  *this = detail::make_str(std::string(utf8), length, ascii);
}

Value Value::list(std::vector<Value> items) { return detail::make_list(std::move(items)); }
Value Value::tuple(std::vector<Value> items) { return detail::make_tuple(std::move(items)); }

Value Value::dict(std::vector<std::pair<Value, Value>> entries) {
  auto* object = new detail::DictObject();
  Value result = detail::make_dict(object);
  for (auto& [key, value] : entries) {
    auto hash = detail::hash_value(key);
    object->insert(std::move(key), hash, std::move(value));
  }
  return result;
}

Value Value::set(std::vector<Value> items) {
  auto* object = new detail::SetObject();
  Value result = detail::make_set(object);
  for (auto& item : items) {
    auto hash = detail::hash_value(item);
    object->add(std::move(item), hash);
  }
  return result;
}

Value Value::int_from_string(std::string_view text) {
  bool negative = !text.empty() && (text[0] == '-' || text[0] == '+');
  std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    throw Error(ErrorKind::ValueError,
                "invalid literal for int() with base 10: '" + std::string(text) + "'");
  }
  Value v = detail::int_from_digits(digits, 10);
  return text[0] == '-' ? detail::int_neg(v) : v;
}

Kind Value::kind() const noexcept {
  switch (tag_) {
    case Tag::None:
      return Kind::None;
    case Tag::Bool:
      return Kind::Bool;
    case Tag::SmallInt:
    case Tag::BigInt:
      return Kind::Int;
    case Tag::Float:
      return Kind::Float;
    case Tag::Str:
      return Kind::Str;
    case Tag::List:
      return Kind::List;
    case Tag::Tuple:
      return Kind::Tuple;
    case Tag::Dict:
      return Kind::Dict;
    case Tag::Set:
      return Kind::Set;
    case Tag::Range:
      return Kind::Range;
    case Tag::Callable:
      return Kind::Callable;
    case Tag::Iterator:
      return Kind::Iterator;
  }
  return Kind::None;
}

std::string_view Value::type_name() const noexcept {
  switch (tag_) {
    case Tag::None:
      return "NoneType";
    case Tag::Bool:
      return "bool";
    case Tag::SmallInt:
    case Tag::BigInt:
      return "int";
    case Tag::Float:
      return "float";
    case Tag::Str:
      return "str";
    case Tag::List:
      return "list";
    case Tag::Tuple:
      return "tuple";
    case Tag::Dict:
      return "dict";
    case Tag::Set:
      return "set";
    case Tag::Range:
      return "range";
    case Tag::Callable: {
      const auto& c = detail::callable_of(*this);
      return c.is_type ? std::string_view("type") : std::string_view("builtin_function_or_method");
    }
    case Tag::Iterator:
      return detail::iterator_of(*this).type_name;
  }
  return "object";
}

namespace {
[[noreturn]] void wrong_type(const Value& v, const char* expected) {
  throw Error(ErrorKind::TypeError,
              std::string("expected ") + expected + ", got " + std::string(v.type_name()));
}
}  // namespace

bool Value::as_bool() const {
  if (tag_ != Tag::Bool) wrong_type(*this, "bool");
  return small_ != 0;
}

std::int64_t Value::as_int64() const {
  if (tag_ == Tag::SmallInt) return small_;
  if (tag_ == Tag::BigInt)
    throw Error(ErrorKind::OverflowError, "int too large for int64: " + repr());
  wrong_type(*this, "int");
}

double Value::as_double() const {
  if (tag_ == Tag::Float) return real_;
  if (is_int()) return detail::int_to_double(*this);
  wrong_type(*this, "float");
}

std::string_view Value::as_str() const {
  if (tag_ != Tag::Str) wrong_type(*this, "str");
  return detail::str_of(*this);
}

std::span<const Value> Value::items() const {
  if (tag_ != Tag::List && tag_ != Tag::Tuple) wrong_type(*this, "list or tuple");
  return detail::seq_of(*this);
}

std::span<const std::pair<Value, Value>> Value::entries() const {
  if (tag_ != Tag::Dict) wrong_type(*this, "dict");
  return detail::dict_of(*this).entries;
}

std::vector<Value> Value::set_items() const {
  if (tag_ != Tag::Set) wrong_type(*this, "set");
  std::vector<Value> out;
  detail::set_of(*this).for_each([&](const Value& key, std::int64_t) { out.push_back(key); });
  return out;
}

const Value* Value::find(const Value& key) const {
  if (tag_ != Tag::Dict) wrong_type(*this, "dict");
  return detail::dict_of(*this).find(key, detail::hash_value(key));
}

std::size_t Value::size() const {
  switch (tag_) {
    case Tag::Str:
      return ValueAccess::as<detail::StrObject>(*this).length;
    case Tag::List:
    case Tag::Tuple:
      return detail::seq_of(*this).size();
    case Tag::Dict:
      return detail::dict_of(*this).entries.size();
    case Tag::Set:
      return detail::set_of(*this).used;
    case Tag::Range:
      return static_cast<std::size_t>(detail::range_of(*this).length());
    default:
      throw Error(ErrorKind::TypeError,
                  "object of type '" + std::string(type_name()) + "' has no len()");
  }
}

std::string Value::repr() const {
  std::string out;
  detail::repr_into(*this, out);
  return out;
}

std::string Value::str() const {
  if (tag_ == Tag::Str) return detail::str_of(*this);
  return repr();
}

bool Value::truthy() const noexcept {
  switch (tag_) {
    case Tag::None:
      return false;
    case Tag::Bool:
    case Tag::SmallInt:
      return small_ != 0;
    case Tag::BigInt:
      return true;
    case Tag::Float:
      return real_ != 0;
    case Tag::Str:
      return !detail::str_of(*this).empty();
    case Tag::List:
    case Tag::Tuple:
      return !detail::seq_of(*this).empty();
    case Tag::Dict:
      return !detail::dict_of(*this).entries.empty();
    case Tag::Set:
      return detail::set_of(*this).used != 0;
    case Tag::Range:
      return detail::range_of(*this).length() != 0;
    default:
      return true;
  }
}

bool operator==(const Value& a, const Value& b) {
  using detail::tag_of;
  auto ta = tag_of(a), tb = tag_of(b);
  if (detail::is_numeric(a) && detail::is_numeric(b)) {
    if ((ta == Tag::SmallInt || ta == Tag::Bool) && (tb == Tag::SmallInt || tb == Tag::Bool)) {
      return ValueAccess::small(a) == ValueAccess::small(b);
    }
    if (ta == Tag::Float && tb == Tag::Float) return ValueAccess::real(a) == ValueAccess::real(b);
    if (ta == Tag::Float || tb == Tag::Float) {
      double f = ta == Tag::Float ? ValueAccess::real(a) : ValueAccess::real(b);
      if (std::isnan(f)) return false;
      return detail::int_float_compare(ta == Tag::Float ? b : a, f) == 0;
    }
    return detail::int_compare(a, b) == 0;
  }
  if (ta != tb) return false;
  switch (ta) {
    case Tag::None:
      return true;
    case Tag::Str: {
      const std::string& x = detail::str_of(a);
      const std::string& y = detail::str_of(b);
      if (x.size() != y.size()) return false;
      detail::charge_work(x.size() / 512 + 1);
      return x == y;
    }
    case Tag::List:
    case Tag::Tuple: {
      detail::check_stack();
      const auto& x = detail::seq_of(a);
      const auto& y = detail::seq_of(b);
      if (x.size() != y.size()) return false;
      detail::charge_work(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!detail::identical(x[i], y[i]) && !(x[i] == y[i])) return false;
      }
      return true;
    }
    case Tag::Dict: {
      detail::check_stack();
      const auto& x = detail::dict_of(a);
      const auto& y = detail::dict_of(b);
      if (x.entries.size() != y.entries.size()) return false;
      detail::charge_work(x.entries.size());
      for (std::size_t i = 0; i < x.entries.size(); ++i) {
        const Value* other = y.find(x.entries[i].first, x.hashes[i]);
        if (other == nullptr) return false;
        if (!detail::identical(*other, x.entries[i].second) && !(*other == x.entries[i].second)) {
          return false;
        }
      }
      return true;
    }
    case Tag::Set: {
      detail::check_stack();
      const auto& x = detail::set_of(a);
      const auto& y = detail::set_of(b);
      if (x.used != y.used) return false;
      detail::charge_work(x.used);
      bool equal = true;
      x.for_each([&](const Value& key, std::int64_t hash) {
        if (equal && !y.contains(key, hash)) equal = false;
      });
      return equal;
    }
    case Tag::Range: {
      const auto& x = detail::range_of(a);
      const auto& y = detail::range_of(b);
      auto n = x.length();
      if (n != y.length()) return false;
      if (n == 0) return true;
      if (x.start != y.start) return false;
      return n == 1 || x.step == y.step;
    }
    case Tag::Iterator: {
      // dict_keys and dict_items compare like sets; everything else by identity.
      const auto& x = detail::iterator_of(a);
      const auto& y = detail::iterator_of(b);
      if (x.is_view && y.is_view && x.type_name == y.type_name && x.type_name != "dict_values") {
        if (x.items.size() != y.items.size()) return false;
        // Keys are unique and hashable, so each side is looked up by key (a dict_items
        // element is a (key, value) tuple): linear, as CPython's view comparison is.
        detail::charge_work(x.items.size());
        const bool items = x.type_name == "dict_items";
        auto key_of = [&](const Value& v) -> const Value& {
          return items ? detail::seq_of(v)[0] : v;
        };
        detail::DictObject index;
        for (const Value& other : y.items) {
          index.insert(key_of(other), detail::hash_value(key_of(other)), other);
        }
        for (const Value& item : x.items) {
          const Value* found = index.find(key_of(item), detail::hash_value(key_of(item)));
          if (found == nullptr || !(items ? *found == item : true)) return false;
        }
        return true;
      }
      return ValueAccess::object(a) == ValueAccess::object(b);
    }
    default:
      return ValueAccess::object(a) == ValueAccess::object(b);
  }
}

}  // namespace hparams
