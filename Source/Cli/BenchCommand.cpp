// wavebench bench streams: how many streams (a generator + an effect chain each, summed to the
// output) the engine runs in real time before the DSP load passes --max-load or an xrun happens.
//
// Step n runs n streams: the device is stopped, one stream is added to the graph (its topology is
// fixed while audio runs), the device is opened again; after --warmup seconds (graph preparation,
// effects fading in, caches) the engine's callbacks are timed for --seconds-per-step seconds from
// TimingSample telemetry (one per callback). A step passes when the mean DSP load (sum of
// callback times / sum of periods) stays at or below --max-load and no more than --max-xruns (0)
// xruns happened (a callback longer than its period, or an xrun the device counted). The first
// failing step ends the run; the result is the largest passing stream count.
//
// JSON (--json FILE, '-' for stdout; written whole via a temporary file):
//   settings   {device, rate, period, effects [ids], seconds_per_step, warmup_seconds,
//               max_streams, max_load, max_xruns}                      -- what was asked
//   device     {type, name, rate, period, [realtime_priority]}         -- what ran (virtual:
//               whether its thread got SCHED_FIFO)
//   machine    {cpus, load_average_start, load_average_end}            -- 1-minute load averages
//   steps      [{streams, callbacks, load_mean, load_p99, load_max,
//                callback_us {mean, p50, p99, max}, period_us, overruns, device_xruns, xruns,
//                meter {load_mean, load_window_max},                   -- LoadMeter at the step's end
//                timing_samples_lost, passed, device_lost,
//                nodes [{name, instances, mean_us, max_us}]}]          -- per instance, per callback
//   max_streams   the largest stream count that passed (0: not even one)
//   stopped_by    "load" | "xrun" | "max-streams" | "device-lost" | "SIGINT" | "SIGTERM" (Ctrl-C: the
//                 step under way is not counted, exit 128 + the signal)
// The device lost (it stopped calling back for max(1 s, 8 periods) or reported an error: a JACK
// server killed): the step under way is marked not passed with device_lost true (only streams,
// callbacks 0, passed and device_lost when the device would not even reopen), the steps before it
// are kept, stderr says so, and the exit is 1.
// Exit: 0 done (whatever the count), 2 bad usage, 1 the device could not run or was lost.
#include "Cli/Cli.h"
#include "Cli/Interrupt.h"
#include "Cli/Subcommands.h"
#include "Engine/DeviceWatch.h"
#include "Core/Audio/WavFile.h"
#include "Core/Monitor/CallbackStats.h"
#include "Core/Monitor/NodeTimes.h"
#include "Core/Monitor/ProcessStats.h"
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"
#include "Engine/EffectResolver.h"
#include "Faust/FaustCatalogue.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

