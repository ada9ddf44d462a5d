// CPU time of the swept-sine analysis (issue 13's aim: <= 0.2 s for a 2^18-frame capture), with
// one forward FFT of the same size in the same run as the baseline. The capture is the
// excitation itself (a bypass): the analysis does the same work whatever the system was.
#include "Core/Analysis/SweptSine.h"

#include <benchmark/benchmark.h>
#include <fftw3.h>

#include <bit>
#include <vector>

namespace
{
/// A sweep whose capture (sweep + 0.5 s tail at 48 kHz) is close to 2^18 frames.
wb::analysis::SweptSineSettings captureOf2To18()
{
    wb::analysis::SweptSineSettings s;
    s.seconds = 4.95; // synchronized to 4.835 s: 232 100 + 24 000 = 256 100 frames
    s.tailSeconds = 0.5;
    return s;
}

void BM_SweptSineAnalysis2To18(benchmark::State& state)
{
    const wb::analysis::SynchronizedSweep sweep(captureOf2To18());
    const auto capture = sweep.excitation();
    for (auto _ : state)
    {
        auto r = wb::analysis::analyseSweptSine(sweep, capture);
        benchmark::DoNotOptimize(r.response.data());
    }
    state.counters["capture_frames"] = static_cast<double>(capture.size());
}
BENCHMARK(BM_SweptSineAnalysis2To18)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_FftBaselineSameSize(benchmark::State& state)
{
    const wb::analysis::SynchronizedSweep sweep(captureOf2To18());
    const auto n = static_cast<int>(std::bit_ceil(static_cast<std::uint64_t>(sweep.captureFrames() + sweep.sweepFrames() + 1)));
    std::vector<double> in(static_cast<std::size_t>(n), 0.0);
    std::vector<fftw_complex> out(static_cast<std::size_t>(n / 2 + 1));
    fftw_plan plan = fftw_plan_dft_r2c_1d(n, in.data(), out.data(), FFTW_ESTIMATE);
    for (auto _ : state)
    {
        fftw_execute(plan);
        benchmark::DoNotOptimize(out.data());
    }
    fftw_destroy_plan(plan);
    state.counters["fft_size"] = n;
}
BENCHMARK(BM_FftBaselineSameSize)->Unit(benchmark::kMillisecond);
} // namespace
