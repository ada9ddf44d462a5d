// The session model and its one file format: files saved by the build before the change (a
// version 1 preset, the session kept in the settings, the engine's <EffectChain>) load through the
// migration and give bit-identical audio to what that build made; the model owns every value and
// the saved chain comes from it; damaged files are refused with a reason and change nothing.
#include "Core/Realtime/CommandQueue.h"
#include "Core/Session/ChainStateJson.h"
#include "Engine/EffectChainNode.h"
#include "Engine/SessionFile.h"
#include "Faust/FaustCatalogue.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace
{
constexpr int kBlock = 128;
const std::string kDir = std::string(WB_TEST_DATA_DIR) + "/sessions/";

std::unique_ptr<juce::XmlElement> parse(const std::string& name)
{
    auto xml = juce::parseXML(juce::File(kDir + name));
    REQUIRE(xml != nullptr);
    return xml;
}

/// The session inside a settings file (<PROPERTIES><VALUE name="session">...).
std::unique_ptr<juce::XmlElement> sessionInSettings(const std::string& name)
{
    const auto settings = parse(name);
    for (auto* v : settings->getChildWithTagNameIterator("VALUE"))
        if (v->getStringAttribute("name") == "session" && v->getFirstChildElement() != nullptr)
            return std::make_unique<juce::XmlElement>(*v->getFirstChildElement());
    FAIL("no session in " << name);
    return nullptr;
}

/// The fixed signal of Tests/Data/sessions/README.md through `chain` (150 blocks, interleaved).
std::vector<float> render(wb::EffectChainNode& chain)
{
    chain.prepareToPlay(48000.0, kBlock);
    juce::AudioBuffer<float> buf(2, kBlock);
    juce::MidiBuffer midi;
    std::vector<float> out;
    for (int b = 0; b < 150; ++b)
    {
        for (int i = 0; i < kBlock; ++i)
        {
            const double t = double(b * kBlock + i) / 48000.0;
            buf.setSample(0, i, float(0.3 * std::sin(2 * M_PI * 110.0 * t) + 0.3 * std::sin(2 * M_PI * 1500.0 * t)));
            buf.setSample(1, i, float(0.5 * std::sin(2 * M_PI * 5000.0 * t) + (b % 40 == 0 && i == 0 ? 0.4 : 0.0)));
        }
        chain.processBlock(buf, midi);
        for (int i = 0; i < kBlock; ++i)
        {
            out.push_back(buf.getSample(0, i));
            out.push_back(buf.getSample(1, i));
        }
    }
    return out;
}

std::vector<float> reference()
{
    juce::MemoryBlock data;
    REQUIRE(juce::File(kDir + "reference.f32").loadFileAsData(data));
    std::vector<float> v(data.getSize() / sizeof(float));
    std::memcpy(v.data(), data.getData(), v.size() * sizeof(float));
    return v;
}

/// Index of the first sample where a and b differ (a.size() when none).
size_t firstDifference(const std::vector<float>& a, const std::vector<float>& b)
{
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0)
            return i;
    return a.size() == b.size() ? a.size() : std::min(a.size(), b.size());
}

double valueOf(const wb::session::EffectState& fx, const std::string& pathEnd)
{
    for (const auto& p : fx.values)
        if (juce::String(p.path).endsWith(juce::String(pathEnd)))
            return p.value;
    FAIL("no parameter ending in " << pathEnd);
    return 0.0;
}
} // namespace

