#include "Core/Signals/SignalGenerator.h"

#include "Core/Util/Decibels.h"

#include <algorithm>
#include <cmath>

namespace wb
{
SignalGenerator::SignalGenerator() = default;

void SignalGenerator::prepare(double sampleRate, int maxBlockSize, PrepareScope scope)
{
    sampleRate_ = sampleRate;
    maxBlockSize_ = std::max(1, maxBlockSize);
    scratch_.assign(static_cast<std::size_t>(maxBlockSize_), 0.0f);
    previousScratch_.assign(static_cast<std::size_t>(maxBlockSize_), 0.0f);

    const bool all = scope == PrepareScope::allKinds;
    const auto wanted = [&](SignalKind k) { return all || settings_.kind == k; };
    if (all)
        signals::BandLimitedWave::buildAllTables(); // the three shapes at once, not one by one
    // The shared sine table serves the fades and crossfades of every kind.
    sine_.prepare(sampleRate, maxBlockSize_);
    if (wanted(SignalKind::square))
        square_.prepare(sampleRate, maxBlockSize_);
    if (wanted(SignalKind::saw))
        saw_.prepare(sampleRate, maxBlockSize_);
    if (wanted(SignalKind::triangle))
        triangle_.prepare(sampleRate, maxBlockSize_);
    whiteUniform_.prepare(sampleRate, maxBlockSize_);
    whiteGaussian_.prepare(sampleRate, maxBlockSize_);
    if (wanted(SignalKind::pink))
        pink_.prepare(sampleRate, maxBlockSize_);
    if (wanted(SignalKind::brown))
        brown_.prepare(sampleRate, maxBlockSize_);
    impulse_.prepare(sampleRate, maxBlockSize_);
    sweepLog_.prepare(sampleRate, maxBlockSize_);
    sweepLin_.prepare(sampleRate, maxBlockSize_);
    preparedKinds_ = 0;
    for (int k = 0; k < kNumSignalKinds; ++k)
        if (wanted(static_cast<SignalKind>(k)) || (k != static_cast<int>(SignalKind::square)
                                                   && k != static_cast<int>(SignalKind::saw)
                                                   && k != static_cast<int>(SignalKind::triangle)
                                                   && k != static_cast<int>(SignalKind::pink)
                                                   && k != static_cast<int>(SignalKind::brown)))
            preparedKinds_ |= 1u << static_cast<unsigned>(k);

    const auto rampSamples = static_cast<int>(std::lround(kLevelRampSeconds * sampleRate));
    gain_.setRampLength(rampSamples);
    for (auto& g : channelGains_)
        g.setRampLength(rampSamples);
    crossfadeLength_ = std::max(1, static_cast<int>(std::lround(kCrossfadeSeconds * sampleRate)));
    reset();
}

void SignalGenerator::applyKernelParameters() noexcept
{
    const SignalSettings& s = settings_;
    sine_.setFrequency(s.freq);
    square_.setFrequency(s.freq);
    saw_.setFrequency(s.freq);
    triangle_.setFrequency(s.freq);
    impulse_.setTiming(s.impulseOffset, s.periodSamples);
    sweepLog_.setSweep(s.freq, s.freqTo, s.duration);
    sweepLin_.setSweep(s.freq, s.freqTo, s.duration);

    fadeInSamples_ = std::max<std::int64_t>(0, std::llround(s.fadeIn * sampleRate_));
    fadeOutSamples_ = std::max<std::int64_t>(0, std::llround(s.fadeOut * sampleRate_));
    endSample_ = (s.duration > 0.0 && fadeOutSamples_ > 0) ? std::llround(s.duration * sampleRate_) : 0;
    cycleSamples_ = s.repeat && s.duration > 0.0 ? std::max<std::int64_t>(1, std::llround(s.duration * sampleRate_)) : 0;
}

void SignalGenerator::startKernel(SignalKind k) noexcept
{
    const SignalSettings& s = settings_;
    kernelPosition_ = 0;
    switch (k)
    {
        case SignalKind::sine: sine_.reset(s.startPhase); break;
        case SignalKind::square: square_.reset(s.startPhase); break;
        case SignalKind::saw: saw_.reset(s.startPhase); break;
        case SignalKind::triangle: triangle_.reset(s.startPhase); break;
        case SignalKind::whiteUniform: whiteUniform_.reset(s.seed); break;
        case SignalKind::whiteGaussian: whiteGaussian_.reset(s.seed); break;
        case SignalKind::pink: pink_.reset(s.seed); break;
        case SignalKind::brown: brown_.reset(s.seed); break;
        case SignalKind::impulse: impulse_.reset(); break;
        case SignalKind::sweepLog: sweepLog_.reset(); break;
        case SignalKind::sweepLin: sweepLin_.reset(); break;
        case SignalKind::silence:
        case SignalKind::dc: break;
    }
}

void SignalGenerator::reset() noexcept
{
    applyKernelParameters();
    startKernel(settings_.kind);
    current_ = settings_.kind;
    crossfadeRemaining_ = 0;
    position_ = 0;
    gain_.jumpTo(targetGain(settings_));
    for (int c = 0; c < kMaxChannels; ++c)
        channelGains_[static_cast<std::size_t>(c)].jumpTo(
            routing_.enabled(c) ? (routing_.invert[static_cast<std::size_t>(c)] ? -1.0 : 1.0) : 0.0);
}

void SignalGenerator::setSettings(const SignalSettings& incoming) noexcept
{
    SignalSettings s = incoming;
    if (preparedKinds_ != 0 && !isPrepared(s.kind))
        s.kind = settings_.kind; // an unprepared kernel cannot play (PrepareScope::currentKindOnly)
    const SignalSettings old = settings_;
    settings_ = s;
    applyKernelParameters();
    if (s.seed != old.seed)
    {
        whiteUniform_.reseed(s.seed);
        whiteGaussian_.reseed(s.seed);
        pink_.reseed(s.seed);
        brown_.reseed(s.seed);
    }
    if (s.kind != current_)
    {
        if (crossfadeRemaining_ > 0 && s.kind == previous_)
        {
            // Going back mid-crossfade: run the same crossfade backwards from where it is.
            std::swap(current_, previous_);
            crossfadeRemaining_ = crossfadeLength_ - crossfadeRemaining_;
            const double g = previousGain_;
            previousGain_ = gain_.value();
            gain_.jumpTo(g);
        }
        else
        {
            previous_ = current_;
            previousGain_ = gain_.value();
            current_ = s.kind;
            startKernel(current_);
            crossfadeRemaining_ = crossfadeLength_;
            gain_.jumpTo(targetGain(s)); // the crossfade itself brings the new signal in
            return;
        }
    }
    gain_.setTarget(targetGain(s));
}

bool SignalGenerator::isOneShotFinished() const noexcept
{
    if (crossfadeRemaining_ > 0)
        return false;
    const SignalSettings& s = settings_;
    if (isSweep(current_))
        return !s.repeat && s.duration > 0.0 && kernelPosition_ >= std::llround(s.duration * sampleRate_);
    if (current_ == SignalKind::impulse)
        return s.periodSamples <= 0.0 && static_cast<double>(kernelPosition_) > s.impulseOffset;
    return false;
}

void SignalGenerator::setRouting(const ChannelRouting& r) noexcept
{
    routing_ = r;
    for (int c = 0; c < kMaxChannels; ++c)
        channelGains_[static_cast<std::size_t>(c)].setTarget(
            r.enabled(c) ? (r.invert[static_cast<std::size_t>(c)] ? -1.0 : 1.0) : 0.0);
}

double SignalGenerator::kernelPeak(SignalKind k) const noexcept
{
    switch (k)
    {
        case SignalKind::silence: return 0.0;
        case SignalKind::dc: return 1.0;
        case SignalKind::sine: return signals::SineOscillator::kPeak;
        case SignalKind::square: return square_.peak();
        case SignalKind::saw: return saw_.peak();
        case SignalKind::triangle: return triangle_.peak();
        case SignalKind::whiteUniform: return whiteUniform_.peak();
        case SignalKind::whiteGaussian: return whiteGaussian_.peak();
        case SignalKind::pink: return pink_.peak();
        case SignalKind::brown: return brown_.peak();
        case SignalKind::impulse: return 1.0;
        case SignalKind::sweepLog:
        case SignalKind::sweepLin: return signals::SineSweep::kPeak;
    }
    return 0.0;
}

double SignalGenerator::kernelRms(SignalKind k) const noexcept
{
    switch (k)
    {
        case SignalKind::silence: return 0.0;
        case SignalKind::dc: return 1.0;
        case SignalKind::sine: return signals::SineOscillator::kRms;
        case SignalKind::square: return square_.rms();
        case SignalKind::saw: return saw_.rms();
        case SignalKind::triangle: return triangle_.rms();
        case SignalKind::whiteUniform: return whiteUniform_.rms();
        case SignalKind::whiteGaussian: return whiteGaussian_.rms();
        case SignalKind::pink: return pink_.rms();
        case SignalKind::brown: return brown_.rms();
        case SignalKind::impulse:
        {
            // A train: one unit sample per period. A single impulse: one in the whole duration.
            const double span = settings_.periodSamples > 0.0 ? std::max(1.0, settings_.periodSamples)
                                                               : settings_.duration * sampleRate_;
            return span >= 1.0 ? 1.0 / std::sqrt(span) : 1.0;
        }
        case SignalKind::sweepLog:
        case SignalKind::sweepLin: return signals::SineSweep::kRms;
    }
    return 0.0;
}

double SignalGenerator::crestFactor(SignalKind k) const noexcept
{
    const double rms = kernelRms(k);
    return rms > 0.0 ? kernelPeak(k) / rms : 0.0;
}

double SignalGenerator::targetGain(const SignalSettings& s) const noexcept
{
    const double reference = s.mode == LevelMode::peak ? kernelPeak(s.kind) : kernelRms(s.kind);
    return reference > 0.0 ? dbToGain(s.levelDb) / reference : 0.0;
}

void SignalGenerator::renderKernel(SignalKind k, float* out, int n) noexcept
{
    switch (k)
    {
        case SignalKind::silence: std::fill(out, out + n, 0.0f); break;
        case SignalKind::dc: std::fill(out, out + n, 1.0f); break;
        case SignalKind::sine: sine_.process(out, n); break;
        case SignalKind::square: square_.process(out, n); break;
        case SignalKind::saw: saw_.process(out, n); break;
        case SignalKind::triangle: triangle_.process(out, n); break;
        case SignalKind::whiteUniform: whiteUniform_.process(out, n); break;
        case SignalKind::whiteGaussian: whiteGaussian_.process(out, n); break;
        case SignalKind::pink: pink_.process(out, n); break;
        case SignalKind::brown: brown_.process(out, n); break;
        case SignalKind::impulse: impulse_.process(out, n); break;
        case SignalKind::sweepLog: sweepLog_.process(out, n); break;
        case SignalKind::sweepLin: sweepLin_.process(out, n); break;
    }
}

double SignalGenerator::envelopeAt(std::int64_t position) const noexcept
{
    const auto& table = signals::SineTable::instance();
    double env = 1.0;
    if (position < fadeInSamples_)
        env = 0.5 * (1.0 - table.cosCycles(0.5 * static_cast<double>(position) / static_cast<double>(fadeInSamples_)));
    if (endSample_ > 0)
    {
        const std::int64_t fadeStart = endSample_ - fadeOutSamples_;
        if (position >= endSample_)
            return 0.0;
        if (position >= fadeStart)
        {
            // Raised cosine from 1 at fadeStart towards 0 at endSample_ (the last sample is > 0).
            const double x = static_cast<double>(position - fadeStart + 1) / static_cast<double>(fadeOutSamples_ + 1);
            env *= 0.5 * (1.0 + table.cosCycles(0.5 * x));
        }
    }
    return env;
}

void SignalGenerator::processPiece(float* const* channels, int numChannels, int offset, int n) noexcept
{
    float* mono = scratch_.data();
    renderKernel(current_, mono, n);
    const bool crossfading = crossfadeRemaining_ > 0;
    if (crossfading)
        renderKernel(previous_, previousScratch_.data(), n);

    const bool enveloped = position_ < fadeInSamples_ || (endSample_ > 0 && position_ + n > endSample_ - fadeOutSamples_);
    if (!crossfading && !enveloped && !gain_.isRamping())
    {
        // Steady state: the same arithmetic as the general loop below (so the output does not
        // depend on where blocks start), without its per-sample branches.
        const double gain = gain_.value();
        for (int i = 0; i < n; ++i)
            mono[i] = static_cast<float>(gain * static_cast<double>(mono[i]));
    }
    else
    {
        processTransitions(mono, n, enveloped);
    }
    position_ += n;
    kernelPosition_ += n;
    writeChannels(channels, numChannels, offset, n);
}

void SignalGenerator::processTransitions(float* mono, int n, bool enveloped) noexcept
{
    const auto& table = signals::SineTable::instance();
    for (int i = 0; i < n; ++i)
    {
        double y = gain_.next() * static_cast<double>(mono[i]);
        if (crossfadeRemaining_ > 0)
        {
            // Raised-cosine crossfade: new weight sin^2, old weight cos^2, summing to 1.
            const double x = 1.0 - static_cast<double>(crossfadeRemaining_) / crossfadeLength_;
            const double newWeight = 0.5 * (1.0 - table.cosCycles(0.5 * x));
            y = newWeight * y + (1.0 - newWeight) * previousGain_
                                                 * static_cast<double>(previousScratch_[static_cast<std::size_t>(i)]);
            --crossfadeRemaining_;
        }
        if (enveloped)
            y *= envelopeAt(position_ + i);
        mono[i] = static_cast<float>(y);
    }
}

void SignalGenerator::writeChannels(float* const* channels, int numChannels, int offset, int n) noexcept
{
    const float* mono = scratch_.data();
    for (int c = 0; c < numChannels; ++c)
    {
        float* out = channels[c] + offset;
        if (c >= kMaxChannels)
        {
            std::fill(out, out + n, 0.0f);
            continue;
        }
        auto& g = channelGains_[static_cast<std::size_t>(c)];
        if (!g.isRamping())
        {
            const auto k = static_cast<float>(g.value());
            for (int i = 0; i < n; ++i)
                out[i] = k * mono[i];
            continue;
        }
        for (int i = 0; i < n; ++i)
            out[i] = static_cast<float>(g.next() * static_cast<double>(mono[i]));
    }
}

void SignalGenerator::process(float* const* channels, int numChannels, int numFrames) noexcept
{
    for (int offset = 0; offset < numFrames;)
    {
        if (cycleSamples_ > 0 && position_ >= cycleSamples_)
        {
            // Repeat: the current kernel and the fades start again from their first sample.
            startKernel(current_);
            position_ = 0;
        }
        int n = std::min(maxBlockSize_, numFrames - offset);
        if (cycleSamples_ > 0)
            n = static_cast<int>(std::min<std::int64_t>(n, cycleSamples_ - position_));
        processPiece(channels, numChannels, offset, n);
        offset += n;
    }
}
} // namespace wb
