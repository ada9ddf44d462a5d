#include "Engine/DspHotReload.h"

#include "Engine/EffectResolver.h"
#include "FaustRuntime/FaustImports.h"

#include <algorithm>
#include <ctime>
#include <filesystem>

namespace wb
{
using faustrt::FaustModuleCache;

std::string clockTimeNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm local{};
    localtime_r(&t, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M:%S", &local);
    return text;
}

DspHotReload::DspHotReload(EffectChainNode& c, std::chrono::milliseconds settle) : chain(c), settleTime(settle) {}

void DspHotReload::addFileFromUi(const std::string& path, int position)
{
    const std::string absolute = canonicalEffectId(path);
    adds.push_back({absolute, position, FaustModuleCache::shared().preload(faustrt::FaustSource::file(absolute))});
}

int DspHotReload::pendingFromUi() const noexcept
{
    int n = static_cast<int>(adds.size());
    for (const auto& [id, w] : watched)
        n += w.ticket != 0 ? 1 : 0;
    return n;
}

const DspHotReload::Status* DspHotReload::statusOf(NodeId id) const
{
    const auto it = watched.find(id);
    return it == watched.end() ? nullptr : &it->second.status;
}

void DspHotReload::track(NodeId id, const std::string& path)
{
    Watched w{Status{path, "loaded " + clockTimeNow(), false, 0}, FileWatch(settleTime), {}, 0};
    std::vector<std::filesystem::path> files;
    for (const auto& f : faustrt::dspDependencies(path))
        files.emplace_back(f);
    w.watch.watch(std::move(files));
    faustrt::CompileError error;
    if (const auto expanded = faustrt::expandSource(faustrt::FaustSource::file(path), error))
        w.key = expanded->key;
    watched.insert_or_assign(id, std::move(w));
}

void DspHotReload::finishReload(NodeId id, Watched& w, std::vector<Event>& events)
{
    const auto s = FaustModuleCache::shared().status(w.ticket);
    if (s.state == FaustModuleCache::State::pending)
        return;
    w.ticket = 0;
    if (s.state == FaustModuleCache::State::failed)
    {
        // The old module keeps running; the error stays until the next edit.
        w.status.text = s.error.text();
        w.status.isError = true;
        events.push_back({Event::Kind::reloadFailed, id, id, w.status.path, w.status.text});
        return;
    }
    if (s.key == w.key)
    {
        w.status.text = "unchanged " + clockTimeNow();
        w.status.isError = false;
        events.push_back({Event::Kind::unchanged, id, id, w.status.path, {}});
        return;
    }
    [[maybe_unused]] const auto keepAlive = s.module; // the new node is made from this module (a memory hit)
    const NodeId fresh = chain.reloadEffectFromUi(id);
    if (fresh == 0)
    {
        w.status.text = "the chain could not take the new version of " + w.status.path;
        w.status.isError = true;
        events.push_back({Event::Kind::reloadFailed, id, id, w.status.path, w.status.text});
        return;
    }
    Watched moved = std::move(w);
    moved.key = s.key;
    moved.status.text = "reloaded " + clockTimeNow();
    moved.status.isError = false;
    ++moved.status.reloads;
    // The imports may have changed with the edit: watch what the program is made of now.
    std::vector<std::filesystem::path> files;
    for (const auto& f : faustrt::dspDependencies(moved.status.path))
        files.emplace_back(f);
    moved.watch.watch(std::move(files));
    watched.erase(id);
    watched.insert_or_assign(fresh, std::move(moved));
    events.push_back({Event::Kind::reloaded, id, fresh, watched.at(fresh).status.path, {}});
}

std::vector<DspHotReload::Event> DspHotReload::pollFromUi(Clock::time_point now)
{
    std::vector<Event> events;
    // Adds whose compile finished.
    for (auto it = adds.begin(); it != adds.end();)
    {
        const auto s = FaustModuleCache::shared().status(it->ticket);
        if (s.state == FaustModuleCache::State::pending)
        {
            ++it;
            continue;
        }
        Event e{Event::Kind::addFailed, 0, 0, it->path, {}};
        if (s.state == FaustModuleCache::State::failed)
            e.message = s.error.text();
        else
        {
            [[maybe_unused]] const auto keepAlive = s.module; // made from it: a memory hit
            e.newId = chain.addEffectFromUi(it->path, it->position);
            if (e.newId != 0)
                e.kind = Event::Kind::added;
            else
            {
                std::string problem;
                e.message = resolveEffect(it->path, problem) ? "the chain is full" : problem;
            }
        }
        events.push_back(std::move(e));
        it = adds.erase(it);
    }
    // Follow the chain: runtime effects added (by anyone: a session, a preset) or removed.
    const auto& slots = chain.slotsFromUi();
    for (auto it = watched.begin(); it != watched.end();)
        it = chain.indexOfFromUi(it->first) < 0 ? watched.erase(it) : std::next(it);
    for (const auto& slot : slots)
        if (isDspPath(slot.effectId) && watched.find(slot.id) == watched.end())
            track(slot.id, slot.effectId);
    // Edits, and compiles that finished. (Ids are collected first: a reload renames its entry.)
    std::vector<NodeId> ids;
    for (const auto& [id, w] : watched)
        ids.push_back(id);
    for (const NodeId id : ids)
    {
        auto& w = watched.at(id);
        if (w.ticket != 0)
        {
            finishReload(id, w, events);
            continue;
        }
        if (w.watch.poll(now))
        {
            w.ticket = FaustModuleCache::shared().preload(faustrt::FaustSource::file(w.status.path));
            w.status.text = "compiling...";
            w.status.isError = false;
        }
        else if (!w.watch.missing().empty() && w.watch.missing().front() == std::filesystem::path(w.status.path))
        {
            w.status.text = "file missing: " + w.status.path + " (the last version keeps running)";
            w.status.isError = true;
        }
    }
    return events;
}
} // namespace wb
