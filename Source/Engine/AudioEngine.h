#pragma once
// AudioEngine: the device, the AudioProcessorGraph and the real-time spine around it.
//
//   device callback (audio thread)                         message thread (UI, CLI)
//   ------------------------------                         ------------------------
//   AudioEngine::Callback::audioDeviceIOCallbackWithContext pushFromUi(Command) ─┐
//     1. CommandDispatcher::dispatchOnAudio(commands)  <────────────────────────┘ CommandQueue
//     2. the graph: generator → effect chain → output (its topology is fixed while audio runs;
//        live edits happen inside the chain node, through rings)
//     3. output meters (peak/RMS every ~33 ms) ───────────────► TelemetryQueue ─► drain on a timer
//        scope frames (256-sample chunks, lossy) ─────────────► FrameQueue
//     4. LoadMeter: callback time against the period; an overrun is an XrunEvent
//     5. NodeTimes: each node's time (generator, every effect) and the whole callback's, per
//        callback, published every ~33 ms as NodeTiming telemetry; optionally one TimingSample
//        per callback (enableTimingSamples, for benchmarks that want percentiles)
//
// Streams: the graph holds one stream (source -> chain -> output) and, for the stream bench,
// extra generator -> chain pairs summed into the output (addStreamWhileStopped).
//
// Threads: every public function is for the message thread unless its name ends in OnAudio.
// Nothing on the audio path allocates, locks, logs or throws.
#include "Core/Monitor/LoadMeter.h"
#include "Core/Monitor/NodeTimes.h"
#include "Core/Realtime/CommandDispatcher.h"
#include "Core/Realtime/CommandQueue.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Core/Session/DeviceState.h"
#include "Engine/EffectChainNode.h"
#include "Engine/GeneratorModel.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <juce_audio_devices/juce_audio_devices.h>
#include <juce_audio_processors/juce_audio_processors.h>
#include <juce_audio_utils/juce_audio_utils.h>

#include <atomic>
#include <memory>
#include <optional>
#include <pthread.h>
#include <string>
#include <vector>

namespace wb
{
class GeneratorNode;
class Recorder;
class SweepCaptureCallback;

class AudioEngine : private juce::ChangeListener
{
public:
    /// `source` becomes the graph's signal source (the generator); it may be null (silence in).
    /// `sourceHandler`/`sourceId` register it with the command dispatcher.
    explicit AudioEngine(std::unique_ptr<juce::AudioProcessor> source = {}, NodeId sourceId = 0,
                         CommandHandlerFn sourceHandler = nullptr);
    ~AudioEngine();

    /// The standard engine: a GeneratorNode (NodeId kGeneratorNodeId) as the source.
    static std::unique_ptr<AudioEngine> createWithGenerator();
    /// The generator when the engine was made by createWithGenerator(), else nullptr.
    GeneratorNode* generator() noexcept;

