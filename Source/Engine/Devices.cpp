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

std::unique_ptr<juce::AudioIODevice> createNamedDevice(const std::string& spec, std::string& error)
{
    juce::AudioDeviceManager manager;
    juce::OwnedArray<juce::AudioIODeviceType> types;
    manager.createAudioDeviceTypes(types);
    // "TYPE:NAME" only when the part before the first ':' is a type's name (ALSA names hold colons).
    juce::String wantedType;
    juce::String name = juce::String(spec);
    for (auto* type : types)
        if (name.startsWith(type->getTypeName() + ":"))
        {
            wantedType = type->getTypeName();
            name = name.fromFirstOccurrenceOf(":", false, false);
        }
    struct Match
    {
        juce::AudioIODeviceType* type;
        juce::String output, input;
    };
    std::vector<Match> matches;
    juce::StringArray available;
    for (auto* type : types)
    {
        if (wantedType.isNotEmpty() && type->getTypeName() != wantedType)
            continue;
        type->scanForDevices();
        const auto outs = type->getDeviceNames(false);
        const auto ins = type->getDeviceNames(true);
        for (const auto& n : outs)
            available.addIfNotAlreadyThere(type->getTypeName() + ":" + n);
        for (const auto& n : ins)
            available.addIfNotAlreadyThere(type->getTypeName() + ":" + n);
        if (outs.contains(name) || ins.contains(name))
            matches.push_back({type, outs.contains(name) ? name : juce::String(), ins.contains(name) ? name : juce::String()});
    }
    if (matches.empty())
    {
        error = "no audio device named '" + spec + "'; the devices here: "
                + (available.isEmpty() ? std::string("none (no sound card, no JACK server running)")
                                       : available.joinIntoString(", ").toStdString())
                + " (and --device virtual, the built-in loopback)";
        return nullptr;
    }
    if (matches.size() > 1)
    {
        juce::StringArray which;
        for (const auto& m : matches)
            which.add(m.type->getTypeName() + ":" + name);
        error = "more than one audio device is named '" + spec + "': say which with " + which.joinIntoString(" or ").toStdString();
        return nullptr;
    }
    std::unique_ptr<juce::AudioIODevice> device(matches[0].type->createDevice(matches[0].output, matches[0].input));
    if (device == nullptr)
        error = "JUCE could not create the " + matches[0].type->getTypeName().toStdString() + " device '" + spec + "'";
    return device;
}
} // namespace wb
