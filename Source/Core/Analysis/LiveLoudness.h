#pragma once
// LiveLoudness: EBU R128 loudness of the engine's outputs while they play (the app's meters panel,
// `wavebench monitor`), measured on the message thread from the scope frames the audio thread
// already publishes (FrameQueue: every sample of outputs 1 and 2 in 256-sample chunks, the two
// outputs in lockstep with the same sequence number and first sample index). Nothing is added to
// the audio thread.
//
// Those frames are lossy by design (a full ring drops a chunk). A dropped chunk is a gap: its
// frames are counted (framesLost) and never measured as silence; the figures then cover the frames
// measured, and whoever shows them says so. A first sample index that goes backwards is a device
// restarted: the measurement goes on from there, nothing counted lost.
//
// The gating is libebur128's exact one (every 100 ms block kept): libebur128's bounded histogram
// mode reads a steady -20.0 LUFS tone as -19.95 (0.1 LU bins), which a meter shown to 0.1 LU
// must not. The cost is memory that grows with the time measured: 11 small blocks a second
// (docs/PERFORMANCE.md has the measured figure); reset() frees it.
// Threads: one owner, the message thread. start(), reset(), push() (libebur128's block lists) and
// figures() allocate; none of it runs on the audio thread.
#include "Core/Analysis/Loudness.h"
#include "Core/Realtime/Telemetry.h"

#include <cstdint>
#include <memory>
#include <optional>

namespace wb
{
class LiveLoudness
{
public:
    /// What the meter shows. Loudness in LUFS, range in LU, true peak in dBTP (the loudest
    /// channel's since the start or the last reset); nullopt: no measurement yet (see Loudness.h).
    struct Figures
    {
        bool running = false;                 ///< start() was called with a measurable layout
        int numChannels = 0;                  ///< 1 (output 1, mono) or 2 (outputs 1-2, stereo)
        double sampleRate = 0.0;
        std::optional<double> momentaryLufs;  ///< the last 400 ms
        std::optional<double> shortTermLufs;  ///< the last 3 s
        std::optional<double> integratedLufs; ///< gated, since the start or the last reset
        std::optional<double> rangeLu;        ///< EBU Tech 3342, since the start or the last reset
        std::optional<double> truePeakDbtp;   ///< the largest since the start or the last reset
        std::int64_t framesMeasured = 0;      ///< since the start or the last reset
        std::int64_t framesLost = 0;          ///< frames the ring dropped (gaps), same span
    };

    /// Message thread. A new measurement of `numChannels` outputs (1 or 2; more are measured as
    /// outputs 1-2) at `sampleRate` (a whole number of Hz in 8 kHz..768 kHz, else nothing is
    /// measured). Allocates.
    void start(double sampleRate, int numChannels);
    /// Message thread. Stops measuring (a device closed); the figures read "not running".
    void stop() noexcept;
    /// Message thread. Forgets everything measured (integrated, range, true peak, counts), keeps
    /// the layout. Allocates.
    void reset();
    /// Message thread. One frame from the FrameQueue; frames of any kind but scope are ignored.
    void push(const FrameChunk& chunk) noexcept;

    [[nodiscard]] bool running() const noexcept { return meter != nullptr; }
    [[nodiscard]] int numChannels() const noexcept { return channels; }
    [[nodiscard]] double sampleRate() const noexcept { return rate; }
    /// Message thread. The range is recomputed once per second of audio (it sorts every
    /// short-term block so far); the other figures are current.
    [[nodiscard]] Figures figures();

private:
    void measure(const FrameChunk& first, const FrameChunk* second) noexcept;

    std::unique_ptr<LoudnessMeter> meter;
    double rate = 0.0;
    int channels = 0;
    FrameChunk pending{};      ///< output 1's chunk waiting for output 2's (stereo)
    bool havePending = false;
    std::optional<std::uint64_t> nextIndex; ///< the first sample index the next chunk should have
    std::int64_t lost = 0;
    std::optional<double> range;  ///< the range as last computed
    std::int64_t rangeAt = 0;     ///< meter frames when it was
};
} // namespace wb
