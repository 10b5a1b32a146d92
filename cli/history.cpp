// hparams history RUN: every launch of a run, from its history log.
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "resolve.hpp"

namespace hparams::cli {

Action add_history(CLI::App& app) {
  struct Options {
    std::string run, project = ".";
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("history", "Every launch of a run: when, where, by whom, how");
  cmd->add_option("run", o->run, "A run directory (logs-NAME) or a run name")->required();
  cmd->add_option("--project", o->project, "Where run names are looked up")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the launches as JSON (one object per launch)");
  return [o] {
    Resolved where = resolve(o->run, o->project);
    if (!where.run) {
      std::cerr << "error: " << o->run << " is not a run (a logs-NAME directory or a run name)\n";
      return static_cast<int>(kUsage);
    }
    std::vector<LaunchRecord> launches = read_history(where.run->history);
    if (o->json) {
      for (const LaunchRecord& r : launches) std::cout << r.line << '\n';
      return static_cast<int>(kOk);
    }
    std::cout << "run " << where.run->run_name << ": " << launches.size()
              << (launches.size() == 1 ? " launch" : " launches") << " recorded in "
              << where.run->history.string() << '\n';
    for (const LaunchRecord& r : launches) {
      if (r.event.empty()) {
        std::cout << "  (unreadable) " << r.line.substr(0, 200) << '\n';
        continue;
      }
      std::cout << r.time << "  " << r.event << "  " << r.user << "@" << r.host;
      if (r.ranks) std::cout << "  " << *r.ranks << (*r.ranks == 1 ? " rank" : " ranks");
      std::cout << "  hparams " << r.version;
      if (!r.git_commit.empty()) std::cout << "  git " << r.git_commit.substr(0, 12);
      std::cout << "\n    command: " << r.command << '\n';
      if (!r.overrides.empty()) {
        std::cout << "    overrides:";
        for (const auto& [key, value] : r.overrides) std::cout << ' ' << key << '=' << value;
        std::cout << '\n';
      }
      if (!r.backup_uri.empty()) std::cout << "    backup: " << r.backup_uri << '\n';
    }
    return static_cast<int>(kOk);
  };
}

}  // namespace hparams::cli
