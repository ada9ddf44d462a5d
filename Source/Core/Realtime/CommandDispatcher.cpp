#include "Core/Realtime/CommandDispatcher.h"

namespace wb
{
bool CommandDispatcher::registerHandler(NodeId target, CommandHandlerFn fn, void* context) noexcept
{
    return registerRangeHandler(target, target, fn, context);
}

bool CommandDispatcher::registerRangeHandler(NodeId first, NodeId last, CommandHandlerFn fn, void* context) noexcept
{
    if (fn == nullptr || first > last || last == kAllNodes || numHandlers_ == kMaxHandlers)
        return false;
    for (std::size_t i = 0; i < numHandlers_; ++i)
        if (first <= handlers_[i].last && handlers_[i].target <= last)
            return false;
    handlers_[numHandlers_++] = Entry{first, last, fn, context};
    return true;
}

bool CommandDispatcher::unregisterHandler(NodeId target) noexcept
{
    for (std::size_t i = 0; i < numHandlers_; ++i)
    {
        if (handlers_[i].target == target)
        {
            // Keep registration order for the rest (broadcast delivery order stays stable).
            for (std::size_t j = i + 1; j < numHandlers_; ++j)
                handlers_[j - 1] = handlers_[j];
            handlers_[--numHandlers_] = Entry{};
            return true;
        }
    }
    return false;
}

DispatchResult CommandDispatcher::dispatchOnAudio(CommandQueue& queue) noexcept
{
    DispatchResult result;
    const std::size_t limit = queue.capacity();
    Command command;
    for (std::size_t n = 0; n < limit && queue.popOnAudio(command); ++n)
    {
        bool delivered = false;
        for (std::size_t i = 0; i < numHandlers_; ++i)
        {
            const Entry& e = handlers_[i];
            if (command.target == kAllNodes || (command.target >= e.target && command.target <= e.last))
            {
                e.fn(e.context, command);
                delivered = true;
                if (command.target != kAllNodes)
                    break;
            }
        }
        if (delivered)
            ++result.dispatched;
        else
            ++result.unhandled;
    }
    if (result.dispatched != 0)
        dispatched_.store(dispatched_.load(std::memory_order_relaxed) + result.dispatched,
                          std::memory_order_relaxed);
    if (result.unhandled != 0)
        unhandled_.store(unhandled_.load(std::memory_order_relaxed) + result.unhandled,
                         std::memory_order_relaxed);
    return result;
}
} // namespace wb
