#include "App/MonitorPanel.h"

#include "App/Theme.h"
#include "Engine/VirtualLoopbackDevice.h"

#include <cmath>

namespace wb::app
{
using namespace theme;

namespace
{
juce::String mb(double bytes)
{
    return juce::String(bytes / (1024.0 * 1024.0), 1) + " MB";
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
    rssWatch = watcher.add("rss", [this] { return static_cast<double>(memory.rssBytes); }, kRssAlarmBytes, changed);
    // xruns: red for 5 s after the count went up.
    xrunWatch = watcher.add("xruns", [this] { return xrunAlarmUntil - monitor::wallSeconds(); }, 0.0, changed);

    latencyButton.setWantsKeyboardFocus(false);
    latencyButton.onClick = [this] { startLatency(); };
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
    const auto xruns = load.xruns();
    if (xruns > xrunsSeen)
        xrunAlarmUntil = now + 5.0;
    xrunsSeen = xruns;
    if (!pendingNodes.empty())
    {
        const auto shownBefore = nodeRows.size();
        nodeRows.clear();
        std::optional<NodeRow> callbackRow;
        for (const auto& n : pendingNodes.take())
        {
            int stream = 0;
            auto name = engine.nodeNameFromUi(n.node, &stream);
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

void MonitorPanel::resized()
{
    auto area = getLocalBounds().reduced(8);
    area.removeFromTop(22);
    auto bottom = area.removeFromBottom(26);
    latencyButton.setBounds(bottom.removeFromLeft(130));
    area.removeFromBottom(6);
    figuresArea = area.removeFromLeft(juce::jmin(330, area.getWidth() / 2));
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
    const double heap = static_cast<double>(memory.heapInUseBytes);
    auto& counters = monitor::ResourceCounters::global();
    const Row rows[] = {
        {"DSP load mean", pct(load.meanLoad)},
        {"DSP load max (window)", pct(load.windowMaxLoad), watcher.inAlarm(loadWatch)},
        {"Xruns (overruns + device)", juce::String(static_cast<juce::int64>(load.xruns())) + "  (" +
                                          juce::String(static_cast<juce::int64>(load.overruns)) + " + " +
                                          juce::String(static_cast<juce::int64>(load.deviceXruns)) + ")",
         watcher.inAlarm(xrunWatch)},
        {"Audio thread CPU", audioCpuKnown ? pct(audioCpu.value()) : juce::String("-")},
        {"Main thread CPU", pct(mainCpu.value())},
        {"Process CPU", pct(processCpu.value())},
        {"RSS (peak)", mb(static_cast<double>(memory.rssBytes)) + "  (" + mb(static_cast<double>(memory.peakRssBytes)) + ")",
         watcher.inAlarm(rssWatch)},
        {"Heap in use", heap > 0.0 ? mb(heap) : juce::String("-")},
        {"Buffer pool", juce::String(counters.poolBuffersInUse.load()) + " buffers, " +
                            mb(static_cast<double>(counters.poolBytesInUse.load()))},
        {"Faust instances", juce::String(counters.faustInstances.load())},
    };
    auto area = figuresArea;
    const int rowH = juce::jlimit(14, 20, area.getHeight() / static_cast<int>(std::size(rows)));
    g.setFont(juce::Font(13.0f));
    for (const auto& row : rows)
    {
        auto r = area.removeFromTop(rowH);
        if (r.getBottom() > figuresArea.getBottom())
            break;
        g.setColour(kDimText);
        g.drawText(row.name, r.removeFromLeft(r.getWidth() * 11 / 20), juce::Justification::centredLeft);
        g.setColour(row.alarm ? kAlarm : kText);
        g.drawText(row.value, r, juce::Justification::centredLeft);
    }

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
            g.drawText(a, r.removeFromLeft(nameW), juce::Justification::centredLeft);
            g.drawText(b, r.removeFromLeft(numW), juce::Justification::centredRight);
            g.drawText(c, r, juce::Justification::centredRight);
        };
        g.setFont(juce::Font(11.5f));
        drawRow("Time per node", juce::String::fromUTF8("mean \xc2\xb5s"), "% of period", kDimText);
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
        g.drawText(engine.isVirtualDevice() ? "Round-trip latency: not measured (Virtual loopback: press the button)"
                                            : "Round-trip latency: measure with `wavebench latency`",
                   latencyRow, juce::Justification::centredLeft);
    }
    else
    {
        g.setColour(latencyColour);
        g.drawFittedText(latencyText, latencyRow, juce::Justification::centredLeft, 2);
    }
}
} // namespace wb::app
