#include "App/ResponsePanel.h"

#include "App/Theme.h"
#include "Core/Session/ChainStateJson.h"
#include "Core/Util/BuildInfo.h"
#include "Engine/ResponsePlot.h"
#include "Engine/SweepCapture.h"
#include "Engine/SweepReport.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace wb::app
{
namespace
{
constexpr int kTimerHz = 20;
constexpr int kSmoothings[] = {0, 48, 24, 12, 6, 3}; ///< the smoothing box's choices (item id = index + 1)

double nowMs()
{
    return juce::Time::getMillisecondCounterHiRes();
}

void styleBox(ValueEntrySlider& s, double lo, double hi, double value, bool logSkew)
{
    s.setSliderStyle(juce::Slider::LinearHorizontal);
    s.setTextBoxStyle(juce::Slider::TextBoxRight, false, 84, 22);
    s.setRange(lo, hi, 0.0);
    if (logSkew)
        s.setSkewFactorFromMidPoint(std::sqrt(lo * hi));
    s.setValue(value, juce::dontSendNotification);
}
} // namespace

/// The plot: what Export PNG writes, drawn at the component's size.
class ResponsePanel::Plot final : public juce::Component
{
public:
    explicit Plot(ResponsePanel& p) : owner(p) { setComponentID(kPlotId); }
    void paint(juce::Graphics& g) override
    {
        if (!owner.shown)
        {
            g.fillAll(theme::kPanelLight);
            g.setColour(theme::kDimText);
            g.setFont(15.0f);
            g.drawFittedText("Press Measure: a swept sine goes through the chain (offline) or out of output 1 and back "
                             "into input 1 of the device, and its magnitude, phase and distortion are shown here.",
                             getLocalBounds().reduced(40), juce::Justification::centred, 3);
            return;
        }
        const auto& s = owner.shownSettings;
        const auto geometry = plotGeometryFor(*owner.shown, s.value("from_hz", 20.0), s.value("to_hz", 20000.0),
                                              getWidth(), getHeight());
        drawResponsePlot(g, geometry, *owner.shown, owner.previousShown ? &*owner.previousShown : nullptr,
                         owner.plotTitle());
    }

private:
    ResponsePanel& owner;
};

ResponsePanel::ResponsePanel(AudioEngine& e) : engine(e), plot(std::make_unique<Plot>(*this))
{
    sourceBox.setComponentID(kSourceBoxId);
    sourceBox.addItem("Offline: through the effect chain", static_cast<int>(Source::offlineChain));
    sourceBox.addItem("Device: output 1 -> input 1", static_cast<int>(Source::device));
    sourceBox.setSelectedId(static_cast<int>(Source::offlineChain), juce::dontSendNotification);
    sourceBox.setTooltip("Offline: the chain as it stands, sample-exact, no device. Device: the sweep plays alone on "
                         "output 1 of the running device and input 1 is recorded (a loopback cable, or what you "
                         "measure between them); the delay is then the round trip.");
    addAndMakeVisible(sourceBox);

    smoothingBox.setComponentID(kSmoothingBoxId);
    for (std::size_t i = 0; i < std::size(kSmoothings); ++i)
        smoothingBox.addItem(kSmoothings[i] == 0 ? juce::String("No smoothing") : "1/" + juce::String(kSmoothings[i]) + " oct",
                             static_cast<int>(i) + 1);
    smoothingBox.setSelectedId(1, juce::dontSendNotification);
    smoothingBox.onChange = [this] { setSmoothing(kSmoothings[static_cast<std::size_t>(std::max(1, smoothingBox.getSelectedId()) - 1)]); };
    addAndMakeVisible(smoothingBox);

    const auto refused = [this](const juce::String& why)
    {
        status.setColour(juce::Label::textColourId, theme::kWarning);
        status.setText(why, juce::dontSendNotification);
    };
    styleBox(fromHz, 1.0, 96000.0, 20.0, true);
    styleBox(toHz, 10.0, 96000.0, 20000.0, true);
    styleBox(seconds, 0.1, 60.0, 2.0, true);
    styleBox(level, -80.0, 0.0, -12.0, false);
    for (auto [label, box, text] : {std::tuple{&fromLabel, &fromHz, "From"}, std::tuple{&toLabel, &toHz, "To"},
                                    std::tuple{&secondsLabel, &seconds, "Length"}, std::tuple{&levelLabel, &level, "Level"}})
    {
        label->setText(text, juce::dontSendNotification);
        label->setJustificationType(juce::Justification::centredRight);
        addAndMakeVisible(*label);
        box->onRefused = refused;
        addAndMakeVisible(*box);
    }
    fromHz.setTooltip("The sweep's start frequency");
    toHz.setTooltip("The sweep's end frequency, below half the sample rate");
    seconds.setTooltip("The sweep's length (rounded so that every harmonic's phase is right); longer: more SNR");
    level.setTooltip("The sweep's peak level, dBFS");

    measureButton.setComponentID(kMeasureButtonId);
    measureButton.onClick = [this] { measure(); };
    pngButton.onClick = [this] { chooseExport(true); };
    jsonButton.onClick = [this] { chooseExport(false); };
    for (auto* b : {&measureButton, &pngButton, &jsonButton})
        addAndMakeVisible(*b);
    pngButton.setEnabled(false);
    jsonButton.setEnabled(false);

    addChildComponent(progressBar);
    status.setComponentID(kStatusId);
    status.setColour(juce::Label::textColourId, theme::kDimText);
    status.setText("Choose where to measure and press Measure.", juce::dontSendNotification);
    addAndMakeVisible(status);
    addAndMakeVisible(*plot);
    setSize(1000, 720);
}

ResponsePanel::~ResponsePanel()
{
    stopTimer();
    if (capture != nullptr && !engine.detachSweepWhileRunningFromUi())
        (void) capture.release(); // a stalled device may still hold it: leak it rather than let it dangle
    capture.reset();
    stopWorker.store(true);
    if (worker.joinable())
        worker.join();
}

void ResponsePanel::setSource(Source s)
{
    sourceBox.setSelectedId(static_cast<int>(s), juce::dontSendNotification);
}

ResponsePanel::Source ResponsePanel::source() const noexcept
{
    return sourceBox.getSelectedId() == static_cast<int>(Source::device) ? Source::device : Source::offlineChain;
}

void ResponsePanel::setSmoothing(int octaveFraction)
{
    smoothingFraction = std::clamp(octaveFraction, 0, 48);
    for (std::size_t i = 0; i < std::size(kSmoothings); ++i)
        if (kSmoothings[i] == smoothingFraction)
            smoothingBox.setSelectedId(static_cast<int>(i) + 1, juce::dontSendNotification);
    applySmoothing();
}

void ResponsePanel::applySmoothing()
{
    auto smooth = [this](const std::optional<analysis::SweptSineResult>& r)
    {
        std::optional<analysis::SweptSineResult> s = r;
        if (s)
            s->response = analysis::smoothResponse(s->response, smoothingFraction);
        return s;
    };
    shown = smooth(raw);
    previousShown = smooth(previousRaw);
    if (!shownSettings.is_null())
        shownSettings["smoothing_octave_fraction"] = smoothingFraction;
    plot->repaint();
}

bool ResponsePanel::measure()
{
    if (phase != Phase::idle)
        return false;
    auto* device = engine.deviceManager().getCurrentAudioDevice();
    const bool onDevice = source() == Source::device;
    if (onDevice && (device == nullptr || !engine.isCallbackAttached()))
    {
        fail("No device runs: open one (Audio > Audio Settings...) or measure offline through the chain.");
        return false;
    }
    analysis::SweptSineSettings s;
    s.fromHz = fromHz.getValue();
    s.toHz = toHz.getValue();
    s.seconds = seconds.getValue();
    s.levelDbfs = level.getValue();
    s.sampleRate = device != nullptr ? device->getCurrentSampleRate() : 48000.0;
    if (!(s.sampleRate > 0.0))
        s.sampleRate = 48000.0;
    if (const auto problem = analysis::validateSweptSine(s))
    {
        fail("Cannot measure: " + juce::String(*problem));
        return false;
    }
    sweep.emplace(s);
    runRate = s.sampleRate;
    runBlock = device != nullptr ? std::max(16, device->getCurrentBufferSizeSamples()) : 512;
    runSettings = sweepSettingsJson(*sweep);
    runSettings["smoothing_octave_fraction"] = smoothingFraction;
    if (onDevice)
    {
        runSettings["mode"] = "device";
        runSettings["device"] = {{"name", device->getName().toStdString()},
                                 {"type", device->getTypeName().toStdString()},
                                 {"rate_hz", device->getCurrentSampleRate()},
                                 {"period_frames", device->getCurrentBufferSizeSamples()},
                                 {"output_channel", 1},
                                 {"input_channel", 1}};
        runWhat = device->getName().toStdString() + " output 1 -> input 1";
        capture = std::make_unique<SweepCaptureCallback>(sweep->excitation(), 0, 0);
        engine.attachSweepFromUi(capture.get());
        capture->armFromAnyThread();
        captureDeadline = nowMs() + 1000.0 * (static_cast<double>(sweep->captureFrames()) / s.sampleRate + 5.0);
        phase = Phase::capturing;
    }
    else
    {
        runChain = engine.chain().chainStateFromUi();
        runSettings["mode"] = "offline";
        runSettings["chain"] = session::toJson(runChain);
        runSettings["block_size"] = runBlock;
        std::string names;
        for (const auto& fx : runChain.effects)
            names += (names.empty() ? "" : ",") + fx.instance + (fx.bypassed ? " (bypassed)" : "");
        runWhat = names.empty() ? std::string("an empty chain") : "the chain " + names;
        startWorker({});
    }
    shownProgress = 0.0;
    progressBar.setVisible(true);
    status.setVisible(false);
    measureButton.setEnabled(false);
    sourceBox.setEnabled(false);
    resized();
    startTimerHz(kTimerHz);
    return true;
}

void ResponsePanel::startWorker(std::vector<float> captured)
{
    phase = Phase::analysing;
    stopWorker.store(false);
    workerProgress.store(captured.empty() ? 0.0 : 0.9);
    worker = std::thread(
        [this, captured = std::move(captured)]() mutable
        {
            Outcome o;
            if (captured.empty())
            {
                std::string error;
                captured = runChainOffline(runChain, sweep->excitation(), runRate, runBlock, error,
                                           [this](double done)
                                           {
                                               workerProgress.store(0.8 * done);
                                               return !stopWorker.load();
                                           });
                if (captured.empty())
                    o.error = error;
            }
            if (!captured.empty() && !stopWorker.load())
            {
                workerProgress.store(std::max(workerProgress.load(), 0.8));
                o.result = analysis::analyseSweptSine(*sweep, captured);
                o.ok = true;
            }
            const std::lock_guard lock(outcomeLock);
            outcome = std::move(o);
        });
}

void ResponsePanel::timerCallback()
{
    if (phase == Phase::capturing)
    {
        const auto total = static_cast<double>(sweep->captureFrames());
        shownProgress = 0.9 * std::min(1.0, static_cast<double>(capture->framesSeenFromAnyThread()) / total);
        if (capture->stateFromAnyThread() == SweepCaptureCallback::done)
        {
            if (!engine.detachSweepWhileRunningFromUi())
            {
                (void) capture.release(); // the audio thread may still hold it: leak, never dangle
                fail("The device stalled at the end of the measurement: nothing measured.");
                return;
            }
            std::vector<float> captured = capture->capture();
            capture.reset();
            startWorker(std::move(captured));
        }
        else if (!engine.isCallbackAttached() || nowMs() > captureDeadline)
        {
            const bool stopped = !engine.isCallbackAttached();
            if (engine.detachSweepWhileRunningFromUi())
                capture.reset();
            else
                (void) capture.release();
            fail(stopped ? "The device stopped during the measurement: nothing measured."
                         : "The device made no progress: nothing measured.");
        }
        return;
    }
    if (phase == Phase::analysing)
    {
        shownProgress = workerProgress.load();
        std::optional<Outcome> done;
        {
            const std::lock_guard lock(outcomeLock);
            done.swap(outcome);
        }
        if (done)
        {
            worker.join();
            finish(std::move(*done));
        }
    }
}

void ResponsePanel::fail(const juce::String& why)
{
    ++ended;
    stopTimer();
    phase = Phase::idle;
    progressBar.setVisible(false);
    status.setVisible(true);
    measureButton.setEnabled(true);
    sourceBox.setEnabled(true);
    status.setColour(juce::Label::textColourId, theme::kWarning);
    status.setText(why, juce::dontSendNotification);
    resized();
}

void ResponsePanel::finish(Outcome o)
{
    if (!o.ok)
    {
        fail("Nothing measured: " + juce::String(o.error));
        return;
    }
    if (!o.result.valid)
    {
        fail(juce::String(fmt::format("Measurement of {} refused ({}): {}", runWhat,
                                      analysis::sweepRefusalName(o.result.refusal), o.result.reason)));
        return;
    }
    ++ended;
    stopTimer();
    phase = Phase::idle;
    previousRaw = std::move(raw);
    raw = std::move(o.result);
    shownSettings = runSettings;
    shownWhat = runWhat;
    applySmoothing();
    double lowest = std::numeric_limits<double>::infinity();
    double highest = -lowest;
    for (const auto& p : raw->response)
    {
        lowest = std::min(lowest, p.db);
        highest = std::max(highest, p.db);
    }
    progressBar.setVisible(false);
    status.setVisible(true);
    measureButton.setEnabled(true);
    sourceBox.setEnabled(true);
    pngButton.setEnabled(true);
    jsonButton.setEnabled(true);
    status.setColour(juce::Label::textColourId, theme::kText);
    status.setText(juce::String(fmt::format("Measured {}: delay {:.3f} frames, SNR {:.1f} dB, response {:.2f} .. {:.2f} dB",
                                            shownWhat, raw->delayFrames, raw->snrDb, lowest, highest)),
                   juce::dontSendNotification);
    resized();
}

std::string ResponsePanel::plotTitle() const
{
    const auto& s = shownSettings;
    return fmt::format("{}: {:g}..{:g} Hz, {:.3f} s sweep at {:g} dBFS, {:g} Hz, delay {:.3f} frames{}", shownWhat,
                       s.value("from_hz", 0.0), s.value("to_hz", 0.0), s.value("duration_s", 0.0),
                       s.value("level_dbfs", 0.0), s.value("rate_hz", 0.0), raw ? raw->delayFrames : 0.0,
                       smoothingFraction > 0 ? fmt::format(", 1/{} oct smoothing", smoothingFraction) : std::string());
}

bool ResponsePanel::exportPng(const juce::File& file, juce::String& error) const
{
    if (!shown)
    {
        error = "nothing measured yet";
        return false;
    }
    if (const auto problem = writeResponsePlot(file.getFullPathName().toStdString(), *shown,
                                               shownSettings.value("from_hz", 20.0), shownSettings.value("to_hz", 20000.0),
                                               plotTitle(), previousShown ? &*previousShown : nullptr))
    {
        error = juce::String(*problem);
        return false;
    }
    return true;
}

bool ResponsePanel::exportJson(const juce::File& file, juce::String& error) const
{
    if (!shown)
    {
        error = "nothing measured yet";
        return false;
    }
    nlohmann::json j;
    j["wavebench"] = versionString();
    j["settings"] = shownSettings;
    addSweptSineResultJson(j, *shown, false);
    // replaceWithText writes a temporary file beside it and moves it over the target.
    if (!file.replaceWithText(juce::String(j.dump(2)) + "\n"))
    {
        error = "cannot write " + file.getFullPathName();
        return false;
    }
    return true;
}

void ResponsePanel::chooseExport(bool png)
{
    const auto folder = juce::File::getSpecialLocation(juce::File::userDocumentsDirectory);
    chooser = std::make_unique<juce::FileChooser>(png ? "Export the plot as PNG" : "Export the measurement as JSON",
                                                  folder.getChildFile(png ? "response.png" : "response.json"),
                                                  png ? "*.png" : "*.json");
    juce::Component::SafePointer<ResponsePanel> safe(this);
    chooser->launchAsync(juce::FileBrowserComponent::saveMode | juce::FileBrowserComponent::canSelectFiles
                             | juce::FileBrowserComponent::warnAboutOverwriting,
                         [safe, png](const juce::FileChooser& c)
                         {
                             const auto file = c.getResult();
                             if (safe == nullptr || file == juce::File())
                                 return;
                             juce::String error;
                             const bool ok = png ? safe->exportPng(file, error) : safe->exportJson(file, error);
                             safe->status.setColour(juce::Label::textColourId, ok ? theme::kText : theme::kWarning);
                             safe->status.setText(ok ? "Exported " + file.getFullPathName() : "Export failed: " + error,
                                                  juce::dontSendNotification);
                         });
}

void ResponsePanel::paint(juce::Graphics& g)
{
    g.fillAll(theme::kBackground);
}

void ResponsePanel::resized()
{
    auto area = getLocalBounds().reduced(10);
    auto row1 = area.removeFromTop(28);
    sourceBox.setBounds(row1.removeFromLeft(270));
    row1.removeFromLeft(8);
    smoothingBox.setBounds(row1.removeFromLeft(130));
    row1.removeFromLeft(8);
    measureButton.setBounds(row1.removeFromLeft(110));
    row1.removeFromLeft(8);
    jsonButton.setBounds(row1.removeFromRight(120));
    row1.removeFromRight(8);
    pngButton.setBounds(row1.removeFromRight(120));
    area.removeFromTop(8);
    auto row2 = area.removeFromTop(26);
    const int each = row2.getWidth() / 4;
    for (auto [label, box] : {std::pair{&fromLabel, &fromHz}, std::pair{&toLabel, &toHz},
                              std::pair{&secondsLabel, &seconds}, std::pair{&levelLabel, &level}})
    {
        auto cell = row2.removeFromLeft(each);
        label->setBounds(cell.removeFromLeft(52));
        box->setBounds(cell.reduced(4, 0));
    }
    area.removeFromTop(6);
    auto row3 = area.removeFromTop(24);
    progressBar.setBounds(row3);
    status.setBounds(row3);
    area.removeFromTop(6);
    plot->setBounds(area);
}

ResponseWindow::ResponseWindow(AudioEngine& engine)
    : juce::DocumentWindow("Wavebench - Response", theme::kBackground, juce::DocumentWindow::allButtons)
{
    auto panel = std::make_unique<ResponsePanel>(engine);
    content = panel.get();
    setContentOwned(panel.release(), true);
    setUsingNativeTitleBar(true);
    setResizable(true, false);
    setResizeLimits(720, 520, 4000, 3000);
    centreWithSize(getWidth(), getHeight());
}
} // namespace wb::app
