// The sandbox's budgets: allocation and work charged per evaluation, the sizes of values.
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

}  // namespace detail
}  // namespace hparams
