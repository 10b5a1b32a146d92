// The value language's builtins, with CPython's argument rules and messages.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "eval/interpreter.hpp"
#include "num/numbers.hpp"
#include "text/unicode.hpp"

namespace hparams::detail {

// ---- Args -----------------------------------------------------------------------------------

void Args::expect_count(std::size_t min, std::size_t max) const {
  std::size_t n = pos.size();
  if (n >= min && n <= max) return;
  std::string fn(name);
  if (min == max) {
    if (min == 1 && max == 1) {
      raise(ErrorKind::TypeError,
            fn + "() takes exactly one argument (" + std::to_string(n) + " given)");
    }
    raise(ErrorKind::TypeError,
          fn + " expected " + std::to_string(min) + " arguments, got " + std::to_string(n));
  }
  if (n < min) {
    raise(ErrorKind::TypeError, fn + " expected at least " + std::to_string(min) + " argument" +
                                    (min == 1 ? "" : "s") + ", got " + std::to_string(n));
  }
  raise(ErrorKind::TypeError, fn + " expected at most " + std::to_string(max) + " argument" +
                                  (max == 1 ? "" : "s") + ", got " + std::to_string(n));
}

void Args::no_keywords() const {
  if (!kw.empty()) raise(ErrorKind::TypeError, std::string(name) + "() takes no keyword arguments");
}

const Value* Args::keyword(std::string_view key) const {
  for (const auto& [k, v] : kw) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Args::only_keywords(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [k, v] : kw) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      raise(ErrorKind::TypeError,
            "'" + k + "' is an invalid keyword argument for " + std::string(name) + "()");
    }
  }
}

const Value* Args::arg(std::size_t i, std::string_view key) const {
  const Value* by_key = key.empty() ? nullptr : keyword(key);
  if (i < pos.size()) {
    if (by_key != nullptr) {
      raise(ErrorKind::TypeError, "argument for " + std::string(name) + "() given by name ('" +
                                      std::string(key) + "') and position (" +
                                      std::to_string(i + 1) + ")");
    }
    return &pos[i];
  }
  return by_key;
}

namespace {

[[noreturn]] void not_integer(const Value& v) {
  raise(ErrorKind::TypeError,
        "'" + std::string(v.type_name()) + "' object cannot be interpreted as an integer");
}

const Value& integer_arg(const Value& v) {
  if (!is_integral(v)) not_integer(v);
  return v;
}

// ---- parsing numbers from text (int() and float()) --------------------------------------

std::string strip_and_normalise(std::string_view text, bool& ok) {
  // Python accepts surrounding Unicode whitespace and decimal digits of any script.
  std::u32string cps = to_u32(text);
  std::size_t b = 0, e = cps.size();
  while (b < e && is_space(cps[b])) ++b;
  while (e > b && is_space(cps[e - 1])) --e;
  std::string out;
  ok = true;
  for (std::size_t i = b; i < e; ++i) {
    char32_t c = cps[i];
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    int d = decimal_value(c);
    if (d < 0) {
      ok = false;
      return out;
    }
    out += static_cast<char>('0' + d);
  }
  return out;
}

Value parse_int_text(const Value& source, int base) {
  std::string_view original = str_of(source);
  auto invalid = [&]() -> Value {
    raise(ErrorKind::ValueError,
          "invalid literal for int() with base " + std::to_string(base) + ": " + source.repr());
  };
  bool ok = true;
  std::string s = strip_and_normalise(original, ok);
  if (!ok || s.empty()) invalid();
  std::size_t i = 0;
  bool negative = false;
  if (s[i] == '+' || s[i] == '-') {
    negative = s[i] == '-';
    ++i;
  }
  int b = base;
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  bool had_prefix = false;
  if (i + 1 < s.size() && s[i] == '0') {
    char p = lower(s[i + 1]);
    int prefix_base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
    if (prefix_base != 0 && (b == 0 || b == prefix_base)) {
      b = prefix_base;
      i += 2;
      had_prefix = true;
      if (i < s.size() && s[i] == '_') ++i;
    }
  }
  if (b == 0) b = 10;
  std::string digits;
  bool last_underscore = true;  // an underscore may not lead (unless after a prefix)
  if (had_prefix) last_underscore = false;
  if (had_prefix && i > 0 && s[i - 1] == '_') last_underscore = true;
  for (; i < s.size(); ++i) {
    char c = lower(s[i]);
    if (c == '_') {
      if (last_underscore) invalid();
      last_underscore = true;
      continue;
    }
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'z') ? c - 'a' + 10 : 99;
    if (d >= b) invalid();
    digits += c;
    last_underscore = false;
  }
  if (digits.empty() || last_underscore) invalid();
  // Base 0 refuses leading zeros in decimal, like a literal.
  if (base == 0 && !had_prefix && digits.size() > 1 && digits[0] == '0' &&
      digits.find_first_not_of('0') != std::string::npos) {
    invalid();
  }
  std::size_t nz = digits.find_first_not_of('0');
  digits = nz == std::string::npos ? "0" : digits.substr(nz);
  Value v = int_from_digits(digits, b);
  return negative ? int_neg(v) : v;
}

