// printf-style `%` formatting, str.format and the format-spec mini-language, as CPython 3.11
// implements them (Objects/unicodeobject.c, Python/formatter_unicode.c).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "eval/interpreter.hpp"
#include "num/numbers.hpp"
#include "text/unicode.hpp"

namespace hparams::detail {
namespace {

using U32 = std::u32string;

std::string ascii_of(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t c = decode_utf8(text, pos);
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    append_escape(c, out);
  }
  return out;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string c_format(const char* fmt, int precision, double x) {
  int n = std::snprintf(nullptr, 0, fmt, precision, x);
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), fmt, precision, x);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// ---- the format-spec mini-language ----------------------------------------------------------

struct Spec {
  char32_t fill = U' ';
  char align = 0;  // < > = ^ or 0
  char sign = 0;   // + - space or 0
  bool z = false;
  bool alternate = false;
  bool zero = false;
  std::int64_t width = -1;
  char grouping = 0;  // , _ or 0
  std::int64_t precision = -1;
  char type = 0;
};

Spec parse_spec(std::string_view text, const Value& value) {
  U32 s = to_u32(text);
  Spec spec;
  std::size_t i = 0;
  auto is_align = [](char32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; };
  bool fill_given = false;
  if (s.size() >= 2 && is_align(s[1])) {
    fill_given = true;
    spec.fill = s[0];
    spec.align = static_cast<char>(s[1]);
    i = 2;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = static_cast<char>(s[0]);
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' '))
    spec.sign = static_cast<char>(s[i++]);
  if (i < s.size() && s[i] == 'z') {
    spec.z = true;
    ++i;
  }
  if (i < s.size() && s[i] == '#') {
    spec.alternate = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    // '0' sets the fill unless one was given, and sign-aware padding only for numbers.
    spec.zero = true;
    if (!fill_given) {
      spec.fill = U'0';
      if (spec.align == 0 && tag_of(value) != Tag::Str) spec.align = '=';
    }
    ++i;
  }
  auto number = [&](std::int64_t& out) {
    bool any = false;
    std::int64_t v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      v = v * 10 + (s[i] - '0');
      if (v > (std::int64_t{1} << 40))
        raise(ErrorKind::ValueError, "Too many decimal digits in format string");
      ++i;
      any = true;
    }
    if (any) out = v;
    return any;
  };
  number(spec.width);
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) {
    spec.grouping = static_cast<char>(s[i++]);
    if (i < s.size() && (s[i] == ',' || s[i] == '_'))
      raise(ErrorKind::ValueError, "Cannot specify both ',' and '_'.");
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!number(spec.precision)) raise(ErrorKind::ValueError, "Format specifier missing precision");
  }
  if (i < s.size()) {
    if (i + 1 < s.size() || s[i] >= 0x80) {
      raise(ErrorKind::ValueError, "Invalid format specifier '" + std::string(text) +
                                       "' for object of type '" + std::string(value.type_name()) +
                                       "'");
    }
    spec.type = static_cast<char>(s[i]);
  }
  if (spec.grouping != 0) {
    switch (spec.type) {
      case 0:
      case 'd':
      case 'e':
      case 'f':
      case 'g':
      case 'E':
      case 'G':
      case '%':
      case 'F':
        break;
      case 'b':
      case 'o':
      case 'x':
      case 'X':
        if (spec.grouping == '_') break;
        [[fallthrough]];
      default:
        raise(ErrorKind::ValueError,
              std::string("Cannot specify '") + spec.grouping + "' with '" + spec.type + "'.");
    }
  }
  check_size(static_cast<std::size_t>(std::max<std::int64_t>(spec.width, 0)), "a formatted field");
  return spec;
}

std::string pad(const std::string& body, const Spec& spec, char default_align) {
  std::size_t n = code_points(body);
  if (spec.width < 0 || static_cast<std::size_t>(spec.width) <= n) return body;
  std::size_t total = static_cast<std::size_t>(spec.width) - n;
  char align = spec.align ? spec.align : default_align;
  std::string fill;
  encode_utf8(spec.fill, fill);
  auto repeat = [&](std::size_t k) {
    std::string out;
    out.reserve(k * fill.size());
    for (std::size_t j = 0; j < k; ++j) out += fill;
    return out;
  };
  if (align == '<') return body + repeat(total);
  if (align == '^') return repeat(total / 2) + body + repeat(total - total / 2);
  return repeat(total) + body;
}

