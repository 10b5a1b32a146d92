#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  try {
    hparams::Value v = hparams::evaluate("'a' + 1");
  } catch (const hparams::Error& e) {
    std::cout << e.kind_name() << ": " << e.message() << "\n";
    // TypeError: can only concatenate str (not "int") to str
    std::cout << e.what() << "\n";
    // <value>:1:5: error: TypeError: can only concatenate str (not "int") to str
  }
  // [end example]
}
