#include "Engine/RecordCallback.h"

#include "Core/Monitor/LoadMeter.h"

#include <algorithm>

namespace wb
{
RecordCallback::RecordCallback(Recorder& r, std::vector<std::vector<float>> signal, std::vector<int> in,
                               bool withOutputs, int outputs)
    : recorder(r), play(std::move(signal)), inputs(std::move(in)), recordOutputs(withOutputs), numOutputs(outputs),
      sources(inputs.size() + (withOutputs ? static_cast<std::size_t>(outputs) : 0U), nullptr)
{
}

void RecordCallback::audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out,
                                                      int numOut, int numSamples,
                                                      const juce::AudioIODeviceCallbackContext&)
{
    const auto n = static_cast<std::size_t>(std::max(numSamples, 0));
    const std::int64_t t0 = monitor::LoadMeter::nowNs();
    recorder.beginCallbackOnAudio();
    const std::int64_t t1 = monitor::LoadMeter::nowNs();
    if (!playing && recorder.isRecordingOnAudio())
    {
        playing = true;
        playPosition = 0;
    }
    for (int c = 0; c < numOut; ++c)
    {
        if (out[c] == nullptr)
            continue;
        std::fill(out[c], out[c] + n, 0.0f);
        const auto ch = static_cast<std::size_t>(c);
        if (playing && ch < play.size() && playPosition < play[ch].size())
        {
            const std::size_t take = std::min(n, play[ch].size() - playPosition);
            std::copy_n(play[ch].begin() + static_cast<std::ptrdiff_t>(playPosition), take, out[c]);
        }
    }
    if (playing)
        playPosition += n;

    std::size_t k = 0;
    for (int i : inputs)
        sources[k++] = i < numIn ? in[i] : nullptr;
    if (recordOutputs)
        for (int c = 0; c < numOutputs; ++c)
            sources[k++] = c < numOut ? out[c] : nullptr;
    const std::int64_t t2 = monitor::LoadMeter::nowNs();
    recorder.captureOnAudio(sources.data(), numSamples);
    const std::int64_t t3 = monitor::LoadMeter::nowNs();
    tapNanos.store(tapNanos.load(std::memory_order_relaxed) + (t1 - t0) + (t3 - t2), std::memory_order_relaxed);
    callbacks.store(callbacks.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}
} // namespace wb
