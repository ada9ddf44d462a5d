#pragma once
// The real-time guard on a device's own thread, for tests of whole audio paths (JUCE; engine and
// app tests only).
//
// GuardedThreadCallback forwards to an inner device callback. On its first IO callback it starts
// counting on the device thread for the rest of that thread's life (guardRestOfThisThread), so
// everything the device does between callbacks is counted too: the Virtual loopback device's
// cable, noise, load measurement and xrun bookkeeping, not just the callback. After every callback
// it publishes what the thread has counted since the first one (allocations, frees, locks,
// sleeps) through atomics. The work before the first callback (thread start, scheduling) is set-up
// and not counted; the tail after the last published reading repeats the body of earlier periods.
//
// With Scope::eachCallback it counts inside each callback only: for devices whose own thread runs
// code that is not ours between and around callbacks (JUCE's JACK device takes its callbackLock
// around every callback; libjack waits on the server).
//
// GuardingDevice wraps a device so that whoever starts it (e.g. measureLatency, which brings its
// own probe callback) runs under a GuardedThreadCallback.
#include "Support/RealtimeGuard.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace wb::test
{
enum class Scope
{
    wholeThread, ///< from the first callback on, everything the device thread does
    eachCallback ///< only inside the inner callback
};

class GuardedThreadCallback final : public juce::AudioIODeviceCallback
{
public:
    explicit GuardedThreadCallback(juce::AudioIODeviceCallback& c, Scope s = Scope::wholeThread) : inner(c), scope(s) {}

    void audioDeviceAboutToStart(juce::AudioIODevice* d) override { inner.audioDeviceAboutToStart(d); }
    void audioDeviceStopped() override { inner.audioDeviceStopped(); }
    void audioDeviceIOCallbackWithContext(const float* const* in, int numIn, float* const* out, int numOut, int n,
                                          const juce::AudioIODeviceCallbackContext& context) override
    {
        if (scope == Scope::eachCallback)
        {
            RealtimeCounts c;
            {
                RealtimeGuard guard;
                inner.audioDeviceIOCallbackWithContext(in, numIn, out, numOut, n, context);
                c = guard.counts();
            }
            allocations.fetch_add(c.allocations, std::memory_order_acq_rel);
            frees.fetch_add(c.deallocations, std::memory_order_acq_rel);
            locks.fetch_add(c.locks, std::memory_order_acq_rel);
            sleeps.fetch_add(c.sleeps, std::memory_order_acq_rel);
            callbacks.fetch_add(1, std::memory_order_release);
            return;
        }
        if (!started)
        {
            guardRestOfThisThread();
            base = currentThreadCounts();
            started = true;
        }
        publish();
        inner.audioDeviceIOCallbackWithContext(in, numIn, out, numOut, n, context);
        publish();
        callbacks.fetch_add(1, std::memory_order_release);
    }

    /// What the device thread counted from its first callback to its latest. Any thread.
    [[nodiscard]] RealtimeCounts total() const noexcept
    {
        RealtimeCounts c;
        c.allocations = allocations.load(std::memory_order_acquire);
        c.deallocations = frees.load(std::memory_order_acquire);
        c.locks = locks.load(std::memory_order_acquire);
        c.sleeps = sleeps.load(std::memory_order_acquire);
        c.measured = RealtimeGuard::available();
        return c;
    }

    std::atomic<std::uint64_t> callbacks{0};

private:
    void publish() noexcept
    {
        const auto c = currentThreadCounts().since(base);
        allocations.store(c.allocations, std::memory_order_release);
        frees.store(c.deallocations, std::memory_order_release);
        locks.store(c.locks, std::memory_order_release);
        sleeps.store(c.sleeps, std::memory_order_release);
    }

    juce::AudioIODeviceCallback& inner;
    const Scope scope;
    bool started = false;  // device thread
    RealtimeCounts base{}; // device thread
    std::atomic<std::uint64_t> allocations{0}, frees{0}, locks{0}, sleeps{0};
};

/// A device that forwards everything to `inner`, but runs whatever callback it is started with
/// under a GuardedThreadCallback (guarded()). Message thread, like the device it wraps.
class GuardingDevice final : public juce::AudioIODevice
{
public:
    explicit GuardingDevice(juce::AudioIODevice& d, Scope s = Scope::wholeThread)
        : juce::AudioIODevice(d.getName(), d.getTypeName()), inner(d), scope(s)
    {
    }
    ~GuardingDevice() override { stop(); }

    juce::StringArray getOutputChannelNames() override { return inner.getOutputChannelNames(); }
    juce::StringArray getInputChannelNames() override { return inner.getInputChannelNames(); }
    juce::Array<double> getAvailableSampleRates() override { return inner.getAvailableSampleRates(); }
    juce::Array<int> getAvailableBufferSizes() override { return inner.getAvailableBufferSizes(); }
    int getDefaultBufferSize() override { return inner.getDefaultBufferSize(); }
    juce::String open(const juce::BigInteger& ins, const juce::BigInteger& outs, double rate, int size) override
    {
        return inner.open(ins, outs, rate, size);
    }
    void close() override { inner.close(); }
    bool isOpen() override { return inner.isOpen(); }
    void start(juce::AudioIODeviceCallback* callback) override
    {
        stop();
        if (callback == nullptr)
            return;
        wrapper = std::make_unique<GuardedThreadCallback>(*callback, scope);
        inner.start(wrapper.get());
    }
    void stop() override
    {
        inner.stop();
        if (wrapper != nullptr)
            last = wrapper->total();
    }
    bool isPlaying() override { return inner.isPlaying(); }
    juce::String getLastError() override { return inner.getLastError(); }
    int getCurrentBufferSizeSamples() override { return inner.getCurrentBufferSizeSamples(); }
    double getCurrentSampleRate() override { return inner.getCurrentSampleRate(); }
    int getCurrentBitDepth() override { return inner.getCurrentBitDepth(); }
    juce::BigInteger getActiveOutputChannels() const override { return inner.getActiveOutputChannels(); }
    juce::BigInteger getActiveInputChannels() const override { return inner.getActiveInputChannels(); }
    int getOutputLatencyInSamples() override { return inner.getOutputLatencyInSamples(); }
    int getInputLatencyInSamples() override { return inner.getInputLatencyInSamples(); }
    int getXRunCount() const noexcept override { return inner.getXRunCount(); }

    /// What the device thread counted during the last start..stop, and how many callbacks ran.
    [[nodiscard]] RealtimeCounts counted() const noexcept { return last; }
    [[nodiscard]] std::uint64_t callbacksRun() const noexcept
    {
        return wrapper != nullptr ? wrapper->callbacks.load(std::memory_order_acquire) : 0;
    }

private:
    juce::AudioIODevice& inner;
    const Scope scope;
    std::unique_ptr<GuardedThreadCallback> wrapper;
    RealtimeCounts last{};
};
} // namespace wb::test