TEST_CASE("session files of the previous build load and give bit-identical audio", "[engine][session][preset]")
{
    const auto expected = reference();
    REQUIRE(expected.size() == size_t(150 * kBlock * 2));

    wb::session::Session preset, kept;
    juce::String error;
    REQUIRE(wb::session::readSessionXml(*parse("v1-preset.wbpreset"), preset, error));
    INFO(error);
    REQUIRE(wb::session::readSessionXml(*sessionInSettings("v1-settings.settings"), kept, error));
    // The settings as the build before schema 3 left them (schema 2, no <Device>: JUCE's device
    // state apart), with the same session.
    wb::session::Session kept2;
    REQUIRE(wb::session::readSessionXml(*sessionInSettings("v2-settings.settings"), kept2, error));
    CHECK(kept2.schema == 2);
    CHECK_FALSE(kept2.device.has_value());
    CHECK(kept2.generator == preset.generator);
    CHECK(kept2.chain == preset.chain);
    wb::session::ChainState engineChain;
    REQUIRE(wb::session::readChainXml(*parse("v0-effectchain.xml"), engineChain, error));
    CHECK(preset.schema == 1);

    // What the old build saved, by name (not defaults that happen to agree).
    const auto& fx = preset.chain.effects;
    REQUIRE(fx.size() == 3);
    CHECK(fx[0].instance == "lowpass");
    CHECK(fx[1].effectId == "delay");
    CHECK(fx[1].bypassed);
    CHECK_FALSE(fx[0].bypassed);
    CHECK(valueOf(fx[0], "cutoff") == 2000.0);
    CHECK(valueOf(fx[1], "time") == 120.0);
    CHECK(valueOf(fx[1], "feedback") == 40.0);
    CHECK(valueOf(fx[2], "threshold") == -30.0);
    // The generator's settings, each as the old build wrote it in <GeneratorPanel>.
    const auto& g = preset.generator;
    CHECK(g.kind == wb::SignalKind::saw);
    CHECK(g.freq() == 440.0);
    CHECK(g.toneHz == 440.0);
    CHECK(g.sweepFromHz == 20.0);
    CHECK(g.freqTo == 20000.0);
    CHECK(g.levelDb == -12.0);
    CHECK(g.mode == wb::LevelMode::peak);
    CHECK(g.sweepSeconds == 2.0);
    CHECK(g.fadeSeconds == 0.01);
    CHECK(g.sweepRepeat);
    CHECK(g.impulsePeriodSeconds == 0.5);
    CHECK(g.impulseRepeat);
    CHECK(g.seed == 1u);
    CHECK(g.routingMask == 3);
    CHECK(g.invertMask == 0);
    CHECK(g.running);
    CHECK(kept.generator == preset.generator);
    // The three files describe one chain.
    CHECK(kept.chain == preset.chain);
    CHECK(engineChain == preset.chain);

    // Each loads into a chain that makes the old build's audio, sample for sample; so does the same
    // chain saved in today's format and read back, and the chain restored from a document.
    const auto current = wb::session::writeSessionXml(preset.generator, preset.chain);
    wb::session::Session again;
    REQUIRE(wb::session::readSessionXml(*current, again, error));
    CHECK(again.schema == wb::session::kSchema);
    CHECK(again.chain == preset.chain);
    CHECK(again.generator == preset.generator);
    CHECK(current->getChildByName("Generator")->getDoubleAttribute("freq") == 440.0);
    for (const auto* state : {&preset.chain, &kept.chain, &kept2.chain, &engineChain, &again.chain})
    {
        wb::EffectChainNode chain;
        REQUIRE(chain.restoreFromUi(*state, error));
        const auto out = render(chain);
        const auto at = firstDifference(out, expected);
        INFO("first difference at sample " << at);
        CHECK(at == expected.size());
        CHECK(chain.chainStateFromUi() == preset.chain);
    }
    wb::EffectChainNode fromDocument;
    REQUIRE(fromDocument.restoreStateFromUi(*parse("v0-effectchain.xml"), error));
    CHECK(firstDifference(render(fromDocument), expected) == expected.size());

    // And the audio depends on the values: the same effects at their defaults sound different.
    auto defaults = preset.chain;
    for (auto& e : defaults.effects)
        e.values.clear();
    wb::EffectChainNode plain;
    REQUIRE(plain.restoreFromUi(defaults, error));
    CHECK(firstDifference(render(plain), expected) < expected.size());
}

