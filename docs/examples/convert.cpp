#include <hparams/hparams.hpp>
#include <iostream>

// [example]
struct Model {
  int depth;
  std::vector<int> widths;
  std::pair<int, int> kernel;
};
void hparams_from_value(const hparams::Field& f, Model& m) {  // found by ADL
  m.depth = f.get<int>("depth");
  m.widths = f.get<std::vector<int>>("widths");
  m.kernel = f.get<std::pair<int, int>>("kernel");
}

int main() {
  auto config = hparams::Config::load("hparams.cfg");
  Model m = config.get<Model>("model");  // a section converts like a dict
  std::cout << m.depth << " " << m.widths.size() << " " << m.kernel.first << "\n";  // 4 4 3
  try {
    config.get<int>("optimizer.lr");  // 0.0003 is not an int: conversions never guess
  } catch (const hparams::Error& e) {
    std::cout << e.message() << "\n";  // optimizer.lr: expected int, got float 0.0003
  }
}
// [end example]
