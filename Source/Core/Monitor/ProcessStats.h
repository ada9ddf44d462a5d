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
/// The process's memory by ownership, from /proc/self/smaps_rollup (Linux 4.14+). RSS counts every
/// resident page the process maps, including shared libraries and shared segments (JACK's
/// shared memory: ~110 MB of a JACK client's RSS); these separate what is the process's own.
struct SmapsRollup
{
    std::uint64_t privateBytes = 0; ///< Private_Clean + Private_Dirty: pages only this process maps
    std::uint64_t pssBytes = 0;     ///< Pss: private pages plus each shared page / its sharer count
    std::uint64_t sharedBytes = 0;  ///< Shared_Clean + Shared_Dirty
    std::uint64_t rssBytes = 0;     ///< Rss as smaps counts it
};

/// Parses smaps_rollup text at `path` ("Key:  N kB" lines); nullopt when it cannot be read or
/// holds no Pss line. Allocation-free apart from the C library's file I/O.
[[nodiscard]] std::optional<SmapsRollup> readSmapsRollup(const char* path = "/proc/self/smaps_rollup") noexcept;

struct MemoryStats
{
    std::uint64_t privateBytes = 0;  ///< unique to the process (smaps_rollup; RSS when unavailable)
    std::uint64_t pssBytes = 0;      ///< proportional set size (smaps_rollup; RSS when unavailable)
    bool smapsAvailable = false;     ///< false: the two above are the RSS (no smaps_rollup)
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

/// Counters the other components update (wait-free) and the monitor reads: live Faust instances
/// and their bytes. One process-wide instance.
struct ResourceCounters
{
    std::atomic<std::int64_t> faustInstances{0};
    std::atomic<std::int64_t> faustBytes{0};

    static ResourceCounters& global() noexcept;
};
} // namespace wb::monitor
