// wavebench latency: round-trip latency by loopback, with statistics, the device's own figure,
// JSON and exit codes (0 ok, 1 failure or --max-ms exceeded, 2 bad usage, 3 refused).
//
// JSON (--json FILE, or '-' for stdout; written whole via a temporary file):
//   settings  {device, rate, period, runs, connect_loopback, probe_period, settle_samples, [max_ms],
//              [virtual {delay_samples, noise_db, gain, pacing}]}   -- what was asked
//   device    {type, name, rate, period}                            -- what was used
//   valid     true | false;  when false: reason (text) and no latency figure at all; when the
//             device stopped calling back (a JACK server killed; noticed within about a second):
//             stopped_by "device-lost" and runs_completed (the runs done before), exit 1; when
//             Ctrl-C or SIGTERM stopped it: stopped_by "SIGINT" | "SIGTERM", runs_completed,
//             exit 128 + the signal (130, 143)
//   runs      [{frames, ms, inverted, gain_db, snr_db, phase_error_cycles}]
//   stats     {mean_frames, sigma_frames, min_frames, max_frames, mean_ms, sigma_ms, min_ms, max_ms}
//   reported  {input_frames, output_frames, round_trip_frames, round_trip_ms}  -- the device's claim
//   extra     {frames, ms}   -- measured mean minus reported round trip
//   inverted, xruns (device's count during the measurement, -1 unknown), [gate {max_ms, passed}]
//   timing    {first_result_s, total_s}  -- device start to the first valid run / to the end
// The virtual device's round trip is period + --virtual-delay (see VirtualLoopbackDevice.h).
#include "Cli/Cli.h"
#include "Cli/Interrupt.h"
#include "Cli/Subcommands.h"
#include "Cli/LoopbackDevice.h"
#include "Core/Audio/WavFile.h"
#include "Engine/LatencyMeasurement.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <filesystem>
#include <memory>

