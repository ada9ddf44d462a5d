#pragma once
// Audio device discovery, shared by `wavebench devices` and the app's settings.
#include <memory>
#include <string>
#include <vector>

namespace juce
{
class AudioIODevice;
}

namespace wb
{
struct DeviceTypeInfo
{
    std::string type;                 ///< e.g. "ALSA", "JACK"
    std::vector<std::string> outputs; ///< output device names
    std::vector<std::string> inputs;  ///< input device names
};

/// Scans every device type JUCE was built with. Message thread or a CLI main; allocates.
/// Never throws and never starts a sound server; a type with no devices has empty lists.
std::vector<DeviceTypeInfo> scanAudioDevices();

/// Creates (does not open) the system device named `spec` as `wavebench devices` lists it: a name
/// in a type's output or input list (the device then takes that name for both sides where it has
/// both), or "TYPE:NAME" to say which type ("JACK:system", "ALSA:..."). The Virtual loopback is not
/// among them (it has its own options). Returns null and sets `error` when no device, or more than
/// one of different types, has the name: the message lists what there is. Message thread or a CLI
/// main; allocates; never starts a sound server.
std::unique_ptr<juce::AudioIODevice> createNamedDevice(const std::string& spec, std::string& error);
} // namespace wb
