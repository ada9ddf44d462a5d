#include "Core/Monitor/ProcessStats.h"

#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace wb::monitor
{
namespace
{
double toSeconds(const timespec& ts) noexcept
{
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

double clockSeconds(clockid_t id) noexcept
{
    timespec ts{};
    if (clock_gettime(id, &ts) != 0)
        return 0.0;
    return toSeconds(ts);
}
} // namespace

std::optional<SmapsRollup> readSmapsRollup(const char* path) noexcept
{
    FILE* f = std::fopen(path, "r");
    if (f == nullptr)
        return std::nullopt;
    SmapsRollup r;
    bool sawPss = false;
    char line[256];
    while (std::fgets(line, sizeof line, f))
    {
        char key[64] = {};
        unsigned long long kb = 0;
        if (std::sscanf(line, "%63[^:]: %llu kB", key, &kb) != 2)
            continue; // the header line (address range, "[rollup]")
        const std::uint64_t bytes = kb * 1024;
        if (std::strcmp(key, "Pss") == 0)
        {
            r.pssBytes = bytes;
            sawPss = true;
        }
        else if (std::strcmp(key, "Private_Clean") == 0 || std::strcmp(key, "Private_Dirty") == 0)
            r.privateBytes += bytes;
        else if (std::strcmp(key, "Shared_Clean") == 0 || std::strcmp(key, "Shared_Dirty") == 0)
            r.sharedBytes += bytes;
        else if (std::strcmp(key, "Rss") == 0)
            r.rssBytes = bytes;
    }
    std::fclose(f);
    if (!sawPss)
        return std::nullopt;
    return r;
}

MemoryStats readMemoryStats() noexcept
{
    MemoryStats m;
    const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    if (FILE* f = std::fopen("/proc/self/statm", "r"))
    {
        unsigned long long size = 0, resident = 0;
        if (std::fscanf(f, "%llu %llu", &size, &resident) == 2)
            m.rssBytes = resident * page;
        std::fclose(f);
    }
    if (FILE* f = std::fopen("/proc/self/status", "r"))
    {
        char line[256];
        while (std::fgets(line, sizeof line, f))
        {
            unsigned long long kb = 0;
            if (std::strncmp(line, "VmHWM:", 6) == 0 && std::sscanf(line + 6, "%llu", &kb) == 1)
                m.peakRssBytes = kb * 1024;
        }
        std::fclose(f);
    }
    if (const auto smaps = readSmapsRollup())
    {
        m.privateBytes = smaps->privateBytes;
        m.pssBytes = smaps->pssBytes;
        m.smapsAvailable = true;
    }
    else
        m.privateBytes = m.pssBytes = m.rssBytes;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    const struct mallinfo2 mi = mallinfo2();
    m.heapInUseBytes = mi.uordblks + mi.hblkhd;
#endif
    return m;
}

double processCpuSeconds() noexcept { return clockSeconds(CLOCK_PROCESS_CPUTIME_ID); }
double currentThreadCpuSeconds() noexcept { return clockSeconds(CLOCK_THREAD_CPUTIME_ID); }
double wallSeconds() noexcept { return clockSeconds(CLOCK_MONOTONIC); }

std::optional<double> threadCpuSeconds(pthread_t thread) noexcept
{
    clockid_t id{};
    if (pthread_getcpuclockid(thread, &id) != 0)
        return std::nullopt;
    timespec ts{};
    if (clock_gettime(id, &ts) != 0)
        return std::nullopt;
    return toSeconds(ts);
}

double CpuUsage::update(double cpuSeconds, double wallNow) noexcept
{
    if (primed && wallNow > prevWall)
        last = (cpuSeconds - prevCpu) / (wallNow - prevWall);
    prevCpu = cpuSeconds;
    prevWall = wallNow;
    primed = true;
    return last;
}

ResourceCounters& ResourceCounters::global() noexcept
{
    static ResourceCounters counters;
    return counters;
}
} // namespace wb::monitor
