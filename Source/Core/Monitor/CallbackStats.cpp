#include "Core/Monitor/CallbackStats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace wb::monitor
{
std::uint64_t percentileOfSorted(std::span<const std::uint64_t> sortedNs, double q) noexcept
{
    if (sortedNs.empty())
        return 0;
    const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * double(sortedNs.size()));
    const auto index = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
    return sortedNs[std::min(index, sortedNs.size() - 1)];
}

CallbackStats summariseCallbacks(std::span<const TimingSample> samples)
{
    CallbackStats s;
    if (samples.empty())
        return s;
    std::vector<std::uint64_t> durations;
    durations.reserve(samples.size());
    double sumDuration = 0.0, sumPeriod = 0.0;
    for (const auto& t : samples)
    {
        durations.push_back(t.durationNs);
        sumDuration += double(t.durationNs);
        sumPeriod += double(t.periodNs);
        if (t.durationNs > t.periodNs)
            ++s.overruns;
    }
    std::sort(durations.begin(), durations.end());
    s.callbacks = samples.size();
    s.meanNs = sumDuration / double(samples.size());
    s.p50Ns = percentileOfSorted(durations, 0.50);
    s.p99Ns = percentileOfSorted(durations, 0.99);
    s.maxNs = durations.back();
    s.periodNs = samples.back().periodNs;
    s.loadMean = sumPeriod > 0.0 ? sumDuration / sumPeriod : 0.0;
    if (s.periodNs > 0)
    {
        s.loadP99 = double(s.p99Ns) / double(s.periodNs);
        s.loadMax = double(s.maxNs) / double(s.periodNs);
    }
    return s;
}
} // namespace wb::monitor
