// Loudness (Core/Analysis/Loudness, libebur128) against the independent answers the EBU publishes:
// the EBU Tech 3341 (loudness metering, 2016) and Tech 3342 (loudness range, 2016) minimum
// requirement signals, generated here from their definitions (1 kHz sines at stated dBFS levels
// and durations), measured within the documents' tolerances; the true peak of a sine whose
// samples all miss its crest, against the analytic crest.
#include "Core/Analysis/Loudness.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <random>
#include <vector>

namespace
{
constexpr double kRate = 48000.0;

struct Segment
{
    double seconds;
    double dbfs; ///< sine amplitude (peak) in dBFS; a stereo 1 kHz sine at X dBFS is X LUFS by definition
};

using Planar = std::vector<std::vector<float>>;

/// A 1 kHz sine (continuous phase across segments) whose amplitude steps through `segments`,
/// on `channels` channels with per-channel offsets in dB (none: 0 dB on each).
Planar toneSegments(const std::vector<Segment>& segments, int channels, const std::vector<double>& offsetsDb = {},
                    double freq = 1000.0)
{
    Planar out(static_cast<std::size_t>(channels));
    std::int64_t n = 0;
    for (const auto& s : segments)
    {
        const auto frames = static_cast<std::int64_t>(std::llround(s.seconds * kRate));
        for (std::int64_t i = 0; i < frames; ++i, ++n)
        {
            const double x = std::sin(2.0 * std::numbers::pi * freq * static_cast<double>(n) / kRate);
            for (int ch = 0; ch < channels; ++ch)
            {
                const double off = offsetsDb.empty() ? 0.0 : offsetsDb[static_cast<std::size_t>(ch)];
                out[static_cast<std::size_t>(ch)].push_back(static_cast<float>(std::pow(10.0, (s.dbfs + off) / 20.0) * x));
            }
        }
    }
    return out;
}

std::vector<const float*> pointers(const Planar& p, std::int64_t offset = 0)
{
    std::vector<const float*> ptrs;
    for (const auto& ch : p)
        ptrs.push_back(ch.data() + offset);
    return ptrs;
}

wb::LoudnessSummary measure(const Planar& p, bool truePeak = false)
{
    wb::LoudnessMeter m(static_cast<int>(p.size()), kRate, truePeak);
    m.add(pointers(p).data(), static_cast<std::int64_t>(p.front().size()));
    return m.summary();
}

/// Feeds `p` in 100 ms steps and returns the momentary (or short-term) value after each step
/// once its window is complete.
std::vector<double> readingsEveryStep(const Planar& p, bool shortTerm)
{
    wb::LoudnessMeter m(static_cast<int>(p.size()), kRate, false);
    const std::int64_t step = static_cast<std::int64_t>(kRate / 10);
    std::vector<double> values;
    const auto total = static_cast<std::int64_t>(p.front().size());
    for (std::int64_t at = 0; at + step <= total; at += step)
    {
        m.add(pointers(p, at).data(), step);
        const auto v = shortTerm ? m.shortTermLufs() : m.momentaryLufs();
        if (v)
            values.push_back(*v);
    }
    return values;
}
} // namespace

TEST_CASE("loudness: EBU Tech 3341 cases 1-2, stereo 1 kHz at -23 and -33 dBFS", "[core][analysis][loudness]")
{
    const auto a = measure(toneSegments({{20.0, -23.0}}, 2));
    REQUIRE(a.integratedLufs);
    CHECK(*a.integratedLufs == Approx(-23.0).margin(0.1));
    // A steady tone: every complete window reads the same.
    REQUIRE(a.momentaryMaxLufs);
    REQUIRE(a.shortTermMaxLufs);
    CHECK(*a.momentaryMaxLufs == Approx(-23.0).margin(0.1));
    CHECK(*a.shortTermMaxLufs == Approx(-23.0).margin(0.1));
    // Peaks of a 1 kHz sine at 48 kHz: the crest falls on a sample (48 samples per period).
    REQUIRE(a.samplePeakDbfs);
    CHECK(*a.samplePeakDbfs == Approx(-23.0).margin(0.01));

    const auto b = measure(toneSegments({{20.0, -33.0}}, 2));
    REQUIRE(b.integratedLufs);
    CHECK(*b.integratedLufs == Approx(-33.0).margin(0.1));
}

