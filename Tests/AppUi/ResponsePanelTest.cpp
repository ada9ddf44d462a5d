// The Response window (issue 13), driven as a user drives it: View > Response Measurement...,
// the source chosen, Measure pressed, the result read off the panel, its plot and its exports.
// Every figure is checked against an independent answer: the digital Butterworth's analytic
// magnitude for the chain's low-pass, the Virtual loopback's timing model (round trip = one
// period, no cable delay, unity gain) for the device.
#include "AppFixture.h"
#include "Engine/ResponsePlot.h"
#include "Support/MessageLoop.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <numbers>

using namespace wb::test;
using wb::app::ResponsePanel;

namespace
{
double butterworthLowpassDb(double f, double fc, double fs)
{
    const double r8 = std::pow(std::tan(std::numbers::pi * f / fs) / std::tan(std::numbers::pi * fc / fs), 8.0);
    return 10.0 * std::log10(1.0 / (1.0 + r8));
}

/// The chain becomes one low-pass at `cutoff` (through the chain panel and the engine's model, as
/// the chain panel's boxes set it).
void chainOfLowpass(App& app, double cutoff)
{
    juce::String error;
    wb::session::ChainState state;
    state.effects.push_back({"lowpass", "lowpass", false, {}});
    if (app.engine->chain().slotsFromUi().empty() || app.engine->chain().slotsFromUi()[0].effectId != "lowpass")
        REQUIRE(app.main->chainPanel().restoreState(state, error));
    auto& chain = app.engine->chain();
    REQUIRE(chain.slotsFromUi().size() == 1);
    const auto& slot = chain.slotsFromUi()[0];
    const int control = slot.node->findControl("cutoff");
    REQUIRE(control >= 0);
    REQUIRE(chain.setParameterFromUi(slot.id, control, static_cast<float>(cutoff)));
}

/// Presses Measure and waits for the run to end.
void measure(ResponsePanel& panel)
{
    auto* button = findById<juce::Button>(panel, ResponsePanel::kMeasureButtonId);
    REQUIRE(button != nullptr);
    const int before = panel.runsEnded();
    button->triggerClick(); // delivered on the message loop
    REQUIRE(pumpUntil([&] { return panel.runsEnded() > before; }, 60.0));
    CHECK_FALSE(panel.isMeasuring());
}

/// The response point nearest `hz`.
const wb::analysis::ResponsePoint& at(const wb::analysis::SweptSineResult& r, double hz)
{
    const auto* best = &r.response.front();
    for (const auto& p : r.response)
        if (std::abs(std::log(p.hz / hz)) < std::abs(std::log(best->hz / hz)))
            best = &p;
    return *best;
}

/// True when a pixel of `colour` lies within 3 px (vertically) of (hz, db) on the plot as shown.
bool curveNear(const juce::Image& image, const wb::PlotGeometry& g, double hz, double db, unsigned colour)
{
    const auto x = static_cast<int>(std::lround(g.xOf(hz)));
    const auto y = static_cast<int>(std::lround(g.yOfMagnitude(db)));
    for (int dy = -3; dy <= 3; ++dy)
        if (image.getPixelAt(x, y + dy).getARGB() == colour)
            return true;
    return false;
}
} // namespace

