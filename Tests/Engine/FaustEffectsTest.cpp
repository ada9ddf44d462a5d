// Properties of every built-in Faust effect, each with its stated tolerance.
#include "Support/EffectHarness.h"

#include "Faust/FaustCatalogue.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

using namespace wb::test;

namespace
{
constexpr double kRate = 48000.0;
constexpr size_t kSecond = 48000;

/// Steady-state gain in dB of a node for a tone: 1 s of settling, then 1 s measured.
double toneGainDb(wb::FaustEffectNode& node, double freq, double amplitude = 0.25)
{
    const auto in = sine(freq, amplitude, 2 * kSecond);
    const auto out = process(node, in, 512);
    return toDb(toneAmplitude(out.left, freq, kSecond, kSecond) / amplitude);
}
} // namespace

TEST_CASE("the catalogue holds the built-in effects, each with a name and description", "[faust]")
{
    for (const char* id : {"gain", "parametriceq", "highpass", "lowpass", "compressor", "limiter", "delay",
                           "chorus", "reverb", "softclip"})
    {
        INFO(id);
        auto node = wb::FaustEffectNode::create(id);
        REQUIRE(node != nullptr);
        CHECK(!node->description().meta.at("name").empty());
        CHECK(!node->description().meta.at("description").empty());
        CHECK(node->getTotalNumInputChannels() == 2);
        CHECK(node->getTotalNumOutputChannels() == 2);
    }
}

TEST_CASE("EQ: a peak has its gain at the centre (+-0.1 dB) and unity far from it", "[faust][engine]")
{
    auto eq = makeEffect("parametriceq", {{"peak 2 freq", 1000.0f}, {"peak 2 gain", 6.0f}, {"peak 2 Q", 2.0f}});
    REQUIRE(eq != nullptr);
    CHECK(toneGainDb(*eq, 1000.0) == Approx(6.0).margin(0.1));
    eq->reset();
    CHECK(toneGainDb(*eq, 30.0) == Approx(0.0).margin(0.1));
    eq->reset();
    CHECK(toneGainDb(*eq, 15000.0) == Approx(0.0).margin(0.1));

    auto cut = makeEffect("parametriceq", {{"peak 1 freq", 250.0f}, {"peak 1 gain", -12.0f}});
    REQUIRE(cut != nullptr);
    CHECK(toneGainDb(*cut, 250.0) == Approx(-12.0).margin(0.1));
}

TEST_CASE("EQ: shelves reach their gain well inside the shelf", "[faust][engine]")
{
    auto eq = makeEffect("parametriceq", {{"low shelf freq", 200.0f}, {"low shelf gain", 9.0f},
                                         {"high shelf freq", 4000.0f}, {"high shelf gain", -6.0f}});
    REQUIRE(eq != nullptr);
    CHECK(toneGainDb(*eq, 20.0) == Approx(9.0).margin(0.1));
    eq->reset();
    CHECK(toneGainDb(*eq, 20000.0) == Approx(-6.0).margin(0.2));
    eq->reset();
    CHECK(toneGainDb(*eq, 1000.0) == Approx(0.0).margin(0.3));
}

TEST_CASE("high-pass and low-pass: -3.01 dB at the cutoff (+-0.1 dB)", "[faust][engine]")
{
    for (double fc : {100.0, 1000.0, 5000.0})
    {
        INFO("cutoff " << fc);
        auto hp = makeEffect("highpass", {{"cutoff", float(fc)}});
        auto lp = makeEffect("lowpass", {{"cutoff", float(fc)}});
        REQUIRE(hp != nullptr);
        REQUIRE(lp != nullptr);
        CHECK(toneGainDb(*hp, fc) == Approx(-3.0103).margin(0.1));
        CHECK(toneGainDb(*lp, fc) == Approx(-3.0103).margin(0.1));
        // 4th order: about 24 dB per octave two octaves away (analog Butterworth: -48.2 dB;
        // the bilinear transform bends the far skirt, so a 2.5 dB window).
        hp->reset();
        lp->reset();
        CHECK(toneGainDb(*hp, fc / 4.0) == Approx(-48.5).margin(2.5));
        if (fc * 4.0 < 12000.0)
            CHECK(toneGainDb(*lp, fc * 4.0) == Approx(-48.5).margin(2.5));
    }
}

