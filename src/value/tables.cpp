// The dict index, and CPython's set table reproduced (so that iteration order is CPython's).
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

// CPython 3.11's probe sequence of a set table: from hash & mask, up to kLinearProbes
// neighbours when they fit, then the perturbed jump. `visit(index)` returns true to stop.
template <class Visit>
void probe(std::size_t mask, std::int64_t hash, Visit&& visit) {
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  auto perturb = static_cast<std::size_t>(hash);
  while (true) {
    const std::size_t last = i + kLinearProbes <= mask ? i + kLinearProbes : i;
    for (std::size_t j = i; j <= last; ++j) {
      if (visit(j)) return;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}
}  // namespace

bool SetObject::contains(const Value& key, std::int64_t hash) const {
  bool found = false;
  probe(mask, hash, [&](std::size_t j) {
    const Slot& slot = table[j];
    found = slot.state == 1 && slot.hash == hash && keys_equal(slot.key, key);
    return found || slot.state == 0;
  });
  return found;
}

// CPython 3.11's set_add_entry, so that the table layout (and iteration order) is the same.
void SetObject::add(Value key, std::int64_t hash) {
  Slot* freeslot = nullptr;
  Slot* empty = nullptr;
  probe(mask, hash, [&](std::size_t j) {
    Slot& slot = table[j];
    if (slot.state == 0) {
      empty = &slot;
      return true;
    }
    if (slot.state == 1 && slot.hash == hash && keys_equal(slot.key, key)) return true;
    if (slot.state == 2) freeslot = &slot;  // CPython 3.11 keeps the last dummy seen
    return false;
  });
  if (empty == nullptr) return;  // already present
  ++used;
  Slot& slot = freeslot != nullptr ? *freeslot : *empty;
  slot.key = std::move(key);
  slot.hash = hash;
  slot.state = 1;
  if (freeslot != nullptr) return;
  ++fill;
  if (fill * 5 < mask * 3) return;
  resize(used > 50000 ? used * 2 : used * 4);
}

bool SetObject::discard(const Value& key, std::int64_t hash) {
  Slot* found = nullptr;
  probe(mask, hash, [&](std::size_t j) {
    Slot& slot = table[j];
    if (slot.state == 1 && slot.hash == hash && keys_equal(slot.key, key)) found = &slot;
    return found != nullptr || slot.state == 0;
  });
  if (found == nullptr) return false;
  found->key = Value();
  found->hash = -1;
  found->state = 2;
  --used;
  return true;
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
  // A fresh table has no dummies and no equal keys: the first empty slot on the probe path.
  std::size_t i = 0;
  probe(mask, hash, [&](std::size_t j) {
    i = j;
    return table[j].state == 0;
  });
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

}  // namespace detail
}  // namespace hparams
