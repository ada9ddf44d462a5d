// wavebench loudness FILE.wav [--json F] [--target-lufs X [--tolerance-lu T]]: the EBU R128
// figures of an audio file (any format libsndfile reads), streamed through Core/Analysis/Loudness
// block by block, so an hour-long recording needs no more memory than a block. The independent
// check of what render and record write: it shares the meter, not their code paths.
#include "Cli/Cli.h"
#include "Cli/LoudnessReport.h"
#include "Cli/Subcommands.h"
#include "Core/Analysis/Loudness.h"
#include "Core/Util/BuildInfo.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sndfile.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace wb::cli
{
namespace
{
struct LoudnessOptions
{
    std::string file;
    std::string json;
    LoudnessTarget target;
};

struct SndfileCloser
{
    void operator()(SNDFILE* f) const noexcept { sf_close(f); }
};

int runLoudness(const LoudnessOptions& o, Context& ctx)
{
    checkLoudnessTarget(o.target);
    refuseUnwritable(o.json);
    SF_INFO info{};
    std::unique_ptr<SNDFILE, SndfileCloser> file(sf_open(o.file.c_str(), SFM_READ, &info));
    if (!file)
        throw UsageError(fmt::format("cannot read {}: {}", o.file, sf_strerror(nullptr)));
    if (info.channels < 1 || info.channels > 64 || info.samplerate < 8000 || info.samplerate > 768000)
        throw UsageError(fmt::format("{}: {} channels at {} Hz cannot be measured (1..64 channels, 8..768 kHz)",
                                     o.file, info.channels, info.samplerate));
    const int channels = info.channels;
    LoudnessMeter meter(channels, info.samplerate, true);
    constexpr sf_count_t kBlock = 4096;
    std::vector<float> interleaved(static_cast<std::size_t>(kBlock * channels));
    std::vector<std::vector<float>> planar(static_cast<std::size_t>(channels), std::vector<float>(kBlock));
    std::vector<const float*> pointers;
    for (const auto& ch : planar)
        pointers.push_back(ch.data());
    for (;;)
    {
        const sf_count_t n = sf_readf_float(file.get(), interleaved.data(), kBlock);
        if (n <= 0)
            break;
        for (sf_count_t i = 0; i < n; ++i)
            for (int ch = 0; ch < channels; ++ch)
                planar[static_cast<std::size_t>(ch)][static_cast<std::size_t>(i)] =
                    interleaved[static_cast<std::size_t>(i * channels + ch)];
        meter.add(pointers.data(), n);
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        throw UsageError(fmt::format("cannot read {}: {}", o.file, sf_strerror(file.get())));
    if (meter.frames() != info.frames)
        throw UsageError(fmt::format("{}: the header says {} frames but {} could be read", o.file, info.frames,
                                     meter.frames()));

    const auto summary = meter.summary();
    const double seconds = static_cast<double>(meter.frames()) / info.samplerate;
    std::optional<LoudnessCheck> check;
    if (o.target.targetLufs)
        check = checkLoudness(summary, o.target);
    if (!o.json.empty())
    {
        nlohmann::json j;
        j["wavebench"] = versionString();
        j["file"] = std::filesystem::path(o.file).filename().string();
        j["rate_hz"] = info.samplerate;
        j["channels"] = channels;
        j["frames"] = meter.frames();
        j["duration_s"] = seconds;
        j["loudness"] = loudnessJson(summary, channels);
        if (check)
            j["loudness_check"] = check->json;
        writeJsonFile(o.json, j, ctx);
    }
    if (o.json != "-")
    {
        ctx.out << fmt::format("{}: {} ch ({}), {} Hz, {:.3f} s\n", o.file, channels, loudnessLayoutName(channels),
                               info.samplerate, seconds);
        ctx.out << "loudness: " << loudnessLine(summary) << "\n";
    }
    if (check)
    {
        if (check->passed)
        {
            if (o.json != "-")
                ctx.out << check->message << "\n";
        }
        else
        {
            ctx.err << "wavebench: loudness check failed: " << check->message << "\n";
            return kUntrustworthy;
        }
    }
    return kOk;
}
} // namespace

void registerLoudnessCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("loudness", "EBU R128 loudness, loudness range and true peak of an audio file");
    auto o = std::make_shared<LoudnessOptions>();
    sub->add_option("file", o->file, "WAV (or any file libsndfile reads)")->required();
    sub->add_option("--json", o->json, "Also write the figures as JSON to this file (- for stdout)");
    addLoudnessTargetOptions(*sub, o->target);
    ctx.actions["loudness"] = [&ctx, o] { return runLoudness(*o, ctx); };
}
} // namespace wb::cli
