// hparams check FILE...: every error of every file; warnings for what loads but looks wrong.
#include <iostream>

#include "command.hpp"

namespace hparams::cli {

Action add_check(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "check", "Validate .cfg files: print every error (and warning), exit 1 if any error");
  auto files = std::make_shared<std::vector<std::string>>();
  auto strict = std::make_shared<bool>(false);
  cmd->add_option("files", *files, "The .cfg files ('-' reads standard input)")->required();
  cmd->add_flag("--strict", *strict,
                "Values that silently became text or a tuple (true, nn.ReLU, root + '/x', "
                "256,) are errors, not warnings");
  return [=] {
    int status = kOk;
    for (const std::string& file : *files) {
      try {
        LoadOptions options;
        options.strict = *strict;
        Config config = load_config(file, options);
        std::vector<Error> warnings = config.warnings();
        if (!*strict) {
          for (Error& e : config.lint()) warnings.push_back(std::move(e));
        }
        for (const Error& w : warnings) {
          std::string line(config.document().line_text(w.location().line));
          std::string report = w.report(line);
          auto at = report.find(": error: ");
          if (at != std::string::npos) report.replace(at, 9, ": warning: ");
          std::cerr << report;
        }
        std::cout << file << ": ok"
                  << (warnings.empty() ? ""
                                       : " (" + std::to_string(warnings.size()) +
                                             (warnings.size() == 1 ? " warning)" : " warnings)"))
                  << '\n';
      } catch (const Error& e) {
        print_error(e);
        status = std::max(status, exit_code(e));
      }
    }
    return status;
  };
}

}  // namespace hparams::cli
