#include <hparams/hparams.hpp>
#include <iostream>

void train();

// [example]
int main(int argc, char** argv) {
  // Reads ./hparams.cfg; takes `section.key=value` overrides out of argv.
  auto hp = hparams::HParams::create(".", argc, argv);
  int epochs = hp->get<int>("train.epochs");
  std::cout << epochs << " epochs, checkpoints in " << hp->log_dir().string() << "\n";
  // 30 epochs, checkpoints in ./logs-cifar10_baseline
  train();
}

void train() {  // anywhere else in the program
  auto hp = hparams::HParams::get_hparams_by_name("hparams");
  std::cout << hp->get<double>("optimizer.lr") << "\n";  // 0.0003
}
// [end example]
