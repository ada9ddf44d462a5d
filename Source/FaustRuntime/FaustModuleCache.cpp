#include "FaustRuntime/FaustModuleCache.h"

#include <faust/dsp/llvm-dsp.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wb::faustrt
{
namespace fs = std::filesystem;

namespace
{
std::string sidecarText()
{
    return "libfaust " + libfaustVersion() + "\ntarget " + machineTarget() + "\n";
}

} // namespace

FaustModuleCache::FaustModuleCache(Options options) : opts(std::move(options))
{
    worker = std::thread([this] { run(); });
}

FaustModuleCache::~FaustModuleCache()
{
    {
        const std::lock_guard lock(mutex);
        stopping = true;
    }
    wake.notify_all();
    worker.join();
}

FaustModuleCache& FaustModuleCache::shared()
{
    static auto* cache = new FaustModuleCache(Options{defaultCacheDir()});
    return *cache;
}

std::string FaustModuleCache::defaultCacheDir()
{
    if (const char* own = std::getenv("WAVEBENCH_FAUST_CACHE"); own != nullptr && *own != '\0')
        return own;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
        return (fs::path(xdg) / "wavebench" / "faust").string();
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
        return (fs::path(home) / ".cache" / "wavebench" / "faust").string();
    return {};
}

std::string FaustModuleCache::machineFilePath(const std::string& key) const
{
    return (fs::path(opts.diskDir) / (key + ".fmc")).string();
}

std::string FaustModuleCache::sidecarPath(const std::string& key) const
{
    return machineFilePath(key) + ".txt";
}

FaustModuleCache::Ticket FaustModuleCache::preload(const FaustSource& source)
{
    Ticket ticket = 0;
    {
        const std::lock_guard lock(mutex);
        ticket = nextTicket++;
        tickets[ticket] = Request{};
        jobs.push_back({ticket, source});
    }
    wake.notify_one();
    return ticket;
}

FaustModuleCache::Status FaustModuleCache::status(Ticket ticket)
{
    const std::lock_guard lock(mutex);
    const auto it = tickets.find(ticket);
    if (it == tickets.end())
    {
        Status s;
        s.state = State::failed;
        s.error.message = "no such request";
        return s;
    }
    auto& r = it->second;
    Status s = r.status;
    if (r.status.module != nullptr) // handed over: from now on the request does not keep it alive
    {
        r.module = r.status.module;
        r.status.module.reset();
    }
    else
        s.module = r.module.lock();
    return s;
}

std::shared_ptr<const FaustModule> FaustModuleCache::get(const std::string& key)
{
    const std::lock_guard lock(mutex);
    const auto it = entries.find(key);
    if (it == entries.end())
        return nullptr;
    it->second.lastUse = ++useClock;
    return it->second.module;
}

bool FaustModuleCache::evict(const std::string& key)
{
    std::shared_ptr<const FaustModule> dropped; // released after the lock: deleteDSPFactory takes libfaust's
    {
        const std::lock_guard lock(mutex);
        const auto it = entries.find(key);
        if (it == entries.end() || it->second.module.use_count() > 1)
            return false;
        dropped = std::move(it->second.module);
        entries.erase(it);
    }
    return true;
}

std::shared_ptr<const FaustModule> FaustModuleCache::load(const FaustSource& source, CompileError& error)
{
    const Ticket ticket = preload(source);
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return tickets[ticket].status.state != State::pending; });
    auto s = std::move(tickets[ticket].status);
    tickets.erase(ticket);
    error = s.error;
    return s.module;
}

FaustCacheStats FaustModuleCache::stats() const
{
    const std::lock_guard lock(mutex);
    FaustCacheStats s = counters;
    s.modules = static_cast<std::int64_t>(entries.size());
    s.machineCodeBytes = 0;
    for (const auto& [key, e] : entries)
        s.machineCodeBytes += e.module->machineCodeBytes;
    s.instances = liveInstances();
    return s;
}

void FaustModuleCache::run()
{
    for (;;)
    {
        Job job;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return stopping || !jobs.empty(); });
            if (stopping)
                return;
            job = std::move(jobs.front());
            jobs.pop_front();
        }
        process(job);
    }
}

void FaustModuleCache::finish(Ticket ticket, Status status)
{
    {
        const std::lock_guard lock(mutex);
        tickets[ticket].status = std::move(status);
    }
    done.notify_all();
}

