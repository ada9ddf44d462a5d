#include "Engine/LatencyJack.h"

#include <jack/jack.h>

#include <cerrno>

namespace wb
{
std::unique_ptr<juce::AudioIODevice> createJackDevice(std::string& error)
{
    juce::AudioDeviceManager manager;
    juce::OwnedArray<juce::AudioIODeviceType> types;
    manager.createAudioDeviceTypes(types);
    for (auto* type : types)
    {
        if (type->getTypeName() != "JACK")
            continue;
        type->scanForDevices();
        const auto names = type->getDeviceNames(false);
        if (names.isEmpty())
        {
            error = "no JACK server is running (JUCE found no JACK device)";
            return nullptr;
        }
        const auto inputs = type->getDeviceNames(true);
        std::unique_ptr<juce::AudioIODevice> device(
            type->createDevice(names[0], inputs.isEmpty() ? juce::String() : inputs[0]));
        if (device == nullptr)
            error = "JUCE could not create the JACK device";
        return device;
    }
    error = "this build of Wavebench has no JACK support";
    return nullptr;
}

std::string connectJackLoopback(const std::string& clientPrefix, int outputPort, int inputPort)
{
    jack_status_t status{};
    jack_client_t* client = jack_client_open("wavebench-latency-wire", JackNoStartServer, &status);
    if (client == nullptr)
        return "cannot reach the JACK server to connect the loopback";

    std::string result;
    const std::string outPattern = "^" + clientPrefix + "[^:]*:out_" + std::to_string(outputPort) + "$";
    const std::string inPattern = "^" + clientPrefix + "[^:]*:in_" + std::to_string(inputPort) + "$";
    const char** outs = jack_get_ports(client, outPattern.c_str(), nullptr, JackPortIsOutput);
    const char** ins = jack_get_ports(client, inPattern.c_str(), nullptr, JackPortIsInput);
    if (outs == nullptr || outs[0] == nullptr || ins == nullptr || ins[0] == nullptr)
        result = "Wavebench's JACK ports were not found (" + outPattern + ", " + inPattern + ")";
    else if (outs[1] != nullptr || ins[1] != nullptr)
        result = "more than one Wavebench client on this JACK server";
    else if (const int e = jack_connect(client, outs[0], ins[0]); e != 0 && e != EEXIST)
        result = std::string("jack_connect ") + outs[0] + " -> " + ins[0] + " failed (" + std::to_string(e) + ")";
    if (outs != nullptr)
        jack_free(outs);
    if (ins != nullptr)
        jack_free(ins);
    jack_client_close(client);
    return result;
}
} // namespace wb
