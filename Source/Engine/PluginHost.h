#pragma once
// Third-party plugins (issue 16): LV2 and VST3 through JUCE's hosts. This file finds and loads
// them; nothing here runs a plugin on the audio thread. A later step puts an instance in the
// chain as a node; everything it needs to load one (a PluginRef, describe, instantiate) is here
// and takes no CLI type.
//
// Thread: all of it on the message thread (JUCE's formats want it), with a
// juce::ScopedJuceInitialiser_GUI alive. Loading a plugin runs its code: a plugin that crashes
// takes the process with it, so the CLI loads plugins it has not vetted in a child process
// (Cli/PluginScan, Cli/CheckCommand).
#include <juce_audio_processors/juce_audio_processors.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wb
{
/// A plugin as a user names it: "lv2:URI" or a path to a ".vst3" bundle (or "vst3:PATH").
struct PluginRef
{
    std::string format;     ///< "LV2" or "VST3" (JUCE's format names)
    std::string identifier; ///< the LV2 URI, or the .vst3 path made absolute

    /// "lv2:URI" or the .vst3 path: the spelling parsePluginRef reads back.
    [[nodiscard]] std::string spelled() const;
};

/// Returns: the reference `text` names, or nullopt with the reason in `error` (not "lv2:..." and
/// not a path ending in ".vst3").
std::optional<PluginRef> parsePluginRef(const std::string& text, std::string& error);

class PluginHost
{
public:
    /// Effects: sets up JUCE's LV2 and VST3 formats (LV2: reads every bundle's manifest in the
    /// folders, no plugin code runs). Allocates.
    PluginHost();
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// Returns: the folders searched for `format` ("LV2" / "VST3"): the entries of LV2_PATH /
    /// VST3_PATH (colon-separated) when it is set, as lilv does, else the standard ones (~/.lv2,
    /// /usr/lib/lv2, /usr/local/lib/lv2; ~/.vst3, /usr/lib/vst3, /usr/local/lib/vst3).
    /// Existing or not.
    [[nodiscard]] static std::vector<std::string> searchFolders(const std::string& format);

    /// Returns: every plugin of `format` in its folders, as identifiers (LV2 URIs, .vst3 paths),
    /// sorted. LV2 reads manifests only; VST3 lists bundles. Runs no plugin code.
    [[nodiscard]] std::vector<std::string> findIdentifiers(const std::string& format);

    /// Returns: the plugin's description (name, vendor, channels), or nullopt with the reason in
    /// `error`. LV2: from its manifest, no code runs; VST3: loads the module (its code runs).
    [[nodiscard]] std::optional<juce::PluginDescription> describe(const PluginRef& ref, std::string& error);

    /// Returns: a new instance, not yet prepared, or nullptr with the reason in `error`.
    /// Runs the plugin's code (instantiate).
    [[nodiscard]] std::unique_ptr<juce::AudioPluginInstance> instantiate(const juce::PluginDescription& description,
                                                                         double sampleRate, int blockSize,
                                                                         std::string& error);

private:
    juce::AudioPluginFormat* format(const std::string& name) const;
    void loadLv2Folders();

    juce::AudioPluginFormatManager formats_;
    bool lv2FoldersLoaded_ = false;
};

/// Returns: the parameter of `instance` whose name is `name` (exact, then case-insensitive), or
/// nullptr.
juce::AudioProcessorParameter* findParameterByName(juce::AudioPluginInstance& instance, const std::string& name);

/// Effects: sets `parameter` to `value` in its own units (Hz, dB: what its text shows), through
/// the parameter's text conversion (LV2: the port's range). Returns: false when the text form
/// does not read back as `value` within 0.1 % of its range (out of range, or not a number).
bool setParameterInUnits(juce::AudioProcessorParameter& parameter, float value);
} // namespace wb
