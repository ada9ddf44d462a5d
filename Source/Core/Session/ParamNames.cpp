#include "Core/Session/ParamNames.h"

#include <fmt/format.h>

#include <cctype>

namespace wb
{
namespace
{
std::string_view unquoted(std::string_view name) noexcept
{
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
        return name.substr(1, name.size() - 2);
    return name;
}

bool admitted(const ParamSpec& spec, ParamFilter filter) noexcept { return filter == ParamFilter::all || !spec.isOutput; }
} // namespace

bool paramNamesMatch(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
    {
        const char x = a[i] == '_' ? ' ' : a[i];
        const char y = b[i] == '_' ? ' ' : b[i];
        if (std::tolower(static_cast<unsigned char>(x)) != std::tolower(static_cast<unsigned char>(y)))
            return false;
    }
    return true;
}

std::optional<std::size_t> indexOfParam(const std::vector<ParamSpec>& specs, std::string_view name,
                                        ParamFilter filter) noexcept
{
    name = unquoted(name);
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (admitted(specs[i], filter) && (specs[i].label == name || specs[i].path == name))
            return i;
    for (std::size_t i = 0; i < specs.size(); ++i)
        if (admitted(specs[i], filter) && (paramNamesMatch(specs[i].label, name) || paramNamesMatch(specs[i].path, name)))
            return i;
    return std::nullopt;
}

NameLookup findParam(const std::vector<ParamSpec>& specs, std::string_view name, std::string_view owner,
                     ParamFilter filter)
{
    if (const auto index = indexOfParam(specs, name, filter))
        return {index, {}};
    std::string names;
    for (const auto& s : specs)
        if (admitted(s, filter))
            names += (names.empty() ? "'" : ", '") + s.label + "'";
    return {std::nullopt, fmt::format("effect '{}' has no parameter '{}' (parameters: {})", owner, unquoted(name), names)};
}

std::string instanceName(std::string_view effectId, int occurrence)
{
    return occurrence <= 1 ? std::string(effectId) : fmt::format("{}#{}", effectId, occurrence);
}

NameLookup findInstance(const std::vector<std::string>& instances, std::string_view name)
{
    if (name.size() > 2 && name.ends_with("#1"))
        name.remove_suffix(2);
    for (std::size_t i = 0; i < instances.size(); ++i)
        if (instances[i] == name)
            return {i, {}};
    std::string names;
    for (const auto& s : instances)
        names += (names.empty() ? "" : " ") + s;
    return {std::nullopt, fmt::format("effect '{}' is not in the chain (instances: {})", name,
                                      names.empty() ? "none, see --chain" : names)};
}

std::optional<ParamAssignment> splitAssignment(std::string_view text)
{
    const auto dot = text.find('.');
    const auto eq = text.rfind('=');
    if (dot == std::string_view::npos || eq == std::string_view::npos || eq < dot)
        return std::nullopt;
    return ParamAssignment{std::string(text.substr(0, dot)), std::string(text.substr(dot + 1, eq - dot - 1)),
                           std::string(text.substr(eq + 1))};
}
} // namespace wb
