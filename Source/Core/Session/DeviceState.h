#pragma once
// The audio device settings of a session as plain data, held once: the device type, the output and
// input device names, which channels are on, the sample rate and the buffer size. The app opens
// the device from it at launch (Engine/AudioEngine: openDevice) and the session file keeps it as
// <Device> (Engine/SessionFile, schema 3). Ranges come from deviceParamSpecs(). Plain C++ (no JUCE).
#include "Core/Session/ParamSpec.h"

#include <cstdint>
#include <string>

namespace wb
{
struct DeviceState
{
    std::string type;       ///< the device type as JUCE names it ("JACK", "ALSA", "Virtual loopback")
    std::string outputName; ///< the output device ("" for none / the type's default)
    std::string inputName;  ///< the input device ("" for none / the type's default)
    /// Bit c: channel c is on, as JUCE's setup holds them (64 channels at most).
    std::uint64_t inputChannels = 0x3;
    std::uint64_t outputChannels = 0x3;
    double sampleRate = 0.0; ///< Hz; 0: the device's own
    int bufferSize = 0;      ///< frames; 0: the device's own

    bool operator==(const DeviceState&) const = default;
};

struct DeviceParamSpecs
{
    ParamSpec sampleRate; ///< "rate": 8 kHz .. 768 kHz (0 in a DeviceState: the device's own)
    ParamSpec bufferSize; ///< "buffer": 16 .. 16384 frames, whole numbers (0: the device's own)
};

/// The device settings' ranges (built once).
[[nodiscard]] const DeviceParamSpecs& deviceParamSpecs();

/// Why `state` cannot be a device's settings ("" when it can): an empty type, a name longer than
/// 256 characters, a rate or buffer size that is neither 0 nor in its deviceParamSpecs range.
[[nodiscard]] std::string deviceStateProblem(const DeviceState& state);
} // namespace wb
