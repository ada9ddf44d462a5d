#include "Core/Analysis/Latency.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <complex>
#include <numbers>

#include <fmt/format.h>

namespace wb::latency
{
namespace
{
constexpr double kTwoPi = 2.0 * std::numbers::pi;

// Relative amplitudes before normalisation: the fine tone sets the precision, so it gets more
// of the probe's power; the coarse tones only have to decide a bit each (+-1/4 cycle margin).
constexpr double kFineWeight = 1.0;
constexpr double kCoarseWeight = 0.5;

// The coarse tones are spread over [kLowest, kHighest] cycles per sample (0.96-3.6 kHz at
// 48 kHz): far from DC (AC coupling), far below Nyquist (anti-alias filters).
constexpr double kLowest = 0.02;
constexpr double kHighest = 0.075;

std::array<Tone, kNumTones> designTones(int periodLog2)
{
    const std::int64_t period = std::int64_t{1} << periodLog2;
    const int count = numTonesFor(periodLog2);
    std::array<Tone, kNumTones> t{};
    for (auto& tone : t)
        tone.period = period;
    t[0].bin = period / 16;
    t[0].amplitude = kFineWeight;
    for (int i = 1; i < count; ++i)
    {
        // f_i * 2^(3+i) = 1/2 (mod 1)  <=>  bin_i is an odd multiple of period / 2^(4+i).
        const std::int64_t step = period >> (4 + i);
        const double target = kLowest + (kHighest - kLowest) * double(i - 1) / double(count - 2);
        auto odd = static_cast<std::int64_t>(std::llround((target * double(period) / double(step) - 1.0) / 2.0)) * 2 + 1;
        odd = std::max<std::int64_t>(odd, 1);
        t[static_cast<std::size_t>(i)].bin = odd * step;
        t[static_cast<std::size_t>(i)].amplitude = kCoarseWeight;
    }
    // Schroeder-like phases keep the crest factor low; the exact peak is measured afterwards.
    for (int i = 0; i < count; ++i)
        t[static_cast<std::size_t>(i)].phase = std::numbers::pi * double(i * i) / double(count);
    return t;
}

double wrapCycles(double c) noexcept // to [-0.5, 0.5)
{
    return c - std::floor(c + 0.5);
}
} // namespace

// ---------------------------------------------------------------------------------------------
MultiToneProbe::MultiToneProbe(double peakLevel, int periodLog2)
    : log2Period(std::clamp(periodLog2, kMinPeriodLog2, kPeriodLog2)),
      periodLength(std::int64_t{1} << log2Period), toneCount(numTonesFor(log2Period)),
      toneSet(designTones(log2Period)), peak(std::clamp(peakLevel, 1.0e-6, 1.0)),
      table(static_cast<std::size_t>(periodLength))
{
    std::vector<double> raw(static_cast<std::size_t>(periodLength), 0.0);
    for (const auto& tone : tones())
        for (std::int64_t p = 0; p < periodLength; ++p)
        {
            const auto k = (tone.bin * p) & (periodLength - 1); // exact phase index
            raw[static_cast<std::size_t>(p)] +=
                tone.amplitude * std::cos(kTwoPi * double(k) / double(periodLength) + tone.phase);
        }
    double rawPeak = 0.0;
    for (double v : raw)
        rawPeak = std::max(rawPeak, std::abs(v));
    const double scale = peak / rawPeak;
    for (auto& tone : toneSet)
        tone.amplitude *= scale;
    for (std::size_t p = 0; p < raw.size(); ++p)
        table[p] = static_cast<float>(raw[p] * scale);
}

void MultiToneProbe::process(float* out, std::size_t count) noexcept
{
    for (std::size_t n = 0; n < count; ++n)
        out[n] = table[static_cast<std::size_t>((position + std::int64_t(n)) & (periodLength - 1))];
    position += static_cast<std::int64_t>(count);
}

double MultiToneProbe::analyticSample(double index) const noexcept
{
    // Reduce the argument exactly-ish: index = whole + frac, whole taken modulo the period.
    const double whole = std::floor(index);
    const double frac = index - whole;
    const auto w = static_cast<std::int64_t>(whole) & (periodLength - 1);
    double s = 0.0;
    for (const auto& tone : tones())
    {
        const auto k = (tone.bin * w) & (periodLength - 1);
        const double cycles = double(k) / double(periodLength) + tone.frequency() * frac;
        s += tone.amplitude * std::cos(kTwoPi * cycles + tone.phase);
    }
    return s;
}

// ---------------------------------------------------------------------------------------------
const char* refusalName(Refusal r) noexcept
{
    switch (r)
    {
    case Refusal::none: return "none";
    case Refusal::noSignal: return "no signal";
    case Refusal::clipped: return "signal clipped";
    case Refusal::notSettled: return "capture too short after the onset";
    case Refusal::tooWeak: return "signal too weak";
    case Refusal::tooNoisy: return "signal too noisy";
    case Refusal::inconsistent: return "tones inconsistent";
    case Refusal::ambiguous: return "ambiguous";
    }
    return "unknown";
}

std::int64_t findOnset(std::span<const float> x, double threshold) noexcept
{
    for (std::size_t n = 0; n < x.size(); ++n)
        if (std::abs(double(x[n])) >= threshold)
            return static_cast<std::int64_t>(n);
    return -1;
}

LatencyEstimator::LatencyEstimator(const MultiToneProbe& probe, EstimatorSettings s)
    : period(probe.period()), toneCount(static_cast<int>(probe.tones().size())), probePeak(probe.peakLevel()),
      settings(s), cosTable(static_cast<std::size_t>(period)), sinTable(static_cast<std::size_t>(period))
{
    std::copy(probe.tones().begin(), probe.tones().end(), tones.begin());
    for (std::int64_t k = 0; k < period; ++k)
    {
        const double a = kTwoPi * double(k) / double(period);
        cosTable[static_cast<std::size_t>(k)] = std::cos(a);
        sinTable[static_cast<std::size_t>(k)] = std::sin(a);
    }
}

namespace
{
struct Resolution
{
    double delay = 0.0;      // modulo the period, in [0, period)
    double worstError = 0.0; // worst bit-decision residual, cycles (0..0.25)
};

// mu[i] = f_i * d (mod 1) for the polarity hypothesis at hand.
Resolution resolve(std::span<const Tone> tones, const std::array<double, kNumTones>& mu)
{
    Resolution r;
    double d = mu[0] - std::floor(mu[0]); // cycles of the fine tone, [0, 1)
    d /= tones[0].frequency();            // samples, [0, 16)
    double period = 1.0 / tones[0].frequency();
    for (std::size_t i = 1; i < tones.size(); ++i)
    {
        const auto& tone = tones[i];
        double res = mu[static_cast<std::size_t>(i)] - tone.frequency() * d;
        res -= std::floor(res);         // [0, 1)
        const double half = res * 2.0;  // ~0 or ~2 -> bit 0, ~1 -> bit 1
        const double k = std::round(half);
        r.worstError = std::max(r.worstError, std::abs(half - k) / 2.0);
        if (static_cast<long long>(k) % 2 != 0)
            d += period;
        period *= 2.0;
    }
    r.delay = d;
    return r;
}
} // namespace

LatencyResult LatencyEstimator::estimate(std::span<const float> capture, std::int64_t firstProbeIndex) const
{
    LatencyResult out;
    auto refuse = [&out](Refusal why, std::string text)
    {
        out.valid = false;
        out.refusal = why;
        out.reason = fmt::format("{}: {}", refusalName(why), text);
        return out;
    };

    double capturePeak = 0.0;
    for (float v : capture)
        capturePeak = std::max(capturePeak, std::abs(double(v)));
    if (capturePeak < settings.noSignalLevel)
        return refuse(Refusal::noSignal, fmt::format("capture peak {:.1f} dBFS",
                                                     20.0 * std::log10(std::max(capturePeak, 1e-12))));

    out.onset = findOnset(capture, settings.onsetRelative * capturePeak);
    const std::int64_t start = out.onset + settings.settleMargin;
    const auto size = static_cast<std::int64_t>(capture.size());
    const std::int64_t periods = start < size ? (size - start) / period : 0;
    if (periods < 1)
        return refuse(Refusal::notSettled,
                      fmt::format("{} samples captured, {} needed (onset at {})", size,
                                  requiredLength(out.onset), out.onset));
    out.windowStart = start;
    out.windowLength = periods * period;
    const auto window = capture.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(out.windowLength));

