// The real-time guard must be shown to fire: each fail_* case does something forbidden on purpose
// inside a guard and checks that it was counted. Under ThreadSanitizer (and ASan) the interposer is
// compiled out and nothing can be counted: these cases are tagged [nosan], which those builds
// register DISABLED in ctest (listed as "Not Run (Disabled)"); run there by hand, they fail.
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

namespace
{
// Keeps the optimiser from eliding a new/delete pair (allowed since C++14).
void* volatile gSink = nullptr;

struct alignas(128) OverAligned
{
    float data[32];
};

/// The guard can count in this build (else the test fails, with the reason).
void requireGuard()
{
    INFO("the real-time guard's interposer is compiled out in this (sanitizer) build");
    REQUIRE(wb::test::RealtimeGuard::available());
}
} // namespace

TEST_CASE("fail_new: the real-time guard catches a deliberate operator new and delete", "[core][rt][nosan]")
{
    requireGuard();
    const auto c = wb::test::countRealtimeViolations([] {
        auto* p = new int(42);
        gSink = p;
        delete p;
    });
    CHECK(c.allocations == 1);
    CHECK(c.deallocations == 1);
    CHECK_FALSE(c.clean());

    // Arrays, over-aligned new and sized delete go through the same allocator.
    const auto arrays = wb::test::countRealtimeViolations([] {
        auto* a = new double[100];
        gSink = a;
        delete[] a;
        auto* o = new OverAligned;
        gSink = o;
        delete o;
        std::vector<int> v;
        v.push_back(1);
        gSink = v.data();
    });
    CHECK(arrays.allocations == 3);
    CHECK(arrays.deallocations == 3);
}

TEST_CASE("fail_malloc: the real-time guard catches malloc, calloc, realloc and free", "[core][rt][nosan]")
{
    requireGuard();
    const auto c = wb::test::countRealtimeViolations([] {
        void* p = std::malloc(64);
        gSink = p;
        p = std::realloc(p, 4096);
        gSink = p;
        std::free(p);
        void* q = std::calloc(4, 16);
        gSink = q;
        std::free(q);
        void* r = std::aligned_alloc(64, 256);
        gSink = r;
        std::free(r);
        void* s = nullptr;
        if (posix_memalign(&s, 64, 128) == 0)
            std::free(s);
    });
    CHECK(c.allocations == 5);
    CHECK(c.deallocations == 4);
    CHECK(c.locks == 0);
}

TEST_CASE("fail_mutex: the real-time guard catches a deliberate std::mutex lock", "[core][rt][nosan]")
{
    requireGuard();
    std::mutex mutex;
    std::shared_mutex shared;
    const auto c = wb::test::countRealtimeViolations([&] {
        {
            const std::lock_guard<std::mutex> lock(mutex);
        }
        if (mutex.try_lock())
            mutex.unlock();
        {
            const std::shared_lock<std::shared_mutex> read(shared);
        }
        {
            const std::unique_lock<std::shared_mutex> write(shared);
        }
    });
    CHECK(c.locks == 4);
    CHECK(c.allocations == 0);
    CHECK_FALSE(c.clean());
}

TEST_CASE("fail_sleep: the real-time guard catches a sleep", "[core][rt][nosan]")
{
    requireGuard();
    const auto c =
        wb::test::countRealtimeViolations([] { std::this_thread::sleep_for(std::chrono::microseconds(1)); });
    CHECK(c.sleeps == 1);
}

TEST_CASE("The real-time guard counts nothing for real-time safe code and outside its scope", "[core][rt][nosan]")
{
    requireGuard();
    // Allocations outside the guard are not counted.
    auto outside = std::make_unique<std::vector<int>>(100);
    float acc = 0.0f;
    const auto c = wb::test::countRealtimeViolations([&] {
        for (int i = 0; i < 100; ++i)
            acc += static_cast<float>((*outside)[static_cast<std::size_t>(i)] + i);
    });
    CHECK(acc > 0.0f);
    CHECK(c.clean());
    REQUIRE_REALTIME_SAFE(acc *= 0.5f);
}

TEST_CASE("The real-time guard counts only its own thread, and guards nest", "[core][rt][nosan]")
{
    requireGuard();
    wb::test::RealtimeGuard outer;
    // Another thread allocating while our guard is active does not count against us. (Creating
    // the thread itself allocates on this thread, so measure around the work only.)
    std::unique_ptr<std::thread> worker;
    {
        worker = std::make_unique<std::thread>([] {
            for (int i = 0; i < 100; ++i)
                gSink = new int(i), delete static_cast<int*>(gSink);
        });
    }
    const auto beforeJoin = outer.counts();
    wb::test::RealtimeCounts inner;
    {
        wb::test::RealtimeGuard nested;
        gSink = std::malloc(8);
        std::free(gSink);
        inner = nested.counts();
    }
    worker->join();
    const auto total = outer.counts();
    CHECK(inner.allocations == 1);
    CHECK(inner.deallocations == 1);
    // The worker's 100 allocations never reach this thread's counters.
    CHECK(total.allocations - beforeJoin.allocations < 10);
}

TEST_CASE("A guard that cannot count never reads clean", "[core][rt]")
{
    // Runs in every build: in a sanitizer build the reading says "not measured" and is not clean,
    // so no REQUIRE_REALTIME_SAFE can pass there without counting.
    const auto c = wb::test::countRealtimeViolations([] {});
    CHECK(c.measured == wb::test::RealtimeGuard::available());
    CHECK(c.clean() == wb::test::RealtimeGuard::available());
    wb::test::RealtimeCounts unmeasured;
    unmeasured.measured = false;
    CHECK_FALSE(unmeasured.clean());
    CHECK_THAT(unmeasured.describe(), Catch::Contains("not measured"));
    wb::test::RealtimeCounts sum;
    sum += unmeasured;
    CHECK_FALSE(sum.clean());
    CHECK_FALSE(wb::test::currentThreadCounts().since(unmeasured).clean());
}

TEST_CASE("fail_thread: a guard for the rest of a thread counts outside any scope, on that thread only",
          "[core][rt][nosan]")
{
    requireGuard();
    wb::test::RealtimeCounts before, after;
    std::thread worker([&] {
        wb::test::guardRestOfThisThread();
        wb::test::guardRestOfThisThread(); // idempotent
        before = wb::test::currentThreadCounts();
        gSink = std::malloc(16); // no RealtimeGuard object alive: still counted
        std::free(gSink);
        after = wb::test::currentThreadCounts();
    });
    worker.join();
    const auto c = after.since(before);
    CHECK(c.allocations == 1);
    CHECK(c.deallocations == 1);
    // This thread is not guarded: its own allocations are not counted.
    const auto mine = wb::test::currentThreadCounts();
    gSink = std::malloc(16);
    std::free(gSink);
    CHECK(wb::test::currentThreadCounts().since(mine).total() == 0);
}