double parse_float_text(const Value& source) {
  auto invalid = [&]() -> double {
    raise(ErrorKind::ValueError, "could not convert string to float: " + source.repr());
  };
  bool ok = true;
  std::string s = strip_and_normalise(str_of(source), ok);
  if (!ok || s.empty()) invalid();
  std::size_t i = 0;
  std::string sign;
  if (s[0] == '+' || s[0] == '-') {
    sign = s[0] == '-' ? "-" : "";
    i = 1;
  }
  std::string rest = s.substr(i);
  std::string low;
  for (char c : rest) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (low == "inf" || low == "infinity") return sign == "-" ? -INFINITY : INFINITY;
  if (low == "nan") return std::nan("");
  // digitpart: digit (["_"] digit)*;  [digitpart] "." digitpart | digitpart ["."] ; exponent
  std::string clean;
  std::size_t p = 0;
  auto digitpart = [&]() {
    bool any = false;
    while (p < rest.size()) {
      char c = rest[p];
      if (c >= '0' && c <= '9') {
        clean += c;
        ++p;
        any = true;
      } else if (c == '_' && any && p + 1 < rest.size() && rest[p + 1] >= '0' &&
                 rest[p + 1] <= '9') {
        ++p;
      } else {
        break;
      }
    }
    return any;
  };
  bool int_digits = digitpart();
  bool frac_digits = false;
  if (p < rest.size() && rest[p] == '.') {
    clean += '.';
    ++p;
    frac_digits = digitpart();
  }
  if (!int_digits && !frac_digits) invalid();
  if (p < rest.size() && (rest[p] == 'e' || rest[p] == 'E')) {
    clean += 'e';
    ++p;
    if (p < rest.size() && (rest[p] == '+' || rest[p] == '-')) clean += rest[p++];
    if (!digitpart()) invalid();
  }
  if (p != rest.size()) invalid();
  return std::strtod((sign + clean).c_str(), nullptr);
}

// ---- the builtins ----------------------------------------------------------------------------

Value b_abs(Interpreter&, Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  const Value& x = a.pos[0];
  if (tag_of(x) == Tag::Float) return Value(std::fabs(ValueAccess::real(x)));
  if (is_integral(x)) return int_abs(x);
  raise(ErrorKind::TypeError, "bad operand type for abs(): '" + std::string(x.type_name()) + "'");
}

Value b_all_any(Interpreter& in, Args& a, bool all) {
  a.no_keywords();
  a.expect_count(1, 1);
  bool result = all;
  in.iterate(a.pos[0], [&](const Value& v) {
    if (v.truthy() != all) {
      result = !all;
      return false;
    }
    return true;
  });
  return Value(result);
}

Value b_base(Args& a, int base, const char* prefix) {
  a.no_keywords();
  a.expect_count(1, 1);
  const Value& x = integer_arg(a.pos[0]);
  std::string digits = int_to_base_abs(x, base);
  return make_str((int_sign(x) < 0 ? "-" : "") + std::string(prefix) + digits);
}

Value b_bool(Args& a) {
  a.no_keywords();
  a.expect_count(0, 1);
  return Value(a.pos.empty() ? false : a.pos[0].truthy());
}

