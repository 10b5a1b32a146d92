// The hparams command-line tool.
//
//   hparams eval '[1] * 3'        prints [1, 1, 1]
//   hparams eval -- '-2**2'       expressions starting with '-'
//   hparams eval - < value.txt    reads the expression from standard input
//   hparams show hparams.cfg      one `section.key = repr(value)` line per key
//   hparams check a.cfg b.cfg     every error of every file; exit status 1 if any
//   hparams run DIR train.lr=1e-4 creates or resumes the run of DIR/hparams.cfg, as HParams
//                                 does, and prints its config as `show` does
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>

#include "hparams/hparams.hpp"

namespace {

// The line of `text` that holds `line` (1-based).
std::string_view line_of(std::string_view text, int line) {
  std::size_t begin = 0;
  for (int i = 1; i < line; ++i) {
    auto next = text.find('\n', begin);
    if (next == std::string_view::npos) return {};
    begin = next + 1;
  }
  auto end = text.find('\n', begin);
  std::string_view out =
      text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

int run_eval(const std::string& argument) {
  std::string text = argument;
  if (argument == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  try {
    hparams::Value v = hparams::evaluate(text);
    std::cout << v.repr() << '\n';
    return 0;
  } catch (const hparams::Error& e) {
    std::cerr << "error: " << e.kind_name() << ": " << e.message() << '\n';
    int line = e.location().line;
    if (line > 0) {
      std::string_view source = line_of(text, line);
      if (source.size() <= 400) {
        std::cerr << hparams::show_position(source, e.location().column);
      } else {
        std::cerr << "    (line " << line << ", column " << e.location().column << ")\n";
      }
    }
    return 1;
  }
}

// One expression per input line; prints repr(value) or `!Kind: message` per line.
int run_each_line() {
  std::string line;
  int failures = 0;
  while (std::getline(std::cin, line)) {
    try {
      std::cout << hparams::evaluate(line).repr() << '\n';
    } catch (const hparams::Error& e) {
      std::cout << '!' << e.kind_name() << ": " << e.message() << '\n';
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

void print_errors(const hparams::Error& e) {
  if (const auto* list = dynamic_cast<const hparams::ErrorList*>(&e)) {
    std::cerr << list->reports();
  } else {
    std::cerr << e.what() << '\n';
  }
}

std::string show_key(std::string_view section, std::string_view key) {
  std::string out(section);
  out += '.';
  out += key;
  return out;
}

void print_config(const hparams::Config& config) {
  for (const auto& section : config.sections()) {
    for (const auto& key : config.keys(section)) {
      std::cout << show_key(section, key) << " = " << config.at(section, key).repr() << '\n';
    }
  }
}

int run_show(const std::string& file, bool raw, bool json) {
  try {
    if (raw) {
      // The raw texts need no evaluation: a file with bad values still shows.
      auto doc = hparams::ini::Document::load(file);
      const hparams::ini::Section* defaults = doc.defaults();
      for (const auto& section : doc.sections()) {
        if (section.is_default) continue;
        for (const auto& entry : section.entries) {
          std::cout << show_key(section.name, entry.key) << " = "
                    << hparams::Value(entry.value).repr() << '\n';
        }
        if (defaults == nullptr) continue;
        for (const auto& entry : defaults->entries) {
          if (section.find(entry.key) == nullptr) {
            std::cout << show_key(section.name, entry.key) << " = "
                      << hparams::Value(entry.value).repr() << '\n';
          }
        }
      }
      return 0;
    }
    auto config = hparams::Config::load(file);
    if (json) {
      std::cout << config.to_json(2) << '\n';
      return 0;
    }
    print_config(config);
    return 0;
  } catch (const hparams::Error& e) {
    print_errors(e);
    return 1;
  }
}

// The run's messages go to stderr so that stdout holds only the config.
int run_run(const std::string& project, const std::string& filename, bool strict,
            double rank_timeout, const std::string& backup, bool backup_optional,
            std::vector<hparams::Override> overrides) {
  try {
    hparams::RunOptions options;
    options.backup.uri = backup;
    options.backup.required = !backup_optional;
    options.filename = filename;
    options.overrides = std::move(overrides);
    options.messages = &std::cerr;
    if (strict) options.resume = hparams::ResumePolicy::Strict;
    options.rank_timeout = std::chrono::milliseconds(static_cast<long long>(rank_timeout * 1000));
    hparams::HParams run = hparams::HParams::open(project, options);
    print_config(run.config());
    return 0;
  } catch (const hparams::Error& e) {
    print_errors(e);
    return 1;
  }
}

// `hparams backup RUN_DIR URI`: uploads RUN_DIR's saved copy (RUN_DIR is logs-<run.name>).
int run_backup(const std::string& run_dir, const std::string& uri) {
  try {
    std::filesystem::path dir = std::filesystem::path(run_dir).lexically_normal();
    if (dir.filename().empty()) dir = dir.parent_path();
    std::string base = dir.filename().string();
    if (base.rfind("logs-", 0) != 0 || base.size() == 5) {
      std::cerr << "error: " << run_dir << " is not a run directory (logs-<run.name>)\n";
      return 1;
    }
    std::string run_name = base.substr(5);
    std::filesystem::path saved = dir / ("hparams-" + run_name + ".cfg");
    std::ifstream in(saved, std::ios::binary);
    if (!in) {
      std::cerr << "error: no saved copy " << saved.string() << '\n';
      return 1;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto store = hparams::BackupStore::open(uri);
    std::string name = hparams::backup_object_name(run_name);
    std::cout << "Backing up hparams file to " << store->uri_of(name) << std::endl;
    store->put(name, bytes);
    return 0;
  } catch (const hparams::Error& e) {
    print_errors(e);
    return 1;
  }
}

// `hparams pull URI/RUN_NAME [PROJECT_DIR]`: downloads a run's saved copy into
// PROJECT_DIR/logs-<run.name>/, so that the next launch resumes it. An existing different
// local copy is never replaced.
int run_pull(std::string uri, const std::string& project) {
  try {
    while (!uri.empty() && uri.back() == '/') uri.pop_back();
    auto slash = uri.rfind('/');
    if (slash == std::string::npos || uri.find("://") + 2 >= slash) {
      std::cerr << "error: expected URI/RUN_NAME, e.g. gs://bucket/prefix/my-run\n";
      return 1;
    }
    std::string run_name = uri.substr(slash + 1), base = uri.substr(0, slash);
    auto store = hparams::BackupStore::open(base);
    std::string name = hparams::backup_object_name(run_name);
    std::optional<std::string> bytes = store->get(name);
    if (!bytes) {
      std::cerr << "error: " << store->uri_of(name) << " does not exist\n";
      return 1;
    }
    std::filesystem::path dir = std::filesystem::path(project) / ("logs-" + run_name);
    std::filesystem::path saved = dir / ("hparams-" + run_name + ".cfg");
    if (std::filesystem::exists(saved)) {
      std::ifstream in(saved, std::ios::binary);
      std::string local((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (local == *bytes) {
        std::cout << saved.string() << " is already identical to " << store->uri_of(name) << '\n';
        return 0;
      }
      std::cerr << "error: " << saved.string() << " exists and differs from " << store->uri_of(name)
                << "; move it away first\n";
      return 1;
    }
    auto local =
        hparams::BackupStore::open("file://" + std::filesystem::absolute(project).string());
    local->put("logs-" + run_name + "/hparams-" + run_name + ".cfg", *bytes);  // atomically
    std::cout << "Restored " << store->uri_of(name) << " into " << saved.string() << '\n';
    return 0;
  } catch (const hparams::Error& e) {
    print_errors(e);
    return 1;
  }
}

int run_check(const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& file : files) {
    try {
      auto config = hparams::Config::load(file);
      std::cout << file << ": ok\n";
    } catch (const hparams::Error& e) {
      print_errors(e);
      ++bad;
    }
  }
  return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hparams: hyper-parameters of deep-learning runs, configured in Python syntax"};
  app.set_version_flag("--version", hparams::kVersion);
  app.require_subcommand(1);

  std::string expression;
  auto* eval = app.add_subcommand("eval", "Evaluate a value expression and print its repr()");
  bool each_line = false;
  eval->add_option("expression", expression, "The expression ('-' reads standard input)");
  eval->add_flag("--each-line", each_line,
                 "Evaluate each line of standard input; print repr or !Kind: message per line");
  eval->positionals_at_end();

  std::string show_file;
  bool show_raw = false, show_json = false;
  auto* show =
      app.add_subcommand("show", "Print every key of a .cfg file as section.key = repr(value)");
  show->add_option("file", show_file, "The .cfg file")->required();
  auto* raw_flag = show->add_flag("--raw", show_raw, "Print the repr of each value's raw text");
  show->add_flag("--json", show_json, "Print the whole config as JSON")->excludes(raw_flag);

  std::vector<std::string> check_files;
  auto* check =
      app.add_subcommand("check", "Validate .cfg files: print every error, exit 1 if any");
  check->add_option("files", check_files, "The .cfg files")->required();

  std::string project, filename = "hparams";
  bool strict = false;
  double rank_timeout = 600;
  auto* run = app.add_subcommand(
      "run", "Create or resume the run of PROJECT_DIR/hparams.cfg and print its config");
  run->add_option("project_dir", project, "The directory holding the .cfg file")->required();
  run->add_option("--filename", filename, "The .cfg file's name without .cfg")
      ->capture_default_str();
  run->add_flag("--strict", strict, "Refuse to resume when the cfg differs from the saved copy");
  run->add_option("--rank-timeout", rank_timeout,
                  "Seconds a process of rank > 0 waits for rank 0's saved copy")
      ->capture_default_str();
  std::string run_backup_uri;
  bool run_backup_optional = false;
  run->add_option("--backup", run_backup_uri,
                  "Back the saved copy up to gs://, s3:// or file:// (and restore it from there)");
  run->add_flag("--backup-optional", run_backup_optional,
                "A failed backup only warns (by default it stops, as in the seed)");
  run->footer(
      "Overrides: section.key=value, --section.key=value or ~~section.key=value, anywhere "
      "after `run`.");

  std::string backup_dir, backup_uri_arg;
  auto* backup =
      app.add_subcommand("backup", "Upload a run's saved copy to gs://, s3:// or file://");
  backup->add_option("run_dir", backup_dir, "The run's directory, logs-<run.name>")->required();
  backup
      ->add_option("uri", backup_uri_arg,
                   "gs://bucket[/prefix], s3://bucket[/prefix] or file:///dir")
      ->required();
  std::string pull_uri, pull_project = ".";
  auto* pull = app.add_subcommand(
      "pull", "Download a run's saved copy into PROJECT_DIR/logs-<run.name>/ to resume it here");
  pull->add_option("uri", pull_uri, "URI/RUN_NAME, e.g. gs://bucket/prefix/my-run")->required();
  pull->add_option("project_dir", pull_project, "The project directory")->capture_default_str();

  // Overrides look like options to CLI11 (--train.lr=1e-4): take them out first.
  std::vector<hparams::Override> overrides;
  if (argc > 1 && std::string_view(argv[1]) == "run") {
    try {
      overrides = hparams::take_overrides(argc, argv);
    } catch (const hparams::Error& e) {
      std::cerr << "error: " << e.message() << '\n';
      return 2;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (show->parsed()) return run_show(show_file, show_raw, show_json);
  if (check->parsed()) return run_check(check_files);
  if (backup->parsed()) return run_backup(backup_dir, backup_uri_arg);
  if (pull->parsed()) return run_pull(pull_uri, pull_project);
  if (run->parsed())
    return run_run(project, filename, strict, rank_timeout, run_backup_uri, run_backup_optional,
                   std::move(overrides));
  if (eval->parsed()) {
    if (each_line) return run_each_line();
    if (expression.empty() && eval->count("expression") == 0) {
      std::cerr << "error: eval needs an expression (or --each-line)\n";
      return 2;
    }
    return run_eval(expression);
  }
  return 0;
}
