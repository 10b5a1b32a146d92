// hparams backup RUN_DIR URI: upload a run's saved copy (RUN_DIR is logs-<run.name>).
#include <iostream>

#include "command.hpp"

namespace hparams::cli {

Action add_backup(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto uri = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("backup", "Upload a run's saved copy to gs://, s3:// or file://");
  cmd->add_option("run_dir", *dir, "The run's directory, logs-<run.name>")->required();
  cmd->add_option("uri", *uri, "gs://bucket[/prefix], s3://bucket[/prefix] or file:///dir")
      ->required();
  return [=] {
    // The run name comes from the directory and must be a run name: `logs-..` is refused, so
    // nothing outside the destination's prefix is ever written.
    RunPaths paths = RunPaths::of_log_dir(*dir);
    std::optional<std::string> bytes = paths.read_saved();
    if (!bytes) {
      std::cerr << "error: no saved copy " << paths.saved.string() << '\n';
      return static_cast<int>(kIo);
    }
    ini::Document::parse(*bytes, paths.saved.string());  // a broken copy is not backed up
    auto store = BackupStore::open(*uri);
    std::cout << "Backing up hparams file to " << store->uri_of(paths.backup_object()) << std::endl;
    store->put(paths.backup_object(), *bytes);
    return static_cast<int>(kOk);
  };
}

}  // namespace hparams::cli
