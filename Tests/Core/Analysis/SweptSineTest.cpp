// The synchronized swept-sine analysis against answers computed here independently: a pure
// (fractional) delay made by a windowed-sinc filter, a memoryless polynomial whose harmonics are
// known in closed form, and the refusals.
#include "Core/Analysis/SteppedTone.h"
#include "Core/Analysis/SweptSine.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <span>
#include <vector>

using namespace wb::analysis;

namespace
{
SweptSineSettings quickSettings()
{
    SweptSineSettings s;
    s.fromHz = 20.0;
    s.toHz = 20000.0;
    s.seconds = 1.0;
    s.sampleRate = 48000.0;
    s.levelDbfs = -6.0;
    s.tailSeconds = 0.3;
    return s;
}

/// x delayed by `delay` frames (> halfLength) through a Blackman-windowed sinc of 2 halfLength + 1
/// taps: flat to ~0.001 dB and linear-phase well below the Nyquist frequency.
std::vector<float> fractionalDelay(const std::vector<float>& x, double delay, int halfLength)
{
    const double centre = std::floor(delay);
    const double frac = delay - centre;
    const int taps = 2 * halfLength + 1;
    std::vector<double> kernel(static_cast<std::size_t>(taps));
    for (int i = 0; i < taps; ++i)
    {
        const double t = static_cast<double>(i - halfLength) - frac;
        const double sinc = t == 0.0 ? 1.0 : std::sin(std::numbers::pi * t) / (std::numbers::pi * t);
        const double u = (t + halfLength + 1) / (taps + 1); // Blackman over the span, centred on t = 0
        const double w = 0.42 - 0.5 * std::cos(2.0 * std::numbers::pi * u) + 0.08 * std::cos(4.0 * std::numbers::pi * u);
        kernel[static_cast<std::size_t>(i)] = sinc * w;
    }
    const auto shift = static_cast<std::int64_t>(centre) - halfLength;
    std::vector<float> y(x.size(), 0.0f);
    for (std::int64_t n = 0; n < static_cast<std::int64_t>(y.size()); ++n)
    {
        double acc = 0.0;
        for (int i = 0; i < taps; ++i)
        {
            const std::int64_t m = n - shift - i;
            if (m >= 0 && m < static_cast<std::int64_t>(x.size()))
                acc += kernel[static_cast<std::size_t>(i)] * static_cast<double>(x[static_cast<std::size_t>(m)]);
        }
        y[static_cast<std::size_t>(n)] = static_cast<float>(acc);
    }
    return y;
}
} // namespace

TEST_CASE("swept sine: the sweep is synchronized (harmonic k is the sweep advanced by L ln k)", "[core][analysis]")
{
    for (double seconds : {0.7, 1.0, 2.3})
    {
        auto s = quickSettings();
        s.seconds = seconds;
        REQUIRE_FALSE(validateSweptSine(s));
        const SynchronizedSweep sweep(s);
        const double f1L = s.fromHz * sweep.rateL();
        CHECK(std::abs(f1L - std::round(f1L)) < 1e-9);
        CHECK(std::abs(sweep.durationSeconds() - seconds) < 1.0 / s.fromHz * std::log(s.toHz / s.fromHz));
        const double L = sweep.rateL();
        auto phase = [&](double t) { return 2.0 * std::numbers::pi * s.fromHz * L * std::expm1(t / L); };
        for (int k = 2; k <= 9; ++k)
            for (double t : {0.01, 0.1, 0.3})
            {
                const double shifted = t + L * std::log(static_cast<double>(k));
                CHECK(std::sin(k * phase(t)) == Approx(std::sin(phase(shifted))).margin(1e-6));
            }
    }
}