// CPython's _PyUnicode_InsertThousandsGrouping: groups from the right, and when zero padding
// is asked for (min_width) it grows the digits and the separators together.
std::string group_digits(const std::string& digits, char sep, std::size_t every,
                         std::size_t min_width_in) {
  auto remaining = static_cast<std::int64_t>(digits.size());
  auto min_width = static_cast<std::int64_t>(min_width_in);
  auto group = static_cast<std::int64_t>(every);
  std::string out;
  bool use_separator = false;
  while (true) {
    std::int64_t len = std::min(group, std::max({remaining, min_width, std::int64_t{1}}));
    std::int64_t zeros = std::max<std::int64_t>(0, len - remaining);
    std::int64_t chars = std::max<std::int64_t>(0, std::min(remaining, len));
    std::string piece(static_cast<std::size_t>(zeros), '0');
    piece.append(digits, static_cast<std::size_t>(remaining - chars),
                 static_cast<std::size_t>(chars));
    if (use_separator) piece += sep;
    out.insert(0, piece);
    use_separator = true;
    remaining -= chars;
    min_width -= len;
    if (remaining <= 0 && min_width <= 0) break;
    min_width -= 1;
  }
  return out;
}

// Assembles sign, prefix and digits with '=' padding and grouping.
std::string assemble(const std::string& sign, const std::string& prefix,
                     const std::string& int_digits, const std::string& rest, const Spec& spec,
                     std::size_t group_every) {
  std::string digits = int_digits;
  bool zero_pad = spec.align == '=' && spec.fill == U'0';
  std::size_t fixed = sign.size() + prefix.size() + code_points(rest);
  std::size_t min_width = 0;
  if (zero_pad && spec.width > 0 && static_cast<std::size_t>(spec.width) > fixed) {
    min_width = static_cast<std::size_t>(spec.width) - fixed;
  }
  if (spec.grouping != 0 && !digits.empty()) {
    digits = group_digits(digits, spec.grouping, group_every, min_width);
  } else if (digits.size() < min_width) {
    digits.insert(0, min_width - digits.size(), '0');
  }
  std::string body = sign + prefix + digits + rest;
  if (spec.align == '=' && !zero_pad && spec.width > 0 &&
      static_cast<std::size_t>(spec.width) > code_points(body)) {
    std::string fill;
    encode_utf8(spec.fill, fill);
    std::string padding;
    for (std::size_t k = code_points(body); k < static_cast<std::size_t>(spec.width); ++k)
      padding += fill;
    return sign + prefix + padding + digits + rest;
  }
  return pad(body, spec, '>');
}

std::string sign_of(bool negative, char sign) {
  if (negative) return "-";
  if (sign == '+') return "+";
  if (sign == ' ') return " ";
  return "";
}

// Python's 'g' (and the empty type with a precision, which also keeps a ".0" and switches to
// exponent notation one digit earlier): `precision` significant digits, trailing zeros dropped
// unless '#'.
std::string format_general(double m, int precision, bool alternate, bool empty_type, bool upper) {
  if (precision == 0) precision = 1;
  std::string sci = c_format("%.*e", precision - 1, m);
  auto e_pos = sci.find('e');
  int exponent = std::atoi(sci.c_str() + e_pos + 1);
  bool use_exp = exponent < -4 || exponent >= (empty_type ? precision - 1 : precision);
  auto strip_zeros = [&](std::string& digits) {
    if (alternate || digits.find('.') == std::string::npos) return;
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    if (!digits.empty() && digits.back() == '.') digits.pop_back();
  };
  std::string out;
  if (use_exp) {
    std::string mantissa = sci.substr(0, e_pos);
    strip_zeros(mantissa);
    if (alternate && mantissa.find('.') == std::string::npos) mantissa += '.';
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%c%02d", upper ? 'E' : 'e', exponent < 0 ? '-' : '+',
                  exponent < 0 ? -exponent : exponent);
    out = mantissa + buf;
  } else {
    out = c_format("%.*f", std::max(precision - 1 - exponent, 0), m);
    strip_zeros(out);
    if (alternate && out.find('.') == std::string::npos) out += '.';
    if (empty_type && out.find('.') == std::string::npos) out += ".0";
  }
  return out;
}

