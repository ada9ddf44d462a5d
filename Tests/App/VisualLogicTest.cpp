// The visualisers' pure logic (Source/App/VisualLogic): no window, no JUCE.
#include "App/VisualLogic.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

using namespace wb::app::vis;

TEST_CASE("dB mapping: silence is -inf, unity is 0 dB, the unit map clamps", "[app]")
{
    CHECK(std::isinf(gainToDb(0.0)));
    CHECK(gainToDb(0.0) < 0.0);
    CHECK(gainToDb(1.0) == Approx(0.0));
    CHECK(gainToDb(0.5) == Approx(-6.0206).margin(1e-3));
    CHECK(formatDb(gainToDb(0.0)) == "-inf dB");
    CHECK(formatDb(-6.02) == "-6.0 dB");
    CHECK(dbToUnit(gainToDb(0.0), -60.0, 0.0) == 0.0);
    CHECK(dbToUnit(-30.0, -60.0, 0.0) == Approx(0.5));
    CHECK(dbToUnit(6.0, -60.0, 0.0) == 1.0);
    CHECK(freqToUnit(20.0) == 0.0);
    CHECK(freqToUnit(20000.0) == Approx(1.0));
    CHECK(freqToUnit(std::sqrt(20.0 * 20000.0)) == Approx(0.5));
    CHECK(unitToFreq(freqToUnit(1000.0)) == Approx(1000.0));
}

namespace
{
wb::FrameChunk chunk(std::uint64_t sequence, float startValue)
{
    wb::FrameChunk c;
    c.sequence = sequence;
    c.numSamples = wb::FrameChunk::kMaxSamples;
    for (std::size_t i = 0; i < c.numSamples; ++i)
        c.samples[i] = startValue + static_cast<float>(i);
    return c;
}
} // namespace

TEST_CASE("FrameChunk reassembly: consecutive chunks join, a sequence gap restarts the ring", "[app]")
{
    SampleRing ring(1024);
    ring.push(chunk(10, 0.0f));
    ring.push(chunk(11, 256.0f));
    CHECK(ring.contiguous() == 512);
    CHECK(ring.gaps() == 0);
    std::vector<float> out(300);
    REQUIRE(ring.latest(out));
    CHECK(out.front() == 212.0f);
    CHECK(out.back() == 511.0f);

    ring.push(chunk(13, 1000.0f)); // 12 was dropped by the lossy queue
    CHECK(ring.gaps() == 1);
    CHECK(ring.contiguous() == 256);
    CHECK_FALSE(ring.latest(out)); // 300 contiguous samples are not there: never across a gap
    std::vector<float> small(256);
    REQUIRE(ring.latest(small));
    CHECK(small.front() == 1000.0f);

    for (std::uint64_t s = 14; s < 20; ++s) // wraps around the 1024-sample ring
        ring.push(chunk(s, static_cast<float>(s * 1000)));
    CHECK(ring.contiguous() == 1024);
    std::vector<float> all(1024);
    REQUIRE(ring.latest(all));
    CHECK(all.back() == 19000.0f + 255.0f);
    CHECK(all.front() == 16000.0f);
}

TEST_CASE("Trigger: the last rising zero crossing that leaves a full span after it", "[app]")
{
    const double rate = 48000.0, hz = 1000.0; // 48 samples per period
    std::vector<float> x(1000);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(std::sin(2.0 * std::numbers::pi * hz * (static_cast<double>(i) + 0.5) / rate));
    const long t = findRisingTrigger(x, 480);
    REQUIRE(t >= 1);
    CHECK(static_cast<std::size_t>(t) + 480 <= x.size());
    CHECK(x[static_cast<std::size_t>(t) - 1] < 0.0f);
    CHECK(x[static_cast<std::size_t>(t)] >= 0.0f);
    CHECK(t % 48 == 0);   // on a period boundary
    CHECK(t > 1000 - 480 - 48); // the latest one

    CHECK(findRisingTrigger(std::vector<float>(1000, 0.0f), 480) == -1); // silence: no trigger
    CHECK(findRisingTrigger(x, 2000) == -1);                            // too short for the span

    // Noise around zero does not retrigger with hysteresis: only the big crossing counts.
    std::vector<float> noisy{-1.0f, -0.5f, 0.01f, -0.01f, 0.01f, -0.01f, 0.5f, 1.0f, 1.0f, 1.0f};
    CHECK(findRisingTrigger(noisy, 2, 0.0f, 0.1f) == 2);
    CHECK(findRisingTrigger(noisy, 2, 0.0f, 0.0f) == 6); // without: the latest wiggle
}

