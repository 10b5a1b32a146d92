// Internal: backup destinations as URIs (the core's part of backups: no network code here).
// Exported from the shared core for the backup component, but not installed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hparams/backup.hpp"
#include "hparams/export.hpp"

namespace hparams::backup {

struct HPARAMS_EXPORT Location {
  std::string scheme;  ///< gs, s3 or file
  std::string bucket;  ///< empty for file
  std::string prefix;  ///< no leading or trailing '/'; the directory for file
};

/// An environment variable's value, or empty when unset.
HPARAMS_EXPORT std::string env(const char* name);

/// Parses gs://bucket[/prefix], s3://bucket[/prefix], file:///dir (ConfigError otherwise;
/// credentials in the URI are refused, and never echoed).
HPARAMS_EXPORT Location parse_location(std::string_view uri);
/// `prefix/name`, or `name` without a prefix.
HPARAMS_EXPORT std::string object_key(const Location& location, std::string_view name);

/// What opens gs:// and s3:// stores in this process: the hparams::backup component sets it
/// when it is linked in; without it, the hparams-backup helper program does the work.
using RemoteStoreOpener = std::unique_ptr<BackupStore> (*)(std::string_view uri,
                                                           const BackupOptions& options);
HPARAMS_EXPORT void set_remote_store_opener(RemoteStoreOpener opener);

}  // namespace hparams::backup
