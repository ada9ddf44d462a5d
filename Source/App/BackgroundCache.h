#pragma once
// A component's static background (panel frame, grid, scales, labels) rendered once into an
// image and blitted on every paint, so a repaint of the live part (a trace, a bar) costs a copy
// of the clipped pixels instead of redrawing text and lines. Message thread only.
#include <juce_graphics/juce_graphics.h>

#include <cmath>

namespace wb::app
{
class BackgroundCache
{
public:
    /// Drop the image: the next draw() renders it again (call on resize or when a label changes).
    void invalidate() noexcept { image = {}; }

    /// Draws the cached background over `bounds` (the component's local bounds), first rendering
    /// it with `render(juce::Graphics&)` when there is none yet or the pixel scale changed.
    /// Allocates only when it renders.
    template <typename Render>
    void draw(juce::Graphics& g, juce::Rectangle<int> bounds, Render&& render)
    {
        if (bounds.isEmpty())
            return;
        const float scale = g.getInternalContext().getPhysicalPixelScaleFactor();
        const int w = juce::roundToInt(static_cast<float>(bounds.getWidth()) * scale);
        const int h = juce::roundToInt(static_cast<float>(bounds.getHeight()) * scale);
        if (image.isNull() || image.getWidth() != w || image.getHeight() != h || scale != imageScale)
        {
            image = juce::Image(juce::Image::RGB, w, h, true);
            juce::Graphics ig(image);
            ig.addTransform(juce::AffineTransform::scale(scale));
            render(ig);
            imageScale = scale;
        }
        if (scale == 1.0f)
            g.drawImageAt(image, bounds.getX(), bounds.getY());
        else
            g.drawImage(image, bounds.toFloat());
    }

private:
    juce::Image image;
    float imageScale = 1.0f;
};
} // namespace wb::app
