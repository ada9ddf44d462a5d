#pragma once
// Parameter smoothing: a ramp from the current value to a target over a fixed time.
//   RampShape::linear      - equal steps; for pan, mix, linear-domain values that may cross 0.
//   RampShape::exponential - equal ratios (a straight line in dB / octaves); for gain and
//                            frequency. Needs both ends > 0; a ramp with an end <= 0 is linear.
// Both reach the target exactly after rampSamples samples and then stay there. The shape is an
// enum template parameter. prepare() does not allocate; nothing here does.
// Per sample: nextSample() or processBlock(span). Per block (control rate): skip(n) returns the
// value n samples on. All produce the same sequence whatever the block split.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>

namespace wb
{
enum class RampShape
{
    linear,
    exponential,
};

template <RampShape Shape>
class Smoother
{
public:
    /// Effects: sets the ramp length to round(sampleRate * rampSeconds) samples (0 = jump) and
    /// jumps to the current target. Thread: the owner's (audio or prepare). Wait-free.
    void prepare(double sampleRate, double rampSeconds) noexcept
    {
        sampleRate_ = sampleRate > 0.0 ? sampleRate : 0.0;
        setRampSeconds(rampSeconds);
        reset(target_);
    }

    /// Effects: changes the ramp length used by later setTarget() calls. Wait-free.
    void setRampSeconds(double rampSeconds) noexcept
    {
        const double n = rampSeconds > 0.0 ? std::round(rampSeconds * sampleRate_) : 0.0;
        rampSamples_ = n > 0.0 ? static_cast<std::int64_t>(n) : 0;
    }

    /// Effects: jumps to `value` with no ramp. Wait-free.
    void reset(double value) noexcept
    {
        current_ = target_ = value;
        remaining_ = 0;
    }

    /// Effects: starts a ramp from the current value to `target` over the ramp length (restarts it
    /// if one is running; a target equal to the current one ends the ramp). Wait-free.
    void setTarget(double target) noexcept
    {
        target_ = target;
        if (rampSamples_ == 0 || target == current_)
        {
            reset(target);
            return;
        }
        remaining_ = rampSamples_;
        const double n = static_cast<double>(rampSamples_);
        geometric_ = Shape == RampShape::exponential && current_ > 0.0 && target > 0.0;
        step_ = geometric_ ? std::exp(std::log(target / current_) / n) : (target - current_) / n;
    }

    /// Returns: the next sample's value, advancing the ramp by one sample. Wait-free.
    double nextSample() noexcept
    {
        if (remaining_ == 0)
            return current_;
        if (--remaining_ == 0)
            current_ = target_;
        else
            current_ = geometric_ ? current_ * step_ : current_ + step_;
        return current_;
    }

    /// Effects: writes the next out.size() values into `out`. Wait-free.
    template <typename Sample>
    void processBlock(std::span<Sample> out) noexcept
    {
        std::size_t i = 0;
        for (; i < out.size() && remaining_ != 0; ++i)
            out[i] = static_cast<Sample>(nextSample());
        const auto v = static_cast<Sample>(current_);
        for (; i < out.size(); ++i)
            out[i] = v;
    }

    /// Effects: multiplies `inOut` sample by sample by the next values (a smoothed gain). Wait-free.
    template <typename Sample>
    void applyGain(std::span<Sample> inOut) noexcept
    {
        std::size_t i = 0;
        for (; i < inOut.size() && remaining_ != 0; ++i)
            inOut[i] *= static_cast<Sample>(nextSample());
        const auto v = static_cast<Sample>(current_);
        if (v != Sample(1))
            for (; i < inOut.size(); ++i)
                inOut[i] *= v;
    }

    /// Effects: advances by numSamples. Returns: the value reached (control-rate use). Wait-free:
    /// O(1) for a linear ramp, O(1) for an exponential one (closed form).
    double skip(std::size_t numSamples) noexcept
    {
        if (remaining_ == 0 || numSamples == 0)
            return current_;
        if (static_cast<std::int64_t>(numSamples) >= remaining_)
        {
            reset(target_);
            return current_;
        }
        const auto n = static_cast<double>(numSamples);
        current_ = geometric_ ? current_ * std::pow(step_, n) : current_ + step_ * n;
        remaining_ -= static_cast<std::int64_t>(numSamples);
        return current_;
    }

    [[nodiscard]] bool isSmoothing() const noexcept { return remaining_ != 0; }
    [[nodiscard]] double currentValue() const noexcept { return current_; }
    [[nodiscard]] double targetValue() const noexcept { return target_; }
    [[nodiscard]] std::int64_t rampSamples() const noexcept { return rampSamples_; }
    [[nodiscard]] std::int64_t remainingSamples() const noexcept { return remaining_; }

private:
    double sampleRate_ = 48000.0;
    double current_ = 0.0;
    double target_ = 0.0;
    double step_ = 0.0; // additive step (linear) or ratio (geometric)
    std::int64_t rampSamples_ = 0;
    std::int64_t remaining_ = 0;
    bool geometric_ = false;
};

using LinearSmoother = Smoother<RampShape::linear>;
using ExponentialSmoother = Smoother<RampShape::exponential>;
} // namespace wb
