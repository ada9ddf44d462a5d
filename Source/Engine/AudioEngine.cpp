#include "Engine/AudioEngine.h"
#include "Engine/SweepCapture.h"

#include "Core/Audio/Recorder.h"
#include "Core/Monitor/ProcessStats.h"
#include "Engine/GeneratorNode.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

namespace wb
{
// The device callback: the real-time spine around the graph.
class AudioEngine::Callback final : public juce::AudioIODeviceCallback
{
public:
    explicit Callback(AudioEngine& e) : engine(e) {}

    void audioDeviceAboutToStart(juce::AudioIODevice* device) override
    {
        rate = device->getCurrentSampleRate();
        periodNs = static_cast<std::int64_t>(1.0e9 * device->getCurrentBufferSizeSamples() / std::max(1.0, rate));
        meterWindow = std::max(1, static_cast<int>(rate / 30.0));
        resetMeters();
        scope = {};
        sampleIndex = 0;
        timingCounted = 0;
        engine.load.reset();
        // Prepare the graph here (message thread), never on the audio thread. Not through
        // juce::AudioProcessorPlayer: it takes a CriticalSection on every callback.
        const int block = std::max(1, device->getCurrentBufferSizeSamples());
        auto& graph = *engine.graphProcessor;
        graph.releaseResources();
        graph.setPlayConfigDetails(2, 2, rate, block); // the graph is stereo; process() maps it
        graph.prepareToPlay(rate, block);
        buffer.setSize(2, block);
        streamBuffer.setSize(2, block);
        midi.ensureSize(256);
        maxBlock = block;
        // prepareToPlay on this (message) thread prepares every node synchronously; the audio
        // thread calls them directly (process()), never the graph's render sequence.
        engine.nodeTimes.reset(); // the audio thread is not running yet
        engine.deviceErrored.store(false, std::memory_order_release);
        engine.callbackRunning.store(true, std::memory_order_release);
    }

    /// The device reports a failure (any thread; JACK: the server went away). Wait-free.
    void audioDeviceError(const juce::String&) override
    {
        engine.deviceErrored.store(true, std::memory_order_release);
    }

    void audioDeviceStopped() override
    {
        engine.callbackRunning.store(false, std::memory_order_release);
        engine.graphProcessor->releaseResources();
    }

    void audioDeviceIOCallbackWithContext(const float* const* inputs, int numInputs, float* const* outputs,
                                          int numOutputs, int numSamples,
                                          const juce::AudioIODeviceCallbackContext& context) override
    {
        const auto start = monitor::LoadMeter::nowNs();
        if (!engine.audioThreadKnown.load(std::memory_order_relaxed))
        {
            engine.audioThread.store(pthread_self(), std::memory_order_relaxed);
            engine.audioThreadKnown.store(true, std::memory_order_release);
        }
        (void) engine.commandDispatcher.dispatchOnAudio(engine.commands);
        juce::ignoreUnused(context);
        process(outputs, numOutputs, numSamples);
        if (auto* sweep = engine.sweepTap.load(std::memory_order_seq_cst))
            sweep->audioDeviceIOCallbackWithContext(inputs, numInputs, outputs, numOutputs, numSamples, context);
        meter(outputs, numOutputs, numSamples);
        if (auto* recorder = engine.recorderTap.load(std::memory_order_seq_cst))
        {
            std::size_t k = 0;
            for (int i : engine.recordInputs)
                engine.recordSources[k++] = i < numInputs ? inputs[i] : nullptr;
            for (int c = 0; c < engine.recordOutputs; ++c)
                engine.recordSources[k++] = c < numOutputs ? outputs[c] : nullptr;
            recorder->captureOnAudio(engine.recordSources.data(), numSamples);
        }
        if (engine.firstSound.load(std::memory_order_relaxed) == 0 && anySound(outputs, numOutputs, numSamples))
            engine.firstSound.store(start != 0 ? start : 1, std::memory_order_release);
        // seq_cst after the taps: detachRecorderWhileRunningFromUi and detachSweepWhileRunningFromUi count on it.
        engine.callbackCount.fetch_add(1, std::memory_order_seq_cst);
        const auto end = monitor::LoadMeter::nowNs();
        engine.load.recordCallback(start, end, periodNs);
        if (end - start > periodNs)
            (void) engine.telemetry.pushFromAudio(Telemetry::of(XrunEvent{static_cast<std::uint64_t>(end), 1, 0}));
        publishTimes(start, end, numSamples);
    }

private:
    /// The whole callback's time joins the nodes' (as kEngineNode); every ~33 ms the window goes
    /// out as NodeTiming telemetry; a TimingSample per callback when asked for.
    void publishTimes(std::int64_t start, std::int64_t end, int numSamples) noexcept
    {
        auto& times = engine.nodeTimes;
        times.addOnAudio(kEngineNode, end - start);
        times.endCallbackOnAudio();
        if (engine.timingSamples.load(std::memory_order_relaxed))
            (void) engine.telemetry.pushFromAudio(Telemetry::of(
                TimingSample{static_cast<std::uint64_t>(start), static_cast<std::uint64_t>(end - start),
                             static_cast<std::uint64_t>(periodNs), static_cast<std::uint32_t>(numSamples)}));
        timingCounted += numSamples;
        if (timingCounted >= meterWindow)
        {
            timingCounted = 0;
            (void) times.publishOnAudio(static_cast<std::uint64_t>(periodNs), static_cast<std::uint64_t>(end),
                                        [this](const NodeTiming& t) {
                                            (void) engine.telemetry.pushFromAudio(Telemetry::of(t));
                                        });
        }
    }