    int clippedSamples = 0;
    double energy = 0.0, sum = 0.0;
    for (float v : window)
    {
        const double a = std::abs(double(v));
        clippedSamples += a >= settings.clipLevel ? 1 : 0;
        energy += a * a;
        sum += double(v);
    }
    // A DC offset is orthogonal to every tone over whole periods: it is neither signal nor
    // residual.
    energy = std::max(0.0, energy - sum * sum / double(out.windowLength));
    if (clippedSamples > settings.maxClippedSamples)
        return refuse(Refusal::clipped, fmt::format("{} samples at or above {:.4f}", clippedSamples,
                                                    settings.clipLevel));

    // Quadrature sums with exact integer phase indices: c_i = (2/L) sum x[n] e^{-j 2 pi f_i p}.
    std::array<std::complex<double>, kNumTones> c{};
    const std::span<const Tone> toneSpan(tones.data(), static_cast<std::size_t>(toneCount));
    const std::int64_t p0 = (firstProbeIndex + start) & (period - 1);
    for (std::size_t i = 0; i < toneSpan.size(); ++i)
    {
        const std::int64_t bin = tones[i].bin;
        double re = 0.0, im = 0.0;
        std::int64_t k = (bin * p0) & (period - 1);
        for (float v : window)
        {
            re += double(v) * cosTable[static_cast<std::size_t>(k)];
            im -= double(v) * sinTable[static_cast<std::size_t>(k)];
            k = (k + bin) & (period - 1);
        }
        c[i] = std::complex<double>(re, im) * (2.0 / double(out.windowLength));
    }

