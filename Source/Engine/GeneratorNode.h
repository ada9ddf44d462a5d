#pragma once
// GeneratorNode: the test-signal source of the engine's graph. A thin juce::AudioProcessor
// adapter around wb::SignalGenerator (Core/Signals), driven only by commands from the UI -> audio
// ring, each applied at its exact sample offset inside the block (the block is split there, as
// FaustEffectNode does; events further ahead wait across blocks).
//
// Commands (target = nodeId(), default kGeneratorNodeId):
//   setSignal     index = SignalKind as an integer; args = {freq Hz, level dBFS, freqTo Hz,
//                 duration s}. An argument that is not a usable number is ignored (the current
//                 value stays); duration 0 = endless.
//   setParameter  index = GeneratorParam, value as documented there. rampSeconds is ignored: the
//                 generator's own click-free transitions apply (level 10 ms, kind crossfade 5 ms,
//                 routing 10 ms; see SignalGenerator.h).
//   start         if stopped: the signal restarts from sample 0 (phases, sweeps, fades) and the
//                 output gain ramps 0 -> 1 over kStartStopSeconds, except for the impulse and the
//                 sweeps, which start at once (a sweep starts at phase 0, an impulse at sample 0:
//                 a ramp would remove the impulse); so what plays equals the offline render from
//                 the first sample. Running already: ignored.
//   stop          the output gain ramps to 0 over kStartStopSeconds; then the output is silence.
// Values are sanitised, never trusted: NaN/Inf are ignored, frequencies are clamped to
// [kMinFrequency, kMaxFrequencyRatio * fs], levels to [kMinLevelDb, kMaxLevelDb], masks to 8 bits.
//
// Threads: constructor, setters marked "message thread", prepareToPlay and the state functions
// on the message thread (prepareToPlay allocates: every kernel is prepared, so a later kind change
// is allocation-free). processBlock, reset and the *OnAudio functions run on the audio thread:
// no allocation, no lock, no exception. Latency 0.
#include "Core/Monitor/NodeTimes.h"
#include "Core/Realtime/Commands.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Core/Realtime/TimedCommands.h"
#include "Core/Signals/SignalGenerator.h"

#include "Engine/NodeBase.h"

#include <juce_audio_processors/juce_audio_processors.h>

#include <array>
#include <atomic>
#include <cstdint>

namespace wb
{
/// The NodeId of the engine's (single) generator unless setNodeId() says otherwise.
inline constexpr NodeId kGeneratorNodeId = 1;

/// Parameter indices of Command::setParameter for a GeneratorNode. Values:
enum class GeneratorParam : std::uint32_t
{
    kind,          ///< SignalKind as an integer 0..kNumSignalKinds-1 (others ignored)
    freq,          ///< Hz (tone frequency, sweep start)
    freqTo,        ///< Hz (sweep end)
    levelDb,       ///< dBFS, peak or RMS per levelMode
    levelMode,     ///< 0 = peak, 1 = RMS
    duration,      ///< seconds, >= 0 (0 = endless); sweep length and end of the fade-out
    startPhase,    ///< cycles, wrapped into [0, 1)
    seed,          ///< noise seed, a non-negative integer (exact up to 2^53)
    periodSamples, ///< impulse period in samples, >= 0 (0 = a single impulse)
    fadeIn,        ///< seconds, >= 0
    fadeOut,       ///< seconds, >= 0
    routingMask,   ///< bit c = output c carries the signal (0..255)
    invertMask,    ///< bit c = output c polarity inverted (0..255)
    repeat,        ///< 0 = once, 1 = restart every `duration` seconds (SignalSettings::repeat)
    periodSeconds, ///< impulse period in seconds, >= 0 (0 = a single impulse); converted to
                   ///< samples at the node's rate (again when the rate changes)
};
inline constexpr int kNumGeneratorParams = 15;

class GeneratorNode final : public NodeBase
{
public:
    static constexpr int kMaxOutputs = SignalGenerator::kMaxChannels; // 8
    static constexpr double kStartStopSeconds = 0.005;
    static constexpr std::size_t kMaxPendingEvents = 256; ///< per node, across blocks
    static constexpr double kMinFrequency = 0.01;
    static constexpr double kMaxFrequencyRatio = 0.49; ///< of the sample rate
    static constexpr double kMinLevelDb = -200.0;
    static constexpr double kMaxLevelDb = 24.0;
    static constexpr double kMaxDurationSeconds = 24.0 * 3600.0;

