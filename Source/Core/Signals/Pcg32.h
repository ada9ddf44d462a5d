#pragma once
// PCG32 (O'Neill, "PCG: a family of simple fast space-efficient statistically good algorithms for
// random number generation", 2014): 64-bit LCG state, XSH-RR output. Same seed, same stream, on
// every platform: the noises are reproducible bit for bit.
#include <cstdint>

namespace wb::signals
{
class Pcg32
{
public:
    static constexpr std::uint64_t kMultiplier = 6364136223846793005ULL;
    static constexpr std::uint64_t kDefaultStream = 1442695040888963407ULL;

    explicit Pcg32(std::uint64_t seed = 1, std::uint64_t stream = kDefaultStream) noexcept { seed_(seed, stream); }

    /// The reference pcg32_srandom_r seeding.
    void seed_(std::uint64_t seed, std::uint64_t stream = kDefaultStream) noexcept
    {
        state_ = 0;
        increment_ = (stream << 1u) | 1u;
        next();
        state_ += seed;
        next();
    }

    std::uint32_t next() noexcept
    {
        const std::uint64_t old = state_;
        state_ = old * kMultiplier + increment_;
        const auto xorShifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
        const auto rot = static_cast<std::uint32_t>(old >> 59u);
        return (xorShifted >> rot) | (xorShifted << ((32u - rot) & 31u));
    }

    /// Uniform on the 2^24 points (j + 1/2) / 2^23 - 1: symmetric in (-1, 1), mean exactly 0,
    /// variance 1/3 (to 1e-14), peak 1 - 2^-24.
    double nextBipolar() noexcept
    {
        constexpr double kScale = 1.0 / 8388608.0; // 2^-23
        return (static_cast<double>(next() >> 8u) + 0.5) * kScale - 1.0;
    }

    /// Uniform on (0, 1]: 2^32 points, never 0 (safe for log()).
    double nextOpenZero() noexcept
    {
        constexpr double kScale = 1.0 / 4294967296.0; // 2^-32
        return (static_cast<double>(next()) + 1.0) * kScale;
    }

private:
    std::uint64_t state_ = 0;
    std::uint64_t increment_ = 0;
};
} // namespace wb::signals
