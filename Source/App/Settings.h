#pragma once
// Where the app keeps what survives a restart (window bounds, panels, the session with its audio
// device). WAVEBENCH_SETTINGS_DIR overrides the folder (tests use it); the default is
// ~/.config/Wavebench.
//
// A damaged or hostile settings file never stops the app and is never silently overwritten: one
// that is too big (kMaxFileBytes), nests too deeply (kMaxXmlDepth: JUCE's XML parser recurses per
// level, so 100000 levels would overflow the stack; the depth is found by a flat scan before any
// parsing) or is not readable XML is moved aside to "Wavebench.settings.bad-<time>" and the app
// starts with defaults; startupProblem() says why. A readable file whose session is damaged is
// copied aside the same way (keepBackup) by the main component.
#include <juce_data_structures/juce_data_structures.h>
#include <juce_graphics/juce_graphics.h>

#include <memory>
#include <optional>

namespace wb::app
{
class Settings
{
public:
    Settings();
    juce::PropertiesFile& file() noexcept { return *props; }
    /// Writes pending changes now; returns false (and logs) when the disk refused.
    bool save();

    /// A settings file is a few kB (a session of 16 effects is ~10 kB): 4 MB is damage.
    static constexpr juce::int64 kMaxFileBytes = 4 * 1024 * 1024;
    /// The settings nest 5 levels deep (PROPERTIES > VALUE > WavebenchSession > Chain > Effect > Param).
    static constexpr std::size_t kMaxXmlDepth = 32;

    /// Why the settings file was not read and the app started with defaults ("" when it was
    /// read): "the settings file ... nests 100000 levels deep (at most 32); kept as ....bad-...".
    [[nodiscard]] const juce::String& startupProblem() const noexcept { return problem; }
    /// Copies the settings file as it is on disk to "<file>.bad-<time>" (before it is written
    /// over with defaults). Returns the copy, or File() when there was nothing to copy or the copy
    /// failed.
    juce::File keepBackup() const;

    /// A window state string (ResizableWindow::getWindowStateAsString: "[fs] x y w h [frame ...]")
    /// with its size limited to `screen` (at least `minimum`) and its position moved so the whole
    /// window lies on `screen`; nullopt when it holds no four finite whole numbers (then the
    /// window takes its default size). The full-screen flag is dropped.
    [[nodiscard]] static std::optional<juce::String> clampedWindowState(const juce::String& saved,
                                                                        juce::Rectangle<int> screen,
                                                                        juce::Point<int> minimum);

private:
    std::unique_ptr<juce::PropertiesFile> props;
    juce::String problem;
};
} // namespace wb::app
