// What `diff` and `history` accept for a config or a run: a .cfg file, a run directory
// (logs-<run.name>), a project directory (its hparams.cfg), or a run name in a project.
#pragma once

#include <filesystem>
#include <string>

#include "hparams/run.hpp"

namespace hparams::cli {

struct Resolved {
  std::string file;             ///< the .cfg file to read ("-" for standard input)
  std::optional<RunPaths> run;  ///< the run, when the argument designates one
};

/// ConfigError saying what was looked for when `argument` designates nothing.
Resolved resolve(const std::string& argument, const std::filesystem::path& project);

}  // namespace hparams::cli
