// The recorder (Core/Audio/Recorder): what the tap adds to an audio callback, and how fast the
// writer thread turns blocks into a WAV file.
//   RecorderTap/<channels>/<frames>: one captureOnAudio of `frames` frames of `channels` channels,
//     recording (the writer thread running, writing f32 to /tmp), against a plain memcpy of the
//     same data (Baseline) in the same run. ns per callback (manual time: the call alone, two
//     steady_clock reads around it).
//   RecorderWriter/<channels>: the writer's throughput, fed as fast as it drains (the feeding
//     side waits when the pool is nearly dry); reported as frames/s and as the real-time factor
//     at 96 kHz (> 1: that many channels at 96 kHz are recorded without a gap), with the writer
//     thread's CPU seconds per second of audio at 96 kHz.
// Run: wavebench_benchmarks --benchmark_filter=Recorder --benchmark_min_time=0.5
#include "Core/Audio/Recorder.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <time.h>   // clock_gettime (POSIX): process CPU time
#include <unistd.h> // getpid (POSIX)

namespace
{
std::string benchFile()
{
    return (std::filesystem::temp_directory_path() / ("wb-recorder-bench-" + std::to_string(::getpid()) + ".wav"))
        .string();
}

double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Source
{
    Source(int channels, int frames)
        : data(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(frames), 0.25f)),
          ptrs(static_cast<std::size_t>(channels))
    {
        for (std::size_t c = 0; c < data.size(); ++c)
            ptrs[c] = data[c].data();
    }
    std::vector<std::vector<float>> data;
    std::vector<const float*> ptrs;
};

void RecorderTap(benchmark::State& state)
{
    const int channels = static_cast<int>(state.range(0));
    const int frames = static_cast<int>(state.range(1));
    Source src(channels, frames);
    wb::Recorder r;
    wb::RecorderConfig config;
    config.numChannels = channels;
    config.sampleRate = 96000.0;
    config.headroomSeconds = 4.0;
    std::string error;
    if (!r.prepare(config, error))
    {
        state.SkipWithError(error.c_str());
        return;
    }
    const std::string path = benchFile();
    if (!r.startFromUi({path, wb::SampleFormat::float32}, error))
    {
        state.SkipWithError(error.c_str());
        return;
    }
    for (auto _ : state)
    {
        // Keep the pool from running dry (lost frames would be cheaper than recorded ones); only
        // the call itself is timed (manual time: PauseTiming costs more than the call).
        while (r.statsFromUi().writerLagFrames + 8 * config.blockFrames
               >= static_cast<std::int64_t>(r.statsFromUi().pool.capacity) * config.blockFrames)
            std::this_thread::yield();
        const auto t0 = std::chrono::steady_clock::now();
        r.captureOnAudio(src.ptrs.data(), frames);
        const auto t1 = std::chrono::steady_clock::now();
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    }
    const auto result = r.finishFromUi(true);
    std::filesystem::remove(path);
    state.counters["lost_frames"] = static_cast<double>(result.framesLost);
}
BENCHMARK(RecorderTap)->Args({2, 256})->Args({32, 256})->Args({32, 64})->Unit(benchmark::kNanosecond)->UseManualTime();

void RecorderTapBaseline(benchmark::State& state)
{
    const int channels = static_cast<int>(state.range(0));
    const int frames = static_cast<int>(state.range(1));
    Source src(channels, frames);
    std::vector<std::vector<float>> to(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(frames)));
    for (auto _ : state)
    {
        for (std::size_t c = 0; c < to.size(); ++c)
            std::memcpy(to[c].data(), src.ptrs[c], static_cast<std::size_t>(frames) * sizeof(float));
        benchmark::ClobberMemory();
    }
}
BENCHMARK(RecorderTapBaseline)->Args({2, 256})->Args({32, 256})->Args({32, 64})->Unit(benchmark::kNanosecond);

void RecorderWriter(benchmark::State& state)
{
    const int channels = static_cast<int>(state.range(0));
    constexpr int kFrames = 1024;
    constexpr std::int64_t kSeconds = 4;
    constexpr double kRate = 96000.0;
    Source src(channels, kFrames);
    double writtenFrames = 0.0;
    double cpu = 0.0;
    double wall = 0.0;
    for (auto _ : state)
    {
        wb::Recorder r;
        wb::RecorderConfig config;
        config.numChannels = channels;
        config.sampleRate = kRate;
        config.headroomSeconds = 0.5;
        std::string error;
        if (!r.prepare(config, error))
        {
            state.SkipWithError(error.c_str());
            return;
        }
        const std::string path = benchFile();
        wb::RecordingTarget t{path, wb::SampleFormat::float32};
        t.framesAfterStart = kSeconds * static_cast<std::int64_t>(kRate);
        const double cpu0 = processCpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        if (!r.startFromUi(t, error))
        {
            state.SkipWithError(error.c_str());
            return;
        }
        while (!r.endedFromUi())
        {
            if (r.statsFromUi().writerLagFrames + 8 * kFrames < std::int64_t(r.statsFromUi().pool.capacity) * config.blockFrames)
                r.captureOnAudio(src.ptrs.data(), kFrames);
            else
                std::this_thread::yield();
        }
        const auto result = r.finishFromUi(false);
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        cpu += processCpuSeconds() - cpu0;
        writtenFrames += static_cast<double>(result.framesWritten);
        std::filesystem::remove(path);
    }
    state.counters["frames_per_s"] = writtenFrames / wall;
    state.counters["realtime_x_at_96k"] = writtenFrames / wall / kRate;
    // Process CPU while feeding and writing: the feeding thread yields while it waits, so this is
    // an upper bound of the writer's own CPU.
    state.counters["cpu_s_per_audio_s"] = cpu / (writtenFrames / kRate);
}
BENCHMARK(RecorderWriter)->Arg(2)->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
} // namespace
