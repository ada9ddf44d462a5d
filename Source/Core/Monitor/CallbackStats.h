#pragma once
// Statistics of a run of audio callbacks (TimingSample telemetry): the figures a load benchmark
// reports. Message thread or a worker; allocates (it sorts a copy).
#include "Core/Realtime/Telemetry.h"

#include <cstdint>
#include <span>

namespace wb::monitor
{
struct CallbackStats
{
    std::uint64_t callbacks = 0;
    double meanNs = 0.0;
    std::uint64_t p50Ns = 0;      ///< nearest-rank percentiles of the callback durations
    std::uint64_t p99Ns = 0;
    std::uint64_t maxNs = 0;
    std::uint64_t overruns = 0;   ///< callbacks longer than their period
    double loadMean = 0.0;        ///< sum of durations / sum of periods
    double loadP99 = 0.0;         ///< p99 / the (last) period
    double loadMax = 0.0;         ///< max / the (last) period
    std::uint64_t periodNs = 0;   ///< the last sample's period
};

/// Nearest-rank percentile `q` (0 < q <= 1) of `sortedNs` (ascending); 0 when empty.
[[nodiscard]] std::uint64_t percentileOfSorted(std::span<const std::uint64_t> sortedNs, double q) noexcept;

/// The statistics of `samples` (any order). Allocates.
[[nodiscard]] CallbackStats summariseCallbacks(std::span<const TimingSample> samples);
} // namespace wb::monitor
