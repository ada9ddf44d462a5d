#include "App/MainComponent.h"

#include "App/HelpWindows.h"
#include "App/Theme.h"
#include "Core/Monitor/ProcessStats.h"
#include "Core/Util/BuildInfo.h"
#include "Engine/SessionFile.h"

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
    kStartOnLaunch,
    kTroubleshooting,
    kResponse,
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
    : engine(e), settings(s), menuBar(this), generator(e), chain(e), takes(e)
{
    setOpaque(true); // paint() fills everything: JUCE need not paint behind it
    columnContent.addAndMakeVisible(generator);
    columnContent.addAndMakeVisible(chain);
    addAndMakeVisible(takes);
    column.setComponentID(kColumnId);
    column.setViewedComponent(&columnContent, false);
    column.setScrollBarsShown(true, false);
    column.setScrollBarThickness(10);
    column.setSingleStepSizes(16, 16);
    addAndMakeVisible(column);
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
    useVirtual.setTooltip("Open the built-in Virtual loopback device (always available)");
    useVirtual.onClick = [this]
    {
        const auto error = engine.openVirtualDevice(VirtualLoopbackConfig{});
        if (error.isNotEmpty())
            deviceStatus.setText("No device - the Virtual loopback failed too: " + error, juce::dontSendNotification);
        checkDevice();
    };
    addChildComponent(useVirtual);
    title.setTooltip("Wavebench's version and build");
    deviceStatus.setTooltip("The audio device the engine runs on (Audio > Audio Settings... changes it)");
    hint.setTooltip("Keyboard: Space starts/stops the generator, Ctrl+Q quits. View shows or hides panels.");
    engine.deviceManager().addChangeListener(this);
    audioLive = engine.hasDevice() && engine.isCallbackAttached();
    if (audioLive)
        liveDeviceType = engine.deviceManager().getCurrentAudioDevice()->getTypeName();
    refreshDeviceStatus();
    setWantsKeyboardFocus(true);
    // The last session comes back on launch, stopped (a damaged one is kept as a backup beside
    // the settings, reported in the hint line and not restored); with "Start Audio on Launch" on,
    // it starts again when it was saved running.
    if (settings.startupProblem().isNotEmpty())
        showSessionProblem(settings.startupProblem());
    else if (settings.file().containsKey(kSessionKey))
    {
        juce::String error;
        auto last = settings.file().getXmlValue(kSessionKey);
        if (last == nullptr)
            error = "it is not readable XML";
        if (last == nullptr || !loadSession(*last, error, GeneratorPanel::RestoreRunning::stopped))
        {
            const auto backup = settings.keepBackup();
            showSessionProblem("The last session could not be restored (" + error + "); started with defaults"
                               + (backup != juce::File() ? ", the old file kept as " + backup.getFileName() : juce::String())
                               + ".");
        }
        else if (settings.file().getBoolValue(kStartOnLaunchKey, false) && generator.restoredWasRunning()
                 && !generator.isRunning())
            generator.toggleRunning();
    }
    channelView = static_cast<ChannelView>(juce::jlimit(1, 4, settings.file().getIntValue("view.channels", 1)));
    for (auto p : kPanels)
        setPanelShown(p, settings.file().getBoolValue(settingsKey(p), true));
    lastTick = monitor::wallSeconds();
    startTimerHz(kTimerHz);
}

MainComponent::~MainComponent()
{
    stopTimer();
    saveSessionToSettings();
    engine.deviceManager().removeChangeListener(this);
}

void MainComponent::saveSessionToSettings()
{
    if (auto session = saveSession())
    {
        settings.file().setValue(kSessionKey, session.get());
        if (engine.deviceSettings())
            settings.file().removeValue(kLegacyDeviceKey); // the session holds the device now
        settings.save();
    }
}

void MainComponent::showSessionProblem(const juce::String& text)
{
    juce::Logger::writeToLog("Wavebench: " + text);
    hint.setText(text, juce::dontSendNotification);
    hint.setColour(juce::Label::textColourId, kWarning);
    hint.setTooltip(text);
}

