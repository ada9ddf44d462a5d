#pragma once
// The main window's content: the menu bar (File / Audio / Help) and the panels.
#include "App/ChainPanel.h"
#include "App/GeneratorPanel.h"
#include "App/Settings.h"
#include "Engine/AudioEngine.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace wb::app
{
class MainComponent final : public juce::Component,
                            public juce::MenuBarModel,
                            private juce::ChangeListener,
                            private juce::Timer
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

    /// The whole session (generator, chain, every parameter) as XML, and back. load leaves the
    /// session untouched and returns false with the reason when the XML is not a valid session.
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveSession() const;
    bool loadSession(const juce::XmlElement& xml, juce::String& error);
    void savePresetAs();
    void loadPresetFrom();
    GeneratorPanel& generatorPanel() noexcept { return generator; }
    ChainPanel& chainPanel() noexcept { return chain; }

private:
    void changeListenerCallback(juce::ChangeBroadcaster*) override; // device changed
    void refreshDeviceStatus();
    void timerCallback() override; // drains telemetry at 30 Hz

    AudioEngine& engine;
    Settings& settings;
    juce::MenuBarComponent menuBar;
    juce::Label title, deviceStatus, hint;
    bool deviceOk = false;
    GeneratorPanel generator;
    ChainPanel chain;
    std::unique_ptr<juce::FileChooser> chooser;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MainComponent)
};
} // namespace wb::app
