#pragma once
// Peak, RMS, mean and crest factor of a block of samples, accumulated in double.
// Wait-free and allocation-free: usable on the audio thread.
#include "Core/Util/Decibels.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace wb
{
struct LevelStats
{
    double peak = 0.0; ///< largest |sample| (sample peak, not true peak)
    double rms = 0.0;
    double mean = 0.0;

    [[nodiscard]] double peakDb() const noexcept { return gainToDb(peak); }
    [[nodiscard]] double rmsDb() const noexcept { return gainToDb(rms); }
    /// peak / rms, or 0 for silence.
    [[nodiscard]] double crest() const noexcept { return rms > 0.0 ? peak / rms : 0.0; }
    [[nodiscard]] double crestDb() const noexcept { return rms > 0.0 ? gainToDb(crest()) : 0.0; }
};

[[nodiscard]] inline LevelStats measureLevels(std::span<const float> x) noexcept
{
    LevelStats s;
    if (x.empty())
        return s;
    double sum = 0.0;
    double sumSquares = 0.0;
    double peak = 0.0;
    for (float f : x)
    {
        const double v = f;
        sum += v;
        sumSquares += v * v;
        peak = std::max(peak, std::abs(v));
    }
    const auto n = static_cast<double>(x.size());
    s.peak = peak;
    s.rms = std::sqrt(sumSquares / n);
    s.mean = sum / n;
    return s;
}
} // namespace wb
