#include "Core/Analysis/LatencyLoopback.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace wb::latency
{
namespace
{
constexpr double kKaiserBeta = 9.0;

double sinc(double x) noexcept
{
    if (std::abs(x) < 1e-12)
        return 1.0;
    const double px = std::numbers::pi * x;
    return std::sin(px) / px;
}

// splitmix64: tiny, seedable, good enough for test noise.
std::uint64_t splitmix(std::uint64_t& s) noexcept
{
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
} // namespace

void LoopbackLine::prepare(const LoopbackSettings& s)
{
    config = s;
    config.delaySamples = std::max(0.0, s.delaySamples);
    const double whole = std::floor(config.delaySamples);
    const double frac = config.delaySamples - whole;

    kernel.clear();
    if (frac < 1e-12)
    {
        kernel.push_back(1.0);
        bulk = static_cast<std::int64_t>(whole);
    }
    else
    {
        // taps T (even); the FIR's own delay is T/2 - 1 + frac, the rest is bulk delay.
        const int taps = static_cast<int>(std::min<double>(kMaxTaps, 2.0 * (whole + 1.0)));
        const double firDelay = double(taps / 2 - 1) + frac;
        bulk = static_cast<std::int64_t>(std::llround(config.delaySamples - firDelay));
        const double half = double(taps) / 2.0;
        double sum = 0.0;
        for (int k = 0; k < taps; ++k)
        {
            const double t = double(k) - firDelay; // distance from the ideal centre
            const double r = t / half;
            const double w = std::abs(r) >= 1.0
                                 ? 0.0
                                 : std::cyl_bessel_i(0.0, kKaiserBeta * std::sqrt(1.0 - r * r)) /
                                       std::cyl_bessel_i(0.0, kKaiserBeta);
            const double v = taps == 2 ? (k == 0 ? 1.0 - frac : frac) : sinc(t) * w;
            kernel.push_back(v);
            sum += v;
        }
        for (auto& v : kernel)
            v /= sum;
    }

    std::size_t size = 1;
    while (size < static_cast<std::size_t>(bulk) + kernel.size() + 1)
        size <<= 1;
    ring.assign(size, 0.0f);
    mask = size - 1;
    noiseRms = config.noiseDb <= -200.0 ? 0.0 : std::pow(10.0, config.noiseDb / 20.0);
    reset();
}

void LoopbackLine::reset() noexcept
{
    std::fill(ring.begin(), ring.end(), 0.0f);
    writePos = 0;
    rngState = config.seed;
    haveSpare = false;
}

float LoopbackLine::nextNoise() noexcept
{
    // Box-Muller, both outputs used.
    if (haveSpare)
    {
        haveSpare = false;
        return static_cast<float>(spare * noiseRms);
    }
    const double u1 = (double(splitmix(rngState) >> 11) + 1.0) * 0x1.0p-53; // (0, 1]
    const double u2 = double(splitmix(rngState) >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare = r * std::sin(2.0 * std::numbers::pi * u2);
    haveSpare = true;
    return static_cast<float>(r * std::cos(2.0 * std::numbers::pi * u2) * noiseRms);
}

void LoopbackLine::process(const float* in, float* out, std::size_t count) noexcept
{
    const std::size_t taps = kernel.size();
    for (std::size_t n = 0; n < count; ++n)
    {
        ring[writePos & mask] = in[n];
        double acc = 0.0;
        const std::size_t base = writePos - static_cast<std::size_t>(bulk);
        for (std::size_t k = 0; k < taps; ++k)
            acc += kernel[k] * double(ring[(base - k) & mask]);
        float y = static_cast<float>(acc * config.gain);
        if (noiseRms > 0.0)
            y += nextNoise();
        out[n] = y;
        ++writePos;
    }
}
} // namespace wb::latency
