#pragma once
// The test-signal generator: one prepared instance of every kernel, a level ramp, a crossfade
// between signal kinds, fades, and channel routing with per-channel polarity.
//
// Threads: prepare() allocates (message thread, before audio starts). setSettings(), setRouting(),
// reset() and process() never allocate, lock or throw: call them on the audio thread, e.g. with
// settings drained from a command ring at the start of a block. Latency 0.
//
// Click-free changes, and how:
//   level (dB or peak/RMS mode)  -> the gain ramps linearly over kLevelRampSeconds (10 ms);
//   frequency of a tone          -> phase-continuous (the accumulator keeps its phase);
//   signal kind                  -> the new kernel starts (reset to the settings) and the two are
//                                   crossfaded over kCrossfadeSeconds (5 ms) with complementary
//                                   raised-cosine gains (sum 1). A second change during a crossfade
//                                   drops the oldest signal;
//   routing / polarity            -> each channel's gain (+1, -1 or 0) ramps over 10 ms.
// Sweep and impulse timing changes take effect when that kernel next starts.
// Repetition: with settings().repeat and duration > 0, the signal restarts from its first sample
// (kernel, fade-in, fade-out) every round(duration * fs) samples, exactly where a render of one
// duration ends; a repeating sweep is thus the one-shot render, again and again.
//
// Levels: levelDb is the peak (LevelMode::peak) or the RMS (LevelMode::rms) in dBFS; the gain is
// dbToGain(levelDb) / reference, the reference being the kernel's peak or RMS (crestFactor()).
#include "Core/Signals/BandLimitedWave.h"
#include "Core/Signals/Impulse.h"
#include "Core/Signals/Noise.h"
#include "Core/Signals/SignalTypes.h"
#include "Core/Signals/Sine.h"
#include "Core/Signals/Sweep.h"

#include <array>
#include <cstdint>
#include <vector>

namespace wb
{
namespace signals::detail
{
/// A linear ramp to a target over a fixed number of samples. Private stand-in for the shared
/// Smoother (Core/Realtime), which will replace it.
class LinearRamp
{
public:
    void setRampLength(int samples) noexcept { length_ = samples > 0 ? samples : 1; }
    void jumpTo(double value) noexcept
    {
        value_ = target_ = value;
        remaining_ = 0;
    }
    void setTarget(double value) noexcept
    {
        if (value == target_)
            return;
        target_ = value;
        remaining_ = length_;
        step_ = (target_ - value_) / length_;
    }
    double next() noexcept
    {
        if (remaining_ > 0)
        {
            value_ = --remaining_ == 0 ? target_ : value_ + step_;
        }
        return value_;
    }
    [[nodiscard]] bool isRamping() const noexcept { return remaining_ > 0; }
    [[nodiscard]] double value() const noexcept { return value_; }

private:
    double value_ = 0.0;
    double target_ = 0.0;
    double step_ = 0.0;
    int length_ = 1;
    int remaining_ = 0;
};
} // namespace signals::detail

class SignalGenerator
{
public:
    static constexpr int kLatencySamples = 0;
    static constexpr int kMaxChannels = ChannelRouting::kMaxChannels;
    static constexpr double kLevelRampSeconds = 0.010;
    static constexpr double kCrossfadeSeconds = 0.005;

    SignalGenerator();

    enum class PrepareScope : std::uint8_t
    {
        allKinds,        ///< every kernel: any later kind change is allocation-free (real time)
        currentKindOnly, ///< only settings().kind's kernel (offline renders: skips ~0.1 s of
                         ///< wavetable building); changes to another kind are then ignored
    };

    /// Allocates: builds the wavetables and scratch buffers. Then applies settings() via reset().
    void prepare(double sampleRate, int maxBlockSize, PrepareScope scope = PrepareScope::allKinds);

    /// Click-free change to new settings (see the header comment). Wait-free.
    void setSettings(const SignalSettings& s) noexcept;
    /// Click-free change of routing and polarity. Wait-free.
    void setRouting(const ChannelRouting& r) noexcept;
    /// Restarts the current settings from sample 0: phases, seeds, sweeps, fades; no ramps.
    void reset() noexcept;

