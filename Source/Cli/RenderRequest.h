#pragma once
// wavebench render, argument validation: the command line's options -> a checked render request
// (the signal's settings and the render's configuration, as Core/Signals/Render takes them).
// The effect chain's options (--chain, --set, --automation) are checked by Cli/OfflineChain.
#include "Cli/LoudnessReport.h"
#include "Core/Audio/WavFile.h"
#include "Core/Signals/Render.h"
#include "Core/Signals/SignalTypes.h"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::cli
{
/// What the command line gave, as CLI11 parsed it (ranges checked there, nothing else).
struct RenderOptions
{
    std::string signal;
    std::string source;          ///< a 0-input Faust .dsp program as the signal (instead of --signal)
    bool channelsGiven = false;  ///< --channels was on the command line (a --source sets it otherwise)
    std::optional<double> freq;
    double to = 20000.0;
    double level = -1.0;
    std::string levelMode = "peak"; ///< peak, rms (dBFS) or lufs (integrated loudness)
    double duration = 1.0;
    double rate = 48000.0;
    int channels = 1;
    std::string format = "s24";
    std::uint64_t seed = 1;
    double phase = 0.0;
    double periodSamples = 0.0;
    double periodMs = 0.0;
    double fadeIn = 0.0;
    double fadeOut = 0.0;
    std::vector<int> route;  ///< 1-based channels that carry the signal (empty: all)
    std::vector<int> invert; ///< 1-based channels with inverted polarity
    std::vector<std::string> chain; ///< effect ids, in order
    std::vector<std::string> sets;  ///< FX.PARAM=VALUE
    std::string automation;         ///< JSON file of parameter events
    LoudnessTarget loudnessTarget;  ///< --target-lufs, --tolerance-lu
    std::string out;
};

/// A request every part of which has been checked: renderSignalTo can run it.
struct RenderRequest
{
    RenderOptions options; ///< as given (out, rate, channels, level mode, chain ...)
    SignalKind kind{};
    SampleFormat format{};
    SignalSettings signal; ///< --level-mode lufs: at 0 dBFS peak until setLevelForLoudness
    RenderConfig config;
    /// --level-mode lufs: the integrated loudness of the signal rendered at 0 dBFS peak, measured
    /// by setLevelForLoudness (nullopt in the other modes).
    std::optional<double> loudnessAtFullScaleLufs;
};

/// Registers the signal's options that `render` and `record --play` share: --freq, --to, --level,
/// --level-mode, --channels, --seed, --phase, --period-ms, --fade-in, --fade-out, --route,
/// --invert (each with its range check). The signal's name, duration, rate and the output are
/// each command's own.
void addSignalOptions(CLI::App& sub, RenderOptions& o);

/// Checks the options (signal name, level mode, format, --out, impulse period, --route and
/// --invert channels, --tolerance-lu, then validateRenderRequest) and builds the request.
/// --level-mode lufs needs a channel count BS.1770 weighs (1, 2, 5, 6) and no --chain (an
/// effect need not be linear, so scaling its input would not scale its loudness).
/// Throws: UsageError naming the first problem (exit 2), before any file is made.
[[nodiscard]] RenderRequest checkRenderOptions(const RenderOptions& o);

/// --level-mode lufs: renders the signal once at 0 dBFS peak (no file), measures its integrated
/// loudness over the whole duration (fades, sweeps and impulse trains included: the file's own
/// loudness, whatever its length), and sets the request's peak level so that the integrated
/// loudness is --level LUFS (loudness moves dB for dB with the level; the gates are relative, or
/// at -70 LUFS, far below any target). Does nothing in the other modes.
/// Throws: UsageError when the signal has no integrated loudness (silent, shorter than 400 ms,
/// below the gate) or the level needed is beyond what render accepts (+24 dBFS).
void setLevelForLoudness(RenderRequest& request);
} // namespace wb::cli
