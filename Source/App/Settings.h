#pragma once
// Where the app keeps what survives a restart (window bounds, audio device state).
// WAVEBENCH_SETTINGS_DIR overrides the folder (tests use it); the default is ~/.config/Wavebench.
#include <juce_data_structures/juce_data_structures.h>

#include <memory>

namespace wb::app
{
class Settings
{
public:
    Settings();
    juce::PropertiesFile& file() noexcept { return *props; }
    /// Writes pending changes now; returns false (and logs) when the disk refused.
    bool save();

private:
    std::unique_ptr<juce::PropertiesFile> props;
};
} // namespace wb::app
