// The methods the value language allows: str's, list/tuple's index and count, dict's get,
// keys, values and items. Everything else is an AttributeError, dunders included.
#include <algorithm>
#include <string>

#include "eval/interpreter.hpp"
#include "num/numbers.hpp"
#include "text/search.hpp"
#include "text/unicode.hpp"

namespace hparams::detail {
namespace {

enum MethodId {
  kUpper = 1000,
  kLower,
  kSplit,
  kRsplit,
  kJoin,
  kReplace,
  kStrip,
  kLstrip,
  kRstrip,
  kStartswith,
  kEndswith,
  kFormat,
  kZfill,
  kTitle,
  kCapitalize,
  kStrCount,
  kFind,
  kSeqIndex,
  kSeqCount,
  kGet,
  kKeys,
  kValues,
  kItems,
  kRangeIndex,
  kRangeCount,
  kMethodEnd,
};

constexpr const char* kMethodNames[] = {"upper",    "lower",  "split",  "rsplit", "join",
                                        "replace",  "strip",  "lstrip", "rstrip", "startswith",
                                        "endswith", "format", "zfill",  "title",  "capitalize",
                                        "count",    "find",   "index",  "count",  "get",
                                        "keys",     "values", "items",  "index",  "count"};

using U32 = std::u32string;

Value str_value(const U32& s) { return make_str(from_u32(s)); }

// The code points of a str, charged to the budgets (a 64 MiB str takes 256 MiB this way).
U32 u32_of(const Value& v) {
  account(str_of(v).size() * sizeof(char32_t));
  return to_u32(str_of(v));
}

const StrObject& str_object(const Value& v) { return ValueAccess::as<StrObject>(v); }

// The byte offset of code point `index` (0 <= index; past the end is the end).
std::size_t byte_at(const StrObject& s, std::int64_t index) {
  if (index <= 0) return 0;
  if (static_cast<std::size_t>(index) >= s.length) return s.utf8.size();
  if (s.ascii) return static_cast<std::size_t>(index);
  std::size_t pos = 0;
  for (std::int64_t seen = 0; pos < s.utf8.size(); ++pos) {
    if ((static_cast<unsigned char>(s.utf8[pos]) & 0xC0) != 0x80 && seen++ == index) break;
  }
  return pos;
}

// The code point index of byte offset `byte` (a character boundary).
std::int64_t index_at(const StrObject& s, std::size_t byte) {
  if (s.ascii) return static_cast<std::int64_t>(byte);
  std::int64_t index = 0;
  for (std::size_t pos = 0; pos < byte; ++pos) {
    if ((static_cast<unsigned char>(s.utf8[pos]) & 0xC0) != 0x80) ++index;
  }
  return index;
}

// Scanning bytes is cheap: one step per 256 of them.
void charge_scan(Interpreter& in, std::size_t bytes) { in.charge(bytes / 256 + 1); }

Value bytes_value(std::string_view s, std::size_t begin, std::size_t end) {
  return make_str(std::string(s.substr(begin, end - begin)));
}

const Value& str_arg(const Value& v, const char* fn) {
  if (tag_of(v) != Tag::Str) {
    raise(ErrorKind::TypeError, std::string(fn) + " arg must be None or str");
  }
  return v;
}

[[noreturn]] void must_be_str(const Value& v) {
  raise(ErrorKind::TypeError, "must be str, not " + std::string(v.type_name()));
}

// Python's slice-style clamping of optional start/end arguments.
void span_args(const Args& a, std::size_t first, std::int64_t length, std::int64_t& start,
               std::int64_t& end) {
  start = 0;
  end = length;
  auto get = [&](std::size_t i, std::int64_t& out) {
    if (i >= a.pos.size() || a.pos[i].is_none()) return;
    if (!is_integral(a.pos[i])) {
      raise(ErrorKind::TypeError,
            "slice indices must be integers or None or have an __index__ method");
    }
    std::int64_t v = 0;
    if (!small_int(a.pos[i], v)) v = int_sign(a.pos[i]) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
    if (v < 0) {
      v += length;
      if (v < 0) v = 0;
    } else if (v > length && &out == &end) {
      v = length;  // end clamps; a start past the end stays there (find -> -1)
    }
    out = v;
  };
  get(first, start);
  get(first + 1, end);
}

Value split(Interpreter& in, const Value& self, Args& a, bool from_right) {
  a.only_keywords({"sep", "maxsplit"});
  a.expect_count(0, 2);
  const Value* sep_v = a.arg(0, "sep");
  const Value* max_v = a.arg(1, "maxsplit");
  std::int64_t maxsplit = -1;
  if (max_v != nullptr) {
    if (!is_integral(*max_v)) {
      raise(ErrorKind::TypeError,
            "'" + std::string(max_v->type_name()) + "' object cannot be interpreted as an integer");
    }
    if (!small_int(*max_v, maxsplit))
      raise(ErrorKind::OverflowError, "Python int too large to convert to C ssize_t");
  }
  if (maxsplit < 0) maxsplit = INT64_MAX;
  U32 s = u32_of(self);
  in.charge(s.size() / 16);
  std::vector<Value> parts;
  if (sep_v == nullptr || sep_v->is_none()) {
    // Runs of whitespace separate; leading and trailing whitespace is dropped.
    if (!from_right) {
      std::size_t i = 0, n = s.size();
      while (true) {
        while (i < n && is_space(s[i])) ++i;
        if (i >= n) break;
        if (static_cast<std::int64_t>(parts.size()) == maxsplit) {
          push_counted(parts, str_value(s.substr(i)));  // the rest keeps its trailing space
          break;
        }
        std::size_t j = i;
        while (j < n && !is_space(s[j])) ++j;
        push_counted(parts, str_value(s.substr(i, j - i)));
        i = j;
      }
    } else {
      std::int64_t i = static_cast<std::int64_t>(s.size()) - 1;
      while (true) {
        while (i >= 0 && is_space(s[static_cast<std::size_t>(i)])) --i;
        if (i < 0) break;
        if (static_cast<std::int64_t>(parts.size()) == maxsplit) {
          push_counted(parts, str_value(s.substr(0, static_cast<std::size_t>(i) + 1)));
          break;
        }
        std::int64_t j = i;
        while (j >= 0 && !is_space(s[static_cast<std::size_t>(j)])) --j;
        push_counted(parts, str_value(s.substr(static_cast<std::size_t>(j + 1),
                                               static_cast<std::size_t>(i - j))));
        i = j;
      }
      std::reverse(parts.begin(), parts.end());
    }
    return make_list(std::move(parts));
  }
  if (tag_of(*sep_v) != Tag::Str) must_be_str(*sep_v);
  std::string_view bytes = str_of(self), sep = str_of(*sep_v);
  if (sep.empty()) raise(ErrorKind::ValueError, "empty separator");
  charge_scan(in, bytes.size());
  if (!from_right) {
    std::size_t i = 0;
    while (static_cast<std::int64_t>(parts.size()) < maxsplit) {
      std::size_t j = find_bytes(bytes, sep, i);
      if (j == kNotFound) break;
      push_counted(parts, bytes_value(bytes, i, j));
      i = j + sep.size();
    }
    push_counted(parts, bytes_value(bytes, i, bytes.size()));
  } else {
    ReverseSearch search(sep);
    std::size_t end = bytes.size();
    std::int64_t splits = 0;
    while (splits < maxsplit) {
      std::size_t j = search.find(bytes, end);
      if (j == kNotFound) break;
      push_counted(parts, bytes_value(bytes, j + sep.size(), end));
      end = j;
      ++splits;
    }
    push_counted(parts, bytes_value(bytes, 0, end));
    std::reverse(parts.begin(), parts.end());
  }
  return make_list(std::move(parts));
}

Value join(Interpreter& in, const Value& self, Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  const std::string& sep = str_of(self);
  std::string out;
  std::size_t index = 0;
  in.iterate(a.pos[0], [&](const Value& v) {
    if (tag_of(v) != Tag::Str) {
      raise(ErrorKind::TypeError, "sequence item " + std::to_string(index) +
                                      ": expected str instance, " + std::string(v.type_name()) +
                                      " found");
    }
    if (index > 0) out += sep;
    out += str_of(v);
    check_size(out.size(), "a str");
    ++index;
    return true;
  });
  in.charge(out.size() / 64);
  return make_str(std::move(out));
}

Value replace(Interpreter& in, const Value& self, Args& a) {
  a.no_keywords();
  a.expect_count(2, 3);
  if (tag_of(a.pos[0]) != Tag::Str) {
    raise(ErrorKind::TypeError,
          "replace() argument 1 must be str, not " + std::string(a.pos[0].type_name()));
  }
  if (tag_of(a.pos[1]) != Tag::Str) {
    raise(ErrorKind::TypeError,
          "replace() argument 2 must be str, not " + std::string(a.pos[1].type_name()));
  }
  std::int64_t count = -1;
  if (a.pos.size() == 3) {
    if (!is_integral(a.pos[2])) {
      raise(ErrorKind::TypeError, "'" + std::string(a.pos[2].type_name()) +
                                      "' object cannot be interpreted as an integer");
    }
    if (!small_int(a.pos[2], count))
      raise(ErrorKind::OverflowError, "Python int too large to convert to C ssize_t");
  }
  if (count < 0) count = INT64_MAX;
  std::string_view s = str_of(self), old = str_of(a.pos[0]), rep = str_of(a.pos[1]);
  charge_scan(in, s.size());
  std::string out;
  auto grow = [&](std::size_t more) {
    check_size(out.size() + more, "a str");
    if (out.size() + more > out.capacity()) {
      std::size_t grown = std::max(out.size() + more, out.capacity() * 2);
      account(grown);
      out.reserve(grown);
    }
  };
  std::int64_t done = 0;
  if (old.empty()) {
    // Inserts the replacement before every character and at the end.
    std::size_t i = 0;
    while (true) {
      if (done < count) {
        grow(rep.size());
        out += rep;
        ++done;
      }
      if (i >= s.size()) break;
      std::size_t next = i;
      decode_utf8(s, next);
      grow(next - i);
      out.append(s.substr(i, next - i));
      i = next;
      if (done >= count) {
        grow(s.size() - i);
        out.append(s.substr(i));
        break;
      }
    }
  } else {
    std::size_t i = 0;
    while (done < count) {
      std::size_t j = find_bytes(s, old, i);
      if (j == kNotFound) break;
      grow(j - i + rep.size());
      out.append(s.substr(i, j - i));
      out += rep;
      i = j + old.size();
      ++done;
    }
    grow(s.size() - i);
    out.append(s.substr(i));
  }
  in.charge(out.size() / 256);
  return make_str(std::move(out));
}

Value strip(const Value& self, Args& a, bool left, bool right, const char* fn) {
  a.no_keywords();
  a.expect_count(0, 1);
  U32 s = u32_of(self);
  U32 chars;
  bool whitespace = a.pos.empty() || a.pos[0].is_none();
  if (!whitespace) {
    if (tag_of(a.pos[0]) != Tag::Str) str_arg(a.pos[0], fn);
    chars = u32_of(a.pos[0]);
  }
  // A sorted set of the characters: a long `chars` costs n log n once, not once per character.
  std::sort(chars.begin(), chars.end());
  auto strip_it = [&](char32_t c) {
    return whitespace ? is_space(c) : std::binary_search(chars.begin(), chars.end(), c);
  };
  std::size_t b = 0, e = s.size();
  if (left) {
    while (b < e && strip_it(s[b])) ++b;
  }
  if (right) {
    while (e > b && strip_it(s[e - 1])) --e;
  }
  return str_value(s.substr(b, e - b));
}

Value starts_ends(Interpreter& in, const Value& self, Args& a, bool starts) {
  a.no_keywords();
  a.expect_count(1, 3);
  const StrObject& so = str_object(self);
  std::int64_t start = 0, end = 0;
  span_args(a, 1, static_cast<std::int64_t>(so.length), start, end);
  const std::size_t b = byte_at(so, start), e = byte_at(so, end);
  const std::string_view s = so.utf8;
  // Bytes of valid UTF-8 that match start and end on character boundaries.
  auto test = [&](const Value& affix) {
    const StrObject& x = str_object(affix);
    in.charge(x.utf8.size() / 256 + 1);
    if (start > static_cast<std::int64_t>(so.length) ||
        end - start < static_cast<std::int64_t>(x.length)) {
      return false;
    }
    if (x.utf8.size() > e - b) return false;
    return s.substr(starts ? b : e - x.utf8.size(), x.utf8.size()) == x.utf8;
  };
  const Value& arg = a.pos[0];
  const char* fn = starts ? "startswith" : "endswith";
  if (tag_of(arg) == Tag::Tuple) {
    for (const Value& item : seq_of(arg)) {
      if (tag_of(item) != Tag::Str) {
        raise(ErrorKind::TypeError, "tuple for " + std::string(fn) +
                                        " must only contain str, not " +
                                        std::string(item.type_name()));
      }
      if (test(item)) return Value(true);
    }
    return Value(false);
  }
  if (tag_of(arg) != Tag::Str) {
    raise(ErrorKind::TypeError, std::string(fn) + " first arg must be str or a tuple of str, not " +
                                    std::string(arg.type_name()));
  }
  return Value(test(arg));
}

Value zfill(const Value& self, Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  if (!is_integral(a.pos[0])) {
    raise(ErrorKind::TypeError,
          "'" + std::string(a.pos[0].type_name()) + "' object cannot be interpreted as an integer");
  }
  std::int64_t width = 0;
  if (!small_int(a.pos[0], width))
    raise(ErrorKind::OverflowError, "Python int too large to convert to C ssize_t");
  U32 s = u32_of(self);
  if (width <= static_cast<std::int64_t>(s.size())) return self;
  check_size(static_cast<std::size_t>(width), "a str");
  std::size_t fill = static_cast<std::size_t>(width) - s.size();
  U32 out;
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    out += s[0];
    i = 1;
  }
  out.append(fill, U'0');
  out.append(s, i, U32::npos);
  return str_value(out);
}

// The case mappings of an ASCII str stay ASCII and one byte per character: no code points.
Value ascii_case_map(const StrObject& so, int which) {
  account(so.utf8.size());
  std::string out = so.utf8;
  auto upper = [](char& c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  };
  auto lower = [](char& c) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  };
  bool previous_cased = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    const bool cased = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (which == kUpper) {
      upper(c);
    } else if (which == kLower) {
      lower(c);
    } else if (which == kCapitalize) {
      if (i == 0) {
        upper(c);
      } else {
        lower(c);
      }
    } else {  // title
      if (previous_cased) {
        lower(c);
      } else {
        upper(c);
      }
      previous_cased = cased;
    }
  }
  return make_str(std::move(out), so.length, true);
}

