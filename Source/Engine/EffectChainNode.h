#pragma once
// EffectChainNode: the effect chain as one node of the engine's AudioProcessorGraph. Effects are
// added, removed, reordered and bypassed while audio runs, with no click and with no allocation
// or lock on the audio thread:
//   - the message thread creates and prepares a FaustEffectNode (allocates), then hands the raw
//     pointer to the audio thread through an SPSC ring of ChainEdits;
//   - an insert enters the chain fully bypassed (the identity) and then crossfades in through
//     its own bypass ramp; a removal or a move first crossfades the effect out, and only when
//     it is fully bypassed is it taken out of (or moved within) the order;
//   - a removed effect goes back to the message thread through a second ring and is deleted
//     there (collectGarbageFromUi, called from the UI timer).
// Commands for the effects (setParameter, setBypass) address each effect by its own NodeId; the
// chain registers one range handler for kFirstEffectId..kLastEffectId and routes them.
//
// The chain's model (message thread) is the one owner of every effect's input values and bypass
// state: `slotsFromUi()`. A change goes model -> command ring -> audio in one call
// (setParameterFromUi / setBypassFromUi: clamp once, record, send the command); the panels read
// the model, and saving reads only the model (chainStateFromUi), never a Faust zone or the bypass
// state the audio thread owns. What the audio thread owns (smoothed values, meters) comes back as
// telemetry.
//
// Threads: *FromUi on the message thread; processBlock and *OnAudio on the audio thread.
#include "Core/Monitor/NodeTimes.h"
#include "Core/Realtime/CommandQueue.h"
#include "Core/Realtime/CommandDispatcher.h"
#include "Core/Realtime/SpscRing.h"
#include "Core/Realtime/TelemetryQueue.h"
#include "Core/Session/ChainState.h"
#include "Engine/FaustEffectNode.h"

#include "Engine/NodeBase.h"

