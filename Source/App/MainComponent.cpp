#include "App/MainComponent.h"

#include "App/HelpWindows.h"
#include "App/Theme.h"
#include "Core/Monitor/ProcessStats.h"
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
    kTroubleshooting,
    kViewScope = 100, // + Panel
};
using theme::kAccent;
using theme::kBackground;
using theme::kPanel;
using theme::kWarning;

constexpr int kTimerHz = 32;
constexpr int kMonitorEvery = 8; // ticks: the monitor samples at 4 Hz

const char* settingsKey(MainComponent::Panel p)
{
    switch (p)
    {
        case MainComponent::Panel::scope: return "view.scope";
        case MainComponent::Panel::spectrum: return "view.spectrum";
        case MainComponent::Panel::meters: return "view.meters";
        case MainComponent::Panel::monitor: return "view.monitor";
    }
    return "";
}
const char* panelName(MainComponent::Panel p)
{
    switch (p)
    {
        case MainComponent::Panel::scope: return "Scope";
        case MainComponent::Panel::spectrum: return "Spectrum";
        case MainComponent::Panel::meters: return "Meters";
        case MainComponent::Panel::monitor: return "Monitor";
    }
    return "";
}
constexpr MainComponent::Panel kPanels[] = {MainComponent::Panel::scope, MainComponent::Panel::spectrum,
                                            MainComponent::Panel::meters, MainComponent::Panel::monitor};
} // namespace

MainComponent::MainComponent(AudioEngine& e, Settings& s)
    : engine(e), settings(s), menuBar(this), generator(e), chain(e)
{
    setOpaque(true); // paint() fills everything: JUCE need not paint behind it
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
    for (auto p : kPanels)
        setPanelShown(p, settings.file().getBoolValue(settingsKey(p), true));
    lastTick = monitor::wallSeconds();
    startTimerHz(kTimerHz);
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

bool MainComponent::isPanelShown(Panel p) const
{
    switch (p)
    {
        case Panel::scope: return scope != nullptr;
        case Panel::spectrum: return spectrum != nullptr;
        case Panel::meters: return meters != nullptr;
        case Panel::monitor: return monitorPanel != nullptr;
    }
    return false;
}

void MainComponent::setPanelShown(Panel p, bool shown)
{
    // Created when first shown, freed when closed.
    juce::Component* added = nullptr;
    switch (p)
    {
        case Panel::scope:
            if (shown && scope == nullptr)
            {
                scope = std::make_unique<ScopeView>();
                scope->setSpanMs(settings.file().getIntValue("scope.spanMs", 20));
                scope->onSpanChanged = [this](int ms) { settings.file().setValue("scope.spanMs", ms); settings.save(); };
                added = scope.get();
            }
            else if (!shown)
                scope.reset();
            break;
        case Panel::spectrum:
            if (shown && spectrum == nullptr)
                added = (spectrum = std::make_unique<SpectrumView>()).get();
            else if (!shown)
                spectrum.reset();
            break;
        case Panel::meters:
            if (shown && meters == nullptr)
                added = (meters = std::make_unique<LevelMeters>()).get();
            else if (!shown)
                meters.reset();
            break;
        case Panel::monitor:
            if (shown && monitorPanel == nullptr)
                added = (monitorPanel = std::make_unique<MonitorPanel>(engine)).get();
            else if (!shown)
                monitorPanel.reset();
            break;
    }
    if (added != nullptr)
    {
        added->setWantsKeyboardFocus(false);
        addAndMakeVisible(added);
    }
    settings.file().setValue(settingsKey(p), shown);
    resized();
    repaint();
}

void MainComponent::timerCallback()
{
    const double now = monitor::wallSeconds();
    const double dt = juce::jlimit(0.0, 0.5, now - lastTick);
    lastTick = now;
    double rate = 48000.0;
    if (auto* device = engine.deviceManager().getCurrentAudioDevice())
        rate = device->getCurrentSampleRate();

    Telemetry t;
    while (engine.telemetryQueue().popOnUi(t))
    {
        chain.handleTelemetry(t);
        if (monitorPanel != nullptr)
            monitorPanel->handleTelemetry(t);
        if (t.type == TelemetryType::meterValues && t.meter.node == kEngineNode && meters != nullptr)
            meters->set(t.meter);
        else if (t.type == TelemetryType::xrunEvent)
            pendingXruns += t.xrun.count;
    }
    FrameChunk chunk;
    while (engine.frameQueue().popOnUi(chunk))
    {
        if (chunk.kind != FrameKind::scope || chunk.channel != 0)
            continue;
        if (scope != nullptr)
            scope->push(chunk);
        if (spectrum != nullptr)
            spectrum->push(chunk);
    }
    if (scope != nullptr)
    {
        scope->setSampleRate(rate);
        scope->tick();
    }
    if (spectrum != nullptr)
    {
        spectrum->setSampleRate(rate);
        spectrum->tick(dt);
    }
    if (meters != nullptr)
        meters->tick(dt);
    if (++ticks % kMonitorEvery == 0)
    {
        if (monitorPanel != nullptr)
            monitorPanel->update(pendingXruns);
        pendingXruns = 0;
        engine.collectGarbage();
    }
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

    // Below the header: the generator above the effect chain in a left column; to their right the
    // visualisers (scope | spectrum) on top, the meters and the monitor below.
    area.removeFromTop(8);
    auto column = area.removeFromLeft(330);
    generator.setBounds(column.removeFromTop(380));
    column.removeFromTop(8);
    chain.setBounds(column);
    area.removeFromLeft(10);
    constexpr int gap = 8;
    const bool top = scope != nullptr || spectrum != nullptr;
    const bool bottom = meters != nullptr || monitorPanel != nullptr;
    auto topRow = area, bottomRow = area;
    if (top && bottom)
    {
        const int bottomHeight = juce::jlimit(160, 290, area.getHeight() / 2);
        bottomRow = area.removeFromBottom(bottomHeight);
        area.removeFromBottom(gap);
        topRow = area;
    }
    if (scope != nullptr && spectrum != nullptr)
    {
        scope->setBounds(topRow.removeFromLeft((topRow.getWidth() - gap) * 2 / 5));
        topRow.removeFromLeft(gap);
        spectrum->setBounds(topRow);
    }
    else if (scope != nullptr)
        scope->setBounds(topRow);
    else if (spectrum != nullptr)
        spectrum->setBounds(topRow);
    if (meters != nullptr)
    {
        meters->setBounds(bottomRow.removeFromLeft(juce::jmin(190, bottomRow.getWidth())));
        bottomRow.removeFromLeft(gap);
    }
    if (monitorPanel != nullptr)
        monitorPanel->setBounds(bottomRow);
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
    if (!generator.restoreState(*gen, error))
        return false;
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
                             if (!savePresetFile(file))
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
                             juce::String error;
                             if (!loadPresetFile(file, error))
                                 juce::AlertWindow::showMessageBoxAsync(
                                     juce::MessageBoxIconType::WarningIcon, "Preset not loaded",
                                     file.getFileName() + ": " + error + ".\nThe current session is unchanged.");
                         });
}

