// Hosting overhead: a Faust effect inside FaustEffectNode against the same class called bare,
// in one run. 2 channels, 64-frame blocks at 48 kHz.
#include "Engine/FaustEffectNode.h"
#include "Faust/FaustCatalogue.h"

#include <benchmark/benchmark.h>

namespace
{
constexpr int kBlock = 64;

void BM_FaustBare(benchmark::State& state, const char* id)
{
    auto dsp = wb::faust::findEffect(id)->create();
    dsp->init(48000);
    std::vector<float> in0(kBlock, 0.25f), in1(kBlock, 0.25f), out0(kBlock), out1(kBlock);
    float* ins[] = {in0.data(), in1.data()};
    float* outs[] = {out0.data(), out1.data()};
    for (auto _ : state)
    {
        dsp->compute(kBlock, ins, outs);
        benchmark::DoNotOptimize(out0.data());
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
}

void BM_FaustNode(benchmark::State& state, const char* id)
{
    auto node = wb::FaustEffectNode::create(id);
    node->prepareToPlay(48000, kBlock);
    juce::AudioBuffer<float> buf(2, kBlock);
    juce::MidiBuffer midi;
    for (auto _ : state)
    {
        for (int ch = 0; ch < 2; ++ch)
            juce::FloatVectorOperations::fill(buf.getWritePointer(ch), 0.25f, kBlock);
        node->processBlock(buf, midi);
        benchmark::DoNotOptimize(buf.getReadPointer(0));
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
}
} // namespace

BENCHMARK_CAPTURE(BM_FaustBare, gain, "gain");
BENCHMARK_CAPTURE(BM_FaustNode, gain, "gain");
