#pragma once
// Sine oscillator with a double-precision phase accumulator: after n samples the phase is
// n * f / fs cycles with an error of about n * 1e-16 cycles, so the frequency is exact for any
// practical length. Frequency changes keep the phase (no click). Latency 0.
#include "Core/Signals/SineTable.h"

namespace wb::signals
{
class SineOscillator
{
public:
    static constexpr int kLatencySamples = 0;
    /// Peak 1, RMS 1/sqrt(2): crest factor sqrt(2) (3.01 dB).
    static constexpr double kPeak = 1.0;
    static constexpr double kRms = 0.70710678118654752440;

    /// May allocate (builds the shared sine table on first use).
    void prepare(double sampleRate, int /*maxBlockSize*/)
    {
        table_ = &SineTable::instance();
        sampleRate_ = sampleRate;
        setFrequency(frequency_);
    }

    /// Phase-continuous. Precondition: 0 <= hz < sampleRate / 2.
    void setFrequency(double hz) noexcept
    {
        frequency_ = hz;
        increment_ = hz / sampleRate_;
    }

    /// Restarts at `startPhase` cycles.
    void reset(double startPhase = 0.0) noexcept
    {
        phase_ = startPhase - std::floor(startPhase);
    }

    void process(float* out, int n) noexcept
    {
        double phase = phase_;
        const double inc = increment_;
        const SineTable& table = *table_;
        for (int i = 0; i < n; ++i)
        {
            out[i] = static_cast<float>(table.sinCycles(phase));
            phase += inc;
            if (phase >= 1.0)
                phase -= 1.0;
        }
        phase_ = phase;
    }

    [[nodiscard]] double phase() const noexcept { return phase_; }

private:
    const SineTable* table_ = nullptr;
    double sampleRate_ = 48000.0;
    double frequency_ = 1000.0;
    double increment_ = 0.0;
    double phase_ = 0.0;
};
} // namespace wb::signals
