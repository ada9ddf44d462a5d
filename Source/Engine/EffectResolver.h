#pragma once
// The one place an effect id becomes something to instantiate: a catalogue id ("reverb") names a
// class compiled at build time; an id that ends in ".dsp" names a Faust file compiled at run time
// (FaustRuntime, through FaustModuleCache::shared(): memory, then disk, then a compile). Every
// caller that used faust::findEffect resolves here, so a chain entry, a session and the CLI all
// accept both. A runtime effect is stored by its absolute path (canonicalEffectId).
//
// Channels: a chain runs in stereo pairs; a runtime module is fitted to a pair by
// FaustRuntime/ChannelFit.h (2/2 as is, 1/1 dual mono, 1/2 from the pair's mean, 2/1 to both),
// anything else is refused with a message naming its inputs and outputs.
//
// Threads: message thread (it may compile: up to ~0.5 s for a first compile of zita_rev1).
#include "Engine/FaustParameters.h"
#include "FaustRuntime/FaustCompiler.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wb
{
/// True when the id names a Faust file (ends in ".dsp").
[[nodiscard]] bool isDspPath(std::string_view effectId) noexcept;
/// What an effect's instances are called: the id, or for a Faust file ("/x/my.dsp") its stem
/// ("my"); two files called my.dsp in one chain are "my" and "my#2".
[[nodiscard]] std::string instanceBaseName(const std::string& effectId);
/// The id as a session stores it: a .dsp path made absolute; a catalogue id as it is.
[[nodiscard]] std::string canonicalEffectId(const std::string& effectId);

struct ResolvedEffect
{
    std::string effectId;                                  ///< canonical
    std::function<std::unique_ptr<::dsp>()> create;        ///< a new instance (stereo-fitted if runtime); allocates
    std::size_t instanceBytes = 0;                         ///< a built-in class's size; 0 for a runtime module
    std::shared_ptr<const faustrt::FaustModule> module;    ///< runtime modules only
};

/// The effect for this id, or nullopt with the reason in `error` (unknown id, Faust's compile
/// error with file and line, or a channel layout that does not fit a stereo pair).
[[nodiscard]] std::optional<ResolvedEffect> resolveEffect(const std::string& effectId, std::string& error);

/// A runtime module as it is (any channel layout), through the shared cache; nullptr and the
/// error when it does not compile. For `effects --dsp` and `render --source`.
[[nodiscard]] std::shared_ptr<const faustrt::FaustModule> loadDspFile(const std::string& path,
                                                                      faustrt::CompileError& error);
} // namespace wb

namespace wb::session
{
/// session::catalogueDescription (Engine/SessionFile.h) that also says why an id does not
/// resolve (unknown id, compile error with file and line, channels that do not fit).
/// Implemented in SessionFile.cpp beside it.
const FaustDescription* catalogueDescription(const std::string& effectId, std::string* error);
} // namespace wb::session
