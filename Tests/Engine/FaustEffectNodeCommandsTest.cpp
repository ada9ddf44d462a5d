// FaustEffectNode driven the way the engine drives it: commands through the ring and the
// dispatcher, parameters at exact sample offsets, smoothed live changes, bypass, saved state,
// and all of it under the real-time guard.
#include "Support/EffectHarness.h"
#include "Support/RealtimeGuard.h"

#include "Core/Realtime/CommandDispatcher.h"
#include "Core/Realtime/CommandQueue.h"
#include "Core/Util/Decibels.h"
#include "Faust/FaustCatalogue.h"

#include <catch2/catch.hpp>

#include <limits>
#include <memory>
#include <string>

using namespace wb::test;

namespace
{
constexpr wb::NodeId kFx = 7;

/// An effect wired as the engine wires it: node id kFx, a command ring and a dispatcher.
struct CommandedEffect
{
    std::unique_ptr<wb::FaustEffectNode> node;
    wb::CommandQueue queue;
    wb::CommandDispatcher dispatcher;

    CommandedEffect(const std::string& id, std::initializer_list<std::pair<const char*, float>> controls)
        : node(makeEffect(id, controls))
    {
        REQUIRE(node != nullptr);
        node->setNodeId(kFx);
        REQUIRE(dispatcher.registerHandler(kFx, &wb::FaustEffectNode::handleCommandOnAudio, node.get()));
    }
    uint32_t control(const char* label) const { return uint32_t(node->findControl(label)); }
    void send(const wb::Command& c) { REQUIRE(queue.pushFromUi(c)); }

    /// Runs `in` through the node in blocks, dispatching the queue at the start of each block,
    /// as the engine's audio callback does. Returns the output of the left channel.
    std::vector<float> run(const StereoSignal& in, int block, wb::test::RealtimeCounts* violations = nullptr)
    {
        return wb::test::process(
                   *node, in, block, [this] { (void) dispatcher.dispatchOnAudio(queue); }, violations)
            .left;
    }
};

StereoSignal dc(size_t n, float v = 1.0f)
{
    StereoSignal s(n);
    std::fill(s.left.begin(), s.left.end(), v);
    std::fill(s.right.begin(), s.right.end(), v);
    return s;
}
} // namespace

TEST_CASE("automation lands on its exact sample, across block boundaries", "[faust][engine][rt]")
{
    for (int block : {1, 64, 256, 4096})
    {
        INFO("block " << block);
        CommandedEffect fx("gain", {});
        // Sent before the first block: -20 dB at sample 1000 and +6 dB at 3001, both as steps.
        fx.send(wb::Command::setParameter(kFx, fx.control("gain"), -20.0, 1000, 0.0));
        fx.send(wb::Command::setParameter(kFx, fx.control("gain"), 6.0, 3001, 0.0));
        const auto out = fx.run(dc(4000), block);
        CHECK(out[999] == 1.0f);
        CHECK(out[1000] == Approx(0.1).epsilon(1e-6));
        CHECK(out[3000] == Approx(0.1).epsilon(1e-6));
        CHECK(out[3001] == Approx(wb::dbToGain(6.0)).epsilon(1e-6));
    }
}

TEST_CASE("live changes are smoothed: no step exceeds the smoothing bound", "[faust][engine][rt]")
{
    CommandedEffect fx("gain", {});
    fx.send(wb::Command::setParameter(kFx, fx.control("gain"), -40.0));
    const auto out = fx.run(dc(4800), 128);
    // Default ramp: 20 ms = 960 samples, zones updated every 16 samples -> at most 40*16/960 dB.
    const double bound = 40.0 * wb::FaustEffectNode::kControlInterval / 960.0 + 1e-3;
    double worst = 0.0;
    for (size_t i = 1; i < out.size(); ++i)
        worst = std::max(worst, std::abs(wb::gainToDb(out[i]) - wb::gainToDb(out[i - 1])));
    INFO("largest step " << worst << " dB, bound " << bound << " dB");
    CHECK(worst <= bound);
    CHECK(worst > 0.1);                                    // it did move in steps, not at once
    CHECK(wb::gainToDb(out.back()) == Approx(-40.0).margin(1e-3)); // and arrived
    CHECK(wb::gainToDb(out[959 + 16]) == Approx(-40.0).margin(1e-3));
}

TEST_CASE("bypass crossfades to the dry signal without a click", "[faust][engine][rt]")
{
    CommandedEffect fx("gain", {{"gain", -96.0f}}); // nearly silent when active
    fx.send(wb::Command::setBypass(kFx, true, 100));
    const auto out = fx.run(dc(2000), 64);
    CHECK(out[99] < 1e-4f);
    CHECK(out.back() == 1.0f);
    float worst = 0.0f;
    for (size_t i = 1; i < out.size(); ++i)
        worst = std::max(worst, std::abs(out[i] - out[i - 1]));
    CHECK(worst <= 1.0f / 960.0f + 1e-6f); // a 20 ms linear crossfade: 1/960 per sample at most
    CHECK(fx.node->isBypassedOnAudio());
}