    // Each tone's transfer: h_i = c_i / (a_i e^{j phi_i}) = g e^{-j 2 pi f_i d}.
    std::array<std::complex<double>, kNumTones> h{};
    double modelEnergy = 0.0;
    for (std::size_t i = 0; i < toneSpan.size(); ++i)
    {
        h[i] = c[i] / std::polar(tones[i].amplitude, tones[i].phase);
        modelEnergy += 0.5 * std::norm(c[i]) * double(out.windowLength);
    }
    const double gain = std::abs(h[0]);
    out.gainDb = 20.0 * std::log10(std::max(gain, 1e-12));
    const double residual = std::max(energy - modelEnergy, energy * 1e-16);
    out.snrDb = 10.0 * std::log10(std::max(modelEnergy, 1e-300) / residual);
    if (out.gainDb < settings.minGainDb)
        return refuse(Refusal::tooWeak, fmt::format("round-trip gain {:.1f} dB < {:.1f} dB", out.gainDb,
                                                    settings.minGainDb));
    if (out.snrDb < settings.minSnrDb)
        return refuse(Refusal::tooNoisy,
                      fmt::format("signal-to-residual {:.1f} dB < {:.1f} dB", out.snrDb, settings.minSnrDb));

    // Phases in cycles for both polarity hypotheses: mu_i = f_i d (mod 1).
    std::array<double, kNumTones> muNormal{}, muInverted{};
    for (std::size_t i = 0; i < toneSpan.size(); ++i)
    {
        muNormal[i] = -std::arg(h[i]) / kTwoPi;
        muInverted[i] = -std::arg(-h[i]) / kTwoPi;
    }
    const Resolution normal = resolve(toneSpan, muNormal);
    const Resolution inverted = resolve(toneSpan, muInverted);
    const bool useInverted = inverted.worstError < normal.worstError;
    const Resolution& best = useInverted ? inverted : normal;
    const Resolution& other = useInverted ? normal : inverted;
    out.inverted = useInverted;
    if (best.worstError > settings.maxPhaseErrorCycles)
        return refuse(Refusal::inconsistent,
                      fmt::format("worst tone disagrees by {:.3f} cycle (limit {:.3f})", best.worstError,
                                  settings.maxPhaseErrorCycles));
    if (other.worstError <= settings.maxPhaseErrorCycles)
        return refuse(Refusal::ambiguous, "both polarities fit the tones");

    // The phases know d modulo the period; the onset picks the multiple. The onset is the first
    // sample over the threshold, i.e. at (or just after, or a filter's pre-ringing before) the
    // true arrival: within a few samples of firstProbeIndex + onset.
    const double coarse = double(firstProbeIndex + out.onset);
    double d = best.delay;
    d += std::round((coarse - d) / double(period)) * double(period);
    // Guards: a round trip is causal, and a true onset lies within a few samples (a filter's
    // pre-ringing, a slow attack) of the phase estimate; a quarter period off means the onset
    // was noise or an earlier signal, and the multiple of the period cannot be trusted.
    if (d < -1.0 || std::abs(d - coarse) > double(period) / 4.0)
        return refuse(Refusal::ambiguous,
                      fmt::format("the onset (sample {}) and the tones' phase ({:.3f} mod {}) disagree", out.onset,
                                  best.delay, period));

    // Final agreement of every tone with d, reported as the consistency metric.
    const auto& mu = useInverted ? muInverted : muNormal;
    double worst = 0.0;
    for (std::size_t i = 0; i < toneSpan.size(); ++i)
        worst = std::max(worst, std::abs(wrapCycles(mu[i] - tones[i].frequency() * d)));
    out.phaseErrorCycles = worst;
    if (worst > settings.maxPhaseErrorCycles)
        return refuse(Refusal::inconsistent, fmt::format("a tone disagrees by {:.3f} cycle", worst));

    out.valid = true;
    out.refusal = Refusal::none;
    out.reason.clear();
    out.frames = d;
    return out;
}
} // namespace wb::latency
