#pragma once
// The app's colours, in one place.
#include <juce_graphics/juce_graphics.h>

namespace wb::app::theme
{
inline const juce::Colour kBackground{0xff1e2227};
inline const juce::Colour kPanel{0xff2a2f36};
inline const juce::Colour kPanelLight{0xff363c45};
inline const juce::Colour kAccent{0xff5fb3f9};
inline const juce::Colour kWarning{0xffe8a33d};
inline const juce::Colour kAlarm{0xffe5534b};
inline const juce::Colour kDimText{0xffa8b0bb};
} // namespace wb::app::theme