bool MainComponent::savePresetFile(const juce::File& file) const
{
    return saveSession()->writeTo(file);
}

bool MainComponent::loadPresetFile(const juce::File& file, juce::String& error)
{
    if (!file.existsAsFile())
    {
        error = "the file does not exist";
        return false;
    }
    auto xml = juce::parseXML(file);
    if (xml == nullptr)
    {
        error = "the file is not readable XML";
        return false;
    }
    return loadSession(*xml, error);
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
    return {"File", "View", "Audio", "Help"};
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
    {
        for (auto p : kPanels)
            menu.addItem(kViewScope + static_cast<int>(p), panelName(p), true, isPanelShown(p));
    }
    else if (index == 2)
        menu.addItem(kAudioSettings, "Audio Settings...");
    else if (index == 3)
    {
        menu.addItem(kTroubleshooting, "Troubleshooting...");
        menu.addItem(kAbout, "About Wavebench");
    }
    return menu;
}

void MainComponent::menuItemSelected(int id, int)
{
    switch (id)
    {
        case kQuit: juce::JUCEApplication::getInstance()->systemRequestedQuit(); break;
        case kAudioSettings: showAudioSettings(); break;
        case kAbout: showAbout(); break;
        case kTroubleshooting: showTroubleshooting(); break;
        case kSavePreset: savePresetAs(); break;
        case kLoadPreset: loadPresetFrom(); break;
        default:
            if (id >= kViewScope && id <= kViewScope + static_cast<int>(Panel::monitor))
            {
                const auto p = static_cast<Panel>(id - kViewScope);
                setPanelShown(p, !isPanelShown(p));
                settings.save();
            }
            break;
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
    juce::AlertWindow::showMessageBoxAsync(juce::MessageBoxIconType::InfoIcon, "About Wavebench", aboutText());
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
