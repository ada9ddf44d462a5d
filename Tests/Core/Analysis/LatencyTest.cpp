// The multi-tone latency estimator against known truths.
//
// Truth 1 (exact): the delayed probe generated analytically in double precision,
// x[n] = g * probe(n - d), so any error is the estimator's own.
// Truth 2 (the virtual device's kernel): the float probe through LoopbackLine's windowed-sinc
// fractional delay, as the Virtual loopback device runs it.
#include "Core/Analysis/Latency.h"
#include "Core/Analysis/LatencyLoopback.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace wb::latency;

namespace
{
// Capture length: the delay, the estimator's settle margin and one whole period, plus slack.
std::size_t captureLength(double delay, std::int64_t period = kPeriod)
{
    return static_cast<std::size_t>(delay) + 4096 + static_cast<std::size_t>(period) + 1000;
}

std::vector<float> analyticCapture(const MultiToneProbe& probe, double delay, double gain = 1.0,
                                   double noiseDb = -300.0, std::uint32_t seed = 1)
{
    std::vector<float> x(captureLength(delay, probe.period()), 0.0f);
    std::mt19937 rng(seed);
    std::normal_distribution<double> normal(0.0, 1.0);
    const double noise = std::pow(10.0, noiseDb / 20.0);
    for (std::size_t n = 0; n < x.size(); ++n)
    {
        const double t = double(n) - delay;
        const double s = t >= 0.0 ? gain * probe.analyticSample(t) : 0.0;
        x[n] = static_cast<float>(s + noise * normal(rng));
    }
    return x;
}

std::vector<float> loopbackCapture(const MultiToneProbe& probe, const LoopbackSettings& settings)
{
    MultiToneProbe source(probe.peakLevel());
    LoopbackLine line;
    line.prepare(settings);
    std::vector<float> x(captureLength(settings.delaySamples));
    for (std::size_t pos = 0; pos < x.size(); pos += 256) // block-wise, as a device would
    {
        const std::size_t n = std::min<std::size_t>(256, x.size() - pos);
        source.process(x.data() + pos, n);
        line.process(x.data() + pos, x.data() + pos, n);
    }
    return x;
}

constexpr double kDelays[] = {0.0, 1.0, 64.25, 100.5, 1234.567};
} // namespace

TEST_CASE("latency probe: tone set, period and peak", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const auto& tones = probe.tones();
    CHECK(tones[0].bin == kPeriod / 16);
    for (int i = 1; i < kNumTones; ++i)
    {
        // each coarse tone resolves one bit: f_i * 2^(3+i) = 1/2 (mod 1)
        const double x = tones[std::size_t(i)].frequency() * std::ldexp(1.0, 3 + i);
        CHECK(x - std::floor(x) == Approx(0.5).margin(1e-12));
        CHECK(tones[std::size_t(i)].frequency() > 0.01);
        CHECK(tones[std::size_t(i)].frequency() < 0.1);
    }
    float peak = 0.0f;
    std::vector<float> block(kPeriod);
    MultiToneProbe p2(0.5);
    p2.process(block.data(), block.size());
    for (float v : block)
        peak = std::max(peak, std::abs(v));
    CHECK(peak == Approx(0.5).margin(1e-6));
    // periodic, and process() continues where it stopped
    std::vector<float> next(100);
    p2.process(next.data(), next.size());
    for (std::size_t n = 0; n < next.size(); ++n)
        CHECK(next[n] == block[n]);
    // the table agrees with the analytic probe
    for (std::int64_t n : {0LL, 1LL, 777LL, 65535LL})
        CHECK(double(probe.sampleAt(n)) == Approx(probe.analyticSample(double(n))).margin(1e-6));
}

