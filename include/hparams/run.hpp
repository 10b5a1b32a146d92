// hparams/run.hpp: one object per training run, found by name anywhere in the program, whose
// config is saved on the first launch and restored on every later one (the seed's contract).
//
//   int main(int argc, char** argv) {
//     // Reads ./hparams.cfg; takes `section.key=value` overrides out of argv.
//     auto hp = hparams::HParams::create(".", argc, argv);
//     int epochs = hp->get<int>("train.epochs");
//     std::filesystem::path checkpoints = hp->log_dir();   // logs-<run.name>/
//   }
//   // Anywhere else:
//   auto hp = hparams::HParams::get_hparams_by_name("hparams");
//
// The first launch of a run name saves `<project>/logs-<name>/hparams-<name>.cfg` atomically
// (the user's file byte for byte, overrides edited in place); every later launch loads that
// copy instead. Processes starting the same new run at once agree through a lock file: one
// creates the copy, the others load it. A process whose RANK (or SLURM_PROCID,
// OMPI_COMM_WORLD_RANK) is not 0 never writes; it waits for rank 0's copy.
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

namespace hparams {

/// One override: `section.key=value` (also written `--section.key=value` or the seed's
/// `~~section.key=value`). The value is value-language text.
struct Override {
  std::string key;       ///< as written: "train.lr" (an unqualified key follows find()'s rules)
  std::string value;     ///< the text after the first '=', without surrounding spaces
  std::string argument;  ///< the whole argument, for messages
};

/// Parses one override. ConfigError when it has no '=' or no key.
Override parse_override(std::string_view argument);
/// Whether a command-line argument is an override: an optional `--`/`~~`, then a dotted
/// `section.key` without spaces, then '='. Other arguments belong to the program.
bool is_override(std::string_view argument);
/// Removes the overrides from argv[1..argc) (argc is updated, argv[argc] becomes nullptr, the
/// order of the other arguments is kept) and returns them.
std::vector<Override> take_overrides(int& argc, char** argv);

/// One override as applied to a document.
struct AppliedOverride {
  std::string section;  ///< as written in the file; "DEFAULT" for defaults
  std::string key;      ///< as stored (lower-case)
  std::string value;    ///< the new value text
  bool added = false;   ///< the section inherited the key from DEFAULT and now has its own
};
/// Applies overrides to `document`, whose evaluated form is `config`. A key the section owns
/// is edited in place; a key it inherits from DEFAULT is added to that section (so the other
/// sections keep the default). Every value is evaluated first. An unknown key is a
/// LookupError with a "did you mean"; a bad value is the evaluation's error naming the
/// override. When a key is given twice, the last one wins.
std::vector<AppliedOverride> apply_overrides(ini::Document& document, const Config& config,
                                             const std::vector<Override>& overrides);

/// One difference between two configs, compared value by value.
struct Difference {
  std::string key;                    ///< section.key (or [section] for a whole section)
  std::optional<std::string> first;   ///< repr in the first config; nullopt when absent
  std::optional<std::string> second;  ///< repr in the second config
};
/// The keys whose values differ, in the first config's order, then keys only in the second.
std::vector<Difference> compare(const Config& first, const Config& second);

/// The rank of this process from RANK, SLURM_PROCID or OMPI_COMM_WORLD_RANK (the first that is
/// set), or nullopt. ConfigError when the variable is not a non-negative integer.
std::optional<int> rank_from_environment();

enum class ResumePolicy {
  FromConfig,  ///< strict when the config says `[run] resume = strict`, else Warn
  Warn,        ///< print what differs between the cfg and the saved copy; the copy wins
  Strict,      ///< refuse to start when they differ
};

struct RunOptions {
  std::string filename = "hparams";  ///< the cfg file name, without `.cfg`
  std::string name = "hparams";      ///< the name this object is registered under
  std::vector<Override> overrides;
  ResumePolicy resume = ResumePolicy::FromConfig;
  /// This process's rank; nullopt reads the environment (rank_from_environment()).
  std::optional<int> rank;
  /// How long a process that is not rank 0 waits for rank 0's saved copy.
  std::chrono::milliseconds rank_timeout = std::chrono::minutes(10);
  /// Where the seed's messages go (new run, resume, backup); nullptr is std::cout.
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

class HParams {
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
  /// `<project>/logs-<run.name>/hparams-history.log`: overrides of resumed launches.
  std::filesystem::path history_file() const;
  /// True when this process created the saved copy. When several processes start one new
  /// run, only the creator sees a new run; the others (and rank > 0) see a resumed one.
  bool is_new_run() const noexcept;
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
