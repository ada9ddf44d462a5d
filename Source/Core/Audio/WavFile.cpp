#include "Core/Audio/WavFile.h"

#include "Core/Signals/Pcg32.h"

#include <sndfile.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include <fcntl.h>  // open (POSIX)
#include <stdlib.h> // mkstemp (POSIX)
#include <sys/stat.h> // chmod, fchmod, stat, umask (POSIX)
#include <unistd.h>   // access, close, read, write (POSIX)

namespace wb
{
namespace
{
constexpr std::size_t kChunkFrames = 8192;
constexpr double kTwoTo31 = 2147483648.0;

struct SndfileCloser
{
    void operator()(SNDFILE* f) const noexcept { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

/// Triangular noise on (-1, 1) steps: the sum of two independent uniform draws on [-0.5, 0.5).
double tpdfStep(signals::Pcg32& rng) noexcept
{
    constexpr double kTwoToMinus32 = 1.0 / 4294967296.0;
    const double a = static_cast<double>(rng.next()) * kTwoToMinus32;
    const double b = static_cast<double>(rng.next()) * kTwoToMinus32;
    return a - b;
}

int bitsOf(SampleFormat f) noexcept
{
    return f == SampleFormat::pcm24 ? 24 : 16;
}

int sndfileFormat(SampleFormat f, WavContainer container = WavContainer::wav) noexcept
{
    const int major = container == WavContainer::rf64WhenLarge ? SF_FORMAT_RF64 : SF_FORMAT_WAV;
    switch (f)
    {
        case SampleFormat::float32: return major | SF_FORMAT_FLOAT;
        case SampleFormat::pcm24: return major | SF_FORMAT_PCM_24;
        case SampleFormat::pcm16: return major | SF_FORMAT_PCM_16;
    }
    return major | SF_FORMAT_FLOAT;
}
} // namespace

std::string_view sampleFormatName(SampleFormat f) noexcept
{
    switch (f)
    {
        case SampleFormat::float32: return "f32";
        case SampleFormat::pcm24: return "s24";
        case SampleFormat::pcm16: return "s16";
    }
    return "f32";
}

std::optional<SampleFormat> parseSampleFormat(std::string_view name) noexcept
{
    for (auto f : {SampleFormat::float32, SampleFormat::pcm24, SampleFormat::pcm16})
        if (sampleFormatName(f) == name)
            return f;
    return std::nullopt;
}

struct WavWriter::Impl
{
    SndfilePtr file;
    std::string path;
    std::size_t numChannels = 0;
    SampleFormat format = SampleFormat::float32;
    double scale = 1.0;
    double maxCode = 0.0;
    int shift = 0;
    std::int64_t framesWritten = 0;
    std::int64_t clipped = 0;
    Dither dither = Dither::none;
    signals::Pcg32 ditherNoise{1};
    std::vector<float> floats;
    std::vector<int> ints;
};

WavWriter::WavWriter() : impl_(std::make_unique<Impl>()) {}
WavWriter::~WavWriter() = default;

bool WavWriter::open(const std::string& path, int numChannels, double sampleRate, SampleFormat format,
                     std::string& error, const WavWriterOptions& options)
{
    *impl_ = Impl{};
    SF_INFO info{};
    info.samplerate = static_cast<int>(std::lround(sampleRate));
    info.channels = numChannels;
    info.format = sndfileFormat(format, options.container);
    if (numChannels < 1 || sf_format_check(&info) == 0)
    {
        error = fmt::format("libsndfile cannot write {} channels at {} Hz as {}", numChannels, info.samplerate,
                            sampleFormatName(format));
        return false;
    }
    impl_->file.reset(sf_open(path.c_str(), SFM_WRITE, &info));
    if (!impl_->file)
    {
        error = fmt::format("cannot write {}: {}", path, sf_strerror(nullptr));
        return false;
    }
    if (options.container == WavContainer::rf64WhenLarge)
        sf_command(impl_->file.get(), SFC_RF64_AUTO_DOWNGRADE, nullptr, SF_TRUE);
    impl_->dither = options.dither;
    impl_->ditherNoise = signals::Pcg32(options.ditherSeed);
    impl_->path = path;
    impl_->numChannels = static_cast<std::size_t>(numChannels);
    impl_->format = format;
    const bool isFloat = format == SampleFormat::float32;
    impl_->scale = isFloat ? 1.0 : std::ldexp(1.0, bitsOf(format) - 1);
    impl_->maxCode = impl_->scale - 1.0;
    impl_->shift = isFloat ? 0 : 32 - bitsOf(format);
    if (isFloat)
        impl_->floats.resize(kChunkFrames * impl_->numChannels);
    else
        impl_->ints.resize(kChunkFrames * impl_->numChannels);
    return true;
}

bool WavWriter::write(const float* const* channels, std::int64_t numFrames, std::string& error)
{
    Impl& w = *impl_;
    if (!w.file)
    {
        error = "the WAV file is not open";
        return false;
    }
    const std::size_t numChannels = w.numChannels;
    const bool isFloat = w.format == SampleFormat::float32;
    const auto frames = static_cast<std::size_t>(numFrames);
    for (std::size_t start = 0; start < frames; start += kChunkFrames)
    {
        const std::size_t n = std::min(kChunkFrames, frames - start);
        for (std::size_t c = 0; c < numChannels; ++c)
        {
            const float* in = channels[c] + start;
            if (isFloat)
            {
                for (std::size_t i = 0; i < n; ++i)
                    w.floats[i * numChannels + c] = in[i];
                continue;
            }
            for (std::size_t i = 0; i < n; ++i)
            {
                double v = static_cast<double>(in[i]) * w.scale;
                if (w.dither == Dither::tpdf)
                    v += tpdfStep(w.ditherNoise);
                std::int32_t code = 0;
                if (v >= w.maxCode + 0.5)
                {
                    ++w.clipped;
                    code = static_cast<std::int32_t>(w.maxCode);
                }
                else if (v <= -w.scale - 0.5 || std::isnan(v))
                {
                    ++w.clipped;
                    code = static_cast<std::int32_t>(-w.scale);
                }
                else
                {
                    // Round to nearest, halves away from zero (a truncating conversion is one
                    // instruction; nearbyint() is a library call here).
                    code = static_cast<std::int32_t>(v + (v >= 0.0 ? 0.5 : -0.5));
                }
                // libsndfile's int interface is 32-bit full scale: the code goes in the top bits.
                w.ints[i * numChannels + c] = static_cast<int>(code * (1 << w.shift));
            }
        }
        const sf_count_t written = isFloat ? sf_writef_float(w.file.get(), w.floats.data(), static_cast<sf_count_t>(n))
                                           : sf_writef_int(w.file.get(), w.ints.data(), static_cast<sf_count_t>(n));
        if (written != static_cast<sf_count_t>(n))
        {
            w.framesWritten += std::max<std::int64_t>(0, static_cast<std::int64_t>(written));
            error = fmt::format("writing {} failed after {} frames: {}", w.path, w.framesWritten,
                                sf_strerror(w.file.get()));
            return false;
        }
        w.framesWritten += static_cast<std::int64_t>(n);
    }
    return true;
}

bool WavWriter::updateHeader(std::string& error)
{
    if (!impl_->file)
        return true;
    // libsndfile rewrites the header in place from the file's current length; it reports no
    // error of its own here, so the file's error state is read after it.
    sf_command(impl_->file.get(), SFC_UPDATE_HEADER_NOW, nullptr, 0);
    if (const int e = sf_error(impl_->file.get()); e != SF_ERR_NO_ERROR)
    {
        error = fmt::format("updating the header of {} failed: {}", impl_->path, sf_error_number(e));
        return false;
    }
    return true;
}

std::int64_t WavWriter::framesWritten() const noexcept
{
    return impl_->framesWritten;
}

bool WavWriter::close(std::string& error)
{
    if (!impl_->file)
        return true;
    // No fsync: the temporary-and-rename guards against partial files from failures; a sync would
    // only add durability against power loss, at the cost of waiting for the disk.
    const int closeError = sf_close(impl_->file.release());
    if (closeError != 0)
    {
        error = fmt::format("closing {} failed: {}", impl_->path, sf_error_number(closeError));
        return false;
    }
    return true;
}

std::int64_t WavWriter::clippedSamples() const noexcept
{
    return impl_->clipped;
}

WavWriteResult writeWav(const std::string& path, const std::vector<std::vector<float>>& channels, double sampleRate,
                        SampleFormat format)
{
    WavWriteResult result;
    if (channels.empty())
    {
        result.error = "nothing to write: no channels";
        return result;
    }
    const std::size_t frames = channels.front().size();
    std::vector<const float*> pointers;
    for (const auto& c : channels)
    {
        if (c.size() != frames)
        {
            result.error = "channels of different lengths";
            return result;
        }
        pointers.push_back(c.data());
    }
    WavWriter writer;
    result.ok = writer.open(path, static_cast<int>(channels.size()), sampleRate, format, result.error)
                && writer.write(pointers.data(), static_cast<std::int64_t>(frames), result.error)
                && writer.close(result.error);
    result.clippedSamples = writer.clippedSamples();
    return result;
}

namespace
{
constexpr int kMaxLinkHops = 40; // as the kernel's ELOOP limit

/// A descriptor this process already holds: /dev/stdout, /dev/fd/N, /proc/self/fd/N ...
bool isOpenDescriptorPath(const std::string& p)
{
    return p.rfind("/proc/", 0) == 0 || p.rfind("/dev/fd/", 0) == 0 || p == "/dev/stdout" || p == "/dev/stderr";
}

/// N for /dev/stdout (1), /dev/stderr (2), /dev/fd/N and /proc/self/fd/N when N is open; else -1.
int openDescriptorOf(const std::string& p)
{
    std::string digits;
    if (p == "/dev/stdout")
        digits = "1";
    else if (p == "/dev/stderr")
        digits = "2";
    else
        for (const std::string prefix : {"/dev/fd/", "/proc/self/fd/"})
            if (p.rfind(prefix, 0) == 0)
                digits = p.substr(prefix.size());
    if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return -1;
    const int fd = std::stoi(digits);
    return ::fcntl(fd, F_GETFD) != -1 ? fd : -1;
}
} // namespace

OutputTarget resolveOutputTarget(const std::string& path)
{
    namespace fs = std::filesystem;
    OutputTarget t;
    t.path = path;
    t.descriptor = openDescriptorOf(path);
    for (int hop = 0; hop < kMaxLinkHops && t.descriptor < 0 && !isOpenDescriptorPath(t.path); ++hop)
    {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(t.path, ec)))
            break;
        const auto next = fs::read_symlink(t.path, ec);
        if (ec)
            break;
        t.path = (next.is_absolute() ? next : fs::path(t.path).parent_path() / next).lexically_normal().string();
        t.descriptor = openDescriptorOf(t.path);
    }
    if (t.descriptor >= 0)
    {
        // Written to the descriptor itself: reopening a file stdout is redirected to would
        // start a second offset at 0 and the two would overwrite each other.
        t.writeThrough = true;
        t.path = path;
        return t;
    }
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) == 0
        && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode)
            || isOpenDescriptorPath(t.path)))
    {
        t.writeThrough = true;
        t.path = path; // open what the user named: a descriptor's link may not be a path
    }
    return t;
}

