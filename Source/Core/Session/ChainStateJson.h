#pragma once
// The JSON form of the session's chain description (ChainState), as the render and measure
// sidecars record it: one object per effect with its instance name, effect id, bypass and every
// input value by Faust path:
//   {"instance": "delay#2", "effect": "delay", "bypassed": false, "values": {"Delay/time": 120, ...}}
// The same description the session file writes as <Chain> (Engine/SessionFile.h). JUCE-free.
#include "Core/Session/ChainState.h"

#include <nlohmann/json.hpp>

namespace wb::session
{
inline nlohmann::json toJson(const EffectState& fx)
{
    nlohmann::json values = nlohmann::json::object();
    for (const auto& p : fx.values)
        values[p.path] = p.value;
    return {{"instance", fx.instance}, {"effect", fx.effectId}, {"bypassed", fx.bypassed}, {"values", values}};
}

inline nlohmann::json toJson(const ChainState& chain)
{
    nlohmann::json effects = nlohmann::json::array();
    for (const auto& fx : chain.effects)
        effects.push_back(toJson(fx));
    return effects;
}
} // namespace wb::session
