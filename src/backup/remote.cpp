// The hparams::backup component's entry: it gives the core its gs:// and s3:// stores. Loading
// the component runs this file's registration: a static link keeps it through the component's
// link option; a shared core also loads the shared component itself when a backup needs it.
#include "backup/stores.hpp"

// Named by hparams::backup's INTERFACE_LINK_OPTIONS (-Wl,--undefined=...), so that a static
// link keeps this file, and with it the registration below; the helper program names it too.
extern "C" {
extern HPARAMS_EXPORT const int hparams_backup_component;
const int hparams_backup_component = 1;
}

namespace hparams::backup {
namespace {

std::unique_ptr<BackupStore> open_remote(std::string_view uri, const BackupOptions& options) {
  Location location = parse_location(uri);
  RetryPolicy retry{options.max_attempts, options.initial_delay, options.max_delay,
                    options.deadline,     options.timeout,       options.max_response_bytes};
  if (location.scheme == "s3") return open_s3(std::string(uri), location, retry);
  return open_gcs(std::string(uri), location, retry, options.gcs_backup_project);
}

[[maybe_unused]] const bool registered = (set_remote_store_opener(&open_remote), true);

}  // namespace
}  // namespace hparams::backup
