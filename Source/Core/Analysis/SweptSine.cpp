#include "Core/Analysis/SweptSine.h"

#include "Core/Analysis/Spectrum.h" // fftwPlannerMutex

#include <fftw3.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <complex>
#include <limits>
#include <mutex>
#include <numbers>

namespace wb::analysis
{
namespace
{
using Complex = std::complex<double>;
constexpr double kTwoPi = 2.0 * std::numbers::pi;
/// The linear window starts this fraction of the gap to H2 before the peak.
constexpr double kPreFraction = 0.3;
/// A linear impulse response needs at least this many frames after its peak within the tail.
constexpr std::int64_t kMinPostFrames = 32;
constexpr double kSnrCapDb = 300.0;
/// Points within this of the response's peak are its passband: they must clear minSnrDb.
constexpr double kPassbandDb = 20.0;
/// Group delay: the phase slope between f (1 - step) and f (1 + step), about +-1/48 octave.
constexpr double kGroupDelayStep = 0.0145; // about 1/48 octave either side
/// Where the excitation's spectrum is weaker than this (power, relative to its strongest), the
/// exact inverse fades to zero instead of dividing by nothing.
constexpr double kRegularisation = 1e-6;
/// Peak of the deconvolved capture over its mean power below which no response is seen, dB.
constexpr double kMinProminenceDb = 20.0;

/// Raised-cosine rise over [0, 1]: 0 at x <= 0, 1 at x >= 1.
double riseCos(double x) noexcept
{
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    return 0.5 * (1.0 - std::cos(std::numbers::pi * x));
}

std::size_t wrap(std::int64_t index, std::int64_t n) noexcept
{
    const std::int64_t m = index % n;
    return static_cast<std::size_t>(m < 0 ? m + n : m);
}

/// One real FFT size: forward r2c and inverse c2r plans (created under the planner lock).
class FftPair
{
public:
    explicit FftPair(std::int64_t n) : size(n), real(static_cast<std::size_t>(n)), spectrum(static_cast<std::size_t>(n / 2 + 1))
    {
        std::scoped_lock lock(fftwPlannerMutex());
        auto* out = reinterpret_cast<fftw_complex*>(spectrum.data());
        forward = fftw_plan_dft_r2c_1d(static_cast<int>(n), real.data(), out, FFTW_ESTIMATE);
        inverse = fftw_plan_dft_c2r_1d(static_cast<int>(n), out, real.data(), FFTW_ESTIMATE);
    }
    ~FftPair()
    {
        std::scoped_lock lock(fftwPlannerMutex());
        fftw_destroy_plan(forward);
        fftw_destroy_plan(inverse);
    }
    FftPair(const FftPair&) = delete;
    FftPair& operator=(const FftPair&) = delete;

    std::int64_t size;
    std::vector<double> real;
    std::vector<Complex> spectrum; // std::complex<double> is layout-compatible with fftw_complex
    fftw_plan forward = nullptr;
    fftw_plan inverse = nullptr;

    void runForward() { fftw_execute(forward); }
    void runInverse() { fftw_execute(inverse); } // destroys spectrum
};

/// The band-limited signal whose spectrum is `h` (size n/2+1) at fractional lag t, with its
/// first and second derivatives in t: {value, d/dt, d2/dt2}.
std::array<double, 3> interpolateAt(const std::vector<Complex>& h, std::int64_t n, double t)
{
    const auto bins = static_cast<std::int64_t>(h.size());
    const double unit = kTwoPi / static_cast<double>(n);
    const Complex step = std::polar(1.0, unit * t);
    Complex rot = step;
    double value = h[0].real();
    double first = 0.0;
    double second = 0.0;
    for (std::int64_t k = 1; k < bins - 1; ++k)
    {
        const Complex term = 2.0 * h[static_cast<std::size_t>(k)] * rot;
        const double omega = unit * static_cast<double>(k);
        value += term.real();
        first -= omega * term.imag();
        second -= omega * omega * term.real();
        rot *= step;
        if ((k & 4095) == 0) // re-anchor the phasor so rounding cannot accumulate
            rot = std::polar(1.0, unit * t * static_cast<double>(k + 1));
    }
    const double nyquist = h[static_cast<std::size_t>(bins - 1)].real();
    value += nyquist * std::cos(std::numbers::pi * t);
    first -= nyquist * std::numbers::pi * std::sin(std::numbers::pi * t);
    second -= nyquist * std::numbers::pi * std::numbers::pi * std::cos(std::numbers::pi * t);
    const double scale = 1.0 / static_cast<double>(n);
    return {value * scale, first * scale, second * scale};
}

/// The fractional lag near integer `peak` where sign * h(t) is largest: Newton's method on the
/// derivative of the Fourier-interpolated impulse response, from the integer peak, kept within
/// one frame of it.
double refinePeak(const std::vector<Complex>& h, std::int64_t n, std::int64_t peak, double sign)
{
    const auto centre = static_cast<double>(peak);
    double t = centre;
    for (int i = 0; i < 12; ++i)
    {
        const auto [value, first, second] = interpolateAt(h, n, t);
        (void) value;
        if (!(sign * second < 0.0)) // not concave: no maximum to step to
            break;
        const double next = std::clamp(t - first / second, centre - 1.0, centre + 1.0);
        const bool settled = std::abs(next - t) < 1e-9;
        t = next;
        if (settled)
            break;
    }
    return t;
}

/// A window over lags [start, start + length): rises over the first `rise` frames, falls over
/// the last `fall` frames (raised cosine), flat between.
struct Window
{
    std::int64_t start = 0;
    std::int64_t length = 0;
    std::int64_t rise = 0;
    std::int64_t fall = 0;

