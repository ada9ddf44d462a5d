#pragma once
// FaustModuleCache: runtime Faust modules by key, compiled by ONE worker thread, kept in memory
// within a byte budget and on disk as machine code. JUCE-free.
//
// Threads: every public function is for the message thread (or the CLI's main thread); they take
// the cache's own lock for a moment, never while libfaust works. The worker expands, reads from
// disk or compiles, and deletes factories it replaced. Nothing here is for the audio thread.
//
// Keys: SHA-1 of the expanded source + options + libfaust version + machine target
// (faustrt::expandSource). The same content never compiles twice: a key already in memory is a
// memory hit, one on disk a disk hit (libfaust 2.54.9 leaks ~0.4 MB per compile/delete cycle).
//
// Disk cache: <dir>/<key>.fmc (writeDSPFactoryToMachineFile) and <key>.fmc.txt, a sidecar with
// the libfaust version and machine target it was written by. A file is loaded only when its
// sidecar names this process's version and target; otherwise it is recompiled and rewritten.
// <dir> is $WAVEBENCH_FAUST_CACHE, else $XDG_CACHE_HOME/wavebench/faust, else
// ~/.cache/wavebench/faust (defaultCacheDir).
//
// For the app (hot reload): preload(path) returns at once with a ticket; poll status(ticket) on a
// timer; when it is ready, get(key) (or status().module) and build the new node off the audio
// thread. The CLI uses load(), which waits.
#include "FaustRuntime/FaustCompiler.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wb::faustrt
{
struct FaustCacheStats
{
    std::int64_t modules = 0;          ///< modules in memory
    std::int64_t machineCodeBytes = 0; ///< their machine code, in bytes
    std::int64_t instances = 0;        ///< runtime instances alive (liveInstances)
    std::int64_t memoryHits = 0, diskHits = 0, compiles = 0, failures = 0;
    double lastCompileMs = 0.0;
};

class FaustModuleCache
{
public:
    enum class State { pending, ready, failed };
    using Ticket = std::uint64_t;

    struct Status
    {
        State state = State::pending;
        std::string key;                             ///< known once ready
        std::shared_ptr<const FaustModule> module;   ///< when ready
        CompileError error;                          ///< when failed
    };

    struct Options
    {
        std::string diskDir;                           ///< empty: no disk cache
        std::int64_t memoryBudgetBytes = 256ll << 20; ///< machine code kept in memory
    };

    explicit FaustModuleCache(Options options);
    ~FaustModuleCache(); ///< stops the worker (after the compile under way, if any)
    FaustModuleCache(const FaustModuleCache&) = delete;
    FaustModuleCache& operator=(const FaustModuleCache&) = delete;

    /// The process's cache (disk folder defaultCacheDir(), read at first use). Never destroyed:
    /// factories must not be deleted after libfaust's own globals at exit.
    static FaustModuleCache& shared();
    /// $WAVEBENCH_FAUST_CACHE, else $XDG_CACHE_HOME/wavebench/faust, else ~/.cache/wavebench/faust.
    [[nodiscard]] static std::string defaultCacheDir();

    /// Queues the source for the worker and returns at once. Message thread.
    Ticket preload(const FaustSource& source);
    /// Where the request stands. Message thread. The first read of a ready request hands over
    /// the module; after that the request only remembers it (a module nobody holds may be evicted,
    /// and a later status() then says ready with a null module: preload again).
    [[nodiscard]] Status status(Ticket ticket);
    /// The module with this key when it is in memory, else nullptr (counts as a use for the LRU).
    [[nodiscard]] std::shared_ptr<const FaustModule> get(const std::string& key);
    /// Drops the module from memory unless an instance (or a caller) still holds it; its disk
    /// file stays. Returns whether it was dropped.
    bool evict(const std::string& key);
    /// preload + wait: the module, or nullptr with the error. For the CLI and tests.
    std::shared_ptr<const FaustModule> load(const FaustSource& source, CompileError& error);

    /// A new memory budget, applied at once (least recently used first, never a module in use).
    void setMemoryBudget(std::int64_t bytes);

    [[nodiscard]] FaustCacheStats stats() const;
    [[nodiscard]] const Options& options() const noexcept { return opts; }
    /// The disk cache's machine code file and its sidecar for a key.
    [[nodiscard]] std::string machineFilePath(const std::string& key) const;
    [[nodiscard]] std::string sidecarPath(const std::string& key) const;

private:
    struct Entry
    {
        std::shared_ptr<const FaustModule> module;
        std::uint64_t lastUse = 0;
    };
    struct Request
    {
        Status status;                            ///< module set until its first read
        std::weak_ptr<const FaustModule> module;  ///< after it
    };
    struct Job
    {
        Ticket ticket;
        FaustSource source;
    };

    void run();
    void process(const Job& job);
    std::shared_ptr<FaustModule> readFromDisk(const FaustSource& source, const std::string& key);
    void writeToDisk(FaustModule& module);
    /// Inserts and enforces the budget; returns what the budget pushed out (released unlocked).
    std::vector<std::shared_ptr<const FaustModule>> insertLocked(const std::shared_ptr<const FaustModule>& module);
    /// Pushes out the least recently used modules nobody holds (never `keep`) until within budget.
    std::vector<std::shared_ptr<const FaustModule>> enforceBudgetLocked(const std::string& keep);
    void finish(Ticket ticket, Status status);

    Options opts;
    mutable std::mutex mutex;
    std::condition_variable wake, done;
    std::deque<Job> jobs;
    std::map<Ticket, Request> tickets;
    std::map<std::string, Entry> entries;
    Ticket nextTicket = 1;
    std::uint64_t useClock = 0;
    FaustCacheStats counters;
    bool stopping = false;
    std::thread worker;
};
} // namespace wb::faustrt
