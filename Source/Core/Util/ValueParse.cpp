#include "Core/Util/ValueParse.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace wb
{
namespace
{
struct Prefix
{
    std::string_view text;
    double factor;
};
// "µ" is two bytes in UTF-8; "u" is its ASCII stand-in.
constexpr std::array<Prefix, 8> kPrefixes{{{"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6}, {"\xC2\xB5", 1e-6},
                                           {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}}};

bool takesPrefix(ValueUnit unit) noexcept { return unit != ValueUnit::decibel; }

/// True when `s` names the unit itself (no prefix).
bool isUnit(std::string_view s, ValueUnit unit) noexcept
{
    switch (unit)
    {
        case ValueUnit::none: return false;
        case ValueUnit::hertz: return equalsIgnoringCase(s, "hz");
        case ValueUnit::decibel: return equalsIgnoringCase(s, "db") || equalsIgnoringCase(s, "dbfs");
        case ValueUnit::seconds: return s == "s" || equalsIgnoringCase(s, "sec");
    }
    return false;
}

std::string expected(ValueUnit unit)
{
    if (unit == ValueUnit::none)
        return "a plain number (k, M allowed: 1k = 1000)";
    if (unit == ValueUnit::decibel)
        return "a number of dB, e.g. -6 dB";
    return fmt::format("a number of {0}, e.g. 1.5 k{0} or 2 m{0}", unitSymbol(unit));
}

ParsedValue refuse(std::string text) { return {std::nullopt, std::move(text)}; }
} // namespace

std::string_view trimSpaces(std::string_view s) noexcept
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0)
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0)
        s.remove_suffix(1);
    return s;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) noexcept
{
    return a.size() == b.size()
           && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y)
                         { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

std::string_view unitSymbol(ValueUnit unit) noexcept
{
    switch (unit)
    {
        case ValueUnit::none: return "";
        case ValueUnit::hertz: return "Hz";
        case ValueUnit::decibel: return "dB";
        case ValueUnit::seconds: return "s";
    }
    return "";
}

ParsedValue parseValue(std::string_view text, ValueUnit unit)
{
    const std::string_view all = trimSpaces(text);
    if (all.empty())
        return refuse("empty: type " + expected(unit));
    std::string_view rest = all;
    if (rest.front() == '+')
        rest.remove_prefix(1); // from_chars takes '-' but not '+'
    double number = 0.0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), number, std::chars_format::general);
    if (ec != std::errc{} || end == rest.data())
        return refuse(fmt::format("'{}' is not a number: type {}", all, expected(unit)));
    if (!std::isfinite(number))
        return refuse(fmt::format("'{}' is not a finite number", all));
    std::string_view suffix = trimSpaces(rest.substr(static_cast<std::size_t>(end - rest.data())));
    double factor = 1.0;
    if (!suffix.empty() && !isUnit(suffix, unit))
    {
        bool matched = false;
        if (takesPrefix(unit))
            for (const auto& p : kPrefixes)
                if (suffix.substr(0, p.text.size()) == p.text)
                {
                    const std::string_view after = trimSpaces(suffix.substr(p.text.size()));
                    if (after.empty() || isUnit(after, unit))
                    {
                        factor = p.factor;
                        matched = true;
                        break;
                    }
                }
        if (!matched)
            return refuse(fmt::format("'{}' is not understood in '{}': type {}", suffix, all, expected(unit)));
    }
    const double value = number * factor;
    if (!std::isfinite(value))
        return refuse(fmt::format("'{}' is too large", all));
    return {value, {}};
}

ParsedValue parseValueInRange(std::string_view text, ValueUnit unit, double min, double max)
{
    ParsedValue parsed = parseValue(text, unit);
    if (parsed.value && (*parsed.value < min || *parsed.value > max))
        return refuse(fmt::format("{} is outside {} .. {}", formatValue(*parsed.value, unit), formatValue(min, unit),
                                  formatValue(max, unit)));
    return parsed;
}

std::string formatValue(double value, ValueUnit unit, int significant)
{
    const std::string_view symbol = unitSymbol(unit);
    if (!std::isfinite(value))
        return fmt::format("{} {}", value, symbol);
    double shown = value;
    std::string_view prefix;
    const double magnitude = std::abs(value);
    if (unit == ValueUnit::hertz || unit == ValueUnit::seconds || unit == ValueUnit::none)
    {
        if (magnitude >= 1e6 && unit != ValueUnit::seconds)
        {
            shown = value / 1e6;
            prefix = "M";
        }
        else if (magnitude >= 1e3 && unit != ValueUnit::seconds)
        {
            shown = value / 1e3;
            prefix = "k";
        }
        else if (magnitude > 0.0 && magnitude < 1.0 && unit == ValueUnit::seconds)
        {
            shown = value * 1e3;
            prefix = "m";
        }
    }
    // {:.Ng} drops trailing zeros by itself.
    std::string number = fmt::format("{:.{}g}", shown, std::max(1, significant));
    if (symbol.empty() && prefix.empty())
        return number;
    return fmt::format("{} {}{}", number, prefix, symbol);
}
} // namespace wb
