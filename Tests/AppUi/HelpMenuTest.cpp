// The Help menu: Troubleshooting... opens docs/TROUBLESHOOTING.md (the file in the source tree, read
// here from disk, must equal what the window shows), and the About box names the same version and
// commit as `wavebench --version` (checked against git itself by Tests/Scripts/version_test.sh).
#include "AppUi/AppFixture.h"

#include "App/HelpWindows.h"
#include "Core/Util/BuildCommit.h"

using wb::test::App;
using wb::test::findById;
using wb::test::pumpUntil;

namespace
{
/// The Help menu's items: text -> id.
std::map<juce::String, int> helpMenuItems(wb::app::MainComponent& main)
{
    const auto names = main.getMenuBarNames();
    const int help = names.indexOf("Help");
    REQUIRE(help >= 0);
    std::map<juce::String, int> items;
    const auto menu = main.getMenuForIndex(help, "Help");
    for (juce::PopupMenu::MenuItemIterator it(menu); it.next();)
        items[it.getItem().text] = it.getItem().itemID;
    return items;
}

/// The top-level window titled `title`, or nullptr.
juce::TopLevelWindow* findWindow(const juce::String& title)
{
    for (int i = 0; i < juce::TopLevelWindow::getNumTopLevelWindows(); ++i)
        if (auto* w = juce::TopLevelWindow::getTopLevelWindow(i); w != nullptr && w->getName() == title)
            return w;
    return nullptr;
}
} // namespace

TEST_CASE("app: Help > Troubleshooting shows docs/TROUBLESHOOTING.md", "[gui][app]")
{
    App app(false);
    const auto items = helpMenuItems(*app.main);
    REQUIRE(items.count("Troubleshooting...") == 1);
    REQUIRE(items.count("About Wavebench") == 1);

    const auto onDisk = juce::File(WB_SOURCE_DIR).getChildFile("docs/TROUBLESHOOTING.md").loadFileAsString();
    REQUIRE(onDisk.contains("## Xruns")); // the file is the guide, not an empty stand-in

    REQUIRE(findWindow(wb::app::kTroubleshootingTitle) == nullptr);
    app.main->menuItemSelected(items.at("Troubleshooting..."), 3);
    REQUIRE(pumpUntil([] { return findWindow(wb::app::kTroubleshootingTitle) != nullptr; }));
    auto* window = findWindow(wb::app::kTroubleshootingTitle);
    REQUIRE(window->isVisible());
    auto* text = findById<juce::TextEditor>(*window, "troubleshootingText");
    REQUIRE(text != nullptr);
    CHECK(text->isReadOnly());
    CHECK(text->getText() == onDisk);
    // Its close button, as the user presses it: the window goes away (and deletes itself).
    auto* document = dynamic_cast<juce::DocumentWindow*>(window);
    REQUIRE(document != nullptr);
    document->closeButtonPressed();
    REQUIRE(pumpUntil([] { return findWindow(wb::app::kTroubleshootingTitle) == nullptr; }));
}

TEST_CASE("app: the About box names the version and the commit", "[gui][app]")
{
    const auto text = wb::app::aboutText();
    const auto firstLine = text.upToFirstOccurrenceOf("\n", false, false);
    CHECK(firstLine == juce::String(wb::fullVersionString()));
    CHECK(firstLine.contains(juce::String("(git ") + wb::buildCommit() + ")"));
    CHECK(juce::String(wb::buildCommit()).isNotEmpty());
    CHECK(text.contains("Troubleshooting"));
}
