#include "Cli/Interrupt.h"

#include <atomic>
#include <csignal>
#include <cstring>

namespace wb::cli
{
namespace
{
// Written by the handler, read by the command's loop: a lock-free atomic is async-signal-safe.
std::atomic<int> gReceived{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void onInterrupt(int signalNumber)
{
    int none = 0;
    gReceived.compare_exchange_strong(none, signalNumber);
}
} // namespace

struct InterruptScope::Saved
{
    struct sigaction interrupt{};
    struct sigaction terminate{};
    bool interruptInstalled = false;
};

InterruptScope::InterruptScope() : saved(std::make_unique<Saved>())
{
    gReceived.store(0);
    struct sigaction action{};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(SIGINT, nullptr, &saved->interrupt);
    if (saved->interrupt.sa_handler != SIG_IGN)
    {
        sigaction(SIGINT, &action, nullptr);
        saved->interruptInstalled = true;
    }
    sigaction(SIGTERM, &action, &saved->terminate);
}

InterruptScope::~InterruptScope()
{
    if (saved->interruptInstalled)
        sigaction(SIGINT, &saved->interrupt, nullptr);
    sigaction(SIGTERM, &saved->terminate, nullptr);
}

int InterruptScope::received() noexcept
{
    return gReceived.load(std::memory_order_relaxed);
}

std::string InterruptScope::name(int signalNumber)
{
    if (signalNumber == SIGINT)
        return "SIGINT";
    if (signalNumber == SIGTERM)
        return "SIGTERM";
    return "signal " + std::to_string(signalNumber);
}
} // namespace wb::cli
