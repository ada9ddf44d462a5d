#pragma once
// The UI -> audio command ring with the threads in the names.
#include "Core/Realtime/Commands.h"
#include "Core/Realtime/SpscRing.h"

#include <cstddef>
#include <cstdint>

namespace wb
{
class CommandQueue
{
public:
    static constexpr std::size_t kDefaultCapacity = 1024;

    /// Effects: allocates a ring of at least `minCapacity` commands. Thread: message thread. Allocates.
    explicit CommandQueue(std::size_t minCapacity = kDefaultCapacity) : ring_(minCapacity) {}

    /// Effects: queues `command` for the audio thread.
    /// Returns: false if the queue was full (the command is dropped and counted in rejected()).
    /// Thread: the message (UI) thread only. Wait-free; never waits on the audio thread.
    [[nodiscard]] bool pushFromUi(const Command& command) noexcept { return ring_.tryPush(command); }

    /// Effects: takes the oldest pending command into `out`.
    /// Returns: false if none was pending. Thread: the audio thread only. Wait-free.
    [[nodiscard]] bool popOnAudio(Command& out) noexcept { return ring_.tryPop(out); }

    /// Returns: commands refused because the queue was full, since construction. Any thread. Wait-free.
    [[nodiscard]] std::uint64_t rejected() const noexcept { return ring_.fullRejections(); }
    /// Returns: a snapshot of the number of pending commands. Any thread. Wait-free.
    [[nodiscard]] std::size_t pendingApprox() const noexcept { return ring_.sizeApprox(); }
    [[nodiscard]] std::size_t capacity() const noexcept { return ring_.capacity(); }

private:
    SpscRing<Command> ring_;
};
} // namespace wb
