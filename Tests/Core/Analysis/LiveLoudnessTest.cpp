// LiveLoudness (the meters panel's and `monitor`'s loudness) fed as the engine feeds it: outputs 1
// and 2 in 256-sample scope chunks with sequence numbers. The answers are EBU Tech 3341's (the
// signals it defines and the loudness it says a meter must read, within +-0.1 LU), the analytic
// true peak of a 1 kHz sine (its sample peak), and exact frame counts for the gaps.
#include "Core/Analysis/LiveLoudness.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <set>
#include <vector>

namespace
{
constexpr double kRate = 48000.0;

/// Makes scope chunks of a stereo (both outputs the same) 1 kHz sine in segments of
/// (seconds, dBFS peak), as the audio thread fills them, and hands them to `sink` in the order
/// the audio thread pushes them (output 1, then output 2, same sequence). `drop(seq, channel)`
/// leaves a chunk out, as a full ring does.
template <typename Sink, typename Drop>
std::int64_t feedSine(const std::vector<std::pair<double, double>>& segments, Sink&& sink, Drop&& drop,
                      std::uint64_t firstIndex = 0)
{
    std::vector<float> x;
    std::int64_t n = 0;
    for (const auto& [seconds, dbfs] : segments)
    {
        const auto frames = static_cast<std::int64_t>(std::llround(seconds * kRate));
        const double a = std::pow(10.0, dbfs / 20.0);
        for (std::int64_t k = 0; k < frames; ++k, ++n)
            x.push_back(static_cast<float>(a * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(n) / kRate)));
    }
    wb::FrameChunk c;
    c.kind = wb::FrameKind::scope;
    std::uint64_t seq = 0;
    for (std::size_t at = 0; at < x.size(); at += wb::FrameChunk::kMaxSamples, ++seq)
    {
        const auto len = std::min<std::size_t>(wb::FrameChunk::kMaxSamples, x.size() - at);
        c.numSamples = static_cast<std::uint32_t>(len);
        c.sequence = seq;
        c.firstSampleIndex = firstIndex + at;
        std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(at), len, c.samples.begin());
        for (std::uint32_t ch = 0; ch < 2; ++ch)
        {
            c.channel = ch;
            if (!drop(seq, ch))
                sink(c);
        }
    }
    return static_cast<std::int64_t>(x.size());
}

auto noDrops = [](std::uint64_t, std::uint32_t) { return false; };
} // namespace

TEST_CASE("live loudness: EBU Tech 3341 cases 1 and 2 (stereo 1 kHz at -23 and -33 dBFS) read -23.0 and -33.0 LUFS "
          "momentary, short-term and integrated",
          "[loudness][live]")
{
    for (const double level : {-23.0, -33.0})
    {
        wb::LiveLoudness live;
        live.start(kRate, 2);
        const auto frames = feedSine({{20.0, level}}, [&](const wb::FrameChunk& c) { live.push(c); }, noDrops);
        const auto f = live.figures();
        INFO("level " << level);
        REQUIRE(f.running);
        CHECK(f.numChannels == 2);
        REQUIRE(f.integratedLufs.has_value());
        CHECK(*f.integratedLufs == Approx(level).margin(0.1));
        REQUIRE(f.momentaryLufs.has_value());
        CHECK(*f.momentaryLufs == Approx(level).margin(0.1));
        REQUIRE(f.shortTermLufs.has_value());
        CHECK(*f.shortTermLufs == Approx(level).margin(0.1));
        // A steady tone has no loudness range (EBU Tech 3342: the spread of short-term values).
        REQUIRE(f.rangeLu.has_value());
        CHECK(*f.rangeLu == Approx(0.0).margin(0.1));
        // The true peak of a 1 kHz sine at 48 kHz is its peak (every 48th sample is a crest).
        REQUIRE(f.truePeakDbtp.has_value());
        CHECK(*f.truePeakDbtp == Approx(level).margin(0.05));
        CHECK(f.framesMeasured == frames);
        CHECK(f.framesLost == 0);
    }
}

