#include "Core/Realtime/FiniteScan.h"
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace
{
// Every case runs through both implementations (the vector one only where the CPU has it) and
// through the dispatching entry point the nodes call.
template <typename Check>
void forEachScan(Check check)
{
    check("portable", &wb::detail::anyNonFinitePortable);
    if (wb::detail::hasVectorFiniteScan())
        check("avx2+fma", &wb::detail::anyNonFiniteVector);
    check("dispatch", &wb::anyNonFinite);
}
} // namespace

TEST_CASE("anyNonFinite finds a NaN or an Inf at every position of every length, and nothing else", "[core][rt]")
{
    const float bad[] = {std::numeric_limits<float>::quiet_NaN(), -std::numeric_limits<float>::quiet_NaN(),
                         std::numeric_limits<float>::signaling_NaN(), std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity()};
    // Finite extremes that must not trip it: the largest float, subnormals, -0.
    const float good[] = {std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                          std::numeric_limits<float>::denorm_min(), -1e-40f, -0.0f, 0.5f};
    forEachScan([&](const char* name, bool (*scan)(const float*, int)) {
        INFO(name);
        // Lengths around the 8- and 32-sample vector steps and the 16-sample chunks, with an
        // offset so that the loads are unaligned too.
        for (int n : {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 128, 513})
        {
            INFO("n = " << n);
            std::vector<float> x(static_cast<size_t>(n) + 1);
            for (int i = 0; i < n; ++i)
                x[static_cast<size_t>(i) + 1] = good[static_cast<size_t>(i) % std::size(good)];
            float* block = x.data() + 1;
            REQUIRE_FALSE(scan(block, n));
            for (int at = 0; at < n; ++at)
                for (float b : bad)
                {
                    const float keep = block[at];
                    block[at] = b;
                    REQUIRE(scan(block, n));
                    block[at] = keep;
                }
        }
    });
}

TEST_CASE("scrubNonFinite zeroes exactly the NaN/Inf samples, says so, and is real-time safe", "[core][rt][nosan]")
{
    std::vector<float> x(64, 0.25f);
    x[3] = std::numeric_limits<float>::quiet_NaN();
    x[40] = -std::numeric_limits<float>::infinity();
    bool found = false;
    REQUIRE_REALTIME_SAFE(found = wb::scrubNonFinite(x.data(), 64));
    CHECK(found);
    for (size_t i = 0; i < x.size(); ++i)
        CHECK(x[i] == (i == 3 || i == 40 ? 0.0f : 0.25f));
    CHECK_FALSE(wb::scrubNonFinite(x.data(), 64));
}

TEST_CASE("the multi-channel scan finds a NaN or an Inf in any channel, only inside its window", "[core][rt][nosan]")
{
    using Scan = bool (*)(const float* const*, int, int, int);
    std::vector<std::pair<const char*, Scan>> scans = {{"portable", &wb::detail::anyNonFinitePortable},
                                                       {"dispatch", &wb::anyNonFinite}};
    if (wb::detail::hasVectorFiniteScan())
        scans.emplace_back("avx2+fma", static_cast<Scan>(&wb::detail::anyNonFiniteVector));
    for (const auto& [name, scan] : scans)
    {
        INFO(name);
        for (int n : {0, 1, 9, 37, 64, 100})
        {
            INFO("n = " << n);
            std::vector<float> a(static_cast<size_t>(n) + 10, 0.5f), b(static_cast<size_t>(n) + 10, -0.5f);
            const float* chans[] = {a.data(), b.data()};
            // Outside the window [3, 3 + n): never seen.
            a[2] = b[static_cast<size_t>(n) + 3] = std::numeric_limits<float>::infinity();
            REQUIRE_FALSE(scan(chans, 2, 3, n));
            for (int at = 3; at < 3 + n; ++at)
            {
                b[static_cast<size_t>(at)] = std::numeric_limits<float>::quiet_NaN();
                REQUIRE(scan(chans, 2, 3, n));
                REQUIRE_FALSE(scan(chans, 1, 3, n)); // channel b not scanned
                b[static_cast<size_t>(at)] = -0.5f;
            }
        }
    }
    std::vector<float> l(64, 1.0f), r(64, 1.0f);
    r[17] = -std::numeric_limits<float>::infinity();
    float* io[] = {l.data(), r.data()};
    bool found = false;
    REQUIRE_REALTIME_SAFE(found = wb::scrubNonFinite(io, 2, 0, 64));
    CHECK(found);
    CHECK(r[17] == 0.0f);
    CHECK(l[17] == 1.0f);
}
