// wavebench record: capture a device's inputs (and/or what it plays) to a WAV file, with
// FILE.wav.json beside it (device, rate, channels, start time, frames, gaps, format).
//
// The device is opened as `latency` and `measure` open theirs (Cli/LoopbackDevice: the Virtual
// cable, a running JACK server, or a system device by the name `wavebench devices` lists); Engine/RecordCallback plays the --play signal (rendered
// beforehand by the same code as `render`, so it is that render bit for bit) and hands the chosen
// channels to Core/Audio/Recorder, whose writer thread writes them (libsndfile) while the audio
// thread only copies into pooled blocks. The file is written in place as it grows (its header
// rewritten every second), so a crash or a full disk leaves a valid file with what was recorded.
#include "Cli/Cli.h"
#include "Cli/Interrupt.h"
#include "Cli/LoopbackDevice.h"
#include "Cli/RenderRequest.h"
#include "Cli/RenderSidecar.h"
#include "Cli/Subcommands.h"
#include "Core/Audio/Recorder.h"
#include "Core/Audio/WavFile.h"
#include "Core/Signals/Render.h"
#include "Core/Util/BuildInfo.h"
#include "Engine/RecordCallback.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wb::cli
{
namespace
{
constexpr int kBlockFrames = 1024;

struct RecordOptions : LoopbackDeviceOptions
{
    double seconds = 0.0;
    std::vector<int> inputs;
    bool outputs = false;
    std::string play;          ///< signal name (empty: play nothing)
    std::optional<double> playDuration;
    RenderOptions signal;      ///< --freq, --level, ... as `render` takes them
    std::string format = "f32";
    double preRoll = 0.0;
    double headroom = 2.0;
    std::string out;
};

struct CheckedRecord
{
    std::optional<RenderRequest> play;
    SampleFormat format = SampleFormat::float32;
    std::vector<int> inputs; ///< 0-based
    int numOutputs = 1;
};

CheckedRecord checkRecordOptions(RecordOptions& o)
{
    CheckedRecord c;
    if (o.device.empty())
        throw UsageError("--device must be virtual, jack or a device's name as `wavebench devices` lists it");
    const auto format = parseSampleFormat(o.format);
    if (!format)
        throw UsageError(fmt::format("--format must be f32, s24 or s16, not '{}'", o.format));
    c.format = *format;
    if (o.out.empty())
        throw UsageError("--out FILE.wav is required");
    if (resolveOutputTarget(o.out).writeThrough)
        throw UsageError(fmt::format("--out {}: a recording is written in place and needs a regular file", o.out));
    if (o.inputs.empty() && !o.outputs)
        o.inputs = {1};
    for (int ch : o.inputs)
    {
        if (ch < 1 || ch > 64)
            throw UsageError(fmt::format("--inputs channel {} is not in 1..64", ch));
        c.inputs.push_back(ch - 1);
    }
    if (!o.play.empty())
    {
        RenderOptions s = o.signal;
        s.signal = o.play;
        s.rate = o.rate;
        s.duration = o.playDuration.value_or(o.seconds);
        s.format = "f32";
        s.out = o.out;
        if (s.levelMode == "lufs")
            throw UsageError("--level-mode lufs is render's (it measures the whole signal first); "
                             "give --play a level in dBFS (peak or rms)");
        c.play = checkRenderOptions(s);
        c.numOutputs = s.channels;
    }
    else if (o.signal.channels != 1)
        throw UsageError("--channels is the --play signal's: give --play SIGNAL");
    return c;
}

std::string utcNow()
{
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

int runRecord(RecordOptions& o, Context& ctx)
{
    const CheckedRecord checked = checkRecordOptions(o);
    refuseUnwritable(o.out);
    refuseUnwritable(o.out + ".json");

    std::vector<std::vector<float>> signal;
    if (checked.play)
        signal = renderSignal(checked.play->signal, checked.play->config).channels;

    o.numInputs = checked.inputs.empty() ? 1 : *std::max_element(checked.inputs.begin(), checked.inputs.end()) + 1;
    o.numOutputs = checked.numOutputs;
    std::unique_ptr<juce::AudioIODevice> device = openLoopbackDevice(o, ctx);
    if (device == nullptr)
        return kFailure;
    struct DeviceCloser // closes the device on every way out
    {
        std::unique_ptr<juce::AudioIODevice>& device;
        ~DeviceCloser()
        {
            device->stop();
            device->close();
        }
    } closer{device};
    if (!deviceRunsAt(*device, o.rate, ctx) || !connectLoopbackIfAsked(o, *device, ctx))
        return kFailure;

    const int fileChannels = static_cast<int>(checked.inputs.size()) + (o.outputs ? checked.numOutputs : 0);
    RecorderConfig rc;
    rc.numChannels = fileChannels;
    rc.sampleRate = device->getCurrentSampleRate();
    rc.blockFrames = kBlockFrames;
    rc.headroomSeconds = o.headroom;
    rc.preRollSeconds = o.preRoll;
    Recorder recorder;
    std::string error;
    if (!recorder.prepare(rc, error))
    {
        ctx.err << "wavebench: error: " << error << "\n";
        return kFailure;
    }
    RecordCallback callback(recorder, signal, checked.inputs, o.outputs, checked.numOutputs);
    RecordingTarget target;
    target.path = o.out;
    target.format = checked.format;
    target.framesAfterStart = std::llround(o.seconds * rc.sampleRate);

    using clock = std::chrono::steady_clock;
    // Ctrl-C or SIGTERM from here on: stop, close the file with a header covering every frame,
    // write the sidecar, exit 128 + the signal (Cli/Interrupt.h).
    const InterruptScope interrupts;
    const double period = std::max(1, device->getCurrentBufferSizeSamples()) / rc.sampleRate;
    const int xrunsBefore = device->getXRunCount();
    std::string startTime;
    auto startRecording = [&]
    {
        startTime = utcNow();
        if (recorder.startFromUi(target, error))
            return true;
        ctx.err << "wavebench: error: " << error << "\n";
        return false;
    };
    // Without a pre-roll the file is opened first and the first callback starts it; with one the
    // device runs until the pre-roll is full.
    if (o.preRoll <= 0.0 && !startRecording())
        return kFailure;
    device->start(&callback);
    if (!device->isPlaying())
    {
        ctx.err << "wavebench: error: the device did not start: " << device->getLastError() << "\n";
        if (o.preRoll <= 0.0)
            (void)recorder.finishFromUi(true);
        removeQuietly(o.out);
        return kFailure;
    }
    // A device that stops calling back is lost (as DeviceWatch says for monitor and bench).
    const auto stallLimit = std::chrono::duration<double>(std::max(1.0, 8 * period));
    auto lastCallbacks = callback.callbacksFromUi();
    auto lastProgress = clock::now();
    auto deviceAlive = [&]
    {
        const auto n = callback.callbacksFromUi();
        if (n != lastCallbacks)
        {
            lastCallbacks = n;
            lastProgress = clock::now();
        }
        return clock::now() - lastProgress < stallLimit;
    };
    bool lost = false;
    if (o.preRoll > 0.0)
    {
        const auto preRollFrames = static_cast<std::int64_t>(std::ceil(o.preRoll * rc.sampleRate));
        while (callback.callbacksFromUi() * device->getCurrentBufferSizeSamples() < preRollFrames && !lost
               && InterruptScope::received() == 0)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            lost = !deviceAlive();
        }
        if (lost)
        {
            device->stop();
            ctx.err << "wavebench: error: the device stopped calling back before the recording started\n";
            return kFailure;
        }
        if (const int sig = InterruptScope::received(); sig != 0)
        {
            device->stop();
            ctx.err << fmt::format("wavebench: interrupted ({}) before the recording started; no file written\n",
                                   InterruptScope::name(sig));
            return InterruptScope::exitCodeFor(sig);
        }
        if (!startRecording())
        {
            device->stop(); // before the callback and the recorder go
            return kFailure;
        }
    }
    double maxLagSeconds = 0.0;
    while (!lost && !recorder.endedFromUi() && InterruptScope::received() == 0)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        maxLagSeconds = std::max(maxLagSeconds, static_cast<double>(recorder.statsFromUi().writerLagFrames) / rc.sampleRate);
        lost = !deviceAlive();
    }
    device->stop();
    const int interruptedBy = InterruptScope::received();
    const int xrunsAfter = device->getXRunCount();
    const auto stats = recorder.statsFromUi();
    const RecordingResult result = recorder.finishFromUi(true);
    const double tapMeanNs = callback.callbacksFromUi() > 0
                                 ? static_cast<double>(callback.tapNanosFromUi()) / static_cast<double>(callback.callbacksFromUi())
                                 : 0.0;

    nlohmann::json deviceJson = loopbackDeviceJson(o, *device);
    deviceJson["xruns"] = (xrunsBefore >= 0 && xrunsAfter >= 0) ? xrunsAfter - xrunsBefore : -1;
    nlohmann::json channels = nlohmann::json::array();
    for (int i : checked.inputs)
        channels.push_back({{"source", "input"}, {"number", i + 1}});
    if (o.outputs)
        for (int c = 0; c < checked.numOutputs; ++c)
            channels.push_back({{"source", "output"}, {"number", c + 1}});
    nlohmann::json gaps = nlohmann::json::array();
    for (const auto& g : result.gaps)
        gaps.push_back({{"at_frame", g.atFrame}, {"at_s", static_cast<double>(g.atFrame) / rc.sampleRate},
                        {"at_file_frame", g.atFileFrame}, {"frames", g.frames},
                        {"seconds", static_cast<double>(g.frames) / rc.sampleRate}});
    nlohmann::json j;
    j["wavebench"] = versionString();
    j["file"] = std::filesystem::path(o.out).filename().string();
    j["device"] = deviceJson;
    j["rate_hz"] = rc.sampleRate;
    j["channels"] = channels;
    j["format"] = sampleFormatName(checked.format);
    j["dither"] = checked.format == SampleFormat::pcm16 ? "tpdf" : "none";
    j["start_time_utc"] = startTime;
    j["seconds_requested"] = o.seconds;
    j["pre_roll_frames"] = result.preRollFrames;
    j["frames"] = result.framesWritten;
    j["frames_lost"] = result.framesLost;
    j["gaps"] = gaps;
    j["clipped_samples"] = result.clippedSamples;
    // A recording that reached its length before the signal was seen is complete.
    const bool interrupted = interruptedBy != 0 && result.framesWritten < target.framesAfterStart + result.preRollFrames;
    j["complete"] = result.ok && !lost && !interrupted;
    if (!result.ok || lost)
        j["stopped_by"] = lost ? std::string("device-lost") : result.error;
    else if (interrupted)
        j["stopped_by"] = InterruptScope::name(interruptedBy);
    if (checked.play)
        j["play"] = {{"signal", signalKindName(checked.play->kind)},
                     {"parameters", signalParametersJson(*checked.play)},
                     {"seed", checked.play->signal.seed},
                     {"level_dbfs", checked.play->signal.levelDb},
                     {"level_mode", o.signal.levelMode},
                     {"starts_at_file_frame", result.preRollFrames}};
    j["buffer_pool"] = {{"blocks", stats.pool.capacity},
                        {"block_frames", stats.pool.maxFrames},
                        {"headroom_s", o.headroom},
                        {"high_water_blocks", stats.pool.highWater},
                        {"writer_max_lag_s", maxLagSeconds},
                        {"tap_mean_ns_per_callback", tapMeanNs}};

    bool sidecarOk = true;
    try
    {
        writeJsonFile(o.out + ".json", j, ctx);
    }
    catch (const std::exception& e)
    {
        ctx.err << "wavebench: error: " << e.what() << "\n";
        sidecarOk = false;
    }
    if (lost)
    {
        ctx.err << fmt::format("wavebench: error: the device stopped calling back; {} keeps the {} frames recorded\n",
                               o.out, result.framesWritten);
        return kFailure;
    }
    if (!result.ok)
    {
        ctx.err << fmt::format("wavebench: error: {}; {} keeps the {} frames written, its header covers them\n",
                               result.error, o.out, result.framesWritten);
        return kFailure;
    }
    if (!sidecarOk)
        return kFailure;
    if (interrupted)
    {
        ctx.err << fmt::format("wavebench: interrupted ({}); {} keeps the {} frames recorded ({:.3f} s), its header "
                               "covers them\n",
                               InterruptScope::name(interruptedBy), o.out, result.framesWritten,
                               static_cast<double>(result.framesWritten) / rc.sampleRate);
        return InterruptScope::exitCodeFor(interruptedBy);
    }
    ctx.out << fmt::format("recorded {} ({} ch, {} Hz, {}, {} frames = {:.3f} s, pre-roll {} frames): {} gaps\n",
                           o.out, fileChannels, rc.sampleRate, sampleFormatName(checked.format), result.framesWritten,
                           static_cast<double>(result.framesWritten) / rc.sampleRate, result.preRollFrames,
                           result.gaps.size());
    if (!result.gaps.empty())
    {
        ctx.err << fmt::format("wavebench: the writer fell behind: {} frames lost in {} gaps (listed in {}.json); "
                               "raise --headroom or write to a faster disk\n",
                               result.framesLost, result.gaps.size(), o.out);
        return kUntrustworthy;
    }
    return kOk;
}
} // namespace

void registerRecordCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("record", "Record a device's inputs (and what it plays) to a WAV file (and FILE.wav.json)");
    auto o = std::make_shared<RecordOptions>();
    sub->add_option("--device", o->device,
                    "virtual (the built-in loopback), jack (the running server), or a device's name as "
                    "`wavebench devices` lists it (TYPE:NAME to pick the type, e.g. JACK:system)")
        ->required();
    sub->add_option("--seconds", o->seconds, "Seconds to record after the start (the pre-roll comes on top)")
        ->required()
        ->check(CLI::Range(0.001, 86400.0 * 7));
    sub->add_option("--inputs", o->inputs, "Input channels to record (1-based, comma-separated; default 1)")->delimiter(',');
    sub->add_flag("--outputs", o->outputs, "Also record the outputs (what is played), after the inputs");
    sub->add_option("--play", o->play, "Play a test signal while recording (as render --signal)");
    sub->add_option("--duration", o->playDuration, "Seconds of the --play signal (default: --seconds)")
        ->check(CLI::Range(0.001, 86400.0));
    addSignalOptions(*sub, o->signal);
    sub->add_option("--format", o->format, "f32, s24 or s16 (s16 with TPDF dither)")->capture_default_str();
    sub->add_option("--pre-roll", o->preRoll, "Seconds before the start kept at the head of the file")
        ->check(CLI::Range(0.0, 60.0));
    sub->add_option("--headroom", o->headroom, "Seconds of audio buffered for a slow disk before frames are lost")
        ->capture_default_str()
        ->check(CLI::Range(0.05, 60.0));
    sub->add_option("--rate", o->rate, "Sample rate (Hz)")->capture_default_str()->check(CLI::Range(8000.0, 768000.0));
    auto* period = sub->add_option("--period", o->period, "Device period (frames; JACK: the server's unless given)")
                       ->capture_default_str()
                       ->check(CLI::Range(16, 8192));
    sub->add_option("--virtual-delay", o->virtualDelay, "Virtual loopback cable delay in samples")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 48000.0));
    sub->add_option("--virtual-noise-db", o->virtualNoiseDb, "Virtual loopback noise RMS (dBFS)")->capture_default_str();
    sub->add_flag("--virtual-fast", o->virtualFast, "Run the virtual loopback as fast as possible (not real time)");
    sub->add_flag("--connect-loopback", o->connectLoopback, "JACK: connect our output 1 to our input 1");
    sub->add_option("--out", o->out, "Output WAV file (FILE.wav.json is written beside it)")->required();
    ctx.actions["record"] = [&ctx, o, period]
    {
        o->periodGiven = period->count() > 0;
        return runRecord(*o, ctx);
    };
}
} // namespace wb::cli
