// GeneratorNode driven as the engine drives it: commands through the ring and the dispatcher,
// each landing on its exact sample, the output identical to the offline render of the same
// settings, click-free start/stop, routing and polarity, saved state, all under the RT guard.
#include "Support/RealtimeGuard.h"

#include "Core/Realtime/CommandDispatcher.h"
#include "Core/Realtime/CommandQueue.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Core/Signals/Render.h"
#include "Engine/GeneratorNode.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <thread>
#include <vector>

namespace
{
constexpr double kRate = 48000.0;
constexpr wb::NodeId kGen = wb::kGeneratorNodeId;

std::uint32_t param(wb::GeneratorParam p) { return static_cast<std::uint32_t>(p); }

struct Rig
{
    wb::GeneratorNode node;
    wb::CommandQueue queue;
    wb::CommandDispatcher dispatcher;
    wb::test::RealtimeCounts violations;
    std::vector<std::vector<float>> out; // per channel, everything so far
    int maxBlock;

    explicit Rig(int numChannels = 2, int maxBlockSize = 4096) : out(size_t(numChannels)), maxBlock(maxBlockSize)
    {
        REQUIRE(dispatcher.registerHandler(kGen, &wb::GeneratorNode::handleCommandOnAudio, &node));
    }

    void prepare() { node.prepareToPlay(kRate, maxBlock); }

    /// Processes `frames` samples in blocks of `block`, dispatching at the start of each block.
    void run(int frames, int block)
    {
        const int numChannels = int(out.size());
        juce::AudioBuffer<float> buf(numChannels, block);
        juce::MidiBuffer midi;
        for (int done = 0; done < frames;)
        {
            const int n = std::min(block, frames - done);
            buf.setSize(numChannels, n, false, false, true);
            {
                wb::test::RealtimeGuard guard;
                (void) dispatcher.dispatchOnAudio(queue);
                node.processBlock(buf, midi);
                violations += guard.counts();
            }
            for (int ch = 0; ch < numChannels; ++ch)
                out[size_t(ch)].insert(out[size_t(ch)].end(), buf.getReadPointer(ch), buf.getReadPointer(ch) + n);
            done += n;
        }
    }

    [[nodiscard]] float largestStep(size_t channel = 0) const
    {
        float worst = 0.0f;
        const auto& x = out[channel];
        for (size_t i = 1; i < x.size(); ++i)
            worst = std::max(worst, std::abs(x[i] - x[i - 1]));
        return worst;
    }
};

wb::SignalSettings dcAt(double levelDb)
{
    wb::SignalSettings s;
    s.kind = wb::SignalKind::dc;
    s.levelDb = levelDb;
    s.duration = 0.0; // endless: no fade-out
    return s;
}
} // namespace

