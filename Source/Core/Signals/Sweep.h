#pragma once
// Sine sweeps from f1 to f2 over T seconds, starting at phase 0, silent after T.
//   logarithmic (exponential sine sweep, Farina 2000): f(t) = f1 * exp(t / L), L = T / ln(f2 / f1),
//     phase(t) = 2 pi f1 L (exp(t / L) - 1);
//   linear: f(t) = f1 + (f2 - f1) t / T, phase(t) = 2 pi (f1 t + (f2 - f1) t^2 / (2 T)).
// The phase is accumulated in double from the exact per-sample increments of these closed forms
// (the sum telescopes), so the instantaneous frequency at sample n is f(n / fs) to ~1e-12. The
// log law's increment grows by a factor per sample; it is recomputed from exp() every
// kResyncSamples so the rounding of that factor cannot accumulate (it would cost ~2e-6 rad over
// 5 s otherwise).
// Peak 1, RMS 1/sqrt(2) (crest factor 3.01 dB). Latency 0.
#include "Core/Signals/SineTable.h"

#include <cstdint>
#include <vector>

namespace wb::signals
{
enum class SweepLaw : std::uint8_t
{
    logarithmic,
    linear,
};

class SineSweep
{
public:
    static constexpr int kLatencySamples = 0;
    static constexpr double kPeak = 1.0;
    static constexpr double kRms = 0.70710678118654752440;
    static constexpr std::int64_t kResyncSamples = 1024;

    explicit SineSweep(SweepLaw law = SweepLaw::logarithmic) noexcept : law_(law) {}

    void prepare(double sampleRate, int /*maxBlockSize*/);
    /// Takes effect at the next reset(). Preconditions: 0 < f1, f2 < fs/2, seconds > 0.
    void setSweep(double f1, double f2, double seconds) noexcept;
    void reset() noexcept;
    void process(float* out, int n) noexcept;

    /// Instantaneous frequency of the sweep law at time t (seconds), for tests and analysis.
    [[nodiscard]] double frequencyAt(double t) const noexcept;
    [[nodiscard]] std::int64_t lengthSamples() const noexcept { return length_; }
    [[nodiscard]] SweepLaw law() const noexcept { return law_; }

private:
    SweepLaw law_;
    const SineTable* table_ = nullptr;
    double sampleRate_ = 48000.0;
    double f1_ = 20.0;
    double f2_ = 20000.0;
    double seconds_ = 1.0;
    std::int64_t length_ = 0;
    std::int64_t position_ = 0;
    double phase_ = 0.0;      ///< cycles, [0, 1)
    // logarithmic: per-sample growth factor of f and the current f1 * L * exp(t/L) * (r - 1)
    double growth_ = 1.0;
    double logStep_ = 0.0;        ///< 1 / (fs * L)
    double firstLogIncrement_ = 0.0;
    double logIncrement_ = 0.0;
    // linear: increment at sample n is a + b * n
    double linA_ = 0.0;
    double linB_ = 0.0;
};

/// Inverse filter of a logarithmic sweep (Farina): the sweep reversed in time with an envelope
/// falling 6.02 dB/octave, so that sweep * inverse is a band-limited impulse at lag length - 1.
/// Normalised so that the magnitude of that product is 1 (0 dB) averaged over f1*2 .. f2/2.
/// Allocates (FFTW): not for the audio thread.
[[nodiscard]] std::vector<float> logSweepInverseFilter(double f1, double f2, double seconds, double sampleRate);
} // namespace wb::signals
