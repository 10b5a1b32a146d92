#include <iostream>
#include <iterator>

#include "command.hpp"

namespace hparams::cli {

int exit_code(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::IOError:
      return e.message().find("backing up") != std::string::npos ||
                     e.message().find("restoring") != std::string::npos ||
                     e.message().find("://") != std::string::npos
                 ? kBackup
                 : kIo;
    case ErrorKind::TimeoutError:
      return e.message().find("waited") != std::string::npos ? kTimeout : kInvalid;
    default:
      return kInvalid;
  }
}

void print_error(const Error& e) {
  if (const auto* list = dynamic_cast<const ErrorList*>(&e)) {
    std::cerr << list->reports();
  } else {
    std::cerr << e.what() << '\n';
  }
}

void print_config(const Config& config, std::ostream& out) {
  for (const auto& section : config.sections()) {
    for (const auto& key : config.keys(section)) {
      out << section << '.' << key << " = " << config.at(section, key).repr() << '\n';
    }
  }
}

Config load_config(const std::string& file, const LoadOptions& options) {
  if (file != "-") return Config::load(file, options);
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  return Config::parse(std::move(text), "<stdin>", options);
}

}  // namespace hparams::cli
