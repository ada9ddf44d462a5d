// ns per sample of each signal kernel, 512-sample blocks at 48 kHz, with std::sin in the same run
// as the baseline. items_per_second is samples (frames for the generator) per second.
#include "Core/Signals/BandLimitedWave.h"
#include "Core/Signals/Impulse.h"
#include "Core/Signals/Noise.h"
#include "Core/Signals/SignalGenerator.h"
#include "Core/Signals/Sine.h"
#include "Core/Signals/Sweep.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace
{
constexpr int kBlock = 512;
constexpr double kFs = 48000.0;

template <typename Kernel>
void runKernel(benchmark::State& state, Kernel& kernel)
{
    std::vector<float> out(kBlock);
    for (auto _ : state)
    {
        kernel.process(out.data(), kBlock);
        benchmark::DoNotOptimize(out.data());
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
}

void BM_StdSinBaseline(benchmark::State& state)
{
    std::vector<float> out(kBlock);
    double phase = 0.0;
    const double inc = 2.0 * std::numbers::pi * 1000.0 / kFs;
    for (auto _ : state)
    {
        for (int i = 0; i < kBlock; ++i)
        {
            out[static_cast<std::size_t>(i)] = static_cast<float>(std::sin(phase));
            phase += inc;
            if (phase >= 2.0 * std::numbers::pi)
                phase -= 2.0 * std::numbers::pi;
        }
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
}
BENCHMARK(BM_StdSinBaseline);

void BM_Sine(benchmark::State& state)
{
    wb::signals::SineOscillator k;
    k.prepare(kFs, kBlock);
    k.setFrequency(997.0);
    runKernel(state, k);
}
BENCHMARK(BM_Sine);

void BM_BandLimited(benchmark::State& state, wb::signals::WaveShape shape, double hz)
{
    wb::signals::BandLimitedWave k(shape);
    k.prepare(kFs, kBlock);
    k.setFrequency(hz);
    runKernel(state, k);
}
BENCHMARK_CAPTURE(BM_BandLimited, square_1k, wb::signals::WaveShape::square, 997.0);
BENCHMARK_CAPTURE(BM_BandLimited, saw_1k, wb::signals::WaveShape::saw, 997.0);
BENCHMARK_CAPTURE(BM_BandLimited, saw_50Hz, wb::signals::WaveShape::saw, 50.0);
BENCHMARK_CAPTURE(BM_BandLimited, triangle_1k, wb::signals::WaveShape::triangle, 997.0);

void BM_WhiteUniform(benchmark::State& state)
{
    wb::signals::WhiteNoise k(wb::signals::NoiseDistribution::uniform);
    k.prepare(kFs, kBlock);
    k.reset(1);
    runKernel(state, k);
}
BENCHMARK(BM_WhiteUniform);

void BM_WhiteGaussian(benchmark::State& state)
{
    wb::signals::WhiteNoise k(wb::signals::NoiseDistribution::gaussian);
    k.prepare(kFs, kBlock);
    k.reset(1);
    runKernel(state, k);
}
BENCHMARK(BM_WhiteGaussian);

void BM_Pink(benchmark::State& state)
{
    wb::signals::PinkNoise k;
    k.prepare(kFs, kBlock);
    k.reset(1);
    runKernel(state, k);
}
BENCHMARK(BM_Pink);

void BM_Brown(benchmark::State& state)
{
    wb::signals::BrownNoise k;
    k.prepare(kFs, kBlock);
    k.reset(1);
    runKernel(state, k);
}
BENCHMARK(BM_Brown);

void BM_ImpulseTrain(benchmark::State& state)
{
    wb::signals::ImpulseGenerator k;
    k.prepare(kFs, kBlock);
    k.setTiming(0.0, 480.0);
    k.reset();
    runKernel(state, k);
}
BENCHMARK(BM_ImpulseTrain);

void BM_Sweep(benchmark::State& state, wb::signals::SweepLaw law)
{
    wb::signals::SineSweep k(law);
    k.prepare(kFs, kBlock);
    k.setSweep(20.0, 20000.0, 1e6); // long enough never to end inside the benchmark
    k.reset();
    runKernel(state, k);
}
BENCHMARK_CAPTURE(BM_Sweep, log, wb::signals::SweepLaw::logarithmic);
BENCHMARK_CAPTURE(BM_Sweep, lin, wb::signals::SweepLaw::linear);

/// The whole generator (kernel, level ramp, routing) writing stereo frames.
void BM_GeneratorStereo(benchmark::State& state, wb::SignalKind kind)
{
    wb::SignalGenerator g;
    wb::SignalSettings s;
    s.kind = kind;
    s.freq = 997.0;
    s.duration = 0.0;
    g.setSettings(s);
    g.prepare(kFs, kBlock);
    std::vector<float> left(kBlock), right(kBlock);
    float* channels[] = {left.data(), right.data()};
    for (auto _ : state)
    {
        g.process(channels, 2, kBlock);
        benchmark::DoNotOptimize(left.data());
        benchmark::DoNotOptimize(right.data());
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
}
BENCHMARK_CAPTURE(BM_GeneratorStereo, sine, wb::SignalKind::sine);
BENCHMARK_CAPTURE(BM_GeneratorStereo, pink, wb::SignalKind::pink);
} // namespace
