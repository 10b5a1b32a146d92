// The hparams command-line tool: one file per command (cli/*.cpp), one exit-code table
// (command.hpp), and no exception ever escapes as std::terminate.
#include <iostream>
#include <new>

#include "command.hpp"

int main(int argc, char** argv) {
  using namespace hparams::cli;
  try {
    CLI::App app{"hparams: hyper-parameters of deep-learning runs, configured in Python syntax",
                 "hparams"};
    app.set_version_flag("--version", std::string("hparams ") + hparams::kVersion);
    app.require_subcommand(0, 1);
    app.footer(
        "Exit status: 0 ok, 1 invalid config or value, 2 usage, 3 file error, 4 backup error, "
        "5 rank timeout (diff: 0 same, 1 different, 2 trouble).");

    std::vector<hparams::Override> overrides;
    const std::vector<std::pair<std::string, Action>> commands = {
        {"eval", add_eval(app)},       {"show", add_show(app)},
        {"check", add_check(app)},     {"run", add_run(app, overrides)},
        {"backup", add_backup(app)},   {"pull", add_pull(app)},
        {"diff", add_diff(app)},       {"runs", add_runs(app)},
        {"history", add_history(app)}, {"version", add_version(app)},
    };

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
