// An effect control's slider takes its range, scale, step and text from the control's ParamSpec
// (Core/Session/ParamSpec). A [scale:log] control moves geometrically: each equal stretch of the
// track is the same number of octaves. (Before ParamSpec the slider used JUCE's power-law skew
// with its middle at sqrt(min * max): right at the middle only. Run against it, this test read
// 19.6 Hz a quarter of the way along the lowpass cutoff's track instead of 10 * 2000^0.25 =
// 66.9 Hz, and 10.06 Hz at a tenth: the first quarter spanned one octave of the eleven.)
#include "AppUi/AppFixture.h"

#include "App/ChainPanel.h"
#include "App/ValueEntry.h"

#include <cmath>

using wb::app::ChainPanel;
using wb::app::ValueEntrySlider;
using wb::test::findById;

namespace
{
ValueEntrySlider& sliderOf(ChainPanel& panel, wb::AudioEngine& engine, wb::NodeId fx, const char* label)
{
    const int slot = engine.chain().indexOfFromUi(fx);
    REQUIRE(slot >= 0);
    const auto& node = *engine.chain().slotsFromUi()[size_t(slot)].node;
    const int index = node.findControl(label);
    REQUIRE(index >= 0);
    auto* s = findById<ValueEntrySlider>(panel, ChainPanel::kParamIdPrefix + juce::String(node.specs()[size_t(index)].path));
    REQUIRE(s != nullptr);
    return *s;
}
} // namespace

TEST_CASE("app: a log control's slider is geometric, a linear one linear, both from the ParamSpec", "[gui][app][chain]")
{
    auto engine = wb::AudioEngine::createWithGenerator();
    ChainPanel panel(*engine);
    panel.setSize(330, 900);

    const auto lp = panel.addEffect("lowpass");
    auto& cutoff = sliderOf(panel, *engine, lp, "cutoff"); // 10 .. 20000 Hz, [scale:log], step 0.1
    CHECK(cutoff.getMinimum() == 10.0);
    CHECK(cutoff.getMaximum() == 20000.0);
    CHECK(cutoff.getInterval() == Approx(0.1).epsilon(1e-6));
    for (const double p : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0})
    {
        const double analytic = 10.0 * std::pow(2000.0, p); // min * (max / min)^p
        INFO("proportion " << p);
        CHECK(cutoff.proportionOfLengthToValue(p) == Approx(analytic).epsilon(1e-9));
        CHECK(cutoff.valueToProportionOfLength(analytic) == Approx(p).margin(1e-9));
    }
    CHECK(cutoff.getTextFromValue(1500.0) == "1.5 kHz");

    panel.clearForTest();
    const auto gain = panel.addEffect("gain");
    auto& g = sliderOf(panel, *engine, gain, "gain");
    const double lo = g.getMinimum(), hi = g.getMaximum();
    REQUIRE(hi > lo);
    for (const double p : {0.0, 0.25, 0.5, 1.0})
    {
        INFO("proportion " << p);
        CHECK(g.proportionOfLengthToValue(p) == Approx(lo + p * (hi - lo)).margin(1e-9));
        CHECK(g.valueToProportionOfLength(lo + p * (hi - lo)) == Approx(p).margin(1e-9));
    }
    CHECK(g.getTextFromValue(-6.0) == "-6 dB");

    panel.clearForTest();
    const auto dl = panel.addEffect("delay");
    auto& time = sliderOf(panel, *engine, dl, "time"); // a plain-number unit: shown after the number
    CHECK(time.getTextFromValue(125.0) == "125 ms");
    CHECK(time.enterText("250 ms"));
    CHECK(time.getValue() == Approx(250.0));
    CHECK_FALSE(time.enterText("5 s"));
    CHECK(time.getValue() == Approx(250.0));
}

TEST_CASE("app: the arrow keys move a log slider by a ratio (1/24 octave), the same at both ends", "[gui][app][chain]")
{
    // Before, a log slider stepped linearly: the lowpass cutoff by its 0.1 Hz step (invisible at
    // 16 kHz), the generator's frequency by 1 % of 20..20000 Hz (20 Hz -> 219.8 Hz in one press).
    const double ratio = std::exp2(1.0 / 24.0), fine = std::exp2(1.0 / 96.0);
    const juce::KeyPress right(juce::KeyPress::rightKey), up(juce::KeyPress::upKey);
    const juce::KeyPress left(juce::KeyPress::leftKey), down(juce::KeyPress::downKey);
    const juce::KeyPress shiftRight(juce::KeyPress::rightKey, juce::ModifierKeys::shiftModifier, 0);

    auto engine = wb::AudioEngine::createWithGenerator();
    ChainPanel panel(*engine);
    panel.setSize(330, 900);
    const auto lp = panel.addEffect("lowpass");
    auto& cutoff = sliderOf(panel, *engine, lp, "cutoff"); // 10 .. 20000 Hz, log, step 0.1
    const int slot = engine->chain().indexOfFromUi(lp);
    const int index = engine->chain().slotsFromUi()[size_t(slot)].node->findControl("cutoff");
    for (const double start : {20.0, 16000.0})
    {
        INFO("cutoff from " << start);
        cutoff.setValue(start, juce::sendNotificationSync);
        REQUIRE(cutoff.keyPressed(right));
        CHECK(cutoff.getValue() == Approx(start * ratio).margin(0.05)); // the 0.1 Hz step rounds it
        // The model took it (the slider writes through the chain's model).
        CHECK(engine->chain().chainStateFromUi().effects[0].values[size_t(index)].value == Approx(cutoff.getValue()));
        REQUIRE(cutoff.keyPressed(left));
        CHECK(cutoff.getValue() == Approx(start).margin(0.1));
        cutoff.setValue(start, juce::sendNotificationSync);
        REQUIRE(cutoff.keyPressed(down));
        CHECK(cutoff.getValue() == Approx(start / ratio).margin(0.05));
        cutoff.setValue(start, juce::sendNotificationSync);
        REQUIRE(cutoff.keyPressed(shiftRight));
        CHECK(cutoff.getValue() == Approx(start * fine).margin(0.05));
    }
    cutoff.setValue(20000.0, juce::sendNotificationSync);
    REQUIRE(cutoff.keyPressed(up));
    CHECK(cutoff.getValue() == 20000.0); // clamped at the top

    // The generator's frequency: continuous, 20 .. 20000 Hz, log.
    wb::app::GeneratorPanel gen(*engine);
    auto* freq = findById<ValueEntrySlider>(gen, wb::app::GeneratorPanel::kFrequencyId);
    REQUIRE(freq != nullptr);
    for (const double start : {20.0, 1000.0, 19000.0})
    {
        INFO("frequency from " << start);
        freq->setValue(start, juce::sendNotificationSync);
        REQUIRE(freq->keyPressed(up));
        CHECK(freq->getValue() == Approx(start * ratio).epsilon(1e-9));
        CHECK(engine->generatorModel().state().toneHz == Approx(start * ratio).epsilon(1e-9));
    }
    // A linear slider keeps its linear step: the level moves by 1 % of -80..0 dB.
    auto* level = findById<ValueEntrySlider>(gen, wb::app::GeneratorPanel::kLevelId);
    REQUIRE(level != nullptr);
    level->setValue(-40.0, juce::sendNotificationSync);
    REQUIRE(level->keyPressed(right));
    CHECK(level->getValue() == Approx(-39.2));
}
