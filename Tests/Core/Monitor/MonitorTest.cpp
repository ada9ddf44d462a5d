// Load measurement against synthetic timings, xrun counting, process statistics.
#include "Core/Monitor/LoadMeter.h"
#include "Core/Monitor/ProcessStats.h"
#include "Core/Monitor/ThresholdWatcher.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

using namespace wb::monitor;

namespace
{
constexpr std::int64_t kPeriodNs = 1333333; // 64 frames at 48 kHz

// Feeds one callback of `load` x period, the callbacks one period apart.
void feed(LoadMeter& m, std::int64_t& t, double load)
{
    m.recordCallback(t, t + static_cast<std::int64_t>(load * double(kPeriodNs)), kPeriodNs);
    t += kPeriodNs;
}

std::uint64_t vmRssBytes()
{
    std::uint64_t kb = 0;
    if (FILE* f = std::fopen("/proc/self/status", "r"))
    {
        char line[256];
        while (std::fgets(line, sizeof line, f))
            if (std::strncmp(line, "VmRSS:", 6) == 0)
                std::sscanf(line + 6, "%llu", reinterpret_cast<unsigned long long*>(&kb));
        std::fclose(f);
    }
    return kb * 1024;
}
} // namespace

TEST_CASE("load meter: constant load gives that load as mean, max and last", "[core][monitor]")
{
    LoadMeter m(64, 16.0);
    std::int64_t t = 0;
    for (int i = 0; i < 1000; ++i)
        feed(m, t, 0.25);
    const auto s = m.snapshot();
    CHECK(s.callbacks == 1000);
    CHECK(s.lastLoad == Approx(0.25).margin(1e-6));
    CHECK(s.meanLoad == Approx(0.25).margin(1e-6));
    CHECK(s.windowMaxLoad == Approx(0.25).margin(1e-6));
    CHECK(s.overruns == 0);
}

TEST_CASE("load meter: the windowed maximum holds a spike for exactly `window` callbacks", "[core][monitor]")
{
    const int window = 32;
    LoadMeter m(window, 16.0);
    std::int64_t t = 0;
    for (int i = 0; i < 100; ++i)
        feed(m, t, 0.1);
    feed(m, t, 0.9); // spike
    CHECK(m.snapshot().windowMaxLoad == Approx(0.9).margin(1e-6));
    for (int i = 1; i < window; ++i)
    {
        feed(m, t, 0.1);
        REQUIRE(m.snapshot().windowMaxLoad == Approx(0.9).margin(1e-6));
    }
    feed(m, t, 0.1); // the spike leaves the window
    CHECK(m.snapshot().windowMaxLoad == Approx(0.1).margin(1e-6));
    // and the mean barely moved: one callback of 32 with a time constant of 16
    CHECK(m.snapshot().meanLoad < 0.15);
}

TEST_CASE("load meter: sliding max matches a brute-force maximum on a random sequence", "[core][monitor]")
{
    const int window = 50;
    LoadMeter m(window, 8.0);
    std::vector<double> loads;
    std::uint32_t x = 12345;
    std::int64_t t = 0;
    for (int i = 0; i < 3000; ++i)
    {
        x = x * 1664525u + 1013904223u;
        const double load = double(x >> 8) / double(1u << 24);
        loads.push_back(load);
        feed(m, t, load);
        double expected = 0.0;
        for (std::size_t k = loads.size() > std::size_t(window) ? loads.size() - window : 0; k < loads.size(); ++k)
            expected = std::max(expected, loads[k]);
        REQUIRE(m.snapshot().windowMaxLoad == Approx(expected).margin(1e-6));
    }
}

TEST_CASE("load meter: the smoothed mean follows a step with the stated time constant", "[core][monitor]")
{
    LoadMeter m(16, 10.0);
    std::int64_t t = 0;
    feed(m, t, 0.0);
    for (int i = 0; i < 10; ++i)
        feed(m, t, 1.0);
    // after one time constant: 1 - 1/e of the step
    CHECK(m.snapshot().meanLoad == Approx(1.0 - std::exp(-1.0)).margin(1e-3));
}

