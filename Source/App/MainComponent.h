#pragma once
// The main window's content: the menu bar (File / View / Audio / Help), the header and the
// panels. One timer (message thread, ~32 Hz) drains the engine's telemetry and scope frames and
// feeds the visualisers; each panel exists only while it is shown (View menu, saved in settings).
#include "App/MonitorPanel.h"
#include "App/ChainPanel.h"
#include "App/GeneratorPanel.h"
#include "App/RecordPanel.h"
#include "App/ResponsePanel.h"
#include "App/Settings.h"
#include "App/Visualisers.h"
#include "Core/Analysis/Correlation.h"
#include "Engine/AudioEngine.h"
#include "Engine/DeviceWatch.h"

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
    void menuBarActivated(bool isActive) override; // repaints once a menu has closed

    static constexpr const char* kColumnId = "main.column"; ///< the left column's viewport
    static constexpr int kColumnWidth = 330;
    static constexpr int kGeneratorHeight = 380;
    static constexpr int kChainMinHeight = 300; ///< the chain panel never gets less (the column scrolls)

    /// The file Save Preset writes for what the user typed: the name as typed when it has an
    /// extension, else with ".wbpreset" added.
    [[nodiscard]] static juce::File presetFileFor(const juce::File& typed);

    void showAudioSettings();
    /// Message thread: the device setup the user just picked in Audio Settings (before JUCE tries
    /// to open it). When it does not open, the header's "No device" line gives the device
    /// manager's reason for that device.
    void noteDeviceRequest(const juce::AudioDeviceManager::AudioDeviceSetup& wanted);
    void showAbout();
    /// View > Response Measurement...: the Response window, made when first opened, shown and
    /// brought to the front (closing it hides it; its runs stay until the app quits).
    ResponseWindow& showResponseWindow();
    /// The Response window once opened, else nullptr.
    [[nodiscard]] ResponseWindow* responseWindowIfOpen() noexcept { return responseWindow.get(); }

    enum class Panel { scope, spectrum, meters, monitor };
    void setPanelShown(Panel, bool shown);
    [[nodiscard]] bool isPanelShown(Panel) const;
    /// The whole session (generator, chain, every parameter) as XML, and back. load leaves the
    /// session untouched and returns false with the reason when the XML is not a valid session.
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveSession() const;
    bool loadSession(const juce::XmlElement& xml, juce::String& error,
                     GeneratorPanel::RestoreRunning how = GeneratorPanel::RestoreRunning::asSaved);
    /// Settings key of the Audio menu's "Start Audio on Launch" (off by default: the last session
    /// comes back stopped; on: it starts when it was saved running).
    static constexpr const char* kStartOnLaunchKey = "audio.startOnLaunch";
    /// Settings key of the session (Engine/SessionFile: generator, chain, device).
    static constexpr const char* kSessionKey = "session";
    /// Settings key of JUCE's device state, kept apart before schema 3: read once (migrated into
    /// the session's <Device>) and dropped when the session is next saved.
    static constexpr const char* kLegacyDeviceKey = "audioDeviceState";
    /// At launch, before the window: opens the device of the session kept in `settings` (or of
    /// the older JUCE device state), falling back to the default or the Virtual loopback. Returns
    /// what the user should read when that did not go as saved ("" when it did); the header's
    /// device line says it too (AudioEngine::deviceFallbackNote).
    static juce::String openSessionDevice(AudioEngine& engine, Settings& settings);
    /// True while a device is open and the engine's callback runs on it (checked every tick).
    [[nodiscard]] bool isAudioLive() const noexcept { return audioLive; }
    /// The header's device line ("Audio device: ..." or "No device - ..."; after a fallback, the
    /// device that runs and why it is not the session's).
    [[nodiscard]] juce::String deviceStatusText() const { return deviceStatus.getText(); }
    /// The header's hint line: the keyboard hint, or why the last session was not restored.
    [[nodiscard]] juce::String hintText() const { return hint.getText(); }
    /// The header's "Use Virtual loopback" button (shown while no device runs).
    juce::TextButton& virtualFallbackButton() noexcept { return useVirtual; }
    /// Message thread: what the timer does when it finds the device gone (also for tests).
    void checkDevice();
    void savePresetAs();
    void loadPresetFrom();
    /// The preset file behind Save/Load Preset... (the choosers call these). save returns false
    /// when the file could not be written; load returns false with the reason (missing file, not
    /// XML, not a valid session) and leaves the session untouched.
    bool savePresetFile(const juce::File& file) const;
    bool loadPresetFile(const juce::File& file, juce::String& error);
    GeneratorPanel& generatorPanel() noexcept { return generator; }
    ChainPanel& chainPanel() noexcept { return chain; }
    RecordPanel& recordPanel() noexcept { return takes; }
    [[nodiscard]] ChannelView channelViewShown() const noexcept;
    ScopeView* scopeView() noexcept { return scope.get(); }
    SpectrumView* spectrumView() noexcept { return spectrum.get(); }
    /// The level meters when the Meters panel is shown, else nullptr.
    LevelMeters* levelMeters() noexcept { return meters.get(); }

