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
    kSavePreset,
    kLoadPreset,
};
const juce::Colour kBackground{0xff1e2227};
const juce::Colour kPanel{0xff2a2f36};
const juce::Colour kAccent{0xff5fb3f9};
const juce::Colour kWarning{0xffe8a33d};
} // namespace

MainComponent::MainComponent(AudioEngine& e, Settings& s)
    : engine(e), settings(s), menuBar(this), generator(e), chain(e)
{
    addAndMakeVisible(generator);
    addAndMakeVisible(chain);
    addAndMakeVisible(menuBar);
    title.setText(juce::String(versionString()), juce::dontSendNotification);
    title.setFont(juce::Font(22.0f, juce::Font::bold));
    title.setColour(juce::Label::textColourId, juce::Colours::white);
    addAndMakeVisible(title);
    deviceStatus.setFont(juce::Font(15.0f));
    addAndMakeVisible(deviceStatus);
    hint.setFont(juce::Font(14.0f));
    hint.setColour(juce::Label::textColourId, juce::Colours::lightgrey);
    hint.setText("Space starts and stops the generator. Audio > Audio Settings... chooses the device.",
                 juce::dontSendNotification);
    addAndMakeVisible(hint);
    engine.deviceManager().addChangeListener(this);
    refreshDeviceStatus();
    setWantsKeyboardFocus(true);
    // The last session comes back on launch; a damaged one is reported and ignored.
    if (auto last = settings.file().getXmlValue("session"))
    {
        juce::String error;
        if (!loadSession(*last, error))
            juce::Logger::writeToLog("Wavebench: the last session could not be restored: " + error);
    }
    startTimerHz(30);
}

MainComponent::~MainComponent()
{
    stopTimer();
    if (auto session = saveSession())
    {
        settings.file().setValue("session", session.get());
        settings.save();
    }
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
    area.removeFromTop(10);
    generator.setBounds(area.removeFromLeft(320));
    area.removeFromLeft(10);
    chain.setBounds(area.removeFromLeft(std::min(420, area.getWidth())));
}

void MainComponent::timerCallback()
{
    Telemetry t;
    while (engine.telemetryQueue().popOnUi(t))
        chain.handleTelemetry(t);
    FrameChunk frame;
    while (engine.frameQueue().popOnUi(frame))
    {
    }
    engine.collectGarbage();
}

std::unique_ptr<juce::XmlElement> MainComponent::saveSession() const
{
    auto xml = std::make_unique<juce::XmlElement>("WavebenchSession");
    xml->setAttribute("version", 1);
    xml->addChildElement(generator.saveState().release());
    xml->addChildElement(chain.saveState().release());
    return xml;
}

bool MainComponent::loadSession(const juce::XmlElement& xml, juce::String& error)
{
    if (!xml.hasTagName("WavebenchSession"))
    {
        error = "not a Wavebench preset (expected <WavebenchSession>)";
        return false;
    }
    const auto* gen = xml.getChildByName("GeneratorPanel");
    const auto* fx = xml.getChildByName("ChainPanel");
    if (gen == nullptr || fx == nullptr)
    {
        error = "the preset lacks its generator or its effect chain";
        return false;
    }
    // Check the generator part first (it changes nothing when it fails), then the chain.
    auto backup = generator.saveState();
    if (!generator.restoreState(*gen))
    {
        error = "the generator settings in the preset are damaged";
        return false;
    }
    if (!chain.restoreState(*fx, error))
    {
        generator.restoreState(*backup);
        return false;
    }
    return true;
}

void MainComponent::savePresetAs()
{
    chooser = std::make_unique<juce::FileChooser>("Save preset", juce::File(), "*.wbpreset");
    chooser->launchAsync(juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::canSelectFiles,
                         [this](const juce::FileChooser& fc)
                         {
                             const auto file = fc.getResult().withFileExtension("wbpreset");
                             if (file == juce::File())
                                 return;
                             if (!saveSession()->writeTo(file))
                                 juce::AlertWindow::showMessageBoxAsync(juce::MessageBoxIconType::WarningIcon,
                                                                        "Preset not saved",
                                                                        "Could not write " + file.getFullPathName());
                         });
}

void MainComponent::loadPresetFrom()
{
    chooser = std::make_unique<juce::FileChooser>("Load preset", juce::File(), "*.wbpreset");
    chooser->launchAsync(juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
                         [this](const juce::FileChooser& fc)
                         {
                             const auto file = fc.getResult();
                             if (file == juce::File())
                                 return;
                             juce::String error = "the file is not readable XML";
                             auto xml = juce::parseXML(file);
                             if (xml == nullptr || !loadSession(*xml, error))
                                 juce::AlertWindow::showMessageBoxAsync(
                                     juce::MessageBoxIconType::WarningIcon, "Preset not loaded",
                                     file.getFileName() + ": " + error + ".\nThe current session is unchanged.");
                         });
}

bool MainComponent::keyPressed(const juce::KeyPress& key)
{
    if (key == juce::KeyPress::spaceKey)
    {
        generator.toggleRunning();
        return true;
    }
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
        menu.addItem(kSavePreset, "Save Preset...");
        menu.addItem(kLoadPreset, "Load Preset...");
        menu.addSeparator();
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
        case kSavePreset: savePresetAs(); break;
        case kLoadPreset: loadPresetFrom(); break;
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