TEST_CASE("swept sine: a pure fractional delay is measured flat, to 0.01 frame and 1 degree", "[core][analysis]")
{
    const auto s = quickSettings();
    const SynchronizedSweep sweep(s);
    const auto x = sweep.excitation();
    for (double delay : {0.0, 37.0, 300.25, 1000.62})
    {
        INFO("delay " << delay);
        const auto y = delay == 0.0 ? x : fractionalDelay(x, delay, 256);
        const auto r = analyseSweptSine(sweep, y);
        INFO(r.reason);
        REQUIRE(r.valid);
        CHECK(std::abs(r.delayFrames - delay) < 0.01);
        CHECK(r.snrDb > 40.0);
        int checked = 0;
        for (const auto& p : r.response)
        {
            if (p.hz < 30.0 || p.hz > 18000.0)
                continue;
            INFO(p.hz << " Hz: " << p.db << " dB, " << p.deg << " deg");
            CHECK(std::abs(p.db) < 0.05);
            CHECK(std::abs(p.deg) < 1.0);
            ++checked;
        }
        CHECK(checked > 200);
        // The impulse response peaks at the delay, with unit gain.
        REQUIRE(r.impulseResponseFirstLag < 0);
        const auto at = static_cast<std::size_t>(std::llround(delay) - r.impulseResponseFirstLag);
        REQUIRE(r.impulseResponse.size() > at);
        CHECK(std::abs(r.impulseResponse[at]) > 0.5f);
    }
}

TEST_CASE("swept sine: an inverting gain reads its gain and 180 degrees", "[core][analysis]")
{
    const auto s = quickSettings();
    const SynchronizedSweep sweep(s);
    auto y = sweep.excitation();
    const double gain = -0.25; // -12.04 dB, inverted
    for (auto& v : y)
        v = static_cast<float>(gain * static_cast<double>(v));
    const auto r = analyseSweptSine(sweep, y);
    REQUIRE(r.valid);
    CHECK(std::abs(r.delayFrames) < 0.01);
    for (const auto& p : r.response)
        if (p.hz >= 30.0 && p.hz <= 18000.0)
        {
            CHECK(p.db == Approx(20.0 * std::log10(0.25)).margin(0.05));
            CHECK(std::abs(std::abs(p.deg) - 180.0) < 1.0);
        }
}

TEST_CASE("swept sine: a memoryless polynomial's H2 and H3 within 0.2 dB of theory", "[core][analysis]")
{
    // y = x + a x^2 + b x^3 with x = A sin(phi): x^2 = A^2 (1 - cos 2 phi) / 2,
    // x^3 = A^3 (3 sin phi - sin 3 phi) / 4. Fundamental A (1 + 3 b A^2 / 4); second harmonic
    // a A^2 / 2; third b A^3 / 4; higher ones zero.
    auto s = quickSettings();
    s.seconds = 2.0;
    const SynchronizedSweep sweep(s);
    const double amplitude = sweep.amplitude();
    for (const auto& [a, b] : {std::pair{0.1, 0.05}, std::pair{0.02, 0.3}, std::pair{-0.2, -0.04}})
    {
        INFO("a " << a << ", b " << b);
        auto y = sweep.excitation();
        for (auto& v : y)
        {
            const auto x = static_cast<double>(v);
            v = static_cast<float>(x + a * x * x + b * x * x * x);
        }
        const auto r = analyseSweptSine(sweep, y);
        INFO(r.reason);
        REQUIRE(r.valid);
        const double fundamental = amplitude * (1.0 + 0.75 * b * amplitude * amplitude);
        const double h2 = 20.0 * std::log10(std::abs(a) * amplitude * amplitude / 2.0 / fundamental);
        const double h3 = 20.0 * std::log10(std::abs(b) * amplitude * amplitude * amplitude / 4.0 / fundamental);
        const double thd = 10.0 * std::log10(std::pow(10.0, h2 / 10.0) + std::pow(10.0, h3 / 10.0));
        int checked = 0;
        int masked = 0;
        for (const auto& p : r.distortion)
        {
            if (p.hz < 3.0 * s.fromHz || p.hz > s.toHz / 3.0) // see SweptSine.h: where harmonics are measurable
                continue;
            INFO(p.hz << " Hz: H2 " << p.harmonicsDb[0] << " (floor " << p.floorDb[0] << "), H3 " << p.harmonicsDb[1]
                      << " (floor " << p.floorDb[1] << "), THD " << p.thdDb << " (floor " << p.thdFloorDb << ")");
            // Reported within 0.2 dB of theory; masked only where theory itself is not clear of
            // the floor (margin + the 0.2 dB tolerance).
            for (const auto& [k, theory] : {std::pair{0, h2}, std::pair{1, h3}})
            {
                const double reported = p.harmonicsDb[static_cast<std::size_t>(k)];
                const double floor = p.floorDb[static_cast<std::size_t>(k)];
                REQUIRE(std::isfinite(floor));
                if (std::isnan(reported))
                {
                    CHECK(theory < floor + kDistortionFloorMarginDb + 0.2);
                    ++masked;
                }
                else
                    CHECK(std::abs(reported - theory) < 0.2);
            }
            // THD sums the reported harmonics: both reported here, so THD is theory's.
            if (!std::isnan(p.harmonicsDb[0]) && !std::isnan(p.harmonicsDb[1]))
                CHECK(std::abs(p.thdDb - thd) < 0.2);
            for (std::size_t k = 2; k < p.harmonicsDb.size(); ++k)
                if (!std::isnan(p.harmonicsDb[k]))
                    CHECK(p.harmonicsDb[k] < std::max(h2, h3) - 30.0);
            ++checked;
        }
        CHECK(checked > 100);
        CHECK(2 * checked - masked > 250); // H2 and H3 checked against theory at > 250 points
        CHECK(checked > 100);
        // The linear response holds the third-order term's contribution to the fundamental.
        // (0.1 dB: applied at 48 kHz, the cubic's third harmonic of 16..20 kHz aliases to a
        // falling chirp that the deconvolution smears into the linear window.)
        for (const auto& p : r.response)
            if (p.hz >= 40.0 && p.hz <= 10000.0)
            {
                INFO(p.hz << " Hz");
                CHECK(p.db == Approx(20.0 * std::log10(fundamental / amplitude)).margin(0.1));
            }
    }
}