TEST_CASE("latency estimator: exact analytic delays, clean, within 0.001 sample", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    for (double d : kDelays)
    {
        const auto x = analyticCapture(probe, d);
        const auto r = estimator.estimate(x);
        INFO("delay " << d << ": " << r.reason);
        REQUIRE(r.valid);
        std::printf("  analytic clean   d=%9.3f  error %+.2e  snr %.1f dB\n", d, r.frames - d, r.snrDb);
        CHECK(std::abs(r.frames - d) <= 0.001);
        CHECK_FALSE(r.inverted);
        CHECK(r.gainDb == Approx(0.0).margin(0.01));
    }
}

TEST_CASE("latency probe: shorter periods keep the tone structure and the accuracy", "[core][analysis]")
{
    for (int log2 : {kMinPeriodLog2, 13, 14})
    {
        const MultiToneProbe probe(0.5, log2);
        INFO("period 2^" << log2);
        REQUIRE(probe.period() == (std::int64_t{1} << log2));
        REQUIRE(probe.tones().size() == std::size_t(numTonesFor(log2)));
        CHECK(probe.tones()[0].frequency() == 1.0 / 16.0); // the fine tone is the same 3 kHz at 48 kHz
        for (std::size_t i = 1; i < probe.tones().size(); ++i)
        {
            const double x = probe.tones()[i].frequency() * std::ldexp(1.0, 3 + int(i));
            CHECK(x - std::floor(x) == Approx(0.5).margin(1e-12));
        }
        // periodic with its own period, peak as asked
        float peak = 0.0f;
        for (std::int64_t n = 0; n < probe.period(); ++n)
        {
            REQUIRE(probe.sampleAt(n) == probe.sampleAt(n + probe.period()));
            peak = std::max(peak, std::abs(probe.sampleAt(n)));
        }
        CHECK(peak == Approx(0.5).margin(1e-6));

        EstimatorSettings settings;
        settings.settleMargin = probe.period() / 4;
        const LatencyEstimator estimator(probe, settings);
        std::uint32_t seed = 31;
        for (double d : kDelays)
        {
            const auto clean = estimator.estimate(analyticCapture(probe, d));
            const auto noisy = estimator.estimate(analyticCapture(probe, d, 1.0, -60.0, seed++));
            INFO("delay " << d << ": " << clean.reason << " / " << noisy.reason);
            REQUIRE(clean.valid);
            REQUIRE(noisy.valid);
            std::printf("  period 2^%d d=%9.3f  error clean %+.2e, -60 dB %+.2e\n", log2, d, clean.frames - d,
                        noisy.frames - d);
            CHECK(std::abs(clean.frames - d) <= 0.001);
            CHECK(std::abs(noisy.frames - d) <= 0.05);
            CHECK(clean.windowLength % probe.period() == 0);
        }
        // A delay longer than the period is still found (the onset picks the multiple).
        const double far = double(probe.period()) * 1.5 + 0.25;
        const auto r = estimator.estimate(analyticCapture(probe, far));
        INFO(r.reason);
        REQUIRE(r.valid);
        CHECK(std::abs(r.frames - far) <= 0.001);
    }
}

TEST_CASE("latency estimator: noise at -60 dBFS, within 0.05 sample", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    std::uint32_t seed = 11;
    for (double d : kDelays)
    {
        const auto x = analyticCapture(probe, d, 1.0, -60.0, seed++);
        const auto r = estimator.estimate(x);
        INFO("delay " << d << ": " << r.reason);
        REQUIRE(r.valid);
        std::printf("  analytic -60 dB  d=%9.3f  error %+.2e  snr %.1f dB\n", d, r.frames - d, r.snrDb);
        CHECK(std::abs(r.frames - d) <= 0.05);
    }
}

TEST_CASE("latency estimator: through the virtual loopback's fractional delay line", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    for (double noiseDb : {-300.0, -60.0})
        for (double d : kDelays)
        {
            LoopbackSettings s;
            s.delaySamples = d;
            s.noiseDb = noiseDb;
            s.seed = 1234;
            const auto x = loopbackCapture(probe, s);
            const auto r = estimator.estimate(x);
            INFO("delay " << d << " noise " << noiseDb << ": " << r.reason);
            REQUIRE(r.valid);
            std::printf("  loopback %4.0f dB d=%9.3f  error %+.2e\n", noiseDb, d, r.frames - d);
            CHECK(std::abs(r.frames - d) <= (noiseDb < -200.0 ? 0.001 : 0.05));
        }
}

