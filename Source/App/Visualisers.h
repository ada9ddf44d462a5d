#pragma once
// The visualisers: scope, spectrum and level meters. They never touch audio buffers: the main
// component drains the engine's telemetry and frame queues on its timer (message thread) and
// hands each view what it needs (FrameChunks, MeterValues), then calls tick(). A view repaints
// only when what it shows moved on screen (by half a pixel for traces, a pixel for bars), and
// only its live area: each is opaque and keeps its frame, grid and labels in a cached image, so
// the main thread stays cheap with every visualiser open (docs/PERFORMANCE.md, issue 7).
#include "App/BackgroundCache.h"
#include "App/VisualLogic.h"
#include "Core/Analysis/LiveLoudness.h"
#include "Core/Realtime/Telemetry.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <fftw3.h>

namespace wb::app
{
/// Which output channels the scope and spectrum show (the main component routes the frames).
enum class ChannelView
{
    channel1 = 1,   ///< output 1 (left)
    channel2 = 2,   ///< output 2 (right)
    both = 3,       ///< 1 in blue, 2 in orange, overlaid
    difference = 4, ///< L - R (the side signal: flat for mono, twice the level for L = -R)
};
/// A combo box choosing the ChannelView (item id = the enum's value), with its tooltip.
void setUpChannelBox(juce::ComboBox& box);

/// Triggered oscilloscope of the chosen channel(s): rising zero-crossing trigger on the first
/// trace, 10 or 20 ms span, and the stereo correlation of outputs 1 and 2 at the bottom.
class ScopeView final : public juce::Component, public juce::SettableTooltipClient
{
public:
    static constexpr const char* kChannelBoxId = "scope.channel";
    ScopeView();
    void setSampleRate(double hz) { rate = hz > 0.0 ? hz : 48000.0; }
    void setSpanMs(int ms);
    [[nodiscard]] int spanMs() const noexcept { return span; }
    std::function<void(int)> onSpanChanged;

    /// The channel choice (the combo box shows it; a change by the user calls onChannelViewChanged).
    void setChannelView(ChannelView v);
    [[nodiscard]] ChannelView channelView() const noexcept { return view; }
    std::function<void(ChannelView)> onChannelViewChanged;
    /// The stereo correlation of outputs 1 and 2 (nullopt: a channel is silent), shown as a bar.
    void setCorrelation(std::optional<double> r);
    [[nodiscard]] std::optional<double> shownCorrelation() const noexcept { return correlation; }
    /// The largest |sample| of the first / second trace on screen (0 without one; for tests).
    [[nodiscard]] float traceMaxAbs(int which) const noexcept;

    void push(const FrameChunk& chunk) { ring.push(chunk); }
    void pushSecond(const FrameChunk& chunk) { ring2.push(chunk); } ///< the orange trace (both)
    /// Message-thread timer: when samples arrived, takes the newest triggered window and repaints
    /// the plot if the trace moved by half a pixel or more.
    void tick();
    void paint(juce::Graphics&) override;
    void resized() override;

private:
    void renderBackground(juce::Graphics&);
    void tracePoints(const std::vector<float>& samples, std::vector<float>& xy) const; // in pixels, (x, y) pairs
    void drawTrace(juce::Graphics&, const std::vector<float>& xy, bool dense);
    [[nodiscard]] juce::Rectangle<int> correlationArea() const;

    vis::SampleRing ring{16384}, ring2{16384};
    std::vector<float> window, trace, window2, trace2;
    std::vector<float> points, shownPoints; // (x, y) pairs: the newest, and what is on screen
    std::vector<float> points2, shownPoints2;
    ChannelView view = ChannelView::channel1;
    std::optional<double> correlation;
    int shownCorrelationPx = -1;
    juce::ComboBox channelBox;
    juce::Path path, stroked;               // rebuilt in paint, storage reused
    BackgroundCache background;
    juce::Rectangle<int> plot;
    std::uint64_t seenSamples = 0;
    double rate = 48000.0;
    int span = 20;
    bool triggered = false, haveData = false;
    bool shownTriggered = false, shownHaveData = false;
    bool shownDense = false; // shownPoints hold (x, max), (x, min) per pixel column
    juce::ComboBox spanBox;
};

/// Amplitude spectrum of the chosen channel: FFT 4096, Blackman-Harris window, log axis
/// 20 Hz-20 kHz, dBFS, with a decaying peak hold (orange); with both channels, output 2's
/// spectrum takes the orange curve's place. A legend names the curves.
class SpectrumView final : public juce::Component, public juce::SettableTooltipClient
{
public:
    static constexpr int kFftSize = 4096;
    static constexpr const char* kChannelBoxId = "spectrum.channel";
    SpectrumView();  // plans the FFT (allocates; message thread)
    ~SpectrumView() override;
    void setSampleRate(double hz) { rate = hz > 0.0 ? hz : 48000.0; }
    void setChannelView(ChannelView v);
    [[nodiscard]] ChannelView channelView() const noexcept { return view; }
    std::function<void(ChannelView)> onChannelViewChanged;
    void push(const FrameChunk& chunk) { ring.push(chunk); }
    void pushSecond(const FrameChunk& chunk) { ring2.push(chunk); } ///< output 2 (both)
    /// Message-thread timer: a new FFT frame when samples arrived; repaints the columns where a
    /// curve moved by a pixel or more, and the max-bin readout when it changed.
    void tick(double dtSeconds);
    void paint(juce::Graphics&) override;
    void resized() override;

private:
    void renderBackground(juce::Graphics&);
    void curvePoints(const std::vector<double>& values, std::vector<float>& ys); // one y per column
    void updateColumns();
    void repaintMovedColumns();

