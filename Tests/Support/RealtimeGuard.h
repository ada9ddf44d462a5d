#pragma once
// A trap for real-time violations in tests (in the spirit of Tracktion's rtcheck and pluginval's
// level 9). While a RealtimeGuard is alive on a thread, every call on *that* thread to
//   malloc, calloc, realloc, free, aligned_alloc, posix_memalign, memalign, valloc, pvalloc
//   (so every operator new / new[] / aligned new / delete / sized delete, which libstdc++ routes
//   through them),
//   pthread_mutex_lock, pthread_mutex_trylock (so std::mutex, std::recursive_mutex),
//   pthread_rwlock_rdlock / wrlock / tryrdlock / trywrlock (so std::shared_mutex),
//   nanosleep (so std::this_thread::sleep_for)
// is counted. The functions are interposed in the test binary (RealtimeGuard.cpp) and forward to
// glibc; outside a guard they cost one thread-local load.
//
// Use it around anything that runs on the audio thread, and check *after* the scope (Catch2's
// assertion macros allocate, so never assert inside it):
//
//     const auto counts = wb::test::countRealtimeViolations([&] { node.processBlock(buffer); });
//     REQUIRE(counts.clean());
// or simply
//     REQUIRE_REALTIME_SAFE(node.processBlock(buffer));
//
// Under ThreadSanitizer (WB_UNDER_TSAN) or AddressSanitizer the interposer is compiled out because
// the sanitizer intercepts the same functions; RealtimeGuard::available() is then false and every
// RealtimeCounts says `measured == false`, so clean() is false and REQUIRE_REALTIME_SAFE fails: a
// guard check never passes without counting. Every test case that uses the guard carries the tag
// [nosan]; the sanitizer builds register those DISABLED in ctest (listed as "Not Run (Disabled)").
//
// For a thread the test does not own (a device's own thread), guardRestOfThisThread() starts
// counting there for the thread's remaining life and currentThreadCounts() reads the totals.
#include <cstdint>
#include <string>
#include <utility>

// The interposer is built unless a sanitizer that intercepts the same functions is on:
// ThreadSanitizer (WB_UNDER_TSAN from Tests/CMakeLists.txt, or the compiler's own macro) and
// AddressSanitizer (the `asan` preset) both replace malloc and the pthread functions themselves.
#if defined(WB_UNDER_TSAN) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define WB_RT_GUARD_INTERPOSE 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define WB_RT_GUARD_INTERPOSE 0
#endif
#endif
#ifndef WB_RT_GUARD_INTERPOSE
#define WB_RT_GUARD_INTERPOSE 1
#endif

namespace wb::test
{
struct RealtimeCounts
{
    std::uint64_t allocations = 0;   // malloc-family calls incl. operator new
    std::uint64_t deallocations = 0; // free of a non-null pointer incl. operator delete
    std::uint64_t locks = 0;         // mutex / rwlock acquisitions and attempts
    std::uint64_t sleeps = 0;        // nanosleep
    bool measured = true;            // false: the guard is compiled out in this build (nothing counted)

    [[nodiscard]] std::uint64_t total() const noexcept
    {
        return allocations + deallocations + locks + sleeps;
    }
    /// Zero violations, counted by a working guard.
    [[nodiscard]] bool clean() const noexcept { return measured && total() == 0; }
    RealtimeCounts& operator+=(const RealtimeCounts& other) noexcept
    {
        measured = measured && other.measured;
        allocations += other.allocations;
        deallocations += other.deallocations;
        locks += other.locks;
        sleeps += other.sleeps;
        return *this;
    }
    /// Returns: what was counted between `earlier` and this reading (both of one thread).
    [[nodiscard]] RealtimeCounts since(const RealtimeCounts& earlier) const noexcept
    {
        RealtimeCounts c;
        c.allocations = allocations - earlier.allocations;
        c.deallocations = deallocations - earlier.deallocations;
        c.locks = locks - earlier.locks;
        c.sleeps = sleeps - earlier.sleeps;
        c.measured = measured && earlier.measured;
        return c;
    }
    /// For failure messages (allocates: call it outside any guard).
    [[nodiscard]] std::string describe() const;
};

class RealtimeGuard
{
public:
    /// Effects: starts counting on the calling thread (guards nest). Allocation- and lock-free.
    RealtimeGuard() noexcept;
    /// Effects: stops counting for this guard.
    ~RealtimeGuard();
    RealtimeGuard(const RealtimeGuard&) = delete;
    RealtimeGuard& operator=(const RealtimeGuard&) = delete;

    /// Returns: the violations on this thread since this guard was created.
    /// Allocation- and lock-free. Call on the guard's own thread.
    [[nodiscard]] RealtimeCounts counts() const noexcept;

    /// Returns: true when the interposer is built in (false under ThreadSanitizer / ASan).
    [[nodiscard]] static constexpr bool available() noexcept { return WB_RT_GUARD_INTERPOSE != 0; }

private:
    RealtimeCounts start_;
};

/// Effects: starts counting on the calling thread for the rest of its life (a thread the test does
/// not own and cannot end a guard on, e.g. a device's thread: call it from inside a callback).
/// Allocation- and lock-free. Idempotent per thread.
void guardRestOfThisThread() noexcept;

/// Returns: the calling thread's running totals (everything counted on it while a guard was
/// active, since the thread began). Subtract two readings for the counts between them.
[[nodiscard]] RealtimeCounts currentThreadCounts() noexcept;

/// Runs `fn()` inside a RealtimeGuard on the calling thread and returns what it counted.
template <typename Fn>
[[nodiscard]] RealtimeCounts countRealtimeViolations(Fn&& fn)
{
    RealtimeGuard guard;
    std::forward<Fn>(fn)();
    return guard.counts();
}
} // namespace wb::test

/// Runs the expression (or statements) under a RealtimeGuard and REQUIREs zero violations.
#define REQUIRE_REALTIME_SAFE(...)                                                                           \
    do                                                                                                       \
    {                                                                                                        \
        const ::wb::test::RealtimeCounts wbRealtimeCounts_ =                                                 \
            ::wb::test::countRealtimeViolations([&] { __VA_ARGS__; });                                       \
        INFO("real-time violations in `" #__VA_ARGS__ "`: " << wbRealtimeCounts_.describe());                \
        REQUIRE(wbRealtimeCounts_.clean());                                                                  \
    } while (false)
