// hparams diff A B: what differs between two configs or runs, by type and value.
#include <iostream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "resolve.hpp"

namespace hparams::cli {

Action add_diff(CLI::App& app) {
  struct Options {
    std::string a, b, project = ".";
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "diff", "Compare two configs by type and value: .cfg files, run directories or run names");
  cmd->add_option("a", o->a, "A .cfg file, a run directory (logs-NAME) or a run name")->required();
  cmd->add_option("b", o->b, "The same for the other side")->required();
  cmd->add_option("--project", o->project, "Where run names are looked up")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the differences as JSON");
  cmd->footer("Exit status, as diff(1): 0 same, 1 different, 2 trouble.");
  return [o] {
    try {
      Resolved a = resolve(o->a, o->project), b = resolve(o->b, o->project);
      Config first = load_config(a.file), second = load_config(b.file);
      std::vector<Difference> differences = compare(first, second);
      if (o->json) {
        nlohmann::ordered_json out;
        out["a"] = a.file;
        out["b"] = b.file;
        out["same"] = differences.empty();
        auto rows = nlohmann::ordered_json::array();
        for (const Difference& d : differences) {
          nlohmann::ordered_json row;
          row["key"] = d.key;
          row["a"] = d.first ? nlohmann::ordered_json(*d.first) : nlohmann::ordered_json(nullptr);
          row["b"] = d.second ? nlohmann::ordered_json(*d.second) : nlohmann::ordered_json(nullptr);
          rows.push_back(std::move(row));
        }
        out["differences"] = std::move(rows);
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      } else if (!differences.empty()) {
        std::cout << "--- " << a.file << "\n+++ " << b.file << '\n';
        for (const Difference& d : differences) {
          std::cout << d.key << ": " << d.first.value_or("(absent)") << " -> "
                    << d.second.value_or("(absent)") << '\n';
        }
      }
      return differences.empty() ? 0 : 1;
    } catch (const Error& e) {
      print_error(e);
      return 2;
    }
  };
}

}  // namespace hparams::cli
