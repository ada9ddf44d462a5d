#pragma once
// The swept-sine measurement drawn: `measure --plot FILE.png` (off-screen, JUCE's software
// renderer, no display needed) and the app's Response window draw the same picture.
// Top panel: magnitude (dB, left axis, solid) and phase (degrees, right axis, dashed); bottom
// panel: THD, H2 and H3 (dB relative to the fundamental) and the THD floor. Log frequency axes
// with labelled decades and minor lines, a dB grid every 10 dB, a legend and a title. A previous
// result, when given, is drawn under the current one in grey (the app's overlay).
#include "Core/Analysis/SweptSine.h"

#include <optional>
#include <string>

namespace juce
{
class Graphics;
}

namespace wb
{
/// Where things are drawn, so that tests can find a curve's pixels.
struct PlotGeometry
{
    static constexpr int kWidth = 1200; ///< the PNG's size
    static constexpr int kHeight = 900;
    static constexpr unsigned kMagnitudeColour = 0xff1f5fbf; ///< ARGB
    static constexpr unsigned kPreviousColour = 0xffa0a0a0;  ///< the previous run's magnitude and THD
    int width = kWidth;
    int height = kHeight;
    int left = 80;
    int right = kWidth - 80;
    int top1 = 60; ///< magnitude panel
    int bottom1 = 500;
    int top2 = 560; ///< distortion panel
    int bottom2 = 840;
    double fromHz = 20.0;
    double toHz = 20000.0;
    double magnitudeTopDb = 10.0;
    double magnitudeBottomDb = -70.0;

    /// The panels laid out in a width x height picture (kWidth x kHeight gives the defaults above).
    [[nodiscard]] static PlotGeometry forSize(int width, int height);
    [[nodiscard]] double xOf(double hz) const;
    [[nodiscard]] double yOfMagnitude(double db) const;
};

/// The geometry drawResponsePlot uses for this result in a picture of this size (the magnitude
/// range follows the data: the 80 dB below the highest point, rounded up to 10 dB).
[[nodiscard]] PlotGeometry plotGeometryFor(const analysis::SweptSineResult& r, double fromHz, double toHz,
                                           int width = PlotGeometry::kWidth, int height = PlotGeometry::kHeight);

/// Draws the plot into (0, 0, p.width, p.height) of `g`: white background, title, both panels;
/// `previous` (may be null) in grey beneath.
void drawResponsePlot(juce::Graphics& g, const PlotGeometry& p, const analysis::SweptSineResult& r,
                      const analysis::SweptSineResult* previous, const std::string& title);

/// Draws a kWidth x kHeight plot and writes the PNG whole through a temporary file beside it;
/// returns why it failed, or nothing.
[[nodiscard]] std::optional<std::string> writeResponsePlot(const std::string& path, const analysis::SweptSineResult& r,
                                                           double fromHz, double toHz, const std::string& title,
                                                           const analysis::SweptSineResult* previous = nullptr);
} // namespace wb
