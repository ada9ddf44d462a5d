// ParamSpec (range, scale, text <-> value) and ParamNames (the one reader of parameter and instance
// names). Every expected figure is computed here from its formula or written out by hand.
#include "Core/Session/ParamNames.h"
#include "Core/Session/ParamSpec.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

using wb::ParamScale;
using wb::ParamSpec;

namespace
{
ParamSpec spec(std::string path, std::string label, std::string unit, double min, double max, double init,
               ParamScale scale = ParamScale::linear, bool output = false)
{
    return {.path = std::move(path), .label = std::move(label), .unit = std::move(unit), .tooltip = {}, .min = min, .max = max,
            .defaultValue = init, .scale = scale, .isOutput = output};
}

/// The parameters of an EQ-like effect: spaces in labels, groups in paths, a meter.
std::vector<ParamSpec> eqSpecs()
{
    return {spec("EQ/Peak 1/peak 1 freq", "peak 1 freq", "Hz", 20.0, 20000.0, 250.0, ParamScale::log),
            spec("EQ/Peak 1/peak 1 gain", "peak 1 gain", "dB", -24.0, 24.0, 0.0),
            spec("EQ/Peak 2/peak 2 gain", "peak 2 gain", "dB", -24.0, 24.0, 0.0),
            spec("EQ/output level", "output level", "dB", -70.0, 6.0, -70.0, ParamScale::linear, true),
            spec("EQ/Mix", "mix", "%", 0.0, 100.0, 100.0)};
}

std::size_t indexOf(std::string_view name, wb::ParamFilter filter = wb::ParamFilter::inputs)
{
    const auto found = wb::findParam(eqSpecs(), name, "parametriceq", filter);
    INFO("name '" << name << "': " << found.error);
    REQUIRE(found.index.has_value());
    CHECK(found.error.empty());
    return *found.index;
}
} // namespace

TEST_CASE("ParamSpec: clamp and contains", "[core][session]")
{
    const auto gain = spec("gain", "gain", "dB", -70.0, 40.0, 0.0);
    CHECK(gain.clamp(-100.0) == -70.0);
    CHECK(gain.clamp(99.0) == 40.0);
    CHECK(gain.clamp(-6.5) == -6.5);
    CHECK(gain.clamp(std::numeric_limits<double>::quiet_NaN()) == -70.0);
    CHECK(gain.contains(40.0));
    CHECK(gain.contains(-70.0));
    CHECK_FALSE(gain.contains(40.000001));
    CHECK_FALSE(gain.contains(std::numeric_limits<double>::infinity()));
    CHECK_FALSE(gain.contains(std::numeric_limits<double>::quiet_NaN()));
}

TEST_CASE("ParamSpec: linear normalisation is (v - min) / (max - min)", "[core][session]")
{
    const auto gain = spec("gain", "gain", "dB", -70.0, 40.0, 0.0);
    CHECK_FALSE(gain.isLog());
    CHECK(gain.toNormalised(-70.0) == 0.0);
    CHECK(gain.toNormalised(40.0) == 1.0);
    CHECK(gain.toNormalised(0.0) == Approx(70.0 / 110.0).epsilon(1e-15));
    CHECK(gain.toNormalised(1000.0) == 1.0); // clamped first
    CHECK(gain.fromNormalised(0.25) == Approx(-70.0 + 0.25 * 110.0).epsilon(1e-15));
    CHECK(gain.fromNormalised(-1.0) == -70.0);
    CHECK(gain.fromNormalised(2.0) == 40.0);
    const auto flat = spec("x", "x", "", 3.0, 3.0, 3.0);
    CHECK(flat.toNormalised(3.0) == 0.0);
    CHECK(flat.fromNormalised(0.5) == 3.0);
}