Value b_chr(Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  const Value& x = integer_arg(a.pos[0]);
  std::int64_t c = 0;
  // chr() takes a C int: beyond its range is an OverflowError, within it a ValueError.
  if (!small_int(x, c) || c > INT32_MAX) {
    raise(ErrorKind::OverflowError, "Python int too large to convert to C int");
  }
  if (c < INT32_MIN) raise(ErrorKind::OverflowError, "Python int too large to convert to C int");
  if (c < 0 || c > 0x10FFFF) raise(ErrorKind::ValueError, "chr() arg not in range(0x110000)");
  std::string out;
  encode_utf8(static_cast<char32_t>(c), out);
  return make_str(std::move(out), 1, c < 0x80);
}

void dict_update(Interpreter& in, DictObject& dict, const Value& source) {
  if (tag_of(source) == Tag::Dict) {
    const auto& d = dict_of(source);
    in.charge(d.entries.size());
    for (std::size_t i = 0; i < d.entries.size(); ++i) {
      dict.insert(d.entries[i].first, d.hashes[i], d.entries[i].second);
    }
    return;
  }
  std::size_t index = 0;
  in.iterate(source, [&](const Value& item) {
    std::vector<Value> pair;
    auto t = tag_of(item);
    if (t == Tag::List || t == Tag::Tuple) {
      pair = seq_of(item);
    } else if (t == Tag::Str || t == Tag::Dict || t == Tag::Set || t == Tag::Range ||
               t == Tag::Iterator) {
      pair = in.to_vector(item);
    } else {
      raise(ErrorKind::TypeError, "cannot convert dictionary update sequence element #" +
                                      std::to_string(index) + " to a sequence");
    }
    if (pair.size() != 2) {
      raise(ErrorKind::ValueError, "dictionary update sequence element #" + std::to_string(index) +
                                       " has length " + std::to_string(pair.size()) +
                                       "; 2 is required");
    }
    auto h = hash_value(pair[0]);
    dict.insert(std::move(pair[0]), h, std::move(pair[1]));
    ++index;
    return true;
  });
}

Value b_dict(Interpreter& in, Args& a) {
  a.expect_count(0, 1);
  auto* dict = new DictObject();
  Value out = make_dict(dict);
  if (!a.pos.empty()) dict_update(in, *dict, a.pos[0]);
  for (auto& [k, v] : a.kw) {
    Value key = make_str(k);
    auto h = hash_value(key);
    dict->insert(std::move(key), h, v);
  }
  return out;
}

Value b_divmod(Interpreter& in, Args& a) {
  a.no_keywords();
  a.expect_count(2, 2);
  const Value& x = a.pos[0];
  const Value& y = a.pos[1];
  if (!is_numeric(x) || !is_numeric(y)) unsupported_operands("divmod()", x, y);
  if (tag_of(x) != Tag::Float && tag_of(y) != Tag::Float) {
    return make_tuple({int_floordiv(x, y), int_mod(x, y)});
  }
  double fx = tag_of(x) == Tag::Float ? ValueAccess::real(x) : int_to_double(x);
  double fy = tag_of(y) == Tag::Float ? ValueAccess::real(y) : int_to_double(y);
  if (fy == 0) raise(ErrorKind::ZeroDivisionError, "float divmod()");
  (void)in;
  return make_tuple({Value(float_floordiv(fx, fy)), Value(float_mod(fx, fy))});
}

Value b_enumerate(Interpreter& in, Args& a) {
  a.only_keywords({"iterable", "start"});
  a.expect_count(0, 2);
  const Value* iterable = a.arg(0, "iterable");
  const Value* start = a.arg(1, "start");
  if (iterable == nullptr) {
    raise(ErrorKind::TypeError, "enumerate() missing required argument 'iterable' (pos 1)");
  }
  Value counter = start != nullptr ? integer_arg(*start) : Value(0);
  if (start != nullptr && tag_of(counter) == Tag::Bool)
    counter = Value(ValueAccess::small(counter));
  std::vector<Value> items;
  in.iterate(*iterable, [&](const Value& v) {
    push_counted(items, make_tuple({counter, v}));
    counter = int_add(counter, Value(1));
    return true;
  });
  in.note_opaque();
  return make_iterator("enumerate", std::move(items));
}

