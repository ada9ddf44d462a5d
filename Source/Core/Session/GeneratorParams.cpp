#include "Core/Session/GeneratorParams.h"

#include "Core/Signals/SignalTypes.h"

namespace wb
{
namespace
{
GeneratorParamSpecs build()
{
    const SignalSettings defaults;
    GeneratorParamSpecs g;
    g.freq = {.path = "freq", .label = "Frequency", .unit = "Hz", .tooltip = "Tone frequency, or where a sweep starts",
              .min = 20.0, .max = 20000.0, .defaultValue = defaults.freq, .scale = ParamScale::log};
    g.freqTo = {.path = "to", .label = "Sweep to", .unit = "Hz", .tooltip = "Where the sweep ends",
                .min = 20.0, .max = 20000.0, .defaultValue = defaults.freqTo, .scale = ParamScale::log};
    g.level = {.path = "level", .label = "Level", .unit = "dB", .tooltip = "Output level in dBFS (peak or RMS)",
               .min = -80.0, .max = 0.0, .defaultValue = defaults.levelDb};
    g.sweepSeconds = {.path = "duration", .label = "Duration", .unit = "s", .tooltip = "Length of one sweep",
                      .min = 0.1, .max = 60.0, .defaultValue = 2.0, .scale = ParamScale::log};
    g.fadeSeconds = {.path = "fade", .label = "Fade", .unit = "s",
                     .tooltip = "Raised-cosine fade at both ends of each sweep (at most half the duration)",
                     .min = 0.0, .max = 1.0, .defaultValue = 0.01};
    g.impulsePeriod = {.path = "period", .label = "Period", .unit = "s", .tooltip = "Time between impulses",
                       .min = 0.001, .max = 10.0, .defaultValue = 0.5, .scale = ParamScale::log};
    g.seed = {.path = "seed", .label = "Seed", .unit = {}, .tooltip = "Seed of every noise", .min = 0.0, .max = 4294967295.0,
              .defaultValue = static_cast<double>(defaults.seed), .step = 1.0};
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
