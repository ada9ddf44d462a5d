#pragma once
// The effect chain of a session as plain data (JUCE-free): what the message thread's model holds
// and what the session file stores. One description serves the app, the engine's save/restore
// and the file reader and writer (Engine/SessionFile.h).
//
// An effect's instance name is its catalogue id for the first occurrence in the chain and
// id#2, id#3 ... for the later ones, as on the command line (`--set delay#2.time=120`).
#include <string>
#include <vector>

namespace wb::session
{
/// One input control's value, by its Faust path ("Lowpass/cutoff").
struct ParamValue
{
    std::string path;
    double value = 0.0;

    bool operator==(const ParamValue&) const = default;
};

/// One effect of the chain: instance name, catalogue id, bypass, and every input value.
struct EffectState
{
    std::string instance; ///< "delay", "delay#2" (instanceNames)
    std::string effectId; ///< the catalogue id, e.g. "delay"
    bool bypassed = false;
    std::vector<ParamValue> values; ///< every input control, in the effect's control order

    bool operator==(const EffectState&) const = default;
};

/// The ordered chain.
struct ChainState
{
    std::vector<EffectState> effects;

    bool operator==(const ChainState&) const = default;
};

/// The instance names of effects with these ids, in order: "gain", "gain#2", "lowpass", ...
inline std::vector<std::string> instanceNames(const std::vector<std::string>& effectIds)
{
    std::vector<std::string> names;
    names.reserve(effectIds.size());
    for (std::size_t i = 0; i < effectIds.size(); ++i)
    {
        int n = 1;
        for (std::size_t k = 0; k < i; ++k)
            n += effectIds[k] == effectIds[i] ? 1 : 0;
        names.push_back(n == 1 ? effectIds[i] : effectIds[i] + "#" + std::to_string(n));
    }
    return names;
}
} // namespace wb::session