Value case_map(Interpreter& in, const Value& self, Args& a, int which) {
  a.no_keywords();
  a.expect_count(0, 0);
  in.charge(str_of(self).size() / 64 + 1);
  if (str_object(self).ascii) return ascii_case_map(str_object(self), which);
  U32 s = u32_of(self);
  if (which == kLower) return str_value(lower_string(s));
  U32 out;
  out.reserve(s.size());
  bool previous_cased = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    switch (which) {
      case kUpper:
        append_upper(c, out);
        break;
      case kLower:
        append_lower(c, out);
        break;
      case kCapitalize:
        if (i == 0) {
          append_title(c, out);
        } else {
          append_lower(c, out);
        }
        break;
      default:  // title
        if (previous_cased) {
          append_lower(c, out);
        } else {
          append_title(c, out);
        }
        previous_cased = is_cased(c);
        break;
    }
  }
  return str_value(out);
}

Value count_or_find(Interpreter& in, const Value& self, Args& a, bool count) {
  a.no_keywords();
  a.expect_count(1, 3);
  if (tag_of(a.pos[0]) != Tag::Str) must_be_str(a.pos[0]);
  const StrObject& so = str_object(self);
  const StrObject& sub = str_object(a.pos[0]);
  std::int64_t start = 0, end = 0;
  auto n = static_cast<std::int64_t>(so.length);
  span_args(a, 1, n, start, end);
  if (!count) {
    if (start > n || end - start < static_cast<std::int64_t>(sub.length)) return Value(-1);
  } else {
    if (start > n || end < start) return Value(0);
    if (sub.utf8.empty()) return Value(end - start + 1);
  }
  const std::size_t b = byte_at(so, start), e = byte_at(so, end);
  const std::string_view hay = std::string_view(so.utf8).substr(0, e);
  charge_scan(in, e - b);
  if (!count) {
    std::size_t at = find_bytes(hay, sub.utf8, b);
    return Value(at == kNotFound ? -1 : index_at(so, at));
  }
  std::int64_t found = 0;
  for (std::size_t i = b;; ++found) {
    std::size_t j = find_bytes(hay, sub.utf8, i);
    if (j == kNotFound) break;
    i = j + sub.utf8.size();
  }
  return Value(found);
}

