#pragma once
// The session file: one reader and one writer for presets (.wbpreset), the session the app keeps
// in its settings, and EffectChainNode's save/restore.
//
//   <WavebenchSession schema="3">
//     <Generator kind="saw" freq="440" levelDb="-12" .../>      the generator's settings (GeneratorState)
//     <Device type="JACK" output="..." input="..." inputChannels="11" outputChannels="11"
//             rate="48000" buffer="256"/>                      the audio device (DeviceState; the
//                                                               app's session only, not presets)
//     <Chain>
//       <Effect id="delay" instance="delay" bypassed="1">
//         <Param path="Delay/time" value="120"/> ...             every input control
//       </Effect> ...
//     </Chain>
//   </WavebenchSession>
//
// Older files load through a migration in the reader: schema 2 (no <Device>: the app then takes
// the device from JUCE's <DEVICESETUP>, which it kept apart before, see deviceStateFromJuceXml),
// version 1 sessions (<WavebenchSession
// version="1"> with <GeneratorPanel> and <ChainPanel><Effect id bypassed><param name value>) and
// the engine's <EffectChain> (each effect's state as base64 <FaustEffect> XML). A file is checked
// in full before anything changes: an unknown effect, a value that is not a finite number or is
// outside its control's range, too many effects or a newer schema is refused with the reason.
// Validation reads each catalogue effect's description (built once per id, cached): it never
// builds a DSP instance per file.
//
// Threads: message thread (allocates).
#include "Core/Session/ChainState.h"
#include "Core/Session/DeviceState.h"
#include "Core/Session/GeneratorState.h"
#include "Engine/FaustParameters.h"

#include <juce_core/juce_core.h>

#include <memory>
#include <optional>
#include <string>

namespace wb::session
{
inline constexpr int kSchema = 3; ///< the schema this build writes (and the newest it reads)
inline constexpr const char* kSessionTag = "WavebenchSession";
inline constexpr const char* kGeneratorTag = "Generator";
inline constexpr const char* kChainTag = "Chain";
inline constexpr const char* kDeviceTag = "Device";

/// The description (controls, ranges, metadata) of catalogue effect `effectId`, or nullptr when
/// the id is unknown. Built from one instance the first time an id is asked for, then cached;
/// the zones are null (the description holds no values). Message thread / any non-audio thread.
const FaustDescription* catalogueDescription(const std::string& effectId);

/// The attribute as a finite number; `fallback` when the attribute is absent; nullopt when it is
/// present but not a plain finite decimal number ("", "loud", "nan", "inf", "1e999").
std::optional<double> finiteNumberAttribute(const juce::XmlElement& xml, const juce::String& name,
                                            std::optional<double> fallback);

/// The chain as <Chain> (schema 2).
std::unique_ptr<juce::XmlElement> writeChainXml(const ChainState& chain);
/// Reads <Chain>, a version 1 <ChainPanel> or an <EffectChain>; every effect comes back with every
/// input value (a control the file does not name keeps its default; a path the effect does not
/// have is ignored). False with the reason, `out` untouched, when the chain is damaged.
bool readChainXml(const juce::XmlElement& xml, ChainState& out, juce::String& error);

/// The generator's settings as <Generator>: every GeneratorState field, plus "freq" (the current
/// kind's frequency, as version 1 wrote it).
std::unique_ptr<juce::XmlElement> writeGeneratorXml(const GeneratorState& generator);
/// Reads <Generator> (or a version 1 <GeneratorPanel>). An absent attribute takes the default
/// (GeneratorState{}); a file from before the tone's and the sweep's frequencies were kept apart
/// has only "freq", which is the saved kind's. False with the reason ("generator: ..."), `out`
/// untouched, for an unknown signal or level mode, a value that is not a number or lies outside
/// its GeneratorParams range, a seed that is not a whole number.
bool readGeneratorXml(const juce::XmlElement& xml, GeneratorState& out, juce::String& error);

/// The device settings as <Device>.
std::unique_ptr<juce::XmlElement> writeDeviceXml(const DeviceState& device);
/// Reads <Device>. False with the reason ("device: ..."), `out` untouched, for a missing type, a
/// channel list that is not a string of at most 64 '0'/'1', a rate or buffer size that is not a
/// number or is outside its deviceParamSpecs range (0: the device's own).
bool readDeviceXml(const juce::XmlElement& xml, DeviceState& out, juce::String& error);
/// The migration of the device settings the app kept before schema 3: JUCE's
/// AudioDeviceManager::createStateXml (<DEVICESETUP deviceType audioOutputDeviceName ...>). False
/// with the reason when it is not one or is damaged.
bool deviceStateFromJuceXml(const juce::XmlElement& xml, DeviceState& out, juce::String& error);

/// A whole session: the generator's settings, the chain, and the device when given (the app's
/// session; presets carry no device: a preset is the sound, not the machine it was made on).
std::unique_ptr<juce::XmlElement> writeSessionXml(const GeneratorState& generator, const ChainState& chain,
                                                  const DeviceState* device = nullptr);

struct Session
{
    GeneratorState generator;
    ChainState chain;
    std::optional<DeviceState> device; ///< absent in presets and in files before schema 3
    int schema = kSchema; ///< the schema the file was written in (1, 2: migrated)
};
/// Reads a session of schema 3, 2 or version 1: generator, chain and device. False with the reason
/// when any is damaged.
bool readSessionXml(const juce::XmlElement& xml, Session& out, juce::String& error);
/// Only the device of a session (the app opens it before it builds its window). True with `out`
/// empty when the session names none (a preset, or schema 1 or 2); false with the reason when the
/// file is not a session or its <Device> is damaged.
bool readSessionDevice(const juce::XmlElement& xml, std::optional<DeviceState>& out, juce::String& error);
} // namespace wb::session