private:
    void timerCallback() override; // drains telemetry and frames, ticks the panels
    void changeListenerCallback(juce::ChangeBroadcaster*) override; // device changed
    juce::AudioDeviceManager::AudioDeviceSetup deviceRequest; ///< see noteDeviceRequest
    bool haveDeviceRequest = false;
    juce::String deviceRequestError; ///< why the device picked in Audio Settings did not open
    void refreshDeviceStatus();
    void onAudioLost();
    void discardQueuedAudioData();
    /// A scope frame of output 1 with its output-2 partner (nullptr: none, e.g. a mono device):
    /// feeds the correlation and hands the views what the channel choice asks for.
    void routeFrames(const FrameChunk& out1, const FrameChunk* out2);
    void setChannelView(ChannelView v);

    AudioEngine& engine;
    Settings& settings;
    juce::MenuBarComponent menuBar;
    juce::Label title, deviceStatus, hint;
    bool deviceOk = false;
    bool audioLive = false;
    juce::String liveDeviceType; ///< the type of the device while audio is live ("JACK", ...)
    DeviceWatch watch{engine};   ///< notices a JACK device whose callbacks stopped
    /// Shows `text` in the hint line as a warning and logs it (a session not restored).
    void showSessionProblem(const juce::String& text);
    /// Writes the session into the settings (the one place of the device settings too).
    void saveSessionToSettings();
    juce::TextButton useVirtual{"Use Virtual loopback"};
    GeneratorPanel generator;
    ChainPanel chain;
    RecordPanel takes; ///< the Record panel, at the header's right end
    /// The left column (generator above the chain) scrolls when the window is too short for both
    /// at their useful heights (e.g. 1024x700).
    juce::Viewport column;
    juce::Component columnContent;
    juce::TooltipWindow tooltips{this, 600};
    std::unique_ptr<juce::FileChooser> chooser;

    std::unique_ptr<ScopeView> scope;
    std::unique_ptr<SpectrumView> spectrum;
    std::unique_ptr<LevelMeters> meters;
    LiveLoudness loudness; ///< the outputs' EBU R128 loudness, fed every scope frame (the meters show it)
    std::unique_ptr<MonitorPanel> monitorPanel;
    std::unique_ptr<ResponseWindow> responseWindow;
    std::uint64_t pendingXruns = 0;
    ChannelView channelView = ChannelView::channel1;
    FrameChunk pendingOut1{}; ///< output 1's newest frame, waiting for output 2's of the same sequence
    bool havePendingOut1 = false;
    analysis::CorrelationMeter correlation{16384}; // ~0.34 s at 48 kHz
    int ticks = 0;
    double lastTick = 0.0;

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(MainComponent)
};
} // namespace wb::app