    void transform(const std::vector<float>& samples, std::vector<double>& out); // dB per bin
    juce::String legendText() const;

    vis::SampleRing ring{kFftSize * 2}, ring2{kFftSize * 2};
    ChannelView view = ChannelView::channel1;
    juce::ComboBox channelBox;
    std::vector<float> input, input2;
    std::vector<double> window, db, db2;
    float* fftIn = nullptr;
    fftwf_complex* fftOut = nullptr;
    fftwf_plan plan = nullptr;
    double windowSum = 1.0, rate = 48000.0, pendingDt = 0.0;
    vis::PeakHold peaks{1.0, 20.0};
    bool haveData = false, shownHaveData = false;
    std::uint64_t seenSamples = 0;
    // Per pixel column of the plot: the FFT bins [first, last) it shows (for `columnsRate`).
    std::vector<std::pair<std::size_t, std::size_t>> columns;
    double columnsRate = 0.0;
    std::vector<float> curveY, peakY, shownCurveY, shownPeakY;
    juce::String topText, shownTopText;
    juce::RectangleList<float> spans; // the curves as one span per pixel column; storage reused
    BackgroundCache background;
    juce::Rectangle<int> plot, labels;
};

/// Peak and RMS meters per output channel in dBFS, with peak hold and a latching clip light
/// (click the meter to reset it). Bars and hold move per pixel at the timer's rate; the numeric
/// readouts change at most 8 times a second (readable, and cheap).
class LevelMeters final : public juce::Component, public juce::SettableTooltipClient
{
public:
    LevelMeters();
    void set(const MeterValues& m);
    /// The outputs' EBU R128 loudness (the main component's LiveLoudness), shown under the bars:
    /// momentary, short-term, integrated, range and true peak. Shown at the next readout tick.
    void setLoudness(const LiveLoudness::Figures& f);
    /// A click on the loudness lines: the owner resets its LiveLoudness (integrated, range and
    /// true peak start again). A click anywhere else resets the CLIP lights.
    std::function<void()> onLoudnessReset;
    void tick(double dtSeconds);
    void paint(juce::Graphics&) override;
    void resized() override;
    void mouseDown(const juce::MouseEvent&) override;
    juce::String getTooltip() override;

    /// The loudness lines as shown ("M -20.0  S -20.0", "I -20.0 LUFS  LRA 0.0", "TP -20.0 dBTP").
    [[nodiscard]] juce::StringArray loudnessLines() const { return shownLoudness; }
    [[nodiscard]] const LiveLoudness::Figures& loudness() const noexcept { return loudnessNow; }
    /// Where the loudness lines are (a click there resets them), in this component's coordinates.
    [[nodiscard]] juce::Rectangle<int> loudnessArea() const noexcept { return loudnessRow; }

    /// What the meters show (tests read the displayed values): dBFS, -inf before any data.
    [[nodiscard]] int numChannels() const noexcept { return static_cast<int>(channels.size()); }
    [[nodiscard]] double peakDb(int channel) const { return channels.at(static_cast<std::size_t>(channel)).peakDb; }
    [[nodiscard]] double rmsDb(int channel) const { return channels.at(static_cast<std::size_t>(channel)).rmsDb; }
    [[nodiscard]] bool hasData() const noexcept { return haveData; }

private:
    struct Channel
    {
        double peakDb = -INFINITY, rmsDb = -INFINITY, holdDb = -INFINITY, holdAge = 0.0;
        bool clipped = false;
    };
    /// What one channel shows, in pixels and text: a repaint happens only when it changes.
    struct Shown
    {
        int peakY = -1, rmsY = -1, holdY = -1; // -1: not drawn (below the scale)
        bool rmsWarning = false, holdAlarm = false, clipped = false;
        juce::String peakText, rmsText;
        bool operator==(const Shown&) const = default;
    };
    void refresh(bool readouts);
    [[nodiscard]] juce::Rectangle<int> column(int c) const; // the channel's bar (meter area)
    [[nodiscard]] juce::Rectangle<int> channelArea(int c) const; // clip light, bar and readouts
    void renderBackground(juce::Graphics&);

    std::vector<Channel> channels{2};
    std::vector<Shown> shown{2};
    bool haveData = false;
    double readoutAge = 1.0;
    BackgroundCache background;
    juce::Rectangle<int> scale, meterArea, clipRow, readoutRow, loudnessRow;
    LiveLoudness::Figures loudnessNow;
    juce::StringArray shownLoudness;
    bool loudnessGaps = false;
};
} // namespace wb::app