void FaustModuleCache::process(const Job& job)
{
    Status result;
    const auto expanded = expandSource(job.source, result.error);
    if (!expanded)
    {
        result.state = State::failed;
        {
            const std::lock_guard lock(mutex);
            ++counters.failures;
        }
        finish(job.ticket, std::move(result));
        return;
    }
    result.key = expanded->key;
    if (auto known = get(expanded->key))
    {
        {
            const std::lock_guard lock(mutex);
            ++counters.memoryHits;
        }
        result.state = State::ready;
        result.module = std::move(known);
        finish(job.ticket, std::move(result));
        return;
    }

    std::shared_ptr<FaustModule> module = readFromDisk(job.source, expanded->key);
    const bool fromDisk = module != nullptr;
    if (!fromDisk)
    {
        module = compileExpanded(job.source, *expanded, result.error);
        if (module != nullptr)
            writeToDisk(*module);
    }
    if (module == nullptr)
    {
        result.state = State::failed;
        {
            const std::lock_guard lock(mutex);
            ++counters.failures;
        }
        finish(job.ticket, std::move(result));
        return;
    }
    std::vector<std::shared_ptr<const FaustModule>> pushedOut;
    {
        const std::lock_guard lock(mutex);
        ++(fromDisk ? counters.diskHits : counters.compiles);
        if (!fromDisk)
            counters.lastCompileMs = module->compileMs;
        pushedOut = insertLocked(module);
    }
    result.state = State::ready;
    result.module = std::move(module);
    finish(job.ticket, std::move(result));
    pushedOut.clear(); // factories deleted here, on the worker, outside the lock
}

void FaustModuleCache::setMemoryBudget(std::int64_t bytes)
{
    std::vector<std::shared_ptr<const FaustModule>> pushedOut; // released after the lock
    const std::lock_guard lock(mutex);
    opts.memoryBudgetBytes = bytes;
    pushedOut = enforceBudgetLocked({});
}

std::vector<std::shared_ptr<const FaustModule>> FaustModuleCache::insertLocked(const std::shared_ptr<const FaustModule>& module)
{
    entries[module->key] = Entry{module, ++useClock};
    return enforceBudgetLocked(module->key);
}

std::vector<std::shared_ptr<const FaustModule>> FaustModuleCache::enforceBudgetLocked(const std::string& keep)
{
    std::vector<std::shared_ptr<const FaustModule>> out;
    auto total = [&] {
        std::int64_t bytes = 0;
        for (const auto& [k, e] : entries)
            bytes += e.module->machineCodeBytes;
        return bytes;
    };
    while (total() > opts.memoryBudgetBytes)
    {
        // The least recently used module nobody holds (an instance or a caller keeps it alive);
        // never the one just made.
        auto victim = entries.end();
        for (auto it = entries.begin(); it != entries.end(); ++it)
            if (it->first != keep && it->second.module.use_count() == 1
                && (victim == entries.end() || it->second.lastUse < victim->second.lastUse))
                victim = it;
        if (victim == entries.end())
            break;
        out.push_back(std::move(victim->second.module));
        entries.erase(victim);
    }
    return out;
}

std::shared_ptr<FaustModule> FaustModuleCache::readFromDisk(const FaustSource& source, const std::string& key)
{
    if (opts.diskDir.empty())
        return nullptr;
    const auto file = machineFilePath(key);
    std::error_code ec;
    if (!fs::exists(file, ec) || readFileText(sidecarPath(key)) != sidecarText())
        return nullptr; // none, or written by another libfaust or for another machine: recompile
    ensureFaustMultiThreaded();
    std::string message;
    const auto start = std::chrono::steady_clock::now();
    auto factory = adoptFactory(readDSPFactoryFromMachineFile(file, "", message));
    const auto stop = std::chrono::steady_clock::now();
    if (factory == nullptr)
        return nullptr;
    auto module = std::make_shared<FaustModule>();
    module->key = key;
    module->source = source;
    module->source.code.clear();
    module->factory = std::move(factory);
    module->fromDisk = true;
    module->compileMs = std::chrono::duration<double, std::milli>(stop - start).count();
    module->machineCodeBytes = static_cast<std::int64_t>(fs::file_size(file, ec));
    probeChannels(*module);
    return module;
}

void FaustModuleCache::writeToDisk(FaustModule& module)
{
    std::error_code ec;
    if (!opts.diskDir.empty() && (fs::create_directories(opts.diskDir, ec), !ec || fs::is_directory(opts.diskDir)))
    {
        // Written beside, then renamed: a reader never sees half a file. The sidecar goes last,
        // so a machine file without its sidecar is never loaded.
        const auto file = machineFilePath(module.key);
        const auto temporary = file + ".tmp" + std::to_string(reinterpret_cast<std::uintptr_t>(&module));
        if (writeDSPFactoryToMachineFile(module.factory.get(), temporary, ""))
        {
            fs::rename(temporary, file, ec);
            if (!ec)
            {
                std::ofstream(sidecarPath(module.key) + ".tmp", std::ios::binary) << sidecarText();
                fs::rename(sidecarPath(module.key) + ".tmp", sidecarPath(module.key), ec);
                module.machineCodeBytes = static_cast<std::int64_t>(fs::file_size(file, ec));
                return;
            }
        }
        fs::remove(temporary, ec);
    }
    // No disk cache (or it cannot be written): the size of the machine code in memory.
    module.machineCodeBytes = static_cast<std::int64_t>(writeDSPFactoryToMachine(module.factory.get(), "").size());
}
} // namespace wb::faustrt
