#include "Core/Monitor/LoadMeter.h"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace wb::monitor
{
LoadMeter::LoadMeter(int windowCallbacks, double smoothingCallbacks) noexcept
    : window(std::clamp(windowCallbacks, 1, kMaxWindow)),
      alpha(1.0 - std::exp(-1.0 / std::max(smoothingCallbacks, 1.0e-3)))
{
}

std::int64_t LoadMeter::nowNs() noexcept
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void LoadMeter::recordCallback(std::int64_t startNs, std::int64_t endNs, std::int64_t periodNs) noexcept
{
    const double load = periodNs > 0 ? double(std::max<std::int64_t>(endNs - startNs, 0)) / double(periodNs) : 0.0;
    const std::uint64_t n = count++;
    mean = n == 0 ? load : mean + alpha * (load - mean);

    // Sliding maximum over the last `window` callbacks: a monotonic deque (values decreasing
    // from head to tail), O(1) amortised, in fixed arrays.
    values[n % kMaxWindow] = load;
    while (dqSize > 0)
    {
        const int tail = (dqHead + dqSize - 1) % kMaxWindow;
        if (values[dequeIndex[std::size_t(tail)] % kMaxWindow] > load)
            break;
        --dqSize;
    }
    dequeIndex[std::size_t((dqHead + dqSize) % kMaxWindow)] = n;
    ++dqSize;
    while (dequeIndex[std::size_t(dqHead)] + std::uint64_t(window) <= n)
    {
        dqHead = (dqHead + 1) % kMaxWindow;
        --dqSize;
    }
    const double windowMax = values[dequeIndex[std::size_t(dqHead)] % kMaxWindow];

    lastOut.store(load, std::memory_order_relaxed);
    meanOut.store(mean, std::memory_order_relaxed);
    maxOut.store(windowMax, std::memory_order_relaxed);
    if (endNs - startNs > periodNs)
        overrunsOut.fetch_add(1, std::memory_order_relaxed);
    countOut.store(count, std::memory_order_release);
}

LoadSnapshot LoadMeter::snapshot() const noexcept
{
    LoadSnapshot s;
    s.callbacks = countOut.load(std::memory_order_acquire);
    s.lastLoad = lastOut.load(std::memory_order_relaxed);
    s.meanLoad = meanOut.load(std::memory_order_relaxed);
    s.windowMaxLoad = maxOut.load(std::memory_order_relaxed);
    s.overruns = overrunsOut.load(std::memory_order_relaxed);
    s.deviceXruns = deviceXruns.load(std::memory_order_relaxed);
    return s;
}

void LoadMeter::reset() noexcept
{
    mean = 0.0;
    count = 0;
    dqHead = dqSize = 0;
    lastOut.store(0.0, std::memory_order_relaxed);
    meanOut.store(0.0, std::memory_order_relaxed);
    maxOut.store(0.0, std::memory_order_relaxed);
    overrunsOut.store(0, std::memory_order_relaxed);
    deviceXruns.store(0, std::memory_order_relaxed);
    countOut.store(0, std::memory_order_release);
}
} // namespace wb::monitor
