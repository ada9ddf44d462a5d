// The command / telemetry protocol and the audio-side dispatcher, including the real-time guard
// around dispatchOnAudio and the audio-side pushes.
#include "Core/Realtime/CommandDispatcher.h"
#include "Core/Realtime/CommandQueue.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <array>
#include <vector>

namespace
{
struct Recorder
{
    static constexpr std::size_t kMax = 64;
    std::array<wb::Command, kMax> seen{};
    std::size_t count = 0;

    static void handle(void* context, const wb::Command& command) noexcept
    {
        auto* self = static_cast<Recorder*>(context);
        if (self->count < kMax)
            self->seen[self->count++] = command;
    }
};
} // namespace

TEST_CASE("Commands are small, trivially copyable and built by factories", "[core][rt]")
{
    STATIC_REQUIRE(std::is_trivially_copyable_v<wb::Command>);
    STATIC_REQUIRE(std::is_trivially_copyable_v<wb::Telemetry>);
    STATIC_REQUIRE(std::is_trivially_copyable_v<wb::FrameChunk>);
    STATIC_REQUIRE(sizeof(wb::Command) == 64);
    STATIC_REQUIRE(sizeof(wb::FrameChunk) <= 1100);

    constexpr auto p = wb::Command::setParameter(7, 3, 0.25, 17, 0.05);
    STATIC_REQUIRE(p.type == wb::CommandType::setParameter);
    CHECK(p.target == 7);
    CHECK(p.index == 3);
    CHECK(p.value == 0.25);
    CHECK(p.sampleOffset == 17);
    CHECK(p.rampSeconds == 0.05);
    CHECK(wb::Command::setBypass(2, true).bypassed());
    CHECK_FALSE(wb::Command::setBypass(2, false).bypassed());
    const auto s = wb::Command::setSignal(1, 4, {1000.0, -6.0, 20000.0, 2.0});
    CHECK(s.index == 4);
    CHECK(s.args[2] == 20000.0);
    CHECK(wb::Command::resetMeters().target == wb::kAllNodes);
    CHECK(wb::Command::addSlot(0, 2, 9).args[0] == 9.0);

    const auto t = wb::Telemetry::of(wb::XrunEvent{123, 2, 64});
    CHECK(t.type == wb::TelemetryType::xrunEvent);
    CHECK(t.xrun.count == 2);
}

TEST_CASE("CommandDispatcher delivers in order to the handler of each target", "[core][rt][nosan]")
{
    wb::CommandQueue queue(16);
    wb::CommandDispatcher dispatcher;
    Recorder engine;
    Recorder gain;
    REQUIRE(dispatcher.registerHandler(wb::kEngineNode, &Recorder::handle, &engine));
    REQUIRE(dispatcher.registerHandler(5, &Recorder::handle, &gain));
    CHECK_FALSE(dispatcher.registerHandler(5, &Recorder::handle, &gain)); // one per target
    CHECK_FALSE(dispatcher.registerHandler(wb::kAllNodes, &Recorder::handle, &gain));
    CHECK_FALSE(dispatcher.registerHandler(6, nullptr, &gain));

    REQUIRE(queue.pushFromUi(wb::Command::setParameter(5, 0, 0.5, 10)));
    REQUIRE(queue.pushFromUi(wb::Command::start()));
    REQUIRE(queue.pushFromUi(wb::Command::setParameter(5, 1, 0.75)));
    REQUIRE(queue.pushFromUi(wb::Command::setBypass(99, true))); // nobody listens to 99
    REQUIRE(queue.pushFromUi(wb::Command::resetMeters()));       // broadcast

    wb::DispatchResult result;
    REQUIRE_REALTIME_SAFE(result = dispatcher.dispatchOnAudio(queue));
    CHECK(result.dispatched == 4);
    CHECK(result.unhandled == 1);
    CHECK(dispatcher.totalDispatched() == 4);
    CHECK(dispatcher.totalUnhandled() == 1);
    CHECK(queue.pendingApprox() == 0);

    REQUIRE(gain.count == 3);
    CHECK(gain.seen[0].index == 0);
    CHECK(gain.seen[0].sampleOffset == 10);
    CHECK(gain.seen[1].value == 0.75);
    CHECK(gain.seen[2].type == wb::CommandType::resetMeters);
    REQUIRE(engine.count == 2);
    CHECK(engine.seen[0].type == wb::CommandType::start);
    CHECK(engine.seen[1].type == wb::CommandType::resetMeters);

    // An empty queue is a cheap no-op.
    CHECK(dispatcher.dispatchOnAudio(queue).dispatched == 0);

    CHECK(dispatcher.unregisterHandler(wb::kEngineNode));
    CHECK_FALSE(dispatcher.unregisterHandler(wb::kEngineNode));
    REQUIRE(queue.pushFromUi(wb::Command::setParameter(5, 2, 1.0)));
    CHECK(dispatcher.dispatchOnAudio(queue).dispatched == 1);
    CHECK(gain.count == 4);
}

