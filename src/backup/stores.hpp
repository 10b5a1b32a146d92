// The clients behind BackupStore::open.
#pragma once

#include <memory>
#include <string>

#include "backup/http.hpp"
#include "hparams/backup.hpp"

namespace hparams::backup {

struct Location {
  std::string scheme;  ///< gs, s3 or file
  std::string bucket;  ///< empty for file
  std::string prefix;  ///< no leading or trailing '/'; the directory for file
};

/// An environment variable's value, or empty when unset.
std::string env(const char* name);

/// Parses gs://bucket[/prefix], s3://bucket[/prefix], file:///dir (ConfigError otherwise).
Location parse_location(std::string_view uri);
/// `prefix/name`, or `name` without a prefix.
std::string object_key(const Location& location, std::string_view name);

std::unique_ptr<BackupStore> open_s3(std::string uri, const Location& location,
                                     const RetryPolicy& retry);
std::unique_ptr<BackupStore> open_gcs(std::string uri, const Location& location,
                                      const RetryPolicy& retry, const std::string& project);

}  // namespace hparams::backup