TEST_CASE("every signal kind and every generator command is real-time safe", "[engine][generator][rt][nosan]")
{
    Rig rig(2, 256);
    rig.prepare();
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen, 3)));
    rig.run(512, 256);
    for (int k = 0; k < wb::kNumSignalKinds; ++k)
    {
        REQUIRE(rig.queue.pushFromUi(wb::Command::setSignal(kGen, std::uint32_t(k), {440.0, -12.0, 4000.0, 0.5}, 17)));
        rig.run(1024, 256);
    }
    const double values[wb::kNumGeneratorParams] = {2, 997, 5000, -20, 1, 2, 0.25, 42, 480, 0.01, 0.01, 3, 2, 1, 0.01};
    for (int p = 0; p < wb::kNumGeneratorParams; ++p)
    {
        REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, std::uint32_t(p), values[p], std::uint32_t(p * 7))));
        // and nonsense for every parameter: ignored or clamped, never a crash
        REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, std::uint32_t(p), std::nan(""), 100)));
        REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, std::uint32_t(p), 1e300, 101)));
        REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, std::uint32_t(p), -1e300, 102)));
        rig.run(512, 256);
    }
    REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, 99, 1.0)));
    REQUIRE(rig.queue.pushFromUi(wb::Command::setSignal(kGen, 99, {1.0, 0.0, 0.0, 0.0})));
    REQUIRE(rig.queue.pushFromUi(wb::Command::resetMeters()));
    REQUIRE(rig.queue.pushFromUi(wb::Command::stop(kGen, 300)));
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen, 5000))); // survives into later blocks
    rig.run(8192, 256);
    {
        wb::test::RealtimeGuard guard;
        rig.node.reset();
        rig.violations += guard.counts();
    }
    INFO(rig.violations.describe());
    CHECK(rig.violations.clean());
    {
        // The guard itself fires (the fail case): an allocation inside it is counted.
        static void* volatile escaped = nullptr; // volatile: the allocation cannot be elided
        const auto c = wb::test::countRealtimeViolations([] { escaped = std::malloc(64); });
        std::free(escaped);
        CHECK(c.allocations > 0);
    }
    bool finite = true;
    for (const auto& ch : rig.out)
        for (float x : ch)
            finite = finite && std::isfinite(x) && std::abs(x) <= 16.0f;
    CHECK(finite);
    // Each parameter got: a valid value, NaN (ignored), 1e300 (clamped or ignored), -1e300 (same).
    const auto& s = rig.node.settingsOnAudio();
    CHECK(s.kind == wb::SignalKind::sine);
    CHECK(s.freq == Approx(wb::GeneratorNode::kMaxFrequencyRatio * kRate)); // 1e300 clamped below fs/2
    CHECK(s.levelDb == wb::GeneratorNode::kMinLevelDb);                      // +24 then -200
    CHECK(s.mode == wb::LevelMode::rms);
    CHECK(s.startPhase >= 0.0);
    CHECK(s.startPhase < 1.0);
    CHECK(s.seed == 42);
    CHECK(rig.node.routingOnAudio().enabledMask == 3u);
    CHECK(rig.node.routingOnAudio().invert[1]);
    CHECK_FALSE(rig.node.routingOnAudio().invert[0]);
    CHECK(rig.node.isRunningOnAudio());
    CHECK(rig.node.droppedCommands() == 0);
}

TEST_CASE("generator commands land on their exact sample, across block boundaries", "[engine][generator]")
{
    for (int block : {1, 64, 256, 4096})
    {
        INFO("block " << block);
        Rig rig;
        rig.node.setSettingsNow(dcAt(-6.0), wb::ChannelRouting{}, false);
        rig.prepare();
        // All sent before the first block; the later ones wait across blocks.
        REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen, 1000)));
        REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, param(wb::GeneratorParam::levelDb), 0.0, 1500)));
        REQUIRE(rig.queue.pushFromUi(
            wb::Command::setSignal(kGen, std::uint32_t(wb::SignalKind::silence), {1000.0, -6.0, 0.0, 0.0}, 3001)));
        rig.run(5000, block);
        const auto& x = rig.out[0];
        const float dc = std::pow(10.0f, -6.0f / 20.0f);
        CHECK(x[999] == 0.0f);
        CHECK(x[1000] > 0.0f);                        // the start ramp begins on sample 1000
        CHECK(x[1000] < 0.01f);
        CHECK(x[1499] == Approx(dc).margin(1e-6));    // the start ramp (5 ms) is over
        CHECK(x[1500] > x[1499]);                     // the level ramp begins on sample 1500
        CHECK(x[2500] == Approx(1.0).margin(1e-6));   // ... and is over after 10 ms
        CHECK(x[3000] == Approx(1.0).margin(1e-6));
        CHECK(x[3001] == x[3000]);                    // the crossfade to silence starts on 3001
        CHECK(x[3002] < x[3001]);                     // (its first sample has weight 1)
        CHECK(x[4000] == 0.0f);
    }
}

