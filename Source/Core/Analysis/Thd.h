#pragma once
// THD+N by a four-parameter least-squares sine fit (IEEE Std 1057): fit
// A cos(w t) + B sin(w t) + C, refining w by Gauss-Newton, and call everything the fit leaves
// the "N" (harmonics, noise, hum, aliases), unweighted over DC..fs/2 with the DC (C) removed.
// THD+N = RMS(residual) / RMS(fitted sine). No window, no notch: nothing leaks, so the floor is
// the signal's own (about -150 dB for 32-bit float). Allocates nothing but is O(n * iterations):
// not for the audio thread.
#include <span>

namespace wb
{
struct SineFit
{
    double frequency = 0.0; ///< Hz
    double amplitude = 0.0; ///< peak
    double phase = 0.0;     ///< radians, of a cosine at t = 0 (the first sample)
    double offset = 0.0;    ///< DC
    bool converged = false;
};

struct ThdNResult
{
    SineFit fit;
    double residualRms = 0.0;
    double ratio = 0.0; ///< residual RMS / fundamental RMS
    [[nodiscard]] double db() const noexcept;
};

/// Fits a sine near `frequencyGuess` (within ~1 / (2 * duration) Hz of the truth is enough).
[[nodiscard]] SineFit fitSine(std::span<const float> x, double sampleRate, double frequencyGuess) noexcept;

/// THD+N of x, whose fundamental is near `frequencyGuess`.
[[nodiscard]] ThdNResult measureThdN(std::span<const float> x, double sampleRate, double frequencyGuess) noexcept;
} // namespace wb