TEST_CASE("app: Response measures the chain offline: a low-pass within 0.1 dB of the analytic Butterworth, the "
          "previous run stays as an overlay, PNG and JSON export",
          "[gui][app][analysis]")
{
    App app;
    REQUIRE(app.main->responseWindowIfOpen() == nullptr); // made when first opened
    auto& window = app.main->showResponseWindow();
    CHECK(window.isVisible());
    auto& panel = window.panel();
    CHECK(panel.source() == ResponsePanel::Source::offlineChain);
    CHECK_FALSE(panel.result().has_value());

    chainOfLowpass(app, 1000.0);
    measure(panel);
    INFO(panel.statusText());
    REQUIRE(panel.result().has_value());
    CHECK(panel.statusText().startsWith("Measured the chain lowpass: delay "));
    const auto& first = *panel.result();
    int checked = 0;
    for (const auto& p : first.response)
    {
        const double want = butterworthLowpassDb(p.hz, 1000.0, 48000.0);
        if (want < -60.0)
            continue;
        INFO(p.hz << " Hz: " << p.db << " dB, analytic " << want);
        CHECK(std::abs(p.db - want) < 0.1);
        ++checked;
    }
    CHECK(checked > 150);
    const auto k1 = at(first, 1000.0); // a copy; the grid's nearest point (24 per octave from 20 Hz)
    CHECK(k1.db == Approx(butterworthLowpassDb(k1.hz, 1000.0, 48000.0)).margin(0.1));

    // The plot as shown: the magnitude passes through (1 kHz, -3.01 dB), the analytic point.
    auto* plot = findById(panel, ResponsePanel::kPlotId);
    REQUIRE(plot != nullptr);
    auto geometry = wb::plotGeometryFor(first, 20.0, 20000.0, plot->getWidth(), plot->getHeight());
    auto image = plot->createComponentSnapshot(plot->getLocalBounds(), true, 1.0f);
    CHECK(curveNear(image, geometry, 1000.0, -3.0103, wb::PlotGeometry::kMagnitudeColour));
    CHECK(curveNear(image, geometry, 100.0, 0.0, wb::PlotGeometry::kMagnitudeColour));
    CHECK_FALSE(curveNear(image, geometry, 1000.0, -20.0, wb::PlotGeometry::kMagnitudeColour));

    // A second run at 4 kHz: the first stays beneath in grey.
    chainOfLowpass(app, 4000.0);
    measure(panel);
    REQUIRE(panel.result().has_value());
    REQUIRE(panel.previousResult().has_value());
    CHECK(at(*panel.previousResult(), 1000.0).db == Approx(k1.db).margin(1e-9));
    for (double hz : {1000.0, 4000.0, 8000.0})
    {
        const auto& p = at(*panel.result(), hz);
        CHECK(p.db == Approx(butterworthLowpassDb(p.hz, 4000.0, 48000.0)).margin(0.1));
    }
    geometry = wb::plotGeometryFor(*panel.result(), 20.0, 20000.0, plot->getWidth(), plot->getHeight());
    image = plot->createComponentSnapshot(plot->getLocalBounds(), true, 1.0f);
    CHECK(curveNear(image, geometry, 2000.0, butterworthLowpassDb(2000.0, 1000.0, 48000.0), wb::PlotGeometry::kPreviousColour));
    CHECK(curveNear(image, geometry, 4000.0, -3.0103, wb::PlotGeometry::kMagnitudeColour));
    saveScreenshot(panel, "response-window-offline.png");

    // 1/6-octave smoothing: the curve shown changes, a flat region keeps its level.
    panel.setSmoothing(6);
    CHECK(at(*panel.result(), 200.0).db == Approx(0.0).margin(0.05));
    CHECK(panel.result()->response.size() == panel.previousResult()->response.size());
    panel.setSmoothing(0);

    // Exports: the JSON in measure --json's layout, the PNG as measure --plot draws it.
    const auto dir = app.settingsDir.dir.getChildFile("export");
    REQUIRE(dir.createDirectory());
    juce::String error;
    const auto json = dir.getChildFile("lp.json");
    REQUIRE(panel.exportJson(json, error));
    const auto j = nlohmann::json::parse(json.loadFileAsString().toStdString());
    CHECK(j["settings"]["mode"] == "offline");
    CHECK(j["settings"]["chain"][0]["effect"] == "lowpass");
    CHECK(j["settings"]["rate_hz"] == 48000.0);
    CHECK(j["response"].size() == panel.result()->response.size());
    bool found = false;
    for (const auto& p : j["response"])
        if (std::abs(p["hz"].get<double>() / 4000.0 - 1.0) < 0.015)
        {
            found = true;
            CHECK(p["db"].get<double>() == Approx(butterworthLowpassDb(p["hz"].get<double>(), 4000.0, 48000.0)).margin(0.1));
        }
    CHECK(found);
    CHECK(j["distortion"].size() > 0);
    const auto png = dir.getChildFile("lp.png");
    REQUIRE(panel.exportPng(png, error));
    const auto written = juce::ImageFileFormat::loadFrom(png);
    REQUIRE(written.isValid());
    CHECK(written.getWidth() == wb::PlotGeometry::kWidth);
    const auto pngGeometry = wb::plotGeometryFor(*panel.result(), 20.0, 20000.0);
    CHECK(curveNear(written, pngGeometry, 4000.0, -3.0103, wb::PlotGeometry::kMagnitudeColour));
    // An unwritable place: refused with the reason, nothing made.
    CHECK_FALSE(panel.exportJson(juce::File("/nonexistent/dir/x.json"), error));
    CHECK(error.contains("/nonexistent/dir/x.json"));

    // Closing hides the window; its runs stay.
    window.closeButtonPressed();
    CHECK_FALSE(window.isVisible());
    CHECK(&app.main->showResponseWindow() == &window);
    CHECK(window.panel().previousResult().has_value());
}

