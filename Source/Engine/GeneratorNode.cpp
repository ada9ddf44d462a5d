#include "Engine/GeneratorNode.h"

#include <algorithm>
#include <cmath>

namespace wb
{
namespace
{
/// A non-negative integer mask of at most 8 bits from a double, or -1 when it is not one.
int toMask(double v) noexcept
{
    if (!std::isfinite(v) || v < 0.0 || v > 255.0)
        return -1;
    return static_cast<int>(std::lround(v));
}
} // namespace

GeneratorNode::GeneratorNode()
    : NodeBase(BusesProperties().withOutput("Output", juce::AudioChannelSet::stereo(), true))
{
    outputGain.jumpTo(0.0);
}

GeneratorNode::~GeneratorNode() = default;

bool GeneratorNode::isBusesLayoutSupported(const BusesLayout& layouts) const
{
    if (layouts.inputBuses.size() > 0 && !layouts.getMainInputChannelSet().isDisabled())
        return false;
    const int outs = layouts.getMainOutputChannels();
    return outs >= 1 && outs <= kMaxOutputs;
}

void GeneratorNode::setSettingsNow(const SignalSettings& s, const ChannelRouting& r, bool run)
{
    generator.setSettings(s);
    generator.setRouting(r);
    running = run;
    runningShared.store(run, std::memory_order_release);
    outputGain.jumpTo(run ? 1.0 : 0.0);
    if (prepared)
        generator.reset();
}

void GeneratorNode::prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock)
{
    rate = sampleRate > 0.0 && std::isfinite(sampleRate) ? sampleRate : 48000.0;
    generator.prepare(rate, std::max(1, maximumExpectedSamplesPerBlock), SignalGenerator::PrepareScope::allKinds);
    outputGain.setRampLength(std::max(1, static_cast<int>(std::lround(kStartStopSeconds * rate))));
    outputGain.jumpTo(running ? 1.0 : 0.0);
    if (periodSeconds >= 0.0)
    {
        SignalSettings s = generator.settings();
        s.periodSamples = periodSeconds * rate;
        generator.setSettings(s);
        generator.reset();
    }
    numEvents = 0;
    clock = 0;
    prepared = true;
    setLatencySamples(SignalGenerator::kLatencySamples);
}

void GeneratorNode::reset()
{
    generator.reset();
    outputGain.jumpTo(running ? 1.0 : 0.0);
    numEvents = 0;
    clock = 0;
}

void GeneratorNode::handleCommandOnAudio(void* self, const Command& command) noexcept
{
    (void) static_cast<GeneratorNode*>(self)->queueCommandOnAudio(command);
}

