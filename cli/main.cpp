// The hparams command-line tool: one file per command (cli/*.cpp), one exit-code table
// (command.hpp), and no exception ever escapes as std::terminate.
#include <functional>
#include <iostream>
#include <new>
#include <string_view>

#include "command.hpp"

int main(int argc, char** argv) {
  using namespace hparams::cli;
  // The common probe answers before anything is set up (what CLI11's version flag prints).
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << "hparams " << hparams::kVersion << '\n';
    return kOk;
  }
  try {
    CLI::App app{"hparams: hyper-parameters of deep-learning runs, configured in Python syntax",
                 "hparams"};
    app.set_version_flag("--version", std::string("hparams ") + hparams::kVersion);
    app.require_subcommand(0, 1);
    app.footer(
        "Exit status: 0 ok, 1 invalid config or value, 2 usage, 3 file error, 4 backup error, "
        "5 rank timeout (diff: 0 same, 1 different, 2 trouble).");

    std::vector<hparams::Override> overrides;
    using Adder = std::function<Action(CLI::App&)>;
    const std::vector<std::pair<std::string_view, Adder>> table = {
        {"eval", add_eval},
        {"show", add_show},
        {"check", add_check},
        {"run", [&overrides](CLI::App& a) { return add_run(a, overrides); }},
        {"backup", add_backup},
        {"pull", add_pull},
        {"diff", add_diff},
        {"runs", add_runs},
        {"history", add_history},
        {"version", add_version},
    };
    // Startup: when argv[1] names a command, only that command is set up (building every
    // command's options is most of this program's work before a small file is read); the
    // top-level help, --version and mistakes see them all.
    std::vector<std::pair<std::string, Action>> commands;
    for (const auto& [name, add] : table) {
      if (argc > 1 && name == argv[1]) commands.emplace_back(std::string(name), add(app));
    }
    if (commands.empty()) {
      for (const auto& [name, add] : table) commands.emplace_back(std::string(name), add(app));
    }

    // Overrides look like options to CLI11 (--train.lr=1e-4): `run` takes them out first.
    if (argc > 1 && std::string_view(argv[1]) == "run") {
      try {
        overrides = hparams::take_overrides(argc, argv);
      } catch (const hparams::Error& e) {
        std::cerr << "error: " << e.message() << '\n';
        return kUsage;
      }
    }
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      int code = app.exit(e);
      return code == 0 ? kOk : kUsage;
    }
    for (const auto& [name, action] : commands) {
      if (app.get_subcommand(name)->parsed()) return action();
    }
    std::cerr << app.help() << "A command is required: "
              << "eval, show, check, run, backup, pull, diff, runs, history or version.\n";
    return kUsage;
  } catch (const hparams::Error& e) {
    print_error(e);
    return exit_code(e);
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory\n";
    return kInternal;
  } catch (const std::exception& e) {
    std::cerr << "error: internal error: " << e.what() << '\n';
    return kInternal;
  } catch (...) {
    std::cerr << "error: internal error\n";
    return kInternal;
  }
}
