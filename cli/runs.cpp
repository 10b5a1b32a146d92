// hparams runs [PROJECT]: the project's runs, from their logs directories and history logs.
#include <ctime>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"

namespace hparams::cli {
namespace {

namespace fs = std::filesystem;

std::string utc(fs::file_time_type when) {
  auto seconds = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(
          std::chrono::file_clock::to_sys(when)));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

struct Row {
  std::string name, created, last, overrides;
  std::string backup;        ///< the object's URI, from the history
  std::string destination;   ///< the store it is in (the backup URI of the launch)
  std::string backup_state;  ///< matches, differs, ...
  std::size_t launches = 0;
};

Row describe(const RunPaths& paths, bool verify) {
  Row row;
  row.name = paths.run_name;
  std::vector<LaunchRecord> launches;
  try {
    launches = read_history(paths.history);
  } catch (const Error&) {
  }
  std::error_code ec;
  auto modified = fs::last_write_time(paths.saved, ec);
  row.created = !launches.empty() && !launches.front().time.empty() ? launches.front().time
                : ec                                                ? "-"
                                                                    : utc(modified);
  row.launches = launches.size();
  row.last = launches.empty() ? "-" : launches.back().time;
  if (!launches.empty()) {
    for (const auto& [key, value] : launches.back().overrides) {
      row.overrides += (row.overrides.empty() ? "" : " ") + key + "=" + value;
    }
  }
  // The backup of the last launch that made one: does the copy there match the local one?
  for (auto it = launches.rbegin(); it != launches.rend(); ++it) {
    if (it->backup_uri.empty()) continue;
    row.backup = it->backup_uri;
    const std::string object = "/" + paths.backup_object();
    row.destination =
        row.backup.size() > object.size() &&
                row.backup.compare(row.backup.size() - object.size(), object.size(), object) == 0
            ? row.backup.substr(0, row.backup.size() - object.size())
            : row.backup;
    std::optional<std::string> local;
    try {
      local = paths.read_saved();
    } catch (const Error&) {
    }
    if (!local) {
      row.backup_state = "no local copy";
    } else if (verify) {
      try {
        std::optional<std::string> remote =
            BackupStore::open(row.destination)->get(paths.backup_object());
        row.backup_state = !remote             ? "missing in the store"
                           : *remote == *local ? "matches the store"
                                               : "differs from the store";
      } catch (const Error& e) {
        row.backup_state = "cannot verify: " + e.message().substr(0, 80);
      }
    } else {
      // What was uploaded (its SHA-256 in the history) against the local copy.
      row.backup_state = sha256_hex(*local) == it->backup_sha256 ? "matches the upload"
                                                                 : "differs from the upload";
    }
    break;
  }
  return row;
}

}  // namespace

Action add_runs(CLI::App& app) {
  struct Options {
    std::string project = ".";
    bool json = false, verify = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("runs", "The project's runs: created, launches, overrides, backup");
  cmd->add_option("project", o->project, "The project directory")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the runs as JSON");
  cmd->add_flag("--verify", o->verify,
                "Fetch each run's backup and compare it with the local copy (network)");
  return [o] {
    std::vector<Row> rows;
    std::error_code ec;
    std::vector<fs::path> dirs;
    for (fs::directory_iterator it(o->project, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.rfind("logs-", 0) == 0 && it->is_directory(ec)) dirs.push_back(it->path());
    }
    if (ec) {
      std::cerr << "error: cannot list " << o->project << ": " << ec.message() << '\n';
      return static_cast<int>(kIo);
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& dir : dirs) {
      try {
        rows.push_back(describe(RunPaths::of_log_dir(dir), o->verify));
      } catch (const Error&) {
        // logs-<something that is not a run name>: not a run
      }
    }
    if (o->json) {
      auto out = nlohmann::ordered_json::array();
      for (const Row& r : rows) {
        out.push_back(
            {{"run", r.name},
             {"created", r.created},
             {"last_launch", r.last},
             {"launches", r.launches},
             {"last_overrides", r.overrides},
             {"backup", r.backup.empty() ? nlohmann::ordered_json(nullptr)
                                         : nlohmann::ordered_json(r.backup)},
             {"backup_state", r.backup.empty() ? nlohmann::ordered_json(nullptr)
                                               : nlohmann::ordered_json(r.backup_state)}});
      }
      std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      return static_cast<int>(kOk);
    }
    std::size_t width = 3, backup_width = 6;
    std::vector<std::string> backups;
    for (const Row& r : rows) {
      width = std::max(width, r.name.size());
      backups.push_back(r.backup.empty() ? "-" : r.destination + " (" + r.backup_state + ")");
      backup_width = std::max(backup_width, backups.back().size());
    }
    std::cout << std::left << std::setw(static_cast<int>(width)) << "RUN"
              << "  " << std::setw(20) << "CREATED"
              << "  " << std::setw(20) << "LAST LAUNCH"
              << "  " << std::setw(8) << "LAUNCHES"
              << "  " << std::setw(static_cast<int>(backup_width)) << "BACKUP"
              << "  LAST OVERRIDES\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const Row& r = rows[i];
      std::cout << std::setw(static_cast<int>(width)) << r.name << "  " << std::setw(20)
                << r.created << "  " << std::setw(20) << r.last << "  " << std::setw(8)
                << r.launches << "  " << std::setw(static_cast<int>(backup_width)) << backups[i]
                << "  " << (r.overrides.empty() ? "-" : r.overrides) << '\n';
    }
    return static_cast<int>(kOk);
  };
}

}  // namespace hparams::cli
