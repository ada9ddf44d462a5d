#pragma once
// Round-trip latency by multi-tone phase (the MTDM principle of Fons Adriaensen's jack_delay,
// re-derived and written here from scratch).
//
// The probe is a sum of cosines whose frequencies are exact multiples of 1/P cycles per sample,
// so the probe is periodic with period P (65536 samples by default; 4096..65536, a power of two,
// for a quicker measurement: see MultiToneProbe) and, over any
// window of whole periods, the tones are exactly orthogonal: a rectangular-window quadrature sum
// separates them with no leakage at all.
//
// How the delay d is found from the tones' phases (mu_i = f_i * d mod 1, in cycles):
//   * tone 0, the "fine" tone, has f_0 = 1/16: it gives d modulo 16 samples with the precision
//     that sets the accuracy (phase noise / (2 pi f_0));
//   * tone i (i = 1..12) has f_i * 2^(3+i) = 1/2 (mod 1). Knowing d modulo P = 2^(3+i), the
//     residual mu_i - f_i * d is ~0 or ~1/2 (mod 1): one bit, which gives d modulo 2P;
//   * after the log2(P) - 4 coarse tones d is known modulo P; the onset of the received
//     signal (a coarse time-domain estimate) picks the multiple of P, so the range is only
//     limited by the capture length.
// The residual of each bit decision (its distance to 0 or 1/2) says how well the tones agree;
// above EstimatorSettings::maxPhaseErrorCycles the estimate is refused, never reported.
// Inverted polarity shifts every tone by 1/2 cycle; both hypotheses are resolved and the one
// whose tones agree is kept (with these frequencies the wrong one always disagrees by 1/4 cycle
// at tone 1, so the two cannot be confused).
//
// Frequencies are in cycles per sample, so the probe scales with the sample rate
// (the fine tone is 3 kHz at 48 kHz, 2.76 kHz at 44.1 kHz).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wb::latency
{
/// The default (and longest) probe: period 2^16.
inline constexpr int kPeriodLog2 = 16;
/// The shortest probe period allowed: 2^12.
inline constexpr int kMinPeriodLog2 = 12;
/// Default probe period, analysis window and unambiguous phase range, in samples.
inline constexpr std::int64_t kPeriod = std::int64_t{1} << kPeriodLog2;
/// 1 fine tone + one coarse tone per bit from 2^5 to 2^16 (the most any probe has).
inline constexpr int kNumTones = 1 + (kPeriodLog2 - 4);

/// Tones of a probe of period 2^periodLog2.
[[nodiscard]] constexpr int numTonesFor(int periodLog2) noexcept
{
    return 1 + (periodLog2 - 4);
}

struct Tone
{
    std::int64_t bin = 0;        ///< frequency = bin / period cycles per sample
    double amplitude = 0.0;      ///< peak amplitude in the probe signal (linear)
    double phase = 0.0;          ///< radians at probe index 0
    std::int64_t period = kPeriod; ///< the probe's period

    [[nodiscard]] double frequency() const noexcept { return double(bin) / double(period); }
};

/// The probe signal. Construction computes one period into a table (allocates ~256 KB);
/// process(), reset() and sampleAt() never allocate and are wait-free (audio thread).
class MultiToneProbe
{
public:
    /// peakLevel: the probe's absolute peak (linear, 0 < peakLevel <= 1); periodLog2: the
    /// period is 2^periodLog2 samples (clamped to kMinPeriodLog2..kPeriodLog2). A shorter period
    /// gives a result sooner (one period of capture per run) with a noise error larger by
    /// sqrt(65536 / period); the range is not limited by it (the onset picks the multiple).
    /// Allocates.
    explicit MultiToneProbe(double peakLevel = 0.5, int periodLog2 = kPeriodLog2);

    [[nodiscard]] std::span<const Tone> tones() const noexcept
    {
        return {toneSet.data(), static_cast<std::size_t>(toneCount)};
    }
    [[nodiscard]] double peakLevel() const noexcept { return peak; }
    [[nodiscard]] std::int64_t period() const noexcept { return periodLength; }
    [[nodiscard]] int periodLog2() const noexcept { return log2Period; }

    /// The probe sample at any index >= 0 (index 0 is the first sample process() writes).
    [[nodiscard]] float sampleAt(std::int64_t index) const noexcept
    {
        return table[static_cast<std::size_t>(index & (periodLength - 1))];
    }

    /// Audio thread. Effects: writes the next `count` probe samples to `out`, advances the
    /// position. Wait-free, no allocation.
    void process(float* out, std::size_t count) noexcept;
    /// Audio thread. Effects: the next process() starts again at index 0. Wait-free.
    void reset() noexcept { position = 0; }
    [[nodiscard]] std::int64_t samplesWritten() const noexcept { return position; }

    /// The probe as computed in double precision (the analytic truth; slow: kNumTones cosines).
    [[nodiscard]] double analyticSample(double index) const noexcept;

private:
    int log2Period = kPeriodLog2;
    std::int64_t periodLength = kPeriod;
    int toneCount = kNumTones;
    std::array<Tone, kNumTones> toneSet{};
    double peak = 0.5;
    std::vector<float> table; // one period
    std::int64_t position = 0;
};

enum class Refusal
{
    none,
    noSignal,      ///< nothing arrived (no cable, muted)
    clipped,       ///< the received signal reaches full scale
    notSettled,    ///< the capture holds less than one whole period after the onset
    tooWeak,       ///< the round-trip gain is below EstimatorSettings::minGainDb
    tooNoisy,      ///< signal-to-residual ratio below EstimatorSettings::minSnrDb
    inconsistent,  ///< the tones' phases disagree: no single delay explains them
    ambiguous,     ///< both polarities (or two delays) explain the phases equally well
};

/// A short English phrase for a refusal ("signal too weak"...).
[[nodiscard]] const char* refusalName(Refusal r) noexcept;

struct EstimatorSettings
{
    double clipLevel = 0.999;         ///< |x| at or above this counts as clipped
    int maxClippedSamples = 1;        ///< more clipped samples than this in the window refuse
    double onsetRelative = 0.1;       ///< onset: first |x| >= this fraction of the capture's peak
    double noSignalLevel = 1.0e-4;    ///< capture peak below this (linear): no signal
    std::int64_t settleMargin = 4096; ///< samples skipped after the onset (device transients)
    double minGainDb = -40.0;         ///< round-trip gain at the fine tone below this: too weak
    double minSnrDb = 20.0;           ///< model energy over residual energy below this: too noisy
    double maxPhaseErrorCycles = 0.1; ///< worst bit-decision residual accepted (0.25 = chance)
};

struct LatencyResult
{
    bool valid = false;
    Refusal refusal = Refusal::noSignal;
    std::string reason;            ///< why it was refused (empty when valid)
    double frames = 0.0;           ///< the round trip in samples (meaningful only when valid)
    bool inverted = false;         ///< the loop inverts polarity
    double gainDb = 0.0;           ///< round-trip gain at the fine tone
    double snrDb = 0.0;            ///< fitted tones' energy over the residual's
    double phaseErrorCycles = 0.0; ///< worst disagreement of a tone with the result (0 = perfect)
    std::int64_t onset = -1;       ///< capture index where the signal was first seen
    std::int64_t windowStart = 0;  ///< capture index of the analysis window
    std::int64_t windowLength = 0; ///< a whole number of periods
};

/// Finds the first index with |x| >= threshold; -1 when there is none.
[[nodiscard]] std::int64_t findOnset(std::span<const float> x, double threshold) noexcept;

/// Offline estimator. Construction allocates the phase tables; estimate() allocates only the
/// result's reason string. Not for the audio thread; call it from a worker.
class LatencyEstimator
{
public:
    explicit LatencyEstimator(const MultiToneProbe& probe, EstimatorSettings settings = {});

    /// capture[n] was received at probe index firstProbeIndex + n (0 when capture and probe
    /// started on the same sample). Uses every whole period from onset + settleMargin on.
    [[nodiscard]] LatencyResult estimate(std::span<const float> capture,
                                         std::int64_t firstProbeIndex = 0) const;

    /// The capture length needed once the onset is known (onset + margin + one period).
    [[nodiscard]] std::int64_t requiredLength(std::int64_t onset) const noexcept
    {
        return onset + settings.settleMargin + period;
    }
    [[nodiscard]] const EstimatorSettings& getSettings() const noexcept { return settings; }

private:
    std::int64_t period = kPeriod;
    int toneCount = kNumTones;
    std::array<Tone, kNumTones> tones{};
    double probePeak = 0.5;
    EstimatorSettings settings;
    std::vector<double> cosTable, sinTable; // cos/sin(2 pi k / period)
};
} // namespace wb::latency
