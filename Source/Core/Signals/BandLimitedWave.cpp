#include "Core/Signals/BandLimitedWave.h"

#include "Core/Analysis/Spectrum.h"

#include <fftw3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <bit>
#include <cmath>
#include <memory>
#include <numbers>
#include <thread>

namespace wb::signals
{
namespace
{
/// Harmonic budgets grow by about a quarter octave: the top harmonic played stays above
/// 2^(-1/4) = 0.84 of the Nyquist frequency.
constexpr double kBudgetRatio = 1.189207115002721; // 2^(1/4)

/// Sine-series coefficient b_k of the ideal (unlimited) waveform: x(p) = sum b_k sin(2 pi k p).
double harmonicAmplitude(WaveShape shape, int k)
{
    constexpr double pi = std::numbers::pi;
    switch (shape)
    {
        case WaveShape::saw:
            return -2.0 / (pi * k);
        case WaveShape::square:
            return (k % 2 == 1) ? 4.0 / (pi * k) : 0.0;
        case WaveShape::triangle:
        {
            if (k % 2 == 0)
                return 0.0;
            const double sign = ((k - 1) / 2) % 2 == 0 ? 1.0 : -1.0;
            return sign * 8.0 / (pi * pi * k * k);
        }
    }
    return 0.0;
}

std::vector<int> harmonicBudgets()
{
    std::vector<int> budgets;
    for (int k = 1; k <= BandLimitedWave::kMaxHarmonic;)
    {
        budgets.push_back(k);
        k = std::max(k + 1, static_cast<int>(std::floor(k * kBudgetRatio)));
    }
    if (budgets.back() != BandLimitedWave::kMaxHarmonic)
        budgets.push_back(BandLimitedWave::kMaxHarmonic);
    return budgets;
}

/// Extremum of a sampled smooth periodic curve near index i, by a parabola through 3 points.
double refinedExtremum(const std::vector<double>& x, int i)
{
    const int n = static_cast<int>(x.size());
    const double xm = x[static_cast<std::size_t>((i - 1 + n) % n)];
    const double x0 = x[static_cast<std::size_t>(i)];
    const double xp = x[static_cast<std::size_t>((i + 1) % n)];
    const double curvature = xp - 2.0 * x0 + xm;
    if (curvature == 0.0)
        return std::abs(x0);
    return std::abs(x0 - (xp - xm) * (xp - xm) / (8.0 * curvature));
}

struct FftwFree
{
    void operator()(void* p) const noexcept { fftw_free(p); }
};
} // namespace

BandLimitedWave::TableSet BandLimitedWave::buildTables(WaveShape shape)
{
    TableSet built;

    const auto budgets = harmonicBudgets();
    std::size_t total = 0;
    std::vector<int> sizes;
    for (int k : budgets)
    {
        const auto wanted = static_cast<unsigned>(k * kOversampling);
        const int size = std::clamp(static_cast<int>(std::bit_ceil(wanted)), kMinTableSize, kMaxTableSize);
        sizes.push_back(size);
        total += static_cast<std::size_t>(size) + 1;
    }
    built.pool.resize(total);

    std::unique_ptr<fftw_complex, FftwFree> spectrum(
        static_cast<fftw_complex*>(fftw_malloc(sizeof(fftw_complex) * (kMaxTableSize / 2 + 1))));
    std::unique_ptr<double, FftwFree> wave(static_cast<double*>(fftw_malloc(sizeof(double) * kMaxTableSize)));
    std::vector<double> x;

    std::size_t offset = 0;
    for (std::size_t t = 0; t < budgets.size(); ++t)
    {
        const int size = sizes[t];
        const int top = budgets[t];
        fftw_plan plan = nullptr;
        {
            std::scoped_lock lock(fftwPlannerMutex());
            plan = fftw_plan_dft_c2r_1d(size, spectrum.get(), wave.get(), FFTW_ESTIMATE);
        }
        // c2r computes x[n] = sum_k X[k] e^{+2 pi i k n / N} over the full Hermitian spectrum, so a
        // term b sin(2 pi k n / N) needs X[k] = -i b / 2.
        double sumSquares = 0.0;
        for (int k = 0; k <= size / 2; ++k)
        {
            const double b = (k >= 1 && k <= top) ? harmonicAmplitude(shape, k) : 0.0;
            spectrum.get()[k][0] = 0.0;
            spectrum.get()[k][1] = -0.5 * b;
            sumSquares += 0.5 * b * b;
        }
        fftw_execute(plan);
        {
            std::scoped_lock lock(fftwPlannerMutex());
            fftw_destroy_plan(plan);
        }

        x.assign(wave.get(), wave.get() + size);
        int argmax = 0;
        for (int i = 1; i < size; ++i)
            if (std::abs(x[static_cast<std::size_t>(i)]) > std::abs(x[static_cast<std::size_t>(argmax)]))
                argmax = i;
        const double truePeak = std::max(refinedExtremum(x, argmax), std::abs(x[static_cast<std::size_t>(argmax)]));
        const double scale = 1.0 / truePeak;
        for (int i = 0; i < size; ++i)
            built.pool[offset + static_cast<std::size_t>(i)] = static_cast<float>(x[static_cast<std::size_t>(i)] * scale);
        built.pool[offset + static_cast<std::size_t>(size)] = built.pool[offset]; // guard point

        built.tables.push_back({offset, size, top, std::sqrt(sumSquares) * scale});
        offset += static_cast<std::size_t>(size) + 1;
    }
    return built;
}

std::shared_ptr<const BandLimitedWave::TableSet> BandLimitedWave::sharedTables(WaveShape shape)
{
    // One build per shape and process; different shapes may build at the same time (FFTW's
    // planner is serialised by fftwPlannerMutex, its execution is thread-safe).
    static std::array<std::once_flag, kNumShapes> once;
    static std::array<std::shared_ptr<const TableSet>, kNumShapes> cache;
    const auto i = static_cast<std::size_t>(shape);
    std::call_once(once[i], [&] { cache[i] = std::make_shared<const TableSet>(buildTables(shape)); });
    return cache[i];
}

void BandLimitedWave::buildAllTables()
{
    static std::atomic<bool> allBuilt{false};
    if (allBuilt.load(std::memory_order_acquire))
        return; // every later prepare: no threads started
    constexpr auto shapes = static_cast<std::size_t>(kNumShapes);
    std::array<std::thread, shapes - 1> others;
    for (std::size_t i = 1; i < shapes; ++i)
        others[i - 1] = std::thread([i] { (void) sharedTables(static_cast<WaveShape>(i)); });
    (void) sharedTables(static_cast<WaveShape>(0));
    for (auto& t : others)
        t.join();
    allBuilt.store(true, std::memory_order_release);
}

void BandLimitedWave::prepare(double sampleRate, int /*maxBlockSize*/)
{
    sampleRate_ = sampleRate;
    set_ = sharedTables(shape_);
    setFrequency(frequency_);
}

void BandLimitedWave::setFrequency(double hz) noexcept
{
    frequency_ = hz;
    increment_ = hz / sampleRate_;
    if (!set_ || set_->tables.empty())
        return;
    const double nyquist = 0.5 * sampleRate_;
    int allowed = set_->tables.back().topHarmonic;
    if (hz > 0.0)
    {
        allowed = static_cast<int>(std::floor(nyquist / hz));
        if (allowed * hz >= nyquist) // strictly below Nyquist
            --allowed;
    }
    // Largest table whose top harmonic is within the budget (the first table when none is).
    int chosen = 0;
    for (int t = 0; t < static_cast<int>(set_->tables.size()); ++t)
        if (set_->tables[static_cast<std::size_t>(t)].topHarmonic <= allowed)
            chosen = t;
    current_ = chosen;
}

void BandLimitedWave::reset(double startPhase) noexcept
{
    phase_ = startPhase - std::floor(startPhase);
}

void BandLimitedWave::process(float* out, int n) noexcept
{
    const Table& table = set_->tables[static_cast<std::size_t>(current_)];
    const float* points = set_->pool.data() + table.offset;
    const double size = table.size;
    const double inc = increment_;
    double phase = phase_;
    for (int i = 0; i < n; ++i)
    {
        const double pos = phase * size;
        const auto index = static_cast<int>(pos);
        const double frac = pos - index;
        const double a = points[index];
        const double b = points[index + 1];
        out[i] = static_cast<float>(a + frac * (b - a));
        phase += inc;
        if (phase >= 1.0)
            phase -= 1.0;
    }
    phase_ = phase;
}

double BandLimitedWave::rms() const noexcept
{
    return !set_ ? 0.0 : set_->tables[static_cast<std::size_t>(current_)].rms;
}

int BandLimitedWave::topHarmonic() const noexcept
{
    return !set_ ? 0 : set_->tables[static_cast<std::size_t>(current_)].topHarmonic;
}
} // namespace wb::signals
