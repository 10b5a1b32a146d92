// Python's repr() of values.
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
}  // namespace hparams
