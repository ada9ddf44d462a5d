// Deterministic tests of every SpscRing edge: empty, full, wrap-around, a batch across the wrap,
// and the full-ring counter. Threaded invariants live in SpscRingThreadedTest.cpp.
#include "Core/Realtime/SpscRing.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

namespace
{
struct Pod
{
    std::uint32_t a = 0;
    double b = 0.0;
};
} // namespace

TEST_CASE("SpscRing capacity is the next power of two", "[core][rt]")
{
    CHECK(wb::SpscRing<int>(0).capacity() == 1);
    CHECK(wb::SpscRing<int>(1).capacity() == 1);
    CHECK(wb::SpscRing<int>(3).capacity() == 4);
    CHECK(wb::SpscRing<int>(8).capacity() == 8);
    CHECK(wb::SpscRing<int>(1000).capacity() == 1024);
    static_assert(wb::nextPowerOfTwo(65) == 128);
}

TEST_CASE("SpscRing empty ring pops nothing and leaves the output alone", "[core][rt]")
{
    wb::SpscRing<int> ring(4);
    int out = 42;
    CHECK_FALSE(ring.tryPop(out));
    CHECK(out == 42);
    std::array<int, 3> batch{7, 7, 7};
    CHECK(ring.tryPopBatch(batch) == 0);
    CHECK(batch == std::array<int, 3>{7, 7, 7});
    CHECK(ring.sizeApprox() == 0);
    CHECK(ring.fullRejections() == 0);

    // Push one, pop one: empty again.
    REQUIRE(ring.tryPush(5));
    REQUIRE(ring.tryPop(out));
    CHECK(out == 5);
    CHECK_FALSE(ring.tryPop(out));
}

TEST_CASE("SpscRing full ring refuses and counts, never overwrites", "[core][rt]")
{
    wb::SpscRing<Pod> ring(4);
    for (std::uint32_t i = 0; i < 4; ++i)
        REQUIRE(ring.tryPush(Pod{i, i * 0.5}));
    CHECK(ring.sizeApprox() == 4);
    CHECK_FALSE(ring.tryPush(Pod{99, 99.0}));
    CHECK_FALSE(ring.tryPush(Pod{98, 98.0}));
    CHECK(ring.fullRejections() == 2);
    const std::array<Pod, 3> more{};
    CHECK(ring.tryPushBatch(more) == 0);
    CHECK(ring.fullRejections() == 5);
    CHECK(ring.totalPushed() == 4);

    // The original four come out intact and in order; the refused ones never appear.
    Pod out;
    for (std::uint32_t i = 0; i < 4; ++i)
    {
        REQUIRE(ring.tryPop(out));
        CHECK(out.a == i);
        CHECK(out.b == i * 0.5);
    }
    CHECK_FALSE(ring.tryPop(out));

    // After a pop there is room again.
    REQUIRE(ring.tryPush(Pod{7, 7.0}));
    REQUIRE(ring.tryPop(out));
    CHECK(out.a == 7);
}

TEST_CASE("SpscRing single items wrap around many times in order", "[core][rt]")
{
    wb::SpscRing<std::uint64_t> ring(8);
    std::uint64_t next = 0;
    std::uint64_t expected = 0;
    // Keep between 0 and 5 items in flight so head and tail cross the wrap at every phase.
    for (int round = 0; round < 1000; ++round)
    {
        const int pushes = 1 + round % 5;
        for (int i = 0; i < pushes; ++i)
            REQUIRE(ring.tryPush(next++));
        for (int i = 0; i < pushes; ++i)
        {
            std::uint64_t v = 0;
            REQUIRE(ring.tryPop(v));
            REQUIRE(v == expected++);
        }
    }
    CHECK(ring.sizeApprox() == 0);
    CHECK(ring.fullRejections() == 0);
    CHECK(ring.totalPushed() == next);
}

TEST_CASE("SpscRing batch across the wrap keeps order", "[core][rt]")
{
    wb::SpscRing<int> ring(8);
    // Move both indices to 6 so the next batch of 5 splits 2 + 3 across the end of storage.
    for (int i = 0; i < 6; ++i)
        REQUIRE(ring.tryPush(-1));
    std::array<int, 6> drain{};
    REQUIRE(ring.tryPopBatch(drain) == 6);

    const std::array<int, 5> in{10, 11, 12, 13, 14};
    REQUIRE(ring.tryPushBatch(in) == 5);
    CHECK(ring.sizeApprox() == 5);

    // Pop across the wrap in an uneven split: 3 then 2.
    std::array<int, 3> first{};
    REQUIRE(ring.tryPopBatch(first) == 3);
    CHECK(first == std::array<int, 3>{10, 11, 12});
    std::array<int, 8> rest{};
    REQUIRE(ring.tryPopBatch(rest) == 2);
    CHECK(rest[0] == 13);
    CHECK(rest[1] == 14);
    CHECK(ring.sizeApprox() == 0);
}

TEST_CASE("SpscRing partial batch push takes the prefix that fits", "[core][rt]")
{
    wb::SpscRing<int> ring(8);
    std::vector<int> in(12);
    std::iota(in.begin(), in.end(), 0);
    CHECK(ring.tryPushBatch(std::span<const int>(in)) == 8);
    CHECK(ring.fullRejections() == 4);
    std::array<int, 8> out{};
    REQUIRE(ring.tryPopBatch(out) == 8);
    for (int i = 0; i < 8; ++i)
        CHECK(out[static_cast<std::size_t>(i)] == i);

    // Empty spans are no-ops on both sides.
    CHECK(ring.tryPushBatch(std::span<const int>()) == 0);
    CHECK(ring.tryPopBatch(std::span<int>()) == 0);
    CHECK(ring.fullRejections() == 4);
}

TEST_CASE("SpscRing batch wrap at every start offset", "[core][rt]")
{
    // For each start position 0..capacity-1 and each batch size 1..capacity, a batch pushed and
    // popped there round-trips exactly.
    constexpr std::size_t cap = 16;
    wb::SpscRing<std::uint32_t> ring(cap);
    std::uint32_t value = 0;
    for (std::size_t offset = 0; offset < cap; ++offset)
    {
        for (std::size_t n = 1; n <= cap; ++n)
        {
            // Advance both indices so that (index & mask) == offset.
            while ((ring.totalPushed() & (cap - 1)) != offset)
            {
                REQUIRE(ring.tryPush(0));
                std::uint32_t sink = 0;
                REQUIRE(ring.tryPop(sink));
            }
            std::array<std::uint32_t, cap> in{};
            for (std::size_t i = 0; i < n; ++i)
                in[i] = value + static_cast<std::uint32_t>(i);
            REQUIRE(ring.tryPushBatch(std::span<const std::uint32_t>(in.data(), n)) == n);
            std::array<std::uint32_t, cap> out{};
            REQUIRE(ring.tryPopBatch(std::span<std::uint32_t>(out.data(), cap)) == n);
            for (std::size_t i = 0; i < n; ++i)
                REQUIRE(out[i] == value + i);
            value += static_cast<std::uint32_t>(n);
        }
    }
    CHECK(ring.fullRejections() == 0);
}
