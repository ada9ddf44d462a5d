#include "App/Visualisers.h"

#include "App/Theme.h"
#include "Core/Analysis/Spectrum.h"

#include <cmath>
#include <mutex>

namespace wb::app
{
using namespace theme;

namespace
{
constexpr double kMinDb = -120.0, kMaxDb = 0.0;
constexpr double kMeterMinDb = -60.0, kMeterMaxDb = 6.0;

void drawNoSignal(juce::Graphics& g, juce::Rectangle<int> plot, const juce::String& text)
{
    g.setColour(kDimText);
    g.setFont(juce::Font(13.0f));
    g.drawText(text, plot.reduced(6), juce::Justification::topRight);
}
const char* channelLabel(ChannelView v, int which)
{
    switch (v)
    {
        case ChannelView::channel1: return "out 1";
        case ChannelView::channel2: return "out 2";
        case ChannelView::both: return which == 0 ? "out 1" : "out 2";
        case ChannelView::difference: return "out 1 - out 2";
    }
    return "";
}

/// A legend line: a short coloured bar and the text, at (x, y); returns the x after it.
int drawLegendItem(juce::Graphics& g, int x, int y, juce::Colour colour, const juce::String& text)
{
    g.setColour(colour);
    g.fillRect(x, y + 6, 14, 2);
    g.setColour(kText);
    g.setFont(juce::Font(12.0f));
    const int w = g.getCurrentFont().getStringWidth(text);
    g.drawText(text, x + 18, y, w + 2, 14, juce::Justification::centredLeft);
    return x + 18 + w + 12;
}
} // namespace

/// The channel box of a view (scope or spectrum): its items, its ID for the tests, and a choice
/// that goes to the view's setChannelView and then to its onChannelViewChanged listener.
template <typename View>
void setUpChannelBox(View& view, juce::ComboBox& box)
{
    box.addItem("Out 1", static_cast<int>(ChannelView::channel1));
    box.addItem("Out 2", static_cast<int>(ChannelView::channel2));
    box.addItem("1 + 2", static_cast<int>(ChannelView::both));
    box.addItem("L - R", static_cast<int>(ChannelView::difference));
    box.setSelectedId(static_cast<int>(ChannelView::channel1), juce::dontSendNotification);
    box.setWantsKeyboardFocus(false);
    box.setTooltip("Which output to show: 1 (left), 2 (right), both overlaid (1 blue, 2 orange), or L - R "
                   "(the difference: flat when both carry the same signal)");
    box.setComponentID(View::kChannelBoxId);
    box.onChange = [&view, &box] {
        const auto v = static_cast<ChannelView>(box.getSelectedId());
        view.setChannelView(v);
        if (view.onChannelViewChanged)
            view.onChannelViewChanged(v);
    };
    view.addAndMakeVisible(box);
}

// ---------------------------------------------------------------------------------------- scope
ScopeView::ScopeView()
{
    setOpaque(true);
    spanBox.addItem("10 ms", 10);
    spanBox.addItem("20 ms", 20);
    spanBox.setSelectedId(span, juce::dontSendNotification);
    spanBox.onChange = [this] {
        setSpanMs(spanBox.getSelectedId());
        if (onSpanChanged)
            onSpanChanged(span);
    };
    spanBox.setWantsKeyboardFocus(false);
    spanBox.setTooltip("Time span of the trace: 10 or 20 ms");
    addAndMakeVisible(spanBox);
    setUpChannelBox(*this, channelBox);
    setTooltip("Oscilloscope: the chosen output(s), triggered on the rising zero crossing of the blue trace. "
               "corr: the correlation of outputs 1 and 2 over ~0.3 s: +1 the same signal, -1 one inverted, "
               "0 unrelated (or one silent: -)");
}

void ScopeView::setChannelView(ChannelView v)
{
    if (v == view)
        return;
    view = v;
    channelBox.setSelectedId(static_cast<int>(v), juce::dontSendNotification);
    ring.clear(); // the other channel's samples must not join the new trace
    ring2.clear();
    trace2.clear();
    seenSamples = ~std::uint64_t{0};
    shownPoints.clear();
    shownPoints2.clear();
    repaint();
}

void ScopeView::setCorrelation(std::optional<double> r)
{
    correlation = r;
    const auto area = correlationArea();
    const int px = r ? juce::roundToInt((*r + 1.0) * 0.5 * area.getWidth() * 4) : -1; // quarter pixels: the text too
    if (px != shownCorrelationPx)
    {
        shownCorrelationPx = px;
        repaint(area.expanded(0, 2));
    }
}

float ScopeView::traceMaxAbs(int which) const noexcept
{
    const auto& t = which == 0 ? trace : trace2;
    float m = 0.0f;
    for (float v : t)
        m = std::max(m, std::abs(v));
    return m;
}

juce::Rectangle<int> ScopeView::correlationArea() const
{
    // Bottom centre of the plot, between the "-1" label and the ms/div label.
    const int w = juce::jlimit(60, 200, plot.getWidth() - 170);
    return {plot.getCentreX() - w / 2, plot.getBottom() - 16, w, 14};
}

void ScopeView::setSpanMs(int ms)
{
    span = ms == 10 ? 10 : 20;
    spanBox.setSelectedId(span, juce::dontSendNotification);
    background.invalidate(); // the ms/div label
    seenSamples = ~std::uint64_t{0}; // recompute the window at the next tick, even without new samples
    shownPoints.clear();
    repaint();
}

void ScopeView::resized()
{
    spanBox.setBounds(getWidth() - 8 - 76, 6, 76, 20);
    channelBox.setBounds(spanBox.getX() - 6 - 76, 6, 76, 20);
    plot = panelContentArea(getLocalBounds());
    background.invalidate();
    seenSamples = ~std::uint64_t{0};
    shownPoints.clear();
}

void ScopeView::tick()
{
    if (ring.totalSamples() == seenSamples)
        return; // nothing new arrived: the picture stays
    seenSamples = ring.totalSamples();
    const auto spanSamples = static_cast<std::size_t>(std::lround(rate * span / 1000.0));
    // Look back one span plus up to 20 ms for a trigger (enough for periods down to 50 Hz).
    const auto want = std::min(ring.capacity(), spanSamples + static_cast<std::size_t>(rate * 0.02));
    const auto have = std::min(want, ring.contiguous());
    haveData = have >= spanSamples && spanSamples > 0;
    if (!haveData)
        trace.clear();
    else
    {
        window.resize(have); // sized once for a given rate and span
        ring.latest(window);
        // Hysteresis of 1 % of full scale keeps noise from retriggering.
        const long t = vis::findRisingTrigger(window, spanSamples, 0.0f, 0.01f);
        triggered = t >= 0;
        const auto start = triggered ? static_cast<std::size_t>(t) : have - spanSamples; // free-run otherwise
        trace.assign(window.begin() + static_cast<long>(start), window.begin() + static_cast<long>(start + spanSamples));
        // The second trace (both channels): the same samples in time as the first (the rings
        // are fed in pairs), so the trigger of output 1 holds it still too.
        trace2.clear();
        if (view == ChannelView::both && ring2.contiguous() >= have)
        {
            window2.resize(have);
            ring2.latest(window2);
            trace2.assign(window2.begin() + static_cast<long>(start), window2.begin() + static_cast<long>(start + spanSamples));
        }
    }
    tracePoints(trace, points);
    tracePoints(trace2, points2);
    if (haveData != shownHaveData || triggered != shownTriggered || vis::movedBy(shownPoints, points, 0.5f)
        || points2.size() != shownPoints2.size() || vis::movedBy(shownPoints2, points2, 0.5f))
    {
        shownPoints.assign(points.begin(), points.end());
        shownPoints2.assign(points2.begin(), points2.end());
        shownDense = trace.size() > static_cast<std::size_t>(std::max(1, plot.getWidth())) * 2;
        shownHaveData = haveData;
        shownTriggered = triggered;
        repaint(plot);
    }
}

void ScopeView::tracePoints(const std::vector<float>& samples, std::vector<float>& xy) const
{
    xy.clear();
    const auto n = samples.size();
    if (!haveData || n < 2 || plot.isEmpty())
        return;
    const float x0 = static_cast<float>(plot.getX()), w = static_cast<float>(plot.getWidth());
    const float mid = static_cast<float>(plot.getCentreY()), half = plot.getHeight() * 0.5f - 2.0f;
    const auto yOf = [&](float v) { return mid - half * juce::jlimit(-1.0f, 1.0f, v); };
    // At most ~2 points per pixel: min/max per column when the span is denser than the plot.
    const auto cols = static_cast<std::size_t>(std::max(1, plot.getWidth()));
    if (n <= cols * 2)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            xy.push_back(x0 + w * static_cast<float>(i) / static_cast<float>(n - 1));
            xy.push_back(yOf(samples[i]));
        }
        return;
    }
    for (std::size_t c = 0; c < cols; ++c)
    {
        const auto a = c * n / cols, b = std::max(a + 1, (c + 1) * n / cols);
        float lo = samples[a], hi = samples[a];
        for (auto i = a; i < b; ++i)
            lo = std::min(lo, samples[i]), hi = std::max(hi, samples[i]);
        const float x = x0 + static_cast<float>(c);
        xy.insert(xy.end(), {x, yOf(hi), x, yOf(lo)});
    }
}

