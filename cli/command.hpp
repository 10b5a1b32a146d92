// The hparams command-line tool: what every command shares.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "hparams/hparams.hpp"

namespace hparams::cli {

/// Exit statuses (the README's table). `diff` follows diff(1): 0 same, 1 different, 2
/// trouble.
enum Exit : int {
  kOk = 0,
  kInvalid = 1,  ///< a config, a value or a run is invalid (every error is printed)
  kUsage = 2,    ///< the command line is wrong
  kIo = 3,       ///< a file cannot be read or written
  kBackup = 4,   ///< object storage failed
  kTimeout = 5,  ///< a rank waited too long for rank 0
  kInternal = 70,
};

/// What runs a command once its arguments are parsed; returns the exit status.
using Action = std::function<int()>;

/// The exit status for an error of the library.
int exit_code(const Error& e);
/// Prints an error to stderr: every report of an ErrorList, else the one line.
void print_error(const Error& e);
/// `section.key = repr(value)` for every key of every section (inherited DEFAULT keys too).
void print_config(const Config& config, std::ostream& out);
/// Loads a .cfg file, or standard input for "-".
Config load_config(const std::string& file, const LoadOptions& options = {});

// One function per command (one file each): adds its subcommand and returns its action.
Action add_eval(CLI::App& app);
Action add_show(CLI::App& app);
Action add_check(CLI::App& app);
Action add_run(CLI::App& app, std::vector<Override>& overrides);
Action add_backup(CLI::App& app);
Action add_pull(CLI::App& app);
Action add_diff(CLI::App& app);
Action add_runs(CLI::App& app);
Action add_history(CLI::App& app);
Action add_version(CLI::App& app);

}  // namespace hparams::cli