TEST_CASE("the generator node plays exactly what the offline render writes", "[engine][generator]")
{
    using K = wb::SignalKind;
    for (auto kind : {K::sine, K::square, K::saw, K::triangle, K::pink, K::whiteGaussian, K::impulse, K::sweepLog,
                      K::sweepLin})
    {
        INFO("kind " << wb::signalKindName(kind));
        wb::SignalSettings s;
        s.kind = kind;
        s.freq = 997.0;
        s.freqTo = 12000.0;
        s.levelDb = -3.0;
        s.duration = 0.25;
        s.fadeIn = 0.01;
        s.fadeOut = 0.02;
        s.periodSamples = 480.0;
        s.seed = 7;
        wb::ChannelRouting routing;
        routing.invert[1] = true;

        wb::RenderConfig config;
        config.sampleRate = kRate;
        config.numChannels = 2;
        config.blockSize = 512;
        config.routing = routing;
        config.exactNoiseLevel = false; // the render's level correction is offline-only
        const auto reference = wb::renderSignal(s, config);

        Rig rig(2, 512);
        rig.node.setSettingsNow(s, routing, true);
        rig.prepare();
        rig.run(int(reference.numFrames()), 512);
        double worst = 0.0;
        for (size_t ch = 0; ch < 2; ++ch)
            for (size_t i = 0; i < reference.channels[ch].size(); ++i)
                worst = std::max(worst, double(std::abs(rig.out[ch][i] - reference.channels[ch][i])));
        CHECK(worst <= 1e-6);
        float peak = 0.0f;
        for (float v : rig.out[0])
            peak = std::max(peak, std::abs(v));
        CHECK(peak > 0.1f); // not trivially equal silence
    }
}

TEST_CASE("a repeating sweep restarts every duration, and an impulse train by period in seconds plays from Start",
          "[engine][generator][rt][nosan]")
{
    Rig rig(2, 256);
    rig.prepare();
    const auto set = [&](wb::GeneratorParam p, double v) { REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, param(p), v))); };
    set(wb::GeneratorParam::freq, 100.0);
    set(wb::GeneratorParam::freqTo, 10000.0);
    set(wb::GeneratorParam::levelDb, -6.0);
    set(wb::GeneratorParam::duration, 0.1); // 4800 samples
    set(wb::GeneratorParam::fadeIn, 0.005);
    set(wb::GeneratorParam::fadeOut, 0.005);
    set(wb::GeneratorParam::repeat, 1.0);
    set(wb::GeneratorParam::kind, double(wb::SignalKind::sweepLog));
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen)));
    rig.run(3 * 4800 + 1000, 256);
    // One sweep as the offline render writes it (no repetition: one duration).
    wb::SignalSettings s;
    s.kind = wb::SignalKind::sweepLog;
    s.freq = 100.0;
    s.freqTo = 10000.0;
    s.levelDb = -6.0;
    s.duration = 0.1;
    s.fadeIn = s.fadeOut = 0.005;
    wb::RenderConfig config;
    config.sampleRate = kRate;
    config.blockSize = 333;
    const auto once = wb::renderSignal(s, config);
    REQUIRE(once.numFrames() == 4800);
    for (size_t rep = 0; rep < 3; ++rep)
        for (size_t i = 0; i < 4800; ++i)
            REQUIRE(rig.out[0][rep * 4800 + i] == once.channels[0][i]); // from Start: no ramp for a sweep
    float peak = 0.0f;
    for (float v : once.channels[0])
        peak = std::max(peak, std::abs(v));
    CHECK(peak == Approx(0.5012).margin(2e-3)); // -6 dBFS

    // The impulse: period 2.5 ms = 120 samples at 48 kHz; the first one is the first sample.
    set(wb::GeneratorParam::periodSeconds, 0.0025);
    set(wb::GeneratorParam::repeat, 0.0);
    set(wb::GeneratorParam::duration, 0.0); // endless, no fades: as the app's panel sends it
    set(wb::GeneratorParam::fadeIn, 0.0);
    set(wb::GeneratorParam::fadeOut, 0.0);
    set(wb::GeneratorParam::kind, double(wb::SignalKind::impulse));
    REQUIRE(rig.queue.pushFromUi(wb::Command::stop(kGen)));
    rig.run(1024, 256);
    const size_t startAt = rig.out[0].size();
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen)));
    rig.run(1024, 256);
    int impulses = 0;
    for (size_t i = startAt; i < rig.out[0].size(); ++i)
        if (rig.out[0][i] != 0.0f)
        {
            CHECK((i - startAt) % 120 == 0);
            CHECK(rig.out[0][i] == Approx(0.5012f).margin(2e-3));
            ++impulses;
        }
    CHECK(impulses == 9); // 0, 120, ..., 960
    INFO(rig.violations.describe());
    CHECK(rig.violations.clean());
}