void ScopeView::renderBackground(juce::Graphics& g)
{
    const auto area = drawOpaquePanelFrame(g, getLocalBounds(), "Scope");
    jassert(area == plot);
    g.setColour(kBackground);
    g.fillRect(plot);
    g.setColour(kGrid);
    for (int i = 1; i < 10; ++i) // one division per ms (10 ms) or per 2 ms (20 ms)
    {
        const float x = static_cast<float>(plot.getX()) + plot.getWidth() * i / 10.0f;
        g.drawVerticalLine(juce::roundToInt(x), static_cast<float>(plot.getY()), static_cast<float>(plot.getBottom()));
    }
    for (int i = 1; i < 4; ++i)
    {
        const float y = static_cast<float>(plot.getY()) + plot.getHeight() * i / 4.0f;
        g.drawHorizontalLine(juce::roundToInt(y), static_cast<float>(plot.getX()), static_cast<float>(plot.getRight()));
    }
    g.setColour(kDimText);
    g.setFont(juce::Font(11.0f));
    g.drawText("+1", plot.getX() + 3, plot.getY() + 2, 30, 12, juce::Justification::left);
    g.drawText("-1", plot.getX() + 3, plot.getBottom() - 14, 30, 12, juce::Justification::left);
    g.drawText(juce::String(span / 10.0, 1) + " ms/div", plot.getRight() - 80, plot.getBottom() - 14, 76, 12,
               juce::Justification::right);
}

