// The public entry points of the value engine.
#include "hparams/eval.hpp"

#include <cctype>
#include <cstdlib>

#include "eval/ast.hpp"
#include "eval/interpreter.hpp"
#include "num/numbers.hpp"
#include "text/unicode.hpp"
#include "value/stack_guard.hpp"
#include "value/value_impl.hpp"

namespace hparams {
namespace {

bool contains_opaque(const Value& v, int depth = 0) {
  using detail::Tag;
  detail::check_stack();
  switch (detail::tag_of(v)) {
    case Tag::Callable:
      return true;
    case Tag::Iterator: {
      const auto& it = detail::iterator_of(v);
      if (!it.is_view) return true;
      for (const Value& item : it.items) {
        if (contains_opaque(item, depth + 1)) return true;
      }
      return false;
    }
    case Tag::List:
    case Tag::Tuple:
      for (const Value& item : detail::seq_of(v)) {
        if (contains_opaque(item, depth + 1)) return true;
      }
      return false;
    case Tag::Dict:
      for (const auto& [key, value] : detail::dict_of(v).entries) {
        if (contains_opaque(key, depth + 1) || contains_opaque(value, depth + 1)) return true;
      }
      return false;
    case Tag::Set: {
      bool found = false;
      detail::set_of(v).for_each([&](const Value& key, std::int64_t) {
        found = found || contains_opaque(key, depth + 1);
      });
      return found;
    }
    default:
      return false;
  }
}

// Follows the subexpression Python evaluates first; an unknown name there means NameError
// before anything else can happen, so the raw-text fallback needs no exception (the common
// `optimizer = adam` and `path = data/train`).
bool certain_name_error(const detail::Ast& ast) {
  using detail::NodeKind;
  std::uint32_t index = ast.root;
  while (true) {
    const detail::Node& n = ast.nodes[index];
    switch (n.kind) {
      case NodeKind::Name:
        return detail::find_builtin(ast.names[n.data]) < 0;
      case NodeKind::BinOp:
      case NodeKind::Power:
      case NodeKind::Unary:
      case NodeKind::BoolOp:
      case NodeKind::Compare:
      case NodeKind::Attribute:
      case NodeKind::Subscript:
      case NodeKind::Call:
      case NodeKind::Tuple:
      case NodeKind::List:
      case NodeKind::Set:
      case NodeKind::Dict:
        if (n.count == 0) return false;
        index = ast.kid(n, 0);
        break;
      case NodeKind::IfExp:
        index = ast.kid(n, 1);
        break;
      default:
        return false;
    }
  }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Plain literals (most config values) without lexer, parser and interpreter: a decimal int,
// a simple float, a quote-delimited str without escapes, True/False/None, or a bare
// identifier (an unknown name or a builtin: raw text either way). Anything else, including
// everything that would be an error, takes the full path. Returns false when it does not apply.
bool fast_literal(std::string_view t, Evaluation& out);

// A flat list or tuple display of plain literals (`[64, 128]`, `(0.9, 0.999)`, `['a', 'b',]`):
// elements split at commas outside quotes, each one a number, a simple str, True, False or
// None. Anything else (names, nesting, `(1)` which is not a tuple) takes the full path.
bool fast_display(std::string_view t, Evaluation& out) {
  const bool list = t.front() == '[';
  if (t.size() < 2 || t.back() != (list ? ']' : ')')) return false;
  std::string_view body = t.substr(1, t.size() - 2);
  std::vector<Value> items;
  bool comma = false;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    char c = i < body.size() ? body[i] : ',';
    if (c == '\'' || c == '"') {
      std::size_t close = body.find(c, i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
      continue;
    }
    if (c == '[' || c == ']' || c == '(' || c == ')' || c == '{' || c == '}') return false;
    if (c != ',') continue;
    std::string_view element = body.substr(begin, i - begin);
    while (!element.empty() && element.front() == ' ') element.remove_prefix(1);
    while (!element.empty() && element.back() == ' ') element.remove_suffix(1);
    begin = i + 1;
    if (i < body.size()) comma = true;
    if (element.empty()) {
      // Only the end may be empty: `[]`, `()`, or a trailing comma.
      if (i == body.size() && (items.empty() ? !comma : true)) break;
      return false;
    }
    Evaluation one;
    if (element.front() == '[' || element.front() == '(' || !fast_literal(element, one) ||
        one.raw_text) {
      return false;
    }
    items.push_back(std::move(one.value));
  }
  if (!list && !comma && !items.empty()) return false;  // `(1)` is 1, not a tuple
  out.value = list ? Value::list(std::move(items)) : Value::tuple(std::move(items));
  return true;
}

bool fast_literal(std::string_view t, Evaluation& out) {
  if (t.empty()) return false;
  if ((t.front() == '[' || t.front() == '(') && t.size() <= 256) {
    for (char c : t) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E)
        return false;
    }
    return fast_display(t, out);
  }
  if (t.size() > 64) return false;
  for (char c : t) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  }
  char first = t[0];
  if (first == '\'' || first == '"') {
    if (t.size() < 2 || t.back() != first) return false;
    std::string_view body = t.substr(1, t.size() - 2);
    if (body.find(first) != std::string_view::npos || body.find('\\') != std::string_view::npos) {
      return false;
    }
    out.value = detail::make_str(std::string(body), body.size(), true);
    return true;
  }
  std::string_view n = t;
  bool negative = false;
  if (n[0] == '-') {
    negative = true;
    n.remove_prefix(1);
    if (n.empty()) return false;
  }
  if (is_digit(n[0]) || (n[0] == '.' && n.size() > 1 && is_digit(n[1]))) {
    std::size_t i = 0;
    while (i < n.size() && is_digit(n[i])) ++i;
    std::size_t int_digits = i;
    bool is_float = false;
    if (i < n.size() && n[i] == '.') {
      is_float = true;
      ++i;
      while (i < n.size() && is_digit(n[i])) ++i;
    }
    if (i < n.size() && (n[i] == 'e' || n[i] == 'E')) {
      std::size_t j = i + 1;
      if (j < n.size() && (n[j] == '+' || n[j] == '-')) ++j;
      if (j >= n.size() || !is_digit(n[j])) return false;
      while (j < n.size() && is_digit(n[j])) ++j;
      i = j;
      is_float = true;
    }
    if (i != n.size()) return false;
    if (is_float) {
      double d = detail::parse_decimal(n);
      out.value = Value(negative ? -d : d);
      return true;
    }
    if (int_digits > 18) return false;
    if (int_digits > 1 && n[0] == '0') {
      if (n.find_first_not_of('0') != std::string_view::npos) return false;  // leading zeros
    }
    std::int64_t v = 0;
    for (char c : n) v = v * 10 + (c - '0');
    out.value = Value(negative ? -v : v);
    return true;
  }
  if (negative) return false;
  if (t == "True" || t == "False") {
    out.value = Value(t == "True");
    return true;
  }
  if (t == "None") {
    out.value = Value();
    return true;
  }
  if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_')) return false;
  for (char c : t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  static constexpr std::string_view kKeywords[] = {
      "and",    "as",   "assert", "async",  "await",  "break",   "class",    "continue",
      "def",    "del",  "elif",   "else",   "except", "finally", "for",      "from",
      "global", "if",   "import", "in",     "is",     "lambda",  "nonlocal", "not",
      "or",     "pass", "raise",  "return", "try",    "while",   "with",     "yield"};
  for (std::string_view k : kKeywords) {
    if (t == k) return false;
  }
  out.value = detail::make_str(std::string(t), t.size(), true);
  out.raw_text = true;
  return true;
}

}  // namespace

