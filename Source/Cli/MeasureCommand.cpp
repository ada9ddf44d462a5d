// wavebench measure: frequency response, phase, impulse response and harmonic distortion by a
// synchronized swept sine (Core/Analysis/SweptSine), either through the offline effect chain
// (--offline: Cli/OfflineChain, the same code `render --chain` uses, block by block,
// sample-exactly) or through a device loopback (--device virtual|jack: Engine/SweepCapture plays
// the sweep on output 1 and records input 1 in the same callbacks, so the delay is the round trip).
//
// Exit codes: 0 measured; 1 --compare found the response outside the reference's band (or an
// I/O failure); 2 bad usage; 3 the measurement was refused (clipping, no signal, SNR too low,
// delay does not fit) with the reason on stderr; no output file is written then.
#include "Cli/Cli.h"
#include "Cli/Interrupt.h"
#include "Cli/Subcommands.h"
#include "Cli/LoopbackDevice.h"
#include "Cli/OfflineChain.h"
#include "Engine/ResponsePlot.h"
#include "Engine/SweepReport.h"
#include "Core/Analysis/SteppedTone.h"
#include "Core/Analysis/SweptSine.h"
#include "Core/Audio/WavFile.h"
#include "Core/Util/BuildInfo.h"
#include "Engine/SweepCapture.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace wb::cli
{
namespace
{
struct MeasureOptions : LoopbackDeviceOptions // device, rate, period, the Virtual cable
{
    bool offline = false;
    std::vector<std::string> chain;
    std::vector<std::string> sets;
    double from = 20.0;
    double to = 20000.0;
    double duration = 2.0;
    double level = -6.0;
    double tail = 0.5;
    int block = 512;
    int pointsPerOctave = 24;
    std::vector<double> tones;
    int smooth = 0;
    bool noiseFloor = false;
    std::string json;
    std::string csv;
    std::string ir;
    std::string plot;
    std::string compare;
    double toleranceDb = 0.5;
};


/// The system's output for the excitation, mono, through the chain in blocks of `block` frames.
std::vector<float> runOffline(const std::vector<float>& excitation, const std::vector<ChainStage>& stages, double rate,
                              int block)
{
    std::vector<float> y = excitation;
    if (stages.empty())
        return y;
    ChainRunner runner(stages, {}, rate, block, 1); // a fresh chain: no state carried over
    for (std::size_t start = 0; start < y.size(); start += static_cast<std::size_t>(block))
    {
        const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), y.size() - start));
        float* channels[1] = {y.data() + start};
        runner.process(channels, 1, n);
    }
    return y;
}

/// x, or 0 when it would print as "-0.00..." at `decimals` places.
double printable(double x, int decimals)
{
    return std::abs(x) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : x;
}

double nullable(double v)
{
    return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN(); // NaN dumps as null
}

std::string csvNumber(double v)
{
    return std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string();
}

/// The reference's response as (hz, db) pairs, ascending; throws UsageError when unreadable.
std::vector<std::pair<double, double>> readReference(const std::string& path)
{
    const auto j = readJsonFile(path, "--compare");
    if (!j.is_object() || !j.contains("response") || !j["response"].is_array())
        throw UsageError(fmt::format("--compare {}: no \"response\" list (write one with measure --json)", path));
    std::vector<std::pair<double, double>> points;
    for (const auto& p : j["response"])
    {
        if (!p.is_object() || !p.contains("hz") || !p.contains("db") || !p["hz"].is_number() || !p["db"].is_number())
            throw UsageError(fmt::format("--compare {}: every response point needs numbers \"hz\" and \"db\"", path));
        points.emplace_back(p["hz"].get<double>(), p["db"].get<double>());
    }
    std::sort(points.begin(), points.end());
    if (points.size() < 2)
        throw UsageError(fmt::format("--compare {}: the reference response needs at least two points", path));
    return points;
}

