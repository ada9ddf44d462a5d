#pragma once
// Audio device discovery, shared by `wavebench devices` and the app's settings.
#include <string>
#include <vector>

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
} // namespace wb
