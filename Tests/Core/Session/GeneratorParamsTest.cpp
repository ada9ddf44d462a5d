// The generator's parameters as ParamSpecs: ranges and scales as the generator panel shows them
// (written out by hand here), defaults inside their ranges, names found by the one name reader.
#include "Core/Session/GeneratorParams.h"
#include "Core/Session/ParamNames.h"

#include <catch2/catch.hpp>

#include <cmath>

TEST_CASE("generator parameters: ranges, scales, defaults", "[core][session]")
{
    const auto& g = wb::generatorParamSpecs();
    CHECK(g.freq.min == 20.0);
    CHECK(g.freq.max == 20000.0);
    CHECK(g.freq.isLog());
    CHECK(g.freqTo.isLog());
    CHECK_FALSE(g.level.isLog());
    CHECK(g.level.min == -80.0);
    CHECK(g.level.max == 0.0);
    CHECK(g.sweepSeconds.isLog());
    CHECK(g.impulsePeriod.isLog());
    CHECK_FALSE(g.fadeSeconds.isLog());
    CHECK(g.seed.max == 4294967295.0); // 2^32 - 1
    CHECK(g.seed.step == 1.0);
    for (const auto& s : g.list())
    {
        INFO(s.path);
        CHECK(s.contains(s.defaultValue));
        CHECK_FALSE(s.isOutput);
        CHECK_FALSE(s.label.empty());
    }
    CHECK(g.freq.defaultValue == 1000.0);
    CHECK(g.level.defaultValue == -1.0);
    // The frequency slider's middle is the geometric middle of 20 Hz .. 20 kHz.
    CHECK(g.freq.fromNormalised(0.5) == Approx(std::sqrt(20.0 * 20000.0)).epsilon(1e-12));
    // One decade of the 3 is a third of the travel.
    CHECK(g.freq.toNormalised(200.0) == Approx(1.0 / 3.0).epsilon(1e-12));
}

TEST_CASE("generator parameters: text in their units, names", "[core][session]")
{
    const auto& g = wb::generatorParamSpecs();
    CHECK(*g.freq.parse("1.5k").value == 1500.0);
    CHECK(g.freq.format(1500.0) == "1.5 kHz");
    CHECK(g.freq.parse("25k").error == "25 kHz is outside 20 Hz .. 20 kHz");
    CHECK(*g.level.parse("-6 dB").value == -6.0);
    CHECK(*g.sweepSeconds.parse("500 ms").value == 0.5);
    CHECK(g.impulsePeriod.format(0.01) == "10 ms");
    CHECK(*g.seed.parse("1k").value == 1000.0);
    const auto list = g.list();
    CHECK(wb::findParam(list, "Sweep_to", "generator").index == 1u);
    CHECK(wb::findParam(list, "level", "generator").index == 2u);
    CHECK(wb::findParam(list, "volume", "generator").error
          == "effect 'generator' has no parameter 'volume' (parameters: 'Frequency', 'Sweep to', 'Level', 'Duration', "
             "'Fade', 'Period', 'Seed')");
}