void ScopeView::paint(juce::Graphics& g)
{
    background.draw(g, getLocalBounds(), [this](juce::Graphics& bg) { renderBackground(bg); });
    {
        // The correlation of outputs 1 and 2: a bar from -1 to +1 with a marker, and the figure.
        const auto area = correlationArea();
        g.setColour(kPanelLight);
        g.fillRect(area.withHeight(3).withY(area.getCentreY() - 1));
        g.setColour(kDimText);
        g.fillRect(area.getCentreX(), area.getY() + 2, 1, area.getHeight() - 4);
        g.setFont(juce::Font(11.0f));
        if (correlation)
        {
            const int x = area.getX() + juce::roundToInt((*correlation + 1.0) * 0.5 * (area.getWidth() - 1));
            g.setColour(*correlation < -0.2 ? kAlarm : *correlation < 0.2 ? kWarning : kGood);
            g.fillRect(x - 2, area.getY(), 4, area.getHeight());
        }
        g.setColour(kDimText);
        g.drawText("corr " + (correlation ? juce::String(*correlation, 2) : juce::String("-")),
                   area.withWidth(70).withX(area.getX() - 74), juce::Justification::centredRight);
    }
    if (!shownHaveData || shownPoints.size() < 4)
    {
        drawNoSignal(g, plot.withTrimmedTop(20), "waiting for frames");
        return;
    }
    g.setColour(kAccent);
    drawTrace(g, shownPoints, shownDense);
    if (shownPoints2.size() >= 4)
    {
        g.setColour(kWarning);
        drawTrace(g, shownPoints2, shownDense);
    }
    // Legend: which trace is which output.
    {
        int x = plot.getX() + 24;
        x = drawLegendItem(g, x, plot.getY() + 2, kAccent, channelLabel(view, 0));
        if (view == ChannelView::both)
            drawLegendItem(g, x, plot.getY() + 2, kWarning, channelLabel(view, 1));
    }
    g.setColour(shownTriggered ? kGood : kDimText);
    g.setFont(juce::Font(12.0f));
    g.drawText(shownTriggered ? "trig: rising 0" : "no trigger (free run)", plot.reduced(6).withHeight(14),
               juce::Justification::topRight);
}

