#include "App/ValueEntry.h"

namespace wb::app
{
ValueEntrySlider::ValueEntrySlider(ValueUnit unit, int significantDigits) : valueUnit(unit), digits(significantDigits) {}

double ValueEntrySlider::getValueFromText(const juce::String& text)
{
    const auto parsed = parseText(text);
    if (!parsed.value)
    {
        refusal = juce::String(parsed.error);
        if (onRefused)
            onRefused(refusal);
        return getValue(); // the old value stays
    }
    refusal.clear();
    if (onAccepted)
        onAccepted();
    if (!typedFilter)
        return *parsed.value;
    const auto now = typedFilter(*parsed.value);
    return now ? *now : getValue(); // nullopt: the filter applies it its own way
}

ParsedValue ValueEntrySlider::parseText(const juce::String& text) const
{
    return parseValueInRange(text.toStdString(), valueUnit, getMinimum(), getMaximum());
}

juce::String ValueEntrySlider::getTextFromValue(double value)
{
    return juce::String(formatValue(value, valueUnit, digits));
}

bool ValueEntrySlider::enterText(const juce::String& text)
{
    const double v = getValueFromText(text);
    if (refusal.isNotEmpty())
        return false;
    if (v != getValue())
        setValue(v, juce::sendNotificationSync);
    updateText();
    return true;
}

bool ValueEntrySlider::keyPressed(const juce::KeyPress& key)
{
    const int code = key.getKeyCode();
    const bool up = code == juce::KeyPress::rightKey || code == juce::KeyPress::upKey;
    const bool down = code == juce::KeyPress::leftKey || code == juce::KeyPress::downKey;
    if (keySpec == nullptr || !(up || down) || key.getModifiers().isCommandDown() || key.getModifiers().isAltDown())
        return juce::Slider::keyPressed(key);
    setValue(keySpec->keyStep(getValue(), up, key.getModifiers().isShiftDown()), juce::sendNotificationSync);
    return true;
}
} // namespace wb::app