TEST_CASE("ParamSpec: log normalisation is geometric: log(v / min) / log(max / min)", "[core][session]")
{
    const auto cutoff = spec("cutoff", "cutoff", "Hz", 10.0, 20000.0, 12000.0, ParamScale::log);
    REQUIRE(cutoff.isLog());
    // The ends, the geometric middle, and equal ratios at equal distances (each quarter of the
    // travel is the same number of octaves: log2(2000) / 4).
    CHECK(cutoff.toNormalised(10.0) == 0.0);
    CHECK(cutoff.toNormalised(20000.0) == 1.0);
    CHECK(cutoff.toNormalised(std::sqrt(10.0 * 20000.0)) == Approx(0.5).epsilon(1e-12));
    for (const double p : {0.1, 0.25, 0.5, 0.75, 0.9})
    {
        const double analytic = 10.0 * std::pow(2000.0, p);
        CHECK(cutoff.fromNormalised(p) == Approx(analytic).epsilon(1e-12));
        CHECK(cutoff.toNormalised(analytic) == Approx(p).epsilon(1e-12));
    }
    const double quarterOctaves = std::log2(cutoff.fromNormalised(0.25) / cutoff.fromNormalised(0.0));
    const double lastQuarterOctaves = std::log2(cutoff.fromNormalised(1.0) / cutoff.fromNormalised(0.75));
    CHECK(quarterOctaves == Approx(std::log2(2000.0) / 4.0).epsilon(1e-12));
    CHECK(lastQuarterOctaves == Approx(quarterOctaves).epsilon(1e-12));
    CHECK(cutoff.fromNormalised(1.0) == 20000.0); // exactly the end
    CHECK(cutoff.fromNormalised(0.0) == 10.0);
    CHECK(cutoff.toNormalised(std::numeric_limits<double>::quiet_NaN()) == 0.0);
    CHECK(cutoff.fromNormalised(std::numeric_limits<double>::quiet_NaN()) == 10.0);
    CHECK(cutoff.toNormalised(1.0) == 0.0); // below the range: clamped
    // Round trip across the range.
    for (int i = 0; i <= 100; ++i)
    {
        const double p = i / 100.0;
        CHECK(cutoff.toNormalised(cutoff.fromNormalised(p)) == Approx(p).margin(1e-12));
    }
    // A log scale over a range that includes 0 cannot be geometric: it is linear.
    const auto fromZero = spec("f", "f", "Hz", 0.0, 100.0, 1.0, ParamScale::log);
    CHECK_FALSE(fromZero.isLog());
    CHECK(fromZero.toNormalised(25.0) == Approx(0.25));
}

TEST_CASE("ParamSpec: format and parse with the unit, round trips", "[core][session]")
{
    const auto cutoff = spec("cutoff", "cutoff", "Hz", 10.0, 20000.0, 12000.0, ParamScale::log);
    CHECK(cutoff.entryUnit() == wb::ValueUnit::hertz);
    CHECK(cutoff.format(1500.0) == "1.5 kHz");
    CHECK(cutoff.format(440.0) == "440 Hz");
    CHECK(*cutoff.parse("1k").value == 1000.0);
    CHECK(*cutoff.parse("1.5 kHz").value == 1500.0);
    const auto out = cutoff.parse("99999");
    REQUIRE_FALSE(out.value);
    CHECK(out.error == "99.999 kHz is outside 10 Hz .. 20 kHz");
    CHECK(*cutoff.parseUnchecked("99999").value == 99999.0);
    CHECK(cutoff.parse("abc").error.find("'abc' is not a number") != std::string::npos);

    // A plain-number unit (ms, %): written after the number, accepted after it when typed.
    const auto time = spec("time", "time", "ms", 0.0, 2000.0, 250.0);
    CHECK(time.entryUnit() == wb::ValueUnit::none);
    CHECK(time.format(125.0) == "125 ms");
    CHECK(*time.parse("125 ms").value == 125.0);
    CHECK(*time.parse("125MS").value == 125.0);
    CHECK(*time.parse("125").value == 125.0);
    CHECK(*time.parse("1.5k").value == 1500.0);
    CHECK_FALSE(time.parse("5 s").value);
    CHECK(time.parse("3k").error == "3 k is outside 0 .. 2 k");

    const auto gain = spec("gain", "gain", "dB", -70.0, 40.0, 0.0);
    CHECK(gain.format(-6.0) == "-6 dB");
    CHECK(*gain.parse("-6 dB").value == -6.0);
    CHECK_FALSE(gain.parse("1k dB").value);

    const auto count = spec("n", "n", "", 0.0, 10.0, 1.0);
    CHECK(count.format(2.5) == "2.5");

    // format -> parse gives the value back to the digits shown (7 here), across each range.
    for (const auto* s : {&cutoff, &time, &gain, &count})
        for (int i = 0; i <= 20; ++i)
        {
            const double v = s->fromNormalised(i / 20.0);
            const auto text = s->format(v, 7);
            const auto back = s->parse(text);
            INFO(s->label << " " << v << " -> '" << text << "': " << back.error);
            REQUIRE(back.value);
            CHECK(*back.value == Approx(v).epsilon(1e-6).margin(1e-12));
        }
}

