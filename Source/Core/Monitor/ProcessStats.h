#pragma once
// Process and thread statistics for the monitor panel and `wavebench monitor` (Linux).
// Everything here makes syscalls or reads /proc: message thread or a worker, never the audio
// thread. The audio thread's CPU is read from another thread through its pthread CPU clock.
#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <optional>

namespace wb::monitor
{
struct MemoryStats
{
    std::uint64_t rssBytes = 0;      ///< resident set size (/proc/self/statm)
    std::uint64_t peakRssBytes = 0;  ///< VmHWM (/proc/self/status)
    std::uint64_t heapInUseBytes = 0;///< malloc'd and not freed (mallinfo2: arena + mmapped; 0 under sanitizers)
};

/// Reads the process's memory figures. Allocation-free apart from the C library's file I/O.
[[nodiscard]] MemoryStats readMemoryStats() noexcept;

/// CPU time, in seconds, consumed by the whole process / the calling thread.
[[nodiscard]] double processCpuSeconds() noexcept;
[[nodiscard]] double currentThreadCpuSeconds() noexcept;
/// CPU time of another thread of this process (pthread_getcpuclockid); nullopt if it is gone.
[[nodiscard]] std::optional<double> threadCpuSeconds(pthread_t thread) noexcept;
/// Monotonic wall-clock seconds.
[[nodiscard]] double wallSeconds() noexcept;

/// CPU use as a fraction of one core between successive update() calls:
/// (cpu seconds gained) / (wall seconds elapsed). The first call gives 0.
class CpuUsage
{
public:
    double update(double cpuSeconds, double wallNow) noexcept;
    [[nodiscard]] double value() const noexcept { return last; }

private:
    double prevCpu = 0.0, prevWall = 0.0, last = 0.0;
    bool primed = false;
};

/// Counters the other components update (wait-free) and the monitor reads: buffer-pool use and
/// live Faust instances. One process-wide instance.
struct ResourceCounters
{
    std::atomic<std::int64_t> poolBuffersInUse{0};
    std::atomic<std::int64_t> poolBytesInUse{0};
    std::atomic<std::int64_t> faustInstances{0};
    std::atomic<std::int64_t> faustBytes{0};

    static ResourceCounters& global() noexcept;
};
} // namespace wb::monitor
