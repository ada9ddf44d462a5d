#pragma once
// A simulated loopback cable: output fed back to input after a delay of integer + fractional
// samples, with a gain (negative inverts polarity) and optional white Gaussian noise.
// It is the kernel of the "Virtual loopback" device and the known truth of the latency tests.
//
// Fractional delays use a Kaiser-windowed sinc (64 taps, beta 9, DC gain normalised to 1):
// its phase delay is exact to better than 1e-5 sample below 0.1 cycle per sample, where the
// latency probe lives. A linear-phase FIR of T taps needs T/2 - 1 samples of delay of its own,
// so a fractional delay D below 31 samples uses a shorter sinc of 2 * (floor(D) + 1) taps
// (less accurate; 0.x samples is plain linear interpolation). Integer delays are exact copies.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wb::latency
{
struct LoopbackSettings
{
    double delaySamples = 0.0; ///< >= 0, integer and fractional part
    double gain = 1.0;         ///< linear; negative inverts polarity; 0 = "no cable"
    double noiseDb = -200.0;   ///< RMS of added white Gaussian noise, dBFS (<= -200: none)
    std::uint64_t seed = 1;    ///< noise seed (runs are reproducible)
};

class LoopbackLine
{
public:
    static constexpr int kMaxTaps = 64;

    /// Allocates the delay memory and designs the filter. Not for the audio thread.
    void prepare(const LoopbackSettings& settings);
    /// Audio thread: clears the line and restarts the noise sequence. Wait-free, no allocation.
    void reset() noexcept;
    /// Audio thread: in[n] -> out[n]. `in` and `out` may alias. Wait-free, no allocation.
    void process(const float* in, float* out, std::size_t count) noexcept;

    [[nodiscard]] const LoopbackSettings& settings() const noexcept { return config; }
    /// Whole samples of pure delay before the FIR (the FIR adds the rest).
    [[nodiscard]] std::int64_t integerDelay() const noexcept { return bulk; }
    [[nodiscard]] const std::vector<double>& taps() const noexcept { return kernel; }

private:
    float nextNoise() noexcept;

    LoopbackSettings config;
    std::vector<float> ring; // power-of-two size
    std::size_t mask = 0;
    std::size_t writePos = 0;
    std::int64_t bulk = 0;        // taps read from x[n - bulk - k]
    std::vector<double> kernel;   // FIR taps (1 tap = pure delay)
    double noiseRms = 0.0;
    std::uint64_t rngState = 1;
    bool haveSpare = false;
    double spare = 0.0;
};
} // namespace wb::latency