std::string format_float_spec(double x, Spec spec, bool from_int) {
  char type = spec.type;
  if (type == 'n') type = 'g';
  bool add_dot_0 = false;
  std::int64_t precision = spec.precision;
  if (type == 0) {
    if (precision < 0 && !from_int) {
      type = 'r';
    } else {
      type = 'g';
      if (precision < 0) precision = 12;  // int formatted with an empty type never reaches here
    }
    add_dot_0 = true;
  }
  if (precision < 0) precision = 6;
  check_size(static_cast<std::size_t>(precision) + 400, "a formatted number");
  if (std::string_view("reEfFgG%").find(type) == std::string_view::npos) {
    raise(ErrorKind::ValueError, std::string("Unknown format code '") + spec.type +
                                     "' for object of type '" + (from_int ? "int" : "float") + "'");
  }
  bool negative = std::signbit(x) && !std::isnan(x);
  double magnitude = std::fabs(x);
  if (type == '%') magnitude *= 100;
  std::string body;
  if (std::isnan(x) || std::isinf(x)) {
    body = std::isnan(x) ? "nan" : "inf";
    if (type == 'E' || type == 'F' || type == 'G') body = std::isnan(x) ? "NAN" : "INF";
    if (type == '%') body += '%';
    return assemble(sign_of(negative, spec.sign), "", "", body, spec, 3);
  }
  const char* alt = spec.alternate ? "#" : "";
  switch (type) {
    case 'r':
      float_repr_into(magnitude, body);
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case '%': {
      char conv = type == '%' ? 'f' : type;
      std::string fmt = std::string("%") + alt + ".*" + conv;
      body = c_format(fmt.c_str(), static_cast<int>(precision), magnitude);
      if (type == '%') body += '%';
      break;
    }
    case 'g':
    case 'G':
      body = format_general(magnitude, static_cast<int>(precision), spec.alternate, add_dot_0,
                            type == 'G');
      break;
    default:
      raise(ErrorKind::ValueError, std::string("Unknown format code '") + spec.type +
                                       "' for object of type '" + (from_int ? "int" : "float") +
                                       "'");
  }
  if (spec.z && negative) {
    // 'z' turns a negative zero result into a positive one.
    bool all_zero = body.find_first_of("123456789") == std::string::npos;
    if (all_zero) negative = false;
  }
  // Split the integer digits (for grouping and zero padding) from the rest.
  std::size_t int_end = 0;
  while (int_end < body.size() && body[int_end] >= '0' && body[int_end] <= '9') ++int_end;
  return assemble(sign_of(negative, spec.sign), "", body.substr(0, int_end), body.substr(int_end),
                  spec, 3);
}

std::string format_int_spec(const Value& v, const Spec& spec) {
  switch (spec.type) {
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%':
      return format_float_spec(int_to_double(v), spec, true);
    default:
      break;
  }
  if (spec.precision >= 0)
    raise(ErrorKind::ValueError, "Precision not allowed in integer format specifier");
  bool negative = int_sign(v) < 0;
  std::string digits, prefix;
  std::size_t every = 3;
  switch (spec.type) {
    case 0:
    case 'd':
    case 'n': {
      digits = int_to_decimal(v);
      if (negative) digits.erase(0, 1);
      break;
    }
    case 'b':
      digits = int_to_base_abs(v, 2);
      prefix = "0b";
      every = 4;
      break;
    case 'o':
      digits = int_to_base_abs(v, 8);
      prefix = "0o";
      every = 4;
      break;
    case 'x':
      digits = int_to_base_abs(v, 16);
      prefix = "0x";
      every = 4;
      break;
    case 'X':
      digits = int_to_base_abs(v, 16);
      for (char& c : digits) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      prefix = "0X";
      every = 4;
      break;
    case 'c': {
      if (spec.sign != 0)
        raise(ErrorKind::ValueError, "Sign not allowed with integer format specifier 'c'");
      if (spec.alternate)
        raise(ErrorKind::ValueError,
              "Alternate form (#) not allowed with integer format specifier 'c'");
      std::int64_t c = 0;
      if (!small_int(v, c) || c < 0 || c > 0x10FFFF) {
        raise(ErrorKind::OverflowError, "%c arg not in range(0x110000)");
      }
      std::string ch;
      encode_utf8(static_cast<char32_t>(c), ch);
      return pad(ch, spec, '>');
    }
    default:
      raise(ErrorKind::ValueError, std::string("Unknown format code '") + spec.type +
                                       "' for object of type '" + std::string(v.type_name()) + "'");
  }
  if (!spec.alternate) prefix.clear();
  return assemble(sign_of(negative, spec.sign), prefix, digits, "", spec, every);
}