#include <juce_audio_processors/juce_audio_processors.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace wb
{
namespace chain_detail
{
/// One chain edit, message thread -> audio thread (trivially copyable: it crosses a ring).
struct Edit
{
    enum class Kind { insert, remove, move };
    Kind kind = Kind::insert;
    FaustEffectNode* node = nullptr;
    int position = 0;
    bool bypassed = false; ///< insert/move: the bypass state to fade to once in place
};
} // namespace chain_detail

class EffectChainNode final : public NodeBase
{
public:
    static constexpr int kMaxSlots = 16;
    static constexpr NodeId kFirstEffectId = 1000;
    static constexpr NodeId kLastEffectId = 1999;

    /// What the UI sees of one effect in the chain (message-thread model).
    struct Slot
    {
        NodeId id = 0;
        std::string effectId;
        bool bypassed = false;
        std::vector<float> values;       ///< one per Faust control (inputs: the value sent; outputs: unused)
        FaustEffectNode* node = nullptr; ///< for its description; do not call audio functions
    };

    /// The chain gives its effects the NodeIds firstId..lastId in turn (the engine's main chain:
    /// kFirstEffectId..kLastEffectId; the extra streams of a stream bench: ranges of their own).
    explicit EffectChainNode(NodeId firstId = kFirstEffectId, NodeId lastId = kLastEffectId);
    ~EffectChainNode() override;

    /// Message thread: routes effect commands through `dispatcher` (call before audio starts).
    bool registerWith(CommandDispatcher& dispatcher) noexcept;
    /// Message thread, before audio starts: where effects send bargraph and NaN telemetry.
    void setTelemetry(TelemetryQueue* queue) noexcept { telemetry = queue; }
    /// Message thread, before audio starts: the ring setParameterFromUi / setBypassFromUi push to
    /// (the engine's; null: the model records and nothing is sent).
    void setCommandQueue(CommandQueue* queue) noexcept { commands = queue; }
    /// Message thread, before audio starts: where processBlock adds each effect's time, under the
    /// effect's NodeId (null: not timed).
    void setNodeTimes(monitor::NodeTimes* t) noexcept { times = t; }
    [[nodiscard]] NodeId firstEffectId() const noexcept { return firstId; }
    [[nodiscard]] NodeId lastEffectId() const noexcept { return lastId; }

    /// Message thread: creates effect `effectId`, sets the `values` given (by path, clamped; the
    /// others keep their defaults), prepares it and inserts it at `position` (clamped to the end).
    /// Returns its NodeId, or 0 when the id is unknown, the chain is full or the edit ring is full.
    /// Allocates (here, not on audio).
    NodeId addEffectFromUi(const std::string& effectId, int position = kMaxSlots,
                           const std::vector<session::ParamValue>* values = nullptr, bool bypassed = false);
    /// Message thread: effect `id` made anew from its effect id (a .dsp file edited on disk: the
    /// module cache hands over what the file holds now). Every value whose control path still
    /// exists carries over, the others start at their defaults, the bypass state stays; the old
    /// instance fades out while the new one fades in at the same place (no click). Returns the new
    /// effect's NodeId, or 0 with nothing changed when `id` is unknown or the effect cannot be made.
    NodeId reloadEffectFromUi(NodeId id);
    /// Message thread: crossfades the effect out, then removes it. False if unknown.
    bool removeEffectFromUi(NodeId id);
    /// Message thread: crossfades the effect out, moves it to `position`, crossfades it back in.
    bool moveEffectFromUi(NodeId id, int position);
    /// Message thread: the chain as the UI last arranged it (what the audio thread converges to).
    [[nodiscard]] const std::vector<Slot>& slotsFromUi() const noexcept { return slots; }
    [[nodiscard]] int indexOfFromUi(NodeId id) const noexcept;
    /// Message thread: input control `index` of effect `id` to `value`, clamped to the control's
    /// range: recorded in the model and sent as Command::setParameter. False when the effect or
    /// the input control is unknown, or the command ring is full (the model still records it).
    bool setParameterFromUi(NodeId id, int index, float value) noexcept;
    /// Message thread: bypass effect `id` (crossfaded): recorded and sent as Command::setBypass.
    bool setBypassFromUi(NodeId id, bool bypassed) noexcept;
    /// Message thread: records a bypass the caller sent as a command itself (keeps the model true).
    void noteBypassFromUi(NodeId id, bool bypassed) noexcept;
    /// Message thread: deletes the effects the audio thread has finished with. Returns how many.
    int collectGarbageFromUi();
    /// Message thread: the chain and every input value, from the model only (no zone is read).
    [[nodiscard]] session::ChainState chainStateFromUi() const;
    /// Message thread: replaces the chain by `state` (old effects fade out, new fade in). False,
    /// changing nothing, when an effect is unknown or there are too many.
    bool restoreFromUi(const session::ChainState& state, juce::String& error);
    /// Message thread, while no audio thread runs this chain and before it has processed any
    /// audio (an offline render; call prepareToPlay first): builds the chain of `state` in place.
    /// Every effect is in the processing order at once, in its own bypass state with no insert
    /// crossfade, its values set before the first sample; so the first block already runs the
    /// whole chain. The NodeIds are slotsFromUi()[i].id; commands reach the effects through
    /// handleCommandOnAudio(this, command) as the dispatcher's would. False, changing nothing,
    /// as restoreFromUi, or when the chain is not empty. Allocates (here, not on audio).
    bool buildInPlaceFromUi(const session::ChainState& state, juce::String& error);
    /// Message thread: the chain as the session file's <Chain> (Engine/SessionFile.h).
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveStateFromUi() const;
    /// Message thread: restoreFromUi of a <Chain>, or of an older <ChainPanel> / <EffectChain>.
    /// Returns false, changing nothing, when the XML is not a valid chain (the reason in `error`).
    bool restoreStateFromUi(const juce::XmlElement& xml, juce::String& error);
    /// Message thread: removes every effect.
    void clearFromUi();

    /// Audio thread: the number of effects in the processing order now.
    [[nodiscard]] int activeCountOnAudio() const noexcept { return count; }
    /// Audio thread (or while audio is stopped): the effect at `index` of the processing order
    /// now, or nullptr. Wait-free.
    [[nodiscard]] const FaustEffectNode* effectAtOnAudio(int index) const noexcept
    {
        return index >= 0 && index < count ? order[size_t(index)] : nullptr;
    }
    /// Audio thread (or while audio is stopped): chain edits still fading. Wait-free.
    [[nodiscard]] int pendingEditsOnAudio() const noexcept { return numPending; }
    static void handleCommandOnAudio(void* self, const Command& command) noexcept;

    // juce::AudioProcessor
    const juce::String getName() const override { return "Effect chain"; }
    void prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock) override;
    using juce::AudioProcessor::processBlock;
    void processBlock(juce::AudioBuffer<float>&, juce::MidiBuffer&) override;
    void getStateInformation(juce::MemoryBlock&) override;
    void setStateInformation(const void*, int) override;

private:
    using Edit = chain_detail::Edit;
    struct Pending
    {
        FaustEffectNode* node = nullptr;
        Edit::Kind kind = Edit::Kind::remove;
        int position = 0;
        bool bypassed = false;
    };

    /// A prepared node of `effectId` with `values` set (by path, clamped) and its model; nullptr
    /// when the id cannot be resolved. Allocates.
    std::unique_ptr<FaustEffectNode> makeNodeFromUi(const std::string& effectId,
                                                    const std::vector<session::ParamValue>* values,
                                                    std::vector<float>& model) const;
    NodeId insertNodeFromUi(std::unique_ptr<FaustEffectNode> node, std::vector<float> model, int position,
                            bool bypassed);
    void applyEditsOnAudio() noexcept;
    void settlePendingOnAudio() noexcept;
    [[nodiscard]] int findOnAudio(const FaustEffectNode* node) const noexcept;
    void insertOnAudio(FaustEffectNode* node, int position) noexcept;
    void eraseOnAudio(int index) noexcept;

    // Message thread.
    std::vector<Slot> slots;
    std::vector<std::unique_ptr<FaustEffectNode>> owned; // every node not yet collected
    NodeId firstId = kFirstEffectId, lastId = kLastEffectId;
    NodeId nextId = kFirstEffectId;
    double preparedRate = 48000.0;
    int preparedBlock = 512;
    TelemetryQueue* telemetry = nullptr;
    CommandQueue* commands = nullptr;

    // Between the threads.
    SpscRing<Edit> edits{64};
    SpscRing<FaustEffectNode*> retired{64};

    // Audio thread.
    std::array<FaustEffectNode*, kMaxSlots> order{};
    int count = 0;
    std::array<Pending, kMaxSlots * 2> pending{};
    int numPending = 0;
    monitor::NodeTimes* times = nullptr; // the engine's, owned by the audio thread

    JUCE_DECLARE_NON_COPYABLE_WITH_LEAK_DETECTOR(EffectChainNode)
};
} // namespace wb
