// Hot reload of runtime Faust effects (issue 12): an edited .dsp (or a .lib it imports) is
// recompiled on the cache's worker and replaces the running effect; values are kept by control
// path, vanished ones dropped; a failed compile leaves the old module running and reports the
// file and line; an edit that changes nothing compiled replaces nothing. The chain is driven
// block by block here, as the audio thread would, and its output is checked against the gains
// the programs declare (the analytic answer).
#include "Support/TestFiles.h"

#include "Engine/DspHotReload.h"
#include "Engine/EffectChainNode.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;
using wb::DspHotReload;
using wb::NodeId;

namespace
{
/// Saved as editors save: a new file renamed over the old one.
void save(const fs::path& p, const std::string& text)
{
    const auto tmp = p.string() + ".tmp";
    std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
    fs::rename(tmp, p);
}

struct Rig
{
    fs::path dir = wb::test::freshTempDir("wb-hotreload", "rig");
    wb::EffectChainNode chain;
    DspHotReload reload{chain, std::chrono::milliseconds(50)};
    DspHotReload::Clock::time_point now = DspHotReload::Clock::now();
    juce::AudioBuffer<float> buffer{2, 256};
    juce::MidiBuffer midi;

    Rig()
    {
        ::setenv("WAVEBENCH_FAUST_CACHE", (dir / "cache").c_str(), 1); // before the shared cache's first use
        chain.prepareToPlay(48000.0, 256);
    }

    /// Polls (the app's timer) until an event arrives; the clock moves on 60 ms per poll, so a
    /// file edit settles. Waits for the worker's compile in real time (at most 20 s).
    std::vector<DspHotReload::Event> pollUntilEvent()
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < until)
        {
            auto events = reload.pollFromUi(now += std::chrono::milliseconds(60));
            if (!events.empty())
                return events;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return {};
    }

    /// Runs blocks of a constant 0.5 input (the chain's fades settle in 20 ms), returns the last
    /// output sample of both channels.
    std::pair<float, float> settledOutput()
    {
        for (int block = 0; block < 20; ++block)
        {
            for (int ch = 0; ch < 2; ++ch)
                juce::FloatVectorOperations::fill(buffer.getWritePointer(ch), 0.5f, buffer.getNumSamples());
            chain.processBlock(buffer, midi);
            chain.collectGarbageFromUi();
        }
        return {buffer.getSample(0, 255), buffer.getSample(1, 255)};
    }
};

const char* kVersion1 = R"(declare name "hot";
g = hslider("gain", 0.5, 0, 1, 0.001);
t = hslider("trim", 1, 0, 2, 0.001);
process = *(g*t), *(g*t);
)";
// "trim" is gone, "gain" stays, "boost" is new: output = in * gain * 2 (boost's default).
const char* kVersion2 = R"(declare name "hot";
g = hslider("gain", 0.5, 0, 1, 0.001);
b = hslider("boost", 2, 1, 4, 0.001);
process = *(g*b), *(g*b);
)";
} // namespace

