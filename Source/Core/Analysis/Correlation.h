#pragma once
// Stereo phase correlation: r = sum(L*R) / sqrt(sum(L^2) * sum(R^2)) over a sliding window,
// the figure a phase-correlation meter shows. +1: identical channels (mono), -1: L = -R (one
// channel's polarity inverted), ~0: unrelated signals (independent noise, or sine and cosine).
// JUCE-free; message thread (the UI feeds it the scope frames of both channels).
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace wb::analysis
{
/// The correlation of two equal-length blocks; nullopt when either is silent (energy below
/// `silence` per sample: there is no phase to speak of) or the lengths differ.
[[nodiscard]] std::optional<double> correlation(std::span<const float> left, std::span<const float> right,
                                                double silence = 1e-12) noexcept;

/// The correlation over the last `windowSamples` pairs, updated block by block. Allocates in its
/// constructor only.
class CorrelationMeter
{
public:
    explicit CorrelationMeter(std::size_t windowSamples);
    /// Adds a block of pairs (lengths must match; the shorter length is used otherwise).
    void push(std::span<const float> left, std::span<const float> right) noexcept;
    /// The correlation over the window; nullopt before any data or while either channel is silent.
    [[nodiscard]] std::optional<double> value() const noexcept;
    void reset() noexcept;

private:
    std::vector<float> l, r; // ring of the window's pairs
    std::size_t write = 0, count = 0;
    // Sums kept exact-ish by recomputing from the ring now and then (sliding sums drift).
    double slr = 0.0, sll = 0.0, srr = 0.0;
    std::size_t sinceRecompute = 0;
    void recompute() noexcept;
};
} // namespace wb::analysis
