// The layout of a run's files, and the rules for run names.
#include <algorithm>

#include "fs/files.hpp"
#include "hparams/run.hpp"

namespace hparams {

void check_run_name(std::string_view name) {
  std::string problem;
  if (name.empty()) {
    problem = "it is empty";
  } else if (name == "." || name.find("..") != std::string_view::npos) {
    problem = "it contains '..'";
  } else if (name.find('/') != std::string_view::npos ||
             name.find('\\') != std::string_view::npos) {
    problem = "it contains a path separator";
  } else if (std::any_of(name.begin(), name.end(), [](char c) {
               return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
             })) {
    problem = "it contains a control character";
  } else if (name.size() > 240) {
    // The longest name derived from it, hparams-<name>.json, must fit NAME_MAX (255).
    problem = "it is longer than 240 bytes";
  }
  if (!problem.empty()) {
    std::string shown(name.substr(0, 80));
    throw Error(ErrorKind::ConfigError,
                "run.name '" + shown + (name.size() > 80 ? "...'" : "'") +
                    " cannot name the run's log directory: " + problem +
                    " (it must be one path component)",
                {}, "run.name");
  }
}

RunPaths RunPaths::of(const std::filesystem::path& project, std::string_view run_name) {
  check_run_name(run_name);
  RunPaths p;
  p.run_name = std::string(run_name);
  p.project = project;
  p.log_dir = project / ("logs-" + p.run_name);
  p.saved = p.log_dir / ("hparams-" + p.run_name + ".cfg");
  p.snapshot = p.log_dir / ("hparams-" + p.run_name + ".json");
  p.history = p.log_dir / "hparams-history.log";
  p.lock = p.log_dir / ".hparams.lock";
  p.launch = p.log_dir / ".hparams-launch";
  return p;
}

RunPaths RunPaths::of_log_dir(const std::filesystem::path& log_dir) {
  std::filesystem::path dir = log_dir.lexically_normal();
  if (dir.filename().empty()) dir = dir.parent_path();
  const std::string base = dir.filename().string();
  if (base.rfind("logs-", 0) != 0 || base.size() == 5) {
    throw Error(ErrorKind::ConfigError,
                log_dir.string() + " is not a run directory (logs-<run.name>)");
  }
  return of(dir.parent_path(), base.substr(5));
}

std::optional<std::string> RunPaths::read_saved() const {
  if (!files::exists_no_follow(saved)) return std::nullopt;
  return files::read_regular(saved, ini::Document::kDefaultMaxFileBytes, true);
}

std::string RunPaths::backup_object() const { return run_name + "/hparams-" + run_name + ".cfg"; }

std::string RunPaths::backup_launch_object() const {
  return run_name + "/hparams-" + run_name + ".launch";
}

}  // namespace hparams
