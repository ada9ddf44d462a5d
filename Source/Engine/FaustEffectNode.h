#pragma once
// FaustEffectNode: hosts any Faust-compiled class (see Source/Faust/FaustCatalogue.h) as a
// juce::AudioProcessor in the engine's AudioProcessorGraph.
//
// Threads: construct, prepareToPlay and releaseResources on the message thread (they allocate);
// processBlock and the *OnAudio functions on the audio thread (no allocation, no lock).
#include "Engine/FaustParameters.h"

#include <juce_audio_processors/juce_audio_processors.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wb
{
class FaustEffectNode final : public juce::AudioProcessor
{
public:
    /// Takes ownership of a Faust DSP instance. `effectId` is the catalogue id, e.g. "gain".
    FaustEffectNode(std::unique_ptr<::dsp> dsp, std::string effectId);
    ~FaustEffectNode() override;

    /// Creates the node for a catalogue id; nullptr when the id is unknown. Allocates.
    static std::unique_ptr<FaustEffectNode> create(const std::string& effectId);

    [[nodiscard]] const std::string& effectId() const noexcept { return id; }
    [[nodiscard]] const FaustDescription& description() const noexcept { return desc; }
    /// Index of the control whose label or full path is `name`, or -1.
    [[nodiscard]] int findControl(const std::string& name) const noexcept;

    /// Audio thread (or before prepare): set an input control, clamped to its range. Wait-free.
    void setControlOnAudio(int index, float value) noexcept;
    /// Audio thread: the current value of a control (inputs and bargraphs). Wait-free.
    [[nodiscard]] float controlOnAudio(int index) const noexcept;

    /// Blocks in which a NaN or Inf arrived at the input (those samples were replaced by 0).
    /// Any thread; wait-free.
    [[nodiscard]] uint32_t nonFiniteInputBlocks() const noexcept { return badInputBlocks.load(std::memory_order_relaxed); }
    /// Blocks in which the effect itself produced NaN or Inf: the block was muted and the
    /// effect's state cleared. Any thread; wait-free.
    [[nodiscard]] uint32_t nonFiniteOutputBlocks() const noexcept { return badOutputBlocks.load(std::memory_order_relaxed); }

    // juce::AudioProcessor
    const juce::String getName() const override { return juce::String(id); }
    void prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock) override;
    void releaseResources() override {}
    using juce::AudioProcessor::processBlock; // the double-precision overload stays JUCE's
    void processBlock(juce::AudioBuffer<float>&, juce::MidiBuffer&) override;
    void reset() override;
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
    void getStateInformation(juce::MemoryBlock&) override;
    void setStateInformation(const void*, int) override;

private:
    std::unique_ptr<::dsp> dsp;
    std::string id;
    FaustDescription desc;
    int numIns = 0, numOuts = 0;
    juce::AudioBuffer<float> scratchIn; // sized in prepareToPlay
    std::vector<float*> inPtrs, outPtrs;
    std::atomic<uint32_t> badInputBlocks{0}, badOutputBlocks{0};

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(FaustEffectNode)
};
} // namespace wb