TEST_CASE("ParamNames: a parameter by label, path, quotes, underscores, any case", "[core][session]")
{
    CHECK(indexOf("peak 1 gain") == 1);
    CHECK(indexOf("\"peak 1 gain\"") == 1);
    CHECK(indexOf("peak_1_gain") == 1);
    CHECK(indexOf("Peak 1 Gain") == 1);
    CHECK(indexOf("PEAK_1_GAIN") == 1);
    CHECK(indexOf("\"Peak_1 gain\"") == 1);
    CHECK(indexOf("EQ/Peak 2/peak 2 gain") == 2);
    CHECK(indexOf("eq/peak_2/PEAK_2_GAIN") == 2);
    CHECK(indexOf("mix") == 4);
    CHECK(indexOf("Mix") == 4);
    CHECK(indexOf("EQ/Mix") == 4);
    // A meter only when meters are asked for.
    CHECK(indexOf("output level", wb::ParamFilter::all) == 3);
    CHECK(indexOf("output_level", wb::ParamFilter::all) == 3);
    CHECK_FALSE(wb::indexOfParam(eqSpecs(), "output level").has_value());
}

TEST_CASE("ParamNames: an exact name wins over a loose match", "[core][session]")
{
    // Two labels that differ only in case and '_': each named exactly finds itself.
    const std::vector<ParamSpec> specs{spec("a/Drive", "Drive", "", 0, 1, 0), spec("a/drive", "drive", "", 0, 1, 0),
                                       spec("a/dry_wet", "dry_wet", "", 0, 1, 0), spec("a/dry wet", "dry wet", "", 0, 1, 0)};
    CHECK(wb::indexOfParam(specs, "Drive") == 0u);
    CHECK(wb::indexOfParam(specs, "drive") == 1u);
    CHECK(wb::indexOfParam(specs, "DRIVE") == 0u); // loose: the first
    CHECK(wb::indexOfParam(specs, "dry_wet") == 2u);
    CHECK(wb::indexOfParam(specs, "dry wet") == 3u);
    CHECK(wb::indexOfParam(specs, "a/dry wet") == 3u);
}

TEST_CASE("ParamNames: refusals name what is known", "[core][session]")
{
    const auto specs = eqSpecs();
    const auto none = wb::findParam(specs, "volume", "parametriceq");
    CHECK_FALSE(none.index);
    CHECK(none.error == "effect 'parametriceq' has no parameter 'volume' (parameters: 'peak 1 freq', 'peak 1 gain',"
                        " 'peak 2 gain', 'mix')");
    // A meter is not a parameter one may set, and the quotes do not show in the reason.
    CHECK(wb::findParam(specs, "\"output level\"", "eq").error
          == "effect 'eq' has no parameter 'output level' (parameters: 'peak 1 freq', 'peak 1 gain', 'peak 2 gain', 'mix')");
    CHECK_FALSE(wb::findParam(specs, "peak 1  gain", "eq").index); // two spaces is another name
    CHECK_FALSE(wb::findParam(specs, "peak 1 gai", "eq").index);    // no prefix matching
    CHECK_FALSE(wb::findParam(specs, "", "eq").index);
    CHECK_FALSE(wb::findParam(specs, "\"", "eq").index);
    CHECK_FALSE(wb::findParam({}, "gain", "eq").index);
}

