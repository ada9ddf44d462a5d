#pragma once
// Magnitude spectra and power spectral densities with FFTW. Plan creation allocates and takes a
// global lock: none of this is for the audio thread.
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

namespace wb
{
/// FFTW's planner is not thread-safe; every plan in Wavebench is made under this lock.
std::mutex& fftwPlannerMutex();

enum class Window : std::uint8_t
{
    rectangular,
    hann,
    blackmanHarris4, ///< 4-term, -92 dB side lobes
};

/// Periodic window of length n (the form for spectral analysis).
[[nodiscard]] std::vector<double> makeWindow(Window w, int n);

/// One-sided amplitude spectrum of x (its whole length is the FFT size) with the window applied
/// and its coherent gain removed: a sine of amplitude A centred on bin k gives A at bin k.
/// Returns x.size() / 2 + 1 values. Bin k is at k * sampleRate / x.size().
[[nodiscard]] std::vector<double> amplitudeSpectrum(std::span<const float> x, Window w);

/// Welch estimate of the one-sided power spectral density (units^2 per Hz), segments of
/// `fftSize` with 50 % overlap. Returns fftSize / 2 + 1 values.
[[nodiscard]] std::vector<double> welchPsd(std::span<const float> x, double sampleRate, int fftSize,
                                           Window w = Window::hann);

/// Mean of a PSD over [loHz, hiHz), in dB (10 log10). Bins wholly inside the band are used.
[[nodiscard]] double bandPowerDb(const std::vector<double>& psd, double sampleRate, int fftSize,
                                 double loHz, double hiHz);
} // namespace wb
