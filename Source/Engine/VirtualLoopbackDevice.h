#pragma once
// "Virtual loopback": an audio device type with no hardware. Its device runs the callback on a
// thread of its own, period by period, and feeds each output channel back to the input channel
// of the same number through a simulated cable (wb::latency::LoopbackLine: a delay of integer +
// fractional samples, a gain, optional noise). Tests use it as a known truth; the app and the
// CLI can use it when no sound card exists.
//
// Timing model (what a measurement sees). A block callback cannot hear its own output: the
// output of callback k is delivered, through the cable, in the input of callback k + 1, as with
// a JACK cable (one period). So
//     round trip = period + cableDelaySamples      (exactly; fractional part included)
// and the device reports it: getOutputLatencyInSamples() = period (the block handed over one
// callback later), getInputLatencyInSamples() = floor(cableDelaySamples). Their sum is the
// round trip's integer part; a measurement's "extra latency" is the fractional part only.
#include "Core/Analysis/LatencyLoopback.h"
#include "Core/Monitor/LoadMeter.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace wb
{
struct VirtualLoopbackConfig
{
    enum class Pacing
    {
        realTime,        ///< one period per period of wall-clock time (sleeps to each deadline)
        asFastAsPossible ///< no sleeping: for tests, which then do not wait in real time
    };

    double cableDelaySamples = 0.0; ///< >= 0; see the timing model above
    double gain = 1.0;              ///< linear; negative inverts; 0 = no cable
    double noiseDb = -200.0;        ///< white noise RMS added at the input, dBFS (<= -200: none)
    std::uint64_t seed = 1;
    double sampleRate = 48000.0;    ///< default when open() is given 0
    int bufferSize = 256;           ///< default when open() is given 0
    int numChannels = 2;            ///< inputs and outputs
    Pacing pacing = Pacing::realTime;
};

class VirtualLoopbackDevice final : public juce::AudioIODevice
{
public:
    static constexpr const char* kName = "Virtual loopback";

    explicit VirtualLoopbackDevice(const VirtualLoopbackConfig& config);
    ~VirtualLoopbackDevice() override;

    juce::StringArray getOutputChannelNames() override;
    juce::StringArray getInputChannelNames() override;
    juce::Array<double> getAvailableSampleRates() override;
    juce::Array<int> getAvailableBufferSizes() override;
    int getDefaultBufferSize() override { return config.bufferSize; }
    /// Allocates every buffer and designs the cable's filter. Message thread.
    juce::String open(const juce::BigInteger& inputChannels, const juce::BigInteger& outputChannels,
                      double sampleRate, int bufferSizeSamples) override;
    void close() override;
    bool isOpen() override { return opened; }
    /// Starts the device thread. Message thread.
    void start(juce::AudioIODeviceCallback* callback) override;
    /// Joins the device thread, then calls audioDeviceStopped(). Message thread.
    void stop() override;
    bool isPlaying() override { return running.load(); }
    juce::String getLastError() override { return lastError; }
    int getCurrentBufferSizeSamples() override { return bufferSize; }
    double getCurrentSampleRate() override { return sampleRate; }
    int getCurrentBitDepth() override { return 32; }
    juce::BigInteger getActiveOutputChannels() const override { return activeOutputs; }
    juce::BigInteger getActiveInputChannels() const override { return activeInputs; }
    int getOutputLatencyInSamples() override { return bufferSize; }
    int getInputLatencyInSamples() override { return static_cast<int>(config.cableDelaySamples); }
    /// Periods that started later than their deadline by more than a period (real-time pacing).
    int getXRunCount() const noexcept override { return xruns.load(std::memory_order_relaxed); }

    [[nodiscard]] const VirtualLoopbackConfig& getConfig() const noexcept { return config; }
    /// The exact round trip this device produces, in samples (period + cable delay).
    [[nodiscard]] double trueRoundTripSamples() const noexcept { return bufferSize + config.cableDelaySamples; }
    /// The callback's DSP load against the period (any thread may read snapshot()).
    [[nodiscard]] const monitor::LoadMeter& getLoadMeter() const noexcept { return load; }
    /// Whether the device thread got real-time (SCHED_FIFO) scheduling.
    [[nodiscard]] bool hasRealtimePriority() const noexcept { return realtimePriority.load(); }
    /// Callbacks run since start().
    [[nodiscard]] std::uint64_t callbacksRun() const noexcept { return callbacks.load(); }

private:
    void run();

    VirtualLoopbackConfig config;
    double sampleRate = 48000.0;
    int bufferSize = 256;
    bool opened = false;
    juce::String lastError;
    juce::BigInteger activeInputs, activeOutputs;

    std::vector<latency::LoopbackLine> cables;   // one per channel
    std::vector<std::vector<float>> inputs, outputs;
    std::vector<const float*> inputPtrs;
    std::vector<float*> outputPtrs;

    juce::AudioIODeviceCallback* callback = nullptr; // set before the thread starts, read-only while it runs
    std::thread thread;
    std::atomic<bool> running{false};
    std::atomic<bool> stopRequested{false};
    std::atomic<int> xruns{0};
    std::atomic<std::uint64_t> callbacks{0};
    std::atomic<bool> realtimePriority{false};
    monitor::LoadMeter load;
};

class VirtualLoopbackDeviceType final : public juce::AudioIODeviceType
{
public:
    static constexpr const char* kTypeName = "Virtual loopback";

    explicit VirtualLoopbackDeviceType(VirtualLoopbackConfig config = {});
    /// Applies to devices created afterwards.
    void setConfig(const VirtualLoopbackConfig& c) { config = c; }
    [[nodiscard]] const VirtualLoopbackConfig& getConfig() const noexcept { return config; }

    void scanForDevices() override {}
    juce::StringArray getDeviceNames(bool wantInputNames = false) const override;
    int getDefaultDeviceIndex(bool) const override { return 0; }
    int getIndexOfDevice(juce::AudioIODevice* device, bool) const override;
    bool hasSeparateInputsAndOutputs() const override { return false; }
    juce::AudioIODevice* createDevice(const juce::String& outputDeviceName,
                                      const juce::String& inputDeviceName) override;

private:
    VirtualLoopbackConfig config;
};

/// Adds the "Virtual loopback" type to a device manager (which owns it) and returns it.
VirtualLoopbackDeviceType& addVirtualLoopbackType(juce::AudioDeviceManager& manager,
                                                  const VirtualLoopbackConfig& config = {});

/// The fallback the app and the commands use: opens the manager's default device and, when none
/// can be opened (no sound card, no server), adds the Virtual loopback type if it is not there
/// yet and opens it instead. Returns the type of the device that is open, or an empty string
/// with the reason in `error`. Message thread (or a CLI main).
juce::String openDefaultOrVirtualDevice(juce::AudioDeviceManager& manager, int numInputs, int numOutputs,
                                        const VirtualLoopbackConfig& config, juce::String& error);

/// Opens the Virtual loopback device through `manager` with `config` (the type is added when
/// missing; its config is replaced when present). Returns the reason it failed, empty on success.
juce::String openVirtualLoopback(juce::AudioDeviceManager& manager, int numInputs, int numOutputs,
                                 const VirtualLoopbackConfig& config);
} // namespace wb