    /// Opens an audio device: the saved one when it still exists, else the system default, else
    /// the built-in "Virtual loopback" device (so the engine runs on a machine with no sound
    /// card). Returns the reason when even that fails (empty on success); the engine then stays
    /// silent and usable.
    juce::String openDevice(const juce::XmlElement* savedState, int numInputs = 2, int numOutputs = 2);
    /// Opens the device of a session (`saved`: type, names, channels, rate, buffer). When it is
    /// missing or does not open, opens the system default or the Virtual loopback instead and
    /// says so in deviceFallbackNote(); the saved choice stays the session's (deviceSettings()), so
    /// the next launch tries it again. Returns the reason when no device at all opened.
    juce::String openDevice(const DeviceState& saved, int numInputs = 2, int numOutputs = 2);
    /// Message thread: the device of the session (what the user chose: the device opened from a
    /// saved session, or picked in Audio Settings; a fallback does not replace it). nullopt until
    /// a device has opened.
    [[nodiscard]] const std::optional<DeviceState>& deviceSettings() const noexcept { return chosenDevice; }
    /// Message thread: the device that runs now as a DeviceState; nullopt when none does.
    [[nodiscard]] std::optional<DeviceState> currentDeviceState() const;
    /// Message thread: why the device that runs is not the session's ("" when it is): "the saved
    /// device 'x' (JACK) is not available: ...; using Virtual loopback ...".
    [[nodiscard]] const juce::String& deviceFallbackNote() const noexcept { return fallbackNote; }
    /// Message thread: the device died under the engine (`why`: "the JACK server stopped"): closes
    /// what is left of it and opens the Virtual loopback in its place; the session keeps its
    /// device (deviceSettings()) and deviceFallbackNote() says what happened. Returns the reason
    /// when even the Virtual loopback did not open.
    juce::String fallBackToVirtualDevice(const juce::String& why);
    void closeDevice();
    /// Opens the built-in Virtual loopback device with `config` (its rate, period and pacing),
    /// whatever other devices exist. Returns the reason on failure (empty on success).
    juce::String openVirtualDevice(const VirtualLoopbackConfig& config, int numInputs = 2, int numOutputs = 2);
    /// Opens JUCE's JACK device type on the running server (JACK_DEFAULT_SERVER or the default
    /// one), at the server's rate and period. Never starts a server. Returns the reason on failure.
    juce::String openJackDevice(int numInputs = 2, int numOutputs = 2);

    [[nodiscard]] bool hasDevice() const;
    [[nodiscard]] bool isVirtualDevice() const;
    [[nodiscard]] const juce::String& lastDeviceError() const noexcept { return deviceError; }
    /// "ALSA: default (48000 Hz, 512 frames)" or "no audio device".
    [[nodiscard]] juce::String describeDevice() const;

    /// UI → audio. False when the ring is full (counted in commandQueue().rejected()).
    bool pushFromUi(const Command& command) noexcept { return commands.pushFromUi(command); }
    TelemetryQueue& telemetryQueue() noexcept { return telemetry; }
    FrameQueue& frameQueue() noexcept { return frames; }
    CommandQueue& commandQueue() noexcept { return commands; }
    const CommandDispatcher& dispatcher() const noexcept { return commandDispatcher; }
    EffectChainNode& chain() noexcept { return *chainNode; }
    /// Message thread: the generator's settings (the model the generator panel binds to); its
    /// changes go to the source node through this engine's command ring.
    GeneratorModel& generatorModel() noexcept { return generatorSettings; }
    juce::AudioProcessor* source() noexcept { return sourceNode; }
    const monitor::LoadMeter& loadMeter() const noexcept { return load; }
    /// Message thread: the load meter's snapshot with the device's own xrun count folded in
    /// (LoadSnapshot::deviceXruns; overruns are the engine's own count of late callbacks).
    [[nodiscard]] monitor::LoadSnapshot loadSnapshotFromUi();
    /// The audio thread's CPU time in seconds, when a callback has run; else nullopt.
    [[nodiscard]] std::optional<double> audioThreadCpuSeconds() const noexcept;
    /// Graph connections (source → chain → output: 4 when stereo); for tests and diagnostics.
    [[nodiscard]] int numConnections() const { return static_cast<int>(graphProcessor->getConnections().size()); }
    /// Callbacks run since the device started (any thread).
    [[nodiscard]] std::uint64_t callbacks() const noexcept { return callbackCount.load(std::memory_order_acquire); }
    /// Any thread: when on, the audio thread pushes one TimingSample per callback to the telemetry
    /// ring (750 a second at 64 frames, 48 kHz: for benchmarks that drain often; off by default).
    void enableTimingSamples(bool on) noexcept { timingSamples.store(on, std::memory_order_relaxed); }

