#pragma once
// `measure --plot FILE.png`: the magnitude and phase, and the distortion, drawn off-screen with
// JUCE's software renderer (no display needed) and written whole through a temporary file.
// Top panel: magnitude (dB, left axis, solid) and phase (degrees, right axis, dashed); bottom
// panel: THD, H2 and H3 (dB relative to the fundamental). Log frequency axes with labelled
// decades and minor lines, a dB grid every 10 dB, a legend and a title with the settings.
#include "Core/Analysis/SweptSine.h"

#include <optional>
#include <string>

namespace wb::cli
{
/// Where things are drawn, so that tests can find a curve's pixels.
struct PlotGeometry
{
    static constexpr int kWidth = 1200;
    static constexpr int kHeight = 900;
    static constexpr int kLeft = 80;
    static constexpr int kRight = kWidth - 80;
    static constexpr int kTop1 = 60;      ///< magnitude panel
    static constexpr int kBottom1 = 500;
    static constexpr int kTop2 = 560;     ///< distortion panel
    static constexpr int kBottom2 = 840;
    static constexpr unsigned kMagnitudeColour = 0xff1f5fbf; ///< ARGB
    double fromHz = 20.0;
    double toHz = 20000.0;
    double magnitudeTopDb = 10.0;
    double magnitudeBottomDb = -70.0;

    [[nodiscard]] double xOf(double hz) const;
    [[nodiscard]] double yOfMagnitude(double db) const;
};

/// The geometry drawPlot uses for this result (the magnitude range follows the data).
[[nodiscard]] PlotGeometry plotGeometryFor(const analysis::SweptSineResult& r, double fromHz, double toHz);

/// Draws and writes the PNG; returns why it failed, or nothing.
[[nodiscard]] std::optional<std::string> writeResponsePlot(const std::string& path, const analysis::SweptSineResult& r,
                                                           double fromHz, double toHz, const std::string& title);
} // namespace wb::cli
