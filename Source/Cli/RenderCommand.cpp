// wavebench render: a test signal to a WAV file, with FILE.wav.json beside it saying what was made.
// The render itself is wb::renderSignal (Source/Core), the same code path the tests check; the
// effect chain (--chain / --set / --automation) plugs into its BlockProcessor argument.
// By concern: the options are checked into a request (Cli/RenderRequest), the chain is built
// here from Cli/OfflineChain, the render streams into a temporary WAV (Cli/RenderToWav), and the
// sidecar is written and the files put in place together (Cli/RenderSidecar).
//
// The chain, offline and sample-accurate (Cli/OfflineChain, shared with `wavebench measure`):
//   - --chain gain,reverb,gain: catalogue ids in order. Instances are named by id for the first
//     occurrence and id#2, id#3 ... for the later ones ("gain#1" also names the first).
//   - Channels are processed in pairs (1+2, 3+4, ...), each pair through its own instances of the
//     chain; an odd last channel (and a mono render) feeds both inputs of its instances and keeps
//     the first output. So an effect's state is never shared between pairs.
//   - --set FX.PARAM=VALUE sets a control before the first sample (no ramp). PARAM is the control
//     label ("peak 1 gain"), its full path, or the label with '_' for spaces (peak_1_gain),
//     case-insensitive; the label may carry double quotes (parametriceq."peak 1 gain"=6). Names
//     are read by Core/Session/ParamNames; VALUE in the control's unit by its ParamSpec ("1k").
//   - --automation FILE.json: {"events":[{"effect","param","time" (s) | "sample","value",
//     "ramp" (s, 0 = step), "shape":"linear"}]}. Each event becomes Command::setParameter queued
//     on the node in the block that holds its sample, at its offset in that block, so it lands on
//     its exact sample. Only "linear" is accepted: the ramp is linear in the control's domain
//     (for [scale:log] controls, linear in log(value), as the live UI ramps them).
//   Values outside a control's range are refused, not clamped.
//   A chain entry that ends in .dsp is a Faust file compiled at run time (Engine/EffectResolver);
//   its instance is named by the file's stem (--set my.gain=-6 for ./my.dsp).
// --source FILE.dsp: a Faust program with no inputs is the signal (instead of --signal). Its
// outputs go to the channels one to one (--channels defaults to its outputs), or a 1-output
// program to every channel; anything else is refused. --level and the signal options do not apply.
#include "Cli/OfflineChain.h"
#include "Engine/FaustEffectNode.h"
#include "Engine/EffectResolver.h"
#include "Faust/FaustCatalogue.h"
#include "Cli/Cli.h"
#include "Cli/LoudnessReport.h"
#include "Cli/RenderRequest.h"
#include "Cli/RenderSidecar.h"
#include "Cli/RenderToWav.h"
#include "Cli/Subcommands.h"
#include "Core/Audio/WavFile.h"
#include "Core/Signals/Render.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb::cli
{
namespace
{
/// A --source program running into the render's channels (message thread builds, render thread runs).
class SourceRunner
{
public:
    SourceRunner(std::shared_ptr<const faustrt::FaustModule> m, double rate) : module(std::move(m))
    {
        dsp = faustrt::createInstance(module);
        dsp->init(static_cast<int>(rate));
        outs.resize(static_cast<std::size_t>(module->outputs));
    }
    /// Writes the program's next n frames over the channels. No allocation.
    void process(float* const* channels, int numChannels, int n) noexcept
    {
        const bool spread = module->outputs == 1;
        for (std::size_t k = 0; k < outs.size(); ++k)
            outs[k] = channels[k];
        dsp->compute(n, nullptr, outs.data());
        if (spread)
            for (int ch = 1; ch < numChannels; ++ch)
                std::copy_n(channels[0], n, channels[ch]);
    }

private:
    std::shared_ptr<const faustrt::FaustModule> module;
    std::unique_ptr<::dsp> dsp;
    std::vector<float*> outs;
};

/// The --source module, checked: it compiles, has no inputs, and its outputs fit the channels.
std::shared_ptr<const faustrt::FaustModule> loadSource(RenderOptions& o)
{
    if (!isDspPath(o.source))
        throw UsageError(fmt::format("--source '{}': expected a Faust file ending in .dsp", o.source));
    faustrt::CompileError error;
    auto module = loadDspFile(o.source, error);
    if (module == nullptr)
        throw UsageError(error.text());
    if (module->inputs > 0)
        throw UsageError(fmt::format("--source {}: it has {} input{}; a source has none (an effect goes in --chain)",
                                     module->source.path, module->inputs, module->inputs == 1 ? "" : "s"));
    if (module->outputs < 1)
        throw UsageError(fmt::format("--source {}: it has no outputs", module->source.path));
    if (!o.channelsGiven)
        o.channels = module->outputs;
    if (module->outputs != 1 && module->outputs != o.channels)
        throw UsageError(fmt::format("--source {}: it has {} outputs and the render {} channel{}; give --channels {} "
                                     "(a 1-output program fills any number of channels)",
                                     module->source.path, module->outputs, o.channels, o.channels == 1 ? "" : "s",
                                     module->outputs));
    return module;
}

int runRender(const RenderOptions& given, Context& ctx)
{
    RenderOptions options = given;
    std::shared_ptr<const faustrt::FaustModule> sourceModule;
    if (!options.source.empty() && options.signal.empty())
        sourceModule = loadSource(options);
    auto request = checkRenderOptions(options);
    const auto& o = request.options;
    const auto& s = request.signal;
    const auto& c = request.config;
    const auto kind = request.kind;
    const auto format = request.format;

    // The effect chain, checked completely before any file is made.
    if (!o.chain.empty() && o.rate > FaustEffectNode::kMaxSampleRate)
        throw UsageError(fmt::format("--chain: the effects run at up to {:.0f} Hz (Faust's limit), not {:g} Hz",
                                     FaustEffectNode::kMaxSampleRate, o.rate));
    auto stages = buildChain(o.chain);
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
    // What the chain starts with (after --set), for the sidecar; a runtime module with its key.
    nlohmann::json chainJson = chainSettingsJson(stages);
    for (std::size_t i = 0; i < stages.size(); ++i)
        if (isDspPath(stages[i].effectId))
        {
            std::string problem;
            if (const auto effect = resolveEffect(stages[i].effectId, problem))
                chainJson[i]["module_key"] = effect->module->key;
        }
    std::optional<ChainRunner> runner;
    std::optional<SourceRunner> source;
    if (sourceModule != nullptr)
        source.emplace(sourceModule, o.rate);
    if (!stages.empty())
        runner.emplace(stages, std::move(events), o.rate, c.blockSize, o.channels);
    BlockProcessor chain;
    if (runner || source)
        chain = [&runner, &source](float* const* channels, int count, int n)
        {
            if (source)
                source->process(channels, count, n);
            if (runner)
                runner->process(channels, count, n);
        };

    if (const auto problem = checkWritable(o.out))
        throw UsageError(fmt::format("cannot write {}: {}", o.out, *problem));
    setLevelForLoudness(request);

    const auto wav = renderToTemporaryWav(request, chain, ctx);
    if (!wav)
        return kFailure;
    auto sidecar = renderSidecarJson(request, *wav, {chainJson, setsRecord, automationRecord});
    // --target-lufs: a verdict on the file made; the file stays either way (it is what was asked
    // for, and the evidence of a failed check).
    std::optional<LoudnessCheck> check;
    if (o.loudnessTarget.targetLufs)
    {
        check = checkLoudness(wav->loudness.value_or(LoudnessSummary{}), o.loudnessTarget);
        sidecar["loudness_check"] = check->json;
    }
    std::string error;
    if (sourceModule != nullptr)
    {
        sidecar["signal"] = "faust-source";
        sidecar["source"] = {{"path", sourceModule->source.path},
                             {"module_key", sourceModule->key},
                             {"outputs", sourceModule->outputs}};
    }
    if (!commitRender(request, *wav, sidecar, error))
    {
        ctx.err << "wavebench: error: " << error << "\n";
        return kFailure;
    }

    if (wav->clippedSamples > 0)
        ctx.err << fmt::format("wavebench: warning: {} samples beyond full scale were clipped in {}\n",
                               wav->clippedSamples, o.out);
    ctx.out << fmt::format("wrote {} ({} {}, {} s, {} Hz, {} ch, {}): peak {:.2f} dBFS, RMS {:.2f} dBFS, "
                           "crest {:.2f} dB\n",
                           o.out, sourceModule != nullptr ? sourceModule->source.name : signalKindName(kind),
                           sourceModule == nullptr && (isPeriodicTone(kind) || isSweep(kind)
                                                            ) ? fmt::format("{} Hz", s.freq) : std::string("-"),
                           s.duration, o.rate, o.channels, sampleFormatName(format), wav->summary.peakDb(),
                           wav->summary.rmsDb(), wav->summary.crestDb());
    if (wav->loudness)
        ctx.out << "loudness: " << loudnessLine(*wav->loudness) << "\n";
    if (check)
    {
        (check->passed ? ctx.out : ctx.err) << (check->passed ? "" : "wavebench: loudness check failed: ")
                                           << check->message << "\n";
        if (!check->passed)
            return kUntrustworthy;
    }
    return kOk;
}
} // namespace

void registerRenderCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("render", "Render a test signal to a WAV file (and FILE.wav.json)");
    auto o = std::make_shared<RenderOptions>();
    auto* signalOpt = sub->add_option("--signal", o->signal, "sine square saw triangle white white-gaussian pink brown "
                                                             "impulse sweep-log sweep-lin silence dc");
    sub->add_option("--source", o->source, "A Faust .dsp program without inputs as the signal (instead of --signal)")
        ->excludes(signalOpt);
    addSignalOptions(*sub, *o);
    addLoudnessTargetOptions(*sub, o->loudnessTarget);
    sub->add_option("--duration", o->duration, "Seconds")->capture_default_str()->check(CLI::Range(0.0, 86400.0));
    sub->add_option("--rate", o->rate, "Sample rate (Hz)")->capture_default_str()->check(CLI::Range(8000.0, 768000.0));
    sub->add_option("--format", o->format, "f32, s24 or s16 (no dither)")->capture_default_str();
    auto* periodOpt = sub->add_option("--period", o->periodSamples, "Impulse period in samples (0: a single impulse)")
                          ->check(CLI::NonNegativeNumber);
    // One quantity, two spellings: both together are refused (exit 2), never one silently picked.
    sub->get_option("--period-ms")->excludes(periodOpt);
    sub->add_option("--chain", o->chain, "Effects to run the signal through, in order (ids from "
                                         "`wavebench effects`; a repeated id is addressed as id#2)")
        ->delimiter(',');
    sub->add_option("--set", o->sets, "FX.PARAM=VALUE before the first sample, e.g. gain.gain=-6 or "
                                      "parametriceq.peak_1_gain=6 (repeatable)");
    sub->add_option("--automation", o->automation, "JSON file of sample-accurate parameter events "
                                                   "(see README, \"Rendering through effects\")");
    sub->add_option("--out", o->out, "Output WAV file")->required();
    ctx.actions["render"] = [&ctx, o, sub]
    {
        o->channelsGiven = sub->count("--channels") > 0;
        return runRender(*o, ctx);
    };
}
} // namespace wb::cli