#include "Engine/VirtualLoopbackDevice.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace wb
{
VirtualLoopbackDevice::VirtualLoopbackDevice(const VirtualLoopbackConfig& c)
    : juce::AudioIODevice(kName, VirtualLoopbackDeviceType::kTypeName), config(c),
      sampleRate(c.sampleRate), bufferSize(c.bufferSize)
{
    config.numChannels = std::clamp(config.numChannels, 1, 64);
}

VirtualLoopbackDevice::~VirtualLoopbackDevice()
{
    stop();
    close();
}

juce::StringArray VirtualLoopbackDevice::getOutputChannelNames()
{
    juce::StringArray names;
    for (int c = 0; c < config.numChannels; ++c)
        names.add("Out " + juce::String(c + 1));
    return names;
}

juce::StringArray VirtualLoopbackDevice::getInputChannelNames()
{
    juce::StringArray names;
    for (int c = 0; c < config.numChannels; ++c)
        names.add("In " + juce::String(c + 1) + " (from Out " + juce::String(c + 1) + ")");
    return names;
}

juce::Array<double> VirtualLoopbackDevice::getAvailableSampleRates()
{
    juce::Array<double> rates{22050.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0, 176400.0, 192000.0};
    if (!rates.contains(config.sampleRate))
        rates.addUsingDefaultSort(config.sampleRate);
    return rates;
}

juce::Array<int> VirtualLoopbackDevice::getAvailableBufferSizes()
{
    juce::Array<int> sizes;
    for (int s = 16; s <= 8192; s *= 2)
        sizes.add(s);
    if (!sizes.contains(config.bufferSize))
        sizes.addUsingDefaultSort(config.bufferSize);
    return sizes;
}

juce::String VirtualLoopbackDevice::open(const juce::BigInteger& inputChannels,
                                         const juce::BigInteger& outputChannels, double rate, int size)
{
    stop();
    close();
    sampleRate = rate > 0.0 ? rate : config.sampleRate;
    bufferSize = size > 0 ? size : config.bufferSize;
    if (bufferSize > 65536)
        return lastError = "Virtual loopback: period too large";
    activeInputs = inputChannels;
    activeOutputs = outputChannels;
    activeInputs.setRange(config.numChannels, std::max(0, activeInputs.getHighestBit() + 1 - config.numChannels), false);
    activeOutputs.setRange(config.numChannels, std::max(0, activeOutputs.getHighestBit() + 1 - config.numChannels), false);

    const auto n = static_cast<std::size_t>(config.numChannels);
    cables.assign(n, {});
    for (std::size_t c = 0; c < n; ++c)
    {
        latency::LoopbackSettings s;
        s.delaySamples = config.cableDelaySamples;
        s.gain = config.gain;
        s.noiseDb = config.noiseDb;
        s.seed = config.seed + c * 7919u;
        cables[c].prepare(s);
    }
    inputs.assign(n, std::vector<float>(static_cast<std::size_t>(bufferSize), 0.0f));
    outputs.assign(n, std::vector<float>(static_cast<std::size_t>(bufferSize), 0.0f));
    inputPtrs.clear();
    outputPtrs.clear();
    // JUCE convention: only the active channels are passed, in channel order.
    for (std::size_t c = 0; c < n; ++c)
    {
        if (activeInputs[int(c)])
            inputPtrs.push_back(inputs[c].data());
        if (activeOutputs[int(c)])
            outputPtrs.push_back(outputs[c].data());
    }
    opened = true;
    lastError.clear();
    return {};
}

void VirtualLoopbackDevice::close()
{
    stop();
    opened = false;
}

void VirtualLoopbackDevice::start(juce::AudioIODeviceCallback* cb)
{
    if (!opened || running.load())
        return;
    for (auto& cable : cables)
        cable.reset();
    for (auto& in : inputs)
        std::fill(in.begin(), in.end(), 0.0f);
    xruns = 0;
    callbacks = 0;
    load.reset(); // the device thread is not running: safe
    callback = cb;
    if (callback != nullptr)
        callback->audioDeviceAboutToStart(this);
    stopRequested = false;
    running = true;
    thread = std::thread([this] { run(); });
}

void VirtualLoopbackDevice::stop()
{
    if (!running.load())
        return;
    stopRequested = true;
    if (thread.joinable())
        thread.join();
    running = false;
    if (callback != nullptr)
        callback->audioDeviceStopped();
    callback = nullptr;
}

void VirtualLoopbackDevice::run()
{
    // Real-time priority when allowed (root or rtprio limits); the device works without it.
    sched_param param{};
    param.sched_priority = std::max(1, sched_get_priority_max(SCHED_FIFO) - 10);
    if (config.pacing == VirtualLoopbackConfig::Pacing::realTime)
        realtimePriority = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;

    using clock = std::chrono::steady_clock;
    const auto period = std::chrono::duration_cast<clock::duration>(
        std::chrono::duration<double>(double(bufferSize) / sampleRate));
    auto deadline = clock::now();
    const auto n = static_cast<std::size_t>(bufferSize);
    const juce::AudioIODeviceCallbackContext context{};

    while (!stopRequested.load(std::memory_order_relaxed))
    {
        if (config.pacing == VirtualLoopbackConfig::Pacing::realTime)
        {
            std::this_thread::sleep_until(deadline);
            const auto now = clock::now();
            if (now > deadline + period)
            {
                xruns.fetch_add(1, std::memory_order_relaxed);
                load.setDeviceXruns(static_cast<std::uint64_t>(xruns.load(std::memory_order_relaxed)));
                deadline = now; // resynchronise
            }
            deadline += period;
        }

        const std::int64_t periodNs = std::llround(1.0e9 * double(bufferSize) / sampleRate);
        const monitor::ScopedLoadMeasurement measure(load, periodNs);
        for (auto& out : outputs)
            std::fill(out.begin(), out.end(), 0.0f);
        if (callback != nullptr)
            callback->audioDeviceIOCallbackWithContext(inputPtrs.data(), static_cast<int>(inputPtrs.size()),
                                                       outputPtrs.data(), static_cast<int>(outputPtrs.size()),
                                                       bufferSize, context);
        // The cable: this period's output becomes the next period's input.
        for (std::size_t c = 0; c < cables.size(); ++c)
            cables[c].process(outputs[c].data(), inputs[c].data(), n);
        callbacks.fetch_add(1, std::memory_order_relaxed);
    }
}

// ---------------------------------------------------------------------------------------------
VirtualLoopbackDeviceType::VirtualLoopbackDeviceType(VirtualLoopbackConfig c)
    : juce::AudioIODeviceType(kTypeName), config(c)
{
}

juce::StringArray VirtualLoopbackDeviceType::getDeviceNames(bool) const
{
    return juce::StringArray(VirtualLoopbackDevice::kName);
}

int VirtualLoopbackDeviceType::getIndexOfDevice(juce::AudioIODevice* device, bool) const
{
    return dynamic_cast<VirtualLoopbackDevice*>(device) != nullptr ? 0 : -1;
}

juce::AudioIODevice* VirtualLoopbackDeviceType::createDevice(const juce::String& outputDeviceName,
                                                             const juce::String& inputDeviceName)
{
    const juce::String name = outputDeviceName.isNotEmpty() ? outputDeviceName : inputDeviceName;
    if (name.isNotEmpty() && name != VirtualLoopbackDevice::kName)
        return nullptr;
    return new VirtualLoopbackDevice(config);
}

VirtualLoopbackDeviceType& addVirtualLoopbackType(juce::AudioDeviceManager& manager,
                                                  const VirtualLoopbackConfig& config)
{
    auto type = std::make_unique<VirtualLoopbackDeviceType>(config);
    auto& ref = *type;
    manager.addAudioDeviceType(std::move(type));
    return ref;
}

juce::String openDefaultOrVirtualDevice(juce::AudioDeviceManager& manager, int numInputs, int numOutputs,
                                        const VirtualLoopbackConfig& config, juce::String& error)
{
    error = manager.initialiseWithDefaultDevices(numInputs, numOutputs);
    if (error.isEmpty())
        if (auto* device = manager.getCurrentAudioDevice())
            return device->getTypeName();

    error = openVirtualLoopback(manager, numInputs, numOutputs, config);
    return error.isEmpty() ? juce::String(VirtualLoopbackDeviceType::kTypeName) : juce::String();
}

juce::String openVirtualLoopback(juce::AudioDeviceManager& manager, int numInputs, int numOutputs,
                                 const VirtualLoopbackConfig& config)
{
    bool present = false;
    for (auto* type : manager.getAvailableDeviceTypes())
        if (auto* virtualType = dynamic_cast<VirtualLoopbackDeviceType*>(type))
        {
            virtualType->setConfig(config);
            present = true;
        }
    if (!present)
        addVirtualLoopbackType(manager, config);
    manager.setCurrentAudioDeviceType(VirtualLoopbackDeviceType::kTypeName, true);
    auto setup = manager.getAudioDeviceSetup();
    setup.outputDeviceName = setup.inputDeviceName = VirtualLoopbackDevice::kName;
    setup.sampleRate = config.sampleRate;
    setup.bufferSize = config.bufferSize;
    setup.useDefaultInputChannels = setup.useDefaultOutputChannels = false;
    setup.inputChannels.clear();
    setup.outputChannels.clear();
    setup.inputChannels.setRange(0, std::min(numInputs, config.numChannels), true);
    setup.outputChannels.setRange(0, std::min(numOutputs, config.numChannels), true);
    auto error = manager.setAudioDeviceSetup(setup, true);
    if (error.isEmpty() && manager.getCurrentAudioDevice() == nullptr)
        error = "the Virtual loopback device could not be opened";
    return error;
}
} // namespace wb