Value b_float(Args& a) {
  a.no_keywords();
  a.expect_count(0, 1);
  if (a.pos.empty()) return Value(0.0);
  const Value& x = a.pos[0];
  switch (tag_of(x)) {
    case Tag::Float:
      return x;
    case Tag::Bool:
    case Tag::SmallInt:
    case Tag::BigInt:
      return Value(int_to_double(x));
    case Tag::Str:
      return Value(parse_float_text(x));
    default:
      raise(ErrorKind::TypeError, "float() argument must be a string or a real number, not '" +
                                      std::string(x.type_name()) + "'");
  }
}

Value b_int(Args& a) {
  a.only_keywords({"base"});
  a.expect_count(0, 2);
  const Value* base_arg = a.arg(1, "base");
  if (a.pos.empty()) {
    if (base_arg != nullptr) raise(ErrorKind::TypeError, "int() missing string argument");
    return Value(0);
  }
  const Value& x = a.pos[0];
  if (base_arg != nullptr) {
    std::int64_t base = 0;
    if (!small_int(integer_arg(*base_arg), base)) base = -1;
    if (base != 0 && (base < 2 || base > 36)) {
      raise(ErrorKind::ValueError, "int() base must be >= 2 and <= 36, or 0");
    }
    if (tag_of(x) != Tag::Str)
      raise(ErrorKind::TypeError, "int() can't convert non-string with explicit base");
    return parse_int_text(x, static_cast<int>(base));
  }
  switch (tag_of(x)) {
    case Tag::Bool:
      return Value(ValueAccess::small(x));
    case Tag::SmallInt:
    case Tag::BigInt:
      return x;
    case Tag::Float:
      return float_to_int(ValueAccess::real(x));
    case Tag::Str:
      return parse_int_text(x, 10);
    default:
      raise(ErrorKind::TypeError,
            "int() argument must be a string, a bytes-like object or a real number, not '" +
                std::string(x.type_name()) + "'");
  }
}

Value b_len(Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  const Value& x = a.pos[0];
  if (tag_of(x) == Tag::Iterator && iterator_of(x).is_view) {
    return Value(static_cast<std::int64_t>(iterator_of(x).items.size()));
  }
  return Value(static_cast<std::int64_t>(x.size()));
}

Value b_sequence(Interpreter& in, Args& a, Tag kind) {
  a.no_keywords();
  a.expect_count(0, 1);
  if (a.pos.empty()) {
    if (kind == Tag::Set) return make_set(new SetObject());
    return kind == Tag::List ? make_list({}) : make_tuple({});
  }
  const Value& x = a.pos[0];
  if (kind == Tag::Tuple && tag_of(x) == Tag::Tuple) return x;
  if (kind == Tag::Set) {
    auto* set = new SetObject();
    Value out = make_set(set);
    if (tag_of(x) == Tag::Set) {
      set->merge(set_of(x));
      return out;
    }
    if (tag_of(x) == Tag::Dict) {
      set->update_from_dict(dict_of(x));
      return out;
    }
    in.iterate(x, [&](const Value& v) {
      set->add(v, hash_value(v));
      check_size(set->table.size() * sizeof(SetObject::Slot), "a set");
      return true;
    });
    return out;
  }
  std::vector<Value> items = in.to_vector(x);
  in.charge(items.size());
  return kind == Tag::List ? make_list(std::move(items)) : make_tuple(std::move(items));
}

Value b_minmax(Interpreter& in, Args& a, bool is_max) {
  const char* fname = is_max ? "max" : "min";
  a.only_keywords({"key", "default"});
  const Value* key = a.keyword("key");
  const Value* dflt = a.keyword("default");
  if (a.pos.empty()) {
    raise(ErrorKind::TypeError, std::string(fname) + " expected at least 1 argument, got 0");
  }
  if (a.pos.size() > 1 && dflt != nullptr) {
    raise(ErrorKind::TypeError, std::string("Cannot specify a default for ") + fname +
                                    "() with multiple positional arguments");
  }
  bool have = false;
  Value best, best_key;
  auto consider = [&](const Value& v) {
    Value k = v;
    if (key != nullptr && !key->is_none()) {
      Args ka;
      ka.pos.push_back(v);
      k = in.call(*key, ka);
    }
    if (!have) {
      best = v;
      best_key = k;
      have = true;
    } else if (rich_compare(k, best_key, is_max ? Op::Gt : Op::Lt)) {
      best = v;
      best_key = k;
    }
    return true;
  };
  if (a.pos.size() == 1) {
    in.iterate(a.pos[0], consider);
  } else {
    for (const Value& v : a.pos) consider(v);
  }
  if (!have) {
    if (dflt != nullptr) return *dflt;
    raise(ErrorKind::ValueError, std::string(fname) + "() arg is an empty sequence");
  }
  return best;
}

