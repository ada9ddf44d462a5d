#pragma once
// The main window's content: the menu bar (File / Audio / Help) and the panels.
#include "App/Settings.h"
#include "Engine/AudioEngine.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace wb::app
{
class MainComponent final : public juce::Component, public juce::MenuBarModel, private juce::ChangeListener
{
public:
    MainComponent(AudioEngine& engine, Settings& settings);
    ~MainComponent() override;

    void paint(juce::Graphics&) override;
    bool keyPressed(const juce::KeyPress&) override;
    void resized() override;

    // juce::MenuBarModel
    juce::StringArray getMenuBarNames() override;
    juce::PopupMenu getMenuForIndex(int topLevelMenuIndex, const juce::String& menuName) override;
    void menuItemSelected(int menuItemID, int topLevelMenuIndex) override;

    void showAudioSettings();
    void showAbout();

private:
    void changeListenerCallback(juce::ChangeBroadcaster*) override; // device changed
    void refreshDeviceStatus();

    AudioEngine& engine;
    Settings& settings;
    juce::MenuBarComponent menuBar;
    juce::Label title, deviceStatus, hint;
    bool deviceOk = false;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MainComponent)
};
} // namespace wb::app
