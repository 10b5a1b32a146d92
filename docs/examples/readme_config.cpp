#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  auto config = hparams::Config::load("hparams.cfg");  // every value evaluated now
  int seed = config.get<int>("run.seed");              // "section.key"
  auto widths = config.get<std::vector<int>>("model", "widths");
  double momentum = config.get_or<double>("optimizer.momentum", 0.9);  // absent: fallback
  auto kernel = config.get<std::pair<int, int>>("model.kernel");
  auto schedule = config.get<std::vector<std::tuple<int, double>>>("optimizer.schedule");
  const hparams::Value* path = config.find("data.path");  // nullptr when absent
  std::cout << seed << " " << widths.size() << " " << momentum << " " << kernel.second << " "
            << std::get<1>(schedule.back()) << " " << path->repr() << "\n";
  // 42 4 0.9 3 0.1 'data/cifar10'
  // [end example]
}
