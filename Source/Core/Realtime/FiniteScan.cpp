#include "Core/Realtime/FiniteScan.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define WB_FINITE_SCAN_X86 1
#endif

namespace wb
{
namespace detail
{
/// A float is not finite exactly when its exponent bits are all ones, i.e. when
/// (bits & 0x7fffffff) + 0x00800000 carries into bit 31. OR-reduced over fixed chunks of 16
/// samples, no branch, so that -O2's cheap vectoriser handles the chunk loop.
bool anyNonFinitePortable(const float* x, int n) noexcept
{
    constexpr int kChunk = 16;
    std::uint32_t acc = 0;
    int i = 0;
    for (; i + kChunk <= n; i += kChunk)
    {
        std::uint32_t bits[kChunk];
        std::memcpy(bits, x + i, sizeof bits);
        for (int k = 0; k < kChunk; ++k)
            acc |= (bits[k] & 0x7fffffffu) + 0x00800000u;
    }
    for (; i < n; ++i)
        acc |= (std::bit_cast<std::uint32_t>(x[i]) & 0x7fffffffu) + 0x00800000u;
    return (acc & 0x80000000u) != 0;
}

// Not inlined into the dispatcher below: inlined, its register saves would run before the
// dispatch test on every call, also on the vector path.
[[gnu::noinline]] bool anyNonFinitePortable(const float* const* channels, int numChannels, int offset, int n) noexcept
{
    bool bad = false;
    for (int c = 0; c < numChannels; ++c)
        bad = anyNonFinitePortable(channels[c] + offset, n) || bad;
    return bad;
}

#if WB_FINITE_SCAN_X86
/// acc = acc + 0 * x, 8 lanes, the load folded into the FMA: one instruction per 8 samples. Exact whatever MXCSR says: 0 * finite = +-0 (also for a
/// subnormal, flushed by DAZ or not), 0 + -0 = +0, and 0 * Inf or anything with NaN is NaN.
__attribute__((target("avx2,fma"))) bool anyNonFiniteVector(const float* const* channels, int numChannels, int offset,
                                                             int n) noexcept
{
    // Kept lean for the common 64-frame block: 64 samples per step (8 FMAs, two accumulators for
    // the FMA latency, few live registers so no callee-saved pushes), then 8 per step, then a
    // scalar tail (only when n is not a multiple of 8).
    const __m256 zero = _mm256_setzero_ps();
    __m256 a0 = zero, a1 = zero;
    float tail = 0.0f;
    for (int c = 0; c < numChannels; ++c)
    {
        const float* p = channels[c] + offset;
        const float* const end = p + n;
        for (; end - p >= 64; p += 64)
        {
            a0 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p), a0);
            a1 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 8), a1);
            a0 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 16), a0);
            a1 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 24), a1);
            a0 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 32), a0);
            a1 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 40), a1);
            a0 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 48), a0);
            a1 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p + 56), a1);
        }
        for (; end - p >= 8; p += 8)
            a0 = _mm256_fmadd_ps(zero, _mm256_loadu_ps(p), a0);
        for (; p != end; ++p)
            tail = std::fma(0.0f, *p, tail);
    }
    const __m256 acc = _mm256_add_ps(a0, a1);
    return (_mm256_movemask_ps(_mm256_cmp_ps(acc, acc, _CMP_UNORD_Q)) != 0) | std::isnan(tail);
}

__attribute__((target("avx2,fma"))) bool anyNonFiniteVector(const float* x, int n) noexcept
{
    return anyNonFiniteVector(&x, 1, 0, n);
}

bool hasVectorFiniteScan() noexcept
{
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return has;
}
#else
bool anyNonFiniteVector(const float* x, int n) noexcept { return anyNonFinitePortable(x, n); }
bool anyNonFiniteVector(const float* const* channels, int numChannels, int offset, int n) noexcept
{
    return anyNonFinitePortable(channels, numChannels, offset, n);
}
bool hasVectorFiniteScan() noexcept { return false; }
#endif
} // namespace detail

namespace
{
// Chosen once at load time (before any audio runs), so the audio thread never initialises it.
const bool useVectorScan = detail::hasVectorFiniteScan();
} // namespace

bool anyNonFinite(const float* x, int n) noexcept
{
    return useVectorScan ? detail::anyNonFiniteVector(x, n) : detail::anyNonFinitePortable(x, n);
}

bool anyNonFinite(const float* const* channels, int numChannels, int offset, int n) noexcept
{
    return useVectorScan ? detail::anyNonFiniteVector(channels, numChannels, offset, n)
                         : detail::anyNonFinitePortable(channels, numChannels, offset, n);
}

bool scrubNonFinite(float* const* channels, int numChannels, int offset, int n) noexcept
{
    if (!anyNonFinite(channels, numChannels, offset, n))
        return false;
    for (int c = 0; c < numChannels; ++c)
        for (int i = offset; i < offset + n; ++i)
            if (!std::isfinite(channels[c][i]))
                channels[c][i] = 0.0f;
    return true;
}

bool scrubNonFinite(float* x, int n) noexcept
{
    if (!anyNonFinite(x, n))
        return false;
    for (int i = 0; i < n; ++i)
        if (!std::isfinite(x[i]))
            x[i] = 0.0f;
    return true;
}
} // namespace wb