std::optional<std::string> makeTemporaryBeside(const std::string& path, std::string& error)
{
    const auto target = resolveOutputTarget(path);
    const std::filesystem::path where(target.path);
    std::filesystem::path dir;
    if (target.writeThrough)
    {
        std::error_code ec;
        dir = std::filesystem::temp_directory_path(ec);
        if (ec)
            dir = "/tmp";
    }
    else
        dir = where.has_parent_path() ? where.parent_path() : std::filesystem::path(".");
    std::string pattern = (dir / ("." + where.filename().string() + ".partial-XXXXXX")).string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0)
    {
        error = fmt::format("cannot create a file in {}: {}", dir.string(), std::strerror(errno));
        return std::nullopt;
    }
    // mkstemp creates the file 0600; give it the mode a plain open() would (0666 less the umask),
    // since it becomes the user's file on rename. (Reading the umask sets it; process-wide.)
    // commitTemporary gives it an existing target's mode instead.
    const mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, static_cast<mode_t>(0666) & ~mask);
    close(fd);
    return pattern;
}

namespace
{
/// Copies `from` into the already existing `to` (a FIFO, a device, a held descriptor).
bool copyInto(const std::string& from, const OutputTarget& to, std::string& error)
{
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0)
    {
        error = fmt::format("cannot read back {}: {}", from, std::strerror(errno));
        return false;
    }
    const bool own = to.descriptor < 0;
    const int out = own ? ::open(to.path.c_str(), O_WRONLY | O_CLOEXEC) : to.descriptor;
    if (out < 0)
    {
        error = fmt::format("cannot write {}: {}", to.path, std::strerror(errno));
        ::close(in);
        return false;
    }
    std::vector<char> buffer(1 << 16);
    bool ok = true;
    for (;;)
    {
        const ssize_t n = ::read(in, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
        {
            error = fmt::format("cannot read back {}: {}", from, std::strerror(errno));
            ok = false;
            break;
        }
        if (n == 0)
            break;
        for (ssize_t done = 0; done < n;)
        {
            const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
            {
                error = fmt::format("cannot write {}: {}", to.path, w < 0 ? std::strerror(errno) : "nothing written");
                ok = false;
                break;
            }
            done += w;
        }
        if (!ok)
            break;
    }
    ::close(in);
    if (own && ::close(out) != 0 && ok)
    {
        error = fmt::format("cannot write {}: {}", to.path, std::strerror(errno));
        ok = false;
    }
    return ok;
}
} // namespace

