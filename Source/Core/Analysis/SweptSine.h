#pragma once
// Frequency response, phase, impulse response and harmonic distortion by a synchronized
// exponential swept sine (Farina 2000; Novak, Lotton & Simon, JAES 63(10), 2015).
//
// The excitation: x(t) = A sin(2 pi f1 L (exp(t / L) - 1)), 0 <= t < T, with L = T / ln(f2 / f1)
// and L rounded so that f1 L is a whole number (the "synchronized" sweep). Then the k-th harmonic
// of the sweep, sin(k phi(t)), is exactly the sweep itself advanced by L ln k; so after
// deconvolution the k-th harmonic impulse response lands L ln k before the linear one, with the
// right phase. T is the requested duration adjusted by that rounding (f1 and f2 are kept).
// A raised-cosine fade-in (the first 1/6 octave of the sweep) and fade-out (the last 1/24
// octave) soften the ends; the excitation is followed by `tailSeconds` of silence so the delay
// and the impulse response's tail arrive within the capture.
//
// Analysis (analyseSweptSine): the capture divided by A is deconvolved by the analytic inverse
// spectrum of the sweep (Novak eq. 43: 1/X(f) = 2 sqrt(f / L) exp(-j 2 pi f L (1 - ln(f / f1)) + j pi/4))
// with one FFT of a length covering the capture plus the sweep (so that no harmonic, even above
// the ninth, wraps onto the linear part). The same deconvolution of the excitation itself,
// P = X * inverse, then divides the capture's (regularised): the exact inverse of what was
// played, without the analytic formula's stationary-phase error. The calibration's band-limited
// impulse, windowed like the capture's, divides the linear response so the windowing cancels.
//  - delay_frames: the lag of the peak of the band-limited linear impulse response, found to a
//    fraction of a frame by evaluating it between samples (Fourier interpolation), minus the same
//    figure of the calibration (0 up to ~1e-6). For a pure delay this is the delay; for a filter
//    it is where its impulse response peaks (REW's convention).
//  - response: at pointsPerOctave log-spaced frequencies in [f1, f2], magnitude (dB) and phase
//    (degrees, wrapped to (-180, 180]) of the windowed linear impulse response after removing
//    delay_frames.
//    Group delay: from the delay-removed phase slope over f (1 +- 0.0145), plus the delay.
//  - distortion: harmonic k (2..maxHarmonic) at excitation frequency f is the magnitude of the
//    k-th harmonic response at the output frequency k f, referred to the linear response at the
//    excitation frequency f (REW's default convention): dB relative to the fundamental. THD is
//    10 log10 of the sum of the measurable harmonics' powers over the fundamental's. A harmonic
//    is measurable when k f <= f2 (beyond, the sweep's own k-th harmonic no longer matches the
//    advanced sweep, which ends at T); otherwise it is NaN (JSON null), so distortion is
//    reported for f <= f2 / 2. Each harmonic gets back |P(k f)| and the fundamental |P(f)|, so
//    the excitation's level at f (its fades included) cancels in their ratio. Below about 3 f1
//    the harmonic windows are too short for the harmonics' low band edge (2 f1, 3 f1, ...):
//    expect errors of ~0.5 dB there.
//    Floor: near f1 the deconvolved impulse's band edge rings into the harmonic windows, so even
//    a perfectly linear system reads "harmonics". The exact sweep's own reading is computed: the
//    calibration (the excitation deconvolved by itself, i.e. an identity system) goes through
//    the same harmonic windows and ratios; scaled by the measured |H(k f) / H(f)| (a linear
//    system filters that ringing like any other signal) it is the method's floor for harmonic k
//    at f. The noise's share: the noise region after the linear window (power spectrum, Hann
//    window, averaged over >= 17 bins around k f) scaled to the harmonic window's energy. Their
//    power sum is floorDb; a harmonic is reported only kDistortionFloorMarginDb above it, else
//    NaN. THD sums the reported harmonics (NaN when none is); thdFloorDb sums the floors.
//  - snr_db: energy of the linear impulse response window over the energy of a stretch of equal
//    length taken from the noise region right after it (where only noise can be). Per point
//    (ResponsePoint::snrDb): the window's DFT at f over the noise expected there. Every point
//    within 20 dB of the response's peak (its passband) where the sweep plays at full level
//    (between its fades) must clear minSnrDb, else the measurement is refused (tooNoisy)
//    naming the frequencies: the range asked is not measurable there. A stopband may sink into
//    the noise, and the fades' points are weaker by design; their snrDb says so.
// Refusals (never numbers): no signal, clipping in the capture, SNR below minSnrDb, a delay that
// does not fit the capture (the impulse response peak outside [0, tail]), a capture too short.
//
// Everything here allocates (FFTW, vectors): call it from a worker, never the audio thread.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wb::analysis
{
inline constexpr int kMaxHarmonic = 9;

struct SweptSineSettings
{
    double fromHz = 20.0;       ///< f1
    double toHz = 20000.0;      ///< f2, below the Nyquist frequency
    double seconds = 2.0;       ///< requested sweep duration (adjusted to synchronize)
    double sampleRate = 48000.0;
    double levelDbfs = -6.0;    ///< peak level of the sweep
    double tailSeconds = 0.5;   ///< silence after the sweep (delay + impulse response must fit)
    int pointsPerOctave = 24;   ///< resolution of the reported curves
    int maxHarmonic = kMaxHarmonic; ///< 2..9
    double maxIrSeconds = 0.25; ///< longest linear impulse response kept (its window after the peak)
    double clipLevel = 0.999;   ///< |capture| at or above this counts as clipped
    double noSignalLevel = 1.0e-4; ///< capture peak below this: no signal
    double minSnrDb = 20.0;     ///< below: refused as too noisy
};

/// Why the settings cannot be used, or nothing.
[[nodiscard]] std::optional<std::string> validateSweptSine(const SweptSineSettings& s);

/// The synchronized sweep designed from settings (checked with validateSweptSine first).
class SynchronizedSweep
{
public:
    /// Precondition: validateSweptSine(s) is empty.
    explicit SynchronizedSweep(const SweptSineSettings& s);

    [[nodiscard]] const SweptSineSettings& settings() const noexcept { return cfg; }
    /// L in seconds, f1 * L a whole number.
    [[nodiscard]] double rateL() const noexcept { return rate; }
    /// The actual sweep duration L ln(f2 / f1), seconds.
    [[nodiscard]] double durationSeconds() const noexcept { return duration; }
    [[nodiscard]] std::int64_t sweepFrames() const noexcept { return sweepLength; }
    /// Sweep plus tail: what must be captured, starting on the excitation's first sample.
    [[nodiscard]] std::int64_t captureFrames() const noexcept { return captureLength; }
    [[nodiscard]] double amplitude() const noexcept { return peak; }
    [[nodiscard]] double fadeInSeconds() const noexcept { return fadeIn; }
    [[nodiscard]] double fadeOutSeconds() const noexcept { return fadeOut; }
    /// Where the k-th harmonic impulse response lands before the linear one: L ln k * fs frames.
    [[nodiscard]] double harmonicAdvanceFrames(int k) const noexcept;
    /// The excitation at amplitude(): captureFrames() samples, the sweep then silence.
    [[nodiscard]] std::vector<float> excitation() const;
    /// The excitation sample n in double precision, at unit amplitude.
    [[nodiscard]] double unitSample(std::int64_t n) const noexcept;

private:
    SweptSineSettings cfg;
    double rate = 0.0;
    double duration = 0.0;
    std::int64_t sweepLength = 0;
    std::int64_t captureLength = 0;
    double peak = 0.5;
    double fadeIn = 0.0;
    double fadeOut = 0.0;
};

enum class SweepRefusal
{
    none,
    noSignal,        ///< nothing arrived
    clipped,         ///< the capture reaches full scale
    tooNoisy,        ///< SNR below SweptSineSettings::minSnrDb
    delayDoesNotFit, ///< the impulse response peaks outside the capture's tail
    tooShort,        ///< the capture is shorter than captureFrames()
};

[[nodiscard]] const char* sweepRefusalName(SweepRefusal r) noexcept;

struct ResponsePoint
{
    double hz = 0.0;
    double db = 0.0;
    double deg = 0.0;
    /// Group delay -d(phase)/d(omega) in milliseconds, the measured delay included: the delay
    /// plus the slope of the delay-removed phase between f (1 - 0.0145) and f (1 + 0.0145).
    double groupDelayMs = 0.0;
    /// The noise floor in the same units (dB re unity gain): a silent capture through the same
    /// deconvolution and window. NaN when no silent capture was given.
    double noiseDb = std::numeric_limits<double>::quiet_NaN();
    /// This point's SNR, dB: the linear window's energy at f over the stationary noise expected
    /// in the same window at f (the PSD of the capture after the impulse response, Hann, averaged
    /// over +-1/48 octave). Capped at 300 dB where no noise is seen.
    double snrDb = 0.0;
};

/// A harmonic (or THD) is reported only where it stands this far above its floor, dB.
inline constexpr double kDistortionFloorMarginDb = 10.0;

struct DistortionPoint
{
    double hz = 0.0;   ///< excitation frequency
    /// THD, dB: the power sum of the harmonics reported (those clear of their floors) over
    /// the fundamental's; NaN (JSON null) where none is.
    double thdDb = 0.0;
    /// 10 log10 of the sum of the measurable harmonics' floor powers (floorDb), dB.
    double thdFloorDb = 0.0;
    /// H2..H9 relative to the fundamental, dB; NaN where not measurable (or above maxHarmonic)
    /// or where not kDistortionFloorMarginDb above its floor.
    std::array<double, kMaxHarmonic - 1> harmonicsDb{};
    /// What this measurement cannot tell from zero for each harmonic, dB relative to the
    /// fundamental: the method's own floor (the identity system's harmonic reading, scaled by
    /// the measured |H(k f) / H(f)|) power-summed with the expected noise in the harmonic's
    /// window. NaN where the harmonic is not measurable.
    std::array<double, kMaxHarmonic - 1> floorDb{};
};

struct SweptSineResult
{
    bool valid = false;
    SweepRefusal refusal = SweepRefusal::noSignal;
    std::string reason;       ///< why it was refused (empty when valid)
    double delayFrames = 0.0; ///< where the linear impulse response peaks, frames
    double snrDb = 0.0;
    double capturePeak = 0.0; ///< linear
    std::int64_t clippedSamples = 0;
    std::int64_t fftSize = 0;
    double windowPowerFrames = 0.0; ///< sum of the linear window's squared weights
    std::vector<ResponsePoint> response;
    std::vector<DistortionPoint> distortion;
    /// The linear impulse response (gain 1 = unity) as windowed; its first sample is at lag
    /// impulseResponseFirstLag (negative: the window starts before the capture's first sample,
    /// holding the band-limited impulse's precursor).
    std::vector<float> impulseResponse;
    std::int64_t impulseResponseFirstLag = 0;
};

/// 1/N-octave smoothing of a response on a log-spaced grid: at each point, the mean power of the
/// points within +-1/(2N) octave (the magnitude), and the angle of the mean of their complex
/// (delay-removed) responses (the phase). Group delay is kept as measured. N = 0: unchanged.
[[nodiscard]] std::vector<ResponsePoint> smoothResponse(const std::vector<ResponsePoint>& response, int octaveFraction);

/// Analyses a capture of sweep.excitation() through the system: capture[n] was recorded while
/// excitation sample n was played (n = 0 on both). Allocates; not for the audio thread.
/// `silence`, when given (at least captureFrames() long), is a capture made the same way while
/// nothing was played: it gives each response point's noise floor (ResponsePoint::noiseDb).
[[nodiscard]] SweptSineResult analyseSweptSine(const SynchronizedSweep& sweep, std::span<const float> capture,
                                               std::span<const float> silence = {});
} // namespace wb::analysis