Value seq_index(Interpreter& in, const Value& self, Args& a) {
  a.no_keywords();
  a.expect_count(1, 3);
  const auto& items = seq_of(self);
  auto n = static_cast<std::int64_t>(items.size());
  std::int64_t start = 0, end = n;
  span_args(a, 1, n, start, end);
  for (std::int64_t i = start; i < end && i < n; ++i) {
    in.charge(1);
    const Value& v = items[static_cast<std::size_t>(i)];
    if (identical(v, a.pos[0]) || v == a.pos[0]) return Value(i);
  }
  if (tag_of(self) == Tag::List) {
    raise(ErrorKind::ValueError, a.pos[0].repr() + " is not in list");
  }
  raise(ErrorKind::ValueError, "tuple.index(x): x not in tuple");
}

Value seq_count(Interpreter& in, const Value& self, Args& a) {
  a.no_keywords();
  a.expect_count(1, 1);
  std::int64_t found = 0;
  for (const Value& v : seq_of(self)) {
    in.charge(1);
    if (identical(v, a.pos[0]) || v == a.pos[0]) ++found;
  }
  return Value(found);
}

Value dict_view(const Value& self, Args& a, int which) {
  a.no_keywords();
  a.expect_count(0, 0);
  std::vector<Value> items;
  const auto& d = dict_of(self);
  items.reserve(d.entries.size());
  for (const auto& [k, v] : d.entries) {
    if (which == kKeys) {
      items.push_back(k);
    } else if (which == kValues) {
      items.push_back(v);
    } else {
      items.push_back(make_tuple({k, v}));
    }
  }
  const char* name = which == kKeys ? "dict_keys" : which == kValues ? "dict_values" : "dict_items";
  return make_iterator(name, std::move(items), true);
}

}  // namespace