TEST_CASE("CommandDispatcher handler table is fixed-capacity", "[core][rt]")
{
    wb::CommandDispatcher dispatcher;
    Recorder r;
    for (std::uint32_t i = 0; i < wb::CommandDispatcher::kMaxHandlers; ++i)
        REQUIRE(dispatcher.registerHandler(i + 1, &Recorder::handle, &r));
    CHECK_FALSE(dispatcher.registerHandler(1000, &Recorder::handle, &r));
    CHECK(dispatcher.numHandlers() == wb::CommandDispatcher::kMaxHandlers);
}

TEST_CASE("A full command queue is counted and visible, and dispatch drains at most its capacity",
          "[core][rt]")
{
    wb::CommandQueue queue(8);
    for (int i = 0; i < 8; ++i)
        REQUIRE(queue.pushFromUi(wb::Command::setParameter(1, 0, i)));
    CHECK_FALSE(queue.pushFromUi(wb::Command::stop()));
    CHECK(queue.rejected() == 1);

    wb::CommandDispatcher dispatcher;
    Recorder r;
    REQUIRE(dispatcher.registerHandler(1, &Recorder::handle, &r));
    CHECK(dispatcher.dispatchOnAudio(queue).dispatched == 8);
    for (std::size_t i = 0; i < 8; ++i)
        CHECK(r.seen[i].value == static_cast<double>(i));
}

TEST_CASE("Telemetry and frame queues: audio-side pushes are real-time safe, overflow is counted",
          "[core][rt][nosan]")
{
    wb::TelemetryQueue telemetry(4);
    wb::FrameQueue frames(2);
    wb::MeterValues meter;
    meter.node = 3;
    meter.numChannels = 2;
    meter.peak = {0.5f, 0.25f};
    wb::FrameChunk chunk;
    chunk.kind = wb::FrameKind::capture;
    chunk.numSamples = wb::FrameChunk::kMaxSamples;
    for (std::size_t i = 0; i < chunk.samples.size(); ++i)
        chunk.samples[i] = static_cast<float>(i);

    std::size_t accepted = 0;
    REQUIRE_REALTIME_SAFE({
        for (int i = 0; i < 6; ++i)
            accepted += telemetry.pushFromAudio(wb::Telemetry::of(meter)) ? 1 : 0;
        for (std::uint64_t s = 0; s < 3; ++s)
        {
            chunk.sequence = s;
            accepted += frames.pushFromAudio(chunk) ? 1 : 0;
        }
    });
    CHECK(accepted == 6);
    CHECK(telemetry.rejected() == 2);
    CHECK(frames.rejected() == 1);

    wb::Telemetry t;
    REQUIRE(telemetry.popOnUi(t));
    CHECK(t.type == wb::TelemetryType::meterValues);
    CHECK(t.meter.peak[1] == 0.25f);
    std::vector<wb::FrameChunk> out(4);
    REQUIRE(frames.popBatchOnUi(out) == 2);
    CHECK(out[0].sequence == 0);
    CHECK(out[1].sequence == 1); // sequence numbers expose the dropped third chunk
    CHECK(out[1].samples[255] == 255.0f);
}
