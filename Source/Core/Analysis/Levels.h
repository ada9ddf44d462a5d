#pragma once
// Peak, RMS, mean and crest factor of a block of samples, accumulated in double.
// Wait-free and allocation-free: usable on the audio thread.
#include "Core/Util/Decibels.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

/// Accumulates LevelStats over successive blocks (e.g. while streaming a render to a file).
class LevelAccumulator
{
public:
    void add(const float* x, std::int64_t n) noexcept
    {
        for (std::int64_t i = 0; i < n; ++i)
        {
            const auto v = static_cast<double>(x[i]);
            sum_ += v;
            sumSquares_ += v * v;
            peak_ = std::max(peak_, std::abs(v));
        }
        count_ += n;
    }

    [[nodiscard]] LevelStats stats() const noexcept
    {
        LevelStats s;
        if (count_ == 0)
            return s;
        const auto n = static_cast<double>(count_);
        s.peak = peak_;
        s.rms = std::sqrt(sumSquares_ / n);
        s.mean = sum_ / n;
        return s;
    }

private:
    double sum_ = 0.0;
    double sumSquares_ = 0.0;
    double peak_ = 0.0;
    std::int64_t count_ = 0;
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