juce::String MainComponent::openSessionDevice(AudioEngine& engine, Settings& settings)
{
    // The session's <Device>; else (a session saved before schema 3) JUCE's own device state;
    // else the default. A damaged one is reported and the default opened.
    std::optional<DeviceState> device;
    juce::String problem;
    if (settings.startupProblem().isEmpty())
    {
        if (auto last = settings.file().getXmlValue(kSessionKey))
        {
            juce::String error;
            if (!session::readSessionDevice(*last, device, error))
                problem = "the saved device settings are damaged (" + error + ")";
        }
        if (!device && problem.isEmpty())
            if (auto legacy = settings.file().getXmlValue(kLegacyDeviceKey))
            {
                DeviceState migrated;
                juce::String error;
                if (session::deviceStateFromJuceXml(*legacy, migrated, error))
                    device = migrated;
                else
                    problem = "the saved device settings are damaged (" + error + ")";
            }
    }
    const auto error = device ? engine.openDevice(*device) : engine.openDevice(nullptr);
    juce::StringArray said;
    said.add(problem);
    said.add(engine.deviceFallbackNote());
    said.add(error.isNotEmpty() ? "no usable audio device (" + error + "); running silent" : juce::String());
    said.removeEmptyStrings();
    const auto text = said.joinIntoString("; ");
    if (text.isNotEmpty())
        juce::Logger::writeToLog("Wavebench: " + text);
    return text;
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
                scope->setChannelView(channelView);
                scope->onChannelViewChanged = [this](ChannelView v) { setChannelView(v); };
                scope->setSpanMs(settings.file().getIntValue("scope.spanMs", 20));
                scope->onSpanChanged = [this](int ms) { settings.file().setValue("scope.spanMs", ms); settings.save(); };
                added = scope.get();
            }
            else if (!shown)
                scope.reset();
            break;
        case Panel::spectrum:
            if (shown && spectrum == nullptr)
            {
                added = (spectrum = std::make_unique<SpectrumView>()).get();
                spectrum->setChannelView(channelView);
                spectrum->onChannelViewChanged = [this](ChannelView v) { setChannelView(v); };
            }
            else if (!shown)
                spectrum.reset();
            break;
        case Panel::meters:
            if (shown && meters == nullptr)
            {
                added = (meters = std::make_unique<LevelMeters>()).get();
                meters->onLoudnessReset = [this] { loudness.reset(); };
            }
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
        added->setComponentID(juce::String("panel.") + juce::String(panelName(p)).toLowerCase());
        added->setWantsKeyboardFocus(false);
        addAndMakeVisible(added);
    }
    settings.file().setValue(settingsKey(p), shown);
    resized();
    repaint();
}

void MainComponent::checkDevice()
{
    // A JACK server killed under the app: JUCE's JACK device closes itself or its callbacks just
    // stop (the watch notices within max(1 s, 8 periods)).
    const bool jack = liveDeviceType == "JACK";
    bool live = engine.hasDevice() && engine.isCallbackAttached() && !engine.hasDeviceError();
    if (live && jack && watch.lost())
        live = false;
    if (live == audioLive)
        return;
    audioLive = live;
    if (live)
    {
        liveDeviceType = engine.deviceManager().getCurrentAudioDevice()->getTypeName();
        watch.restart();
    }
    else
    {
        liveDeviceType.clear();
        onAudioLost();
        if (jack)
        {
            // The server is gone: go on with the Virtual loopback and say so (the session keeps
            // JACK as its device: the next launch tries it again).
            const auto error = engine.fallBackToVirtualDevice("the JACK server stopped");
            juce::Logger::writeToLog("Wavebench: " + engine.deviceFallbackNote()
                                     + (error.isNotEmpty() ? " (" + error + ")" : juce::String()));
            if (engine.hasDevice() && engine.isCallbackAttached())
            {
                audioLive = true;
                liveDeviceType = engine.deviceManager().getCurrentAudioDevice()->getTypeName();
                watch.restart();
            }
        }
    }
    refreshDeviceStatus();
}