bool GeneratorNode::queueCommandOnAudio(const Command& command) noexcept
{
    switch (command.type)
    {
    case CommandType::setSignal:
    case CommandType::setParameter:
    case CommandType::start:
    case CommandType::stop:
        break;
    default:
        return true; // not for a generator (resetMeters, ...)
    }
    if (!insertTimedCommand(events, numEvents, TimedCommand{clock + command.sampleOffset, command}))
    {
        dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    return true;
}

double GeneratorNode::clampFrequency(double f) const noexcept
{
    return std::clamp(f, kMinFrequency, kMaxFrequencyRatio * rate);
}

void GeneratorNode::applyParameter(GeneratorParam p, double v, SignalSettings& s, ChannelRouting& r) const noexcept
{
    if (!std::isfinite(v))
        return;
    switch (p)
    {
    case GeneratorParam::kind:
        if (v >= 0.0 && v < kNumSignalKinds - 0.5) // range first: lround of a huge value is undefined
            s.kind = static_cast<SignalKind>(std::lround(v));
        break;
    case GeneratorParam::freq:
        if (v > 0.0)
            s.freq = clampFrequency(v);
        break;
    case GeneratorParam::freqTo:
        if (v > 0.0)
            s.freqTo = clampFrequency(v);
        break;
    case GeneratorParam::levelDb:
        s.levelDb = std::clamp(v, kMinLevelDb, kMaxLevelDb);
        break;
    case GeneratorParam::levelMode:
        if (v == 0.0 || v == 1.0)
            s.mode = v == 0.0 ? LevelMode::peak : LevelMode::rms;
        break;
    case GeneratorParam::duration:
        if (v >= 0.0)
            s.duration = std::min(v, kMaxDurationSeconds);
        break;
    case GeneratorParam::startPhase:
        s.startPhase = v - std::floor(v);
        break;
    case GeneratorParam::seed:
        if (v >= 0.0 && v <= 9007199254740992.0)
            s.seed = static_cast<std::uint64_t>(v);
        break;
    case GeneratorParam::periodSamples:
        if (v >= 0.0)
            s.periodSamples = std::min(v, kMaxDurationSeconds * rate);
        break;
    case GeneratorParam::fadeIn:
        if (v >= 0.0)
            s.fadeIn = std::min(v, kMaxDurationSeconds);
        break;
    case GeneratorParam::fadeOut:
        if (v >= 0.0)
            s.fadeOut = std::min(v, kMaxDurationSeconds);
        break;
    case GeneratorParam::routingMask:
        if (const int m = toMask(v); m >= 0)
            r.enabledMask = static_cast<std::uint32_t>(m);
        break;
    case GeneratorParam::invertMask:
        if (const int m = toMask(v); m >= 0)
            for (int c = 0; c < ChannelRouting::kMaxChannels; ++c)
                r.invert[static_cast<std::size_t>(c)] = ((m >> c) & 1) != 0;
        break;
    case GeneratorParam::repeat:
        if (v == 0.0 || v == 1.0)
            s.repeat = v == 1.0;
        break;
    case GeneratorParam::periodSeconds:
        if (v >= 0.0)
            s.periodSamples = std::min(v, kMaxDurationSeconds) * rate;
        break;
    }
}

void GeneratorNode::applyEvent(const Command& c) noexcept
{
    switch (c.type)
    {
    case CommandType::start:
        ++startCount;
        if (!running)
        {
            running = true;
            // From silence, or after a one-shot ended (still fading out): from its first sample.
            if (outputGain.value() == 0.0 || generator.isOneShotFinished())
            {
                generator.reset(); // from silence: the signal restarts from its first sample
                const SignalKind k = generator.settings().kind;
                if (k == SignalKind::impulse || isSweep(k))
                {
                    outputGain.jumpTo(1.0); // they start from zero (sweep) or are the first sample
                    return;
                }
            }
            outputGain.setTarget(1.0);
        }
        return;
    case CommandType::stop:
        running = false;
        outputGain.setTarget(0.0);
        return;
    case CommandType::setSignal:
    {
        if (c.index >= static_cast<std::uint32_t>(kNumSignalKinds))
            return;
        SignalSettings s = generator.settings();
        ChannelRouting r = generator.routing();
        s.kind = static_cast<SignalKind>(c.index);
        const auto& a = c.args;
        applyParameter(GeneratorParam::freq, a[0], s, r);
        applyParameter(GeneratorParam::levelDb, a[1], s, r);
        applyParameter(GeneratorParam::freqTo, a[2], s, r);
        applyParameter(GeneratorParam::duration, a[3], s, r);
        generator.setSettings(s);
        return;
    }
    case CommandType::setParameter:
    {
        if (c.index >= static_cast<std::uint32_t>(kNumGeneratorParams))
            return;
        SignalSettings s = generator.settings();
        ChannelRouting r = generator.routing();
        const auto p = static_cast<GeneratorParam>(c.index);
        applyParameter(p, c.value, s, r);
        if (p == GeneratorParam::periodSeconds && std::isfinite(c.value) && c.value >= 0.0)
            periodSeconds = std::min(c.value, kMaxDurationSeconds);
        else if (p == GeneratorParam::periodSamples)
            periodSeconds = -1.0;
        if (p == GeneratorParam::routingMask || p == GeneratorParam::invertMask)
            generator.setRouting(r);
        else
            generator.setSettings(s);
        return;
    }
    default:
        return;
    }
}

void GeneratorNode::renderSegment(float* const* channels, int numChannels, int start, int n) noexcept
{
    std::array<float*, kMaxOutputs> at{};
    for (int ch = 0; ch < numChannels; ++ch)
        at[static_cast<std::size_t>(ch)] = channels[ch] + start;
    if (!running && !outputGain.isRamping() && outputGain.value() == 0.0)
    {
        for (int ch = 0; ch < numChannels; ++ch)
            std::fill_n(at[static_cast<std::size_t>(ch)], n, 0.0f);
        return; // stopped: silence, and the generator does not advance
    }
    generator.process(at.data(), numChannels, n);
    if (!outputGain.isRamping() && outputGain.value() == 1.0)
        return;
    for (int i = 0; i < n; ++i)
    {
        const auto g = static_cast<float>(outputGain.next());
        for (int ch = 0; ch < numChannels; ++ch)
            at[static_cast<std::size_t>(ch)][i] *= g;
    }
}

void GeneratorNode::processBlock(juce::AudioBuffer<float>& buffer, juce::MidiBuffer&)
{
    const monitor::ScopedNodeTime timed(times, node);
    juce::ScopedNoDenormals noDenormals;
    const int n = buffer.getNumSamples();
    if (n <= 0)
        return;
    const int numChannels = std::min(buffer.getNumChannels(), kMaxOutputs);
    for (int ch = numChannels; ch < buffer.getNumChannels(); ++ch)
        buffer.clear(ch, 0, n);
    if (!prepared)
    {
        buffer.clear();
        return;
    }
    float* const* channels = buffer.getArrayOfWritePointers();

    const std::uint64_t blockStart = clock;
    int pos = 0;
    while (pos < n)
    {
        std::size_t consumed = 0;
        while (consumed < numEvents && events[consumed].when <= clock)
            applyEvent(events[consumed++].command);
        if (consumed > 0)
        {
            std::copy(events.begin() + static_cast<std::ptrdiff_t>(consumed),
                      events.begin() + static_cast<std::ptrdiff_t>(numEvents), events.begin());
            numEvents -= consumed;
        }
        int end = n;
        if (numEvents > 0)
            end = static_cast<int>(std::min<std::uint64_t>(static_cast<std::uint64_t>(n), events[0].when - blockStart));
        renderSegment(channels, numChannels, pos, end - pos);
        clock += static_cast<std::uint64_t>(end - pos);
        pos = end;
    }
    if (running && generator.isOneShotFinished())
    {
        // A one-shot played to its end: the node stops itself (5 ms to silence; a sweep has
        // faded already) and tells the UI, whose Start button shows stopped again.
        running = false;
        runningShared.store(false, std::memory_order_release); // before the UI can hear of the end
        outputGain.setTarget(0.0);
        if (telemetry != nullptr)
            (void) telemetry->pushFromAudio(Telemetry::of(GeneratorFinished{node, startCount}));
    }
    runningShared.store(running, std::memory_order_release);
}

void GeneratorNode::getStateInformation(juce::MemoryBlock& dest)
{
    const auto& s = generator.settings();
    const auto& r = generator.routing();
    juce::XmlElement xml("Generator");
    xml.setAttribute("kind", juce::String(std::string(signalKindName(s.kind))));
    xml.setAttribute("freq", s.freq);
    xml.setAttribute("freqTo", s.freqTo);
    xml.setAttribute("levelDb", s.levelDb);
    xml.setAttribute("levelMode", s.mode == LevelMode::rms ? "rms" : "peak");
    xml.setAttribute("duration", s.duration);
    xml.setAttribute("startPhase", s.startPhase);
    xml.setAttribute("seed", juce::String(static_cast<juce::uint64>(s.seed)));
    xml.setAttribute("periodSamples", s.periodSamples);
    xml.setAttribute("impulseOffset", s.impulseOffset);
    xml.setAttribute("fadeIn", s.fadeIn);
    xml.setAttribute("fadeOut", s.fadeOut);
    xml.setAttribute("repeat", s.repeat);
    int invert = 0;
    for (int c = 0; c < ChannelRouting::kMaxChannels; ++c)
        invert |= r.invert[static_cast<std::size_t>(c)] ? (1 << c) : 0;
    xml.setAttribute("routingMask", static_cast<int>(r.enabledMask & 0xFFu));
    xml.setAttribute("invertMask", invert);
    xml.setAttribute("running", running);
    copyXmlToBinary(xml, dest);
}

void GeneratorNode::setStateInformation(const void* data, int size)
{
    auto xml = getXmlFromBinary(data, size);
    if (xml == nullptr || !xml->hasTagName("Generator"))
        return;
    SignalSettings s = generator.settings();
    ChannelRouting r = generator.routing();
    if (const auto kind = parseSignalKind(xml->getStringAttribute("kind").toStdString()))
        s.kind = *kind;
    const auto number = [&](const char* name, GeneratorParam p)
    {
        if (xml->hasAttribute(name))
            applyParameter(p, xml->getDoubleAttribute(name), s, r);
    };
    number("freq", GeneratorParam::freq);
    number("freqTo", GeneratorParam::freqTo);
    number("levelDb", GeneratorParam::levelDb);
    number("duration", GeneratorParam::duration);
    number("startPhase", GeneratorParam::startPhase);
    number("periodSamples", GeneratorParam::periodSamples);
    number("fadeIn", GeneratorParam::fadeIn);
    number("fadeOut", GeneratorParam::fadeOut);
    number("routingMask", GeneratorParam::routingMask);
    number("invertMask", GeneratorParam::invertMask);
    if (xml->hasAttribute("repeat"))
        s.repeat = xml->getBoolAttribute("repeat");
    if (xml->hasAttribute("levelMode"))
        s.mode = xml->getStringAttribute("levelMode") == "rms" ? LevelMode::rms : LevelMode::peak;
    if (xml->hasAttribute("seed"))
        s.seed = static_cast<std::uint64_t>(xml->getStringAttribute("seed").getLargeIntValue());
    if (const double off = xml->getDoubleAttribute("impulseOffset", s.impulseOffset); std::isfinite(off) && off >= 0.0)
        s.impulseOffset = off;
    setSettingsNow(s, r, xml->getBoolAttribute("running", running));
}
} // namespace wb
