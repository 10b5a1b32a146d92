#include "resolve.hpp"

namespace hparams::cli {

Resolved resolve(const std::string& argument, const std::filesystem::path& project) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (argument == "-") return {"-", std::nullopt};
  fs::path path(argument);
  if (fs::is_regular_file(path, ec)) return {argument, std::nullopt};
  if (fs::is_directory(path, ec)) {
    fs::path normal = path.lexically_normal();
    if (normal.filename().empty()) normal = normal.parent_path();
    if (normal.filename().string().rfind("logs-", 0) == 0) {
      RunPaths run = RunPaths::of_log_dir(path);
      return {run.saved.string(), run};
    }
    if (fs::is_regular_file(path / "hparams.cfg", ec)) return {(path / "hparams.cfg").string(), {}};
    throw Error(ErrorKind::ConfigError,
                argument +
                    " is a directory but neither a run directory (logs-<run.name>) nor a "
                    "project with an hparams.cfg");
  }
  // A run name in the project.
  try {
    RunPaths run = RunPaths::of(project, argument);
    if (fs::exists(run.saved, ec)) return {run.saved.string(), run};
  } catch (const Error&) {
    // not a run name either
  }
  throw Error(ErrorKind::ConfigError, "'" + argument +
                                          "' is neither a .cfg file, a run directory, nor a run "
                                          "of project " +
                                          project.string() + " (no " +
                                          (project / ("logs-" + argument)).string() + ")");
}

}  // namespace hparams::cli
