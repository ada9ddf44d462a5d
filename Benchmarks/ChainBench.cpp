// Default chain cost (issue 5): SignalGenerator (1 kHz sine, -1 dBFS peak) -> EffectChainNode
// holding parametriceq -> compressor -> delay -> reverb at their defaults, stereo, 48 kHz,
// 64-frame blocks, through the real hosting path (the chain's processBlock, each effect's
// FaustEffectNode). Counter `pct_of_core` = time per block / (64 / 48000 s) * 100, i.e. the
// share of one core's real-time budget. The chain is warmed up for 1 s first, so the inserts'
// crossfades (20 ms) are over and the reverb and delay are full.
#include "Core/Signals/SignalGenerator.h"
#include "Engine/EffectChainNode.h"

#include <benchmark/benchmark.h>

namespace
{
constexpr int kBlock = 64;
constexpr double kRate = 48000.0;
constexpr double kBudgetSeconds = kBlock / kRate;

void BM_DefaultChain(benchmark::State& state)
{
    wb::SignalGenerator gen;
    gen.prepare(kRate, kBlock);
    wb::SignalSettings settings;
    settings.kind = wb::SignalKind::sine;
    settings.freq = 1000.0;
    settings.levelDb = -1.0;
    settings.duration = 0.0; // endless
    gen.setSettings(settings);

    wb::EffectChainNode chain;
    chain.prepareToPlay(kRate, kBlock);
    for (const char* id : {"parametriceq", "compressor", "delay", "reverb"})
        if (chain.addEffectFromUi(id) == 0)
        {
            state.SkipWithError("could not add an effect");
            return;
        }

    juce::AudioBuffer<float> buf(2, kBlock);
    juce::MidiBuffer midi;
    auto block = [&] {
        gen.process(buf.getArrayOfWritePointers(), 2, kBlock);
        chain.processBlock(buf, midi);
    };
    for (int i = 0; i < static_cast<int>(kRate) / kBlock; ++i) // 1 s warm-up
        block();
    if (chain.activeCountOnAudio() != 4)
    {
        state.SkipWithError("the chain does not hold the 4 effects");
        return;
    }
    for (auto _ : state)
    {
        block();
        benchmark::DoNotOptimize(buf.getReadPointer(0));
        benchmark::ClobberMemory();
    }
    const double iters = double(state.iterations());
    state.SetItemsProcessed(state.iterations() * kBlock);
    state.counters["ns_per_frame"] = benchmark::Counter(iters * kBlock, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["pct_of_core"] = benchmark::Counter(iters * kBudgetSeconds / 100.0,
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// The same with the generator alone, to split the figure.
void BM_GeneratorOnly(benchmark::State& state)
{
    wb::SignalGenerator gen;
    gen.prepare(kRate, kBlock);
    wb::SignalSettings settings;
    settings.duration = 0.0;
    gen.setSettings(settings);
    juce::AudioBuffer<float> buf(2, kBlock);
    for (auto _ : state)
    {
        gen.process(buf.getArrayOfWritePointers(), 2, kBlock);
        benchmark::DoNotOptimize(buf.getReadPointer(0));
        benchmark::ClobberMemory();
    }
    const double iters = double(state.iterations());
    state.counters["pct_of_core"] = benchmark::Counter(iters * kBudgetSeconds / 100.0,
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
} // namespace

BENCHMARK(BM_DefaultChain)->Name("DefaultChain/gen+eq+comp+delay+reverb");
BENCHMARK(BM_GeneratorOnly)->Name("DefaultChain/generator_only");
