#pragma once
// Audio side of the command protocol: drains the CommandQueue at the start of each block and hands
// every command to the handler registered for its target. The handler table is a fixed array
// filled before audio starts: no std::function, no allocation, no lock on the audio thread.
#include "Core/Realtime/CommandQueue.h"
#include "Core/Realtime/Commands.h"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace wb
{
/// A handler: called on the audio thread with the context given at registration. Must itself be
/// real-time safe.
using CommandHandlerFn = void (*)(void* context, const Command& command) noexcept;

struct DispatchResult
{
    std::uint32_t dispatched = 0; // commands delivered to at least one handler
    std::uint32_t unhandled = 0;  // commands whose target had no handler
};

class CommandDispatcher
{
public:
    static constexpr std::size_t kMaxHandlers = 64;

    /// Effects: registers `fn(context, command)` for commands whose target is `target` (and for
    /// commands sent to kAllNodes). One handler per target.
    /// Returns: false if `fn` is null, `target` is kAllNodes or already registered, or the table
    /// is full. Thread: message thread, while the audio callback is not running
    /// (before dispatchOnAudio is first called, or while it is stopped). Wait-free.
    bool registerHandler(NodeId target, CommandHandlerFn fn, void* context) noexcept;

    /// Effects: registers `fn(context, command)` for every target in [first, last] (e.g. the
    /// effect chain, which routes to its slots by id). Returns: false as registerHandler does, or
    /// when the range overlaps a registered target. Thread: as registerHandler. Wait-free.
    bool registerRangeHandler(NodeId first, NodeId last, CommandHandlerFn fn, void* context) noexcept;

    /// Effects: removes the handler of `target` (a range handler by its first id). Returns: false if there was none.
    /// Thread: message thread, while the audio callback is not running. Wait-free.
    bool unregisterHandler(NodeId target) noexcept;

    /// Effects: pops every command pending at the call (at most the queue capacity, so a UI
    /// pushing without pause cannot keep the audio thread here) and calls the handler of its
    /// target, in queue order; commands for kAllNodes go to every handler.
    /// Returns: what was delivered. Thread: the audio thread, at the start of a block. Wait-free
    /// (bounded by the queue capacity times kMaxHandlers), allocation- and lock-free provided the
    /// handlers are.
    DispatchResult dispatchOnAudio(CommandQueue& queue) noexcept;

    /// Returns: totals since construction. Any thread. Wait-free.
    [[nodiscard]] std::uint64_t totalDispatched() const noexcept
    {
        return dispatched_.load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t totalUnhandled() const noexcept
    {
        return unhandled_.load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::size_t numHandlers() const noexcept { return numHandlers_; }

private:
    struct Entry
    {
        NodeId target = 0; // first id handled
        NodeId last = 0;   // last id handled (== target for a single target)
        CommandHandlerFn fn = nullptr;
        void* context = nullptr;
    };

    std::array<Entry, kMaxHandlers> handlers_{};
    std::size_t numHandlers_ = 0;
    // Written only by the audio thread (load + store), read by the UI.
    std::atomic<std::uint64_t> dispatched_{0};
    std::atomic<std::uint64_t> unhandled_{0};
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
};
} // namespace wb