TEST_CASE("ParamNames: chain instances gain, gain#2, and gain#1 for the first", "[core][session]")
{
    CHECK(wb::instanceName("gain", 1) == "gain");
    CHECK(wb::instanceName("gain", 2) == "gain#2");
    CHECK(wb::instanceName("reverb", 3) == "reverb#3");
    const std::vector<std::string> chain{wb::instanceName("gain", 1), wb::instanceName("reverb", 1),
                                         wb::instanceName("gain", 2)};
    CHECK(wb::findInstance(chain, "gain").index == 0u);
    CHECK(wb::findInstance(chain, "gain#1").index == 0u);
    CHECK(wb::findInstance(chain, "gain#2").index == 2u);
    CHECK(wb::findInstance(chain, "reverb").index == 1u);
    CHECK(wb::findInstance(chain, "reverb#1").index == 1u);
    const auto third = wb::findInstance(chain, "gain#3");
    CHECK_FALSE(third.index);
    CHECK(third.error == "effect 'gain#3' is not in the chain (instances: gain reverb gain#2)");
    CHECK(wb::findInstance(chain, "delay#1").error == "effect 'delay' is not in the chain (instances: gain reverb gain#2)");
    CHECK_FALSE(wb::findInstance(chain, "#1").index); // not an empty name
    CHECK(wb::findInstance({}, "gain").error == "effect 'gain' is not in the chain (instances: none, see --chain)");
}

TEST_CASE("ParamNames: FX.PARAM=VALUE", "[core][session]")
{
    const auto a = wb::splitAssignment("parametriceq.\"peak 1 gain\"=6");
    REQUIRE(a);
    CHECK(a->effect == "parametriceq");
    CHECK(a->param == "\"peak 1 gain\"");
    CHECK(a->value == "6");
    const auto b = wb::splitAssignment("gain#2.gain=-6.5");
    REQUIRE(b);
    CHECK(b->effect == "gain#2");
    CHECK(b->param == "gain");
    CHECK(b->value == "-6.5");
    CHECK(wb::splitAssignment("lowpass.cutoff=")->value.empty());
    CHECK_FALSE(wb::splitAssignment("gain"));
    CHECK_FALSE(wb::splitAssignment("gain.gain"));
    CHECK_FALSE(wb::splitAssignment("gain=1.5")); // the '=' before the '.'
}

TEST_CASE("ParamSpec::keyStep: a ratio on a log scale, a linear step otherwise, clamped", "[core][session]")
{
    const double r = std::exp2(1.0 / 24.0);
    wb::ParamSpec f{.path = "f", .label = "f", .unit = "Hz", .tooltip = {}, .min = 20.0, .max = 20000.0, .defaultValue = 1000.0,
                    .scale = wb::ParamScale::log};
    CHECK(f.keyStep(20.0, true, false) == Approx(20.0 * r).epsilon(1e-12));
    CHECK(f.keyStep(10000.0, true, false) == Approx(10000.0 * r).epsilon(1e-12));
    CHECK(f.keyStep(10000.0, false, false) == Approx(10000.0 / r).epsilon(1e-12));
    CHECK(f.keyStep(1000.0, true, true) == Approx(1000.0 * std::exp2(1.0 / 96.0)).epsilon(1e-12));
    CHECK(f.keyStep(20000.0, true, false) == 20000.0);
    CHECK(f.keyStep(20.0, false, false) == 20.0);
    CHECK(f.keyStep(std::nan(""), true, false) == Approx(20.0 * r)); // NaN: from the minimum
    // 24 steps up are one octave.
    double v = 100.0;
    for (int i = 0; i < 24; ++i)
        v = f.keyStep(v, true, false);
    CHECK(v == Approx(200.0).epsilon(1e-12));
    // A log control with a whole-number step moves at least one step.
    auto whole = f;
    whole.step = 1.0;
    CHECK(whole.keyStep(20.0, true, false) == 21.0);
    CHECK(whole.keyStep(20000.0, false, false) == Approx(20000.0 / r));
    // Linear: 1 % of the range (0.1 % fine), or the spec's step.
    wb::ParamSpec level{.path = "l", .label = "l", .unit = "dB", .tooltip = {}, .min = -80.0, .max = 0.0, .defaultValue = -20.0};
    CHECK(level.keyStep(-40.0, true, false) == Approx(-39.2));
    CHECK(level.keyStep(-40.0, false, true) == Approx(-40.08));
    level.step = 0.5;
    CHECK(level.keyStep(-40.0, true, true) == Approx(-39.5));
}
