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
} // namespace

// ---------------------------------------------------------------------------------------- scope
ScopeView::ScopeView()
{
    spanBox.addItem("10 ms", 10);
    spanBox.addItem("20 ms", 20);
    spanBox.setSelectedId(span, juce::dontSendNotification);
    spanBox.onChange = [this] {
        setSpanMs(spanBox.getSelectedId());
        if (onSpanChanged)
            onSpanChanged(span);
    };
    spanBox.setWantsKeyboardFocus(false);
    addAndMakeVisible(spanBox);
}

void ScopeView::setSpanMs(int ms)
{
    span = ms == 10 ? 10 : 20;
    spanBox.setSelectedId(span, juce::dontSendNotification);
    repaint();
}

void ScopeView::resized()
{
    spanBox.setBounds(getWidth() - 8 - 86, 6, 86, 20);
}

void ScopeView::tick()
{
    const auto spanSamples = static_cast<std::size_t>(std::lround(rate * span / 1000.0));
    // Look back one span plus up to 20 ms for a trigger (enough for periods down to 50 Hz).
    const auto want = std::min(ring.capacity(), spanSamples + static_cast<std::size_t>(rate * 0.02));
    const auto have = std::min(want, ring.contiguous());
    haveData = have >= spanSamples && spanSamples > 0;
    if (!haveData)
    {
        trace.clear();
        repaint();
        return;
    }
    window.resize(have);
    ring.latest(window);
    // Hysteresis of 1 % of full scale keeps noise from retriggering.
    const long t = vis::findRisingTrigger(window, spanSamples, 0.0f, 0.01f);
    triggered = t >= 0;
    const auto start = triggered ? static_cast<std::size_t>(t) : have - spanSamples; // free-run otherwise
    trace.assign(window.begin() + static_cast<long>(start), window.begin() + static_cast<long>(start + spanSamples));
    repaint();
}

void ScopeView::paint(juce::Graphics& g)
{
    auto plot = drawPanelFrame(g, getLocalBounds(), "Scope  (output 1)");
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

    if (!haveData)
    {
        drawNoSignal(g, plot.withTrimmedTop(20), "waiting for frames");
        return;
    }
    juce::Path path;
    const auto n = trace.size();
    const float x0 = static_cast<float>(plot.getX()), w = static_cast<float>(plot.getWidth());
    const float mid = static_cast<float>(plot.getCentreY()), half = plot.getHeight() * 0.5f - 2.0f;
    // At most ~2 points per pixel: min/max per column when the span is denser than the plot.
    const auto columns = static_cast<std::size_t>(std::max(1, plot.getWidth()));
    if (n <= columns * 2)
    {
        for (std::size_t i = 0; i < n; ++i)
        {
            const float x = x0 + w * static_cast<float>(i) / static_cast<float>(n - 1);
            const float y = mid - half * juce::jlimit(-1.0f, 1.0f, trace[i]);
            i == 0 ? path.startNewSubPath(x, y) : path.lineTo(x, y);
        }
    }
    else
    {
        for (std::size_t c = 0; c < columns; ++c)
        {
            const auto a = c * n / columns, b = std::max(a + 1, (c + 1) * n / columns);
            float lo = trace[a], hi = trace[a];
            for (auto i = a; i < b; ++i)
                lo = std::min(lo, trace[i]), hi = std::max(hi, trace[i]);
            const float x = x0 + static_cast<float>(c);
            const float y1 = mid - half * juce::jlimit(-1.0f, 1.0f, hi), y2 = mid - half * juce::jlimit(-1.0f, 1.0f, lo);
            c == 0 ? path.startNewSubPath(x, y1) : path.lineTo(x, y1);
            path.lineTo(x, y2);
        }
    }
    g.setColour(kAccent);
    g.strokePath(path, juce::PathStrokeType(1.5f));
    g.setColour(triggered ? kGood : kDimText);
    g.setFont(juce::Font(12.0f));
    g.drawText(triggered ? "trig: rising 0" : "no trigger (free run)", plot.reduced(6).withHeight(14),
               juce::Justification::topRight);
}

