#pragma once
// DSP load of the audio callback: time spent per callback against the period.
//
// The audio thread calls recordCallback() once per callback with the callback's start and end
// (steady clock, ns) and the period's length; any other thread reads snapshot(). Like JACK,
// it reports a smoothed mean and the maximum over a sliding window of recent callbacks.
// A callback that takes longer than its period is counted as an xrun (the next one cannot
// start in time); the device's own xrun count is kept beside it, not mixed in.
#include <array>
#include <atomic>
#include <cstdint>

namespace wb::monitor
{
struct LoadSnapshot
{
    double lastLoad = 0.0;        ///< last callback's duration / period (1.0 = 100 %)
    double meanLoad = 0.0;        ///< exponentially smoothed load
    double windowMaxLoad = 0.0;   ///< largest load of the last `window` callbacks
    std::uint64_t callbacks = 0;  ///< callbacks recorded since reset
    std::uint64_t overruns = 0;   ///< callbacks longer than their period
    std::uint64_t deviceXruns = 0;///< as reported by the device
    [[nodiscard]] std::uint64_t xruns() const noexcept { return overruns + deviceXruns; }
};

class LoadMeter
{
public:
    static constexpr int kMaxWindow = 4096;

    /// window: callbacks in the sliding maximum (1..kMaxWindow); smoothingCallbacks: time
    /// constant of the mean, in callbacks. Allocation-free (fixed arrays).
    explicit LoadMeter(int window = 256, double smoothingCallbacks = 32.0) noexcept;

    /// Audio thread. Wait-free, no allocation, no syscall.
    /// Effects: records one callback of [startNs, endNs] against a period of periodNs.
    void recordCallback(std::int64_t startNs, std::int64_t endNs, std::int64_t periodNs) noexcept;
    /// Audio or device thread. Wait-free. The device's own cumulative xrun count.
    void setDeviceXruns(std::uint64_t total) noexcept { deviceXruns.store(total, std::memory_order_relaxed); }

    /// Any thread. Wait-free. Fields are read one by one (each is exact; together they may
    /// straddle one callback).
    [[nodiscard]] LoadSnapshot snapshot() const noexcept;

    /// Audio thread only (or with the audio stopped). Wait-free.
    void reset() noexcept;

    /// A steady-clock timestamp in ns (clock_gettime is a vDSO call, no kernel entry).
    [[nodiscard]] static std::int64_t nowNs() noexcept;

private:
    // Audio-thread state.
    int window;
    double alpha;
    double mean = 0.0;
    std::array<double, kMaxWindow> values{};
    std::array<std::uint64_t, kMaxWindow> dequeIndex{}; // monotonic deque of callback numbers
    int dqHead = 0, dqSize = 0;
    std::uint64_t count = 0;

    // Published.
    std::atomic<double> lastOut{0.0}, meanOut{0.0}, maxOut{0.0};
    std::atomic<std::uint64_t> countOut{0}, overrunsOut{0}, deviceXruns{0};
    static_assert(std::atomic<double>::is_always_lock_free);
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
};

/// RAII helper for the audio callback: records the time between construction and destruction.
class ScopedLoadMeasurement
{
public:
    ScopedLoadMeasurement(LoadMeter& m, std::int64_t periodNs) noexcept
        : meter(m), period(periodNs), start(LoadMeter::nowNs()) {}
    ~ScopedLoadMeasurement() { meter.recordCallback(start, LoadMeter::nowNs(), period); }
    ScopedLoadMeasurement(const ScopedLoadMeasurement&) = delete;
    ScopedLoadMeasurement& operator=(const ScopedLoadMeasurement&) = delete;

private:
    LoadMeter& meter;
    std::int64_t period;
    std::int64_t start;
};
} // namespace wb::monitor
