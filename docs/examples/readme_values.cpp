#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  hparams::Value v = hparams::evaluate("[2 ** i for i in range(5)]");
  std::cout << v.repr() << "\n";                            // [1, 2, 4, 8, 16]
  std::cout << hparams::evaluate("adam").as_str() << "\n";  // adam  (unknown name: text)
  std::cout << hparams::evaluate("'{:.3f}'.format(1/3)").as_str() << "\n";  // 0.333
  std::cout << hparams::evaluate("0.1 + 0.2").repr() << "\n";               // 0.30000000000000004
  std::cout << hparams::evaluate("{3, 1, 2} | {10}").repr() << "\n";        // {10, 1, 2, 3}
  std::cout << hparams::evaluate("-7 // 2, -7 % 2").repr() << "\n";         // (-4, 1)
  // [end example]
}
