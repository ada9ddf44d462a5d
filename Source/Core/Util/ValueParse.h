#pragma once
// Typed values with units and SI prefixes, for every numeric box of the app ("1k", "1.5 kHz",
// "-6 dB", "2.5 ms", "500m s"). Plain C++ (no JUCE), not for the audio thread (may allocate the
// error text).
//
// Grammar: [space] number [space] [prefix] [unit] [space], where
//   number  a decimal with optional sign, fraction and exponent ("-1.5", "2e3", ".5");
//   prefix  one of p n u µ m k M G (case matters: m = milli, M = mega), allowed only for units
//           that take one (Hz, s, plain numbers); dB takes none;
//   unit    the box's own unit, case-insensitive ("hz", "HZ"; "dBFS" for dB). May be omitted.
// Anything else is refused with a reason in words; a value is never guessed.
#include <optional>
#include <string>
#include <string_view>

namespace wb
{
enum class ValueUnit
{
    none,    ///< a plain number (seed, count); SI prefixes allowed ("1k" = 1000)
    hertz,   ///< "Hz"
    decibel, ///< "dB" (also "dBFS"); no prefix
    seconds, ///< "s" ("2.5 ms" = 0.0025)
};

struct ParsedValue
{
    std::optional<double> value; ///< set when the text is a valid value
    std::string error;           ///< why not, when value is empty
};

/// text without white space at either end.
[[nodiscard]] std::string_view trimSpaces(std::string_view text) noexcept;
/// True when a and b are equal ignoring ASCII case.
[[nodiscard]] bool equalsIgnoringCase(std::string_view a, std::string_view b) noexcept;

/// The unit's symbol as displayed ("Hz", "dB", "s", "").
[[nodiscard]] std::string_view unitSymbol(ValueUnit unit) noexcept;

/// Parses `text` as a value in `unit`. Never throws.
[[nodiscard]] ParsedValue parseValue(std::string_view text, ValueUnit unit);

/// parseValue, then the range [min, max]: a value outside it is refused with the range in the
/// reason ("99.999 kHz is outside 20 Hz .. 20 kHz").
[[nodiscard]] ParsedValue parseValueInRange(std::string_view text, ValueUnit unit, double min, double max);

/// A value in its unit with an SI prefix where that reads better ("1.5 kHz", "2.5 ms", "-6 dB"),
/// up to `significant` significant digits, trailing zeros removed.
[[nodiscard]] std::string formatValue(double value, ValueUnit unit, int significant = 5);
} // namespace wb
