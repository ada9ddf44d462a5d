// Stereo correlation against analytic answers: +1 for identical channels, -1 for L = -R, cos(phi)
// for two sines phi apart over whole periods (0 for sine and cosine), ~0 within statistical bounds
// for independent noise, and the sliding window forgets what left it.
#include "Core/Analysis/Correlation.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

using wb::analysis::correlation;
using wb::analysis::CorrelationMeter;

namespace
{
/// A sine of `periods` whole periods over n samples, starting at phase `phase`.
std::vector<float> sine(std::size_t n, double periods, double phase, double amplitude = 0.5)
{
    std::vector<float> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * periods * double(i) / double(n) + phase));
    return x;
}
std::vector<float> noise(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, 0.3f);
    std::vector<float> x(n);
    for (auto& v : x)
        v = d(rng);
    return x;
}
} // namespace

TEST_CASE("correlation: identical +1, inverted -1, scale-free", "[core][analysis]")
{
    const auto x = noise(4800, 1);
    std::vector<float> neg(x.size()), half(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        neg[i] = -x[i], half[i] = 0.5f * x[i];
    CHECK(*correlation(x, x) == Approx(1.0).margin(1e-12));
    CHECK(*correlation(x, neg) == Approx(-1.0).margin(1e-12));
    CHECK(*correlation(x, half) == Approx(1.0).margin(1e-9)); // a level difference is not a phase difference
}

TEST_CASE("correlation: two sines phi apart over whole periods read cos(phi)", "[core][analysis]")
{
    constexpr std::size_t n = 48000;
    const auto a = sine(n, 100.0, 0.0);
    for (double phiDeg : {0.0, 30.0, 60.0, 90.0, 120.0, 180.0})
    {
        const double phi = phiDeg * std::numbers::pi / 180.0;
        const auto b = sine(n, 100.0, phi, 0.8);
        INFO("phi " << phiDeg << " deg");
        CHECK(*correlation(a, b) == Approx(std::cos(phi)).margin(1e-6));
    }
}

TEST_CASE("correlation: independent noise reads ~0, half-shared noise ~0.5, within 4 sigma", "[core][analysis]")
{
    constexpr std::size_t n = 48000;
    const auto a = noise(n, 11), b = noise(n, 12), c = noise(n, 13);
    // For independent Gaussian samples r has a standard deviation of 1/sqrt(n).
    const double sigma = 1.0 / std::sqrt(double(n));
    CHECK(std::abs(*correlation(a, b)) < 4.0 * sigma);
    // L = s + n1, R = s + n2, equal variances: r = var(s) / (var(s) + var(n)) = 0.5.
    std::vector<float> l(n), r(n);
    for (std::size_t i = 0; i < n; ++i)
        l[i] = a[i] + b[i], r[i] = a[i] + c[i];
    CHECK(*correlation(l, r) == Approx(0.5).margin(4.0 * sigma));
}

TEST_CASE("correlation: a silent channel has no correlation, lengths must match", "[core][analysis]")
{
    const auto a = noise(1000, 3);
    const std::vector<float> silent(1000, 0.0f);
    CHECK_FALSE(correlation(a, silent).has_value());
    CHECK_FALSE(correlation(silent, a).has_value());
    CHECK_FALSE(correlation(a, std::span<const float>(a).first(999)).has_value());
    CorrelationMeter m(256);
    CHECK_FALSE(m.value().has_value());
}

TEST_CASE("correlation meter: the window follows the signal, in blocks of any size", "[core][analysis]")
{
    constexpr std::size_t window = 4800;
    CorrelationMeter m(window);
    const auto x = noise(3 * window, 5);
    std::vector<float> neg(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        neg[i] = -x[i];
    // Identical for a while: +1.
    for (std::size_t i = 0; i < 2 * window; i += 256)
        m.push(std::span<const float>(x).subspan(i, 256), std::span<const float>(x).subspan(i, 256));
    CHECK(*m.value() == Approx(1.0).margin(1e-9));
    // Then inverted, in odd block sizes, for one whole window: -1 (the identical part has left).
    std::size_t i = 2 * window;
    for (std::size_t block : {1u, 7u, 100u, 333u})
        for (; i + block <= 2 * window + window / 2; i += block)
            m.push(std::span<const float>(x).subspan(i, block), std::span<const float>(neg).subspan(i, block));
    for (; i < 3 * window; i += 1)
        m.push(std::span<const float>(x).subspan(i, 1), std::span<const float>(neg).subspan(i, 1));
    CHECK(*m.value() == Approx(-1.0).margin(1e-9));
    // Halfway between: the window holds both halves equally, so r ~ 0 (exactly: the two sums cancel).
    CorrelationMeter half(window);
    half.push(std::span<const float>(x).first(window / 2), std::span<const float>(x).first(window / 2));
    half.push(std::span<const float>(x).subspan(window / 2, window / 2), std::span<const float>(neg).subspan(window / 2, window / 2));
    const auto direct = correlation(std::span<const float>(x).first(window),
                                    [&] { std::vector<float> y(x.begin(), x.begin() + window);
                                          for (std::size_t k = window / 2; k < window; ++k) y[k] = -y[k];
                                          return y; }());
    CHECK(*half.value() == Approx(*direct).margin(1e-9));
}
