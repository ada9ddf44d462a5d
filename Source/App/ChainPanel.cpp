#include "App/ChainPanel.h"

#include "App/Theme.h"
#include "App/ValueEntry.h"
#include "App/VisualLogic.h"
#include "Core/Session/ParamSpec.h"
#include "Engine/SessionFile.h"
#include "Faust/FaustCatalogue.h"

namespace wb::app
{
namespace
{
/// A horizontal bar for a Faust bargraph (min..max), e.g. gain reduction in dB.
class BarMeter final : public juce::Component
{
public:
    BarMeter(float mn, float mx, juce::String u) : lo(mn), hi(mx), unit(std::move(u)) {}
    /// Repaints only when what is shown changes: the text (0.1 resolution) or the bar's pixel.
    void setValue(float v)
    {
        const auto shown = [this](float x) {
            const float span = hi - lo;
            const float frac = span > 0.0f ? std::clamp((x - lo) / span, 0.0f, 1.0f) : 0.0f;
            return std::pair{juce::roundToInt(frac * static_cast<float>(getWidth())), juce::roundToInt(x * 10.0f)};
        };
        const bool changed = shown(v) != shown(value);
        value = v;
        if (changed)
            repaint();
    }
    void paint(juce::Graphics& g) override
    {
        auto r = getLocalBounds().toFloat();
        g.setColour(theme::kPanelLight);
        g.fillRoundedRectangle(r, 3.0f);
        const float span = hi - lo;
        // Gain reduction style meters (max 0) grow from the right.
        const float frac = span > 0.0f ? std::clamp((value - lo) / span, 0.0f, 1.0f) : 0.0f;
        g.setColour(theme::kWarning);
        if (hi <= 0.0f)
            g.fillRoundedRectangle(r.withLeft(r.getX() + frac * r.getWidth()), 3.0f);
        else
            g.fillRoundedRectangle(r.withWidth(frac * r.getWidth()), 3.0f);
        g.setColour(juce::Colours::white);
        g.setFont(12.0f);
        g.drawText(juce::String(value, 1) + " " + unit, getLocalBounds().reduced(4, 0), juce::Justification::centredRight);
    }

private:
    float lo, hi, value = 0.0f;
    juce::String unit;
};

/// An effect parameter's slider. Its text box takes typed values through ValueEntrySlider (units,
/// SI prefixes; a refusal keeps the old value and says why). The mouse wheel belongs to the
/// scrolling list under it unless the slider has the keyboard focus (clicked or tabbed to): then
/// the wheel moves the value. Fine adjustment: shift-drag moves at a fifth of the speed (JUCE's
/// velocity mode on shift), the arrow keys step by the spec (ParamSpec::keyStep: 1/24 octave on a
/// log control, 1/96 with shift; else 1 % of the range or the control's own step, 0.1 % with shift).
class ParamSlider final : public ValueEntrySlider
{
public:
    /// Range, scale (a log control moves geometrically: equal distances, equal ratios), step,
    /// text of a value and typed text, all from the control's ParamSpec.
    explicit ParamSlider(const ParamSpec& s) : ValueEntrySlider(s.entryUnit()), spec(s)
    {
        setSliderStyle(juce::Slider::LinearHorizontal);
        setTextBoxStyle(juce::Slider::TextBoxRight, false, 84, 20);
        setWantsKeyboardFocus(true);
        setVelocityModeParameters(0.2, 1, 0.0, true, juce::ModifierKeys::shiftModifier);
        juce::NormalisableRange<double> range(
            spec.min, spec.max, [this](double, double, double p) { return spec.fromNormalised(p); },
            [this](double, double, double v) { return spec.toNormalised(v); });
        range.interval = spec.step > 0.0 ? spec.step : 0.0;
        setNormalisableRange(range);
        setKeyStepSpec(&spec);
    }
    juce::String getTextFromValue(double value) override { return juce::String(spec.format(value)); }
    void mouseWheelMove(const juce::MouseEvent& e, const juce::MouseWheelDetails& wheel) override
    {
        if (hasKeyboardFocus(true))
            juce::Slider::mouseWheelMove(e, wheel);
        else
            juce::Component::mouseWheelMove(e, wheel); // on to the parent: the viewport scrolls
    }

protected:
    ParsedValue parseText(const juce::String& text) const override { return spec.parse(text.toStdString()); }

private:
    const ParamSpec spec;
};

/// The height `text` needs when wrapped at `width` in `font`.
int wrappedHeight(const juce::String& text, const juce::Font& font, int width)
{
    juce::AttributedString s;
    s.append(text, font);
    s.setWordWrap(juce::AttributedString::byWord);
    juce::TextLayout layout;
    layout.createLayout(s, static_cast<float>(std::max(40, width)));
    return static_cast<int>(std::ceil(layout.getHeight())) + 4;
}
} // namespace

/// Holds the effect rows; while a row is dragged it draws the insertion marker over them.
class ChainPanel::RowsHolder final : public juce::Component
{
public:
    void setMarkerGap(int gap)
    {
        if (gap != markerGap)
        {
            markerGap = gap;
            repaint();
        }
    }
    void paintOverChildren(juce::Graphics& g) override
    {
        if (markerGap < 0)
            return;
        // A 3-pixel accent bar centred on the gap between two rows, with a knob at its left end.
        const int y = juce::jlimit(1, std::max(1, getHeight() - 2), markerGap * kRowPitch - 1);
        g.setColour(theme::kAccent);
        g.fillRect(0, y - 1, getWidth(), 3);
        g.fillEllipse(0.0f, static_cast<float>(y) - 4.0f, 9.0f, 9.0f);
    }

private:
    int markerGap = -1;
};

/// One effect in the list: bypass, a drag grip and the name (drag the row to reorder), up, down,
/// remove.
class ChainPanel::Row final : public juce::Component, public juce::SettableTooltipClient
{
public:
    Row(ChainPanel& p, const EffectChainNode::Slot& s) : id(s.id), panel(p)
    {
        setMouseCursor(juce::MouseCursor::DraggingHandCursor);
        const auto& meta = s.node->description().meta;
        name.setText(juce::String(meta.count("name") ? meta.at("name") : s.effectId), juce::dontSendNotification);
        name.setInterceptsMouseClicks(false, false);
        addAndMakeVisible(name);
        setComponentID(kRowIdPrefix + juce::String(id));
        setTooltip(name.getText() + (meta.count("description") ? ": " + juce::String(meta.at("description")) : juce::String())
                   + "\nClick to edit its controls below; drag to reorder.");
        bypass.setToggleState(!s.bypassed, juce::dontSendNotification);
        bypass.setTooltip("Ticked: the effect processes. Unticked: bypassed (the signal passes unchanged; the row is dimmed).");
        bypass.setComponentID(kBypassIdPrefix + juce::String(id));
        bypass.onClick = [this]
        {
            (void) panel.engine.chain().setBypassFromUi(id, !bypass.getToggleState());
            applyAlpha();
        };
        addAndMakeVisible(bypass);
        up.setTooltip("Move this effect earlier in the chain");
        down.setTooltip("Move this effect later in the chain");
        remove.setTooltip("Remove this effect from the chain");
        for (auto* b : {&up, &down, &remove})
            addAndMakeVisible(*b);
        applyAlpha();
        up.onClick = [this] { move(-1); };
        down.onClick = [this] { move(+1); };
        remove.onClick = [this]
        {
            ChainPanel& owner = panel;
            const NodeId victim = id;
            juce::MessageManager::callAsync([&owner, victim]
            {
                owner.engine.chain().removeEffectFromUi(victim);
                if (owner.selected == victim)
                    owner.selected = 0;
                owner.rebuildRows();
            });
        };
    }

