#include "Engine/SweepReport.h"

#include "Engine/EffectChainNode.h"

#include <algorithm>
#include <cmath>

namespace wb
{
namespace
{
nlohmann::json nullable(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
} // namespace

nlohmann::json sweepSettingsJson(const analysis::SynchronizedSweep& sweep)
{
    const auto& s = sweep.settings();
    return {{"from_hz", s.fromHz},
            {"to_hz", s.toHz},
            {"requested_duration_s", s.seconds},
            {"duration_s", sweep.durationSeconds()},
            {"sweep_rate_l_s", sweep.rateL()},
            {"fade_in_s", sweep.fadeInSeconds()},
            {"fade_out_s", sweep.fadeOutSeconds()},
            {"rate_hz", s.sampleRate},
            {"level_dbfs", s.levelDbfs},
            {"tail_s", s.tailSeconds},
            {"points_per_octave", s.pointsPerOctave},
            {"distortion_convention", kDistortionConvention}};
}

void addSweptSineResultJson(nlohmann::json& j, const analysis::SweptSineResult& r, bool withNoise)
{
    j["delay_frames"] = r.delayFrames;
    j["snr_db"] = r.snrDb;
    j["fft_size"] = r.fftSize;
    j["ir_first_lag"] = r.impulseResponseFirstLag;
    j["window_power_frames"] = r.windowPowerFrames;
    nlohmann::json response = nlohmann::json::array();
    for (const auto& p : r.response)
    {
        response.push_back({{"hz", p.hz}, {"db", p.db}, {"deg", p.deg}, {"gd_ms", p.groupDelayMs}, {"snr_db", p.snrDb}});
        if (withNoise)
            response.back()["noise_db"] = nullable(p.noiseDb);
    }
    j["response"] = response;
    nlohmann::json distortion = nlohmann::json::array();
    for (const auto& p : r.distortion)
    {
        nlohmann::json harmonics = nlohmann::json::array();
        nlohmann::json floors = nlohmann::json::array();
        for (double h : p.harmonicsDb)
            harmonics.push_back(nullable(h));
        for (double h : p.floorDb)
            floors.push_back(nullable(h));
        distortion.push_back({{"hz", p.hz}, {"thd_db", nullable(p.thdDb)}, {"thd_floor_db", nullable(p.thdFloorDb)},
                              {"harmonics_db", harmonics}, {"floor_db", floors}});
    }
    j["distortion"] = distortion;
}

std::vector<float> runChainOffline(const session::ChainState& chain, const std::vector<float>& x, double rate,
                                   int block, std::string& error, const std::function<bool(double)>& progress)
{
    if (chain.effects.empty())
        return x;
    EffectChainNode node;
    node.prepareToPlay(rate, block); // before the effects: each is prepared once, at this rate
    juce::String why;
    if (!node.buildInPlaceFromUi(chain, why))
    {
        error = "the chain could not be built: " + why.toStdString();
        return {};
    }
    std::vector<float> y(x.size());
    juce::AudioBuffer<float> pair(2, block);
    juce::MidiBuffer midi;
    for (std::size_t start = 0; start < x.size(); start += static_cast<std::size_t>(block))
    {
        const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), x.size() - start));
        pair.setSize(2, n, false, false, true);
        pair.copyFrom(0, 0, x.data() + start, n);
        pair.copyFrom(1, 0, x.data() + start, n);
        node.processBlock(pair, midi);
        std::copy_n(pair.getReadPointer(0), n, y.data() + start);
        if (progress && !progress(static_cast<double>(start + static_cast<std::size_t>(n)) / static_cast<double>(x.size())))
        {
            error = "stopped";
            return {};
        }
    }
    return y;
}
} // namespace wb
