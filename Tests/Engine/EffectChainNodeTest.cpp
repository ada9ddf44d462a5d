// The effect chain edited while audio runs: no clicks, no allocation or lock on the audio thread,
// the right order in the end, and a saved chain that restores to bit-identical output.
#include "Support/EffectHarness.h"
#include "Support/RealtimeGuard.h"

#include "Core/Realtime/CommandDispatcher.h"
#include "Core/Realtime/CommandQueue.h"
#include "Engine/EffectChainNode.h"
#include "Engine/SessionFile.h"

#include <catch2/catch.hpp>

using namespace wb::test;

namespace
{
constexpr int kBlock = 128;

struct Rig
{
    wb::EffectChainNode chain;
    wb::CommandQueue queue;
    wb::CommandDispatcher dispatcher;
    wb::test::RealtimeCounts violations;
    std::vector<float> out; // left channel, everything processed so far
    size_t position = 0;

    Rig()
    {
        REQUIRE(chain.registerWith(dispatcher));
        chain.prepareToPlay(48000.0, kBlock);
    }

    /// Runs `blocks` blocks of a 100 Hz sine (0.5 peak), as the engine's callback would.
    void run(int blocks)
    {
        juce::AudioBuffer<float> buf(2, kBlock);
        juce::MidiBuffer midi;
        for (int b = 0; b < blocks; ++b)
        {
            for (int i = 0; i < kBlock; ++i)
            {
                const auto v = float(0.5 * std::sin(2.0 * M_PI * 100.0 * double(position + size_t(i)) / 48000.0));
                buf.setSample(0, i, v);
                buf.setSample(1, i, v);
            }
            {
                wb::test::RealtimeGuard guard;
                (void) dispatcher.dispatchOnAudio(queue);
                chain.processBlock(buf, midi);
                violations += guard.counts();
            }
            out.insert(out.end(), buf.getReadPointer(0), buf.getReadPointer(0) + kBlock);
            position += kBlock;
        }
    }

    [[nodiscard]] float largestStep(size_t* where = nullptr) const
    {
        float worst = 0.0f;
        for (size_t i = 1; i < out.size(); ++i)
            if (std::abs(out[i] - out[i - 1]) > worst)
            {
                worst = std::abs(out[i] - out[i - 1]);
                if (where != nullptr)
                    *where = i;
            }
        return worst;
    }
};

// A 100 Hz sine of 0.5 peak moves at most 2*pi*100/48000*0.5 = 0.0065 per sample; a click from
// an abrupt edit (a -12 dB gain switched in, a filter swapped) would jump by 0.1 or more.
constexpr float kNoClick = 0.012f;
} // namespace

TEST_CASE("effects are added, bypassed, reordered and removed while audio runs, without clicks",
          "[engine][faust][rt][nosan]")
{
    Rig rig;
    rig.run(10);
    const auto gain = rig.chain.addEffectFromUi("gain");
    REQUIRE(gain != 0);
    REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(gain, 0, -12.0)));
    const auto lp = rig.chain.addEffectFromUi("lowpass", 0);
    // (Not a delay or reverb here: inserted live, their line starts empty, so their first echo
    // begins abruptly one delay time later, as a hardware unit patched in would.)
    const auto delay = rig.chain.addEffectFromUi("compressor", 2);
    REQUIRE(lp != 0);
    REQUIRE(delay != 0);
    rig.run(40);
    CHECK(rig.chain.activeCountOnAudio() == 3);
    REQUIRE(rig.chain.slotsFromUi().size() == 3);
    CHECK(rig.chain.slotsFromUi()[0].effectId == "lowpass");
    CHECK(rig.chain.slotsFromUi()[1].effectId == "gain");
    CHECK(rig.chain.slotsFromUi()[2].effectId == "compressor");

    REQUIRE(rig.queue.pushFromUi(wb::Command::setBypass(gain, true)));
    rig.chain.noteBypassFromUi(gain, true);
    rig.run(20);
    REQUIRE(rig.chain.moveEffectFromUi(delay, 0));
    rig.run(30);
    CHECK(rig.chain.slotsFromUi()[0].effectId == "compressor");
    REQUIRE(rig.chain.removeEffectFromUi(lp));
    REQUIRE(rig.chain.removeEffectFromUi(gain));
    rig.run(30);
    CHECK(rig.chain.activeCountOnAudio() == 1);
    CHECK(rig.chain.collectGarbageFromUi() == 2);
    CHECK(rig.chain.slotsFromUi().size() == 1);

    size_t where = 0;
    INFO("largest sample-to-sample step " << rig.largestStep(&where) << " at sample " << where);
    CHECK(rig.largestStep() < kNoClick);
    INFO(rig.violations.describe());
    CHECK(rig.violations.clean());
}

