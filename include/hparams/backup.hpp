// hparams/backup.hpp: copies of saved run configs on object storage, so that a run survives
// its machine. gs:// (the GCS JSON API), s3:// (SigV4-signed S3, or any S3-compatible server)
// and file:// (a directory: NFS, a mounted bucket).
//
//   hparams::RunOptions options;
//   options.backup.uri = "s3://my-bucket/runs";  // or gs://bucket/prefix, file:///mnt/runs
//   auto hp = hparams::HParams::create(".", options);
//   // Backing up hparams file to s3://my-bucket/runs/cifar10_baseline/hparams-cifar10_baseline.cfg
//   auto store = hparams::BackupStore::open(options.backup.uri);
//   bool same = store->get(hp->paths().backup_object()) == hp->paths().read_saved();
//   std::cout << (same ? "the store holds the saved copy" : "the copies differ") << "\n";
//
// Credentials come from the environment, as the official clients find them; they are never
// printed, logged or put in an error message.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hparams/export.hpp"

namespace hparams {

struct HPARAMS_EXPORT BackupOptions {
  /// gs://bucket[/prefix], s3://bucket[/prefix] or file:///dir. Empty: the original library's
  /// pair below, or no backup.
  std::string uri;
  /// The original library's way: a GCS project and a bucket ("gs://" is added when missing).
  /// The project without a bucket is an error.
  std::string gcs_backup_project;
  std::string gcs_backup_bucket;
  /// Whether a failed backup stops the program (the original library's behaviour) or only warns.
  bool required = true;
  /// Retries of one request: on 408, 429, 5xx and connection errors.
  int max_attempts = 5;
  std::chrono::milliseconds initial_delay{200};  ///< doubled after each attempt, with jitter
  std::chrono::milliseconds max_delay{5000};
  std::chrono::milliseconds deadline{60000};  ///< no new attempt after this much time
  std::chrono::milliseconds timeout{30000};   ///< one request
  /// The largest response read from a server (a saved config is small); a larger one fails
  /// the request, whatever its Content-Length says.
  std::size_t max_response_bytes = std::size_t{256} << 20;
};

/// The destination BackupOptions designate: `uri`, or "gs://" + bucket for the original
/// library's pair; empty when no backup is configured. ConfigError for a project without a
/// bucket or a URI of another scheme.
HPARAMS_EXPORT std::string backup_destination(const BackupOptions& options);

/// One object store location (a bucket and prefix, or a directory).
class HPARAMS_EXPORT BackupStore {
 public:
  /// ConfigError for a malformed URI or missing credentials.
  static std::unique_ptr<BackupStore> open(std::string_view uri, const BackupOptions& options = {});
  virtual ~BackupStore();

  /// The URI of an object below this location: `<uri>/<name>`.
  std::string uri_of(std::string_view name) const;
  /// Uploads `bytes` as `name`, then checks the server's checksum against them. IOError
  /// naming the URI and the HTTP status on failure.
  virtual void put(std::string_view name, std::string_view bytes) = 0;
  /// Downloads `name`; nullopt when the store has no such object.
  virtual std::optional<std::string> get(std::string_view name) = 0;

 protected:
  explicit BackupStore(std::string uri) : uri_(std::move(uri)) {}
  std::string uri_;
};

/// Where the hparams-backup helper program is, for a program that ships it somewhere of its
/// own (the Python package does). gs:// and s3:// work in-process when the program links
/// hparams::backup; otherwise BackupStore::open runs the helper, found by HPARAMS_BACKUP_HELPER,
/// this call, next to the program, or in the installed libexec/hparams directory.
HPARAMS_EXPORT void set_backup_helper(const std::filesystem::path& helper);

}  // namespace hparams