    /// One extra stream: a generator and an effect chain of its own, summed into the output.
    struct Stream
    {
        GeneratorNode* generator = nullptr; ///< owned by the graph
        EffectChainNode* chain = nullptr;   ///< owned by the graph
    };
    /// First NodeId of the extra streams' generators (stream k, k >= 1: kStreamGeneratorBase + k).
    static constexpr NodeId kStreamGeneratorBase = 100;
    /// Effect NodeIds of extra stream k: kStreamEffectBase + (k - 1) * kStreamEffectIds, and on.
    static constexpr NodeId kStreamEffectBase = 10000;
    static constexpr NodeId kStreamEffectIds = 1000;
    /// Message thread, while no device runs (before openDevice or after closeDevice; the graph's
    /// topology is fixed while audio runs): adds stream number numStreams() and returns its nodes,
    /// or {} when a device is running. Its generator starts stopped: configure it with
    /// GeneratorNode::setSettingsNow and its chain with addEffectFromUi before opening the device.
    /// Extra streams take no commands (the dispatcher's table serves the main stream); they are
    /// timed and metered with the rest. Allocates.
    Stream addStreamWhileStopped();
    /// Message thread: what a NodeId of NodeTiming telemetry is: "callback" (kEngineNode),
    /// "generator" (or the source's name), an effect's catalogue id ("reverb"), or "" when unknown
    /// (an effect removed since). `stream` (optional) receives 0 for the main stream, k for extra
    /// stream k, -1 for the callback or an unknown node.
    [[nodiscard]] std::string nodeNameFromUi(NodeId node, int* stream = nullptr) const;
    /// 1 (the main stream) + the extra streams.
    [[nodiscard]] int numStreams() const noexcept { return 1 + static_cast<int>(extraStreams.size()); }

    /// LoadMeter::nowNs() (CLOCK_MONOTONIC) at the start of the first callback since openDevice()
    /// that wrote a non-zero output sample; nullopt until then. Any thread. For the app's
    /// launch-to-audio-ready report (WAVEBENCH_REPORT_STARTUP).
    [[nodiscard]] std::optional<std::int64_t> firstSoundNs() const noexcept
    {
        const auto ns = firstSound.load(std::memory_order_acquire);
        return ns != 0 ? std::optional<std::int64_t>(ns) : std::nullopt;
    }

    /// The engine's device callback, for driving the engine from a device of one's own (the
    /// real-time tests run it on a VirtualLoopbackDevice under the guard, without
    /// juce::AudioDeviceManager, which locks a CriticalSection around every callback). Only while
    /// no device opened by openDevice() runs it.
    juce::AudioIODeviceCallback& deviceCallback() noexcept;

    /// The recorder tap (issue 14). While a recorder is attached, each callback, after the
    /// outputs are made and metered, hands it the device inputs `inputs` (0-based, in order) and
    /// then the engine's outputs 1..numOutputs (the chain's output as the device gets it); the
    /// recorder must be prepared for inputs.size() + numOutputs channels at the device's rate.
    /// Message thread. Attach when none is attached (the callback picks it up at its next block;
    /// allocates here); detach (nullptr) only while no device runs, before the recorder goes
    /// (while one runs: detachRecorderWhileRunningFromUi).
    void attachRecorderFromUi(Recorder* recorder, std::vector<int> inputs, int numOutputs);
    /// Message thread: detaches the recorder while the device runs. Returns once the audio thread
    /// is past every use of it (a callback that read the old pointer has ended: the callback
    /// counter, bumped after the tap and read with acquire, orders its use before the caller's
    /// next step, so the recorder may then be prepared again or destroyed). Returns false when the
    /// device made no callback for `timeoutMs` (stalled): the audio thread may still hold it.
    bool detachRecorderWhileRunningFromUi(int timeoutMs = 500);
    /// The attached recorder (its statsFromUi() feed the monitor), or nullptr. Message thread.
    [[nodiscard]] Recorder* attachedRecorder() const noexcept { return recorderTap.load(std::memory_order_acquire); }