TEST_CASE("a one-shot sweep or impulse ends: the node stops itself and reports it once per Start",
          "[engine][generator][rt][nosan]")
{
    Rig rig(2, 256);
    wb::TelemetryQueue telemetry;
    rig.node.setTelemetry(&telemetry);
    rig.prepare();
    const auto set = [&](wb::GeneratorParam p, double v) { REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, param(p), v))); };
    const auto reports = [&] {
        std::vector<wb::GeneratorFinished> got;
        wb::Telemetry t;
        while (telemetry.popOnUi(t))
            if (t.type == wb::TelemetryType::generatorFinished)
                got.push_back(t.generator);
        return got;
    };
    set(wb::GeneratorParam::freq, 100.0);
    set(wb::GeneratorParam::freqTo, 10000.0);
    set(wb::GeneratorParam::levelDb, -6.0);
    set(wb::GeneratorParam::duration, 0.1); // 4800 samples
    set(wb::GeneratorParam::fadeIn, 0.005);
    set(wb::GeneratorParam::fadeOut, 0.005);
    set(wb::GeneratorParam::repeat, 0.0);
    set(wb::GeneratorParam::kind, double(wb::SignalKind::sweepLog));
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen)));
    rig.run(4608, 256); // 18 blocks: the sweep is still playing
    CHECK(rig.node.isRunningOnAudio());
    CHECK(reports().empty());
    rig.run(2048, 256);
    CHECK_FALSE(rig.node.isRunningOnAudio());
    auto got = reports();
    REQUIRE(got.size() == 1);
    CHECK(got[0].node == kGen);
    CHECK(got[0].startCount == 1);
    // What played is the one-shot render; after it, silence.
    wb::SignalSettings s;
    s.kind = wb::SignalKind::sweepLog;
    s.freq = 100.0;
    s.freqTo = 10000.0;
    s.levelDb = -6.0;
    s.duration = 0.1;
    s.fadeIn = s.fadeOut = 0.005;
    wb::RenderConfig config;
    config.sampleRate = kRate;
    const auto once = wb::renderSignal(s, config);
    REQUIRE(once.numFrames() == 4800);
    for (size_t i = 0; i < 4800; ++i)
        REQUIRE(rig.out[0][i] == once.channels[0][i]);
    for (size_t i = 4800 + 256 + 240; i < rig.out[0].size(); ++i)
        REQUIRE(rig.out[0][i] == 0.0f);

    // Start again: the sweep plays again from its first sample, and ends with a second report.
    const size_t again = rig.out[0].size();
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen)));
    rig.run(6656, 256);
    for (size_t i = 0; i < 4800; ++i)
        REQUIRE(rig.out[0][again + i] == once.channels[0][i]);
    got = reports();
    REQUIRE(got.size() == 1);
    CHECK(got[0].startCount == 2);

    // A single impulse (period 0): one sample, then the node stops and reports.
    set(wb::GeneratorParam::periodSeconds, 0.0);
    set(wb::GeneratorParam::duration, 0.0);
    set(wb::GeneratorParam::fadeIn, 0.0);
    set(wb::GeneratorParam::fadeOut, 0.0);
    set(wb::GeneratorParam::kind, double(wb::SignalKind::impulse));
    const size_t impulseAt = rig.out[0].size();
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen)));
    rig.run(1024, 256);
    int nonZero = 0;
    for (size_t i = impulseAt; i < rig.out[0].size(); ++i)
        nonZero += rig.out[0][i] != 0.0f ? 1 : 0;
    CHECK(nonZero == 1);
    CHECK(rig.out[0][impulseAt] == Approx(0.5012f).margin(2e-3));
    CHECK_FALSE(rig.node.isRunningOnAudio());
    got = reports();
    REQUIRE(got.size() == 1);
    CHECK(got[0].startCount == 3);

    // A repeating sweep never ends by itself.
    set(wb::GeneratorParam::duration, 0.01);
    set(wb::GeneratorParam::repeat, 1.0);
    set(wb::GeneratorParam::kind, double(wb::SignalKind::sweepLin));
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen)));
    rig.run(4800, 256); // ten repetitions
    CHECK(rig.node.isRunningOnAudio());
    CHECK(reports().empty());
    INFO(rig.violations.describe());
    CHECK(rig.violations.clean());
}

