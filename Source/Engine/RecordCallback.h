#pragma once
// The device side of `wavebench record`: plays a prepared signal (optional) and hands the chosen
// channels to a wb::Recorder in the same callbacks. The signal starts in the callback in which the
// recording starts (the one that sees the start), so file frame preRoll + n of an output channel
// is the signal's frame n, and of an input channel it is what came back n frames later by the
// device's round trip.
#include "Core/Audio/Recorder.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <cstdint>
#include <vector>

namespace wb
{
class RecordCallback final : public juce::AudioIODeviceCallback
{
public:
    /// play: planar channels played on outputs 1..play.size() from the start of the recording
    /// (then silence; may be empty). inputs: the active input channels recorded, in file order
    /// (0-based). recordOutputs: after the inputs, the file holds outputs 1..numOutputs.
    /// The recorder must be prepared with inputs.size() + (recordOutputs ? numOutputs : 0)
    /// channels. Allocates (here, not in the callback).
    RecordCallback(Recorder& recorder, std::vector<std::vector<float>> play, std::vector<int> inputs,
                   bool recordOutputs, int numOutputs);

    /// Audio thread: no allocation, lock, wait or system call.
    void audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out, int numOut,
                                          int numSamples, const juce::AudioIODeviceCallbackContext&) override;
    void audioDeviceAboutToStart(juce::AudioIODevice*) override {}
    void audioDeviceStopped() override {}

    /// Time the callback spent in the recorder (the tap alone), summed, and callbacks run. Any thread.
    [[nodiscard]] std::int64_t tapNanosFromUi() const noexcept { return tapNanos.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t callbacksFromUi() const noexcept { return callbacks.load(std::memory_order_relaxed); }

private:
    Recorder& recorder;
    std::vector<std::vector<float>> play;
    std::vector<int> inputs;
    bool recordOutputs;
    int numOutputs;
    std::vector<const float*> sources; // one per file channel, filled each callback
    std::size_t playPosition = 0;
    bool playing = false;
    std::atomic<std::int64_t> tapNanos{0};
    std::atomic<std::int64_t> callbacks{0};
};
} // namespace wb