TEST_CASE("every effect and every command under the real-time guard: zero allocations, zero locks",
          "[faust][engine][rt][nosan]")
{
    REQUIRE(wb::test::RealtimeGuard::available());
    for (const auto& entry : wb::faust::catalogue())
    {
        INFO(entry.id);
        CommandedEffect fx(entry.id, {});
        wb::TelemetryQueue telemetry;
        fx.node->setTelemetry(&telemetry);
        const auto& controls = fx.node->description().controls;
        uint32_t offset = 0;
        for (size_t i = 0; i < controls.size(); ++i)
        {
            fx.send(wb::Command::setParameter(kFx, uint32_t(i), controls[i].max, offset += 37));
            fx.send(wb::Command::setParameter(kFx, uint32_t(i), controls[i].min, offset += 37, 0.0));
        }
        fx.send(wb::Command::setBypass(kFx, true, 300));
        fx.send(wb::Command::setBypass(kFx, false, 900));
        fx.send(wb::Command::resetMeters());
        auto in = sine(440.0, 0.5, 24000);
        in.left[5000] = std::numeric_limits<float>::quiet_NaN();
        wb::test::RealtimeCounts counts;
        (void) fx.run(in, 256, &counts);
        INFO(counts.describe());
        CHECK(counts.clean());
        CHECK(fx.node->droppedCommands() == 0);
        CHECK(fx.node->nonFiniteInputBlocks() == 1);
    }
}

TEST_CASE("saved and restored state gives bit-identical output", "[faust][engine]")
{
    auto a = makeEffect("parametriceq", {{"peak 2 gain", 7.5f}, {"peak 2 freq", 1234.0f}, {"high shelf gain", -3.0f}});
    REQUIRE(a != nullptr);
    juce::MemoryBlock state;
    a->getStateInformation(state);
    auto b = wb::FaustEffectNode::create("parametriceq");
    b->setStateInformation(state.getData(), int(state.getSize()));
    b->prepareToPlay(48000.0, 4096);
    a->reset();
    const auto in = sine(1000.0, 0.3, 9000);
    const auto outA = process(*a, in, 512);
    const auto outB = process(*b, in, 512);
    CHECK(outA.left == outB.left);
    CHECK(outA.right == outB.right);
    CHECK(b->controlOnAudio(b->findControl("peak 2 gain")) == 7.5f);
}

namespace
{
/// A catalogue instance that hides `-inpl` in its compile_options metadata, so the node treats it
/// as a class that cannot run in place and copies its input aside (the other hosting path).
class HidesInPlace final : public decorator_dsp
{
public:
    explicit HidesInPlace(std::unique_ptr<::dsp> d) : decorator_dsp(d.release()) {}
    void metadata(Meta* m) override
    {
        struct Filter final : Meta
        {
            Meta* to = nullptr;
            void declare(const char* key, const char* value) override
            {
                std::string v = value;
                if (std::string(key) == "compile_options")
                    if (auto at = v.find("-inpl "); at != std::string::npos)
                        v.erase(at, 6);
                to->declare(key, v.c_str());
            }
        } filter;
        filter.to = m;
        fDSP->metadata(&filter);
    }
};
} // namespace

TEST_CASE("in place and copied hosting give bit-identical output: commands, ramps, bypass, NaN",
          "[faust][engine][rt][nosan]")
{
    for (const auto& entry : wb::faust::catalogue())
    {
        INFO(entry.id);
        StereoSignal outs[2];
        uint32_t badIn[2] = {}, badOut[2] = {};
        for (int copied = 0; copied < 2; ++copied)
        {
            auto node = copied != 0 ? std::make_unique<wb::FaustEffectNode>(std::make_unique<HidesInPlace>(entry.create()),
                                                                             entry.id)
                                    : wb::FaustEffectNode::create(entry.id);
            node->setNodeId(kFx);
            node->prepareToPlay(48000.0, 512);
            wb::CommandQueue queue;
            wb::CommandDispatcher dispatcher;
            REQUIRE(dispatcher.registerHandler(kFx, &wb::FaustEffectNode::handleCommandOnAudio, node.get()));
            const auto& controls = node->description().controls;
            uint32_t offset = 100;
            for (size_t i = 0; i < controls.size(); ++i)
                if (!controls[i].isOutput())
                    REQUIRE(queue.pushFromUi(wb::Command::setParameter(kFx, uint32_t(i), 0.5 * double(controls[i].min + controls[i].max),
                                                                       offset += 211)));
            REQUIRE(queue.pushFromUi(wb::Command::setBypass(kFx, true, 1000)));
            REQUIRE(queue.pushFromUi(wb::Command::setBypass(kFx, false, 3333)));
            auto in = sine(440.0, 0.5, 12000);
            in.left[5000] = std::numeric_limits<float>::quiet_NaN();
            in.right[7000] = std::numeric_limits<float>::infinity();
            wb::test::RealtimeCounts counts;
            outs[copied] = wb::test::process(
                *node, in, 256, [&] { (void) dispatcher.dispatchOnAudio(queue); }, &counts);
            INFO(counts.describe());
            CHECK(counts.clean());
            badIn[copied] = node->nonFiniteInputBlocks();
            badOut[copied] = node->nonFiniteOutputBlocks();
        }
        CHECK(badIn[0] == 2);
        CHECK(badIn[1] == 2);
        CHECK(badOut[0] == badOut[1]);
        REQUIRE(outs[0].size() == outs[1].size());
        for (size_t i = 0; i < outs[0].size(); ++i)
        {
            REQUIRE(outs[0].left[i] == outs[1].left[i]);
            REQUIRE(outs[0].right[i] == outs[1].right[i]);
        }
    }
}