TEST_CASE("swept sine: a linear system reports no harmonic above the method's floor, which rises near --from",
          "[core][analysis]")
{
    // Exactly linear systems (identity, an exact inverting gain of -0.25, a whole-sample delay)
    // have no distortion at all: every harmonic and THD must be masked (null), at every
    // frequency, for a 1 s and a 2 s sweep; the floor is reported instead.
    for (double seconds : {1.0, 2.0})
    {
        auto s = quickSettings();
        s.seconds = seconds;
        const SynchronizedSweep sweep(s);
        const auto x = sweep.excitation();
        for (int system = 0; system < 3; ++system)
        {
            INFO(seconds << " s sweep, system " << system);
            std::vector<float> y = x;
            if (system == 1)
                for (auto& v : y)
                    v = -0.25f * v;
            if (system == 2)
            {
                std::fill(y.begin(), y.end(), 0.0f);
                std::copy(x.begin(), x.end() - 37, y.begin() + 37);
            }
            const auto r = analyseSweptSine(sweep, y);
            INFO(r.reason);
            REQUIRE(r.valid);
            REQUIRE(r.distortion.size() > 100);
            for (const auto& p : r.distortion)
            {
                INFO(p.hz << " Hz");
                CHECK(std::isnan(p.thdDb));
                CHECK(std::isfinite(p.thdFloorDb));
                for (std::size_t k = 0; k < p.harmonicsDb.size(); ++k)
                    CHECK(std::isnan(p.harmonicsDb[k]));
                CHECK(std::isfinite(p.floorDb[0]));
            }
            // The floor is what made a linear system read -27 dB THD at 20 Hz before: it is high
            // at --from and falls by more than 40 dB within three octaves.
            const auto& first = r.distortion.front();
            CHECK(first.hz == Approx(s.fromHz));
            CHECK(first.thdFloorDb > -45.0);
            for (const auto& p : r.distortion)
                if (p.hz >= 8.0 * s.fromHz && p.hz <= 1000.0)
                    CHECK(p.thdFloorDb < first.thdFloorDb - 40.0);
        }
    }
}

