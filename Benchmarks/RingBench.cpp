// Two-thread throughput of wb::SpscRing against a mutex-protected std::deque, in the same run.
// Each iteration moves kItemsPerIteration 64-bit items from a producer thread to the benchmark
// thread. Both queues are bounded at the same capacity (1024) and both sides back off the same
// way when full / empty (spin, then yield), so the difference is the queue itself.
//   single:    one push / pop per item
//   batch64:   tryPushBatch / tryPopBatch of 64 items; for the deque one lock per 64 items
// Run: wavebench_benchmarks --benchmark_filter=Ring --benchmark_min_time=0.2
#include "Core/Realtime/SpinBackoff.h"
#include "Core/Realtime/SpscRing.h"

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

namespace
{
constexpr std::size_t kCapacity = 1024;
constexpr std::size_t kBatch = 64;
constexpr std::uint64_t kItemsPerIteration = 1u << 20;

using Backoff = wb::SpinBackoff; // spin briefly, then yield (two cores here)

// A bounded MPMC-capable queue the ordinary way: a std::deque under a std::mutex.
class MutexDeque
{
public:
    bool tryPush(std::uint64_t v)
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (items_.size() >= kCapacity)
            return false;
        items_.push_back(v);
        return true;
    }
    bool tryPop(std::uint64_t& v)
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (items_.empty())
            return false;
        v = items_.front();
        items_.pop_front();
        return true;
    }
    std::size_t tryPushBatch(const std::uint64_t* v, std::size_t n)
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        const std::size_t room = kCapacity - items_.size();
        const std::size_t k = n < room ? n : room;
        items_.insert(items_.end(), v, v + k);
        return k;
    }
    std::size_t tryPopBatch(std::uint64_t* out, std::size_t n)
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        const std::size_t k = n < items_.size() ? n : items_.size();
        for (std::size_t i = 0; i < k; ++i)
            out[i] = items_[i];
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(k));
        return k;
    }

private:
    std::mutex mutex_;
    std::deque<std::uint64_t> items_;
};

template <typename Queue>
std::uint64_t transferSingle(Queue& q)
{
    std::thread producer([&q] {
        Backoff backoff;
        for (std::uint64_t i = 0; i < kItemsPerIteration;)
        {
            if (q.tryPush(i))
                ++i;
            else
                backoff.pause();
        }
    });
    std::uint64_t sum = 0;
    Backoff backoff;
    for (std::uint64_t received = 0; received < kItemsPerIteration;)
    {
        std::uint64_t v = 0;
        if (q.tryPop(v))
        {
            sum += v;
            ++received;
        }
        else
        {
            backoff.pause();
        }
    }
    producer.join();
    return sum;
}

template <typename PushFn, typename PopFn>
std::uint64_t transferBatched(PushFn push, PopFn pop)
{
    std::thread producer([&push] {
        std::array<std::uint64_t, kBatch> batch{};
        Backoff backoff;
        for (std::uint64_t next = 0; next < kItemsPerIteration;)
        {
            for (std::size_t i = 0; i < kBatch; ++i)
                batch[i] = next + i;
            // kItemsPerIteration is a multiple of kBatch; a partial push resends the rest.
            std::size_t done = 0;
            while (done < kBatch)
            {
                const std::size_t n = push(batch.data() + done, kBatch - done);
                done += n;
                if (n == 0)
                    backoff.pause();
            }
            next += kBatch;
        }
    });
    std::array<std::uint64_t, kBatch> out{};
    std::uint64_t sum = 0;
    Backoff backoff;
    for (std::uint64_t received = 0; received < kItemsPerIteration;)
    {
        const std::size_t n = pop(out.data(), kBatch);
        if (n == 0)
        {
            backoff.pause();
            continue;
        }
        for (std::size_t i = 0; i < n; ++i)
            sum += out[i];
        received += n;
    }
    producer.join();
    return sum;
}

void finish(benchmark::State& state, std::uint64_t lastSum)
{
    constexpr std::uint64_t expected = kItemsPerIteration * (kItemsPerIteration - 1) / 2;
    if (lastSum != expected)
        state.SkipWithError("items lost or duplicated");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kItemsPerIteration));
}

void BM_Ring_SpscRing_Single(benchmark::State& state)
{
    wb::SpscRing<std::uint64_t> ring(kCapacity);
    std::uint64_t sum = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(sum = transferSingle(ring));
    finish(state, sum);
}

void BM_Ring_MutexDeque_Single(benchmark::State& state)
{
    MutexDeque q;
    std::uint64_t sum = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(sum = transferSingle(q));
    finish(state, sum);
}

void BM_Ring_SpscRing_Batch64(benchmark::State& state)
{
    wb::SpscRing<std::uint64_t> ring(kCapacity);
    std::uint64_t sum = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(sum = transferBatched(
                                     [&ring](const std::uint64_t* v, std::size_t n) {
                                         return ring.tryPushBatch(std::span<const std::uint64_t>(v, n));
                                     },
                                     [&ring](std::uint64_t* v, std::size_t n) {
                                         return ring.tryPopBatch(std::span<std::uint64_t>(v, n));
                                     }));
    finish(state, sum);
}

void BM_Ring_MutexDeque_Batch64(benchmark::State& state)
{
    MutexDeque q;
    std::uint64_t sum = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(
            sum =
                transferBatched([&q](const std::uint64_t* v, std::size_t n) { return q.tryPushBatch(v, n); },
                                [&q](std::uint64_t* v, std::size_t n) { return q.tryPopBatch(v, n); }));
    finish(state, sum);
}
} // namespace

BENCHMARK(BM_Ring_SpscRing_Single)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ring_MutexDeque_Single)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ring_SpscRing_Batch64)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ring_MutexDeque_Batch64)->Unit(benchmark::kMillisecond)->UseRealTime();
