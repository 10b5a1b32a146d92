// The evaluator: walks the flat tree with Python's evaluation order, short-circuiting and
// scoping rules, and implements the operators.
#include "eval/interpreter.hpp"

#include <algorithm>
#include <cmath>

#include "num/numbers.hpp"
#include "text/search.hpp"
#include "text/unicode.hpp"
#include "value/stack_guard.hpp"

namespace hparams::detail {
namespace {

bool is_float(const Value& v) { return tag_of(v) == Tag::Float; }
double to_double(const Value& v) { return is_float(v) ? ValueAccess::real(v) : int_to_double(v); }
bool is_seq(const Value& v) { return tag_of(v) == Tag::List || tag_of(v) == Tag::Tuple; }

std::string type_of(const Value& v) { return std::string(v.type_name()); }

// CPython's messages name ** as "** or pow()".
const char* op_symbol(Op op) { return op == Op::Pow ? "** or pow()" : op_text(op); }

// The size limit and step charge of a sequence of `a + b` items, and of `items` repeated
// `times` times (checked without overflow).
void budget_concat(Interpreter& in, std::size_t a, std::size_t b) {
  check_size((a + b) * sizeof(Value), "a sequence");
  in.charge(a + b);
}

void budget_repeat(Interpreter& in, std::size_t items, std::uint64_t times) {
  if (items != 0 && times > kMaxValueBytes / (items * sizeof(Value))) {
    check_size(kMaxValueBytes + 1, "a repeated sequence");
  }
  in.charge(times * items);
}

Value repeat(Interpreter& in, const Value& seq, const Value& count) {
  if (!is_integral(count)) {
    raise(ErrorKind::TypeError,
          "can't multiply sequence by non-int of type '" + type_of(count) + "'");
  }
  std::int64_t n = 0;
  if (!small_int(count, n)) {
    raise(ErrorKind::OverflowError, "cannot fit 'int' into an index-sized integer");
  }
  if (n <= 0) {
    if (tag_of(seq) == Tag::Str) return make_str(std::string());
    return tag_of(seq) == Tag::List ? make_list({}) : make_tuple({});
  }
  auto un = static_cast<std::uint64_t>(n);
  // Repeating nothing is nothing, however many times (and must not loop that many times).
  if (seq.size() == 0) return seq;
  if (tag_of(seq) == Tag::Str) {
    const auto& s = ValueAccess::as<StrObject>(seq);
    if (!s.utf8.empty() && un > kMaxValueBytes / s.utf8.size()) {
      check_size(kMaxValueBytes + 1, "a repeated str");
    }
    in.charge(un * s.utf8.size() / 64 + 1);
    std::string out;
    out.reserve(s.utf8.size() * un);
    for (std::uint64_t i = 0; i < un; ++i) out += s.utf8;
    return make_str(std::move(out), s.length * un, s.ascii);
  }
  const auto& items = seq_of(seq);
  budget_repeat(in, items.size(), un);
  std::vector<Value> out;
  out.reserve(items.size() * un);
  for (std::uint64_t i = 0; i < un; ++i) out.insert(out.end(), items.begin(), items.end());
  return tag_of(seq) == Tag::List ? make_list(std::move(out)) : make_tuple(std::move(out));
}

// A list that nothing else refers to (a temporary of the expression being evaluated) can be
// extended in place: `[1] * 3 + [2] + ...` then allocates once instead of once per operator.
// Nobody can observe the difference.
bool unique_list(const Value& v) {
  return tag_of(v) == Tag::List &&
         ValueAccess::object(v)->refs.load(std::memory_order_relaxed) == 1;
}

std::vector<Value>& items_of(Value& unique) {
  return const_cast<SeqObject&>(ValueAccess::as<SeqObject>(unique)).items;
}

bool extend_in_place(Interpreter& in, Op op, Value& acc, const Value& rhs) {
  if (!unique_list(acc)) return false;
  if (op == Op::Add && tag_of(rhs) == Tag::List) {
    auto& x = items_of(acc);
    const auto& y = seq_of(rhs);
    budget_concat(in, x.size(), y.size());
    x.insert(x.end(), y.begin(), y.end());
    return true;
  }
  if (op == Op::Mul && is_integral(rhs) && tag_of(rhs) != Tag::BigInt) {
    std::int64_t n = 0;
    if (!small_int(rhs, n) || n <= 1) return n == 1;
    auto& x = items_of(acc);
    if (x.empty()) return true;
    auto un = static_cast<std::uint64_t>(n);
    budget_repeat(in, x.size(), un);
    std::size_t size = x.size();
    x.reserve(size * un);
    for (std::uint64_t i = 1; i < un; ++i) {
      for (std::size_t k = 0; k < size; ++k) x.push_back(x[k]);  // reserved: no reallocation
    }
    return true;
  }
  return false;
}

Value concat(Interpreter& in, const Value& a, const Value& b) {
  auto ta = tag_of(a), tb = tag_of(b);
  if (ta == Tag::Str) {
    if (tb != Tag::Str) {
      raise(ErrorKind::TypeError, "can only concatenate str (not \"" + type_of(b) + "\") to str");
    }
    const auto& x = ValueAccess::as<StrObject>(a);
    const auto& y = ValueAccess::as<StrObject>(b);
    check_size(x.utf8.size() + y.utf8.size(), "a str");
    in.charge((x.utf8.size() + y.utf8.size()) / 64);
    return make_str(x.utf8 + y.utf8, x.length + y.length, x.ascii && y.ascii);
  }
  if (ta != tb) {
    raise(ErrorKind::TypeError,
          "can only concatenate " + type_of(a) + " (not \"" + type_of(b) + "\") to " + type_of(a));
  }
  const auto& x = seq_of(a);
  const auto& y = seq_of(b);
  budget_concat(in, x.size(), y.size());
  std::vector<Value> out;
  out.reserve(x.size() + y.size());
  out.insert(out.end(), x.begin(), x.end());
  out.insert(out.end(), y.begin(), y.end());
  return ta == Tag::List ? make_list(std::move(out)) : make_tuple(std::move(out));
}

// CPython's set_or, set_intersection, set_difference and set_symmetric_difference, step by
// step, so that the result's table (and so its order) is the one CPython builds.
Value set_op(Interpreter& in, Op op, const Value& a, const Value& b) {
  const auto& x = set_of(a);
  const auto& y = set_of(b);
  auto* result = new SetObject();
  Value out = make_set(result);
  in.charge(x.used + y.used);
  switch (op) {
    case Op::BitOr:
      result->merge(x);
      result->merge(y);
      break;
    case Op::BitAnd: {
      const SetObject& probe = y.used > x.used ? y : x;
      const SetObject& walk = y.used > x.used ? x : y;
      walk.for_each([&](const Value& k, std::int64_t h) {
        if (probe.contains(k, h)) result->add(k, h);
      });
      break;
    }
    case Op::Sub:
      if ((x.used >> 2) > y.used) {
        result->merge(x);
        y.for_each([&](const Value& k, std::int64_t h) { result->discard(k, h); });
      } else {
        x.for_each([&](const Value& k, std::int64_t h) {
          if (!y.contains(k, h)) result->add(k, h);
        });
      }
      break;
    default:  // symmetric difference: a copy of the right operand, updated by the left
      result->merge(y);
      x.for_each([&](const Value& k, std::int64_t h) {
        if (!result->discard(k, h)) result->add(k, h);
      });
      break;
  }
  return out;
}

Value arithmetic(Op op, const Value& a, const Value& b) {
  if (!is_float(a) && !is_float(b)) {
    switch (op) {
      case Op::Add:
        return int_add(a, b);
      case Op::Sub:
        return int_sub(a, b);
      case Op::Mul:
        return int_mul(a, b);
      case Op::Div:
        return Value(int_truediv(a, b));
      case Op::FloorDiv:
        return int_floordiv(a, b);
      case Op::Mod:
        return int_mod(a, b);
      case Op::Pow:
        if (int_sign(b) < 0) {
          double base = int_to_double(a);
          if (base == 0)
            raise(ErrorKind::ZeroDivisionError, "0.0 cannot be raised to a negative power");
          return Value(float_pow(base, int_to_double(b)));
        }
        return int_pow(a, b);
      default:
        break;
    }
  }
  double x = to_double(a), y = to_double(b);
  switch (op) {
    case Op::Add:
      return Value(x + y);
    case Op::Sub:
      return Value(x - y);
    case Op::Mul:
      return Value(x * y);
    case Op::Div:
      if (y == 0) raise(ErrorKind::ZeroDivisionError, "float division by zero");
      return Value(x / y);
    case Op::FloorDiv:
      return Value(float_floordiv(x, y));
    case Op::Mod:
      return Value(float_mod(x, y));
    case Op::Pow:
      return Value(float_pow(x, y));
    default:
      break;
  }
  raise(ErrorKind::TypeError, "bad arithmetic operator");
}

}  // namespace

void unsupported_operands(const char* op, const Value& a, const Value& b) {
  raise(ErrorKind::TypeError, std::string("unsupported operand type(s) for ") + op + ": '" +
                                  type_of(a) + "' and '" + type_of(b) + "'");
}

Value binary_op(Interpreter& in, Op op, const Value& a, const Value& b) {
  auto ta = tag_of(a), tb = tag_of(b);
  switch (op) {
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Div:
    case Op::FloorDiv:
    case Op::Mod:
    case Op::Pow:
      if (is_numeric(a) && is_numeric(b)) return arithmetic(op, a, b);
      break;
    default:
      break;
  }
  switch (op) {
    case Op::Add:
      if (ta == Tag::Str || ta == Tag::List || ta == Tag::Tuple) return concat(in, a, b);
      break;
    case Op::Mul:
      if (ta == Tag::Str || ta == Tag::List || ta == Tag::Tuple) return repeat(in, a, b);
      if (tb == Tag::Str || tb == Tag::List || tb == Tag::Tuple) return repeat(in, b, a);
      break;
    case Op::Mod:
      if (ta == Tag::Str) return percent_format(in, a, b);
      break;
    case Op::Sub:
      if (ta == Tag::Set && tb == Tag::Set) return set_op(in, op, a, b);
      break;
    case Op::BitAnd:
    case Op::BitOr:
    case Op::BitXor:
      if (is_integral(a) && is_integral(b)) {
        Value r = int_bitop(op == Op::BitAnd ? '&' : op == Op::BitOr ? '|' : '^', a, b);
        if (ta == Tag::Bool && tb == Tag::Bool) return Value(r.truthy());
        return r;
      }
      if (ta == Tag::Set && tb == Tag::Set) return set_op(in, op, a, b);
      if (op == Op::BitOr && ta == Tag::Dict && tb == Tag::Dict) {
        auto* merged = new DictObject();
        Value out = make_dict(merged);
        merged->entries = dict_of(a).entries;
        merged->hashes = dict_of(a).hashes;
        merged->index = dict_of(a).index;
        const auto& y = dict_of(b);
        in.charge(merged->entries.size() + y.entries.size());
        for (std::size_t i = 0; i < y.entries.size(); ++i) {
          merged->insert(y.entries[i].first, y.hashes[i], y.entries[i].second);
        }
        return out;
      }
      break;
    case Op::LShift:
    case Op::RShift:
      if (is_integral(a) && is_integral(b)) {
        return op == Op::LShift ? int_lshift(a, b) : int_rshift(a, b);
      }
      break;
    default:
      break;
  }
  unsupported_operands(op_symbol(op), a, b);
}

Value unary_op(Op op, const Value& a) {
  if (op == Op::Not) return Value(!a.truthy());
  auto t = tag_of(a);
  if (t == Tag::Float) {
    double x = ValueAccess::real(a);
    if (op == Op::Neg) return Value(-x);
    if (op == Op::Pos) return a;
  } else if (is_integral(a)) {
    if (op == Op::Neg) return int_neg(a);
    if (op == Op::Pos) return t == Tag::Bool ? Value(ValueAccess::small(a)) : a;
    return int_invert(a);
  }
  const char* symbol = op == Op::Neg ? "-" : op == Op::Pos ? "+" : "~";
  raise(ErrorKind::TypeError,
        std::string("bad operand type for unary ") + symbol + ": '" + type_of(a) + "'");
}

bool contains(Interpreter& in, const Value& container, const Value& item) {
  switch (tag_of(container)) {
    case Tag::Str: {
      if (tag_of(item) != Tag::Str) {
        raise(ErrorKind::TypeError,
              "'in <string>' requires string as left operand, not " + type_of(item));
      }
      in.charge(str_of(container).size() / 256 + 1);
      return find_bytes(str_of(container), str_of(item)) != kNotFound;
    }
    case Tag::List:
    case Tag::Tuple:
      for (const Value& v : seq_of(container)) {
        in.charge(1);
        if (identical(v, item) || v == item) return true;
      }
      return false;
    case Tag::Dict:
      return dict_of(container).find(item, hash_value(item)) != nullptr;
    case Tag::Set:
      // A set looked up in a set is hashed as the equal frozenset, as CPython does.
      if (tag_of(item) == Tag::Set) return set_of(container).contains(item, frozenset_hash(item));
      return set_of(container).contains(item, hash_value(item));
    case Tag::Range: {
      const auto& r = range_of(container);
      std::int64_t x = 0;
      if (tag_of(item) == Tag::SmallInt || tag_of(item) == Tag::Bool) {
        x = ValueAccess::small(item);
        if (r.step > 0 ? (x < r.start || x >= r.stop) : (x > r.start || x <= r.stop)) return false;
        auto offset = static_cast<std::uint64_t>(x) - static_cast<std::uint64_t>(r.start);
        auto step = r.step > 0 ? static_cast<std::uint64_t>(r.step)
                               : 0 - static_cast<std::uint64_t>(r.step);
        if (r.step < 0) offset = 0 - offset;
        return offset % step == 0;
      }
      if (tag_of(item) == Tag::BigInt) return false;
      break;
    }
    case Tag::Iterator:
      break;
    default:
      raise(ErrorKind::TypeError, "argument of type '" + type_of(container) + "' is not iterable");
  }
  bool found = false;
  in.iterate(container, [&](const Value& v) {
    if (identical(v, item) || v == item) found = true;
    return !found;
  });
  return found;
}

std::int64_t index_value(const Value& v, const char* what) {
  if (is_integral(v)) {
    std::int64_t i = 0;
    if (small_int(v, i)) return i;
    raise(ErrorKind::IndexError, "cannot fit 'int' into an index-sized integer");
  }
  raise(ErrorKind::TypeError, std::string(what) + ", not " + type_of(v));
}

namespace {

// PySlice_GetIndicesEx for a sequence of `length` items.
void adjust_slice(std::int64_t length, const Value* lower, const Value* upper, const Value* step,
                  std::int64_t& start, std::int64_t& stop, std::int64_t& stride) {
  auto bound = [](const Value* v, std::int64_t fallback) -> std::int64_t {
    if (v == nullptr || v->is_none()) return fallback;
    if (!is_integral(*v)) {
      raise(ErrorKind::TypeError,
            "slice indices must be integers or None or have an __index__ method");
    }
    std::int64_t i = 0;
    if (small_int(*v, i)) return i;
    return int_sign(*v) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
  };
  stride = bound(step, 1);
  if (stride == 0) raise(ErrorKind::ValueError, "slice step cannot be zero");
  // CPython's PySlice_Unpack: a step below -PY_SSIZE_T_MAX is -PY_SSIZE_T_MAX, so that it
  // can be negated.
  if (stride < -INT64_MAX) stride = -INT64_MAX;
  bool negative = stride < 0;
  start = bound(lower, negative ? INT64_MAX / 2 : 0);
  stop = bound(upper, negative ? INT64_MIN / 2 : INT64_MAX / 2);
  auto clamp = [&](std::int64_t& i) {
    if (i < 0) {
      i += length;
      if (i < 0) i = negative ? -1 : 0;
    } else if (i >= length) {
      i = negative ? length - 1 : length;
    }
  };
  if (lower == nullptr || lower->is_none()) {
    start = negative ? length - 1 : 0;
  } else {
    clamp(start);
  }
  if (upper == nullptr || upper->is_none()) {
    stop = negative ? -1 : length;
  } else {
    clamp(stop);
  }
}

std::int64_t slice_length(std::int64_t start, std::int64_t stop, std::int64_t step) {
  if (step < 0) {
    if (stop < start) return (start - stop - 1) / (-step) + 1;
  } else if (start < stop) {
    return (stop - start - 1) / step + 1;
  }
  return 0;
}

}  // namespace

Value slice(Interpreter& in, const Value& object, const Value* lower, const Value* upper,
            const Value* step) {
  auto t = tag_of(object);
  std::int64_t start = 0, stop = 0, stride = 1;
  if (t == Tag::List || t == Tag::Tuple) {
    const auto& items = seq_of(object);
    adjust_slice(static_cast<std::int64_t>(items.size()), lower, upper, step, start, stop, stride);
    std::int64_t n = slice_length(start, stop, stride);
    in.charge(static_cast<std::uint64_t>(n));
    std::vector<Value> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0, k = start; i < n; ++i, k += stride)
      out.push_back(items[static_cast<std::size_t>(k)]);
    return t == Tag::List ? make_list(std::move(out)) : make_tuple(std::move(out));
  }
  if (t == Tag::Str) {
    const auto& s = ValueAccess::as<StrObject>(object);
    adjust_slice(static_cast<std::int64_t>(s.length), lower, upper, step, start, stop, stride);
    std::int64_t n = slice_length(start, stop, stride);
    in.charge(static_cast<std::uint64_t>(n) / 16);
    if (s.ascii) {
      std::string out;
      out.reserve(static_cast<std::size_t>(n));
      for (std::int64_t i = 0, k = start; i < n; ++i, k += stride)
        out += s.utf8[static_cast<std::size_t>(k)];
      return make_str(std::move(out), static_cast<std::size_t>(n), true);
    }
    std::u32string cps = to_u32(s.utf8);
    std::u32string out;
    for (std::int64_t i = 0, k = start; i < n; ++i, k += stride)
      out += cps[static_cast<std::size_t>(k)];
    return make_str(from_u32(out));
  }
  if (t == Tag::Range) {
    const auto& r = range_of(object);
    adjust_slice(r.length(), lower, upper, step, start, stop, stride);
    // The new step is the range's times the slice's as given (CPython keeps -2**63 as is);
    // the value language's ranges hold 64-bit numbers, so anything larger is an error.
    std::int64_t given = stride;
    if (step != nullptr && !step->is_none()) small_int(*step, given);
    std::int64_t first = 0, last = 0, new_step = 0;
    if ((step != nullptr && tag_of(*step) == Tag::BigInt) ||
        __builtin_mul_overflow(start, r.step, &first) ||
        __builtin_add_overflow(first, r.start, &first) ||
        __builtin_mul_overflow(stop, r.step, &last) ||
        __builtin_add_overflow(last, r.start, &last) ||
        __builtin_mul_overflow(r.step, given, &new_step)) {
      raise(ErrorKind::OverflowError,
            "the sliced range does not fit 64-bit bounds (a limit of the value language)");
    }
    return make_range(first, last, new_step);
  }
  if (t == Tag::Dict) raise(ErrorKind::TypeError, "unhashable type: 'slice'");
  raise(ErrorKind::TypeError, "'" + type_of(object) + "' object is not subscriptable");
}

