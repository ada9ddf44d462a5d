#include "Core/Analysis/Correlation.h"

#include <algorithm>
#include <cmath>

namespace wb::analysis
{
namespace
{
std::optional<double> ratio(double lr, double ll, double rr, std::size_t n, double silence) noexcept
{
    if (n == 0 || ll <= silence * double(n) || rr <= silence * double(n))
        return std::nullopt;
    return std::clamp(lr / std::sqrt(ll * rr), -1.0, 1.0);
}
} // namespace

std::optional<double> correlation(std::span<const float> left, std::span<const float> right, double silence) noexcept
{
    if (left.size() != right.size())
        return std::nullopt;
    double lr = 0.0, ll = 0.0, rr = 0.0;
    for (std::size_t i = 0; i < left.size(); ++i)
    {
        const double a = left[i], b = right[i];
        lr += a * b;
        ll += a * a;
        rr += b * b;
    }
    return ratio(lr, ll, rr, left.size(), silence);
}

CorrelationMeter::CorrelationMeter(std::size_t windowSamples) : l(std::max<std::size_t>(1, windowSamples)), r(l.size()) {}

void CorrelationMeter::reset() noexcept
{
    write = count = sinceRecompute = 0;
    slr = sll = srr = 0.0;
}

void CorrelationMeter::push(std::span<const float> left, std::span<const float> right) noexcept
{
    const std::size_t n = std::min(left.size(), right.size());
    for (std::size_t i = 0; i < n; ++i)
    {
        if (count == l.size())
        {
            const double a = l[write], b = r[write];
            slr -= a * b;
            sll -= a * a;
            srr -= b * b;
        }
        else
            ++count;
        l[write] = left[i];
        r[write] = right[i];
        const double a = left[i], b = right[i];
        slr += a * b;
        sll += a * a;
        srr += b * b;
        write = (write + 1) % l.size();
    }
    sinceRecompute += n;
    if (sinceRecompute >= l.size())
        recompute();
}

void CorrelationMeter::recompute() noexcept
{
    slr = sll = srr = 0.0;
    for (std::size_t i = 0; i < count; ++i)
    {
        const double a = l[i], b = r[i];
        slr += a * b;
        sll += a * a;
        srr += b * b;
    }
    sinceRecompute = 0;
}

std::optional<double> CorrelationMeter::value() const noexcept
{
    return ratio(slr, std::max(0.0, sll), std::max(0.0, srr), count, 1e-12);
}
} // namespace wb::analysis