TEST_CASE("generator start and stop are click-free, and stopped is silence", "[engine][generator]")
{
    // A 100 Hz sine at -1 dBFS moves at most 2 pi 100/48000 * 0.891 = 0.0117 per sample. Stopped
    // at its crest without a ramp it would step by 0.89; the 5 ms ramp adds at most 0.891/240.
    constexpr float kNoClick = 0.0117f + 0.0038f + 1e-4f;
    wb::SignalSettings s;
    s.freq = 100.0;
    s.levelDb = -1.0;
    s.duration = 0.0;
    Rig rig(2, 256);
    rig.node.setSettingsNow(s, wb::ChannelRouting{}, false);
    rig.prepare();
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen, 100)));
    REQUIRE(rig.queue.pushFromUi(wb::Command::stop(kGen, 100 + 120 + 480 * 5))); // at a crest
    REQUIRE(rig.queue.pushFromUi(wb::Command::start(kGen, 6000)));
    REQUIRE(rig.queue.pushFromUi(wb::Command::stop(kGen, 6000 + 120 + 480 * 3)));
    rig.run(10000, 256);
    const auto& x = rig.out[0];
    CHECK(rig.largestStep(0) < kNoClick);
    CHECK(std::abs(x[100 + 120 + 480 * 5 - 1]) > 0.85f); // it was stopped at the crest, at full level
    bool silent = true;
    for (int i = 100 + 120 + 480 * 5 + 240; i < 6000; ++i)
        silent = silent && x[size_t(i)] == 0.0f;
    CHECK(silent);
    for (int i = 0; i <= 100; ++i)
        silent = silent && x[size_t(i)] == 0.0f;
    CHECK(silent);
    CHECK(x[6000 + 120 + 240] == Approx(std::sin(2 * M_PI * 100.0 * (120 + 240) / kRate) * 0.891).margin(1e-3));
}

