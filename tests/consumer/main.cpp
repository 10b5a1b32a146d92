// A consumer of the installed (or vendored) library.
#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  hparams::Value v = hparams::evaluate("[1] * 3 + [2]");
  std::cout << v.repr() << "\n";
  return v.repr() == "[1, 1, 1, 2]" ? 0 : 1;
}