void ScopeView::drawTrace(juce::Graphics& g, const std::vector<float>& pts, bool dense)
{
    path.clear();
    const auto n = pts.size() / 2;
    if (dense)
    {
        // (x, max) and (x, min) per column: fill the band between the maxima and the minima,
        // widened by half a line width on each side. It looks like the stroked line
        // (which a zig-zag through every max and min is) at a fraction of the rasterising cost:
        // stroking the zig-zag builds and fills a self-overlapping outline with mitred joints.
        // Each column's span also reaches a third of the way to its neighbours' (so a steep
        // slope keeps the stroke's width across), and the half width matches the zig-zag's
        // mitred look at the peaks.
        constexpr float kHalfWidth = 1.1f, kReach = 1.0f / 3.0f;
        const auto cols = n / 2;
        const auto hi = [&](std::size_t c) { return pts[4 * c + 1]; };
        const auto lo = [&](std::size_t c) { return pts[4 * c + 3]; };
        const auto top = [&](std::size_t c) {
            float y = hi(c);
            if (c > 0)
                y = std::min(y, hi(c) + (hi(c - 1) - hi(c)) * kReach);
            if (c + 1 < cols)
                y = std::min(y, hi(c) + (hi(c + 1) - hi(c)) * kReach);
            return y - kHalfWidth;
        };
        const auto bottom = [&](std::size_t c) {
            float y = lo(c);
            if (c > 0)
                y = std::max(y, lo(c) + (lo(c - 1) - lo(c)) * kReach);
            if (c + 1 < cols)
                y = std::max(y, lo(c) + (lo(c + 1) - lo(c)) * kReach);
            return y + kHalfWidth;
        };
        path.startNewSubPath(pts[0], top(0));
        for (std::size_t c = 1; c < cols; ++c)
            path.lineTo(pts[4 * c], top(c));
        for (std::size_t c = cols; c-- > 0;)
            path.lineTo(pts[4 * c + 2], bottom(c));
        path.closeSubPath();
        g.fillPath(path);
    }
    else
    {
        path.startNewSubPath(pts[0], pts[1]);
        for (std::size_t i = 1; i < n; ++i)
            path.lineTo(pts[2 * i], pts[2 * i + 1]);
        juce::PathStrokeType(1.5f).createStrokedPath(stroked, path, {}, g.getInternalContext().getPhysicalPixelScaleFactor());
        g.fillPath(stroked);
    }
}

// ------------------------------------------------------------------------------------- spectrum
SpectrumView::SpectrumView()
    : input(kFftSize), input2(kFftSize), db(kFftSize / 2 + 1, -INFINITY), db2(kFftSize / 2 + 1, -INFINITY)
{
    setOpaque(true);
    setUpChannelBox(*this, channelBox);
    setTooltip("Amplitude spectrum (FFT 4096, Blackman-Harris window) in dBFS: a sine on a bin reads its peak level. "
               "Blue: the chosen output; orange: its decaying peak hold, or output 2 when both are shown");
    window = makeWindow(Window::blackmanHarris4, kFftSize);
    windowSum = 0.0;
    for (double w : window)
        windowSum += w;
    fftIn = fftwf_alloc_real(kFftSize);
    fftOut = fftwf_alloc_complex(kFftSize / 2 + 1);
    {
        const std::lock_guard lock(fftwPlannerMutex());
        plan = fftwf_plan_dft_r2c_1d(kFftSize, fftIn, fftOut, FFTW_ESTIMATE);
    }
}

SpectrumView::~SpectrumView()
{
    {
        const std::lock_guard lock(fftwPlannerMutex());
        fftwf_destroy_plan(plan);
    }
    fftwf_free(fftIn);
    fftwf_free(fftOut);
}

void SpectrumView::setChannelView(ChannelView v)
{
    if (v == view)
        return;
    view = v;
    channelBox.setSelectedId(static_cast<int>(v), juce::dontSendNotification);
    ring.clear();
    ring2.clear();
    peaks = vis::PeakHold{1.0, 20.0}; // the old channel's peaks do not belong to the new one
    seenSamples = ~std::uint64_t{0};
    shownCurveY.clear();
    repaint();
}

juce::String SpectrumView::legendText() const
{
    return view == ChannelView::both ? juce::String("out 2") : juce::String("peak hold");
}

void SpectrumView::transform(const std::vector<float>& samples, std::vector<double>& out)
{
    for (int i = 0; i < kFftSize; ++i)
        fftIn[i] = samples[static_cast<std::size_t>(i)] * static_cast<float>(window[static_cast<std::size_t>(i)]);
    fftwf_execute(plan);
    // Amplitude: a sine of amplitude A on a bin reads A (0 dBFS for a full-scale sine).
    const double scale = 2.0 / windowSum;
    for (std::size_t k = 0; k < out.size(); ++k)
    {
        const double re = fftOut[k][0], im = fftOut[k][1];
        out[k] = vis::gainToDb(scale * std::sqrt(re * re + im * im));
    }
}

void SpectrumView::resized()
{
    channelBox.setBounds(getWidth() - 8 - 76, 6, 76, 20);
    plot = panelContentArea(getLocalBounds());
    labels = plot.removeFromBottom(14);
    background.invalidate();
    columnsRate = 0.0; // recompute the column -> bin map
    seenSamples = ~std::uint64_t{0};
    shownCurveY.clear();
}

void SpectrumView::updateColumns()
{
    // One point per pixel column: the bins whose frequencies fall in the column's range.
    columnsRate = rate;
    columns.clear();
    const double binHz = rate / kFftSize;
    const auto bins = db.size();
    for (int c = 0; c < plot.getWidth(); ++c)
    {
        const double f1 = vis::unitToFreq(static_cast<double>(c) / plot.getWidth());
        const double f2 = vis::unitToFreq(static_cast<double>(c + 1) / plot.getWidth());
        const auto k1 = static_cast<std::size_t>(std::floor(f1 / binHz + 0.5));
        const auto k2 = std::max(k1 + 1, static_cast<std::size_t>(std::floor(f2 / binHz + 0.5)));
        if (k1 >= bins)
            break;
        columns.emplace_back(k1, std::min(k2, bins));
    }
}

