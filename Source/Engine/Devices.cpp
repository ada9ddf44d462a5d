#include "Engine/Devices.h"

#include "Engine/VirtualLoopbackDevice.h"

#include <juce_audio_devices/juce_audio_devices.h>

namespace wb
{
std::vector<DeviceTypeInfo> scanAudioDevices()
{
    std::vector<DeviceTypeInfo> result;
    juce::AudioDeviceManager manager;
    juce::OwnedArray<juce::AudioIODeviceType> types;
    manager.createAudioDeviceTypes(types);
    types.add(new VirtualLoopbackDeviceType()); // always there: the fallback with no hardware
    for (auto* type : types)
    {
        type->scanForDevices();
        DeviceTypeInfo info;
        info.type = type->getTypeName().toStdString();
        for (const auto& name : type->getDeviceNames(false))
            info.outputs.push_back(name.toStdString());
        for (const auto& name : type->getDeviceNames(true))
            info.inputs.push_back(name.toStdString());
        result.push_back(std::move(info));
    }
    return result;
}
} // namespace wb