TEST_CASE("load meter: callbacks longer than the period are xruns, device xruns add", "[core][monitor]")
{
    LoadMeter m;
    std::int64_t t = 0;
    const double pattern[] = {0.5, 1.2, 0.99, 1.0, 1.01, 3.0, 0.1};
    for (double load : pattern)
        feed(m, t, load);
    auto s = m.snapshot();
    CHECK(s.overruns == 3); // 1.2, 1.01, 3.0 (exactly one period is on time)
    m.setDeviceXruns(5);
    s = m.snapshot();
    CHECK(s.deviceXruns == 5);
    CHECK(s.xruns() == 8);
    m.reset();
    CHECK(m.snapshot().xruns() == 0);
    CHECK(m.snapshot().callbacks == 0);
}

TEST_CASE("load meter: readers on another thread see consistent, monotonic counts", "[core][monitor]")
{
    LoadMeter m(64, 8.0);
    std::atomic<bool> done{false};
    std::thread audio([&]
    {
        std::int64_t t = 0;
        for (int i = 0; i < 200000; ++i)
            feed(m, t, (i % 100 == 0) ? 1.5 : 0.3);
        done = true;
    });
    std::uint64_t lastCount = 0;
    while (!done)
    {
        const auto s = m.snapshot();
        REQUIRE(s.callbacks >= lastCount);
        REQUIRE(s.windowMaxLoad <= 1.5 + 1e-9);
        lastCount = s.callbacks;
    }
    audio.join();
    CHECK(m.snapshot().callbacks == 200000);
    CHECK(m.snapshot().overruns == 2000);
}

TEST_CASE("process stats: RSS within 10 % of VmRSS, and it sees a 64 MB allocation", "[core][monitor]")
{
    const auto before = readMemoryStats();
    const auto ref = vmRssBytes();
    REQUIRE(ref > 0);
    CHECK(double(before.rssBytes) == Approx(double(ref)).epsilon(0.10));
    CHECK(before.peakRssBytes >= before.rssBytes / 2);

    constexpr std::size_t kBytes = 64u << 20;
    auto block = std::make_unique<char[]>(kBytes);
    std::memset(block.get(), 1, kBytes); // touch every page
    const auto after = readMemoryStats();
    CHECK(double(after.rssBytes) == Approx(double(vmRssBytes())).epsilon(0.10));
    CHECK(after.rssBytes >= before.rssBytes + kBytes * 9 / 10);
    CHECK(after.peakRssBytes >= after.rssBytes);
}

TEST_CASE("process stats: the heap in use (mallinfo2) sees a 64 MB allocation and its release",
          "[core][monitor][nosan]")
{
    // [nosan]: sanitizers replace malloc and answer mallinfo2 with zeros, so the sanitizer builds
    // register this test DISABLED; run there by hand, it fails here.
    const auto before = readMemoryStats();
    INFO("mallinfo2 reports no heap: is a sanitizer's allocator in use?");
    REQUIRE(before.heapInUseBytes > 0);
    constexpr std::size_t kBytes = 64u << 20;
    auto block = std::make_unique<char[]>(kBytes);
    std::memset(block.get(), 1, kBytes);
    const auto after = readMemoryStats();
    CHECK(after.heapInUseBytes >= kBytes);
    block.reset();
    CHECK(readMemoryStats().heapInUseBytes + kBytes / 2 < after.heapInUseBytes);
}

namespace
{
/// An independent read: awk sums the per-mapping `fields` (a regex of field names) over
/// /proc/PID/smaps (not the rollup the code reads), in kB -> bytes. 0 when awk fails.
std::uint64_t awkSmapsBytes(const char* fields)
{
    const std::string cmd = std::string("awk '$1 ~ /^(") + fields + "):$/ { s += $2 } END { printf \"%d\\n\", s }' /proc/"
                          + std::to_string(::getpid()) + "/smaps";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr)
        return 0;
    unsigned long long kb = 0;
    if (std::fscanf(p, "%llu", &kb) != 1)
        kb = 0;
    ::pclose(p);
    return kb * 1024;
}
} // namespace

