#pragma once
// The offline effect chain shared by `wavebench render` and `wavebench measure --offline`. It runs
// through the live engine's chain code (Engine/EffectChainNode), not a runner of its own:
//   - --chain gain,reverb,gain: catalogue ids in order (at most EffectChainNode::kMaxSlots).
//     Instances are named by id for the first occurrence and id#2, id#3 ... for the later ones
//     ("gain#1" also names the first).
//   - The stages are the model before the first sample: each effect's description (the
//     catalogue's, no DSP instance) and every input value, --set FX.PARAM=VALUE applied there.
//   - ChainRunner builds one EffectChainNode per channel pair from that model, in place
//     (EffectChainNode::buildInPlaceFromUi: every effect in the order and unbypassed from the
//     first sample, no insert crossfade, the values set before it), and delivers --automation
//     events on their exact samples through the chain's own routing by NodeId
//     (EffectChainNode::handleCommandOnAudio -> FaustEffectNode::queueCommandOnAudio).
//   - Channels are processed in pairs (1+2, 3+4, ...), each pair through its own chain; an odd
//     last channel (and a mono signal) feeds both inputs of its chain and keeps the first output.
//     So an effect's state is never shared between pairs.
// Everything here throws UsageError for bad input, before any audio is processed.
#include "Cli/Subcommands.h"
#include "Core/Session/ChainState.h"
#include "Core/Session/ParamSpec.h"
#include "Engine/EffectChainNode.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wb::cli
{
/// One effect of the chain before the first sample (message thread): its name on the command
/// line, its description and every control's value.
struct ChainStage
{
    std::string instance; ///< "gain", "gain#2"
    std::string effectId;
    const FaustDescription* description = nullptr; ///< the catalogue's (session::catalogueDescription)
    std::vector<ParamSpec> specs;                   ///< indexed as description->controls
    std::vector<float> values;                      ///< indexed as description->controls (inputs: defaults, --set)
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
/// The stages for --chain ids, every value at its default; throws UsageError for an unknown id
/// or more effects than a chain takes.
std::vector<ChainStage> buildChain(const std::vector<std::string>& ids);
/// Applies --set FX.PARAM=VALUE to the stages' values; returns them for the sidecar.
nlohmann::json applySets(std::vector<ChainStage>& stages, const std::vector<std::string>& sets);
/// Reads and checks --automation; events sorted by sample (stable).
std::vector<ChainEvent> readAutomation(const std::string& path, const std::vector<ChainStage>& stages, double rate,
                                       std::int64_t frames, nlohmann::json& record);
/// Every stage as the session's chain description (session::toJson: instance, effect, bypassed,
/// values by path) plus its input values by label ("settings"), for a JSON record.
nlohmann::json chainSettingsJson(const std::vector<ChainStage>& stages);

/// The stages as the session's chain (instance, effect, not bypassed, every input value by path).
session::ChainState chainStateOf(const std::vector<ChainStage>& stages);

/// Runs blocks through the chain: one EffectChainNode per channel pair, built in place from the
/// stages; the events of each block handed to every pair's chain at their offsets first.
class ChainRunner
{
public:
    /// Message thread: builds and prepares the chains (allocates).
    ChainRunner(const std::vector<ChainStage>& stages, std::vector<ChainEvent> events, double rate, int block,
                int numChannels);
    /// The render's (audio) thread: no allocation, no lock. `n` <= the block given above.
    void process(float* const* channels, int numChannels, int n) noexcept;

private:
    std::vector<std::unique_ptr<EffectChainNode>> chains; ///< one per channel pair
    std::vector<NodeId> ids;                              ///< each stage's NodeId (the same in every chain)
    std::vector<ChainEvent> events;
    std::size_t next = 0;
    std::int64_t position = 0;
    juce::AudioBuffer<float> pairBuffer;
};
} // namespace wb::cli