TEST_CASE("Spectrum peak hold: follows rises at once, holds, then decays at its rate", "[app]")
{
    PeakHold hold(0.5, 20.0); // held 0.5 s, then -20 dB/s
    std::vector<double> loud{-10.0, -20.0}, quiet{-100.0, -100.0};
    hold.update(loud, 0.0);
    CHECK(hold.values()[0] == -10.0);
    hold.update(quiet, 0.25);
    CHECK(hold.values()[0] == -10.0); // still held
    hold.update(quiet, 0.25);
    CHECK(hold.values()[0] == -10.0); // exactly at the hold time
    hold.update(quiet, 0.5);
    CHECK(hold.values()[0] == Approx(-20.0)); // 0.5 s of decay at 20 dB/s
    CHECK(hold.values()[1] == Approx(-30.0));
    for (int i = 0; i < 100; ++i)
        hold.update(quiet, 0.1);
    CHECK(hold.values()[0] == -100.0); // decays down to the signal, not below
    std::vector<double> rise{-5.0, -100.0};
    hold.update(rise, 0.1);
    CHECK(hold.values()[0] == -5.0);

    // Silence (-inf) is held as -inf and a real value replaces it.
    PeakHold h2(0.5, 20.0);
    std::vector<double> silent{-INFINITY};
    h2.update(silent, 0.0);
    h2.update(silent, 1.0);
    CHECK(std::isinf(h2.values()[0]));
    std::vector<double> some{-40.0};
    h2.update(some, 0.1);
    CHECK(h2.values()[0] == -40.0);
}

TEST_CASE("History keeps the last values, oldest first", "[app]")
{
    History h(3);
    h.push(1.0);
    h.push(2.0);
    CHECK(h.size() == 2);
    CHECK(h.at(0) == 1.0);
    h.push(3.0);
    h.push(4.0);
    CHECK(h.size() == 3);
    CHECK(h.at(0) == 2.0);
    CHECK(h.at(2) == 4.0);
}

TEST_CASE("Repaint gate: a point set moved by at least the tolerance, or resized, counts as changed", "[app]")
{
    const std::vector<float> a{10.0f, 20.0f, 30.0f};
    std::vector<float> b = a;
    CHECK_FALSE(movedBy(a, b, 0.5f));
    b[1] = 20.4f;
    CHECK_FALSE(movedBy(a, b, 0.5f)); // less than half a pixel: the same picture
    b[1] = 20.5f;
    CHECK(movedBy(a, b, 0.5f));
    b[1] = 19.4f;
    CHECK(movedBy(a, b, 0.5f)); // either direction
    CHECK(movedBy(a, std::vector<float>{10.0f, 20.0f}, 0.5f)); // the plot was resized
    CHECK(movedBy(a, std::vector<float>{10.0f, NAN, 30.0f}, 0.5f));
    CHECK_FALSE(movedBy(std::vector<float>{}, std::vector<float>{}, 0.5f));
}

TEST_CASE("Drag to reorder: the drop gap under the pointer and the index the row moves to", "[app]")
{
    // Three rows, 30 px apart: boundaries at 0, 30, 60, 90; the nearest boundary wins.
    CHECK(dropGapForY(-50.0, 30.0, 3) == 0);
    CHECK(dropGapForY(14.0, 30.0, 3) == 0);
    CHECK(dropGapForY(16.0, 30.0, 3) == 1);
    CHECK(dropGapForY(44.0, 30.0, 3) == 1);
    CHECK(dropGapForY(46.0, 30.0, 3) == 2);
    CHECK(dropGapForY(85.0, 30.0, 3) == 3);
    CHECK(dropGapForY(400.0, 30.0, 3) == 3);
    CHECK(dropGapForY(10.0, 30.0, 0) == 0);
    CHECK(dropGapForY(10.0, 0.0, 3) == 0);

    // Row 0 of [A, B, C] dropped below C (gap 3) ends at index 2: [B, C, A].
    CHECK(dropTargetIndex(0, 3, 3) == 2);
    CHECK(dropTargetIndex(0, 2, 3) == 1); // between B and C: [B, A, C]
    CHECK(dropTargetIndex(2, 0, 3) == 0); // C to the top: [C, A, B]
    CHECK(dropTargetIndex(2, 1, 3) == 1); // C between A and B
    // The gaps right above and below a row leave it where it is.
    for (int from = 0; from < 3; ++from)
    {
        CHECK(dropTargetIndex(from, from, 3) == from);
        CHECK(dropTargetIndex(from, from + 1, 3) == from);
    }
    CHECK(dropTargetIndex(3, 0, 3) == -1);
    CHECK(dropTargetIndex(-1, 0, 3) == -1);
    CHECK(dropTargetIndex(0, 4, 3) == -1);

    // Every (from, gap) of a 4-row list, applied as moveEffectFromUi does (erase, insert), puts the
    // row exactly into the gap the marker showed: the rows above the gap stay above it.
    for (int from = 0; from < 4; ++from)
        for (int gap = 0; gap <= 4; ++gap)
        {
            std::vector<int> rows{0, 1, 2, 3};
            const int to = dropTargetIndex(from, gap, 4);
            REQUIRE(to >= 0);
            rows.erase(rows.begin() + from);
            rows.insert(rows.begin() + to, from);
            // Rows that were above the gap (other than the moved one) come before it.
            for (int r = 0; r < 4; ++r)
            {
                if (r == from)
                    continue;
                const auto posR = std::find(rows.begin(), rows.end(), r) - rows.begin();
                const auto posMoved = std::find(rows.begin(), rows.end(), from) - rows.begin();
                CHECK((r < gap) == (posR < posMoved));
            }
        }
}
