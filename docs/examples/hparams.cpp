// [example]
#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  hparams::Value v = hparams::evaluate("[2 ** i for i in range(4)]");
  std::cout << v.repr() << "\n";  // [1, 2, 4, 8]
}
// [end example]