std::string format_str_spec(const Value& v, const Spec& spec) {
  if (spec.type != 0 && spec.type != 's') {
    raise(ErrorKind::ValueError,
          std::string("Unknown format code '") + spec.type + "' for object of type 'str'");
  }
  if (spec.sign != 0) raise(ErrorKind::ValueError, "Sign not allowed in string format specifier");
  if (spec.alternate)
    raise(ErrorKind::ValueError, "Alternate form (#) not allowed in string format specifier");
  if (spec.align == '=')
    raise(ErrorKind::ValueError, "'=' alignment not allowed in string format specifier");
  if (spec.grouping != 0) {
    raise(ErrorKind::ValueError, std::string("Cannot specify '") + spec.grouping + "' with 's'.");
  }
  std::string text = str_of(v);
  if (spec.precision >= 0 && static_cast<std::size_t>(spec.precision) < code_points(text)) {
    U32 cps = to_u32(text);
    text = from_u32(cps.substr(0, static_cast<std::size_t>(spec.precision)));
  }
  return pad(text, spec, '<');
}

}  // namespace

std::string format_value(Interpreter& in, const Value& value, std::string_view spec_text) {
  (void)in;
  auto t = tag_of(value);
  if (spec_text.empty()) return value.str();
  switch (t) {
    case Tag::Str:
      return format_str_spec(value, parse_spec(spec_text, value));
    case Tag::Bool:
    case Tag::SmallInt:
    case Tag::BigInt:
      return format_int_spec(value, parse_spec(spec_text, value));
    case Tag::Float:
      return format_float_spec(ValueAccess::real(value), parse_spec(spec_text, value), false);
    default:
      raise(ErrorKind::TypeError, "unsupported format string passed to " +
                                      std::string(value.type_name()) + ".__format__");
  }
}

// ---- str.format -------------------------------------------------------------------------------

