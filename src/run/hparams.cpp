// HParams: creating or resuming a run in named steps, and the registry of named objects.
//
// open() runs one pass:
//   1. load the cfg with this launch's overrides (names resolved, then one evaluation);
//   2. the run's files (RunPaths) from its run.name;
//   3. the saved copy: rank 0 claims it (the local copy, else the backup's, else a new one);
//      every other rank receives rank 0's copy of this launch (from the shared file system,
//      else from the backup destination);
//   4. on a resume, the saved copy becomes the config (validated, the overrides applied on
//      top, compared with the cfg);
//   5. rank 0 backs the copy up, publishes this launch's record, and logs the launch.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "fs/files.hpp"
#include "fs/sha256.hpp"
#include "hparams/json.hpp"
#include "hparams/run.hpp"
#include "run/history.hpp"
#include "run/launch.hpp"

namespace hparams {

namespace fs = std::filesystem;

struct HParams::Impl {
  std::string object_name;
  RunPaths paths;
  fs::path source;
  bool is_new = false;
  bool restored = false;
  bool received = false;
  bool leader = true;
  std::string backup_uri;
  std::vector<Difference> differences;
  std::vector<AppliedOverride> overrides;
  std::optional<Config> config;
};

namespace {

// Where a launch's messages go: the original's to `out`, the rest to `notes`. Only rank 0
// prints unless every rank is asked to.
struct Reporter {
  std::ostream* out = nullptr;
  std::ostream* notes = nullptr;
};

Reporter reporter(const RunOptions& options, const RankInfo& job) {
  if (options.quiet) return {};
  const char* every = std::getenv("HPARAMS_MESSAGES");
  bool all = options.every_rank_prints || (every != nullptr && std::string_view(every) == "all");
  if (!job.is_leader() && !all) return {};
  Reporter r;
  r.out = options.messages != nullptr ? options.messages : &std::cout;
  r.notes = options.notes != nullptr ? options.notes : r.out;
  return r;
}

RankInfo job_of(const RunOptions& options) {
  RankInfo job = options.job ? *options.job : rank_info_from_environment();
  if (options.rank) job.rank = options.rank;
  return job;
}

std::chrono::milliseconds checked_timeout(std::chrono::milliseconds timeout) {
  // A finite wait; past a billion seconds it is a mistake, not a timeout.
  constexpr std::chrono::milliseconds kLongest = std::chrono::seconds(1'000'000'000);
  if (timeout < std::chrono::milliseconds(0) || timeout > kLongest) {
    throw Error(ErrorKind::ConfigError, "rank_timeout must be between 0 and 1e9 seconds, not " +
                                            std::to_string(timeout.count()) + " ms");
  }
  return timeout;
}

// ---- 1. the cfg with this launch's overrides ----------------------------------------------

struct Loaded {
  std::optional<Config> config;
  std::vector<AppliedOverride> applied;
  // The text each override replaced (none for a key added to a section).
  std::vector<std::optional<std::string>> before;
};

// Overrides go into the document before anything is evaluated (an override may fix a value
// that would not evaluate), so the names are resolved on the document first; each override
// value is checked alone, and the edited document is evaluated once.
Loaded load_with_overrides(ini::Document document, const RunOptions& options, const Config* reuse) {
  Loaded out;
  LoadOptions load = options.load;
  load.reuse = reuse;
  if (!options.overrides.empty()) {
    LoadOptions names_only = load;
    names_only.evaluate = false;
    Config names = Config::from_document(std::move(document), names_only);
    out.applied = resolve_overrides(names, options.overrides);
    for (const AppliedOverride& a : out.applied) {
      const ini::Entry* entry = a.added ? nullptr : names.document().find(a.section, a.key);
      out.before.push_back(entry ? std::optional<std::string>(entry->value) : std::nullopt);
    }
    document = std::move(names).release_document();
    edit_overrides(document, out.applied);
  }
  out.config.emplace(Config::from_document(std::move(document), load));
  return out;
}

// ---- 2. the run's files ---------------------------------------------------------------------

// run.name as written (every `name` is raw text), located in the file for errors.
std::string run_name_of(const Config& config) {
  const ini::Entry* entry = config.document().find("run", "name");
  if (entry == nullptr) {
    std::string why =
        config.has_section("run") ? "section [run] has no key 'name'" : "there is no [run] section";
    throw Error(ErrorKind::ConfigError,
                "run.name is mandatory (" + why + "): add `name = <run name>` under [run]",
                SourceLocation{config.file()}, "run.name");
  }
  try {
    check_run_name(entry->value);
  } catch (const Error& e) {
    throw Error(e.kind(), e.message(),
                SourceLocation{config.file(), entry->value_line, entry->value_column}, "run.name");
  }
  return std::string(entry->value);
}

// ---- 3. the saved copy ----------------------------------------------------------------------

enum class Origin { Created, Existing, Restored, Received };

struct Claim {
  std::string bytes;
  Origin origin = Origin::Existing;
};

// A failed backup or restore stops the launch when the backup is required, else it warns.
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

std::string read_saved(const RunPaths& paths, const RunOptions& options) {
  // Never through a symbolic link: the logs directory is the run's own.
  return files::read_regular(paths.saved, options.load.max_file_bytes, true);
}

// The log directory exists for the claim; when this launch created it and fails before the
// saved copy exists, it goes again (with the lock file), so no empty logs-<name> remains.
class LogDir {
 public:
  explicit LogDir(const RunPaths& paths) : paths_(paths) {
    created_ = !files::exists_no_follow(paths.log_dir);
    files::make_directories(paths.log_dir);
  }
  ~LogDir() {
    if (!created_ || done_) return;
    std::error_code ec;
    if (fs::exists(paths_.saved, ec)) return;
    fs::remove(paths_.lock, ec);
    fs::remove(paths_.log_dir, ec);  // only when empty
  }
  void keep() { done_ = true; }

 private:
  const RunPaths& paths_;
  bool created_ = false;
  bool done_ = false;
};

// Rank 0 (or a process without a rank): the local copy, else the backup's, else a new one.
// Exactly one of any number of processes creates it (files::create_exclusively); the lock
// only keeps them from all downloading or cleaning up at once.
Claim claim_as_leader(const RunPaths& paths, const std::string& cfg_bytes, BackupStore* store,
                      const RunOptions& options, const Reporter& report) {
  if (files::exists_no_follow(paths.saved)) return {read_saved(paths, options), Origin::Existing};
  LogDir dir(paths);
  files::FileLock lock(paths.lock);
  Claim claim;
  if (!files::exists_no_follow(paths.saved)) {
    files::remove_stale_temporaries(paths.log_dir);
    // A run that moved to a new machine: its copy comes back from the backup.
    if (store != nullptr) {
      const std::string uri = store->uri_of(paths.backup_object());
      guarded(options.backup, "restoring " + uri, [&] {
        if (std::optional<std::string> copy = store->get(paths.backup_object())) {
          if (files::create_exclusively(paths.saved, *copy)) {
            claim = {std::move(*copy), Origin::Restored};
            if (report.out != nullptr) {
              *report.out << "No local saved copy; restored " << uri << " into "
                          << paths.saved.string() << std::endl;
            }
          }
        }
      });
    }
    if (claim.origin != Origin::Restored && files::create_exclusively(paths.saved, cfg_bytes)) {
      claim = {cfg_bytes, Origin::Created};
    }
  }
  dir.keep();
  if (claim.origin == Origin::Existing) claim.bytes = read_saved(paths, options);
  return claim;
}

std::optional<detail::LaunchMark> read_local_mark(const RunPaths& paths) {
  try {
    if (!files::exists_no_follow(paths.launch)) return std::nullopt;
    return detail::LaunchMark::parse(files::read_regular(paths.launch, 4096, true));
  } catch (const Error&) {
    return std::nullopt;  // being replaced, or not ours to trust
  }
}

// A rank other than 0: rank 0's copy of this launch. On rank 0's file system it appears in
// the logs directory with rank 0's record; on another machine one rank (local rank 0, or any
// when unknown) fetches it from the backup destination and writes it into this machine's
// logs directory, where the machine's other ranks find it. A stale copy (an edited cfg, an
// old logs directory, an old object in the store) never matches this launch's record.
Claim receive_from_leader(const RunPaths& paths, const RankInfo& job, BackupStore* store,
                          const RunOptions& options, const Reporter& report) {
  const auto timeout = checked_timeout(options.rank_timeout);
  const auto start = std::chrono::steady_clock::now();
  const bool fetches = store != nullptr && (!job.local_rank || *job.local_rank == 0);
  auto next_fetch = start;
  bool waiting_said = false;
  std::string last_failure;
  while (true) {
    if (std::optional<detail::LaunchMark> mark = read_local_mark(paths);
        mark && mark->run_name == paths.run_name &&
        mark->is_this_launch(job, options.launch_skew)) {
      try {
        std::string bytes = read_saved(paths, options);
        if (mark->describes(bytes)) return {std::move(bytes), Origin::Existing};
      } catch (const Error&) {
        // Not there yet, or being replaced: look again.
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (fetches && now >= next_fetch) {
      next_fetch = now + std::chrono::milliseconds(250);
      // The store may be mid-update (rank 0 uploading): a failed or torn read is retried
      // until the timeout, which then reports the last failure.
      std::optional<std::string> record, bytes;
      try {
        record = store->get(paths.backup_launch_object());
      } catch (const Error& e) {
        last_failure = e.message();
      }
      std::optional<detail::LaunchMark> mark =
          record ? detail::LaunchMark::parse(*record) : std::nullopt;
      if (mark && mark->run_name == paths.run_name &&
          mark->is_this_launch(job, options.launch_skew)) {
        try {
          bytes = store->get(paths.backup_object());
        } catch (const Error& e) {
          last_failure = e.message();
        }
        if (bytes && mark->describes(*bytes)) {
          // Copy first, record second: a local reader never sees a record without its copy.
          files::make_directories(paths.log_dir);
          files::write_atomically(paths.saved, *bytes);
          files::write_atomically(paths.launch, *record);
          if (report.notes != nullptr) {
            *report.notes << "Rank " << job.rank.value_or(0) << ": received rank 0's copy from "
                          << store->uri_of(paths.backup_object()) << " into "
                          << paths.saved.string() << std::endl;
          }
          return {std::move(*bytes), Origin::Received};
        }
      }
    }
    if (now - start >= timeout) {
      double seconds = std::chrono::duration<double>(timeout).count();
      std::ostringstream message;
      message << "rank " << job.rank.value_or(0)
              << (job.node ? " (machine " + std::to_string(*job.node) + ")" : std::string())
              << " waited " << seconds << " s for rank 0's copy of run '" << paths.run_name
              << "' in this launch: it did not appear in " << paths.log_dir.string();
      if (store == nullptr) {
        message << ", and no backup destination is configured to fetch it from. Is rank 0 "
                   "running on this config? On machines that do not share rank 0's file "
                   "system, give every rank the same backup destination (RunOptions::backup, "
                   "hparams run --backup URI, HParams(..., backup=URI)), or put the project on "
                   "a shared file system";
      } else {
        message << " nor in " << store->uri_of(paths.backup_launch_object())
                << ". Is rank 0 running on this config, with the same backup destination?";
        if (!last_failure.empty()) message << " (the last read failed: " << last_failure << ")";
      }
      throw Error(ErrorKind::TimeoutError, message.str(), SourceLocation{paths.saved.string()});
    }
    if (!waiting_said && report.notes != nullptr) {
      *report.notes << "Rank " << job.rank.value_or(0) << ": waiting for rank 0's copy of run '"
                    << paths.run_name << "'" << std::endl;
      waiting_said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// ---- 4. the saved copy as the config --------------------------------------------------------

// The saved copy must be this run's: it parses (errors name the saved file) and its run.name
// is the run's (an edited `run.name = ../../evil` is refused).
void check_saved(const ini::Document& saved, const RunPaths& paths) {
  const ini::Entry* name = saved.find("run", "name");
  std::string problem;
  if (name == nullptr) {
    problem = saved.find_section("run") != nullptr ? "its [run] section has no name"
                                                   : "it has no [run] section (is it empty?)";
  } else if (name->value != paths.run_name) {
    std::string shown(name->value.substr(0, 80));
    problem = "its run.name is '" + shown + "', not '" + paths.run_name + "'";
  }
  if (!problem.empty()) {
    throw Error(ErrorKind::ConfigError,
                "the saved copy " + paths.saved.string() + " is not this run's: " + problem +
                    "; move " + paths.log_dir.string() +
                    " away to start the run afresh, or put the right copy back",
                SourceLocation{paths.saved.string(), name ? name->value_line : 0,
                               name ? name->value_column : 0},
                "run.name");
  }
}

// Keys set by the overrides of the launch that created the run (its history's first record):
// the saved copy differs from the cfg there by design.
std::map<std::string, std::string> creation_overrides(const RunPaths& paths) {
  std::map<std::string, std::string> out;
  try {
    for (const LaunchRecord& r : read_history(paths.history)) {
      if (r.event != "created") continue;
      for (const auto& [key, value] : r.overrides) out[key] = value;
      break;
    }
  } catch (const Error&) {
    // No readable history: every difference is reported.
  }
  return out;
}

std::string describe(const Difference& d, const std::string& first_name) {
  std::string out = "  " + d.key + ": ";
  if (!d.second) return out + "only in " + first_name + " (" + *d.first + ")";
  if (!d.first) return out + "only in the saved copy (" + *d.second + ")";
  return out + first_name + " has " + *d.first + ", the saved copy has " + *d.second;
}

// Whether an override leaves the saved copy's value as it was (same text, or same value).
bool unchanged(const AppliedOverride& a, const std::optional<std::string>& before) {
  if (!before) return false;
  if (*before == a.value) return true;
  try {
    Value old_value = evaluate(*before);
    Value new_value = evaluate(a.value);
    return old_value.kind() == new_value.kind() && old_value.repr() == new_value.repr();
  } catch (const Error&) {
    return false;
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
  const RankInfo job = job_of(options);
  const Reporter report = reporter(options, job);
  checked_timeout(options.rank_timeout);
  auto impl = std::make_unique<Impl>();
  impl->object_name = options.name;
  impl->leader = job.is_leader();
  // The backup destination is checked (and its credentials found) before anything happens.
  std::string destination = backup_destination(options.backup);
  std::unique_ptr<BackupStore> store;
  if (!destination.empty()) store = BackupStore::open(destination, options.backup);
  impl->source = project_path / (options.filename + ".cfg");
  if (!files::is_file(impl->source)) {
    throw Error(ErrorKind::IOError,
                "no config file " + impl->source.string() + " (HParams reads <project_path>/" +
                    "<filename>.cfg; here project_path is '" + project_path.string() +
                    "' and filename '" + options.filename + "')",
                SourceLocation{impl->source.string()});
  }

  // 1. The cfg file as written, and with this launch's overrides.
  ini::Document cfg_document = ini::Document::load(impl->source, options.load.max_file_bytes);
  const std::string cfg_text = cfg_document.str();
  Loaded cfg = load_with_overrides(std::move(cfg_document), options, nullptr);

  // 2. The run's files.
  impl->paths = RunPaths::of(project_path, run_name_of(*cfg.config));
  const RunPaths& paths = impl->paths;

  // 3. The saved copy.
  Claim claim = impl->leader ? claim_as_leader(paths, cfg.config->document().str(), store.get(),
                                               options, report)
                             : receive_from_leader(paths, job, store.get(), options, report);
  impl->is_new = claim.origin == Origin::Created;
  impl->restored = claim.origin == Origin::Restored;
  impl->received = claim.origin == Origin::Received;

  if (impl->is_new) {
    if (report.out != nullptr) {
      *report.out << "No existing config found. New run config file saved in "
                  << paths.saved.string() << std::endl;
    }
    impl->overrides = std::move(cfg.applied);
    impl->config = std::move(cfg.config);
  } else {
    // 4. The saved copy is the run's config; this launch's overrides apply on top of it, and
    //    values of texts it shares with the cfg are not evaluated twice.
    Loaded saved;
    if (claim.bytes == cfg_text && cfg.applied.empty() && cfg.config->warnings().empty()) {
      // The saved copy is the cfg byte for byte and nothing overrides it: the cfg's loaded
      // values are the saved copy's, under the saved copy's name.
      detail::rename_source(*cfg.config, paths.saved.string());
      check_saved(cfg.config->document(), paths);
      saved.config = std::move(cfg.config);
      cfg.config.reset();
    } else {
      ini::Document saved_document = ini::Document::parse(claim.bytes, paths.saved.string());
      check_saved(saved_document, paths);
      saved = load_with_overrides(std::move(saved_document), options, &*cfg.config);
    }
    const Config& cfg_values = cfg.config ? *cfg.config : *saved.config;
    // Overrides that change nothing are not this launch's changes.
    for (std::size_t i = 0; i < saved.applied.size(); ++i) {
      if (!unchanged(saved.applied[i], saved.before[i]))
        impl->overrides.push_back(saved.applied[i]);
    }
    if (claim.bytes != cfg_text) {
      std::map<std::string, std::string> created_with = creation_overrides(paths);
      for (Difference& d : compare(*cfg.config, *saved.config)) {
        // A run created with overrides differs from its cfg by exactly those overrides.
        auto it = created_with.find(d.key);
        if (it != created_with.end()) {
          auto dot = d.key.find('.');
          const ini::Entry* entry =
              dot == std::string::npos
                  ? nullptr
                  : saved.config->document().find(d.key.substr(0, dot), d.key.substr(dot + 1));
          if (entry != nullptr && entry->value == it->second) continue;
        }
        impl->differences.push_back(std::move(d));
      }
    }
    std::string source_name = impl->source.filename().string();
    const Value* policy = cfg_values.find("run", "resume");
    bool strict = options.resume == ResumePolicy::Strict ||
                  (options.resume == ResumePolicy::FromConfig && policy != nullptr &&
                   policy->is_str() && policy->as_str() == "strict");
    if (strict && !impl->differences.empty()) {
      std::string message = impl->source.string() + " differs from the saved copy " +
                            paths.saved.string() + " and resuming is strict:";
      for (const Difference& d : impl->differences) message += "\n" + describe(d, source_name);
      throw Error(ErrorKind::ConfigError, message, SourceLocation{impl->source.string()});
    }
    if (report.out != nullptr) {
      *report.out << "Found existing " << paths.saved.string()
                  << "! Resuming run using primary parameters!" << std::endl;
    }
    if (report.notes != nullptr && !impl->differences.empty()) {
      *report.notes << source_name << " differs from the saved copy, which is used:\n";
      for (const Difference& d : impl->differences) {
        *report.notes << describe(d, source_name) << '\n';
      }
      *report.notes << std::flush;
    }
    if (report.notes != nullptr && !impl->overrides.empty()) {
      *report.notes << "Overrides for this launch only (recorded in " << paths.history.string()
                    << "):\n";
      for (const AppliedOverride& a : impl->overrides) {
        *report.notes << "  " << a.section << "." << a.key << " = " << a.value << '\n';
      }
      *report.notes << std::flush;
    }
    impl->config = std::move(saved.config);
  }

  // 5. Rank 0 (or a process without a rank) backs up, publishes this launch, and logs it.
  if (impl->leader) {
    bool backed_up = false;
    if (store) {
      impl->backup_uri = store->uri_of(paths.backup_object());
      if (report.out != nullptr) {
        *report.out << "Backing up hparams file to " << impl->backup_uri << std::endl;
      }
      guarded(options.backup, "backing up to " + impl->backup_uri, [&] {
        store->put(paths.backup_object(), claim.bytes);
        backed_up = true;
      });
    }
    if (job.rank) {
      // Other ranks wait for this: the copy of this launch, by digest (copy first, record
      // second, locally and in the store).
      detail::LaunchMark mark = detail::LaunchMark::of(paths.run_name, job, claim.bytes);
      files::write_atomically(paths.launch, mark.text());
      if (store) {
        guarded(options.backup,
                "publishing the launch to " + store->uri_of(paths.backup_launch_object()),
                [&] { store->put(paths.backup_launch_object(), mark.text()); });
      }
    }
    if (impl->is_new || !files::exists_no_follow(paths.snapshot)) {
      files::write_atomically(paths.snapshot, impl->config->to_json(2) + "\n");
    }
    LaunchRecord record = detail::this_launch(impl->is_new     ? "created"
                                              : impl->restored ? "restored"
                                                               : "resumed",
                                              project_path, job);
    for (const AppliedOverride& a : impl->overrides) {
      record.overrides.emplace_back(a.section + "." + a.key, a.value);
    }
    if (backed_up) {
      record.backup_uri = impl->backup_uri;
      record.backup_sha256 = files::sha256_hex(claim.bytes);
    }
    detail::append_launch(paths.history, record);
  }
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
const std::string& HParams::run_name() const noexcept { return impl_->paths.run_name; }
const fs::path& HParams::project_path() const noexcept { return impl_->paths.project; }
const fs::path& HParams::source_file() const noexcept { return impl_->source; }
const fs::path& HParams::log_dir() const noexcept { return impl_->paths.log_dir; }
const fs::path& HParams::saved_file() const noexcept { return impl_->paths.saved; }
fs::path HParams::history_file() const { return impl_->paths.history; }
const RunPaths& HParams::paths() const noexcept { return impl_->paths; }
bool HParams::is_leader() const noexcept { return impl_->leader; }
bool HParams::is_new_run() const noexcept { return impl_->is_new; }
bool HParams::is_received() const noexcept { return impl_->received; }
bool HParams::is_restored() const noexcept { return impl_->restored; }
const std::string& HParams::backup_uri() const noexcept { return impl_->backup_uri; }
const std::vector<Difference>& HParams::differences() const noexcept { return impl_->differences; }
const std::vector<AppliedOverride>& HParams::overrides() const noexcept { return impl_->overrides; }

}  // namespace hparams
