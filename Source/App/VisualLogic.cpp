#include "App/VisualLogic.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace wb::app::vis
{
double gainToDb(double gain) noexcept
{
    return gain > 0.0 ? 20.0 * std::log10(gain) : -std::numeric_limits<double>::infinity();
}

std::string formatDb(double db)
{
    if (!std::isfinite(db) || db < -200.0)
        return "-inf dB";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f dB", db);
    return text;
}

double dbToUnit(double db, double minDb, double maxDb) noexcept
{
    if (!(db > minDb)) // also -inf and NaN
        return 0.0;
    return std::clamp((db - minDb) / (maxDb - minDb), 0.0, 1.0);
}

double freqToUnit(double hz, double lo, double hi) noexcept
{
    if (hz <= lo)
        return 0.0;
    return std::clamp(std::log(hz / lo) / std::log(hi / lo), 0.0, 1.0);
}

double unitToFreq(double u, double lo, double hi) noexcept
{
    return lo * std::pow(hi / lo, u);
}

SampleRing::SampleRing(std::size_t capacity) : buffer(std::max<std::size_t>(capacity, 1), 0.0f) {}

void SampleRing::push(const FrameChunk& chunk)
{
    const auto n = std::min<std::size_t>(chunk.numSamples, FrameChunk::kMaxSamples);
    push(std::span<const float>(chunk.samples.data(), n), chunk.sequence);
}

void SampleRing::push(std::span<const float> samples, std::uint64_t sequence)
{
    if (haveSequence && sequence != nextSequence)
    {
        ++gapCount;
        count = 0; // restart: nothing before the gap joins what follows it
    }
    haveSequence = true;
    nextSequence = sequence + 1;
    for (float s : samples)
    {
        buffer[write] = s;
        write = (write + 1) % buffer.size();
    }
    count = std::min(count + samples.size(), buffer.size());
    total += samples.size();
}

bool SampleRing::latest(std::span<float> out) const
{
    if (out.size() > count)
        return false;
    const auto n = buffer.size();
    std::size_t start = (write + n - out.size()) % n;
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = buffer[(start + i) % n];
    return true;
}

long findRisingTrigger(std::span<const float> x, std::size_t span, float level, float hysteresis) noexcept
{
    if (x.size() < span + 1)
        return -1;
    const std::size_t last = x.size() - span; // largest usable trigger index
    long found = -1;
    bool armed = false;
    for (std::size_t i = 0; i + 1 <= last; ++i)
    {
        if (x[i] < level - hysteresis)
            armed = true;
        if (armed && x[i] < level && x[i + 1] >= level)
        {
            found = static_cast<long>(i + 1);
            armed = false;
        }
    }
    return found;
}

PeakHold::PeakHold(double hold, double decayDbPerSecond) : holdSeconds(hold), decay(decayDbPerSecond) {}

void PeakHold::update(std::span<const double> db, double dt)
{
    if (held.size() != db.size())
    {
        held.assign(db.begin(), db.end());
        age.assign(db.size(), 0.0);
        return;
    }
    for (std::size_t i = 0; i < db.size(); ++i)
    {
        age[i] += dt;
        if (age[i] > holdSeconds && std::isfinite(held[i]))
            held[i] -= decay * std::min(dt, age[i] - holdSeconds);
        if (db[i] >= held[i] || !std::isfinite(held[i]))
        {
            held[i] = db[i];
            age[i] = 0.0;
        }
    }
}

bool movedBy(std::span<const float> before, std::span<const float> after, float tolerance) noexcept
{
    if (before.size() != after.size())
        return true;
    for (std::size_t i = 0; i < before.size(); ++i)
        if (!(std::abs(before[i] - after[i]) < tolerance)) // NaN counts as moved
            return true;
    return false;
}

int dropGapForY(double y, double rowPitch, int count) noexcept
{
    if (count <= 0 || !(rowPitch > 0.0) || std::isnan(y))
        return 0;
    const double gap = std::floor(y / rowPitch + 0.5); // the nearest row boundary
    return static_cast<int>(std::clamp(gap, 0.0, static_cast<double>(count)));
}

int dropTargetIndex(int from, int gap, int count) noexcept
{
    if (from < 0 || from >= count || gap < 0 || gap > count)
        return -1;
    return gap > from ? gap - 1 : gap;
}

void History::push(double v) noexcept
{
    data[write] = v;
    write = (write + 1) % data.size();
    count = std::min(count + 1, data.size());
}

double History::at(std::size_t i) const noexcept
{
    const auto n = data.size();
    return data[(write + n - count + i) % n];
}
} // namespace wb::app::vis
