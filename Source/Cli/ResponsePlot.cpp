#include "Cli/ResponsePlot.h"

#include "Core/Audio/WavFile.h" // makeTemporaryBeside

#include <juce_graphics/juce_graphics.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

namespace wb::cli
{
namespace
{
constexpr unsigned kPhaseColour = 0xff2a9d4a;
constexpr unsigned kThdColour = 0xffc0392b;
constexpr unsigned kH2Colour = 0xff8e44ad;
constexpr unsigned kH3Colour = 0xffd68910;
constexpr unsigned kFloorColour = 0xff8c8c8c; // grey
constexpr double kDistortionTopDb = 0.0;
constexpr double kDistortionBottomDb = -120.0;

std::string hzLabel(double hz)
{
    return hz >= 1000.0 ? fmt::format("{:g}k", hz / 1000.0) : fmt::format("{:g}", hz);
}

/// Log-frequency grid and labels over one panel.
void drawFrequencyGrid(juce::Graphics& g, const PlotGeometry& p, int top, int bottom)
{
    for (double decade = 1.0; decade <= 100000.0; decade *= 10.0)
        for (int m = 1; m <= 9; ++m)
        {
            const double hz = decade * m;
            if (hz < p.fromHz * 0.999 || hz > p.toHz * 1.001)
                continue;
            const auto x = static_cast<float>(p.xOf(hz));
            g.setColour(juce::Colour(m == 1 ? 0xffb0b0b0 : 0xffe2e2e2));
            g.drawLine(x, static_cast<float>(top), x, static_cast<float>(bottom), m == 1 ? 1.2f : 1.0f);
            if (m == 1 || m == 2 || m == 5)
            {
                g.setColour(juce::Colours::black);
                g.drawText(hzLabel(hz), juce::Rectangle<int>(static_cast<int>(x) - 30, bottom + 4, 60, 16),
                           juce::Justification::centred);
            }
        }
}

/// dB grid every `step` with labels on the left (or right).
void drawValueGrid(juce::Graphics& g, int top, int bottom, double hi, double lo, double step, const char* unit,
                   bool rightSide, bool lines)
{
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9; v += step)
    {
        const auto y = static_cast<float>(top + (hi - v) / (hi - lo) * (bottom - top));
        if (lines)
        {
            g.setColour(juce::Colour(0xffe2e2e2));
            g.drawLine(static_cast<float>(PlotGeometry::kLeft), y, static_cast<float>(PlotGeometry::kRight), y, 1.0f);
        }
        g.setColour(juce::Colours::black);
        const auto text = fmt::format("{:g}{}", v, unit);
        if (rightSide)
            g.drawText(text, juce::Rectangle<int>(PlotGeometry::kRight + 6, static_cast<int>(y) - 8, 70, 16),
                       juce::Justification::centredLeft);
        else
            g.drawText(text, juce::Rectangle<int>(4, static_cast<int>(y) - 8, PlotGeometry::kLeft - 10, 16),
                       juce::Justification::centredRight);
    }
}

template <typename Points, typename X, typename Y>
void drawCurve(juce::Graphics& g, const Points& points, X xOf, Y yOf, unsigned colour, float thickness, bool dashed,
               juce::Rectangle<float> clip)
{
    // One path per unbroken run (a dashed stroke would join separate sub-paths).
    std::vector<juce::Path> runs;
    bool started = false;
    float previous = 0.0f;
    for (const auto& p : points)
    {
        const double v = yOf(p);
        if (!std::isfinite(v))
        {
            started = false;
            continue;
        }
        const auto x = static_cast<float>(xOf(p));
        const auto y = static_cast<float>(v);
        // A jump of more than half the panel is a phase wrap: no line across it.
        if (!started || std::abs(y - previous) > 0.5f * clip.getHeight())
        {
            runs.emplace_back();
            runs.back().startNewSubPath(x, y);
        }
        else
            runs.back().lineTo(x, y);
        started = true;
        previous = y;
    }
    juce::Graphics::ScopedSaveState state(g);
    g.reduceClipRegion(clip.toNearestInt());
    g.setColour(juce::Colour(colour));
    juce::PathStrokeType stroke(thickness);
    for (const auto& path : runs)
    {
        if (dashed)
        {
            const float dashes[] = {6.0f, 4.0f};
            juce::Path dashedPath;
            stroke.createDashedStroke(dashedPath, path, dashes, 2);
            g.fillPath(dashedPath);
        }
        else
            g.strokePath(path, stroke);
    }
}

void legend(juce::Graphics& g, int x, int y, unsigned colour, const std::string& text)
{
    g.setColour(juce::Colour(colour));
    g.fillRect(x, y + 6, 24, 4);
    g.setColour(juce::Colours::black);
    g.drawText(text, juce::Rectangle<int>(x + 30, y, 160, 16), juce::Justification::centredLeft);
}
} // namespace

