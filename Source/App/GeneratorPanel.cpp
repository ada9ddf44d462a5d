#include "App/GeneratorPanel.h"

#include "App/Theme.h"
#include "App/XmlNumbers.h"
#include "Engine/GeneratorNode.h"

namespace wb::app
{
namespace
{
constexpr int kNumKinds = kNumSignalKinds;

void styleSlider(juce::Slider& s, double min, double max, double value, const juce::String& suffix, bool log)
{
    s.setSliderStyle(juce::Slider::LinearHorizontal);
    s.setTextBoxStyle(juce::Slider::TextBoxRight, false, 86, 22);
    s.setRange(min, max, 0.0);
    if (log)
        s.setSkewFactorFromMidPoint(std::sqrt(min * max));
    s.setTextValueSuffix(suffix);
    s.setNumDecimalPlacesToDisplay(1);
    s.setValue(value, juce::dontSendNotification);
}
} // namespace

GeneratorPanel::GeneratorPanel(AudioEngine& e) : engine(e)
{
    settings.kind = SignalKind::Sine;
    settings.freq = 1000.0;
    settings.levelDb = -20.0;
    settings.duration = 0.0; // endless
    title.setFont(juce::Font(17.0f, juce::Font::bold));
    addAndMakeVisible(title);

    for (int k = 0; k < kNumKinds; ++k)
        kindBox.addItem(juce::String(std::string(signalKindName(static_cast<SignalKind>(k)))), k + 1);
    kindBox.setSelectedId(static_cast<int>(settings.kind) + 1, juce::dontSendNotification);
    kindBox.onChange = [this]
    {
        settings.kind = static_cast<SignalKind>(kindBox.getSelectedId() - 1);
        send(GeneratorParam::kind, static_cast<double>(settings.kind));
        updateVisibility();
    };
    addAndMakeVisible(kindBox);

    modeBox.addItem("dBFS peak", 1);
    modeBox.addItem("dBFS RMS", 2);
    modeBox.setSelectedId(1, juce::dontSendNotification);
    modeBox.onChange = [this]
    {
        settings.mode = modeBox.getSelectedId() == 2 ? LevelMode::Rms : LevelMode::Peak;
        send(GeneratorParam::levelMode, settings.mode == LevelMode::Rms ? 1.0 : 0.0);
    };
    addAndMakeVisible(modeBox);

    styleSlider(freqSlider, 20.0, 20000.0, settings.freq, " Hz", true);
    freqSlider.onValueChange = [this]
    {
        settings.freq = freqSlider.getValue();
        send(GeneratorParam::freq, settings.freq);
    };
    styleSlider(toSlider, 20.0, 20000.0, settings.freqTo, " Hz", true);
    toSlider.onValueChange = [this]
    {
        settings.freqTo = toSlider.getValue();
        send(GeneratorParam::freqTo, settings.freqTo);
    };
    styleSlider(levelSlider, -80.0, 0.0, settings.levelDb, " dB", false);
    levelSlider.onValueChange = [this]
    {
        settings.levelDb = levelSlider.getValue();
        send(GeneratorParam::levelDb, settings.levelDb);
    };
    for (auto* c : {&freqSlider, &toSlider, &levelSlider})
        addAndMakeVisible(*c);
    for (auto* l : {&freqLabel, &toLabel, &levelLabel})
    {
        l->setColour(juce::Label::textColourId, theme::kDimText);
        addAndMakeVisible(*l);
    }

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

    startButton.setClickingTogglesState(false);
    startButton.onClick = [this] { toggleRunning(); };
    startButton.setTooltip("Start or stop the generator (space bar)");
    addAndMakeVisible(startButton);
    kindBox.setComponentID(kKindId);
    freqSlider.setComponentID(kFrequencyId);
    levelSlider.setComponentID(kLevelId);
    startButton.setComponentID(kStartId);
    updateVisibility();
    sendAll();
}

void GeneratorPanel::send(GeneratorParam p, double value)
{
    (void) engine.pushFromUi(Command::setParameter(kGeneratorNodeId, static_cast<std::uint32_t>(p), value));
}

void GeneratorPanel::sendAll()
{
    send(GeneratorParam::kind, static_cast<double>(settings.kind));
    send(GeneratorParam::freq, settings.freq);
    send(GeneratorParam::freqTo, settings.freqTo);
    send(GeneratorParam::levelDb, settings.levelDb);
    send(GeneratorParam::levelMode, settings.mode == LevelMode::Rms ? 1.0 : 0.0);
    send(GeneratorParam::duration, settings.duration);
    send(GeneratorParam::routingMask, routingMask);
    send(GeneratorParam::invertMask, invertMask);
    (void) engine.pushFromUi(running ? Command::start(kGeneratorNodeId) : Command::stop(kGeneratorNodeId));
}

void GeneratorPanel::toggleRunning()
{
    running = !running;
    (void) engine.pushFromUi(running ? Command::start(kGeneratorNodeId) : Command::stop(kGeneratorNodeId));
    startButton.setButtonText(running ? "Stop" : "Start");
    startButton.setColour(juce::TextButton::buttonColourId, running ? theme::kAccent.darker(0.3f) : theme::kPanelLight);
    repaint();
}

void GeneratorPanel::setLevelDb(double db) { levelSlider.setValue(db, juce::sendNotificationSync); }
void GeneratorPanel::setFrequency(double hz) { freqSlider.setValue(hz, juce::sendNotificationSync); }
void GeneratorPanel::setKind(SignalKind kind) { kindBox.setSelectedId(static_cast<int>(kind) + 1, juce::sendNotificationSync); }

void GeneratorPanel::updateVisibility()
{
    const bool tone = isPeriodicTone(settings.kind) || isSweep(settings.kind);
    freqSlider.setEnabled(tone);
    toSlider.setEnabled(isSweep(settings.kind));
    freqLabel.setText(isSweep(settings.kind) ? "Sweep from" : "Frequency", juce::dontSendNotification);
}

std::unique_ptr<juce::XmlElement> GeneratorPanel::saveState() const
{
    auto xml = std::make_unique<juce::XmlElement>("GeneratorPanel");
    xml->setAttribute("kind", juce::String(std::string(signalKindName(settings.kind))));
    xml->setAttribute("freq", settings.freq);
    xml->setAttribute("freqTo", settings.freqTo);
    xml->setAttribute("levelDb", settings.levelDb);
    xml->setAttribute("mode", settings.mode == LevelMode::Rms ? "rms" : "peak");
    xml->setAttribute("routing", routingMask);
    xml->setAttribute("invert", invertMask);
    xml->setAttribute("running", running);
    return xml;
}

bool GeneratorPanel::restoreState(const juce::XmlElement& xml, juce::String& error)
{
    if (!xml.hasTagName("GeneratorPanel"))
    {
        error = "not a generator state (expected <GeneratorPanel>, found <" + xml.getTagName() + ">)";
        return false;
    }
    const auto kindName = xml.getStringAttribute("kind", "sine");
    const auto kind = parseSignalKind(kindName.toStdString());
    // Absent: the current value; present but not a number: NaN, refused below.
    const double freq = finiteNumberAttribute(xml, "freq", settings.freq).value_or(std::nan(""));
    const double to = finiteNumberAttribute(xml, "freqTo", settings.freqTo).value_or(std::nan(""));
    const double level = finiteNumberAttribute(xml, "levelDb", settings.levelDb).value_or(std::nan(""));
    const auto mode = xml.getStringAttribute("mode", "peak");
    // The panel's own ranges (the sliders'): a preset the app wrote is always inside them.
    const auto inRange = [](double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; };
    juce::String why;
    if (!kind)
        why = "unknown signal '" + kindName + "'";
    else if (!inRange(freq, freqSlider.getMinimum(), freqSlider.getMaximum()))
        why = "frequency " + juce::String(freq) + " Hz is not in 20-20000 Hz";
    else if (!inRange(to, toSlider.getMinimum(), toSlider.getMaximum()))
        why = "sweep end " + juce::String(to) + " Hz is not in 20-20000 Hz";
    else if (!inRange(level, levelSlider.getMinimum(), levelSlider.getMaximum()))
        why = "level " + juce::String(level) + " dBFS is not in -80..0 dBFS";
    else if (mode != "peak" && mode != "rms")
        why = "unknown level mode '" + mode + "'";
    if (why.isNotEmpty())
    {
        error = "generator: " + why;
        return false;
    }
    settings.kind = *kind;
    settings.freq = freq;
    settings.freqTo = to;
    settings.levelDb = level;
    settings.mode = mode == "rms" ? LevelMode::Rms : LevelMode::Peak;
    routingMask = xml.getIntAttribute("routing", 3) & 0xff;
    invertMask = xml.getIntAttribute("invert", 0) & 0xff;
    running = xml.getBoolAttribute("running", false);
    kindBox.setSelectedId(static_cast<int>(settings.kind) + 1, juce::dontSendNotification);
    modeBox.setSelectedId(settings.mode == LevelMode::Rms ? 2 : 1, juce::dontSendNotification);
    freqSlider.setValue(settings.freq, juce::dontSendNotification);
    toSlider.setValue(settings.freqTo, juce::dontSendNotification);
    levelSlider.setValue(settings.levelDb, juce::dontSendNotification);
    left.setToggleState((routingMask & 1) != 0, juce::dontSendNotification);
    right.setToggleState((routingMask & 2) != 0, juce::dontSendNotification);
    invertRight.setToggleState((invertMask & 2) != 0, juce::dontSendNotification);
    startButton.setButtonText(running ? "Stop" : "Start");
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
    auto area = getLocalBounds().reduced(10);
    title.setBounds(area.removeFromTop(26));
    area.removeFromTop(4);
    auto row = [&area](int h = 28) { auto r = area.removeFromTop(h); area.removeFromTop(6); return r; };
    kindBox.setBounds(row());
    auto labelled = [&](juce::Label& l, juce::Component& c)
    {
        l.setBounds(row(18));
        c.setBounds(row());
    };
    labelled(freqLabel, freqSlider);
    labelled(toLabel, toSlider);
    labelled(levelLabel, levelSlider);
    modeBox.setBounds(row());
    auto r = row(24);
    const int w = r.getWidth() / 3;
    left.setBounds(r.removeFromLeft(w));
    right.setBounds(r.removeFromLeft(w));
    invertRight.setBounds(r);
    startButton.setBounds(row(34));
}
} // namespace wb::app
