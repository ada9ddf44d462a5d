#include "Core/Realtime/BufferPool.h"
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <set>

TEST_CASE("BufferPool prepare allocates aligned, distinct, zeroed buffers", "[core][rt]")
{
    wb::BufferPool pool;
    REQUIRE(pool.prepare(4, 2, 100));
    const auto s = pool.statsFromUi();
    CHECK(s.capacity == 4);
    CHECK(s.inUse == 0);
    CHECK(s.numChannels == 2);
    CHECK(s.maxFrames == 100);
    CHECK(s.bytes == 4 * 2 * 112 * sizeof(float)); // 100 frames padded to a cache-line multiple

    std::set<float*> channels;
    std::array<wb::PooledBuffer*, 4> held{};
    for (auto& b : held)
    {
        b = pool.acquireOnAudio();
        REQUIRE(b != nullptr);
        REQUIRE(b->numChannels() == 2);
        REQUIRE(b->maxFrames() == 100);
        for (std::size_t ch = 0; ch < 2; ++ch)
        {
            float* p = b->channelData(ch);
            CHECK(reinterpret_cast<std::uintptr_t>(p) % 64 == 0);
            CHECK(p[0] == 0.0f);
            CHECK(p[99] == 0.0f);
            channels.insert(p);
            b->channel(ch)[99] = 1.0f; // every frame writable
        }
    }
    CHECK(channels.size() == 8);
    for (auto* b : held)
        pool.releaseOnAudio(b);

    CHECK_FALSE(pool.prepare(0, 2, 64));
    CHECK(pool.statsFromUi().capacity == 0);
    CHECK(pool.acquireOnAudio() == nullptr);
}

TEST_CASE("BufferPool acquire / release on the audio thread: no allocation, no lock, exact stats",
          "[core][rt][nosan]")
{
    wb::BufferPool pool;
    REQUIRE(pool.prepare(3, 2, 512));

    std::array<wb::PooledBuffer*, 4> got{};
    REQUIRE_REALTIME_SAFE({
        got[0] = pool.acquireOnAudio();
        got[1] = pool.acquireOnAudio();
        got[2] = pool.acquireOnAudio();
        got[3] = pool.acquireOnAudio(); // exhausted: nullptr, counted
        got[0]->clear();
        pool.releaseOnAudio(got[1]);
        pool.releaseOnAudio(got[1]);  // double release: ignored, counted
        pool.releaseOnAudio(nullptr); // ignored, counted
    });
    CHECK(got[0] != nullptr);
    CHECK(got[2] != nullptr);
    CHECK(got[3] == nullptr);
    auto s = pool.statsFromUi();
    CHECK(s.inUse == 2);
    CHECK(s.highWater == 3);
    CHECK(s.failedAcquires == 1);
    CHECK(pool.badReleases() == 2);

    // A released buffer comes back (LIFO: the most recently released, warm in cache).
    wb::PooledBuffer* again = nullptr;
    REQUIRE_REALTIME_SAFE(again = pool.acquireOnAudio());
    CHECK(again == got[1]);

    // Many cycles: no leak, no growth, still zero violations.
    REQUIRE_REALTIME_SAFE({
        for (int i = 0; i < 10000; ++i)
        {
            auto* b = pool.acquireOnAudio();
            if (b != nullptr)
                pool.releaseOnAudio(b);
        }
    });
    pool.releaseOnAudio(again);
    pool.releaseOnAudio(got[0]);
    pool.releaseOnAudio(got[2]);
    s = pool.statsFromUi();
    CHECK(s.inUse == 0);
    CHECK(s.highWater == 3);
    CHECK(pool.badReleases() == 2);
}

TEST_CASE("BufferPool buffers from another pool are refused", "[core][rt]")
{
    wb::BufferPool a;
    wb::BufferPool b;
    REQUIRE(a.prepare(2, 1, 64));
    REQUIRE(b.prepare(2, 1, 64));
    auto* fromA = a.acquireOnAudio();
    b.releaseOnAudio(fromA);
    CHECK(b.badReleases() == 1);
    CHECK(a.statsFromUi().inUse == 1);
    a.releaseOnAudio(fromA);
    CHECK(a.statsFromUi().inUse == 0);
}
