// The device-side half of `measure --device`: plays the excitation and records the input in the
// same callbacks, frame for frame, with no allocation, lock or sleep on the audio thread.
#include "Engine/SweepCapture.h"
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <vector>

TEST_CASE("sweep capture callback: plays and records frame for frame, real-time safe", "[engine][rt][nosan]")
{
    std::vector<float> excitation(1000);
    for (std::size_t i = 0; i < excitation.size(); ++i)
        excitation[i] = static_cast<float>(i + 1);
    wb::SweepCaptureCallback cb(excitation, 0, 0);
    const juce::AudioIODeviceCallbackContext context{};
    std::vector<float> out(64), in(64), held(64, 0.0f);
    float* outs[1] = {out.data()};
    const float* ins[1] = {in.data()};

    // Idle: silence out.
    cb.audioDeviceIOCallbackWithContext(ins, 1, outs, 1, 64, context);
    for (float v : out)
        CHECK(v == 0.0f);

    cb.armFromAnyThread();
    wb::test::RealtimeCounts total{};
    int blocks = 0;
    // A loopback of exactly one block: the input of each callback is the previous one's output.
    while (cb.stateFromAnyThread() != wb::SweepCaptureCallback::done && blocks < 100)
    {
        in = held;
        {
            wb::test::RealtimeGuard guard;
            cb.audioDeviceIOCallbackWithContext(ins, 1, outs, 1, 64, context);
            const auto c = guard.counts();
            total.allocations += c.allocations;
            total.deallocations += c.deallocations;
            total.locks += c.locks;
            total.sleeps += c.sleeps;
        }
        held = out;
        ++blocks;
    }
    CHECK(total.clean());
    REQUIRE(cb.stateFromAnyThread() == wb::SweepCaptureCallback::done);
    CHECK(blocks == 16); // ceil(1000 / 64)
    const auto& captured = cb.capture();
    REQUIRE(captured.size() == excitation.size());
    // Capture n holds what was played at n - 64 (the one-block loop); the first block heard silence.
    for (std::size_t n = 0; n < captured.size(); ++n)
        CHECK(captured[n] == (n < 64 ? 0.0f : excitation[n - 64]));
    // Done: silence out again.
    cb.audioDeviceIOCallbackWithContext(ins, 1, outs, 1, 64, context);
    for (float v : out)
        CHECK(v == 0.0f);
}
