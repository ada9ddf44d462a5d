// wavebench render: a test signal to a WAV file, with FILE.wav.json beside it saying what was made.
// The render itself is wb::renderSignal (Source/Core), the same code path the tests check; the
// effect chain (--chain / --set / --automation) plugs into its BlockProcessor argument.
//
// The chain, offline and sample-accurate (Cli/OfflineChain, shared with `wavebench measure`):
//   - --chain gain,reverb,gain: catalogue ids in order. Instances are named by id for the first
//     occurrence and id#2, id#3 ... for the later ones ("gain#1" also names the first).
//   - Channels are processed in pairs (1+2, 3+4, ...), each pair through its own instances of the
//     chain; an odd last channel (and a mono render) feeds both inputs of its instances and keeps
//     the first output. So an effect's state is never shared between pairs.
//   - --set FX.PARAM=VALUE sets a control before the first sample (no ramp). PARAM is the control
//     label ("peak 1 gain"), its full path, or the label with '_' for spaces (peak_1_gain),
//     case-insensitive; the label may carry double quotes (parametriceq."peak 1 gain"=6).
//   - --automation FILE.json: {"events":[{"effect","param","time" (s) | "sample","value",
//     "ramp" (s, 0 = step), "shape":"linear"}]}. Each event becomes Command::setParameter queued
//     on the node in the block that holds its sample, at its offset in that block, so it lands on
//     its exact sample. Only "linear" is accepted: the ramp is linear in the control's domain
//     (for [scale:log] controls, linear in log(value), as the live UI ramps them).
//   Values outside a control's range are refused, not clamped.
#include "Cli/OfflineChain.h"
#include "Engine/FaustEffectNode.h"
#include "Faust/FaustCatalogue.h"
#include "Cli/Cli.h"
#include "Cli/Subcommands.h"
#include "Core/Analysis/Levels.h"
#include "Core/Audio/WavFile.h"
#include "Core/Signals/Render.h"
#include "Core/Util/BuildInfo.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h> // isatty

