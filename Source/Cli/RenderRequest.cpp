#include "Cli/RenderRequest.h"

#include "Cli/Subcommands.h"

#include <fmt/format.h>

#include <cmath>

namespace wb::cli
{
namespace
{
constexpr double kDefaultSweepStartHz = 20.0;

std::string knownSignals()
{
    std::string names;
    for (int k = 0; k < kNumSignalKinds; ++k)
        names += (names.empty() ? "" : " ") + std::string(signalKindName(static_cast<SignalKind>(k)));
    return names;
}
} // namespace

void addSignalOptions(CLI::App& sub, RenderOptions& o)
{
    sub.add_option("--freq", o.freq, "Tone frequency, or sweep start (Hz; default 1000, sweeps 20)")
        ->check(CLI::PositiveNumber);
    sub.add_option("--to", o.to, "Sweep end frequency (Hz)")->capture_default_str()->check(CLI::PositiveNumber);
    sub.add_option("--level", o.level, "Level in dBFS (peak or RMS), or LUFS (see --level-mode)")->capture_default_str();
    sub.add_option("--level-mode", o.levelMode, "peak, rms (dBFS) or lufs (integrated loudness, EBU R128)")
        ->capture_default_str();
    sub.add_option("--channels", o.channels, "Channels (1..8)")->capture_default_str()->check(CLI::Range(1, 8));
    sub.add_option("--seed", o.seed, "Seed of the noises")->capture_default_str();
    sub.add_option("--phase", o.phase, "Start phase of tones, in cycles")->capture_default_str();
    sub.add_option("--period-ms", o.periodMs, "Impulse period in milliseconds")->check(CLI::NonNegativeNumber);
    sub.add_option("--fade-in", o.fadeIn, "Raised-cosine fade-in (s)")->check(CLI::NonNegativeNumber);
    sub.add_option("--fade-out", o.fadeOut, "Raised-cosine fade-out (s)")->check(CLI::NonNegativeNumber);
    sub.add_option("--route", o.route, "Channels (1-based) that carry the signal; default all")->delimiter(',');
    sub.add_option("--invert", o.invert, "Channels (1-based) with inverted polarity")->delimiter(',');
}

RenderRequest checkRenderOptions(const RenderOptions& o)
{
    if (o.signal.empty() == o.source.empty())
        throw UsageError("give either --signal NAME or --source FILE.dsp");
    // A --source program replaces the generator: the generator renders silence under it.
    const auto kind = o.source.empty() ? parseSignalKind(o.signal) : std::optional<SignalKind>(SignalKind::silence);
    if (!kind)
        throw UsageError(fmt::format("unknown signal '{}' (known: {})", o.signal, knownSignals()));
    if (o.levelMode != "peak" && o.levelMode != "rms" && o.levelMode != "lufs")
        throw UsageError(fmt::format("--level-mode must be peak, rms or lufs, not '{}'", o.levelMode));
    const bool lufs = o.levelMode == "lufs";
    if (lufs && !o.chain.empty())
        throw UsageError("--level-mode lufs cannot be used with --chain (an effect need not be linear); "
                         "render at a dBFS level and check the result with --target-lufs");
    if (lufs && !o.source.empty())
        throw UsageError("--level-mode lufs cannot be used with --source (the program sets its own level); "
                         "check the result with --target-lufs");
    if (lufs && !loudnessLayoutKnown(o.channels))
        throw UsageError(fmt::format("--level-mode lufs: BS.1770 gives no loudness weights for {} channels "
                                     "(1, 2, 5 or 6)", o.channels));
    if ((lufs || o.loudnessTarget.targetLufs) && o.rate != std::round(o.rate))
        throw UsageError("loudness (--level-mode lufs, --target-lufs) needs a whole number of Hz for --rate");
    checkLoudnessTarget(o.loudnessTarget);
    const auto format = parseSampleFormat(o.format);
    if (!format)
        throw UsageError(fmt::format("--format must be f32, s24 or s16, not '{}'", o.format));
    if (o.out.empty())
        throw UsageError("--out FILE.wav is required");

    SignalSettings s;
    s.kind = *kind;
    s.freq = o.freq.value_or(isSweep(*kind) ? kDefaultSweepStartHz : 1000.0);
    s.freqTo = o.to;
    // lufs: rendered at 0 dBFS peak, then rescaled by setLevelForLoudness.
    s.levelDb = lufs ? 0.0 : o.level;
    s.mode = o.levelMode == "rms" ? LevelMode::rms : LevelMode::peak;
    s.duration = o.duration;
    s.startPhase = o.phase;
    s.seed = o.seed;
    if (o.periodSamples < 0.0 || o.periodMs < 0.0)
        throw UsageError("an impulse period must not be negative");
    s.periodSamples = o.periodMs > 0.0 ? o.periodMs * 1e-3 * o.rate : o.periodSamples;
    s.fadeIn = o.fadeIn;
    s.fadeOut = o.fadeOut;

    RenderConfig c;
    c.sampleRate = o.rate;
    c.numChannels = o.channels;
    c.blockSize = 4096; // offline: the output does not depend on it (block-size invariance)
    if (!o.route.empty())
        c.routing.enabledMask = 0;
    for (int ch : o.route)
    {
        if (ch < 1 || ch > o.channels)
            throw UsageError(fmt::format("--route channel {} is not in 1..{}", ch, o.channels));
        c.routing.enabledMask |= 1u << (ch - 1);
    }
    for (int ch : o.invert)
    {
        if (ch < 1 || ch > o.channels)
            throw UsageError(fmt::format("--invert channel {} is not in 1..{}", ch, o.channels));
        c.routing.invert[static_cast<std::size_t>(ch - 1)] = true;
    }
    if (const auto problem = validateRenderRequest(s, c))
        throw UsageError(*problem);
    return {o, *kind, *format, s, c, std::nullopt};
}

void setLevelForLoudness(RenderRequest& request)
{
    if (request.options.levelMode != "lufs")
        return;
    auto& s = request.signal;
    const auto& c = request.config;
    LoudnessMeter meter(c.numChannels, c.sampleRate, false);
    renderSignalTo(s, c, [&meter](const float* const* channels, int, int n) { meter.add(channels, n); });
    const auto measured = meter.integratedLufs();
    if (!measured)
        throw UsageError(fmt::format("--level-mode lufs: this {} has no integrated loudness (silent, shorter than "
                                     "400 ms, or below the -70 LUFS gate); use --level-mode peak or rms",
                                     signalKindName(request.kind)));
    request.loudnessAtFullScaleLufs = measured;
    s.levelDb = request.options.level - *measured;
    if (const auto problem = validateRenderRequest(s, c))
        throw UsageError(fmt::format("--level-mode lufs: {} LUFS needs a peak level of {:.1f} dBFS: {}",
                                     request.options.level, s.levelDb, *problem));
}
} // namespace wb::cli
