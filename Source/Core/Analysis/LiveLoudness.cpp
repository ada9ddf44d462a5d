#include "Core/Analysis/LiveLoudness.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wb
{
void LiveLoudness::start(double sampleRate, int numChannels)
{
    stop();
    const int n = std::clamp(numChannels, 1, 2);
    if (!(sampleRate >= 8000.0 && sampleRate <= 768000.0) || sampleRate != std::round(sampleRate))
        return; // no BS.1770 measurement at this rate: the figures say "not running"
    meter = std::make_unique<LoudnessMeter>(n, sampleRate, true);
    rate = sampleRate;
    channels = n;
}

void LiveLoudness::stop() noexcept
{
    meter.reset();
    rate = 0.0;
    channels = 0;
    havePending = false;
    nextIndex.reset();
    lost = 0;
    range.reset();
    rangeAt = 0;
}

void LiveLoudness::reset()
{
    if (meter == nullptr)
        return;
    meter->reset();
    havePending = false;
    nextIndex.reset();
    lost = 0;
    range.reset();
    rangeAt = 0;
}

void LiveLoudness::push(const FrameChunk& chunk) noexcept
{
    if (meter == nullptr || chunk.kind != FrameKind::scope || chunk.numSamples == 0
        || chunk.numSamples > FrameChunk::kMaxSamples)
        return;
    if (channels == 1)
    {
        if (chunk.channel == 0)
            measure(chunk, nullptr);
        return;
    }
    // Stereo: output 1's chunk waits for output 2's with the same sequence. A chunk whose partner
    // never came is not measured; the index jump of the next pair counts its frames lost.
    if (chunk.channel == 0)
    {
        pending = chunk;
        havePending = true;
    }
    else if (chunk.channel == 1 && havePending && pending.sequence == chunk.sequence
             && pending.numSamples == chunk.numSamples)
    {
        havePending = false;
        measure(pending, &chunk);
    }
}

void LiveLoudness::measure(const FrameChunk& first, const FrameChunk* second) noexcept
{
    if (nextIndex && first.firstSampleIndex > *nextIndex)
        lost += static_cast<std::int64_t>(first.firstSampleIndex - *nextIndex);
    // (an index that goes backwards: the device restarted; nothing was lost)
    nextIndex = first.firstSampleIndex + first.numSamples;
    const float* planes[2] = {first.samples.data(), second != nullptr ? second->samples.data() : nullptr};
    meter->add(planes, static_cast<std::int64_t>(first.numSamples));
}

LiveLoudness::Figures LiveLoudness::figures()
{
    Figures f;
    if (meter == nullptr)
        return f;
    f.running = true;
    f.numChannels = channels;
    f.sampleRate = rate;
    f.momentaryLufs = meter->momentaryLufs();
    f.shortTermLufs = meter->shortTermLufs();
    f.integratedLufs = meter->integratedLufs();
    // The range sorts every short-term block so far: once a second of audio is enough.
    if (meter->frames() - rangeAt >= static_cast<std::int64_t>(rate) || meter->frames() < rangeAt)
    {
        range = meter->rangeLu();
        rangeAt = meter->frames();
    }
    f.rangeLu = range;
    f.truePeakDbtp = meter->truePeakDbtp();
    f.framesMeasured = meter->frames();
    f.framesLost = lost;
    return f;
}
} // namespace wb
