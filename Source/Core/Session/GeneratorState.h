#pragma once
// The generator's settings as plain data: every value the generator panel shows, once, including
// what each signal kind remembers on its own (a tone's frequency and a sweep's start; the sweep's
// and the impulse train's Repeat). Engine/GeneratorModel owns the live one (message thread) and
// sends each change to the audio thread; Engine/SessionFile reads and writes it as <Generator>.
// Ranges come from Core/Session/GeneratorParams. The defaults are the app's at launch (level
// -20 dBFS, not the CLI's -1 dBFS). Plain C++ (no JUCE).
#include "Core/Signals/SignalTypes.h"

#include <cstdint>
#include <string>

namespace wb
{
struct GeneratorState
{
    SignalKind kind = SignalKind::sine;
    double toneHz = 1000.0;    ///< a periodic tone's frequency
    double sweepFromHz = 20.0; ///< where a sweep starts
    double freqTo = 20000.0;   ///< where a sweep ends
    double levelDb = -20.0;    ///< dBFS, peak or RMS per `mode`
    LevelMode mode = LevelMode::peak;
    double sweepSeconds = 2.0; ///< one sweep
    double fadeSeconds = 0.01; ///< raised-cosine fade at both ends of a sweep (<= half of it)
    bool sweepRepeat = true;
    double impulsePeriodSeconds = 0.5;
    bool impulseRepeat = true;
    std::uint64_t seed = 1; ///< of every noise, 0 .. 2^32 - 1
    int routingMask = 0x3;  ///< bit c: output c carries the signal
    int invertMask = 0;     ///< bit c: output c plays it inverted
    bool running = false;

    /// The frequency of the current kind: the sweep's start for sweeps, else the tone's.
    [[nodiscard]] double freq() const noexcept { return isSweep(kind) ? sweepFromHz : toneHz; }
    /// The settings the generator plays for the current kind (what `wavebench render` takes):
    /// timing only where the kind uses it (a sweep's duration, fades and repeat; an impulse
    /// train's period in samples, 0 for a single impulse).
    [[nodiscard]] SignalSettings played(double sampleRate) const;

    bool operator==(const GeneratorState&) const = default;
};

/// Why `state` cannot be the generator's ("" when it can): a value that is not finite or lies
/// outside its GeneratorParams range, a fade longer than half the sweep, a seed that is not a
/// whole number. The reason names the setting and the range ("level -300 dBFS is not in -80..0 dBFS").
[[nodiscard]] std::string generatorStateProblem(const GeneratorState& state);
} // namespace wb