TEST_CASE("swept sine: refusals are reasons, not numbers", "[core][analysis]")
{
    const auto s = quickSettings();
    const SynchronizedSweep sweep(s);
    const auto x = sweep.excitation();

    SECTION("silence")
    {
        const std::vector<float> y(x.size(), 0.0f);
        const auto r = analyseSweptSine(sweep, y);
        CHECK_FALSE(r.valid);
        CHECK(r.refusal == SweepRefusal::noSignal);
        CHECK(r.response.empty());
    }
    SECTION("clipping")
    {
        auto y = x;
        for (auto& v : y)
            v = std::clamp(4.0f * v, -1.0f, 1.0f);
        const auto r = analyseSweptSine(sweep, y);
        CHECK(r.refusal == SweepRefusal::clipped);
        CHECK_FALSE(r.reason.empty());
    }
    SECTION("buried in noise")
    {
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(0.0f, 0.1f);
        auto y = x;
        for (auto& v : y)
            v = 0.001f * v + noise(rng);
        const auto r = analyseSweptSine(sweep, y);
        CHECK(r.refusal == SweepRefusal::tooNoisy);
    }
    SECTION("a visible response under too much noise")
    {
        std::mt19937 rng(11);
        std::normal_distribution<float> noise(0.0f, 0.2f);
        auto y = x;
        for (auto& v : y)
            v = 0.3f * v + noise(rng);
        const auto r = analyseSweptSine(sweep, y);
        CHECK(r.refusal == SweepRefusal::tooNoisy);
    }
    SECTION("a delay longer than the tail")
    {
        const auto tail = static_cast<std::size_t>(sweep.captureFrames() - sweep.sweepFrames());
        std::vector<float> y(x.size(), 0.0f);
        std::copy(x.begin(), x.end() - static_cast<std::ptrdiff_t>(tail + 500), y.begin() + static_cast<std::ptrdiff_t>(tail + 500));
        const auto r = analyseSweptSine(sweep, y);
        CHECK(r.refusal == SweepRefusal::delayDoesNotFit);
    }
    SECTION("a capture that started late (negative delay)")
    {
        std::vector<float> y(x.size(), 0.0f);
        std::copy(x.begin() + 2000, x.end(), y.begin());
        const auto r = analyseSweptSine(sweep, y);
        CHECK(r.refusal == SweepRefusal::delayDoesNotFit);
    }
    SECTION("a short capture")
    {
        const std::vector<float> y(x.begin(), x.begin() + 1000);
        const auto r = analyseSweptSine(sweep, y);
        CHECK(r.refusal == SweepRefusal::tooShort);
    }
}

TEST_CASE("swept sine: bad settings are refused", "[core][analysis]")
{
    auto s = quickSettings();
    s.toHz = 30000.0;
    CHECK(validateSweptSine(s));
    s = quickSettings();
    s.fromHz = 1000.0;
    s.toHz = 500.0;
    CHECK(validateSweptSine(s));
    s = quickSettings();
    s.seconds = 0.0;
    CHECK(validateSweptSine(s));
    s = quickSettings();
    s.levelDbfs = 3.0;
    CHECK(validateSweptSine(s));
    CHECK_FALSE(validateSweptSine(quickSettings()));
}

TEST_CASE("swept sine: a one-pole low-pass reads its analytic magnitude, phase and group delay", "[core][analysis]")
{
    // y[n] = (1 - a) x[n] + a y[n - 1]: H = (1 - a) / (1 - a e^{-jw});
    // |H|^2 = (1 - a)^2 / (1 - 2 a cos w + a^2), arg H = -atan2(a sin w, 1 - a cos w),
    // group delay = (a cos w - a^2) / (1 - 2 a cos w + a^2) samples.
    auto s = quickSettings();
    s.seconds = 2.0;
    const SynchronizedSweep sweep(s);
    auto y = sweep.excitation();
    const double a = 0.98;
    double state = 0.0;
    for (auto& v : y)
    {
        state = (1.0 - a) * static_cast<double>(v) + a * state;
        v = static_cast<float>(state);
    }
    const auto r = analyseSweptSine(sweep, y);
    INFO(r.reason);
    REQUIRE(r.valid);
    int checked = 0;
    for (const auto& p : r.response)
    {
        if (p.hz < 30.0 || p.hz > 18000.0)
            continue;
        const double w = 2.0 * std::numbers::pi * p.hz / s.sampleRate;
        const double denominator = 1.0 - 2.0 * a * std::cos(w) + a * a;
        const double magnitudeDb = 10.0 * std::log10((1.0 - a) * (1.0 - a) / denominator);
        const double phase = -std::atan2(a * std::sin(w), 1.0 - a * std::cos(w)) + w * r.delayFrames;
        const double groupDelayMs = 1000.0 * (a * std::cos(w) - a * a) / denominator / s.sampleRate;
        const double phaseError = std::remainder(p.deg - phase * 180.0 / std::numbers::pi, 360.0);
        INFO(p.hz << " Hz: " << p.db << " dB (" << magnitudeDb << "), " << p.deg << " deg, gd " << p.groupDelayMs
                  << " ms (" << groupDelayMs << ")");
        CHECK(std::abs(p.db - magnitudeDb) < 0.05);
        CHECK(std::abs(phaseError) < 1.0);
        // Group delay magnifies any tiny phase ripple (a -70 dB echo of the window makes
        // +-0.13 ms near 30 Hz): 0.15 ms below 100 Hz, 0.01 ms (half a sample) above.
        CHECK(std::abs(p.groupDelayMs - groupDelayMs) < (p.hz < 100.0 ? 0.15 : 0.01));
        ++checked;
    }
    CHECK(checked > 200);
}

