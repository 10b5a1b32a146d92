// HParams: creating or resuming a run, and the registry of named objects.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "fs/files.hpp"
#include "hparams/run.hpp"
#include "utc_time.hpp"

namespace hparams {

namespace fs = std::filesystem;

struct HParams::Impl {
  std::string object_name;
  std::string run_name;
  fs::path project;
  fs::path source;
  fs::path log_dir;
  fs::path saved;
  bool is_new = false;
  bool restored = false;
  std::string backup_uri;
  std::vector<Difference> differences;
  std::vector<AppliedOverride> overrides;
  std::optional<Config> config;
};

namespace {

// run.name becomes one path component (`logs-<name>`, `hparams-<name>.cfg`).
std::string checked_run_name(const Config& config) {
  const Value* value = config.find("run", "name");
  if (value == nullptr) {
    std::string why =
        config.has_section("run") ? "section [run] has no key 'name'" : "there is no [run] section";
    throw Error(ErrorKind::ConfigError,
                "run.name is mandatory (" + why + "): add `name = <run name>` under [run]",
                SourceLocation{config.file()}, "run.name");
  }
  std::string name(value->as_str());
  std::string problem;
  if (name.empty()) {
    problem = "it is empty";
  } else if (name == "." || name == ".." || name.find("..") != std::string::npos) {
    problem = "it contains '..'";
  } else if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) {
    problem = "it contains a path separator";
  } else if (std::any_of(name.begin(), name.end(), [](char c) {
               return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
             })) {
    problem = "it contains a control character";
  } else if (name.size() > 240) {
    problem = "it is longer than 240 bytes";
  }
  if (!problem.empty()) {
    SourceLocation where{config.file()};
    if (const ini::Entry* e = config.document().find("run", "name")) {
      where.line = e->value_line;
      where.column = e->value_column;
    }
    throw Error(ErrorKind::ConfigError,
                "run.name " + Value(name).repr() + " cannot name the run's log directory: " +
                    problem + " (it must be one path component)",
                where, "run.name");
  }
  return name;
}

bool wants_strict(const Config& config) {
  const Value* v = config.find("run", "resume");
  return v != nullptr && v->is_str() && v->as_str() == "strict";
}

std::string describe(const Difference& d, const std::string& first_name) {
  std::string out = "  " + d.key + ": ";
  if (!d.second) return out + "only in " + first_name + " (" + *d.first + ")";
  if (!d.first) return out + "only in the saved copy (" + *d.second + ")";
  return out + first_name + " has " + *d.first + ", the saved copy has " + *d.second;
}

// The command line of this process, for the history log.
std::string command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string out;
  std::size_t begin = 0;
  while (begin < all.size()) {
    std::size_t end = all.find('\0', begin);
    if (end == std::string::npos) end = all.size();
    std::string arg = all.substr(begin, end - begin);
    bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_.,/=:+@%~", c);
    });
    if (!out.empty()) out += ' ';
    if (plain) {
      out += arg;
    } else {
      out += '\'';
      for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
    begin = end + 1;
  }
  return out;
}

