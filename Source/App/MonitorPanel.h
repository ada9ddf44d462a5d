#pragma once
// The monitor panel: DSP load (mean, window max, a 30 s history graph), xruns, CPU (audio
// thread, message thread, process), memory (private/PSS, RSS, heap, Faust instances) and the
// device's round-trip latency, and the time per node (generator, each effect, the whole callback:
// mean µs per callback and share of the period). Figures beyond their thresholds turn red.
// update() runs on the message thread's timer and only reads counters; the latency measurement
// runs on its own worker thread.
#include "App/VisualLogic.h"
#include "Core/Monitor/NodeTimes.h"
#include "Core/Monitor/ProcessStats.h"
#include "Core/Monitor/ThresholdWatcher.h"
#include "Engine/AudioEngine.h"
#include "Engine/LatencyMeasurement.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace wb::app
{
class MonitorPanel final : public juce::Component, public juce::TooltipClient
{
public:
    static constexpr double kLoadAlarm = 0.8;                         ///< DSP load (window max)
    /// Judged on the private memory (smaps_rollup Private_*): RSS also counts shared libraries
    /// and JACK's shared segments, which are not the app's to save.
    static constexpr double kPrivateAlarmBytes = 100.0 * 1024 * 1024;

    /// The tooltip of the figure (or control) under the mouse.
    juce::String getTooltip() override;
    /// The figures as shown, name -> value text, and whether each is in alarm (for tests).
    struct Figure
    {
        juce::String name, value, tooltip;
        bool alarm = false;
        bool caution = false; ///< shown in the warning colour (not an alarm)
    };
    [[nodiscard]] std::vector<Figure> figures() const;
    /// "in use/blocks  (hw N, lag X ms)" of the recorder attached to the engine, or "idle".
    [[nodiscard]] juce::String bufferPoolText() const;

    explicit MonitorPanel(AudioEngine& engine);
    ~MonitorPanel() override; // joins the latency worker

    /// Message thread, ~4 Hz: samples every figure and the thresholds. `xrunEvents` counts the
    /// XrunEvents drained from telemetry since the last call.
    void update(std::uint64_t xrunEvents);
    /// Message thread, for every telemetry message drained: keeps the NodeTiming ones (time per
    /// node), shown at the next update().
    void handleTelemetry(const Telemetry& t);
    void paint(juce::Graphics&) override;
    void resized() override;

    /// The texts the last paint drew narrower than they are (cut with "..."): empty when every
    /// label and figure fits. For the layout tests.
    [[nodiscard]] const juce::StringArray& clippedTexts() const noexcept { return clipped; }

private:
    void startLatency();
    void collectLatency();

    AudioEngine& engine;
    monitor::ThresholdWatcher watcher;
    std::size_t loadWatch = 0, memoryWatch = 0, xrunWatch = 0;
    monitor::CpuUsage audioCpu, mainCpu, processCpu;
    monitor::MemoryStats memory;
    monitor::LoadSnapshot load;
    vis::History loadHistory{120}; // 30 s at 4 Hz
    std::uint64_t xrunTelemetry = 0, overrunsSeen = 0, deviceXrunsSeen = 0;
    double xrunAlarmUntil = 0.0;   ///< red until then: an overrun, or an xrun of a real device
    double xrunCautionUntil = 0.0; ///< amber until then: a late wake-up of the Virtual loopback
    std::vector<std::pair<juce::Rectangle<int>, juce::String>> tooltipAreas; // as last painted
    juce::StringArray clipped; // as last painted
    bool audioCpuKnown = false;

    juce::TextButton latencyButton{"Measure latency"};
    juce::String latencyText;
    juce::Colour latencyColour;
    std::thread latencyWorker;
    std::atomic<bool> latencyDone{false};
    bool latencyRunning = false;
    LatencyReport latencyResult; // written by the worker before latencyDone, read after

    monitor::NodeTimingSummary pendingNodes; // since the last update()
    struct NodeRow
    {
        juce::String name;
        double meanUs = 0.0, share = 0.0;
    };
    std::vector<NodeRow> nodeRows; // as of the last update() that had node timings

    juce::Rectangle<int> figuresArea, graphArea, nodesArea;
};
} // namespace wb::app
