#include "Engine/ResponsePlot.h"

#include "Core/Audio/WavFile.h" // makeTemporaryBeside

#include <juce_graphics/juce_graphics.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

namespace wb
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
void drawValueGrid(juce::Graphics& g, const PlotGeometry& p, int top, int bottom, double hi, double lo, double step,
                   const char* unit, bool rightSide, bool lines)
{
    for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9; v += step)
    {
        const auto y = static_cast<float>(top + (hi - v) / (hi - lo) * (bottom - top));
        if (lines)
        {
            g.setColour(juce::Colour(0xffe2e2e2));
            g.drawLine(static_cast<float>(p.left), y, static_cast<float>(p.right), y, 1.0f);
        }
        g.setColour(juce::Colours::black);
        const auto text = fmt::format("{:g}{}", v, unit);
        if (rightSide)
            g.drawText(text, juce::Rectangle<int>(p.right + 6, static_cast<int>(y) - 8, 70, 16),
                       juce::Justification::centredLeft);
        else
            g.drawText(text, juce::Rectangle<int>(4, static_cast<int>(y) - 8, p.left - 10, 16),
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

/// A legend entry at (x, y) (16 px high): a colour bar and its text; returns the x after it.
int legend(juce::Graphics& g, int x, int y, unsigned colour, const std::string& text)
{
    g.setColour(juce::Colour(colour));
    g.fillRect(x, y + 6, 24, 4);
    g.setColour(juce::Colours::black);
    const int width = g.getCurrentFont().getStringWidth(juce::String::fromUTF8(text.c_str())) + 4;
    g.drawText(juce::String::fromUTF8(text.c_str()), juce::Rectangle<int>(x + 30, y, width, 16),
               juce::Justification::centredLeft);
    return x + 30 + width + 18;
}
} // namespace

PlotGeometry PlotGeometry::forSize(int w, int h)
{
    PlotGeometry p;
    p.width = w;
    p.height = h;
    p.left = 80;
    p.right = std::max(p.left + 10, w - 80);
    // Title 60 px, a 60 px gap for the magnitude panel's frequency labels, 60 px at the bottom for
    // the axis title; the rest shared 11:7 (1200 x 900: 440 and 280 px, as the PNG always had).
    p.top1 = 60;
    const int shared = std::max(20, h - 3 * 60);
    p.bottom1 = p.top1 + shared * 11 / 18;
    p.top2 = p.bottom1 + 60;
    p.bottom2 = std::max(p.top2 + 10, h - 60);
    return p;
}

double PlotGeometry::xOf(double hz) const
{
    return left + std::log(hz / fromHz) / std::log(toHz / fromHz) * (right - left);
}

double PlotGeometry::yOfMagnitude(double db) const
{
    return top1 + (magnitudeTopDb - db) / (magnitudeTopDb - magnitudeBottomDb) * (bottom1 - top1);
}

PlotGeometry plotGeometryFor(const analysis::SweptSineResult& r, double fromHz, double toHz, int width, int height)
{
    PlotGeometry p = PlotGeometry::forSize(width, height);
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

void drawResponsePlot(juce::Graphics& g, const PlotGeometry& p, const analysis::SweptSineResult& r,
                      const analysis::SweptSineResult* previous, const std::string& title)
{
    g.setColour(juce::Colours::white);
    g.fillRect(0, 0, p.width, p.height);
    g.setFont(14.0f);
    g.setColour(juce::Colours::black);
    g.drawText(title, juce::Rectangle<int>(0, 10, p.width, 24), juce::Justification::centred);

    // Magnitude and phase.
    drawFrequencyGrid(g, p, p.top1, p.bottom1);
    drawValueGrid(g, p, p.top1, p.bottom1, p.magnitudeTopDb, p.magnitudeBottomDb, 10.0, " dB", false, true);
    drawValueGrid(g, p, p.top1, p.bottom1, 180.0, -180.0, 90.0, "\u00b0", true, false);
    const juce::Rectangle<float> panel1(static_cast<float>(p.left), static_cast<float>(p.top1),
                                        static_cast<float>(p.right - p.left), static_cast<float>(p.bottom1 - p.top1));
    auto x = [&](const auto& point) { return p.xOf(point.hz); };
    auto magnitude = [&](const analysis::ResponsePoint& q) { return p.yOfMagnitude(q.db); };
    if (previous != nullptr)
        drawCurve(g, previous->response, x, magnitude, PlotGeometry::kPreviousColour, 2.0f, false, panel1);
    drawCurve(g, r.response, x, [&](const analysis::ResponsePoint& q) {
        return p.top1 + (180.0 - q.deg) / 360.0 * (p.bottom1 - p.top1); },
              kPhaseColour, 1.5f, true, panel1);
    drawCurve(g, r.response, x, magnitude, PlotGeometry::kMagnitudeColour, 2.5f, false, panel1);
    g.setColour(juce::Colours::black);
    g.drawRect(panel1, 1.0f);
    // Legends in a row above each panel, where no curve can be.
    int at = legend(g, p.left, p.top1 - 20, PlotGeometry::kMagnitudeColour, "magnitude (dB)");
    at = legend(g, at, p.top1 - 20, kPhaseColour, "phase (\u00b0, delay removed; dashed)");
    if (previous != nullptr)
        legend(g, at, p.top1 - 20, PlotGeometry::kPreviousColour, "previous run");

    // Distortion.
    drawFrequencyGrid(g, p, p.top2, p.bottom2);
    drawValueGrid(g, p, p.top2, p.bottom2, kDistortionTopDb, kDistortionBottomDb, 20.0, " dB", false, true);
    const juce::Rectangle<float> panel2(static_cast<float>(p.left), static_cast<float>(p.top2),
                                        static_cast<float>(p.right - p.left), static_cast<float>(p.bottom2 - p.top2));
    auto yDist = [&](double db) {
        return p.top2 + (kDistortionTopDb - db) / (kDistortionTopDb - kDistortionBottomDb) * (p.bottom2 - p.top2);
    };
    auto xd = [&](const analysis::DistortionPoint& q) { return p.xOf(q.hz); };
    if (previous != nullptr)
        drawCurve(g, previous->distortion, xd, [&](const analysis::DistortionPoint& q) { return yDist(q.thdDb); },
                  PlotGeometry::kPreviousColour, 2.0f, false, panel2);
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
    at = legend(g, p.left, p.top2 - 20, kThdColour, "THD (dB re fundamental)");
    at = legend(g, at, p.top2 - 20, kH2Colour, "H2");
    at = legend(g, at, p.top2 - 20, kH3Colour, "H3");
    at = legend(g, at, p.top2 - 20, kFloorColour, "THD floor (dashed)");
    if (previous != nullptr)
        legend(g, at, p.top2 - 20, PlotGeometry::kPreviousColour, "previous THD");
    g.drawText("frequency (Hz)", juce::Rectangle<int>(0, p.bottom2 + 24, p.width, 16), juce::Justification::centred);
}

std::optional<std::string> writeResponsePlot(const std::string& path, const analysis::SweptSineResult& r,
                                             double fromHz, double toHz, const std::string& title,
                                             const analysis::SweptSineResult* previous)
{
    const PlotGeometry p = plotGeometryFor(r, fromHz, toHz);
    juce::Image image(juce::Image::ARGB, PlotGeometry::kWidth, PlotGeometry::kHeight, true, juce::SoftwareImageType());
    {
        juce::Graphics g(image);
        drawResponsePlot(g, p, r, previous, title);
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
} // namespace wb
