#include "Engine/SessionFile.h"

#include "Core/Session/GeneratorParams.h"
#include "Engine/EffectChainNode.h"
#include "Engine/EffectResolver.h"
#include "Faust/FaustCatalogue.h"

#include <bitset>
#include <cmath>
#include <map>
#include <mutex>

namespace wb::session
{
const FaustDescription* catalogueDescription(const std::string& effectId)
{
    return catalogueDescription(effectId, nullptr);
}

const FaustDescription* catalogueDescription(const std::string& effectId, std::string* error)
{
    static std::mutex mutex; // never on the audio thread; the CLI and the app may both ask
    static std::map<std::string, std::unique_ptr<FaustDescription>> cache;
    const std::lock_guard lock(mutex);
    if (!isDspPath(effectId))
        if (auto it = cache.find(effectId); it != cache.end())
            return it->second.get();
    // A .dsp file resolves every time (it may have been edited; the module cache keeps unchanged
    // content from compiling again) and is described once per module key: a description handed
    // out stays valid for the process's life, whatever the file becomes.
    std::string problem;
    const auto effect = resolveEffect(effectId, problem);
    if (!effect)
    {
        if (error != nullptr)
            *error = problem;
        return nullptr;
    }
    const std::string slot = effect->module != nullptr ? "dsp:" + effect->module->key : effectId;
    if (auto it = cache.find(slot); it != cache.end())
        return it->second.get();
    const auto instance = effect->create();
    auto d = std::make_unique<FaustDescription>(describeFaustDsp(*instance));
    for (auto& c : d->controls)
        c.zone = nullptr; // the instance goes away: the description keeps no pointer into it
    return cache.emplace(slot, std::move(d)).first->second.get();
}

std::optional<double> finiteNumberAttribute(const juce::XmlElement& xml, const juce::String& name,
                                            std::optional<double> fallback)
{
    if (!xml.hasAttribute(name))
        return fallback;
    const auto text = xml.getStringAttribute(name).trim();
    if (text.isEmpty() || !text.containsOnly("0123456789+-.eE") || !text.containsAnyOf("0123456789"))
        return std::nullopt;
    const double value = text.getDoubleValue();
    return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

std::unique_ptr<juce::XmlElement> writeChainXml(const ChainState& chain)
{
    auto xml = std::make_unique<juce::XmlElement>(kChainTag);
    for (const auto& fx : chain.effects)
    {
        auto* e = xml->createNewChildElement("Effect");
        e->setAttribute("id", juce::String(fx.effectId));
        e->setAttribute("instance", juce::String(fx.instance));
        e->setAttribute("bypassed", fx.bypassed);
        for (const auto& p : fx.values)
        {
            auto* param = e->createNewChildElement("Param");
            param->setAttribute("path", juce::String(p.path));
            param->setAttribute("value", p.value);
        }
    }
    return xml;
}

namespace
{
/// One effect as a file names it: the id, bypass, and (path, value) pairs from the element
/// `values` whose children `childTag` carry the path in `pathAttribute`.
bool readEffect(const juce::String& id, bool bypassed, const juce::XmlElement& values, const char* childTag,
                const char* pathAttribute, EffectState& out, juce::String& error)
{
    const auto* d = catalogueDescription(id.toStdString());
    if (d == nullptr)
    {
        error = "unknown effect '" + id + "'";
        return false;
    }
    EffectState fx;
    fx.effectId = id.toStdString();
    fx.bypassed = bypassed;
    for (const auto& c : d->controls)
        if (!c.isOutput())
            fx.values.push_back({c.path, double(c.init)});
    for (auto* p : values.getChildWithTagNameIterator(childTag))
    {
        const auto path = p->getStringAttribute(pathAttribute);
        const auto number = finiteNumberAttribute(*p, "value", std::nullopt);
        if (!number)
        {
            error = "effect '" + id + "': parameter '" + path + "' has no number";
            return false;
        }
        for (size_t i = 0, k = 0; i < d->controls.size(); ++i)
        {
            const auto& c = d->controls[i];
            if (c.isOutput())
                continue;
            if (c.path == path.toStdString())
            {
                // A value outside the control's range is damage, not something to clamp silently.
                // The range is the control's ParamSpec, as everywhere else.
                if (const auto spec = paramSpecOf(c); !spec.contains(*number))
                {
                    error = "effect '" + id + "': parameter '" + path + "' = " + juce::String(*number)
                          + " is outside " + juce::String(spec.format(spec.min)) + ".."
                          + juce::String(spec.format(spec.max));
                    return false;
                }
                fx.values[k].value = *number;
            }
            ++k;
        }
    }
    out = std::move(fx);
    return true;
}
} // namespace

bool readChainXml(const juce::XmlElement& xml, ChainState& out, juce::String& error)
{
    const bool current = xml.hasTagName(kChainTag);
    const bool version1 = xml.hasTagName("ChainPanel");
    const bool engineV0 = xml.hasTagName("EffectChain");
    if (!current && !version1 && !engineV0)
    {
        error = "not an effect chain (expected <Chain>, found <" + xml.getTagName() + ">)";
        return false;
    }
    ChainState chain;
    std::vector<std::string> ids;
    for (auto* e : xml.getChildWithTagNameIterator("Effect"))
    {
        const auto id = e->getStringAttribute("id");
        const bool bypassed = e->getBoolAttribute("bypassed");
        EffectState fx;
        if (engineV0)
        {
            // <Effect id bypassed state="base64 of <FaustEffect><control path value/>...">.
            juce::MemoryBlock state;
            std::unique_ptr<juce::XmlElement> inner;
            std::string unknown;
            if (!resolveEffect(id.toStdString(), unknown))
            {
                error = "unknown effect '" + id + "'";
                return false;
            }
            if (!state.fromBase64Encoding(e->getStringAttribute("state"))
                || (inner = juce::AudioProcessor::getXmlFromBinary(state.getData(), int(state.getSize()))) == nullptr
                || !inner->hasTagName("FaustEffect"))
            {
                error = "the state of effect '" + id + "' is damaged";
                return false;
            }
            if (!readEffect(id, bypassed, *inner, "control", "path", fx, error))
                return false;
        }
        else if (!readEffect(id, bypassed, *e, version1 ? "param" : "Param", version1 ? "name" : "path", fx, error))
            return false;
        ids.push_back(instanceBaseName(fx.effectId)); // a .dsp file is named by its stem
        chain.effects.push_back(std::move(fx));
    }
    if (chain.effects.size() > size_t(EffectChainNode::kMaxSlots))
    {
        error = "too many effects (" + juce::String(int(chain.effects.size())) + "; at most "
              + juce::String(EffectChainNode::kMaxSlots) + ")";
        return false;
    }
    const auto names = instanceNames(ids);
    for (size_t i = 0; i < names.size(); ++i)
        chain.effects[i].instance = names[i];
    out = std::move(chain);
    return true;
}

std::unique_ptr<juce::XmlElement> writeGeneratorXml(const GeneratorState& g)
{
    auto xml = std::make_unique<juce::XmlElement>(kGeneratorTag);
    xml->setAttribute("kind", juce::String(std::string(signalKindName(g.kind))));
    xml->setAttribute("freq", g.freq());
    xml->setAttribute("freqTo", g.freqTo);
    xml->setAttribute("toneFreq", g.toneHz);
    xml->setAttribute("sweepFrom", g.sweepFromHz);
    xml->setAttribute("levelDb", g.levelDb);
    xml->setAttribute("mode", g.mode == LevelMode::rms ? "rms" : "peak");
    xml->setAttribute("sweepSeconds", g.sweepSeconds);
    xml->setAttribute("fadeSeconds", g.fadeSeconds);
    xml->setAttribute("sweepRepeat", g.sweepRepeat);
    xml->setAttribute("periodSeconds", g.impulsePeriodSeconds);
    xml->setAttribute("impulseRepeat", g.impulseRepeat);
    xml->setAttribute("seed", juce::String(static_cast<juce::int64>(g.seed)));
    xml->setAttribute("routing", g.routingMask);
    xml->setAttribute("invert", g.invertMask);
    xml->setAttribute("running", g.running);
    return xml;
}

bool readGeneratorXml(const juce::XmlElement& xml, GeneratorState& out, juce::String& error)
{
    if (!xml.hasTagName(kGeneratorTag) && !xml.hasTagName("GeneratorPanel")) // GeneratorPanel: version 1
    {
        error = "not a generator state (expected <Generator>, found <" + xml.getTagName() + ">)";
        return false;
    }
    const GeneratorState defaults;
    const auto kindName = xml.getStringAttribute("kind", "sine");
    const auto kind = parseSignalKind(kindName.toStdString());
    // Absent: the default; present but not a number: NaN, refused below.
    const auto number = [&xml](const char* name, double fallback)
    { return finiteNumberAttribute(xml, name, fallback).value_or(std::nan("")); };
    // A preset from before the two were kept apart has only "freq": the saved kind's.
    const bool savedSweep = kind && isSweep(*kind);
    const double freq = number("freq", savedSweep ? defaults.sweepFromHz : defaults.toneHz);
    GeneratorState g;
    g.toneHz = number("toneFreq", savedSweep ? defaults.toneHz : freq);
    g.sweepFromHz = number("sweepFrom", savedSweep ? freq : defaults.sweepFromHz);
    g.freqTo = number("freqTo", defaults.freqTo);
    g.levelDb = number("levelDb", defaults.levelDb);
    g.sweepSeconds = number("sweepSeconds", defaults.sweepSeconds);
    g.fadeSeconds = number("fadeSeconds", defaults.fadeSeconds);
    g.impulsePeriodSeconds = number("periodSeconds", defaults.impulsePeriodSeconds);
    const double seed = number("seed", static_cast<double>(defaults.seed));
    const auto mode = xml.getStringAttribute("mode", "peak");
    const auto& freqSpec = generatorParamSpecs().freq;
    const auto& seedSpec = generatorParamSpecs().seed;
    juce::String why;
    if (!kind)
        why = "unknown signal '" + kindName + "'";
    else if (!freqSpec.contains(freq))
        why = "frequency " + juce::String(freq) + " Hz is not in " + juce::String(freqSpec.min) + "-"
            + juce::String(freqSpec.max) + " Hz";
    else if (!(seedSpec.contains(seed) && seed == std::floor(seed)))
        why = "seed " + juce::String(seed) + " is not an integer in " + juce::String(seedSpec.min, 0) + ".."
            + juce::String(seedSpec.max, 0);
    else if (mode != "peak" && mode != "rms")
        why = "unknown level mode '" + mode + "'";
    else
    {
        g.kind = *kind;
        g.seed = static_cast<std::uint64_t>(seed);
        why = juce::String(generatorStateProblem(g));
    }
    if (why.isNotEmpty())
    {
        error = "generator: " + why;
        return false;
    }
    g.mode = mode == "rms" ? LevelMode::rms : LevelMode::peak;
    g.sweepRepeat = xml.getBoolAttribute("sweepRepeat", defaults.sweepRepeat);
    g.impulseRepeat = xml.getBoolAttribute("impulseRepeat", defaults.impulseRepeat);
    g.routingMask = xml.getIntAttribute("routing", defaults.routingMask) & 0xff;
    g.invertMask = xml.getIntAttribute("invert", defaults.invertMask) & 0xff;
    g.running = xml.getBoolAttribute("running", false);
    out = g;
    return true;
}

namespace
{
/// A channel mask as JUCE writes a BigInteger in base 2 (highest channel first: "11" = 1 and 2).
juce::String channelBits(std::uint64_t mask)
{
    return mask == 0 ? juce::String("0") : juce::String(std::bitset<64>(mask).to_string()).trimCharactersAtStart("0");
}

/// The inverse; nullopt unless at most 64 characters, each '0' or '1'.
std::optional<std::uint64_t> parseChannelBits(const juce::String& text)
{
    if (text.isEmpty() || text.length() > 64 || !text.containsOnly("01"))
        return std::nullopt;
    return std::bitset<64>(text.toStdString()).to_ullong();
}

/// The shared check of both device forms: the names and numbers read, against deviceParamSpecs.
bool finishDevice(const juce::String& type, const juce::String& output, const juce::String& input,
                  const juce::String& inBits, const juce::String& outBits, std::optional<double> rate,
                  std::optional<double> buffer, DeviceState& out, juce::String& error)
{
    DeviceState d;
    d.type = type.toStdString();
    d.outputName = output.toStdString();
    d.inputName = input.toStdString();
    const auto in = parseChannelBits(inBits);
    const auto outs = parseChannelBits(outBits);
    juce::String why;
    if (!in || !outs)
        why = "a channel list that is not up to 64 '0'/'1' (\"" + (in ? outBits : inBits).substring(0, 80) + "\")";
    else if (!rate)
        why = "a sample rate that is not a number";
    else if (!buffer || *buffer != std::floor(*buffer) || std::abs(*buffer) > 1.0e9)
        why = "a buffer size that is not a whole number";
    else
    {
        d.inputChannels = *in;
        d.outputChannels = *outs;
        d.sampleRate = *rate;
        d.bufferSize = int(*buffer);
        why = juce::String(deviceStateProblem(d));
    }
    if (why.isNotEmpty())
    {
        error = "device: " + why;
        return false;
    }
    out = std::move(d);
    return true;
}
} // namespace

std::unique_ptr<juce::XmlElement> writeDeviceXml(const DeviceState& d)
{
    auto xml = std::make_unique<juce::XmlElement>(kDeviceTag);
    xml->setAttribute("type", juce::String(d.type));
    xml->setAttribute("output", juce::String(d.outputName));
    xml->setAttribute("input", juce::String(d.inputName));
    xml->setAttribute("inputChannels", channelBits(d.inputChannels));
    xml->setAttribute("outputChannels", channelBits(d.outputChannels));
    xml->setAttribute("rate", d.sampleRate);
    xml->setAttribute("buffer", d.bufferSize);
    return xml;
}

bool readDeviceXml(const juce::XmlElement& xml, DeviceState& out, juce::String& error)
{
    if (!xml.hasTagName(kDeviceTag))
    {
        error = "not a device (expected <Device>, found <" + xml.getTagName() + ">)";
        return false;
    }
    return finishDevice(xml.getStringAttribute("type"), xml.getStringAttribute("output"),
                        xml.getStringAttribute("input"), xml.getStringAttribute("inputChannels", "11"),
                        xml.getStringAttribute("outputChannels", "11"), finiteNumberAttribute(xml, "rate", 0.0),
                        finiteNumberAttribute(xml, "buffer", 0.0), out, error);
}

bool deviceStateFromJuceXml(const juce::XmlElement& xml, DeviceState& out, juce::String& error)
{
    if (!xml.hasTagName("DEVICESETUP"))
    {
        error = "not JUCE's device state (expected <DEVICESETUP>, found <" + xml.getTagName() + ">)";
        return false;
    }
    // JUCE leaves the channel lists out when they are its defaults: the first two, as we open.
    return finishDevice(xml.getStringAttribute("deviceType"), xml.getStringAttribute("audioOutputDeviceName"),
                        xml.getStringAttribute("audioInputDeviceName"),
                        xml.getStringAttribute("audioDeviceInChans", "11"),
                        xml.getStringAttribute("audioDeviceOutChans", "11"),
                        finiteNumberAttribute(xml, "audioDeviceRate", 0.0),
                        finiteNumberAttribute(xml, "audioDeviceBufferSize", 0.0), out, error);
}

std::unique_ptr<juce::XmlElement> writeSessionXml(const GeneratorState& generator, const ChainState& chain,
                                                  const DeviceState* device)
{
    auto xml = std::make_unique<juce::XmlElement>(kSessionTag);
    xml->setAttribute("schema", kSchema);
    xml->addChildElement(writeGeneratorXml(generator).release());
    xml->addChildElement(writeChainXml(chain).release());
    if (device != nullptr)
        xml->addChildElement(writeDeviceXml(*device).release());
    return xml;
}

namespace
{
/// The schema of a session file (1 for a version 1 file, which says version="1" and has no
/// schema); 0 with the reason when it is not a session or not one this build reads.
int sessionSchema(const juce::XmlElement& xml, juce::String& error)
{
    if (!xml.hasTagName(kSessionTag))
    {
        error = "not a Wavebench preset (expected <WavebenchSession>)";
        return 0;
    }
    const int schema = xml.hasAttribute("schema") ? xml.getIntAttribute("schema", -1) : 1;
    if (schema > kSchema)
    {
        error = "the preset was written by a newer Wavebench (schema " + xml.getStringAttribute("schema")
              + "; this version reads up to " + juce::String(kSchema) + ")";
        return 0;
    }
    if (schema < 1)
    {
        error = "the preset's schema '" + xml.getStringAttribute("schema") + "' is not a version number";
        return 0;
    }
    return schema;
}
} // namespace

bool readSessionDevice(const juce::XmlElement& xml, std::optional<DeviceState>& out, juce::String& error)
{
    const int schema = sessionSchema(xml, error);
    if (schema == 0)
        return false;
    out.reset();
    if (const auto* d = xml.getChildByName(kDeviceTag); d != nullptr && schema >= 3)
    {
        DeviceState device;
        if (!readDeviceXml(*d, device, error))
            return false;
        out = std::move(device);
    }
    return true;
}

bool readSessionXml(const juce::XmlElement& xml, Session& out, juce::String& error)
{
    const int schema = sessionSchema(xml, error);
    if (schema == 0)
        return false;
    std::optional<DeviceState> device;
    if (!readSessionDevice(xml, device, error))
        return false;
    const auto* gen = xml.getChildByName(schema == 1 ? "GeneratorPanel" : kGeneratorTag);
    const auto* fx = xml.getChildByName(schema == 1 ? "ChainPanel" : kChainTag);
    if (gen == nullptr || fx == nullptr)
    {
        error = "the preset lacks its generator or its effect chain";
        return false;
    }
    ChainState chain;
    if (!readChainXml(*fx, chain, error))
        return false;
    GeneratorState generator;
    if (!readGeneratorXml(*gen, generator, error))
        return false;
    out.generator = generator;
    out.chain = std::move(chain);
    out.device = std::move(device);
    out.schema = schema;
    return true;
}
} // namespace wb::session
