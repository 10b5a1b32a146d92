// Internal: writing a run's history log (reading it is public: read_history in run.hpp).
#pragma once

#include <filesystem>
#include <string>

#include "hparams/run.hpp"

namespace hparams::detail {

/// This process's command line, shell-quoted.
std::string command_line();
/// The record of this launch, `event` filled in; overrides are the caller's.
LaunchRecord this_launch(std::string event, const std::filesystem::path& project,
                         const RankInfo& job);
/// Appends the record as one JSON line (O_APPEND, one write; never through a symbolic link).
void append_launch(const std::filesystem::path& history, const LaunchRecord& record);

}  // namespace hparams::detail