    /// Writes numFrames samples to each of numChannels outputs (channels beyond kMaxChannels are
    /// silent). Any numFrames is allowed; it is processed in pieces of at most maxBlockSize.
    void process(float* const* channels, int numChannels, int numFrames) noexcept;

    [[nodiscard]] const SignalSettings& settings() const noexcept { return settings_; }
    /// True when the current signal is a one-shot that has played all of it: a sweep without
    /// repeat past its duration, or a single impulse (period 0) past its sample. Counted from
    /// when that kernel started (reset() or a change of kind), not while crossfading. Wait-free.
    [[nodiscard]] bool isOneShotFinished() const noexcept;
    [[nodiscard]] const ChannelRouting& routing() const noexcept { return routing_; }
    [[nodiscard]] double sampleRate() const noexcept { return sampleRate_; }

    /// Peak of the kernel's unscaled output for the current settings (true peak for the
    /// band-limited waves; the nominal 4 sigma for Gaussian-like noises).
    [[nodiscard]] double kernelPeak(SignalKind k) const noexcept;
    /// RMS of the kernel's unscaled output (exact long-term value for noises).
    [[nodiscard]] double kernelRms(SignalKind k) const noexcept;
    /// Peak / RMS for the current settings (0 for silence).
    [[nodiscard]] double crestFactor(SignalKind k) const noexcept;
    /// The gain the generator applies to the kernel for settings s.
    [[nodiscard]] double targetGain(const SignalSettings& s) const noexcept;

private:
    void renderKernel(SignalKind k, float* out, int n) noexcept;
    void startKernel(SignalKind k) noexcept;
    void applyKernelParameters() noexcept;
    void processPiece(float* const* channels, int numChannels, int offset, int n) noexcept;
    void processTransitions(float* mono, int n, bool enveloped) noexcept;
    void writeChannels(float* const* channels, int numChannels, int offset, int n) noexcept;
    [[nodiscard]] double envelopeAt(std::int64_t position) const noexcept;

    [[nodiscard]] bool isPrepared(SignalKind k) const noexcept
    {
        return ((preparedKinds_ >> static_cast<unsigned>(k)) & 1u) != 0;
    }

    std::uint32_t preparedKinds_ = 0; ///< bit k: the kernel of SignalKind k is prepared
    SignalSettings settings_{};
    ChannelRouting routing_{};
    double sampleRate_ = 48000.0;
    int maxBlockSize_ = 0;

    signals::SineOscillator sine_;
    signals::BandLimitedWave square_{signals::WaveShape::square};
    signals::BandLimitedWave saw_{signals::WaveShape::saw};
    signals::BandLimitedWave triangle_{signals::WaveShape::triangle};
    signals::WhiteNoise whiteUniform_{signals::NoiseDistribution::uniform};
    signals::WhiteNoise whiteGaussian_{signals::NoiseDistribution::gaussian};
    signals::PinkNoise pink_;
    signals::BrownNoise brown_;
    signals::ImpulseGenerator impulse_;
    signals::SineSweep sweepLog_{signals::SweepLaw::logarithmic};
    signals::SineSweep sweepLin_{signals::SweepLaw::linear};

    SignalKind current_ = SignalKind::sine;
    SignalKind previous_ = SignalKind::silence;
    int crossfadeLength_ = 1;
    int crossfadeRemaining_ = 0;
    double previousGain_ = 0.0;
    signals::detail::LinearRamp gain_;
    std::array<signals::detail::LinearRamp, kMaxChannels> channelGains_{};

    std::int64_t position_ = 0; ///< samples since reset(), for the fades
    std::int64_t kernelPosition_ = 0; ///< samples since the current kernel started
    std::int64_t fadeInSamples_ = 0;
    std::int64_t fadeOutSamples_ = 0;
    std::int64_t endSample_ = 0;  ///< where the fade-out ends (0: no fade-out)
    std::int64_t cycleSamples_ = 0; ///< repeat period (0: no repetition)

    std::vector<float> scratch_;
    std::vector<float> previousScratch_;
};
} // namespace wb
