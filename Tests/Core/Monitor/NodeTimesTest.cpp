// Time per node (Core/Monitor/NodeTimes): windows of synthetic per-callback times give the exact
// mean and maximum; the table's limits are counted; the audio side is real-time safe.
#include "Core/Monitor/CallbackStats.h"
#include "Core/Monitor/NodeTimes.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Core/Signals/Pcg32.h"
#include "Support/RealtimeGuard.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <vector>

using wb::NodeId;
using wb::NodeTiming;
using wb::monitor::NodeTimes;

namespace
{
std::vector<NodeTiming> publish(NodeTimes& t, std::uint64_t periodNs = 1'333'333, std::uint64_t now = 42)
{
    std::vector<NodeTiming> out;
    t.publishOnAudio(periodNs, now, [&](const NodeTiming& n) { out.push_back(n); });
    return out;
}
} // namespace

TEST_CASE("node times: per-callback mean and max, summed over block splits, zero when absent", "[core][monitor]")
{
    NodeTimes t;
    // Callback 1: the generator twice (a split block: 100 + 50), an effect 300, the callback 1000.
    t.addOnAudio(1, 100);
    t.addOnAudio(1000, 300);
    t.addOnAudio(1, 50);
    t.addOnAudio(0, 1000);
    t.endCallbackOnAudio();
    // Callback 2: the generator 250, the effect did not run, the callback 800.
    t.addOnAudio(1, 250);
    t.addOnAudio(0, 800);
    t.endCallbackOnAudio();
    // Callback 3: the generator 20, a new effect 40 (appears mid-window), the callback 600.
    t.addOnAudio(1, 20);
    t.addOnAudio(1001, 40);
    t.addOnAudio(0, 600);
    t.endCallbackOnAudio();
    REQUIRE(t.callbacksInWindow() == 3);

    const auto out = publish(t, 2000, 99);
    REQUIRE(out.size() == 4);
    std::map<NodeId, NodeTiming> by;
    for (const auto& n : out)
        by[n.node] = n;
    CHECK(out.front().node == 1); // first-seen order
    CHECK(by[1].meanNs == (150 + 250 + 20) / 3);
    CHECK(by[1].maxNs == 250);
    CHECK(by[1000].meanNs == 300 / 3);
    CHECK(by[1000].maxNs == 300);
    CHECK(by[1001].meanNs == 40 / 3);
    CHECK(by[0].meanNs == 800);
    CHECK(by[0].maxNs == 1000);
    for (const auto& n : out)
    {
        CHECK(n.callbacks == 3);
        CHECK(n.periodNs == 2000);
        CHECK(n.windowEndNs == 99);
        CHECK(n.meanNs <= n.maxNs);
    }
    CHECK(by[0].share() == Approx(0.4));

    // A new window starts empty; an empty window publishes nothing.
    CHECK(t.callbacksInWindow() == 0);
    CHECK(t.nodesInWindow() == 0);
    CHECK(publish(t).empty());
    t.addOnAudio(7, -5); // a clock going backwards counts as 0, never as a huge unsigned value
    t.endCallbackOnAudio();
    const auto again = publish(t);
    REQUIRE(again.size() == 1);
    CHECK(again[0].node == 7);
    CHECK(again[0].maxNs == 0);
}

TEST_CASE("node times: random times in a stable or shuffled order agree with a brute-force sum", "[core][monitor]")
{
    wb::signals::Pcg32 rng(7);
    for (const bool shuffled : {false, true})
    {
        NodeTimes t;
        std::vector<NodeId> nodes;
        for (NodeId i = 0; i < 40; ++i)
            nodes.push_back(i * 3 + 1);
        std::map<NodeId, std::uint64_t> sum, max;
        const int callbacks = 200;
        for (int c = 0; c < callbacks; ++c)
        {
            if (shuffled)
                for (std::size_t i = nodes.size() - 1; i > 0; --i)
                    std::swap(nodes[i], nodes[rng.next() % (i + 1)]);
            for (const auto n : nodes)
            {
                const std::int64_t ns = rng.next() % 10000;
                t.addOnAudio(n, ns);
                sum[n] += std::uint64_t(ns);
                max[n] = std::max(max[n], std::uint64_t(ns));
            }
            t.endCallbackOnAudio();
        }
        const auto out = publish(t);
        REQUIRE(out.size() == nodes.size());
        for (const auto& n : out)
        {
            CHECK(n.meanNs == sum[n.node] / callbacks);
            CHECK(n.maxNs == max[n.node]);
        }
    }
}

