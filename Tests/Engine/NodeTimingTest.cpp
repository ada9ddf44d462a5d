// Time per node: the generator and every effect of the chain are timed on the audio thread and
// published as NodeTiming telemetry beside the whole callback's time; the audio side stays clean
// under the real-time guard; extra streams (the stream bench) are summed into the output.
#include "Support/RealtimeGuard.h"

#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <vector>

namespace
{
wb::SignalSettings sine(double freq, double levelDb)
{
    wb::SignalSettings s;
    s.kind = wb::SignalKind::sine;
    s.freq = freq;
    s.levelDb = levelDb;
    s.duration = 0.0;
    return s;
}

/// One publishing window: every NodeTiming with the same windowEndNs, by node.
using Window = std::map<wb::NodeId, wb::NodeTiming>;

/// Drains telemetry into windows (keyed by windowEndNs); returns the number of NodeTimings seen.
std::size_t drainWindows(wb::AudioEngine& engine, std::map<std::uint64_t, Window>& windows)
{
    std::size_t n = 0;
    wb::Telemetry t;
    while (engine.telemetryQueue().popOnUi(t))
        if (t.type == wb::TelemetryType::nodeTiming)
        {
            windows[t.nodeTiming.windowEndNs][t.nodeTiming.node] = t.nodeTiming;
            ++n;
        }
    return n;
}

/// The properties every window must have: each node's mean within its max, the same callbacks and
/// period everywhere, and the nodes (nested inside the callback, on one thread) summing to at most
/// the callback's own time.
void checkWindow(const Window& w, std::uint64_t periodNs)
{
    REQUIRE(w.count(wb::kEngineNode) == 1);
    const auto& callback = w.at(wb::kEngineNode);
    std::uint64_t sum = 0;
    for (const auto& [id, t] : w)
    {
        INFO("node " << id << " mean " << t.meanNs << " max " << t.maxNs);
        CHECK(t.callbacks == callback.callbacks);
        CHECK(t.callbacks > 0);
        CHECK(t.periodNs + 1 >= periodNs); // the engine truncates the period to whole ns
    CHECK(t.periodNs <= periodNs);
        CHECK(t.meanNs <= t.maxNs);
        if (id != wb::kEngineNode)
            sum += t.meanNs;
    }
    // Means are truncated divisions of sums over the same callbacks: the callback's may lose 1 ns.
    CHECK(sum <= callback.meanNs + 1);
}
} // namespace

TEST_CASE("per-node times: generator, every effect and the callback, with sane values", "[engine][monitor]")
{
    auto enginePtr = wb::AudioEngine::createWithGenerator();
    auto& engine = *enginePtr;
    engine.generator()->setSettingsNow(sine(1000.0, -20.0), wb::ChannelRouting{}, true);
    const auto eq = engine.chain().addEffectFromUi("parametriceq");
    const auto reverb = engine.chain().addEffectFromUi("reverb");
    REQUIRE(eq != 0);
    REQUIRE(reverb != 0);
    wb::VirtualLoopbackConfig config;
    config.bufferSize = 256;
    const auto error = engine.openVirtualDevice(config);
    INFO(error);
    REQUIRE(error.isEmpty());
    REQUIRE(engine.isVirtualDevice());
    const std::uint64_t periodNs = std::llround(1.0e9 * 256 / 48000.0);

    // ~33 ms windows: 1 s of audio gives ~30; wait for 10 complete ones with every node.
    std::map<std::uint64_t, Window> windows;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::size_t complete = 0;
    while (std::chrono::steady_clock::now() < until && complete < 10)
    {
        juce::MessageManager::getInstance()->runDispatchLoopUntil(20);
        drainWindows(engine, windows);
        complete = 0;
        for (const auto& [end, w] : windows)
            complete += w.count(wb::kGeneratorNodeId) + w.count(eq) + w.count(reverb) == 3 ? 1 : 0;
    }
    engine.closeDevice();
    REQUIRE(complete >= 10);

    for (const auto& [end, w] : windows)
        checkWindow(w, periodNs);
    // Complete windows: every node took time and nothing else was timed. (How the nodes' costs
    // compare, e.g. the reverb's against the generator's, is a speed figure: the benchmark
    // NodeTiming/engine_callback reports it; a unit test does not assert it.)
    int complete4 = 0;
    for (const auto& [end, w] : windows)
    {
        if (w.size() != 4)
            continue;
        ++complete4;
        for (const auto& [id, t] : w)
        {
            INFO("node " << id);
            CHECK(t.meanNs > 0);
            CHECK((id == wb::kEngineNode || id == wb::kGeneratorNodeId || id == eq || id == reverb));
        }
    }
    REQUIRE(complete4 >= 10);
}

