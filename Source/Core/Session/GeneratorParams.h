#pragma once
// The test-signal generator's numeric settings declared as ParamSpecs (Core/Session/ParamSpec):
// their ranges, units, scales and defaults, described once. The generator's model
// (Engine/GeneratorModel, GeneratorState's check) clamps and checks against them and the
// generator panel's sliders take their ranges and scales from them. Plain C++.
#include "Core/Session/ParamSpec.h"

#include <vector>

namespace wb
{
struct GeneratorParamSpecs
{
    ParamSpec freq;          ///< "freq": tone frequency, or where a sweep starts; 20 Hz .. 20 kHz, log
    ParamSpec freqTo;        ///< "to": where a sweep ends; 20 Hz .. 20 kHz, log
    ParamSpec level;         ///< "level": dBFS (peak or RMS), -80 .. 0
    ParamSpec sweepSeconds;  ///< "duration": one sweep, 0.1 .. 60 s, log
    ParamSpec fadeSeconds;   ///< "fade": raised-cosine fade at each end of a sweep, 0 .. 1 s
    ParamSpec impulsePeriod; ///< "period": time between impulses, 1 ms .. 10 s, log
    ParamSpec seed;          ///< "seed": of every noise, 0 .. 2^32 - 1, whole numbers

    /// All of them, in the order above (for name lookups: ParamNames' findParam).
    [[nodiscard]] std::vector<ParamSpec> list() const;
};

/// The generator's parameters (built once; message thread).
[[nodiscard]] const GeneratorParamSpecs& generatorParamSpecs();
} // namespace wb
