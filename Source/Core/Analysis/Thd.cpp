#include "Core/Analysis/Thd.h"

#include "Core/Util/Decibels.h"

#include <array>
#include <cmath>
#include <numbers>

namespace wb
{
namespace
{
constexpr int kMaxIterations = 12;
constexpr double kFrequencyTolerance = 1e-12; ///< relative change of w that ends the iteration

using Matrix4 = std::array<std::array<double, 4>, 4>;
using Vector4 = std::array<double, 4>;

/// Solves m * x = v by Gaussian elimination with partial pivoting; false when singular.
bool solve4(Matrix4 m, Vector4 v, Vector4& x) noexcept
{
    for (int col = 0; col < 4; ++col)
    {
        int pivot = col;
        for (int r = col + 1; r < 4; ++r)
            if (std::abs(m[static_cast<std::size_t>(r)][static_cast<std::size_t>(col)])
                > std::abs(m[static_cast<std::size_t>(pivot)][static_cast<std::size_t>(col)]))
                pivot = r;
        if (m[static_cast<std::size_t>(pivot)][static_cast<std::size_t>(col)] == 0.0)
            return false;
        std::swap(m[static_cast<std::size_t>(col)], m[static_cast<std::size_t>(pivot)]);
        std::swap(v[static_cast<std::size_t>(col)], v[static_cast<std::size_t>(pivot)]);
        for (int r = col + 1; r < 4; ++r)
        {
            const double f = m[static_cast<std::size_t>(r)][static_cast<std::size_t>(col)]
                             / m[static_cast<std::size_t>(col)][static_cast<std::size_t>(col)];
            for (int k = col; k < 4; ++k)
                m[static_cast<std::size_t>(r)][static_cast<std::size_t>(k)] -=
                    f * m[static_cast<std::size_t>(col)][static_cast<std::size_t>(k)];
            v[static_cast<std::size_t>(r)] -= f * v[static_cast<std::size_t>(col)];
        }
    }
    for (int r = 3; r >= 0; --r)
    {
        double s = v[static_cast<std::size_t>(r)];
        for (int k = r + 1; k < 4; ++k)
            s -= m[static_cast<std::size_t>(r)][static_cast<std::size_t>(k)] * x[static_cast<std::size_t>(k)];
        x[static_cast<std::size_t>(r)] = s / m[static_cast<std::size_t>(r)][static_cast<std::size_t>(r)];
    }
    return true;
}

/// Three-parameter fit (A, B, C) at a fixed angular frequency w (rad/sample), with time measured
/// from the middle of the record for conditioning. Also returns the sums for the w step.
struct Linear3
{
    double a = 0.0, b = 0.0, c = 0.0;
};

Linear3 fitLinear(std::span<const float> x, double w, double mid) noexcept
{
    // Normal equations of [cos, sin, 1].
    double cc = 0, cs = 0, c1 = 0, ss = 0, s1 = 0, yc = 0, ys = 0, y1 = 0;
    for (std::size_t n = 0; n < x.size(); ++n)
    {
        const double t = static_cast<double>(n) - mid;
        const double c = std::cos(w * t);
        const double s = std::sin(w * t);
        const double y = x[n];
        cc += c * c;
        cs += c * s;
        c1 += c;
        ss += s * s;
        s1 += s;
        yc += y * c;
        ys += y * s;
        y1 += y;
    }
    Matrix4 m{{{cc, cs, c1, 0}, {cs, ss, s1, 0}, {c1, s1, static_cast<double>(x.size()), 0}, {0, 0, 0, 1}}};
    Vector4 v{yc, ys, y1, 0};
    Vector4 r{};
    if (!solve4(m, v, r))
        return {};
    return {r[0], r[1], r[2]};
}
} // namespace

double ThdNResult::db() const noexcept
{
    return gainToDb(ratio);
}

SineFit fitSine(std::span<const float> x, double sampleRate, double frequencyGuess) noexcept
{
    SineFit fit;
    if (x.size() < 4 || sampleRate <= 0.0)
        return fit;
    const double mid = 0.5 * static_cast<double>(x.size() - 1);
    double w = 2.0 * std::numbers::pi * frequencyGuess / sampleRate;
    Linear3 p = fitLinear(x, w, mid);
    for (int it = 0; it < kMaxIterations; ++it)
    {
        // Gauss-Newton on [cos, sin, 1, d/dw] = [c, s, 1, t(-A s + B c)].
        Matrix4 m{};
        Vector4 v{};
        for (std::size_t n = 0; n < x.size(); ++n)
        {
            const double t = static_cast<double>(n) - mid;
            const double c = std::cos(w * t);
            const double s = std::sin(w * t);
            const Vector4 row{c, s, 1.0, t * (-p.a * s + p.b * c)};
            const double y = x[n];
            for (std::size_t i = 0; i < 4; ++i)
            {
                v[i] += row[i] * y;
                for (std::size_t j = 0; j < 4; ++j)
                    m[i][j] += row[i] * row[j];
            }
        }
        // Solve for [A, B, C, dw] of the linearised model y = A c + B s + C + dw * (...).
        Vector4 r{};
        if (!solve4(m, v, r))
            break;
        const double dw = r[3];
        w += dw;
        p = fitLinear(x, w, mid);
        if (std::abs(dw) <= kFrequencyTolerance * std::abs(w))
        {
            fit.converged = true;
            break;
        }
    }
    fit.frequency = w * sampleRate / (2.0 * std::numbers::pi);
    fit.amplitude = std::hypot(p.a, p.b);
    // A cos(w t') + B sin(w t') = R cos(w t' - phi), t' = n - mid: phase at n = 0 is -w mid - phi.
    fit.phase = -w * mid - std::atan2(p.b, p.a);
    fit.offset = p.c;
    return fit;
}

ThdNResult measureThdN(std::span<const float> x, double sampleRate, double frequencyGuess) noexcept
{
    ThdNResult r;
    r.fit = fitSine(x, sampleRate, frequencyGuess);
    if (x.empty() || r.fit.amplitude <= 0.0)
        return r;
    const double w = 2.0 * std::numbers::pi * r.fit.frequency / sampleRate;
    double sumSquares = 0.0;
    for (std::size_t n = 0; n < x.size(); ++n)
    {
        const double model = r.fit.amplitude * std::cos(w * static_cast<double>(n) + r.fit.phase) + r.fit.offset;
        const double e = static_cast<double>(x[n]) - model;
        sumSquares += e * e;
    }
    r.residualRms = std::sqrt(sumSquares / static_cast<double>(x.size()));
    r.ratio = r.residualRms / (r.fit.amplitude / std::numbers::sqrt2);
    return r;
}
} // namespace wb
