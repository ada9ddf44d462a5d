// Cost of the loudness meter (Core/Analysis/Loudness, libebur128) per second of stereo 48 kHz
// audio, fed in blocks of 512 frames as a live analyser would be fed. With and without true
// peak (its 4x oversampling filter is most of the work); items_per_second counts frames, so
// "seconds of audio per second" is items_per_second / 48000.
// Run: wavebench_benchmarks --benchmark_filter=Loudness
#include "Core/Analysis/Loudness.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace
{
constexpr double kRate = 48000.0;
constexpr int kBlock = 512;

void BM_LoudnessStereo48k(benchmark::State& state)
{
    const bool truePeak = state.range(0) != 0;
    // One second of a 997 Hz tone at -20 dBFS, so every gate and window has work to do.
    std::vector<std::vector<float>> audio(2, std::vector<float>(static_cast<std::size_t>(kRate)));
    for (std::size_t i = 0; i < audio[0].size(); ++i)
        audio[0][i] = audio[1][i] =
            static_cast<float>(0.1 * std::sin(2.0 * std::numbers::pi * 997.0 * static_cast<double>(i) / kRate));
    wb::LoudnessMeter meter(2, kRate, truePeak);
    std::int64_t frames = 0;
    for (auto _ : state)
    {
        // One second of audio per iteration.
        for (std::size_t at = 0; at + kBlock <= audio[0].size(); at += kBlock)
        {
            const float* ptrs[2] = {audio[0].data() + at, audio[1].data() + at};
            meter.add(ptrs, kBlock);
            frames += kBlock;
        }
        benchmark::DoNotOptimize(meter.momentaryLufs());
    }
    state.SetItemsProcessed(frames);
    // CPU seconds per second of audio (an inverted rate of audio seconds).
    state.counters["s_per_audio_s"] = benchmark::Counter(static_cast<double>(frames) / kRate,
                                                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_LoudnessStereo48k)->Arg(0)->Arg(1)->ArgName("true_peak")->Unit(benchmark::kMillisecond);
} // namespace