Value subscript(Interpreter& in, const Value& object, const Value& index) {
  (void)in;
  auto t = tag_of(object);
  switch (t) {
    case Tag::List:
    case Tag::Tuple: {
      const auto& items = seq_of(object);
      std::int64_t i =
          index_value(index, t == Tag::List ? "list indices must be integers or slices"
                                            : "tuple indices must be integers or slices");
      auto n = static_cast<std::int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) {
        raise(ErrorKind::IndexError,
              std::string(t == Tag::List ? "list" : "tuple") + " index out of range");
      }
      return items[static_cast<std::size_t>(i)];
    }
    case Tag::Str: {
      const auto& s = ValueAccess::as<StrObject>(object);
      if (!is_integral(index)) {
        raise(ErrorKind::TypeError,
              "string indices must be integers, not '" + type_of(index) + "'");
      }
      std::int64_t i = index_value(index, "string indices must be integers");
      auto n = static_cast<std::int64_t>(s.length);
      if (i < 0) i += n;
      if (i < 0 || i >= n) raise(ErrorKind::IndexError, "string index out of range");
      if (s.ascii) return make_str(std::string(1, s.utf8[static_cast<std::size_t>(i)]), 1, true);
      std::size_t pos = 0;
      for (std::int64_t k = 0; k < i; ++k) decode_utf8(s.utf8, pos);
      std::size_t begin = pos;
      decode_utf8(s.utf8, pos);
      return make_str(s.utf8.substr(begin, pos - begin), 1, false);
    }
    case Tag::Dict: {
      const Value* found = dict_of(object).find(index, hash_value(index));
      if (found == nullptr) raise(ErrorKind::KeyError, index.repr());
      return *found;
    }
    case Tag::Range: {
      const auto& r = range_of(object);
      std::int64_t i = index_value(index, "range indices must be integers or slices");
      std::int64_t n = r.length();
      if (i < 0) i += n;
      if (i < 0 || i >= n) raise(ErrorKind::IndexError, "range object index out of range");
      return Value(r.at(i));
    }
    default:
      raise(ErrorKind::TypeError, "'" + type_of(object) + "' object is not subscriptable");
  }
}