TEST_CASE("a saved chain restores to bit-identical output", "[engine][faust]")
{
    // Values go through the chain's model (it owns them; saving reads it, never a zone): here as
    // the values the effects are created with, so that `a` runs them from its first sample.
    wb::session::ChainState state;
    {
        wb::EffectChainNode scratch;
        REQUIRE(scratch.addEffectFromUi("parametriceq") != 0);
        REQUIRE(scratch.addEffectFromUi("compressor") != 0);
        state = scratch.chainStateFromUi();
    }
    Rig a;
    const auto set = [](wb::session::EffectState& fx, const std::string& pathEnd, double v)
    {
        for (auto& p : fx.values)
            if (juce::String(p.path).endsWith(juce::String(pathEnd)))
                p.value = v;
    };
    set(state.effects[0], "peak 1 gain", 9.0);
    set(state.effects[1], "threshold", -30.0);
    juce::String restoreError;
    REQUIRE(a.chain.restoreFromUi(state, restoreError));
    REQUIRE(a.chain.slotsFromUi()[0].node->controlOnAudio(a.chain.slotsFromUi()[0].node->findControl("peak 1 gain")) == 9.0f);
    REQUIRE(a.chain.slotsFromUi()[1].node->controlOnAudio(a.chain.slotsFromUi()[1].node->findControl("threshold")) == -30.0f);
    const auto xml = a.chain.saveStateFromUi();
    REQUIRE(xml != nullptr);

    Rig b;
    juce::String error;
    REQUIRE(b.chain.restoreStateFromUi(*xml, error));
    a.run(50);
    b.run(50);
    CHECK(a.out == b.out);
    CHECK(b.chain.slotsFromUi().size() == 2);
    CHECK(b.chain.slotsFromUi()[1].effectId == "compressor");

    // A damaged or foreign chain is refused and leaves the chain as it was.
    juce::XmlElement bad("Chain");
    bad.createNewChildElement("Effect")->setAttribute("id", "no-such-effect");
    CHECK_FALSE(b.chain.restoreStateFromUi(bad, error));
    CHECK(error.contains("no-such-effect"));
    CHECK(b.chain.slotsFromUi().size() == 2);
    CHECK_FALSE(b.chain.restoreStateFromUi(juce::XmlElement("Preset"), error));
}

TEST_CASE("a chain built in place runs whole from its first sample and takes commands on their samples",
          "[engine][faust][rt][nosan]")
{
    // The offline path (Cli/OfflineChain): every effect in place before the first sample, no
    // insert crossfade, commands routed by NodeId at their offsets; all of it without allocating.
    const auto* gainFx = wb::session::catalogueDescription("gain");
    REQUIRE(gainFx != nullptr);
    REQUIRE(gainFx->controls.size() == 1); // Faust/Gain.dsp: one slider, "gain" in dB
    const auto path = gainFx->controls[0].path;
    wb::session::ChainState state;
    state.effects.push_back({"gain", "gain", false, {{path, -6.0}}});
    state.effects.push_back({"gain#2", "gain", true, {{path, -40.0}}}); // bypassed: the identity
    wb::EffectChainNode chain;
    chain.prepareToPlay(48000.0, kBlock);
    juce::String error;
    REQUIRE(chain.buildInPlaceFromUi(state, error));
    CHECK(chain.activeCountOnAudio() == 2);
    CHECK(chain.pendingEditsOnAudio() == 0);
    REQUIRE(chain.slotsFromUi().size() == 2);
    const auto first = chain.slotsFromUi()[0].id;
    const int gainIndex = chain.slotsFromUi()[0].node->findControl("gain");
    REQUIRE(gainIndex >= 0);
    CHECK_FALSE(chain.buildInPlaceFromUi(state, error)); // only an empty chain is built in place
    CHECK(chain.slotsFromUi().size() == 2);

    juce::AudioBuffer<float> buf(2, kBlock);
    juce::MidiBuffer midi;
    std::vector<float> out;
    wb::test::RealtimeCounts violations;
    for (int b = 0; b < 2; ++b)
    {
        for (int ch = 0; ch < 2; ++ch)
            juce::FloatVectorOperations::fill(buf.getWritePointer(ch), 0.5f, kBlock);
        {
            wb::test::RealtimeGuard guard;
            if (b == 1) // -20 dB from sample 10 of the second block, a step
                wb::EffectChainNode::handleCommandOnAudio(
                    &chain, wb::Command::setParameter(first, static_cast<std::uint32_t>(gainIndex), -20.0, 10, 0.0));
            chain.processBlock(buf, midi);
            violations += guard.counts();
        }
        out.insert(out.end(), buf.getReadPointer(1), buf.getReadPointer(1) + kBlock);
    }
    const double minus6 = 0.5 * std::pow(10.0, -6.0 / 20.0), minus20 = 0.5 * std::pow(10.0, -20.0 / 20.0);
    for (size_t i = 0; i < out.size(); ++i)
    {
        INFO("sample " << i);
        REQUIRE(out[i] == Approx(i < size_t(kBlock) + 10 ? minus6 : minus20).epsilon(1e-6));
    }
    INFO(violations.describe());
    CHECK(violations.clean());
}