TEST_CASE("loudness: EBU Tech 3341 cases 3-5, the gates leave out the quiet segments", "[core][analysis][loudness]")
{
    // Case 3: the relative gate (-10 LU below the ungated level) removes the -36 dBFS parts.
    const auto c3 = measure(toneSegments({{10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}}, 2));
    REQUIRE(c3.integratedLufs);
    CHECK(*c3.integratedLufs == Approx(-23.0).margin(0.1));
    // Case 4: the absolute gate (-70 LUFS) removes the -72 dBFS parts as well.
    const auto c4 = measure(toneSegments({{10.0, -72.0}, {10.0, -36.0}, {60.0, -23.0}, {10.0, -36.0}, {10.0, -72.0}}, 2));
    REQUIRE(c4.integratedLufs);
    CHECK(*c4.integratedLufs == Approx(-23.0).margin(0.1));
    // Case 5: -26, -20, -26 dBFS, all above the gates: energy mean is -23.
    const auto c5 = measure(toneSegments({{20.0, -26.0}, {20.1, -20.0}, {20.0, -26.0}}, 2));
    REQUIRE(c5.integratedLufs);
    CHECK(*c5.integratedLufs == Approx(-23.0).margin(0.1));
}

TEST_CASE("loudness: EBU Tech 3341 case 6, 5.0 and 5.1 channel weights (the LFE not counted)",
          "[core][analysis][loudness]")
{
    // L, R at -28 dBFS, C at -24, Ls, Rs at -30 (surrounds weighted +1.5 dB): -23.0 LUFS.
    const auto five = measure(toneSegments({{20.0, 0.0}}, 5, {-28.0, -28.0, -24.0, -30.0, -30.0}));
    CHECK(std::string(wb::loudnessLayoutName(5)) == "5.0");
    REQUIRE(five.integratedLufs);
    CHECK(*five.integratedLufs == Approx(-23.0).margin(0.1));
    // The same in 5.1 order (L R C LFE Ls Rs) with a loud LFE: it must not count.
    const auto six = measure(toneSegments({{20.0, 0.0}}, 6, {-28.0, -28.0, -24.0, -6.0, -30.0, -30.0}));
    REQUIRE(six.integratedLufs);
    CHECK(*six.integratedLufs == Approx(-23.0).margin(0.1));
}

TEST_CASE("loudness: EBU Tech 3341 case 9, short-term reads -23 at every step of a 3 s periodic signal",
          "[core][analysis][loudness]")
{
    // 20 x (1.34 s at -20 dBFS + 1.66 s at -30 dBFS): every 3 s window holds both parts whole.
    std::vector<Segment> segs;
    for (int i = 0; i < 20; ++i)
    {
        segs.push_back({1.34, -20.0});
        segs.push_back({1.66, -30.0});
    }
    const auto values = readingsEveryStep(toneSegments(segs, 2), true);
    REQUIRE(values.size() >= 500); // 57 s of complete windows at 10 Hz
    for (double v : values)
        REQUIRE(v == Approx(-23.0).margin(0.1));
}

TEST_CASE("loudness: EBU Tech 3341 case 12 style, momentary reads -23 at every step of a 0.4 s periodic signal",
          "[core][analysis][loudness]")
{
    // 25 x (0.18 s at -20 dBFS + 0.22 s at -30 dBFS): every 400 ms window holds both parts whole.
    std::vector<Segment> segs;
    for (int i = 0; i < 25; ++i)
    {
        segs.push_back({0.18, -20.0});
        segs.push_back({0.22, -30.0});
    }
    const auto values = readingsEveryStep(toneSegments(segs, 2), false);
    REQUIRE(values.size() >= 90);
    for (double v : values)
        REQUIRE(v == Approx(-23.0).margin(0.1));
    // And a single 400 ms burst at -20 dBFS in silence: the momentary maximum is its level, -20.
    const auto burst = measure(toneSegments({{1.0, -200.0}, {0.4, -20.0}, {1.0, -200.0}}, 2));
    REQUIRE(burst.momentaryMaxLufs);
    CHECK(*burst.momentaryMaxLufs == Approx(-20.0).margin(0.1));
}