void MainComponent::onAudioLost()
{
    // Nothing plays: say so everywhere. The visualisers are made anew (empty, not frozen on the
    // last signal), the generator shows stopped, and what is still queued is dropped.
    generator.showStoppedByDevice();
    if (engine.hasDevice())
        engine.closeDevice(); // it reported an error: no half-working device stays open
    takes.audioLost(); // a running take keeps what it has
    discardQueuedAudioData();
    for (auto p : kPanels)
        if (p != Panel::monitor && isPanelShown(p))
        {
            setPanelShown(p, false);
            setPanelShown(p, true);
        }
}

void MainComponent::discardQueuedAudioData()
{
    Telemetry t;
    while (engine.telemetryQueue().popOnUi(t))
    {
    }
    FrameChunk chunk;
    while (engine.frameQueue().popOnUi(chunk))
    {
    }
}

void MainComponent::timerCallback()
{
    checkDevice();
    takes.tick();
    if (!audioLive)
        discardQueuedAudioData(); // nothing from a lost device reaches the visualisers

    const double now = monitor::wallSeconds();
    const double dt = juce::jlimit(0.0, 0.5, now - lastTick);
    lastTick = now;
    double rate = 48000.0;
    auto* device = engine.deviceManager().getCurrentAudioDevice();
    if (device != nullptr)
        rate = device->getCurrentSampleRate();
    // The outputs' loudness measures every scope frame of the running device: a new measurement
    // when the device (its rate, its output count) changes, none while nothing plays.
    if (audioLive && device != nullptr)
    {
        const int outs = juce::jlimit(1, 2, device->getActiveOutputChannels().countNumberOfSetBits());
        if (!loudness.running() || loudness.sampleRate() != rate || loudness.numChannels() != outs)
            loudness.start(rate, outs);
    }
    else if (loudness.running())
        loudness.stop();

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
        else if (t.type == TelemetryType::generatorFinished)
            generator.handleGeneratorFinished(t.generator);
    }
    // Scope frames come in pairs (output 1 then output 2, same sequence); an output-1 frame
    // whose partner never came (a mono device, or a frame the full ring dropped) goes alone.
    FrameChunk chunk;
    while (engine.frameQueue().popOnUi(chunk))
    {
        if (chunk.kind != FrameKind::scope)
            continue;
        loudness.push(chunk);
        if (chunk.channel == 0)
        {
            if (havePendingOut1)
                routeFrames(pendingOut1, nullptr);
            pendingOut1 = chunk;
            havePendingOut1 = true;
        }
        else if (chunk.channel == 1 && havePendingOut1 && pendingOut1.sequence == chunk.sequence)
        {
            routeFrames(pendingOut1, &chunk);
            havePendingOut1 = false;
        }
    }
    if (scope != nullptr)
        scope->setCorrelation(correlation.value());
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
    {
        // The readouts change 8 times a second; the integrated figure walks every gating block.
        if (ticks % 4 == 0)
            meters->setLoudness(loudness.figures());
        meters->tick(dt);
    }
    if (++ticks % kMonitorEvery == 0)
    {
        if (monitorPanel != nullptr)
            monitorPanel->update(pendingXruns);
        pendingXruns = 0;
        engine.collectGarbage();
    }
}

void MainComponent::setChannelView(ChannelView v)
{
    channelView = v;
    if (scope != nullptr)
        scope->setChannelView(v);
    if (spectrum != nullptr)
        spectrum->setChannelView(v);
    settings.file().setValue("view.channels", static_cast<int>(v));
    settings.save();
}

