#pragma once
// Plays a prepared excitation (the swept sine) on one output channel of an open device and
// records one input channel over the same frames, for wb::analysis::analyseSweptSine: capture
// sample n was recorded in the callback that played excitation sample n (so the device's round
// trip is what the analysis reports as the delay).
#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <functional>
#include <cstdint>
#include <string>
#include <vector>

namespace wb
{
/// The device-side half. Construction allocates both buffers; the callback never allocates,
/// locks or makes a syscall (audio thread): it copies the excitation out and the input in.
class SweepCaptureCallback final : public juce::AudioIODeviceCallback
{
public:
    enum State : int
    {
        idle = 0,    ///< silence out, nothing recorded
        armed = 1,   ///< the next callback starts the excitation
        running = 2, ///< playing and recording
        done = 3,    ///< every frame recorded; silence out
    };

    /// Allocates. outputChannel / inputChannel: indices among the device's active channels.
    SweepCaptureCallback(std::vector<float> excitation, int outputChannel, int inputChannel);

    /// Audio thread. Wait-free, no allocation.
    void audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out, int numOut,
                                          int numSamples, const juce::AudioIODeviceCallbackContext&) override;
    void audioDeviceAboutToStart(juce::AudioIODevice*) override {}
    void audioDeviceStopped() override {}

    /// Any thread: start at the next callback.
    void armFromAnyThread() noexcept { state.store(armed, std::memory_order_release); }
    [[nodiscard]] State stateFromAnyThread() const noexcept { return static_cast<State>(state.load(std::memory_order_acquire)); }
    [[nodiscard]] std::int64_t framesSeenFromAnyThread() const noexcept { return seen.load(std::memory_order_acquire); }
    /// Valid once stateFromAnyThread() == done.
    [[nodiscard]] const std::vector<float>& capture() const noexcept { return recorded; }

private:
    std::vector<float> excitation;
    std::vector<float> recorded;
    const int outputChannel;
    const int inputChannel;
    std::size_t position = 0; // audio thread
    std::atomic<int> state{idle};
    std::atomic<std::int64_t> seen{0};
};

struct SweepCaptureReport
{
    bool ok = false;
    std::string reason;        ///< why nothing was captured (the device failed)
    std::vector<float> capture;
    int xruns = -1;            ///< the device's count during the capture (-1 unknown)
    bool interrupted = false;  ///< stopRequested said stop: nothing captured, the device stopped
};

/// Starts an open device, waits two periods, plays the excitation and records it, stops the
/// device. Blocks the calling thread (polling against a deadline of the excitation's length
/// plus timeoutSeconds). `stopRequested`, polled about once a millisecond, ends it early (Ctrl-C
/// in the CLI): the device is stopped and nothing is captured. Allocates.
SweepCaptureReport captureSweep(juce::AudioIODevice& device, const std::vector<float>& excitation, int outputChannel,
                                int inputChannel, double timeoutSeconds = 20.0,
                                const std::function<bool()>& stopRequested = {});
} // namespace wb