TEST_CASE("loudness: EBU Tech 3342 cases 1-4, loudness range of alternating levels", "[core][analysis][loudness]")
{
    struct Case
    {
        std::vector<Segment> segs;
        double lra;
    };
    const std::vector<Case> cases = {
        {{{20.0, -20.0}, {20.0, -30.0}}, 10.0},
        {{{20.0, -20.0}, {20.0, -15.0}}, 5.0},
        {{{20.0, -40.0}, {20.0, -20.0}}, 20.0},
        {{{20.0, -50.0}, {20.0, -35.0}, {20.0, -20.0}, {20.0, -35.0}, {20.0, -50.0}}, 15.0},
    };
    for (const auto& c : cases)
    {
        const auto s = measure(toneSegments(c.segs, 2));
        INFO("expected LRA " << c.lra);
        REQUIRE(s.rangeLu);
        CHECK(*s.rangeLu == Approx(c.lra).margin(1.0));
    }
}

TEST_CASE("loudness: true peak of an fs/4 sine whose samples all miss the crest", "[core][analysis][loudness]")
{
    // sin(2 pi n / 4 + pi / 4): every sample is +-0.7071 of the amplitude, 3.01 dB below the crest.
    const double amplitude = 0.5; // -6.02 dBFS
    Planar p(2);
    for (int n = 0; n < 48000; ++n)
    {
        const auto x = static_cast<float>(amplitude * std::sin(std::numbers::pi * (n / 2.0 + 0.25)));
        p[0].push_back(x);
        p[1].push_back(0.5f * x);
    }
    const auto s = measure(p, true);
    const double crest = 20.0 * std::log10(amplitude);
    REQUIRE(s.truePeakDbtp);
    REQUIRE(s.samplePeakDbfs);
    CHECK(*s.truePeakDbtp == Approx(crest).margin(0.2));
    CHECK(*s.samplePeakDbfs == Approx(crest - 3.0103).margin(0.01));
    // Per channel: the second channel is 6.02 dB lower.
    REQUIRE(s.channelTruePeakDbtp.size() == 2);
    REQUIRE(s.channelTruePeakDbtp[1]);
    CHECK(*s.channelTruePeakDbtp[1] == Approx(crest - 6.0206).margin(0.2));
}

TEST_CASE("loudness: mono counts the channel once (BS.1770, no dual-mono)", "[core][analysis][loudness]")
{
    // One channel of a -23 dBFS sine carries half the power of the stereo pair: -26.01 LUFS.
    const auto s = measure(toneSegments({{10.0, -23.0}}, 1));
    CHECK(std::string(wb::loudnessLayoutName(1)) == "mono");
    REQUIRE(s.integratedLufs);
    CHECK(*s.integratedLufs == Approx(-23.0 - 10.0 * std::log10(2.0)).margin(0.1));
}