    static bool anySound(const float* const* outputs, int numOutputs, int n) noexcept
    {
        for (int ch = 0; ch < numOutputs; ++ch)
            if (outputs[ch] != nullptr)
                for (int i = 0; i < n; ++i)
                    if (outputs[ch][i] != 0.0f)
                        return true;
        return false;
    }

    /// Renders the graph's fixed topology on the device's buffers, in pieces of at most the
    /// prepared block size: each stream (source -> chain) into a stereo buffer, the streams summed,
    /// then copied to the device's outputs (channels beyond two are silent; the graph has no input
    /// node, so the device's inputs are not used).
    ///
    /// The nodes are called directly rather than through AudioProcessorGraph::processBlock: JUCE
    /// 7.0.5's render sequence takes each node's callback lock (a CriticalSection) around its
    /// processBlock, three locks per callback. The graph still owns, connects, prepares and releases
    /// the nodes; its topology is fixed while audio runs, so this order is the graph's own.
    void process(float* const* outputs, int numOutputs, int n) noexcept
    {
        for (int done = 0; done < n;)
        {
            const int len = std::min(maxBlock, n - done);
            juce::AudioBuffer<float> mix(buffer.getArrayOfWritePointers(), 2, len);
            renderStream(engine.sourceNode, *engine.chainNode, mix);
            if (!engine.extraStreams.empty())
            {
                juce::AudioBuffer<float> one(streamBuffer.getArrayOfWritePointers(), 2, len);
                for (const auto& stream : engine.extraStreams)
                {
                    renderStream(stream.generator, *stream.chain, one);
                    for (int ch = 0; ch < 2; ++ch)
                        mix.addFrom(ch, 0, one, ch, 0, len);
                }
            }
            for (int ch = 0; ch < numOutputs; ++ch)
            {
                if (outputs[ch] == nullptr)
                    continue;
                if (ch < 2)
                    juce::FloatVectorOperations::copy(outputs[ch] + done, mix.getReadPointer(ch), len);
                else
                    juce::FloatVectorOperations::clear(outputs[ch] + done, len);
            }
            done += len;
        }
    }

    void renderStream(juce::AudioProcessor* source, EffectChainNode& chain, juce::AudioBuffer<float>& io) noexcept
    {
        io.clear();
        midi.clear();
        if (source != nullptr)
            source->processBlock(io, midi);
        chain.processBlock(io, midi);
    }

    void resetMeters() noexcept
    {
        peaks.fill(0.0f);
        sums.fill(0.0);
        counted = 0;
    }

