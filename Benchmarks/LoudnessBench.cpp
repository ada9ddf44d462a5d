// Cost of the loudness meter (Core/Analysis/Loudness, libebur128) per second of stereo 48 kHz
// audio, fed in blocks of 512 frames as a live analyser would be fed. With and without true
// peak (its 4x oversampling filter is most of the work); items_per_second counts frames, so
// "seconds of audio per second" is items_per_second / 48000.
//
// BM_LiveLoudness10Minutes: the app's live meter (Core/Analysis/LiveLoudness) fed ten minutes of
// stereo 48 kHz in the engine's 256-sample scope chunks, its figures read 30 times per second of
// audio as the app's timer does. Counters: CPU per audio second (feeding and reading), the heap it
// takes at the start and grows by per hour of audio (libebur128 keeps every gating block:
// mallinfo2 at minute 1 and minute 10, scaled), and the cost of one figures() call after the ten minutes.
// Run: wavebench_benchmarks --benchmark_filter=Loudness
#include "Core/Analysis/LiveLoudness.h"
#include "Core/Analysis/Loudness.h"
#include "Core/Monitor/ProcessStats.h"

#include <chrono>

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

void BM_LiveLoudness10Minutes(benchmark::State& state)
{
    constexpr std::int64_t kSeconds = 600;
    wb::FrameChunk chunk;
    chunk.kind = wb::FrameKind::scope;
    // One second of the tone, walked through in chunks (the phase wraps at a whole second).
    std::vector<float> tone(static_cast<std::size_t>(kRate));
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = static_cast<float>(0.1 * std::sin(2.0 * std::numbers::pi * 1000.0 * static_cast<double>(i) / kRate));
    double heapPerHour = 0.0;
    double startMb = 0.0;
    double figuresUs = 0.0;
    std::int64_t frames = 0;
    for (auto _ : state)
    {
        const auto heapBefore = wb::monitor::readMemoryStats().heapInUseBytes;
        wb::LiveLoudness live;
        live.start(kRate, 2);
        const auto heapStarted = wb::monitor::readMemoryStats().heapInUseBytes;
        std::uint64_t heapAtMinute = 0;
        const std::int64_t total = kSeconds * static_cast<std::int64_t>(kRate);
        const std::int64_t readEvery = static_cast<std::int64_t>(kRate) / 30;
        std::int64_t sinceRead = 0;
        std::uint64_t seq = 0;
        for (std::int64_t at = 0; at < total; at += static_cast<std::int64_t>(wb::FrameChunk::kMaxSamples), ++seq)
        {
            const auto offset = static_cast<std::size_t>(at % static_cast<std::int64_t>(kRate));
            const auto n = std::min<std::size_t>(wb::FrameChunk::kMaxSamples, tone.size() - offset);
            chunk.numSamples = static_cast<std::uint32_t>(n);
            chunk.sequence = seq;
            chunk.firstSampleIndex = static_cast<std::uint64_t>(at);
            std::copy_n(tone.begin() + static_cast<std::ptrdiff_t>(offset), n, chunk.samples.begin());
            for (std::uint32_t ch = 0; ch < 2; ++ch)
            {
                chunk.channel = ch;
                live.push(chunk);
            }
            at -= static_cast<std::int64_t>(wb::FrameChunk::kMaxSamples - n); // a short chunk at the wrap
            if (heapAtMinute == 0 && at + static_cast<std::int64_t>(n) >= 60 * static_cast<std::int64_t>(kRate))
                heapAtMinute = wb::monitor::readMemoryStats().heapInUseBytes;
            if ((sinceRead += static_cast<std::int64_t>(n)) >= readEvery)
            {
                sinceRead = 0;
                benchmark::DoNotOptimize(live.figures());
            }
        }
        frames += live.figures().framesMeasured;
        const auto heapAfter = wb::monitor::readMemoryStats().heapInUseBytes;
        // The meter's fixed part (libebur128's 3 s of filtered audio, the step buffer), then the
        // growth from minute 1 to minute 10 (the gating blocks), scaled to an hour.
        startMb = (static_cast<double>(heapStarted) - static_cast<double>(heapBefore)) / 1e6;
        heapPerHour = (static_cast<double>(heapAfter) - static_cast<double>(heapAtMinute)) * 3600.0
                      / static_cast<double>(kSeconds - 60);
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 100; ++i)
            benchmark::DoNotOptimize(live.figures());
        figuresUs = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / 100.0;
    }
    state.SetItemsProcessed(frames);
    state.counters["s_per_audio_s"] = benchmark::Counter(static_cast<double>(frames) / kRate,
                                                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["heap_MB_at_start"] = startMb;
    state.counters["heap_MB_per_hour"] = heapPerHour / 1e6;
    state.counters["figures_us_at_10min"] = figuresUs;
}
BENCHMARK(BM_LiveLoudness10Minutes)->Iterations(1)->Unit(benchmark::kMillisecond);
} // namespace
