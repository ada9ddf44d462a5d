#pragma once
// The device a loopback measurement runs on (`latency`, `measure`): the built-in Virtual loopback
// or a running JACK server, opened with one input and one output.
#include "Cli/Subcommands.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <memory>
#include <string>

namespace wb::cli
{
struct LoopbackDeviceOptions
{
    std::string device;          ///< "virtual" or "jack"
    double rate = 48000.0;
    int period = 256;
    bool periodGiven = false;    ///< false: on JACK, the server's own period is used
    double virtualDelay = 0.0;   ///< the Virtual cable's delay, samples (fractional)
    double virtualNoiseDb = -200.0;
    double virtualGain = 1.0;
    bool virtualFast = false;    ///< run the Virtual device as fast as possible, not in real time
    bool connectLoopback = false; ///< JACK: connect Wavebench's output 1 to its input 1
};

/// Creates the device and opens it with input 1 and output 1 at `rate` and the period (message
/// thread; allocates). On failure writes "wavebench: error: <reason>" to ctx.err and returns
/// nullptr. The caller checks what the device actually runs at, and closes it.
std::unique_ptr<juce::AudioIODevice> openLoopbackDevice(const LoopbackDeviceOptions& o, Context& ctx);

/// With JACK and --connect-loopback, connects Wavebench's output 1 to its input 1 (the device
/// open). Returns: true when connected or not asked for; false after writing
/// "wavebench: error: <reason>" to ctx.err.
bool connectLoopbackIfAsked(const LoopbackDeviceOptions& o, Context& ctx);
} // namespace wb::cli
