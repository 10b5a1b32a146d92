#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  auto doc = hparams::ini::Document::parse("[run]\nname = x\nlr = 3e-4\n", "hparams.cfg");
  std::cout << doc.find("run", "lr")->value << "\n";  // 3e-4
  doc.set_value("run", "lr", "1e-3");
  std::cout << doc.str();  // [run]\nname = x\nlr = 1e-3\n
  // [end example]
}