TEST_CASE("delay: exactly N samples, and feedback repeats every N", "[faust][engine]")
{
    for (int n : {1, 48, 480, 12345})
    {
        INFO("delay " << n);
        auto d = makeEffect("delay", {{"time", float(n * 1000.0 / kRate)}, {"feedback", 0.0f}, {"mix", 100.0f}});
        REQUIRE(d != nullptr);
        const auto out = process(*d, impulse(size_t(n) + 100), 64);
        const auto peak = std::max_element(out.left.begin(), out.left.end(),
                                           [](float a, float b) { return std::abs(a) < std::abs(b); });
        CHECK(std::distance(out.left.begin(), peak) == n);
        CHECK(*peak == Approx(1.0f).margin(1e-6));
        CHECK(std::accumulate(out.left.begin(), out.left.end(), 0.0, [](double a, float b) { return a + double(std::abs(b)); })
              == Approx(1.0).margin(1e-6)); // nothing else
    }
    auto fb = makeEffect("delay", {{"time", 10.0f}, {"feedback", 50.0f}, {"mix", 100.0f}});
    const auto out = process(*fb, impulse(2000), 128);
    CHECK(out.left[480] == Approx(1.0f).margin(1e-6));
    CHECK(out.left[960] == Approx(0.5f).margin(1e-6));
    CHECK(out.left[1440] == Approx(0.25f).margin(1e-6));
}

TEST_CASE("compressor: static curve follows threshold and ratio (+-0.5 dB), and meters its reduction",
          "[faust][engine]")
{
    const double thresh = -20.0, ratio = 4.0;
    for (double inDb : {-30.0, -20.0, -12.0, -4.0})
    {
        INFO("input " << inDb << " dBFS");
        auto c = makeEffect("compressor", {{"threshold", float(thresh)}, {"ratio", float(ratio)},
                                           {"attack", 1.0f}, {"release", 200.0f}});
        REQUIRE(c != nullptr);
        const double amp = std::pow(10.0, inDb / 20.0);
        const double gainDb = toneGainDb(*c, 1000.0, amp);
        const double expectedOut = inDb <= thresh ? inDb : thresh + (inDb - thresh) / ratio;
        CHECK(inDb + gainDb == Approx(expectedOut).margin(0.5));
        const int meter = c->findControl("gain reduction");
        REQUIRE(meter >= 0);
        CHECK(c->controlOnAudio(meter) == Approx(expectedOut - inDb).margin(0.5));
    }
}

TEST_CASE("limiter: the output never exceeds the ceiling", "[faust][engine]")
{
    for (float ceilingDb : {-1.0f, -6.0f})
    {
        auto lim = makeEffect("limiter", {{"ceiling", ceilingDb}});
        REQUIRE(lim != nullptr);
        // A loud, bursty test: a +12 dBFS sine with sudden full-scale clicks and silence.
        auto in = sine(440.0, 4.0, kSecond);
        for (size_t i = 0; i < in.size(); i += 997)
            in.left[i] = in.right[i] = (i / 997) % 2 ? 8.0f : -8.0f;
        std::fill(in.left.begin() + 20000, in.left.begin() + 30000, 0.0f);
        const auto out = process(*lim, in, 256);
        const float ceiling = std::pow(10.0f, ceilingDb / 20.0f);
        float peak = 0.0f;
        for (size_t i = 0; i < out.size(); ++i)
            peak = std::max({peak, std::abs(out.left[i]), std::abs(out.right[i])});
        CHECK(peak <= ceiling);
        CHECK(peak > 0.5f * ceiling); // and it does pass signal
    }
}

