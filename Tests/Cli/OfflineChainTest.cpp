// The offline chain (Cli/OfflineChain) as render and measure --offline drive it: one
// EffectChainNode per channel pair built in place, --set values from the first sample, an
// automation step on its exact sample in every pair, and the render loop without allocation.
#include "Support/RealtimeGuard.h"

#include "Cli/OfflineChain.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

TEST_CASE("the offline chain runs each channel pair through its own EffectChainNode, sample-accurate",
          "[cli][faust][rt][nosan]")
{
    constexpr int kBlock = 64, kChannels = 3, kFrames = 4 * kBlock;
    auto stages = wb::cli::buildChain({"gain"});
    (void) wb::cli::applySets(stages, {"gain.gain=-6"});
    const int gain = wb::cli::findParameter(stages[0], "gain");
    // -20 dB, a step, from sample 70 (inside the second block).
    std::vector<wb::cli::ChainEvent> events{{70, 0, gain, -20.0, 0.0}};
    wb::cli::ChainRunner runner(stages, events, 48000.0, kBlock, kChannels);

    std::vector<std::vector<float>> signal(kChannels, std::vector<float>(kFrames));
    for (int ch = 0; ch < kChannels; ++ch)
        for (int i = 0; i < kFrames; ++i)
            signal[size_t(ch)][size_t(i)] = 0.25f * float(ch + 1); // 0.25, 0.5, 0.75
    wb::test::RealtimeCounts violations;
    for (int start = 0; start < kFrames; start += kBlock)
    {
        float* channels[kChannels];
        for (int ch = 0; ch < kChannels; ++ch)
            channels[ch] = signal[size_t(ch)].data() + start;
        wb::test::RealtimeGuard guard;
        runner.process(channels, kChannels, kBlock);
        violations += guard.counts();
    }
    for (int ch = 0; ch < kChannels; ++ch)
        for (int i = 0; i < kFrames; ++i)
        {
            INFO("channel " << ch << ", sample " << i);
            const double dB = i < 70 ? -6.0 : -20.0;
            REQUIRE(signal[size_t(ch)][size_t(i)] == Approx(0.25 * (ch + 1) * std::pow(10.0, dB / 20.0)).epsilon(1e-6));
        }
    INFO(violations.describe());
    CHECK(violations.clean());
}

TEST_CASE("the offline chain takes as many effects as the live one, and says so beyond", "[cli][faust]")
{
    CHECK(wb::cli::buildChain(std::vector<std::string>(size_t(wb::EffectChainNode::kMaxSlots), "gain")).size()
          == size_t(wb::EffectChainNode::kMaxSlots));
    try
    {
        (void) wb::cli::buildChain(std::vector<std::string>(size_t(wb::EffectChainNode::kMaxSlots) + 1, "gain"));
        FAIL("17 effects were taken");
    }
    catch (const wb::cli::UsageError& e)
    {
        CHECK(std::string(e.what()).find("at most 16 effects") != std::string::npos);
    }
}
