#pragma once
// NodeBase: what every Wavebench graph node says the same way to JUCE — no MIDI, no editor, one
// program, no tail — so each node states only what it does.
#include <juce_audio_processors/juce_audio_processors.h>

namespace wb
{
class NodeBase : public juce::AudioProcessor
{
public:
    using juce::AudioProcessor::AudioProcessor;

    double getTailLengthSeconds() const override { return 0.0; }
    bool acceptsMidi() const override { return false; }
    bool producesMidi() const override { return false; }
    juce::AudioProcessorEditor* createEditor() override { return nullptr; }
    bool hasEditor() const override { return false; }
    int getNumPrograms() override { return 1; }
    int getCurrentProgram() override { return 0; }
    void setCurrentProgram(int) override {}
    const juce::String getProgramName(int) override { return {}; }
    void changeProgramName(int, const juce::String&) override {}
    void releaseResources() override {}
};
} // namespace wb
