// hparams run DIR [overrides]: create or resume DIR's run as HParams does, print its config.
#include <cmath>
#include <iostream>

#include "command.hpp"

namespace hparams::cli {

Action add_run(CLI::App& app, std::vector<Override>& overrides) {
  struct Options {
    std::string project, filename = "hparams", backup;
    bool strict = false, backup_optional = false, every_rank = false;
    double rank_timeout = 600;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "run", "Create or resume the run of PROJECT_DIR/hparams.cfg and print its config");
  cmd->add_option("project_dir", o->project, "The directory holding the .cfg file")->required();
  cmd->add_option("--filename", o->filename, "The .cfg file's name without .cfg")
      ->capture_default_str();
  cmd->add_flag("--strict", o->strict, "Refuse to resume when the cfg differs from the saved copy");
  cmd->add_option("--rank-timeout", o->rank_timeout,
                  "Seconds a process of rank > 0 waits for rank 0's copy (0 to 1e9)")
      ->capture_default_str();
  cmd->add_option("--backup", o->backup,
                  "Back the saved copy up to gs://, s3:// or file:// (and restore it from there)");
  cmd->add_flag("--backup-optional", o->backup_optional,
                "A failed backup only warns (by default it stops, as in the original)");
  cmd->add_flag("--every-rank-prints", o->every_rank,
                "Every rank prints the run's messages (by default only rank 0; also "
                "HPARAMS_MESSAGES=all)");
  cmd->footer(
      "Overrides: section.key=value, --section.key=value or ~~key=value, anywhere after `run`. "
      "The run's messages go to stderr; the config goes to stdout.");
  return [o, &overrides] {
    if (!std::isfinite(o->rank_timeout) || o->rank_timeout < 0 || o->rank_timeout > 1e9) {
      std::cerr << "error: --rank-timeout must be a number of seconds from 0 to 1e9\n";
      return static_cast<int>(kUsage);
    }
    RunOptions options;
    options.backup.uri = o->backup;
    options.backup.required = !o->backup_optional;
    options.filename = o->filename;
    options.overrides = std::move(overrides);
    options.messages = &std::cerr;
    options.every_rank_prints = o->every_rank;
    if (o->strict) options.resume = ResumePolicy::Strict;
    options.rank_timeout =
        std::chrono::milliseconds(static_cast<long long>(std::llround(o->rank_timeout * 1000)));
    HParams run = HParams::open(o->project, options);
    print_config(run.config(), std::cout);
    return static_cast<int>(kOk);
  };
}

}  // namespace hparams::cli
