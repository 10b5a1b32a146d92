#include <cassert>
#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  hparams::Value v = hparams::evaluate("[1] * 3 + [2]");
  assert(v.is_list() && v.size() == 4);
  std::cout << v.repr() << "\n";                     // [1, 1, 1, 2]
  std::cout << v.items().back().as_int64() << "\n";  // 2
  hparams::Value big = hparams::evaluate("2 ** 100");
  std::cout << big.repr() << "\n";  // 1267650600228229401496703205376
  // [end example]
}
