#pragma once
// Waiting on a ring from a thread that may wait (a worker, a test's or a benchmark's producer):
// spin briefly, then give the core away. Never on the audio thread (yield is a syscall).
#include <thread>

namespace wb
{
struct SpinBackoff
{
    unsigned spins = 0;
    /// Call once per failed tryPush / tryPop.
    void pause() noexcept
    {
        if (++spins > 64)
        {
            std::this_thread::yield();
            spins = 0;
        }
    }
};
} // namespace wb