namespace detail {
bool evaluate_literal(std::string_view text, Evaluation& out) { return fast_literal(text, out); }
}  // namespace detail

Evaluation evaluate_detailed(std::string_view text, const EvalLimits& limits) {
  if (Evaluation fast; fast_literal(text, fast)) return fast;
  std::size_t length = 0;
  bool ascii = true;
  if (!detail::validate_utf8(text, length, ascii)) {
    throw Error(ErrorKind::SyntaxError, "(unicode error) the value is not valid UTF-8",
                SourceLocation{"", 1, 1});
  }
  if (text.find('\0') != std::string_view::npos) {
    throw Error(ErrorKind::SyntaxError, "source code string cannot contain null bytes",
                SourceLocation{"", 1, 1});
  }
  // Each thread keeps its tree's buffers between values (loading a config parses many), but
  // not the buffers of a huge one.
  thread_local detail::Ast ast;
  struct Reset {
    ~Reset() {
      ast.clear();
      if (ast.nodes.capacity() > (std::size_t{1} << 16)) ast = detail::Ast();
    }
  } reset;
  // The raw text is a value too, and so bounded like any str.
  auto raw = [&] {
    if (text.size() > detail::kMaxValueBytes) {
      throw Error(ErrorKind::MemoryError, "a value's raw text exceeds the sandbox limit of 64 MiB",
                  SourceLocation{"", 1, 1});
    }
    return Evaluation{detail::make_str(std::string(text), length, ascii), true, text.size()};
  };
  try {
    detail::parse_expression(text, ast);
    if (certain_name_error(ast)) return raw();
    detail::Interpreter interpreter(ast, limits);
    Value value = interpreter.run();
    if (interpreter.made_opaque() && contains_opaque(value)) return raw();
    return {std::move(value), false, interpreter.allocated()};
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NameError) return raw();
    throw;
  }
}

Value evaluate(std::string_view text, const EvalLimits& limits) {
  return evaluate_detailed(text, limits).value;
}

}  // namespace hparams
