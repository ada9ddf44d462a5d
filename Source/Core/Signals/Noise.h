#pragma once
// Seeded noises. Each is scaled so that its long-term RMS is known exactly:
//   white uniform  : RMS 1/sqrt(3), peak 1          -> crest factor sqrt(3) = 4.77 dB (exact)
//   white Gaussian : RMS 1 (sigma 1), peak unbounded -> nominal crest factor 4 = 12.04 dB
//                    (|x| > 4 sigma for 6.3e-5 of the samples)
//   pink, brown    : RMS 1, near-Gaussian amplitude  -> nominal crest factor 4 = 12.04 dB
// Pink: Paul Kellet's "refined" filter (6 one-pole sections plus a direct and a delayed term),
// driven by unit-variance uniform white noise: -3.01 dB/octave within +-0.1 dB from ~10 Hz up to
// ~0.8 fs/2 (measured in SignalsTest.cpp at 48 kHz over 20 Hz .. 20 kHz).
// Brown: the same pink filter twice in cascade, so -6.02 dB/octave over the same band, flat below
// ~10 Hz (so it never drifts). The RMS normalisation is the exact energy of the filter's impulse
// response, computed in prepare(). reset() warms the filters up (so the first sample is already
// stationary): about 8k samples for pink, 32k for brown, which costs ~0.1-0.3 ms once.
// All latency 0.
#include "Core/Signals/Pcg32.h"
#include "Core/Signals/SineTable.h"

#include <array>
#include <cmath>
#include <cstdint>

namespace wb::signals
{
enum class NoiseDistribution : std::uint8_t
{
    uniform,
    gaussian,
};

class WhiteNoise
{
public:
    static constexpr int kLatencySamples = 0;
    static constexpr double kGaussianNominalCrest = 4.0;

    explicit WhiteNoise(NoiseDistribution d = NoiseDistribution::uniform) noexcept : distribution_(d) {}

    void prepare(double /*sampleRate*/, int /*maxBlockSize*/) { table_ = &SineTable::instance(); }
    void reset(std::uint64_t seed) noexcept
    {
        rng_.seed_(seed);
        haveSpare_ = false;
    }
    void reseed(std::uint64_t seed) noexcept { reset(seed); }

    [[nodiscard]] double rms() const noexcept
    {
        return distribution_ == NoiseDistribution::uniform ? 0.57735026918962576451 : 1.0;
    }
    [[nodiscard]] double peak() const noexcept
    {
        return distribution_ == NoiseDistribution::uniform ? 1.0 : kGaussianNominalCrest;
    }

    void process(float* out, int n) noexcept
    {
        if (distribution_ == NoiseDistribution::uniform)
        {
            for (int i = 0; i < n; ++i)
                out[i] = static_cast<float>(rng_.nextBipolar());
            return;
        }
        for (int i = 0; i < n; ++i)
            out[i] = static_cast<float>(nextGaussian());
    }

    /// Box-Muller: two uniforms give two independent unit-variance Gaussians.
    double nextGaussian() noexcept
    {
        if (haveSpare_)
        {
            haveSpare_ = false;
            return spare_;
        }
        const double radius = std::sqrt(-2.0 * std::log(rng_.nextOpenZero()));
        double angle = rng_.nextOpenZero();
        if (angle >= 1.0)
            angle = 0.0;
        spare_ = radius * table_->cosCycles(angle);
        haveSpare_ = true;
        return radius * table_->sinCycles(angle);
    }

private:
    NoiseDistribution distribution_;
    const SineTable* table_ = nullptr;
    Pcg32 rng_;
    double spare_ = 0.0;
    bool haveSpare_ = false;
};

/// Kellet's refined pink filter on doubles, unnormalised (gain ~ 4.5 in its flat top).
class KelletPinkFilter
{
public:
    void reset() noexcept
    {
        b_.fill(0.0);
        delayed_ = 0.0;
    }

    double process(double white) noexcept
    {
        b_[0] = 0.99886 * b_[0] + white * 0.0555179;
        b_[1] = 0.99332 * b_[1] + white * 0.0750759;
        b_[2] = 0.96900 * b_[2] + white * 0.1538520;
        b_[3] = 0.86650 * b_[3] + white * 0.3104856;
        b_[4] = 0.55000 * b_[4] + white * 0.5329522;
        b_[5] = -0.7616 * b_[5] - white * 0.0168980;
        const double pink = b_[0] + b_[1] + b_[2] + b_[3] + b_[4] + b_[5] + delayed_ + white * 0.5362;
        delayed_ = white * 0.115926;
        return pink;
    }

private:
    std::array<double, 6> b_{};
    double delayed_ = 0.0;
};

/// Pink (stages = 1) or brown (stages = 2) noise, normalised to an RMS of 1.
template <int Stages>
class ColouredNoise
{
public:
    static constexpr int kLatencySamples = 0;
    static constexpr double kNominalCrest = 4.0;
    static constexpr int kWarmUpSamples = Stages == 1 ? 8192 : 32768;

    /// Computes the normalisation from the impulse response energy.
    void prepare(double /*sampleRate*/, int /*maxBlockSize*/)
    {
        constexpr int kImpulseLength = 1 << 18; // the slowest pole (0.99886) has decayed by 1e-120
        std::array<KelletPinkFilter, Stages> filters{};
        double energy = 0.0;
        for (int i = 0; i < kImpulseLength; ++i)
        {
            double y = i == 0 ? 1.0 : 0.0;
            for (auto& f : filters)
                y = f.process(y);
            energy += y * y;
        }
        // Driven by uniform white of variance 1/3 scaled by sqrt(3): unit variance in.
        gain_ = std::sqrt(3.0) / std::sqrt(energy);
    }

    void reset(std::uint64_t seed) noexcept
    {
        rng_.seed_(seed);
        for (auto& f : filters_)
            f.reset();
        for (int i = 0; i < kWarmUpSamples; ++i)
            (void)step();
    }
    void reseed(std::uint64_t seed) noexcept { rng_.seed_(seed); }

    [[nodiscard]] double rms() const noexcept { return 1.0; }
    [[nodiscard]] double peak() const noexcept { return kNominalCrest; }

    void process(float* out, int n) noexcept
    {
        for (int i = 0; i < n; ++i)
            out[i] = static_cast<float>(step());
    }

private:
    double step() noexcept
    {
        double y = rng_.nextBipolar() * gain_;
        for (auto& f : filters_)
            y = f.process(y);
        return y;
    }

    Pcg32 rng_;
    std::array<KelletPinkFilter, Stages> filters_{};
    double gain_ = 1.0;
};

using PinkNoise = ColouredNoise<1>;
using BrownNoise = ColouredNoise<2>;
} // namespace wb::signals
