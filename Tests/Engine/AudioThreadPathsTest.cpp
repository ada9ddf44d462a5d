// The real-time guard on every audio-thread path, not only the engine's callback (issue 18):
//   - the Virtual loopback device's own thread: cable, noise, load measurement, its xrun branch;
//   - the latency probe: the whole `wavebench latency --device virtual` audio path (device thread
//     and the probe callback of measureLatency);
//   - the engine's callback with blocks larger than the prepared size, eight outputs, and its xrun
//     telemetry branch; and on a real device thread with eight outputs.
// Each reads zero allocations, frees and locks (and sleeps, except the device's real-time pacing,
// which waits for its clock between periods as a sound card's interrupt would). [nosan]: the
// sanitizer builds cannot count, and list these as Disabled.
#include "Support/GuardedDevice.h"
#include "Support/PrivateJackServer.h"
#include "Support/RealtimeGuard.h"

#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"
#include "Engine/LatencyJack.h"
#include "Engine/LatencyMeasurement.h"
#include "Engine/RecordCallback.h"
#include "Engine/SweepCapture.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <numbers>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <mutex>
#include <thread>
#include <vector>

using wb::test::GuardedThreadCallback;
using wb::test::GuardingDevice;

namespace
{
using clock_type = std::chrono::steady_clock;

/// Polls (every 2 ms, up to 20 s) until `done()`.
template <typename Done>
bool pollUntil(Done&& done)
{
    const auto until = clock_type::now() + std::chrono::seconds(20);
    while (!done())
    {
        if (clock_type::now() > until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

/// A device-thread callback that writes a tone to every output, remembers the loudest input (the
/// cable delivered), and once, on `spinOnCall`, busy-waits `spinSeconds` (no syscall: the vDSO
/// clock) to make the device late.
class ToneCallback final : public juce::AudioIODeviceCallback
{
public:
    void audioDeviceAboutToStart(juce::AudioIODevice*) override {}
    void audioDeviceStopped() override {}
    void audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out, int numOut, int n,
                                          const juce::AudioIODeviceCallbackContext&) override
    {
        for (int i = 0; i < n; ++i)
        {
            const float v = 0.25f * float(std::sin(phase));
            phase += 0.05;
            for (int ch = 0; ch < numOut; ++ch)
                out[ch][i] = v;
        }
        float peak = maxInput.load(std::memory_order_relaxed);
        for (int ch = 0; ch < numIn; ++ch)
            for (int i = 0; i < n; ++i)
                peak = std::max(peak, std::abs(in[ch][i]));
        maxInput.store(peak, std::memory_order_relaxed);
        inputs.store(numIn, std::memory_order_relaxed);
        outputs.store(numOut, std::memory_order_relaxed);
        if (++calls == spinOnCall)
        {
            const auto until = clock_type::now() + std::chrono::duration<double>(spinSeconds);
            while (clock_type::now() < until)
            {
            }
        }
    }

    int spinOnCall = -1;
    double spinSeconds = 0.0;
    std::atomic<float> maxInput{0.0f};
    std::atomic<int> inputs{0}, outputs{0};

private:
    double phase = 0.0;
    int calls = 0;
};

wb::SignalSettings sine(double freq, double levelDb)
{
    wb::SignalSettings s;
    s.kind = wb::SignalKind::sine;
    s.freq = freq;
    s.levelDb = levelDb;
    s.duration = 0.0;
    return s;
}

juce::BigInteger channelSet(int n)
{
    juce::BigInteger b;
    b.setRange(0, n, true);
    return b;
}
} // namespace

TEST_CASE("rt paths: fail_ case: an allocating, locking callback on the device thread is counted",
          "[engine][rt][nosan]")
{
    struct Rude final : juce::AudioIODeviceCallback
    {
        void audioDeviceAboutToStart(juce::AudioIODevice*) override {}
        void audioDeviceStopped() override {}
        void audioDeviceIOCallbackWithContext(const float* const*, int, float* const* out, int numOut, int n,
                                              const juce::AudioIODeviceCallbackContext&) override
        {
            std::vector<float> scratch(static_cast<size_t>(n), 0.0f);
            const std::lock_guard lock(mutex);
            for (int ch = 0; ch < numOut; ++ch)
                std::copy(scratch.begin(), scratch.end(), out[ch]);
        }
        std::mutex mutex;
    } rude;
    wb::VirtualLoopbackConfig config;
    config.pacing = wb::VirtualLoopbackConfig::Pacing::asFastAsPossible;
    wb::VirtualLoopbackDevice device(config);
    REQUIRE(device.open(channelSet(2), channelSet(2), 48000.0, 64).isEmpty());
    GuardedThreadCallback guarded(rude);
    device.start(&guarded);
    const bool ran = pollUntil([&] { return guarded.callbacks.load() >= 50; });
    device.stop();
    REQUIRE(ran);
    const auto c = guarded.total();
    INFO(c.describe());
    // One allocation, free and lock per callback, from the very first.
    CHECK(c.allocations >= 50);
    CHECK(c.deallocations >= 50);
    CHECK(c.locks >= 50);
}

TEST_CASE("rt paths: the Virtual loopback device's own thread (cable, noise, load, xruns) under the guard",
          "[engine][rt][nosan]")
{
    SECTION("as fast as possible: nothing at all on the device thread")
    {
        wb::VirtualLoopbackConfig config;
        config.numChannels = 4;
        config.cableDelaySamples = 10.5; // fractional: the cable's interpolating filter runs
        config.gain = 0.7;
        config.noiseDb = -60.0;
        config.pacing = wb::VirtualLoopbackConfig::Pacing::asFastAsPossible;
        wb::VirtualLoopbackDevice device(config);
        REQUIRE(device.open(channelSet(4), channelSet(4), 48000.0, 64).isEmpty());
        ToneCallback tone;
        GuardedThreadCallback guarded(tone);
        device.start(&guarded);
        const bool ran = pollUntil([&] { return guarded.callbacks.load() >= 500; });
        device.stop();
        REQUIRE(ran);
        const auto c = guarded.total();
        INFO(c.describe());
        CHECK(c.clean());
        CHECK(tone.inputs.load() == 4);
        CHECK(tone.outputs.load() == 4);
        CHECK(tone.maxInput.load() > 0.1f); // the tone came back through the cable
        CHECK(device.getLoadMeter().snapshot().callbacks == device.callbacksRun());
    }
    SECTION("real-time pacing with a late period: the xrun branch, no allocation, free or lock")
    {
        wb::VirtualLoopbackConfig config;
        config.noiseDb = -60.0;
        wb::VirtualLoopbackDevice device(config);
        REQUIRE(device.open(channelSet(2), channelSet(2), 48000.0, 64).isEmpty());
        ToneCallback tone;
        // Four periods late on the 20th call: the next period starts more than a period after its
        // deadline, whatever the machine's load, so the device counts an xrun (and resynchronises).
        tone.spinOnCall = 20;
        tone.spinSeconds = 4 * 64 / 48000.0;
        GuardedThreadCallback guarded(tone);
        device.start(&guarded);
        const bool ran = pollUntil([&] { return guarded.callbacks.load() >= 60; });
        device.stop();
        REQUIRE(ran);
        CHECK(device.getXRunCount() >= 1);
        CHECK(device.getLoadMeter().snapshot().deviceXruns == std::uint64_t(device.getXRunCount()));
        const auto c = guarded.total();
        INFO(c.describe());
        CHECK(c.measured);
        CHECK(c.allocations == 0);
        CHECK(c.deallocations == 0);
        CHECK(c.locks == 0);
        // The device waits for its clock between periods (nanosleep), as a card's interrupt would.
        CHECK(c.sleeps > 0);
    }
}

TEST_CASE("rt paths: the latency probe, the whole `wavebench latency --device virtual` audio path, under the guard",
          "[engine][analysis][rt][nosan]")
{
    wb::VirtualLoopbackConfig config;
    config.cableDelaySamples = 100.25;
    config.noiseDb = -60.0;
    config.pacing = wb::VirtualLoopbackConfig::Pacing::asFastAsPossible;
    wb::VirtualLoopbackDevice virtualDevice(config);
    GuardingDevice device(virtualDevice);
    REQUIRE(device.open(channelSet(2), channelSet(2), 48000.0, 256).isEmpty());
    for (const int probeLog2 : {wb::latency::kPeriodLog2, 13})
    {
        INFO("probe period 2^" << probeLog2);
        wb::LatencyMeasurementSettings settings;
        settings.runs = 2;
        settings.probePeriodLog2 = probeLog2;
        const auto report = wb::measureLatency(device, settings);
        INFO(report.reason);
        REQUIRE(report.valid);
        CHECK(report.frames.mean == Approx(256.0 + 100.25).margin(0.05));
        REQUIRE(device.callbacksRun() > 10);
        const auto c = device.counted();
        INFO(c.describe());
        CHECK(c.clean());
    }
}

TEST_CASE("rt paths: the latency probe on a private JACK server (`wavebench latency --device jack`), under the guard",
          "[engine][analysis][rt][jack][nosan]")
{
    // As LatencyCommand does it: JUCE's JACK device, opened, our output wired to our input, then
    // measureLatency. On JACK the guard counts inside each callback (the probe): JUCE's JACK
    // device itself takes its callbackLock around every callback, and libjack waits on the
    // server between them; neither is our code (docs/ARCHITECTURE.md, Testing).
    wb::test::PrivateJackServer server(64, "rt");
    REQUIRE_JACK_SERVER(server);
    const char* previous = std::getenv("JACK_DEFAULT_SERVER");
    const std::string saved = previous != nullptr ? previous : "";
    ::setenv("JACK_DEFAULT_SERVER", server.serverName().c_str(), 1);
    std::string error;
    auto jack = wb::createJackDevice(error);
    INFO(error);
    REQUIRE(jack != nullptr);
    const auto openError = jack->open(channelSet(2), channelSet(2), 48000.0, 64);
    INFO(openError);
    REQUIRE(openError.isEmpty());
    const auto wired = wb::connectJackLoopback();
    INFO(wired);
    REQUIRE(wired.empty());
    GuardingDevice device(*jack, wb::test::Scope::eachCallback);
    wb::LatencyMeasurementSettings settings;
    settings.runs = 2;
    settings.probePeriodLog2 = 13;
    const auto report = wb::measureLatency(device, settings); // the devices close at the end of scope
    if (previous != nullptr)
        ::setenv("JACK_DEFAULT_SERVER", saved.c_str(), 1);
    else
        ::unsetenv("JACK_DEFAULT_SERVER");
    INFO(report.reason);
    REQUIRE(report.valid);
    CHECK(report.frames.mean == Approx(64.0).margin(0.01)); // one period (DESIGN.md, jack_iodelay)
    REQUIRE(device.callbacksRun() > 10);
    const auto c = device.counted();
    INFO(c.describe());
    CHECK(c.clean());
}

TEST_CASE("rt paths: the engine callback with blocks larger than prepared and eight outputs, under the guard",
          "[engine][rt][nosan]")
{
    // Two identical engines, prepared for 64-frame blocks: one rendered in 64-frame blocks to two
    // outputs (the reference), the other in 1000-frame blocks to eight outputs under the guard.
    // Same audio (the nodes do not depend on the split), outputs 3-8 silent, nothing counted.
    constexpr int kPrepared = 64, kBig = 1000, kTotal = 64000;
    wb::VirtualLoopbackConfig config;
    config.numChannels = 8;
    wb::VirtualLoopbackDevice device(config); // for its settings only (opened, never started)
    REQUIRE(device.open(channelSet(8), channelSet(8), 48000.0, kPrepared).isEmpty());
    const juce::AudioIODeviceCallbackContext context{};

    auto render = [&](int block, int numOutputs, wb::test::RealtimeCounts* counts) {
        auto engine = wb::AudioEngine::createWithGenerator();
        engine->generator()->setSettingsNow(sine(997.0, -6.0), wb::ChannelRouting{}, true);
        REQUIRE(engine->chain().addEffectFromUi("lowpass") != 0);
        auto& callback = engine->deviceCallback();
        std::vector<std::vector<float>> outs(size_t(numOutputs), std::vector<float>(size_t(kTotal), 1.0f));
        std::vector<float*> ptrs(static_cast<size_t>(numOutputs), nullptr);
        std::vector<float> silence(size_t(block), 0.0f);
        std::vector<const float*> ins(8, silence.data());
        callback.audioDeviceAboutToStart(&device);
        auto body = [&] {
            for (int done = 0; done < kTotal; done += block)
            {
                for (int ch = 0; ch < numOutputs; ++ch)
                    ptrs[size_t(ch)] = outs[size_t(ch)].data() + done;
                callback.audioDeviceIOCallbackWithContext(ins.data(), 8, ptrs.data(), numOutputs,
                                                          std::min(block, kTotal - done), context);
            }
        };
        if (counts != nullptr)
            *counts = wb::test::countRealtimeViolations(body);
        else
            body();
        callback.audioDeviceStopped();
        return outs;
    };
    const auto reference = render(kPrepared, 2, nullptr);
    wb::test::RealtimeCounts counts;
    const auto big = render(kBig, 8, &counts);
    INFO(counts.describe());
    CHECK(counts.clean());
    float worst = 0.0f, peak = 0.0f, beyond = 0.0f;
    for (size_t i = 0; i < size_t(kTotal); ++i)
    {
        for (size_t ch = 0; ch < 2; ++ch)
        {
            worst = std::max(worst, std::abs(big[ch][i] - reference[ch][i]));
            peak = std::max(peak, std::abs(big[ch][i]));
        }
        for (size_t ch = 2; ch < 8; ++ch)
            beyond = std::max(beyond, std::abs(big[ch][i]));
    }
    CHECK(peak > 0.4f);       // a -6 dBFS sine through a low-pass well above it
    CHECK(worst <= 1e-6f);    // the split does not change the audio
    CHECK(beyond == 0.0f);    // outputs beyond the stereo graph are cleared, every sample
}

TEST_CASE("rt paths: the engine's xrun telemetry branch under the guard", "[engine][rt][monitor][nosan]")
{
    // Prepared for 1-frame periods at 48 kHz (20.8 us): a 16384-frame block, rendered in 16384
    // pieces through the generator and the chain, takes far longer than one period on any machine,
    // so every callback takes the overrun branch and pushes an XrunEvent.
    auto engine = wb::AudioEngine::createWithGenerator();
    engine->generator()->setSettingsNow(sine(440.0, -12.0), wb::ChannelRouting{}, true);
    REQUIRE(engine->chain().addEffectFromUi("compressor") != 0);
    wb::VirtualLoopbackDevice device(wb::VirtualLoopbackConfig{});
    REQUIRE(device.open(channelSet(2), channelSet(2), 48000.0, 1).isEmpty());
    auto& callback = engine->deviceCallback();
    callback.audioDeviceAboutToStart(&device);
    constexpr int kBlock = 16384, kCallbacks = 4;
    std::vector<float> in0(kBlock), in1(kBlock), out0(kBlock), out1(kBlock);
    const float* ins[] = {in0.data(), in1.data()};
    float* outs[] = {out0.data(), out1.data()};
    const juce::AudioIODeviceCallbackContext context{};
    const auto counts = wb::test::countRealtimeViolations([&] {
        for (int c = 0; c < kCallbacks; ++c)
            callback.audioDeviceIOCallbackWithContext(ins, 2, outs, 2, kBlock, context);
    });
    callback.audioDeviceStopped();
    INFO(counts.describe());
    CHECK(counts.clean());
    int xrunEvents = 0;
    wb::Telemetry t;
    while (engine->telemetryQueue().popOnUi(t))
        xrunEvents += t.type == wb::TelemetryType::xrunEvent ? 1 : 0;
    CHECK(xrunEvents == kCallbacks);
    CHECK(engine->loadMeter().snapshot().overruns == std::uint64_t(kCallbacks));
}

TEST_CASE("rt paths: the engine on a Virtual device thread with eight outputs: device loop and callback under one guard",
          "[engine][rt][nosan]")
{
    auto engine = wb::AudioEngine::createWithGenerator();
    engine->generator()->setSettingsNow(sine(1000.0, -12.0), wb::ChannelRouting{}, true);
    REQUIRE(engine->chain().addEffectFromUi("reverb") != 0);
    wb::VirtualLoopbackConfig config;
    config.numChannels = 8;
    config.noiseDb = -70.0;
    config.cableDelaySamples = 3.5;
    config.pacing = wb::VirtualLoopbackConfig::Pacing::asFastAsPossible;
    wb::VirtualLoopbackDevice device(config);
    REQUIRE(device.open(channelSet(8), channelSet(8), 48000.0, 128).isEmpty());
    GuardedThreadCallback guarded(engine->deviceCallback());
    device.start(&guarded); // audioDeviceAboutToStart prepares the graph here (not guarded)
    const bool ran = pollUntil([&] { return guarded.callbacks.load() >= 400; });
    device.stop();
    REQUIRE(ran);
    const auto c = guarded.total();
    INFO(c.describe());
    CHECK(c.clean());
    float peak = 0.0f;
    int channels = 0;
    wb::Telemetry t;
    while (engine->telemetryQueue().popOnUi(t))
        if (t.type == wb::TelemetryType::meterValues && t.meter.node == wb::kEngineNode)
        {
            peak = std::max(peak, t.meter.peak[0]);
            channels = int(t.meter.numChannels);
        }
    CHECK(peak > 0.1f);   // the generator was heard
    CHECK(channels == 8); // metered on all eight outputs
}

TEST_CASE("rt paths: the engine's measurement tap (the app's Response window on a device) under the guard: the sweep "
          "plays alone and comes back one period and the cable later",
          "[engine][rt][nosan]")
{
    // The generator plays a sine and the chain holds a reverb; with the tap attached and armed,
    // output 1 carries the excitation alone (the others silence) and input 1 is recorded. The
    // Virtual device's timing model says input n = output n - (period + cable delay).
    auto engine = wb::AudioEngine::createWithGenerator();
    engine->generator()->setSettingsNow(sine(1000.0, -12.0), wb::ChannelRouting{}, true);
    REQUIRE(engine->chain().addEffectFromUi("reverb") != 0);
    wb::VirtualLoopbackConfig config;
    config.numChannels = 2;
    config.cableDelaySamples = 5.0;
    config.pacing = wb::VirtualLoopbackConfig::Pacing::asFastAsPossible;
    wb::VirtualLoopbackDevice device(config);
    constexpr int kPeriod = 128;
    REQUIRE(device.open(channelSet(2), channelSet(2), 48000.0, kPeriod).isEmpty());
    std::vector<float> excitation(9000, 0.0f);
    for (std::size_t i = 0; i < 8000; ++i)
        excitation[i] = static_cast<float>(0.3 * std::sin(0.001 * double(i) * double(i) / 100.0));
    wb::SweepCaptureCallback capture(excitation, 0, 0);
    engine->attachSweepFromUi(&capture);
    GuardedThreadCallback guarded(engine->deviceCallback());
    device.start(&guarded);
    REQUIRE(pollUntil([&] { return guarded.callbacks.load() >= 20; }));
    capture.armFromAnyThread();
    const bool done = pollUntil([&] { return capture.stateFromAnyThread() == wb::SweepCaptureCallback::done; });
    REQUIRE(engine->detachSweepWhileRunningFromUi());
    device.stop();
    REQUIRE(done);
    const auto c = guarded.total();
    INFO(c.describe());
    CHECK(c.clean());
    const auto& got = capture.capture();
    constexpr std::size_t kTrip = kPeriod + 5;
    double worst = 0.0;
    for (std::size_t n = kTrip; n < got.size(); ++n)
        worst = std::max(worst, double(std::abs(got[n] - excitation[n - kTrip])));
    INFO("worst difference from the excitation delayed by the round trip: " << worst);
    CHECK(worst < 1e-6); // the sweep alone: no sine, no reverb added
    CHECK(engine->attachedSweep() == nullptr);
}

TEST_CASE("rt paths: the record path (`wavebench record --device virtual`), device thread under the guard, "
          "the writer running and stalled",
          "[engine][rt][nosan]")
{
    // RecordCallback plays a tone on two outputs and hands inputs 1, 2 and outputs 1, 2 to the
    // recorder on the Virtual device's own thread. Once with the writer running, once with it
    // stalled (the pool runs dry): the device thread counts nothing either way, and the frames
    // lost are exactly the gaps the writer finds.
    for (const bool stall : {false, true})
    {
        INFO((stall ? "writer stalled" : "writer running"));
        const auto path = (std::filesystem::temp_directory_path() / ("wb-rt-record-" + std::to_string(stall) + ".wav")).string();
        wb::VirtualLoopbackConfig config;
        config.numChannels = 2;
        config.cableDelaySamples = 7.0;
        config.pacing = wb::VirtualLoopbackConfig::Pacing::asFastAsPossible;
        wb::VirtualLoopbackDevice device(config);
        REQUIRE(device.open(channelSet(2), channelSet(2), 48000.0, 64).isEmpty());
        wb::Recorder recorder;
        wb::RecorderConfig rc;
        rc.numChannels = 4;
        rc.blockFrames = 256;
        rc.headroomSeconds = stall ? 0.1 : 3.0; // running: more than the whole take, so nothing can be lost
        std::string error;
        REQUIRE(recorder.prepare(rc, error));
        std::vector<std::vector<float>> play(2, std::vector<float>(48000));
        for (std::size_t i = 0; i < play[0].size(); ++i)
            play[0][i] = play[1][i] = static_cast<float>(0.5 * std::sin(2.0 * std::numbers::pi * 1000.0 * double(i) / 48000.0));
        wb::RecordCallback record(recorder, play, {0, 1}, true, 2);
        GuardedThreadCallback guarded(record);
        recorder.stallWriterForTest(stall);
        wb::RecordingTarget target{path, wb::SampleFormat::float32};
        target.framesAfterStart = 96000;
        REQUIRE(recorder.startFromUi(target, error));
        device.start(&guarded);
        const bool ran = pollUntil([&] { return recorder.endedFromUi(); });
        device.stop();
        REQUIRE(ran);
        const auto stats = recorder.statsFromUi();
        recorder.stallWriterForTest(false);
        const auto result = recorder.finishFromUi(true);
        const auto c = guarded.total();
        INFO(c.describe());
        CHECK(c.clean());
        REQUIRE(result.ok);
        std::int64_t gapFrames = 0;
        for (const auto& g : result.gaps)
            gapFrames += g.frames;
        CHECK(result.framesLost == stats.framesLost);
        CHECK(gapFrames == stats.framesLost);
        CHECK(result.framesWritten + result.framesLost == 96000);
        if (stall)
        {
            // The writer took nothing until the end: the pool's blocks are what was kept.
            CHECK(result.framesWritten == std::int64_t(stats.pool.capacity) * rc.blockFrames);
            CHECK(result.gaps.size() == 1);
        }
        else
            CHECK(result.framesLost == 0);
        std::filesystem::remove(path);
    }
}
