// hparams/hparams.hpp: the whole library.
//
//   #include <hparams/hparams.hpp>
//   #include <iostream>
//
//   int main() {
//     hparams::Value v = hparams::evaluate("[2 ** i for i in range(4)]");
//     std::cout << v.repr() << "\n";  // [1, 2, 4, 8]
//   }
#pragma once

#include "hparams/config.hpp"
#include "hparams/convert.hpp"
#include "hparams/error.hpp"
#include "hparams/eval.hpp"
#include "hparams/ini.hpp"
#include "hparams/json.hpp"
#include "hparams/run.hpp"
#include "hparams/value.hpp"
#include "hparams/version.hpp"