TEST_CASE("stepped tone: a memoryless polynomial's H2, H3, THD and THD+N match theory", "[core][analysis]")
{
    // As for the sweep: x = A sin, y = x + a x^2 + b x^3; fundamental A (1 + 3 b A^2 / 4),
    // H2 a A^2 / 2, H3 b A^3 / 4 (THD+N also sees only these: no noise here).
    const double a = 0.1;
    const double b = 0.05;
    for (double hz : {100.0, 997.0, 6000.0})
    {
        INFO(hz << " Hz");
        SteppedToneSettings s;
        s.hz = hz;
        s.levelDbfs = -6.0;
        REQUIRE_FALSE(validateSteppedTone(s));
        auto y = steppedToneExcitation(s);
        for (auto& v : y)
        {
            const auto x = static_cast<double>(v);
            v = static_cast<float>(x + a * x * x + b * x * x * x);
        }
        const auto r = analyseSteppedTone(s, y);
        INFO(r.reason);
        REQUIRE(r.valid);
        const double amplitude = std::pow(10.0, -6.0 / 20.0);
        const double fundamental = amplitude * (1.0 + 0.75 * b * amplitude * amplitude);
        const double h2 = 20.0 * std::log10(a * amplitude * amplitude / 2.0 / fundamental);
        const double h3 = 20.0 * std::log10(b * amplitude * amplitude * amplitude / 4.0 / fundamental);
        const double thd = 10.0 * std::log10(std::pow(10.0, h2 / 10.0) + std::pow(10.0, h3 / 10.0));
        CHECK(r.harmonicsDb[0] == Approx(h2).margin(0.05));
        CHECK(r.harmonicsDb[1] == Approx(h3).margin(0.05));
        CHECK(r.thdDb == Approx(thd).margin(0.05));
        CHECK(r.thdnDb == Approx(thd).margin(0.05));
        CHECK(r.fittedHz == Approx(hz).epsilon(1e-6));
    }
}

TEST_CASE("stepped tone: refusals", "[core][analysis]")
{
    SteppedToneSettings s;
    const auto x = steppedToneExcitation(s);
    CHECK_FALSE(analyseSteppedTone(s, std::vector<float>(x.size(), 0.0f)).valid);
    auto loud = x;
    for (auto& v : loud)
        v *= 4.0f;
    const auto clipped = analyseSteppedTone(s, loud);
    CHECK_FALSE(clipped.valid);
    CHECK(clipped.reason.find("full scale") != std::string::npos);
    CHECK_FALSE(analyseSteppedTone(s, std::span<const float>(x).first(1000)).valid);
    s.hz = 30000.0;
    CHECK(validateSteppedTone(s));
}

