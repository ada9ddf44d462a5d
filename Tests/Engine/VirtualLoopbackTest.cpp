// The Virtual loopback device as a known truth, and the latency measurement on top of it.
// The round trip is period + cable delay (see VirtualLoopbackDevice.h).
#include "Engine/LatencyMeasurement.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <catch2/catch.hpp>

#include <cstdio>

using namespace wb;

namespace
{
LatencyReport measureVirtual(VirtualLoopbackConfig config, int runs = 2)
{
    VirtualLoopbackDevice device(config);
    juce::BigInteger channels;
    channels.setRange(0, 2, true);
    REQUIRE(device.open(channels, channels, config.sampleRate, config.bufferSize).isEmpty());
    LatencyMeasurementSettings s;
    s.runs = runs;
    return measureLatency(device, s);
}

VirtualLoopbackConfig fast(double delay, int period = 256)
{
    VirtualLoopbackConfig c;
    c.cableDelaySamples = delay;
    c.bufferSize = period;
    c.pacing = VirtualLoopbackConfig::Pacing::asFastAsPossible;
    return c;
}
} // namespace

TEST_CASE("virtual loopback: measured round trip is period + delay within 0.001 sample", "[engine][analysis]")
{
    for (double d : {0.0, 1.0, 64.25, 100.5, 1234.567})
    {
        const auto r = measureVirtual(fast(d));
        INFO("delay " << d << ": " << r.reason);
        REQUIRE(r.valid);
        REQUIRE(r.runs.size() == 2);
        const double truth = 256.0 + d;
        std::printf("  virtual clean  d=%9.3f  mean error %+.2e  sigma %.1e\n", d, r.frames.mean - truth, r.frames.sigma);
        for (const auto& run : r.runs)
            CHECK(std::abs(run.frames - truth) <= 0.001);
        CHECK(r.reportedRoundTrip() == static_cast<int>(std::floor(truth)));
        CHECK(r.extraFrames() == Approx(d - std::floor(d)).margin(0.001));
    }
}

TEST_CASE("virtual loopback: noise at -60 dBFS, within 0.05 sample", "[engine][analysis]")
{
    for (double d : {0.0, 1.0, 64.25, 100.5, 1234.567})
    {
        auto c = fast(d, 64);
        c.noiseDb = -60.0;
        c.seed = 99;
        const auto r = measureVirtual(c, 3);
        INFO("delay " << d << ": " << r.reason);
        REQUIRE(r.valid);
        std::printf("  virtual -60 dB d=%9.3f  mean error %+.2e  sigma %.1e\n", d, r.frames.mean - (64.0 + d), r.frames.sigma);
        for (const auto& run : r.runs)
            CHECK(std::abs(run.frames - (64.0 + d)) <= 0.05);
    }
}

TEST_CASE("virtual loopback: inverted cable is detected", "[engine][analysis]")
{
    auto c = fast(100.5);
    c.gain = -0.5;
    const auto r = measureVirtual(c, 1);
    REQUIRE(r.valid);
    CHECK(r.runs[0].inverted);
    CHECK(r.frames.mean == Approx(356.5).margin(0.001));
}

TEST_CASE("virtual loopback: no cable is a refusal, not a number", "[engine][analysis]")
{
    auto c = fast(10.0);
    c.gain = 0.0;
    auto r = measureVirtual(c, 1);
    CHECK_FALSE(r.valid);
    CHECK_THAT(r.reason, Catch::Contains("no signal"));
    c.noiseDb = -70.0; // a noisy input with nothing plugged in
    r = measureVirtual(c, 1);
    CHECK_FALSE(r.valid);
    CHECK_FALSE(r.reason.empty());
}

