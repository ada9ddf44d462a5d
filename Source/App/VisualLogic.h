#pragma once
// The visualisers' pure logic, JUCE-free so the unit tests compile it directly (Tests/App):
// reassembling scope FrameChunks into a message-thread ring (gaps detected by sequence number),
// finding a rising zero-crossing trigger, dB mapping, the spectrum's decaying peak hold and the
// log-frequency axis. Everything here runs on the message thread.
#include "Core/Realtime/Telemetry.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wb::app::vis
{
/// 20 log10(gain); -infinity for 0 (silence) and below.
[[nodiscard]] double gainToDb(double gain) noexcept;
/// "-12.3 dB", or "-inf dB" for silence (gain <= 0).
[[nodiscard]] std::string formatDb(double db);
/// Maps dB in [minDb, maxDb] to [0, 1] (clamped; -inf gives 0).
[[nodiscard]] double dbToUnit(double db, double minDb, double maxDb) noexcept;

/// Log frequency axis: f in [lo, hi] to [0, 1] and back.
[[nodiscard]] double freqToUnit(double hz, double lo = 20.0, double hi = 20000.0) noexcept;
[[nodiscard]] double unitToFreq(double u, double lo = 20.0, double hi = 20000.0) noexcept;

/// The most recent samples of one scope stream. Chunks are appended in order; when a chunk's
/// sequence is not the one expected (the lossy queue dropped some), the ring restarts so no
/// window ever spans a gap. `contiguous()` says how many samples are valid and gap-free.
class SampleRing
{
public:
    explicit SampleRing(std::size_t capacity);
    void push(const FrameChunk& chunk);
    void push(std::span<const float> samples, std::uint64_t sequence);
    /// Copies the newest `out.size()` samples (oldest first); false when fewer are contiguous.
    bool latest(std::span<float> out) const;
    [[nodiscard]] std::size_t contiguous() const noexcept { return count; }
    [[nodiscard]] std::size_t capacity() const noexcept { return buffer.size(); }
    [[nodiscard]] std::uint64_t gaps() const noexcept { return gapCount; }
    [[nodiscard]] std::uint64_t totalSamples() const noexcept { return total; }
    void clear() noexcept { count = 0; haveSequence = false; }

private:
    std::vector<float> buffer;
    std::size_t write = 0, count = 0;
    std::uint64_t nextSequence = 0, gapCount = 0, total = 0;
    bool haveSequence = false;
};

/// Index i of the last rising crossing of `level` (x[i-1] < level <= x[i]) with i + span <= x.size()
/// and i >= 1; -1 when there is none. Small hysteresis: the signal must have been below
/// level - hysteresis since the previous crossing, so noise around the level does not retrigger.
[[nodiscard]] long findRisingTrigger(std::span<const float> x, std::size_t span, float level = 0.0f,
                                     float hysteresis = 0.0f) noexcept;

/// Decaying peak hold over a vector of dB values: each element follows a new maximum at once and
/// otherwise falls at `decayDbPerSecond` after being held for `holdSeconds`.
class PeakHold
{
public:
    PeakHold(double holdSeconds, double decayDbPerSecond);
    void update(std::span<const double> db, double dtSeconds);
    [[nodiscard]] const std::vector<double>& values() const noexcept { return held; }
    void reset() { held.clear(); age.clear(); }

private:
    double holdSeconds, decay;
    std::vector<double> held, age;
};

/// Repaint gate for the visualisers: true when the two point sets differ in size or any point
/// moved by at least `tolerance` (pixels). Equal sets mean the picture on screen is unchanged.
[[nodiscard]] bool movedBy(std::span<const float> before, std::span<const float> after, float tolerance) noexcept;

/// Drag to reorder a vertical list of `count` rows spaced `rowPitch` pixels apart (row i spans
/// [i * rowPitch, (i + 1) * rowPitch)): the insertion gap nearest to `y`, 0 (before the first
/// row) .. count (after the last). y outside the list clamps to the nearest end; 0 when the list
/// is empty or rowPitch <= 0.
[[nodiscard]] int dropGapForY(double y, double rowPitch, int count) noexcept;
/// The index the row dragged from `from` ends up at when dropped into `gap` (0..count), as
/// EffectChainNode::moveEffectFromUi takes it (taken out, then inserted): a gap below the row
/// counts one less. Equals `from` when the drop changes nothing (the gaps right above and below
/// the row); -1 when `from` or `gap` is out of range.
[[nodiscard]] int dropTargetIndex(int from, int gap, int count) noexcept;

/// The last `capacity` values of a figure (the monitor's load history), oldest first by index.
class History
{
public:
    explicit History(std::size_t capacity) : data(capacity, 0.0) {}
    void push(double v) noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return count; }
    [[nodiscard]] double at(std::size_t i) const noexcept; ///< 0 = oldest
    [[nodiscard]] std::size_t capacity() const noexcept { return data.size(); }

private:
    std::vector<double> data;
    std::size_t write = 0, count = 0;
};
} // namespace wb::app::vis