void MainComponent::routeFrames(const FrameChunk& out1, const FrameChunk* out2)
{
    const auto n = out1.numSamples;
    const std::span<const float> a(out1.samples.data(), n);
    FrameChunk silent = out1; // output 2 of a device that has none: silence
    if (out2 == nullptr)
        std::fill(silent.samples.begin(), silent.samples.end(), 0.0f);
    const FrameChunk& b = out2 != nullptr ? *out2 : silent;
    correlation.push(a, std::span<const float>(b.samples.data(), std::min(n, b.numSamples)));
    const auto feed = [this](const FrameChunk& first, const FrameChunk* second) {
        if (scope != nullptr)
        {
            scope->push(first);
            if (second != nullptr)
                scope->pushSecond(*second);
        }
        if (spectrum != nullptr)
        {
            spectrum->push(first);
            if (second != nullptr)
                spectrum->pushSecond(*second);
        }
    };
    switch (channelView)
    {
        case ChannelView::channel1: feed(out1, nullptr); break;
        case ChannelView::channel2: feed(b, nullptr); break;
        case ChannelView::both: feed(out1, &b); break;
        case ChannelView::difference:
        {
            FrameChunk d = out1;
            for (std::uint32_t i = 0; i < n; ++i)
                d.samples[i] = out1.samples[i] - (i < b.numSamples ? b.samples[i] : 0.0f);
            feed(d, nullptr);
            break;
        }
    }
}

ChannelView MainComponent::channelViewShown() const noexcept
{
    return channelView;
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
    takes.setBounds(header.removeFromRight(juce::jmin(RecordPanel::kWidth, header.getWidth() / 2)));
    header.removeFromRight(8);
    title.setBounds(header.removeFromTop(30));
    {
        auto statusRow = header.removeFromTop(28);
        if (useVirtual.isVisible())
            useVirtual.setBounds(statusRow.removeFromRight(190).reduced(0, 2));
        deviceStatus.setBounds(statusRow);
    }
    hint.setBounds(header.removeFromTop(26));

    // Below the header: the generator above the effect chain in a left column; to their right the
    // visualisers (scope | spectrum) on top, the meters and the monitor below.
    area.removeFromTop(8);
    // The column is kColumnWidth wide plus a scroll bar's width when it must scroll.
    const int columnHeight = area.getHeight();
    const bool scrolls = kGeneratorHeight + 8 + kChainMinHeight > columnHeight;
    const int bar = scrolls ? column.getScrollBarThickness() + 2 : 0;
    column.setBounds(area.removeFromLeft(kColumnWidth + bar));
    const int chainHeight = std::max(kChainMinHeight, columnHeight - kGeneratorHeight - 8);
    columnContent.setSize(kColumnWidth, kGeneratorHeight + 8 + chainHeight);
    generator.setBounds(0, 0, kColumnWidth, kGeneratorHeight);
    chain.setBounds(0, kGeneratorHeight + 8, kColumnWidth, chainHeight);
    area.removeFromLeft(10 - bar / 2);
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
    // One writer (Engine/SessionFile.h): the generator's model, the chain's model and the device
    // the session chose (a fallback does not replace it).
    const auto& device = engine.deviceSettings();
    return session::writeSessionXml(engine.generatorModel().state(), engine.chain().chainStateFromUi(),
                                    device ? &*device : nullptr);
}