    /// The measurement tap (the app's Response window on the current device). While a sweep
    /// capture is attached, each callback hands it the device's buffers after the graph has made
    /// the outputs and before they are metered and recorded: it replaces every output with
    /// silence and its excitation, and records its input (Engine/SweepCapture.h). So the device
    /// plays the sweep alone while it runs, and the scope, meters and a take see it. Message
    /// thread; attach when none is attached, then arm the capture.
    void attachSweepFromUi(SweepCaptureCallback* capture) noexcept { sweepTap.store(capture, std::memory_order_seq_cst); }
    /// Message thread: detaches the sweep capture, returning once the audio thread is past every
    /// use of it (as detachRecorderWhileRunningFromUi); false when the device stalled.
    bool detachSweepWhileRunningFromUi(int timeoutMs = 500);
    [[nodiscard]] SweepCaptureCallback* attachedSweep() const noexcept { return sweepTap.load(std::memory_order_acquire); }

    juce::AudioDeviceManager& deviceManager() noexcept { return devices; }
    juce::AudioProcessorGraph& graph() noexcept { return *graphProcessor; }

    /// Message thread, from a timer: deletes effects the audio thread has retired.
    void collectGarbage() { chainNode->collectGarbageFromUi(); }

    /// True while the engine's own callback runs on the current device (any thread).
    [[nodiscard]] bool isCallbackAttached() const noexcept { return callbackRunning.load(std::memory_order_acquire); }
    /// True when the device reported an error since it last started (any thread).
    [[nodiscard]] bool hasDeviceError() const noexcept { return deviceErrored.load(std::memory_order_acquire); }

private:
    class Callback;
    friend class Callback;

    /// Runs the engine's callback on the manager's current device directly (see attach in the
    /// .cpp); detach stops it. Message thread.
    void attachToCurrentDevice();
    /// The end of every open: the error when no device is open, the audio-thread state reset, the
    /// callback attached. Returns deviceError.
    juce::String finishOpeningDevice();
    void detachFromDevice();
    /// The manager restarted or changed its device (settings dialog): attach again.
    void changeListenerCallback(juce::ChangeBroadcaster*) override;
    std::atomic<bool> callbackRunning{false};
    std::atomic<bool> deviceErrored{false};

    juce::AudioDeviceManager devices;
    std::unique_ptr<juce::AudioProcessorGraph> graphProcessor;
    std::unique_ptr<Callback> callback;
    juce::String deviceError;
    /// The device manager's device changed (Audio Settings, an open): it becomes the session's
    /// device unless it is the fallback this engine opened itself.
    void noteDeviceChange();
    /// Opens the system default or the Virtual loopback in place of `wanted`, noting why.
    void openFallback(const juce::String& wanted, const juce::String& why, int numInputs, int numOutputs);
    std::optional<DeviceState> chosenDevice;   ///< see deviceSettings()
    std::optional<DeviceState> fallbackDevice; ///< the device a fallback opened (not a choice)
    juce::String fallbackNote;                 ///< see deviceFallbackNote()
    juce::AudioProcessorGraph::NodeID outputNode;
    NodeId sourceId = 0;
    std::vector<Stream> extraStreams;

    CommandQueue commands;
    GeneratorModel generatorSettings{commands};
    TelemetryQueue telemetry;
    FrameQueue frames;
    CommandDispatcher commandDispatcher;
    monitor::LoadMeter load;
    monitor::NodeTimes nodeTimes; // audio-thread state (cleared in audioDeviceAboutToStart)
    std::atomic<bool> timingSamples{false};
    EffectChainNode* chainNode = nullptr;      // owned by the graph
    juce::AudioProcessor* sourceNode = nullptr; // owned by the graph
    std::atomic<pthread_t> audioThread{};
    std::atomic<bool> audioThreadKnown{false};
    std::atomic<std::uint64_t> callbackCount{0};
    std::atomic<Recorder*> recorderTap{nullptr}; // set after the fields below (release)
    std::atomic<SweepCaptureCallback*> sweepTap{nullptr};
    /// Waits (message thread) until two more callbacks have ended after a tap was cleared.
    bool waitPastTapFromUi(int timeoutMs);
    std::vector<int> recordInputs;
    int recordOutputs = 0;
    std::vector<const float*> recordSources; // filled by the audio thread each callback
    std::atomic<std::int64_t> firstSound{0}; ///< see firstSoundNs(); written once by the audio thread
};
} // namespace wb
