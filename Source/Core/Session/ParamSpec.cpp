#include "Core/Session/ParamSpec.h"

#include <algorithm>
#include <cmath>

namespace wb
{
double logToNormalised(double start, double end, double value) noexcept
{
    if (!(start > 0.0) || !(end > start) || std::isnan(value))
        return 0.0;
    return std::clamp(std::log(std::clamp(value, start, end) / start) / std::log(end / start), 0.0, 1.0);
}

double logFromNormalised(double start, double end, double proportion) noexcept
{
    if (!(start > 0.0) || !(end > start))
        return start;
    const double p = std::isnan(proportion) ? 0.0 : std::clamp(proportion, 0.0, 1.0);
    // The ends exactly, not start * (end / start) rounded.
    if (p >= 1.0)
        return end;
    return std::clamp(start * std::pow(end / start, p), start, end);
}

bool ParamSpec::isLog() const noexcept { return scale == ParamScale::log && min > 0.0 && max > min; }

bool ParamSpec::contains(double value) const noexcept { return std::isfinite(value) && value >= min && value <= max; }

double ParamSpec::clamp(double value) const noexcept
{
    if (std::isnan(value))
        return min;
    return std::clamp(value, min, std::max(min, max));
}

double ParamSpec::toNormalised(double value) const noexcept
{
    if (isLog())
        return logToNormalised(min, max, value);
    if (!(max > min))
        return 0.0;
    return (clamp(value) - min) / (max - min);
}

double ParamSpec::fromNormalised(double proportion) const noexcept
{
    if (isLog())
        return logFromNormalised(min, max, proportion);
    const double p = std::isnan(proportion) ? 0.0 : std::clamp(proportion, 0.0, 1.0);
    if (p >= 1.0)
        return std::max(min, max);
    return clamp(min + p * (max - min));
}

double ParamSpec::keyStep(double value, bool up, bool fine) const noexcept
{
    const double from = clamp(value);
    double to = from;
    if (isLog())
    {
        const double ratio = std::exp2(kLogKeyStepOctaves / (fine ? 4.0 : 1.0));
        to = up ? from * ratio : from / ratio;
        if (step > 0.0) // never less than the spec's own step (a whole-number control)
            to = up ? std::max(to, from + step) : std::min(to, from - step);
    }
    else
    {
        const double span = max - min;
        const double delta = step > 0.0 ? step : span * (fine ? 0.001 : 0.01);
        to = up ? from + delta : from - delta;
    }
    return clamp(to);
}

ValueUnit ParamSpec::entryUnit() const noexcept
{
    if (unit == "Hz")
        return ValueUnit::hertz;
    if (unit == "dB")
        return ValueUnit::decibel;
    if (unit == "s")
        return ValueUnit::seconds;
    return ValueUnit::none;
}

std::string ParamSpec::format(double value, int significant) const
{
    const ValueUnit entry = entryUnit();
    std::string text = formatValue(value, entry, significant);
    if (entry == ValueUnit::none && !unit.empty())
        text += " " + unit;
    return text;
}

std::string_view ParamSpec::numberPart(std::string_view text) const noexcept
{
    std::string_view t = trimSpaces(text);
    // A plain-number control accepts its own unit after the number ("250 ms", "30 %").
    if (entryUnit() == ValueUnit::none && !unit.empty() && t.size() >= unit.size()
        && equalsIgnoringCase(t.substr(t.size() - unit.size()), unit))
        t = trimSpaces(t.substr(0, t.size() - unit.size()));
    return t;
}

ParsedValue ParamSpec::parseUnchecked(std::string_view text) const { return parseValue(numberPart(text), entryUnit()); }

ParsedValue ParamSpec::parse(std::string_view text) const
{
    return parseValueInRange(numberPart(text), entryUnit(), min, max);
}
} // namespace wb