int find_method(const Value& self, std::string_view name) {
  auto t = tag_of(self);
  int first = 0, last = 0;
  if (t == Tag::Str) {
    first = kUpper;
    last = kSeqIndex;
  } else if (t == Tag::List || t == Tag::Tuple) {
    first = kSeqIndex;
    last = kGet;
  } else if (t == Tag::Range) {
    if (name == "index") return kRangeIndex;
    if (name == "count") return kRangeCount;
    return -1;
  } else if (t == Tag::Dict) {
    first = kGet;
    last = kMethodEnd;
  } else {
    return -1;
  }
  if (t == Tag::Dict) last = kRangeIndex;
  for (int id = first; id < last; ++id) {
    if (name == kMethodNames[id - 1000]) return id;
  }
  return -1;
}

std::string_view method_name(int id) {
  if (id < 1000 || id >= kMethodEnd) return "method";
  return kMethodNames[id - 1000];
}

Value call_method(Interpreter& in, int id, const Value& self, Args& a) {
  switch (id) {
    case kUpper:
    case kLower:
    case kTitle:
    case kCapitalize:
      return case_map(in, self, a, id);
    case kSplit:
      return split(in, self, a, false);
    case kRsplit:
      return split(in, self, a, true);
    case kJoin:
      return join(in, self, a);
    case kReplace:
      return replace(in, self, a);
    case kStrip:
      return strip(self, a, true, true, "strip");
    case kLstrip:
      return strip(self, a, true, false, "lstrip");
    case kRstrip:
      return strip(self, a, false, true, "rstrip");
    case kStartswith:
      return starts_ends(in, self, a, true);
    case kEndswith:
      return starts_ends(in, self, a, false);
    case kFormat:
      return str_format(in, self, a);
    case kZfill:
      return zfill(self, a);
    case kStrCount:
      return count_or_find(in, self, a, true);
    case kFind:
      return count_or_find(in, self, a, false);
    case kSeqIndex:
      return seq_index(in, self, a);
    case kSeqCount:
      return seq_count(in, self, a);
    case kGet: {
      a.no_keywords();
      a.expect_count(1, 2);
      const Value* found = dict_of(self).find(a.pos[0], hash_value(a.pos[0]));
      if (found != nullptr) return *found;
      return a.pos.size() == 2 ? a.pos[1] : Value();
    }
    case kKeys:
    case kValues:
    case kItems:
      return dict_view(self, a, id);
    case kRangeIndex:
    case kRangeCount: {
      a.no_keywords();
      a.expect_count(1, 1);
      bool found = contains(in, self, a.pos[0]);
      if (id == kRangeCount) return Value(found ? 1 : 0);
      if (!found) raise(ErrorKind::ValueError, a.pos[0].repr() + " is not in range");
      const auto& r = range_of(self);
      if (is_integral(a.pos[0])) {
        return Value((ValueAccess::small(a.pos[0]) - r.start) / r.step);
      }
      std::int64_t index = 0;
      for (std::int64_t i = 0; i < r.length(); ++i, ++index) {
        if (Value(r.at(i)) == a.pos[0]) break;
      }
      return Value(index);
    }
    default:
      raise(ErrorKind::AttributeError, "unknown method");
  }
}

}  // namespace hparams::detail
