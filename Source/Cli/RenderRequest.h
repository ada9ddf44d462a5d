#pragma once
// wavebench render, argument validation: the command line's options -> a checked render request
// (the signal's settings and the render's configuration, as Core/Signals/Render takes them).
// The effect chain's options (--chain, --set, --automation) are checked by Cli/OfflineChain.
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
    std::string levelMode = "peak";
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
    std::string out;
};

/// A request every part of which has been checked: renderSignalTo can run it.
struct RenderRequest
{
    RenderOptions options; ///< as given (out, rate, channels, level mode, chain ...)
    SignalKind kind{};
    SampleFormat format{};
    SignalSettings signal;
    RenderConfig config;
};

/// Registers the signal's options that `render` and `record --play` share: --freq, --to, --level,
/// --level-mode, --channels, --seed, --phase, --period-ms, --fade-in, --fade-out, --route,
/// --invert (each with its range check). The signal's name, duration, rate and the output are
/// each command's own.
void addSignalOptions(CLI::App& sub, RenderOptions& o);

/// Checks the options (signal name, level mode, format, --out, impulse period, --route and
/// --invert channels, then validateRenderRequest) and builds the request.
/// Throws: UsageError naming the first problem (exit 2), before any file is made.
[[nodiscard]] RenderRequest checkRenderOptions(const RenderOptions& o);
} // namespace wb::cli