/// The reference's dB at hz (linear in log frequency), or NaN outside its range.
double referenceAt(const std::vector<std::pair<double, double>>& ref, double hz)
{
    if (hz < ref.front().first * (1.0 - 1e-9) || hz > ref.back().first * (1.0 + 1e-9))
        return std::numeric_limits<double>::quiet_NaN();
    auto hi = std::lower_bound(ref.begin(), ref.end(), std::pair{hz, -std::numeric_limits<double>::infinity()});
    if (hi == ref.begin())
        return hi->second;
    if (hi == ref.end())
        return ref.back().second;
    const auto lo = hi - 1;
    const double t = std::log(hz / lo->first) / std::log(hi->first / lo->first);
    return lo->second + t * (hi->second - lo->second);
}

int runMeasure(const MeasureOptions& o, Context& ctx)
{
    if (o.offline == !o.device.empty())
        throw UsageError("give either --offline (through --chain) or --device NAME");
    if (!o.device.empty() && (!o.chain.empty() || !o.sets.empty()))
        throw UsageError("--chain and --set go with --offline (a device loopback measures the device)");
    if (o.period < 16 || o.period > 8192)
        throw UsageError(fmt::format("--period {} is outside 16..8192", o.period));
    if (!(o.virtualDelay >= 0.0 && o.virtualDelay <= 1e6))
        throw UsageError("--virtual-delay must be 0..1000000 samples");
    if (o.block < 1 || o.block > 65536)
        throw UsageError(fmt::format("--block {} is outside 1..65536", o.block));
    if (o.smooth < 0 || o.smooth > 48)
        throw UsageError("--smooth N (1/N octave) must be 0..48");
    if (!(o.toleranceDb > 0.0))
        throw UsageError("--tolerance-db must be positive");

    analysis::SweptSineSettings s;
    s.fromHz = o.from;
    s.toHz = o.to;
    s.seconds = o.duration;
    s.sampleRate = o.rate;
    s.levelDbfs = o.level;
    s.tailSeconds = o.tail;
    s.pointsPerOctave = o.pointsPerOctave;
    if (const auto problem = analysis::validateSweptSine(s))
        throw UsageError(*problem);
    if (!o.chain.empty() && o.rate > FaustEffectNode::kMaxSampleRate)
        throw UsageError(fmt::format("--chain: the effects run at up to {:.0f} Hz (Faust's limit), not {:g} Hz",
                                     FaustEffectNode::kMaxSampleRate, o.rate));
    auto stages = buildChain(o.chain);
    const nlohmann::json setsRecord = applySets(stages, o.sets);
    const nlohmann::json chainRecord = chainSettingsJson(stages);
    for (double hz : o.tones)
    {
        analysis::SteppedToneSettings ts;
        ts.hz = hz;
        ts.levelDbfs = o.level;
        ts.sampleRate = o.rate;
        if (const auto problem = analysis::validateSteppedTone(ts))
            throw UsageError("--tones: " + *problem);
    }
    std::vector<std::pair<double, double>> reference;
    if (!o.compare.empty())
        reference = readReference(o.compare);
    for (const auto* path : {&o.json, &o.csv, &o.ir, &o.plot})
        refuseUnwritable(*path);

    const analysis::SynchronizedSweep sweep(s);
    std::vector<float> capture;
    nlohmann::json deviceRecord;
    std::unique_ptr<juce::AudioIODevice> device;
    struct DeviceCloser // closes the device on every way out
    {
        std::unique_ptr<juce::AudioIODevice>& device;
        ~DeviceCloser()
        {
            if (device != nullptr)
                device->close();
        }
    } closer{device};
    if (!o.offline)
    {
        device = openLoopbackDevice(o, ctx);
        if (device == nullptr)
            return kFailure;
        if (!deviceRunsAt(*device, o.rate, ctx) || !connectLoopbackIfAsked(o, *device, ctx))
            return kFailure;
        deviceRecord = loopbackDeviceJson(o, *device);
    }
    // The system's output for an excitation: a fresh chain offline (no state carried over), or a
    // play-and-record on the open device. False (with the reason printed) when the device failed.
    auto runSystem = [&](const std::vector<float>& excitation, std::vector<float>& out)
    {
        if (o.offline)
        {
            out = runOffline(excitation, stages, o.rate, o.block);
            return true;
        }
        const auto captured = captureSweep(*device, excitation, 0, 0, 20.0,
                                           [] { return InterruptScope::received() != 0; });
        if (captured.interrupted)
        {
            ctx.err << "wavebench: interrupted (" << InterruptScope::name(InterruptScope::received())
                    << "); nothing measured, no file written\n";
            return false;
        }
        if (!captured.ok)
        {
            ctx.err << "wavebench: error: " << captured.reason << "\n";
            return false;
        }
        deviceRecord["xruns"] = deviceRecord["xruns"].get<int>() + std::max(0, captured.xruns);
        if (captured.xruns > 0)
            ctx.err << fmt::format("wavebench: warning: {} xruns during the measurement\n", captured.xruns);
        out = captured.capture;
        return true;
    };
    // Ctrl-C or SIGTERM during a device measurement: the capture stops, the device closes, no
    // file is written, exit 128 + the signal (Cli/Interrupt.h). Offline runs are not polled.
    const InterruptScope interrupts;
    const auto failed = [] { return InterruptScope::received() != 0 ? InterruptScope::exitCodeFor(InterruptScope::received()) : kFailure; };
    std::vector<float> silence;
    if (o.noiseFloor && !runSystem(std::vector<float>(static_cast<std::size_t>(sweep.captureFrames()), 0.0f), silence))
        return failed();
    if (!runSystem(sweep.excitation(), capture))
        return failed();
    auto r = analysis::analyseSweptSine(sweep, capture, silence);
    if (!r.valid)
    {
        ctx.err << fmt::format("wavebench: measurement refused ({}): {}\n", analysis::sweepRefusalName(r.refusal), r.reason);
        return kUntrustworthy;
    }
    r.response = analysis::smoothResponse(r.response, o.smooth);
    // Stepped tones, each at --level through the same system.
    std::vector<analysis::SteppedToneResult> stepped;
    for (double hz : o.tones)
    {
        analysis::SteppedToneSettings ts;
        ts.hz = hz;
        ts.levelDbfs = o.level;
        ts.sampleRate = o.rate;
        std::vector<float> toneCapture;
        if (!runSystem(analysis::steppedToneExcitation(ts), toneCapture))
            return failed();
        stepped.push_back(analysis::analyseSteppedTone(ts, toneCapture));
        if (!stepped.back().valid)
        {
            ctx.err << fmt::format("wavebench: measurement refused (stepped tone): {}\n", stepped.back().reason);
            return kUntrustworthy;
        }
    }

    std::string chainText;
    for (const auto& stage : stages)
        chainText += (chainText.empty() ? "" : ",") + stage.instance;
    nlohmann::json j;
    j["wavebench"] = versionString();
    j["settings"] = sweepSettingsJson(sweep);
    j["settings"]["mode"] = o.offline ? "offline" : "device";
    j["settings"]["chain"] = chainRecord;
    j["settings"]["set"] = setsRecord;
    j["settings"]["block_size"] = o.block;
    j["settings"]["smoothing_octave_fraction"] = o.smooth;
    if (!o.offline)
        j["settings"]["device"] = deviceRecord;
    addSweptSineResultJson(j, r, o.noiseFloor);
    nlohmann::json steppedJson = nlohmann::json::array();
    for (const auto& p : stepped)
    {
        nlohmann::json harmonics = nlohmann::json::array();
        for (double h : p.harmonicsDb)
            harmonics.push_back(nullable(h));
        steppedJson.push_back({{"hz", p.hz}, {"level_dbfs", p.levelDbfs}, {"thd_db", p.thdDb}, {"thdn_db", p.thdnDb},
                               {"harmonics_db", harmonics}});
    }
    j["stepped"] = steppedJson;

    if (!o.json.empty())
        writeJsonFile(o.json, j, ctx);
    if (!o.csv.empty())
    {
        std::string text = "hz,db,deg,gd_ms,thd_db,h2_db,h3_db,h4_db,h5_db,h6_db,h7_db,h8_db,h9_db,thd_floor_db,"
                           "h2_floor_db,h3_floor_db,h4_floor_db,h5_floor_db,h6_floor_db,h7_floor_db,h8_floor_db,h9_floor_db\n";
        for (std::size_t i = 0; i < r.response.size(); ++i)
        {
            const auto& p = r.response[i];
            text += fmt::format("{:.6g},{:.6g},{:.6g},{:.6g}", p.hz, p.db, p.deg, p.groupDelayMs);
            if (i < r.distortion.size())
            {
                text += "," + csvNumber(r.distortion[i].thdDb);
                for (double h : r.distortion[i].harmonicsDb)
                    text += "," + csvNumber(h);
                text += "," + csvNumber(r.distortion[i].thdFloorDb);
                for (double h : r.distortion[i].floorDb)
                    text += "," + csvNumber(h);
            }
            else
                text += std::string(18, ',');
            text += "\n";
        }
        writeTextFile(o.csv, text, ctx);
    }
    if (!o.ir.empty())
    {
        const auto written = writeWavAtomically(o.ir, {r.impulseResponse}, o.rate, SampleFormat::float32);
        if (!written.ok)
        {
            ctx.err << "wavebench: error: " << written.error << "\n";
            return kFailure;
        }
    }

    if (!o.plot.empty())
    {
        const auto title = fmt::format("{}: {:g}..{:g} Hz, {:.3f} s sweep at {:g} dBFS, {:g} Hz, delay {:.3f} frames",
                                       !o.offline ? fmt::format("{} loopback", o.device)
                                                  : chainText.empty() ? std::string("bypass") : chainText,
                                       s.fromHz, s.toHz, sweep.durationSeconds(), s.levelDbfs, s.sampleRate,
                                       r.delayFrames);
        if (const auto problem = writeResponsePlot(o.plot, r, s.fromHz, s.toHz, title))
        {
            ctx.err << "wavebench: error: " << *problem << "\n";
            return kFailure;
        }
    }
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -lowest;
    for (const auto& p : r.response)
    {
        lowest = std::min(lowest, p.db);
        highest = std::max(highest, p.db);
    }
    if (o.json != "-" && o.csv != "-")
        ctx.out << fmt::format("measured {} ({:g}..{:g} Hz, {:.3f} s sweep at {:g} dBFS, {:g} Hz): delay {:.3f} frames, "
                               "SNR {:.1f} dB, response {:.2f}..{:.2f} dB\n",
                               !o.offline ? fmt::format("the {} loopback", o.device) : chainText.empty() ? "a bypass (no --chain)" : chainText, s.fromHz, s.toHz,
                               sweep.durationSeconds(), s.levelDbfs, s.sampleRate, printable(r.delayFrames, 3), r.snrDb, printable(lowest, 2), printable(highest, 2));
    if (o.json != "-" && o.csv != "-")
        for (const auto& p : stepped)
            ctx.out << fmt::format("tone {:g} Hz at {:g} dBFS: THD {:.2f} dB, THD+N {:.2f} dB\n", p.hz, p.levelDbfs,
                                   p.thdDb, p.thdnDb);

    if (!reference.empty())
    {
        int outside = 0;
        int compared = 0;
        for (const auto& p : r.response)
        {
            const double want = referenceAt(reference, p.hz);
            if (!std::isfinite(want))
                continue;
            ++compared;
            if (std::abs(p.db - want) > o.toleranceDb)
            {
                if (outside < 20)
                    ctx.err << fmt::format("outside: {:.1f} Hz measured {:.2f} dB, reference {:.2f} dB (±{:g} dB)\n",
                                           p.hz, p.db, want, o.toleranceDb);
                ++outside;
            }
        }
        if (compared == 0)
        {
            ctx.err << "wavebench: --compare: the reference does not overlap the measured range\n";
            return kBadUsage;
        }
        if (outside > 0)
        {
            ctx.err << fmt::format("wavebench: {} of {} points outside ±{:g} dB of {}\n", outside, compared,
                                   o.toleranceDb, o.compare);
            return kFailure;
        }
        ctx.err << fmt::format("all {} points within ±{:g} dB of {}\n", compared, o.toleranceDb, o.compare);
    }
    return kOk;
}
} // namespace

void registerMeasureCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("measure", "Frequency response, phase, impulse response and harmonic distortion "
                                              "by a synchronized swept sine");
    auto o = std::make_shared<MeasureOptions>();
    sub->add_flag("--offline", o->offline, "Measure the effect chain offline, sample-exactly (no device)");
    sub->add_option("--device", o->device, std::string("Measure through a device loopback: ") + kLoopbackDeviceHelp);
    sub->add_option("--period", o->period, "Device period (frames; JACK: the server's unless given)")
        ->capture_default_str()
        ->each([o](const std::string&) { o->periodGiven = true; });
    sub->add_option("--virtual-delay", o->virtualDelay, "Virtual loopback cable delay in samples (fractional ok)")
        ->capture_default_str();
    sub->add_option("--virtual-noise-db", o->virtualNoiseDb, "Virtual loopback noise RMS (dBFS)")->capture_default_str();
    sub->add_flag("--virtual-fast", o->virtualFast, "Run the virtual loopback as fast as possible (not real time)");
    sub->add_flag("--connect-loopback", o->connectLoopback, "JACK: connect our output 1 to our input 1");
    sub->add_option("--chain", o->chain, "Effects to measure, in order (ids from `wavebench effects`)")->delimiter(',');
    sub->add_option("--set", o->sets, "FX.PARAM=VALUE before the sweep, e.g. lowpass.cutoff=1000 (repeatable)");
    sub->add_option("--from", o->from, "Sweep start (Hz)")->capture_default_str();
    sub->add_option("--to", o->to, "Sweep end (Hz), below Nyquist")->capture_default_str();
    sub->add_option("--duration", o->duration, "Sweep duration (s; adjusted to synchronize the harmonics)")
        ->capture_default_str();
    sub->add_option("--rate", o->rate, "Sample rate (Hz)")->capture_default_str();
    sub->add_option("--level", o->level, "Sweep peak level (dBFS)")->capture_default_str();
    sub->add_option("--tail", o->tail, "Silence captured after the sweep (s): delay plus impulse response")
        ->capture_default_str();
    sub->add_option("--block", o->block, "Block size through the chain (the result does not depend on it)")
        ->capture_default_str();
    sub->add_option("--points-per-octave", o->pointsPerOctave, "Resolution of the reported curves")->capture_default_str();
    sub->add_option("--smooth", o->smooth, "1/N-octave smoothing of the response (0: none; 3 = 1/3 octave)")
        ->capture_default_str();
    sub->add_flag("--noise-floor", o->noiseFloor, "First capture silence: each response point's noise floor (noise_db)");
    sub->add_option("--tones", o->tones, "Stepped tones (Hz, comma-separated) at --level: THD and THD+N of each")
        ->delimiter(',');
    sub->add_option("--json", o->json, "Write the result as JSON (- for stdout)");
    sub->add_option("--csv", o->csv, "Write response and distortion as CSV (- for stdout)");
    sub->add_option("--ir", o->ir, "Write the linear impulse response (32-bit float WAV; its first sample is at lag ir_first_lag)");
    sub->add_option("--plot", o->plot, "Draw magnitude, phase and distortion to a PNG (no display needed)");
    sub->add_option("--compare", o->compare, "Reference JSON (from measure --json): exit 1 when outside --tolerance-db");
    sub->add_option("--tolerance-db", o->toleranceDb, "Band around the reference for --compare (dB)")
        ->capture_default_str();
    ctx.actions["measure"] = [&ctx, o] { return runMeasure(*o, ctx); };
}
} // namespace wb::cli
