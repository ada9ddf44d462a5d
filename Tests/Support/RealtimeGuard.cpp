// The real-time guard's counters and the interposed allocation / lock / sleep functions.
//
// How the interposition works (glibc 2.36, Debian 12): the executable defines malloc & co. and
// pthread_mutex_lock & co.; the dynamic linker binds every caller in the process (libstdc++'s
// operator new, std::mutex's inline code, glibc itself) to these definitions. They count when a
// guard is active on the calling thread, then forward to glibc's own implementations, reached
// without dlsym (so nothing can recurse into us while resolving):
//   - the allocator through its exported aliases __libc_malloc, __libc_free, ...;
//   - the pthread functions through their exported compat aliases __pthread_mutex_lock@GLIBC_2.2.5
//     etc., bound with .symver;
//   - nanosleep through __nanosleep.
// The counters are plain thread_local integers of the executable (static TLS: no allocation, no
// lock, no __tls_get_addr), so counting is itself real-time safe.
#include "Support/RealtimeGuard.h"

#include <cstdint>
#include <string>

#if WB_RT_GUARD_INTERPOSE
#include <cerrno>
#include <cstddef>
#include <ctime>
#include <pthread.h>
#endif

namespace wb::test
{
namespace
{
thread_local unsigned tlGuardDepth = 0;
thread_local bool tlGuardedForever = false;
thread_local RealtimeCounts tlCounts{};
} // namespace

namespace detail
{
inline bool guardActive() noexcept
{
    return tlGuardDepth != 0;
}
inline void countAllocation() noexcept
{
    if (guardActive())
        ++tlCounts.allocations;
}
inline void countDeallocation() noexcept
{
    if (guardActive())
        ++tlCounts.deallocations;
}
inline void countLock() noexcept
{
    if (guardActive())
        ++tlCounts.locks;
}
inline void countSleep() noexcept
{
    if (guardActive())
        ++tlCounts.sleeps;
}
} // namespace detail

unsigned& tlGuardDepthForC() noexcept; // the C face below (wb_rtguard_enter / leave)

std::string RealtimeCounts::describe() const
{
    if (!measured)
        return "not measured: the real-time guard's interposer is compiled out in this (sanitizer) build";
    return std::to_string(allocations) + " allocation(s), " + std::to_string(deallocations) + " free(s), "
           + std::to_string(locks) + " lock(s), " + std::to_string(sleeps) + " sleep(s)";
}

RealtimeGuard::RealtimeGuard() noexcept : start_(tlCounts)
{
    ++tlGuardDepth;
}

RealtimeGuard::~RealtimeGuard()
{
    --tlGuardDepth;
}

RealtimeCounts RealtimeGuard::counts() const noexcept
{
    RealtimeCounts c;
    c.allocations = tlCounts.allocations - start_.allocations;
    c.deallocations = tlCounts.deallocations - start_.deallocations;
    c.locks = tlCounts.locks - start_.locks;
    c.sleeps = tlCounts.sleeps - start_.sleeps;
    c.measured = available();
    return c;
}

void guardRestOfThisThread() noexcept
{
    if (!tlGuardedForever)
    {
        tlGuardedForever = true;
        ++tlGuardDepth;
    }
}

unsigned& tlGuardDepthForC() noexcept
{
    return tlGuardDepth;
}

RealtimeCounts currentThreadCounts() noexcept
{
    RealtimeCounts c = tlCounts;
    c.measured = RealtimeGuard::available();
    return c;
}
} // namespace wb::test

#if WB_RT_GUARD_INTERPOSE

