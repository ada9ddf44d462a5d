#include "Engine/LatencyMeasurement.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

namespace wb
{
namespace
{
// The device-side half: probe out, capture in. Audio thread: no allocation, no locks.
class ProbeCallback final : public juce::AudioIODeviceCallback
{
public:
    enum State : int { idle = 0, armed = 1, running = 2 };

    ProbeCallback(double level, std::size_t capacity, int outCh, int inCh, int periodLog2)
        : probe(level, periodLog2), capture(capacity, 0.0f), outputChannel(outCh), inputChannel(inCh) {}

    void audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out, int numOut,
                                          int numSamples, const juce::AudioIODeviceCallbackContext&) override
    {
        const auto n = static_cast<std::size_t>(std::max(numSamples, 0));
        for (int c = 0; c < numOut; ++c)
            if (out[c] != nullptr)
                std::fill(out[c], out[c] + n, 0.0f);

        int s = state.load(std::memory_order_acquire);
        if (s == armed)
        {
            probe.reset();
            written = 0;
            state.store(running, std::memory_order_release);
            s = running;
        }
        if (s == running)
        {
            if (outputChannel < numOut && out[outputChannel] != nullptr)
                probe.process(out[outputChannel], n);
            const std::size_t room = capture.size() - written;
            const std::size_t take = std::min(room, n);
            if (inputChannel < numIn && in[inputChannel] != nullptr)
                std::copy(in[inputChannel], in[inputChannel] + take, capture.begin() + std::ptrdiff_t(written));
            else
                std::fill(capture.begin() + std::ptrdiff_t(written), capture.begin() + std::ptrdiff_t(written + take), 0.0f);
            written += take;
            captured.store(static_cast<std::int64_t>(written), std::memory_order_release);
        }
        samplesSeen.fetch_add(static_cast<std::int64_t>(n), std::memory_order_release);
    }
    void audioDeviceAboutToStart(juce::AudioIODevice*) override {}
    void audioDeviceStopped() override {}
    void audioDeviceError(const juce::String&) override { errored.store(true, std::memory_order_release); }

    latency::MultiToneProbe probe;
    std::vector<float> capture;
    const int outputChannel, inputChannel;
    std::size_t written = 0; // audio thread
    std::atomic<int> state{idle};
    std::atomic<std::int64_t> captured{0};
    std::atomic<std::int64_t> samplesSeen{0};
    std::atomic<bool> errored{false};
};
} // namespace

LatencyStats computeStats(const std::vector<double>& v)
{
    LatencyStats s;
    if (v.empty())
        return s;
    double sum = 0.0;
    s.min = s.max = v.front();
    for (double x : v)
    {
        sum += x;
        s.min = std::min(s.min, x);
        s.max = std::max(s.max, x);
    }
    s.mean = sum / double(v.size());
    double ss = 0.0;
    for (double x : v)
        ss += (x - s.mean) * (x - s.mean);
    s.sigma = v.size() > 1 ? std::sqrt(ss / double(v.size() - 1)) : 0.0;
    return s;
}