TEST_CASE("the chain model owns every value: one call clamps, records and sends, and saving reads the model",
          "[engine][session]")
{
    wb::CommandQueue queue;
    wb::EffectChainNode chain;
    chain.setCommandQueue(&queue);
    chain.prepareToPlay(48000.0, kBlock);
    const auto lp = chain.addEffectFromUi("lowpass");
    REQUIRE(lp != 0);
    const auto& slot = chain.slotsFromUi().front();
    const int cutoff = slot.node->findControl("cutoff");
    REQUIRE(cutoff >= 0);
    const auto& c = slot.node->description().controls[size_t(cutoff)];
    CHECK(slot.values[size_t(cutoff)] == c.init); // the model starts at the defaults

    // Beyond the range: clamped once, recorded and sent clamped.
    REQUIRE(chain.setParameterFromUi(lp, cutoff, 1.0e9f));
    CHECK(chain.slotsFromUi().front().values[size_t(cutoff)] == c.max);
    wb::Command sent;
    REQUIRE(queue.popOnAudio(sent));
    CHECK(sent.type == wb::CommandType::setParameter);
    CHECK(sent.target == lp);
    CHECK(sent.index == std::uint32_t(cutoff));
    CHECK(sent.value == double(c.max));
    REQUIRE(chain.setParameterFromUi(lp, cutoff, 1234.0f));
    REQUIRE(queue.popOnAudio(sent));
    CHECK(sent.value == Approx(1234.0));

    // The audio thread has not run, so the zone still holds the default: saving reads the model.
    CHECK(slot.node->controlOnAudio(cutoff) == c.init);
    const auto saved = chain.chainStateFromUi();
    REQUIRE(saved.effects.size() == 1);
    CHECK(valueOf(saved.effects[0], "cutoff") == Approx(1234.0));

    REQUIRE(chain.setBypassFromUi(lp, true));
    CHECK(chain.slotsFromUi().front().bypassed);
    REQUIRE(queue.popOnAudio(sent));
    CHECK(sent.type == wb::CommandType::setBypass);
    CHECK(sent.bypassed());
    CHECK(chain.chainStateFromUi().effects[0].bypassed);

    // Unknown effects and controls, and bargraphs (outputs), are refused and send nothing.
    CHECK_FALSE(chain.setParameterFromUi(lp + 77, cutoff, 1.0f));
    CHECK_FALSE(chain.setParameterFromUi(lp, 999, 1.0f));
    CHECK_FALSE(chain.setBypassFromUi(lp + 77, true));
    const auto comp = chain.addEffectFromUi("compressor");
    const auto& cd = chain.slotsFromUi()[1].node->description().controls;
    for (size_t i = 0; i < cd.size(); ++i)
        if (cd[i].isOutput())
            CHECK_FALSE(chain.setParameterFromUi(comp, int(i), 1.0f));
    CHECK_FALSE(queue.popOnAudio(sent));

    // The saved document is the session file's <Chain>; it reads back to the same model.
    const auto xml = chain.saveStateFromUi();
    CHECK(xml->hasTagName("Chain"));
    wb::EffectChainNode other;
    juce::String error;
    REQUIRE(other.restoreStateFromUi(*xml, error));
    CHECK(other.chainStateFromUi() == chain.chainStateFromUi());
}

TEST_CASE("repeated effects get instance names as on the command line", "[engine][session]")
{
    CHECK(wb::session::instanceNames({"gain", "lowpass", "gain", "gain"})
          == std::vector<std::string>{"gain", "lowpass", "gain#2", "gain#3"});
    wb::EffectChainNode chain;
    chain.prepareToPlay(48000.0, kBlock);
    REQUIRE(chain.addEffectFromUi("delay") != 0);
    REQUIRE(chain.addEffectFromUi("delay") != 0);
    const auto xml = chain.saveStateFromUi();
    REQUIRE(xml->getNumChildElements() == 2);
    CHECK(xml->getChildElement(0)->getStringAttribute("instance") == "delay");
    CHECK(xml->getChildElement(1)->getStringAttribute("instance") == "delay#2");
}