TEST_CASE("virtual loopback: real-time pacing runs at the period's rate", "[engine]")
{
    VirtualLoopbackConfig c;
    c.bufferSize = 480; // 10 ms at 48 kHz
    VirtualLoopbackDevice device(c);
    juce::BigInteger ch;
    ch.setRange(0, 2, true);
    REQUIRE(device.open(ch, ch, 48000.0, 480).isEmpty());
    struct Null final : juce::AudioIODeviceCallback
    {
        void audioDeviceIOCallbackWithContext(const float* const*, int, float* const*, int, int,
                                              const juce::AudioIODeviceCallbackContext&) override {}
        void audioDeviceAboutToStart(juce::AudioIODevice*) override { started = true; }
        void audioDeviceStopped() override { stopped = true; }
        bool started = false, stopped = false;
    } cb;
    device.start(&cb);
    CHECK(cb.started);
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // wall-clock pacing is what is tested
    device.stop();
    CHECK(cb.stopped);
    // ~30 periods in 300 ms (+1 at the start); generous bounds for a loaded 2-core machine
    CHECK(device.callbacksRun() >= 20);
    CHECK(device.callbacksRun() <= 40);
    const auto load = device.getLoadMeter().snapshot();
    CHECK(load.callbacks == device.callbacksRun());
    CHECK(load.meanLoad < 0.5); // an empty callback on a 10 ms period
    std::printf("  virtual real-time: %llu callbacks, %d late wake-ups, SCHED_FIFO %s, load mean %.4f max %.4f\n",
                static_cast<unsigned long long>(device.callbacksRun()), device.getXRunCount(),
                device.hasRealtimePriority() ? "yes" : "no", load.meanLoad, load.windowMaxLoad);
}

TEST_CASE("virtual loopback: a device type an AudioDeviceManager can hold", "[engine]")
{
    VirtualLoopbackDeviceType type;
    CHECK(type.getTypeName() == "Virtual loopback");
    REQUIRE(type.getDeviceNames().size() == 1);
    std::unique_ptr<juce::AudioIODevice> dev(type.createDevice("", ""));
    REQUIRE(dev != nullptr);
    CHECK(type.getIndexOfDevice(dev.get(), false) == 0);
    CHECK(type.createDevice("no such device", "") == nullptr);

    juce::AudioDeviceManager manager;
    auto& added = addVirtualLoopbackType(manager);
    bool found = false;
    for (auto* t : manager.getAvailableDeviceTypes())
        found = found || t == &added;
    CHECK(found);
}

TEST_CASE("virtual loopback: the fallback when no other device opens, and it runs callbacks", "[engine]")
{
    juce::AudioDeviceManager manager;
    VirtualLoopbackConfig config;
    config.bufferSize = 128;
    juce::String error;
    const auto type = openDefaultOrVirtualDevice(manager, 2, 2, config, error);
    INFO(error);
    REQUIRE(type.isNotEmpty());
    REQUIRE(manager.getCurrentAudioDevice() != nullptr);
    if (type != VirtualLoopbackDeviceType::kTypeName)
    {
        WARN("a real device opened (" << type << "): the fallback was not needed here");
        return;
    }
    auto* device = dynamic_cast<VirtualLoopbackDevice*>(manager.getCurrentAudioDevice());
    REQUIRE(device != nullptr);
    CHECK(device->getCurrentBufferSizeSamples() == 128);
    CHECK(device->getActiveInputChannels().countNumberOfSetBits() == 2);
    struct Counter final : juce::AudioIODeviceCallback
    {
        void audioDeviceIOCallbackWithContext(const float* const*, int numIn, float* const*, int numOut, int,
                                              const juce::AudioIODeviceCallbackContext&) override
        {
            channels = numIn * 10 + numOut;
            ++count;
        }
        void audioDeviceAboutToStart(juce::AudioIODevice*) override {}
        void audioDeviceStopped() override {}
        std::atomic<int> count{0}, channels{0};
    } counter;
    manager.addAudioCallback(&counter);
    for (int i = 0; i < 200 && counter.count.load() < 10; ++i) // until 10 callbacks, at most 2 s
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    manager.removeAudioCallback(&counter);
    CHECK(counter.count.load() >= 10);
    CHECK(counter.channels.load() == 22);
    manager.closeAudioDevice();
}