TEST_CASE("process stats: private and proportional memory agree with awk over /proc/PID/smaps",
          "[core][monitor]")
{
    // smaps_rollup exists on every kernel since 4.14 (Debian 12 ships 6.1): its absence here is a
    // failure, not a reason to pass.
    const auto rollup = readSmapsRollup();
    REQUIRE(rollup.has_value());
    // The same figures, summed by awk per mapping from smaps, read just after ours. Between the two
    // reads the figures may move for reasons outside this process: a page of a shared library or
    // of this binary counts as private while no other process maps it and as shared once one does
    // (ctest runs other copies of this binary in parallel; seen: 1.5 MB vs 3.7 MB). So each attempt
    // reads ours, awk's, then ours again, and one attempt in which ours held still must agree within
    // 1 MB + 2 %; a wrong parser never agrees. The first awk run warms up popen's own pages.
    const auto near = [](std::uint64_t a, std::uint64_t b) {
        const double d = std::abs(double(a) - double(b));
        return d <= 1048576.0 + 0.02 * double(b);
    };
    (void) awkSmapsBytes("Pss");
    bool agreed = false;
    MemoryStats ours{};
    std::uint64_t privateAwk = 0, pssAwk = 0;
    for (int attempt = 0; attempt < 50 && !agreed; ++attempt)
    {
        ours = readMemoryStats();
        privateAwk = awkSmapsBytes("Private_Clean|Private_Dirty");
        pssAwk = awkSmapsBytes("Pss");
        const auto again = readMemoryStats();
        REQUIRE(privateAwk > 0);
        REQUIRE(pssAwk > 0);
        REQUIRE(ours.smapsAvailable);
        const bool still = near(ours.privateBytes, again.privateBytes) && near(ours.pssBytes, again.pssBytes);
        agreed = still && near(ours.privateBytes, privateAwk) && near(ours.pssBytes, pssAwk);
    }
    INFO("private " << ours.privateBytes << " vs awk " << privateAwk << "; pss " << ours.pssBytes << " vs awk " << pssAwk);
    CHECK(agreed);
    // Orderings that hold by definition: private <= PSS <= RSS.
    CHECK(ours.privateBytes <= ours.pssBytes);
    CHECK(ours.pssBytes <= rollup->rssBytes);
}

// Not under the sanitizers ([nosan]): ThreadSanitizer maps shadow memory for every page the test
// touches (measured: 250 MB private for a 50 MB block), so the figure is right but the expectation
// is not.
TEST_CASE("process stats: 50 MB allocated and touched moves private and PSS memory by 50 MB",
          "[core][monitor][nosan][serial]")
{
    // 50 MB allocated and every page touched: the private figure grows by 50 MB (+-10 %), and
    // freeing it (a block this size is its own mapping) gives the 50 MB back. Pages of a shared
    // library turn private when another process mapping it exits (seen under ctest -j2: +20 MB of
    // libfaust's pages in one reading, and in CI no quiet moment in 5 tries), so this test runs
    // alone ([serial]), and an attempt counts only when the growth and the release agree.
    constexpr std::size_t kBytes = 50u << 20;
    bool measured = false;
    for (int attempt = 0; attempt < 5 && !measured; ++attempt)
    {
        const auto before = readMemoryStats();
        REQUIRE(before.smapsAvailable);
        auto block = std::make_unique<char[]>(kBytes);
        std::memset(block.get(), 1, kBytes);
        const auto after = readMemoryStats();
        block.reset();
        const auto freed = readMemoryStats();
        const double grew = double(after.privateBytes) - double(before.privateBytes);
        const double released = double(after.privateBytes) - double(freed.privateBytes);
        const double pssGrew = double(after.pssBytes) - double(before.pssBytes);
        INFO("attempt " << attempt << ": private grew by " << grew / 1048576.0 << " MB, released "
                        << released / 1048576.0 << " MB; PSS grew by " << pssGrew / 1048576.0 << " MB");
        if (std::abs(grew - released) > 0.05 * double(kBytes))
        {
            WARN("another process changed the shared pages during the reading; again");
            continue;
        }
        CHECK(grew == Approx(double(kBytes)).epsilon(0.10));
        CHECK(pssGrew == Approx(double(kBytes)).epsilon(0.10));
        measured = true;
    }
    CHECK(measured);
}

