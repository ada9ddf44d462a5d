#include "Core/Session/GeneratorState.h"

#include "Core/Session/GeneratorParams.h"

#include <cmath>
#include <fmt/format.h>

namespace wb
{
SignalSettings GeneratorState::played(double sampleRate) const
{
    SignalSettings s;
    s.kind = kind;
    s.freq = freq();
    s.freqTo = freqTo;
    s.levelDb = levelDb;
    s.mode = mode;
    s.seed = seed;
    s.duration = 0.0;
    s.fadeIn = s.fadeOut = 0.0;
    s.repeat = false;
    s.periodSamples = 0.0;
    if (isSweep(kind))
    {
        s.duration = sweepSeconds;
        s.fadeIn = s.fadeOut = fadeSeconds;
        s.repeat = sweepRepeat;
    }
    else if (kind == SignalKind::impulse)
    {
        s.periodSamples = impulseRepeat ? impulsePeriodSeconds * sampleRate : 0.0;
    }
    return s;
}

std::string generatorStateProblem(const GeneratorState& g)
{
    const auto& p = generatorParamSpecs();
    const auto outside = [](const char* what, double v, const ParamSpec& spec, const char* unit)
    { return fmt::format("{} {} {} is not in {}-{} {}", what, v, unit, spec.min, spec.max, unit); };
    if (!p.freq.contains(g.toneHz))
        return outside("tone frequency", g.toneHz, p.freq, "Hz");
    if (!p.freq.contains(g.sweepFromHz))
        return outside("sweep start", g.sweepFromHz, p.freq, "Hz");
    if (!p.freqTo.contains(g.freqTo))
        return outside("sweep end", g.freqTo, p.freqTo, "Hz");
    if (!p.level.contains(g.levelDb))
        return fmt::format("level {} dBFS is not in {}..{} dBFS", g.levelDb, p.level.min, p.level.max);
    if (!p.sweepSeconds.contains(g.sweepSeconds))
        return outside("sweep duration", g.sweepSeconds, p.sweepSeconds, "s");
    if (!p.fadeSeconds.contains(g.fadeSeconds) || 2.0 * g.fadeSeconds > g.sweepSeconds)
        return fmt::format("fade {} s is not in {}..{} s and within half the sweep", g.fadeSeconds,
                           p.fadeSeconds.min, p.fadeSeconds.max);
    if (!p.impulsePeriod.contains(g.impulsePeriodSeconds))
        return outside("impulse period", g.impulsePeriodSeconds, p.impulsePeriod, "s");
    const double seed = static_cast<double>(g.seed);
    if (!p.seed.contains(seed))
        return fmt::format("seed {} is not an integer in {}..{}", g.seed, p.seed.min, p.seed.max);
    return {};
}
} // namespace wb
