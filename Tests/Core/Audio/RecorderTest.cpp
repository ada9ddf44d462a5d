// The recorder's tap and writer (Core/Audio/Recorder): the audio side under the real-time guard,
// gaps counted exactly when the writer is stalled, pre-roll, the frame limit, dither, and the
// faults (file size limit, folder removed) leaving a file whose header covers every frame.
//
// The test thread plays the audio thread: it calls captureOnAudio with a ramp whose value names
// its own frame (frame k carries (k mod 2^20) / 2^20, exact in float), so every frame read back
// says where it came from and the expected gaps are known from the pool's size alone.
#include "Core/Audio/Recorder.h"
#include "Support/RealtimeGuard.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>

#include <sndfile.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h> // setrlimit (POSIX)

namespace
{
constexpr double kRampScale = 1048576.0; // 2^20

/// Feeds a recorder as an audio thread would: `channels` channels of the frame-numbered ramp
/// (channel c carries the ramp times -(c+1)... scaled so it stays exact: value * 2^-c).
class RampSource
{
public:
    RampSource(int channels, int blockFrames)
        : data(static_cast<std::size_t>(channels), std::vector<float>(static_cast<std::size_t>(blockFrames))),
          ptrs(static_cast<std::size_t>(channels))
    {
        for (std::size_t c = 0; c < data.size(); ++c)
            ptrs[c] = data[c].data();
    }
    /// Fills the next block (outside any guard: this is the "device"), returns the pointers.
    const float* const* next(int frames)
    {
        for (std::size_t c = 0; c < data.size(); ++c)
            for (int i = 0; i < frames; ++i)
                data[c][static_cast<std::size_t>(i)] = rampValue(frame + i, static_cast<int>(c));
        frame += frames;
        return ptrs.data();
    }
    static float rampValue(std::int64_t k, int channel)
    {
        return static_cast<float>(std::ldexp(static_cast<double>(k % 1048576) / kRampScale, -channel));
    }
    std::int64_t frame = 0;

private:
    std::vector<std::vector<float>> data;
    std::vector<const float*> ptrs;
};

/// Runs one callback of `frames` under the real-time guard and adds what it counted.
void captureGuarded(wb::Recorder& r, RampSource& src, int frames, wb::test::RealtimeCounts& total)
{
    const float* const* channels = src.next(frames);
    total += wb::test::countRealtimeViolations([&] { r.captureOnAudio(channels, frames); });
}

/// Polls (against a deadline, never a fixed sleep) until `done()`; false on timeout.
template <typename Fn>
bool waitFor(Fn done, double seconds = 20.0)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!done())
    {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

/// Whether the "audio thread" may go on without losing frames: the writer is less than the pool
/// behind (blocks come back to the pool only inside captureOnAudio, so the pool's own count cannot
/// say it), or it failed (then the next call ends the recording).
bool hasRoom(const wb::Recorder& r)
{
    const auto s = r.statsFromUi();
    return r.failedFromUi()
           || s.writerLagFrames + 4 * static_cast<std::int64_t>(s.pool.maxFrames)
                  < static_cast<std::int64_t>(s.pool.capacity * s.pool.maxFrames);
}

struct FileCheck
{
    std::int64_t headerFrames = -1; ///< what the header says (libsndfile's frames)
    std::int64_t dataChunkBytes = -1; ///< the RIFF 'data' chunk's size field, read by hand
    int blockAlign = 0;
    std::vector<std::vector<float>> channels;
};

/// Reads the file with libsndfile, and the 'data' chunk's size from the bytes themselves.
FileCheck readBack(const std::string& path)
{
    FileCheck f;
    SF_INFO info{};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(file != nullptr);
    f.headerFrames = info.frames;
    std::vector<float> interleaved(static_cast<std::size_t>(info.frames * info.channels));
    const sf_count_t got = sf_readf_float(file, interleaved.data(), info.frames);
    sf_close(file);
    REQUIRE(got == info.frames);
    f.channels.assign(static_cast<std::size_t>(info.channels), std::vector<float>(static_cast<std::size_t>(got)));
    for (sf_count_t i = 0; i < got; ++i)
        for (int c = 0; c < info.channels; ++c)
            f.channels[static_cast<std::size_t>(c)][static_cast<std::size_t>(i)] =
                interleaved[static_cast<std::size_t>(i * info.channels + c)];

    const std::string bytes = wb::test::slurp(path);
    auto u32 = [&](std::size_t at)
    {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at]))
               | static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 8
               | static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 16
               | static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + 3])) << 24;
    };
    REQUIRE(bytes.size() >= 12);
    CHECK(bytes.substr(0, 4) == "RIFF"); // under 4 GB the RF64 writer gives plain WAVE back
    for (std::size_t at = 12; at + 8 <= bytes.size();)
    {
        const std::string id = bytes.substr(at, 4);
        const std::uint32_t size = u32(at + 4);
        if (id == "fmt ")
            f.blockAlign = static_cast<int>(u32(at + 8 + 12) & 0xFFFF);
        if (id == "data")
        {
            f.dataChunkBytes = size;
            break;
        }
        at += 8 + size + (size & 1);
    }
    return f;
}

