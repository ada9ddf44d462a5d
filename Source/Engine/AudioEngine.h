#pragma once
// AudioEngine: the device, the AudioProcessorGraph and the player that connects them.
//
// Threads: every public function here is for the message thread. The audio thread only runs
// the graph (through juce::AudioProcessorPlayer) and talks to the UI through SPSC rings.
#include <juce_audio_devices/juce_audio_devices.h>
#include <juce_audio_processors/juce_audio_processors.h>
#include <juce_audio_utils/juce_audio_utils.h>

#include <memory>

namespace wb
{
class AudioEngine
{
public:
    AudioEngine();
    ~AudioEngine();

    /// Opens an audio device: the saved one when it still exists, else the system default.
    /// When none can be opened the engine stays silent and usable; the reason is returned
    /// (empty string on success) and kept in lastDeviceError().
    juce::String openDevice(const juce::XmlElement* savedState, int numInputs = 2, int numOutputs = 2);

    [[nodiscard]] bool hasDevice() const;
    [[nodiscard]] const juce::String& lastDeviceError() const noexcept { return deviceError; }
    /// "ALSA: default (48000 Hz, 512 frames)" or "no audio device".
    [[nodiscard]] juce::String describeDevice() const;

    juce::AudioDeviceManager& deviceManager() noexcept { return devices; }
    juce::AudioProcessorGraph& graph() noexcept { return *graphProcessor; }

private:
    juce::AudioDeviceManager devices;
    std::unique_ptr<juce::AudioProcessorGraph> graphProcessor;
    juce::AudioProcessorPlayer player;
    juce::String deviceError;
};
} // namespace wb
