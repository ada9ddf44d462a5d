// Golden renders: every effect, at its default settings, on one fixed signal, compared with the
// stored output (Tests/Data/golden/<id>.f32, interleaved stereo float32) within 1e-5.
//
// Why these cases: defaults are what a user hears first, and the signal mixes the things effects
// treat differently: a tone (steady state), a loud burst (dynamics, limiter, clipper), an impulse
// (delay lines, reverb tail) and silence (release, decay).
//
// When an effect changes on purpose, regenerate and review the diff:
//   WB_REGENERATE_GOLDEN=1 build/release/bin/wavebench_tests "[golden]"
#include "Support/EffectHarness.h"

#include "Faust/FaustCatalogue.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

using namespace wb::test;

namespace
{
constexpr size_t kFrames = 16384;

StereoSignal goldenInput()
{
    StereoSignal s(kFrames);
    for (size_t i = 0; i < kFrames; ++i)
    {
        const double t = double(i) / 48000.0;
        double l = 0.25 * std::sin(2.0 * M_PI * 997.0 * t);
        double r = 0.25 * std::sin(2.0 * M_PI * 331.0 * t + 0.5);
        if (i >= 4000 && i < 6000) // a loud burst, 0.9 peak, with a 1 kHz + 7 kHz mix
        {
            l += 0.45 * std::sin(2.0 * M_PI * 1000.0 * t) + 0.2 * std::sin(2.0 * M_PI * 7000.0 * t);
            r -= 0.45 * std::sin(2.0 * M_PI * 1000.0 * t);
        }
        if (i >= 9000) // then silence, with one impulse
            l = r = 0.0;
        if (i == 10000)
            l = r = 0.8;
        s.left[i] = float(l);
        s.right[i] = float(r);
    }
    return s;
}

std::string goldenPath(const std::string& id)
{
    return std::string(WB_TEST_DATA_DIR) + "/golden/" + id + ".f32";
}
} // namespace

TEST_CASE("golden renders of every effect at its defaults (1e-5)", "[faust][golden]")
{
    const bool regenerate = std::getenv("WB_REGENERATE_GOLDEN") != nullptr;
    const auto in = goldenInput();
    for (const auto& entry : wb::faust::catalogue())
    {
        INFO(entry.id);
        auto node = makeEffect(entry.id, {});
        REQUIRE(node != nullptr);
        const auto out = process(*node, in, 256);
        std::vector<float> interleaved(2 * kFrames);
        for (size_t i = 0; i < kFrames; ++i)
        {
            interleaved[2 * i] = out.left[i];
            interleaved[2 * i + 1] = out.right[i];
        }
        if (regenerate)
        {
            std::ofstream f(goldenPath(entry.id), std::ios::binary);
            f.write(reinterpret_cast<const char*>(interleaved.data()), std::streamsize(interleaved.size() * 4));
            REQUIRE(f.good());
            WARN("regenerated " << goldenPath(entry.id));
            continue;
        }
        std::ifstream f(goldenPath(entry.id), std::ios::binary);
        INFO("missing golden file " << goldenPath(entry.id) << ": run with WB_REGENERATE_GOLDEN=1");
        REQUIRE(f.good());
        std::vector<float> golden(2 * kFrames);
        f.read(reinterpret_cast<char*>(golden.data()), std::streamsize(golden.size() * 4));
        REQUIRE(f.gcount() == std::streamsize(golden.size() * 4));
        double worst = 0.0;
        size_t worstAt = 0;
        for (size_t i = 0; i < golden.size(); ++i)
        {
            const double d = std::abs(double(golden[i]) - double(interleaved[i]));
            if (d > worst)
            {
                worst = d;
                worstAt = i;
            }
        }
        INFO("worst difference " << worst << " at frame " << worstAt / 2);
        CHECK(worst <= 1e-5);
    }
}