Value b_ord(Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  const Value& x = a.pos[0];
  if (tag_of(x) != Tag::Str) {
    raise(ErrorKind::TypeError,
          "ord() expected string of length 1, but " + std::string(x.type_name()) + " found");
  }
  const auto& s = ValueAccess::as<StrObject>(x);
  if (s.length != 1) {
    raise(ErrorKind::TypeError, "ord() expected a character, but string of length " +
                                    std::to_string(s.length) + " found");
  }
  std::size_t pos = 0;
  return Value(static_cast<std::int64_t>(decode_utf8(s.utf8, pos)));
}

Value b_pow(Interpreter& in, Args& a) {
  a.only_keywords({"base", "exp", "mod"});
  a.expect_count(0, 3);
  const Value* base = a.arg(0, "base");
  const Value* exp = a.arg(1, "exp");
  const Value* mod = a.arg(2, "mod");
  if (base == nullptr || exp == nullptr) {
    raise(ErrorKind::TypeError, std::string("pow() missing required argument '") +
                                    (base == nullptr ? "base' (pos 1)" : "exp' (pos 2)"));
  }
  if (mod != nullptr && !mod->is_none()) {
    if (!is_integral(*base) || !is_integral(*exp) || !is_integral(*mod)) {
      raise(ErrorKind::TypeError,
            "pow() 3rd argument not allowed unless all arguments are integers");
    }
    return int_powmod(*base, *exp, *mod);
  }
  return binary_op(in, Op::Pow, *base, *exp);
}

Value b_range(Args& a) {
  a.no_keywords();
  if (a.pos.empty()) raise(ErrorKind::TypeError, "range expected at least 1 argument, got 0");
  a.expect_count(1, 3);
  std::int64_t v[3] = {0, 0, 1};
  for (std::size_t i = 0; i < a.pos.size(); ++i) {
    const Value& x = integer_arg(a.pos[i]);
    if (!small_int(x, v[i])) {
      raise(ErrorKind::OverflowError, "range() arguments beyond 64 bits are not supported");
    }
  }
  std::int64_t start = 0, stop = 0, step = 1;
  if (a.pos.size() == 1) {
    stop = v[0];
  } else {
    start = v[0];
    stop = v[1];
    if (a.pos.size() == 3) step = v[2];
  }
  if (step == 0) raise(ErrorKind::ValueError, "range() arg 3 must not be zero");
  Value r = make_range(start, stop, step);
  auto len = range_of(r).length();
  if (len < 0) raise(ErrorKind::OverflowError, "range() too long");
  return r;
}

Value b_reversed(Interpreter& in, Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  const Value& x = a.pos[0];
  std::vector<Value> items;
  switch (tag_of(x)) {
    case Tag::List:
    case Tag::Tuple:
    case Tag::Str:
    case Tag::Range:
    case Tag::Dict:
      items = in.to_vector(x);
      break;
    case Tag::Iterator:
      if (iterator_of(x).is_view) {
        items = iterator_of(x).items;
        break;
      }
      [[fallthrough]];
    default:
      raise(ErrorKind::TypeError, "'" + std::string(x.type_name()) + "' object is not reversible");
  }
  std::reverse(items.begin(), items.end());
  in.note_opaque();
  return make_iterator(tag_of(x) == Tag::List ? "list_reverseiterator" : "reversed",
                       std::move(items));
}

