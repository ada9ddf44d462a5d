#include "Core/Realtime/Smoother.h"
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

TEST_CASE("LinearSmoother ramps in equal steps and lands exactly on the target", "[core][rt]")
{
    wb::LinearSmoother s;
    s.prepare(1000.0, 0.01); // 10 samples
    s.reset(0.0);
    CHECK(s.rampSamples() == 10);
    s.setTarget(1.0);
    CHECK(s.isSmoothing());
    for (int i = 1; i <= 10; ++i)
        CHECK(s.nextSample() == Approx(0.1 * i).margin(1e-12));
    CHECK_FALSE(s.isSmoothing());
    CHECK(s.currentValue() == 1.0); // exact, not approximately
    CHECK(s.nextSample() == 1.0);

    // Retargeting mid-ramp starts a new full-length ramp from where it is.
    s.setTarget(0.0);
    s.skip(5);
    CHECK(s.currentValue() == Approx(0.5).margin(1e-12));
    s.setTarget(1.0);
    CHECK(s.remainingSamples() == 10);
    s.skip(100);
    CHECK(s.currentValue() == 1.0);

    // Zero ramp time jumps.
    s.prepare(48000.0, 0.0);
    s.setTarget(-3.0);
    CHECK_FALSE(s.isSmoothing());
    CHECK(s.nextSample() == -3.0);
}

TEST_CASE("ExponentialSmoother ramps in equal ratios, non-positive ends fall back to linear", "[core][rt]")
{
    wb::ExponentialSmoother s;
    s.prepare(100.0, 0.1); // 10 samples
    s.reset(100.0);
    s.setTarget(1600.0); // 4 octaves in 10 samples: ratio 16^(1/10)
    const double ratio = std::pow(16.0, 0.1);
    double previous = 100.0;
    for (int i = 1; i <= 10; ++i)
    {
        const double v = s.nextSample();
        CHECK(v / previous == Approx(ratio).epsilon(1e-9));
        previous = v;
    }
    CHECK(s.currentValue() == 1600.0);
    // Midpoint of a geometric ramp is the geometric mean.
    s.setTarget(100.0);
    CHECK(s.skip(5) == Approx(400.0).epsilon(1e-9));

    s.reset(0.0);
    s.setTarget(1.0); // from 0: linear
    CHECK(s.nextSample() == Approx(0.1).margin(1e-12));
}

TEST_CASE("Smoother output does not depend on the block split", "[core][rt]")
{
    // Whole block vs sample by sample vs uneven blocks vs control-rate skip: agree to 1e-9.
    for (int shape = 0; shape < 2; ++shape)
    {
        auto run = [shape](auto& smoother, const std::vector<std::size_t>& blocks) {
            smoother.prepare(48000.0, 0.02);
            smoother.reset(0.5);
            smoother.setTarget(2.0);
            std::vector<double> out;
            for (std::size_t n : blocks)
            {
                std::vector<double> block(n);
                smoother.processBlock(std::span<double>(block));
                out.insert(out.end(), block.begin(), block.end());
            }
            (void)shape;
            return out;
        };
        std::vector<std::size_t> whole{2000};
        std::vector<std::size_t> ones(2000, 1);
        std::vector<std::size_t> uneven{1, 63, 64, 500, 7, 1365};
        auto check = [&](auto smoother) {
            auto a = run(smoother, whole);
            auto b = run(smoother, ones);
            auto c = run(smoother, uneven);
            REQUIRE(a.size() == 2000);
            for (std::size_t i = 0; i < a.size(); ++i)
            {
                REQUIRE(b[i] == Approx(a[i]).margin(1e-9));
                REQUIRE(c[i] == Approx(a[i]).margin(1e-9));
            }
            CHECK(a.back() == 2.0);
            smoother.prepare(48000.0, 0.02);
            smoother.reset(0.5);
            smoother.setTarget(2.0);
            CHECK(smoother.skip(500) == Approx(a[499]).margin(1e-9));
        };
        if (shape == 0)
            check(wb::LinearSmoother{});
        else
            check(wb::ExponentialSmoother{});
    }
}

TEST_CASE("Smoother on the audio thread: no allocation, no lock, applyGain multiplies", "[core][rt][nosan]")
{
    wb::LinearSmoother gain;
    gain.prepare(48000.0, 0.001); // 48 samples
    gain.reset(0.0);
    std::vector<float> buffer(256, 1.0f);
    REQUIRE_REALTIME_SAFE({
        gain.setTarget(1.0);
        gain.applyGain(std::span<float>(buffer));
        gain.nextSample();
        gain.skip(16);
    });
    CHECK(buffer[0] == Approx(1.0f / 48.0f));
    CHECK(buffer[47] == 1.0f);
    CHECK(buffer[255] == 1.0f);
}