TEST_CASE("loudness: silence, too short, and unknown layouts give no number", "[core][analysis][loudness]")
{
    const Planar silence(2, std::vector<float>(48000 * 5, 0.0f));
    const auto s = measure(silence, true);
    CHECK_FALSE(s.integratedLufs);
    CHECK_FALSE(s.rangeLu);
    CHECK_FALSE(s.momentaryMaxLufs);
    CHECK_FALSE(s.shortTermMaxLufs);
    CHECK_FALSE(s.samplePeakDbfs);
    CHECK_FALSE(s.truePeakDbtp);

    // 0.3 s: no complete 400 ms block, so no loudness at all; the peak is still measured.
    const auto shortTone = measure(toneSegments({{0.3, -10.0}}, 2), true);
    CHECK_FALSE(shortTone.integratedLufs);
    CHECK_FALSE(shortTone.momentaryMaxLufs);
    CHECK_FALSE(shortTone.rangeLu);
    REQUIRE(shortTone.samplePeakDbfs);
    CHECK(*shortTone.samplePeakDbfs == Approx(-10.0).margin(0.01));

    // 2 s: integrated and momentary, but no complete 3 s window, so no short-term and no range.
    const auto twoSeconds = measure(toneSegments({{2.0, -10.0}}, 2));
    CHECK(twoSeconds.integratedLufs);
    CHECK_FALSE(twoSeconds.shortTermMaxLufs);
    CHECK_FALSE(twoSeconds.rangeLu);

    // Below the absolute gate (-80 LUFS): momentary exists (it is not gated), integrated does not.
    const auto quiet = measure(toneSegments({{5.0, -80.0}}, 2));
    CHECK_FALSE(quiet.integratedLufs);
    CHECK_FALSE(quiet.rangeLu);
    REQUIRE(quiet.momentaryMaxLufs);
    CHECK(*quiet.momentaryMaxLufs == Approx(-80.0).margin(0.1));

    // 3 channels: BS.1770 gives no weights; no loudness, peaks yes.
    CHECK_FALSE(wb::loudnessLayoutKnown(3));
    const auto three = measure(toneSegments({{1.0, -10.0}}, 3), true);
    CHECK_FALSE(three.layoutMeasurable);
    CHECK_FALSE(three.integratedLufs);
    CHECK_FALSE(three.momentaryMaxLufs);
    REQUIRE(three.samplePeakDbfs);
    CHECK(*three.samplePeakDbfs == Approx(-10.0).margin(0.01));

    CHECK_THROWS_AS(wb::LoudnessMeter(0, kRate), std::invalid_argument);
    CHECK_THROWS_AS(wb::LoudnessMeter(2, 44100.5), std::invalid_argument);
    CHECK_THROWS_AS(wb::LoudnessMeter(2, 1000.0), std::invalid_argument);
}

TEST_CASE("loudness: the figures do not depend on the block sizes fed, and reset forgets", "[core][analysis][loudness]")
{
    const auto p = toneSegments({{4.0, -18.0}, {4.0, -28.0}}, 2);
    const auto whole = measure(p, true);
    wb::LoudnessMeter m(2, kRate, true);
    std::mt19937 rng(5);
    std::uniform_int_distribution<std::int64_t> size(1, 6000);
    const auto total = static_cast<std::int64_t>(p.front().size());
    for (std::int64_t at = 0; at < total;)
    {
        const auto n = std::min(size(rng), total - at);
        m.add(pointers(p, at).data(), n);
        at += n;
    }
    const auto pieces = m.summary();
    REQUIRE(whole.integratedLufs);
    REQUIRE(pieces.integratedLufs);
    CHECK(*pieces.integratedLufs == *whole.integratedLufs);
    CHECK(pieces.momentaryMaxLufs == whole.momentaryMaxLufs);
    CHECK(pieces.shortTermMaxLufs == whole.shortTermMaxLufs);
    CHECK(pieces.truePeakDbtp == whole.truePeakDbtp);
    CHECK(pieces.rangeLu == whole.rangeLu);

    // After a reset, a -30 dBFS tone reads -30, not a mixture with what came before.
    m.reset();
    CHECK_FALSE(m.integratedLufs());
    CHECK_FALSE(m.momentaryLufs());
    const auto q = toneSegments({{5.0, -30.0}}, 2);
    m.add(pointers(q).data(), static_cast<std::int64_t>(q.front().size()));
    REQUIRE(m.integratedLufs());
    CHECK(*m.integratedLufs() == Approx(-30.0).margin(0.1));
    REQUIRE(m.summary().samplePeakDbfs);
    CHECK(*m.summary().samplePeakDbfs == Approx(-30.0).margin(0.01));
}