TEST_CASE("reverb: RT60 measured by Schroeder integration is within 20 % of the setting", "[faust][engine]")
{
    const double rt = 1.5;
    auto rev = makeEffect("reverb", {{"low RT60", float(rt)}, {"mid RT60", float(rt)}, {"mix", 100.0f},
                                     {"predelay", 0.0f}, {"HF damping", 23520.0f}});
    REQUIRE(rev != nullptr);
    auto wide = process(*rev, impulse(size_t(3.0 * rt * kRate)), 512);
    // RT60 is measured in the 1 kHz octave band (707 Hz - 1414 Hz), as room acoustics does.
    auto hp = makeEffect("highpass", {{"cutoff", 707.0f}});
    auto lp = makeEffect("lowpass", {{"cutoff", 1414.0f}});
    const auto ir = process(*lp, process(*hp, wide, 512), 512);
    // Schroeder backward integration of the energy, then a line through -5..-25 dB (T20 x 3).
    std::vector<double> edc(ir.size());
    double acc = 0.0;
    for (size_t i = ir.size(); i-- > 0;)
        edc[i] = acc += double(ir.left[i]) * double(ir.left[i]) + double(ir.right[i]) * double(ir.right[i]);
    auto timeAt = [&](double db)
    {
        for (size_t i = 0; i < edc.size(); ++i)
            if (10.0 * std::log10(edc[i] / edc[0]) <= db)
                return double(i) / kRate;
        return -1.0;
    };
    const double t5 = timeAt(-5.0), t25 = timeAt(-25.0);
    REQUIRE(t5 > 0.0);
    REQUIRE(t25 > t5);
    const double rt60 = 3.0 * (t25 - t5);
    INFO("measured RT60 " << rt60 << " s");
    CHECK(rt60 == Approx(rt).epsilon(0.2));
}

TEST_CASE("soft clipper: output bounded by its level whatever the input", "[faust][engine]")
{
    auto clip = makeEffect("softclip", {{"drive", 36.0f}, {"output", -3.0f}});
    REQUIRE(clip != nullptr);
    auto in = sine(100.0, 1000.0, kSecond / 4);
    in.left[10] = 1e30f;
    in.right[11] = -1e30f;
    const auto out = process(*clip, in, 64);
    const float bound = std::pow(10.0f, -3.0f / 20.0f);
    for (size_t i = 0; i < out.size(); ++i)
    {
        REQUIRE(std::abs(out.left[i]) <= bound);
        REQUIRE(std::abs(out.right[i]) <= bound);
    }
}

TEST_CASE("every effect gives the same output whatever the block size (<= 1e-6)", "[faust][engine]")
{
    for (const auto& entry : wb::faust::catalogue())
    {
        INFO(entry.id);
        auto in = sine(997.0, 0.5, 8192);
        for (size_t i = 0; i < in.size(); ++i)
            in.right[i] = 0.3f * std::sin(float(i) * 0.013f);
        std::vector<StereoSignal> outs;
        for (int block : {4096, 1, 7, 64, 512})
        {
            auto node = makeEffect(entry.id, {});
            REQUIRE(node != nullptr);
            outs.push_back(process(*node, in, block));
        }
        for (size_t k = 1; k < outs.size(); ++k)
            for (size_t i = 0; i < in.size(); ++i)
            {
                REQUIRE(outs[k].left[i] == Approx(outs[0].left[i]).margin(1e-6));
                REQUIRE(outs[k].right[i] == Approx(outs[0].right[i]).margin(1e-6));
            }
    }
}

TEST_CASE("NaN and Inf entering an effect are contained: muted, counted, never passed on", "[faust][engine]")
{
    for (const auto& entry : wb::faust::catalogue())
    {
        INFO(entry.id);
        auto node = makeEffect(entry.id, {});
        REQUIRE(node != nullptr);
        auto in = sine(440.0, 0.5, 4096);
        in.left[100] = std::numeric_limits<float>::quiet_NaN();
        in.right[2000] = std::numeric_limits<float>::infinity();
        const auto out = process(*node, in, 512);
        for (size_t i = 0; i < out.size(); ++i)
        {
            REQUIRE(std::isfinite(out.left[i]));
            REQUIRE(std::isfinite(out.right[i]));
        }
        CHECK(node->nonFiniteInputBlocks() == 2);
        // The effect keeps working after the bad samples.
        const auto after = process(*node, sine(440.0, 0.5, 4096), 512);
        CHECK(*std::max_element(after.left.begin(), after.left.end()) > 0.01f);
        CHECK(node->nonFiniteInputBlocks() == 2);
    }
}
