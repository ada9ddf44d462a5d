#include "Core/Analysis/SteppedTone.h"

#include "Core/Analysis/Thd.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>

namespace wb::analysis
{
namespace
{
constexpr double kTwoPi = 2.0 * std::numbers::pi;

std::int64_t toneFrames(const SteppedToneSettings& s)
{
    return static_cast<std::int64_t>(std::llround(s.settleSeconds * s.sampleRate)) + s.window
           + static_cast<std::int64_t>(std::llround(0.05 * s.sampleRate));
}

/// Amplitude of the component at `hz` in x, through a 4-term Blackman-Harris window.
double amplitudeAt(std::span<const float> x, const std::vector<double>& window, double windowSum, double hz, double fs)
{
    const double omega = kTwoPi * hz / fs;
    const std::complex<double> step = std::polar(1.0, -omega);
    std::complex<double> rot = 1.0;
    std::complex<double> sum = 0.0;
    for (std::size_t n = 0; n < x.size(); ++n)
    {
        sum += window[n] * static_cast<double>(x[n]) * rot;
        rot *= step;
        if ((n & 4095) == 4095) // re-anchor the phasor so rounding cannot accumulate
            rot = std::polar(1.0, -omega * static_cast<double>(n + 1));
    }
    return 2.0 * std::abs(sum) / windowSum;
}
} // namespace

std::optional<std::string> validateSteppedTone(const SteppedToneSettings& s)
{
    if (!(s.sampleRate >= 8000.0 && s.sampleRate <= 768000.0))
        return fmt::format("sample rate {} Hz is outside 8000..768000", s.sampleRate);
    if (!(s.hz >= 10.0 && s.hz < 0.45 * s.sampleRate))
        return fmt::format("tone {} Hz is outside 10 Hz..0.45 x the sample rate", s.hz);
    if (!(s.levelDbfs <= 0.0 && s.levelDbfs >= -120.0))
        return fmt::format("--level {} dBFS is outside -120..0", s.levelDbfs);
    if (s.window < 4096 || !(s.settleSeconds >= s.fadeInSeconds))
        return "the tone's analysis window must be at least 4096 frames, after its fade-in";
    return std::nullopt;
}

std::vector<float> steppedToneExcitation(const SteppedToneSettings& s)
{
    const double peak = std::pow(10.0, s.levelDbfs / 20.0);
    std::vector<float> x(static_cast<std::size_t>(toneFrames(s)));
    const double fadeFrames = s.fadeInSeconds * s.sampleRate;
    for (std::size_t n = 0; n < x.size(); ++n)
    {
        const double t = static_cast<double>(n);
        const double fade = t < fadeFrames ? 0.5 * (1.0 - std::cos(std::numbers::pi * t / fadeFrames)) : 1.0;
        x[n] = static_cast<float>(peak * fade * std::sin(kTwoPi * s.hz * t / s.sampleRate));
    }
    return x;
}

SteppedToneResult analyseSteppedTone(const SteppedToneSettings& s, std::span<const float> capture)
{
    SteppedToneResult r;
    r.hz = s.hz;
    r.levelDbfs = s.levelDbfs;
    r.harmonicsDb.fill(std::numeric_limits<double>::quiet_NaN());
    if (static_cast<std::int64_t>(capture.size()) < toneFrames(s))
    {
        r.reason = fmt::format("the capture has {} frames; the tone needs {}", capture.size(), toneFrames(s));
        return r;
    }
    const auto settle = static_cast<std::size_t>(std::llround(s.settleSeconds * s.sampleRate));
    const auto x = capture.subspan(settle, static_cast<std::size_t>(s.window));
    double peak = 0.0;
    for (float v : x)
        peak = std::max(peak, std::abs(static_cast<double>(v)));
    if (!std::isfinite(peak) || peak < s.noSignalLevel)
    {
        r.reason = fmt::format("no signal at {:g} Hz", s.hz);
        return r;
    }
    if (peak >= s.clipLevel)
    {
        r.reason = fmt::format("the {:g} Hz tone's capture reaches full scale: lower --level", s.hz);
        return r;
    }
    const auto thdn = measureThdN(x, s.sampleRate, s.hz);
    if (!thdn.fit.converged || !(thdn.fit.amplitude > 0.0))
    {
        r.reason = fmt::format("no sine near {:g} Hz could be fitted", s.hz);
        return r;
    }
    r.fittedHz = thdn.fit.frequency;
    r.thdnDb = thdn.db();
    // 4-term Blackman-Harris (a0..a3 = 0.35875, 0.48829, 0.14128, 0.01168).
    std::vector<double> window(x.size());
    double windowSum = 0.0;
    for (std::size_t n = 0; n < x.size(); ++n)
    {
        const double u = kTwoPi * static_cast<double>(n) / static_cast<double>(x.size());
        window[n] = 0.35875 - 0.48829 * std::cos(u) + 0.14128 * std::cos(2.0 * u) - 0.01168 * std::cos(3.0 * u);
        windowSum += window[n];
    }
    const double fundamental = amplitudeAt(x, window, windowSum, r.fittedHz, s.sampleRate);
    double power = 0.0;
    for (int k = 2; k <= kMaxHarmonic; ++k)
    {
        const double hk = k * r.fittedHz;
        if (hk >= 0.5 * s.sampleRate)
            break;
        const double relative = amplitudeAt(x, window, windowSum, hk, s.sampleRate) / fundamental;
        r.harmonicsDb[static_cast<std::size_t>(k - 2)] = 20.0 * std::log10(std::max(relative, 1e-300));
        power += relative * relative;
    }
    r.thdDb = 10.0 * std::log10(std::max(power, 1e-300));
    r.valid = true;
    return r;
}
} // namespace wb::analysis
