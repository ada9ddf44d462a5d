#pragma once
// A command waiting for its sample: the pending-event list every command-driven node keeps
// (GeneratorNode, FaustEffectNode), sorted by time, equal times in arrival order.
#include "Core/Realtime/Commands.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace wb
{
struct TimedCommand
{
    std::uint64_t when = 0; ///< absolute sample position (the node's clock)
    Command command{};
};

/// Effects: inserts `event` into list[0..count) keeping it sorted by `when` (stable), ++count.
/// Returns: false, changing nothing, when the list is full. Thread: the owner's (audio). Wait-free.
template <std::size_t N>
bool insertTimedCommand(std::array<TimedCommand, N>& list, std::size_t& count, const TimedCommand& event) noexcept
{
    if (count == N)
        return false;
    std::size_t at = count;
    while (at > 0 && list[at - 1].when > event.when)
    {
        list[at] = list[at - 1];
        --at;
    }
    list[at] = event;
    ++count;
    return true;
}
} // namespace wb
