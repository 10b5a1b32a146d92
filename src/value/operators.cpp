#include "value/operators.hpp"

namespace hparams::detail {

const char* op_text(Op op) {
  // In the order of the enum.
  static const char* const kText[] = {"+",   "-",   "*",      "/",  "//",    "%",  "**", "@",
                                      "<<",  ">>",  "&",      "|",  "^",     "-",  "+",  "~",
                                      "not", "and", "or",     "<",  "<=",    "==", "!=", ">",
                                      ">=",  "in",  "not in", "is", "is not"};
  static_assert(sizeof(kText) / sizeof(kText[0]) == static_cast<int>(Op::IsNot) + 1);
  return kText[static_cast<int>(op)];
}

}  // namespace hparams::detail
