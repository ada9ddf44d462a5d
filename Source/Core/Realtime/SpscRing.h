#pragma once
// A bounded single-producer / single-consumer ring of trivially copyable items.
//
// The GUI and the audio thread meet only through rings like this one. Exactly one thread pushes
// (the producer) and exactly one thread pops (the consumer) for the lifetime of the ring; which
// threads those are is the caller's contract and is spelled out by the thread-named wrappers in
// CommandQueue.h and TelemetryQueue.h. Everything after construction is wait-free: no allocation,
// no lock, no system call, a bounded number of steps.
//
// Indices are free-running 64-bit counters (they would take centuries to wrap at any rate this
// program reaches); the slot is `counter & mask`. So the full capacity is usable (no sacrificed
// slot) and "full" is `write - read == capacity`. Each side keeps a private cached copy of the
// other side's index and reloads the shared one only when the cache says full / empty, which
// keeps the two cache lines from bouncing on every item.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <type_traits>

namespace wb
{
/// Cache-line size used to keep producer and consumer state apart. 64 bytes on every x86-64 and
/// most ARM cores (std::hardware_destructive_interference_size triggers -Winterference-size on GCC).
inline constexpr std::size_t kCacheLineBytes = 64;

/// Smallest power of two >= n (1 for n == 0).
[[nodiscard]] constexpr std::size_t nextPowerOfTwo(std::size_t n) noexcept
{
    std::size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

template <typename T>
class SpscRing
{
    static_assert(std::is_trivially_copyable_v<T>, "ring elements are copied as bytes: trivially copyable");
    static_assert(std::is_default_constructible_v<T>, "ring storage is value-initialised at construction");
    static_assert(std::atomic<std::size_t>::is_always_lock_free);
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

public:
    using value_type = T;

    /// Effects: allocates storage for nextPowerOfTwo(max(minCapacity, 1)) items.
    /// Thread: any, before the ring is shared. Allocates.
    explicit SpscRing(std::size_t minCapacity)
        : capacity_(nextPowerOfTwo(minCapacity == 0 ? 1 : minCapacity)), mask_(capacity_ - 1),
          slots_(new T[capacity_]())
    {
    }

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    /// Returns: the number of items the ring holds when full (a power of two). Any thread, wait-free.
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

    // ---- producer side -------------------------------------------------------------------

    /// Effects: appends a copy of `item` if there is room.
    /// Returns: true if pushed; false if the ring was full (the item is not stored and
    /// fullRejections() grows by one).
    /// Thread: the producer only. Wait-free.
    [[nodiscard]] bool tryPush(const T& item) noexcept
    {
        const std::size_t write = producer_.write.load(std::memory_order_relaxed);
        if (write - producer_.cachedRead == capacity_)
        {
            producer_.cachedRead = consumer_.read.load(std::memory_order_acquire);
            if (write - producer_.cachedRead == capacity_)
            {
                countRejected(1);
                return false;
            }
        }
        slots_[write & mask_] = item;
        producer_.write.store(write + 1, std::memory_order_release);
        return true;
    }

    /// Effects: appends the longest prefix of `items` that fits (possibly all, possibly none),
    /// copying across the wrap in at most two runs; the prefix becomes visible to the consumer at
    /// once.
    /// Returns: the number of items pushed. Items that did not fit are added to fullRejections().
    /// Thread: the producer only. Wait-free (bounded by items.size()).
    [[nodiscard]] std::size_t tryPushBatch(std::span<const T> items) noexcept
    {
        if (items.empty())
            return 0;
        const std::size_t write = producer_.write.load(std::memory_order_relaxed);
        std::size_t freeSlots = capacity_ - (write - producer_.cachedRead);
        if (freeSlots < items.size())
        {
            producer_.cachedRead = consumer_.read.load(std::memory_order_acquire);
            freeSlots = capacity_ - (write - producer_.cachedRead);
        }
        const std::size_t n = freeSlots < items.size() ? freeSlots : items.size();
        if (n < items.size())
            countRejected(items.size() - n);
        if (n == 0)
            return 0;
        const std::size_t start = write & mask_;
        const std::size_t firstRun = (capacity_ - start) < n ? (capacity_ - start) : n;
        copyItems(items.data(), slots_.get() + start, firstRun);
        copyItems(items.data() + firstRun, slots_.get(), n - firstRun);
        producer_.write.store(write + n, std::memory_order_release);
        return n;
    }

    // ---- consumer side -------------------------------------------------------------------

    /// Effects: removes the oldest item into `out` if there is one; `out` is untouched otherwise.
    /// Returns: true if an item was popped; false if the ring was empty.
    /// Thread: the consumer only. Wait-free.
    [[nodiscard]] bool tryPop(T& out) noexcept
    {
        const std::size_t read = consumer_.read.load(std::memory_order_relaxed);
        if (read == consumer_.cachedWrite)
        {
            consumer_.cachedWrite = producer_.write.load(std::memory_order_acquire);
            if (read == consumer_.cachedWrite)
                return false;
        }
        out = slots_[read & mask_];
        consumer_.read.store(read + 1, std::memory_order_release);
        return true;
    }

    /// Effects: removes up to out.size() of the oldest items, in order, into the front of `out`.
    /// Returns: the number of items popped (0 when the ring was empty).
    /// Thread: the consumer only. Wait-free (bounded by out.size()).
    [[nodiscard]] std::size_t tryPopBatch(std::span<T> out) noexcept
    {
        if (out.empty())
            return 0;
        const std::size_t read = consumer_.read.load(std::memory_order_relaxed);
        std::size_t available = consumer_.cachedWrite - read;
        if (available < out.size())
        {
            consumer_.cachedWrite = producer_.write.load(std::memory_order_acquire);
            available = consumer_.cachedWrite - read;
        }
        const std::size_t n = available < out.size() ? available : out.size();
        if (n == 0)
            return 0;
        const std::size_t start = read & mask_;
        const std::size_t firstRun = (capacity_ - start) < n ? (capacity_ - start) : n;
        copyItems(slots_.get() + start, out.data(), firstRun);
        copyItems(slots_.get(), out.data() + firstRun, n - firstRun);
        consumer_.read.store(read + n, std::memory_order_release);
        return n;
    }

    // ---- any thread ----------------------------------------------------------------------

    /// Returns: the number of items in the ring, in [0, capacity()]: exact when neither side is
    /// running, otherwise a snapshot that may already be stale.
    /// Thread: any. Wait-free.
    [[nodiscard]] std::size_t sizeApprox() const noexcept
    {
        // Load read first: write only grows, so write - read can never appear negative.
        const std::size_t read = consumer_.read.load(std::memory_order_acquire);
        const std::size_t write = producer_.write.load(std::memory_order_acquire);
        // Between the two loads the consumer may have moved on: never report more than capacity.
        return write - read < capacity_ ? write - read : capacity_;
    }

    /// Returns: how many items pushes have refused because the ring was full, since construction
    /// (a retried push counts each time it is refused). Never reset, so readers take differences.
    /// Thread: any. Wait-free.
    [[nodiscard]] std::uint64_t fullRejections() const noexcept
    {
        return producer_.rejected.load(std::memory_order_relaxed);
    }

    /// Returns: the total number of items ever pushed successfully. Thread: any. Wait-free.
    [[nodiscard]] std::uint64_t totalPushed() const noexcept
    {
        return producer_.write.load(std::memory_order_relaxed);
    }

private:
    static void copyItems(const T* from, T* to, std::size_t n) noexcept
    {
        if (n != 0)
            std::memcpy(to, from, n * sizeof(T)); // T is trivially copyable
    }

    void countRejected(std::size_t n) noexcept
    {
        // Only the producer writes this counter, so a load + store is enough (no RMW needed).
        producer_.rejected.store(producer_.rejected.load(std::memory_order_relaxed) + n,
                                 std::memory_order_relaxed);
    }

    // Written by the producer, read by the consumer (write) or by anyone (rejected).
    struct alignas(kCacheLineBytes) ProducerState
    {
        std::atomic<std::size_t> write{0};
        std::size_t cachedRead = 0; // producer-private copy of consumer_.read
        std::atomic<std::uint64_t> rejected{0};
    };
    // Written by the consumer, read by the producer.
    struct alignas(kCacheLineBytes) ConsumerState
    {
        std::atomic<std::size_t> read{0};
        std::size_t cachedWrite = 0; // consumer-private copy of producer_.write
    };

    // Read-only after construction: shared by both sides without contention.
    alignas(kCacheLineBytes) const std::size_t capacity_;
    const std::size_t mask_;
    const std::unique_ptr<T[]> slots_;

    ProducerState producer_;
    ConsumerState consumer_;

    static_assert(sizeof(ProducerState) % kCacheLineBytes == 0);
    static_assert(sizeof(ConsumerState) % kCacheLineBytes == 0);
};
} // namespace wb
