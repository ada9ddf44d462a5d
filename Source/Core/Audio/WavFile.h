#pragma once
// WAV files through libsndfile. Every failure (unwritable path, full disk, bad file) comes back as
// a message, never as an exception or a crash. Allocates and does I/O: not for the audio thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb
{
enum class SampleFormat : std::uint8_t
{
    Float32, ///< IEEE float, stored as is (values beyond +-1 survive)
    Pcm24,   ///< 24-bit integer
    Pcm16,   ///< 16-bit integer
};

[[nodiscard]] std::string_view sampleFormatName(SampleFormat f) noexcept; ///< "f32", "s24", "s16"
[[nodiscard]] std::optional<SampleFormat> parseSampleFormat(std::string_view name) noexcept;

struct WavWriteResult
{
    bool ok = false;
    std::string error;               ///< empty when ok
    std::int64_t clippedSamples = 0; ///< integer formats: samples beyond full scale, clipped
};

/// Writes planar channels (all the same length) to `path`, replacing it.
/// Integer formats: x * 2^(bits-1), rounded to nearest (halves away from zero), clipped to
/// [-2^(bits-1), 2^(bits-1) - 1] (NaN counts as clipped, to the negative end);
/// no dither (a test signal must be exactly what was asked for), so reading back gives
/// round(x * 2^(bits-1)) / 2^(bits-1): an error of at most half a step.
[[nodiscard]] WavWriteResult writeWav(const std::string& path, const std::vector<std::vector<float>>& channels,
                                      double sampleRate, SampleFormat format);

/// Streams a WAV file block by block (the same conversion as writeWav). Failures come back as
/// false with the reason in `error`; a writer destroyed without close() still closes the file.
class WavWriter
{
public:
    WavWriter();
    ~WavWriter();
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    bool open(const std::string& path, int numChannels, double sampleRate, SampleFormat format, std::string& error);
    /// channels: numChannels pointers to numFrames samples each.
    bool write(const float* const* channels, std::int64_t numFrames, std::string& error);
    bool close(std::string& error);
    [[nodiscard]] std::int64_t clippedSamples() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// As writeWav, but through a temporary file in the same directory that is renamed over `path`
/// only when everything was written: a failure leaves no partial file behind.
[[nodiscard]] WavWriteResult writeWavAtomically(const std::string& path,
                                                const std::vector<std::vector<float>>& channels,
                                                double sampleRate, SampleFormat format);

/// Checks, by creating and removing a temporary file beside it, that `path` could be written.
/// Returns the reason when it could not.
[[nodiscard]] std::optional<std::string> checkWritable(const std::string& path);

/// Creates an empty, uniquely named temporary file in the directory of `path` and returns its
/// name, or nullopt with the reason in `error`.
[[nodiscard]] std::optional<std::string> makeTemporaryBeside(const std::string& path, std::string& error);

struct WavData
{
    double sampleRate = 0.0;
    SampleFormat format = SampleFormat::Float32;
    std::vector<std::vector<float>> channels; ///< planar; integers scaled by 2^-(bits-1)

    [[nodiscard]] std::int64_t numFrames() const noexcept
    {
        return channels.empty() ? 0 : static_cast<std::int64_t>(channels.front().size());
    }
};

/// Reads a WAV (or any format libsndfile knows) to float; nullopt with the reason in `error`.
[[nodiscard]] std::optional<WavData> readWav(const std::string& path, std::string& error);
} // namespace wb
