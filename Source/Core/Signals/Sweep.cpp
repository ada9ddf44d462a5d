#include "Core/Signals/Sweep.h"

#include "Core/Analysis/Spectrum.h"

#include <fftw3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>

namespace wb::signals
{
void SineSweep::prepare(double sampleRate, int /*maxBlockSize*/)
{
    table_ = &SineTable::instance();
    sampleRate_ = sampleRate;
    reset();
}

void SineSweep::setSweep(double f1, double f2, double seconds) noexcept
{
    f1_ = f1;
    f2_ = f2;
    seconds_ = seconds;
}

void SineSweep::reset() noexcept
{
    const double fs = sampleRate_;
    length_ = static_cast<std::int64_t>(std::llround(seconds_ * fs));
    position_ = 0;
    phase_ = 0.0;
    const bool logLaw = law_ == SweepLaw::logarithmic && f1_ > 0.0 && f2_ > 0.0 && f1_ != f2_;
    if (logLaw)
    {
        const double rateL = seconds_ / std::log(f2_ / f1_); // L, seconds
        const double step = 1.0 / (fs * rateL);
        growth_ = std::exp(step);
        logStep_ = step;
        firstLogIncrement_ = f1_ * rateL * std::expm1(step); // cycles(1) - cycles(0)
        logIncrement_ = firstLogIncrement_;
        linA_ = linB_ = 0.0;
    }
    else
    {
        const double slope = seconds_ > 0.0 ? (f2_ - f1_) / seconds_ : 0.0; // Hz per second
        linA_ = f1_ / fs + slope / (2.0 * fs * fs);
        linB_ = slope / (fs * fs);
        growth_ = 1.0;
        logIncrement_ = 0.0;
    }
}

void SineSweep::process(float* out, int n) noexcept
{
    const SineTable& table = *table_;
    const bool logLaw = logIncrement_ != 0.0;
    double phase = phase_;
    double logInc = logIncrement_;
    std::int64_t pos = position_;
    // Samples left in the sweep; after it, silence.
    const auto active = static_cast<int>(std::clamp<std::int64_t>(length_ - pos, 0, n));
    std::fill(out + active, out + n, 0.0f);
    // Every increment is below 0.5 cycle (f < fs/2), so one subtraction keeps phase in [0, 1).
    if (logLaw)
    {
        for (int i = 0; i < active; ++i, ++pos)
        {
            if (pos % kResyncSamples == 0)
                logInc = firstLogIncrement_ * std::exp(logStep_ * static_cast<double>(pos));
            out[i] = static_cast<float>(table.sinCycles(phase));
            phase += logInc;
            logInc *= growth_;
            if (phase >= 1.0)
                phase -= 1.0;
        }
    }
    else
    {
        for (int i = 0; i < active; ++i, ++pos)
        {
            out[i] = static_cast<float>(table.sinCycles(phase));
            phase += linA_ + linB_ * static_cast<double>(pos);
            if (phase >= 1.0)
                phase -= 1.0;
        }
    }
    pos += n - active;
    phase_ = phase;
    logIncrement_ = logInc;
    position_ = pos;
}

double SineSweep::frequencyAt(double t) const noexcept
{
    if (law_ == SweepLaw::logarithmic && f1_ > 0.0 && f2_ > 0.0 && f1_ != f2_)
        return f1_ * std::exp(t * std::log(f2_ / f1_) / seconds_);
    return f1_ + (f2_ - f1_) * t / seconds_;
}

std::vector<float> logSweepInverseFilter(double f1, double f2, double seconds, double sampleRate)
{
    SineSweep sweep(SweepLaw::logarithmic);
    sweep.prepare(sampleRate, 0);
    sweep.setSweep(f1, f2, seconds);
    sweep.reset();
    const auto length = static_cast<std::size_t>(sweep.lengthSamples());
    std::vector<float> x(length);
    sweep.process(x.data(), static_cast<int>(length));

    const double rateL = seconds / std::log(f2 / f1);
    std::vector<float> inverse(length);
    for (std::size_t m = 0; m < length; ++m)
        inverse[m] = static_cast<float>(static_cast<double>(x[length - 1 - m]) * std::exp(-static_cast<double>(m) / (sampleRate * rateL)));

    // Normalise: mean |X * INV| over the band where both are flat and clean.
    const auto fftSize = std::bit_ceil(2 * length);
    const std::size_t bins = fftSize / 2 + 1;
    std::vector<double> in(fftSize);
    // std::complex<double> is layout-compatible with fftw_complex (FFTW manual, section 4.1.1).
    std::vector<std::complex<double>> sweepSpectrum(bins);
    std::vector<std::complex<double>> inverseSpectrum(bins);
    auto* sweepOut = reinterpret_cast<fftw_complex*>(sweepSpectrum.data());
    auto* inverseOut = reinterpret_cast<fftw_complex*>(inverseSpectrum.data());
    fftw_plan plan = nullptr;
    {
        std::scoped_lock lock(fftwPlannerMutex());
        plan = fftw_plan_dft_r2c_1d(static_cast<int>(fftSize), in.data(), sweepOut, FFTW_ESTIMATE);
    }
    std::copy(x.begin(), x.end(), in.begin());
    fftw_execute_dft_r2c(plan, in.data(), sweepOut);
    std::fill(in.begin(), in.end(), 0.0);
    std::copy(inverse.begin(), inverse.end(), in.begin());
    fftw_execute_dft_r2c(plan, in.data(), inverseOut);
    {
        std::scoped_lock lock(fftwPlannerMutex());
        fftw_destroy_plan(plan);
    }
    const double binHz = sampleRate / static_cast<double>(fftSize);
    double sum = 0.0;
    int count = 0;
    for (std::size_t k = 0; k < bins; ++k)
    {
        const double f = static_cast<double>(k) * binHz;
        if (f < 2.0 * f1 || f > 0.5 * f2)
            continue;
        sum += std::abs(sweepSpectrum[k]) * std::abs(inverseSpectrum[k]);
        ++count;
    }
    if (count > 0 && sum > 0.0)
    {
        const auto scale = static_cast<float>(count / sum);
        for (auto& v : inverse)
            v *= scale;
    }
    return inverse;
}
} // namespace wb::signals
