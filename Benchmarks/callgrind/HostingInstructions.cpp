// Hosting overhead as an instruction-count ratio (issue 5), noise-free: run under
//   valgrind --tool=callgrind build/release/bin/wavebench_hosting_instructions
// For every catalogue effect, bare (dsp->compute) and node (FaustEffectNode::processBlock), it
// runs 750 warm-up blocks, zeroes callgrind's counters, runs kBlocks measured blocks, and dumps
// the counters under the name "<mode>/<id>"; Benchmarks/callgrind_hosting.sh reads the dumps.
// Same input and same per-block copy as FaustHostingBench.cpp. Outside valgrind the client
// requests do nothing and the program just runs.
#include "Engine/FaustEffectNode.h"
#include "Faust/FaustCatalogue.h"

#include <valgrind/callgrind.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace
{
constexpr int kBlock = 64;
constexpr double kRate = 48000.0;
constexpr int kSourceFrames = 4800;
constexpr int kWarmup = 750, kBlocks = 750; // 1 s each

std::vector<float> source()
{
    std::vector<float> v(kSourceFrames);
    for (int i = 0; i < kSourceFrames; ++i)
        v[size_t(i)] = 0.25f * static_cast<float>(std::sin(2.0 * M_PI * 1000.0 * i / kRate));
    return v;
}

void runBare(const std::string& id, const std::vector<float>& src)
{
    auto dsp = wb::faust::findEffect(id)->create();
    dsp->init(static_cast<int>(kRate));
    std::vector<float> in0(kBlock), in1(kBlock), out0(kBlock), out1(kBlock);
    float* ins[] = {in0.data(), in1.data()};
    float* outs[] = {out0.data(), out1.data()};
    int pos = 0;
    auto block = [&] {
        for (int ch = 0; ch < dsp->getNumInputs(); ++ch)
            std::copy_n(src.data() + pos, kBlock, ins[ch]);
        pos = (pos + kBlock) % kSourceFrames;
        dsp->compute(kBlock, ins, outs);
    };
    for (int i = 0; i < kWarmup; ++i)
        block();
    CALLGRIND_ZERO_STATS;
    for (int i = 0; i < kBlocks; ++i)
        block();
    const std::string name = "bare/" + id; // named: the macro keeps only the pointer
    CALLGRIND_DUMP_STATS_AT(name.c_str());
}

void runNode(const std::string& id, const std::vector<float>& src)
{
    auto node = wb::FaustEffectNode::create(id);
    node->prepareToPlay(kRate, kBlock);
    juce::AudioBuffer<float> buf(2, kBlock);
    juce::MidiBuffer midi;
    int pos = 0;
    auto block = [&] {
        for (int ch = 0; ch < 2; ++ch)
            std::copy_n(src.data() + pos, kBlock, buf.getWritePointer(ch));
        pos = (pos + kBlock) % kSourceFrames;
        node->processBlock(buf, midi);
    };
    for (int i = 0; i < kWarmup; ++i)
        block();
    CALLGRIND_ZERO_STATS;
    for (int i = 0; i < kBlocks; ++i)
        block();
    const std::string name = "node/" + id;
    CALLGRIND_DUMP_STATS_AT(name.c_str());
}
} // namespace

int main(int argc, char** argv)
{
    const auto src = source();
    for (const auto& e : wb::faust::catalogue())
    {
        if (argc > 1 && std::string(argv[1]) != e.id)
            continue;
        runBare(e.id, src);
        runNode(e.id, src);
        std::printf("case %s\n", e.id); // callgrind_hosting.sh checks every case was counted
    }
    std::printf("%d blocks of %d frames per case\n", kBlocks, kBlock);
    return 0;
}
