#include "App/HelpWindows.h"

#include "App/Theme.h"
#include "Core/Util/BuildCommit.h"

namespace wb::app
{
juce::String aboutText()
{
    return juce::String(fullVersionString()) +
           "\n\nAn audio test-signal and effects workstation.\n"
           "Built with JUCE " + juce::SystemStats::getJUCEVersion().fromFirstOccurrenceOf(" ", false, false) +
           " and Faust.\nLicensed under the GNU General Public License v3.0.\n\n"
           "When audio misbehaves: Help > Troubleshooting.";
}

void showTroubleshooting()
{
    auto text = std::make_unique<juce::TextEditor>("troubleshooting");
    text->setComponentID("troubleshootingText");
    text->setMultiLine(true, true);
    text->setReadOnly(true);
    text->setScrollbarsShown(true);
    text->setCaretVisible(false);
    text->setFont(juce::Font(juce::Font::getDefaultMonospacedFontName(), 14.0f, juce::Font::plain));
    text->setText(juce::String::fromUTF8(kTroubleshootingMarkdown), false);
    text->setSize(860, 640);

    juce::DialogWindow::LaunchOptions o;
    o.content.setOwned(text.release());
    o.dialogTitle = kTroubleshootingTitle;
    o.dialogBackgroundColour = theme::kPanel;
    o.escapeKeyTriggersCloseButton = true;
    o.useNativeTitleBar = true;
    o.resizable = true;
    o.launchAsync();
}
} // namespace wb::app
