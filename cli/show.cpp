// hparams show FILE...: every key as section.key = repr(value), its raw text, or JSON.
#include <iostream>

#include "command.hpp"

namespace hparams::cli {
namespace {

void show_raw(const ini::Document& doc) {
  // The raw texts need no evaluation: a file with bad values still shows.
  const ini::Section* defaults = doc.defaults();
  for (const auto& section : doc.sections()) {
    if (section.is_default) continue;
    auto line = [&](const ini::Entry& entry) {
      std::cout << section.name << '.' << entry.key << " = " << Value(entry.value).repr() << '\n';
    };
    for (const auto& entry : section.entries) line(entry);
    if (defaults == nullptr) continue;
    for (const auto& entry : defaults->entries) {
      if (section.find(entry.key) == nullptr) line(entry);
    }
  }
}

}  // namespace

Action add_show(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "show", "Print every key of .cfg files as section.key = repr(value) ('-': stdin)");
  auto files = std::make_shared<std::vector<std::string>>();
  auto raw = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("files", *files, "The .cfg files ('-' reads standard input)")->required();
  auto* raw_flag = cmd->add_flag("--raw", *raw, "Print the repr of each value's raw text");
  cmd->add_flag("--json", *json, "Print the values as JSON")->excludes(raw_flag);
  return [=] {
    int status = kOk;
    for (const std::string& file : *files) {
      if (files->size() > 1) std::cout << "# " << file << '\n';
      try {
        if (*raw) {
          std::string text;
          if (file == "-") {
            text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
            show_raw(ini::Document::parse(std::move(text), "<stdin>"));
          } else {
            show_raw(ini::Document::load(file));
          }
        } else if (*json) {
          std::cout << load_config(file).to_json(2) << '\n';
        } else {
          print_config(load_config(file), std::cout);
        }
      } catch (const Error& e) {
        print_error(e);
        status = std::max(status, exit_code(e));
      }
    }
    return status;
  };
}

}  // namespace hparams::cli