TEST_CASE("app: Response on the device: the Virtual loopback's round trip within 0.01 frame, flat within 0.05 dB and "
          "1 degree, the generator back after",
          "[gui][app][analysis]")
{
    App app;
    auto* device = app.engine->deviceManager().getCurrentAudioDevice();
    REQUIRE(device != nullptr);
    REQUIRE(app.engine->isVirtualDevice());
    const int period = device->getCurrentBufferSizeSamples();
    // The generator plays its sine meanwhile: the sweep must play alone (else no flat response).
    auto& gen = app.main->generatorPanel();
    auto* start = findById<juce::Button>(gen, wb::app::GeneratorPanel::kStartId);
    REQUIRE(start != nullptr);
    start->triggerClick();
    REQUIRE(pumpUntil([&] { return gen.isRunning(); }));
    REQUIRE(app.peakSettlesAt(-20.0));

    auto& panel = app.main->showResponseWindow().panel();
    panel.setSource(ResponsePanel::Source::device);
    measure(panel);
    INFO(panel.statusText());
    REQUIRE(panel.result().has_value());
    CHECK(panel.statusText().contains("Virtual loopback output 1 -> input 1"));
    const auto& r = *panel.result();
    // The device's timing model: the round trip is one period, exactly.
    CHECK(r.delayFrames == Approx(static_cast<double>(period)).margin(0.01));
    double worstDb = 0.0;
    double worstDeg = 0.0;
    for (const auto& p : r.response)
    {
        worstDb = std::max(worstDb, std::abs(p.db));
        worstDeg = std::max(worstDeg, std::abs(p.deg));
    }
    INFO("worst " << worstDb << " dB, " << worstDeg << " deg");
    CHECK(worstDb < 0.05);
    CHECK(worstDeg < 1.0);
    CHECK(r.snrDb > 60.0);
    // The tap is gone: the generator's sine is on the outputs again.
    CHECK(app.engine->attachedSweep() == nullptr);
    CHECK(app.peakSettlesAt(-20.0));
    saveScreenshot(panel, "response-window-device.png");
}

TEST_CASE("app: Response refuses with the reason: no device, impossible settings, no signal through the chain: the "
          "last result stays",
          "[gui][app][analysis]")
{
    App app;
    auto& panel = app.main->showResponseWindow().panel();
    measure(panel); // an empty chain: unity, flat
    REQUIRE(panel.result().has_value());
    CHECK(at(*panel.result(), 1000.0).db == Approx(0.0).margin(0.01));
    CHECK(panel.statusText().startsWith("Measured an empty chain"));

    // The sweep's end at or below its start.
    REQUIRE(panel.fromBox().enterText("5 kHz"));
    REQUIRE(panel.toBox().enterText("1 kHz"));
    CHECK_FALSE(panel.measure());
    CHECK(panel.statusText().startsWith("Cannot measure: "));
    REQUIRE(panel.fromBox().enterText("20 Hz"));
    REQUIRE(panel.toBox().enterText("20 kHz"));
    // A typo is refused by the box itself, the value kept.
    CHECK_FALSE(panel.levelBox().enterText("-6 dBx"));
    CHECK(panel.levelBox().getValue() == Approx(-12.0));

    // Nothing comes through: a gain of -96 dB.
    juce::String error;
    wb::session::ChainState state;
    state.effects.push_back({"gain", "gain", false, {}});
    REQUIRE(app.main->chainPanel().restoreState(state, error));
    const auto& slot = app.engine->chain().slotsFromUi()[0];
    REQUIRE(app.engine->chain().setParameterFromUi(slot.id, slot.node->findControl("gain"), -96.0f));
    measure(panel);
    INFO(panel.statusText());
    CHECK(panel.statusText().contains("refused (no signal)"));
    CHECK_FALSE(panel.previousResult().has_value()); // the refused run replaced nothing
    CHECK(at(*panel.result(), 1000.0).db == Approx(0.0).margin(0.01));

    // On the device while none runs.
    app.engine->closeDevice();
    REQUIRE(pumpUntil([&] { return !app.engine->isCallbackAttached(); }));
    panel.setSource(ResponsePanel::Source::device);
    CHECK_FALSE(panel.measure());
    CHECK(panel.statusText().startsWith("No device runs"));
    CHECK_FALSE(panel.isMeasuring());
}
