// hparams pull URI/RUN_NAME [PROJECT_DIR]: download a run's saved copy into
// PROJECT_DIR/logs-<run.name>/, so that the next launch resumes it. An existing different
// local copy is never replaced.
#include <iostream>

#include "command.hpp"

namespace hparams::cli {

Action add_pull(CLI::App& app) {
  auto uri = std::make_shared<std::string>();
  auto project = std::make_shared<std::string>(".");
  auto* cmd = app.add_subcommand(
      "pull", "Download a run's saved copy into PROJECT_DIR/logs-<run.name>/ to resume it here");
  cmd->add_option("uri", *uri, "URI/RUN_NAME, e.g. gs://bucket/prefix/my-run")->required();
  cmd->add_option("project_dir", *project, "The project directory")->capture_default_str();
  return [=] {
    std::string location = *uri;
    while (!location.empty() && location.back() == '/') location.pop_back();
    auto slash = location.rfind('/');
    auto scheme = location.find("://");
    if (slash == std::string::npos || scheme == std::string::npos || scheme + 2 >= slash) {
      std::cerr << "error: expected URI/RUN_NAME, e.g. gs://bucket/prefix/my-run\n";
      return static_cast<int>(kUsage);
    }
    // The run name must be a run name (`..` is refused): the object and the local files
    // are then inside the prefix and inside the project.
    RunPaths paths = RunPaths::of(*project, location.substr(slash + 1));
    auto store = BackupStore::open(location.substr(0, slash));
    const std::string remote = store->uri_of(paths.backup_object());
    std::optional<std::string> bytes = store->get(paths.backup_object());
    if (!bytes) {
      std::cerr << "error: " << remote << " does not exist\n";
      return static_cast<int>(kBackup);
    }
    ini::Document::parse(*bytes, remote);  // it must be a config
    if (std::optional<std::string> local = paths.read_saved()) {
      if (*local == *bytes) {
        std::cout << paths.saved.string() << " is already identical to " << remote << '\n';
        return static_cast<int>(kOk);
      }
      std::cerr << "error: " << paths.saved.string() << " exists and differs from " << remote
                << "; move it away first\n";
      return static_cast<int>(kIo);
    }
    std::error_code ec;
    std::filesystem::create_directories(paths.log_dir, ec);
    auto local = BackupStore::open("file://" + std::filesystem::absolute(paths.project).string());
    local->put(paths.log_dir.filename().string() + "/" + paths.saved.filename().string(), *bytes);
    std::cout << "Restored " << remote << " into " << paths.saved.string() << '\n';
    return static_cast<int>(kOk);
  };
}

}  // namespace hparams::cli
