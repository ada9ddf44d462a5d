// Property tests of the built-in Faust effects, each against an answer that does not come from the
// effect's own output: a formula from its .dsp (and the Faust library functions it uses, in
// /usr/share/faust), a parameter value, or a quantity measured by a second method. The golden
// renders (FaustGoldenTest.cpp) catch change; these catch error (issue 18).
//
// Each case says what it measures, what the independent answer is and why the tolerance is what
// it is. Every measured figure is printed on stdout ("[properties] ..."); see them with
//   build/release/bin/wavebench_tests "[properties]"
#include "Support/EffectHarness.h"
#include "Support/RunProcess.h"

#include "Faust/FaustPrelude.h"
// Test variants compiled from Tests/Faust/*.dsp (they import Faust/Limiter.dsp's definitions).
#include "LimiterNoClamp.faust.h"
#include "LimiterNoLookahead.faust.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <random>

using namespace wb::test;

namespace
{
constexpr double kRate = 48000.0;
constexpr size_t kSecond = 48000;

double dbToGain(double db) { return std::pow(10.0, db / 20.0); }

/// Prints a measured figure (the lead's report quotes them).
template <typename... Args>
void report(const Args&... args)
{
    std::cout << "[properties] ";
    ((std::cout << args), ...);
    std::cout << '\n';
}

/// A stereo signal with the same value in both channels.
StereoSignal fromFunction(size_t n, auto&& f)
{
    StereoSignal s(n);
    for (size_t i = 0; i < n; ++i)
        s.left[i] = s.right[i] = static_cast<float>(f(i));
    return s;
}

/// Least-squares slope of y against x.
double slope(const std::vector<double>& x, const std::vector<double>& y)
{
    const double n = double(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0.0, sxx = 0.0;
    for (size_t i = 0; i < x.size(); ++i)
    {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxy / sxx;
}

/// Time constant (seconds) of an exponential approach y[n] = target + c * exp(-n / (tau * rate)):
/// the least-squares slope of ln|y - target| over the samples whose distance from the target lies
/// between `fromFraction` and `toFraction` of `span` (the full size of the step).
double fitTimeConstant(const std::vector<double>& y, size_t start, double target, double span, double fromFraction,
                       double toFraction, double rate = kRate)
{
    std::vector<double> t, lg;
    for (size_t i = start; i < y.size(); ++i)
    {
        const double dist = std::abs(y[i] - target) / span;
        if (dist <= fromFraction && dist >= toFraction)
        {
            t.push_back(double(i) / rate);
            lg.push_back(std::log(std::abs(y[i] - target)));
        }
        if (dist < toFraction)
            break;
    }
    if (t.size() < 10)
        return -1.0;
    return -1.0 / slope(t, lg);
}

std::unique_ptr<wb::FaustEffectNode> hostVariant(std::unique_ptr<::dsp> dsp, const char* id,
                                                 std::initializer_list<std::pair<const char*, float>> controls)
{
    auto node = std::make_unique<wb::FaustEffectNode>(std::move(dsp), id);
    node->prepareToPlay(kRate, 4096);
    for (const auto& [label, value] : controls)
    {
        const int idx = node->findControl(label);
        REQUIRE(idx >= 0);
        node->setControlOnAudio(idx, value);
    }
    return node;
}

// ---- limiter -------------------------------------------------------------------------------
// Faust/Limiter.dsp: co.limiter_lad_stereo(LD = 5 ms, ceiling, attack 1 ms, hold LD, release),
// then a clamp at the ceiling. In compressors.lib the gain is min(1, ceiling / profile), where the
// profile is the peak of |x| held for LD, smoothed by a one-pole of time constant `attack`
// (si.smooth(ba.tau2pole(attack))), then an.peak_envelope(release): instant rise, one-pole decay
// of time constant `release`. The audio is delayed by LD (@(LD * SR), truncated to whole samples).
constexpr double kLookaheadSeconds = 0.005;
constexpr double kAttackSeconds = 0.001;

/// A programme that is hard on a limiter: a +12 dBFS tone with full-scale clicks of alternating
/// sign every 997 samples, 10 000 samples of silence, then steps from silence to +18 dBFS DC and
/// to +6 dBFS tones, and seeded noise with random spikes up to +24 dBFS.
StereoSignal hardProgramme()
{
    auto in = sine(440.0, 4.0, 2 * kSecond);
    for (size_t i = 0; i < kSecond; i += 997)
        in.left[i] = in.right[i] = (i / 997) % 2 ? 8.0f : -8.0f;
    std::fill(in.left.begin() + 20000, in.left.begin() + 30000, 0.0f);
    std::fill(in.right.begin() + 20000, in.right.begin() + 30000, 0.0f);
    in.left[30000] = in.right[30000] = 8.0f; // a step from silence (then the tone resumes)
    std::mt19937 rng(18);
    std::normal_distribution<float> noise(0.0f, 0.5f);
    std::uniform_real_distribution<float> spike(-16.0f, 16.0f);
    for (size_t i = kSecond; i < 2 * kSecond; ++i)
    {
        const size_t k = i - kSecond;
        float v = 0.0f;
        if (k < 12000)
            v = (k / 3000) % 2 ? 8.0f : 0.0f; // silence / DC steps every 62.5 ms
        else if (k < 24000)
            v = (k / 2400) % 2 ? float(2.0 * std::sin(2.0 * M_PI * 1000.0 * double(k) / kRate)) : 0.0f;
        else
            v = noise(rng) + ((k % 1237) == 0 ? spike(rng) : 0.0f);
        in.left[i] = v;
        in.right[i] = k >= 24000 ? noise(rng) : v;
    }
    return in;
}

/// Samples further above the ceiling than this (relative) count as the clamp engaging: below it
/// is float rounding of the smoothers (a settled profile sits a few ulps under a steady peak).
constexpr double kRounding = 1e-5;

struct PeakReport
{
    double peak = 0.0;      ///< largest |sample| of the output, both channels
    size_t overCeiling = 0; ///< samples (per channel) above the ceiling by more than rounding
};

PeakReport peakOf(const StereoSignal& out, double ceiling)
{
    PeakReport r;
    for (size_t i = 0; i < out.size(); ++i)
        for (float v : {out.left[i], out.right[i]})
        {
            r.peak = std::max(r.peak, double(std::abs(v)));
            r.overCeiling += double(std::abs(v)) > ceiling * (1.0 + kRounding) ? 1 : 0;
        }
    return r;
}

/// The analytic bound on the gain computer's overshoot: a peak of height P enters the hold and the
/// attack smoother at least LD*SR - 1 samples before it leaves the delay line, so the profile has
/// reached at least P * (1 - exp(-(LD*SR - 1) / (attack*SR))) and the output at most the ceiling
/// divided by that: 1/(1 - e^(-239/48)) = 1.00691 (+0.060 dB) at 48 kHz.
double overshootBound()
{
    const double n = kLookaheadSeconds * kRate - 1.0;
    return 1.0 / (1.0 - std::exp(-n / (kAttackSeconds * kRate)));
}

/// The check "the gain computer keeps the programme under the ceiling, to within the analytic
/// bound" (plus 1e-6 for float rounding). Used on the shipped gain computer and on a broken one.
bool staysUnderCeiling(wb::FaustEffectNode& gainComputer, double ceiling, PeakReport& peaks)
{
    const auto out = process(gainComputer, hardProgramme(), 256);
    peaks = peakOf(out, ceiling);
    return peaks.peak <= ceiling * overshootBound() + 1e-6;
}
} // namespace

// Why: the node reports the look-ahead as latency (from `declare latency_ms "5"`), and the graph
// and the user rely on it. Independent answer: 5 ms x rate (240 samples at 48 kHz), and the
// position of a single impulse in the output (this case found the node rounding 5 ms x rate to
// the nearest sample where Faust truncates: 111 declared, 110 real at 22150 Hz); the impulse (-6 dBFS, under the ceiling) must come
// out unchanged and alone: exact to float precision.
TEST_CASE("limiter: declared latency equals the measured shift of an impulse", "[faust][properties]")
{
    // The usual rates, and two odd ones where 5 ms is x.75 and x.5 samples: Faust truncates the
    // delay, and the declared latency must count it the same way.
    for (double rate : {44100.0, 48000.0, 96000.0, 192000.0, 22150.0, 30300.0})
    {
        INFO("rate " << rate);
        auto lim = makeEffect("limiter", {}, rate);
        REQUIRE(lim != nullptr);
        const int declared = lim->getLatencySamples();
        if (rate == 48000.0)
            CHECK(declared == 240);
        CHECK(declared == int(std::floor(kLookaheadSeconds * rate + 1e-9)));
        const size_t at = 100;
        auto in = StereoSignal(size_t(declared) + 2000);
        in.left[at] = in.right[at] = 0.5f;
        const auto out = process(*lim, in, 64);
        const auto peak = std::max_element(out.left.begin(), out.left.end(),
                                           [](float a, float b) { return std::abs(a) < std::abs(b); });
        const auto measured = std::distance(out.left.begin(), peak) - std::ptrdiff_t(at);
        report("rate ", rate, ": declared ", declared, ", measured shift ", measured);
        CHECK(measured == declared);
        CHECK(*peak == Approx(0.5f).margin(1e-7));
        CHECK(out.right[at + size_t(declared)] == Approx(0.5f).margin(1e-7));
        double energyElsewhere = 0.0;
        for (size_t i = 0; i < out.size(); ++i)
            if (i != at + size_t(declared))
                energyElsewhere += double(out.left[i]) * double(out.left[i]) + double(out.right[i]) * double(out.right[i]);
        CHECK(energyElsewhere < 1e-12);
    }
}

// Why: Faust's libraries clamp ma.SR to 192 kHz, so above it the look-ahead would be 960 samples
// while the node declares 5 ms of the real rate (1920 at 384 kHz), and every other effect's time
// constants would be off by the same factor. Independent answer: the clamp in
// /usr/share/faust/platform.lib. The hosts refuse such rates: `render --chain` exits 2 and makes
// no file; at 192 kHz it renders.
TEST_CASE("effects above 192 kHz are refused by render, not run wrong", "[faust][properties][cli]")
{
    const std::string out = std::string(WB_TEST_OUTPUT_DIR) + "/properties_rate.wav";
    std::filesystem::remove(out);
    auto r = wb::test::runProcess(WB_CLI_PATH, {"render", "--signal", "impulse", "--duration", "0.05", "--rate",
                                                "384000", "--chain", "limiter", "--out", out});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("192000") != std::string::npos);
    CHECK(!std::filesystem::exists(out));
    r = wb::test::runProcess(WB_CLI_PATH, {"render", "--signal", "impulse", "--duration", "0.05", "--rate", "192000",
                                           "--chain", "limiter", "--out", out});
    CHECK(r.exitCode == 0);
    CHECK(std::filesystem::exists(out));
    std::filesystem::remove(out);
    std::filesystem::remove(out + ".json");
}

// Why: gain reduction is the limiter's job. Independent answer: a steady 1 kHz tone of peak P above
// the ceiling C comes out with peak C (the held peak of a tone whose period, 1 ms, is shorter than
// the 5 ms hold is constant = P, so the gain is C/P exactly); tolerance 0.01 dB (float). A tone
// under the ceiling comes out as the input delayed by the latency, sample for sample (1e-7).
TEST_CASE("limiter: a steady tone above the ceiling comes out at the ceiling, one below unchanged",
          "[faust][properties]")
{
    for (float ceilingDb : {-1.0f, -6.0f, -20.0f})
    {
        INFO("ceiling " << ceilingDb << " dB");
        auto lim = makeEffect("limiter", {{"ceiling", ceilingDb}});
        REQUIRE(lim != nullptr);
        const auto out = process(*lim, sine(1000.0, 2.0, kSecond), 512); // +6 dBFS
        const double outDb = toDb(toneAmplitude(out.left, 1000.0, kSecond / 2, kSecond / 2));
        report("ceiling ", ceilingDb, " dB: +6 dBFS tone comes out at ", outDb, " dBFS");
        CHECK(outDb == Approx(ceilingDb).margin(0.01));

        lim->reset();
        const double amp = 0.9 * dbToGain(ceilingDb);
        const auto in = sine(1000.0, amp, kSecond / 4);
        const auto quiet = process(*lim, in, 512);
        const size_t lat = size_t(lim->getLatencySamples());
        double worst = 0.0;
        for (size_t i = 0; i + lat < in.size(); ++i)
            worst = std::max(worst, double(std::abs(quiet.left[i + lat] - in.left[i])));
        CHECK(worst < 1e-7);
    }
}

// Why: the release sets how fast the gain recovers. Independent answer: the "release" control's
// value, which compressors.lib uses as the time constant of an.peak_envelope (ba.tau2pole: a
// one-pole decaying by 1/e in `release` seconds). Method: +18 dBFS DC stepping down to 0.1; the
// output divided by the delayed input is the gain g, so the profile is C/g; after the 5 ms hold
// and ~10 attack time constants, profile - 0.1 decays as exp(-t/release) (the 1 ms attack
// smoother before it only scales the slow term by release/(release - attack)). Fitted over the
// recovery from 80 % of the step's excess down to where the gain is back within 1 % of unity
// (about 10 %: 2 time constants); tolerance 1 %.
TEST_CASE("limiter: release time constant measured after a step down equals its setting", "[faust][properties]")
{
    const double ceilingDb = -1.0, ceiling = dbToGain(ceilingDb);
    for (float releaseMs : {50.0f, 200.0f})
    {
        INFO("release " << releaseMs << " ms");
        auto lim = makeEffect("limiter", {{"ceiling", float(ceilingDb)}, {"release", releaseMs}});
        REQUIRE(lim != nullptr);
        const size_t stepAt = kSecond / 10;
        const double high = 8.0, low = 0.1;
        const auto in = fromFunction(stepAt + 2 * kSecond, [&](size_t i) { return i < stepAt ? high : low; });
        const auto out = process(*lim, in, 512);
        const size_t lat = size_t(lim->getLatencySamples());
        CHECK(double(out.left[stepAt - 1]) / high == Approx(ceiling / high).epsilon(1e-5)); // limited before the step
        std::vector<double> profile(in.size() - lat, 0.0);
        for (size_t i = 0; i < profile.size(); ++i)
        {
            const double g = double(out.left[i + lat]) / double(in.left[i]);
            profile[i] = g < 0.99 ? ceiling / g : low; // the gain reveals the profile while it limits
        }
        const size_t settle = stepAt + lat + size_t(10 * kAttackSeconds * kRate);
        const double tau = fitTimeConstant(profile, settle, low, high - low, 0.8, (ceiling / 0.99 - low) / (high - low));
        report("release ", releaseMs, " ms: measured time constant ", tau * 1000.0, " ms");
        CHECK(tau == Approx(double(releaseMs) / 1000.0).epsilon(0.01));
        // And the gain comes back to exactly 1 (no reduction left) after the recovery.
        CHECK(out.left.back() == Approx(float(low)).epsilon(1e-6));
    }
}

// Why: the safety clamp guarantees the ceiling whatever happens, so a test of the shipped
// limiter's output can never fail. This tests the look-ahead gain computer without the clamp
// (Tests/Faust/LimiterNoClamp.dsp: the shipped gainComputer, imported from Faust/Limiter.dsp) on a
// hard programme. Independent answer: the analytic overshoot bound (overshootBound(): +0.060 dB),
// which a step from silence reaches (checked: so the clamp is a real, if tiny, last resort), and
// the shipped limiter is exactly the clamp applied to this gain computer (same definitions).
// How often the clamp engages (by more than float rounding, kRounding): on this programme, built of
// rises from silence, at most 1 % of the samples (each rise overshoots for ~300 samples: the excess
// e^(-n/48) stays above 1e-5 until n ~ 550, 310 samples after the look-ahead); on a steady
// +6 dBFS tone, once settled, never.
TEST_CASE("limiter: the look-ahead gain computer alone keeps under the ceiling (bound +0.06 dB)",
          "[faust][properties]")
{
    for (float ceilingDb : {-1.0f, -6.0f})
    {
        INFO("ceiling " << ceilingDb << " dB");
        const double ceiling = dbToGain(ceilingDb);
        auto bare = hostVariant(std::make_unique<WbTestFaust_LimiterNoClamp>(), "limiter-noclamp",
                                {{"ceiling", ceilingDb}});
        PeakReport peaks;
        const bool under = staysUnderCeiling(*bare, ceiling, peaks);
        const double fraction = double(peaks.overCeiling) / double(2 * 2 * kSecond);
        report("ceiling ", ceilingDb, " dB: gain computer's peak ", toDb(peaks.peak / ceiling),
               " dB over the ceiling (bound ", toDb(overshootBound()), " dB); clamp engages on ", peaks.overCeiling,
               " samples (", fraction * 100.0, " %)");
        CHECK(under);
        CHECK(fraction <= 0.01);
        CHECK(peaks.peak > ceiling); // the bound is reached in fact: a step from silence overshoots
        CHECK(toDb(peaks.peak / ceiling) == Approx(toDb(overshootBound())).margin(0.01));

        // The shipped limiter = clamp(gain computer), sample for sample.
        bare->reset();
        auto shipped = makeEffect("limiter", {{"ceiling", ceilingDb}});
        REQUIRE(shipped != nullptr);
        const auto prog = hardProgramme();
        const auto a = process(*bare, prog, 256);
        const auto b = process(*shipped, prog, 256);
        const float c = float(ceiling);
        double worst = 0.0;
        for (size_t i = 0; i < a.size(); ++i)
        {
            worst = std::max(worst, double(std::abs(std::clamp(a.left[i], -c, c) - b.left[i])));
            worst = std::max(worst, double(std::abs(std::clamp(a.right[i], -c, c) - b.right[i])));
        }
        CHECK(worst <= 1e-7);

        bare->reset();
        const auto steady = process(*bare, sine(1000.0, 2.0, kSecond), 512);
        const auto settled = peakOf(StereoSignal(fromFunction(kSecond / 2, [&](size_t i) { return steady.left[i + kSecond / 2]; })),
                                    ceiling);
        report("ceiling ", ceilingDb, " dB: steady +6 dBFS tone, settled: clamp engages on ", settled.overCeiling,
               " samples");
        CHECK(settled.overCeiling == 0);
    }
}

// Why: shows that the check above can fail. The same check on a limiter whose look-ahead is broken
// (Tests/Faust/LimiterNoLookahead.dsp: the shipped gain computer with LD = 0, no clamp) must
// report peaks far above the bound: the 1 ms attack lets the first samples of every transient
// through almost untouched.
TEST_CASE("limiter: the ceiling check fails on a limiter whose look-ahead is broken", "[faust][properties]")
{
    const float ceilingDb = -1.0f;
    const double ceiling = dbToGain(ceilingDb);
    auto broken = hostVariant(std::make_unique<WbTestFaust_LimiterNoLookahead>(), "limiter-nolookahead",
                              {{"ceiling", ceilingDb}});
    PeakReport peaks;
    const bool under = staysUnderCeiling(*broken, ceiling, peaks);
    report("broken look-ahead: peak ", toDb(peaks.peak / ceiling), " dB over the ceiling, ", peaks.overCeiling, " samples over");
    CHECK_FALSE(under);
    CHECK(toDb(peaks.peak / ceiling) > 6.0);
}

// ---- compressor ----------------------------------------------------------------------------
// Faust/Compressor.dsp: detector an.amp_follower_ar(attack, release) = si.onePoleSwitching on |x|,
// the louder channel: a one-pole whose pole is ba.tau2pole(attack) while the input is above the
// state and ba.tau2pole(release) below it, i.e. the detector (a linear amplitude) covers 1 - 1/e of
// a step in level in `attack` (up) or `release` (down) seconds. The gain in dB is
// (1/ratio - 1) * max(0, detectorDb - threshold) + makeup. With DC the output is in * gain exactly,
// so the detector is recovered sample by sample from out/in by inverting that static curve.

namespace
{
/// The detector level recovered from a compressor's DC output while it is above the threshold.
std::vector<double> detectorFromOutput(const StereoSignal& in, const StereoSignal& out, double thresholdDb, double ratio)
{
    std::vector<double> env(in.size());
    for (size_t i = 0; i < in.size(); ++i)
    {
        const double gainDb = toDb(double(out.left[i]) / double(in.left[i]));
        env[i] = dbToGain(thresholdDb + gainDb / (1.0 / ratio - 1.0));
    }
    return env;
}

/// First sample at or after `from` where the detector has covered 1 - 1/e of the way from a to b.
double timeToOneMinusInvE(const std::vector<double>& env, size_t from, double a, double b)
{
    for (size_t i = from; i < env.size(); ++i)
        if ((env[i] - a) / (b - a) >= 1.0 - std::exp(-1.0))
            return double(i - from) / kRate;
    return -1.0;
}
} // namespace

// Why: attack and release are the compressor's time behaviour. Independent answer: the control
// values, by the definition above. Method: DC stepping from -34 dBFS to -6 dBFS and back, the
// threshold at -40 dB so that the whole trajectory is above it (the curve is invertible there);
// the detector recovered from the output is fitted as an exponential over 90 %..2 % of the step
// (tolerance 1 %), and the time to cover 1 - 1/e of the step is read directly (tolerance 1 %
// + 1 sample).
TEST_CASE("compressor: attack and release time constants measured from the output equal the settings",
          "[faust][properties]")
{
    const double thresholdDb = -40.0, ratio = 4.0, low = 0.02, high = 0.5;
    for (const auto& [attackMs, releaseMs] : {std::pair{5.0f, 100.0f}, std::pair{20.0f, 400.0f}, std::pair{1.0f, 50.0f}})
    {
        INFO("attack " << attackMs << " ms, release " << releaseMs << " ms");
        auto comp = makeEffect("compressor", {{"threshold", float(thresholdDb)}, {"ratio", float(ratio)},
                                              {"attack", attackMs}, {"release", releaseMs}, {"makeup", 0.0f}});
        REQUIRE(comp != nullptr);
        const size_t up = kSecond / 2, down = up + kSecond;
        const auto in = fromFunction(down + 3 * kSecond, [&](size_t i) { return i >= up && i < down ? high : low; });
        const auto out = process(*comp, in, 512);
        const auto env = detectorFromOutput(in, out, thresholdDb, ratio);
        CHECK(env[up - 1] == Approx(low).epsilon(1e-4)); // settled before each step
        CHECK(env[down - 1] == Approx(high).epsilon(1e-4));

        const double attack = fitTimeConstant(env, up, high, high - low, 0.9, 0.02);
        const double release = fitTimeConstant(env, down, low, high - low, 0.9, 0.02);
        const double attack63 = timeToOneMinusInvE(env, up, low, high);
        const double release63 = timeToOneMinusInvE(env, down, high, low);
        report("attack ", attackMs, " ms: fitted ", attack * 1e3, " ms, 1-1/e at ", attack63 * 1e3, " ms; release ", releaseMs, " ms: fitted ", release * 1e3, " ms, 1-1/e at ", release63 * 1e3, " ms");
        CHECK(attack == Approx(double(attackMs) / 1000.0).epsilon(0.01));
        CHECK(release == Approx(double(releaseMs) / 1000.0).epsilon(0.01));
        CHECK(attack63 == Approx(double(attackMs) / 1000.0).margin(0.01 * double(attackMs) / 1000.0 + 1.0 / kRate));
        CHECK(release63 == Approx(double(releaseMs) / 1000.0).margin(0.01 * double(releaseMs) / 1000.0 + 1.0 / kRate));
    }
}

// Why: the static curve is what "threshold" and "ratio" mean. Independent answer: the formula
// gain = (1/ratio - 1) * max(0, in - threshold) + makeup (dB), at DC levels -60..0 dBFS in 3 dB
// steps, each held 100 ms with the fastest detector (0.1 ms / 5 ms) so it has settled (e^-20);
// tolerance 0.01 dB (float). The gain-reduction meter shows the same figure without the makeup.
TEST_CASE("compressor: static curve equals the threshold/ratio formula (0.01 dB)", "[faust][properties]")
{
    struct Setting
    {
        double threshold, ratio, makeup;
    };
    for (const auto& s : {Setting{-20.0, 4.0, 0.0}, Setting{-30.0, 2.0, 6.0}, Setting{-10.0, 10.0, 3.0},
                          Setting{-45.0, 1.5, 12.0}})
    {
        INFO("threshold " << s.threshold << " dB, ratio " << s.ratio << ", makeup " << s.makeup << " dB");
        auto comp = makeEffect("compressor", {{"threshold", float(s.threshold)}, {"ratio", float(s.ratio)},
                                              {"attack", 0.1f}, {"release", 5.0f}, {"makeup", float(s.makeup)}});
        REQUIRE(comp != nullptr);
        const int meter = comp->findControl("gain reduction");
        REQUIRE(meter >= 0);
        double worst = 0.0;
        for (double inDb = -60.0; inDb <= 0.0; inDb += 3.0)
        {
            const double amp = dbToGain(inDb);
            const auto out = process(*comp, fromFunction(kSecond / 10, [&](size_t) { return amp; }), 480);
            const double gainDb = toDb(double(out.left.back()) / double(float(amp)));
            const double reduction = (1.0 / s.ratio - 1.0) * std::max(0.0, inDb - s.threshold);
            INFO("input " << inDb << " dBFS");
            CHECK(gainDb == Approx(reduction + s.makeup).margin(0.01));
            CHECK(comp->controlOnAudio(meter) == Approx(reduction).margin(0.01));
            worst = std::max(worst, std::abs(gainDb - reduction - s.makeup));
        }
        report("compressor threshold ", s.threshold, " ratio ", s.ratio, ": worst curve error ", worst, " dB");
    }
}

// ---- soft clipper --------------------------------------------------------------------------
// Why: the clipper's curve is its sound. Independent answer: the .dsp's formula
// out = tanh(in * 10^(drive/20)) * 10^(output/20), computed here in double, over a slow ramp of
// input values from -4 to +4 (the clipper is memoryless, so a ramp is a DC sweep). Tolerance
// 2e-6 absolute: float tanh and float parameters against double.
TEST_CASE("soft clipper: transfer curve equals tanh(in * drive) * output", "[faust][properties]")
{
    for (const auto& [driveDb, outputDb] : {std::pair{0.0f, -1.0f}, std::pair{6.0f, -1.0f}, std::pair{20.0f, -6.0f},
                                            std::pair{36.0f, 0.0f}})
    {
        INFO("drive " << driveDb << " dB, output " << outputDb << " dB");
        auto clip = makeEffect("softclip", {{"drive", driveDb}, {"output", outputDb}});
        REQUIRE(clip != nullptr);
        const size_t n = kSecond;
        const auto in = fromFunction(n, [&](size_t i) { return -4.0 + 8.0 * double(i) / double(n - 1); });
        const auto out = process(*clip, in, 333);
        double worst = 0.0;
        for (size_t i = 0; i < n; ++i)
        {
            const double expected = std::tanh(double(in.left[i]) * dbToGain(driveDb)) * dbToGain(outputDb);
            worst = std::max({worst, std::abs(double(out.left[i]) - expected), std::abs(double(out.right[i]) - expected)});
        }
        report("soft clipper drive ", driveDb, " output ", outputDb, ": worst error ", worst);
        CHECK(worst <= 2e-6);
    }
}

// ---- chorus --------------------------------------------------------------------------------
// Faust/Chorus.dsp: each voice is de.fdelay (linear interpolation) by d(t) = base + depth *
// (0.5 + 0.5 * sin(2 pi rate t + phase)) ms, phase 0 left and pi/2 right.

namespace
{
struct DelayTrack
{
    std::vector<double> time, delayMs; ///< output time (s) and measured delay (ms) of each impulse
};

/// Feeds an impulse every `spacing` samples through a fully wet chorus and measures each impulse's
/// delay as the centroid of its output cluster (exact for linear interpolation) minus its input
/// time. The delay line starts empty, so the k-th cluster in the output is the k-th impulse.
std::pair<DelayTrack, DelayTrack> trackDelays(wb::FaustEffectNode& chorus, size_t frames, size_t spacing, double rate)
{
    StereoSignal in(frames);
    for (size_t i = 0; i < frames; i += spacing)
        in.left[i] = in.right[i] = 1.0f;
    const auto out = process(chorus, in, 256);
    auto track = [&](const std::vector<float>& y)
    {
        DelayTrack t;
        double sum = 0.0, moment = 0.0;
        size_t k = 0, lastNonZero = 0;
        auto close = [&]
        {
            if (sum > 0.5) // a whole cluster (its weights sum to 1)
            {
                const double centroid = moment / sum;
                t.time.push_back(centroid / rate);
                t.delayMs.push_back((centroid - double(k * spacing)) * 1000.0 / rate);
                ++k;
            }
            sum = moment = 0.0;
        };
        for (size_t i = 0; i < y.size(); ++i)
        {
            if (std::abs(y[i]) < 1e-6f)
                continue;
            if (sum > 0.0 && i > lastNonZero + 4)
                close();
            sum += double(y[i]);
            moment += double(y[i]) * double(i);
            lastNonZero = i;
        }
        return t;
    };
    return {track(out.left), track(out.right)};
}

/// Times at which the delay crosses the middle of its range going up (linearly interpolated).
std::vector<double> upCrossings(const DelayTrack& t, double mid)
{
    std::vector<double> times;
    for (size_t i = 1; i < t.delayMs.size(); ++i)
        if (t.delayMs[i - 1] < mid && t.delayMs[i] >= mid)
        {
            const double f = (mid - t.delayMs[i - 1]) / (t.delayMs[i] - t.delayMs[i - 1]);
            times.push_back(t.time[i - 1] + f * (t.time[i] - t.time[i - 1]));
        }
    return times;
}
} // namespace

// Why: rate and depth are what the chorus's controls promise. Independent answer: the control
// values. Method: track the wet path's delay impulse by impulse (every 64 samples); the minimum
// and maximum of the track are base and base + depth (tolerance 0.005 ms: the track samples the
// sine every 1.3 ms, so its extremes are off by at most depth/2 * (1 - cos(pi rate 64/48000))),
// the rate is the number of whole cycles between the first and last upward crossings of the middle
// over the time between them (tolerance 0.2 %), and the right voice leads the left by a quarter
// cycle (tolerance 1 % of a cycle). The longest setting (30 + 8 ms) runs at 192 kHz as well, the
// highest rate the engine offers: 7296 samples of delay (this case found the line too short, 4096).
TEST_CASE("chorus: delay modulation rate and depth measured from the output equal the settings", "[faust][properties]")
{
    struct Setting
    {
        float rate, depth, base;
        double sampleRate;
    };
    for (const auto& s : {Setting{0.8f, 2.0f, 12.0f, kRate}, Setting{2.0f, 4.0f, 5.0f, kRate},
                          Setting{5.0f, 1.0f, 20.0f, kRate}, Setting{3.0f, 8.0f, 30.0f, kRate},
                          Setting{3.0f, 8.0f, 30.0f, 192000.0}})
    {
        INFO("rate " << s.rate << " Hz, depth " << s.depth << " ms, delay " << s.base << " ms at " << s.sampleRate);
        auto chorus = makeEffect("chorus", {{"rate", s.rate}, {"depth", s.depth}, {"delay", s.base}, {"mix", 100.0f}},
                                 s.sampleRate);
        REQUIRE(chorus != nullptr);
        const size_t frames = size_t(std::ceil((4.0 / double(s.rate) + 0.1) * s.sampleRate)); // 4 cycles or more
        const auto [left, right] = trackDelays(*chorus, frames, 64, s.sampleRate);
        REQUIRE(left.delayMs.size() > 100);
        REQUIRE(right.delayMs.size() > 100);
        for (const auto* t : {&left, &right})
        {
            const auto [lo, hi] = std::minmax_element(t->delayMs.begin(), t->delayMs.end());
            const double mid = 0.5 * (*lo + *hi);
            report(s.sampleRate, " Hz, ", t == &left ? "left" : "right", ": delay ", *lo, " .. ", *hi, " ms (set ",
                   s.base, " .. ", s.base + s.depth, ")");
            CHECK(*lo == Approx(s.base).margin(0.005));
            CHECK(*hi - *lo == Approx(s.depth).margin(0.005));
            const auto ups = upCrossings(*t, mid);
            REQUIRE(ups.size() >= 3);
            const double rate = double(ups.size() - 1) / (ups.back() - ups.front());
            report("  rate ", rate, " Hz (set ", s.rate, ")");
            CHECK(rate == Approx(s.rate).epsilon(0.002));
        }
        // Quadrature: right's crossing comes a quarter cycle before left's (sin(x + pi/2) leads).
        const auto [llo, lhi] = std::minmax_element(left.delayMs.begin(), left.delayMs.end());
        const auto [rlo, rhi] = std::minmax_element(right.delayMs.begin(), right.delayMs.end());
        const auto lUps = upCrossings(left, 0.5 * (*llo + *lhi));
        const auto rUps = upCrossings(right, 0.5 * (*rlo + *rhi));
        const double period = 1.0 / double(s.rate);
        const double lead = std::fmod(lUps[1] - rUps[1] + 10.0 * period, period) / period;
        report("right leads left by ", lead, " cycle");
        CHECK(lead == Approx(0.25).margin(0.01));
    }
}

// ---- reverb --------------------------------------------------------------------------------
// Why: the decay time is the reverb's main promise. Independent answer: the .dsp's declared mid
// RT60 (default 2 s): re.zita_rev1 sets each feedback line's gain to 10^(-3 * delay / RT60mid), so
// the mid band decays 60 dB in RT60mid by construction. Method (ISO 3382 style): the impulse
// response at the defaults (the dry part, (1 - mix) x input, removed), filtered to the 1 kHz octave
// (707-1414 Hz, the project's 4th-order Butterworth high- and low-pass, each checked at -3.01 dB in
// FaustEffectsTest.cpp) - a band between the 200 Hz crossover and the 6 kHz damping, so the mid
// RT60 governs it -, Schroeder backward integration, a least-squares line through the decay curve
// from -5 to -35 dB (T30) and from -5 to -25 dB (T20), extrapolated to 60 dB. Tolerance 5 %:
// the 1 kHz octave still feels the low shelf (3 s below 200 Hz) and the HF damping (half the RT60
// at 6 kHz) a little, and an 8-line FDN's decay curve is not perfectly straight (measured: -1 %).
TEST_CASE("reverb: RT60 at its defaults by Schroeder integration equals the declared mid RT60", "[faust][properties]")
{
    auto rev = makeEffect("reverb", {});
    REQUIRE(rev != nullptr);
    const double declaredRt = rev->controlOnAudio(rev->findControl("mid RT60"));
    const double mix = double(rev->controlOnAudio(rev->findControl("mix"))) / 100.0;
    const double predelayMs = rev->controlOnAudio(rev->findControl("predelay"));
    CHECK(declaredRt == Approx(2.0)); // the .dsp's default

    const auto in = impulse(size_t(3.0 * declaredRt * kRate));
    auto wet = process(*rev, in, 512);
    for (size_t i = 0; i < wet.size(); ++i)
    {
        wet.left[i] -= float(1.0 - mix) * in.left[i];
        wet.right[i] -= float(1.0 - mix) * in.right[i];
    }
    // Nothing comes out of the wet path before the predelay.
    const size_t predelay = size_t(predelayMs / 1000.0 * kRate);
    double early = 0.0;
    for (size_t i = 0; i < predelay; ++i)
        early = std::max({early, double(std::abs(wet.left[i])), double(std::abs(wet.right[i]))});
    CHECK(early < 1e-6);

    auto hp = makeEffect("highpass", {{"cutoff", 707.0f}});
    auto lp = makeEffect("lowpass", {{"cutoff", 1414.0f}});
    REQUIRE(hp != nullptr);
    REQUIRE(lp != nullptr);
    const auto ir = process(*lp, process(*hp, wet, 512), 512);
    std::vector<double> edcDb(ir.size());
    double acc = 0.0;
    for (size_t i = ir.size(); i-- > 0;)
        edcDb[i] = acc += double(ir.left[i]) * double(ir.left[i]) + double(ir.right[i]) * double(ir.right[i]);
    REQUIRE(!edcDb.empty());
    const double total = edcDb.front();
    for (auto& e : edcDb)
        e = 10.0 * std::log10(e / total);
    auto rtFromFit = [&](double fromDb, double toDb)
    {
        std::vector<double> t, d;
        for (size_t i = 0; i < edcDb.size(); ++i)
            if (edcDb[i] <= fromDb && edcDb[i] >= toDb)
            {
                t.push_back(double(i) / kRate);
                d.push_back(edcDb[i]);
            }
        return -60.0 / slope(t, d);
    };
    const double t30 = rtFromFit(-5.0, -35.0), t20 = rtFromFit(-5.0, -25.0);
    report("reverb at defaults: declared mid RT60 ", declaredRt, " s; measured T30 ", t30, " s, T20 ", t20, " s (1 kHz octave)");
    CHECK(t30 == Approx(declaredRt).epsilon(0.05));
    CHECK(t20 == Approx(declaredRt).epsilon(0.05));
}