TEST_CASE("swept sine: the noise floor of a silent capture matches white noise's theory", "[core][analysis]")
{
    // White noise of variance s^2 deconvolved by the sweep's inverse 1/(A X(f)),
    // |X(f)|^2 = fs^2 L / (4 f) (Novak eq. 42: |X| = sqrt(L / f) / 2 per Hz, times fs per DFT
    // bin): near the linear window every frequency's noise comes from inside the capture, so its
    // spectral density there is s^2 / (A^2 |X(f)|^2); windowed (sum of squared weights P) and
    // Fourier transformed: E|N(f)|^2 = P s^2 / (A^2 |X(f)|^2). It rises 3 dB per octave (the
    // sweep spends less time at high frequencies).
    auto s = quickSettings();
    const SynchronizedSweep sweep(s);
    const auto x = sweep.excitation();
    const double sigma = 1e-3;
    std::mt19937 rng(5);
    std::normal_distribution<double> noise(0.0, sigma);
    auto capture = x;
    for (auto& v : capture)
        v = static_cast<float>(static_cast<double>(v) + noise(rng));
    std::vector<float> silence(x.size());
    for (auto& v : silence)
        v = static_cast<float>(noise(rng));
    const auto r = analyseSweptSine(sweep, capture, silence);
    INFO(r.reason);
    REQUIRE(r.valid);
    const double amplitude = sweep.amplitude();
    double measured = 0.0;
    double expected = 0.0;
    int count = 0;
    for (const auto& p : r.response)
    {
        REQUIRE_FALSE(std::isnan(p.noiseDb));
        if (p.hz < 100.0 || p.hz > 10000.0)
            continue;
        const double x2 = s.sampleRate * s.sampleRate * sweep.rateL() / (4.0 * p.hz);
        const double want = r.windowPowerFrames * sigma * sigma / (amplitude * amplitude * x2);
        measured += std::pow(10.0, p.noiseDb / 10.0) / want;
        expected += 1.0;
        ++count;
    }
    REQUIRE(count > 100);
    const double ratioDb = 10.0 * std::log10(measured / expected);
    INFO("mean measured/theory power " << ratioDb << " dB over " << count << " points");
    CHECK(std::abs(ratioDb) < 0.5);
    // Without a silent capture there is no floor.
    const auto plain = analyseSweptSine(sweep, capture);
    CHECK(std::isnan(plain.response.front().noiseDb));

    // Each point's SNR (from the noise after the impulse response, no silent capture needed):
    // the same theory, the system being unity, SNR(f) = 1 / E|N(f)|^2.
    double snrMeasured = 0.0;
    int snrCount = 0;
    for (const auto& p : plain.response)
    {
        if (p.hz < 100.0 || p.hz > 10000.0)
            continue;
        const double x2 = s.sampleRate * s.sampleRate * sweep.rateL() / (4.0 * p.hz);
        const double want = plain.windowPowerFrames * sigma * sigma / (amplitude * amplitude * x2);
        snrMeasured += std::pow(10.0, -p.snrDb / 10.0) / want;
        ++snrCount;
    }
    const double snrRatioDb = 10.0 * std::log10(snrMeasured / snrCount);
    INFO("mean noise-to-signal of snr_db / theory " << snrRatioDb << " dB");
    CHECK(std::abs(snrRatioDb) < 0.5);
}

TEST_CASE("swept sine: a band buried in noise is refused by its per-point SNR, naming where", "[core][analysis]")
{
    // A hum-like tone at 12 kHz through the whole capture: the overall SNR stays high, but the
    // points around 12 kHz (in the passband) sit below 20 dB, so the range asked is not
    // measurable there.
    const auto s = quickSettings();
    const SynchronizedSweep sweep(s);
    auto y = sweep.excitation();
    for (std::size_t n = 0; n < y.size(); ++n)
        y[n] += static_cast<float>(0.05 * std::sin(2.0 * std::numbers::pi * 12000.0 * double(n) / s.sampleRate));
    const auto r = analyseSweptSine(sweep, y);
    INFO(r.reason << " (overall SNR " << r.snrDb << " dB)");
    CHECK_FALSE(r.valid);
    CHECK(r.refusal == SweepRefusal::tooNoisy);
    CHECK(r.snrDb >= s.minSnrDb); // not the overall figure's refusal
    CHECK_THAT(r.reason, Catch::Contains("points within 20 dB of the response's peak"));
    // The worst point named lies within a sixth of an octave of the tone.
    const auto at = r.reason.find("worst ");
    REQUIRE(at != std::string::npos);
    const auto hzText = r.reason.substr(r.reason.find(" at ", at) + 4);
    const double worstHz = std::stod(hzText);
    CHECK(std::abs(std::log2(worstHz / 12000.0)) < 1.0 / 6.0);
    // Without the tone the same sweep passes, and every full-level point clears 20 dB.
    const auto clean = analyseSweptSine(sweep, sweep.excitation());
    REQUIRE(clean.valid);
    for (const auto& p : clean.response)
        if (p.hz > s.fromHz * 1.2 && p.hz < s.toHz * 0.97)
            CHECK(p.snrDb > 20.0);
}