Value b_round(Args& a) {
  a.only_keywords({"number", "ndigits"});
  a.expect_count(0, 2);
  const Value* number = a.arg(0, "number");
  const Value* ndigits = a.arg(1, "ndigits");
  if (number == nullptr)
    raise(ErrorKind::TypeError, "round() missing required argument 'number' (pos 1)");
  bool has_digits = ndigits != nullptr && !ndigits->is_none();
  std::int64_t n = 0;
  if (has_digits) {
    const Value& d = integer_arg(*ndigits);
    if (!small_int(d, n)) n = int_sign(d) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
  }
  const Value& x = *number;
  if (tag_of(x) == Tag::Float) {
    double f = ValueAccess::real(x);
    if (!has_digits) return float_round_to_int(f);
    return Value(float_round(f, n));
  }
  if (is_integral(x)) {
    Value v = tag_of(x) == Tag::Bool ? Value(ValueAccess::small(x)) : x;
    if (!has_digits || n >= 0) return v;
    return int_round(v, n);
  }
  raise(ErrorKind::TypeError,
        "type " + std::string(x.type_name()) + " doesn't define __round__ method");
}

Value b_sorted(Interpreter& in, Args& a) {
  a.only_keywords({"key", "reverse"});
  if (a.pos.size() != 1) {
    raise(ErrorKind::TypeError, "sorted expected 1 argument, got " + std::to_string(a.pos.size()));
  }
  const Value* key = a.keyword("key");
  const Value* reverse = a.keyword("reverse");
  bool rev = false;
  if (reverse != nullptr) {
    if (tag_of(*reverse) == Tag::Float) {
      raise(ErrorKind::TypeError, "'float' object cannot be interpreted as an integer");
    }
    rev = reverse->truthy();
  }
  std::vector<Value> items = in.to_vector(a.pos[0]);
  sort_values(in, items, key != nullptr ? *key : Value(), rev);
  return make_list(std::move(items));
}

Value b_str(Args& a) {
  a.only_keywords({"object"});
  a.expect_count(0, 1);
  const Value* x = a.arg(0, "object");
  if (x == nullptr) return make_str(std::string(), 0, true);
  if (tag_of(*x) == Tag::Str) return *x;
  return make_str(x->repr());
}

Value b_sum(Interpreter& in, Args& a) {
  a.only_keywords({"start"});
  a.expect_count(1, 2);
  const Value* start = a.arg(1, "start");
  Value acc = start != nullptr ? *start : Value(0);
  if (tag_of(acc) == Tag::Str) {
    raise(ErrorKind::TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
  }
  in.iterate(a.pos[0], [&](const Value& v) {
    acc = binary_op(in, Op::Add, acc, v);
    return true;
  });
  return acc;
}

Value b_zip(Interpreter& in, Args& a) {
  a.only_keywords({"strict"});
  const Value* strict = a.keyword("strict");
  bool is_strict = strict != nullptr && strict->truthy();
  std::vector<std::vector<Value>> columns;
  std::size_t shortest = SIZE_MAX;
  for (const Value& it : a.pos) {
    columns.push_back(in.to_vector(it));
    shortest = std::min(shortest, columns.back().size());
  }
  if (columns.empty()) shortest = 0;
  if (is_strict) {
    for (std::size_t i = 1; i < columns.size(); ++i) {
      if (columns[i].size() != columns[0].size()) {
        bool shorter = columns[i].size() < columns[0].size();
        raise(ErrorKind::ValueError, "zip() argument " + std::to_string(i + 1) + " is " +
                                         (shorter ? "shorter" : "longer") + " than argument" +
                                         (i == 1 ? " 1" : "s 1-" + std::to_string(i)));
      }
    }
  }
  std::vector<Value> rows;
  account(shortest * sizeof(Value));
  rows.reserve(shortest);
  for (std::size_t r = 0; r < shortest; ++r) {
    std::vector<Value> row;
    row.reserve(columns.size());
    for (auto& column : columns) row.push_back(column[r]);
    rows.push_back(make_tuple(std::move(row)));
  }
  in.charge(shortest * (columns.size() + 1));
  in.note_opaque();
  return make_iterator("zip", std::move(rows));
}

struct Builtin {
  const char* name;
  bool is_type;
};

constexpr Builtin kBuiltins[] = {
    {"abs", false},     {"all", false},   {"any", false},    {"bin", false},      {"bool", true},
    {"chr", false},     {"dict", true},   {"divmod", false}, {"enumerate", true}, {"float", true},
    {"hex", false},     {"int", true},    {"len", false},    {"list", true},      {"max", false},
    {"min", false},     {"oct", false},   {"ord", false},    {"pow", false},      {"range", true},
    {"reversed", true}, {"round", false}, {"set", true},     {"sorted", false},   {"str", true},
    {"sum", false},     {"tuple", true},  {"zip", true},
};
constexpr int kBuiltinCount = static_cast<int>(sizeof kBuiltins / sizeof kBuiltins[0]);

}  // namespace

