#include "Core/Session/DeviceState.h"

#include <fmt/format.h>

namespace wb
{
const DeviceParamSpecs& deviceParamSpecs()
{
    static const DeviceParamSpecs specs{
        .sampleRate = {.path = "rate", .label = "Sample rate", .unit = "Hz", .tooltip = "The device's sample rate",
                       .min = 8000.0, .max = 768000.0, .defaultValue = 48000.0, .step = 1.0},
        .bufferSize = {.path = "buffer", .label = "Buffer size", .unit = "frames",
                       .tooltip = "Frames per callback", .min = 16.0, .max = 16384.0, .defaultValue = 512.0,
                       .step = 1.0},
    };
    return specs;
}

std::string deviceStateProblem(const DeviceState& s)
{
    constexpr size_t kMaxName = 256; // a device name is short; more is damage, not a device
    const auto& specs = deviceParamSpecs();
    if (s.type.empty())
        return "no device type";
    if (s.type.size() > kMaxName || s.outputName.size() > kMaxName || s.inputName.size() > kMaxName)
        return fmt::format("a device name longer than {} characters", kMaxName);
    if (s.sampleRate != 0.0 && !specs.sampleRate.contains(s.sampleRate))
        return fmt::format("sample rate {} Hz is not in {}..{} Hz", s.sampleRate, specs.sampleRate.min,
                           specs.sampleRate.max);
    if (s.bufferSize != 0 && !(specs.bufferSize.contains(double(s.bufferSize))))
        return fmt::format("buffer size {} frames is not in {}..{} frames", s.bufferSize, specs.bufferSize.min,
                           specs.bufferSize.max);
    return {};
}
} // namespace wb