void SpectrumView::curvePoints(const std::vector<double>& values, std::vector<float>& ys)
{
    ys.clear();
    if (values.size() != db.size())
        return;
    for (const auto& [k1, k2] : columns)
    {
        double v = -INFINITY;
        for (auto k = k1; k < k2; ++k)
            v = std::max(v, values[k]);
        ys.push_back(static_cast<float>(plot.getBottom() - vis::dbToUnit(v, kMinDb, kMaxDb) * plot.getHeight()));
    }
}

void SpectrumView::tick(double dt)
{
    pendingDt += dt; // the peak hold decays by the time since its last update
    if (ring.totalSamples() == seenSamples)
        return; // no new samples: no new frame, the picture stays
    seenSamples = ring.totalSamples();
    haveData = ring.latest(input);
    if (haveData)
    {
        transform(input, db);
        double top = -INFINITY;
        for (double v : db)
            top = std::max(top, v);
        peaks.update(db, pendingDt);
        pendingDt = 0.0;
        topText = "max bin " + juce::String(vis::formatDb(top)) + "FS";
        if (columnsRate != rate)
            updateColumns();
        curvePoints(db, curveY);
        // The orange curve: output 2's spectrum when both are shown (the rings are fed in pairs),
        // else the peak hold.
        if (view == ChannelView::both && ring2.latest(input2))
        {
            transform(input2, db2);
            curvePoints(db2, peakY);
        }
        else
            curvePoints(peaks.values(), peakY);
    }
    if (haveData != shownHaveData || curveY.size() != shownCurveY.size() || peakY.size() != shownPeakY.size())
    {
        shownHaveData = haveData;
        shownTopText = topText;
        shownCurveY.assign(curveY.begin(), curveY.end());
        shownPeakY.assign(peakY.begin(), peakY.end());
        repaint(plot);
        return;
    }
    if (topText != shownTopText)
    {
        shownTopText = topText;
        repaint(plot.reduced(6).withHeight(14));
    }
    repaintMovedColumns();
}

void SpectrumView::repaintMovedColumns()
{
    // Only the columns whose curve or peak-hold point moved by a pixel or more are taken over and
    // repainted; the line segments to their neighbours change too, so each run of such columns
    // spans one column more on each side and the stroke's width. What stays on screen elsewhere
    // differs from the newest values by less than a pixel. One rectangle, the union of the runs,
    // is repainted: many small ones (noise moves most columns) make JUCE's software renderer clip
    // every fill and image blit to a complex region, which cost more than the pixels saved
    // (callgrind: half the main thread's time went to EdgeTable::excludeRectangle and clipped
    // blits with pink noise).
    constexpr float kTolerance = 1.0f, kMargin = 3.0f;
    const auto n = static_cast<int>(curveY.size());
    const auto moved = [&](int c) {
        const auto i = static_cast<std::size_t>(c);
        return !(std::abs(curveY[i] - shownCurveY[i]) < kTolerance) || !(std::abs(peakY[i] - shownPeakY[i]) < kTolerance);
    };
    juce::Rectangle<int> dirtyUnion;
    int c = 0;
    while (c < n)
    {
        if (!moved(c))
        {
            ++c;
            continue;
        }
        const int first = c;
        while (c < n && moved(c))
            ++c;
        const int last = c - 1;
        const int a = std::max(0, first - 1), b = std::min(n - 1, last + 1);
        float top = INFINITY, bottom = -INFINITY;
        for (int k = a; k <= b; ++k)
        {
            const auto i = static_cast<std::size_t>(k);
            for (float y : {curveY[i], shownCurveY[i], peakY[i], shownPeakY[i]})
                top = std::min(top, y), bottom = std::max(bottom, y);
        }
        for (int k = first; k <= last; ++k)
        {
            const auto i = static_cast<std::size_t>(k);
            shownCurveY[i] = curveY[i];
            shownPeakY[i] = peakY[i];
        }
        const auto dirty = juce::Rectangle<float>::leftTopRightBottom(
                               static_cast<float>(plot.getX() + a) - kMargin, top - kMargin,
                               static_cast<float>(plot.getX() + b) + kMargin, bottom + kMargin)
                               .getSmallestIntegerContainer()
                               .getIntersection(plot);
        dirtyUnion = dirtyUnion.isEmpty() ? dirty : dirtyUnion.getUnion(dirty);
    }
    if (!dirtyUnion.isEmpty())
        repaint(dirtyUnion);
}

