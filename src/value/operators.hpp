// Internal: Python's operators, named once: the syntax tree, error messages and the tree
// dump all spell them from the one table in operators.cpp.
#pragma once

#include <cstdint>

namespace hparams::detail {

enum class Op : std::uint8_t {
  Add,
  Sub,
  Mul,
  Div,
  FloorDiv,
  Mod,
  Pow,
  MatMul,
  LShift,
  RShift,
  BitAnd,
  BitOr,
  BitXor,
  Neg,
  Pos,
  Invert,
  Not,
  And,
  Or,
  Lt,
  Le,
  Eq,
  Ne,
  Gt,
  Ge,
  In,
  NotIn,
  Is,
  IsNot,
};

/// The operator as Python writes it: "+", "//", "not in", ...
const char* op_text(Op op);

}  // namespace hparams::detail
