#pragma once
// Reading numbers from preset XML strictly: juce::XmlElement::getDoubleAttribute reads "loud" as
// 0 and "nan" as NaN, so a damaged preset could turn into a full-scale level. Message thread.
#include <juce_core/juce_core.h>

#include <cmath>
#include <optional>

namespace wb::app
{
/// The attribute as a finite number; `fallback` when the attribute is absent; nullopt when it is
/// present but not a plain finite decimal number ("", "loud", "nan", "inf", "1e999").
inline std::optional<double> finiteNumberAttribute(const juce::XmlElement& xml, const juce::String& name,
                                                   std::optional<double> fallback)
{
    if (!xml.hasAttribute(name))
        return fallback;
    const auto text = xml.getStringAttribute(name).trim();
    if (text.isEmpty() || !text.containsOnly("0123456789+-.eE") || !text.containsAnyOf("0123456789"))
        return std::nullopt;
    const double value = text.getDoubleValue();
    return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}
} // namespace wb::app
