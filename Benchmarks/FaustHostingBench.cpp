// Hosting overhead (issue 5): every catalogue effect inside FaustEffectNode::processBlock against
// the same Faust class called bare (dsp->compute), in one run. Stereo, 48 kHz, 64-frame blocks.
//
// Both cases get the same input: a -12 dBFS 1 kHz sine (100 periods, cycled), copied into the
// buffers the effect reads at every block. The copy is in both loops, so the difference between
// the two is the node's own work (input copy + NaN scan, event loop, output scan, bypass test).
// Cases are registered in pairs, Bare then Node for each effect, so a pair runs back to back.
#include "Engine/FaustEffectNode.h"
#include "Faust/FaustCatalogue.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <string>
#include <vector>

namespace
{
constexpr int kBlock = 64;
constexpr double kRate = 48000.0;
constexpr int kSourceFrames = 4800; // 100 periods of 1 kHz: the cycle is seamless

const std::vector<float>& sourceSignal()
{
    static const std::vector<float> s = [] {
        std::vector<float> v(kSourceFrames);
        for (int i = 0; i < kSourceFrames; ++i)
            v[size_t(i)] = 0.25f * static_cast<float>(std::sin(2.0 * M_PI * 1000.0 * i / kRate));
        return v;
    }();
    return s;
}

void BM_FaustBare(benchmark::State& state, std::string id)
{
    auto dsp = wb::faust::findEffect(id)->create();
    dsp->init(static_cast<int>(kRate));
    const int nIn = dsp->getNumInputs(), nOut = dsp->getNumOutputs();
    std::vector<std::vector<float>> in(size_t(std::max(nIn, 1)), std::vector<float>(kBlock));
    std::vector<std::vector<float>> out(size_t(std::max(nOut, 1)), std::vector<float>(kBlock));
    std::vector<float*> ins, outs;
    for (auto& v : in)
        ins.push_back(v.data());
    for (auto& v : out)
        outs.push_back(v.data());
    const auto& src = sourceSignal();
    int pos = 0;
    for (auto _ : state)
    {
        for (int ch = 0; ch < nIn; ++ch)
            std::copy_n(src.data() + pos, kBlock, ins[size_t(ch)]);
        pos = (pos + kBlock) % kSourceFrames;
        dsp->compute(kBlock, ins.data(), outs.data());
        benchmark::DoNotOptimize(outs[0]);
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
    state.counters["ns_per_frame"] = benchmark::Counter(double(state.iterations() * kBlock),
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_FaustNode(benchmark::State& state, std::string id)
{
    auto node = wb::FaustEffectNode::create(id);
    node->prepareToPlay(kRate, kBlock);
    juce::AudioBuffer<float> buf(2, kBlock);
    juce::MidiBuffer midi;
    const auto& src = sourceSignal();
    int pos = 0;
    for (auto _ : state)
    {
        for (int ch = 0; ch < 2; ++ch)
            std::copy_n(src.data() + pos, kBlock, buf.getWritePointer(ch));
        pos = (pos + kBlock) % kSourceFrames;
        node->processBlock(buf, midi);
        benchmark::DoNotOptimize(buf.getReadPointer(0));
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations() * kBlock);
    state.counters["ns_per_frame"] = benchmark::Counter(double(state.iterations() * kBlock),
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

const bool registered = [] {
    for (const auto& e : wb::faust::catalogue())
    {
        const std::string id = e.id;
        benchmark::RegisterBenchmark(("FaustHosting/bare/" + id).c_str(), BM_FaustBare, id);
        benchmark::RegisterBenchmark(("FaustHosting/node/" + id).c_str(), BM_FaustNode, id);
    }
    return true;
}();
} // namespace