TEST_CASE("the JSON form of the chain (the render sidecar's) is the same description", "[engine][session]")
{
    wb::session::Session preset;
    juce::String error;
    REQUIRE(wb::session::readSessionXml(*parse("v1-preset.wbpreset"), preset, error));
    const auto j = wb::session::toJson(preset.chain);
    REQUIRE(j.size() == 3);
    CHECK(j[1]["instance"] == "delay");
    CHECK(j[1]["effect"] == "delay");
    CHECK(j[1]["bypassed"] == true);
    CHECK(j[1]["values"]["Delay/time"].get<double>() == 120.0);
    CHECK(j[2]["values"]["Compressor/threshold"].get<double>() == -30.0);
    CHECK(j[2]["values"].size() == preset.chain.effects[2].values.size());
}

TEST_CASE("each catalogue effect is described once, from its Faust UI, without values", "[engine][session]")
{
    for (const auto& entry : wb::faust::catalogue())
    {
        INFO(entry.id);
        const auto* d = wb::session::catalogueDescription(entry.id);
        REQUIRE(d != nullptr);
        CHECK(wb::session::catalogueDescription(entry.id) == d); // cached, not rebuilt
        // The same controls as an instance describes (an independent description of a new one).
        const auto instance = entry.create();
        const auto fresh = wb::describeFaustDsp(*instance);
        REQUIRE(d->controls.size() == fresh.controls.size());
        for (size_t i = 0; i < fresh.controls.size(); ++i)
        {
            CHECK(d->controls[i].path == fresh.controls[i].path);
            CHECK(d->controls[i].min == fresh.controls[i].min);
            CHECK(d->controls[i].max == fresh.controls[i].max);
            CHECK(d->controls[i].init == fresh.controls[i].init);
            CHECK(d->controls[i].zone == nullptr);
        }
    }
    CHECK(wb::session::catalogueDescription("no-such-effect") == nullptr);
}

TEST_CASE("a damaged session or chain is refused with its reason and changes nothing", "[engine][session][preset]")
{
    const auto good = parse("v1-preset.wbpreset");
    wb::session::Session base;
    juce::String error;
    REQUIRE(wb::session::readSessionXml(*good, base, error));
    const auto current = wb::session::writeSessionXml(base.generator, base.chain);

    struct Case
    {
        const char* what;
        std::function<void(juce::XmlElement&)> damage;
        const char* reason;
        bool inChain = true; ///< the damage is inside <Chain>: a chain node refuses it too
    };
    const auto param = [](juce::XmlElement& x, const char* attribute, const char* value)
    { x.getChildByName("Chain")->getChildElement(0)->getChildByName("Param")->setAttribute(attribute, value); };
    const Case cases[] = {
        {"newer schema", [](juce::XmlElement& x) { x.setAttribute("schema", wb::session::kSchema + 1); }, "newer Wavebench (schema 4", false},
        {"schema not a number", [](juce::XmlElement& x) { x.setAttribute("schema", "two"); }, "not a version number", false},
        {"no generator", [](juce::XmlElement& x) { x.removeChildElement(x.getChildByName("Generator"), true); },
         "lacks its generator or its effect chain", false},
        {"unknown effect", [](juce::XmlElement& x) { x.getChildByName("Chain")->getChildElement(2)->setAttribute("id", "zap"); },
         "unknown effect 'zap'"},
        {"value NaN", [&](juce::XmlElement& x) { param(x, "value", "nan"); }, "has no number"},
        {"value out of range", [&](juce::XmlElement& x) { param(x, "value", "1e7"); }, "is outside"},
        {"too many effects",
         [](juce::XmlElement& x)
         {
             auto* chain = x.getChildByName("Chain");
             while (chain->getNumChildElements() <= wb::EffectChainNode::kMaxSlots)
                 chain->addChildElement(new juce::XmlElement(*chain->getChildElement(0)));
         },
         "too many effects"},
    };
    for (const auto& c : cases)
    {
        DYNAMIC_SECTION(c.what)
        {
            auto copy = std::make_unique<juce::XmlElement>(*current);
            c.damage(*copy);
            wb::session::Session out;
            out.schema = 77;
            error.clear();
            CHECK_FALSE(wb::session::readSessionXml(*copy, out, error));
            INFO(error);
            CHECK(error.contains(c.reason));
            CHECK(out.schema == 77); // untouched
            CHECK(out.chain.effects.empty());
            // A chain node given the damaged chain keeps the one it has.
            if (c.inChain)
            {
                wb::EffectChainNode chain;
                REQUIRE(chain.restoreFromUi(base.chain, error));
                juce::String why;
                CHECK_FALSE(chain.restoreStateFromUi(*copy->getChildByName("Chain"), why));
                CHECK(why.contains(c.reason));
                CHECK(chain.chainStateFromUi() == base.chain);
            }
        }
    }

    // The engine's old format: a state that is not base64 of an effect's XML.
    auto v0 = parse("v0-effectchain.xml");
    v0->getChildElement(1)->setAttribute("state", "12.notbase64!!");
    wb::session::ChainState chain;
    CHECK_FALSE(wb::session::readChainXml(*v0, chain, error));
    CHECK(error.contains("the state of effect 'delay' is damaged"));
    CHECK_FALSE(wb::session::readChainXml(juce::XmlElement("Preset"), chain, error));
    CHECK(error.contains("not an effect chain"));
    CHECK(chain.effects.empty());
}

