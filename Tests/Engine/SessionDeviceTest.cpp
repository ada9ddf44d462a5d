// The device settings in the session model (issue 11): held once as a DeviceState, written as
// <Device> in schema 3, migrated from JUCE's <DEVICESETUP> that the app kept apart before, checked
// against their ParamSpecs (NaN and out-of-range values refused), and opened by the engine with a
// fallback and a message when the saved device is missing.
#include "Core/Session/DeviceState.h"
#include "Engine/AudioEngine.h"
#include "Engine/FaustParameters.h"
#include "Engine/JackQuiet.h"
#include "Engine/SessionFile.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <unistd.h>

namespace
{
wb::DeviceState jackDevice()
{
    wb::DeviceState d;
    d.type = "JACK";
    d.outputName = "system";
    d.inputName = "system";
    d.inputChannels = 0b11;
    d.outputChannels = 0b1010; // channels 2 and 4: not the default, so a lost mask would show
    d.sampleRate = 48000.0;
    d.bufferSize = 256;
    return d;
}
} // namespace

TEST_CASE("the device settings are written once in the session (schema 3) and read back", "[engine][session]")
{
    const wb::GeneratorState generator;
    const wb::session::ChainState chain;
    const auto device = jackDevice();
    const auto xml = wb::session::writeSessionXml(generator, chain, &device);
    CHECK(xml->getIntAttribute("schema") == 3);
    const auto* d = xml->getChildByName("Device");
    REQUIRE(d != nullptr);
    CHECK(d->getStringAttribute("type") == "JACK");
    CHECK(d->getStringAttribute("outputChannels") == "1010"); // as JUCE writes a channel mask
    CHECK(d->getIntAttribute("buffer") == 256);

    wb::session::Session back;
    juce::String error;
    REQUIRE(wb::session::readSessionXml(*xml, back, error));
    REQUIRE(back.device.has_value());
    CHECK(*back.device == device);
    std::optional<wb::DeviceState> only;
    REQUIRE(wb::session::readSessionDevice(*xml, only, error));
    CHECK(only == device);

    // A preset carries no device, and reads back without one.
    const auto preset = wb::session::writeSessionXml(generator, chain);
    CHECK(preset->getChildByName("Device") == nullptr);
    REQUIRE(wb::session::readSessionXml(*preset, back, error));
    CHECK_FALSE(back.device.has_value());
}

TEST_CASE("JUCE's device state of the older settings migrates into a DeviceState", "[engine][session]")
{
    // JUCE's form, as Tests/Data/sessions/v2-settings.settings holds it (the build before schema
    // 3), here with a buffer size and one input channel, which JUCE writes when they were chosen.
    const auto legacy = juce::parseXML(
        R"(<DEVICESETUP deviceType="Virtual loopback" audioOutputDeviceName="Virtual loopback"
                        audioInputDeviceName="Virtual loopback" audioDeviceRate="44100.0"
                        audioDeviceBufferSize="128" audioDeviceInChans="1" audioDeviceOutChans="11"/>)");
    REQUIRE(legacy != nullptr);
    wb::DeviceState d;
    juce::String error;
    REQUIRE(wb::session::deviceStateFromJuceXml(*legacy, d, error));
    CHECK(d.type == "Virtual loopback");
    CHECK(d.outputName == "Virtual loopback");
    CHECK(d.sampleRate == 44100.0);
    CHECK(d.bufferSize == 128);
    CHECK(d.inputChannels == 0b1);
    CHECK(d.outputChannels == 0b11);
    CHECK_FALSE(wb::session::deviceStateFromJuceXml(juce::XmlElement("Device"), d, error));
    CHECK(error.contains("DEVICESETUP"));
}

