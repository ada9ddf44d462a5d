#include "Engine/FaustEffectNode.h"

#include "Core/Monitor/ProcessStats.h"
#include "Core/Realtime/FiniteScan.h"
#include "Core/Session/ParamNames.h"
#include "Engine/EffectResolver.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace wb
{

FaustEffectNode::FaustEffectNode(std::unique_ptr<::dsp> d, std::string effectId)
    : NodeBase(BusesProperties()
                         .withInput("Input", juce::AudioChannelSet::canonicalChannelSet(std::max(1, d->getNumInputs())), true)
                         .withOutput("Output", juce::AudioChannelSet::canonicalChannelSet(std::max(1, d->getNumOutputs())), true)),
      dsp(std::move(d)), id(std::move(effectId))
{
    monitor::ResourceCounters::global().faustInstances.fetch_add(1, std::memory_order_relaxed);
    numIns = dsp->getNumInputs();
    numOuts = dsp->getNumOutputs();
    dsp->init(48000); // every zone gets its initial value before the description is read
    desc = describeFaustDsp(*dsp);
    paramSpecs = paramSpecsOf(desc);
    ramps.resize(desc.controls.size());
    for (size_t i = 0; i < desc.controls.size(); ++i)
    {
        const auto& c = desc.controls[i];
        ramps[i].logDomain = paramSpecs[i].isLog();
        ramps[i].ramp.reset(toRampDomain(i, *c.zone));
    }
    // `faust -inpl` makes compute() correct when inputs[k] == outputs[k]; the class says so in its
    // compile_options metadata. Any other class (e.g. compiled at run time) gets a copy of its input.
    if (auto it = desc.meta.find("compile_options"); it != desc.meta.end())
        inPlaceCapable = (" " + it->second + " ").find(" -inpl ") != std::string::npos;
    inPtrs.resize(static_cast<size_t>(std::max(1, numIns)));
    outPtrs.resize(static_cast<size_t>(std::max(1, numOuts)));
}

FaustEffectNode::~FaustEffectNode()
{
    auto& counters = monitor::ResourceCounters::global();
    counters.faustInstances.fetch_sub(1, std::memory_order_relaxed);
    counters.faustBytes.fetch_sub(static_cast<std::int64_t>(instanceBytes), std::memory_order_relaxed);
}

// Any effect id (Engine/EffectResolver): a catalogue id, or a .dsp file, which may compile here.
std::unique_ptr<FaustEffectNode> FaustEffectNode::create(const std::string& effectId)
{
    std::string error;
    const auto effect = resolveEffect(effectId, error);
    if (!effect)
        return nullptr;
    auto instance = effect->create();
    if (instance == nullptr)
        return nullptr;
    auto node = std::make_unique<FaustEffectNode>(std::move(instance), effect->effectId);
    node->instanceBytes = effect->instanceBytes;
    monitor::ResourceCounters::global().faustBytes.fetch_add(static_cast<std::int64_t>(node->instanceBytes),
                                                             std::memory_order_relaxed);
    return node;
}

int FaustEffectNode::findControl(const std::string& name) const noexcept
{
    const auto index = indexOfParam(paramSpecs, name, ParamFilter::all);
    return index ? static_cast<int>(*index) : -1;
}

double FaustEffectNode::toRampDomain(size_t index, double value) const noexcept
{
    return ramps[index].logDomain ? std::log(value) : value;
}

float FaustEffectNode::fromRampDomain(size_t index, double value) const noexcept
{
    const auto& c = desc.controls[index];
    const double v = ramps[index].logDomain ? std::exp(value) : value;
    return std::clamp(static_cast<float>(v), c.min, c.max);
}

void FaustEffectNode::setControlOnAudio(int index, float value) noexcept
{
    if (index < 0 || static_cast<size_t>(index) >= desc.controls.size())
        return;
    const auto i = static_cast<size_t>(index);
    auto& c = desc.controls[i];
    if (c.isOutput())
        return;
    *c.zone = std::clamp(value, c.min, c.max);
    ramps[i].ramp.reset(toRampDomain(i, *c.zone));
}

float FaustEffectNode::controlOnAudio(int index) const noexcept
{
    if (index < 0 || static_cast<size_t>(index) >= desc.controls.size())
        return 0.0f;
    return *desc.controls[static_cast<size_t>(index)].zone;
}

void FaustEffectNode::handleCommandOnAudio(void* self, const Command& command) noexcept
{
    static_cast<FaustEffectNode*>(self)->queueCommandOnAudio(command);
}

bool FaustEffectNode::queueCommandOnAudio(const Command& command) noexcept
{
    if (command.type != CommandType::setParameter && command.type != CommandType::setBypass)
        return true; // nothing to do for this node (resetMeters, ...)
    if (!insertTimedCommand(events, numEvents, TimedCommand{clock + command.sampleOffset, command}))
    {
        dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    return true;
}

void FaustEffectNode::applyEvent(const Command& c) noexcept
{
    if (c.type == CommandType::setBypass)
    {
        bypassTarget = c.bypassed();
        bypassMix.setRampSeconds(c.rampSeconds >= 0.0 ? c.rampSeconds : smoothingSeconds);
        bypassMix.setTarget(bypassTarget ? 1.0 : 0.0);
        return;
    }
    if (c.index >= desc.controls.size())
        return;
    auto& control = desc.controls[c.index];
    if (control.isOutput())
        return;
    const auto value = std::clamp(static_cast<float>(c.value), control.min, control.max);
    const bool stepped = control.kind == FaustControl::Kind::button || control.kind == FaustControl::Kind::checkbox;
    const double seconds = stepped ? 0.0 : (c.rampSeconds >= 0.0 ? c.rampSeconds : smoothingSeconds);
    auto& r = ramps[c.index].ramp;
    r.setRampSeconds(seconds);
    r.setTarget(toRampDomain(c.index, value));
    if (!r.isSmoothing())
        *control.zone = value; // a step lands on its exact sample
    else
        anyRamping = true;
}

void FaustEffectNode::writeZones(bool all) noexcept
{
    bool still = false;
    for (size_t i = 0; i < ramps.size(); ++i)
    {
        auto& r = ramps[i].ramp;
        if (desc.controls[i].isOutput() || (!all && !r.isSmoothing() && *desc.controls[i].zone == fromRampDomain(i, r.currentValue())))
            continue;
        *desc.controls[i].zone = fromRampDomain(i, r.currentValue());
        still = still || r.isSmoothing();
    }
    anyRamping = still;
}

void FaustEffectNode::prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock)
{
    rate = sampleRate;
    // Keep the user's control values across a re-prepare: instanceConstants + instanceClear
    // reset the sample-rate dependent state without touching the zones.
    dsp->instanceConstants(static_cast<int>(sampleRate));
    dsp->instanceClear();
    for (size_t i = 0; i < ramps.size(); ++i)
    {
        ramps[i].ramp.prepare(sampleRate, smoothingSeconds);
        ramps[i].ramp.reset(toRampDomain(i, *desc.controls[i].zone));
    }
    bypassMix.prepare(sampleRate, smoothingSeconds);
    bypassMix.reset(bypassTarget ? 1.0 : 0.0);
    numEvents = 0;
    clock = 0;
    anyRamping = false;
    telemetryInterval = std::max(1, static_cast<int>(sampleRate * 0.02));
    telemetryCountdown = telemetryInterval;
    scratchIn.setSize(std::max(1, std::max(numIns, numOuts)), std::max(1, maximumExpectedSamplesPerBlock));
    // An effect with look-ahead declares it: `declare latency_ms "5";` in its .dsp. Counted as Faust
    // counts a delay of `ms / 1000 * ma.SR` samples: ma.SR clamped to 192 kHz, the delay truncated
    // (int()), so e.g. 5 ms at 22150 Hz is 110 samples, not 111 (tested by the impulse's shift).
    int latency = 0;
    if (auto it = desc.meta.find("latency_ms"); it != desc.meta.end())
        latency = static_cast<int>(
            std::floor(std::atof(it->second.c_str()) * std::min(sampleRate, kMaxSampleRate) / 1000.0 + 1e-6));
    setLatencySamples(latency);
}

void FaustEffectNode::reset()
{
    dsp->instanceClear();
}

void FaustEffectNode::muteBadOutput(juce::AudioBuffer<float>& buffer, int start, int n) noexcept
{
    // An effect that blows up is muted and its state cleared, so it recovers at once.
    for (int ch = 0; ch < buffer.getNumChannels(); ++ch)
        buffer.clear(ch, start, n);
    dsp->instanceClear();
    badOutputBlocks.fetch_add(1, std::memory_order_relaxed);
    if (telemetry != nullptr)
        (void) telemetry->pushFromAudio(Telemetry::of(NanEvent{node, 0, clock}));
}

void FaustEffectNode::renderSegment(juce::AudioBuffer<float>& buffer, int start, int n) noexcept
{
    const int bufChans = buffer.getNumChannels();
    float* const* io = buffer.getArrayOfWritePointers();
    const bool crossfading = bypassMix.isSmoothing() || bypassTarget;
    if (inPlaceBlock)
    {
        // The bypass mix needs the dry input after compute() has overwritten it: keep this
        // segment's input aside (a block that is not bypassed copies nothing).
        if (crossfading)
            for (int ch = 0; ch < numIns; ++ch)
                std::copy_n(io[ch] + start, n, scratchIn.getWritePointer(ch) + start);
        for (int ch = 0; ch < numOuts; ++ch)
            outPtrs[static_cast<size_t>(ch)] = io[ch] + start;
        dsp->compute(n, outPtrs.data(), outPtrs.data());
    }
    else
    {
        for (int ch = 0; ch < numIns; ++ch)
            inPtrs[static_cast<size_t>(ch)] = scratchIn.getWritePointer(ch) + start;
        for (int ch = 0; ch < numOuts; ++ch)
            outPtrs[static_cast<size_t>(ch)] = io[std::min(ch, bufChans - 1)] + start;
        dsp->compute(n, inPtrs.data(), outPtrs.data());
    }

    if (anyNonFinite(io, std::min(numOuts, bufChans), start, n))
        muteBadOutput(buffer, start, n);

    // Bypass: crossfade to the dry input, sample by sample.
    if (crossfading)
    {
        for (int i = 0; i < n; ++i)
        {
            const auto dryAmount = static_cast<float>(bypassMix.nextSample());
            for (int ch = 0; ch < std::min(numOuts, bufChans); ++ch)
            {
                const float dry = ch < numIns ? scratchIn.getSample(ch, start + i) : 0.0f;
                float* out = io[ch] + start + i;
                *out = *out + dryAmount * (dry - *out);
            }
        }
    }
}

namespace
{
#if defined(__x86_64__) || defined(__SSE__)
/// Flush-to-zero and denormals-are-zero for the scope: exactly what juce::ScopedNoDenormals does on
/// x86 (MXCSR | 0x8040, restored on exit), but inline: JUCE's calls two out-of-line functions,
/// ~20 instructions per block, a measurable part of the node's cost (docs/PERFORMANCE.md).
class ScopedFlushDenormals
{
public:
    ScopedFlushDenormals() noexcept : saved(_mm_getcsr()) { _mm_setcsr(saved | 0x8040u); }
    ~ScopedFlushDenormals() { _mm_setcsr(saved); }
    ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
    ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

private:
    unsigned saved;
};
#else
using ScopedFlushDenormals = juce::ScopedNoDenormals;
#endif

/// Every bargraph's current value to the UI. Out of line: it runs about every 20 ms.
[[gnu::noinline]] void pushBargraphs(const FaustDescription& desc, TelemetryQueue& telemetry, NodeId node) noexcept
{
    for (size_t i = 0; i < desc.controls.size(); ++i)
        if (desc.controls[i].isOutput())
            (void) telemetry.pushFromAudio(
                Telemetry::of(BargraphValue{node, static_cast<std::uint32_t>(i), *desc.controls[i].zone}));
}
} // namespace

inline void FaustEffectNode::publishTelemetry(int numSamples) noexcept
{
    telemetryCountdown -= numSamples;
    if (telemetryCountdown > 0 || telemetry == nullptr)
        return;
    telemetryCountdown += telemetryInterval;
    pushBargraphs(desc, *telemetry, node);
}

void FaustEffectNode::processBlock(juce::AudioBuffer<float>& buffer, juce::MidiBuffer&)
{
    ScopedFlushDenormals noDenormals;
    const int n = buffer.getNumSamples();
    // The common block, kept small so that it pays no more than it uses: a class that runs in
    // place, the buffer holding exactly its channels, nothing pending, no ramp, not bypassed.
    // compute() runs straight on the host's channel array (the generated code only reads that
    // array), between the input check and the output check. Everything else: general() below.
    if (inPlaceCapable && numEvents == 0 && !anyRamping && !bypassTarget && !bypassMix.isSmoothing() && n > 0
        && n <= scratchIn.getNumSamples() && buffer.getNumChannels() == numIns && numIns == numOuts)
    {
        inPlaceBlock = true;
        float* const* io = buffer.getArrayOfWritePointers();
        if (anyNonFinite(io, numIns, 0, n)) [[unlikely]]
        {
            (void) scrubNonFinite(io, numIns, 0, n);
            badInputBlocks.fetch_add(1, std::memory_order_relaxed);
            if (telemetry != nullptr)
                (void) telemetry->pushFromAudio(Telemetry::of(NanEvent{node, 0, clock}));
        }
        dsp->compute(n, const_cast<float**>(io), const_cast<float**>(io));
        if (anyNonFinite(io, numOuts, 0, n))
            muteBadOutput(buffer, 0, n);
        clock += static_cast<std::uint64_t>(n);
        publishTelemetry(n);
        return;
    }

    // Out of line, so that the common block above does not pay this path's register saves.
    auto general = [&]() __attribute__((noinline))
    {
        if (n <= 0)
            return;
        if (n > scratchIn.getNumSamples()) // the host broke its promise: stay silent, never allocate
        {
            buffer.clear();
            return;
        }
        // NaN or Inf never reaches the effect: such samples become silence and the block is counted.
        // In place, the host's buffer is the effect's input; otherwise (a class that cannot run in
        // place, or channel counts that differ) the input is copied aside first.
        const int bufChans = buffer.getNumChannels();
        inPlaceBlock = inPlaceCapable && bufChans == numIns && bufChans == numOuts;
        bool badInput = false;
        if (inPlaceBlock)
        {
            float* const* io = buffer.getArrayOfWritePointers();
            if (anyNonFinite(io, numIns, 0, n)) // the per-sample scrub only runs on a bad block
                badInput = scrubNonFinite(io, numIns, 0, n);
        }
        else
        {
            for (int ch = 0; ch < numIns; ++ch)
            {
                if (ch < bufChans)
                    scratchIn.copyFrom(ch, 0, buffer, ch, 0, n);
                else
                    scratchIn.clear(ch, 0, n);
            }
            badInput = scrubNonFinite(scratchIn.getArrayOfWritePointers(), numIns, 0, n);
        }
        if (badInput)
        {
            badInputBlocks.fetch_add(1, std::memory_order_relaxed);
            if (telemetry != nullptr)
                (void) telemetry->pushFromAudio(Telemetry::of(NanEvent{node, 0, clock}));
        }

        if (numEvents == 0 && !anyRamping) // nothing to apply or ramp: the whole block in one call
        {
            renderSegment(buffer, 0, n);
            clock += static_cast<std::uint64_t>(n);
            publishTelemetry(n);
            return;
        }

        const std::uint64_t blockStart = clock;
        int pos = 0;
        while (pos < n)
        {
            bool applied = false;
            std::size_t consumed = 0;
            while (consumed < numEvents && events[consumed].when <= clock)
            {
                applyEvent(events[consumed].command);
                ++consumed;
                applied = true;
            }
            if (consumed > 0)
            {
                std::copy(events.begin() + static_cast<std::ptrdiff_t>(consumed),
                          events.begin() + static_cast<std::ptrdiff_t>(numEvents), events.begin());
                numEvents -= consumed;
            }
            const bool onGrid = clock % kControlInterval == 0;
            if (applied || (anyRamping && onGrid))
                writeZones(false);

            int end = n;
            if (numEvents > 0)
                end = std::min<std::int64_t>(end, static_cast<std::int64_t>(events[0].when - blockStart));
            if (anyRamping)
                end = std::min(end, pos + kControlInterval - static_cast<int>(clock % kControlInterval));
            const int len = end - pos;
            renderSegment(buffer, pos, len);
            if (anyRamping)
                for (auto& r : ramps)
                    (void) r.ramp.skip(static_cast<std::size_t>(len));
            clock += static_cast<std::uint64_t>(len);
            pos = end;
        }
        publishTelemetry(n);
    };
    general();
}


void FaustEffectNode::getStateInformation(juce::MemoryBlock& dest)
{
    juce::XmlElement xml("FaustEffect");
    xml.setAttribute("id", juce::String(id));
    xml.setAttribute("bypassed", bypassTarget);
    for (const auto& c : desc.controls)
    {
        if (c.isOutput())
            continue;
        auto* child = xml.createNewChildElement("control");
        child->setAttribute("path", juce::String(c.path));
        child->setAttribute("value", static_cast<double>(*c.zone));
    }
    copyXmlToBinary(xml, dest);
}

void FaustEffectNode::setStateInformation(const void* data, int size)
{
    auto xml = getXmlFromBinary(data, size);
    if (xml == nullptr || !xml->hasTagName("FaustEffect"))
        return;
    bypassTarget = xml->getBoolAttribute("bypassed", false);
    bypassMix.reset(bypassTarget ? 1.0 : 0.0);
    for (auto* child : xml->getChildIterator())
    {
        const int index = findControl(child->getStringAttribute("path").toStdString());
        if (index >= 0)
            setControlOnAudio(index, static_cast<float>(child->getDoubleAttribute("value")));
    }
}
} // namespace wb
