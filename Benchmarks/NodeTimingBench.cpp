// Time per node as the engine itself measures it (Core/Monitor/NodeTimes), on the engine's real
// callback: the generator (1 kHz sine) -> parametriceq -> reverb, 256-frame blocks at 48 kHz, the
// benchmark thread playing the audio thread. Counters, mean ns per callback from the engine's
// NodeTiming telemetry: `generator_ns`, `parametriceq_ns`, `reverb_ns`, `callback_ns` (the whole
// callback) and `reverb_over_generator`. The reverb (~40 ns/frame, DESIGN.md) should cost many
// times the generator (~2 ns/frame); that comparison is a speed figure, so it is reported here and
// asserted by no unit test (issue 18).
//
//   build/release/bin/wavebench_benchmarks --benchmark_filter=NodeTiming
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <benchmark/benchmark.h>

#include <map>
#include <vector>

namespace
{
void BM_NodeTimingEngineCallback(benchmark::State& state)
{
    constexpr int kFrames = 256;
    auto engine = wb::AudioEngine::createWithGenerator();
    wb::SignalSettings sine;
    sine.kind = wb::SignalKind::sine;
    sine.freq = 1000.0;
    sine.levelDb = -20.0;
    sine.duration = 0.0;
    engine->generator()->setSettingsNow(sine, wb::ChannelRouting{}, true);
    const auto eq = engine->chain().addEffectFromUi("parametriceq");
    const auto reverb = engine->chain().addEffectFromUi("reverb");
    if (eq == 0 || reverb == 0)
    {
        state.SkipWithError("could not add the effects");
        return;
    }
    // A device only for its settings (opened, never started).
    wb::VirtualLoopbackConfig config;
    config.bufferSize = kFrames;
    wb::VirtualLoopbackDevice device(config);
    juce::BigInteger channels;
    channels.setRange(0, 2, true);
    if (device.open(channels, channels, 48000.0, kFrames).isNotEmpty())
    {
        state.SkipWithError("could not open the virtual device");
        return;
    }
    auto& callback = engine->deviceCallback();
    callback.audioDeviceAboutToStart(&device);

    std::vector<float> in0(kFrames), in1(kFrames), out0(kFrames), out1(kFrames);
    const float* ins[] = {in0.data(), in1.data()};
    float* outs[] = {out0.data(), out1.data()};
    const juce::AudioIODeviceCallbackContext context{};
    struct Sum
    {
        double ns = 0.0; // mean per callback x callbacks, summed over windows
        double callbacks = 0.0;
    };
    std::map<wb::NodeId, Sum> sums;
    auto drain = [&] {
        wb::Telemetry t;
        while (engine->telemetryQueue().popOnUi(t))
            if (t.type == wb::TelemetryType::nodeTiming)
            {
                auto& s = sums[t.nodeTiming.node];
                s.ns += double(t.nodeTiming.meanNs) * double(t.nodeTiming.callbacks);
                s.callbacks += double(t.nodeTiming.callbacks);
            }
    };
    // Warm-up: 1 s of audio (the inserts' 20 ms fades are over, the reverb is full).
    for (int i = 0; i < 48000 / kFrames; ++i)
        callback.audioDeviceIOCallbackWithContext(ins, 2, outs, 2, kFrames, context);
    drain();
    sums.clear();
    for (auto _ : state)
    {
        callback.audioDeviceIOCallbackWithContext(ins, 2, outs, 2, kFrames, context);
        benchmark::DoNotOptimize(out0.data());
        drain();
    }
    callback.audioDeviceStopped();
    auto mean = [&](wb::NodeId id) { return sums[id].callbacks > 0.0 ? sums[id].ns / sums[id].callbacks : 0.0; };
    state.counters["generator_ns"] = mean(wb::kGeneratorNodeId);
    state.counters["parametriceq_ns"] = mean(eq);
    state.counters["reverb_ns"] = mean(reverb);
    state.counters["callback_ns"] = mean(wb::kEngineNode);
    state.counters["reverb_over_generator"] =
        mean(wb::kGeneratorNodeId) > 0.0 ? mean(reverb) / mean(wb::kGeneratorNodeId) : 0.0;
}
} // namespace

BENCHMARK(BM_NodeTimingEngineCallback)->Name("NodeTiming/engine_callback");