    void mouseDown(const juce::MouseEvent&) override { panel.select(id); }

    // Dragging the row (anywhere but its buttons) reorders the chain; a press without moving
    // 4 pixels is a click (selects the effect).
    void mouseDrag(const juce::MouseEvent& e) override
    {
        if (!dragging && e.getDistanceFromDragStart() < 4)
            return;
        dragging = true;
        panel.dragRow(*this, e.getEventRelativeTo(panel.rowsHolder.get()).position);
    }

    void mouseUp(const juce::MouseEvent& e) override
    {
        if (!dragging)
            return;
        dragging = false;
        panel.dropRow(*this, e.getEventRelativeTo(panel.rowsHolder.get()).position);
    }

    void paint(juce::Graphics& g) override
    {
        g.setColour(panel.selected == id ? theme::kAccent.withAlpha(0.25f) : theme::kPanelLight);
        g.fillRoundedRectangle(getLocalBounds().toFloat().reduced(1.0f), 4.0f);
        // The grip: three short lines.
        g.setColour(theme::kDimText);
        for (int i = -1; i <= 1; ++i)
            g.fillRect(grip.getCentreX() - 4, grip.getCentreY() + 4 * i - 1, 8, 2);
    }

    void resized() override
    {
        auto r = getLocalBounds().reduced(4, 2);
        bypass.setBounds(r.removeFromLeft(26));
        grip = r.removeFromLeft(16);
        remove.setBounds(r.removeFromRight(26));
        down.setBounds(r.removeFromRight(26));
        up.setBounds(r.removeFromRight(26));
        name.setBounds(r);
    }

