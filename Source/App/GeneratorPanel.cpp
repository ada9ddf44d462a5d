#include "App/GeneratorPanel.h"

#include "App/Theme.h"
#include "App/XmlNumbers.h"
#include "Engine/GeneratorNode.h"

#include <cmath>

namespace wb::app
{
namespace
{
constexpr int kNumKinds = kNumSignalKinds;
constexpr int kRowHeight = 26;
constexpr int kRowGap = 5;
constexpr int kLabelWidth = 74;
constexpr double kMaxSeed = 4294967295.0;

void styleSlider(juce::Slider& s, double min, double max, double value, bool log, double interval = 0.0)
{
    s.setSliderStyle(juce::Slider::LinearHorizontal);
    s.setTextBoxStyle(juce::Slider::TextBoxRight, false, 92, 22);
    s.setRange(min, max, interval);
    if (log)
        s.setSkewFactorFromMidPoint(std::sqrt(min * max));
    s.setValue(value, juce::dontSendNotification);
    s.setVelocityBasedMode(false);
}

bool isNoise(SignalKind k) noexcept { return isRandom(k); }
} // namespace

GeneratorPanel::GeneratorPanel(AudioEngine& e) : engine(e)
{
    settings.kind = SignalKind::Sine;
    settings.freq = 1000.0;
    settings.levelDb = -20.0;
    settings.duration = 0.0; // endless
    settings.seed = 1;
    title.setFont(juce::Font(17.0f, juce::Font::bold));
    addAndMakeVisible(title);

    for (int k = 0; k < kNumKinds; ++k)
        kindBox.addItem(juce::String(std::string(signalKindName(static_cast<SignalKind>(k)))), k + 1);
    kindBox.setSelectedId(static_cast<int>(settings.kind) + 1, juce::dontSendNotification);
    kindBox.onChange = [this]
    {
        settings.kind = static_cast<SignalKind>(kindBox.getSelectedId() - 1);
        settings.freq = isSweep(settings.kind) ? sweepFromHz : toneHz;
        freqSlider.setValue(settings.freq, juce::dontSendNotification);
        sendKindSettings();
        if (!isTimerRunning())
            showMessage({}, false); // a refusal belonged to a box of the previous kind
        updateVisibility();
    };
    kindBox.setTooltip("The test signal: tones (sine, square, saw, triangle), noises (white, pink, brown), "
                       "an impulse train, log or linear sine sweeps, silence or DC");
    addAndMakeVisible(kindBox);

    modeBox.addItem("dBFS peak", 1);
    modeBox.addItem("dBFS RMS", 2);
    modeBox.setSelectedId(1, juce::dontSendNotification);
    modeBox.onChange = [this]
    {
        settings.mode = modeBox.getSelectedId() == 2 ? LevelMode::Rms : LevelMode::Peak;
        send(GeneratorParam::levelMode, settings.mode == LevelMode::Rms ? 1.0 : 0.0);
    };
    modeBox.setTooltip("Whether Level is the signal's peak or its RMS, in dBFS");
    addAndMakeVisible(modeBox);

    styleSlider(freqSlider, 20.0, 20000.0, settings.freq, true);
    freqSlider.onValueChange = [this]
    {
        settings.freq = freqSlider.getValue();
        (isSweep(settings.kind) ? sweepFromHz : toneHz) = settings.freq;
        send(GeneratorParam::freq, settings.freq);
    };
    freqSlider.setTooltip("Tone frequency, or where a sweep starts: 20 Hz .. 20 kHz, each remembered on its own "
                          "(tone 1 kHz, sweep from 20 Hz to begin with). Type e.g. 440, 1k, 1.5 kHz");
    styleSlider(toSlider, 20.0, 20000.0, settings.freqTo, true);
    toSlider.onValueChange = [this]
    {
        settings.freqTo = toSlider.getValue();
        send(GeneratorParam::freqTo, settings.freqTo);
    };
    toSlider.setTooltip("Where the sweep ends: 20 Hz .. 20 kHz (a change applies at the next repetition)");
    styleSlider(levelSlider, -80.0, 0.0, settings.levelDb, false);
    levelSlider.onValueChange = [this]
    {
        settings.levelDb = levelSlider.getValue();
        send(GeneratorParam::levelDb, settings.levelDb);
    };
    levelSlider.onDragStart = [this] { stopTimer(); }; // the user takes over from a typed ramp
    levelSlider.typedFilter = [this](double typed) { return filterTypedLevel(typed); };
    levelSlider.setTooltip("Output level, -80 .. 0 dBFS (peak or RMS, see below). A typed rise of more than "
                           "6 dB, or to above -6 dBFS, ramps there at 20 dB/s instead of jumping");

    styleSlider(durationSlider, 0.1, 60.0, sweepSeconds, true);
    durationSlider.typedFilter = [this](double typed) -> std::optional<double>
    {
        if (typed < 2.0 * fadeSeconds)
        {
            showMessage("Duration " + juce::String(formatValue(typed, ValueUnit::Seconds)) + " is shorter than its two fades ("
                            + juce::String(formatValue(fadeSeconds, ValueUnit::Seconds)) + " each)",
                        true);
            return std::nullopt;
        }
        return typed;
    };
    durationSlider.onValueChange = [this]
    {
        sweepSeconds = durationSlider.getValue();
        fadeSlider.setRange(0.0, std::min(1.0, 0.5 * sweepSeconds), 0.0);
        sendKindSettings();
    };
    durationSlider.setTooltip("Length of one sweep, 0.1 .. 60 s; with Repeat it starts again right after");
    styleSlider(fadeSlider, 0.0, 1.0, fadeSeconds, false);
    fadeSlider.onValueChange = [this]
    {
        fadeSeconds = fadeSlider.getValue();
        sendKindSettings();
    };
    fadeSlider.setTooltip("Raised-cosine fade at both ends of each sweep, 0 .. 1 s (at most half the duration)");
    styleSlider(periodSlider, 0.001, 10.0, impulsePeriodSeconds, true);
    periodSlider.onValueChange = [this]
    {
        impulsePeriodSeconds = periodSlider.getValue();
        sendKindSettings();
    };
    periodSlider.setTooltip("Time between impulses, 1 ms .. 10 s (Repeat off: a single impulse at Start)");
    styleSlider(seedSlider, 0.0, kMaxSeed, 1.0, false, 1.0);
    seedSlider.setSliderStyle(juce::Slider::IncDecButtons);
    seedSlider.onValueChange = [this]
    {
        settings.seed = static_cast<std::uint64_t>(seedSlider.getValue());
        send(GeneratorParam::seed, static_cast<double>(settings.seed));
    };
    seedSlider.setTooltip("Seed of the noise generator, 0 .. 4294967295: the same seed gives the same noise "
                          "as `wavebench render --seed`");
    repeatButton.setToggleState(true, juce::dontSendNotification);
    repeatButton.onClick = [this]
    {
        (settings.kind == SignalKind::Impulse ? impulseRepeat : sweepRepeat) = repeatButton.getToggleState();
        sendKindSettings();
    };
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

    left.setToggleState(true, juce::dontSendNotification);
    right.setToggleState(true, juce::dontSendNotification);
    auto routing = [this]
    {
        routingMask = (left.getToggleState() ? 1 : 0) | (right.getToggleState() ? 2 : 0);
        invertMask = invertRight.getToggleState() ? 2 : 0;
        send(GeneratorParam::routingMask, routingMask);
        send(GeneratorParam::invertMask, invertMask);
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
    updateVisibility();
    sendAll();
}

int GeneratorPanel::preferredHeight() noexcept
{
    // title + kind, from, to, duration, fade, level, mode, channels, start (taller), message
    return 20 + 30 + 9 * (kRowHeight + kRowGap) + 8 + 36;
}

void GeneratorPanel::send(GeneratorParam p, double value)
{
    (void) engine.pushFromUi(Command::setParameter(kGeneratorNodeId, static_cast<std::uint32_t>(p), value));
}

SignalSettings GeneratorPanel::playedSettings(double sampleRate) const
{
    SignalSettings s = settings;
    s.duration = 0.0;
    s.fadeIn = s.fadeOut = 0.0;
    s.repeat = false;
    s.periodSamples = 0.0;
    if (isSweep(s.kind))
    {
        s.duration = sweepSeconds;
        s.fadeIn = s.fadeOut = fadeSeconds;
        s.repeat = sweepRepeat;
    }
    else if (s.kind == SignalKind::Impulse)
    {
        s.periodSamples = impulseRepeat ? impulsePeriodSeconds * sampleRate : 0.0;
    }
    return s;
}

void GeneratorPanel::sendKindSettings()
{
    // Timing first, the kind last: a kernel takes its timing when it starts (SignalGenerator.h),
    // so a sweep chosen after its duration arrived starts with that duration.
    const bool sweep = isSweep(settings.kind);
    const bool impulse = settings.kind == SignalKind::Impulse;
    send(GeneratorParam::duration, sweep ? sweepSeconds : 0.0);
    send(GeneratorParam::fadeIn, sweep ? fadeSeconds : 0.0);
    send(GeneratorParam::fadeOut, sweep ? fadeSeconds : 0.0);
    send(GeneratorParam::repeat, sweep && sweepRepeat ? 1.0 : 0.0);
    send(GeneratorParam::periodSeconds, impulse && impulseRepeat ? impulsePeriodSeconds : 0.0);
    send(GeneratorParam::freq, settings.freq); // a sweep's start is timing too: before the kind
    send(GeneratorParam::seed, static_cast<double>(settings.seed));
    send(GeneratorParam::kind, static_cast<double>(settings.kind));
}

void GeneratorPanel::sendAll()
{
    send(GeneratorParam::freq, settings.freq);
    send(GeneratorParam::freqTo, settings.freqTo);
    send(GeneratorParam::levelDb, settings.levelDb);
    send(GeneratorParam::levelMode, settings.mode == LevelMode::Rms ? 1.0 : 0.0);
    sendKindSettings();
    send(GeneratorParam::routingMask, routingMask);
    send(GeneratorParam::invertMask, invertMask);
    sendRunning();
}

void GeneratorPanel::sendRunning()
{
    if (engine.pushFromUi(running ? Command::start(kGeneratorNodeId) : Command::stop(kGeneratorNodeId)) && running)
        ++startsSent;
}

void GeneratorPanel::showRunning()
{
    startButton.setButtonText(running ? "Stop" : "Start");
    startButton.setColour(juce::TextButton::buttonColourId, running ? theme::kAccent.darker(0.3f) : theme::kPanelLight);
    repaint();
}

void GeneratorPanel::toggleRunning()
{
    running = !running;
    sendRunning();
    showRunning();
}

void GeneratorPanel::handleGeneratorFinished(const GeneratorFinished& finished)
{
    if (finished.node != kGeneratorNodeId || finished.startCount != startsSent || !running)
        return; // another generator's, or the user pressed Start again since
    running = false;
    showRunning();
}

void GeneratorPanel::showStoppedByDevice()
{
    if (running)
    {
        running = false;
        (void) engine.pushFromUi(Command::stop(kGeneratorNodeId));
    }
    stopTimer();
    startButton.setButtonText("Start");
    startButton.setColour(juce::TextButton::buttonColourId, theme::kPanelLight);
    repaint();
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
    showMessage("Ramping to " + juce::String(formatValue(typed, ValueUnit::Decibel)) + " at 20 dB/s (a typed rise of over "
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

void GeneratorPanel::updateVisibility()
{
    const SignalKind k = settings.kind;
    const bool sweep = isSweep(k);
    const bool impulse = k == SignalKind::Impulse;
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
    repeatButton.setToggleState(impulse ? impulseRepeat : sweepRepeat, juce::dontSendNotification);
    toLabel.setText("To", juce::dontSendNotification);
    resized();
}

std::unique_ptr<juce::XmlElement> GeneratorPanel::saveState() const
{
    auto xml = std::make_unique<juce::XmlElement>(session::kGeneratorTag);
    xml->setAttribute("kind", juce::String(std::string(signalKindName(settings.kind))));
    xml->setAttribute("freq", settings.freq);
    xml->setAttribute("freqTo", settings.freqTo);
    xml->setAttribute("toneFreq", toneHz);
    xml->setAttribute("sweepFrom", sweepFromHz);
    xml->setAttribute("levelDb", settings.levelDb);
    xml->setAttribute("mode", settings.mode == LevelMode::Rms ? "rms" : "peak");
    xml->setAttribute("sweepSeconds", sweepSeconds);
    xml->setAttribute("fadeSeconds", fadeSeconds);
    xml->setAttribute("sweepRepeat", sweepRepeat);
    xml->setAttribute("periodSeconds", impulsePeriodSeconds);
    xml->setAttribute("impulseRepeat", impulseRepeat);
    xml->setAttribute("seed", juce::String(static_cast<juce::int64>(settings.seed)));
    xml->setAttribute("routing", routingMask);
    xml->setAttribute("invert", invertMask);
    xml->setAttribute("running", running);
    return xml;
}

bool GeneratorPanel::restoreState(const juce::XmlElement& xml, juce::String& error, RestoreRunning how)
{
    if (!xml.hasTagName(session::kGeneratorTag) && !xml.hasTagName("GeneratorPanel")) // GeneratorPanel: version 1
    {
        error = "not a generator state (expected <Generator>, found <" + xml.getTagName() + ">)";
        return false;
    }
    const auto kindName = xml.getStringAttribute("kind", "sine");
    const auto kind = parseSignalKind(kindName.toStdString());
    // Absent: the current value; present but not a number: NaN, refused below.
    const auto number = [&xml](const char* name, double current)
    { return finiteNumberAttribute(xml, name, current).value_or(std::nan("")); };
    const double freq = number("freq", settings.freq);
    const double to = number("freqTo", settings.freqTo);
    // A preset from before the two were kept apart has only "freq": the current kind's.
    const bool savedSweep = kind && isSweep(*kind);
    const double tone = number("toneFreq", savedSweep ? toneHz : freq);
    const double from = number("sweepFrom", savedSweep ? freq : sweepFromHz);
    const double level = number("levelDb", settings.levelDb);
    const double sweep = number("sweepSeconds", sweepSeconds);
    const double fade = number("fadeSeconds", fadeSeconds);
    const double period = number("periodSeconds", impulsePeriodSeconds);
    const double seed = number("seed", static_cast<double>(settings.seed));
    const auto mode = xml.getStringAttribute("mode", "peak");
    // The panel's own ranges (the sliders'): a preset the app wrote is always inside them.
    const auto inRange = [](double v, const juce::Slider& s)
    { return std::isfinite(v) && v >= s.getMinimum() && v <= s.getMaximum(); };
    juce::String why;
    if (!kind)
        why = "unknown signal '" + kindName + "'";
    else if (!inRange(freq, freqSlider))
        why = "frequency " + juce::String(freq) + " Hz is not in 20-20000 Hz";
    else if (!inRange(tone, freqSlider))
        why = "tone frequency " + juce::String(tone) + " Hz is not in 20-20000 Hz";
    else if (!inRange(from, freqSlider))
        why = "sweep start " + juce::String(from) + " Hz is not in 20-20000 Hz";
    else if (!inRange(to, toSlider))
        why = "sweep end " + juce::String(to) + " Hz is not in 20-20000 Hz";
    else if (!inRange(level, levelSlider))
        why = "level " + juce::String(level) + " dBFS is not in -80..0 dBFS";
    else if (!inRange(sweep, durationSlider))
        why = "sweep duration " + juce::String(sweep) + " s is not in 0.1-60 s";
    else if (!(fade >= 0.0 && fade <= 1.0 && 2.0 * fade <= sweep))
        why = "fade " + juce::String(fade) + " s is not in 0..1 s and within half the sweep";
    else if (!inRange(period, periodSlider))
        why = "impulse period " + juce::String(period) + " s is not in 0.001-10 s";
    else if (!(seed >= 0.0 && seed <= kMaxSeed && seed == std::floor(seed)))
        why = "seed " + juce::String(seed) + " is not an integer in 0..4294967295";
    else if (mode != "peak" && mode != "rms")
        why = "unknown level mode '" + mode + "'";
    if (why.isNotEmpty())
    {
        error = "generator: " + why;
        return false;
    }
    stopTimer();
    settings.kind = *kind;
    toneHz = tone;
    sweepFromHz = from;
    settings.freq = isSweep(*kind) ? sweepFromHz : toneHz;
    settings.freqTo = to;
    settings.levelDb = level;
    settings.mode = mode == "rms" ? LevelMode::Rms : LevelMode::Peak;
    settings.seed = static_cast<std::uint64_t>(seed);
    sweepSeconds = sweep;
    fadeSeconds = fade;
    impulsePeriodSeconds = period;
    sweepRepeat = xml.getBoolAttribute("sweepRepeat", sweepRepeat);
    impulseRepeat = xml.getBoolAttribute("impulseRepeat", impulseRepeat);
    routingMask = xml.getIntAttribute("routing", 3) & 0xff;
    invertMask = xml.getIntAttribute("invert", 0) & 0xff;
    lastRestoredRunning = xml.getBoolAttribute("running", false);
    running = how == RestoreRunning::asSaved && lastRestoredRunning;
    kindBox.setSelectedId(static_cast<int>(settings.kind) + 1, juce::dontSendNotification);
    modeBox.setSelectedId(settings.mode == LevelMode::Rms ? 2 : 1, juce::dontSendNotification);
    freqSlider.setValue(settings.freq, juce::dontSendNotification);
    toSlider.setValue(settings.freqTo, juce::dontSendNotification);
    levelSlider.setValue(settings.levelDb, juce::dontSendNotification);
    durationSlider.setValue(sweepSeconds, juce::dontSendNotification);
    fadeSlider.setRange(0.0, std::min(1.0, 0.5 * sweepSeconds), 0.0);
    fadeSlider.setValue(fadeSeconds, juce::dontSendNotification);
    periodSlider.setValue(impulsePeriodSeconds, juce::dontSendNotification);
    seedSlider.setValue(seed, juce::dontSendNotification);
    left.setToggleState((routingMask & 1) != 0, juce::dontSendNotification);
    right.setToggleState((routingMask & 2) != 0, juce::dontSendNotification);
    invertRight.setToggleState((invertMask & 2) != 0, juce::dontSendNotification);
    startButton.setButtonText(running ? "Stop" : "Start");
    startButton.setColour(juce::TextButton::buttonColourId, running ? theme::kAccent.darker(0.3f) : theme::kPanelLight);
    showMessage({}, false);
    updateVisibility();
    sendAll();
    return true;
}

void GeneratorPanel::paint(juce::Graphics& g)
{
    g.setColour(theme::kPanel);
    g.fillRoundedRectangle(getLocalBounds().toFloat(), 6.0f);
    if (running)
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
    const bool impulse = settings.kind == SignalKind::Impulse;
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
