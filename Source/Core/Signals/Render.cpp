#include "Core/Signals/Render.h"

#include "Core/Signals/SignalGenerator.h"
#include "Core/Util/Decibels.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace wb
{
namespace
{
constexpr double kMinSampleRate = 8000.0;
constexpr double kMaxSampleRate = 768000.0;
constexpr double kMaxLevelDb = 24.0;       ///< anything louder is a typo, not a test signal
constexpr double kMaxDurationSeconds = 24.0 * 3600.0;
} // namespace

std::optional<std::string> validateRenderRequest(const SignalSettings& s, const RenderConfig& c)
{
    const double fs = c.sampleRate;
    if (!std::isfinite(fs) || fs < kMinSampleRate || fs > kMaxSampleRate)
        return fmt::format("sample rate {} Hz is outside {}..{} Hz", fs, kMinSampleRate, kMaxSampleRate);
    if (c.numChannels < 1 || c.numChannels > ChannelRouting::kMaxChannels)
        return fmt::format("channels must be 1..{}, not {}", ChannelRouting::kMaxChannels, c.numChannels);
    if (c.blockSize < 1)
        return fmt::format("block size must be at least 1, not {}", c.blockSize);
    if (!std::isfinite(s.duration) || s.duration <= 0.0)
        return fmt::format("duration must be a positive number of seconds, not {}", s.duration);
    if (s.duration > kMaxDurationSeconds)
        return fmt::format("duration {} s is longer than {} s", s.duration, kMaxDurationSeconds);
    if (!std::isfinite(s.levelDb) || s.levelDb > kMaxLevelDb)
        return fmt::format("level {} dBFS is not a number at or below +{} dBFS", s.levelDb, kMaxLevelDb);
    const double nyquist = 0.5 * fs;
    const auto checkFrequency = [&](double f, const char* what) -> std::optional<std::string>
    {
        if (!std::isfinite(f) || f <= 0.0 || f >= nyquist)
            return fmt::format("{} {} Hz must be above 0 and below fs/2 = {} Hz", what, f, nyquist);
        return std::nullopt;
    };
    if (isPeriodicTone(s.kind) || isSweep(s.kind))
        if (auto e = checkFrequency(s.freq, isSweep(s.kind) ? "start frequency" : "frequency"))
            return e;
    if (isSweep(s.kind))
        if (auto e = checkFrequency(s.freqTo, "end frequency"))
            return e;
    if (s.kind == SignalKind::impulse && (!std::isfinite(s.periodSamples) || s.periodSamples < 0.0))
        return fmt::format("impulse period must be 0 (single) or positive, not {}", s.periodSamples);
    if (!std::isfinite(s.fadeIn) || !std::isfinite(s.fadeOut) || s.fadeIn < 0.0 || s.fadeOut < 0.0
        || s.fadeIn + s.fadeOut > s.duration)
        return fmt::format("fades ({} s in, {} s out) must be >= 0 and fit in the duration {} s", s.fadeIn,
                           s.fadeOut, s.duration);
    if (c.numFrames < 0)
        return "frame count must not be negative";
    return std::nullopt;
}

RenderSummary renderSignalTo(const SignalSettings& s, const RenderConfig& c, const BlockSink& sink,
                             const RenderProgress& progress, const BlockProcessor& chain)
{
    RenderSummary summary;
    const std::int64_t frames = c.numFrames > 0 ? c.numFrames : std::llround(s.duration * c.sampleRate);
    summary.numFrames = frames;
    const int numChannels = std::clamp(c.numChannels, 1, ChannelRouting::kMaxChannels);
    const int block = std::max(1, c.blockSize);
    std::vector<std::vector<float>> buffers(static_cast<std::size_t>(numChannels),
                                            std::vector<float>(static_cast<std::size_t>(block)));
    std::vector<float*> pointers(static_cast<std::size_t>(numChannels));
    for (int ch = 0; ch < numChannels; ++ch)
        pointers[static_cast<std::size_t>(ch)] = buffers[static_cast<std::size_t>(ch)].data();

    SignalGenerator generator;
    generator.setSettings(s);
    generator.setRouting(c.routing);
    generator.prepare(c.sampleRate, block, SignalGenerator::PrepareScope::currentKindOnly); // no ramps

    // Pass 1 (random signals only): measure between the fades, on the first carrying channel.
    const bool correct = c.exactNoiseLevel && isRandom(s.kind);
    const double progressShare = correct ? 0.5 : 1.0;
    double scale = 1.0;
    if (correct)
    {
        int source = -1;
        for (int ch = 0; ch < numChannels && source < 0; ++ch)
            if (c.routing.enabled(ch))
                source = ch;
        const auto from = std::min<std::int64_t>(frames, std::llround(s.fadeIn * c.sampleRate));
        const auto to = std::max<std::int64_t>(from, frames - std::llround(s.fadeOut * c.sampleRate));
        double peak = 0.0;
        double sumSquares = 0.0;
        for (std::int64_t done = 0; source >= 0 && done < to;)
        {
            const auto n = static_cast<int>(std::min<std::int64_t>(block, frames - done));
            generator.process(pointers.data(), numChannels, n);
            const float* x = pointers[static_cast<std::size_t>(source)];
            for (auto i = static_cast<int>(std::clamp<std::int64_t>(from - done, 0, n)); i < n && done + i < to; ++i)
            {
                const auto v = static_cast<double>(x[i]);
                peak = std::max(peak, std::abs(v));
                sumSquares += v * v;
            }
            done += n;
            if (progress)
                progress(progressShare * static_cast<double>(done) / static_cast<double>(frames));
        }
        const double measured = s.mode == LevelMode::peak ? peak
                                : to > from ? std::sqrt(sumSquares / static_cast<double>(to - from))
                                            : 0.0;
        if (measured > 0.0)
        {
            scale = dbToGain(s.levelDb) / measured;
            summary.levelCorrectionDb = gainToDb(scale);
        }
        generator.reset(); // the same stream again, from the start
    }

    // Pass 2: generate, correct, chain, deliver.
    for (std::int64_t done = 0; done < frames;)
    {
        const auto n = static_cast<int>(std::min<std::int64_t>(block, frames - done));
        generator.process(pointers.data(), numChannels, n);
        if (scale != 1.0)
            for (float* x : pointers)
                for (int i = 0; i < n; ++i)
                    x[i] = static_cast<float>(static_cast<double>(x[i]) * scale);
        if (chain)
            chain(pointers.data(), numChannels, n);
        if (sink)
            sink(pointers.data(), numChannels, n);
        done += n;
        if (progress)
            progress(1.0 - progressShare + progressShare * static_cast<double>(done) / static_cast<double>(frames));
    }
    return summary;
}

RenderedSignal renderSignal(const SignalSettings& s, const RenderConfig& c, const RenderProgress& progress,
                            const BlockProcessor& chain)
{
    RenderedSignal result;
    result.sampleRate = c.sampleRate;
    const int numChannels = std::clamp(c.numChannels, 1, ChannelRouting::kMaxChannels);
    const std::int64_t frames = c.numFrames > 0 ? c.numFrames : std::llround(s.duration * c.sampleRate);
    result.channels.resize(static_cast<std::size_t>(numChannels));
    for (auto& ch : result.channels)
        ch.reserve(static_cast<std::size_t>(frames));
    const auto summary = renderSignalTo(
        s, c,
        [&](const float* const* channels, int count, int n)
        {
            for (int ch = 0; ch < count; ++ch)
                result.channels[static_cast<std::size_t>(ch)].insert(
                    result.channels[static_cast<std::size_t>(ch)].end(), channels[ch], channels[ch] + n);
        },
        progress, chain);
    result.levelCorrectionDb = summary.levelCorrectionDb;
    return result;
}
} // namespace wb