// ------------------------------------------------------------------------------------- spectrum
SpectrumView::SpectrumView() : input(kFftSize), db(kFftSize / 2 + 1, -INFINITY)
{
    window = makeWindow(Window::BlackmanHarris4, kFftSize);
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

void SpectrumView::tick(double dt)
{
    haveData = ring.latest(input);
    if (haveData)
    {
        for (int i = 0; i < kFftSize; ++i)
            fftIn[i] = input[static_cast<std::size_t>(i)] * static_cast<float>(window[static_cast<std::size_t>(i)]);
        fftwf_execute(plan);
        // Amplitude: a sine of amplitude A on a bin reads A (0 dBFS for a full-scale sine).
        const double scale = 2.0 / windowSum;
        for (std::size_t k = 0; k < db.size(); ++k)
        {
            const double re = fftOut[k][0], im = fftOut[k][1];
            db[k] = vis::gainToDb(scale * std::sqrt(re * re + im * im));
        }
        peaks.update(db, dt);
    }
    repaint();
}

void SpectrumView::paint(juce::Graphics& g)
{
    auto plot = drawPanelFrame(g, getLocalBounds(), "Spectrum  (output 1, FFT 4096, Blackman-Harris)");
    auto labels = plot.removeFromBottom(14);
    plot.removeFromLeft(0);
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
    if (!haveData)
    {
        drawNoSignal(g, plot, "waiting for 4096 samples");
        return;
    }
    // One point per pixel column: the largest bin in the column's frequency range.
    const auto curve = [&](const std::vector<double>& values) {
        juce::Path p;
        bool started = false;
        const double binHz = rate / kFftSize;
        for (int c = 0; c < plot.getWidth(); ++c)
        {
            const double f1 = vis::unitToFreq(static_cast<double>(c) / plot.getWidth());
            const double f2 = vis::unitToFreq(static_cast<double>(c + 1) / plot.getWidth());
            auto k1 = static_cast<std::size_t>(std::floor(f1 / binHz + 0.5));
            auto k2 = std::max(k1 + 1, static_cast<std::size_t>(std::floor(f2 / binHz + 0.5)));
            if (k1 >= values.size())
                break;
            k2 = std::min(k2, values.size());
            double v = -INFINITY;
            for (auto k = k1; k < k2; ++k)
                v = std::max(v, values[k]);
            const float x = static_cast<float>(plot.getX() + c), y = dy(v);
            started ? p.lineTo(x, y) : p.startNewSubPath(x, y);
            started = true;
        }
        return p;
    };
    g.setColour(kWarning.withAlpha(0.7f));
    g.strokePath(curve(peaks.values()), juce::PathStrokeType(1.0f));
    g.setColour(kAccent);
    g.strokePath(curve(db), juce::PathStrokeType(1.5f));
    double top = -INFINITY;
    for (double v : db)
        top = std::max(top, v);
    g.setColour(kDimText);
    g.setFont(juce::Font(12.0f));
    g.drawText("max bin " + juce::String(vis::formatDb(top)) + "FS", plot.reduced(6).withHeight(14),
               juce::Justification::topRight);
}

// --------------------------------------------------------------------------------------- meters
LevelMeters::LevelMeters()
{
}

void LevelMeters::set(const MeterValues& m)
{
    const auto n = std::max<std::size_t>(1, std::min<std::size_t>(m.numChannels, MeterValues::kMaxChannels));
    channels.resize(n);
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
    repaint();
}

void LevelMeters::mouseDown(const juce::MouseEvent&)
{
    for (auto& ch : channels)
        ch.clipped = false;
    repaint();
}

void LevelMeters::paint(juce::Graphics& g)
{
    auto area = drawPanelFrame(g, getLocalBounds(), "Meters  (dBFS)");
    const int n = static_cast<int>(channels.size());
    auto scale = area.removeFromLeft(30);
    const auto readouts = area.removeFromBottom(34);
    auto clipRow = area.removeFromTop(16);
    area.removeFromTop(4);
    const auto dy = [&](double d) {
        return static_cast<float>(area.getBottom() - vis::dbToUnit(d, kMeterMinDb, kMeterMaxDb) * area.getHeight());
    };
    g.setFont(juce::Font(10.0f));
    for (double d : {6.0, 0.0, -6.0, -12.0, -24.0, -36.0, -48.0, -60.0})
    {
        g.setColour(kDimText);
        g.drawText(juce::String(d, 0), scale.getX(), juce::roundToInt(dy(d)) - 6, scale.getWidth() - 4, 12,
                   juce::Justification::right);
        g.setColour(kGrid);
        g.drawHorizontalLine(juce::roundToInt(dy(d)), static_cast<float>(area.getX()), static_cast<float>(area.getRight()));
    }
    const int colW = area.getWidth() / std::max(1, n);
    for (int c = 0; c < n; ++c)
    {
        const auto& ch = channels[static_cast<std::size_t>(c)];
        const auto col = juce::Rectangle<int>(area.getX() + c * colW, area.getY(), colW, area.getHeight()).reduced(6, 0);
        g.setColour(kBackground);
        g.fillRect(col);
        const auto fill = [&](double d, juce::Colour colour, int inset) {
            if (!std::isfinite(d) || d <= kMeterMinDb)
                return;
            const float y = dy(d);
            g.setColour(colour);
            g.fillRect(juce::Rectangle<float>(static_cast<float>(col.getX() + inset), y,
                                              static_cast<float>(col.getWidth() - 2 * inset),
                                              static_cast<float>(col.getBottom()) - y));
        };
        fill(ch.peakDb, kAccent.withAlpha(0.45f), 0);
        fill(ch.rmsDb, ch.peakDb > -3.0 ? kWarning : kGood, col.getWidth() / 4);
        if (std::isfinite(ch.holdDb) && ch.holdDb > kMeterMinDb)
        {
            g.setColour(ch.holdDb >= 0.0 ? kAlarm : kText);
            g.fillRect(col.getX(), juce::roundToInt(dy(ch.holdDb)) - 1, col.getWidth(), 2);
        }
        const auto clip = juce::Rectangle<int>(col.getX(), clipRow.getY(), col.getWidth(), clipRow.getHeight());
        g.setColour(ch.clipped ? kAlarm : kGrid);
        g.fillRoundedRectangle(clip.toFloat(), 3.0f);
        g.setColour(ch.clipped ? juce::Colours::white : kDimText);
        g.setFont(juce::Font(10.0f, juce::Font::bold));
        g.drawText("CLIP", clip, juce::Justification::centred);

        auto text = juce::Rectangle<int>(area.getX() + c * colW, readouts.getY() + 2, colW, readouts.getHeight());
        g.setFont(juce::Font(11.0f));
        g.setColour(kText);
        const auto fmt = [&](double d) {
            return haveData ? juce::String(vis::formatDb(d)).upToFirstOccurrenceOf(" dB", false, false) : juce::String("-");
        };
        g.drawText((c == 0 ? "L " : c == 1 ? "R " : juce::String(c + 1) + " ") + "pk " + fmt(ch.peakDb),
                   text.removeFromTop(15), juce::Justification::centred);
        g.setColour(kDimText);
        g.drawText("rms " + fmt(ch.rmsDb), text.removeFromTop(15), juce::Justification::centred);
    }
}
} // namespace wb::app
