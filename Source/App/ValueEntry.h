#pragma once
// Typed values in the app's numeric boxes, shared by every panel: a juce::Slider whose text box
// reads numbers with units and SI prefixes through Core/Util/ValueParse ("1k", "1.5 kHz",
// "-6 dB", "2.5 ms"). Text that is not a value in the box's unit, or a value outside the box's
// range, is refused: the old value stays, and onRefused receives the reason in words (the panel
// shows it under its boxes). Values typed in range may pass a filter first (the generator's
// level uses it to ramp a big increase instead of jumping). Message thread only.
#include "Core/Session/ParamSpec.h"
#include "Core/Util/ValueParse.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <optional>

namespace wb::app
{
class ValueEntrySlider : public juce::Slider
{
public:
    /// unit: what the box holds; the slider's range (setRange) is the accepted range.
    explicit ValueEntrySlider(ValueUnit unit = ValueUnit::none, int significantDigits = 5);

    /// Called with the reason when typed text is refused (the old value stays).
    std::function<void(const juce::String& reason)> onRefused;
    /// Called after typed text was accepted (e.g. to clear a shown reason).
    std::function<void()> onAccepted;
    /// Optional: sees each accepted typed value; returns the value to apply now, or nullopt to
    /// keep the current value (the filter then applies it its own way, e.g. by a ramp).
    std::function<std::optional<double>(double typed)> typedFilter;

    /// What the text box would do with `text`: applies it (as typing and Return would) and
    /// returns true, or refuses it (old value kept, onRefused called) and returns false. For tests
    /// and for callers holding text from elsewhere.
    bool enterText(const juce::String& text);
    /// The reason of the last refusal ("" after an accepted entry).
    [[nodiscard]] const juce::String& lastRefusal() const noexcept { return refusal; }
    [[nodiscard]] ValueUnit unit() const noexcept { return valueUnit; }

    /// The arrow keys step by `spec` (ParamSpec::keyStep: a ratio on a log scale, so a step is
    /// neither huge at the low end nor invisible at the top; shift: finer). Without it, JUCE's
    /// step (the interval, or 1 % of the range). The spec must outlive the slider.
    void setKeyStepSpec(const ParamSpec* spec) noexcept { keySpec = spec; }
    bool keyPressed(const juce::KeyPress& key) override;

    double getValueFromText(const juce::String& text) override;
    juce::String getTextFromValue(double value) override;

protected:
    /// The typed text as a value of this box, or the reason why not. By default ValueParse in the
    /// box's unit and the slider's range; a box described by a ParamSpec reads it with the spec.
    [[nodiscard]] virtual ParsedValue parseText(const juce::String& text) const;

private:
    ValueUnit valueUnit;
    int digits;
    juce::String refusal;
    const ParamSpec* keySpec = nullptr;
};
} // namespace wb::app