namespace wb::cli
{
namespace
{
struct StreamsOptions
{
    std::string device = "virtual";
    double rate = 48000.0;
    int period = 256;
    bool periodGiven = false, rateGiven = false;
    std::string effects = "parametriceq,compressor,delay,reverb";
    double secondsPerStep = 2.0;
    double warmup = 0.25;
    int maxStreams = 64;
    double maxLoadPercent = 80.0;
    int maxXruns = 0;
    std::string json;
};

std::vector<std::string> effectList(const std::string& s)
{
    return s == "none" ? std::vector<std::string>{} : splitCommaList(s);
}

double loadAverage()
{
    std::ifstream f("/proc/loadavg");
    double one = -1.0;
    f >> one;
    return one;
}

/// Configures stream k (0 = the main one): a sine, its own frequency, -24 dBFS, and the chain.
void setUpStream(GeneratorNode& generator, EffectChainNode& chain, int k, const std::vector<std::string>& effects)
{
    SignalSettings tone;
    tone.kind = SignalKind::sine;
    tone.freq = 200.0 + 50.0 * double(k % 64);
    tone.levelDb = -24.0;
    tone.duration = 0.0;
    generator.setSettingsNow(tone, ChannelRouting{}, true);
    for (const auto& id : effects)
        if (chain.addEffectFromUi(id) == 0)
            throw std::runtime_error("the chain could not take effect '" + id + "'");
}

/// Runs the message loop for `seconds`, handing every telemetry message to `sink`. False when the
/// device was lost on the way (`watch` says so: it stopped calling back); it returns at once then.
template <typename Sink>
bool pumpFor(AudioEngine& engine, DeviceWatch& watch, double seconds, Sink&& sink)
{
    const double until = monitor::wallSeconds() + seconds;
    Telemetry t;
    bool lost = false;
    while (monitor::wallSeconds() < until && !(lost = watch.lost()) && InterruptScope::received() == 0)
    {
        juce::MessageManager::getInstance()->runDispatchLoopUntil(5);
        while (engine.telemetryQueue().popOnUi(t))
            sink(t);
    }
    while (engine.telemetryQueue().popOnUi(t))
        sink(t);
    return !lost;
}

int deviceXruns(AudioEngine& engine)
{
    auto* device = engine.deviceManager().getCurrentAudioDevice();
    return device != nullptr ? std::max(0, device->getXRunCount()) : 0;
}

int runStreams(const StreamsOptions& o, Context& ctx)
{
    const auto effects = effectList(o.effects);
    for (const auto& id : effects)
    {
        std::string problem;
        if (!resolveEffect(id, problem))
            throw UsageError(isDspPath(id) ? problem + " (in --effects)"
                                           : "unknown effect '" + id + "' in --effects (see `wavebench effects`)");
    }
    if (static_cast<int>(effects.size()) > EffectChainNode::kMaxSlots)
        throw UsageError(fmt::format("--effects: at most {} effects per stream", EffectChainNode::kMaxSlots));
    const double maxLoad = o.maxLoadPercent / 100.0;
    // Before the run, not after it: a --json that cannot be written is refused at once (exit 2).
    refuseUnwritable(o.json);

    nlohmann::json settings{{"device", o.device},
                            {"rate", o.rate},
                            {"period", o.period},
                            {"effects", effects},
                            {"seconds_per_step", o.secondsPerStep},
                            {"warmup_seconds", o.warmup},
                            {"max_streams", o.maxStreams},
                            {"max_load", maxLoad},
                            {"max_xruns", o.maxXruns}};
    const double loadStart = loadAverage();

    auto engine = AudioEngine::createWithGenerator();
    const auto open = [&]() -> juce::String {
        if (o.device == "jack")
            return engine->openJackDevice();
        VirtualLoopbackConfig config;
        config.sampleRate = o.rate;
        config.bufferSize = o.period;
        config.pacing = VirtualLoopbackConfig::Pacing::realTime;
        return engine->openVirtualDevice(config);
    };

    nlohmann::json steps = nlohmann::json::array();
    nlohmann::json deviceJson;
    int maxStreams = 0;
    std::string stoppedBy = "max-streams";
    std::ostream& text = o.json == "-" ? ctx.err : ctx.out;
    DeviceWatch watch(*engine);
    const InterruptScope interrupts; // Ctrl-C / SIGTERM: stop, write the JSON of the steps done
    const auto sayLost = [&](int n) {
        ctx.err << "wavebench: error: the " << (o.device == "jack" ? "JACK server stopped" : "device stopped")
                << " calling back during step " << n << " (" << n
                << " streams); that step is not passed, the steps before it are kept\n";
    };
    for (int n = 1; n <= o.maxStreams; ++n)
    {
        engine->closeDevice();
        if (n == 1)
            setUpStream(*engine->generator(), engine->chain(), 0, effects);
        else
        {
            const auto stream = engine->addStreamWhileStopped();
            if (stream.generator == nullptr)
                throw std::runtime_error("the engine refused a stream while stopped");
            setUpStream(*stream.generator, *stream.chain, n - 1, effects);
        }
        engine->enableTimingSamples(true);
        if (const auto error = open(); error.isNotEmpty())
        {
            ctx.err << "wavebench: error: cannot open the " << o.device << " device: " << error << "\n";
            if (n == 1)
                return kFailure;
            // The device went away between steps (a JACK server killed): keep what was measured.
            steps.push_back({{"streams", n}, {"callbacks", 0}, {"passed", false}, {"device_lost", true}});
            stoppedBy = "device-lost";
            sayLost(n);
            break;
        }
        watch.restart();
        auto* device = engine->deviceManager().getCurrentAudioDevice();
        if (n == 1)
        {
            deviceJson = {{"type", device->getTypeName().toStdString()},
                          {"name", device->getName().toStdString()},
                          {"rate", device->getCurrentSampleRate()},
                          {"period", device->getCurrentBufferSizeSamples()}};
            text << fmt::format("device: {}\n", engine->describeDevice().toStdString());
            if (o.device == "jack" && o.periodGiven && device->getCurrentBufferSizeSamples() != o.period)
                ctx.err << "wavebench: note: the JACK server runs at a period of "
                        << device->getCurrentBufferSizeSamples() << ", not " << o.period << "\n";
            if (o.device == "jack" && o.rateGiven && std::abs(device->getCurrentSampleRate() - o.rate) > 0.5)
                ctx.err << "wavebench: note: the JACK server runs at " << device->getCurrentSampleRate()
                        << " Hz, not " << o.rate << "\n";
            text << fmt::format("{:>7} {:>9} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9} {:>6}  {}\n", "streams", "callbacks",
                                "load%", "p99%", "max%", "mean/µs", "p99/µs", "max/µs", "xruns", "result");
        }

        // Warm-up: discard what it produces.
        bool deviceLost = !pumpFor(*engine, watch, o.warmup, [](const Telemetry&) {});
        const int xrunsBefore = deviceXruns(*engine);
        const auto rejectedBefore = engine->telemetryQueue().rejected();
        std::vector<TimingSample> samples;
        samples.reserve(static_cast<std::size_t>(o.secondsPerStep * o.rate / 16.0) + 64);
        monitor::NodeTimingSummary nodeTimes;
        if (!deviceLost)
            deviceLost = !pumpFor(*engine, watch, o.secondsPerStep, [&](const Telemetry& t) {
                if (t.type == TelemetryType::timingSample)
                    samples.push_back(t.timing);
                else if (t.type == TelemetryType::nodeTiming)
                    nodeTimes.add(t.nodeTiming);
            });
        if (InterruptScope::received() != 0)
        {
            // Ctrl-C or SIGTERM: this step is cut short and not counted; the steps before are kept.
            stoppedBy = InterruptScope::name(InterruptScope::received());
            ctx.err << "wavebench: interrupted (" << stoppedBy << ") during step " << n
                    << "; that step is not counted, the steps before it are kept\n";
            break;
        }
        if (!deviceLost)
            deviceLost = !watch.confirmAlive();
        const int devXruns = std::max(0, deviceXruns(*engine) - xrunsBefore);
        const auto lost = engine->telemetryQueue().rejected() - rejectedBefore;
        const auto meter = engine->loadMeter().snapshot();
        if (auto* virtualDevice = dynamic_cast<VirtualLoopbackDevice*>(device))
            deviceJson["realtime_priority"] = virtualDevice->hasRealtimePriority();
        engine->closeDevice();

        const auto s = monitor::summariseCallbacks(samples);
        const std::uint64_t xruns = s.overruns + static_cast<std::uint64_t>(devXruns);
        const bool loadOk = s.callbacks > 0 && s.loadMean <= maxLoad;
        const bool passed = !deviceLost && loadOk && xruns <= static_cast<std::uint64_t>(o.maxXruns);

        // Per node kind: mean and max per instance per callback (the callback itself as "callback").
        struct Kind
        {
            int instances = 0;
            double meanNs = 0.0;
            std::uint64_t maxNs = 0;
        };
        std::vector<std::pair<std::string, Kind>> kinds;
        for (const auto& e : nodeTimes.take())
        {
            auto name = engine->nodeNameFromUi(e.node);
            if (name.empty())
                continue;
            auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& p) { return p.first == name; });
            if (it == kinds.end())
                it = kinds.insert(kinds.end(), {name, Kind{}});
            it->second.meanNs = (it->second.meanNs * it->second.instances + e.meanNs) / (it->second.instances + 1);
            it->second.maxNs = std::max(it->second.maxNs, e.maxNs);
            ++it->second.instances;
        }
        nlohmann::json nodes = nlohmann::json::array();
        for (const auto& [name, k] : kinds)
            nodes.push_back({{"name", name}, {"instances", k.instances}, {"mean_us", k.meanNs / 1000.0},
                             {"max_us", double(k.maxNs) / 1000.0}});

