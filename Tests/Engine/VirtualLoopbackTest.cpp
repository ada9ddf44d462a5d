// The Virtual loopback device as a known truth, and the latency measurement on top of it.
// The round trip is period + cable delay (see VirtualLoopbackDevice.h).
#include "Engine/LatencyMeasurement.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

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
    // Bounds from the pacing itself, whatever the machine's load: the device's first deadline is
    // no earlier than t0, and period k never starts before its deadline (a late device
    // resynchronises, it never bursts), so at any time t at most (t - t0) / period + 1 callbacks
    // have started; and once N have run, at least N - 1 periods have passed. Polled every 5 ms
    // until 31 callbacks, against a 20 s deadline.
    using clock = std::chrono::steady_clock;
    const double period = 480.0 / 48000.0;
    struct Reading
    {
        double seconds;
        std::uint64_t callbacks;
    };
    std::vector<Reading> readings;
    readings.reserve(5000);
    const auto t0 = clock::now();
    device.start(&cb);
    CHECK(cb.started);
    const auto deadline = t0 + std::chrono::seconds(20);
    std::uint64_t n = 0;
    while (n < 31 && clock::now() < deadline)
    {
        n = device.callbacksRun();
        readings.push_back({std::chrono::duration<double>(clock::now() - t0).count(), n});
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    device.stop();
    CHECK(cb.stopped);
    REQUIRE(n >= 31);
    for (const auto& r : readings)
    {
        INFO(r.callbacks << " callbacks at " << r.seconds << " s");
        CHECK(double(r.callbacks) <= r.seconds / period + 1.0);               // never faster than real time
        CHECK(r.seconds >= (double(r.callbacks) - 1.0) * period - 1e-4);      // the same, read the other way
    }
    const auto load = device.getLoadMeter().snapshot();
    CHECK(load.callbacks == device.callbacksRun()); // every period measured
    CHECK(load.meanLoad >= 0.0);
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

namespace
{
/// A sound card that is listed but cannot be opened (busy, unplugged), or none listed at all.
class UnopenableDevice final : public juce::AudioIODevice
{
public:
    UnopenableDevice() : juce::AudioIODevice("Stand-in card", "Stand-in") {}
    juce::StringArray getOutputChannelNames() override { return {"L", "R"}; }
    juce::StringArray getInputChannelNames() override { return {"L", "R"}; }
    juce::Array<double> getAvailableSampleRates() override { return {48000.0}; }
    juce::Array<int> getAvailableBufferSizes() override { return {128}; }
    int getDefaultBufferSize() override { return 128; }
    juce::String open(const juce::BigInteger&, const juce::BigInteger&, double, int) override
    {
        return "the stand-in card cannot be opened";
    }
    void close() override {}
    bool isOpen() override { return false; }
    void start(juce::AudioIODeviceCallback*) override {}
    void stop() override {}
    bool isPlaying() override { return false; }
    juce::String getLastError() override { return "the stand-in card cannot be opened"; }
    int getCurrentBufferSizeSamples() override { return 128; }
    double getCurrentSampleRate() override { return 48000.0; }
    int getCurrentBitDepth() override { return 32; }
    juce::BigInteger getActiveOutputChannels() const override { return {}; }
    juce::BigInteger getActiveInputChannels() const override { return {}; }
    int getOutputLatencyInSamples() override { return 0; }
    int getInputLatencyInSamples() override { return 0; }
};

class StandInType final : public juce::AudioIODeviceType
{
public:
    explicit StandInType(bool listsADevice) : juce::AudioIODeviceType("Stand-in"), lists(listsADevice) {}
    void scanForDevices() override {}
    juce::StringArray getDeviceNames(bool) const override
    {
        return lists ? juce::StringArray("Stand-in card") : juce::StringArray();
    }
    int getDefaultDeviceIndex(bool) const override { return lists ? 0 : -1; }
    int getIndexOfDevice(juce::AudioIODevice* d, bool) const override { return d != nullptr && lists ? 0 : -1; }
    bool hasSeparateInputsAndOutputs() const override { return false; }
    juce::AudioIODevice* createDevice(const juce::String&, const juce::String&) override
    {
        return lists ? new UnopenableDevice() : nullptr;
    }

private:
    bool lists;
};

/// A device manager whose only device types are the stand-in (not ALSA or JACK), so what the
/// fallback sees does not depend on the machine the test runs on.
class StandInManager final : public juce::AudioDeviceManager
{
public:
    explicit StandInManager(bool listsADevice) : lists(listsADevice) {}
    void createAudioDeviceTypes(juce::OwnedArray<juce::AudioIODeviceType>& types) override
    {
        types.add(new StandInType(lists));
    }

private:
    bool lists;
};
} // namespace

TEST_CASE("virtual loopback: the fallback when no other device opens, and it runs callbacks", "[engine]")
{
    for (const bool listsADevice : {true, false})
    {
        INFO((listsADevice ? "a card is listed but cannot be opened" : "no card is listed"));
        StandInManager manager(listsADevice);
        VirtualLoopbackConfig config;
        config.bufferSize = 128;
        juce::String error;
        const auto type = openDefaultOrVirtualDevice(manager, 2, 2, config, error);
        INFO(error);
        REQUIRE(type == VirtualLoopbackDeviceType::kTypeName);
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
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (counter.count.load() < 10 && std::chrono::steady_clock::now() < until) // 10 callbacks, polled
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        manager.removeAudioCallback(&counter);
        CHECK(counter.count.load() >= 10);
        CHECK(counter.channels.load() == 22);
        manager.closeAudioDevice();
    }
}
