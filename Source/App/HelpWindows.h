#pragma once
// The Help menu's windows: the About box and the troubleshooting guide (docs/TROUBLESHOOTING.md,
// embedded in the program at build time, so it is there wherever the app was installed).
#include <juce_gui_basics/juce_gui_basics.h>

namespace wb::app
{
/// The text of docs/TROUBLESHOOTING.md when the app was built (generated source, see
/// Source/App/CMakeLists.txt).
extern const char* const kTroubleshootingMarkdown;

/// The About box's message: its first line is the one `wavebench --version` prints (version and
/// git commit).
juce::String aboutText();

/// Help > Troubleshooting...: a resizable window titled kTroubleshootingTitle showing the guide in
/// a read-only text editor (component ID "troubleshootingText"); Escape or its close button shuts it.
void showTroubleshooting();
inline constexpr const char* kTroubleshootingTitle = "Wavebench - Troubleshooting";
} // namespace wb::app