TEST_CASE("node times: nodes beyond the table are counted, not timed", "[core][monitor]")
{
    NodeTimes t;
    for (NodeId n = 0; n < NodeTimes::kMaxNodes + 3; ++n)
        t.addOnAudio(n, 1);
    t.endCallbackOnAudio();
    CHECK(t.droppedNodes() == 3);
    CHECK(publish(t).size() == NodeTimes::kMaxNodes);
}

TEST_CASE("node times: adding, closing and publishing into a telemetry ring are real-time safe", "[core][monitor][rt][nosan]")
{
    auto times = std::make_unique<NodeTimes>();
    wb::TelemetryQueue queue(256);
    std::size_t published = 0;
    REQUIRE_REALTIME_SAFE({
        for (int c = 0; c < 100; ++c)
        {
            for (NodeId n = 1; n <= 6; ++n)
            {
                const wb::monitor::ScopedNodeTime timed(times.get(), n);
            }
            times->addOnAudio(wb::kEngineNode, 1000);
            times->endCallbackOnAudio();
        }
        published = times->publishOnAudio(1'333'333, 1, [&](const NodeTiming& n) {
            (void) queue.pushFromAudio(wb::Telemetry::of(n));
        });
    });
    CHECK(published == 7);
    wb::Telemetry got;
    int n = 0;
    while (queue.popOnUi(got))
    {
        CHECK(got.type == wb::TelemetryType::nodeTiming);
        CHECK(got.nodeTiming.callbacks == 100);
        CHECK(got.nodeTiming.meanNs <= got.nodeTiming.maxNs);
        ++n;
    }
    CHECK(n == 7);
    // A null table: ScopedNodeTime does nothing (nodes outside an engine are not timed).
    const wb::monitor::ScopedNodeTime untimed(nullptr, 1);
}

TEST_CASE("node timing summary: means weighted by callbacks, the largest max, first-seen order", "[core][monitor]")
{
    wb::monitor::NodeTimingSummary s;
    CHECK(s.empty());
    s.add(NodeTiming{5, 10, 100, 300, 1000, 1});
    s.add(NodeTiming{0, 10, 400, 500, 1000, 1});
    s.add(NodeTiming{5, 30, 200, 250, 1000, 2});
    s.add(NodeTiming{9, 0, 999, 999, 1000, 2}); // an empty window carries nothing
    const auto e = s.take();
    REQUIRE(e.size() == 2);
    CHECK(e[0].node == 5);
    CHECK(e[0].callbacks == 40);
    CHECK(e[0].meanNs == Approx((100.0 * 10 + 200.0 * 30) / 40));
    CHECK(e[0].maxNs == 300);
    CHECK(e[0].share() == Approx(0.175));
    CHECK(e[1].node == 0);
    CHECK(s.empty());
}

TEST_CASE("callback stats: nearest-rank percentiles, load and overruns of a known run", "[core][monitor]")
{
    using wb::monitor::percentileOfSorted;
    const std::vector<std::uint64_t> sorted{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    CHECK(percentileOfSorted(sorted, 0.5) == 50);
    CHECK(percentileOfSorted(sorted, 0.99) == 100);
    CHECK(percentileOfSorted(sorted, 0.1) == 10);
    CHECK(percentileOfSorted({}, 0.5) == 0);

    // 201 callbacks of a 1000 ns period: durations 5, 10, ..., 1000 ns and one of 1005 ns, out of
    // order. One overrun: 1000 ns (exactly the period) still fits.
    std::vector<wb::TimingSample> samples;
    for (std::uint64_t i = 1; i <= 200; ++i)
        samples.push_back(wb::TimingSample{i * 1000, i * 5, 1000, 64});
    samples.push_back(wb::TimingSample{0, 1005, 1000, 64});
    std::swap(samples[3], samples[150]);
    const auto s = wb::monitor::summariseCallbacks(samples);
    CHECK(s.callbacks == 201);
    CHECK(s.maxNs == 1005);
    CHECK(s.p99Ns == 995); // rank ceil(0.99 * 201) = 199 -> the 199th smallest
    CHECK(s.p50Ns <= s.p99Ns);
    CHECK(s.overruns == 1);
    CHECK(s.loadMean == Approx((5.0 * 200 * 201 / 2 + 1005) / (201 * 1000.0)));
    CHECK(s.loadMax == Approx(1.005));
    CHECK(s.loadP99 == Approx(0.995));
    CHECK(wb::monitor::summariseCallbacks({}).callbacks == 0);
}