namespace {

struct FormatState {
  Interpreter& in;
  Args& args;
  int auto_index = 0;  // -1 once manual numbering is used
  bool manual = false;
  bool automatic = false;
};

Value resolve_field(FormatState& st, std::string_view field) {
  std::size_t i = 0;
  while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
  std::string_view first = field.substr(0, i);
  Value obj;
  if (first.empty()) {
    if (st.manual) {
      raise(ErrorKind::ValueError,
            "cannot switch from manual field specification to automatic field numbering");
    }
    st.automatic = true;
    auto index = static_cast<std::size_t>(st.auto_index++);
    if (index >= st.args.pos.size()) {
      raise(ErrorKind::IndexError, "Replacement index " + std::to_string(index) +
                                       " out of range for positional args tuple");
    }
    obj = st.args.pos[index];
  } else if (first.find_first_not_of("0123456789") == std::string_view::npos) {
    if (st.automatic) {
      raise(ErrorKind::ValueError,
            "cannot switch from automatic field numbering to manual field specification");
    }
    st.manual = true;
    if (first.size() > 18) raise(ErrorKind::ValueError, "Too many decimal digits in format string");
    auto index = static_cast<std::size_t>(std::stoll(std::string(first)));
    if (index >= st.args.pos.size()) {
      raise(ErrorKind::IndexError, "Replacement index " + std::to_string(index) +
                                       " out of range for positional args tuple");
    }
    obj = st.args.pos[index];
  } else {
    const Value* found = st.args.keyword(first);
    if (found == nullptr) raise(ErrorKind::KeyError, make_str(std::string(first)).repr());
    obj = *found;
  }
  while (i < field.size()) {
    if (field[i] == '.') {
      std::size_t j = i + 1;
      while (j < field.size() && field[j] != '.' && field[j] != '[') ++j;
      std::string name(field.substr(i + 1, j - i - 1));
      if (name.empty()) raise(ErrorKind::ValueError, "Empty attribute in format string");
      // Attributes do not exist in the sandbox (methods are not formattable values either).
      raise(ErrorKind::AttributeError,
            "'" + std::string(obj.type_name()) + "' object has no attribute '" + name + "'");
    }
    // '[' key ']'
    std::size_t close = field.find(']', i);
    if (close == std::string_view::npos)
      raise(ErrorKind::ValueError, "Missing ']' in format string");
    std::string_view key = field.substr(i + 1, close - i - 1);
    if (key.empty()) raise(ErrorKind::ValueError, "Empty attribute in format string");
    Value k = key.find_first_not_of("0123456789") == std::string_view::npos && key.size() <= 18
                  ? Value(static_cast<std::int64_t>(std::stoll(std::string(key))))
                  : make_str(std::string(key));
    obj = subscript(st.in, obj, k);
    i = close + 1;
    if (i < field.size() && field[i] != '.' && field[i] != '[') {
      raise(ErrorKind::ValueError, "Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return obj;
}

std::string render(FormatState& st, std::string_view fmt, int depth) {
  // CPython renders a format string and one level of nested fields in its specs
  // ('{:{}}'); a spec nested in a nested spec is "Max string recursion exceeded".
  if (depth > 1) raise(ErrorKind::ValueError, "Max string recursion exceeded");
  std::string out;
  std::size_t i = 0;
  while (i < fmt.size()) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        i += 2;
        continue;
      }
      raise(ErrorKind::ValueError, "Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      ++i;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      i += 2;
      continue;
    }
    // A replacement field: find its end, honouring nested braces in the spec.
    std::size_t j = i + 1;
    int level = 1;
    std::size_t bracket = 0;
    while (j < fmt.size()) {
      if (fmt[j] == '[')
        ++bracket;
      else if (fmt[j] == ']' && bracket > 0)
        --bracket;
      else if (fmt[j] == '{' && bracket == 0)
        ++level;
      else if (fmt[j] == '}' && bracket == 0) {
        if (--level == 0) break;
      }
      ++j;
    }
    if (j >= fmt.size()) {
      if (level > 1 || fmt.find('}', i) == std::string_view::npos) {
        raise(ErrorKind::ValueError, level > 1 ? "expected '}' before end of string"
                                               : "Single '{' encountered in format string");
      }
      raise(ErrorKind::ValueError, "expected '}' before end of string");
    }
    std::string_view inner = fmt.substr(i + 1, j - i - 1);
    // field_name [! conversion] [: spec]
    std::size_t k = 0;
    std::size_t br = 0;
    while (k < inner.size()) {
      if (inner[k] == '[')
        ++br;
      else if (inner[k] == ']' && br > 0)
        --br;
      else if (br == 0 && (inner[k] == '!' || inner[k] == ':'))
        break;
      ++k;
    }
    std::string_view field = inner.substr(0, k);
    char conversion = 0;
    std::string_view spec;
    if (k < inner.size() && inner[k] == '!') {
      if (k + 1 >= inner.size())
        raise(ErrorKind::ValueError, "end of string while looking for conversion specifier");
      conversion = inner[k + 1];
      k += 2;
      if (k < inner.size() && inner[k] != ':')
        raise(ErrorKind::ValueError, "expected ':' after conversion specifier");
    }
    if (k < inner.size() && inner[k] == ':') spec = inner.substr(k + 1);
    Value obj = resolve_field(st, field);
    if (conversion == 'r') {
      obj = make_str(obj.repr());
    } else if (conversion == 's') {
      obj = make_str(obj.str());
    } else if (conversion == 'a') {
      obj = make_str(ascii_of(obj.repr()));
    } else if (conversion != 0) {
      raise(ErrorKind::ValueError, std::string("Unknown conversion specifier ") + conversion);
    }
    std::string spec_text =
        spec.find('{') != std::string_view::npos ? render(st, spec, depth + 1) : std::string(spec);
    out += format_value(st.in, obj, spec_text);
    check_size(out.size(), "a formatted str");
    i = j + 1;
  }
  return out;
}

}  // namespace

Value str_format(Interpreter& in, const Value& format, Args& args) {
  FormatState st{in, args};
  in.charge(str_of(format).size() / 16);
  return make_str(render(st, str_of(format), 0));
}

// ---- printf-style % ---------------------------------------------------------------------------

Value percent_format(Interpreter& in, const Value& format, const Value& arg) {
  const std::string& fmt = str_of(format);
  std::vector<Value> args;
  bool is_mapping_arg = false;
  auto t = tag_of(arg);
  if (t == Tag::Tuple) {
    args = seq_of(arg);
  } else {
    args.push_back(arg);
    // Anything with __getitem__ other than tuple and str counts as a mapping here, which is
    // why CPython lets `'text' % []` through without "not all arguments converted".
    is_mapping_arg = t == Tag::Dict || t == Tag::List || t == Tag::Range;
  }
  std::size_t next = 0;
  auto take = [&]() -> Value {
    if (next >= args.size()) raise(ErrorKind::TypeError, "not enough arguments for format string");
    return args[next++];
  };
  std::string out;
  bool used_mapping = false;
  std::size_t i = 0;
  while (i < fmt.size()) {
    char c = fmt[i];
    if (c != '%') {
      out += c;
      ++i;
      continue;
    }
    ++i;
    if (i >= fmt.size()) raise(ErrorKind::ValueError, "incomplete format");
    Value value;
    bool have_value = false;
    if (fmt[i] == '(') {
      if (t != Tag::Dict) raise(ErrorKind::TypeError, "format requires a mapping");
      int level = 1;
      std::size_t j = i + 1;
      while (j < fmt.size() && level > 0) {
        if (fmt[j] == '(') ++level;
        if (fmt[j] == ')') --level;
        ++j;
      }
      if (level > 0) raise(ErrorKind::ValueError, "incomplete format key");
      Value key = make_str(fmt.substr(i + 1, j - i - 2));
      const Value* found = dict_of(arg).find(key, hash_value(key));
      if (found == nullptr) raise(ErrorKind::KeyError, key.repr());
      value = *found;
      have_value = true;
      used_mapping = true;
      i = j;
    }
    bool left = false, zero = false, plus = false, space = false, alt = false;
    while (i < fmt.size()) {
      char f = fmt[i];
      if (f == '-')
        left = true;
      else if (f == '0')
        zero = true;
      else if (f == '+')
        plus = true;
      else if (f == ' ')
        space = true;
      else if (f == '#')
        alt = true;
      else
        break;
      ++i;
    }
    auto star_or_number = [&](std::int64_t& out_value) {
      if (i < fmt.size() && fmt[i] == '*') {
        ++i;
        Value w = take();
        if (!is_integral(w)) raise(ErrorKind::TypeError, "* wants int");
        if (!small_int(w, out_value)) raise(ErrorKind::ValueError, "width too big");
        return true;
      }
      bool any = false;
      std::int64_t v = 0;
      while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
        v = v * 10 + (fmt[i] - '0');
        if (v > (std::int64_t{1} << 40)) raise(ErrorKind::ValueError, "width too big");
        ++i;
        any = true;
      }
      if (any) out_value = v;
      return any;
    };
    std::int64_t width = 0, precision = -1;
    if (star_or_number(width) && width < 0) {
      // A negative '*' width left-aligns; CPython's negation of -2**63 wraps to no padding.
      left = true;
      width = width == INT64_MIN ? 0 : -width;
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      precision = 0;
      star_or_number(precision);
      if (precision < 0) precision = 0;
    }
    while (i < fmt.size() && (fmt[i] == 'h' || fmt[i] == 'l' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) raise(ErrorKind::ValueError, "incomplete format");
    char conv = fmt[i++];
    if (conv == '%') {
      out += '%';
      continue;
    }
    check_size(static_cast<std::size_t>(std::max<std::int64_t>(width, 0)), "a formatted field");
    if (!have_value) value = take();
    std::string body;
    std::string sign;
    std::string prefix;
    bool numeric = false;
    switch (conv) {
      case 's':
        body = value.str();
        break;
      case 'r':
        body = value.repr();
        break;
      case 'a':
        body = ascii_of(value.repr());
        break;
      case 'c': {
        if (tag_of(value) == Tag::Str) {
          if (value.size() != 1) raise(ErrorKind::TypeError, "%c requires int or char");
          body = str_of(value);
        } else if (is_integral(value)) {
          std::int64_t code = 0;
          if (!small_int(value, code) || code < 0 || code > 0x10FFFF) {
            raise(ErrorKind::OverflowError, "%c arg not in range(0x110000)");
          }
          encode_utf8(static_cast<char32_t>(code), body);
        } else {
          raise(ErrorKind::TypeError, "%c requires int or char");
        }
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        numeric = true;
        Value iv = value;
        if (tag_of(value) == Tag::Float) {
          if (conv == 'o' || conv == 'x' || conv == 'X') {
            raise(ErrorKind::TypeError,
                  std::string("%") + conv + " format: an integer is required, not float");
          }
          iv = float_to_int(ValueAccess::real(value));
        } else if (!is_integral(value)) {
          raise(ErrorKind::TypeError,
                std::string("%") + conv + " format: " +
                    (conv == 'o' || conv == 'x' || conv == 'X' ? "an integer" : "a real number") +
                    " is required, not " + std::string(value.type_name()));
        }
        bool negative = int_sign(iv) < 0;
        if (conv == 'o' || conv == 'x' || conv == 'X') {
          body = int_to_base_abs(iv, conv == 'o' ? 8 : 16);
          if (conv == 'X') {
            for (char& ch : body)
              ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          }
          if (alt) prefix = conv == 'o' ? "0o" : conv == 'x' ? "0x" : "0X";
        } else {
          body = int_to_decimal(iv);
          if (negative) body.erase(0, 1);
        }
        if (precision > 0 && static_cast<std::size_t>(precision) > body.size()) {
          check_size(static_cast<std::size_t>(precision), "a formatted number");
          body.insert(0, static_cast<std::size_t>(precision) - body.size(), '0');
        }
        sign = negative ? "-" : plus ? "+" : space ? " " : "";
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        numeric = true;
        double x = 0;
        if (tag_of(value) == Tag::Float) {
          x = ValueAccess::real(value);
        } else if (is_integral(value)) {
          x = int_to_double(value);
        } else {
          raise(ErrorKind::TypeError, "must be real number, not " + std::string(value.type_name()));
        }
        if (precision < 0) precision = 6;
        check_size(static_cast<std::size_t>(precision) + 400, "a formatted number");
        std::string cfmt = std::string("%") + (alt ? "#" : "") + ".*" + conv;
        bool negative = std::signbit(x) && !std::isnan(x);
        body = c_format(cfmt.c_str(), static_cast<int>(precision), std::fabs(x));
        sign = negative ? "-" : plus ? "+" : space ? " " : "";
        break;
      }
      default: {
        char buf[96];
        std::snprintf(buf, sizeof buf, "unsupported format character '%c' (0x%x) at index %zu",
                      conv, static_cast<unsigned>(static_cast<unsigned char>(conv)), i - 1);
        raise(ErrorKind::ValueError, buf);
      }
    }
    if (!numeric && precision >= 0 && (conv == 's' || conv == 'r' || conv == 'a')) {
      if (static_cast<std::size_t>(precision) < code_points(body)) {
        body = from_u32(to_u32(body).substr(0, static_cast<std::size_t>(precision)));
      }
    }
    std::string field = sign + prefix + body;
    std::size_t n = code_points(field);
    if (width > 0 && static_cast<std::size_t>(width) > n) {
      std::size_t fill = static_cast<std::size_t>(width) - n;
      if (left) {
        field += std::string(fill, ' ');
      } else if (zero && numeric) {
        field = sign + prefix + std::string(fill, '0') + body;
      } else {
        field = std::string(fill, ' ') + field;
      }
    }
    out += field;
    check_size(out.size(), "a formatted str");
  }
  in.charge(out.size() / 64);
  if (next < args.size() && !is_mapping_arg && !used_mapping) {
    raise(ErrorKind::TypeError, "not all arguments converted during string formatting");
  }
  return make_str(std::move(out));
}

}  // namespace hparams::detail
