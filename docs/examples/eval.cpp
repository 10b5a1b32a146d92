#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  std::cout << hparams::evaluate("3e-4").repr() << "\n";           // 0.0003
  std::cout << hparams::evaluate("[1] * 2 + [2]").repr() << "\n";  // [1, 1, 2]
  std::cout << hparams::evaluate("adam").repr() << "\n";           // 'adam'
  try {
    hparams::evaluate("1/0");
  } catch (const hparams::Error& e) {
    std::cout << e.kind_name() << ": " << e.message() << "\n";
    // ZeroDivisionError: division by zero
  }
  // [end example]
}
