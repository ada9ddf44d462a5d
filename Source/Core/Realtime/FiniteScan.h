#pragma once
// NaN/Inf detection for audio blocks, on the real-time path of every effect node (run on each
// block's input and output), so it must cost well under one instruction per sample.
//   anyNonFinite      - true when a block holds a NaN or an Inf. On x86-64 CPUs with AVX2 + FMA
//                       (chosen once at load time) one fused multiply-add per 8 samples:
//                       acc = acc + 0 * x stays 0 while every x is finite and turns NaN at the
//                       first NaN or Inf (0 * Inf = NaN), and NaN is sticky. Elsewhere a portable
//                       branch-free test of the exponent bits.
//   scrubNonFinite    - the containment: replaces NaN/Inf by 0, only walks the block sample by
//                       sample when the fast test found one.
// Subnormals and -0 are finite. Nothing here allocates, locks or makes a syscall. JUCE-free.
namespace wb
{
/// Returns: true when x[0..n) holds a NaN or an Inf. Wait-free.
[[nodiscard]] bool anyNonFinite(const float* x, int n) noexcept;

/// Effects: replaces every NaN/Inf in x[0..n) by 0. Returns: true when there was one. Wait-free.
bool scrubNonFinite(float* x, int n) noexcept;

/// The same over channels[c][offset .. offset + n) for every c < numChannels, in one call (one
/// dispatch, one reduction: what a node runs on a block). Wait-free.
[[nodiscard]] bool anyNonFinite(const float* const* channels, int numChannels, int offset, int n) noexcept;
bool scrubNonFinite(float* const* channels, int numChannels, int offset, int n) noexcept;

namespace detail
{
/// The two implementations behind anyNonFinite, for tests and benchmarks. The vector one may be
/// called only when hasVectorFiniteScan() is true.
[[nodiscard]] bool anyNonFinitePortable(const float* x, int n) noexcept;
[[nodiscard]] bool anyNonFiniteVector(const float* x, int n) noexcept;
[[nodiscard]] bool anyNonFinitePortable(const float* const* channels, int numChannels, int offset, int n) noexcept;
[[nodiscard]] bool anyNonFiniteVector(const float* const* channels, int numChannels, int offset, int n) noexcept;
[[nodiscard]] bool hasVectorFiniteScan() noexcept;
} // namespace detail
} // namespace wb
