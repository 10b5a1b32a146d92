// hparams version: the tool's version (also --version).
#include <iostream>

#include "command.hpp"

namespace hparams::cli {

Action add_version(CLI::App& app) {
  app.add_subcommand("version", "Print the version");
  return [] {
    std::cout << "hparams " << kVersion << '\n';
    return static_cast<int>(kOk);
  };
}

}  // namespace hparams::cli