void wait_for_copy(const fs::path& saved, int rank, std::chrono::milliseconds timeout,
                   std::ostream* out) {
  if (out != nullptr) {
    *out << "Rank " << rank << ": waiting for rank 0 to save " << saved.string() << std::endl;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!files::is_file(saved)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      double seconds = std::chrono::duration<double>(timeout).count();
      std::ostringstream message;
      message << "rank " << rank << " waited " << seconds << " s for rank 0 to save "
              << saved.string()
              << "; is the rank 0 process running on this config, on a file system "
                 "shared with this one?";
      throw Error(ErrorKind::TimeoutError, message.str(), SourceLocation{saved.string()});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Evaluates `config` again with this launch's overrides edited into a copy of its document
// (the file itself is untouched); returns them as applied.
std::vector<AppliedOverride> with_overrides(Config& config, const RunOptions& options) {
  if (options.overrides.empty()) return {};
  ini::Document edited = config.document();
  std::vector<AppliedOverride> applied = apply_overrides(edited, config, options.overrides);
  LoadOptions load = options.load;
  load.reuse = &config;  // only the edited entries are evaluated again
  Config edited_config = Config::from_document(std::move(edited), load);
  config = std::move(edited_config);
  return applied;
}

// A backup failure stops the launch when the backup is required, else it is a warning.
template <class F>
void guarded(const BackupOptions& options, const std::string& what, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    if (options.required) {
      throw Error(ErrorKind::IOError, what + " failed: " + e.message(), e.location());
    }
    std::cerr << "warning: " << what
              << " failed (continuing, the backup is optional): " << e.message() << std::endl;
  }
}

struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const HParams>, std::less<>> objects;
  std::set<std::string, std::less<>> being_created;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

HParams::HParams(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HParams::HParams(HParams&&) noexcept = default;
HParams& HParams::operator=(HParams&&) noexcept = default;
HParams::~HParams() = default;

HParams HParams::open(const fs::path& project_path, const RunOptions& options) {
  std::ostream* out = options.quiet ? nullptr : options.messages ? options.messages : &std::cout;
  std::ostream* notes = options.quiet ? nullptr : options.notes ? options.notes : out;
  auto impl = std::make_unique<Impl>();
  impl->object_name = options.name;
  // The backup destination is checked (and its credentials found) before anything happens.
  std::string destination = backup_destination(options.backup);
  std::unique_ptr<BackupStore> store;
  if (!destination.empty()) store = BackupStore::open(destination, options.backup);
  impl->project = project_path;
  impl->source = project_path / (options.filename + ".cfg");
  if (!files::is_file(impl->source)) {
    throw Error(ErrorKind::IOError,
                "no config file " + impl->source.string() + " (HParams reads <project_path>/" +
                    "<filename>.cfg; here project_path is '" + project_path.string() +
                    "' and filename '" + options.filename + "')",
                SourceLocation{impl->source.string()});
  }

  // The user's file, with this launch's overrides edited in.
  Config main = Config::load(impl->source, options.load);
  // The file as written, to tell whether a saved copy is the same file.
  const std::string cfg_text = options.overrides.empty() ? std::string() : main.document().str();
  std::vector<AppliedOverride> applied = with_overrides(main, options);
  impl->run_name = checked_run_name(main);
  impl->log_dir = project_path / ("logs-" + impl->run_name);
  impl->saved = impl->log_dir / ("hparams-" + impl->run_name + ".cfg");
  files::make_directories(impl->log_dir);

  // Exactly one process creates the saved copy: the lock serialises the creators, the rename
  // makes the copy appear complete, and ranks other than 0 only ever read.
  std::optional<int> rank = options.rank ? options.rank : rank_from_environment();
  if (!files::is_file(impl->saved)) {
    if (rank && *rank != 0) {
      wait_for_copy(impl->saved, *rank, options.rank_timeout, notes);
    } else {
      files::FileLock lock(impl->log_dir / (".hparams-" + impl->run_name + ".lock"));
      if (!files::is_file(impl->saved)) {
        files::remove_stale_temporaries(impl->saved);
        // A run that moved to a new machine: its copy comes back from the backup.
        if (store) {
          std::string name = backup_object_name(impl->run_name);
          guarded(options.backup, "restoring " + store->uri_of(name), [&] {
            if (std::optional<std::string> copy = store->get(name)) {
              files::write_atomically(impl->saved, *copy);
              impl->restored = true;
              if (out != nullptr) {
                *out << "No local saved copy; restored " << store->uri_of(name) << " into "
                     << impl->saved.string() << std::endl;
              }
            }
          });
        }
        if (!impl->restored) {
          files::write_atomically(impl->saved, main.document().str());
          impl->is_new = true;
        }
      }
    }
  }

  // Only the writer of a launch backs the copy up (rank 0, or every process without ranks).
  // `bytes` are the saved copy's, as written or as read.
  auto back_up = [&](std::string_view bytes) {
    if (!store || (rank && *rank != 0)) return;
    std::string name = backup_object_name(impl->run_name);
    impl->backup_uri = store->uri_of(name);
    if (out != nullptr) *out << "Backing up hparams file to " << impl->backup_uri << std::endl;
    guarded(options.backup, "backing up to " + impl->backup_uri, [&] { store->put(name, bytes); });
  };

  if (impl->is_new) {
    if (out != nullptr) {
      *out << "No existing config found. New run config file saved in " << impl->saved.string()
           << std::endl;
    }
    back_up(main.document().str());
    impl->overrides = std::move(applied);
    impl->config.emplace(std::move(main));
    return HParams(std::move(impl));
  }

  // Resumed: the saved copy wins; this launch's overrides apply on top of it.
  // Values of texts the cfg file shares with the saved copy are not evaluated twice.
  LoadOptions load = options.load;
  load.reuse = &main;
  Config saved = Config::load(impl->saved, load);
  const std::string saved_bytes = store ? saved.document().str() : std::string();
  const bool same_file =
      saved.document().str() == (options.overrides.empty() ? main.document().str() : cfg_text);
  applied = with_overrides(saved, options);
  if (!same_file) impl->differences = compare(main, saved);
  std::string source_name = impl->source.filename().string();
  bool strict = options.resume == ResumePolicy::Strict ||
                (options.resume == ResumePolicy::FromConfig && wants_strict(main));
  if (strict && !impl->differences.empty()) {
    std::string message = impl->source.string() + " differs from the saved copy " +
                          impl->saved.string() + " and resuming is strict:";
    for (const Difference& d : impl->differences) message += "\n" + describe(d, source_name);
    throw Error(ErrorKind::ConfigError, message, SourceLocation{impl->source.string()});
  }
  if (out != nullptr) {
    *out << "Found existing " << impl->saved.string() << "! Resuming run using primary parameters!"
         << std::endl;
  }
  if (notes != nullptr && !impl->differences.empty()) {
    *notes << source_name << " differs from the saved copy, which is used:\n";
    for (const Difference& d : impl->differences) *notes << describe(d, source_name) << '\n';
    *notes << std::flush;
  }
  if (!applied.empty()) {
    std::string listed;
    for (const AppliedOverride& a : applied) {
      listed += (listed.empty() ? "" : " ") + a.section + "." + a.key + "=" + a.value;
    }
    files::append(impl->log_dir / "hparams-history.log",
                  detail::utc_now("%Y-%m-%dT%H:%M:%SZ") + " resumed with overrides: " + listed +
                      "\n    command: " + command_line() + "\n");
    if (notes != nullptr) {
      *notes << "Overrides for this launch only (recorded in "
             << (impl->log_dir / "hparams-history.log").string() << "):\n";
      for (const AppliedOverride& a : applied) {
        *notes << "  " << a.section << "." << a.key << " = " << a.value << '\n';
      }
      *notes << std::flush;
    }
  }
  back_up(saved_bytes);
  impl->overrides = std::move(applied);
  impl->config.emplace(std::move(saved));
  return HParams(std::move(impl));
}

std::shared_ptr<const HParams> HParams::create(const fs::path& project_path, RunOptions options) {
  Registry& r = registry();
  {
    std::lock_guard<std::mutex> guard(r.mutex);
    if (r.objects.count(options.name) != 0 || r.being_created.count(options.name) != 0) {
      throw Error(ErrorKind::ConfigError,
                  "hparams " + options.name +
                      " is being loaded a second time: an HParams object of that name is already "
                      "registered (get it with get_hparams_by_name, or release the name first)");
    }
    r.being_created.insert(options.name);
  }
  std::shared_ptr<const HParams> object;
  try {
    object = std::make_shared<const HParams>(open(project_path, options));
  } catch (...) {
    std::lock_guard<std::mutex> guard(r.mutex);
    r.being_created.erase(options.name);
    throw;
  }
  std::lock_guard<std::mutex> guard(r.mutex);
  r.being_created.erase(options.name);
  r.objects.emplace(options.name, object);
  return object;
}

std::shared_ptr<const HParams> HParams::create(const fs::path& project_path, int& argc, char** argv,
                                               RunOptions options) {
  std::vector<Override> taken = take_overrides(argc, argv);
  options.overrides.insert(options.overrides.end(), taken.begin(), taken.end());
  return create(project_path, std::move(options));
}

std::shared_ptr<const HParams> HParams::get_hparams_by_name(std::string_view name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  auto it = r.objects.find(name);
  if (it != r.objects.end()) return it->second;
  std::string known;
  for (const auto& [n, object] : r.objects) known += (known.empty() ? "" : ", ") + n;
  throw Error(ErrorKind::LookupError,
              "no hparams object named '" + std::string(name) + "'; " +
                  (known.empty() ? std::string("none is registered") : "registered: " + known));
}

bool HParams::release(std::string_view name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  auto it = r.objects.find(name);
  if (it == r.objects.end()) return false;
  r.objects.erase(it);
  return true;
}

std::vector<std::string> HParams::names() {
  Registry& r = registry();
  std::lock_guard<std::mutex> guard(r.mutex);
  std::vector<std::string> out;
  for (const auto& [n, object] : r.objects) out.push_back(n);
  return out;
}

const Config& HParams::config() const noexcept { return *impl_->config; }
const std::string& HParams::object_name() const noexcept { return impl_->object_name; }
const std::string& HParams::run_name() const noexcept { return impl_->run_name; }
const fs::path& HParams::project_path() const noexcept { return impl_->project; }
const fs::path& HParams::source_file() const noexcept { return impl_->source; }
const fs::path& HParams::log_dir() const noexcept { return impl_->log_dir; }
const fs::path& HParams::saved_file() const noexcept { return impl_->saved; }
fs::path HParams::history_file() const { return impl_->log_dir / "hparams-history.log"; }
bool HParams::is_new_run() const noexcept { return impl_->is_new; }
bool HParams::is_restored() const noexcept { return impl_->restored; }
const std::string& HParams::backup_uri() const noexcept { return impl_->backup_uri; }
const std::vector<Difference>& HParams::differences() const noexcept { return impl_->differences; }
const std::vector<AppliedOverride>& HParams::overrides() const noexcept { return impl_->overrides; }

}  // namespace hparams
