// Internal: the S3 and GCS clients of the hparams::backup component.
#pragma once

#include <memory>
#include <string>

#include "backup/http.hpp"
#include "backup/location.hpp"
#include "hparams/backup.hpp"

namespace hparams::backup {

std::unique_ptr<BackupStore> open_s3(std::string uri, const Location& location,
                                     const RetryPolicy& retry);
std::unique_ptr<BackupStore> open_gcs(std::string uri, const Location& location,
                                      const RetryPolicy& retry, const std::string& project);

}  // namespace hparams::backup
