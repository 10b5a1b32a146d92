// hparams::Value: construction and access, and the objects behind values.
#include "hparams/value.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>
#include <vector>

#include "num/numbers.hpp"
#include "text/unicode.hpp"
#include "value/stack_guard.hpp"
#include "value/value_impl.hpp"

namespace hparams {
namespace detail {

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
    case Tag::Iterator:
      // Functions and iterators exist only inside an evaluation (evaluate() gives their raw
      // text instead), so no caller of kind() sees one.
      break;
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

}  // namespace hparams
