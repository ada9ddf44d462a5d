// Value entry: numbers with units and SI prefixes, each expected value written out by hand.
#include "Core/Util/ValueParse.h"

#include <catch2/catch.hpp>

using wb::ValueUnit;

namespace
{
double valueOf(std::string_view text, ValueUnit unit)
{
    const auto p = wb::parseValue(text, unit);
    INFO("text '" << text << "': " << p.error);
    REQUIRE(p.value.has_value());
    REQUIRE(p.error.empty());
    return *p.value;
}

std::string refusal(std::string_view text, ValueUnit unit)
{
    const auto p = wb::parseValue(text, unit);
    INFO("text '" << text << "' gave " << p.value.value_or(-12345.0));
    REQUIRE_FALSE(p.value.has_value());
    REQUIRE_FALSE(p.error.empty());
    return p.error;
}
} // namespace

TEST_CASE("value entry: numbers with SI prefixes and units", "[core][util]")
{
    CHECK(valueOf("1k", ValueUnit::hertz) == 1000.0);
    CHECK(valueOf("1.5 kHz", ValueUnit::hertz) == 1500.0);
    CHECK(valueOf("1.5khz", ValueUnit::hertz) == 1500.0);
    CHECK(valueOf("  440  ", ValueUnit::hertz) == 440.0);
    CHECK(valueOf("440 Hz", ValueUnit::hertz) == 440.0);
    CHECK(valueOf("+20", ValueUnit::hertz) == 20.0);
    CHECK(valueOf("2e3", ValueUnit::hertz) == 2000.0);
    CHECK(valueOf("1M", ValueUnit::hertz) == 1e6);
    CHECK(valueOf("-6 dB", ValueUnit::decibel) == -6.0);
    CHECK(valueOf("-6dBFS", ValueUnit::decibel) == -6.0);
    CHECK(valueOf("-0.5", ValueUnit::decibel) == -0.5);
    CHECK(valueOf("2.5 ms", ValueUnit::seconds) == Approx(0.0025).epsilon(1e-15));
    CHECK(valueOf("500m s", ValueUnit::seconds) == Approx(0.5).epsilon(1e-15));
    CHECK(valueOf("3 s", ValueUnit::seconds) == 3.0);
    CHECK(valueOf("250 us", ValueUnit::seconds) == Approx(250e-6).epsilon(1e-15));
    CHECK(valueOf("250 \xC2\xB5s", ValueUnit::seconds) == Approx(250e-6).epsilon(1e-15));
    CHECK(valueOf("1k", ValueUnit::none) == 1000.0);
    CHECK(valueOf("42", ValueUnit::none) == 42.0);
}

TEST_CASE("value entry: anything else is refused with a reason", "[core][util]")
{
    CHECK_THAT(refusal("abc", ValueUnit::decibel), Catch::Contains("not a number"));
    CHECK_THAT(refusal("", ValueUnit::hertz), Catch::Contains("empty"));
    CHECK_THAT(refusal("1 kg", ValueUnit::hertz), Catch::Contains("'kg' is not understood"));
    CHECK_THAT(refusal("6 kdB", ValueUnit::decibel), Catch::Contains("not understood")); // dB takes no prefix
    CHECK_THAT(refusal("1 Hz", ValueUnit::seconds), Catch::Contains("not understood"));   // wrong unit
    (void) refusal("1e", ValueUnit::hertz);
    (void) refusal("1..2", ValueUnit::hertz);
    (void) refusal("1k2", ValueUnit::hertz);
    (void) refusal("inf", ValueUnit::decibel);
    (void) refusal("nan", ValueUnit::decibel);
    (void) refusal("1e400", ValueUnit::hertz);
    (void) refusal("- 5", ValueUnit::decibel);
    (void) refusal("1K", ValueUnit::hertz); // K is not a prefix (kelvin): say so rather than guess
}

TEST_CASE("value entry: out of range says what the range is", "[core][util]")
{
    const auto p = wb::parseValueInRange("99999", ValueUnit::hertz, 20.0, 20000.0);
    REQUIRE_FALSE(p.value.has_value());
    CHECK(p.error == "99.999 kHz is outside 20 Hz .. 20 kHz");
    const auto q = wb::parseValueInRange("-500 dB", ValueUnit::decibel, -80.0, 0.0);
    REQUIRE_FALSE(q.value.has_value());
    CHECK(q.error == "-500 dB is outside -80 dB .. 0 dB");
    const auto ok = wb::parseValueInRange("20k", ValueUnit::hertz, 20.0, 20000.0);
    REQUIRE(ok.value.has_value());
    CHECK(*ok.value == 20000.0);
}

TEST_CASE("value entry: values are shown with the prefix that reads best", "[core][util]")
{
    CHECK(wb::formatValue(1500.0, ValueUnit::hertz) == "1.5 kHz");
    CHECK(wb::formatValue(20.0, ValueUnit::hertz) == "20 Hz");
    CHECK(wb::formatValue(0.0025, ValueUnit::seconds) == "2.5 ms");
    CHECK(wb::formatValue(2.0, ValueUnit::seconds) == "2 s");
    CHECK(wb::formatValue(-6.0, ValueUnit::decibel) == "-6 dB");
    CHECK(wb::formatValue(1000.0, ValueUnit::none) == "1 k");
    // What is shown parses back to the same value.
    for (double v : {20.0, 997.0, 1234.5, 19999.0})
        CHECK(valueOf(wb::formatValue(v, ValueUnit::hertz, 8), ValueUnit::hertz) == Approx(v).epsilon(1e-12));
}
