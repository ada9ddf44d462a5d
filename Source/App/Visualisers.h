#pragma once
// The visualisers: scope, spectrum and level meters. They never touch audio buffers: the main
// component drains the engine's telemetry and frame queues on its timer (message thread) and
// hands each view what it needs (FrameChunks, MeterValues), then calls tick() to redraw.
#include "App/VisualLogic.h"
#include "Core/Realtime/Telemetry.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <fftw3.h>

namespace wb::app
{
/// Triggered oscilloscope of output channel 0: rising zero-crossing trigger, 10 or 20 ms span.
class ScopeView final : public juce::Component
{
public:
    ScopeView();
    void setSampleRate(double hz) { rate = hz > 0.0 ? hz : 48000.0; }
    void setSpanMs(int ms);
    [[nodiscard]] int spanMs() const noexcept { return span; }
    std::function<void(int)> onSpanChanged;

    void push(const FrameChunk& chunk) { ring.push(chunk); }
    void tick(); // message-thread timer: takes the newest triggered window, repaints
    void paint(juce::Graphics&) override;
    void resized() override;

private:
    vis::SampleRing ring{16384};
    std::vector<float> window, trace;
    double rate = 48000.0;
    int span = 20;
    bool triggered = false, haveData = false;
    juce::ComboBox spanBox;
};

/// Amplitude spectrum of output channel 0: FFT 4096, Blackman-Harris window, log axis
/// 20 Hz-20 kHz, dBFS, with a decaying peak hold.
class SpectrumView final : public juce::Component
{
public:
    static constexpr int kFftSize = 4096;
    SpectrumView();  // plans the FFT (allocates; message thread)
    ~SpectrumView() override;
    void setSampleRate(double hz) { rate = hz > 0.0 ? hz : 48000.0; }
    void push(const FrameChunk& chunk) { ring.push(chunk); }
    void tick(double dtSeconds);
    void paint(juce::Graphics&) override;

private:
    vis::SampleRing ring{kFftSize * 2};
    std::vector<float> input;
    std::vector<double> window, db;
    float* fftIn = nullptr;
    fftwf_complex* fftOut = nullptr;
    fftwf_plan plan = nullptr;
    double windowSum = 1.0, rate = 48000.0;
    vis::PeakHold peaks{1.0, 20.0};
    bool haveData = false;
};

/// Peak and RMS meters per output channel in dBFS, with peak hold and a latching clip light
/// (click the meter to reset it).
class LevelMeters final : public juce::Component
{
public:
    LevelMeters();
    void set(const MeterValues& m);
    void tick(double dtSeconds);
    void paint(juce::Graphics&) override;
    void mouseDown(const juce::MouseEvent&) override;

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
    std::vector<Channel> channels{2};
    bool haveData = false;
};
} // namespace wb::app