TEST_CASE("the engine callback with node timing and two streams: no allocation, no lock",
          "[engine][monitor][rt][nosan]")
{
    auto enginePtr = wb::AudioEngine::createWithGenerator();
    auto& engine = *enginePtr;
    engine.generator()->setSettingsNow(sine(440.0, -12.0), wb::ChannelRouting{}, true);
    REQUIRE(engine.chain().addEffectFromUi("compressor") != 0);
    REQUIRE(engine.chain().addEffectFromUi("delay") != 0);
    auto extra = engine.addStreamWhileStopped();
    REQUIRE(extra.generator != nullptr);
    extra.generator->setSettingsNow(sine(550.0, -12.0), wb::ChannelRouting{}, true);
    REQUIRE(extra.chain->addEffectFromUi("lowpass") != 0);
    engine.enableTimingSamples(true);

    // A device only for its settings (opened, never started): the test thread plays the audio
    // thread and calls the engine's callback itself, under the guard.
    constexpr int kFrames = 128;
    wb::VirtualLoopbackConfig config;
    config.bufferSize = kFrames;
    wb::VirtualLoopbackDevice device(config);
    juce::BigInteger channels;
    channels.setRange(0, 2, true);
    REQUIRE(device.open(channels, channels, 48000.0, kFrames).isEmpty());
    auto& callback = engine.deviceCallback();
    callback.audioDeviceAboutToStart(&device);

    std::vector<float> in0(kFrames), in1(kFrames), out0(kFrames), out1(kFrames);
    const float* ins[] = {in0.data(), in1.data()};
    float* outs[] = {out0.data(), out1.data()};
    const juce::AudioIODeviceCallbackContext context{};
    constexpr int kCallbacks = 400; // > 30 publishing windows of 1600 frames
    float peak = 0.0f;
    // From the very first callback after the start (audioDeviceAboutToStart prepares everything).
    const auto counts = wb::test::countRealtimeViolations([&] {
        for (int c = 0; c < kCallbacks; ++c)
        {
            callback.audioDeviceIOCallbackWithContext(ins, 2, outs, 2, kFrames, context);
            for (int i = 0; i < kFrames; ++i)
                peak = std::max(peak, std::abs(out0[size_t(i)]));
        }
    });
    callback.audioDeviceStopped();
    INFO(counts.describe());
    CHECK(counts.allocations == 0);
    CHECK(counts.deallocations == 0);
    CHECK(counts.sleeps == 0);
    CHECK(counts.locks == 0); // the nodes are called directly, not through JUCE's locking render sequence
    CHECK(peak > 0.1f); // two sines at -12 dBFS reached the output

    std::map<std::uint64_t, Window> windows;
    std::size_t timingSamples = 0;
    wb::Telemetry t;
    while (engine.telemetryQueue().popOnUi(t))
    {
        if (t.type == wb::TelemetryType::nodeTiming)
            windows[t.nodeTiming.windowEndNs][t.nodeTiming.node] = t.nodeTiming;
        if (t.type == wb::TelemetryType::timingSample)
        {
            ++timingSamples;
            CHECK(t.timing.frames == kFrames);
        }
    }
    CHECK(timingSamples == kCallbacks);
    // A window closes at the first callback that reaches 1600 frames (48000 / 30): every 13th.
    CHECK(windows.size() == kCallbacks / ((1600 + kFrames - 1) / kFrames));
    const auto& w = windows.rbegin()->second;
    // Main stream: generator + 2 effects; extra stream: its generator + 1 effect; the callback.
    CHECK(w.size() == 6);
    CHECK(w.count(wb::AudioEngine::kStreamGeneratorBase + 1) == 1);
    CHECK(w.count(wb::AudioEngine::kStreamEffectBase) == 1);
    for (const auto& [end, win] : windows)
        checkWindow(win, std::llround(1.0e9 * kFrames / 48000.0));
}

TEST_CASE("extra streams are summed into the output and refused while audio runs", "[engine]")
{
    auto enginePtr = wb::AudioEngine::createWithGenerator();
    auto& engine = *enginePtr;
    // The main stream and two extra ones, each a 0.1-peak sine in phase: the output peaks at 0.3.
    engine.generator()->setSettingsNow(sine(1000.0, -20.0), wb::ChannelRouting{}, true);
    for (int k = 0; k < 2; ++k)
    {
        auto s = engine.addStreamWhileStopped();
        REQUIRE(s.generator != nullptr);
        s.generator->setSettingsNow(sine(1000.0, -20.0), wb::ChannelRouting{}, true);
    }
    CHECK(engine.numStreams() == 3);
    CHECK(engine.numConnections() == 12);
    wb::VirtualLoopbackConfig config;
    REQUIRE(engine.openVirtualDevice(config).isEmpty());
    float peak = -1.0f;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < until && std::abs(peak - 0.3f) > 1e-3f)
    {
        juce::MessageManager::getInstance()->runDispatchLoopUntil(10);
        wb::Telemetry t;
        while (engine.telemetryQueue().popOnUi(t))
            if (t.type == wb::TelemetryType::meterValues && t.meter.node == wb::kEngineNode)
                peak = t.meter.peak[0];
    }
    CHECK(peak == Approx(0.3f).margin(1e-3));
    // The topology is fixed while audio runs.
    CHECK(engine.addStreamWhileStopped().generator == nullptr);
    CHECK(engine.numStreams() == 3);
    engine.closeDevice();
}
