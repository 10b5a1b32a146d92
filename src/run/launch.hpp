// Internal: rank 0's record of a launch, which the other ranks wait for, so that no rank runs
// with a config other than rank 0's (an edited cfg on its machine, a stale logs directory, a
// stale copy in the backup store).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hparams/run.hpp"

namespace hparams::detail {

struct LaunchMark {
  std::string run_name;
  std::string launch_id;        // RankInfo::launch_id of the launch (may be empty)
  std::string digest;           // SHA-256 of the saved copy rank 0 runs with
  std::uint64_t size = 0;       // its size in bytes
  std::int64_t written_ms = 0;  // rank 0's clock when it wrote this, ms since the epoch

  /// Rank 0's record for `bytes` in this launch.
  static LaunchMark of(const std::string& run_name, const RankInfo& job, std::string_view bytes);
  std::string text() const;
  /// nullopt for anything that is not such a record (a stale file is untrusted too).
  static std::optional<LaunchMark> parse(std::string_view text);
  /// Whether `bytes` are the copy this record describes.
  bool describes(std::string_view bytes) const;
  /// Whether this record was written in the launch this process belongs to: the same launch
  /// id, or, without one, written no earlier than `skew` before this process started.
  bool is_this_launch(const RankInfo& job, std::chrono::milliseconds skew) const;
};

/// Wall-clock milliseconds since the epoch.
std::int64_t now_ms();
/// When this process started (wall clock, ms), from /proc; now when unknown.
std::int64_t process_start_ms();

}  // namespace hparams::detail
