// The public entry points of the value engine.
#include "hparams/eval.hpp"

#include "eval/ast.hpp"
#include "eval/interpreter.hpp"
#include "eval/unicode.hpp"
#include "value_impl.hpp"

namespace hparams {
namespace {

bool contains_opaque(const Value& v, int depth = 0) {
  using detail::Tag;
  if (depth > 1000) return false;
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

}  // namespace

Evaluation evaluate_detailed(std::string_view text, const EvalLimits& limits) {
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
  // Each thread keeps its tree's buffers between values: loading a config parses many.
  thread_local detail::Ast ast;
  try {
    detail::parse_expression(text, ast);
    if (certain_name_error(ast)) {
      ast.clear();
      return {detail::make_str(std::string(text), length, ascii), true};
    }
    detail::Interpreter interpreter(ast, limits);
    Value value = interpreter.run();
    if (interpreter.made_opaque() && contains_opaque(value)) {
      ast.clear();
      return {detail::make_str(std::string(text), length, ascii), true};
    }
    ast.clear();
    return {std::move(value), false};
  } catch (const Error& e) {
    ast.clear();
    if (e.kind() == ErrorKind::NameError) {
      return {detail::make_str(std::string(text), length, ascii), true};
    }
    throw;
  }
}

Value evaluate(std::string_view text, const EvalLimits& limits) {
  return evaluate_detailed(text, limits).value;
}

}  // namespace hparams