LatencyReport measureLatency(juce::AudioIODevice& device, const LatencyMeasurementSettings& settings)
{
    using clock = std::chrono::steady_clock;
    LatencyReport report;
    report.deviceType = device.getTypeName().toStdString();
    report.deviceName = device.getName().toStdString();
    report.sampleRate = device.getCurrentSampleRate();
    report.period = device.getCurrentBufferSizeSamples();
    report.reportedInputLatency = device.getInputLatencyInSamples();
    report.reportedOutputLatency = device.getOutputLatencyInSamples();

    const latency::EstimatorSettings est = settings.estimator;
    const std::int64_t probePeriod = std::int64_t{1} << std::clamp(settings.probePeriodLog2, latency::kMinPeriodLog2,
                                                                   latency::kPeriodLog2);
    report.probePeriod = probePeriod;
    const std::int64_t capacity = settings.maxDelaySamples + est.settleMargin + probePeriod + 2 * report.period + 4096;
    ProbeCallback cb(settings.probeLevel, static_cast<std::size_t>(capacity), settings.outputChannel,
                     settings.inputChannel, settings.probePeriodLog2);
    const latency::LatencyEstimator estimator(cb.probe, est);

    const int xrunsBefore = device.getXRunCount();
    const auto started = clock::now();
    auto secondsSinceStart = [&] { return std::chrono::duration<double>(clock::now() - started).count(); };
    device.start(&cb);
    if (!device.isPlaying())
    {
        report.reason = "the device did not start: " + device.getLastError().toStdString();
        report.deviceFailure = true;
        return report;
    }

    // True once the device has made no callback for the stall limit, or reported an error.
    const double stallLimit = std::max(settings.stallSeconds,
                                       report.sampleRate > 0.0 ? 8.0 * report.period / report.sampleRate : 0.0);
    std::int64_t lastSeen = cb.samplesSeen.load(std::memory_order_acquire);
    auto lastMove = clock::now();
    auto stalled = [&]
    {
        const auto seen = cb.samplesSeen.load(std::memory_order_acquire);
        const auto now = clock::now();
        if (seen != lastSeen)
        {
            lastSeen = seen;
            lastMove = now;
        }
        return cb.errored.load(std::memory_order_acquire)
            || std::chrono::duration<double>(now - lastMove).count() > stallLimit;
    };

    auto stopAsked = [&] { return settings.stopRequested && settings.stopRequested(); };

    // Waits until the device has run `samples` more frames; false on timeout, a stall or a stop.
    auto waitSamples = [&](std::int64_t samples)
    {
        const std::int64_t target = cb.samplesSeen.load(std::memory_order_acquire) + samples;
        const auto limit = clock::now() + std::chrono::duration<double>(settings.runTimeoutSeconds);
        while (cb.samplesSeen.load(std::memory_order_acquire) < target)
        {
            if (clock::now() > limit || stalled() || stopAsked())
                return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        return true;
    };

    for (int run = 0; run < std::max(1, settings.runs); ++run)
    {
        // Silence first: two periods for the device to settle before the first run; before the
        // others, long enough for the previous run's probe to have left the loop.
        const std::int64_t silence = run == 0 ? 2 * report.period
                                              : static_cast<std::int64_t>(std::ceil(report.runs.back().frames))
                                                    + 2 * report.period + 4096;
        if (!waitSamples(silence))
        {
            if (stopAsked())
            {
                report.reason = "interrupted";
                report.interrupted = true;
                break;
            }
            report.reason = "the device stopped calling back";
            report.deviceFailure = report.deviceLost = true;
            break;
        }
        cb.captured.store(0, std::memory_order_relaxed);
        cb.state.store(ProbeCallback::armed, std::memory_order_release);

        latency::LatencyResult result;
        const auto limit = clock::now() + std::chrono::duration<double>(settings.runTimeoutSeconds);
        bool timedOut = false;
        bool interrupted = false;
        std::int64_t needed = est.settleMargin + probePeriod; // known better once the onset is seen
        for (;;)
        {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            const bool armedStill = cb.state.load(std::memory_order_acquire) != ProbeCallback::running;
            const std::int64_t got = armedStill ? 0 : cb.captured.load(std::memory_order_acquire);
            const bool full = got >= capacity;
            if (got >= needed || full)
            {
                result = estimator.estimate(std::span<const float>(cb.capture.data(), static_cast<std::size_t>(got)));
                if (result.refusal == latency::Refusal::notSettled && result.onset >= 0)
                    needed = estimator.requiredLength(result.onset);
                // Keep capturing while the signal may still be on its way or settling.
                const bool wait = result.refusal == latency::Refusal::notSettled ||
                                  result.refusal == latency::Refusal::noSignal;
                if (!wait || full)
                    break;
            }
            if (stopAsked())
            {
                interrupted = true;
                break;
            }
            if (clock::now() > limit || stalled())
            {
                timedOut = true;
                break;
            }
        }
        cb.state.store(ProbeCallback::idle, std::memory_order_release);
        if (interrupted)
        {
            report.reason = "interrupted";
            report.interrupted = true;
            break;
        }
        if (timedOut)
        {
            report.reason = "the device stopped calling back";
            report.deviceFailure = report.deviceLost = true;
            break;
        }
        report.runs.push_back(result);
        if (!result.valid)
        {
            report.reason = result.reason;
            break;
        }
        if (run == 0)
            report.firstResultSeconds = secondsSinceStart();
    }
    report.totalSeconds = secondsSinceStart();
    device.stop();
    const int xrunsAfter = device.getXRunCount();
    report.xruns = (xrunsBefore >= 0 && xrunsAfter >= 0) ? xrunsAfter - xrunsBefore : -1;

    if (report.reason.empty())
    {
        std::vector<double> frames;
        for (const auto& r : report.runs)
            frames.push_back(r.frames);
        report.frames = computeStats(frames);
        report.valid = !frames.empty();
        if (!report.valid)
            report.reason = "no run completed";
    }
    return report;
}
} // namespace wb
