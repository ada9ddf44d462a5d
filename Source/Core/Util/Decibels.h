#pragma once
// Level conversions shared by every layer. Wait-free, allocation-free, usable on the audio thread.
#include <cmath>
#include <limits>

namespace wb
{
/// Gain factor for a level in dB. -inf dB (or anything at or below kMinusInfinityDb) gives 0.
inline constexpr double kMinusInfinityDb = -200.0;

[[nodiscard]] inline double dbToGain(double db) noexcept
{
    return db <= kMinusInfinityDb ? 0.0 : std::pow(10.0, db / 20.0);
}

/// Level in dB of a gain factor; 0 or negative gives kMinusInfinityDb.
[[nodiscard]] inline double gainToDb(double gain) noexcept
{
    return gain <= 0.0 ? kMinusInfinityDb : 20.0 * std::log10(gain);
}
} // namespace wb