    GeneratorNode();
    ~GeneratorNode() override;

    /// Message thread, before audio runs: the id commands address.
    void setNodeId(NodeId nodeId) noexcept { node = nodeId; }
    /// Message thread, before audio runs: where processBlock adds its time (null: not timed).
    void setNodeTimes(monitor::NodeTimes* t) noexcept { times = t; }
    /// Message thread, before audio runs: where the node reports that a one-shot signal (a sweep
    /// without repeat, a single impulse) ended and it stopped itself (GeneratorFinished; null: no
    /// report, the node still stops).
    void setTelemetry(TelemetryQueue* queue) noexcept { telemetry = queue; }
    [[nodiscard]] NodeId nodeId() const noexcept { return node; }

    /// Message thread, while audio is not running for this node: settings, routing and the
    /// running flag, applied at once (no ramps; the signal restarts from sample 0 when prepared).
    void setSettingsNow(const SignalSettings& s, const ChannelRouting& r, bool running);

    /// For CommandDispatcher::registerHandler(id, &GeneratorNode::handleCommandOnAudio, this).
    static void handleCommandOnAudio(void* self, const Command& command) noexcept;
    /// Audio thread: queue setSignal / setParameter / start / stop for its sample offset (counted
    /// from the start of the next block). Returns false (and counts it) when kMaxPendingEvents
    /// are pending. Other command types are accepted and ignored. Wait-free.
    bool queueCommandOnAudio(const Command& command) noexcept;

    /// Audio thread (or while stopped): what the generator plays. Wait-free.
    [[nodiscard]] const SignalSettings& settingsOnAudio() const noexcept { return generator.settings(); }
    [[nodiscard]] const ChannelRouting& routingOnAudio() const noexcept { return generator.routing(); }
    /// Audio thread: the start/stop target (true after start, false after stop). Wait-free.
    [[nodiscard]] bool isRunningOnAudio() const noexcept { return running; }
    /// Message thread (any thread): the running flag as the audio thread published it at the end
    /// of its last block (a start, a stop or a one-shot's end shows one block later). Wait-free.
    [[nodiscard]] bool isRunningFromUi() const noexcept { return runningShared.load(std::memory_order_acquire); }
    /// Commands dropped because the pending list was full. Any thread.
    [[nodiscard]] std::uint32_t droppedCommands() const noexcept { return dropped.load(std::memory_order_relaxed); }

    // juce::AudioProcessor
    const juce::String getName() const override { return "Generator"; }
    bool isBusesLayoutSupported(const BusesLayout& layouts) const override;
    void prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock) override;
    using juce::AudioProcessor::processBlock; // the double-precision overload stays JUCE's
    void processBlock(juce::AudioBuffer<float>&, juce::MidiBuffer&) override;
    /// Audio thread: restarts the signal from sample 0; pending events are dropped. Wait-free.
    void reset() override;
    /// Message thread: settings, routing and running flag as XML (<Generator .../>).
    void getStateInformation(juce::MemoryBlock&) override;
    /// Message thread, while audio is not running for this node: restores what the above saved;
    /// anything unreadable keeps its current value.
    void setStateInformation(const void*, int) override;

private:
    using Event = TimedCommand;

    void applyEvent(const Command& c) noexcept;
    void applyParameter(GeneratorParam p, double value, SignalSettings& s, ChannelRouting& r) const noexcept;
    void renderSegment(float* const* channels, int numChannels, int start, int n) noexcept;
    [[nodiscard]] double clampFrequency(double f) const noexcept;

    SignalGenerator generator;
    NodeId node = kGeneratorNodeId;
    monitor::NodeTimes* times = nullptr; // the engine's, owned by the audio thread
    TelemetryQueue* telemetry = nullptr; // the engine's; this node pushes from the audio thread
    std::uint32_t startCount = 0;        ///< start commands applied (GeneratorFinished::startCount)
    double rate = 48000.0;
    bool prepared = false;
    bool running = false;
    std::atomic<bool> runningShared{false}; ///< `running`, stored by processBlock for other threads
    double periodSeconds = -1.0; ///< the last periodSeconds set (< 0: periodSamples rules)
    signals::detail::LinearRamp outputGain; ///< 0 stopped .. 1 running

    std::array<Event, kMaxPendingEvents> events{};
    std::size_t numEvents = 0;
    std::uint64_t clock = 0; ///< samples processed since prepare/reset
    std::atomic<std::uint32_t> dropped{0};

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(GeneratorNode)
};
} // namespace wb
