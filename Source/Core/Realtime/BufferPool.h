#pragma once
// A pool of multichannel float audio buffers. All memory is allocated in prepare(); the audio
// thread then acquires and releases buffers without allocation, locks or system calls, and the UI
// reads the statistics.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace wb
{
/// A pooled buffer: numChannels channels of maxFrames floats each, every channel 64-byte aligned.
/// Contents are whatever the previous user left (call clear() when that matters).
class PooledBuffer
{
public:
    [[nodiscard]] std::size_t numChannels() const noexcept { return numChannels_; }
    [[nodiscard]] std::size_t maxFrames() const noexcept { return maxFrames_; }
    [[nodiscard]] float* channelData(std::size_t channel) noexcept { return channels_[channel]; }
    /// Channel pointers, in the float** shape JUCE and Faust's compute() take.
    [[nodiscard]] float* const* channelPointers() noexcept { return channels_; }
    [[nodiscard]] std::span<float> channel(std::size_t ch) noexcept { return {channels_[ch], maxFrames_}; }
    /// Effects: zeroes every channel. Wait-free.
    void clear() noexcept;

private:
    friend class BufferPool;
    float** channels_ = nullptr;
    std::size_t numChannels_ = 0;
    std::size_t maxFrames_ = 0;
    std::uint32_t poolIndex_ = 0;
    bool inUse_ = false;
};

class BufferPool
{
public:
    struct Stats
    {
        std::size_t capacity = 0;         // buffers in the pool
        std::size_t inUse = 0;            // buffers acquired and not yet released
        std::size_t highWater = 0;        // most buffers in use at once since prepare()
        std::uint64_t failedAcquires = 0; // acquireOnAudio() calls that found the pool empty
        std::size_t numChannels = 0;
        std::size_t maxFrames = 0;
        std::size_t bytes = 0; // sample memory held
    };

    BufferPool() = default;
    BufferPool(const BufferPool&) = delete;
    BufferPool& operator=(const BufferPool&) = delete;
    ~BufferPool();

    /// Effects: frees any previous storage and allocates numBuffers buffers of numChannels x
    /// maxFrames floats (zeroed); resets the statistics. Any buffer acquired before is invalid.
    /// Returns: false (and an empty pool) if an argument is zero or allocation failed.
    /// Thread: message thread, while the audio thread is not using the pool. Allocates.
    bool prepare(std::size_t numBuffers, std::size_t numChannels, std::size_t maxFrames);

    /// Effects: frees all storage. Thread: message thread, audio not using the pool. Frees.
    void release();

    /// Returns: a free buffer, or nullptr when every buffer is in use (counted in failedAcquires).
    /// Thread: the audio thread only. Wait-free.
    [[nodiscard]] PooledBuffer* acquireOnAudio() noexcept;

    /// Effects: returns `buffer` (from this pool's acquireOnAudio) to the pool; nullptr, a foreign
    /// pointer or a double release is ignored and counted in badReleases().
    /// Thread: the audio thread only. Wait-free.
    void releaseOnAudio(PooledBuffer* buffer) noexcept;

    /// Returns: a snapshot of the statistics (each field read atomically; fields may be from
    /// slightly different instants). Thread: any. Wait-free.
    [[nodiscard]] Stats statsFromUi() const noexcept;

    [[nodiscard]] std::uint64_t badReleases() const noexcept
    {
        return badReleases_.load(std::memory_order_relaxed);
    }

private:
    static void bump(std::atomic<std::uint64_t>& counter) noexcept
    {
        counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }

    std::unique_ptr<PooledBuffer[]> buffers_;
    std::unique_ptr<float*[]> channelPointers_;
    float* samples_ = nullptr; // one 64-byte aligned block for every channel of every buffer
    std::unique_ptr<std::uint32_t[]> freeStack_; // indices of free buffers; top at freeTop_
    std::size_t freeTop_ = 0;

    std::atomic<std::size_t> capacity_{0};
    std::atomic<std::size_t> numChannels_{0};
    std::atomic<std::size_t> maxFrames_{0};
    std::atomic<std::size_t> bytes_{0};
    // Written only by the audio thread (load + store), read by the UI.
    std::atomic<std::size_t> inUse_{0};
    std::atomic<std::size_t> highWater_{0};
    std::atomic<std::uint64_t> failedAcquires_{0};
    std::atomic<std::uint64_t> badReleases_{0};
    static_assert(std::atomic<std::size_t>::is_always_lock_free);
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
};
} // namespace wb
