// hparams/version.hpp: the library version.
#pragma once

#define HPARAMS_VERSION_MAJOR 0
#define HPARAMS_VERSION_MINOR 1
#define HPARAMS_VERSION_PATCH 0

namespace hparams {
/// "MAJOR.MINOR.PATCH"
inline constexpr const char* kVersion = "0.1.0";
}  // namespace hparams
