#pragma once
// The device a loopback measurement or a recording runs on (`latency`, `measure`, `record`): the
// built-in Virtual loopback, a running JACK server, or a system device by its name as `wavebench
// devices` lists it (Engine/Devices.h: createNamedDevice), opened with the channels asked for.
#include "Cli/Subcommands.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <memory>
#include <string>

namespace wb::cli
{
struct LoopbackDeviceOptions
{
    std::string device;          ///< "virtual", "jack", or a device's name ("TYPE:NAME" to pick the type)
    double rate = 48000.0;
    int period = 256;
    bool periodGiven = false;    ///< false: on JACK, the server's own period is used
    double virtualDelay = 0.0;   ///< the Virtual cable's delay, samples (fractional)
    double virtualNoiseDb = -200.0;
    double virtualGain = 1.0;
    bool virtualFast = false;    ///< run the Virtual device as fast as possible, not in real time
    bool connectLoopback = false; ///< JACK: connect Wavebench's output 1 to its input 1
    int numInputs = 1;            ///< channels opened (record opens more than one)
    int numOutputs = 1;
};

/// Creates the device and opens it with inputs 1..numInputs and outputs 1..numOutputs at `rate` and the period (message
/// thread; allocates). On failure writes "wavebench: error: <reason>" to ctx.err and returns
/// nullptr. The caller checks what the device actually runs at, and closes it.
std::unique_ptr<juce::AudioIODevice> openLoopbackDevice(const LoopbackDeviceOptions& o, Context& ctx);

/// With --connect-loopback on a JACK device ("jack", or one named "JACK:..."), connects
/// Wavebench's output 1 to its input 1 (the device open). Returns: true when connected or not
/// asked for; false after writing "wavebench: error: <reason>" to ctx.err (the server refused,
/// or the device is not JACK's: its cable is the user's to connect).
bool connectLoopbackIfAsked(const LoopbackDeviceOptions& o, const juce::AudioIODevice& device, Context& ctx);

/// The --device help text shared by latency, measure and record.
inline constexpr const char* kLoopbackDeviceHelp =
    "virtual (built-in), jack (a running server), or a device's name as `wavebench devices` lists it "
    "(TYPE:NAME to pick the type)";

/// The open device runs at `rate`? Otherwise writes "wavebench: error: NAME runs at X Hz, not
/// --rate Y Hz" to ctx.err and returns false.
bool deviceRunsAt(juce::AudioIODevice& device, double rate, Context& ctx);

/// What a report says about the device: type, name, rate, period, xruns (0: the caller adds its
/// count) and, for the Virtual cable, its delay, noise and pacing.
nlohmann::json loopbackDeviceJson(const LoopbackDeviceOptions& o, juce::AudioIODevice& device);
} // namespace wb::cli