        const auto us = [](double ns) { return ns / 1000.0; };
        const char* result = passed ? "ok" : deviceLost ? "LOST" : (loadOk ? "XRUN" : "LOAD");
        text << fmt::format("{:>7} {:>9} {:>8.2f} {:>8.2f} {:>8.2f} {:>9.1f} {:>9.1f} {:>9.1f} {:>6}  {}{}\n", n,
                            s.callbacks, 100.0 * s.loadMean, 100.0 * s.loadP99, 100.0 * s.loadMax, us(s.meanNs),
                            us(double(s.p99Ns)), us(double(s.maxNs)), xruns, result,
                            lost > 0 ? fmt::format(" ({} timing samples lost)", lost) : std::string())
             << std::flush;
        steps.push_back({{"streams", n},
                         {"callbacks", s.callbacks},
                         {"load_mean", s.loadMean},
                         {"load_p99", s.loadP99},
                         {"load_max", s.loadMax},
                         {"callback_us",
                          {{"mean", us(s.meanNs)}, {"p50", us(double(s.p50Ns))}, {"p99", us(double(s.p99Ns))},
                           {"max", us(double(s.maxNs))}}},
                         {"period_us", us(double(s.periodNs))},
                         {"overruns", s.overruns},
                         {"device_xruns", devXruns},
                         {"xruns", xruns},
                         {"meter", {{"load_mean", meter.meanLoad}, {"load_window_max", meter.windowMaxLoad}}},
                         {"timing_samples_lost", lost},
                         {"passed", passed},
                         {"device_lost", deviceLost},
                         {"nodes", nodes}});
        if (deviceLost)
        {
            stoppedBy = "device-lost";
            sayLost(n);
            break;
        }
        if (!passed)
        {
            stoppedBy = loadOk ? "xrun" : "load";
            break;
        }
        maxStreams = n;
    }
    engine->closeDevice();

