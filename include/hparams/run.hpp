// hparams/run.hpp: one object per training run, found by name anywhere in the program, whose
// config is saved on the first launch and restored on every later one: the contract of the
// original Python library (https://github.com/Rayhane-mamah/hparams).
//
//   int main(int argc, char** argv) {
//     // Reads ./hparams.cfg; takes `section.key=value` overrides out of argv.
//     auto hp = hparams::HParams::create(".", argc, argv);
//     int epochs = hp->get<int>("train.epochs");
//     std::cout << epochs << " epochs, checkpoints in " << hp->log_dir().string() << "\n";
//     // 30 epochs, checkpoints in ./logs-cifar10_baseline
//     train();
//   }
//
//   void train() {  // anywhere else in the program
//     auto hp = hparams::HParams::get_hparams_by_name("hparams");
//     std::cout << hp->get<double>("optimizer.lr") << "\n";  // 0.0003
//   }
//
// The first launch of a run name saves `<project>/logs-<name>/hparams-<name>.cfg` atomically
// (the user's file byte for byte, overrides edited in place); every later launch loads that
// copy instead. Processes starting the same new run at once agree through a lock file: one
// creates the copy, the others load it. A process whose rank (RANK, SLURM_PROCID,
// OMPI_COMM_WORLD_RANK) is not 0 never decides: it waits for rank 0's copy of this launch,
// from the shared file system, or from the backup destination on a machine that does not
// share rank 0's file system.
#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hparams/backup.hpp"
#include "hparams/config.hpp"
#include "hparams/export.hpp"

namespace hparams {

/// One override: `section.key=value` (also written `--section.key=value` or the original's
/// `~~section.key=value`). The value is value-language text.
struct HPARAMS_EXPORT Override {
  std::string key;       ///< as written: "train.lr" (an unqualified key follows find()'s rules)
  std::string value;     ///< the text after the first '=', without surrounding spaces
  std::string argument;  ///< the whole argument, for messages
};

/// Parses one override. ConfigError when it has no '=' or no key.
HPARAMS_EXPORT Override parse_override(std::string_view argument);
/// Whether a command-line argument is an override: an optional `--`, then a dotted
/// `section.key` without spaces, then '='; or the original's `~~key=value`, whose key may be
/// bare (a [DEFAULT] key, or the one section's that has it). Other arguments belong to the
/// program.
HPARAMS_EXPORT bool is_override(std::string_view argument);
/// Removes the overrides from argv[1..argc) (argc is updated, argv[argc] becomes nullptr, the
/// order of the other arguments is kept) and returns them. ConfigError for an override the
/// shell split (`model.lr = 1e-3`, `model.lr= 1e-3`), which must not stay in argv unnoticed.
HPARAMS_EXPORT std::vector<Override> take_overrides(int& argc, char** argv);

/// One override as applied to a document.
struct HPARAMS_EXPORT AppliedOverride {
  std::string section;  ///< as written in the file; "DEFAULT" for defaults
  std::string key;      ///< as stored (lower-case)
  std::string value;    ///< the new value text
  bool added = false;   ///< the section inherited the key from DEFAULT and now has its own
};
/// Where overrides go in `config` (loaded with or without evaluation, see
/// LoadOptions::evaluate): each value is checked by evaluating it alone. Same rules and errors
/// as apply_overrides(), nothing edited.
HPARAMS_EXPORT std::vector<AppliedOverride> resolve_overrides(
    const Config& config, const std::vector<Override>& overrides);
/// Edits resolved overrides into `document` (one re-read).
HPARAMS_EXPORT void edit_overrides(ini::Document& document,
                                   const std::vector<AppliedOverride>& applied);
/// Applies overrides to `document`, whose evaluated form is `config`. A key the section owns
/// is edited in place; a key it inherits from DEFAULT is added to that section (so the other
/// sections keep the default). Every value is evaluated first. An unknown key is a
/// LookupError with a "did you mean"; a bad value is the evaluation's error naming the
/// override. When a key is given twice, the last one wins.
HPARAMS_EXPORT std::vector<AppliedOverride> apply_overrides(ini::Document& document,
                                                            const Config& config,
                                                            const std::vector<Override>& overrides);

/// One difference between two configs, compared value by value.
struct HPARAMS_EXPORT Difference {
  std::string key;                    ///< section.key (or [section] for a whole section)
  std::optional<std::string> first;   ///< repr in the first config; nullopt when absent
  std::optional<std::string> second;  ///< repr in the second config
};
/// The keys whose values differ, in the first config's order, then keys only in the second.
HPARAMS_EXPORT std::vector<Difference> compare(const Config& first, const Config& second);

/// Checks that `name` can name a run's files: one path component (not empty, no `/`, `\`,
/// `..` or control characters) of at most 240 bytes. ConfigError saying why otherwise.
HPARAMS_EXPORT void check_run_name(std::string_view name);

/// The files of one run: the one place that knows the layout (the original's, plus ours).
///
///   auto paths = hparams::RunPaths::of("experiments", "cifar10_baseline");
///   paths.saved;   // experiments/logs-cifar10_baseline/hparams-cifar10_baseline.cfg
struct HPARAMS_EXPORT RunPaths {
  /// The paths of run `run_name` in `project` (check_run_name() first).
  static RunPaths of(const std::filesystem::path& project, std::string_view run_name);
  /// The paths of the run whose log directory is `log_dir` (`.../logs-<run.name>`);
  /// ConfigError when it is not named so.
  static RunPaths of_log_dir(const std::filesystem::path& log_dir);

