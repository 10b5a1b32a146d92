// Python's comparisons: `is`, rich comparison, and ==.
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

bool apply(Op op, int c) {
  switch (op) {
    case Op::Lt:
      return c < 0;
    case Op::Le:
      return c <= 0;
    case Op::Gt:
      return c > 0;
    case Op::Ge:
      return c >= 0;
    case Op::Eq:
      return c == 0;
    default:
      return c != 0;
  }
}

}  // namespace

bool rich_compare(const Value& a, const Value& b, Op op) {
  if (op == Op::Eq) return a == b;
  if (op == Op::Ne) return !(a == b);
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
      case Op::Le:
        return set_subset(x, y);
      case Op::Ge:
        return set_subset(y, x);
      case Op::Lt:
        return x.used < y.used && set_subset(x, y);
      default:
        return y.used < x.used && set_subset(y, x);
    }
  }
  raise(ErrorKind::TypeError,
        std::string("'") + op_text(op) + "' not supported between instances of '" +
            std::string(a.type_name()) + "' and '" + std::string(b.type_name()) + "'");
}

bool less_than(const Value& a, const Value& b) { return rich_compare(a, b, Op::Lt); }

}  // namespace detail

using detail::Tag;
using detail::ValueAccess;

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
