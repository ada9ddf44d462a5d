#pragma once
// The app's dark palette (shared by MainComponent and the panels).
#include <juce_graphics/juce_graphics.h>

namespace wb::app::theme
{
inline const juce::Colour kBackground{0xff1e2227};
inline const juce::Colour kPanel{0xff2a2f36};
inline const juce::Colour kPanelLight{0xff363c45};
inline const juce::Colour kGrid{0xff3a414a};
inline const juce::Colour kText{0xffe6e9ec};
inline const juce::Colour kDimText{0xff9aa3ad};
inline const juce::Colour kAccent{0xff5fb3f9};
inline const juce::Colour kGood{0xff5fd38d};
inline const juce::Colour kWarning{0xffe8a33d};
inline const juce::Colour kAlarm{0xffef5350};

/// The area drawPanelFrame leaves for content (for layouts computed in resized()).
inline juce::Rectangle<int> panelContentArea(juce::Rectangle<int> bounds)
{
    return bounds.reduced(8).withTrimmedTop(18 + 4);
}

/// A panel's rounded background and its title; returns the area left for content.
inline juce::Rectangle<int> drawPanelFrame(juce::Graphics& g, juce::Rectangle<int> bounds, const juce::String& title)
{
    g.setColour(kPanel);
    g.fillRoundedRectangle(bounds.toFloat(), 6.0f);
    auto area = bounds.reduced(8);
    g.setColour(kText);
    g.setFont(juce::Font(14.0f, juce::Font::bold));
    g.drawText(title, area.removeFromTop(18), juce::Justification::centredLeft);
    return area.withTrimmedTop(4);
}

/// drawPanelFrame for an opaque component (setOpaque(true)): the corners outside the rounded
/// frame get the window's background colour, as the parent would have painted them.
inline juce::Rectangle<int> drawOpaquePanelFrame(juce::Graphics& g, juce::Rectangle<int> bounds, const juce::String& title)
{
    g.setColour(kBackground);
    g.fillRect(bounds);
    return drawPanelFrame(g, bounds, title);
}
} // namespace wb::app::theme
