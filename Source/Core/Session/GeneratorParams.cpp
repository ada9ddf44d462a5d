#include "Core/Session/GeneratorParams.h"

#include "Core/Signals/SignalTypes.h"

namespace wb
{
namespace
{
ParamSpec make(const char* path, const char* label, const char* unit, double min, double max, double init,
               ParamScale scale, double step, const char* tooltip)
{
    ParamSpec s;
    s.path = path;
    s.label = label;
    s.unit = unit;
    s.tooltip = tooltip;
    s.min = min;
    s.max = max;
    s.defaultValue = init;
    s.step = step;
    s.scale = scale;
    return s;
}

GeneratorParamSpecs build()
{
    const SignalSettings defaults;
    GeneratorParamSpecs g;
    g.freq = make("freq", "Frequency", "Hz", 20.0, 20000.0, defaults.freq, ParamScale::log, 0.0,
                  "Tone frequency, or where a sweep starts");
    g.freqTo = make("to", "Sweep to", "Hz", 20.0, 20000.0, defaults.freqTo, ParamScale::log, 0.0, "Where the sweep ends");
    g.level = make("level", "Level", "dB", -80.0, 0.0, defaults.levelDb, ParamScale::linear, 0.0,
                   "Output level in dBFS (peak or RMS)");
    g.sweepSeconds = make("duration", "Duration", "s", 0.1, 60.0, 2.0, ParamScale::log, 0.0, "Length of one sweep");
    g.fadeSeconds = make("fade", "Fade", "s", 0.0, 1.0, 0.01, ParamScale::linear, 0.0,
                         "Raised-cosine fade at both ends of each sweep (at most half the duration)");
    g.impulsePeriod = make("period", "Period", "s", 0.001, 10.0, 0.5, ParamScale::log, 0.0, "Time between impulses");
    g.seed = make("seed", "Seed", "", 0.0, 4294967295.0, static_cast<double>(defaults.seed), ParamScale::linear, 1.0,
                  "Seed of every noise");
    return g;
}
} // namespace

std::vector<ParamSpec> GeneratorParamSpecs::list() const
{
    return {freq, freqTo, level, sweepSeconds, fadeSeconds, impulsePeriod, seed};
}

const GeneratorParamSpecs& generatorParamSpecs()
{
    static const GeneratorParamSpecs specs = build();
    return specs;
}
} // namespace wb