  std::string run_name;
  std::filesystem::path project;
  std::filesystem::path log_dir;   ///< <project>/logs-<run.name>: checkpoints go here
  std::filesystem::path saved;     ///< <log_dir>/hparams-<run.name>.cfg: the saved copy
  std::filesystem::path snapshot;  ///< <log_dir>/hparams-<run.name>.json: its values as JSON
  std::filesystem::path history;   ///< <log_dir>/hparams-history.log: one line per launch
  std::filesystem::path lock;      ///< <log_dir>/.hparams.lock: serialises the creators
  std::filesystem::path launch;    ///< <log_dir>/.hparams-launch: rank 0's copy, this launch

  /// The saved copy's bytes, or nullopt when there is none. IOError when it cannot be read,
  /// is not a regular file or is a symbolic link (files of a run are never followed).
  std::optional<std::string> read_saved() const;
  /// The saved copy's name in a backup store: `<run.name>/hparams-<run.name>.cfg`.
  std::string backup_object() const;
  /// The name of rank 0's launch record in a backup store (next to the copy).
  std::string backup_launch_object() const;
};

/// Where this process sits in a job, as launchers describe it in the environment.
struct HPARAMS_EXPORT RankInfo {
  std::optional<int> rank;        ///< RANK, SLURM_PROCID, OMPI_COMM_WORLD_RANK, PMIX_RANK
  std::optional<int> local_rank;  ///< LOCAL_RANK, SLURM_LOCALID, OMPI_COMM_WORLD_LOCAL_RANK
  std::optional<int> node;        ///< the machine's index: GROUP_RANK, NODE_RANK, SLURM_NODEID
  std::optional<int> world_size;  ///< WORLD_SIZE, SLURM_NTASKS, OMPI_COMM_WORLD_SIZE
  /// What names this launch of the job, the same in all its processes: HPARAMS_LAUNCH_ID,
  /// SLURM_JOB_ID (with SLURM_STEP_ID), OMPI_MCA_ess_base_jobid, PMIX_NAMESPACE or
  /// TORCHELASTIC_RUN_ID; empty when none is set.
  std::string launch_id;
  /// Rank 0, or a process without a rank: it decides new or resume and writes.
  bool is_leader() const { return !rank || *rank == 0; }
};

/// The RankInfo of this process from its environment (the first variable set of each list).
/// ConfigError when a variable is set but is not a non-negative integer.
HPARAMS_EXPORT RankInfo rank_info_from_environment();

/// The rank of this process from RANK, SLURM_PROCID, OMPI_COMM_WORLD_RANK or PMIX_RANK (the
/// first that is set), or nullopt. ConfigError when the variable is not a non-negative
/// integer.
HPARAMS_EXPORT std::optional<int> rank_from_environment();

/// One launch of a run, as its history log (RunPaths::history) records it: one JSON object
/// per line, written by rank 0 (or the only process) at every launch.
struct HPARAMS_EXPORT LaunchRecord {
  std::string event;  ///< "created", "restored" (from the backup destination) or "resumed"
  std::string time;   ///< UTC, e.g. 2026-12-01T15:04:05Z
  std::string host;
  std::string user;
  std::string command;        ///< the command line, shell-quoted
  std::optional<int> ranks;   ///< the job's process count, when a launcher set it
  std::string launch_id;      ///< RankInfo::launch_id
  std::string version;        ///< hparams' version
  std::string git_commit;     ///< the project's commit when it is in a git work tree
  std::string backup_uri;     ///< where this launch backed the saved copy up, if it did
  std::string backup_sha256;  ///< the SHA-256 of what it uploaded there
  /// This launch's overrides as applied: (section.key, value text).
  std::vector<std::pair<std::string, std::string>> overrides;
  std::string line;  ///< the line as written (a line this version cannot read keeps only this)
};

/// The launches a history log records, oldest first (none when the file does not exist).
/// IOError when it cannot be read.
HPARAMS_EXPORT std::vector<LaunchRecord> read_history(const std::filesystem::path& history_file);

/// The SHA-256 of `bytes` as 64 hex digits: the digest history and launch records give of
/// a saved copy (`sha256sum` prints the same).
HPARAMS_EXPORT std::string sha256_hex(std::string_view bytes);

/// The commit checked out in the git work tree that holds `directory` (read from `.git`
/// directly; no git program needed), or empty: never an error.
HPARAMS_EXPORT std::string git_commit(const std::filesystem::path& directory);

enum class ResumePolicy {
  FromConfig,  ///< strict when the config says `[run] resume = strict`, else Warn
  Warn,        ///< print what differs between the cfg and the saved copy; the copy wins
  Strict,      ///< refuse to start when they differ
};

struct HPARAMS_EXPORT RunOptions {
  std::string filename = "hparams";  ///< the cfg file name, without `.cfg`
  std::string name = "hparams";      ///< the name this object is registered under
  std::vector<Override> overrides;
  ResumePolicy resume = ResumePolicy::FromConfig;
  /// This process's rank; nullopt reads the environment (rank_from_environment()).
  std::optional<int> rank;
  /// Where this process sits in its job; nullopt reads the environment
  /// (rank_info_from_environment()). `rank` above, when set, wins over its `rank`.
  std::optional<RankInfo> job;
  /// How long a process that is not rank 0 waits for rank 0's saved copy (at most 1e9 s).
  std::chrono::milliseconds rank_timeout = std::chrono::minutes(10);
  /// How far apart the processes of one launch may start, for a launch without a launch id
  /// (RankInfo::launch_id): a record of rank 0's older than this before a process started is
  /// taken for a previous launch's.
  std::chrono::milliseconds launch_skew = std::chrono::seconds(30);
  /// Only rank 0 prints by default; true (or HPARAMS_MESSAGES=all) lets every rank print.
  bool every_rank_prints = false;
  /// Where the original library's messages go (new run, resume, backup); nullptr is std::cout.
  std::ostream* messages = nullptr;
  /// Where the other reports go (what differs on resume, this launch's overrides, waiting
  /// for rank 0); nullptr is the same stream as `messages`.
  std::ostream* notes = nullptr;
  bool quiet = false;  ///< no messages at all
  LoadOptions load;
  /// Backup of the saved copy to object storage (none by default). After a launch saves or
  /// resumes, the copy is uploaded to `<destination>/<run.name>/hparams-<run.name>.cfg`; when
  /// the local copy is missing but the destination has one, it is downloaded and resumed.
  BackupOptions backup;
};

class HPARAMS_EXPORT HParams {
 public:
  /// Creates the run and registers it under `options.name`. ConfigError when that name is
  /// already registered, when run.name is missing or not a safe path component, or when the
  /// saved copy differs under ResumePolicy::Strict; IOError when the cfg cannot be read;
  /// ErrorList with every bad value of the file.
  static std::shared_ptr<const HParams> create(const std::filesystem::path& project_path,
                                               RunOptions options = {});
  /// The same, taking the overrides out of argv first (see take_overrides).
  static std::shared_ptr<const HParams> create(const std::filesystem::path& project_path, int& argc,
                                               char** argv, RunOptions options = {});
  /// The registered object of that name. LookupError listing the known names otherwise.
  static std::shared_ptr<const HParams> get_hparams_by_name(std::string_view name = "hparams");
  /// Forgets a name (tests, notebooks); false when it was not registered. Holders of the
  /// object keep it alive.
  static bool release(std::string_view name);
  /// The registered names, sorted.
  static std::vector<std::string> names();