TEST_CASE("process stats: readSmapsRollup refuses a missing file and one without Pss", "[core][monitor]")
{
    CHECK_FALSE(readSmapsRollup("/nonexistent/smaps_rollup").has_value());
    const std::string path = "/tmp/wb_smaps_test_" + std::to_string(::getpid());
    FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs("00400000-7fff [rollup]\nRss:  300 kB\n", f);
    std::fclose(f);
    CHECK_FALSE(readSmapsRollup(path.c_str()).has_value());
    f = std::fopen(path.c_str(), "w");
    std::fputs("00400000-7fff [rollup]\nRss:  300 kB\nPss:  120 kB\nShared_Clean:  200 kB\n"
               "Shared_Dirty:  4 kB\nPrivate_Clean:  16 kB\nPrivate_Dirty:  80 kB\n", f);
    std::fclose(f);
    const auto r = readSmapsRollup(path.c_str());
    std::remove(path.c_str());
    REQUIRE(r.has_value());
    CHECK(r->privateBytes == 96u * 1024);
    CHECK(r->pssBytes == 120u * 1024);
    CHECK(r->sharedBytes == 204u * 1024);
    CHECK(r->rssBytes == 300u * 1024);
}

TEST_CASE("process stats: thread and process CPU clocks advance with work", "[core][monitor]")
{
    const double p0 = processCpuSeconds();
    const double t0 = currentThreadCpuSeconds();
    const auto self = threadCpuSeconds(pthread_self());
    REQUIRE(self.has_value());
    // Work until this thread's own CPU clock has advanced 50 ms (wall-clock bounded), so the
    // test does not depend on how much CPU a loaded machine grants it.
    volatile double sink = 0.0;
    const double w0 = wallSeconds();
    while (currentThreadCpuSeconds() - t0 < 0.05 && wallSeconds() - w0 < 10.0)
        for (int i = 0; i < 1000; ++i)
            sink = sink + 1.0;
    const double t1 = currentThreadCpuSeconds();
    REQUIRE(t1 - t0 >= 0.05);
    CHECK(wallSeconds() - w0 >= (t1 - t0) * 0.99); // one thread cannot beat the wall clock
    CHECK(processCpuSeconds() - p0 >= t1 - t0 - 1e-3);
    CHECK(*threadCpuSeconds(pthread_self()) >= *self + 0.045); // self was read just after t0
    CHECK(*threadCpuSeconds(pthread_self()) == Approx(currentThreadCpuSeconds()).margin(0.01));

    CpuUsage usage;
    CHECK(usage.update(1.0, 10.0) == 0.0);
    CHECK(usage.update(1.5, 11.0) == Approx(0.5));
}

TEST_CASE("threshold watcher: fires once on crossing, once on recovery, with hysteresis", "[core][monitor]")
{
    ThresholdWatcher w;
    double value = 50.0;
    std::vector<ThresholdWatcher::Event> events;
    w.add("rss MB", [&] { return value; }, 100.0, [&](const auto& e) { events.push_back(e); },
          ThresholdWatcher::Direction::above, 10.0);
    w.poll();
    CHECK(events.empty());
    value = 120.0;
    w.poll();
    w.poll();
    REQUIRE(events.size() == 1);
    CHECK(events[0].crossedIn);
    CHECK(events[0].name == "rss MB");
    CHECK(events[0].value == 120.0);
    CHECK(w.inAlarm(0));
    value = 95.0; // inside the hysteresis band: still alarmed
    w.poll();
    CHECK(events.size() == 1);
    value = 89.0;
    w.poll();
    REQUIRE(events.size() == 2);
    CHECK_FALSE(events[1].crossedIn);

    double headroom = 1.0;
    int fired = 0;
    w.add("free", [&] { return headroom; }, 0.2, [&](const auto&) { ++fired; }, ThresholdWatcher::Direction::below);
    headroom = 0.1;
    w.poll();
    CHECK(fired == 1);
}