int find_builtin(std::string_view name) {
  for (int i = 0; i < kBuiltinCount; ++i) {
    if (name == kBuiltins[i].name) return i;
  }
  return -1;
}

Value builtin_value(int id) { return make_callable(id, kBuiltins[id].is_type, kBuiltins[id].name); }

Value call_builtin(Interpreter& in, int id, Args& a) {
  a.name = kBuiltins[id].name;
  switch (id) {
    case 0:
      return b_abs(in, a);
    case 1:
      return b_all_any(in, a, true);
    case 2:
      return b_all_any(in, a, false);
    case 3:
      return b_base(a, 2, "0b");
    case 4:
      return b_bool(a);
    case 5:
      return b_chr(a);
    case 6:
      return b_dict(in, a);
    case 7:
      return b_divmod(in, a);
    case 8:
      return b_enumerate(in, a);
    case 9:
      return b_float(a);
    case 10:
      return b_base(a, 16, "0x");
    case 11:
      return b_int(a);
    case 12:
      return b_len(a);
    case 13:
      return b_sequence(in, a, Tag::List);
    case 14:
      return b_minmax(in, a, true);
    case 15:
      return b_minmax(in, a, false);
    case 16:
      return b_base(a, 8, "0o");
    case 17:
      return b_ord(a);
    case 18:
      return b_pow(in, a);
    case 19:
      return b_range(a);
    case 20:
      return b_reversed(in, a);
    case 21:
      return b_round(a);
    case 22:
      return b_sequence(in, a, Tag::Set);
    case 23:
      return b_sorted(in, a);
    case 24:
      return b_str(a);
    case 25:
      return b_sum(in, a);
    case 26:
      return b_sequence(in, a, Tag::Tuple);
    case 27:
      return b_zip(in, a);
    default:
      raise(ErrorKind::TypeError, "unknown builtin");
  }
}

void sort_values(Interpreter& in, std::vector<Value>& items, const Value& key, bool reverse) {
  std::size_t n = items.size();
  // The sort's own temporaries: an index per element, and the keys when there is a key.
  account(n * (sizeof(std::size_t) + (key.is_none() ? 0 : sizeof(Value))));
  std::vector<Value> keys;
  if (!key.is_none()) {
    keys.reserve(n);
    for (const Value& v : items) {
      Args ka;
      ka.pos.push_back(v);
      keys.push_back(in.call(key, ka));
    }
  }
  // Sort indices so that keys and items move together; reverse=True reverses before and
  // after a stable sort, exactly as CPython does (equal elements keep their order).
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = reverse ? n - 1 - i : i;
  const std::vector<Value>& k = key.is_none() ? items : keys;
  auto less = [&](std::size_t x, std::size_t y) {
    in.charge(1);
    return less_than(k[x], k[y]);
  };
  if (n < 64) {
    // CPython's timsort on a short list: one natural run, then binary insertion.
    std::size_t run = n < 2 ? n : 2;
    if (n >= 2) {
      if (less(order[1], order[0])) {
        while (run < n && less(order[run], order[run - 1])) ++run;
        std::reverse(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(run));
      } else {
        while (run < n && !less(order[run], order[run - 1])) ++run;
      }
    }
    for (std::size_t i = run; i < n; ++i) {
      std::size_t pivot = order[i];
      std::size_t lo = 0, hi = i;
      while (lo < hi) {
        std::size_t mid = (lo + hi) / 2;
        if (less(pivot, order[mid])) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      for (std::size_t j = i; j > lo; --j) order[j] = order[j - 1];
      order[lo] = pivot;
    }
  } else {
    std::stable_sort(order.begin(), order.end(), less);
  }
  if (reverse) std::reverse(order.begin(), order.end());
  std::vector<Value> sorted;
  sorted.reserve(n);
  for (std::size_t i : order) sorted.push_back(items[i]);
  items = std::move(sorted);
}

}  // namespace hparams::detail
