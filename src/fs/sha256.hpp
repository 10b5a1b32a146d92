// SHA-256 (FIPS 180-4), for the digest a run's rank 0 publishes of its saved copy, so that
// other ranks can tell its copy from a stale one. The core links no crypto library.
#pragma once

#include <string>
#include <string_view>

namespace hparams::files {

/// The SHA-256 of `bytes` as 64 lower-case hex digits (as `sha256sum` prints it).
std::string sha256_hex(std::string_view bytes);

}  // namespace hparams::files
