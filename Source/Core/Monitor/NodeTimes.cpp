#include "Core/Monitor/NodeTimes.h"

#include "Core/Monitor/LoadMeter.h"

#include <algorithm>

namespace wb::monitor
{
NodeTimes::Slot* NodeTimes::find(NodeId node) noexcept
{
    for (std::size_t k = 0; k < numNodes; ++k)
    {
        std::size_t i = cursor + k;
        if (i >= numNodes)
            i -= numNodes;
        if (slots[i].node == node)
        {
            cursor = i + 1 < numNodes ? i + 1 : 0;
            return &slots[i];
        }
    }
    if (numNodes == kMaxNodes)
        return nullptr;
    Slot& s = slots[numNodes++];
    s = Slot{};
    s.node = node;
    cursor = 0; // a new node is last; the next one in order is most likely the first
    return &s;
}

void NodeTimes::addOnAudio(NodeId node, std::int64_t ns) noexcept
{
    Slot* s = find(node);
    if (s == nullptr)
    {
        ++dropped;
        return;
    }
    s->currentNs += static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0));
}

void NodeTimes::endCallbackOnAudio() noexcept
{
    for (std::size_t i = 0; i < numNodes; ++i)
    {
        Slot& s = slots[i];
        s.sumNs += s.currentNs;
        s.maxNs = std::max(s.maxNs, s.currentNs);
        s.currentNs = 0;
    }
    ++callbacks;
}

void NodeTimes::startWindow() noexcept
{
    numNodes = 0;
    cursor = 0;
    callbacks = 0;
}

void NodeTimingSummary::add(const NodeTiming& t)
{
    if (t.callbacks == 0)
        return;
    Entry* e = nullptr;
    for (auto& candidate : entries)
        if (candidate.node == t.node)
            e = &candidate;
    if (e == nullptr)
    {
        entries.push_back(Entry{});
        e = &entries.back();
        e->node = t.node;
    }
    const auto total = e->callbacks + t.callbacks;
    e->meanNs = (e->meanNs * double(e->callbacks) + double(t.meanNs) * double(t.callbacks)) / double(total);
    e->callbacks = total;
    e->maxNs = std::max(e->maxNs, t.maxNs);
    e->periodNs = t.periodNs;
}

std::vector<NodeTimingSummary::Entry> NodeTimingSummary::take()
{
    std::vector<Entry> out;
    out.swap(entries);
    return out;
}

ScopedNodeTime::ScopedNodeTime(NodeTimes* t, NodeId n) noexcept
    : times(t), node(n), start(t != nullptr ? LoadMeter::nowNs() : 0)
{
}

ScopedNodeTime::~ScopedNodeTime()
{
    if (times != nullptr)
        times->addOnAudio(node, LoadMeter::nowNs() - start);
}
} // namespace wb::monitor
