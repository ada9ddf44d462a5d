#pragma once
// Unit impulses: one at `offset`, or a train at offset + k * period (period in samples, may be
// fractional; impulse k lands on the sample nearest offset + k * period, computed from k, so
// positions never drift). Peak 1; a train's RMS is 1/sqrt(period) (crest factor sqrt(period)).
// Latency 0.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace wb::signals
{
class ImpulseGenerator
{
public:
    static constexpr int kLatencySamples = 0;

    void prepare(double /*sampleRate*/, int /*maxBlockSize*/) {}

    /// period <= 0: a single impulse.
    void setTiming(double offsetSamples, double periodSamples) noexcept
    {
        offset_ = std::max(0.0, offsetSamples);
        period_ = periodSamples > 0.0 ? std::max(1.0, periodSamples) : 0.0;
    }

    void reset() noexcept
    {
        position_ = 0;
        index_ = 0;
        next_ = positionOf(0);
    }

    [[nodiscard]] double period() const noexcept { return period_; }

    void process(float* out, int n) noexcept
    {
        std::fill(out, out + n, 0.0f);
        const std::int64_t end = position_ + n;
        while (next_ >= 0 && next_ < end)
        {
            out[next_ - position_] = 1.0f;
            ++index_;
            next_ = period_ > 0.0 ? positionOf(index_) : -1;
        }
        position_ = end;
    }

private:
    [[nodiscard]] std::int64_t positionOf(std::int64_t k) const noexcept
    {
        return static_cast<std::int64_t>(std::floor(offset_ + static_cast<double>(k) * period_ + 0.5));
    }

    double offset_ = 0.0;
    double period_ = 0.0;
    std::int64_t position_ = 0; ///< samples produced since reset
    std::int64_t index_ = 0;    ///< number of the next impulse
    std::int64_t next_ = 0;     ///< its position, or -1 when there is none
};
} // namespace wb::signals
