#include "App/GeneratorPanel.h"

#include "App/Theme.h"
#include "Core/Session/GeneratorParams.h"
#include "Engine/GeneratorNode.h"
#include "Engine/SessionFile.h"

#include <cmath>

namespace wb::app
{
namespace
{
constexpr int kNumKinds = kNumSignalKinds;
constexpr int kRowHeight = 26;
constexpr int kRowGap = 5;
constexpr int kLabelWidth = 74;

/// Range, step and scale from the setting's ParamSpec (a log scale: the geometric middle of the
/// range at the middle of the slider; the arrow keys step by a ratio there, ParamSpec::keyStep).
void styleSlider(ValueEntrySlider& s, const ParamSpec& spec, double value)
{
    s.setKeyStepSpec(&spec); // generatorParamSpecs() lives as long as the program
    s.setSliderStyle(juce::Slider::LinearHorizontal);
    s.setTextBoxStyle(juce::Slider::TextBoxRight, false, 92, 22);
    s.setRange(spec.min, spec.max, spec.step);
    if (spec.isLog())
        s.setSkewFactorFromMidPoint(std::sqrt(spec.min * spec.max));
    s.setValue(value, juce::dontSendNotification);
    s.setVelocityBasedMode(false);
}

bool isNoise(SignalKind k) noexcept { return isRandom(k); }
} // namespace

GeneratorPanel::GeneratorPanel(AudioEngine& e) : settingsModel(e.generatorModel())
{
    const auto& specs = generatorParamSpecs();
    const GeneratorState& g = settingsModel.state();
    title.setFont(juce::Font(17.0f, juce::Font::bold));
    addAndMakeVisible(title);

    for (int k = 0; k < kNumKinds; ++k)
        kindBox.addItem(juce::String(std::string(signalKindName(static_cast<SignalKind>(k)))), k + 1);
    kindBox.onChange = [this]
    {
        settingsModel.setKind(static_cast<SignalKind>(kindBox.getSelectedId() - 1));
        if (!isTimerRunning())
            showMessage({}, false); // a refusal belonged to a box of the previous kind
    };
    kindBox.setTooltip("The test signal: tones (sine, square, saw, triangle), noises (white, pink, brown), "
                       "an impulse train, log or linear sine sweeps, silence or DC");
    addAndMakeVisible(kindBox);

    modeBox.addItem("dBFS peak", 1);
    modeBox.addItem("dBFS RMS", 2);
    modeBox.onChange = [this]
    { settingsModel.setMode(modeBox.getSelectedId() == 2 ? LevelMode::rms : LevelMode::peak); };
    modeBox.setTooltip("Whether Level is the signal's peak or its RMS, in dBFS");
    addAndMakeVisible(modeBox);

    styleSlider(freqSlider, specs.freq, g.freq());
    freqSlider.onValueChange = [this] { settingsModel.setFrequency(freqSlider.getValue()); };
    freqSlider.setTooltip("Tone frequency, or where a sweep starts: 20 Hz .. 20 kHz, each remembered on its own "
                          "(tone 1 kHz, sweep from 20 Hz to begin with). Type e.g. 440, 1k, 1.5 kHz");
    styleSlider(toSlider, specs.freqTo, g.freqTo);
    toSlider.onValueChange = [this] { settingsModel.setFreqTo(toSlider.getValue()); };
    toSlider.setTooltip("Where the sweep ends: 20 Hz .. 20 kHz (a change applies at the next repetition)");
    styleSlider(levelSlider, specs.level, g.levelDb);
    levelSlider.onValueChange = [this] { settingsModel.setLevelDb(levelSlider.getValue()); };
    levelSlider.onDragStart = [this] { stopTimer(); }; // the user takes over from a typed ramp
    levelSlider.typedFilter = [this](double typed) { return filterTypedLevel(typed); };
    levelSlider.setTooltip("Output level, -80 .. 0 dBFS (peak or RMS, see below). A typed rise of more than "
                           "6 dB, or to above -6 dBFS, ramps there at 20 dB/s instead of jumping");

    styleSlider(durationSlider, specs.sweepSeconds, g.sweepSeconds);
    durationSlider.typedFilter = [this](double typed) -> std::optional<double>
    {
        const double fadeSeconds = settingsModel.state().fadeSeconds;
        if (typed < 2.0 * fadeSeconds)
        {
            showMessage("Duration " + juce::String(formatValue(typed, ValueUnit::seconds)) + " is shorter than its two fades ("
                            + juce::String(formatValue(fadeSeconds, ValueUnit::seconds)) + " each)",
                        true);
            return std::nullopt;
        }
        return typed;
    };
    durationSlider.onValueChange = [this] { settingsModel.setSweepSeconds(durationSlider.getValue()); };
    durationSlider.setTooltip("Length of one sweep, 0.1 .. 60 s; with Repeat it starts again right after");
    styleSlider(fadeSlider, specs.fadeSeconds, g.fadeSeconds);
    fadeSlider.onValueChange = [this] { settingsModel.setFadeSeconds(fadeSlider.getValue()); };
    fadeSlider.setTooltip("Raised-cosine fade at both ends of each sweep, 0 .. 1 s (at most half the duration)");
    styleSlider(periodSlider, specs.impulsePeriod, g.impulsePeriodSeconds);
    periodSlider.onValueChange = [this] { settingsModel.setImpulsePeriodSeconds(periodSlider.getValue()); };
    periodSlider.setTooltip("Time between impulses, 1 ms .. 10 s (Repeat off: a single impulse at Start)");
    styleSlider(seedSlider, specs.seed, static_cast<double>(g.seed));
    seedSlider.setSliderStyle(juce::Slider::IncDecButtons);
    seedSlider.onValueChange = [this] { settingsModel.setSeed(seedSlider.getValue()); };
    seedSlider.setTooltip("Seed of the noise generator, 0 .. 4294967295: the same seed gives the same noise "
                          "as `wavebench render --seed`");
    repeatButton.onClick = [this] { settingsModel.setRepeat(repeatButton.getToggleState()); };
    repeatButton.setTooltip("On: the sweep (or impulse) repeats; off: it plays once after Start");

    for (auto* c : std::initializer_list<ValueEntrySlider*>{&freqSlider, &toSlider, &levelSlider, &durationSlider,
                                                            &fadeSlider, &periodSlider, &seedSlider})
    {
        c->onRefused = [this](const juce::String& why) { showMessage(why, true); };
        c->onAccepted = [this] { showMessage({}, false); };
        c->updateText();
        addAndMakeVisible(*c);
    }
    addAndMakeVisible(repeatButton);
    for (auto* l : {&freqLabel, &toLabel, &levelLabel, &durationLabel, &fadeLabel, &periodLabel, &seedLabel})
    {
        l->setColour(juce::Label::textColourId, theme::kDimText);
        addAndMakeVisible(*l);
    }
    messageLabel.setFont(juce::Font(13.0f));
    messageLabel.setJustificationType(juce::Justification::topLeft);
    messageLabel.setMinimumHorizontalScale(1.0f);
    addAndMakeVisible(messageLabel);

    auto routing = [this]
    {
        settingsModel.setRouting((left.getToggleState() ? 1 : 0) | (right.getToggleState() ? 2 : 0),
                                 invertRight.getToggleState() ? 2 : 0);
    };
    for (auto* b : {&left, &right, &invertRight})
    {
        b->onClick = routing;
        addAndMakeVisible(*b);
    }
    left.setTooltip("Output 1 (left) carries the signal");
    right.setTooltip("Output 2 (right) carries the signal");
    invertRight.setTooltip("Output 2 plays the signal with its polarity inverted");

    startButton.setClickingTogglesState(false);
    startButton.onClick = [this] { toggleRunning(); };
    startButton.setTooltip("Start or stop the generator (space bar)");
    addAndMakeVisible(startButton);
    kindBox.setComponentID(kKindId);
    freqSlider.setComponentID(kFrequencyId);
    toSlider.setComponentID(kToId);
    levelSlider.setComponentID(kLevelId);
    durationSlider.setComponentID(kDurationId);
    fadeSlider.setComponentID(kFadeId);
    periodSlider.setComponentID(kPeriodId);
    seedSlider.setComponentID(kSeedId);
    repeatButton.setComponentID(kRepeatId);
    startButton.setComponentID(kStartId);
    messageLabel.setComponentID(kMessageId);
    settingsModel.addListener(this);
    generatorModelChanged();
    settingsModel.sendAll();
}

GeneratorPanel::~GeneratorPanel() { settingsModel.removeListener(this); }

int GeneratorPanel::preferredHeight() noexcept
{
    // title + kind, from, to, duration, fade, level, mode, channels, start (taller), message
    return 20 + 30 + 9 * (kRowHeight + kRowGap) + 8 + 36;
}

SignalSettings GeneratorPanel::model() const
{
    const auto& g = settingsModel.state();
    SignalSettings s;
    s.kind = g.kind;
    s.freq = g.freq();
    s.freqTo = g.freqTo;
    s.levelDb = g.levelDb;
    s.mode = g.mode;
    s.seed = g.seed;
    s.duration = 0.0; // endless: the timing is playedSettings'
    return s;
}

SignalSettings GeneratorPanel::playedSettings(double sampleRate) const
{
    return settingsModel.state().played(sampleRate);
}

void GeneratorPanel::showRunning()
{
    const bool running = settingsModel.state().running;
    startButton.setButtonText(running ? "Stop" : "Start");
    startButton.setColour(juce::TextButton::buttonColourId, running ? theme::kAccent.darker(0.3f) : theme::kPanelLight);
    repaint();
}

void GeneratorPanel::toggleRunning() { settingsModel.setRunning(!settingsModel.state().running); }

void GeneratorPanel::handleGeneratorFinished(const GeneratorFinished& finished)
{
    (void) settingsModel.handleGeneratorFinished(finished); // the listener redraws the button
}

void GeneratorPanel::showStoppedByDevice()
{
    settingsModel.stopForDevice();
    stopTimer();
    showRunning();
}

void GeneratorPanel::setLevelDb(double db) { levelSlider.setValue(db, juce::sendNotificationSync); }
void GeneratorPanel::setFrequency(double hz) { freqSlider.setValue(hz, juce::sendNotificationSync); }
void GeneratorPanel::setKind(SignalKind kind) { kindBox.setSelectedId(static_cast<int>(kind) + 1, juce::sendNotificationSync); }

void GeneratorPanel::showMessage(const juce::String& text, bool isError)
{
    messageLabel.setText(text, juce::dontSendNotification);
    messageLabel.setColour(juce::Label::textColourId, isError ? juce::Colour(0xffff6b6b) : theme::kDimText);
    messageLabel.setTooltip(text);
}

std::optional<double> GeneratorPanel::filterTypedLevel(double typed)
{
    const double now = levelSlider.getValue();
    const bool bigRise = typed > now + kSafeRiseDb;
    const bool loudRise = typed > kSafeCeilingDb && typed > now;
    if (!bigRise && !loudRise)
    {
        stopTimer();
        return typed;
    }
    rampFromDb = now;
    rampToDb = typed;
    rampStartMs = juce::Time::getMillisecondCounterHiRes();
    startTimerHz(60);
    showMessage("Ramping to " + juce::String(formatValue(typed, ValueUnit::decibel)) + " at 20 dB/s (a typed rise of over "
                    "6 dB, or above -6 dBFS, never jumps)",
                false);
    return std::nullopt; // the ramp brings it there
}

void GeneratorPanel::timerCallback()
{
    const double elapsed = (juce::Time::getMillisecondCounterHiRes() - rampStartMs) / 1000.0;
    const double db = std::min(rampToDb, rampFromDb + kTypedRampDbPerSecond * elapsed);
    levelSlider.setValue(db, juce::sendNotificationSync);
    if (db >= rampToDb)
    {
        stopTimer();
        showMessage({}, false);
    }
}

void GeneratorPanel::generatorModelChanged()
{
    const auto& g = settingsModel.state();
    kindBox.setSelectedId(static_cast<int>(g.kind) + 1, juce::dontSendNotification);
    modeBox.setSelectedId(g.mode == LevelMode::rms ? 2 : 1, juce::dontSendNotification);
    freqSlider.setValue(g.freq(), juce::dontSendNotification);
    toSlider.setValue(g.freqTo, juce::dontSendNotification);
    levelSlider.setValue(g.levelDb, juce::dontSendNotification);
    durationSlider.setValue(g.sweepSeconds, juce::dontSendNotification);
    fadeSlider.setRange(0.0, std::min(generatorParamSpecs().fadeSeconds.max, 0.5 * g.sweepSeconds), 0.0);
    fadeSlider.setValue(g.fadeSeconds, juce::dontSendNotification);
    periodSlider.setValue(g.impulsePeriodSeconds, juce::dontSendNotification);
    seedSlider.setValue(static_cast<double>(g.seed), juce::dontSendNotification);
    left.setToggleState((g.routingMask & 1) != 0, juce::dontSendNotification);
    right.setToggleState((g.routingMask & 2) != 0, juce::dontSendNotification);
    invertRight.setToggleState((g.invertMask & 2) != 0, juce::dontSendNotification);
    showRunning();
    updateVisibility();
}

void GeneratorPanel::updateVisibility()
{
    const auto& g = settingsModel.state();
    const SignalKind k = g.kind;
    const bool sweep = isSweep(k);
    const bool impulse = k == SignalKind::impulse;
    freqLabel.setText(sweep ? "From" : "Frequency", juce::dontSendNotification);
    freqLabel.setVisible(isPeriodicTone(k) || sweep);
    freqSlider.setVisible(isPeriodicTone(k) || sweep);
    for (juce::Component* c : std::initializer_list<juce::Component*>{&toLabel, &toSlider, &durationLabel, &durationSlider,
                                                                      &fadeLabel, &fadeSlider})
        c->setVisible(sweep);
    periodLabel.setVisible(impulse);
    periodSlider.setVisible(impulse);
    seedLabel.setVisible(isNoise(k));
    seedSlider.setVisible(isNoise(k));
    repeatButton.setVisible(sweep || impulse);
    repeatButton.setToggleState(impulse ? g.impulseRepeat : g.sweepRepeat, juce::dontSendNotification);
    toLabel.setText("To", juce::dontSendNotification);
    resized();
}

std::unique_ptr<juce::XmlElement> GeneratorPanel::saveState() const
{
    return session::writeGeneratorXml(settingsModel.state());
}

bool GeneratorPanel::restoreState(const juce::XmlElement& xml, juce::String& error, RestoreRunning how)
{
    GeneratorState state;
    return session::readGeneratorXml(xml, state, error) && restoreState(state, error, how);
}

bool GeneratorPanel::restoreState(const GeneratorState& state, juce::String& error, RestoreRunning how)
{
    std::string why;
    if (!settingsModel.restore(state, why, how))
    {
        error = juce::String(why);
        return false;
    }
    stopTimer();
    showMessage({}, false);
    return true;
}

void GeneratorPanel::paint(juce::Graphics& g)
{
    g.setColour(theme::kPanel);
    g.fillRoundedRectangle(getLocalBounds().toFloat(), 6.0f);
    if (settingsModel.state().running)
    {
        g.setColour(theme::kAccent);
        g.fillEllipse(getWidth() - 22.0f, 12.0f, 10.0f, 10.0f);
    }
}

void GeneratorPanel::resized()
{
    auto area = getLocalBounds().reduced(10, 8);
    title.setBounds(area.removeFromTop(24));
    area.removeFromTop(4);
    auto row = [&area](int h = kRowHeight)
    {
        auto r = area.removeFromTop(h);
        area.removeFromTop(kRowGap);
        return r;
    };
    kindBox.setBounds(row());
    // One row per visible control: its label on the left, the box on the right.
    const auto labelled = [&](juce::Label& l, juce::Component& c, juce::Component* extra = nullptr)
    {
        if (!c.isVisible())
            return;
        auto r = row();
        l.setBounds(r.removeFromLeft(kLabelWidth));
        if (extra != nullptr)
            extra->setBounds(r.removeFromRight(78));
        c.setBounds(r);
    };
    const bool impulse = settingsModel.state().kind == SignalKind::impulse;
    labelled(freqLabel, freqSlider);
    labelled(toLabel, toSlider);
    labelled(durationLabel, durationSlider, impulse ? nullptr : &repeatButton);
    labelled(fadeLabel, fadeSlider);
    labelled(periodLabel, periodSlider, impulse ? &repeatButton : nullptr);
    labelled(seedLabel, seedSlider);
    labelled(levelLabel, levelSlider);
    {
        auto r = row();
        r.removeFromLeft(kLabelWidth);
        modeBox.setBounds(r);
    }
    auto r = row(24);
    const int w = r.getWidth() / 3;
    left.setBounds(r.removeFromLeft(w));
    right.setBounds(r.removeFromLeft(w));
    invertRight.setBounds(r);
    startButton.setBounds(row(32));
    messageLabel.setBounds(area.removeFromTop(36));
}
} // namespace wb::app
