#pragma once
// FaustEffectNode: hosts any Faust-compiled class (see Source/Faust/FaustCatalogue.h) as a
// juce::AudioProcessor in the engine's AudioProcessorGraph.
//
// Parameters never travel as raw writes into Faust's zones from another thread. The UI sends
// Command::setParameter / setBypass through the command ring; CommandDispatcher hands them to
// handleCommandOnAudio() at the start of the block; processBlock() applies each at its exact
// sample offset (offline automation is sample-accurate) and ramps it over the smoothing time:
//   - the ramp runs in the parameter's own domain: linear for linear controls (dB, %, ms),
//     in log(value) for [scale:log] controls (frequencies, Q), i.e. an exponential ramp;
//   - zones are updated on a fixed grid of kControlInterval samples counted from the node's start
//     and at every event, so the output does not depend on how the host splits blocks;
//   - bypass crossfades dry and wet over the smoothing time, sample by sample.
// Bargraphs (e.g. gain reduction) return to the UI as BargraphValue telemetry about every 20 ms;
// NaN/Inf at the input or produced by the effect are contained, counted and reported.
// Cost: a class generated with `faust -inpl` runs in place in the host's buffer (no copy) when the
// buffer has exactly its channels; the input is copied aside only for a bypass crossfade. See
// docs/PERFORMANCE.md, "Faust hosting".
//
// Threads: construct, setters marked "message thread", prepareToPlay and releaseResources on
// the message thread (they may allocate); processBlock, reset and the *OnAudio functions on the
// audio thread (no allocation, no lock, no exception).
#include "Core/Realtime/Commands.h"
#include "Core/Realtime/TimedCommands.h"
#include "Core/Realtime/Smoother.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Core/Session/ParamSpec.h"
#include "Engine/FaustParameters.h"

#include "Engine/NodeBase.h"

