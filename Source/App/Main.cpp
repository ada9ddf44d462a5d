// The Wavebench desktop application: one main window, its size and the audio device state kept
// between launches (see App/Settings.h).
#include "App/MainComponent.h"
#include "App/Settings.h"
#include "Engine/AudioEngine.h"
#include "Engine/JackQuiet.h"

#include <juce_gui_extra/juce_gui_extra.h>

namespace wb::app
{
class MainWindow final : public juce::DocumentWindow
{
public:
    MainWindow(AudioEngine& engine, Settings& s)
        : DocumentWindow("Wavebench", juce::Colour(0xff1e2227), DocumentWindow::allButtons), settings(s)
    {
        setUsingNativeTitleBar(true);
        setContentOwned(new MainComponent(engine, settings), false);
        setResizable(true, true);
        setResizeLimits(640, 420, 8192, 8192);
        const auto saved = settings.file().getValue("windowState");
        if (saved.isEmpty() || !restoreWindowStateFromString(saved))
            centreWithSize(1440, 900);
        setVisible(true);
        if (auto* content = getContentComponent())
            content->grabKeyboardFocus();
    }

    void closeButtonPressed() override { juce::JUCEApplication::getInstance()->systemRequestedQuit(); }

    void saveState()
    {
        settings.file().setValue("windowState", getWindowStateAsString());
        settings.save();
    }

private:
    Settings& settings;
};

class WavebenchApplication final : public juce::JUCEApplication
{
public:
    const juce::String getApplicationName() override { return "Wavebench"; }
    const juce::String getApplicationVersion() override { return JUCE_APPLICATION_VERSION_STRING; }
    bool moreThanOneInstanceAllowed() override { return true; }

    void initialise(const juce::String&) override
    {
        silenceJackLibraryMessages();
        settings = std::make_unique<Settings>();
        engine = AudioEngine::createWithGenerator();
        auto saved = settings->file().getXmlValue("audioDeviceState");
        const auto error = engine->openDevice(saved.get());
        if (error.isNotEmpty())
            juce::Logger::writeToLog("Wavebench: no usable audio device (" + error + "); running silent.");
        window = std::make_unique<MainWindow>(*engine, *settings);
    }

    void shutdown() override
    {
        if (window != nullptr)
            window->saveState();
        window.reset();
        engine.reset();
        settings.reset();
    }

    void systemRequestedQuit() override { quit(); }

private:
    std::unique_ptr<Settings> settings;
    std::unique_ptr<AudioEngine> engine;
    std::unique_ptr<MainWindow> window;
};
} // namespace wb::app

START_JUCE_APPLICATION(wb::app::WavebenchApplication)
