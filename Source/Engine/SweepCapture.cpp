#include "Engine/SweepCapture.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace wb
{
SweepCaptureCallback::SweepCaptureCallback(std::vector<float> x, int outCh, int inCh)
    : excitation(std::move(x)), recorded(excitation.size(), 0.0f), outputChannel(outCh), inputChannel(inCh)
{
}

void SweepCaptureCallback::audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out,
                                                            int numOut, int numSamples,
                                                            const juce::AudioIODeviceCallbackContext&)
{
    const auto n = static_cast<std::size_t>(std::max(numSamples, 0));
    for (int c = 0; c < numOut; ++c)
        if (out[c] != nullptr)
            std::fill(out[c], out[c] + n, 0.0f);
    int s = state.load(std::memory_order_acquire);
    if (s == armed)
    {
        position = 0;
        state.store(running, std::memory_order_release);
        s = running;
    }
    if (s == running)
    {
        const std::size_t take = std::min(n, excitation.size() - position);
        const auto at = static_cast<std::ptrdiff_t>(position);
        if (outputChannel < numOut && out[outputChannel] != nullptr)
            std::copy_n(excitation.begin() + at, take, out[outputChannel]);
        if (inputChannel < numIn && in[inputChannel] != nullptr)
            std::copy_n(in[inputChannel], take, recorded.begin() + at);
        position += take;
        if (position >= excitation.size())
            state.store(done, std::memory_order_release);
    }
    seen.fetch_add(static_cast<std::int64_t>(n), std::memory_order_release);
}

SweepCaptureReport captureSweep(juce::AudioIODevice& device, const std::vector<float>& excitation, int outputChannel,
                                int inputChannel, double timeoutSeconds, const std::function<bool()>& stopRequested)
{
    auto stopAsked = [&] { return stopRequested && stopRequested(); };
    using clock = std::chrono::steady_clock;
    SweepCaptureReport report;
    SweepCaptureCallback cb(excitation, outputChannel, inputChannel);
    const double rate = std::max(1.0, device.getCurrentSampleRate());
    const auto deadline = clock::now()
                          + std::chrono::duration<double>(timeoutSeconds + static_cast<double>(excitation.size()) / rate);
    const int xrunsBefore = device.getXRunCount();
    device.start(&cb);
    if (!device.isPlaying())
    {
        report.reason = "the device did not start: " + device.getLastError().toStdString();
        return report;
    }
    // Two periods of silence for the device to settle, then the excitation.
    const std::int64_t settle = 2 * std::max(1, device.getCurrentBufferSizeSamples());
    bool timedOut = false;
    bool stopped = false;
    while (cb.framesSeenFromAnyThread() < settle && !(timedOut = clock::now() > deadline) && !(stopped = stopAsked()))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!timedOut && !stopped)
        cb.armFromAnyThread();
    while (!timedOut && !stopped && cb.stateFromAnyThread() != SweepCaptureCallback::done)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        timedOut = clock::now() > deadline;
        stopped = stopAsked();
    }
    device.stop();
    const int xrunsAfter = device.getXRunCount();
    report.xruns = (xrunsBefore >= 0 && xrunsAfter >= 0) ? xrunsAfter - xrunsBefore : -1;
    if (stopped)
    {
        report.reason = "interrupted";
        report.interrupted = true;
        return report;
    }
    if (timedOut)
    {
        report.reason = "the device stopped calling back";
        return report;
    }
    report.capture = cb.capture();
    report.ok = true;
    return report;
}
} // namespace wb