    [[nodiscard]] double weight(std::int64_t m) const noexcept
    {
        double w = 1.0;
        if (rise > 0 && m < rise)
            w *= riseCos((static_cast<double>(m) + 0.5) / static_cast<double>(rise));
        if (fall > 0 && m >= length - fall)
            w *= riseCos((static_cast<double>(length - m) - 0.5) / static_cast<double>(fall));
        return w;
    }
};

/// The windowed part of an impulse response, weights applied, contiguous.
struct Segment
{
    std::int64_t start = 0; ///< lag of values[0]
    std::vector<double> values;
};

Segment cut(const std::vector<double>& h, const Window& win)
{
    const auto n = static_cast<std::int64_t>(h.size());
    Segment s;
    s.start = win.start;
    s.values.resize(static_cast<std::size_t>(win.length));
    for (std::int64_t m = 0; m < win.length; ++m)
        s.values[static_cast<std::size_t>(m)] = win.weight(m) * h[wrap(win.start + m, n)];
    return s;
}

/// sum over the segment of values[m] exp(-j 2 pi f (start + m) / fs).
Complex segmentDft(const Segment& s, double f, double fs)
{
    const double omega = kTwoPi * f / fs;
    const Complex step = std::polar(1.0, -omega);
    Complex rot = std::polar(1.0, -omega * static_cast<double>(s.start));
    Complex sum = 0.0;
    const auto length = static_cast<std::int64_t>(s.values.size());
    for (std::int64_t m = 0; m < length; ++m)
    {
        sum += s.values[static_cast<std::size_t>(m)] * rot;
        rot *= step;
        if ((m & 4095) == 4095) // re-anchor the phasor so rounding cannot accumulate
            rot = std::polar(1.0, -omega * static_cast<double>(s.start + m + 1));
    }
    return sum;
}

double db(double magnitude) noexcept
{
    return 20.0 * std::log10(std::max(magnitude, 1e-300));
}
} // namespace

std::optional<std::string> validateSweptSine(const SweptSineSettings& s)
{
    const double nyquist = 0.5 * s.sampleRate;
    if (!(s.sampleRate >= 8000.0 && s.sampleRate <= 768000.0))
        return fmt::format("sample rate {} Hz is outside 8000..768000", s.sampleRate);
    if (!(s.fromHz > 0.0) || !(s.toHz > s.fromHz))
        return fmt::format("the sweep must rise: --from {} Hz, --to {} Hz", s.fromHz, s.toHz);
    if (!(s.toHz < nyquist))
        return fmt::format("--to {} Hz must be below the Nyquist frequency {} Hz", s.toHz, nyquist);
    if (s.toHz / s.fromHz < 2.0)
        return "the sweep must span at least an octave";
    if (!(s.seconds >= 0.1 && s.seconds <= 60.0))
        return fmt::format("--duration {} s is outside 0.1..60", s.seconds);
    if (!(s.levelDbfs <= 0.0 && s.levelDbfs >= -120.0))
        return fmt::format("--level {} dBFS is outside -120..0", s.levelDbfs);
    if (!(s.tailSeconds >= 0.01 && s.tailSeconds <= 10.0))
        return fmt::format("tail {} s is outside 0.01..10", s.tailSeconds);
    if (s.pointsPerOctave < 1 || s.pointsPerOctave > 96)
        return "points per octave must be 1..96";
    if (s.maxHarmonic < 2 || s.maxHarmonic > kMaxHarmonic)
        return fmt::format("the highest harmonic must be 2..{}", kMaxHarmonic);
    if (!(s.maxIrSeconds > 0.0))
        return "the impulse response length must be positive";
    // f1 L must round to at least 1, and the harmonics must be apart by whole frames.
    const double rateL = s.seconds / std::log(s.toHz / s.fromHz);
    if (std::round(s.fromHz * rateL) < 1.0)
        return fmt::format("the sweep is too short for --from {} Hz: make it longer or start higher", s.fromHz);
    return std::nullopt;
}

SynchronizedSweep::SynchronizedSweep(const SweptSineSettings& s) : cfg(s)
{
    const double octavesLn = std::log(s.toHz / s.fromHz);
    const double requested = s.seconds / octavesLn;
    rate = std::max(1.0, std::round(s.fromHz * requested)) / s.fromHz;
    duration = rate * octavesLn;
    sweepLength = static_cast<std::int64_t>(std::ceil(duration * s.sampleRate));
    captureLength = sweepLength + static_cast<std::int64_t>(std::llround(s.tailSeconds * s.sampleRate));
    peak = std::pow(10.0, s.levelDbfs / 20.0);
    fadeIn = std::min(rate * std::numbers::ln2 / 6.0, duration / 4.0);
    fadeOut = std::min(rate * std::numbers::ln2 / 24.0, duration / 4.0);
}

double SynchronizedSweep::harmonicAdvanceFrames(int k) const noexcept
{
    return rate * std::log(static_cast<double>(k)) * cfg.sampleRate;
}

double SynchronizedSweep::unitSample(std::int64_t n) const noexcept
{
    if (n < 0 || n >= sweepLength)
        return 0.0;
    const double t = static_cast<double>(n) / cfg.sampleRate;
    if (t >= duration)
        return 0.0;
    // f1 L is whole, so 2 pi f1 L (exp(t/L) - 1) is the phase of sin(2 pi f1 L exp(t/L)).
    const double phase = kTwoPi * cfg.fromHz * rate * std::expm1(t / rate);
    const double envelope = riseCos(t / fadeIn) * riseCos((duration - t) / fadeOut);
    return envelope * std::sin(phase);
}

std::vector<float> SynchronizedSweep::excitation() const
{
    std::vector<float> x(static_cast<std::size_t>(captureLength), 0.0f);
    for (std::int64_t n = 0; n < sweepLength; ++n)
        x[static_cast<std::size_t>(n)] = static_cast<float>(peak * unitSample(n));
    return x;
}

const char* sweepRefusalName(SweepRefusal r) noexcept
{
    switch (r)
    {
    case SweepRefusal::none: return "none";
    case SweepRefusal::noSignal: return "no signal";
    case SweepRefusal::clipped: return "clipped";
    case SweepRefusal::tooNoisy: return "SNR too low";
    case SweepRefusal::delayDoesNotFit: return "delay does not fit the capture";
    case SweepRefusal::tooShort: return "capture too short";
    }
    return "unknown";
}

std::vector<ResponsePoint> smoothResponse(const std::vector<ResponsePoint>& response, int octaveFraction)
{
    if (octaveFraction <= 0)
        return response;
    const double halfWidth = 0.5 / octaveFraction; // octaves
    std::vector<ResponsePoint> out = response;
    for (std::size_t i = 0; i < response.size(); ++i)
    {
        double power = 0.0;
        Complex sum = 0.0;
        int count = 0;
        for (const auto& p : response)
            if (std::abs(std::log2(p.hz / response[i].hz)) <= halfWidth + 1e-12)
            {
                const double magnitude = std::pow(10.0, p.db / 20.0);
                power += magnitude * magnitude;
                sum += std::polar(magnitude, p.deg * std::numbers::pi / 180.0);
                ++count;
            }
        out[i].db = 10.0 * std::log10(std::max(power / count, 1e-300));
        out[i].deg = std::arg(sum) * 180.0 / std::numbers::pi;
    }
    return out;
}

SweptSineResult analyseSweptSine(const SynchronizedSweep& sweep, std::span<const float> capture,
                                 std::span<const float> silence)
{
    SweptSineResult r;
    const auto& s = sweep.settings();
    const double fs = s.sampleRate;
    const std::int64_t captureLength = sweep.captureFrames();
    const std::int64_t sweepLength = sweep.sweepFrames();
    const std::int64_t tail = captureLength - sweepLength;
    auto refuse = [&r](SweepRefusal why, std::string reason)
    {
        r.valid = false;
        r.refusal = why;
        r.reason = std::move(reason);
        return r;
    };
    if (static_cast<std::int64_t>(capture.size()) < captureLength)
        return refuse(SweepRefusal::tooShort, fmt::format("the capture has {} frames; the measurement needs {}",
                                                          capture.size(), captureLength));
    const auto used = capture.first(static_cast<std::size_t>(captureLength));
    for (float v : used)
    {
        const double a = std::abs(static_cast<double>(v));
        if (!std::isfinite(a))
            return refuse(SweepRefusal::noSignal, "the capture holds a NaN or an infinity");
        r.capturePeak = std::max(r.capturePeak, a);
        r.clippedSamples += a >= s.clipLevel ? 1 : 0;
    }
    if (r.capturePeak < s.noSignalLevel)
        return refuse(SweepRefusal::noSignal, fmt::format("no signal: the capture peaks at {:.1f} dBFS", db(r.capturePeak)));
    if (r.clippedSamples > 0)
        return refuse(SweepRefusal::clipped, fmt::format("{} samples of the capture reach full scale ({:.1f} dBFS): "
                                                         "lower --level", r.clippedSamples, db(s.clipLevel)));

    // Deconvolve the capture (divided by the amplitude) and the unit excitation (the calibration).
    const auto n = static_cast<std::int64_t>(std::bit_ceil(static_cast<std::uint64_t>(captureLength + sweepLength + 1)));
    r.fftSize = n;
    FftPair fft(n);
    const auto bins = static_cast<std::size_t>(n / 2 + 1);
    const double nyquist = 0.5 * fs;
    const double taperStart = s.toHz + 0.5 * (nyquist - s.toHz);
    const double rateL = sweep.rateL();
    std::vector<Complex> inverse(bins);
    for (std::size_t k = 1; k < bins; ++k)
    {
        const double f = static_cast<double>(k) * fs / static_cast<double>(n);
        const double weight = riseCos((f - 0.5 * s.fromHz) / (0.5 * s.fromHz)) * riseCos((nyquist - f) / (nyquist - taperStart));
        if (weight <= 0.0)
            continue;
        const double phase = -kTwoPi * f * rateL * (1.0 - std::log(f / s.fromHz)) + 0.25 * std::numbers::pi;
        inverse[k] = std::polar(weight * 2.0 * std::sqrt(f / rateL) / fs, phase);
    }
    auto deconvolve = [&](auto sampleAt, std::vector<Complex>& spectrumOut, std::vector<double>& out)
    {
        std::fill(fft.real.begin(), fft.real.end(), 0.0);
        for (std::int64_t i = 0; i < captureLength; ++i)
            fft.real[static_cast<std::size_t>(i)] = sampleAt(i);
        fft.runForward();
        for (std::size_t k = 0; k < bins; ++k)
            fft.spectrum[k] *= inverse[k];
        spectrumOut = fft.spectrum;
        fft.runInverse();
        out.resize(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = fft.real[i] / static_cast<double>(n);
    };
    const double amplitude = sweep.amplitude();
    std::vector<Complex> hSpectrum, cSpectrum;
    std::vector<double> h, c;
    deconvolve([&](std::int64_t i) { return static_cast<double>(used[static_cast<std::size_t>(i)]) / amplitude; }, hSpectrum, h);
    deconvolve([&](std::int64_t i) { return static_cast<double>(static_cast<float>(amplitude * sweep.unitSample(i))) / amplitude; },
               cSpectrum, c);

    // Divide by the excitation's own deconvolution P = X * inverse (regularised where the
    // excitation has no energy): what is left is the exact inverse of what was played, free of
    // the analytic formula's stationary-phase error, which otherwise spreads at low frequencies
    // into the harmonic windows and past the linear window. |P| is kept to restore, for each
    // harmonic, the excitation's level at the frequency that produced it.
    const std::vector<Complex> product = cSpectrum;
    // The SNR and the prominence are judged on the analytic deconvolution: the exact inverse
    // lifts the noise where the excitation fades out above f2, which is not in the band measured.
    const std::vector<double> analyticH = h;
    {
        double strongest = 0.0;
        for (const auto& v : product)
            strongest = std::max(strongest, std::norm(v));
        const double floor = kRegularisation * strongest;
        for (std::size_t k = 0; k < bins; ++k)
        {
            const double power = std::norm(product[k]);
            hSpectrum[k] *= std::conj(product[k]) / (power + floor);
            cSpectrum[k] = power / (power + floor);
        }
        for (auto* target : {&hSpectrum, &cSpectrum})
        {
            fft.spectrum = *target;
            fft.runInverse();
            auto& out = target == &hSpectrum ? h : c;
            for (std::size_t i = 0; i < out.size(); ++i)
                out[i] = fft.real[i] / static_cast<double>(n);
        }
    }
    // The silent capture through the same exact inverse.
    std::vector<double> quiet;
    if (static_cast<std::int64_t>(silence.size()) >= captureLength)
    {
        double strongest = 0.0;
        for (const auto& v : product)
            strongest = std::max(strongest, std::norm(v));
        const double floor = kRegularisation * strongest;
        std::fill(fft.real.begin(), fft.real.end(), 0.0);
        for (std::int64_t i = 0; i < captureLength; ++i)
            fft.real[static_cast<std::size_t>(i)] = static_cast<double>(silence[static_cast<std::size_t>(i)]) / amplitude;
        fft.runForward();
        for (std::size_t k = 0; k < bins; ++k)
            fft.spectrum[k] *= inverse[k] * std::conj(product[k]) / (std::norm(product[k]) + floor);
        fft.runInverse();
        quiet.resize(static_cast<std::size_t>(n));
        for (std::size_t i = 0; i < quiet.size(); ++i)
            quiet[i] = fft.real[i] / static_cast<double>(n);
    }
    auto productMagnitudeAt = [&](double f)
    {
        const double position = f * static_cast<double>(n) / fs;
        const auto below = std::min(static_cast<std::size_t>(position), bins - 2);
        const double t = position - static_cast<double>(below);
        return (1.0 - t) * std::abs(product[below]) + t * std::abs(product[below + 1]);
    };

    // The linear impulse response's peak, then its lag to a fraction of a frame.
    auto peakOf = [n](const std::vector<double>& v)
    {
        const auto it = std::max_element(v.begin(), v.end(), [](double a, double b) { return std::abs(a) < std::abs(b); });
        const auto index = static_cast<std::int64_t>(it - v.begin());
        return index >= n / 2 ? index - n : index;
    };
    const std::int64_t peak = peakOf(h);
    // An impulse response stands out of the deconvolved noise; the largest of 2^18 Gaussian
    // samples squared is only ~14 dB above their mean.
    double meanSquare = 0.0;
    for (double v : analyticH)
        meanSquare += v * v;
    meanSquare /= static_cast<double>(n);
    const double peakValue = analyticH[wrap(peak, n)];
    const double prominenceDb = 10.0 * std::log10(peakValue * peakValue / std::max(meanSquare, 1e-300));
    if (prominenceDb < kMinProminenceDb)
        return refuse(SweepRefusal::tooNoisy, fmt::format("no impulse response stands out of the noise (its peak is "
                                                          "{:.1f} dB above the mean): raise --level", prominenceDb));
    if (peak < 0 || peak + 2 * kMinPostFrames > tail)
        return refuse(SweepRefusal::delayDoesNotFit,
                      fmt::format("the impulse response peaks at lag {} frames, outside the capture's tail 0..{}: "
                                  "the delay does not fit (capture started late, or a longer tail is needed)",
                                  peak, tail - 2 * kMinPostFrames));
    const std::int64_t calibrationPeak = peakOf(c);
    const double fineY = refinePeak(hSpectrum, n, peak, h[wrap(peak, n)] >= 0.0 ? 1.0 : -1.0);
    const double fineC = refinePeak(cSpectrum, n, calibrationPeak, c[wrap(calibrationPeak, n)] >= 0.0 ? 1.0 : -1.0);
    r.delayFrames = fineY - fineC;

    // Windows: the linear one around the peak, the harmonic ones L ln k before it.
    const double gap2 = sweep.harmonicAdvanceFrames(2);
    const auto pre = static_cast<std::int64_t>(std::floor(kPreFraction * gap2));
    const std::int64_t post = std::min<std::int64_t>(std::llround(s.maxIrSeconds * fs), (tail - peak) / 2);
    auto linearWindow = [&](std::int64_t centre)
    {
        Window w;
        w.start = centre - pre;
        w.length = pre + post;
        w.rise = pre / 2;
        w.fall = post / 4;
        return w;
    };
    const Window linY = linearWindow(peak);
    const Window linC = linearWindow(calibrationPeak);

    // SNR: the window's energy over the energy of noise in an equal stretch after it.
    double signalEnergy = 0.0;
    for (std::int64_t m = 0; m < linY.length; ++m)
    {
        const double v = linY.weight(m) * analyticH[wrap(linY.start + m, n)];
        signalEnergy += v * v;
    }
    const std::int64_t noiseStart = peak + post;
    const std::int64_t noiseLength = std::min(linY.length, tail - noiseStart);
    double noisePower = 0.0;
    for (std::int64_t i = 0; i < noiseLength; ++i)
    {
        const double v = analyticH[wrap(noiseStart + i, n)];
        noisePower += v * v;
    }
    noisePower /= static_cast<double>(std::max<std::int64_t>(noiseLength, 1));
    const double noiseEnergy = noisePower * static_cast<double>(linY.length);
    r.snrDb = noiseEnergy > 0.0 ? std::min(kSnrCapDb, 10.0 * std::log10(signalEnergy / noiseEnergy)) : kSnrCapDb;
    if (r.snrDb < s.minSnrDb)
        return refuse(SweepRefusal::tooNoisy, fmt::format("SNR {:.1f} dB is below {:.1f} dB: raise --level or "
                                                          "lengthen --duration", r.snrDb, s.minSnrDb));

    // The impulse response written out: the linear window.
    r.impulseResponseFirstLag = linY.start;
    r.impulseResponse.resize(static_cast<std::size_t>(linY.length));
    for (std::int64_t m = 0; m < linY.length; ++m)
        r.impulseResponse[static_cast<std::size_t>(m)] = static_cast<float>(linY.weight(m) * h[wrap(linY.start + m, n)]);

    // Linear response at log-spaced frequencies, calibrated, delay removed.
    std::vector<double> grid;
    for (int i = 0;; ++i)
    {
        const double f = s.fromHz * std::pow(2.0, static_cast<double>(i) / s.pointsPerOctave);
        if (f > s.toHz * (1.0 + 1e-12))
            break;
        grid.push_back(f);
    }
    const Segment segY = cut(h, linY);
    const Segment segC = cut(c, linC);
    const Segment segQuiet = quiet.empty() ? Segment{} : cut(quiet, linY);
    for (std::int64_t m = 0; m < linY.length; ++m)
        r.windowPowerFrames += linY.weight(m) * linY.weight(m);
    auto calibrated = [&](double f) { return segmentDft(segY, f, fs) / segmentDft(segC, f, fs); };
    std::vector<Complex> fundamental;
    for (double f : grid)
    {
        const Complex value = calibrated(f);
        fundamental.push_back(value);
        auto alignedAt = [&](double hz) { return calibrated(hz) * std::polar(1.0, kTwoPi * hz * r.delayFrames / fs); };
        const Complex aligned = value * std::polar(1.0, kTwoPi * f * r.delayFrames / fs);
        const double below = f * (1.0 - kGroupDelayStep);
        const double above = std::min(f * (1.0 + kGroupDelayStep), 0.5 * fs);
        const double slope = std::arg(alignedAt(above) * std::conj(alignedAt(below))) / (kTwoPi * (above - below) / fs);
        const double groupDelayFrames = r.delayFrames - slope;
        r.response.push_back({f, db(std::abs(value)), std::arg(aligned) * 180.0 / std::numbers::pi,
                              1000.0 * groupDelayFrames / fs,
                              quiet.empty() ? std::numeric_limits<double>::quiet_NaN()
                                            : db(std::abs(segmentDft(segQuiet, f, fs) / segmentDft(segC, f, fs)))});
    }

    // Harmonic responses: H_k at output frequency k f over the linear response at f.
    const int maxK = s.maxHarmonic;
    std::vector<Window> harmonicWindows(static_cast<std::size_t>(maxK + 1));
    for (int k = 2; k <= maxK; ++k)
    {
        const double here = sweep.harmonicAdvanceFrames(k);
        const double before = sweep.harmonicAdvanceFrames(k - 1);
        const double after = sweep.harmonicAdvanceFrames(k + 1);
        const auto kPre = static_cast<std::int64_t>(std::floor(kPreFraction * (after - here)));
        const auto kPost = static_cast<std::int64_t>(std::floor((1.0 - kPreFraction) * (here - before)));
        Window w;
        w.start = peak - std::llround(here) - kPre;
        w.length = kPre + kPost;
        w.rise = kPre / 2;
        w.fall = kPost / 4;
        harmonicWindows[static_cast<std::size_t>(k)] = w;
    }
    // The same windows on the calibration (the identity system), placed around its own peak.
    std::vector<Segment> harmonicSegments(static_cast<std::size_t>(maxK + 1));
    std::vector<Segment> identitySegments(static_cast<std::size_t>(maxK + 1));
    std::vector<double> harmonicWindowPower(static_cast<std::size_t>(maxK + 1), 0.0);
    for (int k = 2; k <= maxK; ++k)
    {
        const auto& w = harmonicWindows[static_cast<std::size_t>(k)];
        harmonicSegments[static_cast<std::size_t>(k)] = cut(h, w);
        Window wc = w;
        wc.start += calibrationPeak - peak;
        identitySegments[static_cast<std::size_t>(k)] = cut(c, wc);
        for (std::int64_t m = 0; m < w.length; ++m)
            harmonicWindowPower[static_cast<std::size_t>(k)] += w.weight(m) * w.weight(m);
    }
    // The noise's power spectral density (per frame: |DFT|^2 over the Hann window's sum of
    // squared weights) from a stretch of the deconvolved capture, Hann-windowed.
    struct NoiseSpectrum
    {
        std::vector<double> psd;
        double binHz = 0.0;
    };
    auto noiseSpectrum = [&](std::int64_t start, std::int64_t length)
    {
        NoiseSpectrum out;
        if (length < 64)
            return out;
        const auto size = static_cast<std::int64_t>(std::bit_ceil(static_cast<std::uint64_t>(length)));
        FftPair transform(size);
        std::fill(transform.real.begin(), transform.real.end(), 0.0);
        double hannPower = 0.0;
        for (std::int64_t i = 0; i < length; ++i)
        {
            const double w = 0.5 - 0.5 * std::cos(kTwoPi * (static_cast<double>(i) + 0.5) / static_cast<double>(length));
            transform.real[static_cast<std::size_t>(i)] = w * h[wrap(start + i, n)];
            hannPower += w * w;
        }
        transform.runForward();
        out.psd.resize(transform.spectrum.size());
        for (std::size_t k = 0; k < out.psd.size(); ++k)
            out.psd[k] = std::norm(transform.spectrum[k]) / hannPower;
        out.binHz = fs / static_cast<double>(size);
        return out;
    };
    // Mean of a noise PSD over +-1/`octaves` octave around f (12: +-1/12), at least +-3 bins.
    auto psdAt = [](const NoiseSpectrum& ns, double f, double octaves = 12.0)
    {
        if (ns.psd.empty())
            return 0.0;
        const auto last = static_cast<std::int64_t>(ns.psd.size()) - 1;
        const auto centre = static_cast<std::int64_t>(std::llround(f / ns.binHz));
        const auto half = std::max<std::int64_t>(3, std::llround(f * (std::exp2(1.0 / octaves) - 1.0) / ns.binHz));
        const std::int64_t lo = std::clamp<std::int64_t>(centre - half, 1, last);
        const std::int64_t hi = std::clamp<std::int64_t>(centre + half, 1, last);
        double sum = 0.0;
        for (std::int64_t k = lo; k <= hi; ++k)
            sum += ns.psd[static_cast<std::size_t>(k)];
        return sum / static_cast<double>(hi - lo + 1);
    };
    // Stationary noise: the region after the linear window.
    const NoiseSpectrum tailNoise = noiseSpectrum(noiseStart, tail - noiseStart);
    // Per-point SNR: the linear window's DFT at f against the stationary noise expected in the
    // same window at f (the tail's PSD times the window's sum of squared weights).
    for (std::size_t i = 0; i < grid.size(); ++i)
    {
        const double signal = std::abs(segmentDft(segY, grid[i], fs));
        // +-1/48 octave: a wider average near f1 or f2 would take in the noise beyond them,
        // which the inverse filter lifts where the sweep played nothing.
        const double noise = std::sqrt(psdAt(tailNoise, grid[i], 48.0) * r.windowPowerFrames);
        r.response[i].snrDb = noise > 0.0 ? std::min(kSnrCapDb, db(signal / noise)) : kSnrCapDb;
    }
    // The range asked must be measurable where the system passes signal: every point within
    // kPassbandDb of the response's peak needs minSnrDb (a stopband may sink into the noise).
    {
        double peakDb = -1e300;
        for (const auto& p : r.response)
            peakDb = std::max(peakDb, p.db);
        int below = 0;
        int passband = 0;
        const ResponsePoint* worst = nullptr;
        double lowHz = 0.0;
        double highHz = 0.0;
        // Only where the sweep plays at full level: its fades (the first 1/6 octave, the last
        // 1/24) play less, so their points are noisier by design; their snrDb says so.
        const double fullFrom = s.fromHz * std::exp2(1.0 / 6.0);
        const double fullTo = s.toHz * std::exp2(-1.0 / 24.0);
        for (const auto& p : r.response)
        {
            if (p.db < peakDb - kPassbandDb || p.hz < fullFrom || p.hz > fullTo)
                continue;
            ++passband;
            if (p.snrDb >= s.minSnrDb)
                continue;
            if (below++ == 0)
                lowHz = p.hz;
            highHz = p.hz;
            if (worst == nullptr || p.snrDb < worst->snrDb)
                worst = &p;
        }
        if (worst != nullptr)
            return refuse(SweepRefusal::tooNoisy,
                          fmt::format("SNR below {:.1f} dB at {} of the {} points within {:g} dB of the response's peak "
                                      "({:.0f}..{:.0f} Hz; worst {:.1f} dB at {:.0f} Hz): raise --level, lengthen "
                                      "--duration or narrow --from/--to",
                                      s.minSnrDb, below, passband, kPassbandDb, lowHz, highHz, worst->snrDb, worst->hz));
    }
    // Noise that follows the signal (rounding in a float chain, a device's modulation noise):
    // in the gap between harmonic j's and j+1's impulses (lags -L ln(j+1) .. -L ln j, a tenth of
    // it kept clear at each end) the output at about j f was captured while the sweep played
    // about f, as in harmonic j's window, and no harmonic lands there. Harmonic k's noise is the
    // mean of the gaps j = k and k + 1.
    std::vector<NoiseSpectrum> gapNoise(static_cast<std::size_t>(maxK + 2));
    for (int j = 2; j <= maxK + 1; ++j)
    {
        const double near = rateL * std::log(static_cast<double>(j)) * fs;
        const double far = rateL * std::log(j + 1.0) * fs;
        const auto guard = static_cast<std::int64_t>(std::ceil(0.1 * (far - near)));
        const std::int64_t start = peak - static_cast<std::int64_t>(std::floor(far)) + guard;
        const std::int64_t end = peak - static_cast<std::int64_t>(std::ceil(near)) - guard;
        gapNoise[static_cast<std::size_t>(j)] = noiseSpectrum(start, end - start);
    }
    // |H| at any f in [f1, f2]: the response grid's dB interpolated linearly in log f (for
    // scaling a floor; the grid is 1/pointsPerOctave octave fine).
    auto linearMagnitudeAt = [&](double f)
    {
        const double position = std::log2(f / s.fromHz) * s.pointsPerOctave;
        const auto last = static_cast<double>(r.response.size() - 1);
        const double clamped = std::clamp(position, 0.0, last);
        const auto below = std::min(static_cast<std::size_t>(clamped), r.response.size() - 1);
        const auto above = std::min(below + 1, r.response.size() - 1);
        const double t = clamped - static_cast<double>(below);
        const double dbAt = (1.0 - t) * r.response[below].db + t * r.response[above].db;
        return std::pow(10.0, dbAt / 20.0);
    };
    const double margin = std::pow(10.0, kDistortionFloorMarginDb / 10.0); // power ratio
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < grid.size(); ++i)
    {
        const double f = grid[i];
        const double harmonicLimit = std::min(taperStart, s.toHz); // beyond f2 the sweep has no k-th harmonic to match
        if (2.0 * f > harmonicLimit)
            break;
        DistortionPoint p;
        p.hz = f;
        p.harmonicsDb.fill(nan);
        p.floorDb.fill(nan);
        const double fundamentalRaw = std::abs(segmentDft(segY, f, fs)) * productMagnitudeAt(f);
        const double identityFundamental = std::abs(segmentDft(segC, f, fs)) * productMagnitudeAt(f);
        const double linearAtF = std::abs(fundamental[i]);
        double power = 0.0;
        double floorPower = 0.0;
        for (int k = 2; k <= maxK; ++k)
        {
            const double fk = k * f;
            if (fk > harmonicLimit)
                break;
            const auto index = static_cast<std::size_t>(k);
            const double levelAtFk = productMagnitudeAt(fk);
            const Complex hk = segmentDft(harmonicSegments[index], fk, fs);
            // The harmonic comes from the excitation at f, not at k f: give it back the
            // excitation's level at k f that the exact inverse divided out, so that harmonic and
            // fundamental both carry the excitation's level at f, which cancels in the ratio.
            const double relative = std::abs(hk) * levelAtFk / fundamentalRaw;
            // The identity system's reading, filtered by the measured linear response.
            const double identity = std::abs(segmentDft(identitySegments[index], fk, fs)) * levelAtFk / identityFundamental;
            const double method = identity * linearMagnitudeAt(fk) / std::max(linearAtF, 1e-300);
            const double noisePsd = std::max(psdAt(tailNoise, fk), 0.5 * (psdAt(gapNoise[index], fk) + psdAt(gapNoise[index + 1], fk)));
            const double noise = std::sqrt(noisePsd * harmonicWindowPower[index]) * levelAtFk / fundamentalRaw;
            const double floorSquared = method * method + noise * noise;
            p.floorDb[index - 2] = 10.0 * std::log10(std::max(floorSquared, 1e-300));
            if (relative * relative > margin * floorSquared)
            {
                p.harmonicsDb[index - 2] = db(relative);
                power += relative * relative;
            }
            floorPower += floorSquared;
        }
        // THD sums the harmonics that clear their floors; none clear: not reported.
        p.thdFloorDb = 10.0 * std::log10(std::max(floorPower, 1e-300));
        p.thdDb = power > 0.0 ? 10.0 * std::log10(power) : nan;
        r.distortion.push_back(p);
    }
    r.valid = true;
    r.refusal = SweepRefusal::none;
    return r;
}
} // namespace wb::analysis
