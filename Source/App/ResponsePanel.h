#pragma once
// The Response window (issue 13): the frequency and phase response and the harmonic distortion
// of what a signal goes through, by the synchronized swept sine (Core/Analysis/SweptSine), as
// `wavebench measure` reports them. Two sources:
//  - offline through the chain as it stands (every effect with its values and bypass, in place
//    from the first sample, sample-exact; no device): Engine/SweepReport's runChainOffline;
//  - the current device, output 1 -> input 1 (a loopback cable, or the device under test between
//    them): the engine's measurement tap (AudioEngine::attachSweepFromUi) plays the sweep alone on
//    output 1 and records input 1; the measured delay is the round trip.
// Threads: the controls, the state and the drawing are the message thread's. The offline run and
// the analysis (FFTW, allocations) run on a worker thread of this panel; the device capture runs
// on the audio thread (SweepCaptureCallback: no allocation, no lock). A timer (20 Hz) follows the
// progress, detaches the capture when it is done, and takes the worker's outcome.
// The previous run stays in grey beneath the new one; Export PNG draws what is shown as
// `measure --plot` does (Engine/ResponsePlot), Export JSON writes `measure --json`'s layout.
#include "App/ValueEntry.h"
#include "Core/Analysis/SweptSine.h"
#include "Core/Session/ChainState.h"
#include "Engine/AudioEngine.h"

#include <nlohmann/json.hpp>

#include <juce_gui_basics/juce_gui_basics.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace wb
{
class SweepCaptureCallback;
}

namespace wb::app
{
class ResponsePanel final : public juce::Component, private juce::Timer
{
public:
    enum class Source
    {
        offlineChain = 1, ///< through the chain, no device
        device = 2,       ///< the current device, output 1 -> input 1
    };
    static constexpr const char* kSourceBoxId = "response.source";
    static constexpr const char* kMeasureButtonId = "response.measure";
    static constexpr const char* kStatusId = "response.status";
    static constexpr const char* kPlotId = "response.plot";
    static constexpr const char* kSmoothingBoxId = "response.smoothing";

    explicit ResponsePanel(AudioEngine& engine);
    ~ResponsePanel() override; ///< stops a capture (detached from the engine) and the worker

    void setSource(Source s);
    [[nodiscard]] Source source() const noexcept;
    /// 1/N-octave smoothing of the magnitude and phase shown and exported (0: none).
    void setSmoothing(int octaveFraction);
    [[nodiscard]] int smoothing() const noexcept { return smoothingFraction; }

    /// Starts a measurement with the boxes' settings, as the Measure button does. Returns false
    /// with the reason in the status line when it cannot start (bad settings, no device running,
    /// one already under way).
    bool measure();
    [[nodiscard]] bool isMeasuring() const noexcept { return phase != Phase::idle; }
    /// Runs ended so far, measured, refused or failed (the Measure button's click is delivered
    /// asynchronously: tests wait for this to move).
    [[nodiscard]] int runsEnded() const noexcept { return ended; }
    /// 0..1 while measuring.
    [[nodiscard]] double progress() const noexcept { return shownProgress; }
    [[nodiscard]] juce::String statusText() const { return status.getText(); }
    /// The last run that was not refused, as shown (smoothed), and the one before it.
    [[nodiscard]] const std::optional<analysis::SweptSineResult>& result() const noexcept { return shown; }
    [[nodiscard]] const std::optional<analysis::SweptSineResult>& previousResult() const noexcept { return previousShown; }
    /// Export what is shown: false with the reason when there is nothing to export or the file
    /// cannot be written (nothing is left behind).
    bool exportPng(const juce::File& file, juce::String& error) const;
    bool exportJson(const juce::File& file, juce::String& error) const;

    ValueEntrySlider& fromBox() noexcept { return fromHz; }
    ValueEntrySlider& toBox() noexcept { return toHz; }
    ValueEntrySlider& secondsBox() noexcept { return seconds; }
    ValueEntrySlider& levelBox() noexcept { return level; }

    void paint(juce::Graphics&) override;
    void resized() override;

private:
    enum class Phase
    {
        idle,
        capturing, ///< the device plays and records (audio thread)
        analysing, ///< the worker runs the chain and/or the analysis
    };
    struct Outcome
    {
        bool ok = false;            ///< false: `error` says why nothing was measured
        std::string error;
        analysis::SweptSineResult result;
    };
    class Plot;

    void timerCallback() override;
    /// Starts the worker: the offline run (when `capture` is empty) and the analysis.
    void startWorker(std::vector<float> capture);
    void finish(Outcome outcome);
    void fail(const juce::String& why);
    void applySmoothing();
    void chooseExport(bool png);
    [[nodiscard]] std::string plotTitle() const;

    AudioEngine& engine;
    juce::ComboBox sourceBox, smoothingBox;
    juce::Label fromLabel, toLabel, secondsLabel, levelLabel;
    ValueEntrySlider fromHz{ValueUnit::hertz}, toHz{ValueUnit::hertz}, seconds{ValueUnit::seconds},
        level{ValueUnit::decibel};
    juce::TextButton measureButton{"Measure"}, pngButton{"Export PNG..."}, jsonButton{"Export JSON..."};
    double shownProgress = 0.0;
    juce::ProgressBar progressBar{shownProgress};
    juce::Label status;
    std::unique_ptr<Plot> plot;
    std::unique_ptr<juce::FileChooser> chooser;

    Phase phase = Phase::idle;
    int smoothingFraction = 0;
    int ended = 0;
    // The run under way (message thread).
    std::optional<analysis::SynchronizedSweep> sweep;
    std::unique_ptr<SweepCaptureCallback> capture;
    double captureDeadline = 0.0; ///< Time::getMillisecondCounterHiRes, ms
    nlohmann::json runSettings;   ///< what the JSON's "settings" says of the run under way
    std::string runWhat;          ///< "the chain lowpass,gain" / "Virtual loopback output 1 -> input 1"
    // The worker: it reads the run's fields above (set before it starts, not touched until it is
    // joined) and hands its outcome over under the lock.
    std::thread worker;
    std::atomic<bool> stopWorker{false};
    std::atomic<double> workerProgress{0.0};
    std::mutex outcomeLock;
    std::optional<Outcome> outcome; // guarded by outcomeLock
    session::ChainState runChain;
    double runRate = 48000.0;
    int runBlock = 512;

    // What is shown: the raw results (smoothing is applied to copies).
    std::optional<analysis::SweptSineResult> raw, previousRaw, shown, previousShown;
    nlohmann::json shownSettings; ///< the run's settings, for Export JSON
    std::string shownWhat;        ///< the run's source, for the title

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(ResponsePanel)
};

/// The window that holds the panel: made when first opened (View > Response...), hidden (not
/// deleted: its runs stay) when closed.
class ResponseWindow final : public juce::DocumentWindow
{
public:
    explicit ResponseWindow(AudioEngine& engine);
    void closeButtonPressed() override { setVisible(false); }
    [[nodiscard]] ResponsePanel& panel() noexcept { return *content; }

private:
    ResponsePanel* content = nullptr; // owned by the window
};
} // namespace wb::app
