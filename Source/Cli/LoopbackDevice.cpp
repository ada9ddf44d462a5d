#include "Cli/LoopbackDevice.h"

#include "Engine/Devices.h"
#include "Engine/LatencyJack.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace wb::cli
{
std::unique_ptr<juce::AudioIODevice> openLoopbackDevice(const LoopbackDeviceOptions& o, Context& ctx)
{
    std::unique_ptr<juce::AudioIODevice> device;
    if (o.device == "virtual")
    {
        VirtualLoopbackConfig c;
        c.cableDelaySamples = o.virtualDelay;
        c.noiseDb = o.virtualNoiseDb;
        c.gain = o.virtualGain;
        c.sampleRate = o.rate;
        c.numChannels = std::max({2, o.numInputs, o.numOutputs});
        c.bufferSize = o.period;
        c.pacing = o.virtualFast ? VirtualLoopbackConfig::Pacing::asFastAsPossible
                                 : VirtualLoopbackConfig::Pacing::realTime;
        device = std::make_unique<VirtualLoopbackDevice>(c);
    }
    else
    {
        std::string error;
        device = o.device == "jack" ? createJackDevice(error) : createNamedDevice(o.device, error);
        if (device == nullptr)
        {
            ctx.err << "wavebench: error: " << error << "\n";
            return nullptr;
        }
    }
    juce::BigInteger inputs, outputs;
    inputs.setRange(0, o.numInputs, true);
    outputs.setRange(0, o.numOutputs, true);
    // A JACK device runs at its server's period unless --period was given.
    const int period = (device->getTypeName() == "JACK" && !o.periodGiven) ? device->getCurrentBufferSizeSamples() : o.period;
    if (const auto error = device->open(inputs, outputs, o.rate, period); error.isNotEmpty())
    {
        ctx.err << "wavebench: error: cannot open " << device->getName() << ": " << error << "\n";
        return nullptr;
    }
    return device;
}

bool connectLoopbackIfAsked(const LoopbackDeviceOptions& o, const juce::AudioIODevice& device, Context& ctx)
{
    if (!o.connectLoopback)
        return true;
    if (device.getTypeName() != "JACK")
    {
        ctx.err << "wavebench: error: --connect-loopback is for JACK devices (" << device.getName()
                << " is " << device.getTypeName() << ": connect the cable yourself)\n";
        return false;
    }
    if (const auto error = connectJackLoopback(); !error.empty())
        {
            ctx.err << "wavebench: error: " << error << "\n";
            return false;
        }
    return true;
}

bool deviceRunsAt(juce::AudioIODevice& device, double rate, Context& ctx)
{
    if (std::abs(device.getCurrentSampleRate() - rate) <= 0.5)
        return true;
    ctx.err << fmt::format("wavebench: error: {} runs at {} Hz, not --rate {} Hz\n", device.getName().toStdString(),
                           device.getCurrentSampleRate(), rate);
    return false;
}

nlohmann::json loopbackDeviceJson(const LoopbackDeviceOptions& o, juce::AudioIODevice& device)
{
    nlohmann::json j = {{"type", device.getTypeName().toStdString()},
                        {"name", device.getName().toStdString()},
                        {"rate", device.getCurrentSampleRate()},
                        {"period", device.getCurrentBufferSizeSamples()},
                        {"xruns", 0}};
    if (o.device == "virtual")
        j["virtual"] = {{"delay_samples", o.virtualDelay}, {"noise_db", o.virtualNoiseDb},
                        {"pacing", o.virtualFast ? "as-fast-as-possible" : "real-time"}};
    return j;
}
} // namespace wb::cli
