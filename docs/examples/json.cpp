#include <hparams/hparams.hpp>
#include <iostream>

int main() {
  // [example]
  hparams::Value v = hparams::evaluate("{'lr': 3e-4, 'betas': (0.9, 0.999), 'steps': 2 ** 70}");
  std::cout << hparams::to_json(v) << "\n";
  // {"lr":0.0003,"betas":[0.9,0.999],"steps":"1180591620717411303424"}
  // [end example]
}
