#pragma once
// Offline rendering of a test signal: the one code path shared by the CLI and the tests.
// It runs the real-time SignalGenerator block by block (so block-size invariance is tested on
// what plays live), then, for the random signals only, corrects the level exactly (see
// RenderConfig::exactNoiseLevel), then passes each block through an optional chain (the CLI's
// `render --chain` passes its effect chain, Cli/OfflineChain, there). Allocates; not for the
// audio thread.
#include "Core/Signals/SignalTypes.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wb
{
struct RenderConfig
{
    double sampleRate = 48000.0;
    int numChannels = 1;
    std::int64_t numFrames = 0;   ///< 0: round(duration * sampleRate)
    int blockSize = 512;
    ChannelRouting routing{};
    /// Random signals have an exact long-term RMS, but a finite render's measured level scatters
    /// (white noise: ~0.03 dB over 1 s; brown far more). When true, a render of a random signal
    /// is scaled so that its measured peak or RMS (per the settings' mode, measured between the
    /// fades) equals the request exactly. Deterministic signals are never rescaled: their level
    /// is analytic.
    bool exactNoiseLevel = true;
};

struct RenderedSignal
{
    double sampleRate = 0.0;
    std::vector<std::vector<float>> channels; ///< planar, numChannels x numFrames
    double levelCorrectionDb = 0.0;           ///< applied by exactNoiseLevel (0 otherwise)

    [[nodiscard]] std::int64_t numFrames() const noexcept
    {
        return channels.empty() ? 0 : static_cast<std::int64_t>(channels.front().size());
    }
};

/// Receives each finished block (after the level correction and the chain), in order.
using BlockSink = std::function<void(const float* const* channels, int numChannels, int numFrames)>;

struct RenderSummary
{
    std::int64_t numFrames = 0;
    double levelCorrectionDb = 0.0; ///< applied by exactNoiseLevel (0 otherwise)
};

/// Called after each block with the fraction done (0..1]. May be empty.
using RenderProgress = std::function<void(double fraction)>;
/// Processes a block in place (the effect chain, e.g. Cli/OfflineChain's ChainRunner). May be empty.
using BlockProcessor = std::function<void(float* const* channels, int numChannels, int numFrames)>;

/// Reasons a request cannot be rendered, in words for a user; nullopt when it can.
/// Checks: sample rate, channels (1..8), duration (> 0, finite), frequencies (0 < f < fs/2 where
/// used), level (finite, <= +24 dBFS), impulse period, fades (not longer than the duration).
[[nodiscard]] std::optional<std::string> validateRenderRequest(const SignalSettings& s, const RenderConfig& c);

/// Renders block by block into `sink`, holding no more than one block in memory. For a random
/// signal with exactNoiseLevel the generator runs twice (it is deterministic): once to measure,
/// once to deliver. Call validateRenderRequest() first (this clamps what it must, silently).
RenderSummary renderSignalTo(const SignalSettings& s, const RenderConfig& c, const BlockSink& sink,
                             const RenderProgress& progress = {}, const BlockProcessor& chain = {});

/// renderSignalTo() collected into memory.
[[nodiscard]] RenderedSignal renderSignal(const SignalSettings& s, const RenderConfig& c,
                                          const RenderProgress& progress = {},
                                          const BlockProcessor& chain = {});
} // namespace wb
