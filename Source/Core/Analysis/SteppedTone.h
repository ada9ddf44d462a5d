#pragma once
// Stepped-tone distortion, as an audio analyser reports it: a pure tone at a given peak level
// through the system, then on a steady stretch of the capture
//  - harmonics H2..H9: the amplitude at k times the fundamental's frequency (found by the
//    least-squares sine fit of Thd.h), by a DFT at that exact frequency through a 4-term
//    Blackman-Harris window (sidelobes -92 dB), relative to the fundamental's;
//  - thd_db = 10 log10 of the harmonics' powers (those below Nyquist) over the fundamental's;
//  - thdn_db: everything but the fitted fundamental and DC (harmonics, noise, aliases), over the
//    fundamental, by the sine fit (Thd.h: no window, no notch filter, nothing leaks).
// Allocates; not for the audio thread.
#include "Core/Analysis/SweptSine.h" // kMaxHarmonic

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wb::analysis
{
struct SteppedToneSettings
{
    double hz = 1000.0;
    double levelDbfs = -6.0;       ///< peak of the tone at the input of what is measured
    double sampleRate = 48000.0;
    double settleSeconds = 0.25;   ///< skipped: the fade-in, the delay, the system's transient
    std::int64_t window = 32768;   ///< frames analysed after the settle
    double fadeInSeconds = 0.01;   ///< raised cosine
    double clipLevel = 0.999;
    double noSignalLevel = 1.0e-4;
};

/// Why the settings cannot be used, or nothing.
[[nodiscard]] std::optional<std::string> validateSteppedTone(const SteppedToneSettings& s);

/// The tone: settle + window + 0.05 s of frames (the capture must be as long).
[[nodiscard]] std::vector<float> steppedToneExcitation(const SteppedToneSettings& s);

struct SteppedToneResult
{
    bool valid = false;
    std::string reason;  ///< why it was refused (clipped, no signal, too short, no fit)
    double hz = 0.0;     ///< the tone's frequency as asked
    double levelDbfs = 0.0;
    double fittedHz = 0.0;
    double thdDb = 0.0;
    double thdnDb = 0.0;
    std::array<double, kMaxHarmonic - 1> harmonicsDb{}; ///< H2..H9; NaN at or above Nyquist
};

/// capture[n] was recorded while excitation sample n was played.
[[nodiscard]] SteppedToneResult analyseSteppedTone(const SteppedToneSettings& s, std::span<const float> capture);
} // namespace wb::analysis
