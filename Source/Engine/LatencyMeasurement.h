#pragma once
// Round-trip latency of an open audio device, measured with the multi-tone probe
// (wb::latency). The device plays the probe on one output channel and records one input
// channel; a worker (the caller's thread) analyses each run. Every run must be trustworthy
// for the measurement to be: otherwise it is refused with the first run's reason.
#include "Core/Analysis/Latency.h"

#include <juce_audio_devices/juce_audio_devices.h>

#include <functional>
#include <string>
#include <vector>

namespace wb
{
struct LatencyMeasurementSettings
{
    int runs = 5;
    int outputChannel = 0;             ///< index among the device's active outputs
    int inputChannel = 0;              ///< index among the device's active inputs
    double probeLevel = 0.5;           ///< probe peak, linear
    int probePeriodLog2 = latency::kPeriodLog2; ///< probe period 2^N (12..16): one period per run
    std::int64_t maxDelaySamples = latency::kPeriod; ///< longest round trip waited for
    double runTimeoutSeconds = 20.0;   ///< a run that takes longer fails (the device misbehaves)
    /// A device that makes no callback for this long (or 8 periods, if longer), or reports an
    /// error, fails the measurement at once (a JACK server killed): "the device stopped calling back".
    double stallSeconds = 1.0;
    latency::EstimatorSettings estimator{};
    /// Polled by the calling thread about once a millisecond: true stops the measurement where it
    /// is (Ctrl-C in the CLI). Empty: never.
    std::function<bool()> stopRequested;
};

struct LatencyStats
{
    double mean = 0.0, sigma = 0.0, min = 0.0, max = 0.0; ///< frames (sigma: sample std-dev)
};

struct LatencyReport
{
    bool valid = false;
    std::string reason;                     ///< why it was refused (empty when valid)
    bool deviceFailure = false;             ///< refused because the device misbehaved, not the signal
    bool deviceLost = false;                ///< ... because it stopped calling back (runs: those done before)
    bool interrupted = false;               ///< refused because stopRequested said stop (runs: those done before)
    std::string deviceType, deviceName;
    double sampleRate = 0.0;
    int period = 0;
    int reportedInputLatency = 0;           ///< frames, as the device says
    int reportedOutputLatency = 0;
    int xruns = -1;                         ///< device's count during the measurement (-1: unknown)
    std::vector<latency::LatencyResult> runs;
    LatencyStats frames;                    ///< over the runs (valid only)
    std::int64_t probePeriod = 0;           ///< samples: the probe's period (the analysis window)
    double firstResultSeconds = -1.0;       ///< device start to the first run's valid result (-1: none)
    double totalSeconds = 0.0;              ///< device start to the end of the last run
    [[nodiscard]] int reportedRoundTrip() const noexcept { return reportedInputLatency + reportedOutputLatency; }
    [[nodiscard]] double extraFrames() const noexcept { return frames.mean - reportedRoundTrip(); }
    [[nodiscard]] double toMs(double f) const noexcept { return sampleRate > 0.0 ? 1000.0 * f / sampleRate : 0.0; }
};

/// Measures an open (not started) device: starts it with its own callback, runs, stops it.
/// Blocks the calling thread (message thread or CLI main) for the duration. Allocates.
LatencyReport measureLatency(juce::AudioIODevice& device, const LatencyMeasurementSettings& settings);

/// Mean, sample standard deviation, min and max.
LatencyStats computeStats(const std::vector<double>& values);
} // namespace wb
