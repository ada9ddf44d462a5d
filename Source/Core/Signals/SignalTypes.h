#pragma once
// Plain-number descriptions of a test signal: what the generator makes and how loud.
// Everything here is trivially copyable so it can travel through a command ring later.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

namespace wb
{
enum class SignalKind : std::uint8_t
{
    silence,
    dc,
    sine,
    square,
    saw,
    triangle,
    whiteUniform,
    whiteGaussian,
    pink,
    brown,
    impulse,
    sweepLog,
    sweepLin,
};
inline constexpr int kNumSignalKinds = 13;

/// How `levelDb` is meant: as the (true) peak of the waveform or as its RMS, both in dBFS.
enum class LevelMode : std::uint8_t
{
    peak,
    rms,
};

/// Every field is a plain number. Frequencies in Hz, times in seconds, levels in dBFS.
struct SignalSettings
{
    SignalKind kind = SignalKind::sine;
    double freq = 1000.0;        ///< tone frequency, or the start frequency of a sweep
    double freqTo = 20000.0;     ///< end frequency of a sweep
    double levelDb = -1.0;       ///< requested level, dBFS (peak or RMS per `mode`)
    LevelMode mode = LevelMode::peak;
    double duration = 1.0;       ///< sweep length; also where the fade-out ends (0 = endless)
    double startPhase = 0.0;     ///< of periodic waves, in cycles [0, 1)
    std::uint64_t seed = 1;      ///< of every noise
    double periodSamples = 0.0;  ///< impulse period in samples; 0 = a single impulse
    double impulseOffset = 0.0;  ///< position of the first impulse, in samples
    double fadeIn = 0.0;         ///< raised-cosine fade-in, seconds
    double fadeOut = 0.0;        ///< raised-cosine fade-out ending at `duration`, seconds
    bool repeat = false;         ///< restart from sample 0 every `duration` (> 0): kernel and fades
};
static_assert(std::is_trivially_copyable_v<SignalSettings>);

/// Which outputs carry the signal, and with which polarity.
struct ChannelRouting
{
    static constexpr int kMaxChannels = 8;
    std::uint32_t enabledMask = 0xFFu;                 ///< bit c set: channel c carries the signal
    std::array<bool, kMaxChannels> invert{};           ///< true: polarity inverted on channel c

    [[nodiscard]] constexpr bool enabled(int c) const noexcept
    {
        return c >= 0 && c < kMaxChannels && ((enabledMask >> c) & 1u) != 0;
    }
};
static_assert(std::is_trivially_copyable_v<ChannelRouting>);

/// True for the kinds whose samples come from the seeded random generator.
[[nodiscard]] constexpr bool isRandom(SignalKind k) noexcept
{
    return k == SignalKind::whiteUniform || k == SignalKind::whiteGaussian || k == SignalKind::pink
           || k == SignalKind::brown;
}

/// True for the kinds that use `freq` as a tone frequency.
[[nodiscard]] constexpr bool isPeriodicTone(SignalKind k) noexcept
{
    return k == SignalKind::sine || k == SignalKind::square || k == SignalKind::saw
           || k == SignalKind::triangle;
}

[[nodiscard]] constexpr bool isSweep(SignalKind k) noexcept
{
    return k == SignalKind::sweepLog || k == SignalKind::sweepLin;
}

/// Command-line name of a kind ("sine", "sweep-log", ...). "white" is the uniform white noise.
[[nodiscard]] std::string_view signalKindName(SignalKind k) noexcept;
/// Parses a name given by signalKindName(), plus "white-gaussian". Not for the audio thread.
[[nodiscard]] std::optional<SignalKind> parseSignalKind(std::string_view name) noexcept;
} // namespace wb
