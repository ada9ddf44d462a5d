#pragma once
// DspHotReload: the chain's effects loaded from .dsp files follow their files. Each such effect is
// watched (the .dsp and every file it imports: FaustRuntime/FaustImports.h, Core/Util/FileWatch.h);
// on a settled edit the module cache compiles the file on its worker thread, and when that is done
//   - the effect is replaced live (EffectChainNode::reloadEffectFromUi: values kept by control
//     path, vanished ones dropped, the old instance fading out while the new one fades in);
//   - or, when the compile fails, the old module keeps running and the error (file, line, Faust's
//     message) is kept for the panel;
//   - an edit that leaves the expanded program unchanged (a comment, a touch) replaces nothing.
// Adding a .dsp file goes the same way (addFileFromUi): compiled off the message thread, added when
// ready, so the app never waits for a compile and audio never does.
//
// Threads: message thread only (a timer calls pollFromUi). No audio-thread code here: the chain's
// own edit ring carries the swap.
#include "Core/Util/FileWatch.h"
#include "Engine/EffectChainNode.h"
#include "FaustRuntime/FaustModuleCache.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace wb
{
class DspHotReload
{
public:
    using Clock = FileWatch::Clock;

    /// What the panel shows under a runtime effect.
    struct Status
    {
        std::string path;    ///< the .dsp file
        std::string text;    ///< "reloaded 14:03:22", "compiling...", the error, "file missing"
        bool isError = false;
        int reloads = 0;     ///< successful live replacements so far
    };

    /// What one poll did, for the panel to follow (rows to rebuild, a message to show).
    struct Event
    {
        enum class Kind { added, addFailed, reloaded, reloadFailed, unchanged };
        Kind kind = Kind::added;
        NodeId oldId = 0; ///< reloaded / reloadFailed / unchanged: the effect's id before
        NodeId newId = 0; ///< added / reloaded: its id now
        std::string path;
        std::string message; ///< a failure's error text (file:line: Faust's words)
    };

    /// Compiles go through FaustModuleCache::shared(), the cache Engine/EffectResolver makes
    /// effects from, so a finished compile is a memory hit when the chain makes the new node.
    explicit DspHotReload(EffectChainNode& chain, std::chrono::milliseconds settle = FileWatch::kDefaultSettle);

    /// Message thread: compiles `path` on the cache's worker and adds it to the chain at `position`
    /// once compiled (a later poll reports added or addFailed).
    void addFileFromUi(const std::string& path, int position = EffectChainNode::kMaxSlots);
    /// Message thread, on a timer (~10 Hz): notices runtime effects added or removed, looks at their
    /// files, starts compiles of edited ones and applies the compiles that finished.
    std::vector<Event> pollFromUi(Clock::time_point now);

    /// The status of a runtime effect, or nullptr (a built-in effect, or not seen by a poll yet).
    [[nodiscard]] const Status* statusOf(NodeId id) const;
    /// Compiles started here and not yet finished (adds and reloads).
    [[nodiscard]] int pendingFromUi() const noexcept;

private:
    struct Watched
    {
        Status status;
        FileWatch watch;
        std::string key; ///< the module key running now ("" when unknown)
        faustrt::FaustModuleCache::Ticket ticket = 0; ///< a reload's compile under way, or 0
    };
    struct PendingAdd
    {
        std::string path;
        int position = 0;
        faustrt::FaustModuleCache::Ticket ticket = 0;
    };

    void track(NodeId id, const std::string& path);
    void finishReload(NodeId id, Watched& w, std::vector<Event>& events);

    EffectChainNode& chain;
    std::chrono::milliseconds settleTime;
    std::map<NodeId, Watched> watched;
    std::vector<PendingAdd> adds;
};

/// "14:03:22": the local wall-clock time, for status lines.
[[nodiscard]] std::string clockTimeNow();
} // namespace wb
