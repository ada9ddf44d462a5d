// Faust at run time (issue 12): what loading costs, and how fast the JIT code runs.
//   FaustRuntime/compile_cold/<id>  expand + LLVM compile of Faust/<Stem>.dsp (no cache)
//   FaustRuntime/memory_hit/<id>    FaustModuleCache::load of a module already in memory (it still
//                                   expands the file to learn the key: that is most of the cost)
//   FaustRuntime/disk_hit/<id>      a fresh cache (as a second launch) reading the machine code
//   FaustRuntime/jit/<id> vs FaustRuntime/built_in/<id>: bare compute() ns/frame of the runtime
//                                   module and of the build-time class, stereo, 64-frame blocks,
//                                   registered as pairs so they run back to back.
// Every cache writes under a private temporary folder.
#include "Faust/FaustCatalogue.h"
#include "FaustRuntime/FaustModuleCache.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace
{
namespace fs = std::filesystem;
using wb::faustrt::CompileError;
using wb::faustrt::FaustModuleCache;
using wb::faustrt::FaustSource;

constexpr int kBlock = 64;
constexpr int kRate = 48000;

FaustSource sourceOf(const std::string& className)
{
    return FaustSource::file(std::string(WB_EFFECT_DSP_DIR) + "/" + className + ".dsp");
}

std::string cacheDir(const std::string& name)
{
    const auto dir = fs::temp_directory_path() / ("wb-faustrt-bench-" + std::to_string(::getpid())) / name;
    fs::create_directories(dir);
    return dir.string();
}

void BM_CompileCold(benchmark::State& state, std::string className)
{
    const auto source = sourceOf(className);
    for (auto _ : state)
    {
        CompileError error;
        const auto expanded = wb::faustrt::expandSource(source, error);
        auto module = wb::faustrt::compileExpanded(source, *expanded, error);
        if (module == nullptr)
            state.SkipWithError(error.text().c_str());
        benchmark::DoNotOptimize(module);
    }
}

void BM_MemoryHit(benchmark::State& state, std::string className)
{
    const auto source = sourceOf(className);
    FaustModuleCache cache({""});
    CompileError error;
    auto held = cache.load(source, error); // compiled once, outside the timing
    for (auto _ : state)
        benchmark::DoNotOptimize(cache.load(source, error));
    if (cache.stats().compiles != 1)
        state.SkipWithError("a memory hit compiled");
}

void BM_DiskHit(benchmark::State& state, std::string className)
{
    const auto source = sourceOf(className);
    const auto dir = cacheDir("disk-" + className);
    CompileError error;
    {
        FaustModuleCache first({dir});
        (void) first.load(source, error); // writes the machine code
    }
    for (auto _ : state)
    {
        FaustModuleCache again({dir});
        auto m = again.load(source, error);
        if (m == nullptr || !m->fromDisk)
            state.SkipWithError("not a disk hit");
        benchmark::DoNotOptimize(m);
    }
}

/// Bare compute() on a stereo -12 dBFS 1 kHz sine, ns per frame.
void runCompute(benchmark::State& state, ::dsp& dsp)
{
    dsp.init(kRate);
    std::vector<std::vector<float>> in(2, std::vector<float>(kBlock)), out(2, std::vector<float>(kBlock));
    std::vector<float> src(4800);
    for (size_t i = 0; i < src.size(); ++i)
        src[i] = 0.25f * static_cast<float>(std::sin(2.0 * M_PI * 1000.0 * double(i) / kRate));
    float* ins[2] = {in[0].data(), in[1].data()};
    float* outs[2] = {out[0].data(), out[1].data()};
    size_t pos = 0;
    for (auto _ : state)
    {
        std::copy_n(src.data() + pos, kBlock, ins[0]);
        std::copy_n(src.data() + pos, kBlock, ins[1]);
        pos = (pos + kBlock) % src.size();
        dsp.compute(kBlock, ins, outs);
        benchmark::DoNotOptimize(outs[0]);
        benchmark::ClobberMemory();
    }
    state.counters["ns_per_frame"] = benchmark::Counter(double(state.iterations() * kBlock),
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Jit(benchmark::State& state, std::string className)
{
    static FaustModuleCache cache({""});
    CompileError error;
    const auto module = cache.load(sourceOf(className), error);
    auto dsp = wb::faustrt::createInstance(module);
    runCompute(state, *dsp);
}

void BM_BuiltIn(benchmark::State& state, std::string id)
{
    auto dsp = wb::faust::findEffect(id)->create();
    runCompute(state, *dsp);
}

/// Resident set size in KiB (/proc/self/statm).
double rssKiB()
{
    std::ifstream f("/proc/self/statm");
    long pages = 0, resident = 0;
    f >> pages >> resident;
    return double(resident) * double(::sysconf(_SC_PAGESIZE)) / 1024.0;
}

/// RSS growth per reload of zita_rev1 (the Reverb): `changed` content compiles and deletes a
/// factory each time (libfaust 2.54.9 leaks there); the same content is a memory hit (expansion only).
void BM_RssPerReload(benchmark::State& state, bool changed)
{
    std::ifstream in(std::string(WB_EFFECT_DSP_DIR) + "/Reverb.dsp");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("process ="), 9, "reverb =");
    FaustModuleCache cache({""});
    CompileError error;
    auto sourceFor = [&](int k) {
        return FaustSource::text("zita", text + "\nprocess = reverb : *(" + std::to_string(1.0 + 1e-4 * k) + "), _;\n",
                                 WB_EFFECT_DSP_DIR);
    };
    (void) cache.load(sourceFor(0), error); // warm: libraries loaded, first allocations made
    const double before = rssKiB();
    int k = 0;
    for (auto _ : state)
    {
        ++k;
        auto m = cache.load(sourceFor(changed ? k : 0), error);
        if (m == nullptr)
            state.SkipWithError(error.text().c_str());
        const std::string key = m != nullptr ? m->key : std::string();
        m.reset();
        if (changed) // the new module replaces the old: dropped, its factory deleted, as a hot reload does
            (void) cache.evict(key);
    }
    state.counters["rss_kib_per_reload"] = (rssKiB() - before) / double(k);
    state.counters["compiles"] = double(cache.stats().compiles);
}

const bool registered = [] {
    benchmark::RegisterBenchmark("FaustRuntime/rss_per_reload/changed", BM_RssPerReload, true)
        ->Unit(benchmark::kMillisecond)->Iterations(30);
    benchmark::RegisterBenchmark("FaustRuntime/rss_per_reload/same", BM_RssPerReload, false)
        ->Unit(benchmark::kMillisecond)->Iterations(30);
    for (const auto& e : wb::faust::catalogue())
    {
        const std::string id = e.id, cls = e.className;
        benchmark::RegisterBenchmark(("FaustRuntime/compile_cold/" + id).c_str(), BM_CompileCold, cls)
            ->Unit(benchmark::kMillisecond)->Iterations(3);
        benchmark::RegisterBenchmark(("FaustRuntime/memory_hit/" + id).c_str(), BM_MemoryHit, cls)
            ->Unit(benchmark::kMillisecond)->Iterations(5);
        benchmark::RegisterBenchmark(("FaustRuntime/disk_hit/" + id).c_str(), BM_DiskHit, cls)
            ->Unit(benchmark::kMillisecond)->Iterations(5);
        benchmark::RegisterBenchmark(("FaustRuntime/built_in/" + id).c_str(), BM_BuiltIn, id);
        benchmark::RegisterBenchmark(("FaustRuntime/jit/" + id).c_str(), BM_Jit, cls);
    }
    return true;
}();
} // namespace
