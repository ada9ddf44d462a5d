#pragma once
// The generator panel: signal, frequency (and sweep end), level in dBFS as peak or RMS, channel
// routing and polarity, start/stop. Every change is a command through the engine's ring
// (AudioEngine::pushFromUi); the panel keeps the UI-side model, which is what presets save.
#include "Core/Signals/SignalTypes.h"
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace wb::app
{
class GeneratorPanel final : public juce::Component
{
public:
    explicit GeneratorPanel(AudioEngine& engine);

    void paint(juce::Graphics&) override;
    void resized() override;

    /// Space bar and the Start button.
    void toggleRunning();
    [[nodiscard]] bool isRunning() const noexcept { return running; }
    /// The model as XML, and back (sends everything to the engine). restore returns false and
    /// changes nothing when the XML is not a generator state, names an unknown signal or mode, or
    /// holds a value that is not a number or lies outside the panel's range (frequencies
    /// 20-20000 Hz, level -80..0 dBFS): the reason goes to `error`.
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveState() const;
    bool restoreState(const juce::XmlElement& xml, juce::String& error);
    bool restoreState(const juce::XmlElement& xml)
    {
        juce::String ignored;
        return restoreState(xml, ignored);
    }

    // For tests and automation of the UI.
    void setLevelDb(double db);
    void setFrequency(double hz);
    void setKind(SignalKind kind);

private:
    void sendAll();
    void send(GeneratorParam p, double value);
    void updateVisibility();

    AudioEngine& engine;
    SignalSettings settings;
    int routingMask = 0x3, invertMask = 0;
    bool running = false;

    juce::Label title{{}, "Generator"};
    juce::ComboBox kindBox, modeBox;
    juce::Slider freqSlider, toSlider, levelSlider;
    juce::Label freqLabel{{}, "Frequency"}, toLabel{{}, "Sweep to"}, levelLabel{{}, "Level"};
    juce::ToggleButton left{"Left"}, right{"Right"}, invertRight{"Invert R"};
    juce::TextButton startButton{"Start"};

public:
    /// Component IDs of the controls (UI tests find them with findChildWithID).
    static constexpr const char* kKindId = "generator.kind";
    static constexpr const char* kFrequencyId = "generator.freq";
    static constexpr const char* kLevelId = "generator.level";
    static constexpr const char* kStartId = "generator.start";
};
} // namespace wb::app
