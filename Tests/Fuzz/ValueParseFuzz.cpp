// libFuzzer target: typed values (Core/Util/ValueParse), what every numeric box of the app and
// every --set / automation value goes through. Properties, for any bytes:
//  - never a crash, a sanitizer report or an exception;
//  - a value is finite, and within the range asked for by parseValueInRange; a refusal says why;
//  - a value formatted back (formatValue, 12 digits) parses to the same value within 1e-9.
#include "Core/Util/ValueParse.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto unit : {wb::ValueUnit::none, wb::ValueUnit::hertz, wb::ValueUnit::decibel, wb::ValueUnit::seconds})
    {
        const auto parsed = wb::parseValue(text, unit);
        if (!parsed.value)
        {
            if (parsed.error.empty())
                std::abort(); // a refusal must say why
            continue;
        }
        const double v = *parsed.value;
        if (!std::isfinite(v))
            std::abort();
        const auto ranged = wb::parseValueInRange(text, unit, -1000.0, 20000.0);
        if (ranged.value && (*ranged.value < -1000.0 || *ranged.value > 20000.0 || *ranged.value != v))
            std::abort();
        if (!ranged.value && v >= -1000.0 && v <= 20000.0)
            std::abort(); // in range, yet refused
        if (std::abs(v) >= 1e-9 && std::abs(v) <= 1e12)
        {
            const auto again = wb::parseValue(wb::formatValue(v, unit, 12), unit);
            if (!again.value || std::abs(*again.value - v) > 1e-9 * std::abs(v))
                std::abort();
        }
    }
    return 0;
}