namespace wb::cli
{
namespace
{
struct LatencyOptions : LoopbackDeviceOptions // device, rate, period, the Virtual cable
{
    bool rateGiven = false;
    int runs = 5;
    int probePeriod = int(latency::kPeriod);
    bool quick = false;
    double maxMs = -1.0;
    std::string jsonFile;
};

// Samples skipped after the onset (device transients): 4096 for the full probe, a quarter of a
// shorter probe's period.
std::int64_t settleFor(int probePeriod)
{
    return std::min<std::int64_t>(4096, probePeriod / 4);
}

nlohmann::json settingsJson(const LatencyOptions& o)
{
    nlohmann::json s{{"device", o.device}, {"rate", o.rate}, {"period", o.period}, {"runs", o.runs},
                     {"connect_loopback", o.connectLoopback}, {"probe_period", o.probePeriod},
                     {"settle_samples", settleFor(o.probePeriod)}};
    if (o.device == "virtual")
        s["virtual"] = {{"delay_samples", o.virtualDelay}, {"noise_db", o.virtualNoiseDb},
                        {"gain", o.virtualGain}, {"pacing", o.virtualFast ? "as-fast-as-possible" : "real-time"}};
    if (o.maxMs >= 0.0)
        s["max_ms"] = o.maxMs;
    return s;
}

nlohmann::json reportJson(const LatencyOptions& o, const LatencyReport& r, bool passed)
{
    nlohmann::json j;
    j["settings"] = settingsJson(o);
    j["device"] = {{"type", r.deviceType}, {"name", r.deviceName}, {"rate", r.sampleRate}, {"period", r.period}};
    j["valid"] = r.valid;
    if (!r.valid)
    {
        j["reason"] = r.reason; // never a number when the measurement cannot be trusted
        if (r.deviceLost || r.interrupted)
        {
            j["stopped_by"] = r.deviceLost ? std::string("device-lost") : InterruptScope::name(InterruptScope::received());
            j["runs_completed"] = r.runs.size();
        }
        return j;
    }
    j["runs"] = nlohmann::json::array();
    for (const auto& run : r.runs)
        j["runs"].push_back({{"frames", run.frames}, {"ms", r.toMs(run.frames)}, {"inverted", run.inverted},
                             {"gain_db", run.gainDb}, {"snr_db", run.snrDb},
                             {"phase_error_cycles", run.phaseErrorCycles}});
    j["stats"] = {{"mean_frames", r.frames.mean}, {"sigma_frames", r.frames.sigma},
                  {"min_frames", r.frames.min}, {"max_frames", r.frames.max},
                  {"mean_ms", r.toMs(r.frames.mean)}, {"sigma_ms", r.toMs(r.frames.sigma)},
                  {"min_ms", r.toMs(r.frames.min)}, {"max_ms", r.toMs(r.frames.max)}};
    j["reported"] = {{"input_frames", r.reportedInputLatency}, {"output_frames", r.reportedOutputLatency},
                     {"round_trip_frames", r.reportedRoundTrip()}, {"round_trip_ms", r.toMs(r.reportedRoundTrip())}};
    j["extra"] = {{"frames", r.extraFrames()}, {"ms", r.toMs(r.extraFrames())}};
    j["inverted"] = !r.runs.empty() && r.runs.front().inverted;
    j["timing"] = {{"first_result_s", r.firstResultSeconds}, {"total_s", r.totalSeconds}};
    j["xruns"] = r.xruns;
    if (o.maxMs >= 0.0)
        j["gate"] = {{"max_ms", o.maxMs}, {"passed", passed}};
    return j;
}

// Rounding noise below the printed precision (1e-10 frames) must not print as "-0.0000".
double clean(double x)
{
    return std::abs(x) < 5e-9 ? 0.0 : x;
}

int runLatency(const LatencyOptions& o, Context& ctx)
{
    // Before the measurement, not after it: a --json that cannot be written is refused at once (exit 2).
    refuseUnwritable(o.jsonFile);
    auto device = openLoopbackDevice(o, ctx);
    if (device == nullptr)
        return kFailure;
    if (device->getTypeName() == "JACK")
    {
        if (o.periodGiven && device->getCurrentBufferSizeSamples() != o.period)
            ctx.err << "wavebench: note: the JACK server runs at a period of "
                    << device->getCurrentBufferSizeSamples() << ", not " << o.period << "\n";
        if (o.rateGiven && std::abs(device->getCurrentSampleRate() - o.rate) > 0.5)
            ctx.err << "wavebench: note: the JACK server runs at " << device->getCurrentSampleRate() << " Hz, not "
                    << o.rate << "\n";
    }
    if (!connectLoopbackIfAsked(o, *device, ctx))
        return kFailure;

    LatencyMeasurementSettings settings;
    settings.runs = o.runs;
    settings.probePeriodLog2 = std::countr_zero(static_cast<unsigned>(o.probePeriod)); // a power of two
    settings.estimator.settleMargin = settleFor(o.probePeriod);
    // Ctrl-C or SIGTERM: the runs stop, the device closes, the JSON says so (no figure: the runs
    // asked for were not done), exit 128 + the signal (Cli/Interrupt.h).
    const InterruptScope interrupts;
    settings.stopRequested = [] { return InterruptScope::received() != 0; };
    const LatencyReport r = measureLatency(*device, settings);
    device->close();

    const bool passed = !r.valid || o.maxMs < 0.0 || r.toMs(r.frames.mean) <= o.maxMs;
    if (!o.jsonFile.empty())
        writeJsonFile(o.jsonFile, reportJson(o, r, passed), ctx);

    std::ostream& text = o.jsonFile == "-" ? ctx.err : ctx.out;
    text << fmt::format("device: {} / {}, {:.0f} Hz, period {}\n", r.deviceType, r.deviceName, r.sampleRate, r.period);
    if (!r.valid)
    {
        if (r.interrupted)
        {
            const int sig = InterruptScope::received();
            ctx.err << fmt::format("wavebench: interrupted ({}) after {} of {} runs; latency not measured\n",
                                   InterruptScope::name(sig), r.runs.size(), o.runs);
            return InterruptScope::exitCodeFor(sig);
        }
        if (r.deviceLost)
            ctx.err << "wavebench: error: "
                    << (r.deviceType == "JACK" ? "the JACK server stopped" : "the device stopped")
                    << fmt::format(" calling back after {} of {} runs; latency not measured\n", r.runs.size(), o.runs);
        else
            ctx.err << "wavebench: latency not measured: " << r.reason << "\n";
        return r.deviceFailure ? kFailure : kUntrustworthy;
    }
    for (std::size_t i = 0; i < r.runs.size(); ++i)
    {
        const auto& run = r.runs[i];
        text << fmt::format("run {:>3}: {:12.4f} frames {:9.4f} ms{}  (gain {:.1f} dB, SNR {:.1f} dB)\n", i + 1,
                            run.frames, r.toMs(run.frames), run.inverted ? "  INVERTED" : "", run.gainDb, run.snrDb);
    }
    text << fmt::format("mean {:.4f} frames ({:.4f} ms), sigma {:.4f}, min {:.4f}, max {:.4f} frames\n", r.frames.mean,
                        r.toMs(r.frames.mean), r.frames.sigma, r.frames.min, r.frames.max);
    text << fmt::format("reported by the device: {} frames (input {} + output {}), {:.4f} ms; extra {:.4f} frames "
                        "({:.4f} ms)\n",
                        r.reportedRoundTrip(), r.reportedInputLatency, r.reportedOutputLatency,
                        r.toMs(r.reportedRoundTrip()), clean(r.extraFrames()), clean(r.toMs(r.extraFrames())));
    if (r.runs.front().inverted)
        text << "polarity: inverted\n";
    text << fmt::format("first valid result {:.3f} s after the device started; {} run(s) in {:.3f} s (probe {} "
                        "samples)\n",
                        r.firstResultSeconds, r.runs.size(), r.totalSeconds, r.probePeriod);
    if (r.xruns > 0)
        text << fmt::format("xruns during the measurement: {}\n", r.xruns);
    if (!passed)
    {
        ctx.err << fmt::format("wavebench: latency gate failed: mean {:.4f} ms > --max-ms {}\n",
                               r.toMs(r.frames.mean), o.maxMs);
        return kFailure;
    }
    return kOk;
}
} // namespace

void registerLatencyCommand(CLI::App& app, Context& ctx)
{
    auto o = std::make_shared<LatencyOptions>();
    auto* sub = app.add_subcommand("latency", "Measure the round-trip latency by loopback");
    sub->add_option("--device", o->device, kLoopbackDeviceHelp)->required();
    sub->add_option("--rate", o->rate, "Sample rate in Hz (virtual; JACK uses the server's)")
        ->check(CLI::Range(8000.0, 768000.0));
    sub->add_option("--period", o->period, "Period in frames (virtual; with JACK it must match the server)")
        ->check(CLI::Range(16, 8192));
    sub->add_option("--runs", o->runs, "Number of runs (default 5)")->check(CLI::Range(1, 1000));
    sub->add_option("--virtual-delay", o->virtualDelay,
                    "Virtual cable delay in samples, may be fractional (round trip = period + delay)")
        ->check(CLI::Range(0.0, 1.0e6));
    sub->add_option("--virtual-noise-db", o->virtualNoiseDb, "Virtual cable noise, dBFS RMS (default none)")
        ->check(CLI::Range(-200.0, 0.0));
    sub->add_option("--virtual-gain", o->virtualGain, "Virtual cable gain, linear (negative inverts, 0 = no cable)")
        ->check(CLI::Range(-10.0, 10.0));
    sub->add_flag("--virtual-fast", o->virtualFast, "Run the virtual device as fast as possible, not in real time");
    sub->add_flag("--connect-loopback", o->connectLoopback, "A JACK device: connect Wavebench's out_1 to its in_1");
    sub->add_option("--probe-period", o->probePeriod,
                    "Probe period in samples, a power of two from 4096 to 65536 (default 65536); one period "
                    "is captured per run, so shorter is quicker and a little noisier")
        ->check(CLI::IsMember({4096, 8192, 16384, 32768, 65536}));
    sub->add_flag("--quick", o->quick, "Same as --probe-period 8192: a result in about a quarter second");
    sub->add_option("--max-ms", o->maxMs, "Fail (exit 1) when the mean round trip exceeds this")
        ->check(CLI::Range(0.0, 1.0e6));
    sub->add_option("--json", o->jsonFile, "Write the report as JSON to FILE ('-' for stdout)");
    ctx.actions["latency"] = [&ctx, o, sub]
    {
        o->periodGiven = sub->count("--period") > 0;
        o->rateGiven = sub->count("--rate") > 0;
        if (o->quick && sub->count("--probe-period") > 0)
            throw UsageError("--quick and --probe-period exclude each other");
        if (o->quick)
            o->probePeriod = 8192;
        if (o->device == "virtual" && o->connectLoopback)
            throw UsageError("--connect-loopback is for --device jack (the virtual device is always looped)");
        if (o->device != "virtual" && (sub->count("--virtual-delay") || sub->count("--virtual-noise-db") ||
                                    sub->count("--virtual-gain") || o->virtualFast))
            throw UsageError("--virtual-* options are for --device virtual");
        if (o->virtualDelay + o->period > double(latency::kPeriod) - 8192.0 && o->device == "virtual")
            throw UsageError(fmt::format("--virtual-delay + --period must stay below {} samples",
                                         latency::kPeriod - 8192));
        return runLatency(*o, ctx);
    };
}
} // namespace wb::cli