bool MainComponent::loadSession(const juce::XmlElement& xml, juce::String& error, GeneratorPanel::RestoreRunning how)
{
    // One reader: it migrates a version 1 session and checks the whole chain before anything
    // changes, generator and chain. Then the generator's model, then the chain.
    session::Session loaded;
    if (!session::readSessionXml(xml, loaded, error))
        return false;
    const GeneratorState backup = engine.generatorModel().state();
    if (!generator.restoreState(loaded.generator, error, how))
        return false;
    if (!chain.restoreState(loaded.chain, error))
    {
        juce::String ignored;
        generator.restoreState(backup, ignored);
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
                             repaint(); // the dialog has closed: nothing of it stays painted
                             if (fc.getResult() == juce::File())
                                 return;
                             const auto file = presetFileFor(fc.getResult());
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
                             repaint(); // the dialog has closed
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

juce::File MainComponent::presetFileFor(const juce::File& typed)
{
    // "live.xml" stays "live.xml"; "live" becomes "live.wbpreset". (JUCE's withFileExtension
    // would have replaced the typed ".xml".)
    return typed.getFileExtension().isEmpty() ? typed.withFileExtension("wbpreset") : typed;
}

bool MainComponent::savePresetFile(const juce::File& file) const
{
    // A preset is the sound (generator and chain), not the machine's device.
    return session::writeSessionXml(engine.generatorModel().state(), engine.chain().chainStateFromUi())->writeTo(file);
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
        menu.addSeparator();
        menu.addItem(kResponse, "Response Measurement...");
    }
    else if (index == 2)
    {
        menu.addItem(kAudioSettings, "Audio Settings...");
        menu.addItem(kStartOnLaunch, "Start Audio on Launch", true, settings.file().getBoolValue(kStartOnLaunchKey, false));
    }
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
        case kResponse: showResponseWindow(); break;
        case kSavePreset: savePresetAs(); break;
        case kLoadPreset: loadPresetFrom(); break;
        case kStartOnLaunch:
            settings.file().setValue(kStartOnLaunchKey, !settings.file().getBoolValue(kStartOnLaunchKey, false));
            settings.save();
            break;
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

void MainComponent::menuBarActivated(bool isActive)
{
    // A closed popup menu can leave its image on some X servers until something redraws: redraw
    // the whole window once the menu bar is no longer active.
    if (!isActive)
    {
        juce::Component::SafePointer<MainComponent> safe(this);
        juce::MessageManager::callAsync([safe] { if (safe != nullptr) safe->repaint(); });
    }
}

void MainComponent::showAudioSettings()
{
    // The dialog owns a holder that repaints the main window when the dialog is deleted (closed).
    // It also notes which device the user picks in the selector's Output/Input/Device boxes (its
    // listener runs before the selector tries to open it), so that when the open fails the header
    // can say why (see noteDeviceRequest).
    struct Holder final : juce::Component, juce::ComboBox::Listener, juce::Timer
    {
        juce::AudioDeviceSelectorComponent selector;
        juce::Component::SafePointer<MainComponent> owner;
        std::vector<juce::Component::SafePointer<juce::ComboBox>> watched;
        Holder(juce::AudioDeviceManager& m, MainComponent* o) : selector(m, 0, 2, 0, 2, false, false, true, false), owner(o)
        {
            addAndMakeVisible(selector);
            setSize(520, 420);
            watchDeviceBoxes();
            startTimerHz(4); // the selector rebuilds its boxes when the device type changes
        }
        ~Holder() override
        {
            for (auto& box : watched)
                if (box != nullptr)
                    box->removeListener(this);
            auto safe = owner;
            juce::MessageManager::callAsync([safe] { if (safe != nullptr) safe->repaint(); });
        }
        void resized() override { selector.setBounds(getLocalBounds()); }
        void timerCallback() override { watchDeviceBoxes(); }
        /// The text of the label JUCE attached to `box` ("Output:", "Input:", "Device:"), if any.
        juce::String labelOf(juce::Component& root, juce::ComboBox& box)
        {
            for (auto* child : root.getChildren())
            {
                if (auto* label = dynamic_cast<juce::Label*>(child); label != nullptr && label->getAttachedComponent() == &box)
                    return label->getText();
                if (auto text = labelOf(*child, box); text.isNotEmpty())
                    return text;
            }
            return {};
        }
        void watchDeviceBoxes() { watchIn(selector); }
        void watchIn(juce::Component& root)
        {
            for (auto* child : root.getChildren())
            {
                if (auto* box = dynamic_cast<juce::ComboBox*>(child))
                {
                    const bool known = std::any_of(watched.begin(), watched.end(), [box](auto& w) { return w.getComponent() == box; });
                    if (!known)
                    {
                        box->addListener(this);
                        watched.emplace_back(box);
                    }
                }
                watchIn(*child);
            }
        }
        void comboBoxChanged(juce::ComboBox* box) override
        {
            const auto label = labelOf(selector, *box);
            const bool output = label.startsWith("Output") || label.startsWith("Device");
            const bool input = label.startsWith("Input") || label.startsWith("Device");
            if (owner == nullptr || !(output || input))
                return;
            juce::AudioDeviceManager::AudioDeviceSetup wanted;
            owner->engine.deviceManager().getAudioDeviceSetup(wanted);
            const auto name = box->getSelectedId() < 0 ? juce::String() : box->getText();
            if (output)
                wanted.outputDeviceName = name;
            if (input)
                wanted.inputDeviceName = name;
            owner->noteDeviceRequest(wanted);
        }
    };
    juce::DialogWindow::LaunchOptions o;
    o.content.setOwned(new Holder(engine.deviceManager(), this));
    o.dialogTitle = "Audio Settings";
    o.dialogBackgroundColour = kPanel;
    o.escapeKeyTriggersCloseButton = true;
    o.useNativeTitleBar = true;
    o.resizable = false;
    o.launchAsync();
}

void MainComponent::noteDeviceRequest(const juce::AudioDeviceManager::AudioDeviceSetup& wanted)
{
    deviceRequest = wanted;
    haveDeviceRequest = true;
}

void MainComponent::showAbout()
{
    juce::Component::SafePointer<MainComponent> safe(this);
    juce::AlertWindow::showMessageBoxAsync(
        juce::MessageBoxIconType::InfoIcon, "About Wavebench", aboutText(), {}, nullptr,
        juce::ModalCallbackFunction::create([safe](int) { if (safe != nullptr) safe->repaint(); }));
}

void MainComponent::changeListenerCallback(juce::ChangeBroadcaster*)
{
    if (haveDeviceRequest && engine.deviceManager().getCurrentAudioDevice() == nullptr)
    {
        // The device chosen in Audio Settings did not open, and JUCE's selector keeps the reason
        // to its own alert: ask the device manager once more for that device, and keep its answer
        // (the retry's own change message finds no request and leaves the answer shown).
        haveDeviceRequest = false;
        const auto setup = deviceRequest;
        const auto why = engine.deviceManager().setAudioDeviceSetup(setup, false);
        const auto name = setup.outputDeviceName.isNotEmpty() ? setup.outputDeviceName : setup.inputDeviceName;
        deviceRequestError = why.isNotEmpty() ? "'" + name + "' did not open: " + why.replace("\n\n", " ").trim() : juce::String();
    }
    else if (engine.deviceManager().getCurrentAudioDevice() != nullptr)
    {
        haveDeviceRequest = false;
        deviceRequestError.clear();
    }
    checkDevice();
    refreshDeviceStatus();
    saveSessionToSettings(); // the device is part of the session
}

void MainComponent::refreshDeviceStatus()
{
    deviceOk = audioLive;
    useVirtual.setVisible(!deviceOk);
    resized();
    if (deviceOk)
    {
        // After a fallback the line says which device runs and why it is not the session's.
        const auto& note = engine.deviceFallbackNote();
        deviceStatus.setText("Audio device: " + engine.describeDevice() + (note.isNotEmpty() ? " - " + note : juce::String()),
                             juce::dontSendNotification);
        deviceStatus.setColour(juce::Label::textColourId, note.isNotEmpty() ? kWarning : juce::Colours::white);
        deviceStatus.setTooltip(note.isNotEmpty() ? note : "The audio device the engine runs on (Audio > Audio Settings... changes it)");
    }
    else
    {
        auto why = engine.hasDeviceError()           ? juce::String("the device reported an error")
                   : deviceRequestError.isNotEmpty() ? deviceRequestError
                                                     : engine.lastDeviceError();
        deviceStatus.setText("No device - audio stopped" + (why.isNotEmpty() ? " (" + why + ")" : juce::String()),
                             juce::dontSendNotification);
        deviceStatus.setColour(juce::Label::textColourId, kWarning);
    }
    repaint();
}
ResponseWindow& MainComponent::showResponseWindow()
{
    if (responseWindow == nullptr)
        responseWindow = std::make_unique<ResponseWindow>(engine);
    responseWindow->setVisible(true);
    responseWindow->toFront(true);
    return *responseWindow;
}
} // namespace wb::app
