#pragma once
// Audio -> UI telemetry: small, trivially copyable messages carried by TelemetryQueue, plus
// fixed-size sample chunks (scope and capture frames) carried by FrameQueue.
#include "Core/Realtime/Commands.h"

#include <array>
#include <cstdint>
#include <type_traits>

namespace wb
{
enum class TelemetryType : std::uint32_t
{
    none = 0,
    meterValues,
    timingSample,
    xrunEvent,
    bargraphValue,
    nanEvent,
    nodeTiming,
    generatorFinished,
};

/// Peak and RMS per channel of one node output or tap, linear (not dB), over one meter period.
struct MeterValues
{
    static constexpr std::size_t kMaxChannels = 8;
    NodeId node = 0;
    std::uint32_t tap = 0;
    std::uint32_t numChannels = 0;
    std::array<float, kMaxChannels> peak{};
    std::array<float, kMaxChannels> rms{};
};

/// One audio callback: when it started, how long it ran, the nominal period, the frame count.
struct TimingSample
{
    std::uint64_t callbackStartNs = 0; // steady clock
    std::uint64_t durationNs = 0;
    std::uint64_t periodNs = 0;
    std::uint32_t frames = 0;
};

/// A dropout seen by the audio side (late callback or device-reported xrun).
struct XrunEvent
{
    std::uint64_t timeNs = 0;
    std::uint32_t count = 1;      // xruns folded into this event
    std::uint32_t lateFrames = 0; // how late, when known
};

/// A Faust bargraph (passive control) value.
struct BargraphValue
{
    NodeId node = 0;
    std::uint32_t index = 0;
    double value = 0.0;
};

/// A node produced NaN or Inf (and the node replaced it with silence).
struct NanEvent
{
    NodeId node = 0;
    std::uint32_t channel = 0;
    std::uint64_t sampleIndex = 0; // since start
};

/// Time one graph node spent processing, per audio callback, over one publishing window (~33 ms,
/// the meter period). `node` is the node's NodeId (the generator, an effect); kEngineNode is the
/// whole callback (dispatch, graph, meters), so the nodes' means of one window sum to at most
/// its mean. Callbacks in which the node did not run count as 0 ns. Published by the audio
/// thread (Monitor/NodeTimes.h), one per node per window, all with the same windowEndNs.
struct NodeTiming
{
    NodeId node = 0;
    std::uint32_t callbacks = 0;   // callbacks in the window
    std::uint64_t meanNs = 0;      // mean time per callback
    std::uint64_t maxNs = 0;       // the longest time in one callback
    std::uint64_t periodNs = 0;    // the nominal period of one callback
    std::uint64_t windowEndNs = 0; // steady clock, when the window was published
    /// Share of the period: meanNs / periodNs (0.01 = 1 %).
    [[nodiscard]] constexpr double share() const noexcept
    {
        return periodNs > 0 ? double(meanNs) / double(periodNs) : 0.0;
    }
};

/// A generator's one-shot signal (a sweep without repeat, a single impulse) has played to its end
/// and the generator stopped itself. `startCount` is how many start commands the generator had
/// received then, so the UI can tell a stale report (the user pressed Start again since) from the
/// current one.
struct GeneratorFinished
{
    NodeId node = 0;
    std::uint32_t startCount = 0;
};

/// One telemetry message: `type` says which member of the union is active. Construct with the
/// factory functions and read only the member matching `type`.
struct Telemetry
{
    TelemetryType type = TelemetryType::none;
    union
    {
        MeterValues meter;
        TimingSample timing;
        XrunEvent xrun;
        BargraphValue bargraph;
        NanEvent nan;
        NodeTiming nodeTiming;
        GeneratorFinished generator;
    };

    constexpr Telemetry() noexcept : meter{} {}

    [[nodiscard]] static constexpr Telemetry of(const MeterValues& m) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::meterValues;
        t.meter = m;
        return t;
    }
    [[nodiscard]] static constexpr Telemetry of(const TimingSample& s) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::timingSample;
        t.timing = s;
        return t;
    }
    [[nodiscard]] static constexpr Telemetry of(const XrunEvent& x) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::xrunEvent;
        t.xrun = x;
        return t;
    }
    [[nodiscard]] static constexpr Telemetry of(const BargraphValue& b) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::bargraphValue;
        t.bargraph = b;
        return t;
    }
    [[nodiscard]] static constexpr Telemetry of(const NanEvent& n) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::nanEvent;
        t.nan = n;
        return t;
    }
    [[nodiscard]] static constexpr Telemetry of(const GeneratorFinished& g) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::generatorFinished;
        t.generator = g;
        return t;
    }
    [[nodiscard]] static constexpr Telemetry of(const NodeTiming& n) noexcept
    {
        Telemetry t;
        t.type = TelemetryType::nodeTiming;
        t.nodeTiming = n;
        return t;
    }
};

enum class FrameKind : std::uint32_t
{
    scope = 0,   // lossy: the UI may miss frames (sequence numbers show the gaps)
    capture = 1, // meant to be lossless: a rejected push is a reported capture error
};

/// A fixed-size chunk of one channel's samples for the scope or a capture. Consecutive chunks of
/// a stream carry consecutive `sequence` numbers so the reader detects gaps.
struct FrameChunk
{
    static constexpr std::size_t kMaxSamples = 256;
    FrameKind kind = FrameKind::scope;
    NodeId node = 0;
    std::uint32_t tap = 0;
    std::uint32_t channel = 0;
    std::uint32_t numSamples = 0; // valid samples at the front of `samples`
    std::uint32_t reserved = 0;
    std::uint64_t sequence = 0;
    std::uint64_t firstSampleIndex = 0; // since start, for alignment with timing samples
    std::array<float, kMaxSamples> samples{};
};

static_assert(std::is_trivially_copyable_v<Telemetry>);
static_assert(std::is_trivially_copyable_v<FrameChunk>);
static_assert(std::is_trivially_copyable_v<NodeTiming>);
static_assert(sizeof(NodeTiming) <= 48);
static_assert(sizeof(Telemetry) <= 128);
static_assert(sizeof(FrameChunk) <= 1100);
} // namespace wb
