#pragma once
// Drives a FaustEffectNode offline for property tests: whole signals through processBlock in
// blocks of a chosen size, and simple measurements (tone amplitude by quadrature projection).
#include "Engine/FaustEffectNode.h"
#include "Support/RealtimeGuard.h"

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace wb::test
{
struct StereoSignal
{
    std::vector<float> left, right;
    explicit StereoSignal(size_t n = 0) : left(n), right(n) {}
    [[nodiscard]] size_t size() const noexcept { return left.size(); }
};

inline StereoSignal sine(double freq, double amplitude, size_t n, double rate = 48000.0)
{
    StereoSignal s(n);
    for (size_t i = 0; i < n; ++i)
        s.left[i] = s.right[i] = static_cast<float>(amplitude * std::sin(2.0 * M_PI * freq * double(i) / rate));
    return s;
}

inline StereoSignal impulse(size_t n)
{
    StereoSignal s(n);
    s.left[0] = s.right[0] = 1.0f;
    return s;
}

/// Creates, prepares and configures a node: controls are set by label.
inline std::unique_ptr<FaustEffectNode> makeEffect(const std::string& id,
                                                   std::initializer_list<std::pair<const char*, float>> controls,
                                                   double rate = 48000.0, int maxBlock = 4096)
{
    auto node = FaustEffectNode::create(id);
    if (node == nullptr)
        return nullptr;
    node->prepareToPlay(rate, maxBlock);
    for (const auto& [label, value] : controls)
    {
        const int idx = node->findControl(label);
        if (idx < 0)
            return nullptr;
        node->setControlOnAudio(idx, value);
    }
    return node;
}

struct NothingBeforeBlock
{
    void operator()() const noexcept {}
};

/// Runs the signal through the node in blocks of `block` frames; returns the output.
/// `beforeEachBlock()` runs at the start of each block, as the engine's callback dispatches its
/// commands there. When `violations` is given, both run under a RealtimeGuard and what it counts
/// is added to it (never assert inside the guard: Catch2 allocates).
template <typename BeforeBlock = NothingBeforeBlock>
StereoSignal process(FaustEffectNode& node, const StereoSignal& in, int block, BeforeBlock&& beforeEachBlock = {},
                     RealtimeCounts* violations = nullptr)
{
    StereoSignal out(in.size());
    juce::AudioBuffer<float> buf(2, block);
    juce::MidiBuffer midi;
    for (size_t pos = 0; pos < in.size(); pos += size_t(block))
    {
        const int n = int(std::min(size_t(block), in.size() - pos));
        buf.setSize(2, n, false, false, true);
        std::copy_n(in.left.data() + pos, n, buf.getWritePointer(0));
        std::copy_n(in.right.data() + pos, n, buf.getWritePointer(1));
        {
            RealtimeGuard guard;
            beforeEachBlock();
            node.processBlock(buf, midi);
            if (violations != nullptr)
                *violations += guard.counts();
        }
        std::copy_n(buf.getReadPointer(0), n, out.left.data() + pos);
        std::copy_n(buf.getReadPointer(1), n, out.right.data() + pos);
    }
    return out;
}

/// Amplitude of the component at `freq` in x[from, from+count): projection onto sin and cos.
/// Exact for a pure tone when the window holds a whole number of cycles.
inline double toneAmplitude(const std::vector<float>& x, double freq, size_t from, size_t count,
                            double rate = 48000.0)
{
    double s = 0.0, c = 0.0;
    for (size_t i = from; i < from + count; ++i)
    {
        const double ph = 2.0 * M_PI * freq * double(i) / rate;
        s += double(x[i]) * std::sin(ph);
        c += double(x[i]) * std::cos(ph);
    }
    return 2.0 * std::sqrt(s * s + c * c) / double(count);
}

inline double toDb(double gain) { return 20.0 * std::log10(gain); }
} // namespace wb::test