TEST_CASE("latency estimator: long delays beyond one period use the onset", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    for (double d : {4321.125, 70000.75})
    {
        const auto r = estimator.estimate(analyticCapture(probe, d));
        INFO(r.reason);
        REQUIRE(r.valid);
        CHECK(r.frames == Approx(d).margin(0.001));
    }
}

TEST_CASE("latency estimator: inverted polarity is detected, delay unchanged", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    for (double d : kDelays)
    {
        const auto r = estimator.estimate(analyticCapture(probe, d, -0.7));
        INFO("delay " << d << ": " << r.reason);
        REQUIRE(r.valid);
        CHECK(r.inverted);
        CHECK(std::abs(r.frames - d) <= 0.001);
        CHECK(r.gainDb == Approx(20.0 * std::log10(0.7)).margin(0.01));
    }
}

TEST_CASE("latency estimator: the capture may start anywhere in the probe's timeline", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    // The capture starts 5000 samples after the probe did; a delay of 300.25 means capture[n]
    // holds probe(5000 + n - 300.25).
    std::vector<float> x(kPeriod + 6000);
    for (std::size_t n = 0; n < x.size(); ++n)
        x[n] = static_cast<float>(probe.analyticSample(5000.0 + double(n) - 300.25));
    EstimatorSettings s;
    s.settleMargin = 0;
    const auto r = LatencyEstimator(probe, s).estimate(x, 5000);
    INFO(r.reason);
    REQUIRE(r.valid);
    // the onset is at 0 (the signal is there from the start): the period is resolved around it
    CHECK(r.frames == Approx(300.25).margin(0.001));
}

TEST_CASE("latency estimator: refuses rather than guessing", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    const auto len = captureLength(100.0);

    SECTION("silence (no cable)")
    {
        const auto r = estimator.estimate(std::vector<float>(len, 0.0f));
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == Refusal::noSignal);
        CHECK_THAT(r.reason, Catch::Contains("no signal"));
    }
    SECTION("noise only (no cable on a noisy input)")
    {
        const auto r = estimator.estimate(analyticCapture(probe, 100.0, 0.0, -50.0));
        CHECK_FALSE(r.valid);
        CHECK((r.refusal == Refusal::tooWeak || r.refusal == Refusal::tooNoisy));
    }
    SECTION("too weak: -50 dB round trip")
    {
        const auto r = estimator.estimate(analyticCapture(probe, 100.0, std::pow(10.0, -50.0 / 20.0)));
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == Refusal::tooWeak);
    }
    SECTION("too noisy: probe buried in noise")
    {
        const auto r = estimator.estimate(analyticCapture(probe, 100.0, 0.05, -20.0));
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == Refusal::tooNoisy);
    }
    SECTION("clipped: gain 3 against a 0.5 peak probe, hard-limited at full scale")
    {
        auto x = analyticCapture(probe, 100.0, 3.0);
        for (auto& v : x)
            v = std::clamp(v, -1.0f, 1.0f);
        const auto r = estimator.estimate(x);
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == Refusal::clipped);
    }
    SECTION("capture too short after the onset")
    {
        auto x = analyticCapture(probe, 100.0);
        x.resize(kPeriod);
        const auto r = estimator.estimate(x);
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == Refusal::notSettled);
    }
    SECTION("not a pure delay: each tone delayed differently")
    {
        // The coarse tones arrive with random phases: no single delay explains them.
        std::vector<float> x(len, 0.0f);
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> ph(0.0, 2.0 * 3.14159265358979);
        std::array<double, kNumTones> extra{};
        for (auto& e : extra)
            e = ph(rng);
        extra[0] = 0.0;
        for (std::size_t n = 200; n < x.size(); ++n)
        {
            double s = 0.0;
            for (std::size_t i = 0; i < probe.tones().size(); ++i)
            {
                const auto& t = probe.tones()[i];
                s += t.amplitude * std::cos(2.0 * 3.14159265358979 * t.frequency() * (double(n) - 200.0) +
                                            t.phase + extra[i]);
            }
            x[n] = static_cast<float>(s);
        }
        const auto r = estimator.estimate(x);
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == Refusal::inconsistent);
    }
}

