// Hot reload (issue 12): the time from saving a .dsp to the new module running in the chain.
//   HotReload/save_to_audible/<id>: a new version of Faust/<Stem>.dsp (its output scaled by a
//   factor that changes each iteration, so every save is a real compile, never a cache hit) is
//   saved as editors save (write, rename); the app's 100 ms poll is simulated by polling every
//   10 ms with FileWatch's default 150 ms settle time; the time ends when the new instance is in
//   the chain's processing order (audible: its fade-in has started). Real time, one shot each.
// Every cache writes under a private temporary folder.
#include "Engine/DspHotReload.h"
#include "Engine/EffectChainNode.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <unistd.h>

namespace
{
namespace fs = std::filesystem;

std::string readText(const fs::path& p)
{
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void saveAs(const fs::path& p, const std::string& text)
{
    std::ofstream(p.string() + ".tmp", std::ios::trunc) << text;
    fs::rename(p.string() + ".tmp", p);
}

void BM_SaveToAudible(benchmark::State& state, std::string stem)
{
    const auto dir = fs::temp_directory_path() / ("wb-hotreload-bench-" + std::to_string(::getpid()) + "-" + stem);
    fs::create_directories(dir);
    ::setenv("WAVEBENCH_FAUST_CACHE", (dir / "cache").c_str(), 1);
    // The effect's own program, renamed so it is a new file beside its imports' folder.
    const std::string original = readText(fs::path(WB_EFFECT_DSP_DIR) / (stem + ".dsp"));
    const auto dsp = dir / (stem + "_live.dsp");
    // Version n: the effect's own program behind a gain of 1 - n * 1e-4 (its process wrapped:
    // `process = par(i, 2, *(k)) : (original);`), so each save compiles anew.
    const auto at = original.find("process");
    const auto eq = original.find('=', at);
    const auto end = original.find(';', eq);
    const auto version = [&](int n)
    {
        return original.substr(0, at) + "process = par(i, 2, *(" + std::to_string(1.0 - n * 1e-4) + ")) : ("
            + original.substr(eq + 1, end - eq - 1) + ")" + original.substr(end);
    };
    int n = 0;
    saveAs(dsp, version(n));
    wb::EffectChainNode chain;
    chain.prepareToPlay(48000.0, 64);
    wb::DspHotReload reload(chain);
    juce::AudioBuffer<float> buffer(2, 64);
    juce::MidiBuffer midi;
    const auto pollUntil = [&](auto done)
    {
        for (int i = 0; i < 6000 && !done(); ++i)
        {
            (void) reload.pollFromUi(wb::DspHotReload::Clock::now());
            buffer.clear();
            chain.processBlock(buffer, midi);
            chain.collectGarbageFromUi();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return done();
    };
    reload.addFileFromUi(dsp.string());
    if (!pollUntil([&] { return chain.activeCountOnAudio() == 1; }))
    {
        state.SkipWithError("the .dsp did not load");
        return;
    }
    for (auto _ : state)
    {
        const auto* before = chain.effectAtOnAudio(0);
        const auto start = std::chrono::steady_clock::now();
        saveAs(dsp, version(++n));
        const bool ok = pollUntil([&] { return chain.activeCountOnAudio() >= 1 && chain.effectAtOnAudio(0) != before; });
        const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!ok)
        {
            state.SkipWithError("the edit was not reloaded");
            return;
        }
        state.SetIterationTime(seconds);
        pollUntil([&] { return chain.activeCountOnAudio() == 1 && chain.pendingEditsOnAudio() == 0; });
    }
    fs::remove_all(dir);
}
} // namespace

BENCHMARK_CAPTURE(BM_SaveToAudible, reverb, std::string("Reverb"))->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SaveToAudible, lowpass, std::string("LowPass"))->UseManualTime()->Iterations(5)->Unit(benchmark::kMillisecond);