namespace wb::cli
{
namespace
{
/// Renders longer than this (in seconds of audio) show progress when stderr is a terminal.
constexpr double kProgressMinSeconds = 5.0;
constexpr double kDefaultSweepStartHz = 20.0;

struct RenderOptions
{
    std::string signal;
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


std::string knownSignals()
{
    std::string names;
    for (int k = 0; k < kNumSignalKinds; ++k)
        names += (names.empty() ? "" : " ") + std::string(signalKindName(static_cast<SignalKind>(k)));
    return names;
}

/// Removes a file if it exists; never throws.
void removeQuietly(const std::string& path)
{
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

nlohmann::json levelsJson(const LevelStats& l)
{
    return {{"peak_dbfs", l.peakDb()}, {"rms_dbfs", l.rmsDb()}, {"crest_db", l.crestDb()},
            {"crest_factor", l.crest()}, {"dc", l.mean}};
}

int runRender(const RenderOptions& o, Context& ctx)
{
    const auto kind = parseSignalKind(o.signal);
    if (!kind)
        throw UsageError(fmt::format("unknown signal '{}' (known: {})", o.signal, knownSignals()));
    if (o.levelMode != "peak" && o.levelMode != "rms")
        throw UsageError(fmt::format("--level-mode must be peak or rms, not '{}'", o.levelMode));
    const auto format = parseSampleFormat(o.format);
    if (!format)
        throw UsageError(fmt::format("--format must be f32, s24 or s16, not '{}'", o.format));
    if (o.out.empty())
        throw UsageError("--out FILE.wav is required");

    SignalSettings s;
    s.kind = *kind;
    s.freq = o.freq.value_or(isSweep(*kind) ? kDefaultSweepStartHz : 1000.0);
    s.freqTo = o.to;
    s.levelDb = o.level;
    s.mode = o.levelMode == "rms" ? LevelMode::Rms : LevelMode::Peak;
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

    // The effect chain, checked completely before any file is made.
    if (!o.chain.empty() && o.rate > FaustEffectNode::kMaxSampleRate)
        throw UsageError(fmt::format("--chain: the effects run at up to {:.0f} Hz (Faust's limit), not {:g} Hz",
                                     FaustEffectNode::kMaxSampleRate, o.rate));
    auto stages = buildChain(o.chain, o.channels);
    const nlohmann::json setsRecord = applySets(stages, o.sets);
    const std::int64_t frames = std::llround(s.duration * o.rate);
    nlohmann::json automationRecord = nlohmann::json::array();
    std::vector<ChainEvent> events;
    if (!o.automation.empty())
    {
        if (stages.empty())
            throw UsageError("--automation needs --chain");
        events = readAutomation(o.automation, stages, o.rate, frames, automationRecord);
    }
    // What the chain starts with (after --set), for the sidecar.
    const nlohmann::json chainJson = chainSettingsJson(stages);
    std::optional<ChainRunner> runner;
    BlockProcessor chain;
    if (!stages.empty())
    {
        runner.emplace(stages, std::move(events), o.rate, c.blockSize);
        chain = [&runner](float* const* channels, int count, int n) { runner->process(channels, count, n); };
    }

    const std::string jsonPath = o.out + ".json";
    if (const auto problem = checkWritable(o.out))
        throw UsageError(fmt::format("cannot write {}: {}", o.out, *problem));

    // Render (progress on a terminal for long renders).
    const bool showProgress = isatty(STDERR_FILENO) != 0 && o.duration >= kProgressMinSeconds;
    int lastPercent = -1;
    RenderProgress progress;
    if (showProgress)
        progress = [&](double fraction)
        {
            const int percent = static_cast<int>(fraction * 100.0);
            if (percent != lastPercent)
            {
                lastPercent = percent;
                ctx.err << fmt::format("\rrendering {}: {:3d} %", signalKindName(*kind), percent) << std::flush;
            }
        };
    // Stream the render into a temporary WAV beside the target, measuring as it goes.
    std::string error;
    const auto wavTemp = makeTemporaryBeside(o.out, error);
    if (!wavTemp)
        throw UsageError(fmt::format("cannot write {}: {}", o.out, error));
    WavWriter writer;
    bool writeOk = writer.open(*wavTemp, o.channels, o.rate, *format, error);
    std::vector<LevelAccumulator> meters(static_cast<std::size_t>(o.channels));
    const auto summaryOfRender = renderSignalTo(
        s, c,
        [&](const float* const* channels, int count, int n)
        {
            for (int ch = 0; ch < count; ++ch)
                meters[static_cast<std::size_t>(ch)].add(channels[ch], n);
            writeOk = writeOk && writer.write(channels, n, error);
        },
        progress, chain);
    writeOk = writeOk && writer.close(error);
    if (showProgress)
        ctx.err << "\n";
    if (!writeOk)
    {
        removeQuietly(*wavTemp);
        ctx.err << "wavebench: error: " << error << "\n";
        return kFailure;
    }

    // What was made: every channel, and the loudest carrying channel as the summary.
    nlohmann::json perChannel = nlohmann::json::array();
    LevelStats summary;
    for (const auto& m : meters)
    {
        const auto l = m.stats();
        perChannel.push_back(levelsJson(l));
        if (l.rms > summary.rms || (l.rms == summary.rms && l.peak > summary.peak))
            summary = l;
    }

    nlohmann::json j;
    j["wavebench"] = versionString();
    j["file"] = std::filesystem::path(o.out).filename().string();
    j["signal"] = signalKindName(*kind);
    j["parameters"] = {
        {"freq_hz", s.freq},
        {"to_hz", s.freqTo},
        {"duration_s", s.duration},
        {"rate_hz", o.rate},
        {"channels", o.channels},
        {"format", sampleFormatName(*format)},
        {"start_phase_cycles", s.startPhase},
        {"impulse_period_samples", s.periodSamples},
        {"fade_in_s", s.fadeIn},
        {"fade_out_s", s.fadeOut},
    };
    nlohmann::json routed = nlohmann::json::array();
    nlohmann::json inverted = nlohmann::json::array();
    for (int ch = 0; ch < o.channels; ++ch)
    {
        if (c.routing.enabled(ch))
            routed.push_back(ch + 1);
        if (c.routing.invert[static_cast<std::size_t>(ch)])
            inverted.push_back(ch + 1);
    }
    j["parameters"]["routed_channels"] = routed;
    j["parameters"]["inverted_channels"] = inverted;
    j["seed"] = s.seed;
    j["chain"] = chainJson;
    j["chain_channel_policy"] = "channel pairs, each through its own instances; an odd last channel feeds both "
                                "inputs and keeps the first output";
    j["set"] = setsRecord;
    j["automation"] = automationRecord;
    j["requested"] = {{"level_dbfs", s.levelDb}, {"level_mode", o.levelMode}};
    j["measured"] = levelsJson(summary);
    j["measured"]["per_channel"] = perChannel;
    j["measured"]["note"] = "sample values before conversion to the file format";
    j["frames"] = summaryOfRender.numFrames;
    j["level_correction_db"] = summaryOfRender.levelCorrectionDb;
    j["clipped_samples"] = writer.clippedSamples();

    // A FIFO or a device (--out /dev/null) is written through and gets no sidecar: there is no
    // folder of the user's to put FILE.json in.
    const bool sidecar = !resolveOutputTarget(o.out).writeThrough;
    std::optional<std::string> jsonTemp;
    bool ok = true;
    if (sidecar)
    {
        jsonTemp = makeTemporaryBeside(jsonPath, error);
        ok = false;
        if (jsonTemp)
        {
            std::ofstream f(*jsonTemp, std::ios::trunc);
            f << j.dump(2) << "\n";
            f.close();
            ok = static_cast<bool>(f);
            if (!ok)
                error = fmt::format("writing {} failed", jsonPath);
        }
    }
    // The sidecar first: when the WAV then fails, the sidecar (a new file) is taken back.
    if (ok && sidecar)
        ok = commitTemporary(*jsonTemp, jsonPath, error);
    if (ok)
    {
        ok = commitTemporary(*wavTemp, o.out, error);
        if (!ok && sidecar)
            removeQuietly(resolveOutputTarget(jsonPath).path);
    }
    if (!ok)
    {
        removeQuietly(*wavTemp);
        if (jsonTemp)
            removeQuietly(*jsonTemp);
        ctx.err << "wavebench: error: " << error << "\n";
        return kFailure;
    }

    if (writer.clippedSamples() > 0)
        ctx.err << fmt::format("wavebench: warning: {} samples beyond full scale were clipped in {}\n",
                               writer.clippedSamples(), o.out);
    ctx.out << fmt::format("wrote {} ({} {}, {} s, {} Hz, {} ch, {}): peak {:.2f} dBFS, RMS {:.2f} dBFS, "
                           "crest {:.2f} dB\n",
                           o.out, signalKindName(*kind), isPeriodicTone(*kind) || isSweep(*kind)
                                                             ? fmt::format("{} Hz", s.freq) : std::string("-"),
                           s.duration, o.rate, o.channels, sampleFormatName(*format), summary.peakDb(),
                           summary.rmsDb(), summary.crestDb());
    return kOk;
}
} // namespace

void registerRenderCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("render", "Render a test signal to a WAV file (and FILE.wav.json)");
    auto o = std::make_shared<RenderOptions>();
    sub->add_option("--signal", o->signal, "sine square saw triangle white white-gaussian pink brown impulse "
                                           "sweep-log sweep-lin silence dc")
        ->required();
    sub->add_option("--freq", o->freq, "Tone frequency, or sweep start (Hz; default 1000, sweeps 20)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--to", o->to, "Sweep end frequency (Hz)")->capture_default_str()->check(CLI::PositiveNumber);
    sub->add_option("--level", o->level, "Level in dBFS (peak or RMS, see --level-mode)")->capture_default_str();
    sub->add_option("--level-mode", o->levelMode, "peak or rms")->capture_default_str();
    sub->add_option("--duration", o->duration, "Seconds")->capture_default_str()->check(CLI::Range(0.0, 86400.0));
    sub->add_option("--rate", o->rate, "Sample rate (Hz)")->capture_default_str()->check(CLI::Range(8000.0, 768000.0));
    sub->add_option("--channels", o->channels, "Channels (1..8)")->capture_default_str()->check(CLI::Range(1, 8));
    sub->add_option("--format", o->format, "f32, s24 or s16 (no dither)")->capture_default_str();
    sub->add_option("--seed", o->seed, "Seed of the noises")->capture_default_str();
    sub->add_option("--phase", o->phase, "Start phase of tones, in cycles")->capture_default_str();
    auto* periodOpt = sub->add_option("--period", o->periodSamples, "Impulse period in samples (0: a single impulse)")
                          ->check(CLI::NonNegativeNumber);
    // One quantity, two spellings: both together are refused (exit 2), never one silently picked.
    sub->add_option("--period-ms", o->periodMs, "Impulse period in milliseconds")
        ->check(CLI::NonNegativeNumber)
        ->excludes(periodOpt);
    sub->add_option("--fade-in", o->fadeIn, "Raised-cosine fade-in (s)")->check(CLI::NonNegativeNumber);
    sub->add_option("--fade-out", o->fadeOut, "Raised-cosine fade-out (s)")->check(CLI::NonNegativeNumber);
    sub->add_option("--route", o->route, "Channels (1-based) that carry the signal; default all")->delimiter(',');
    sub->add_option("--invert", o->invert, "Channels (1-based) with inverted polarity")->delimiter(',');
    sub->add_option("--chain", o->chain, "Effects to run the signal through, in order (ids from "
                                         "`wavebench effects`; a repeated id is addressed as id#2)")
        ->delimiter(',');
    sub->add_option("--set", o->sets, "FX.PARAM=VALUE before the first sample, e.g. gain.gain=-6 or "
                                      "parametriceq.peak_1_gain=6 (repeatable)");
    sub->add_option("--automation", o->automation, "JSON file of sample-accurate parameter events "
                                                   "(see README, \"Rendering through effects\")");
    sub->add_option("--out", o->out, "Output WAV file")->required();
    ctx.actions["render"] = [&ctx, o] { return runRender(*o, ctx); };
}
} // namespace wb::cli