bool commitTemporary(const std::string& temp, const std::string& path, std::string& error)
{
    const auto target = resolveOutputTarget(path);
    std::error_code ec;
    if (target.writeThrough)
    {
        const bool ok = copyInto(temp, target, error);
        std::filesystem::remove(temp, ec);
        return ok;
    }
    struct stat st
    {
    };
    if (::stat(target.path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
        ::chmod(temp.c_str(), st.st_mode & 07777); // an existing file keeps its permissions
    std::filesystem::rename(temp, target.path, ec);
    if (ec)
    {
        error = fmt::format("cannot rename the finished file to {}: {}", target.path, ec.message());
        std::filesystem::remove(temp, ec);
        return false;
    }
    return true;
}

std::optional<std::string> checkWritable(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return fmt::format("{} is a directory", path);
    const auto target = resolveOutputTarget(path);
    if (target.writeThrough)
    {
        if (::access(path.c_str(), W_OK) != 0)
            return std::string(std::strerror(errno));
        return std::nullopt;
    }
    std::string error;
    const auto temp = makeTemporaryBeside(path, error);
    if (!temp)
        return error;
    std::filesystem::remove(*temp, ec);
    return std::nullopt;
}

WavWriteResult writeWavAtomically(const std::string& path, const std::vector<std::vector<float>>& channels,
                                  double sampleRate, SampleFormat format)
{
    WavWriteResult result;
    const auto temp = makeTemporaryBeside(path, result.error);
    if (!temp)
        return result;
    result = writeWav(*temp, channels, sampleRate, format);
    std::error_code ec;
    if (!result.ok)
    {
        std::filesystem::remove(*temp, ec);
        return result;
    }
    result.ok = commitTemporary(*temp, path, result.error);
    return result;
}

std::optional<WavData> readWav(const std::string& path, std::string& error)
{
    SF_INFO info{};
    SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
    if (!file)
    {
        error = fmt::format("cannot read {}: {}", path, sf_strerror(nullptr));
        return std::nullopt;
    }
    WavData data;
    data.sampleRate = info.samplerate;
    const int subtype = info.format & SF_FORMAT_SUBMASK;
    data.format = subtype == SF_FORMAT_PCM_24 ? SampleFormat::pcm24
                  : subtype == SF_FORMAT_PCM_16 ? SampleFormat::pcm16
                                                : SampleFormat::float32;
    const bool isInt = subtype == SF_FORMAT_PCM_24 || subtype == SF_FORMAT_PCM_16;
    const auto numChannels = static_cast<std::size_t>(info.channels);
    const auto frames = static_cast<std::size_t>(std::max<sf_count_t>(0, info.frames));
    // The header's length is a claim: the channels grow as frames arrive, and no more is reserved
    // up front than the file's size could hold (a damaged or hostile header claiming billions of
    // frames must not allocate them: Tests/Fuzz/WavReadFuzz runs under an RSS limit).
    std::error_code sizeError;
    const auto fileBytes = static_cast<std::size_t>(std::filesystem::file_size(path, sizeError));
    const std::size_t reserve = sizeError ? 0 : std::min(frames, fileBytes / std::max<std::size_t>(1, numChannels) + 1);
    data.channels.assign(numChannels, {});
    for (auto& channel : data.channels)
        channel.reserve(reserve);
    std::vector<float> floats(isInt ? 0 : kChunkFrames * numChannels);
    std::vector<int> ints(isInt ? kChunkFrames * numChannels : 0);
    for (std::size_t start = 0; start < frames;)
    {
        const std::size_t want = std::min(kChunkFrames, frames - start);
        const sf_count_t got = isInt ? sf_readf_int(file.get(), ints.data(), static_cast<sf_count_t>(want))
                                     : sf_readf_float(file.get(), floats.data(), static_cast<sf_count_t>(want));
        if (got <= 0)
        {
            error = fmt::format("reading {} stopped after {} of {} frames: {}", path, start, frames,
                                sf_strerror(file.get()));
            return std::nullopt;
        }
        for (auto& channel : data.channels)
            channel.resize(start + static_cast<std::size_t>(got));
        for (std::size_t i = 0; i < static_cast<std::size_t>(got); ++i)
            for (std::size_t c = 0; c < numChannels; ++c)
                data.channels[c][start + i] =
                    isInt ? static_cast<float>(ints[i * numChannels + c] / kTwoTo31) : floats[i * numChannels + c];
        start += static_cast<std::size_t>(got);
    }
    return data;
}
} // namespace wb
