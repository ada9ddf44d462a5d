#pragma once
// JACK helpers for the latency measurement: the JUCE JACK device, and a cable from Wavebench's
// own output port to its own input port (what `--connect-loopback` does). Never starts a server.
#include <juce_audio_devices/juce_audio_devices.h>

#include <memory>
#include <string>

namespace wb
{
/// Creates JUCE's JACK device (the server named by JACK_DEFAULT_SERVER, or the default one).
/// Returns null and sets `error` when JUCE has no JACK type or no server runs. Message thread.
std::unique_ptr<juce::AudioIODevice> createJackDevice(std::string& error);

/// Connects the JACK port "<client>:out_<outputPort>" to "<client>:in_<inputPort>" for the one
/// client whose name starts with `clientPrefix` (JUCE's client is "Wavebench", or "Wavebench-NN"
/// when the name was taken). Uses a short-lived helper client. Returns "" or the error.
std::string connectJackLoopback(const std::string& clientPrefix = "Wavebench", int outputPort = 1, int inputPort = 1);
} // namespace wb