TEST_CASE("the generator's settings have one writer and one reader and absent attributes take the defaults",
          "[engine][session][generator]")
{
    wb::GeneratorState g;
    g.kind = wb::SignalKind::impulse;
    g.toneHz = 440.0;
    g.sweepFromHz = 55.0;
    g.freqTo = 8000.0;
    g.levelDb = -33.5;
    g.mode = wb::LevelMode::rms;
    g.sweepSeconds = 4.0;
    g.fadeSeconds = 0.125;
    g.sweepRepeat = false;
    g.impulsePeriodSeconds = 0.02;
    g.impulseRepeat = false;
    g.seed = 4294967295u;
    g.routingMask = 1;
    g.invertMask = 2;
    g.running = true;
    const auto xml = wb::session::writeGeneratorXml(g);
    CHECK(xml->hasTagName("Generator"));
    CHECK(xml->getStringAttribute("seed") == "4294967295");
    wb::GeneratorState back;
    juce::String error;
    REQUIRE(wb::session::readGeneratorXml(*xml, back, error));
    CHECK(back == g);

    // Only a kind: everything else is the default.
    juce::XmlElement bare("Generator");
    bare.setAttribute("kind", "sweep-log");
    REQUIRE(wb::session::readGeneratorXml(bare, back, error));
    wb::GeneratorState expected;
    expected.kind = wb::SignalKind::sweepLog;
    CHECK(back == expected);
    // A file from before the tone's and the sweep's frequencies were apart: "freq" is the kind's.
    bare.setAttribute("freq", 100.0);
    REQUIRE(wb::session::readGeneratorXml(bare, back, error));
    CHECK(back.sweepFromHz == 100.0);
    CHECK(back.toneHz == expected.toneHz);

    // Refused, `out` untouched.
    const auto refused = [&](const char* name, const char* value, const char* reason)
    {
        auto damaged = wb::session::writeGeneratorXml(g);
        damaged->setAttribute(name, value);
        wb::GeneratorState out = expected;
        juce::String why;
        CHECK_FALSE(wb::session::readGeneratorXml(*damaged, out, why));
        INFO(name << "=" << value << ": " << why);
        CHECK(why.contains(reason));
        CHECK(out == expected);
    };
    refused("kind", "kazoo", "unknown signal 'kazoo'");
    refused("levelDb", "-300", "level -300");
    refused("levelDb", "loud", "level");
    refused("seed", "1.5", "seed 1.5");
    refused("mode", "loudness", "unknown level mode");
    refused("fadeSeconds", "3", "fade 3");
    refused("sweepFrom", "5", "sweep start 5");
}