void SpectrumView::renderBackground(juce::Graphics& g)
{
    drawOpaquePanelFrame(g, getLocalBounds(), "Spectrum  (FFT 4096, Blackman-Harris)");
    g.setColour(kBackground);
    g.fillRect(plot);
    g.setFont(juce::Font(11.0f));
    const auto fx = [&](double hz) {
        return static_cast<float>(plot.getX() + vis::freqToUnit(hz) * plot.getWidth());
    };
    const auto dy = [&](double d) {
        return static_cast<float>(plot.getBottom() - vis::dbToUnit(d, kMinDb, kMaxDb) * plot.getHeight());
    };
    for (double hz : {20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0})
    {
        const float x = fx(hz);
        g.setColour(kGrid);
        g.drawVerticalLine(juce::roundToInt(x), static_cast<float>(plot.getY()), static_cast<float>(plot.getBottom()));
        g.setColour(kDimText);
        const auto text = hz >= 1000.0 ? juce::String(hz / 1000.0, 0) + "k" : juce::String(hz, 0);
        const int xi = juce::roundToInt(x);
        if (hz <= 20.0) // the end labels stay inside the plot
            g.drawText(text, xi, labels.getY(), 40, 14, juce::Justification::centredLeft);
        else if (hz >= 20000.0)
            g.drawText(text, xi - 40, labels.getY(), 40, 14, juce::Justification::centredRight);
        else
            g.drawText(text, xi - 20, labels.getY(), 40, 14, juce::Justification::centred);
    }
    for (double d = -20.0; d > kMinDb; d -= 20.0)
    {
        const float y = dy(d);
        g.setColour(kGrid);
        g.drawHorizontalLine(juce::roundToInt(y), static_cast<float>(plot.getX()), static_cast<float>(plot.getRight()));
        g.setColour(kDimText);
        g.drawText(juce::String(d, 0) + " dB", plot.getX() + 3, juce::roundToInt(y) - 13, 50, 12,
                   juce::Justification::left);
    }
}

void SpectrumView::paint(juce::Graphics& g)
{
    background.draw(g, getLocalBounds(), [this](juce::Graphics& bg) { renderBackground(bg); });
    if (!shownHaveData)
    {
        drawNoSignal(g, plot, "waiting for 4096 samples");
        return;
    }
    // Each curve is one vertical span per pixel column, from its point to its left neighbour's,
    // `thickness` tall at least, filled in one call: the same picture as a stroked polyline at one
    // point per column, for a fraction of the software renderer's cost (no stroker, one edge
    // table, no joints).
    const auto stroke = [&](const std::vector<float>& ys, float thickness) {
        if (ys.size() < 2)
            return;
        spans.clear();
        const float half = 0.5f * thickness;
        const auto x0 = static_cast<float>(plot.getX());
        for (std::size_t c = 1; c < ys.size(); ++c)
        {
            const float top = std::min(ys[c - 1], ys[c]) - half;
            const float bottom = std::max(ys[c - 1], ys[c]) + half;
            spans.addWithoutMerging({x0 + static_cast<float>(c) - half, top, std::max(1.0f, thickness), bottom - top});
        }
        g.fillRectList(spans);
    };
    g.setColour(kWarning.withAlpha(view == ChannelView::both ? 1.0f : 0.7f));
    stroke(shownPeakY, view == ChannelView::both ? 1.5f : 1.0f);
    g.setColour(kAccent);
    stroke(shownCurveY, 1.5f);
    g.setColour(kDimText);
    g.setFont(juce::Font(12.0f));
    g.drawText(shownTopText, plot.reduced(6).withHeight(14), juce::Justification::topRight);
    // Legend (top left, above the -20 dB line): blue the chosen output, orange peak hold / out 2.
    const int x = drawLegendItem(g, plot.getX() + 6, plot.getY() + 3, kAccent, channelLabel(view, 0));
    drawLegendItem(g, x, plot.getY() + 3, kWarning, legendText());
}

// --------------------------------------------------------------------------------------- meters
LevelMeters::LevelMeters()
{
    setOpaque(true);
    setTooltip("Peak (bar) and RMS (line) per output in dBFS over ~33 ms, with a peak hold; "
               "CLIP latches at 0 dBFS: click the meters to reset it");
}

void LevelMeters::set(const MeterValues& m)
{
    const auto n = std::max<std::size_t>(1, std::min<std::size_t>(m.numChannels, MeterValues::kMaxChannels));
    if (n != channels.size())
    {
        channels.resize(n);
        shown.assign(n, Shown{});
        background.invalidate(); // the columns' backgrounds
        repaint();
    }
    for (std::size_t c = 0; c < n; ++c)
    {
        auto& ch = channels[c];
        ch.peakDb = vis::gainToDb(m.peak[c]);
        ch.rmsDb = vis::gainToDb(m.rms[c]);
        if (ch.peakDb >= ch.holdDb || !std::isfinite(ch.holdDb))
            ch.holdDb = ch.peakDb, ch.holdAge = 0.0;
        if (m.peak[c] >= 1.0f)
            ch.clipped = true;
    }
    haveData = true;
}