// ---- the interpreter ------------------------------------------------------------------------

namespace {

// Whether CPython's AST optimizer would have folded this value into a constant: literals,
// and unary/binary operators, subscripts and tuples over them, within its size limits.
bool foldable_result(const Value& v) {
  switch (tag_of(v)) {
    case Tag::SmallInt:
    case Tag::BigInt:
      return int_bit_length(v) <= 128;
    case Tag::Str:
      return v.size() <= 4096;
    case Tag::Tuple: {
      const auto& items = seq_of(v);
      if (items.size() > 256) return false;
      for (const Value& item : items) {
        if (!foldable_result(item)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

}  // namespace

bool Interpreter::constant_node(std::uint32_t index) const {
  const Node& n = ast_.nodes[index];
  switch (n.kind) {
    case NodeKind::Constant:
      return true;
    case NodeKind::Unary:
    case NodeKind::BinOp:
    case NodeKind::Power:
    case NodeKind::Tuple:
    case NodeKind::Subscript:
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (!constant_node(ast_.kid(n, i))) return false;
      }
      return true;
    default:
      return false;
  }
}

bool Interpreter::constant_display(const Node& n, const std::vector<Value>& items) const {
  for (std::uint32_t i = 0; i < n.count; ++i) {
    if (!constant_node(ast_.kid(n, i)) || !foldable_result(items[i])) return false;
  }
  return true;
}

void Interpreter::budget_exceeded() {
  raise(ErrorKind::TimeoutError,
        "evaluation exceeded the step budget of " + std::to_string(limits_.max_steps) + " steps");
}

Value Interpreter::run() {
  AllocationBudget budget{0, limits_.max_total_bytes, &steps_, limits_.max_steps};
  struct Scope {
    AllocationBudget* saved = t_allocation_budget;
    explicit Scope(AllocationBudget* b) { t_allocation_budget = b; }
    ~Scope() { t_allocation_budget = saved; }
  } scope(&budget);
  Value out = eval(ast_.root);
  allocated_ = budget.used;
  return out;
}

Value Interpreter::eval(std::uint32_t index) {
  const Node& n = ast_.nodes[index];
  charge(1);
  check_stack();
  try {
    return eval_node(n);
  } catch (const Error& e) {
    if (e.location().line > 0) throw;
    throw e.at(static_cast<int>(n.line), static_cast<int>(n.column));
  }
}

const Value* Interpreter::lookup(std::uint32_t name) const {
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->first == name) return &it->second;
  }
  return nullptr;
}

Value Interpreter::eval_name(const Node& n) {
  if (const Value* v = lookup(n.data)) return *v;
  int id = find_builtin(ast_.names[n.data]);
  if (id < 0) raise(ErrorKind::NameError, "name '" + ast_.names[n.data] + "' is not defined");
  made_opaque_ = true;
  return builtin_value(id);
}

Value Interpreter::eval_node(const Node& n) {
  switch (n.kind) {
    case NodeKind::Constant:
      return ast_.constants[n.data];
    case NodeKind::Name:
      return eval_name(n);
    case NodeKind::Tuple:
    case NodeKind::List: {
      std::vector<Value> items;
      items.reserve(n.count);
      for (std::uint32_t i = 0; i < n.count; ++i) items.push_back(eval(ast_.kid(n, i)));
      return n.kind == NodeKind::List ? make_list(std::move(items)) : make_tuple(std::move(items));
    }
    case NodeKind::Set: {
      // CPython evaluates every element before building (BUILD_SET), so an unknown name
      // later in the display wins over an unhashable element earlier.
      std::vector<Value> items;
      items.reserve(n.count);
      for (std::uint32_t i = 0; i < n.count; ++i) items.push_back(eval(ast_.kid(n, i)));
      auto* set = new SetObject();
      Value out = make_set(set);
      if (n.count > 2 && constant_display(n, items)) {
        // CPython folds a display of three or more constants into a frozenset constant and
        // merges that into the new set, which lays the table out differently.
        // The compiler's constant merging then rebuilds that frozenset from its own
        // iteration order (merge_consts_recursive), hence the two passes.
        SetObject first, folded;
        for (std::uint32_t i = 0; i < n.count; ++i) first.add(items[i], hash_value(items[i]));
        first.for_each([&](const Value& k, std::int64_t h) { folded.add(k, h); });
        set->merge(folded);
        return out;
      }
      for (std::uint32_t i = 0; i < n.count; ++i) {
        auto h = hash_value(items[i]);
        set->add(std::move(items[i]), h);
      }
      return out;
    }
    case NodeKind::Dict: {
      std::vector<Value> items;
      items.reserve(n.count);
      for (std::uint32_t i = 0; i < n.count; ++i) items.push_back(eval(ast_.kid(n, i)));
      auto* dict = new DictObject();
      Value out = make_dict(dict);
      for (std::uint32_t i = 0; i + 1 < n.count; i += 2) {
        auto h = hash_value(items[i]);
        dict->insert(std::move(items[i]), h, std::move(items[i + 1]));
      }
      return out;
    }
    case NodeKind::BinOp: {
      Value acc = eval(ast_.kid(n, 0));
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Value rhs = eval(ast_.kid(n, i));
        const OpAt& op = ast_.ops[n.data + i - 1];
        try {
          if (!extend_in_place(*this, op.op, acc, rhs)) acc = binary_op(*this, op.op, acc, rhs);
        } catch (const Error& e) {
          if (e.location().line > 0) throw;
          throw e.at(static_cast<int>(op.line), static_cast<int>(op.column));
        }
      }
      return acc;
    }
    case NodeKind::Power: {
      Value base = eval(ast_.kid(n, 0));
      Value exponent = eval(ast_.kid(n, 1));
      return binary_op(*this, Op::Pow, base, exponent);
    }
    case NodeKind::Unary:
      return unary_op(n.op, eval(ast_.kid(n, 0)));
    case NodeKind::BoolOp: {
      Value v;
      for (std::uint32_t i = 0; i < n.count; ++i) {
        v = eval(ast_.kid(n, i));
        bool truth = v.truthy();
        if (n.op == Op::And ? !truth : truth) return v;
      }
      return v;
    }
    case NodeKind::Compare: {
      Value left = eval(ast_.kid(n, 0));
      for (std::uint32_t i = 1; i < n.count; ++i) {
        Value right = eval(ast_.kid(n, i));
        const OpAt& op = ast_.ops[n.data + i - 1];
        bool result = false;
        try {
          switch (op.op) {
            case Op::Lt:
              result = rich_compare(left, right, Op::Lt);
              break;
            case Op::Le:
              result = rich_compare(left, right, Op::Le);
              break;
            case Op::Gt:
              result = rich_compare(left, right, Op::Gt);
              break;
            case Op::Ge:
              result = rich_compare(left, right, Op::Ge);
              break;
            case Op::Eq:
              result = left == right;
              break;
            case Op::Ne:
              result = !(left == right);
              break;
            case Op::In:
              result = contains(*this, right, left);
              break;
            case Op::NotIn:
              result = !contains(*this, right, left);
              break;
            case Op::Is:
              result = identical(left, right);
              break;
            default:
              result = !identical(left, right);
              break;
          }
        } catch (const Error& e) {
          if (e.location().line > 0) throw;
          throw e.at(static_cast<int>(op.line), static_cast<int>(op.column));
        }
        if (!result) return Value(false);
        left = std::move(right);
      }
      return Value(true);
    }
    case NodeKind::IfExp:
      return eval(ast_.kid(n, 1)).truthy() ? eval(ast_.kid(n, 0)) : eval(ast_.kid(n, 2));
    case NodeKind::Call:
      return eval_call(n);
    case NodeKind::Attribute: {
      Value object = eval(ast_.kid(n, 0));
      const std::string& name = ast_.names[n.data];
      int id = find_method(object, name);
      if (id < 0) {
        if (tag_of(object) == Tag::Callable && callable_of(object).is_type) {
          raise(ErrorKind::AttributeError,
                "type object '" + callable_of(object).name + "' has no attribute '" + name + "'");
        }
        raise(ErrorKind::AttributeError,
              "'" + type_of(object) + "' object has no attribute '" + name + "'");
      }
      made_opaque_ = true;
      return make_callable(id, false, name, object);
    }
    case NodeKind::Subscript:
      return eval_subscript(n);
    case NodeKind::Slice:
      raise(ErrorKind::TypeError, "slices are only allowed inside []");
    case NodeKind::ListComp:
    case NodeKind::SetComp:
    case NodeKind::DictComp:
      return eval_comprehension(n);
    case NodeKind::GenExp:
      return make_generator(n);
    case NodeKind::CompFor:
      break;
  }
  raise(ErrorKind::SyntaxError, "unexpected node");
}

Value Interpreter::eval_subscript(const Node& n) {
  Value object = eval(ast_.kid(n, 0));
  const Node& index = ast_.nodes[ast_.kid(n, 1)];
  if (index.kind == NodeKind::Slice) {
    Value bounds[3];
    const Value* ptrs[3] = {nullptr, nullptr, nullptr};
    for (std::uint32_t i = 0; i < 3; ++i) {
      std::uint32_t k = ast_.kid(index, i);
      if (k != kNoNode) {
        bounds[i] = eval(k);
        ptrs[i] = &bounds[i];
      }
    }
    return slice(*this, object, ptrs[0], ptrs[1], ptrs[2]);
  }
  if (index.kind == NodeKind::Tuple) {
    for (std::uint32_t i = 0; i < index.count; ++i) {
      if (ast_.nodes[ast_.kid(index, i)].kind == NodeKind::Slice) {
        if (tag_of(object) == Tag::Dict) raise(ErrorKind::TypeError, "unhashable type: 'slice'");
        raise(ErrorKind::TypeError,
              std::string(object.type_name()) + " indices must be integers or slices, not tuple");
      }
    }
  }
  Value key = eval(ast_.kid(n, 1));
  return subscript(*this, object, key);
}

Value Interpreter::eval_call(const Node& n) {
  const Node& func = ast_.nodes[ast_.kid(n, 0)];
  Value self;
  int method = -1;
  int builtin = -1;
  Value callee;
  if (func.kind == NodeKind::Attribute) {
    self = eval(ast_.kid(func, 0));
    const std::string& name = ast_.names[func.data];
    method = find_method(self, name);
    if (method < 0) {
      raise(ErrorKind::AttributeError,
            "'" + type_of(self) + "' object has no attribute '" + name + "'");
    }
  } else if (func.kind == NodeKind::Name && lookup(func.data) == nullptr) {
    builtin = find_builtin(ast_.names[func.data]);
    if (builtin < 0) {
      throw Error(ErrorKind::NameError, "name '" + ast_.names[func.data] + "' is not defined",
                  SourceLocation{"", static_cast<int>(func.line), static_cast<int>(func.column)});
    }
  } else {
    callee = eval(ast_.kid(n, 0));
  }
  Args args;
  args.pos.reserve(n.extra);
  for (std::uint32_t i = 1; i <= n.extra; ++i) args.pos.push_back(eval(ast_.kid(n, i)));
  for (std::uint32_t i = n.extra + 1; i + 1 < n.count; i += 2) {
    const Node& key = ast_.nodes[ast_.kid(n, i)];
    args.kw.emplace_back(ast_.names[key.data], eval(ast_.kid(n, i + 1)));
  }
  if (method >= 0) {
    args.name = method_name(method);
    return call_method(*this, method, self, args);
  }
  if (builtin >= 0) return call_builtin(*this, builtin, args);
  return call(callee, args);
}

Value Interpreter::call(const Value& callable, Args& args) {
  if (tag_of(callable) != Tag::Callable) {
    raise(ErrorKind::TypeError, "'" + type_of(callable) + "' object is not callable");
  }
  const auto& c = callable_of(callable);
  if (!c.self.is_none() || c.id >= 1000) {
    args.name = method_name(c.id);
    return call_method(*this, c.id, c.self, args);
  }
  return call_builtin(*this, c.id, args);
}

void Interpreter::bind(std::uint32_t target, const Value& value) {
  const Node& t = ast_.nodes[target];
  if (t.kind == NodeKind::Name) {
    scope_.emplace_back(t.data, value);
    return;
  }
  // Tuple unpacking: for a, (b, c) in ...
  std::vector<Value> items;
  if (is_seq(value)) {
    items = seq_of(value);
  } else {
    items = to_vector(value);
  }
  if (items.size() < t.count) {
    raise(ErrorKind::ValueError, "not enough values to unpack (expected " +
                                     std::to_string(t.count) + ", got " +
                                     std::to_string(items.size()) + ")");
  }
  if (items.size() > t.count) {
    raise(ErrorKind::ValueError,
          "too many values to unpack (expected " + std::to_string(t.count) + ")");
  }
  for (std::uint32_t i = 0; i < t.count; ++i) bind(ast_.kid(t, i), items[i]);
}

void Interpreter::run_comprehension(const Node& n, std::uint32_t clause,
                                    const Value* first_iterable, const std::function<bool()>& emit,
                                    bool& stop) {
  check_stack();  // one level per `for` clause, and CPython takes thousands of them
  const Node& c = ast_.nodes[ast_.kid(n, clause)];
  Value iterable =
      (clause == n.extra && first_iterable != nullptr) ? *first_iterable : eval(ast_.kid(c, 1));
  std::size_t mark = scope_.size();
  iterate(iterable, [&](const Value& item) {
    scope_.resize(mark);
    bind(ast_.kid(c, 0), item);
    for (std::uint32_t k = 2; k < c.count; ++k) {
      if (!eval(ast_.kid(c, k)).truthy()) return true;
    }
    if (clause + 1 < n.count) {
      run_comprehension(n, clause + 1, nullptr, emit, stop);
    } else if (!emit()) {
      stop = true;
    }
    return !stop;
  });
  scope_.resize(mark);
}

Value Interpreter::eval_comprehension(const Node& n) {
  bool stop = false;
  std::size_t mark = scope_.size();
  struct Restore {
    std::vector<std::pair<std::uint32_t, Value>>& scope;
    std::size_t mark;
    ~Restore() { scope.resize(mark); }
  } restore{scope_, mark};
  if (n.kind == NodeKind::ListComp) {
    std::vector<Value> items;
    run_comprehension(
        n, n.extra, nullptr,
        [&] {
          push_counted(items, eval(ast_.kid(n, 0)));
          return true;
        },
        stop);
    return make_list(std::move(items));
  }
  if (n.kind == NodeKind::SetComp) {
    auto* set = new SetObject();
    Value out = make_set(set);
    run_comprehension(
        n, n.extra, nullptr,
        [&] {
          Value v = eval(ast_.kid(n, 0));
          auto h = hash_value(v);
          set->add(std::move(v), h);
          check_size(set->table.size() * sizeof(SetObject::Slot), "a set");
          return true;
        },
        stop);
    return out;
  }
  auto* dict = new DictObject();
  Value out = make_dict(dict);
  run_comprehension(
      n, n.extra, nullptr,
      [&] {
        Value key = eval(ast_.kid(n, 0));
        Value value = eval(ast_.kid(n, 1));
        auto h = hash_value(key);
        dict->insert(std::move(key), h, std::move(value));
        check_size(dict->entries.size() * 2 * sizeof(Value), "a dict");
        return true;
      },
      stop);
  return out;
}

Value Interpreter::make_generator(const Node& n) {
  // The first iterable is evaluated at once (as CPython does); the rest runs when consumed.
  const Node& first = ast_.nodes[ast_.kid(n, n.extra)];
  Value first_iterable = eval(ast_.kid(first, 1));
  if (tag_of(first_iterable) != Tag::Str && tag_of(first_iterable) != Tag::List &&
      tag_of(first_iterable) != Tag::Tuple && tag_of(first_iterable) != Tag::Dict &&
      tag_of(first_iterable) != Tag::Set && tag_of(first_iterable) != Tag::Range &&
      tag_of(first_iterable) != Tag::Iterator) {
    raise(ErrorKind::TypeError, "'" + type_of(first_iterable) + "' object is not iterable");
  }
  Value gen = make_iterator("generator", {});
  made_opaque_ = true;
  auto* object = static_cast<IteratorObject*>(ValueAccess::object(gen));
  auto captured = scope_;
  const Node* node = &n;
  object->generate = [this, node, first_iterable, captured](const Sink& sink) {
    auto saved = std::move(scope_);
    scope_ = captured;
    struct Restore {
      std::vector<std::pair<std::uint32_t, Value>>& scope;
      std::vector<std::pair<std::uint32_t, Value>>& saved;
      ~Restore() { scope = std::move(saved); }
    } restore{scope_, saved};
    bool stop = false;
    run_comprehension(
        *node, node->extra, &first_iterable, [&] { return sink(eval(ast_.kid(*node, 0))); }, stop);
  };
  return gen;
}

void Interpreter::iterate(const Value& iterable, const Sink& sink) {
  switch (tag_of(iterable)) {
    case Tag::Str: {
      const auto& s = ValueAccess::as<StrObject>(iterable);
      std::size_t pos = 0;
      while (pos < s.utf8.size()) {
        std::size_t begin = pos;
        decode_utf8(s.utf8, pos);
        charge(1);
        if (!sink(make_str(s.utf8.substr(begin, pos - begin), 1, pos - begin == 1))) return;
      }
      return;
    }
    case Tag::List:
    case Tag::Tuple: {
      Value keep = iterable;
      for (const Value& v : seq_of(keep)) {
        charge(1);
        if (!sink(v)) return;
      }
      return;
    }
    case Tag::Dict: {
      Value keep = iterable;
      for (const auto& entry : dict_of(keep).entries) {
        charge(1);
        if (!sink(entry.first)) return;
      }
      return;
    }
    case Tag::Set: {
      Value keep = iterable;
      for (const auto& slot : set_of(keep).table) {
        if (slot.state != 1) continue;
        charge(1);
        if (!sink(slot.key)) return;
      }
      return;
    }
    case Tag::Range: {
      const auto& r = range_of(iterable);
      std::int64_t n = r.length();
      for (std::int64_t i = 0; i < n; ++i) {
        charge(1);
        if (!sink(Value(r.at(i)))) return;
      }
      return;
    }
    case Tag::Iterator: {
      Value keep = iterable;
      const auto& it = iterator_of(keep);
      if (it.generate) {
        it.generate([&](const Value& v) {
          charge(1);
          return sink(v);
        });
        return;
      }
      for (const Value& v : it.items) {
        charge(1);
        if (!sink(v)) return;
      }
      return;
    }
    default:
      raise(ErrorKind::TypeError, "'" + type_of(iterable) + "' object is not iterable");
  }
}

std::vector<Value> Interpreter::to_vector(const Value& iterable) {
  if (is_seq(iterable)) return seq_of(iterable);
  std::vector<Value> out;
  iterate(iterable, [&](const Value& v) {
    push_counted(out, v);
    return true;
  });
  return out;
}

}  // namespace hparams::detail