#include <juce_audio_processors/juce_audio_processors.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wb
{
class FaustEffectNode final : public NodeBase
{
public:
    static constexpr int kControlInterval = 16;           ///< samples between zone updates while ramping
    static constexpr double kDefaultSmoothingSeconds = 0.02;
    static constexpr std::size_t kMaxPendingEvents = 256; ///< per node, across blocks
    /// The highest sample rate the Faust effects are right at: Faust's libraries clamp ma.SR to
    /// 192 kHz (platform.lib), so above it every time constant, frequency and delay would be off
    /// by rate / 192 kHz (and the delay lines are sized for it). Callers refuse higher rates.
    static constexpr double kMaxSampleRate = 192000.0;

    /// Takes ownership of a Faust DSP instance. `effectId` is the catalogue id, e.g. "gain".
    FaustEffectNode(std::unique_ptr<::dsp> dsp, std::string effectId);
    ~FaustEffectNode() override;

    /// Creates the node for a catalogue id; nullptr when the id is unknown. Allocates.
    static std::unique_ptr<FaustEffectNode> create(const std::string& effectId);

    [[nodiscard]] const std::string& effectId() const noexcept { return id; }
    [[nodiscard]] const FaustDescription& description() const noexcept { return desc; }
    /// Every control (inputs and meters) described as a ParamSpec, indexed as description().controls.
    [[nodiscard]] const std::vector<ParamSpec>& specs() const noexcept { return paramSpecs; }
    /// Index of the control (an input or a meter) called `name`, or -1; names as Core/Session/ParamNames
    /// reads them (label or full path, any case, '_' for spaces, quotes allowed). Never allocates.
    [[nodiscard]] int findControl(const std::string& name) const noexcept;

    /// Message thread, before audio runs: the id commands address, and where telemetry goes.
    void setNodeId(NodeId nodeId) noexcept { node = nodeId; }
    [[nodiscard]] NodeId nodeId() const noexcept { return node; }
    void setTelemetry(TelemetryQueue* queue) noexcept { telemetry = queue; }
    /// Message thread, before prepareToPlay: ramp time of live changes (0 = step).
    void setSmoothingSeconds(double seconds) noexcept { smoothingSeconds = seconds; }

    /// For CommandDispatcher::registerHandler(node, &FaustEffectNode::handleCommandOnAudio, this).
    static void handleCommandOnAudio(void* self, const Command& command) noexcept;
    /// Audio thread: queue a setParameter / setBypass / resetMeters command for the next block.
    /// Returns false (and counts it) when kMaxPendingEvents are already pending. Wait-free.
    bool queueCommandOnAudio(const Command& command) noexcept;

    /// Audio thread (or before prepare): set an input control now, clamped, no ramp. Wait-free.
    void setControlOnAudio(int index, float value) noexcept;
    /// Audio thread: the current value of a control (inputs and bargraphs). Wait-free.
    [[nodiscard]] float controlOnAudio(int index) const noexcept;
    [[nodiscard]] bool isBypassedOnAudio() const noexcept { return bypassTarget; }
    /// Audio thread: bypassed and its crossfade finished (the output is the dry input). Wait-free.
    [[nodiscard]] bool isFullyBypassedOnAudio() const noexcept { return bypassTarget && !bypassMix.isSmoothing(); }
    /// Before the node is live, or on the audio thread: bypass at once, no crossfade. Wait-free.
    void setBypassedNow(bool bypassed) noexcept
    {
        bypassTarget = bypassed;
        bypassMix.reset(bypassed ? 1.0 : 0.0);
    }

    /// Blocks in which a NaN or Inf arrived at the input (those samples were replaced by 0).
    [[nodiscard]] uint32_t nonFiniteInputBlocks() const noexcept { return badInputBlocks.load(std::memory_order_relaxed); }
    /// Blocks in which the effect itself produced NaN or Inf: muted, state cleared.
    [[nodiscard]] uint32_t nonFiniteOutputBlocks() const noexcept { return badOutputBlocks.load(std::memory_order_relaxed); }
    /// The hosted Faust instance, read-only: for inspection by tests and benchmarks (e.g. counting
    /// subnormal floats in its state). Not for the audio path.
    [[nodiscard]] const ::dsp& faustDsp() const noexcept { return *dsp; }
    /// Commands dropped because the pending-event list was full. Any thread.
    [[nodiscard]] uint32_t droppedCommands() const noexcept { return dropped.load(std::memory_order_relaxed); }

    // juce::AudioProcessor
    const juce::String getName() const override { return juce::String(id); }
    void prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock) override;
    using juce::AudioProcessor::processBlock; // the double-precision overload stays JUCE's
    void processBlock(juce::AudioBuffer<float>&, juce::MidiBuffer&) override;
    void reset() override;
    /// Message thread, while audio is not running for this node (it reads the zones and the bypass
    /// state the audio thread owns): every input control's value (by path) and the bypass state,
    /// as XML. A live chain saves from its model instead (EffectChainNode::chainStateFromUi).
    void getStateInformation(juce::MemoryBlock&) override;
    /// Message thread, while audio is not running for this node: restores what the above saved.
    void setStateInformation(const void*, int) override;

private:
    using Event = TimedCommand;
    struct ControlRamp
    {
        Smoother<RampShape::linear> ramp; ///< in the ramp domain (value, or log(value))
        bool logDomain = false;
    };

    void applyEvent(const Command& c) noexcept;
    void writeZones(bool all) noexcept;
    void renderSegment(juce::AudioBuffer<float>& buffer, int start, int n) noexcept;
    void muteBadOutput(juce::AudioBuffer<float>& buffer, int start, int n) noexcept;
    void publishTelemetry(int numSamples) noexcept;
    [[nodiscard]] double toRampDomain(size_t index, double value) const noexcept;
    [[nodiscard]] float fromRampDomain(size_t index, double value) const noexcept;

    std::unique_ptr<::dsp> dsp;
    std::size_t instanceBytes = 0; ///< the Faust class's size, counted in ResourceCounters
    std::string id;
    FaustDescription desc;
    std::vector<ParamSpec> paramSpecs; // from desc, at construction
    NodeId node = 0;
    TelemetryQueue* telemetry = nullptr;
    double smoothingSeconds = kDefaultSmoothingSeconds;
    double rate = 48000.0;
    int numIns = 0, numOuts = 0;

    std::vector<ControlRamp> ramps; // one per control, sized at construction
    std::array<Event, kMaxPendingEvents> events{};
    std::size_t numEvents = 0;
    std::uint64_t clock = 0; ///< samples processed since prepare/reset
    bool anyRamping = false;
    Smoother<RampShape::linear> bypassMix; ///< 0 = wet, 1 = dry
    bool bypassTarget = false;
    int telemetryCountdown = 0, telemetryInterval = 960;

    juce::AudioBuffer<float> scratchIn;  // sized in prepareToPlay; the dry input (bypass) and the copy
                                         // of the input when the class cannot run in place
    std::vector<float*> inPtrs, outPtrs;
    bool inPlaceCapable = false; ///< the class was generated with `faust -inpl` (see its compile_options)
    bool inPlaceBlock = false;   ///< this block runs in place: capable, and buffer channels = ins = outs
    std::atomic<uint32_t> badInputBlocks{0}, badOutputBlocks{0}, dropped{0};

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(FaustEffectNode)
};
} // namespace wb
