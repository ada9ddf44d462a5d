#pragma once
// The generator panel: signal, then the controls of that signal kind (tone: frequency; sweep:
// from, to, duration, once/repeat, fade; impulse: period, once/repeat; noise: seed), level in
// dBFS as peak or RMS, channel routing and polarity, start/stop. Every change is a command
// through the engine's ring (AudioEngine::pushFromUi); the panel keeps the UI-side model, which
// is what presets save.
//
// Typed values (ValueEntrySlider): units and SI prefixes; a refusal keeps the old value and its
// reason shows in the message line under the boxes (kMessageId). A typed level that rises by more
// than kSafeRiseDb, or to above kSafeCeilingDb, is not applied at once: the level ramps there at
// kTypedRampDbPerSecond (dragging the level slider stops the ramp).
#include "App/ValueEntry.h"
#include "Core/Signals/SignalTypes.h"
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorNode.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace wb::app
{
class GeneratorPanel final : public juce::Component, private juce::Timer
{
public:
    static constexpr double kSafeRiseDb = 6.0;
    static constexpr double kSafeCeilingDb = -6.0;
    static constexpr double kTypedRampDbPerSecond = 20.0;

    explicit GeneratorPanel(AudioEngine& engine);

    void paint(juce::Graphics&) override;
    void resized() override;
    /// The height the panel needs for its tallest layout (a sweep).
    [[nodiscard]] static int preferredHeight() noexcept;

    /// Space bar and the Start button.
    void toggleRunning();
    [[nodiscard]] bool isRunning() const noexcept { return running; }
    /// Shows "stopped" without sending anything (the device is gone: nothing plays).
    void showStoppedByDevice();
    /// Message thread, from the UI's telemetry drain: the generator's one-shot signal (a sweep
    /// without repeat, a single impulse) ended and the generator stopped itself; the button shows
    /// Start again. A report older than the last Start sent (its startCount differs) is ignored.
    void handleGeneratorFinished(const GeneratorFinished& finished);

    enum class RestoreRunning
    {
        asSaved, ///< a preset loaded by the user: running if it was saved running
        stopped, ///< launch: the session comes back stopped (see MainComponent)
    };
    /// The model as XML, and back (sends everything to the engine). restore returns false and
    /// changes nothing when the XML is not a generator state, names an unknown signal or mode, or
    /// holds a value that is not a number or lies outside the panel's range (frequencies
    /// 20-20000 Hz, level -80..0 dBFS, ...): the reason goes to `error`.
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveState() const;
    bool restoreState(const juce::XmlElement& xml, juce::String& error,
                      RestoreRunning how = RestoreRunning::asSaved);
    bool restoreState(const juce::XmlElement& xml)
    {
        juce::String ignored;
        return restoreState(xml, ignored);
    }
    /// Whether the last restored state was saved running (whatever `how` did with it).
    [[nodiscard]] bool restoredWasRunning() const noexcept { return lastRestoredRunning; }

    // For tests and automation of the UI.
    void setLevelDb(double db);
    void setFrequency(double hz);
    void setKind(SignalKind kind);
    [[nodiscard]] const SignalSettings& model() const noexcept { return settings; }
    /// The settings the engine plays for the current kind (what `wavebench render` takes).
    [[nodiscard]] SignalSettings playedSettings(double sampleRate) const;
    [[nodiscard]] bool isLevelRamping() const noexcept { return isTimerRunning(); }
    [[nodiscard]] juce::String message() const { return messageLabel.getText(); }

private:
    void sendAll();
    void sendRunning(); ///< start or stop, as `running` says (counts the starts)
    void showRunning(); ///< the button as `running` says
    void sendKindSettings();
    void send(GeneratorParam p, double value);
    void updateVisibility();
    void showMessage(const juce::String& text, bool isError);
    std::optional<double> filterTypedLevel(double typed);
    void timerCallback() override; // the typed-level ramp

    AudioEngine& engine;
    SignalSettings settings;
    double sweepSeconds = 2.0, fadeSeconds = 0.01, impulsePeriodSeconds = 0.5;
    /// The Frequency box is the tone's frequency for tones and the sweep's start (From) for
    /// sweeps, each remembered on its own (a sweep starts at 20 Hz by default, not at the tone's
    /// 1 kHz); settings.freq is the one of the current kind (what the engine and `render --freq`
    /// take).
    double toneHz = 1000.0, sweepFromHz = 20.0;
    bool sweepRepeat = true, impulseRepeat = true;
    int routingMask = 0x3, invertMask = 0;
    bool running = false;
    bool lastRestoredRunning = false;
    std::uint32_t startsSent = 0; ///< start commands pushed (the node counts those it applied)
    double rampFromDb = 0.0, rampToDb = 0.0, rampStartMs = 0.0;

    juce::Label title{{}, "Generator"};
    juce::ComboBox kindBox, modeBox;
    ValueEntrySlider freqSlider{ValueUnit::Hertz}, toSlider{ValueUnit::Hertz}, levelSlider{ValueUnit::Decibel};
    ValueEntrySlider durationSlider{ValueUnit::Seconds}, fadeSlider{ValueUnit::Seconds};
    ValueEntrySlider periodSlider{ValueUnit::Seconds}, seedSlider{ValueUnit::None, 10};
    juce::Label freqLabel{{}, "Frequency"}, toLabel{{}, "Sweep to"}, levelLabel{{}, "Level"};
    juce::Label durationLabel{{}, "Duration"}, fadeLabel{{}, "Fade"}, periodLabel{{}, "Period"};
    juce::Label seedLabel{{}, "Seed"};
    juce::ToggleButton repeatButton{"Repeat"};
    juce::ToggleButton left{"Left"}, right{"Right"}, invertRight{"Invert R"};
    juce::TextButton startButton{"Start"};
    juce::Label messageLabel;

public:
    /// Component IDs of the controls (UI tests find them with findChildWithID).
    static constexpr const char* kKindId = "generator.kind";
    static constexpr const char* kFrequencyId = "generator.freq";
    static constexpr const char* kToId = "generator.to";
    static constexpr const char* kLevelId = "generator.level";
    static constexpr const char* kDurationId = "generator.duration";
    static constexpr const char* kFadeId = "generator.fade";
    static constexpr const char* kPeriodId = "generator.period";
    static constexpr const char* kSeedId = "generator.seed";
    static constexpr const char* kRepeatId = "generator.repeat";
    static constexpr const char* kStartId = "generator.start";
    static constexpr const char* kMessageId = "generator.message";
};
} // namespace wb::app