    void meter(float* const* outputs, int numOutputs, int n) noexcept
    {
        const int channels = std::min(numOutputs, static_cast<int>(MeterValues::kMaxChannels));
        for (int ch = 0; ch < channels; ++ch)
        {
            if (outputs[ch] == nullptr)
                continue;
            float peak = peaks[size_t(ch)];
            double sum = sums[size_t(ch)];
            for (int i = 0; i < n; ++i)
            {
                const float v = outputs[ch][i];
                peak = std::max(peak, std::abs(v));
                sum += double(v) * double(v);
            }
            peaks[size_t(ch)] = peak;
            sums[size_t(ch)] = sum;
        }
        counted += n;
        if (counted >= meterWindow)
        {
            MeterValues m;
            m.node = kEngineNode;
            m.numChannels = static_cast<std::uint32_t>(std::max(0, channels));
            for (int ch = 0; ch < channels; ++ch)
            {
                m.peak[size_t(ch)] = peaks[size_t(ch)];
                m.rms[size_t(ch)] = static_cast<float>(std::sqrt(sums[size_t(ch)] / counted));
            }
            (void) engine.telemetry.pushFromAudio(Telemetry::of(m));
            resetMeters();
        }
        // Scope frames: outputs 1 and 2 in chunks of 256 samples, filled in lockstep (the same
        // sequence and firstSampleIndex for both channels, channel 0 pushed first); lossy by design
        // (sequence numbers). The chunks are members: copying into the ring allocates nothing.
        for (int ch = 0; ch < std::min(numOutputs, kScopeChannels); ++ch)
        {
            if (outputs[ch] == nullptr)
                continue;
            auto& chunk = scope[size_t(ch)];
            for (int i = 0; i < n; ++i)
            {
                if (chunk.numSamples == 0)
                    chunk.firstSampleIndex = sampleIndex + static_cast<std::uint64_t>(i);
                chunk.samples[chunk.numSamples++] = outputs[ch][i];
                if (chunk.numSamples == FrameChunk::kMaxSamples)
                {
                    chunk.kind = FrameKind::scope;
                    chunk.node = kEngineNode;
                    chunk.channel = static_cast<std::uint32_t>(ch);
                    (void) engine.frames.pushFromAudio(chunk);
                    ++chunk.sequence;
                    chunk.numSamples = 0;
                }
            }
        }
        sampleIndex += static_cast<std::uint64_t>(n);
    }