// glibc's real implementations.
extern "C"
{
    void* __libc_malloc(std::size_t size);
    void __libc_free(void* ptr);
    void* __libc_calloc(std::size_t count, std::size_t size);
    void* __libc_realloc(void* ptr, std::size_t size);
    void* __libc_memalign(std::size_t alignment, std::size_t size);
    void* __libc_valloc(std::size_t size);
    void* __libc_pvalloc(std::size_t size);
    int __nanosleep(const struct timespec* request, struct timespec* remaining);

    int wb_real_pthread_mutex_lock(pthread_mutex_t* mutex);
    int wb_real_pthread_mutex_trylock(pthread_mutex_t* mutex);
    int wb_real_pthread_rwlock_rdlock(pthread_rwlock_t* lock);
    int wb_real_pthread_rwlock_wrlock(pthread_rwlock_t* lock);
    int wb_real_pthread_rwlock_tryrdlock(pthread_rwlock_t* lock);
    int wb_real_pthread_rwlock_trywrlock(pthread_rwlock_t* lock);
}
__asm__(".symver wb_real_pthread_mutex_lock, __pthread_mutex_lock@GLIBC_2.2.5");
__asm__(".symver wb_real_pthread_mutex_trylock, __pthread_mutex_trylock@GLIBC_2.2.5");
__asm__(".symver wb_real_pthread_rwlock_rdlock, __pthread_rwlock_rdlock@GLIBC_2.2.5");
__asm__(".symver wb_real_pthread_rwlock_wrlock, __pthread_rwlock_wrlock@GLIBC_2.2.5");
__asm__(".symver wb_real_pthread_rwlock_tryrdlock, __pthread_rwlock_tryrdlock@GLIBC_2.2.5");
__asm__(".symver wb_real_pthread_rwlock_trywrlock, __pthread_rwlock_trywrlock@GLIBC_2.2.5");

namespace d = wb::test::detail;

extern "C"
{
    void* malloc(std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_malloc(size);
    }

    void free(void* ptr) noexcept
    {
        if (ptr != nullptr)
            d::countDeallocation();
        __libc_free(ptr);
    }

    void* calloc(std::size_t count, std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_calloc(count, size);
    }

    void* realloc(void* ptr, std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_realloc(ptr, size);
    }

    void* memalign(std::size_t alignment, std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_memalign(alignment, size);
    }

    void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_memalign(alignment, size);
    }

    int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept
    {
        d::countAllocation();
        if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0)
            return EINVAL;
        void* p = __libc_memalign(alignment, size);
        if (p == nullptr)
            return ENOMEM;
        *out = p;
        return 0;
    }

    void* valloc(std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_valloc(size);
    }

    void* pvalloc(std::size_t size) noexcept
    {
        d::countAllocation();
        return __libc_pvalloc(size);
    }

    int pthread_mutex_lock(pthread_mutex_t* mutex) noexcept
    {
        d::countLock();
        return wb_real_pthread_mutex_lock(mutex);
    }

    int pthread_mutex_trylock(pthread_mutex_t* mutex) noexcept
    {
        d::countLock();
        return wb_real_pthread_mutex_trylock(mutex);
    }

    int pthread_rwlock_rdlock(pthread_rwlock_t* lock) noexcept
    {
        d::countLock();
        return wb_real_pthread_rwlock_rdlock(lock);
    }

    int pthread_rwlock_wrlock(pthread_rwlock_t* lock) noexcept
    {
        d::countLock();
        return wb_real_pthread_rwlock_wrlock(lock);
    }

    int pthread_rwlock_tryrdlock(pthread_rwlock_t* lock) noexcept
    {
        d::countLock();
        return wb_real_pthread_rwlock_tryrdlock(lock);
    }

    int pthread_rwlock_trywrlock(pthread_rwlock_t* lock) noexcept
    {
        d::countLock();
        return wb_real_pthread_rwlock_trywrlock(lock);
    }

    int nanosleep(const struct timespec* request, struct timespec* remaining)
    {
        d::countSleep();
        return __nanosleep(request, remaining);
    }
}

// The guard's C face, for a process that does not link this file but has it preloaded
// (`wavebench check` runs the plugin in a child started with LD_PRELOAD=libwavebench_rtguard.so,
// built from this file): it finds these with dlsym and counts the plugin's process calls.
// Allocation- and lock-free, like the C++ interface.
extern "C"
{
    __attribute__((visibility("default"))) void wb_rtguard_enter() noexcept
    {
        ++wb::test::tlGuardDepthForC();
    }
    __attribute__((visibility("default"))) void wb_rtguard_leave() noexcept
    {
        --wb::test::tlGuardDepthForC();
    }
    /// out: allocations, frees, locks, sleeps counted on the calling thread so far.
    __attribute__((visibility("default"))) void wb_rtguard_totals(std::uint64_t* out) noexcept
    {
        const auto c = wb::test::currentThreadCounts();
        out[0] = c.allocations;
        out[1] = c.deallocations;
        out[2] = c.locks;
        out[3] = c.sleeps;
    }
}
#endif // WB_RT_GUARD_INTERPOSE
