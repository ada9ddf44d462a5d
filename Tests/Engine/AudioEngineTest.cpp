// The whole engine on the built-in Virtual loopback device, in real time: commands in, telemetry
// (meters, scope frames) out, load measured, effects added live.
#include "Engine/AudioEngine.h"
#include "Engine/NodeBase.h"
#include "Support/MessageLoop.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include <chrono>

using wb::test::pumpUntil;

namespace
{
/// A test source: a constant 0.5 on both channels.
class ConstantSource final : public wb::NodeBase
{
public:
    ConstantSource() : NodeBase(BusesProperties().withOutput("Out", juce::AudioChannelSet::stereo(), true)) {}
    const juce::String getName() const override { return "constant"; }
    void prepareToPlay(double, int) override {}
    using NodeBase::processBlock;
    void processBlock(juce::AudioBuffer<float>& b, juce::MidiBuffer&) override
    {
        for (int ch = 0; ch < b.getNumChannels(); ++ch)
            juce::FloatVectorOperations::fill(b.getWritePointer(ch), 0.5f, b.getNumSamples());
    }
    void getStateInformation(juce::MemoryBlock&) override {}
    void setStateInformation(const void*, int) override {}
};


/// Drains telemetry; returns the last engine meter peak of channel 0 (or -1).
float lastPeak(wb::AudioEngine& engine)
{
    float peak = -1.0f;
    wb::Telemetry t;
    while (engine.telemetryQueue().popOnUi(t))
        if (t.type == wb::TelemetryType::meterValues && t.meter.node == wb::kEngineNode)
            peak = t.meter.peak[0];
    return peak;
}
} // namespace

TEST_CASE("the engine runs on the Virtual loopback device with no sound card", "[engine]")
{
    wb::AudioEngine engine(std::make_unique<ConstantSource>());
    REQUIRE(engine.numConnections() == 4);
    const auto error = engine.openDevice(nullptr);
    INFO(error);
    REQUIRE(engine.hasDevice());
    // On these machines (no ALSA device, no JACK server) the fallback is the virtual device.
    if (!engine.isVirtualDevice())
        WARN("a real device was opened: " << engine.describeDevice());

    // Meters arrive through the telemetry ring, with the source's level.
    float peak = -1.0f;
    const bool metered = pumpUntil([&] { peak = lastPeak(engine); return std::abs(peak - 0.5f) < 1e-6f; });
    INFO("device " << engine.describeDevice() << ", callbacks " << engine.callbacks() << ", peak " << peak);
    REQUIRE(metered);

    // An effect added live, then a parameter command through the ring, change what is metered.
    const auto gain = engine.chain().addEffectFromUi("gain");
    REQUIRE(gain != 0);
    REQUIRE(engine.pushFromUi(wb::Command::setParameter(gain, 0, -20.0)));
    REQUIRE(pumpUntil([&] { peak = lastPeak(engine); return std::abs(peak - 0.05f) < 1e-4f; }));

    // Scope frames flow, in order, for outputs 1 and 2 in lockstep: each channel-1 chunk carries
    // the sequence and first sample index of the channel-0 chunk just before it, and (the
    // generator plays the same signal on both outputs) the same samples.
    wb::FrameChunk chunk, last0;
    std::uint64_t lastSeq[2] = {0, 0};
    int got[2] = {0, 0};
    int pairsSame = 0;
    REQUIRE(pumpUntil([&] {
        while (engine.frameQueue().popOnUi(chunk))
        {
            REQUIRE(chunk.channel < 2);
            const auto ch = chunk.channel;
            if (got[ch] > 0)
                REQUIRE(chunk.sequence > lastSeq[ch]);
            lastSeq[ch] = chunk.sequence;
            ++got[ch];
            if (ch == 0)
                last0 = chunk;
            else if (last0.sequence == chunk.sequence)
            {
                CHECK(last0.firstSampleIndex == chunk.firstSampleIndex);
                if (std::equal(last0.samples.begin(), last0.samples.end(), chunk.samples.begin()))
                    ++pairsSame;
            }
        }
        return got[0] >= 10 && got[1] >= 10 && pairsSame >= 5;
    }));
    CHECK(chunk.numSamples == wb::FrameChunk::kMaxSamples);

    // The load meter and the audio thread's CPU clock see the callbacks.
    CHECK(engine.callbacks() > 10);
    const auto load = engine.loadMeter().snapshot();
    CHECK(load.callbacks > 10);
    CHECK(load.meanLoad > 0.0);
    CHECK(load.meanLoad < 1.0);
    CHECK(engine.audioThreadCpuSeconds().has_value());

    REQUIRE(engine.chain().removeEffectFromUi(gain));
    REQUIRE(pumpUntil([&] { engine.collectGarbage(); return engine.chain().slotsFromUi().empty() && lastPeak(engine) > 0.49f; }));
    engine.closeDevice();
}

TEST_CASE("the engine's callback runs on the device itself, also after the settings change it", "[engine]")
{
    // juce::AudioDeviceManager's own handler locks a CriticalSection around every callback; the
    // engine runs its callback on the device directly. The manager measures its CPU usage only in
    // that handler, so a usage of exactly 0 while audio runs says the handler is not in the path.
    wb::AudioEngine engine(std::make_unique<ConstantSource>());
    const auto error = engine.openDevice(nullptr);
    INFO(error);
    REQUIRE(engine.hasDevice());
    REQUIRE(engine.isCallbackAttached());
    auto& manager = engine.deviceManager();
    const auto before = engine.callbacks();
    REQUIRE(pumpUntil([&] { return engine.callbacks() > before + 20; }));
    CHECK(manager.getCpuUsage() == 0.0);
    REQUIRE(pumpUntil([&] { return std::abs(lastPeak(engine) - 0.5f) < 1e-6f; }));

    // What the settings dialog does: a new buffer size. The manager restarts the device with its
    // handler and broadcasts a change; the engine attaches again.
    auto setup = manager.getAudioDeviceSetup();
    const int newSize = setup.bufferSize == 128 ? 256 : 128;
    setup.bufferSize = newSize;
    REQUIRE(manager.setAudioDeviceSetup(setup, true).isEmpty());
    REQUIRE(manager.getCurrentAudioDevice()->getCurrentBufferSizeSamples() == newSize);
    REQUIRE(pumpUntil([&] { return engine.isCallbackAttached(); }));
    const auto after = engine.callbacks();
    REQUIRE(pumpUntil([&] { return engine.callbacks() > after + 20; }));
    CHECK(manager.getCpuUsage() == 0.0);
    REQUIRE(pumpUntil([&] { return std::abs(lastPeak(engine) - 0.5f) < 1e-6f; }));

    engine.closeDevice();
    CHECK_FALSE(engine.isCallbackAttached());
}