TEST_CASE("latency probe and loopback line: block-size invariance", "[core][analysis]")
{
    MultiToneProbe whole(0.5);
    std::vector<float> ref(20000);
    whole.process(ref.data(), ref.size());
    LoopbackSettings s;
    s.delaySamples = 100.5;
    s.gain = -0.8;
    s.noiseDb = -60.0;
    LoopbackLine line;
    line.prepare(s);
    std::vector<float> refOut(ref.size());
    line.process(ref.data(), refOut.data(), ref.size());

    for (std::size_t block : {std::size_t(1), std::size_t(7), std::size_t(64), std::size_t(1000)})
    {
        MultiToneProbe p(0.5);
        line.reset();
        std::vector<float> x(ref.size()), y(ref.size());
        for (std::size_t pos = 0; pos < x.size(); pos += block)
        {
            const auto n = std::min(block, x.size() - pos);
            p.process(x.data() + pos, n);
            line.process(x.data() + pos, y.data() + pos, n);
        }
        INFO("block " << block);
        CHECK(x == ref);
        CHECK(y == refOut); // noise restarts identically after reset()
    }
}

TEST_CASE("loopback line: integer delays are exact copies, fractional taps sum to one", "[core][analysis]")
{
    std::vector<float> x(300);
    for (std::size_t n = 0; n < x.size(); ++n)
        x[n] = static_cast<float>(std::sin(0.1 * double(n)) + 0.001 * double(n));
    for (double d : {0.0, 1.0, 17.0, 200.0})
    {
        LoopbackLine line;
        line.prepare({d, 1.0, -300.0, 1});
        std::vector<float> y(x.size());
        line.process(x.data(), y.data(), x.size());
        const auto k = static_cast<std::size_t>(d);
        for (std::size_t n = 0; n < x.size(); ++n)
            REQUIRE(y[n] == (n >= k ? x[n - k] : 0.0f));
    }
    for (double d : {0.5, 3.25, 64.25, 1234.567})
    {
        LoopbackLine line;
        line.prepare({d, 1.0, -300.0, 1});
        double sum = 0.0;
        for (double t : line.taps())
            sum += t;
        CHECK(sum == Approx(1.0).margin(1e-12));
        CHECK(double(line.integerDelay()) + double(line.taps().size() / 2 - 1) + (d - std::floor(d)) ==
              Approx(d).margin(1e-9));
    }
}

TEST_CASE("latency estimator: a DC offset in the loop changes nothing", "[core][analysis]")
{
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    auto x = analyticCapture(probe, 64.25);
    for (std::size_t n = 65; n < x.size(); ++n)
        x[n] += 0.05f;
    const auto r = estimator.estimate(x);
    INFO(r.reason);
    REQUIRE(r.valid);
    CHECK(std::abs(r.frames - 64.25) <= 0.001);
}

TEST_CASE("latency estimator: a probe already running when the capture starts is refused", "[core][analysis]")
{
    // As if a previous run's probe were still in the loop: the onset (sample 0) says "no delay",
    // the phases say 30000.25 (mod 65536). Which multiple is right cannot be known: refuse.
    const MultiToneProbe probe(0.5);
    const LatencyEstimator estimator(probe);
    std::vector<float> x(kPeriod + 8192);
    for (std::size_t n = 0; n < x.size(); ++n)
        x[n] = static_cast<float>(probe.analyticSample(double(n) - 30000.25));
    const auto r = estimator.estimate(x);
    CHECK_FALSE(r.valid);
    CHECK(r.refusal == Refusal::ambiguous);
    CHECK_THAT(r.reason, Catch::Contains("disagree"));
}
