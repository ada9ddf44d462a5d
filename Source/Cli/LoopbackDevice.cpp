#include "Cli/LoopbackDevice.h"

#include "Engine/LatencyJack.h"
#include "Engine/VirtualLoopbackDevice.h"

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
        c.bufferSize = o.period;
        c.pacing = o.virtualFast ? VirtualLoopbackConfig::Pacing::asFastAsPossible
                                 : VirtualLoopbackConfig::Pacing::realTime;
        device = std::make_unique<VirtualLoopbackDevice>(c);
    }
    else
    {
        std::string error;
        device = createJackDevice(error);
        if (device == nullptr)
        {
            ctx.err << "wavebench: error: " << error << "\n";
            return nullptr;
        }
    }
    juce::BigInteger channels;
    channels.setRange(0, 1, true);
    const int period = (o.device == "jack" && !o.periodGiven) ? device->getCurrentBufferSizeSamples() : o.period;
    if (const auto error = device->open(channels, channels, o.rate, period); error.isNotEmpty())
    {
        ctx.err << "wavebench: error: cannot open " << device->getName() << ": " << error << "\n";
        return nullptr;
    }
    return device;
}

bool connectLoopbackIfAsked(const LoopbackDeviceOptions& o, Context& ctx)
{
    if (o.device == "jack" && o.connectLoopback)
        if (const auto error = connectJackLoopback(); !error.empty())
        {
            ctx.err << "wavebench: error: " << error << "\n";
            return false;
        }
    return true;
}
} // namespace wb::cli