TEST_CASE("a damaged device is refused by its ParamSpec ranges: NaN, out of range, not whole", "[engine][session]")
{
    const auto& specs = wb::deviceParamSpecs();
    const auto device = jackDevice();
    struct Case
    {
        const char* attribute;
        const char* value;
        const char* reason;
    };
    const Case cases[] = {
        {"rate", "nan", "sample rate that is not a number"},
        {"rate", "inf", "sample rate that is not a number"},
        {"rate", "1e9", "sample rate 1000000000 Hz is not in 8000..768000 Hz"},
        {"rate", "-48000", "is not in 8000..768000 Hz"},
        {"buffer", "nan", "buffer size that is not a whole number"},
        {"buffer", "256.5", "buffer size that is not a whole number"},
        {"buffer", "8", "buffer size 8 frames is not in 16..16384 frames"},
        {"buffer", "99999999999", "not a whole number"},
        {"outputChannels", "12", "channel list"},
        {"inputChannels", "11111111111111111111111111111111111111111111111111111111111111111", "channel list"},
        {"type", "", "no device type"},
    };
    for (const auto& c : cases)
    {
        DYNAMIC_SECTION(c.attribute << "=" << c.value)
        {
            auto xml = wb::session::writeDeviceXml(device);
            xml->setAttribute(c.attribute, c.value);
            wb::DeviceState out;
            juce::String error;
            CHECK_FALSE(wb::session::readDeviceXml(*xml, out, error));
            INFO(error);
            CHECK(error.startsWith("device: "));
            CHECK(error.contains(c.reason));
            CHECK(out == wb::DeviceState{}); // untouched
            // A session with that device is refused as a whole, as any damage is.
            auto session = wb::session::writeSessionXml({}, {}, &device);
            session->replaceChildElement(session->getChildByName("Device"), xml.release());
            wb::session::Session s;
            CHECK_FALSE(wb::session::readSessionXml(*session, s, error));
            CHECK(error.contains(c.reason));
        }
    }
    // The ranges are the specs' (one source), and 0 means "the device's own".
    CHECK(specs.sampleRate.min == 8000.0);
    CHECK(specs.bufferSize.max == 16384.0);
    auto own = device;
    own.sampleRate = 0.0;
    own.bufferSize = 0;
    CHECK(wb::deviceStateProblem(own).empty());
}

TEST_CASE("the session reader checks effect values against each control's ParamSpec", "[engine][session]")
{
    // Refused, not clamped: a value outside the range is damage. The reason gives the range as
    // the control's spec formats it (one source of ranges and of their text).
    const auto* lowpass = wb::session::catalogueDescription("lowpass");
    REQUIRE(lowpass != nullptr);
    const wb::FaustControl* cutoff = nullptr;
    for (const auto& c : lowpass->controls)
        if (juce::String(c.path).endsWith("cutoff"))
            cutoff = &c;
    REQUIRE(cutoff != nullptr);
    const auto spec = wb::paramSpecOf(*cutoff);
    for (const char* value : {"1e7", "nan", "-1"})
    {
        auto chain = juce::parseXML("<Chain><Effect id=\"lowpass\" instance=\"lowpass\" bypassed=\"0\"><Param path=\""
                                    + juce::String(cutoff->path) + "\" value=\"" + value + "\"/></Effect></Chain>");
        REQUIRE(chain != nullptr);
        wb::session::ChainState out;
        juce::String error;
        CHECK_FALSE(wb::session::readChainXml(*chain, out, error));
        INFO(value << ": " << error);
        if (juce::String(value) == "nan")
            CHECK(error.contains("has no number"));
        else
            CHECK(error.contains("is outside " + juce::String(spec.format(spec.min)) + ".." + juce::String(spec.format(spec.max))));
        CHECK(out.effects.empty());
    }
}

TEST_CASE("a saved device that is missing falls back to another device with a message, and stays the session's",
          "[engine][session]")
{
    // No JACK server by this name: the saved JACK device is missing.
    ::setenv("JACK_DEFAULT_SERVER", ("wbtest-no-such-server-" + std::to_string(getpid())).c_str(), 1);
    ::setenv("JACK_NO_START_SERVER", "1", 1);
    wb::silenceJackLibraryMessages();
    auto engine = wb::AudioEngine::createWithGenerator();
    const auto saved = jackDevice();
    const auto error = engine->openDevice(saved);
    INFO(error << " / " << engine->deviceFallbackNote());
    REQUIRE(error.isEmpty());
    REQUIRE(engine->hasDevice());
    CHECK(engine->isVirtualDevice());
    CHECK(engine->deviceFallbackNote().contains("the saved device 'system' (JACK) is not available"));
    CHECK(engine->deviceFallbackNote().contains("Virtual loopback"));
    // The choice stays the session's, so the next launch tries it again.
    REQUIRE(engine->deviceSettings().has_value());
    CHECK(*engine->deviceSettings() == saved);
    engine->closeDevice();

    // A saved Virtual loopback opens as saved: its rate and buffer, no note.
    wb::DeviceState v;
    v.type = "Virtual loopback";
    v.outputName = v.inputName = "Virtual loopback";
    v.sampleRate = 44100.0;
    v.bufferSize = 128;
    REQUIRE(engine->openDevice(v).isEmpty());
    CHECK(engine->deviceFallbackNote().isEmpty());
    const auto now = engine->currentDeviceState();
    REQUIRE(now.has_value());
    CHECK(now->type == "Virtual loopback");
    CHECK(now->sampleRate == 44100.0);
    CHECK(now->bufferSize == 128);
    CHECK(now->outputChannels == 0b11);
    engine->closeDevice();
    ::unsetenv("JACK_DEFAULT_SERVER");
}

