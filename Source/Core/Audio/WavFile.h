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
    float32, ///< IEEE float, stored as is (values beyond +-1 survive)
    pcm24,   ///< 24-bit integer
    pcm16,   ///< 16-bit integer
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

/// The file's container: plain RIFF/WAVE (4 GB at most), or RF64 that libsndfile turns back into
/// plain WAVE on close when the data stayed under 4 GB (SFC_RF64_AUTO_DOWNGRADE): a recording of
/// unknown length.
enum class WavContainer : std::uint8_t
{
    wav,
    rf64WhenLarge,
};

/// Integer formats only: Tpdf adds triangular noise of +-1 step (two uniform draws) before the
/// rounding, so the rounding error is independent of the signal (a capture); None rounds as is
/// (a test signal must be exactly what was asked for).
enum class Dither : std::uint8_t
{
    none,
    tpdf,
};

struct WavWriterOptions
{
    WavContainer container = WavContainer::wav;
    Dither dither = Dither::none;
    std::uint64_t ditherSeed = 1;
};

/// Streams a WAV file block by block (the same conversion as writeWav). Failures come back as
/// false with the reason in `error`; a writer destroyed without close() still closes the file.
class WavWriter
{
public:
    WavWriter();
    ~WavWriter();
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    bool open(const std::string& path, int numChannels, double sampleRate, SampleFormat format, std::string& error,
              const WavWriterOptions& options = {});
    /// channels: numChannels pointers to numFrames samples each. On failure the frames that did
    /// reach the file are counted in framesWritten().
    bool write(const float* const* channels, std::int64_t numFrames, std::string& error);
    /// Rewrites the header so that it covers every frame written so far (a file cut off later,
    /// by a crash or a full disk, still reads back whole up to here).
    bool updateHeader(std::string& error);
    bool close(std::string& error);
    [[nodiscard]] std::int64_t clippedSamples() const noexcept;
    [[nodiscard]] std::int64_t framesWritten() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// As writeWav, but through a temporary file in the same directory that is renamed over `path`
/// only when everything was written: a failure leaves no partial file behind. `path` is resolved
/// as resolveOutputTarget says (links followed, devices and FIFOs written through).
[[nodiscard]] WavWriteResult writeWavAtomically(const std::string& path,
                                                const std::vector<std::vector<float>>& channels,
                                                double sampleRate, SampleFormat format);

/// Where writing to `path` puts the bytes. Symbolic links are followed to their end (the link
/// stays a link; its target is replaced, in the target's own folder). A FIFO, a character or block
/// device, or a descriptor this process already holds (/dev/stdout, /dev/fd/N, /proc/self/fd/N)
/// is written through: opened and written, never replaced by a rename.
struct OutputTarget
{
    std::string path;          ///< the file the bytes land in (links resolved)
    bool writeThrough = false; ///< open and write; no temporary beside it, no rename
    int descriptor = -1;       ///< /dev/stdout, /dev/fd/N: written to this open descriptor (its offset shared)
};
[[nodiscard]] OutputTarget resolveOutputTarget(const std::string& path);

/// Finishes an output written to `temp` (from makeTemporaryBeside(path)): renamed over the
/// resolved target, keeping an existing file's permission bits; or, for a write-through target,
/// copied into it and removed. On failure the temporary is removed and `error` says why.
[[nodiscard]] bool commitTemporary(const std::string& temp, const std::string& path, std::string& error);

/// Checks, by creating and removing a temporary file beside it, that `path` could be written.
/// Returns the reason when it could not.
[[nodiscard]] std::optional<std::string> checkWritable(const std::string& path);

/// Creates an empty, uniquely named temporary file in the directory of `path` (of the file its
/// links lead to; the system's temporary folder for a write-through target) and returns its name,
/// or nullopt with the reason in `error`. Finish it with commitTemporary.
[[nodiscard]] std::optional<std::string> makeTemporaryBeside(const std::string& path, std::string& error);

struct WavData
{
    double sampleRate = 0.0;
    SampleFormat format = SampleFormat::float32;
    std::vector<std::vector<float>> channels; ///< planar; integers scaled by 2^-(bits-1)

    [[nodiscard]] std::int64_t numFrames() const noexcept
    {
        return channels.empty() ? 0 : static_cast<std::int64_t>(channels.front().size());
    }
};

/// Reads a WAV (or any format libsndfile knows) to float; nullopt with the reason in `error`.
[[nodiscard]] std::optional<WavData> readWav(const std::string& path, std::string& error);
} // namespace wb
