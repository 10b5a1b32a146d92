#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  auto config = hparams::Config::load("hparams.cfg");
  int seed = config.get<int>("run.seed");
  auto widths = config.get<std::vector<int>>("model", "widths");
  double lr = config.get_or<double>("optimizer.lr", 1e-3);
  double momentum = config.get_or<double>("optimizer.momentum", 0.9);  // absent: the fallback
  if (const hparams::Value* v = config.find("model.dropout")) std::cout << v->repr() << "\n";
  // None
  std::cout << seed << " " << widths.back() << " " << lr << " " << momentum << "\n";
  // 42 128 0.0003 0.9
  // [end example]
}
