#pragma once
// Audio -> UI rings with the threads in the names: TelemetryQueue for messages, FrameQueue for
// scope / capture sample chunks.
#include "Core/Realtime/SpscRing.h"
#include "Core/Realtime/Telemetry.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace wb
{
template <typename T>
class AudioToUiQueue
{
public:
    /// Effects: allocates a ring of at least `minCapacity` items. Thread: message thread. Allocates.
    explicit AudioToUiQueue(std::size_t minCapacity) : ring_(minCapacity) {}

    /// Effects: queues `item` for the UI.
    /// Returns: false if the queue was full: the item is dropped and counted in rejected(), which
    /// the UI shows (never a silent loss). Thread: the audio thread only. Wait-free.
    [[nodiscard]] bool pushFromAudio(const T& item) noexcept { return ring_.tryPush(item); }

    /// Effects: queues the longest prefix of `items` that fits.
    /// Returns: the number queued; the rest are counted in rejected(). Thread: audio only. Wait-free.
    [[nodiscard]] std::size_t pushBatchFromAudio(std::span<const T> items) noexcept
    {
        return ring_.tryPushBatch(items);
    }

    /// Effects: takes the oldest item into `out`. Returns: false if empty.
    /// Thread: the message (UI) thread only. Wait-free.
    [[nodiscard]] bool popOnUi(T& out) noexcept { return ring_.tryPop(out); }

    /// Effects: takes up to out.size() oldest items. Returns: the number taken.
    /// Thread: the message (UI) thread only. Wait-free.
    [[nodiscard]] std::size_t popBatchOnUi(std::span<T> out) noexcept { return ring_.tryPopBatch(out); }

    /// Returns: items refused because the queue was full, since construction. Any thread. Wait-free.
    [[nodiscard]] std::uint64_t rejected() const noexcept { return ring_.fullRejections(); }
    [[nodiscard]] std::size_t pendingApprox() const noexcept { return ring_.sizeApprox(); }
    [[nodiscard]] std::size_t capacity() const noexcept { return ring_.capacity(); }

private:
    SpscRing<T> ring_;
};

class TelemetryQueue : public AudioToUiQueue<Telemetry>
{
public:
    static constexpr std::size_t kDefaultCapacity = 4096;
    explicit TelemetryQueue(std::size_t minCapacity = kDefaultCapacity) : AudioToUiQueue(minCapacity) {}
};

class FrameQueue : public AudioToUiQueue<FrameChunk>
{
public:
    /// 512 chunks of 256 samples: ~2.7 s of one channel at 48 kHz between UI drains.
    static constexpr std::size_t kDefaultCapacity = 512;
    explicit FrameQueue(std::size_t minCapacity = kDefaultCapacity) : AudioToUiQueue(minCapacity) {}
};
} // namespace wb
