#pragma once
// Running JUCE's message loop from a test: timers, async updates and change messages are
// delivered only while it runs.
#include <juce_events/juce_events.h>

#include <chrono>

namespace wb::test
{
/// Runs the message loop (timers, async updates) for `ms` milliseconds.
inline void pump(int ms)
{
    juce::MessageManager::getInstance()->runDispatchLoopUntil(ms);
}

/// Runs the message loop until `done()` is true (returns true) or `seconds` pass (false).
template <typename F>
bool pumpUntil(F done, double seconds = 10.0)
{
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until)
    {
        if (done())
            return true;
        pump(10);
    }
    return done();
}
} // namespace wb::test