void LevelMeters::setLoudness(const LiveLoudness::Figures& f)
{
    loudnessNow = f;
}

juce::String LevelMeters::getTooltip()
{
    if (loudnessRow.contains(getMouseXYRelative()))
        return "EBU R128 loudness of outputs 1-2 (BS.1770, libebur128): M momentary (400 ms), S short-term (3 s), "
               "I integrated (gated) and LRA loudness range since the start or the last reset, TP the highest true "
               "peak. Measured from every output sample; frames the display could not keep up with are gaps, "
               "counted and never measured as silence. Click to reset I, LRA and TP";
    return SettableTooltipClient::getTooltip();
}

void LevelMeters::tick(double dt)
{
    for (auto& ch : channels)
    {
        ch.holdAge += dt;
        if (ch.holdAge > 1.5 && std::isfinite(ch.holdDb)) // hold 1.5 s, then fall 20 dB/s
        {
            ch.holdDb -= 20.0 * dt;
            if (ch.holdDb < ch.peakDb || ch.holdDb < -120.0)
                ch.holdDb = ch.peakDb;
        }
    }
    readoutAge += dt;
    const bool readouts = readoutAge >= 0.125; // numbers at most 8 times a second
    if (readouts)
        readoutAge = 0.0;
    refresh(readouts);
}

void LevelMeters::refresh(bool readouts)
{
    const auto yOf = [&](double d) {
        if (!std::isfinite(d) || d <= kMeterMinDb)
            return -1;
        return juce::roundToInt(meterArea.getBottom() - vis::dbToUnit(d, kMeterMinDb, kMeterMaxDb) * meterArea.getHeight());
    };
    const auto fmt = [&](double d) {
        return haveData ? juce::String(vis::formatDb(d)).upToFirstOccurrenceOf(" dB", false, false) : juce::String("-");
    };
    if (readouts || shownLoudness.isEmpty())
    {
        const auto lufs = [](const std::optional<double>& v) { return v ? juce::String(*v, 1) : juce::String("-"); };
        const auto& f = loudnessNow;
        juce::StringArray lines;
        lines.add("M " + lufs(f.momentaryLufs) + "   S " + lufs(f.shortTermLufs));
        lines.add("I " + lufs(f.integratedLufs) + " LUFS   LRA " + lufs(f.rangeLu));
        lines.add("TP " + lufs(f.truePeakDbtp) + " dBTP" + (f.framesLost > 0 ? "   gaps" : ""));
        if (lines != shownLoudness)
        {
            shownLoudness = lines;
            loudnessGaps = f.framesLost > 0;
            repaint(loudnessRow);
        }
    }
    for (std::size_t c = 0; c < channels.size(); ++c)
    {
        const auto& ch = channels[c];
        Shown now;
        now.peakY = yOf(ch.peakDb);
        now.rmsY = yOf(ch.rmsDb);
        now.holdY = yOf(ch.holdDb);
        now.rmsWarning = ch.peakDb > -3.0;
        now.holdAlarm = ch.holdDb >= 0.0;
        now.clipped = ch.clipped;
        now.peakText = readouts || shown[c].peakText.isEmpty() ? fmt(ch.peakDb) : shown[c].peakText;
        now.rmsText = readouts || shown[c].rmsText.isEmpty() ? fmt(ch.rmsDb) : shown[c].rmsText;
        if (!(now == shown[c]))
        {
            shown[c] = std::move(now);
            repaint(channelArea(static_cast<int>(c)));
        }
    }
}

void LevelMeters::mouseDown(const juce::MouseEvent& e)
{
    if (loudnessRow.contains(e.getPosition()))
    {
        if (onLoudnessReset)
            onLoudnessReset();
        loudnessNow = {};
        refresh(true);
        return;
    }
    for (auto& ch : channels)
        ch.clipped = false;
    refresh(false);
}

void LevelMeters::resized()
{
    auto area = panelContentArea(getLocalBounds());
    loudnessRow = area.removeFromBottom(44);
    area.removeFromBottom(2);
    scale = area.removeFromLeft(30);
    readoutRow = area.removeFromBottom(34);
    clipRow = area.removeFromTop(16);
    area.removeFromTop(4);
    meterArea = area;
    background.invalidate();
    for (auto& s : shown)
        s = Shown{};
    shownLoudness.clear();
    refresh(true);
}

