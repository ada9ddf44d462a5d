#include "Cli/RenderSidecar.h"

#include "Cli/LoudnessReport.h"
#include "Core/Audio/WavFile.h"
#include "Core/Util/BuildInfo.h"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

namespace wb::cli
{
namespace
{
nlohmann::json levelsJson(const LevelStats& l)
{
    return {{"peak_dbfs", l.peakDb()}, {"rms_dbfs", l.rmsDb()}, {"crest_db", l.crestDb()},
            {"crest_factor", l.crest()}, {"dc", l.mean}};
}
} // namespace

nlohmann::json signalParametersJson(const RenderRequest& request)
{
    const auto& o = request.options;
    const auto& s = request.signal;
    const auto& c = request.config;
    nlohmann::json p = {
        {"freq_hz", s.freq},
        {"to_hz", s.freqTo},
        {"duration_s", s.duration},
        {"rate_hz", o.rate},
        {"channels", o.channels},
        {"format", sampleFormatName(request.format)},
        {"start_phase_cycles", s.startPhase},
        {"impulse_period_samples", s.periodSamples},
        {"fade_in_s", s.fadeIn},
        {"fade_out_s", s.fadeOut},
    };
    nlohmann::json routed = nlohmann::json::array();
    nlohmann::json inverted = nlohmann::json::array();
    for (int ch = 0; ch < o.channels; ++ch)
    {
        if (c.routing.enabled(ch))
            routed.push_back(ch + 1);
        if (c.routing.invert[static_cast<std::size_t>(ch)])
            inverted.push_back(ch + 1);
    }
    p["routed_channels"] = routed;
    p["inverted_channels"] = inverted;
    return p;
}

nlohmann::json renderSidecarJson(const RenderRequest& request, const RenderedWav& wav, const ChainRecord& chain)
{
    const auto& o = request.options;
    const auto& s = request.signal;
    nlohmann::json perChannel = nlohmann::json::array();
    for (const auto& l : wav.perChannel)
        perChannel.push_back(levelsJson(l));

    nlohmann::json j;
    j["wavebench"] = versionString();
    j["file"] = std::filesystem::path(o.out).filename().string();
    j["signal"] = signalKindName(request.kind);
    j["parameters"] = signalParametersJson(request);
    j["seed"] = s.seed;
    j["chain"] = chain.chain;
    j["chain_channel_policy"] = "channel pairs, each through its own instances; an odd last channel feeds both "
                                "inputs and keeps the first output";
    j["set"] = chain.sets;
    j["automation"] = chain.automation;
    j["requested"] = {{"level_dbfs", s.levelDb}, {"level_mode", o.levelMode}};
    if (request.loudnessAtFullScaleLufs)
    {
        // --level-mode lufs: the level asked for, and how it was reached (level_dbfs is the
        // peak level the signal was rendered at).
        j["requested"]["level_lufs"] = o.level;
        j["requested"]["loudness_at_0_dbfs_peak_lufs"] = *request.loudnessAtFullScaleLufs;
    }
    j["measured"] = levelsJson(wav.summary);
    j["measured"]["per_channel"] = perChannel;
    j["measured"]["note"] = "sample values before conversion to the file format";
    j["frames"] = wav.render.numFrames;
    j["level_correction_db"] = wav.render.levelCorrectionDb;
    j["clipped_samples"] = wav.clippedSamples;
    j["loudness"] = wav.loudness ? loudnessJson(*wav.loudness, o.channels) : nlohmann::json(nullptr);
    return j;
}

bool commitRender(const RenderRequest& request, const RenderedWav& wav, const nlohmann::json& j, std::string& error)
{
    const auto& o = request.options;
    const std::string jsonPath = o.out + ".json";
    const auto& wavTemp = wav.temporaryPath;
    // A FIFO or a device (--out /dev/null) is written through and gets no sidecar: there is no
    // folder of the user's to put FILE.json in.
    const bool sidecar = !resolveOutputTarget(o.out).writeThrough;
    std::optional<std::string> jsonTemp;
    bool ok = true;
    if (sidecar)
    {
        jsonTemp = writeTemporaryBeside(jsonPath, j.dump(2) + "\n", error);
        ok = jsonTemp.has_value();
        if (!ok)
            error = fmt::format("cannot write {}: {}", jsonPath, error);
    }
    // The sidecar first: when the WAV then fails, the sidecar (a new file) is taken back.
    if (ok && sidecar)
        ok = commitTemporary(*jsonTemp, jsonPath, error);
    if (ok)
    {
        ok = commitTemporary(wavTemp, o.out, error);
        if (!ok && sidecar)
            removeQuietly(resolveOutputTarget(jsonPath).path);
    }
    if (!ok)
    {
        removeQuietly(wavTemp);
        if (jsonTemp)
            removeQuietly(*jsonTemp);
    }
    return ok;
}
} // namespace wb::cli
