#pragma once
// The generator panel: signal, then the controls of that signal kind (tone: frequency; sweep:
// from, to, duration, once/repeat, fade; impulse: period, once/repeat; noise: seed), level in
// dBFS as peak or RMS, channel routing and polarity, start/stop. Every change is a command
// to the generator's model (AudioEngine::generatorModel(), Engine/GeneratorModel.h), which clamps
// it, records it and sends it through the engine's ring; the panel keeps no value of its own and
// redraws from the model whenever it changes. Slider ranges and scales are the GeneratorParams
// specs'.
//
// Typed values (ValueEntrySlider): units and SI prefixes; a refusal keeps the old value and its
// reason shows in the message line under the boxes (kMessageId). A typed level that rises by more
// than kSafeRiseDb, or to above kSafeCeilingDb, is not applied at once: the level ramps there at
// kTypedRampDbPerSecond (dragging the level slider stops the ramp).
#include "App/ValueEntry.h"
#include "Core/Signals/SignalTypes.h"
#include "Engine/AudioEngine.h"
#include "Engine/GeneratorModel.h"
#include "Engine/GeneratorNode.h"

#include <juce_gui_basics/juce_gui_basics.h>

namespace wb::app
{
class GeneratorPanel final : public juce::Component, private juce::Timer, private GeneratorModel::Listener
{
public:
    static constexpr double kSafeRiseDb = 6.0;
    static constexpr double kSafeCeilingDb = -6.0;
    static constexpr double kTypedRampDbPerSecond = 20.0;

    /// Binds to engine.generatorModel() and sends all its settings once.
    explicit GeneratorPanel(AudioEngine& engine);
    ~GeneratorPanel() override;

    void paint(juce::Graphics&) override;
    void resized() override;
    /// The height the panel needs for its tallest layout (a sweep).
    [[nodiscard]] static int preferredHeight() noexcept;

    /// Space bar and the Start button.
    void toggleRunning();
    [[nodiscard]] bool isRunning() const noexcept { return settingsModel.state().running; }
    /// Shows "stopped" without sending anything (the device is gone: nothing plays).
    void showStoppedByDevice();
    /// Message thread, from the UI's telemetry drain: the generator's one-shot signal (a sweep
    /// without repeat, a single impulse) ended and the generator stopped itself; the button shows
    /// Start again. A report older than the last Start sent (its startCount differs) is ignored.
    void handleGeneratorFinished(const GeneratorFinished& finished);

    using RestoreRunning = GeneratorModel::RestoreRunning;
    /// The model as XML (session::writeGeneratorXml), and back (session::readGeneratorXml, then
    /// GeneratorModel::restore, which sends everything to the engine). restore returns false and
    /// changes nothing when the XML is not a generator state, names an unknown signal or mode, or
    /// holds a value that is not a number or lies outside its range (frequencies 20-20000 Hz,
    /// level -80..0 dBFS, ...): the reason goes to `error`. An absent attribute takes its default.
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveState() const;
    bool restoreState(const juce::XmlElement& xml, juce::String& error,
                      RestoreRunning how = RestoreRunning::asSaved);
    bool restoreState(const juce::XmlElement& xml)
    {
        juce::String ignored;
        return restoreState(xml, ignored);
    }
    /// As above, from settings already read (a loaded session): stops a level ramp, clears the
    /// message line, restores the model.
    bool restoreState(const GeneratorState& state, juce::String& error, RestoreRunning how = RestoreRunning::asSaved);
    /// Whether the last restored state was saved running (whatever `how` did with it).
    [[nodiscard]] bool restoredWasRunning() const noexcept { return settingsModel.restoredWasRunning(); }

    // For tests and automation of the UI.
    void setLevelDb(double db);
    void setFrequency(double hz);
    void setKind(SignalKind kind);
    /// The current kind's kind, frequency, sweep end, level, mode and seed (no timing).
    [[nodiscard]] SignalSettings model() const;
    /// The settings the engine plays for the current kind (what `wavebench render` takes).
    [[nodiscard]] SignalSettings playedSettings(double sampleRate) const;
    [[nodiscard]] bool isLevelRamping() const noexcept { return isTimerRunning(); }
    [[nodiscard]] juce::String message() const { return messageLabel.getText(); }

private:
    void generatorModelChanged() override; ///< every control from the model
    void showRunning(); ///< the button as the model's `running` says
    void updateVisibility();
    void showMessage(const juce::String& text, bool isError);
    std::optional<double> filterTypedLevel(double typed);
    void timerCallback() override; // the typed-level ramp

    GeneratorModel& settingsModel;
    double rampFromDb = 0.0, rampToDb = 0.0, rampStartMs = 0.0;

    juce::Label title{{}, "Generator"};
    juce::ComboBox kindBox, modeBox;
    ValueEntrySlider freqSlider{ValueUnit::hertz}, toSlider{ValueUnit::hertz}, levelSlider{ValueUnit::decibel};
    ValueEntrySlider durationSlider{ValueUnit::seconds}, fadeSlider{ValueUnit::seconds};
    ValueEntrySlider periodSlider{ValueUnit::seconds}, seedSlider{ValueUnit::none, 10};
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