    text << fmt::format("max streams: {} (at most {:.0f} % mean DSP load and {} xruns per step; stopped by {})\n",
                        maxStreams, o.maxLoadPercent, o.maxXruns == 0 ? std::string("no") : fmt::format("at most {}", o.maxXruns),
                        stoppedBy);
    if (!o.json.empty())
    {
        nlohmann::json j{{"settings", settings},
                         {"device", deviceJson},
                         {"machine",
                          {{"cpus", std::thread::hardware_concurrency()},
                           {"load_average_start", loadStart},
                           {"load_average_end", loadAverage()}}},
                         {"steps", steps},
                         {"max_streams", maxStreams},
                         {"stopped_by", stoppedBy}};
        writeJsonFile(o.json, j, ctx);
    }
    if (InterruptScope::received() != 0)
        return InterruptScope::exitCodeFor(InterruptScope::received());
    return stoppedBy == "device-lost" ? kFailure : kOk;
}
} // namespace

void registerBenchCommand(CLI::App& app, Context& ctx)
{
    auto* bench = app.add_subcommand("bench", "Benchmarks of the engine");
    bench->require_subcommand(1, 1);
    auto* streams = bench->add_subcommand(
        "streams", "Add streams (generator + effect chain) one at a time until 80 % DSP load or an xrun");
    auto o = std::make_shared<StreamsOptions>();
    streams->add_option("--device", o->device, "virtual (built-in, real-time thread) or jack (a running server)")
        ->check(CLI::IsMember({"virtual", "jack"}))
        ->capture_default_str();
    // A number with its range checked and its default shown in --help.
    const auto ranged = [streams](const std::string& name, auto& value, const std::string& help, auto low, auto high)
    { return streams->add_option(name, value, help)->check(CLI::Range(low, high))->capture_default_str(); };
    ranged("--rate", o->rate, "Sample rate in Hz (virtual; JACK uses the server's)", 8000.0, 768000.0);
    ranged("--period", o->period, "Period in frames (virtual; JACK uses the server's)", 16, 8192);
    streams->add_option("--effects", o->effects, "Each stream's chain, comma-separated ('none': generator only)")
        ->capture_default_str();
    ranged("--seconds-per-step", o->secondsPerStep, "Measured seconds per step", 0.05, 3600.0);
    ranged("--warmup", o->warmup, "Seconds run before each step's measurement", 0.0, 60.0);
    ranged("--max-streams", o->maxStreams, "Stop after this many streams", 1, 400);
    ranged("--max-load", o->maxLoadPercent, "Mean DSP load a step may reach, percent", 1.0, 100.0);
    ranged("--max-xruns", o->maxXruns, "Xruns a step may have and still pass (a shared machine)", 0, 1000000);
    streams->add_option("--json", o->json, "Write the settings and every step as JSON to FILE ('-' for stdout)");
    ctx.actions["bench"] = [&ctx, o, streams] {
        o->periodGiven = streams->count("--period") > 0;
        o->rateGiven = streams->count("--rate") > 0;
        return runStreams(*o, ctx);
    };
}
} // namespace wb::cli