juce::Rectangle<int> LevelMeters::column(int c) const
{
    const int colW = meterArea.getWidth() / std::max(1, static_cast<int>(channels.size()));
    return juce::Rectangle<int>(meterArea.getX() + c * colW, meterArea.getY(), colW, meterArea.getHeight()).reduced(6, 0);
}

juce::Rectangle<int> LevelMeters::channelArea(int c) const
{
    const int colW = meterArea.getWidth() / std::max(1, static_cast<int>(channels.size()));
    return {meterArea.getX() + c * colW, clipRow.getY(), colW, readoutRow.getBottom() - clipRow.getY()};
}

void LevelMeters::renderBackground(juce::Graphics& g)
{
    drawOpaquePanelFrame(g, getLocalBounds(), "Meters  (dBFS)");
    const auto dy = [&](double d) {
        return static_cast<float>(meterArea.getBottom() - vis::dbToUnit(d, kMeterMinDb, kMeterMaxDb) * meterArea.getHeight());
    };
    g.setFont(juce::Font(10.0f));
    for (double d : {6.0, 0.0, -6.0, -12.0, -24.0, -36.0, -48.0, -60.0})
    {
        g.setColour(kDimText);
        g.drawText(juce::String(d, 0), scale.getX(), juce::roundToInt(dy(d)) - 6, scale.getWidth() - 4, 12,
                   juce::Justification::right);
        g.setColour(kGrid);
        g.drawHorizontalLine(juce::roundToInt(dy(d)), static_cast<float>(meterArea.getX()),
                             static_cast<float>(meterArea.getRight()));
    }
    for (int c = 0; c < static_cast<int>(channels.size()); ++c)
    {
        g.setColour(kBackground);
        g.fillRect(column(c));
    }
}

void LevelMeters::paint(juce::Graphics& g)
{
    background.draw(g, getLocalBounds(), [this](juce::Graphics& bg) { renderBackground(bg); });
    const int n = static_cast<int>(channels.size());
    for (int c = 0; c < n; ++c)
    {
        const auto& s = shown[static_cast<std::size_t>(c)];
        const auto col = column(c);
        if (!g.clipRegionIntersects(channelArea(c)))
            continue;
        const auto fill = [&](int y, juce::Colour colour, int inset) {
            if (y < 0)
                return;
            g.setColour(colour);
            g.fillRect(col.getX() + inset, y, col.getWidth() - 2 * inset, col.getBottom() - y);
        };
        fill(s.peakY, kAccent.withAlpha(0.45f), 0);
        fill(s.rmsY, s.rmsWarning ? kWarning : kGood, col.getWidth() / 4);
        if (s.holdY >= 0)
        {
            g.setColour(s.holdAlarm ? kAlarm : kText);
            g.fillRect(col.getX(), s.holdY - 1, col.getWidth(), 2);
        }
        const auto clip = juce::Rectangle<int>(col.getX(), clipRow.getY(), col.getWidth(), clipRow.getHeight());
        g.setColour(s.clipped ? kAlarm : kGrid);
        g.fillRoundedRectangle(clip.toFloat(), 3.0f);
        g.setColour(s.clipped ? juce::Colours::white : kDimText);
        g.setFont(juce::Font(10.0f, juce::Font::bold));
        g.drawText("CLIP", clip, juce::Justification::centred);

        const int colW = meterArea.getWidth() / std::max(1, n);
        auto text = juce::Rectangle<int>(meterArea.getX() + c * colW, readoutRow.getY() + 2, colW, readoutRow.getHeight());
        g.setFont(juce::Font(11.0f));
        g.setColour(kText);
        g.drawText((c == 0 ? "L " : c == 1 ? "R " : juce::String(c + 1) + " ") + "pk " + s.peakText,
                   text.removeFromTop(15), juce::Justification::centred);
        g.setColour(kDimText);
        g.drawText("rms " + s.rmsText, text.removeFromTop(15), juce::Justification::centred);
    }
    if (g.clipRegionIntersects(loudnessRow))
    {
        g.setColour(kPanel);
        g.fillRect(loudnessRow);
        g.setColour(kGrid);
        g.drawHorizontalLine(loudnessRow.getY(), static_cast<float>(loudnessRow.getX()),
                             static_cast<float>(loudnessRow.getRight()));
        auto rows = loudnessRow.withTrimmedTop(3);
        g.setFont(juce::Font(11.0f));
        for (int i = 0; i < shownLoudness.size(); ++i)
        {
            g.setColour(i == 1 ? kText : i == 2 && loudnessGaps ? kWarning : kDimText);
            g.drawText(shownLoudness[i], rows.removeFromTop(13), juce::Justification::centredLeft);
        }
    }
}
} // namespace wb::app
