#pragma once
// Shared by the in-process UI tests: the real engine on the Virtual loopback device and the real
// MainComponent in a window on the (Xvfb) desktop, each test with a settings folder of its own.
#include "App/MainComponent.h"
#include "App/Settings.h"
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"
#include "Support/MessageLoop.h"

#include <optional>

#include <catch2/catch.hpp>

#include <juce_gui_basics/juce_gui_basics.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>

namespace wb::test
{

/// A fresh folder for WAVEBENCH_SETTINGS_DIR, removed at the end of the test. Made by mkdtemp:
/// ctest runs app tests in parallel processes, and a check-then-create name (JUCE's
/// getNonexistentChildFile) once gave two of them the same folder, so one test read the other's
/// saved session.
struct ScopedSettingsDir
{
    juce::File dir;
    ScopedSettingsDir() : dir(makeUnique())
    {
        ::setenv("WAVEBENCH_SETTINGS_DIR", dir.getFullPathName().toRawUTF8(), 1);
    }
    static juce::File makeUnique()
    {
        auto pattern = (juce::File::getSpecialLocation(juce::File::tempDirectory).getFullPathName() +
                        "/wb-apptest-XXXXXX")
                           .toStdString();
        const char* made = ::mkdtemp(pattern.data());
        REQUIRE(made != nullptr);
        return juce::File(juce::String(made));
    }
    ~ScopedSettingsDir() { dir.deleteRecursively(); }
    [[nodiscard]] juce::File settingsFile() const { return dir.getChildFile("Wavebench.settings"); }
};

/// Depth-first search of `root`'s children for a component ID.
template <typename T = juce::Component>
T* findById(juce::Component& root, const juce::String& id)
{
    for (auto* child : root.getChildren())
    {
        if (child->getComponentID() == id)
            if (auto* typed = dynamic_cast<T*>(child))
                return typed;
        if (auto* found = findById<T>(*child, id))
            return found;
    }
    return nullptr;
}

/// Writes `area` of `c` as output/screenshots/`name` (PNG, under the test's working folder) for
/// the eye, replacing an earlier one; returns the file (the caller may check its size).
inline juce::File saveScreenshot(juce::Component& c, const juce::String& name, juce::Rectangle<int> area = {})
{
    const auto dir = juce::File::getCurrentWorkingDirectory().getChildFile("output/screenshots");
    REQUIRE(dir.createDirectory());
    const auto file = dir.getChildFile(name);
    file.deleteFile();
    juce::FileOutputStream out(file);
    REQUIRE(out.openedOk());
    juce::PNGImageFormat png;
    REQUIRE(png.writeImageToStream(c.createComponentSnapshot(area.isEmpty() ? c.getLocalBounds() : area, true, 1.0f), out));
    return file;
}

/// The app as Main.cpp builds it, minus the DocumentWindow: engine, settings, main component on
/// the desktop at the default 1440x900.
struct App
{
    ScopedSettingsDir settingsDir; // first: Settings reads the variable
    std::unique_ptr<AudioEngine> engine = AudioEngine::createWithGenerator();
    std::unique_ptr<app::Settings> settings = std::make_unique<app::Settings>();
    std::unique_ptr<app::MainComponent> main;

    explicit App(bool openDevice = true)
    {
        if (openDevice)
        {
            const auto error = engine->openDevice(nullptr);
            INFO("openDevice: " << error);
            REQUIRE(engine->hasDevice());
            if (!engine->isVirtualDevice())
                WARN("a real device was opened: " << engine->describeDevice());
        }
        createMain();
    }
    ~App()
    {
        main.reset(); // saves the session into the settings, as on quit
        engine->closeDevice();
    }

    void createMain()
    {
        main = std::make_unique<app::MainComponent>(*engine, *settings);
        main->setSize(1440, 900);
        // The style flags of the app's own window (a DocumentWindow with a native title bar).
        main->addToDesktop(juce::ComponentPeer::windowAppearsOnTaskbar | juce::ComponentPeer::windowHasTitleBar);
        main->setVisible(true);
    }

    /// The displayed peak of channel 0 in dBFS (-inf without data), read from the Meters panel.
    [[nodiscard]] double displayedPeakDb() const
    {
        auto* m = main->levelMeters();
        return m != nullptr && m->hasData() ? m->peakDb(0) : -std::numeric_limits<double>::infinity();
    }

    /// Waits until the displayed peak stays within `tol` dB of `db` for `holdMs` (several meter
    /// windows of ~33 ms each); returns false after `seconds`.
    bool peakSettlesAt(double db, double tol = 0.1, int holdMs = 250, double seconds = 10.0) const
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        auto inside = std::chrono::steady_clock::time_point{};
        bool wasInside = false;
        while (std::chrono::steady_clock::now() < until)
        {
            pump(10);
            const bool in = std::abs(displayedPeakDb() - db) <= tol;
            if (in && !wasInside)
                inside = std::chrono::steady_clock::now();
            wasInside = in;
            if (in && std::chrono::steady_clock::now() - inside >= std::chrono::milliseconds(holdMs))
                return true;
        }
        return false;
    }

    /// Waits until the displayed peak stays below `db` for `holdMs`.
    bool peakStaysBelow(double db, int holdMs = 250, double seconds = 10.0) const
    {
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        auto below = std::chrono::steady_clock::time_point{};
        bool wasBelow = false;
        while (std::chrono::steady_clock::now() < until)
        {
            pump(10);
            const bool in = displayedPeakDb() < db;
            if (in && !wasBelow)
                below = std::chrono::steady_clock::now();
            wasBelow = in;
            if (in && std::chrono::steady_clock::now() - below >= std::chrono::milliseconds(holdMs))
                return true;
        }
        return false;
    }

    /// A left click at `at` (in `c`'s coordinates, default its centre), through the window's peer
    /// as X would deliver it; then the message loop runs for 20 ms.
    void clickAt(juce::Component& c, std::optional<juce::Point<int>> at = std::nullopt) const
    {
        auto* peer = main->getPeer();
        REQUIRE(peer != nullptr);
        const auto pos = main->getLocalPoint(&c, at.value_or(c.getLocalBounds().getCentre())).toFloat();
        const auto t = juce::Time::currentTimeMillis();
        peer->handleMouseEvent(juce::MouseInputSource::InputSourceType::mouse, pos, juce::ModifierKeys::leftButtonModifier,
                               juce::MouseInputSource::defaultPressure, juce::MouseInputSource::defaultOrientation, t);
        peer->handleMouseEvent(juce::MouseInputSource::InputSourceType::mouse, pos, juce::ModifierKeys(),
                               juce::MouseInputSource::defaultPressure, juce::MouseInputSource::defaultOrientation, t + 50);
        pump(20);
    }
};
} // namespace wb::test
