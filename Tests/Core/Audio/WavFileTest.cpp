// WAV round trips through libsndfile, and the failures it must report.
#include "Core/Audio/WavFile.h"
#include "Core/Signals/Render.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

using wb::test::nothingLeftBeside;

namespace
{
std::string outputPath(const std::string& name)
{
    return (std::filesystem::path(WB_TEST_OUTPUT_DIR) / name).string();
}

wb::RenderedSignal renderStereo(wb::SignalKind kind)
{
    wb::SignalSettings s;
    s.kind = kind;
    s.freq = 997.0;
    s.levelDb = -1.0;
    s.duration = 0.5;
    wb::RenderConfig c;
    c.numChannels = 2;
    c.routing.invert[1] = true;
    return wb::renderSignal(s, c);
}
} // namespace

TEST_CASE("the WAV read back equals the in-memory render (f32 exactly, s24 and s16 within half a step)", "[core][signals]")
{
    struct Case
    {
        wb::SampleFormat format;
        double tolerance; ///< half a quantisation step
    };
    for (auto kind : {wb::SignalKind::sine, wb::SignalKind::pink, wb::SignalKind::sweepLog})
    {
        const auto r = renderStereo(kind);
        for (const Case& c : {Case{wb::SampleFormat::float32, 0.0}, Case{wb::SampleFormat::pcm24, std::ldexp(1.0, -24)},
                              Case{wb::SampleFormat::pcm16, std::ldexp(1.0, -16)}})
        {
            const auto path = outputPath(std::string("roundtrip-") + std::string(wb::sampleFormatName(c.format)) + ".wav");
            const auto w = wb::writeWavAtomically(path, r.channels, r.sampleRate, c.format);
            REQUIRE(w.ok);
            CHECK(w.clippedSamples == 0);
            std::string error;
            const auto back = wb::readWav(path, error);
            REQUIRE(back);
            CHECK(error.empty());
            CHECK(back->sampleRate == 48000.0);
            CHECK(back->format == c.format);
            REQUIRE(back->channels.size() == 2);
            REQUIRE(back->numFrames() == r.numFrames());
            double worst = 0.0;
            for (std::size_t ch = 0; ch < 2; ++ch)
                for (std::size_t n = 0; n < r.channels[ch].size(); ++n)
                    worst = std::max(worst, static_cast<double>(std::abs(back->channels[ch][n] - r.channels[ch][n])));
            INFO(wb::signalKindName(kind) << " as " << wb::sampleFormatName(c.format));
            CHECK(worst <= c.tolerance);
        }
    }
}

TEST_CASE("integer WAVs clip beyond full scale and count it, float WAVs keep it", "[core][signals]")
{
    const std::vector<std::vector<float>> x{{0.5f, 1.5f, -2.0f, 1.0f, -1.0f}};
    const auto path = outputPath("clip.wav");
    auto w = wb::writeWav(path, x, 48000.0, wb::SampleFormat::pcm16);
    REQUIRE(w.ok);
    CHECK(w.clippedSamples == 3); // 1.5, -2.0 and +1.0 (the largest code is 32767 / 32768)
    std::string error;
    auto back = wb::readWav(path, error);
    REQUIRE(back);
    CHECK(back->channels[0][0] == 0.5f);
    CHECK(back->channels[0][1] == 32767.0f / 32768.0f);
    CHECK(back->channels[0][2] == -1.0f);
    CHECK(back->channels[0][4] == -1.0f);

    w = wb::writeWav(path, x, 48000.0, wb::SampleFormat::float32);
    REQUIRE(w.ok);
    back = wb::readWav(path, error);
    REQUIRE(back);
    CHECK(back->channels[0] == x[0]);
}

TEST_CASE("WAV failures are messages, never crashes, and leave no partial file", "[core][signals]")
{
    const std::vector<std::vector<float>> x{{0.0f, 0.1f}};
    const std::string missingDir = outputPath("no-such-dir/x.wav");
    auto w = wb::writeWavAtomically(missingDir, x, 48000.0, wb::SampleFormat::pcm24);
    CHECK_FALSE(w.ok);
    CHECK_THAT(w.error, Catch::Contains("no-such-dir"));
    CHECK(wb::checkWritable(missingDir).has_value());
    CHECK(wb::checkWritable(WB_TEST_OUTPUT_DIR).has_value()); // a directory is not a file

    std::string error;
    CHECK_FALSE(wb::readWav(outputPath("does-not-exist.wav"), error));
    CHECK_FALSE(error.empty());

    // Channels of different lengths are refused before anything is written.
    const auto path = outputPath("ragged.wav");
    w = wb::writeWavAtomically(path, {{0.0f, 0.1f}, {0.0f}}, 48000.0, wb::SampleFormat::float32);
    CHECK_FALSE(w.ok);
    CHECK(nothingLeftBeside(path));

    // A full disk: /dev/full accepts the open and fails every write.
    if (std::filesystem::exists("/dev/full"))
    {
        const std::vector<std::vector<float>> big(2, std::vector<float>(1 << 20, 0.25f));
        w = wb::writeWav("/dev/full", big, 48000.0, wb::SampleFormat::float32);
        CHECK_FALSE(w.ok);
        CHECK_FALSE(w.error.empty());
    }
}
