#pragma once
// Band-limited square, saw and triangle from mip-mapped wavetables.
//
// Method: prepare() builds, by inverse FFT, one table per "harmonic budget" K (the highest
// harmonic it holds). Budgets step by about a quarter octave, so the top harmonic played always
// lies between 0.84 * fs/2 and fs/2 and never above it. A table holding K harmonics has at least
// kOversampling * K points, so linear interpolation between points puts its error products at
// least ~ -100 dB below the fundamental (they are what alias; the table content itself is
// alias-free by construction). The measured alias rejection is in SignalsTest.cpp.
// Each table is normalised to a (true) peak of 1; its RMS follows from Parseval.
//
// Latency 0. Frequency changes keep the phase; crossing into another table switches the top
// harmonics on or off (they lie above 0.84 * fs/2, so they are small).
#include <cstdint>
#include <memory>
#include <vector>

namespace wb::signals
{
enum class WaveShape : std::uint8_t
{
    square,   ///< +1 for the first half cycle, -1 for the second: odd harmonics 1/k
    saw,      ///< rising ramp -1 .. +1 over the cycle: all harmonics 1/k
    triangle, ///< 0 at phase 0, +1 at 1/4, -1 at 3/4: odd harmonics 1/k^2
};

class BandLimitedWave
{
public:
    static constexpr int kLatencySamples = 0;
    static constexpr int kOversampling = 32;   ///< table points per period of the top harmonic
    static constexpr int kMinTableSize = 4096;
    static constexpr int kMaxTableSize = 65536;
    static constexpr int kMaxHarmonic = kMaxTableSize / kOversampling; ///< full band from fs/4096

    explicit BandLimitedWave(WaveShape shape = WaveShape::saw) noexcept : shape_(shape) {}

    void setShape(WaveShape shape) noexcept { shape_ = shape; } ///< takes effect at prepare()

    /// The tables do not depend on the sample rate: each shape's set is built once per process
    /// (~30 ms, ~2 MB) on the first prepare() and shared, read-only, by every instance after it.
    void prepare(double sampleRate, int maxBlockSize);

    /// Builds every shape's tables now, one thread per shape, and waits (a no-op once built).
    /// Call it early, on any thread, so that prepare() finds them ready (the app starts it on a
    /// worker at launch; SignalGenerator::prepare calls it before preparing the three waves).
    static void buildAllTables();

    /// Phase-continuous; picks the table with the most harmonics that stay below fs/2.
    void setFrequency(double hz) noexcept;
    void reset(double startPhase = 0.0) noexcept;
    void process(float* out, int n) noexcept;

    /// True peak of the current table: 1 (normalised).
    [[nodiscard]] double peak() const noexcept { return 1.0; }
    /// RMS of the current table (Parseval), for a peak of 1.
    [[nodiscard]] double rms() const noexcept;
    /// Highest harmonic number in the current table.
    [[nodiscard]] int topHarmonic() const noexcept;
    [[nodiscard]] WaveShape shape() const noexcept { return shape_; }

private:
    struct Table
    {
        std::size_t offset = 0; ///< into the pool; size + 1 points (a guard point for interpolation)
        int size = 0;
        int topHarmonic = 0;
        double rms = 0.0;
    };

    struct TableSet
    {
        std::vector<Table> tables; ///< ascending topHarmonic
        std::vector<float> pool;
    };
    static constexpr int kNumShapes = 3;
    static TableSet buildTables(WaveShape shape);
    static std::shared_ptr<const TableSet> sharedTables(WaveShape shape);

    WaveShape shape_;
    double sampleRate_ = 48000.0;
    double frequency_ = 1000.0;
    double increment_ = 0.0;
    double phase_ = 0.0;
    int current_ = 0;
    std::shared_ptr<const TableSet> set_;
};
} // namespace wb::signals
