#include "App/MonitorPanel.h"

#include "App/Theme.h"
#include "Core/Audio/Recorder.h"
#include "Engine/EffectResolver.h"
#include "Engine/VirtualLoopbackDevice.h"
#include "FaustRuntime/FaustModuleCache.h"

#include <algorithm>
#include <cmath>

namespace wb::app
{
using namespace theme;

namespace
{
/// Megabytes: one decimal below 100 MB, none from there (a three-digit figure with a decimal did
/// not fit the column at 1024x700, exactly when the 100 MB alarm shows it).
juce::String mb(double bytes)
{
    const double m = bytes / (1024.0 * 1024.0);
    return (std::abs(m) < 99.95 ? juce::String(m, 1) : juce::String(std::llround(m))) + " MB";
}
juce::String pct(double fraction)
{
    return juce::String(100.0 * fraction, 1) + " %";
}
} // namespace

MonitorPanel::MonitorPanel(AudioEngine& e) : engine(e)
{
    // The callbacks only repaint: paint() asks the watcher which figures are in alarm.
    const auto changed = [this](const monitor::ThresholdWatcher::Event&) { repaint(); };
    loadWatch = watcher.add("dsp load", [this] { return load.windowMaxLoad; }, kLoadAlarm, changed,
                            monitor::ThresholdWatcher::Direction::above, 0.05);
    memoryWatch = watcher.add("private memory", [this] { return static_cast<double>(memory.privateBytes); },
                              kPrivateAlarmBytes, changed);
    // xruns: red for 5 s after the count went up (see update() for the Virtual loopback).
    xrunWatch = watcher.add("xruns", [this] { return xrunAlarmUntil - monitor::wallSeconds(); }, 0.0, changed);

    latencyButton.setWantsKeyboardFocus(false);
    latencyButton.onClick = [this] { startLatency(); };
    latencyButton.setTooltip("Measures the round trip of a second Virtual loopback device with this rate and period "
                             "(5 runs, multi-tone probe); for a real device use `wavebench latency`");
    addAndMakeVisible(latencyButton);
    update(0);
}

MonitorPanel::~MonitorPanel()
{
    if (latencyWorker.joinable())
        latencyWorker.join(); // a measurement takes a few seconds at most (bounded by its timeouts)
}

void MonitorPanel::update(std::uint64_t xrunEvents)
{
    const double now = monitor::wallSeconds();
    load = engine.loadSnapshotFromUi();
    memory = monitor::readMemoryStats();
    if (const auto audio = engine.audioThreadCpuSeconds())
    {
        audioCpu.update(*audio, now);
        audioCpuKnown = true;
    }
    mainCpu.update(monitor::currentThreadCpuSeconds(), now); // update() runs on the message thread
    processCpu.update(monitor::processCpuSeconds(), now);
    loadHistory.push(load.meanLoad);
    xrunTelemetry += xrunEvents;
    // Red for 5 s after an overrun (the callback took longer than its period: the engine's own
    // doing on any device) or a real device's xrun. The Virtual loopback's "device xruns" are
    // late wake-ups of its thread (the OS ran it more than a period late: a busy machine, no
    // real-time priority); no hardware missed a deadline and nothing is heard, so they show in
    // amber with a tooltip saying so, not as an alarm.
    if (load.overruns > overrunsSeen || (load.deviceXruns > deviceXrunsSeen && !engine.isVirtualDevice()))
        xrunAlarmUntil = now + 5.0;
    else if (load.deviceXruns > deviceXrunsSeen)
        xrunCautionUntil = now + 5.0;
    overrunsSeen = load.overruns;
    deviceXrunsSeen = load.deviceXruns;
    if (!pendingNodes.empty())
    {
        const auto shownBefore = nodeRows.size();
        nodeRows.clear();
        std::optional<NodeRow> callbackRow;
        for (const auto& n : pendingNodes.take())
        {
            int stream = 0;
            // A .dsp effect by its file's stem, as the chain names its instances (the path is long).
            auto name = instanceBaseName(engine.nodeNameFromUi(n.node, &stream));
            NodeRow row{name.empty() ? juce::String("node ") + juce::String(n.node) : juce::String(name),
                        n.meanNs / 1000.0, n.share()};
            if (stream > 0)
                row.name << " (stream " << (stream + 1) << ")";
            if (n.node == kEngineNode)
                callbackRow = NodeRow{"whole callback", row.meanUs, row.share};
            else
                nodeRows.push_back(row);
        }
        if (callbackRow)
            nodeRows.push_back(*callbackRow);
        if (nodeRows.size() != shownBefore)
            resized(); // the table's height follows its rows
    }
    watcher.poll();
    if (latencyDone.load(std::memory_order_acquire))
        collectLatency();
    repaint();
}

void MonitorPanel::handleTelemetry(const Telemetry& t)
{
    if (t.type == TelemetryType::nodeTiming)
        pendingNodes.add(t.nodeTiming);
}

void MonitorPanel::startLatency()
{
    if (latencyRunning)
        return;
    if (!engine.isVirtualDevice())
    {
        latencyText = "Not the Virtual loopback: measure with `wavebench latency` (it needs a cable from an "
                      "output to an input).";
        latencyColour = kWarning;
        repaint();
        return;
    }
    // The engine's Virtual loopback stays running; the probe runs on a second virtual device
    // with the same rate and period (the same model: round trip = one period + the cable).
    VirtualLoopbackConfig config;
    double rate = 48000.0;
    int period = 256;
    if (auto* device = engine.deviceManager().getCurrentAudioDevice())
    {
        rate = device->getCurrentSampleRate();
        period = device->getCurrentBufferSizeSamples();
    }
    latencyRunning = true;
    latencyDone.store(false);
    latencyButton.setEnabled(false);
    latencyText = "Measuring (5 runs)...";
    latencyColour = kDimText;
    if (latencyWorker.joinable())
        latencyWorker.join();
    latencyWorker = std::thread([this, config, rate, period] {
        VirtualLoopbackDevice device(config);
        juce::BigInteger channels;
        channels.setRange(0, 1, true);
        LatencyReport report;
        if (const auto error = device.open(channels, channels, rate, period); error.isNotEmpty())
            report.reason = "cannot open the virtual device: " + error.toStdString();
        else
        {
            report = measureLatency(device, LatencyMeasurementSettings{});
            device.close();
        }
        latencyResult = std::move(report);
        latencyDone.store(true, std::memory_order_release);
    });
    repaint();
}

void MonitorPanel::collectLatency()
{
    latencyDone.store(false);
    if (latencyWorker.joinable())
        latencyWorker.join();
    latencyRunning = false;
    latencyButton.setEnabled(true);
    const auto& r = latencyResult;
    if (r.valid)
    {
        latencyText = "Round trip " + juce::String(r.toMs(r.frames.mean), 2) + " ms (" +
                      juce::String(r.frames.mean, 1) + " frames); spread: sd " + juce::String(r.frames.sigma, 2) +
                      ", range " + juce::String(r.frames.min, 1) + ".." + juce::String(r.frames.max, 1) + " frames; " +
                      juce::String(static_cast<int>(r.runs.size())) + " runs";
        latencyColour = kText;
    }
    else
    {
        latencyText = "Refused: " + juce::String(r.reason);
        latencyColour = kAlarm;
    }
}

/// Runtime Faust modules (.dsp files compiled by libfaust): what the module cache holds, and what
/// it did (two rows: one would not fit the figures' column).
static std::pair<MonitorPanel::Figure, MonitorPanel::Figure> faustModuleFigures()
{
    const auto f = faustrt::FaustModuleCache::shared().stats();
    juce::String modules(f.modules);
    if (f.modules > 0)
        modules << "  (" << juce::String(static_cast<double>(f.machineCodeBytes) / 1024.0, 1) << " KB)";
    juce::String compiles(f.compiles);
    if (f.compiles > 0)
        compiles << ", last " << juce::String(juce::roundToInt(f.lastCompileMs)) << " ms";
    compiles << "; " << juce::String(f.memoryHits + f.diskHits) << " cached";
    return {{"Faust modules", modules,
             "Faust programs compiled at run time (.dsp files) held in memory, and their machine code. "
             "Instances of them: " + juce::String(f.instances) + "."},
            {"Faust compiles", compiles,
             "Compiles of .dsp files so far (the last one's time), and loads served by the module cache "
             "instead (memory " + juce::String(f.memoryHits) + ", disk " + juce::String(f.diskHits)
                 + ", failures " + juce::String(f.failures) + ")."}};
}

juce::String MonitorPanel::bufferPoolText() const
{
    const auto* recorder = engine.attachedRecorder();
    if (recorder == nullptr)
        return "idle";
    const auto s = recorder->statsFromUi();
    const double lagMs = s.sampleRate > 0.0 ? 1000.0 * static_cast<double>(s.writerLagFrames) / s.sampleRate : 0.0;
    return juce::String(static_cast<juce::int64>(s.pool.inUse)) + "/" + juce::String(static_cast<juce::int64>(s.pool.capacity))
           + "  (hw " + juce::String(static_cast<juce::int64>(s.pool.highWater)) + ", lag " + juce::String(lagMs, 0) + " ms)";
}

std::vector<MonitorPanel::Figure> MonitorPanel::figures() const
{
    const double heap = static_cast<double>(memory.heapInUseBytes);
    auto& counters = monitor::ResourceCounters::global();
    const double now = monitor::wallSeconds();
    const bool virtualDevice = engine.isVirtualDevice();
    const juce::String memorySource = memory.smapsAvailable ? "/proc/self/smaps_rollup" : "RSS (no smaps_rollup on this kernel)";
    const auto [faustModules, faustCompiles] = faustModuleFigures();
    return {
        {"DSP load mean", pct(load.meanLoad), "Time in the audio callback / the period, averaged over the last window"},
        {"DSP load max (window)", pct(load.windowMaxLoad),
         "The longest callback of the last window as a share of the period; red above "
             + juce::String(juce::roundToInt(100 * kLoadAlarm)) + " %",
         watcher.inAlarm(loadWatch)},
        {"Xruns (over + device)",
         juce::String(static_cast<juce::int64>(load.xruns())) + "  (" + juce::String(static_cast<juce::int64>(load.overruns))
             + " + " + juce::String(static_cast<juce::int64>(load.deviceXruns)) + ")",
         "Xruns: overruns + device xruns. Overruns: callbacks that took longer than their period (red for 5 s). "
         "Device: xruns the device reported"
             + juce::String(virtualDevice ? ". On the Virtual loopback these are late wake-ups of its thread (the OS ran it "
                                            "more than a period late on a busy machine): no hardware missed a deadline "
                                            "and nothing is heard, so they show in amber, not red."
                                          : " (red for 5 s)."),
         watcher.inAlarm(xrunWatch), now < xrunCautionUntil},
        {"Audio thread CPU", audioCpuKnown ? pct(audioCpu.value()) : juce::String("-"),
         "CPU time of the audio thread per second of wall time (its pthread CPU clock)"},
        {"Main thread CPU", pct(mainCpu.value()), "CPU time of the GUI (message) thread per second"},
        {"Process CPU", pct(processCpu.value()), "CPU time of the whole process per second (1 core = 100 %)"},
        {"Memory private (PSS)", mb(static_cast<double>(memory.privateBytes)) + "  (" + mb(static_cast<double>(memory.pssBytes)) + ")",
         "Private: pages only Wavebench maps (Private_Clean + Private_Dirty), red above "
             + mb(kPrivateAlarmBytes) + ". PSS: private plus its share of pages shared with other processes. From "
             + memorySource + ".",
         watcher.inAlarm(memoryWatch)},
        {"RSS (peak)", mb(static_cast<double>(memory.rssBytes)) + "  (" + mb(static_cast<double>(memory.peakRssBytes)) + ")",
         "Resident set size: every resident page mapped, including shared libraries and shared segments (JACK's "
         "shared memory), so it overstates what Wavebench holds; not judged"},
        {"Heap in use", heap > 0.0 ? mb(heap) : juce::String("-"), "Bytes malloc'd and not freed (mallinfo2)"},
        {"Buffer pool", bufferPoolText(),
         "The recorder's pool (Core/Audio/Recorder): blocks in use / blocks, the most in use at once, and the "
         "writer's lag (audio captured, not yet on disk). Idle when nothing records through the engine."},
        {"Faust instances", juce::String(counters.faustInstances.load()), "Live Faust effect instances"},
        faustModules,
        faustCompiles,
    };
}

juce::String MonitorPanel::getTooltip()
{
    const auto p = getMouseXYRelative();
    for (const auto& [r, tip] : tooltipAreas)
        if (r.contains(p))
            return tip;
    return "Live figures of the engine, sampled 4 times a second";
}

void MonitorPanel::resized()
{
    auto area = getLocalBounds().reduced(8);
    area.removeFromTop(22);
    auto bottom = area.removeFromBottom(26);
    latencyButton.setBounds(bottom.removeFromLeft(130));
    area.removeFromBottom(6);
    figuresArea = area.removeFromLeft(juce::jmin(330, area.getWidth() * 3 / 5));
    graphArea = area.withTrimmedLeft(10);
    // Time per node below the graph: a header and a row per node (at most half the height; rows
    // beyond it are not drawn).
    const int rows = juce::jmax(2, static_cast<int>(nodeRows.size())) + 1;
    nodesArea = graphArea.removeFromBottom(juce::jmin(graphArea.getHeight() / 2, 14 * rows + 4));
}

void MonitorPanel::paint(juce::Graphics& g)
{
    drawPanelFrame(g, getLocalBounds(), "Monitor");
    // Figures: two columns of "name  value".
    struct Row
    {
        juce::String name, value;
        bool alarm = false;
    };
    clipped.clear();
    // Draws `text` in `r` and notes it when it does not fit (JUCE would cut it with "...").
    const auto drawChecked = [&](const juce::String& text, juce::Rectangle<int> r, juce::Justification j) {
        if (g.getCurrentFont().getStringWidthFloat(text) > static_cast<float>(r.getWidth()))
            clipped.add(text);
        g.drawText(text, r, j);
    };
    const auto rows = figures();
    auto area = figuresArea;
    const int rowH = juce::jlimit(14, 20, area.getHeight() / static_cast<int>(std::size(rows)));
    g.setFont(juce::Font(13.0f));
    // The names' column is as wide as the widest name (and a gap), at most 11/20 of the width:
    // the rest is the figures'.
    float widestName = 0.0f;
    for (const auto& row : rows)
        widestName = std::max(widestName, g.getCurrentFont().getStringWidthFloat(row.name));
    const int nameWidth = juce::jmin(area.getWidth() * 11 / 20, static_cast<int>(std::ceil(widestName)) + 10);
    tooltipAreas.clear();
    for (const auto& row : rows)
    {
        auto r = area.removeFromTop(rowH);
        if (r.getBottom() > figuresArea.getBottom())
            break;
        tooltipAreas.emplace_back(r, row.tooltip);
        g.setColour(kDimText);
        drawChecked(row.name, r.removeFromLeft(nameWidth), juce::Justification::centredLeft);
        g.setColour(row.alarm ? kAlarm : row.caution ? kWarning : kText);
        drawChecked(row.value, r, juce::Justification::centredLeft);
    }
    tooltipAreas.emplace_back(graphArea.withHeight(graphArea.getHeight() - nodesArea.getHeight()),
                              "Mean DSP load (callback time / period) every 0.25 s over the last 30 s; the line is the "
                              + juce::String(juce::roundToInt(100 * kLoadAlarm)) + " % alarm threshold");
    tooltipAreas.emplace_back(nodesArea, juce::String::fromUTF8("Time per node: the mean time per callback of the generator, each effect and the "
                                         "whole callback (\xc2\xb5s), and its share of the period (%)"));

    // Load history: mean load, last 30 s, 0..100 %, the alarm line at 80 %.
    if (graphArea.getWidth() > 40 && graphArea.getHeight() > 30)
    {
        auto graph = graphArea;
        g.setColour(kDimText);
        g.setFont(juce::Font(11.0f));
        g.drawText("DSP load, last 30 s", graph.removeFromTop(14), juce::Justification::centredLeft);
        g.setColour(kBackground);
        g.fillRect(graph);
        g.setColour(kGrid);
        for (int i = 1; i < 4; ++i)
            g.drawHorizontalLine(graph.getY() + graph.getHeight() * i / 4, static_cast<float>(graph.getX()),
                                 static_cast<float>(graph.getRight()));
        const auto yOf = [&](double v) {
            return static_cast<float>(graph.getBottom() - juce::jlimit(0.0, 1.0, v) * graph.getHeight());
        };
        g.setColour(kAlarm.withAlpha(0.6f));
        g.drawHorizontalLine(juce::roundToInt(yOf(kLoadAlarm)), static_cast<float>(graph.getX()),
                             static_cast<float>(graph.getRight()));
        g.setColour(kDimText);
        g.drawText("80 %", graph.getRight() - 40, juce::roundToInt(yOf(kLoadAlarm)) - 13, 36, 12,
                   juce::Justification::right);
        if (graph.getHeight() * 0.2 >= 26.0) // else it would overlap the 80 % label
            g.drawText("100 %", graph.getRight() - 40, graph.getY() + 1, 36, 12, juce::Justification::right);
        if (loadHistory.size() > 1)
        {
            juce::Path p;
            const auto cap = static_cast<float>(loadHistory.capacity() - 1);
            const auto offset = loadHistory.capacity() - loadHistory.size(); // newest at the right edge
            for (std::size_t i = 0; i < loadHistory.size(); ++i)
            {
                const float x = graph.getX() + graph.getWidth() * static_cast<float>(offset + i) / cap;
                const float y = yOf(loadHistory.at(i));
                i == 0 ? p.startNewSubPath(x, y) : p.lineTo(x, y);
            }
            g.setColour(watcher.inAlarm(loadWatch) ? kAlarm : kGood);
            g.strokePath(p, juce::PathStrokeType(1.5f));
        }
    }

    // Time per node: name, mean µs per callback, share of the period.
    if (nodesArea.getHeight() >= 28 && nodesArea.getWidth() > 120)
    {
        auto table = nodesArea.withTrimmedTop(4);
        const int nameW = table.getWidth() * 11 / 20, numW = (table.getWidth() - nameW) / 2;
        const auto drawRow = [&](const juce::String& a, const juce::String& b, const juce::String& c,
                                 juce::Colour colour) {
            auto r = table.removeFromTop(14);
            g.setColour(colour);
            drawChecked(a, r.removeFromLeft(nameW), juce::Justification::centredLeft);
            drawChecked(b, r.removeFromLeft(numW), juce::Justification::centredRight);
            drawChecked(c, r, juce::Justification::centredRight);
        };
        g.setFont(juce::Font(11.5f));
        // Short column heads (the tooltip over the table says what they are).
        drawRow("Time per node", juce::String::fromUTF8("\xc2\xb5s"), "%", kDimText);
        if (nodeRows.empty())
            drawRow("(no audio yet)", "", "", kDimText);
        for (const auto& row : nodeRows)
        {
            if (table.getHeight() < 14)
                break;
            drawRow(row.name, juce::String(row.meanUs, 1), juce::String(100.0 * row.share, 2) + " %", kText);
        }
    }

    // Latency line, right of the button.
    auto latencyRow = latencyButton.getBounds().withLeft(latencyButton.getRight() + 10).withRight(getWidth() - 8);
    g.setFont(juce::Font(12.5f));
    if (latencyText.isEmpty())
    {
        g.setColour(kDimText);
        const juce::String full = engine.isVirtualDevice() ? "Round-trip latency: not measured (Virtual loopback: press the button)"
                                                           : "Round-trip latency: measure with `wavebench latency`";
        const juce::String shorter = engine.isVirtualDevice() ? "Latency: not measured yet" : "Latency: `wavebench latency`";
        const bool fits = g.getCurrentFont().getStringWidthFloat(full) <= static_cast<float>(latencyRow.getWidth());
        drawChecked(fits ? full : shorter, latencyRow, juce::Justification::centredLeft);
        tooltipAreas.emplace_back(latencyRow, full);
    }
    else
    {
        g.setColour(latencyColour);
        g.drawFittedText(latencyText, latencyRow, juce::Justification::centredLeft, 2);
    }
}
} // namespace wb::app