double PlotGeometry::xOf(double hz) const
{
    return kLeft + std::log(hz / fromHz) / std::log(toHz / fromHz) * (kRight - kLeft);
}

double PlotGeometry::yOfMagnitude(double db) const
{
    return kTop1 + (magnitudeTopDb - db) / (magnitudeTopDb - magnitudeBottomDb) * (kBottom1 - kTop1);
}

PlotGeometry plotGeometryFor(const analysis::SweptSineResult& r, double fromHz, double toHz)
{
    PlotGeometry p;
    p.fromHz = fromHz;
    p.toHz = toHz;
    double highest = -1e300;
    for (const auto& point : r.response)
        highest = std::max(highest, point.db);
    if (highest < -1e299)
        highest = 0.0;
    p.magnitudeTopDb = 10.0 * std::ceil((highest + 3.0) / 10.0);
    p.magnitudeBottomDb = p.magnitudeTopDb - 80.0;
    return p;
}

std::optional<std::string> writeResponsePlot(const std::string& path, const analysis::SweptSineResult& r,
                                             double fromHz, double toHz, const std::string& title)
{
    const PlotGeometry p = plotGeometryFor(r, fromHz, toHz);
    juce::Image image(juce::Image::ARGB, PlotGeometry::kWidth, PlotGeometry::kHeight, true, juce::SoftwareImageType());
    {
        juce::Graphics g(image);
        g.fillAll(juce::Colours::white);
        g.setFont(14.0f);
        g.setColour(juce::Colours::black);
        g.drawText(title, juce::Rectangle<int>(0, 10, PlotGeometry::kWidth, 24), juce::Justification::centred);

        // Magnitude and phase.
        drawFrequencyGrid(g, p, PlotGeometry::kTop1, PlotGeometry::kBottom1);
        drawValueGrid(g, PlotGeometry::kTop1, PlotGeometry::kBottom1, p.magnitudeTopDb, p.magnitudeBottomDb, 10.0,
                      " dB", false, true);
        drawValueGrid(g, PlotGeometry::kTop1, PlotGeometry::kBottom1, 180.0, -180.0, 90.0, "\u00b0", true, false);
        const juce::Rectangle<float> panel1(PlotGeometry::kLeft, PlotGeometry::kTop1,
                                           PlotGeometry::kRight - PlotGeometry::kLeft,
                                           PlotGeometry::kBottom1 - PlotGeometry::kTop1);
        auto x = [&](const auto& point) { return p.xOf(point.hz); };
        drawCurve(g, r.response, x, [&](const analysis::ResponsePoint& q) {
            return PlotGeometry::kTop1 + (180.0 - q.deg) / 360.0 * (PlotGeometry::kBottom1 - PlotGeometry::kTop1); },
                  kPhaseColour, 1.5f, true, panel1);
        drawCurve(g, r.response, x, [&](const analysis::ResponsePoint& q) { return p.yOfMagnitude(q.db); },
                  PlotGeometry::kMagnitudeColour, 2.5f, false, panel1);
        g.setColour(juce::Colours::black);
        g.drawRect(panel1, 1.0f);
        legend(g, PlotGeometry::kLeft + 10, PlotGeometry::kTop1 + 8, PlotGeometry::kMagnitudeColour, "magnitude (dB)");
        legend(g, PlotGeometry::kLeft + 10, PlotGeometry::kTop1 + 26, kPhaseColour, "phase (\u00b0, delay removed)");

        // Distortion.
        drawFrequencyGrid(g, p, PlotGeometry::kTop2, PlotGeometry::kBottom2);
        drawValueGrid(g, PlotGeometry::kTop2, PlotGeometry::kBottom2, kDistortionTopDb, kDistortionBottomDb, 20.0,
                      " dB", false, true);
        const juce::Rectangle<float> panel2(PlotGeometry::kLeft, PlotGeometry::kTop2,
                                           PlotGeometry::kRight - PlotGeometry::kLeft,
                                           PlotGeometry::kBottom2 - PlotGeometry::kTop2);
        auto yDist = [](double db) {
            return PlotGeometry::kTop2 + (kDistortionTopDb - db) / (kDistortionTopDb - kDistortionBottomDb)
                                             * (PlotGeometry::kBottom2 - PlotGeometry::kTop2);
        };
        auto xd = [&](const analysis::DistortionPoint& q) { return p.xOf(q.hz); };
        // The THD floor: what this sweep cannot tell from zero (masked points are not drawn).
        drawCurve(g, r.distortion, xd, [&](const analysis::DistortionPoint& q) { return yDist(q.thdFloorDb); },
                  kFloorColour, 1.5f, true, panel2);
        drawCurve(g, r.distortion, xd, [&](const analysis::DistortionPoint& q) { return yDist(q.harmonicsDb[1]); },
                  kH3Colour, 1.5f, false, panel2);
        drawCurve(g, r.distortion, xd, [&](const analysis::DistortionPoint& q) { return yDist(q.harmonicsDb[0]); },
                  kH2Colour, 1.5f, false, panel2);
        drawCurve(g, r.distortion, xd, [&](const analysis::DistortionPoint& q) { return yDist(q.thdDb); }, kThdColour,
                  2.5f, false, panel2);
        g.setColour(juce::Colours::black);
        g.drawRect(panel2, 1.0f);
        legend(g, PlotGeometry::kLeft + 10, PlotGeometry::kTop2 + 8, kThdColour, "THD (dB re fundamental)");
        legend(g, PlotGeometry::kLeft + 10, PlotGeometry::kTop2 + 26, kH2Colour, "H2");
        legend(g, PlotGeometry::kLeft + 10, PlotGeometry::kTop2 + 44, kH3Colour, "H3");
        legend(g, PlotGeometry::kLeft + 10, PlotGeometry::kTop2 + 62, kFloorColour,
               "THD floor (dashed)");
        g.drawText("frequency (Hz)", juce::Rectangle<int>(0, PlotGeometry::kBottom2 + 24, PlotGeometry::kWidth, 16),
                   juce::Justification::centred);
    }

    std::string error;
    const auto temporary = makeTemporaryBeside(path, error);
    if (!temporary)
        return error;
    bool ok = false;
    {
        juce::FileOutputStream stream{juce::File(juce::String(*temporary))};
        if (stream.openedOk() && stream.setPosition(0) && stream.truncate().wasOk())
        {
            juce::PNGImageFormat png;
            ok = png.writeImageToStream(image, stream);
            stream.flush();
            ok = ok && !stream.getStatus().failed();
        }
    }
    std::error_code ec;
    if (ok)
        std::filesystem::rename(*temporary, path, ec);
    if (!ok || ec)
    {
        std::filesystem::remove(*temporary, ec);
        return fmt::format("cannot write {}", path);
    }
    return std::nullopt;
}
} // namespace wb::cli
