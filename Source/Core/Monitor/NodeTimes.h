#pragma once
// Time per graph node, accumulated on the audio thread and published as NodeTiming telemetry.
//
// The audio thread owns a NodeTimes. During a callback every timed node adds the nanoseconds it
// took (addOnAudio, several times if the host splits the block); endCallbackOnAudio() closes the
// callback (each node's total of that callback goes into the window's sum and maximum);
// publishOnAudio() emits one NodeTiming per node seen in the window and starts a new window.
// Fixed arrays only: no allocation, no lock, no syscall (the clock is LoadMeter::nowNs, vDSO).
//
// Lookup: nodes run in the same order every callback, so the search for a node starts just after
// the slot found last; with a stable order each lookup is one comparison.
#include "Core/Realtime/Telemetry.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wb::monitor
{
class NodeTimes
{
public:
    /// Distinct nodes per window (a stream bench runs a generator and 4 effects per stream).
    static constexpr std::size_t kMaxNodes = 512;

    /// Audio thread. Wait-free, O(1) when nodes run in a stable order.
    /// Effects: adds `ns` (negative counts as 0) to `node`'s time in the current callback. A node
    /// beyond kMaxNodes in one window is not timed and is counted in droppedNodes().
    void addOnAudio(NodeId node, std::int64_t ns) noexcept;

    /// Audio thread. Effects: closes one callback (nodes that did not run in it count 0 ns).
    void endCallbackOnAudio() noexcept;

    /// Callbacks closed in the current window.
    [[nodiscard]] std::uint32_t callbacksInWindow() const noexcept { return callbacks; }
    /// Nodes seen in the current window.
    [[nodiscard]] std::size_t nodesInWindow() const noexcept { return numNodes; }
    /// Node timings refused because the table was full, since construction.
    [[nodiscard]] std::uint64_t droppedNodes() const noexcept { return dropped; }

    /// Audio thread. Effects: when at least one callback was closed, calls `push(NodeTiming)` for
    /// every node of the window, in first-seen order, then starts a new window. `push` must be
    /// real-time safe (e.g. TelemetryQueue::pushFromAudio wrapped in a lambda).
    /// Returns: the number of NodeTiming values handed to `push`.
    template <typename Push>
    std::size_t publishOnAudio(std::uint64_t periodNs, std::uint64_t nowNs, Push&& push) noexcept
    {
        if (callbacks == 0)
            return 0;
        for (std::size_t i = 0; i < numNodes; ++i)
        {
            const Slot& s = slots[i];
            NodeTiming t;
            t.node = s.node;
            t.callbacks = callbacks;
            t.meanNs = s.sumNs / callbacks;
            t.maxNs = s.maxNs;
            t.periodNs = periodNs;
            t.windowEndNs = nowNs;
            push(t);
        }
        const std::size_t n = numNodes;
        startWindow();
        return n;
    }

    /// Audio thread, or while no audio runs. Effects: forgets the window.
    void reset() noexcept { startWindow(); }

private:
    struct Slot
    {
        NodeId node = 0;
        std::uint64_t currentNs = 0;    // this callback's time so far
        std::uint64_t sumNs = 0;        // closed callbacks of the window
        std::uint64_t maxNs = 0;
    };

    void startWindow() noexcept;
    Slot* find(NodeId node) noexcept;

    std::array<Slot, kMaxNodes> slots{};
    std::size_t numNodes = 0;
    std::size_t cursor = 0;        // where the next search starts
    std::uint32_t callbacks = 0;   // closed callbacks in the window
    std::uint64_t dropped = 0;
};

/// Message thread: folds the NodeTiming telemetry of several windows into one figure per node
/// (a monitor line, a bench step): the mean weighted by callbacks, the largest maximum.
class NodeTimingSummary
{
public:
    struct Entry
    {
        NodeId node = 0;
        std::uint64_t callbacks = 0;
        double meanNs = 0.0;        ///< per callback, over every window folded in
        std::uint64_t maxNs = 0;    ///< the longest time in one callback
        std::uint64_t periodNs = 0; ///< the last window's period
        [[nodiscard]] double share() const noexcept { return periodNs > 0 ? meanNs / double(periodNs) : 0.0; }
    };

    /// Allocates (the first time a node is seen).
    void add(const NodeTiming& t);
    /// The entries, nodes in first-seen order; the summary is empty afterwards.
    [[nodiscard]] std::vector<Entry> take();
    [[nodiscard]] bool empty() const noexcept { return entries.empty(); }

private:
    std::vector<Entry> entries;
};

/// Audio thread: times a scope into `times` under `node`; does nothing when `times` is null.
class ScopedNodeTime
{
public:
    ScopedNodeTime(NodeTimes* t, NodeId n) noexcept;
    ~ScopedNodeTime();
    ScopedNodeTime(const ScopedNodeTime&) = delete;
    ScopedNodeTime& operator=(const ScopedNodeTime&) = delete;

private:
    NodeTimes* times;
    NodeId node;
    std::int64_t start = 0;
};
} // namespace wb::monitor
