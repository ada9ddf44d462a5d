#pragma once
// The one reader of parameter names, for the CLI (--set, --automation), the effect node
// (FaustEffectNode::findControl) and the app. Plain C++ (no JUCE); message thread.
//
// A parameter is named by its label ("peak 1 gain") or its full path ("Gain/gain"), exactly or
// case-insensitively with '_' and ' ' alike ("Peak_1_Gain"); the name may be wrapped in double
// quotes (parametriceq."peak 1 gain"=6). An exact match wins over a loose one.
// An effect of a chain is named by its instance: the effect id for its first occurrence, then
// id#2, id#3 ... ("gain#1" also names the first).
#include "Core/Session/ParamSpec.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb
{
enum class ParamFilter
{
    inputs, ///< controls only (what --set and automation may name)
    all,    ///< meters (isOutput) too
};

/// A name looked up: the index found, or why not (a sentence naming what is known).
struct NameLookup
{
    std::optional<std::size_t> index;
    std::string error;
};

/// True when two names are equal ignoring case, with '_' and ' ' alike. Never allocates.
[[nodiscard]] bool paramNamesMatch(std::string_view a, std::string_view b) noexcept;

/// The index of the parameter of `specs` called `name` (see above), or nullopt. Never allocates.
[[nodiscard]] std::optional<std::size_t> indexOfParam(const std::vector<ParamSpec>& specs, std::string_view name,
                                                      ParamFilter filter = ParamFilter::inputs) noexcept;

/// indexOfParam, or the refusal "effect 'OWNER' has no parameter 'NAME' (parameters: 'a', 'b')"
/// listing the parameters the filter admits.
[[nodiscard]] NameLookup findParam(const std::vector<ParamSpec>& specs, std::string_view name, std::string_view owner,
                                   ParamFilter filter = ParamFilter::inputs);

/// The instance name of the `occurrence`-th (1-based) effect `effectId` of a chain: "gain", "gain#2".
[[nodiscard]] std::string instanceName(std::string_view effectId, int occurrence);

/// The index in `instances` (a chain's instance names, in order) of `name`, or the refusal
/// "effect 'NAME' is not in the chain (instances: a b)" ("none, see --chain" when empty).
[[nodiscard]] NameLookup findInstance(const std::vector<std::string>& instances, std::string_view name);

/// "FX.PARAM=VALUE" split at the first '.' and the last '='; nullopt when it has not that shape.
struct ParamAssignment
{
    std::string effect, param, value;
};
[[nodiscard]] std::optional<ParamAssignment> splitAssignment(std::string_view text);
} // namespace wb
