// A parameter changed through the UI reaches the audio: the real engine on the Virtual loopback
// device (its own real-time thread) and the real MainComponent; the test moves the controls the
// user would (the generator's level slider, the space bar, the Start button, the chain panel's
// catalogue box, Add button and the effect's slider) and reads the Meters panel, whose values
// are the audio thread's meter telemetry drained by the main component's timer.
#include "AppUi/AppFixture.h"

#include "Faust/FaustCatalogue.h"

using wb::test::App;
using wb::test::findById;
using wb::test::pump;
using wb::test::pumpUntil;

namespace
{
/// Sends a key press through the window's peer, as X would (it goes to the focused component).
void pressKey(App& app, const juce::KeyPress& key)
{
    auto* peer = app.main->getPeer();
    REQUIRE(peer != nullptr);
    app.main->grabKeyboardFocus();
    pump(20);
    peer->handleKeyPress(key);
}
} // namespace

TEST_CASE("app: the level slider, space bar and Start button drive the metered output", "[gui][app]")
{
    App app;
    auto& gen = app.main->generatorPanel();
    auto* level = findById<juce::Slider>(gen, wb::app::GeneratorPanel::kLevelId);
    auto* start = findById<juce::Button>(gen, wb::app::GeneratorPanel::kStartId);
    REQUIRE(level != nullptr);
    REQUIRE(start != nullptr);
    REQUIRE(app.main->levelMeters() != nullptr); // the Meters panel is shown by default
    // A fresh session: a 1 kHz sine at -20 dBFS peak, stopped. 1 kHz at 48 kHz puts a sample on
    // every crest, so the metered sample peak is the set level exactly.
    REQUIRE(level->getValue() == Approx(-20.0));
    REQUIRE_FALSE(gen.isRunning());
    REQUIRE(app.peakStaysBelow(-120.0));

    SECTION("space starts, the slider sets the level, space stops")
    {
        pressKey(app, juce::KeyPress(juce::KeyPress::spaceKey));
        REQUIRE(gen.isRunning());
        INFO("displayed peak " << app.displayedPeakDb() << " dB");
        REQUIRE(app.peakSettlesAt(-20.0));

        level->setValue(-6.0, juce::sendNotificationSync); // as a drag ending at -6 does
        INFO("displayed peak " << app.displayedPeakDb() << " dB");
        REQUIRE(app.peakSettlesAt(-6.0));
        REQUIRE(gen.saveState()->getDoubleAttribute("levelDb") == Approx(-6.0));

        // And once more, somewhere not on a slider tick.
        level->setValue(-33.5, juce::sendNotificationSync);
        REQUIRE(app.peakSettlesAt(-33.5));

        pressKey(app, juce::KeyPress(juce::KeyPress::spaceKey));
        REQUIRE_FALSE(gen.isRunning());
        REQUIRE(app.peakStaysBelow(-120.0));
        pressKey(app, juce::KeyPress(juce::KeyPress::spaceKey));
        REQUIRE(app.peakSettlesAt(-33.5));
    }

    SECTION("the Start button starts and stops")
    {
        start->triggerClick(); // posted: delivered by the message loop
        REQUIRE(pumpUntil([&] { return gen.isRunning(); }));
        REQUIRE(start->getButtonText() == "Stop");
        REQUIRE(app.peakSettlesAt(-20.0));
        start->triggerClick();
        REQUIRE(pumpUntil([&] { return !gen.isRunning(); }));
        REQUIRE(app.peakStaysBelow(-120.0));
    }
}

TEST_CASE("app: a gain effect added through the chain panel lowers the meter by its gain", "[gui][app]")
{
    App app;
    auto& gen = app.main->generatorPanel();
    auto& chain = app.main->chainPanel();
    gen.toggleRunning();
    findById<juce::Slider>(gen, wb::app::GeneratorPanel::kLevelId)->setValue(-6.0, juce::sendNotificationSync);
    REQUIRE(app.peakSettlesAt(-6.0));

    auto* box = findById<juce::ComboBox>(chain, wb::app::ChainPanel::kAddBoxId);
    auto* add = findById<juce::Button>(chain, wb::app::ChainPanel::kAddButtonId);
    REQUIRE(box != nullptr);
    REQUIRE(add != nullptr);
    int gainItem = -1;
    for (int i = 0; i < box->getNumItems(); ++i)
        if (box->getItemText(i) == "Gain") // the list shows names; the effect's id is "gain"
            gainItem = i;
    REQUIRE(gainItem >= 0);
    box->setSelectedItemIndex(gainItem, juce::sendNotificationSync);
    add->triggerClick();
    REQUIRE(pumpUntil([&] { return chain.numEffects() == 1; }));
    // At its default (0 dB) the effect fades in without changing the level.
    REQUIRE(app.peakSettlesAt(-6.0));

    // The new effect is selected: its editor shows the gain slider.
    const auto& slot = app.engine->chain().slotsFromUi().front();
    REQUIRE(slot.effectId == "gain");
    const int index = slot.node->findControl("gain");
    REQUIRE(index >= 0);
    const auto path = juce::String(slot.node->description().controls[size_t(index)].path);
    auto* gainSlider = findById<juce::Slider>(chain, wb::app::ChainPanel::kParamIdPrefix + path);
    REQUIRE(gainSlider != nullptr);
    gainSlider->setValue(-6.0, juce::sendNotificationSync);
    INFO("displayed peak " << app.displayedPeakDb() << " dB");
    REQUIRE(app.peakSettlesAt(-12.0));

    // Bypass through the row's toggle: the level comes back; on again: down by 6 dB again.
    auto* bypass = findById<juce::Button>(chain, wb::app::ChainPanel::kBypassIdPrefix + juce::String(slot.id));
    REQUIRE(bypass != nullptr);
    bypass->triggerClick();
    REQUIRE(pumpUntil([&] { return app.engine->chain().slotsFromUi().front().bypassed; }));
    REQUIRE(app.peakSettlesAt(-6.0));
    bypass->triggerClick();
    REQUIRE(app.peakSettlesAt(-12.0));
}