TEST_CASE("hot reload: an edited .dsp replaces the running effect, values kept by path, vanished ones dropped",
          "[faustrt][hotreload]")
{
    Rig rig;
    const auto dsp = rig.dir / "hot.dsp";
    save(dsp, kVersion1);

    rig.reload.addFileFromUi(dsp.string());
    auto events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].kind == DspHotReload::Event::Kind::added);
    const NodeId first = events[0].newId;
    REQUIRE(first != 0);
    CHECK(rig.settledOutput().first == Approx(0.25f).margin(1e-6)); // 0.5 * 0.5 * 1

    // The user moves the sliders: gain 0.8, trim 1.5.
    const auto& slot = rig.chain.slotsFromUi().at(0);
    const int gain = slot.node->findControl("gain"), trim = slot.node->findControl("trim");
    REQUIRE(rig.chain.setParameterFromUi(first, gain, 0.8f)); // the model (no command ring here)
    REQUIRE(rig.chain.setParameterFromUi(first, trim, 1.5f));
    // ... and the commands the engine's dispatcher would hand the chain at the next block.
    wb::EffectChainNode::handleCommandOnAudio(&rig.chain, wb::Command::setParameter(first, std::uint32_t(gain), 0.8f));
    wb::EffectChainNode::handleCommandOnAudio(&rig.chain, wb::Command::setParameter(first, std::uint32_t(trim), 1.5f));
    (void) rig.reload.pollFromUi(rig.now += std::chrono::milliseconds(60)); // starts watching
    auto out = rig.settledOutput();
    CHECK(out.first == Approx(0.5f * 0.8f * 1.5f).margin(1e-5));

    save(dsp, kVersion2);
    events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == DspHotReload::Event::Kind::reloaded);
    CHECK(events[0].oldId == first);
    const NodeId second = events[0].newId;
    CHECK(second != first);
    REQUIRE(rig.chain.slotsFromUi().size() == 1);
    const auto& now = rig.chain.slotsFromUi()[0];
    CHECK(now.id == second);
    CHECK(now.node->findControl("trim") < 0);
    REQUIRE(now.node->findControl("boost") >= 0);
    CHECK(now.values[size_t(now.node->findControl("gain"))] == Approx(0.8f)); // kept by path
    CHECK(now.values[size_t(now.node->findControl("boost"))] == Approx(2.0f)); // the new default
    out = rig.settledOutput();
    CHECK(out.first == Approx(0.5f * 0.8f * 2.0f).margin(1e-5));
    CHECK(out.second == Approx(0.5f * 0.8f * 2.0f).margin(1e-5));
    REQUIRE(rig.reload.statusOf(second) != nullptr);
    CHECK(rig.reload.statusOf(second)->reloads == 1);
    CHECK_THAT(rig.reload.statusOf(second)->text, Catch::StartsWith("reloaded "));
    CHECK(rig.reload.statusOf(first) == nullptr);
}

TEST_CASE("hot reload: a failed compile keeps the old module running and reports file and line, "
          "a comment changes nothing, an imported .lib edit reloads",
          "[faustrt][hotreload]")
{
    Rig rig;
    const auto dsp = rig.dir / "lib_user.dsp";
    const auto lib = rig.dir / "gains.lib";
    save(lib, "k = 0.5;\n");
    save(dsp, "import(\"gains.lib\");\nprocess = *(k), *(k);\n");
    rig.reload.addFileFromUi(dsp.string());
    auto events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].kind == DspHotReload::Event::Kind::added);
    NodeId id = events[0].newId;
    (void) rig.reload.pollFromUi(rig.now += std::chrono::milliseconds(60)); // starts watching
    CHECK(rig.settledOutput().first == Approx(0.25f).margin(1e-6));

    // A syntax error on line 3.
    save(dsp, "import(\"gains.lib\");\n\nprocess = *(k), *(k) :;\n");
    events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == DspHotReload::Event::Kind::reloadFailed);
    CHECK(events[0].oldId == id);
    CHECK_THAT(events[0].message, Catch::Contains("lib_user.dsp:3"));
    REQUIRE(rig.reload.statusOf(id) != nullptr);
    CHECK(rig.reload.statusOf(id)->isError);
    CHECK(rig.chain.slotsFromUi().at(0).id == id);                     // still the old effect
    CHECK(rig.settledOutput().first == Approx(0.25f).margin(1e-6)); // and it still runs

    // Fixed, with a comment more than before the error: the compiled program is the first one.
    save(dsp, "import(\"gains.lib\"); // the gain lives in gains.lib\nprocess = *(k), *(k);\n");
    events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == DspHotReload::Event::Kind::unchanged);
    CHECK(rig.chain.slotsFromUi().at(0).id == id);
    CHECK_FALSE(rig.reload.statusOf(id)->isError);

    // The imported library changes: a real recompile, and the new gain is heard.
    save(lib, "k = 0.125;\n");
    events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == DspHotReload::Event::Kind::reloaded);
    id = events[0].newId;
    CHECK(rig.settledOutput().first == Approx(0.0625f).margin(1e-6));

    // A file that cannot compile at all is refused when added; the chain is unchanged.
    const auto broken = rig.dir / "broken.dsp";
    save(broken, "process = ;\n");
    rig.reload.addFileFromUi(broken.string());
    events = rig.pollUntilEvent();
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == DspHotReload::Event::Kind::addFailed);
    CHECK_THAT(events[0].message, Catch::Contains("broken.dsp:1"));
    CHECK(rig.chain.slotsFromUi().size() == 1);
}