/// Frame k of the file came from ramp frame `source(k)`: checks every frame of every channel.
template <typename SourceOf>
bool matchesRamp(const FileCheck& f, SourceOf source)
{
    for (std::size_t c = 0; c < f.channels.size(); ++c)
        for (std::size_t k = 0; k < f.channels[c].size(); ++k)
            if (f.channels[c][k] != RampSource::rampValue(source(static_cast<std::int64_t>(k)), static_cast<int>(c)))
            {
                UNSCOPED_INFO("first mismatch: channel " << c << " file frame " << k << ": " << f.channels[c][k]
                                                         << " != ramp frame " << source(static_cast<std::int64_t>(k)));
                return false;
            }
    return true;
}
} // namespace

TEST_CASE("recorder: a stalled writer costs the audio thread nothing, the lost frames are exactly the gap",
          "[core][rt][nosan]")
{
    const auto dir = wb::test::freshTempDir("wb-recorder", "stall");
    const std::string path = (dir / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 2;
    config.blockFrames = 256;
    config.headroomSeconds = 0.05; // 2400 frames: 10 blocks (+2)
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));
    const auto capacity = static_cast<std::int64_t>(r.statsFromUi().pool.capacity);
    REQUIRE(capacity == 12);

    r.stallWriterForTest(true);
    REQUIRE(r.startFromUi({path, wb::SampleFormat::float32}, error));
    RampSource src(2, 100);
    wb::test::RealtimeCounts rt;
    for (int i = 0; i < 60; ++i) // 6000 frames; the pool holds 12 x 256 = 3072
        captureGuarded(r, src, 100, rt);
    const std::int64_t held = capacity * config.blockFrames;
    const auto stalled = r.statsFromUi();
    CHECK(stalled.pool.inUse == static_cast<std::size_t>(capacity));
    CHECK(stalled.pool.highWater == static_cast<std::size_t>(capacity));
    CHECK(stalled.framesLost == 6000 - held);
    CHECK(stalled.framesCaptured == held);
    CHECK(stalled.writerLagFrames == held);

    r.stallWriterForTest(false);
    REQUIRE(waitFor([&] { return r.statsFromUi().framesWritten == held; }));
    for (int i = 0; i < 20; ++i) // 6000 .. 7999, written as they come
        captureGuarded(r, src, 100, rt);
    r.stopFromUi();
    captureGuarded(r, src, 100, rt); // sees the stop at frame 8000: records none of it
    REQUIRE(r.endedFromUi());
    const auto result = r.finishFromUi(false);
    INFO(rt.describe());
    CHECK(rt.clean());

    REQUIRE(result.ok);
    REQUIRE(result.gaps.size() == 1);
    CHECK(result.gaps[0].atFrame == held);
    CHECK(result.gaps[0].atFileFrame == held);
    CHECK(result.gaps[0].frames == 6000 - held);
    CHECK(result.framesLost == 6000 - held);
    CHECK(result.framesWritten == held + 2000);

    const auto f = readBack(path);
    CHECK(f.headerFrames == result.framesWritten);
    CHECK(f.dataChunkBytes == result.framesWritten * f.blockAlign);
    CHECK(matchesRamp(f, [&](std::int64_t k) { return k < held ? k : k - held + 6000; }));
    std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: the pre-roll puts the frames before the start at the head of the file", "[core]")
{
    const auto dir = wb::test::freshTempDir("wb-recorder", "preroll");
    const std::string path = (dir / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 1;
    config.blockFrames = 64;
    config.sampleRate = 1000.0;
    config.preRollSeconds = 0.25; // 250 frames
    SECTION("a full pre-roll: exactly 250 frames before the start, then exactly the frames asked for")
    {
        wb::Recorder r;
        std::string error;
        REQUIRE(r.prepare(config, error));
        RampSource src(1, 37);
        for (int i = 0; i < 40; ++i) // 1480 frames of pre-roll filling, odd callback size
            r.captureOnAudio(src.next(37), 37);
        wb::RecordingTarget t{path, wb::SampleFormat::float32};
        t.framesAfterStart = 500;
        REQUIRE(r.startFromUi(t, error));
        while (!r.endedFromUi())
            r.captureOnAudio(src.next(37), 37);
        const auto result = r.finishFromUi(false);
        REQUIRE(result.ok);
        CHECK(result.preRollFrames == 250);
        CHECK(result.framesWritten == 750);
        CHECK(result.gaps.empty());
        const auto f = readBack(path);
        CHECK(f.headerFrames == 750);
        CHECK(matchesRamp(f, [](std::int64_t k) { return 1480 - 250 + k; }));
    }
    SECTION("a start before the pre-roll filled: the file starts at the first frame seen")
    {
        wb::Recorder r;
        std::string error;
        REQUIRE(r.prepare(config, error));
        RampSource src(1, 37);
        for (int i = 0; i < 3; ++i) // 111 frames only
            r.captureOnAudio(src.next(37), 37);
        wb::RecordingTarget t{path, wb::SampleFormat::float32};
        t.framesAfterStart = 100;
        REQUIRE(r.startFromUi(t, error));
        while (!r.endedFromUi())
            r.captureOnAudio(src.next(37), 37);
        const auto result = r.finishFromUi(false);
        REQUIRE(result.ok);
        CHECK(result.preRollFrames == 111);
        CHECK(result.framesWritten == 211);
        const auto f = readBack(path);
        CHECK(matchesRamp(f, [](std::int64_t k) { return k; }));
    }
    std::filesystem::remove_all(dir);
}

// The race a fresh-clone CI once hit in `record --play` (the play one period late): a start that
// arrives after a play-and-record callback asked beginCallbackOnAudio, but before its
// captureOnAudio, must wait for the next callback, or that block is recorded while the callback
// played it as not recorded. Played here as the two threads would interleave, deterministically.
TEST_CASE("recorder: a start arriving between beginCallbackOnAudio and captureOnAudio waits for the next callback",
          "[core]")
{
    const auto dir = wb::test::freshTempDir("wb-recorder", "begin");
    const std::string path = (dir / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 1;
    config.blockFrames = 64;
    config.sampleRate = 1000.0;
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));
    RampSource src(1, 50);
    r.beginCallbackOnAudio();
    CHECK_FALSE(r.isRecordingOnAudio());
    wb::RecordingTarget t{path, wb::SampleFormat::float32};
    t.framesAfterStart = 100;
    REQUIRE(r.startFromUi(t, error)); // the message thread, between the two calls
    r.captureOnAudio(src.next(50), 50); // frames 0..49: decided as not recorded
    CHECK_FALSE(r.isRecordingOnAudio());
    r.beginCallbackOnAudio(); // the next callback sees the start
    CHECK(r.isRecordingOnAudio());
    r.captureOnAudio(src.next(50), 50); // frames 50..99
    while (!r.endedFromUi())
    {
        r.beginCallbackOnAudio();
        r.captureOnAudio(src.next(50), 50);
    }
    const auto result = r.finishFromUi(false);
    REQUIRE(result.ok);
    CHECK(result.framesWritten == 100);
    const auto f = readBack(path);
    CHECK(matchesRamp(f, [](std::int64_t k) { return 50 + k; }));
    std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: s16 is TPDF-dithered (no rounding bias), f32 is bit for bit", "[core]")
{
    const auto dir = wb::test::freshTempDir("wb-recorder", "dither");
    const std::string path = (dir / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 1;
    config.blockFrames = 512;
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));
    wb::RecordingTarget t{path, wb::SampleFormat::pcm16};
    t.framesAfterStart = 200000;
    REQUIRE(r.startFromUi(t, error));
    // A constant 0.3 steps: rounding alone would give 0 every time (a bias of -0.3 steps); TPDF
    // dither makes the error's mean 0 and keeps every sample within 1.5 steps of the input.
    const double step = 1.0 / 32768.0;
    std::vector<float> dc(512, static_cast<float>(0.3 * step));
    const float* ch[] = {dc.data()};
    while (!r.endedFromUi())
    {
        r.captureOnAudio(ch, 512);
        if (r.statsFromUi().pool.inUse + 2 >= r.statsFromUi().pool.capacity) // keep within the pool
            REQUIRE(waitFor([&] { return r.statsFromUi().writerLagFrames < 4096; }));
    }
    const auto result = r.finishFromUi(false);
    REQUIRE(result.ok);
    REQUIRE(result.gaps.empty());
    const auto f = readBack(path);
    REQUIRE(f.headerFrames == 200000);
    double sum = 0.0;
    double worst = 0.0;
    for (float v : f.channels[0])
    {
        const double e = (static_cast<double>(v) - 0.3 * step) / step;
        sum += e;
        worst = std::max(worst, std::abs(e));
    }
    const double meanError = sum / 200000.0;
    // The dithered error has variance 1/6 + 1/12 steps^2 at most: the mean's standard error is
    // 0.5 / sqrt(200000) = 0.0011 steps; 0.01 is 9 standard errors, 0.3 (no dither) is far out.
    CHECK(std::abs(meanError) < 0.01);
    CHECK(worst <= 1.5);
    std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: a file size limit stops the recording with the reason, the header covers every frame", "[core]")
{
    const auto dir = wb::test::freshTempDir("wb-recorder", "full");
    const std::string path = (dir / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 2;
    config.blockFrames = 256;
    config.headroomSeconds = 1.0; // the pool holds more than the limit lets the file take
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));

    // As a full disk: writes past 100 kB fail (EFBIG), SIGXFSZ ignored so the process lives on.
    rlimit before{};
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &before) == 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = before;
    limited.rlim_cur = 100 * 1024;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &limited) == 0);

    wb::RecordingTarget t{path, wb::SampleFormat::float32};
    t.headerIntervalSeconds = 0.05;
    wb::RecordingResult result;
    if (r.startFromUi(t, error))
    {
        RampSource src(2, 256);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!r.endedFromUi() && std::chrono::steady_clock::now() < deadline)
        {
            if (hasRoom(r))
                r.captureOnAudio(src.next(256), 256);
            else
                std::this_thread::yield();
        }
        result = r.finishFromUi(!r.endedFromUi());
    }
    ::setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, oldHandler);
    REQUIRE(error.empty());

    CHECK_FALSE(result.ok);
    INFO(result.error);
    CHECK(result.error.find("recording stopped") != std::string::npos);
    CHECK(result.error.find(path) != std::string::npos);
    CHECK(result.framesWritten > 0);
    CHECK(result.framesWritten * 8 < 100 * 1024);
    CHECK(result.gaps.empty());
    const auto f = readBack(path);
    CHECK(f.headerFrames == result.framesWritten);
    CHECK(f.dataChunkBytes / f.blockAlign == result.framesWritten);
    CHECK(matchesRamp(f, [](std::int64_t k) { return k; }));
    std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: a folder removed while recording stops it with the reason", "[core]")
{
    const auto dir = wb::test::freshTempDir("wb-recorder", "removed");
    const auto folder = dir / "takes";
    std::filesystem::create_directories(folder);
    const std::string path = (folder / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 1;
    config.blockFrames = 256;
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));
    wb::RecordingTarget t{path, wb::SampleFormat::float32};
    t.headerIntervalSeconds = 0.01;
    REQUIRE(r.startFromUi(t, error));
    RampSource src(1, 256);
    for (int i = 0; i < 8; ++i)
        r.captureOnAudio(src.next(256), 256);
    REQUIRE(waitFor([&] { return r.statsFromUi().framesWritten == 2048; }));
    std::filesystem::remove_all(folder);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!r.endedFromUi() && std::chrono::steady_clock::now() < deadline)
    {
        if (hasRoom(r))
            r.captureOnAudio(src.next(256), 256);
        else
            std::this_thread::yield();
    }
    const auto result = r.finishFromUi(!r.endedFromUi());
    CHECK_FALSE(result.ok);
    INFO(result.error);
    CHECK(result.error.find("was removed while recording") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: refusals come back as messages, nothing started", "[core]")
{
    wb::Recorder r;
    std::string error;
    CHECK_FALSE(r.startFromUi({"/tmp/never.wav", wb::SampleFormat::float32}, error));
    CHECK(error == "the recorder is not prepared");
    wb::RecorderConfig bad;
    bad.numChannels = 0;
    CHECK_FALSE(r.prepare(bad, error));
    REQUIRE(r.prepare(wb::RecorderConfig{}, error));
    error.clear();
    CHECK_FALSE(r.startFromUi({"/nonexistent-folder/take.wav", wb::SampleFormat::float32}, error));
    CHECK(error.find("cannot write /nonexistent-folder/take.wav") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists("/nonexistent-folder/take.wav"));
}

TEST_CASE("recorder: the writer measures a loudness group as it writes: a stereo 1 kHz sine at -20 dBFS peak is "
          "-20.0 LUFS, the other channels not counted",
          "[core][loudness]")
{
    // Channels: 0 noise-free silence, 1-2 the sine (the group), 3 a loud square that must not count.
    // Analytic answer: each sine channel is -23.01 dB RMS, two of them +3.01 dB, and BS.1770's
    // K-weighting gain at 1 kHz (+0.691 dB) cancels its -0.691 dB offset: -20.0 LUFS.
    const auto dir = wb::test::freshTempDir("wb-recorder", "loudness");
    const std::string path = (dir / "take.wav").string();
    wb::RecorderConfig config;
    config.numChannels = 4;
    config.blockFrames = 512;
    config.headroomSeconds = 4.0;
    config.loudnessFirstChannel = 1;
    config.loudnessChannels = 2;
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));
    REQUIRE(r.startFromUi({path, wb::SampleFormat::float32}, error));
    std::vector<std::vector<float>> block(4, std::vector<float>(480));
    std::int64_t n = 0;
    for (int b = 0; b < 300; ++b) // 3 s
    {
        for (std::size_t i = 0; i < 480; ++i, ++n)
        {
            const double phase = 2.0 * std::numbers::pi * 1000.0 * static_cast<double>(n) / 48000.0;
            block[0][i] = 0.0f;
            block[1][i] = block[2][i] = static_cast<float>(0.1 * std::sin(phase));
            block[3][i] = (n / 24) % 2 == 0 ? 0.9f : -0.9f;
        }
        const float* channels[4] = {block[0].data(), block[1].data(), block[2].data(), block[3].data()};
        r.captureOnAudio(channels, 480);
    }
    REQUIRE(waitFor([&] { return std::isfinite(r.statsFromUi().integratedLufs); }));
    CHECK(r.statsFromUi().integratedLufs == Approx(-20.0).margin(0.05));
    r.stopFromUi();
    const float* none[4] = {nullptr, nullptr, nullptr, nullptr};
    r.captureOnAudio(none, 1);
    const auto result = r.finishFromUi(false);
    REQUIRE(result.ok);
    REQUIRE(result.integratedLufs.has_value());
    CHECK(*result.integratedLufs == Approx(-20.0).margin(0.05));
    REQUIRE(result.truePeakDbtp.has_value());
    CHECK(*result.truePeakDbtp == Approx(-20.0).margin(0.05)); // the square's 0.9 would read -0.9 dBTP

    // A group outside the recorded channels is refused, and no file is left.
    config.loudnessFirstChannel = 3;
    wb::Recorder bad;
    REQUIRE(bad.prepare(config, error));
    const std::string badPath = (dir / "bad.wav").string();
    CHECK_FALSE(bad.startFromUi({badPath, wb::SampleFormat::float32}, error));
    CHECK_THAT(error, Catch::Contains("loudness group"));
    CHECK_FALSE(std::filesystem::exists(badPath));
    std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: a take past 4 GB is RF64 and holds every frame to its last", "[core][record][notsan]")
{
    // 16 channels of f32 (64 bytes a frame), 8202 blocks of 8192 frames: 4 300 210 176 bytes of
    // data, past RIFF's 4 GiB limit. The writer (WavWriter, rf64WhenLarge) must switch to RF64;
    // libsndfile (not our code) must read the whole length back, the frames across the 4 GiB mark
    // and the last ones the ramp they were.
    const auto dir = wb::test::freshTempDir("wb-recorder", "rf64");
    std::error_code ec;
    const auto space = std::filesystem::space(dir, ec);
    if (ec || space.available < 6'000'000'000ull)
    {
        WARN("not run: " << dir << " has " << (ec ? 0 : space.available / 1'000'000) << " MB free, 6000 MB needed");
        return;
    }
    constexpr int kChannels = 16;
    constexpr int kBlock = 8192;
    constexpr std::int64_t kTotal = std::int64_t(8202) * kBlock;
    const std::string path = (dir / "big.wav").string();
    wb::RecorderConfig config;
    config.numChannels = kChannels;
    config.blockFrames = kBlock;
    config.headroomSeconds = 4.0;
    wb::Recorder r;
    std::string error;
    REQUIRE(r.prepare(config, error));
    REQUIRE(r.startFromUi({path, wb::SampleFormat::float32}, error));
    // The ramp of RampSource, computed by multiplication (exact: powers of two) to keep it quick.
    std::vector<std::vector<float>> data(kChannels, std::vector<float>(kBlock));
    std::vector<const float*> ptrs(kChannels);
    for (int c = 0; c < kChannels; ++c)
        ptrs[static_cast<std::size_t>(c)] = data[static_cast<std::size_t>(c)].data();
    for (std::int64_t frame = 0; frame < kTotal; frame += kBlock)
    {
        REQUIRE(waitFor([&] { return hasRoom(r); }, 60.0)); // paced by the writer: nothing lost
        for (int c = 0; c < kChannels; ++c)
        {
            const double scale = std::ldexp(1.0 / kRampScale, -c);
            auto& channel = data[static_cast<std::size_t>(c)];
            for (int i = 0; i < kBlock; ++i)
                channel[static_cast<std::size_t>(i)] = static_cast<float>(static_cast<double>((frame + i) % 1048576) * scale);
        }
        r.captureOnAudio(ptrs.data(), kBlock);
    }
    r.stopFromUi();
    r.captureOnAudio(ptrs.data(), 1);
    const auto result = r.finishFromUi(false);
    INFO(result.error);
    REQUIRE(result.ok);
    CHECK(result.framesLost == 0);
    CHECK(result.framesWritten == kTotal);
    CHECK(std::filesystem::file_size(path) > 4'294'967'296ull);
    {
        std::ifstream in(path, std::ios::binary);
        char magic[4] = {};
        in.read(magic, 4);
        CHECK(std::string(magic, 4) == "RF64");
    }
    SF_INFO info{};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(file != nullptr);
    CHECK(info.frames == kTotal);
    CHECK(info.channels == kChannels);
    auto framesMatch = [&](std::int64_t first, int count)
    {
        std::vector<float> got(static_cast<std::size_t>(count * kChannels));
        REQUIRE(sf_seek(file, first, SEEK_SET) == first);
        REQUIRE(sf_readf_float(file, got.data(), count) == count);
        for (int k = 0; k < count; ++k)
            for (int c = 0; c < kChannels; ++c)
                if (got[static_cast<std::size_t>(k * kChannels + c)] != RampSource::rampValue(first + k, c))
                    return false;
        return true;
    };
    CHECK(framesMatch(0, 1000));
    CHECK(framesMatch(4'294'967'296 / 64 - 500, 1000)); // across the 4 GiB mark of the data
    CHECK(framesMatch(kTotal - 1000, 1000));             // the last frames
    sf_close(file);
    std::filesystem::remove_all(dir);
}