TEST_CASE("generator routing and polarity follow the commands, up to 8 outputs", "[engine][generator]")
{
    wb::GeneratorNode probe;
    juce::AudioProcessor::BusesLayout eight;
    eight.outputBuses.add(juce::AudioChannelSet::discreteChannels(8));
    CHECK(probe.checkBusesLayoutSupported(eight));
    juce::AudioProcessor::BusesLayout nine;
    nine.outputBuses.add(juce::AudioChannelSet::discreteChannels(9));
    CHECK_FALSE(probe.checkBusesLayoutSupported(nine));
    CHECK(probe.getTotalNumOutputChannels() == 2);
    CHECK(probe.getTotalNumInputChannels() == 0);

    Rig rig(8, 256);
    rig.node.setSettingsNow(dcAt(-6.0), wb::ChannelRouting{}, true);
    rig.prepare();
    REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, param(wb::GeneratorParam::routingMask), 0b1000'0101, 64)));
    REQUIRE(rig.queue.pushFromUi(wb::Command::setParameter(kGen, param(wb::GeneratorParam::invertMask), 0b0000'0100, 64)));
    rig.run(2048, 256);
    const float dc = std::pow(10.0f, -6.0f / 20.0f);
    const size_t settled = 64 + 480 + 1; // 10 ms routing ramp
    for (size_t ch = 0; ch < 8; ++ch)
    {
        INFO("channel " << ch);
        const float expected = ch == 0 || ch == 7 ? dc : ch == 2 ? -dc : 0.0f;
        CHECK(rig.out[ch][63] == Approx(dc).margin(1e-6)); // all on before the change
        CHECK(rig.out[ch][settled] == Approx(expected).margin(1e-6));
        CHECK(rig.out[ch][2047] == Approx(expected).margin(1e-6));
    }
}

TEST_CASE("generator state round trip: settings, routing and running flag", "[engine][generator]")
{
    wb::SignalSettings s;
    s.kind = wb::SignalKind::sweepLog;
    s.freq = 30.0;
    s.freqTo = 15000.0;
    s.levelDb = -9.5;
    s.mode = wb::LevelMode::rms;
    s.duration = 0.5;
    s.startPhase = 0.125;
    s.seed = 123456789012345ull;
    s.periodSamples = 300;
    s.fadeIn = 0.005;
    s.fadeOut = 0.05;
    wb::ChannelRouting r;
    r.enabledMask = 0b110;
    r.invert[2] = true;

    Rig a(4, 512);
    a.node.setSettingsNow(s, r, true);
    juce::MemoryBlock state;
    a.node.getStateInformation(state);

    Rig b(4, 512);
    b.node.setStateInformation(state.getData(), int(state.getSize()));
    const auto& t = b.node.settingsOnAudio();
    CHECK(t.kind == s.kind);
    CHECK(t.freq == s.freq);
    CHECK(t.freqTo == s.freqTo);
    CHECK(t.levelDb == s.levelDb);
    CHECK(t.mode == s.mode);
    CHECK(t.duration == s.duration);
    CHECK(t.startPhase == s.startPhase);
    CHECK(t.seed == s.seed);
    CHECK(t.periodSamples == s.periodSamples);
    CHECK(t.fadeIn == s.fadeIn);
    CHECK(t.fadeOut == s.fadeOut);
    CHECK(b.node.routingOnAudio().enabledMask == r.enabledMask);
    CHECK(b.node.routingOnAudio().invert == r.invert);
    CHECK(b.node.isRunningOnAudio());

    a.prepare();
    b.prepare();
    a.run(4800, 512);
    b.run(4800, 512);
    CHECK(a.out == b.out);

    // Foreign or damaged data changes nothing.
    const char junk[] = "not a state";
    b.node.setStateInformation(junk, int(sizeof(junk)));
    CHECK(b.node.settingsOnAudio().freq == s.freq);
}

TEST_CASE("the running flag read on the message thread while the audio thread plays: start, one-shot end",
          "[engine][generator]")
{
    // The app (and its tests) ask whether the generator plays from the message thread, while the
    // audio thread changes it: isRunningFromUi reads what processBlock published (an atomic), not
    // the audio thread's own flag (a data race that ThreadSanitizer reported in the app tests).
    // And when the UI hears of a one-shot's end (GeneratorFinished), the flag already says stopped.
    wb::GeneratorNode node;
    wb::CommandQueue queue;
    wb::CommandDispatcher dispatcher;
    wb::TelemetryQueue telemetry;
    REQUIRE(dispatcher.registerHandler(kGen, &wb::GeneratorNode::handleCommandOnAudio, &node));
    node.setTelemetry(&telemetry);
    node.prepareToPlay(kRate, 256);
    const auto set = [&](wb::GeneratorParam p, double v) { REQUIRE(queue.pushFromUi(wb::Command::setParameter(kGen, param(p), v))); };
    set(wb::GeneratorParam::duration, 0.05);
    set(wb::GeneratorParam::repeat, 0.0);
    set(wb::GeneratorParam::kind, double(wb::SignalKind::sweepLin));
    CHECK_FALSE(node.isRunningFromUi());

    std::atomic<bool> stop{false};
    std::thread audio([&] {
        juce::AudioBuffer<float> buffer(2, 256);
        juce::MidiBuffer midi;
        while (!stop.load(std::memory_order_relaxed))
        {
            (void) dispatcher.dispatchOnAudio(queue);
            node.processBlock(buffer, midi);
            std::this_thread::yield();
        }
    });
    const auto finishedReports = [&] {
        int n = 0;
        wb::Telemetry t;
        while (telemetry.popOnUi(t))
            if (t.type == wb::TelemetryType::generatorFinished)
                ++n;
        return n;
    };
    const auto pollUntil = [](auto done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!done() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::yield();
        return done();
    };
    bool startedSeen = true, endedWhenReported = true;
    for (int round = 0; round < 3; ++round)
    {
        REQUIRE(queue.pushFromUi(wb::Command::start(kGen)));
        // The 50 ms sweep ends by itself; its GeneratorFinished comes after the flag is published.
        int reports = 0;
        startedSeen = startedSeen && pollUntil([&] { return node.isRunningFromUi() || (reports += finishedReports()) > 0; });
        endedWhenReported = endedWhenReported && pollUntil([&] { return (reports += finishedReports()) > 0; })
                            && !node.isRunningFromUi();
    }
    stop.store(true, std::memory_order_relaxed);
    audio.join();
    CHECK(startedSeen);
    CHECK(endedWhenReported);
    CHECK_FALSE(node.isRunningFromUi());
    CHECK_FALSE(node.isRunningOnAudio()); // joined: the audio thread's own flag agrees
}