  /// Creates or resumes the run without registering it (what create() does after checking
  /// the name; the `hparams run` command uses it).
  static HParams open(const std::filesystem::path& project_path, const RunOptions& options = {});

  HParams(HParams&&) noexcept;
  HParams& operator=(HParams&&) noexcept;
  ~HParams();

  /// The values of this run: the saved copy's on a resumed run, with this launch's overrides.
  const Config& config() const noexcept;
  template <class T>
  T get(std::string_view key) const {
    return config().get<T>(key);
  }
  template <class T>
  T get(std::string_view section, std::string_view key) const {
    return config().get<T>(section, key);
  }
  template <class T>
  T get_or(std::string_view key, T fallback) const {
    return config().get_or<T>(key, std::move(fallback));
  }
  const Value& operator[](std::string_view key) const { return config().at(key); }

  const std::string& object_name() const noexcept;
  /// run.name.
  const std::string& run_name() const noexcept;
  const std::filesystem::path& project_path() const noexcept;
  /// `<project>/<filename>.cfg`.
  const std::filesystem::path& source_file() const noexcept;
  /// `<project>/logs-<run.name>`: write checkpoints here.
  const std::filesystem::path& log_dir() const noexcept;
  /// `<project>/logs-<run.name>/hparams-<run.name>.cfg`.
  const std::filesystem::path& saved_file() const noexcept;
  /// `<project>/logs-<run.name>/hparams-history.log`: one line per launch.
  std::filesystem::path history_file() const;
  /// Every file of the run.
  const RunPaths& paths() const noexcept;
  /// Whether this process is rank 0 (or has no rank): it decided new or resume.
  bool is_leader() const noexcept;
  /// True when this process created the saved copy. When several processes start one new
  /// run, only the creator sees a new run; the others (and rank > 0) see a resumed one.
  bool is_new_run() const noexcept;
  /// True when this process (a rank other than 0) took rank 0's copy from the backup
  /// destination because its machine does not share rank 0's file system.
  bool is_received() const noexcept;
  bool is_resumed() const noexcept { return !is_new_run(); }
  /// On a resumed run: what differs between the cfg file and the saved copy (first: the cfg
  /// file's value, second: the saved copy's).
  const std::vector<Difference>& differences() const noexcept;
  /// True when this launch restored the saved copy from the backup destination.
  bool is_restored() const noexcept;
  /// The backup destination's URI of the saved copy, or empty without a backup.
  const std::string& backup_uri() const noexcept;
  /// The overrides applied to this launch.
  const std::vector<AppliedOverride>& overrides() const noexcept;

 private:
  struct Impl;
  explicit HParams(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hparams