    /// A bypassed row is dimmed (its tick box too: the whole row reads as "out of the signal").
    void applyAlpha() { setAlpha(isBypassed() ? kBypassedAlpha : 1.0f); }
    /// The chain model's bypass state of this row's effect.
    [[nodiscard]] bool isBypassed() const noexcept
    {
        const int index = panel.engine.chain().indexOfFromUi(id);
        return index >= 0 && panel.engine.chain().slotsFromUi()[size_t(index)].bypassed;
    }

    NodeId id;

private:
    void move(int delta)
    {
        const int index = panel.engine.chain().indexOfFromUi(id);
        if (index >= 0)
            panel.moveEffect(id, index + delta);
    }

    ChainPanel& panel;
    juce::Rectangle<int> grip;
    bool dragging = false;
    juce::Label name;
    juce::ToggleButton bypass;
    juce::TextButton up{"^"}, down{"v"}, remove{"x"};
};

ChainPanel::ChainPanel(AudioEngine& e) : engine(e), hotReload(e.chain())
{
    title.setFont(juce::Font(17.0f, juce::Font::bold));
    addAndMakeVisible(title);
    title.setTooltip("The effects the generator's signal passes through, top to bottom");
    for (const auto& entry : faust::catalogue())
    {
        addBoxIds.emplace_back(entry.id);
        addBox.addItem(displayNameOf(entry.id), static_cast<int>(addBoxIds.size()));
    }
    addBox.setTextWhenNothingSelected("Add an effect...");
    addBox.setTooltip("Choose an effect, then press Add to append it to the chain");
    addAndMakeVisible(addBox);
    addButton.onClick = [this]
    {
        const int item = addBox.getSelectedId();
        if (item > 0 && size_t(item) <= addBoxIds.size())
            addEffect(addBoxIds[size_t(item) - 1]);
    };
    addButton.setTooltip("Append the chosen effect to the end of the chain");
    addAndMakeVisible(addButton);
    addBox.setComponentID(kAddBoxId);
    addButton.setComponentID(kAddButtonId);
    loadDspButton.setComponentID(kLoadDspButtonId);
    loadDspButton.setTooltip("Add your own Faust program (.dsp): compiled now, and reloaded live each time you save it "
                             "(or a file it imports)");
    loadDspButton.onClick = [this]
    {
        chooser = std::make_unique<juce::FileChooser>("Load a Faust program", juce::File(), "*.dsp");
        chooser->launchAsync(juce::FileBrowserComponent::openMode | juce::FileBrowserComponent::canSelectFiles,
                             [this](const juce::FileChooser& fc)
                             {
                                 if (fc.getResult() != juce::File())
                                     loadDspFile(fc.getResult());
                             });
    };
    addAndMakeVisible(loadDspButton);
    reloadTimer.callback = [this] { pollHotReload(); };
    reloadTimer.startTimer(100);
    // Rows, the selected effect's description and its controls scroll together (the wheel over
    // any of them scrolls: the sliders pass it on unless focused).
    scroller.setComponentID(kScrollerId);
    scroller.setViewedComponent(&content, false);
    scroller.setScrollBarsShown(true, false);
    scroller.setScrollBarThickness(10);
    scroller.setSingleStepSizes(16, 16);
    addAndMakeVisible(scroller);
    rowsHolder = std::make_unique<RowsHolder>();
    content.addAndMakeVisible(*rowsHolder);
    editorTitle.setColour(juce::Label::textColourId, theme::kDimText);
    editorTitle.setComponentID(kDescriptionId);
    editorTitle.setFont(juce::Font(14.0f));
    editorTitle.setJustificationType(juce::Justification::topLeft);
    editorTitle.setMinimumHorizontalScale(1.0f);
    content.addAndMakeVisible(editorTitle);
    content.addAndMakeVisible(editor);
    messageLabel.setComponentID(kMessageId);
    messageLabel.setFont(juce::Font(12.0f)); // two lines fit the 26 px title row
    messageLabel.setBorderSize({0, 4, 0, 2});
    messageLabel.setJustificationType(juce::Justification::centredLeft);
    messageLabel.setMinimumHorizontalScale(1.0f); // wrap to a second line rather than squeeze
    addAndMakeVisible(messageLabel);
    rebuildRows();
}

void ChainPanel::showMessage(const juce::String& text, bool isError)
{
    messageLabel.setText(text, juce::dontSendNotification);
    messageLabel.setColour(juce::Label::textColourId, isError ? juce::Colour(0xffff6b6b) : theme::kDimText);
    messageLabel.setTooltip(text);
}

void ChainPanel::startRamp(NodeId fx, int index, double fromDb, double toDb)
{
    ramp = Ramp{fx, index, fromDb, toDb, juce::Time::getMillisecondCounterHiRes()};
    startTimerHz(60);
    showMessage("Ramping to " + juce::String(formatValue(toDb, ValueUnit::decibel)) + " at 20 dB/s (a typed rise of over "
                    "6 dB never jumps)",
                false);
}

void ChainPanel::stopRamp()
{
    if (isTimerRunning())
        showMessage({}, false);
    stopTimer();
}

void ChainPanel::timerCallback()
{
    const double elapsed = (juce::Time::getMillisecondCounterHiRes() - ramp.startMs) / 1000.0;
    const double db = std::min(ramp.toDb, ramp.fromDb + kTypedRampDbPerSecond * elapsed);
    const int slot = engine.chain().indexOfFromUi(ramp.fx);
    if (slot < 0)
    {
        stopRamp(); // the effect was removed
        return;
    }
    setParameter(ramp.fx, ramp.index, static_cast<float>(db));
    // The slider follows when its effect is the one shown (the editor may have been rebuilt).
    if (ramp.fx == selected)
    {
        const auto& d = engine.chain().slotsFromUi()[size_t(slot)].node->description();
        if (auto* s = dynamic_cast<juce::Slider*>(editor.findChildWithID(kParamIdPrefix + juce::String(d.controls[size_t(ramp.index)].path))))
            s->setValue(db, juce::dontSendNotification);
    }
    if (db >= ramp.toDb)
        stopRamp();
}

ChainPanel::~ChainPanel() = default;

juce::String ChainPanel::displayNameOf(const std::string& id)
{
    static std::map<std::string, juce::String> cache; // message thread only
    if (auto it = cache.find(id); it != cache.end())
        return it->second;
    juce::String name(id);
    if (const auto* d = session::catalogueDescription(id))
        if (auto m = d->meta.find("name"); m != d->meta.end() && !m->second.empty())
            name = juce::String(m->second);
    cache[id] = name;
    return name;
}

NodeId ChainPanel::addEffect(const std::string& id)
{
    const NodeId fx = engine.chain().addEffectFromUi(id);
    if (fx == 0)
        return 0;
    selected = fx;
    rebuildRows();
    return fx;
}

void ChainPanel::loadDspFile(const juce::File& file)
{
    hotReload.addFileFromUi(file.getFullPathName().toStdString());
    showMessage("Compiling " + file.getFileName() + "...", false);
}

juce::String ChainPanel::dspStatus(NodeId fx) const
{
    const auto* s = hotReload.statusOf(fx);
    return s == nullptr ? juce::String() : juce::String(s->text);
}

void ChainPanel::pollHotReload()
{
    const auto events = hotReload.pollFromUi(DspHotReload::Clock::now());
    bool rebuild = false;
    for (const auto& e : events)
    {
        const juce::String file = juce::File(juce::String(e.path)).getFileName();
        switch (e.kind)
        {
            case DspHotReload::Event::Kind::added:
                selected = e.newId;
                rebuild = true;
                showMessage(file + " added", false);
                break;
            case DspHotReload::Event::Kind::reloaded:
                if (selected == e.oldId)
                    selected = e.newId;
                rebuild = true;
                showMessage(file + " " + dspStatus(e.newId), false);
                break;
            case DspHotReload::Event::Kind::addFailed:
            case DspHotReload::Event::Kind::reloadFailed:
                showMessage(juce::String(e.message), true);
                rebuild = rebuild || e.kind == DspHotReload::Event::Kind::reloadFailed;
                break;
            case DspHotReload::Event::Kind::unchanged: break;
        }
    }
    if (rebuild)
        rebuildRows();
    else if (const auto* s = hotReload.statusOf(selected); s != nullptr && editorStatus != s->text)
        rebuildEditor(); // "compiling...", "file missing": the status line under the name follows
}

void ChainPanel::clearForTest()
{
    engine.chain().clearFromUi();
    selected = 0;
    rebuildRows();
}

void ChainPanel::moveEffect(NodeId id, int position)
{
    juce::Component::SafePointer<ChainPanel> safe(this);
    juce::MessageManager::callAsync([safe, id, position]
    {
        if (safe == nullptr)
            return;
        safe->engine.chain().moveEffectFromUi(id, position);
        safe->rebuildRows();
    });
}

int ChainPanel::dropGapAt(juce::Point<float> p) const
{
    // Beside the list, or more than a row above or below it: no drop (releasing there cancels).
    const auto zone = rowsHolder->getLocalBounds().toFloat().expanded(0.0f, static_cast<float>(kRowPitch));
    if (!zone.contains(p))
        return -1;
    return vis::dropGapForY(p.y, kRowPitch, static_cast<int>(rows.size()));
}

void ChainPanel::dragRow(Row& row, juce::Point<float> p)
{
    rowsHolder->setMarkerGap(dropGapAt(p));
    // The row stays in place, dimmed (a moving copy would cover the names of the others); the
    // marker shows where it will land.
    row.setAlpha(0.45f);
}

void ChainPanel::dropRow(Row& row, juce::Point<float> p)
{
    rowsHolder->setMarkerGap(-1);
    const int from = engine.chain().indexOfFromUi(row.id);
    const int gap = dropGapAt(p);
    const int to = gap < 0 ? -1 : vis::dropTargetIndex(from, gap, static_cast<int>(rows.size()));
    if (to >= 0 && to != from)
        moveEffect(row.id, to); // the same move the up/down buttons make
    else
        layoutContent(); // back in place: dropped where it was, or outside the list
}

void ChainPanel::setParameter(NodeId fx, int index, float value)
{
    (void) engine.chain().setParameterFromUi(fx, index, value); // clamps, records, sends
}

void ChainPanel::select(NodeId id)
{
    selected = id;
    for (auto& r : rows)
        r->repaint();
    rebuildEditor();
}

void ChainPanel::rebuildRows()
{
    rows.clear();
    for (const auto& slot : engine.chain().slotsFromUi())
    {
        auto row = std::make_unique<Row>(*this, slot);
        rowsHolder->addAndMakeVisible(*row);
        rows.push_back(std::move(row));
    }
    if (selected == 0 && !rows.empty())
        selected = rows.front()->id;
    rebuildEditor();
    repaint();
}

void ChainPanel::rebuildEditor()
{
    meters.clear();
    editorParts.clear();
    const int index = engine.chain().indexOfFromUi(selected);
    if (index < 0)
    {
        editorTitle.setText(rows.empty() ? "No effects: choose one above and press Add." : "", juce::dontSendNotification);
        editorTitle.setTooltip({});
        layoutContent();
        return;
    }
    const auto& slot = engine.chain().slotsFromUi()[size_t(index)];
    const auto& d = slot.node->description();
    // The description in full (wrapped, never cut), and as the tooltip too.
    const juce::String effectName(d.meta.count("name") ? d.meta.at("name") : slot.effectId);
    const juce::String description(d.meta.count("description") ? d.meta.at("description") : std::string());
    juce::String heading = effectName + (description.isNotEmpty() ? ": " + description : juce::String());
    editorStatus.clear();
    if (const auto* s = hotReload.statusOf(selected))
    {
        // A runtime effect: its file, and what became of the last edit.
        editorStatus = s->text;
        heading << "\n" << juce::String(s->path) << "\n" << (s->isError ? "Error: " : "") << juce::String(s->text);
    }
    editorTitle.setText(heading, juce::dontSendNotification);
    editorTitle.setTooltip(editorTitle.getText());
    const auto& vals = slot.values; // the model's
    for (size_t i = 0; i < d.controls.size(); ++i)
    {
        const auto& c = d.controls[i];
        auto label = std::make_unique<juce::Label>(juce::String(), juce::String(c.label));
        label->setColour(juce::Label::textColourId, theme::kDimText);
        const juce::String range = juce::String(c.min) + " .. " + juce::String(c.max) + (c.unit.empty() ? "" : " " + juce::String(c.unit));
        const juce::String tip = juce::String(c.label) + (c.tooltip.empty() ? juce::String() : ": " + juce::String(c.tooltip))
                               + (c.isOutput() ? "\nA meter of the effect (" + range + ")"
                                               : "\nRange " + range + (c.scale == "log" ? " (log scale)" : "")
                                                     + ". Drag; shift-drag for fine moves; click then arrow keys to step"
                                                       " (shift: finer); the wheel moves it once clicked.");
        label->setTooltip(tip);
        editor.addAndMakeVisible(*label);
        editorParts.push_back(std::move(label));
        if (c.isOutput())
        {
            auto meter = std::make_unique<BarMeter>(c.min, c.max, juce::String(c.unit));
            meter->setComponentID(kMeterIdPrefix + juce::String(c.path));
            meters[int(i)] = meter.get();
            editor.addAndMakeVisible(*meter);
            editorParts.push_back(std::move(meter));
            continue;
        }
        const auto& spec = slot.node->specs()[i];
        auto slider = std::make_unique<ParamSlider>(spec);
        slider->setTooltip(tip + (c.unit == "dB" ? "\nA typed rise of more than 6 dB ramps there at 20 dB/s." : ""));
        slider->setValue(vals[i], juce::dontSendNotification);
        slider->setComponentID(kParamIdPrefix + juce::String(c.path));
        const NodeId fx = selected;
        auto* raw = slider.get();
        slider->onValueChange = [this, fx, i, raw] { setParameter(fx, int(i), float(raw->getValue())); };
        // The reason names the control, and the unit of a plain-number control ("time (ms): ...").
        const juce::String refusedPrefix = juce::String(c.label)
                                         + (spec.entryUnit() == ValueUnit::none && !c.unit.empty() ? " (" + juce::String(c.unit) + ")" : "")
                                         + ": ";
        slider->onRefused = [this, refusedPrefix](const juce::String& why) { showMessage(refusedPrefix + why, true); };
        slider->onAccepted = [this] { showMessage({}, false); };
        slider->onDragStart = [this] { stopRamp(); }; // the user takes over from a typed ramp
        if (c.unit == "dB")
            slider->typedFilter = [this, fx, i, raw](double typed) -> std::optional<double>
            {
                const double now = raw->getValue();
                if (typed <= now + kSafeRiseDb)
                {
                    stopRamp();
                    return typed;
                }
                startRamp(fx, int(i), now, typed);
                return std::nullopt; // the ramp brings it there
            };
        editor.addAndMakeVisible(*slider);
        editorParts.push_back(std::move(slider));
    }
    layoutContent();
}

void ChainPanel::handleTelemetry(const Telemetry& t)
{
    if (t.type != TelemetryType::bargraphValue)
        return;
    if (t.bargraph.node == selected)
        if (auto m = meters.find(int(t.bargraph.index)); m != meters.end())
            static_cast<BarMeter*>(m->second)->setValue(static_cast<float>(t.bargraph.value));
}

std::unique_ptr<juce::XmlElement> ChainPanel::saveState() const
{
    return session::writeChainXml(engine.chain().chainStateFromUi());
}

bool ChainPanel::restoreState(const juce::XmlElement& xml, juce::String& error)
{
    session::ChainState state;
    return session::readChainXml(xml, state, error) && restoreState(state, error);
}

bool ChainPanel::restoreState(const session::ChainState& state, juce::String& error)
{
    if (!engine.chain().restoreFromUi(state, error))
        return false;
    selected = 0;
    rebuildRows();
    return true;
}

void ChainPanel::paint(juce::Graphics& g)
{
    g.setColour(theme::kPanel);
    g.fillRoundedRectangle(getLocalBounds().toFloat(), 6.0f);
}

void ChainPanel::resized()
{
    auto area = getLocalBounds().reduced(10);
    // The title row: the title, then a typed value's refusal or ramp (two lines at most; in full
    // as its tooltip), so the list and controls keep their place whether a message shows or not.
    auto titleRow = area.removeFromTop(26);
    title.setBounds(titleRow.removeFromLeft(juce::roundToInt(title.getFont().getStringWidthFloat(title.getText())) + 12));
    messageLabel.setBounds(titleRow);
    area.removeFromTop(4);
    auto top = area.removeFromTop(28);
    loadDspButton.setBounds(top.removeFromRight(96));
    top.removeFromRight(6);
    addButton.setBounds(top.removeFromRight(60));
    top.removeFromRight(6);
    addBox.setBounds(top);
    area.removeFromTop(8);
    scroller.setBounds(area);
    layoutContent();
}

void ChainPanel::layoutContent()
{
    // Each control takes two lines: its label, then a slider (or meter) the whole width wide, so
    // the slider's track is as long as the panel allows.
    constexpr int kLabelHeight = 18, kControlHeight = 24, kControlGap = 6;
    const int width = std::max(120, scroller.getWidth() - scroller.getScrollBarThickness() - 2);
    int y = 0;
    const int rowsHeight = int(rows.size()) * kRowPitch;
    rowsHolder->setBounds(0, y, width, rowsHeight);
    for (size_t i = 0; i < rows.size(); ++i)
    {
        rows[i]->setBounds(0, int(i) * kRowPitch, width, kRowPitch - 2);
        rows[i]->applyAlpha();
    }
    y += rowsHeight + 8;
    const int descHeight = editorTitle.getText().isEmpty() ? 0 : wrappedHeight(editorTitle.getText(), editorTitle.getFont(), width - 6);
    editorTitle.setBounds(0, y, width, descHeight);
    y += descHeight + 4;
    int ey = 0;
    for (size_t i = 0; i < editorParts.size(); i += 2)
    {
        editorParts[i]->setBounds(0, ey, width, kLabelHeight);
        ey += kLabelHeight;
        if (i + 1 < editorParts.size())
            editorParts[i + 1]->setBounds(0, ey, width, kControlHeight);
        ey += kControlHeight + kControlGap;
    }
    editor.setBounds(0, y, width, ey);
    content.setSize(width, y + ey);
}
} // namespace wb::app
