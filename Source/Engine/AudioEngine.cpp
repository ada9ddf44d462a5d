#include "Engine/AudioEngine.h"

namespace wb
{
AudioEngine::AudioEngine() : graphProcessor(std::make_unique<juce::AudioProcessorGraph>())
{
    using IO = juce::AudioProcessorGraph::AudioGraphIOProcessor;
    auto in = graphProcessor->addNode(std::make_unique<IO>(IO::audioInputNode));
    auto out = graphProcessor->addNode(std::make_unique<IO>(IO::audioOutputNode));
    juce::ignoreUnused(in, out);
    player.setProcessor(graphProcessor.get());
}

AudioEngine::~AudioEngine()
{
    devices.removeAudioCallback(&player);
    player.setProcessor(nullptr);
    devices.closeAudioDevice();
}

juce::String AudioEngine::openDevice(const juce::XmlElement* savedState, int numInputs, int numOutputs)
{
    devices.removeAudioCallback(&player);
    deviceError = devices.initialise(numInputs, numOutputs, savedState, true);
    if (deviceError.isEmpty() && devices.getCurrentAudioDevice() == nullptr)
        deviceError = "no audio device could be opened";
    devices.addAudioCallback(&player);
    return deviceError;
}

bool AudioEngine::hasDevice() const
{
    return devices.getCurrentAudioDevice() != nullptr;
}

juce::String AudioEngine::describeDevice() const
{
    auto* device = devices.getCurrentAudioDevice();
    if (device == nullptr)
        return "no audio device";
    return device->getTypeName() + ": " + device->getName() + " ("
         + juce::String(device->getCurrentSampleRate(), 0) + " Hz, "
         + juce::String(device->getCurrentBufferSizeSamples()) + " frames)";
}
} // namespace wb