TEST_CASE("live loudness: EBU Tech 3341 case 3 (-36, -23, -36 dBFS for 10, 60, 10 s) is gated to -23.0 LUFS integrated",
          "[loudness][live]")
{
    wb::LiveLoudness live;
    live.start(kRate, 2);
    feedSine({{10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}}, [&](const wb::FrameChunk& c) { live.push(c); }, noDrops);
    const auto f = live.figures();
    REQUIRE(f.integratedLufs.has_value());
    CHECK(*f.integratedLufs == Approx(-23.0).margin(0.1));
    // The last 3 s are all at -36 dBFS.
    REQUIRE(f.shortTermLufs.has_value());
    CHECK(*f.shortTermLufs == Approx(-36.0).margin(0.1));
}

TEST_CASE("live loudness: chunks the ring dropped are counted lost to the frame and never measured as silence",
          "[loudness][live]")
{
    wb::LiveLoudness live;
    live.start(kRate, 2);
    // Output 2's chunk of sequence 100 (its pair cannot be measured), both chunks of 200 and 201,
    // output 1's of 300: four pairs, 4 x 256 frames.
    const std::set<std::pair<std::uint64_t, std::uint32_t>> dropped{{100, 1}, {200, 0}, {200, 1}, {201, 0}, {201, 1}, {300, 0}};
    const auto frames = feedSine({{10.0, -23.0}}, [&](const wb::FrameChunk& c) { live.push(c); },
                                 [&](std::uint64_t seq, std::uint32_t ch) { return dropped.count({seq, ch}) != 0; });
    const auto f = live.figures();
    CHECK(f.framesLost == 4 * 256);
    CHECK(f.framesMeasured == frames - 4 * 256);
    // What was measured is the tone: the gaps did not pull the loudness down as silence would.
    REQUIRE(f.integratedLufs.has_value());
    CHECK(*f.integratedLufs == Approx(-23.0).margin(0.1));
    REQUIRE(f.momentaryLufs.has_value());
    CHECK(*f.momentaryLufs == Approx(-23.0).margin(0.1));
}

TEST_CASE("live loudness: mono, a restarted device, reset and rates it cannot measure", "[loudness][live]")
{
    SECTION("mono: output 1 alone, counted once (BS.1770: -23 dBFS reads -26.0 LUFS)")
    {
        wb::LiveLoudness live;
        live.start(kRate, 1);
        feedSine({{5.0, -23.0}}, [&](const wb::FrameChunk& c) { live.push(c); }, noDrops);
        const auto f = live.figures();
        CHECK(f.numChannels == 1);
        REQUIRE(f.integratedLufs.has_value());
        CHECK(*f.integratedLufs == Approx(-26.0).margin(0.1));
    }
    SECTION("a sample index that goes back (the device restarted) loses nothing; reset forgets everything")
    {
        wb::LiveLoudness live;
        live.start(kRate, 2);
        const auto sink = [&](const wb::FrameChunk& c) { live.push(c); };
        const auto a = feedSine({{2.0, -23.0}}, sink, noDrops, 1'000'000);
        const auto b = feedSine({{2.0, -23.0}}, sink, noDrops, 0);
        auto f = live.figures();
        CHECK(f.framesLost == 0);
        CHECK(f.framesMeasured == a + b);
        live.reset();
        f = live.figures();
        CHECK(f.running);
        CHECK(f.framesMeasured == 0);
        CHECK_FALSE(f.integratedLufs.has_value());
        CHECK_FALSE(f.momentaryLufs.has_value());
        CHECK_FALSE(f.truePeakDbtp.has_value());
        feedSine({{1.0, -33.0}}, sink, noDrops);
        f = live.figures();
        REQUIRE(f.integratedLufs.has_value());
        CHECK(*f.integratedLufs == Approx(-33.0).margin(0.1)); // nothing of the -23 dBFS before
    }
    SECTION("a rate libebur128 cannot take, and a stopped meter, measure nothing")
    {
        wb::LiveLoudness live;
        live.start(44100.5, 2);
        CHECK_FALSE(live.figures().running);
        live.start(kRate, 2);
        CHECK(live.running());
        live.stop();
        feedSine({{1.0, -23.0}}, [&](const wb::FrameChunk& c) { live.push(c); }, noDrops);
        CHECK_FALSE(live.figures().running);
        CHECK(live.figures().framesMeasured == 0);
    }
}
