#include "Core/Analysis/Spectrum.h"

#include <fftw3.h>

#include <cmath>
#include <complex>
#include <numbers>

namespace wb
{
namespace
{
// 4-term Blackman-Harris (Harris 1978, "minimum 4-sample"): -92 dB highest side lobe.
constexpr double kBh0 = 0.35875;
constexpr double kBh1 = 0.48829;
constexpr double kBh2 = 0.14128;
constexpr double kBh3 = 0.01168;

/// A real-to-complex plan with its buffers. Allocates; the plan is made under the planner lock.
class RealFft
{
public:
    explicit RealFft(int n) : n_(n), in_(static_cast<std::size_t>(n)), out_(static_cast<std::size_t>(n / 2 + 1))
    {
        std::scoped_lock lock(fftwPlannerMutex());
        plan_ = fftw_plan_dft_r2c_1d(n, in_.data(), reinterpret_cast<fftw_complex*>(out_.data()), FFTW_ESTIMATE);
    }
    ~RealFft()
    {
        std::scoped_lock lock(fftwPlannerMutex());
        fftw_destroy_plan(plan_);
    }
    RealFft(const RealFft&) = delete;
    RealFft& operator=(const RealFft&) = delete;

    std::vector<double>& input() noexcept { return in_; }
    const std::vector<std::complex<double>>& execute() noexcept
    {
        fftw_execute(plan_);
        return out_;
    }
    [[nodiscard]] int size() const noexcept { return n_; }

private:
    int n_;
    std::vector<double> in_;
    std::vector<std::complex<double>> out_; // layout-compatible with fftw_complex
    fftw_plan plan_ = nullptr;
};
} // namespace

std::mutex& fftwPlannerMutex()
{
    static std::mutex m;
    return m;
}

std::vector<double> makeWindow(Window w, int n)
{
    std::vector<double> win(static_cast<std::size_t>(n), 1.0);
    const double step = 2.0 * std::numbers::pi / n;
    for (int i = 0; i < n; ++i)
    {
        const double x = step * i;
        switch (w)
        {
            case Window::rectangular: break;
            case Window::hann: win[static_cast<std::size_t>(i)] = 0.5 - 0.5 * std::cos(x); break;
            case Window::blackmanHarris4:
                win[static_cast<std::size_t>(i)] =
                    kBh0 - kBh1 * std::cos(x) + kBh2 * std::cos(2.0 * x) - kBh3 * std::cos(3.0 * x);
                break;
        }
    }
    return win;
}

std::vector<double> amplitudeSpectrum(std::span<const float> x, Window w)
{
    const int n = static_cast<int>(x.size());
    if (n < 2)
        return {};
    const auto win = makeWindow(w, n);
    RealFft fft(n);
    double coherentGain = 0.0;
    for (int i = 0; i < n; ++i)
    {
        fft.input()[static_cast<std::size_t>(i)] = static_cast<double>(x[static_cast<std::size_t>(i)]) * win[static_cast<std::size_t>(i)];
        coherentGain += win[static_cast<std::size_t>(i)];
    }
    const auto& spectrum = fft.execute();
    std::vector<double> amplitude(spectrum.size());
    for (std::size_t k = 0; k < spectrum.size(); ++k)
    {
        const bool edge = k == 0 || (n % 2 == 0 && k == spectrum.size() - 1);
        amplitude[k] = std::abs(spectrum[k]) * (edge ? 1.0 : 2.0) / coherentGain;
    }
    return amplitude;
}

std::vector<double> welchPsd(std::span<const float> x, double sampleRate, int fftSize, Window w)
{
    const auto bins = static_cast<std::size_t>(fftSize / 2 + 1);
    std::vector<double> psd(bins, 0.0);
    if (static_cast<int>(x.size()) < fftSize || fftSize < 2)
        return psd;
    const auto win = makeWindow(w, fftSize);
    double windowPower = 0.0;
    for (double v : win)
        windowPower += v * v;
    RealFft fft(fftSize);
    const int hop = fftSize / 2;
    int segments = 0;
    for (std::size_t start = 0; start + static_cast<std::size_t>(fftSize) <= x.size(); start += static_cast<std::size_t>(hop))
    {
        for (std::size_t i = 0; i < static_cast<std::size_t>(fftSize); ++i)
            fft.input()[i] = static_cast<double>(x[start + i]) * win[i];
        const auto& spectrum = fft.execute();
        for (std::size_t k = 0; k < bins; ++k)
            psd[k] += std::norm(spectrum[k]);
        ++segments;
    }
    const double scale = 1.0 / (sampleRate * windowPower * segments);
    for (std::size_t k = 0; k < bins; ++k)
    {
        const bool edge = k == 0 || k == bins - 1;
        psd[k] *= scale * (edge ? 1.0 : 2.0);
    }
    return psd;
}

double bandPowerDb(const std::vector<double>& psd, double sampleRate, int fftSize, double loHz, double hiHz)
{
    const double binHz = sampleRate / fftSize;
    double sum = 0.0;
    int count = 0;
    for (std::size_t k = 0; k < psd.size(); ++k)
    {
        const double f = static_cast<double>(k) * binHz;
        if (f >= loHz && f < hiHz)
        {
            sum += psd[k];
            ++count;
        }
    }
    return count > 0 && sum > 0.0 ? 10.0 * std::log10(sum / count) : -400.0;
}
} // namespace wb
