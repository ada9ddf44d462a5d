// wavebench monitor: runs the engine (a 1 kHz sine at -20 dBFS through --chain) on the default device (the Virtual loopback one when there is
// no sound card) and prints, every interval, what the app's monitor panel shows: DSP load (mean and
// window maximum), xruns, audio-thread / main-thread / process CPU, memory (RSS, heap, Faust),
// the time per node (the whole callback, the generator, each effect: mean and max µs per
// callback over the interval, and the mean's share of the period), and the outputs' EBU R128
// loudness (momentary, short-term, integrated, range, true peak) since the start.
//
// --json FILE writes the time series:
//   {"settings": {seconds, interval, chain, device}, "device": "...",
//    "samples": [{"t": s, "load_mean": 0..1, "load_max": 0..1, "xruns": n (overruns + device_xruns),
//                 "overruns": callbacks that took longer than their period, "device_xruns": the
//                 device's own count, "callbacks": n,
//                 "cpu_audio": fraction of a core, "cpu_main": ..., "cpu_process": ...,
//                 "rss_bytes": n, "heap_bytes": n, "private_bytes": n (Private_Clean + Private_Dirty of
//                 /proc/self/smaps_rollup: memory only this process holds), "pss_bytes": n (Pss),
//                 "smaps_available": bool (false: private and pss are the RSS), "faust_instances": n, "faust_bytes": n,
//                 "faust_modules": {"modules", "machine_code_bytes", "instances", "memory_hits", "disk_hits",
//                                   "compiles", "failures", "last_compile_ms"} (runtime .dsp modules: the cache),
//                 "nodes": [{"id": NodeId, "name": "callback" | "generator" | effect id,
//                            "mean_us": µs per callback, "max_us": µs, "share": mean / period,
//                            "callbacks": n}, ...]}, ...]}
//   (nodes in the order they ran, the whole callback last; empty when no window closed yet)
//   each sample also has "buffer_pool": null, or with --record FILE (the engine's outputs 1 and 2
//   recorded to FILE, f32, through the recorder tap: Core/Audio/Recorder) {"blocks": the pool's
//   size, "block_frames", "in_use": blocks acquired and not yet back, "high_water": most at once,
//   "writer_lag_s": audio captured but not yet written, "frames_written", "frames_lost"}
//   each sample also has "loudness": the outputs' EBU R128 loudness since the start (Core/Analysis/
//   LiveLoudness, from the engine's scope frames): {"momentary_lufs", "short_term_lufs",
//   "integrated_lufs", "range_lu", "true_peak_dbtp" (null until measured: short-term needs 3 s),
//   "channels", "frames" measured, "frames_lost" (frames the frame ring dropped: gaps, not silence)}
//   "stopped_by": "seconds" (ran its --seconds) | "device-lost" (the device stopped calling back
//   for max(1 s, 8 periods) or reported an error, a JACK server killed: the samples before are
//   kept, stderr says so, exit 1)
// --device default | virtual | jack picks the device (default: the system's, else Virtual loopback).
#include "Cli/Cli.h"
#include "Cli/Interrupt.h"
#include "Cli/LoudnessReport.h"
#include "Cli/Subcommands.h"
#include "Engine/DeviceWatch.h"
#include "Core/Analysis/LiveLoudness.h"
#include "Core/Audio/Recorder.h"
#include "Core/Audio/WavFile.h"
#include "Core/Monitor/ProcessStats.h"
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"
#include "FaustRuntime/FaustModuleCache.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace wb::cli
{
namespace
{
/// The runtime Faust module cache's figures (FaustRuntime/FaustModuleCache.h).
nlohmann::json faustModulesJson()
{
    const auto f = faustrt::FaustModuleCache::shared().stats();
    return {{"modules", f.modules},         {"machine_code_bytes", f.machineCodeBytes},
            {"instances", f.instances},     {"memory_hits", f.memoryHits},
            {"disk_hits", f.diskHits},      {"compiles", f.compiles},
            {"failures", f.failures},       {"last_compile_ms", f.lastCompileMs}};
}

struct MonitorOptions
{
    double seconds = 5.0;
    double interval = 0.5;
    std::string chain;
    std::string json;
    std::string device = "default";
    std::string record; ///< the engine's outputs to this WAV while monitoring
};

nlohmann::json loudnessJson(const LiveLoudness::Figures& f)
{
    return {{"momentary_lufs", orNull(f.momentaryLufs)}, {"short_term_lufs", orNull(f.shortTermLufs)},
            {"integrated_lufs", orNull(f.integratedLufs)}, {"range_lu", orNull(f.rangeLu)},
            {"true_peak_dbtp", orNull(f.truePeakDbtp)},   {"channels", f.numChannels},
            {"frames", f.framesMeasured},                       {"frames_lost", f.framesLost}};
}

std::string loudnessText(const std::optional<double>& v)
{
    return v ? fmt::format("{:.1f}", *v) : std::string("-");
}

nlohmann::json bufferPoolJson(const Recorder* recorder)
{
    if (recorder == nullptr)
        return nullptr;
    const auto s = recorder->statsFromUi();
    return {{"blocks", s.pool.capacity},
            {"block_frames", s.pool.maxFrames},
            {"in_use", s.pool.inUse},
            {"high_water", s.pool.highWater},
            {"writer_lag_s", s.sampleRate > 0.0 ? static_cast<double>(s.writerLagFrames) / s.sampleRate : 0.0},
            {"frames_written", s.framesWritten},
            {"frames_lost", s.framesLost}};
}

int runMonitor(const MonitorOptions& o, Context& ctx)
{
    if (!(o.seconds > 0.0) || !(o.interval > 0.0) || o.interval > o.seconds)
        throw UsageError("--seconds and --interval must be positive, with the interval no longer than the run");
    // Before the run, not after it: a --json that cannot be written is refused at once (exit 2).
    refuseUnwritable(o.json);
    refuseUnwritable(o.record);
    auto enginePtr = AudioEngine::createWithGenerator();
    auto& engine = *enginePtr;
    // A 1 kHz sine at -20 dBFS on both channels runs through the chain, so the load is real.
    SignalSettings tone;
    tone.kind = SignalKind::sine;
    tone.freq = 1000.0;
    tone.levelDb = -20.0;
    tone.duration = 0.0;
    engine.generator()->setSettingsNow(tone, ChannelRouting{}, true);
    for (const auto& id : splitCommaList(o.chain))
        if (engine.chain().addEffectFromUi(id) == 0)
            throw UsageError("unknown effect '" + id + "' (see `wavebench effects`)");
    const auto openError = o.device == "jack"      ? engine.openJackDevice()
                         : o.device == "virtual" ? engine.openVirtualDevice(VirtualLoopbackConfig{})
                                                 : engine.openDevice(nullptr);
    if (const auto& error = openError; error.isNotEmpty())
    {
        ctx.err << "wavebench: error: no audio device: " << error << "\n";
        return kFailure;
    }
    ctx.err << "device: " << engine.describeDevice() << "\n";
    // --record: the engine's outputs 1 and 2 through the recorder tap, to show its pool live.
    Recorder recorder;
    if (!o.record.empty())
    {
        RecorderConfig rc;
        rc.numChannels = 2;
        rc.sampleRate = engine.deviceManager().getCurrentAudioDevice()->getCurrentSampleRate();
        std::string error;
        if (!recorder.prepare(rc, error) || !recorder.startFromUi({o.record, SampleFormat::float32}, error))
        {
            engine.closeDevice();
            ctx.err << "wavebench: error: " << error << "\n";
            return kFailure;
        }
        engine.attachRecorderFromUi(&recorder, {}, 2);
    }
    // The outputs' loudness, from the scope frames this loop drains (at most two outputs).
    LiveLoudness loudness;
    {
        auto* device = engine.deviceManager().getCurrentAudioDevice();
        loudness.start(device->getCurrentSampleRate(), device->getActiveOutputChannels().countNumberOfSetBits());
    }
    ctx.out << fmt::format("{:>6} {:>7} {:>7} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9}\n", "t/s", "load%", "max%",
                           "xruns", "audio%", "main%", "proc%", "RSS/MB", "heap/MB", "priv/MB", "PSS/MB");
    nlohmann::json samples = nlohmann::json::array();
    monitor::NodeTimingSummary nodeTimes;
    monitor::CpuUsage audioCpu, mainCpu, processCpu;
    DeviceWatch watch(engine);
    // engine.callbacks() at the start, then when each sample was taken (one more than samples).
    std::vector<std::uint64_t> sampleCallbacks{engine.callbacks()};
    bool deviceLost = false;
    const bool isJack = engine.deviceManager().getCurrentAudioDevice() != nullptr
                     && engine.deviceManager().getCurrentAudioDevice()->getTypeName() == "JACK";
    // Ctrl-C or SIGTERM: stop sampling, close the device and any --record file, write the JSON of
    // the samples taken, exit 128 + the signal (Cli/Interrupt.h).
    const InterruptScope interrupts;
    const double t0 = monitor::wallSeconds();
    (void) mainCpu.update(monitor::currentThreadCpuSeconds(), t0);
    (void) processCpu.update(monitor::processCpuSeconds(), t0);
    if (auto a = engine.audioThreadCpuSeconds())
        (void) audioCpu.update(*a, t0);
    for (double next = t0 + o.interval; next <= t0 + o.seconds + 1e-9 && !deviceLost && InterruptScope::received() == 0;
         next += o.interval)
    {
        // The message thread keeps working (draining telemetry, collecting garbage) while it waits.
        while (monitor::wallSeconds() < next)
        {
            if ((deviceLost = watch.lost()) || InterruptScope::received() != 0)
                break;
            juce::MessageManager::getInstance()->runDispatchLoopUntil(10);
            Telemetry t;
            while (engine.telemetryQueue().popOnUi(t))
                if (t.type == TelemetryType::nodeTiming)
                    nodeTimes.add(t.nodeTiming);
            FrameChunk f;
            while (engine.frameQueue().popOnUi(f))
                loudness.push(f);
            engine.collectGarbage();
        }
        if (deviceLost)
        {
            // Samples taken after the last callback (the loss takes up to the stall limit to
            // notice) describe nothing: drop every trailing sample with no callback in its interval.
            while (!samples.empty() && sampleCallbacks.back() == sampleCallbacks[sampleCallbacks.size() - 2])
            {
                sampleCallbacks.pop_back();
                samples.erase(samples.size() - 1);
            }
            ctx.err << "wavebench: error: " << (isJack ? "the JACK server stopped" : "the device stopped")
                    << fmt::format(" calling back (none for {:.1f} s) at t = {:.2f} s; the {} sample(s) before are kept\n",
                                   watch.stallLimitSeconds(), monitor::wallSeconds() - t0, samples.size());
            break;
        }
        if (InterruptScope::received() != 0)
            break; // mid-interval: no sample of a part of one
        const double now = monitor::wallSeconds();
        const auto load = engine.loadSnapshotFromUi();
        const auto mem = monitor::readMemoryStats();
        const double cpuMain = mainCpu.update(monitor::currentThreadCpuSeconds(), now);
        const double cpuProcess = processCpu.update(monitor::processCpuSeconds(), now);
        const auto a = engine.audioThreadCpuSeconds();
        const double cpuAudio = a ? audioCpu.update(*a, now) : 0.0;
        const auto& counters = monitor::ResourceCounters::global();
        ctx.out << fmt::format("{:6.2f} {:7.2f} {:7.2f} {:6} {:8.2f} {:8.2f} {:8.2f} {:9.1f} {:9.1f} {:9.1f} {:9.1f}\n",
                               now - t0, 100.0 * load.meanLoad, 100.0 * load.windowMaxLoad, load.xruns(),
                               100.0 * cpuAudio, 100.0 * cpuMain, 100.0 * cpuProcess, double(mem.rssBytes) / 1048576.0,
                               double(mem.heapInUseBytes) / 1048576.0, double(mem.privateBytes) / 1048576.0,
                               double(mem.pssBytes) / 1048576.0)
                << std::flush;
        nlohmann::json nodes = nlohmann::json::array();
        std::string nodeLine;
        for (const auto& n : nodeTimes.take())
        {
            const auto name = engine.nodeNameFromUi(n.node);
            nodes.push_back({{"id", n.node}, {"name", name}, {"mean_us", n.meanNs / 1000.0},
                             {"max_us", double(n.maxNs) / 1000.0}, {"share", n.share()},
                             {"callbacks", n.callbacks}});
            nodeLine += fmt::format("  {} {:.1f}/{:.1f} µs {:.2f} %", name.empty() ? "?" : name, n.meanNs / 1000.0,
                                    double(n.maxNs) / 1000.0, 100.0 * n.share());
        }
        if (!nodeLine.empty())
            ctx.out << "       per node (mean/max per callback, share of the period):" << nodeLine << "\n";
        const auto lu = loudness.figures();
        ctx.out << fmt::format("       loudness: M {} S {} I {} LUFS, LRA {} LU, TP {} dBTP{}\n",
                               loudnessText(lu.momentaryLufs), loudnessText(lu.shortTermLufs),
                               loudnessText(lu.integratedLufs), loudnessText(lu.rangeLu), loudnessText(lu.truePeakDbtp),
                               lu.framesLost > 0 ? fmt::format(" ({} frames lost)", lu.framesLost) : std::string());
        sampleCallbacks.push_back(engine.callbacks());
        samples.push_back({{"t", now - t0}, {"load_mean", load.meanLoad}, {"load_max", load.windowMaxLoad},
                           {"xruns", load.xruns()}, {"overruns", load.overruns},
                           {"device_xruns", load.deviceXruns}, {"callbacks", load.callbacks}, {"cpu_audio", cpuAudio},
                           {"cpu_main", cpuMain}, {"cpu_process", cpuProcess}, {"rss_bytes", mem.rssBytes},
                           {"heap_bytes", mem.heapInUseBytes}, {"private_bytes", mem.privateBytes},
                           {"pss_bytes", mem.pssBytes}, {"smaps_available", mem.smapsAvailable},
                           {"faust_instances", counters.faustInstances.load()},
                           {"faust_bytes", counters.faustBytes.load()},
                           {"faust_modules", faustModulesJson()},
                           {"nodes", nodes}, {"buffer_pool", bufferPoolJson(engine.attachedRecorder())},
                           {"loudness", loudnessJson(lu)}});
        if (const auto* r = engine.attachedRecorder())
        {
            const auto rs = r->statsFromUi();
            ctx.out << fmt::format("       buffer pool: {}/{} blocks in use, high water {}, writer lag {:.1f} ms, "
                                   "{} frames written, {} lost\n",
                                   rs.pool.inUse, rs.pool.capacity, rs.pool.highWater,
                                   1000.0 * static_cast<double>(rs.writerLagFrames) / rs.sampleRate, rs.framesWritten,
                                   rs.framesLost);
        }
    }
    const int interruptedBy = InterruptScope::received();
    if (interruptedBy != 0 && !deviceLost)
        ctx.err << fmt::format("wavebench: interrupted ({}) at t = {:.2f} s; the {} sample(s) before are kept\n",
                               InterruptScope::name(interruptedBy), monitor::wallSeconds() - t0, samples.size());
    const auto device = engine.describeDevice().toStdString();
    engine.closeDevice();
    bool recordFailed = false;
    if (engine.attachedRecorder() != nullptr)
    {
        engine.attachRecorderFromUi(nullptr, {}, 0);
        const auto result = recorder.finishFromUi(true);
        if (!result.ok)
        {
            ctx.err << "wavebench: error: --record: " << result.error << "\n";
            recordFailed = true;
        }
    }
    if (!o.json.empty())
    {
        nlohmann::json j{{"settings", {{"seconds", o.seconds}, {"interval", o.interval}, {"chain", splitCommaList(o.chain)}, {"device", o.device}, {"record", o.record}}},
                         {"device", device},
                         {"samples", samples},
                         {"stopped_by", deviceLost          ? std::string("device-lost")
                                        : interruptedBy != 0 ? InterruptScope::name(interruptedBy)
                                                             : std::string("seconds")}};
        writeJsonFile(o.json, j, ctx);
    }
    if (deviceLost || recordFailed)
        return kFailure;
    return interruptedBy != 0 ? InterruptScope::exitCodeFor(interruptedBy) : kOk;
}
} // namespace

void registerMonitorCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("monitor", "Run the engine and print DSP load, xruns, CPU and memory live");
    auto o = std::make_shared<MonitorOptions>();
    sub->add_option("--seconds", o->seconds, "How long to run")->capture_default_str()->check(CLI::PositiveNumber);
    sub->add_option("--interval", o->interval, "Seconds between lines")->capture_default_str()->check(CLI::PositiveNumber);
    sub->add_option("--device", o->device,
                    "default (the system's default device, else the Virtual loopback), virtual, or jack (a running server)")
        ->check(CLI::IsMember({"default", "virtual", "jack"}))
        ->capture_default_str();
    sub->add_option("--chain", o->chain, "Effects to run, e.g. parametriceq,compressor,reverb");
    sub->add_option("--json", o->json, "Write the time series as JSON to FILE ('-' for stdout)");
    sub->add_option("--record", o->record, "Record the engine's outputs 1 and 2 to this WAV (f32) while monitoring: "
                                           "the buffer pool's figures");
    ctx.actions["monitor"] = [&ctx, o] { return runMonitor(*o, ctx); };
}
} // namespace wb::cli
