#pragma once
// The offline effect chain shared by `wavebench render` and `wavebench measure --offline`:
// catalogue effects built per channel pair, --set FX.PARAM=VALUE applied before the first
// sample, --automation events queued on their exact samples, and a BlockProcessor-shaped runner.
//   - --chain gain,reverb,gain: catalogue ids in order. Instances are named by id for the first
//     occurrence and id#2, id#3 ... for the later ones ("gain#1" also names the first).
//   - Channels are processed in pairs (1+2, 3+4, ...), each pair through its own instances of the
//     chain; an odd last channel (and a mono signal) feeds both inputs of its instances and keeps
//     the first output. So an effect's state is never shared between pairs.
// Everything here throws UsageError for bad input, before any audio is processed.
#include "Cli/Subcommands.h"
#include "Engine/FaustEffectNode.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wb::cli
{
/// One effect of the chain: its name on the command line and a node per channel pair.
struct ChainStage
{
    std::string instance; ///< "gain", "gain#2"
    std::string effectId;
    std::vector<std::unique_ptr<FaustEffectNode>> perPair;
};

struct ChainEvent
{
    std::int64_t sample = 0;
    std::size_t stage = 0;
    int control = 0;
    double value = 0.0;
    double ramp = 0.0;
};

/// The catalogue's effect ids, space-separated.
std::string knownEffects();
/// The index of a stage by instance name ("gain", "gain#2"; Core/Session/ParamNames); throws UsageError.
std::size_t findStage(const std::vector<ChainStage>& stages, const std::string& name);
/// The index of an input control of the stage (Core/Session/ParamNames: label, path, '_' for
/// spaces, any case, quotes allowed); throws UsageError naming the known parameters.
int findParameter(const ChainStage& stage, const std::string& name);
/// The stages for --chain ids, one node per channel pair; throws UsageError for an unknown id.
std::vector<ChainStage> buildChain(const std::vector<std::string>& ids, int numChannels);
/// Applies --set FX.PARAM=VALUE to every pair's instance; returns them for the sidecar.
nlohmann::json applySets(std::vector<ChainStage>& stages, const std::vector<std::string>& sets);
/// Reads and checks --automation; events sorted by sample (stable).
std::vector<ChainEvent> readAutomation(const std::string& path, const std::vector<ChainStage>& stages, double rate,
                                       std::int64_t frames, nlohmann::json& record);
/// Every stage as the session's chain description (session::toJson: instance, effect, bypassed,
/// values by path) plus its input values by label ("settings"), for a JSON record.
nlohmann::json chainSettingsJson(const std::vector<ChainStage>& stages);

/// Runs blocks through the chain: each channel pair through its instances, the events of the
/// block queued at their offsets first. Construction prepares the nodes (allocates).
class ChainRunner
{
public:
    ChainRunner(std::vector<ChainStage>& s, std::vector<ChainEvent> e, double rate, int block)
        : stages(s), events(std::move(e)), pairBuffer(2, block)
    {
        for (auto& stage : stages)
            for (auto& node : stage.perPair)
                node->prepareToPlay(rate, block);
    }

    void process(float* const* channels, int numChannels, int n)
    {
        const std::int64_t end = position + n;
        for (; next < events.size() && events[next].sample < end; ++next)
        {
            const auto& ev = events[next];
            const auto offset = static_cast<std::uint32_t>(ev.sample - position);
            for (auto& node : stages[ev.stage].perPair)
                (void) node->queueCommandOnAudio(Command::setParameter(0, static_cast<std::uint32_t>(ev.control),
                                                                       ev.value, offset, ev.ramp));
        }
        juce::MidiBuffer midi;
        for (int first = 0, pair = 0; first < numChannels; first += 2, ++pair)
        {
            const bool single = first + 1 >= numChannels;
            pairBuffer.setSize(2, n, false, false, true);
            pairBuffer.copyFrom(0, 0, channels[first], n);
            pairBuffer.copyFrom(1, 0, channels[single ? first : first + 1], n);
            for (auto& stage : stages)
                stage.perPair[static_cast<std::size_t>(pair)]->processBlock(pairBuffer, midi);
            std::copy_n(pairBuffer.getReadPointer(0), n, channels[first]);
            if (!single)
                std::copy_n(pairBuffer.getReadPointer(1), n, channels[first + 1]);
        }
        position = end;
    }

private:
    std::vector<ChainStage>& stages;
    std::vector<ChainEvent> events;
    std::size_t next = 0;
    std::int64_t position = 0;
    juce::AudioBuffer<float> pairBuffer;
};
} // namespace wb::cli
