// Internal: the syntax tree of one value, stored flat (an arena of nodes, children by index).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hparams/value.hpp"
#include "value/operators.hpp"

namespace hparams::detail {

enum class NodeKind : std::uint8_t {
  Constant,  // data: constants index
  Name,      // data: names index
  Tuple,     // kids: elements
  List,
  Set,
  Dict,       // kids: key0, value0, key1, value1, ...
  BinOp,      // kids: operands (>= 2); ops[data .. data + count - 1): the operators
  Power,      // kids: base, exponent (right-associative: 2**3**2 nests in the exponent)
  Unary,      // op: Neg/Pos/Invert/Not; kids: operand
  BoolOp,     // op: And/Or; kids: operands
  Compare,    // kids: operands; ops[data..]: the comparison operators
  IfExp,      // kids: body, test, orelse
  Call,       // kids: func, positional args (extra of them), then keyword name/value pairs
  Attribute,  // kids: object; data: names index
  Subscript,  // kids: object, index
  Slice,      // kids: lower, upper, step (kNoNode when absent)
  ListComp,   // kids: element (DictComp: key, value), then CompFor nodes; extra: element count
  SetComp,
  DictComp,
  GenExp,
  CompFor,  // kids: target, iterable, conditions...
};

inline constexpr std::uint32_t kNoNode = 0xFFFFFFFF;

struct Node {
  NodeKind kind = NodeKind::Constant;
  Op op = Op::Add;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t first = 0;  // kids[first .. first + count)
  std::uint32_t count = 0;
  std::uint32_t data = 0;
  std::uint32_t extra = 0;
};

/// An operator with its source position, for chains (a + b - c, a < b <= c, - - x).
struct OpAt {
  Op op;
  std::uint32_t line;
  std::uint32_t column;
};

struct Ast {
  std::vector<Node> nodes;
  std::vector<std::uint32_t> kids;
  std::vector<OpAt> ops;
  std::vector<Value> constants;
  std::vector<std::string> names;
  std::uint32_t root = kNoNode;

  std::uint32_t kid(const Node& n, std::uint32_t i) const { return kids[n.first + i]; }
  void clear() {
    nodes.clear();
    kids.clear();
    ops.clear();
    constants.clear();
    names.clear();
    root = kNoNode;
  }
};

/// Parses one expression (Python 3.11 eval-mode grammar, restricted to the value language).
/// Throws SyntaxError with line and column.
void parse_expression(std::string_view source, Ast& ast);

/// A readable dump of the tree for tests: `BinOp(+, Constant(1), Name(x))`.
std::string dump(const Ast& ast, std::uint32_t node);
std::string dump(const Ast& ast);

}  // namespace hparams::detail
