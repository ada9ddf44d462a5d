#include "App/MainComponent.h"

#include "Core/Util/BuildInfo.h"

namespace wb::app
{
namespace
{
enum MenuIds
{
    kQuit = 1,
    kAudioSettings,
    kAbout,
};
const juce::Colour kBackground{0xff1e2227};
const juce::Colour kPanel{0xff2a2f36};
const juce::Colour kAccent{0xff5fb3f9};
const juce::Colour kWarning{0xffe8a33d};
} // namespace

MainComponent::MainComponent(AudioEngine& e, Settings& s) : engine(e), settings(s), menuBar(this)
{
    addAndMakeVisible(menuBar);
    title.setText(juce::String(versionString()), juce::dontSendNotification);
    title.setFont(juce::Font(22.0f, juce::Font::bold));
    title.setColour(juce::Label::textColourId, juce::Colours::white);
    addAndMakeVisible(title);
    deviceStatus.setFont(juce::Font(15.0f));
    addAndMakeVisible(deviceStatus);
    hint.setFont(juce::Font(14.0f));
    hint.setColour(juce::Label::textColourId, juce::Colours::lightgrey);
    hint.setText("Audio > Audio Settings... chooses the device, sample rate and buffer size.",
                 juce::dontSendNotification);
    addAndMakeVisible(hint);
    engine.deviceManager().addChangeListener(this);
    refreshDeviceStatus();
    setWantsKeyboardFocus(true);
}

MainComponent::~MainComponent()
{
    engine.deviceManager().removeChangeListener(this);
}

void MainComponent::paint(juce::Graphics& g)
{
    g.fillAll(kBackground);
    auto area = getLocalBounds().withTrimmedTop(menuBar.getHeight()).reduced(12);
    auto header = area.removeFromTop(96);
    g.setColour(kPanel);
    g.fillRoundedRectangle(header.toFloat(), 6.0f);
    g.setColour(deviceOk ? kAccent : kWarning);
    g.fillRoundedRectangle(header.removeFromLeft(6).toFloat(), 3.0f);
}

void MainComponent::resized()
{
    auto area = getLocalBounds();
    menuBar.setBounds(area.removeFromTop(juce::LookAndFeel::getDefaultLookAndFeel()
                                             .getDefaultMenuBarHeight()));
    area = area.reduced(12);
    auto header = area.removeFromTop(96).withTrimmedLeft(18).reduced(4);
    title.setBounds(header.removeFromTop(30));
    deviceStatus.setBounds(header.removeFromTop(28));
    hint.setBounds(header.removeFromTop(26));
}

bool MainComponent::keyPressed(const juce::KeyPress& key)
{
    if (key == juce::KeyPress('q', juce::ModifierKeys::commandModifier, 0))
    {
        juce::JUCEApplication::getInstance()->systemRequestedQuit();
        return true;
    }
    return false;
}

juce::StringArray MainComponent::getMenuBarNames()
{
    return {"File", "Audio", "Help"};
}

juce::PopupMenu MainComponent::getMenuForIndex(int index, const juce::String&)
{
    juce::PopupMenu menu;
    if (index == 0)
    {
        juce::PopupMenu::Item quit("Quit");
        quit.setID(kQuit).setEnabled(true);
        quit.shortcutKeyDescription = "Ctrl+Q";
        menu.addItem(quit);
    }
    else if (index == 1)
        menu.addItem(kAudioSettings, "Audio Settings...");
    else if (index == 2)
        menu.addItem(kAbout, "About Wavebench");
    return menu;
}

void MainComponent::menuItemSelected(int id, int)
{
    switch (id)
    {
        case kQuit: juce::JUCEApplication::getInstance()->systemRequestedQuit(); break;
        case kAudioSettings: showAudioSettings(); break;
        case kAbout: showAbout(); break;
        default: break;
    }
}

void MainComponent::showAudioSettings()
{
    auto selector = std::make_unique<juce::AudioDeviceSelectorComponent>(
        engine.deviceManager(), 0, 2, 0, 2, false, false, true, false);
    selector->setSize(520, 420);
    juce::DialogWindow::LaunchOptions o;
    o.content.setOwned(selector.release());
    o.dialogTitle = "Audio Settings";
    o.dialogBackgroundColour = kPanel;
    o.escapeKeyTriggersCloseButton = true;
    o.useNativeTitleBar = true;
    o.resizable = false;
    o.launchAsync();
}

void MainComponent::showAbout()
{
    juce::AlertWindow::showMessageBoxAsync(
        juce::MessageBoxIconType::InfoIcon, "About Wavebench",
        juce::String(versionString()) +
            "\n\nAn audio test-signal and effects workstation.\n"
            "Built with JUCE " + juce::SystemStats::getJUCEVersion().fromFirstOccurrenceOf(" ", false, false) +
            " and Faust.\nLicensed under the GNU General Public License v3.0.");
}

void MainComponent::changeListenerCallback(juce::ChangeBroadcaster*)
{
    refreshDeviceStatus();
    if (auto state = engine.deviceManager().createStateXml())
    {
        settings.file().setValue("audioDeviceState", state.get());
        settings.save();
    }
}

void MainComponent::refreshDeviceStatus()
{
    deviceOk = engine.hasDevice();
    if (deviceOk)
    {
        deviceStatus.setText("Audio device: " + engine.describeDevice(), juce::dontSendNotification);
        deviceStatus.setColour(juce::Label::textColourId, juce::Colours::white);
    }
    else
    {
        auto why = engine.lastDeviceError();
        deviceStatus.setText("No usable audio device - running silent" + (why.isNotEmpty() ? " (" + why + ")" : juce::String()),
                             juce::dontSendNotification);
        deviceStatus.setColour(juce::Label::textColourId, kWarning);
    }
    repaint();
}
} // namespace wb::app
