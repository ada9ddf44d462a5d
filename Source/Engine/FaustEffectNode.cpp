#include "Engine/FaustEffectNode.h"

#include "Faust/FaustCatalogue.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace wb
{
namespace
{
/// Replaces every NaN/Inf in x[0..n) by 0; returns true when there was one. Wait-free.
bool scrubNonFinite(float* x, int n) noexcept
{
    bool found = false;
    for (int i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
        {
            x[i] = 0.0f;
            found = true;
        }
    return found;
}

bool allFinite(const float* x, int n) noexcept
{
    for (int i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
            return false;
    return true;
}
} // namespace

FaustEffectNode::FaustEffectNode(std::unique_ptr<::dsp> d, std::string effectId)
    : AudioProcessor(BusesProperties()
                         .withInput("Input", juce::AudioChannelSet::canonicalChannelSet(std::max(1, d->getNumInputs())), true)
                         .withOutput("Output", juce::AudioChannelSet::canonicalChannelSet(std::max(1, d->getNumOutputs())), true)),
      dsp(std::move(d)), id(std::move(effectId))
{
    numIns = dsp->getNumInputs();
    numOuts = dsp->getNumOutputs();
    dsp->init(48000); // every zone gets its initial value before description is read
    desc = describeFaustDsp(*dsp);
    inPtrs.resize(static_cast<size_t>(std::max(1, numIns)));
    outPtrs.resize(static_cast<size_t>(std::max(1, numOuts)));
}

FaustEffectNode::~FaustEffectNode() = default;

std::unique_ptr<FaustEffectNode> FaustEffectNode::create(const std::string& effectId)
{
    const auto* entry = faust::findEffect(effectId);
    if (entry == nullptr)
        return nullptr;
    return std::make_unique<FaustEffectNode>(entry->create(), effectId);
}

int FaustEffectNode::findControl(const std::string& name) const noexcept
{
    for (size_t i = 0; i < desc.controls.size(); ++i)
        if (desc.controls[i].label == name || desc.controls[i].path == name)
            return static_cast<int>(i);
    return -1;
}

void FaustEffectNode::setControlOnAudio(int index, float value) noexcept
{
    if (index < 0 || static_cast<size_t>(index) >= desc.controls.size())
        return;
    auto& c = desc.controls[static_cast<size_t>(index)];
    if (c.isOutput())
        return;
    *c.zone = std::clamp(value, c.min, c.max);
}

float FaustEffectNode::controlOnAudio(int index) const noexcept
{
    if (index < 0 || static_cast<size_t>(index) >= desc.controls.size())
        return 0.0f;
    return *desc.controls[static_cast<size_t>(index)].zone;
}

void FaustEffectNode::prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock)
{
    // Keep the user's control values across a re-prepare: instanceConstants + instanceClear
    // reset the sample rate dependent state without touching the zones.
    dsp->instanceConstants(static_cast<int>(sampleRate));
    dsp->instanceClear();
    scratchIn.setSize(std::max(1, numIns), std::max(1, maximumExpectedSamplesPerBlock));
    // An effect with look-ahead declares it: `declare latency_ms "5";` in its .dsp.
    int latency = 0;
    if (auto it = desc.meta.find("latency_ms"); it != desc.meta.end())
        latency = juce::roundToInt(std::atof(it->second.c_str()) * sampleRate / 1000.0);
    setLatencySamples(latency);
}

void FaustEffectNode::reset()
{
    dsp->instanceClear();
}

void FaustEffectNode::processBlock(juce::AudioBuffer<float>& buffer, juce::MidiBuffer&)
{
    juce::ScopedNoDenormals noDenormals;
    const int n = buffer.getNumSamples();
    if (n <= 0)
        return;
    if (n > scratchIn.getNumSamples()) // the host broke its promise: process nothing, stay silent
    {
        buffer.clear();
        return;
    }
    // Faust may not process in place: copy the inputs aside, write the outputs into the buffer.
    const int bufChans = buffer.getNumChannels();
    // NaN or Inf never reaches the effect: such samples become silence and the block is counted.
    bool badInput = false;
    for (int ch = 0; ch < numIns; ++ch)
    {
        if (ch < bufChans)
            scratchIn.copyFrom(ch, 0, buffer, ch, 0, n);
        else
            scratchIn.clear(ch, 0, n);
        inPtrs[static_cast<size_t>(ch)] = scratchIn.getWritePointer(ch);
        badInput |= scrubNonFinite(inPtrs[static_cast<size_t>(ch)], n);
    }
    if (badInput)
        badInputBlocks.fetch_add(1, std::memory_order_relaxed);
    for (int ch = 0; ch < numOuts; ++ch)
        outPtrs[static_cast<size_t>(ch)] = buffer.getWritePointer(std::min(ch, bufChans - 1));
    dsp->compute(n, inPtrs.data(), outPtrs.data());
    // An effect that blows up is muted and its state cleared, so it recovers on the next block.
    bool badOutput = false;
    for (int ch = 0; ch < std::min(numOuts, bufChans); ++ch)
        badOutput |= !allFinite(buffer.getReadPointer(ch), n);
    if (badOutput)
    {
        buffer.clear();
        dsp->instanceClear();
        badOutputBlocks.fetch_add(1, std::memory_order_relaxed);
    }
}

void FaustEffectNode::getStateInformation(juce::MemoryBlock& dest)
{
    juce::XmlElement xml("FaustEffect");
    xml.setAttribute("id", juce::String(id));
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
    for (auto* child : xml->getChildIterator())
    {
        const int index = findControl(child->getStringAttribute("path").toStdString());
        if (index >= 0)
            setControlOnAudio(index, static_cast<float>(child->getDoubleAttribute("value")));
    }
}
} // namespace wb