    AudioEngine& engine;
    double rate = 48000.0;
    std::int64_t periodNs = 1;
    int meterWindow = 1600;
    int counted = 0;
    int timingCounted = 0;
    std::array<float, MeterValues::kMaxChannels> peaks{};
    std::array<double, MeterValues::kMaxChannels> sums{};
    static constexpr int kScopeChannels = 2;
    std::array<FrameChunk, kScopeChannels> scope{};
    std::uint64_t sampleIndex = 0;
    juce::AudioBuffer<float> buffer;       // the mix, stereo; sized in audioDeviceAboutToStart
    juce::AudioBuffer<float> streamBuffer; // one extra stream before it is summed into the mix
    juce::MidiBuffer midi;
    int maxBlock = 1;
};

AudioEngine::AudioEngine(std::unique_ptr<juce::AudioProcessor> source, NodeId sourceNodeId, CommandHandlerFn sourceHandler)
    : graphProcessor(std::make_unique<juce::AudioProcessorGraph>())
{
    using IO = juce::AudioProcessorGraph::AudioGraphIOProcessor;
    using NodeAndChannel = juce::AudioProcessorGraph::NodeAndChannel;
    // The graph is stereo; its I/O nodes take their channel counts from this, so set it before
    // connecting (a connection to a channel that does not exist yet is refused).
    graphProcessor->setPlayConfigDetails(2, 2, 48000.0, 512);
    auto out = graphProcessor->addNode(std::make_unique<IO>(IO::audioOutputNode));
    outputNode = out->nodeID;
    auto chainOwned = std::make_unique<EffectChainNode>();
    chainNode = chainOwned.get();
    chainNode->setTelemetry(&telemetry);
    chainNode->setCommandQueue(&commands);
    chainNode->setNodeTimes(&nodeTimes);
    chainNode->registerWith(commandDispatcher);
    auto chain = graphProcessor->addNode(std::move(chainOwned));
    if (source != nullptr)
    {
        sourceNode = source.get();
        sourceId = sourceNodeId;
        if (auto* generatorSource = dynamic_cast<GeneratorNode*>(sourceNode))
        {
            generatorSource->setNodeTimes(&nodeTimes);
            generatorSource->setTelemetry(&telemetry);
        }
        if (sourceHandler != nullptr)
            commandDispatcher.registerHandler(sourceNodeId, sourceHandler, sourceNode);
        auto src = graphProcessor->addNode(std::move(source));
        for (int ch = 0; ch < 2; ++ch)
            if (!graphProcessor->addConnection({NodeAndChannel{src->nodeID, ch}, NodeAndChannel{chain->nodeID, ch}}))
                jassertfalse;
    }
    for (int ch = 0; ch < 2; ++ch)
        if (!graphProcessor->addConnection({NodeAndChannel{chain->nodeID, ch}, NodeAndChannel{out->nodeID, ch}}))
            jassertfalse;
    callback = std::make_unique<Callback>(*this);
    devices.addChangeListener(this);
}

std::unique_ptr<AudioEngine> AudioEngine::createWithGenerator()
{
    return std::make_unique<AudioEngine>(std::make_unique<GeneratorNode>(), kGeneratorNodeId,
                                         &GeneratorNode::handleCommandOnAudio);
}

void AudioEngine::attachRecorderFromUi(Recorder* recorder, std::vector<int> inputs, int numOutputs)
{
    if (recorder == nullptr)
    {
        recorderTap.store(nullptr, std::memory_order_release);
        return;
    }
    recordInputs = std::move(inputs);
    recordOutputs = std::max(0, numOutputs);
    recordSources.assign(recordInputs.size() + static_cast<std::size_t>(recordOutputs), nullptr);
    recorderTap.store(recorder, std::memory_order_release);
}

bool AudioEngine::detachRecorderWhileRunningFromUi(int timeoutMs)
{
    // seq_cst store and tap load: a callback whose load comes after this store in their single
    // order reads nullptr; the one (callbacks are serial) that read the old pointer bumps the
    // counter after its use. Two bumps after the store's count cover it with a block to spare.
    recorderTap.store(nullptr, std::memory_order_seq_cst);
    return waitPastTapFromUi(timeoutMs);
}

bool AudioEngine::detachSweepWhileRunningFromUi(int timeoutMs)
{
    sweepTap.store(nullptr, std::memory_order_seq_cst); // as the recorder's tap
    return waitPastTapFromUi(timeoutMs);
}

bool AudioEngine::waitPastTapFromUi(int timeoutMs)
{
    const auto target = callbackCount.load(std::memory_order_seq_cst) + 2;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (callbackCount.load(std::memory_order_acquire) < target)
    {
        if (!isCallbackAttached())
            return true; // stopped: the device's stop waited for its callback to end
        if (std::chrono::steady_clock::now() > until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

juce::AudioIODeviceCallback& AudioEngine::deviceCallback() noexcept
{
    return *callback;
}

GeneratorNode* AudioEngine::generator() noexcept
{
    return dynamic_cast<GeneratorNode*>(sourceNode);
}

AudioEngine::~AudioEngine()
{
    devices.removeChangeListener(this);
    closeDevice();
}

// juce::AudioDeviceManager starts every device with its own handler, which takes the manager's
// audioCallbackLock (a CriticalSection) around each callback before it calls ours (JUCE 7.0.5,
// AudioDeviceManager::audioDeviceIOCallbackInt). The engine uses the manager to choose, open and
// remember devices (and for the settings dialog) but runs its callback on the device itself, so
// nothing on the audio path locks. When the manager restarts its device (new settings), it starts
// it with its handler again and broadcasts a change: changeListenerCallback attaches again.
void AudioEngine::attachToCurrentDevice()
{
    auto* device = devices.getCurrentAudioDevice();
    if (device == nullptr)
        return;
    device->stop(); // the manager's handler
    device->start(callback.get());
}

void AudioEngine::detachFromDevice()
{
    if (auto* device = devices.getCurrentAudioDevice(); device != nullptr && callbackRunning.load())
        device->stop();
}

void AudioEngine::changeListenerCallback(juce::ChangeBroadcaster*)
{
    auto* device = devices.getCurrentAudioDevice();
    if (device != nullptr && device->isOpen() && !callbackRunning.load(std::memory_order_acquire))
        attachToCurrentDevice();
    noteDeviceChange();
}

void AudioEngine::noteDeviceChange()
{
    const auto now = currentDeviceState();
    if (!now || (fallbackDevice && *now == *fallbackDevice))
        return; // nothing runs, or the fallback runs: the session's device stays what it was
    chosenDevice = now;
    fallbackDevice.reset();
    fallbackNote.clear();
}

std::optional<DeviceState> AudioEngine::currentDeviceState() const
{
    auto* device = devices.getCurrentAudioDevice();
    if (device == nullptr)
        return std::nullopt;
    juce::AudioDeviceManager::AudioDeviceSetup setup;
    devices.getAudioDeviceSetup(setup);
    DeviceState d;
    d.type = device->getTypeName().toStdString();
    d.outputName = setup.outputDeviceName.toStdString();
    d.inputName = setup.inputDeviceName.toStdString();
    const auto bits = [](const juce::BigInteger& b)
    {
        std::uint64_t mask = 0;
        for (int c = 0; c < 64; ++c)
            if (b[c])
                mask |= std::uint64_t(1) << c;
        return mask;
    };
    d.inputChannels = bits(device->getActiveInputChannels());
    d.outputChannels = bits(device->getActiveOutputChannels());
    d.sampleRate = device->getCurrentSampleRate();
    d.bufferSize = device->getCurrentBufferSizeSamples();
    return d;
}

void AudioEngine::openFallback(const juce::String& wanted, const juce::String& why, int numInputs, int numOutputs)
{
    devices.closeAudioDevice();
    juce::String error;
    const auto type = openDefaultOrVirtualDevice(devices, numInputs, numOutputs, VirtualLoopbackConfig{}, error);
    deviceError = type.isEmpty() ? error : juce::String();
    fallbackDevice = currentDeviceState();
    fallbackNote = wanted + " " + why + "; " + (fallbackDevice ? "using " + describeDevice() : "no device opened");
}

juce::String AudioEngine::openDevice(const DeviceState& saved, int numInputs, int numOutputs)
{
    detachFromDevice();
    devices.closeAudioDevice();
    deviceError = {};
    fallbackNote = {};
    fallbackDevice.reset();
    chosenDevice = saved;
    const auto name = juce::String(saved.outputName.empty() ? saved.inputName : saved.outputName);
    const auto wanted = "the saved device '" + name + "' (" + juce::String(saved.type) + ")";
    juce::String why;
    if (const auto problem = deviceStateProblem(saved); !problem.empty())
        why = "is not usable (" + juce::String(problem) + ")";
    else if (saved.type == VirtualLoopbackDeviceType::kTypeName)
    {
        VirtualLoopbackConfig config;
        if (saved.sampleRate > 0.0)
            config.sampleRate = saved.sampleRate;
        if (saved.bufferSize > 0)
            config.bufferSize = saved.bufferSize;
        if (const auto e = openVirtualLoopback(devices, numInputs, numOutputs, config); e.isNotEmpty())
            why = "did not open (" + e + ")";
    }
    else
    {
        juce::AudioIODeviceType* type = nullptr;
        for (auto* t : devices.getAvailableDeviceTypes())
            if (t->getTypeName() == juce::String(saved.type))
                type = t;
        if (type != nullptr)
            type->scanForDevices();
        const auto present = [type](const std::string& n, bool input)
        { return n.empty() || type->getDeviceNames(input).contains(juce::String(n)); };
        if (type == nullptr)
            why = "is not available (this build has no such device type)";
        else if (!present(saved.outputName, false) || !present(saved.inputName, true))
            why = "is not available" + juce::String(saved.type == "JACK" ? " (no JACK server runs)" : "");
        else
        {
            devices.setCurrentAudioDeviceType(type->getTypeName(), true);
            auto setup = devices.getAudioDeviceSetup();
            setup.outputDeviceName = juce::String(saved.outputName);
            setup.inputDeviceName = juce::String(saved.inputName);
            setup.sampleRate = saved.sampleRate;
            setup.bufferSize = saved.bufferSize;
            setup.useDefaultInputChannels = setup.useDefaultOutputChannels = false;
            setup.inputChannels.clear();
            setup.outputChannels.clear();
            for (int c = 0; c < 64; ++c)
            {
                setup.inputChannels.setBit(c, ((saved.inputChannels >> c) & 1U) != 0);
                setup.outputChannels.setBit(c, ((saved.outputChannels >> c) & 1U) != 0);
            }
            if (const auto e = devices.setAudioDeviceSetup(setup, true); e.isNotEmpty())
                why = "did not open (" + e + ")";
            else if (devices.getCurrentAudioDevice() == nullptr)
                why = "did not open";
        }
    }
    if (why.isNotEmpty())
        openFallback(wanted, why, numInputs, numOutputs);
    return finishOpeningDevice();
}

juce::String AudioEngine::finishOpeningDevice()
{
    if (deviceError.isEmpty() && devices.getCurrentAudioDevice() == nullptr)
        deviceError = "no audio device could be opened";
    audioThreadKnown.store(false);
    firstSound.store(0);
    attachToCurrentDevice();
    return deviceError;
}

juce::String AudioEngine::fallBackToVirtualDevice(const juce::String& why)
{
    const auto lost = chosenDevice ? "'" + juce::String(chosenDevice->outputName) + "' (" + juce::String(chosenDevice->type) + ")"
                                   : juce::String("the device");
    detachFromDevice();
    devices.closeAudioDevice();
    deviceError = openVirtualLoopback(devices, 2, 2, VirtualLoopbackConfig{});
    fallbackDevice = currentDeviceState();
    fallbackNote = why + ": " + lost + " is gone; " + (fallbackDevice ? "using " + describeDevice() : "no device opened");
    audioThreadKnown.store(false);
    if (deviceError.isEmpty())
        attachToCurrentDevice();
    return deviceError;
}

AudioEngine::Stream AudioEngine::addStreamWhileStopped()
{
    using NodeAndChannel = juce::AudioProcessorGraph::NodeAndChannel;
    if (auto* device = devices.getCurrentAudioDevice(); device != nullptr && device->isPlaying())
        return {};
    const auto k = static_cast<NodeId>(numStreams());
    auto generatorOwned = std::make_unique<GeneratorNode>();
    generatorOwned->setNodeId(kStreamGeneratorBase + k);
    generatorOwned->setNodeTimes(&nodeTimes);
    const NodeId firstFx = kStreamEffectBase + (k - 1) * kStreamEffectIds;
    auto chainOwned = std::make_unique<EffectChainNode>(firstFx, firstFx + kStreamEffectIds - 1);
    chainOwned->setTelemetry(&telemetry);
    chainOwned->setNodeTimes(&nodeTimes);
    Stream stream{generatorOwned.get(), chainOwned.get()};
    auto src = graphProcessor->addNode(std::move(generatorOwned));
    auto chain = graphProcessor->addNode(std::move(chainOwned));
    for (int ch = 0; ch < 2; ++ch)
    {
        // The graph sums every connection into one input channel: the streams mix at the output.
        const bool a = graphProcessor->addConnection({NodeAndChannel{src->nodeID, ch}, NodeAndChannel{chain->nodeID, ch}});
        const bool b = graphProcessor->addConnection({NodeAndChannel{chain->nodeID, ch}, NodeAndChannel{outputNode, ch}});
        jassert(a && b);
        juce::ignoreUnused(a, b);
    }
    extraStreams.push_back(stream);
    return stream;
}

std::string AudioEngine::nodeNameFromUi(NodeId node, int* stream) const
{
    const auto effectIn = [node](const EffectChainNode& chain) -> std::string {
        for (const auto& slot : chain.slotsFromUi())
            if (slot.id == node)
                return slot.effectId;
        return {};
    };
    const auto found = [stream](int k, std::string name) {
        if (stream != nullptr)
            *stream = k;
        return name;
    };
    if (node == kEngineNode)
        return found(-1, "callback");
    if (sourceNode != nullptr && node == sourceId)
        return found(0, dynamic_cast<GeneratorNode*>(sourceNode) != nullptr ? std::string("generator")
                                                                             : sourceNode->getName().toStdString());
    if (auto name = effectIn(*chainNode); !name.empty())
        return found(0, name);
    for (std::size_t i = 0; i < extraStreams.size(); ++i)
    {
        const int k = static_cast<int>(i) + 1;
        if (node == extraStreams[i].generator->nodeId())
            return found(k, "generator");
        if (auto name = effectIn(*extraStreams[i].chain); !name.empty())
            return found(k, name);
    }
    return found(-1, {});
}

juce::String AudioEngine::openVirtualDevice(const VirtualLoopbackConfig& config, int numInputs, int numOutputs)
{
    detachFromDevice();
    devices.closeAudioDevice();
    deviceError = openVirtualLoopback(devices, numInputs, numOutputs, config);
    audioThreadKnown.store(false);
    if (deviceError.isEmpty())
        attachToCurrentDevice();
    return deviceError;
}

juce::String AudioEngine::openJackDevice(int numInputs, int numOutputs)
{
    detachFromDevice();
    devices.closeAudioDevice();
    juce::AudioIODeviceType* jack = nullptr;
    for (auto* type : devices.getAvailableDeviceTypes())
        if (type->getTypeName() == "JACK")
            jack = type;
    if (jack == nullptr)
        return deviceError = "this build has no JACK device type";
    jack->scanForDevices();
    const auto names = jack->getDeviceNames(false);
    if (names.isEmpty())
        return deviceError = "no JACK server is running (start one, e.g. `jackd -d dummy -r 48000 -p 256`)";
    devices.setCurrentAudioDeviceType("JACK", true);
    auto setup = devices.getAudioDeviceSetup();
    setup.outputDeviceName = names[jack->getDefaultDeviceIndex(false)];
    setup.inputDeviceName = jack->getDeviceNames(true)[jack->getDefaultDeviceIndex(true)];
    setup.useDefaultInputChannels = setup.useDefaultOutputChannels = false;
    setup.inputChannels.clear();
    setup.outputChannels.clear();
    setup.inputChannels.setRange(0, numInputs, true);
    setup.outputChannels.setRange(0, numOutputs, true);
    deviceError = devices.setAudioDeviceSetup(setup, true);
    if (deviceError.isEmpty() && devices.getCurrentAudioDevice() == nullptr)
        deviceError = "the JACK device could not be opened";
    audioThreadKnown.store(false);
    if (deviceError.isEmpty())
        attachToCurrentDevice();
    return deviceError;
}

juce::String AudioEngine::openDevice(const juce::XmlElement* savedState, int numInputs, int numOutputs)
{
    detachFromDevice();
    deviceError = {};
    if (savedState != nullptr)
        deviceError = devices.initialise(numInputs, numOutputs, savedState, true);
    if (savedState == nullptr || devices.getCurrentAudioDevice() == nullptr)
    {
        juce::String error;
        const auto type = openDefaultOrVirtualDevice(devices, numInputs, numOutputs, VirtualLoopbackConfig{}, error);
        deviceError = type.isEmpty() ? error : juce::String();
    }
    return finishOpeningDevice();
}

void AudioEngine::closeDevice()
{
    detachFromDevice();
    devices.closeAudioDevice();
}

bool AudioEngine::hasDevice() const
{
    return devices.getCurrentAudioDevice() != nullptr;
}

bool AudioEngine::isVirtualDevice() const
{
    auto* device = devices.getCurrentAudioDevice();
    return device != nullptr && device->getTypeName() == VirtualLoopbackDeviceType::kTypeName;
}

monitor::LoadSnapshot AudioEngine::loadSnapshotFromUi()
{
    if (auto* device = devices.getCurrentAudioDevice(); device != nullptr && callbackRunning.load())
        if (const int x = device->getXRunCount(); x >= 0)
            load.setDeviceXruns(static_cast<std::uint64_t>(x));
    return load.snapshot();
}

std::optional<double> AudioEngine::audioThreadCpuSeconds() const noexcept
{
    if (!audioThreadKnown.load(std::memory_order_acquire))
        return std::nullopt;
    return monitor::threadCpuSeconds(audioThread.load(std::memory_order_relaxed));
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
