// A Faust control described as a ParamSpec (Engine/FaustParameters: paramSpecOf), and the effect
// node's findControl reading names with the one name reader (Core/Session/ParamNames). The
// expected ranges, units and scales are those written in Faust/*.dsp.
#include "Engine/FaustEffectNode.h"

#include <catch2/catch.hpp>

#include <cmath>

TEST_CASE("FaustEffectNode::specs: each control as a ParamSpec, as the .dsp declares it", "[engine][faust]")
{
    const auto lp = wb::FaustEffectNode::create("lowpass");
    REQUIRE(lp);
    REQUIRE(lp->specs().size() == lp->description().controls.size());
    const int cutoff = lp->findControl("cutoff");
    REQUIRE(cutoff >= 0);
    // hslider("cutoff [unit:Hz] [scale:log]", 12000, 10, 20000, 0.1)
    const auto& s = lp->specs()[size_t(cutoff)];
    CHECK(s.label == "cutoff");
    CHECK(s.unit == "Hz");
    CHECK(s.scale == wb::ParamScale::log);
    CHECK(s.isLog());
    CHECK(s.min == 10.0);
    CHECK(s.max == 20000.0);
    CHECK(s.defaultValue == 12000.0);
    CHECK(s.step == Approx(0.1).epsilon(1e-6));
    CHECK_FALSE(s.isOutput);
    CHECK(s.path == lp->description().controls[size_t(cutoff)].path);

    // vbargraph("[5] gain reduction [unit:dB]", -60, 0): a meter; hslider("gain [unit:dB] ...")
    // without a scale: linear.
    const auto comp = wb::FaustEffectNode::create("compressor");
    REQUIRE(comp);
    const int meter = comp->findControl("gain reduction");
    REQUIRE(meter >= 0);
    CHECK(comp->specs()[size_t(meter)].isOutput);
    CHECK(comp->specs()[size_t(meter)].min == -60.0);
    CHECK(comp->specs()[size_t(meter)].max == 0.0);
    const auto gain = wb::FaustEffectNode::create("gain");
    REQUIRE(gain);
    const int g = gain->findControl("gain");
    REQUIRE(g >= 0);
    CHECK(gain->specs()[size_t(g)].scale == wb::ParamScale::linear);
    CHECK(gain->specs()[size_t(g)].min == -96.0);
    CHECK(gain->specs()[size_t(g)].max == 24.0);
    CHECK(gain->specs()[size_t(g)].tooltip == "Gain in decibels");
}

TEST_CASE("FaustEffectNode::findControl: label, path, any case, '_' for spaces, quotes", "[engine][faust]")
{
    const auto eq = wb::FaustEffectNode::create("parametriceq");
    REQUIRE(eq);
    const int index = eq->findControl("peak 1 gain");
    REQUIRE(index >= 0);
    CHECK(eq->description().controls[size_t(index)].label == "peak 1 gain");
    CHECK(eq->findControl("Peak_1_Gain") == index);
    CHECK(eq->findControl("\"peak 1 gain\"") == index);
    CHECK(eq->findControl(eq->description().controls[size_t(index)].path) == index);
    CHECK(eq->findControl("peak 2 gain") != index);
    CHECK(eq->findControl("peak 1 Q") >= 0);
    CHECK(eq->findControl("peak 4 gain") == -1);
    CHECK(eq->findControl("") == -1);
}
