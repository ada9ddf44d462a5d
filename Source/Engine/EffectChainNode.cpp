#include "Engine/EffectChainNode.h"

#include "Core/Monitor/LoadMeter.h"
#include "Engine/SessionFile.h"
#include "Engine/EffectResolver.h"

#include <algorithm>

namespace wb
{
EffectChainNode::EffectChainNode(NodeId first, NodeId last)
    : NodeBase(BusesProperties()
                         .withInput("Input", juce::AudioChannelSet::stereo(), true)
                         .withOutput("Output", juce::AudioChannelSet::stereo(), true)),
      firstId(first), lastId(std::max(first, last)), nextId(first)
{
}

EffectChainNode::~EffectChainNode() = default; // audio has stopped: `owned` frees every node

bool EffectChainNode::registerWith(CommandDispatcher& dispatcher) noexcept
{
    return dispatcher.registerRangeHandler(firstId, lastId, &EffectChainNode::handleCommandOnAudio, this);
}

int EffectChainNode::indexOfFromUi(NodeId id) const noexcept
{
    for (size_t i = 0; i < slots.size(); ++i)
        if (slots[i].id == id)
            return static_cast<int>(i);
    return -1;
}

std::unique_ptr<FaustEffectNode> EffectChainNode::makeNodeFromUi(const std::string& effectId,
                                                                const std::vector<session::ParamValue>* values,
                                                                std::vector<float>& model) const
{
    auto node = FaustEffectNode::create(effectId);
    if (node == nullptr)
        return nullptr;
    node->setTelemetry(telemetry);
    // The model starts from the effect's defaults; the values given replace them. The node is not
    // live yet, so its zones are set directly (setControlOnAudio clamps as the model does).
    const auto& controls = node->description().controls;
    model.clear();
    model.reserve(controls.size());
    for (const auto& c : controls)
        model.push_back(c.init);
    if (values != nullptr)
        for (const auto& v : *values)
            for (size_t i = 0; i < controls.size(); ++i)
                if (!controls[i].isOutput() && controls[i].path == v.path)
                {
                    model[i] = std::clamp(static_cast<float>(v.value), controls[i].min, controls[i].max);
                    node->setControlOnAudio(static_cast<int>(i), model[i]);
                }
    node->prepareToPlay(preparedRate, preparedBlock);
    node->setBypassedNow(true); // enters as the identity, then fades in
    return node;
}

NodeId EffectChainNode::insertNodeFromUi(std::unique_ptr<FaustEffectNode> node, std::vector<float> model,
                                         int position, bool bypassed)
{
    const NodeId id = nextId;
    node->setNodeId(id);
    position = std::clamp(position, 0, static_cast<int>(slots.size()));
    if (!edits.tryPush(Edit{Edit::Kind::insert, node.get(), position, bypassed}))
        return 0;
    nextId = nextId == lastId ? firstId : nextId + 1;
    // The node's id is canonical: a .dsp file by its absolute path, as sessions store it.
    slots.insert(slots.begin() + position, Slot{id, node->effectId(), bypassed, std::move(model), node.get()});
    owned.push_back(std::move(node));
    return id;
}

NodeId EffectChainNode::addEffectFromUi(const std::string& effectId, int position,
                                        const std::vector<session::ParamValue>* values, bool bypassed)
{
    if (static_cast<int>(slots.size()) >= kMaxSlots)
        return 0;
    std::vector<float> model;
    auto node = makeNodeFromUi(effectId, values, model);
    if (node == nullptr)
        return 0;
    return insertNodeFromUi(std::move(node), std::move(model), position, bypassed);
}

NodeId EffectChainNode::reloadEffectFromUi(NodeId id)
{
    const int index = indexOfFromUi(id);
    if (index < 0)
        return 0;
    const Slot old = slots[size_t(index)];
    std::vector<session::ParamValue> values;
    const auto& controls = old.node->description().controls;
    for (size_t i = 0; i < controls.size(); ++i)
        if (!controls[i].isOutput())
            values.push_back({controls[i].path, double(old.values[i])});
    // The new instance first: when it cannot be made, the old one stays, untouched.
    std::vector<float> model;
    auto node = makeNodeFromUi(old.effectId, &values, model);
    if (node == nullptr || !removeEffectFromUi(id))
        return 0;
    // The old effect fades out where it is while the new one, just before it, fades in.
    return insertNodeFromUi(std::move(node), std::move(model), index, old.bypassed);
}

bool EffectChainNode::removeEffectFromUi(NodeId id)
{
    const int index = indexOfFromUi(id);
    if (index < 0 || !edits.tryPush(Edit{Edit::Kind::remove, slots[size_t(index)].node, 0, true}))
        return false;
    slots.erase(slots.begin() + index);
    return true;
}

bool EffectChainNode::moveEffectFromUi(NodeId id, int position)
{
    const int index = indexOfFromUi(id);
    if (index < 0)
        return false;
    position = std::clamp(position, 0, static_cast<int>(slots.size()) - 1);
    auto slot = slots[size_t(index)];
    if (!edits.tryPush(Edit{Edit::Kind::move, slot.node, position, slot.bypassed}))
        return false;
    slots.erase(slots.begin() + index);
    slots.insert(slots.begin() + position, slot);
    return true;
}

bool EffectChainNode::setParameterFromUi(NodeId id, int index, float value) noexcept
{
    const int slot = indexOfFromUi(id);
    if (slot < 0)
        return false;
    auto& s = slots[size_t(slot)];
    const auto& controls = s.node->description().controls;
    if (index < 0 || size_t(index) >= controls.size() || controls[size_t(index)].isOutput())
        return false;
    // Clamped once, here: the model holds what the effect will use, so a saved preset always loads.
    const auto& c = controls[size_t(index)];
    value = std::clamp(value, c.min, c.max);
    s.values[size_t(index)] = value;
    return commands == nullptr
        || commands->pushFromUi(Command::setParameter(id, static_cast<std::uint32_t>(index), value));
}

bool EffectChainNode::setBypassFromUi(NodeId id, bool bypassed) noexcept
{
    if (indexOfFromUi(id) < 0)
        return false;
    noteBypassFromUi(id, bypassed);
    return commands == nullptr || commands->pushFromUi(Command::setBypass(id, bypassed));
}

void EffectChainNode::noteBypassFromUi(NodeId id, bool bypassed) noexcept
{
    if (const int index = indexOfFromUi(id); index >= 0)
        slots[size_t(index)].bypassed = bypassed;
}

int EffectChainNode::collectGarbageFromUi()
{
    int n = 0;
    FaustEffectNode* node = nullptr;
    while (retired.tryPop(node))
    {
        auto it = std::find_if(owned.begin(), owned.end(), [node](const auto& p) { return p.get() == node; });
        if (it != owned.end())
        {
            owned.erase(it);
            ++n;
        }
    }
    return n;
}

void EffectChainNode::clearFromUi()
{
    while (!slots.empty())
        removeEffectFromUi(slots.back().id);
}

session::ChainState EffectChainNode::chainStateFromUi() const
{
    session::ChainState state;
    std::vector<std::string> ids;
    for (const auto& slot : slots)
    {
        session::EffectState fx;
        fx.effectId = slot.effectId;
        fx.bypassed = slot.bypassed;
        const auto& controls = slot.node->description().controls; // the description, not the zones
        for (size_t i = 0; i < controls.size(); ++i)
            if (!controls[i].isOutput())
                fx.values.push_back({controls[i].path, double(slot.values[i])});
        ids.push_back(instanceBaseName(slot.effectId)); // a .dsp file is named by its stem
        state.effects.push_back(std::move(fx));
    }
    const auto names = session::instanceNames(ids);
    for (size_t i = 0; i < names.size(); ++i)
        state.effects[i].instance = names[i];
    return state;
}

bool EffectChainNode::restoreFromUi(const session::ChainState& state, juce::String& error)
{
    // Check everything before changing anything.
    for (const auto& fx : state.effects)
    {
        std::string problem;
        if (!resolveEffect(fx.effectId, problem))
        {
            error = juce::String(problem);
            return false;
        }
    }
    if (static_cast<int>(state.effects.size()) > kMaxSlots)
    {
        error = "too many effects (" + juce::String(int(state.effects.size())) + "; at most " + juce::String(kMaxSlots) + ")";
        return false;
    }
    clearFromUi();
    for (const auto& fx : state.effects)
        if (addEffectFromUi(fx.effectId, kMaxSlots, &fx.values, fx.bypassed) == 0)
        {
            error = "the chain could not take effect '" + juce::String(fx.effectId) + "'";
            return false;
        }
    return true;
}

bool EffectChainNode::buildInPlaceFromUi(const session::ChainState& state, juce::String& error)
{
    if (!slots.empty() || count != 0 || numPending != 0)
    {
        error = "the chain is not empty";
        return false;
    }
    if (!restoreFromUi(state, error))
        return false;
    // No audio thread runs yet: take the inserts restoreFromUi queued off the ring here, each in
    // place at once in its bypass state (addEffectFromUi left it bypassed, to fade in live).
    Edit e;
    while (edits.tryPop(e))
    {
        insertOnAudio(e.node, e.position);
        e.node->setBypassedNow(e.bypassed);
    }
    return true;
}

std::unique_ptr<juce::XmlElement> EffectChainNode::saveStateFromUi() const
{
    return session::writeChainXml(chainStateFromUi());
}

bool EffectChainNode::restoreStateFromUi(const juce::XmlElement& xml, juce::String& error)
{
    session::ChainState state;
    return session::readChainXml(xml, state, error) && restoreFromUi(state, error);
}

void EffectChainNode::getStateInformation(juce::MemoryBlock& dest)
{
    if (auto xml = saveStateFromUi())
        copyXmlToBinary(*xml, dest);
}

void EffectChainNode::setStateInformation(const void* data, int size)
{
    juce::String error;
    if (auto xml = getXmlFromBinary(data, size))
        restoreStateFromUi(*xml, error);
}

void EffectChainNode::prepareToPlay(double sampleRate, int maximumExpectedSamplesPerBlock)
{
    preparedRate = sampleRate;
    preparedBlock = maximumExpectedSamplesPerBlock;
    for (auto& node : owned)
        node->prepareToPlay(sampleRate, maximumExpectedSamplesPerBlock);
}

// ---- audio thread ----------------------------------------------------------------------------

int EffectChainNode::findOnAudio(const FaustEffectNode* node) const noexcept
{
    for (int i = 0; i < count; ++i)
        if (order[size_t(i)] == node)
            return i;
    return -1;
}

void EffectChainNode::insertOnAudio(FaustEffectNode* node, int position) noexcept
{
    if (count == kMaxSlots)
        return; // cannot happen: the UI side refuses beyond kMaxSlots
    position = std::clamp(position, 0, count);
    for (int i = count; i > position; --i)
        order[size_t(i)] = order[size_t(i - 1)];
    order[size_t(position)] = node;
    ++count;
}

void EffectChainNode::eraseOnAudio(int index) noexcept
{
    for (int i = index; i + 1 < count; ++i)
        order[size_t(i)] = order[size_t(i + 1)];
    order[size_t(--count)] = nullptr;
}

void EffectChainNode::applyEditsOnAudio() noexcept
{
    Edit e;
    while (numPending < static_cast<int>(pending.size()) && edits.tryPop(e))
    {
        if (e.kind == Edit::Kind::insert)
        {
            insertOnAudio(e.node, e.position);
            if (!e.bypassed)
                e.node->queueCommandOnAudio(Command::setBypass(e.node->nodeId(), false));
            continue;
        }
        // remove / move: fade the effect out first; settlePendingOnAudio finishes the edit.
        e.node->queueCommandOnAudio(Command::setBypass(e.node->nodeId(), true));
        pending[size_t(numPending++)] = Pending{e.node, e.kind, e.position, e.bypassed};
    }
}

void EffectChainNode::settlePendingOnAudio() noexcept
{
    // Edits settle in the order they were made, so positions mean what the UI meant.
    while (numPending > 0 && pending[0].node->isFullyBypassedOnAudio())
    {
        const Pending p = pending[0];
        for (int i = 1; i < numPending; ++i)
            pending[size_t(i - 1)] = pending[size_t(i)];
        --numPending;
        const int index = findOnAudio(p.node);
        if (index >= 0)
            eraseOnAudio(index);
        if (p.kind == Edit::Kind::remove)
        {
            if (!retired.tryPush(p.node))
                insertOnAudio(p.node, count); // never lose it: keep it bypassed, retry later
            continue;
        }
        insertOnAudio(p.node, p.position);
        if (!p.bypassed)
            p.node->queueCommandOnAudio(Command::setBypass(p.node->nodeId(), false));
    }
}

void EffectChainNode::handleCommandOnAudio(void* self, const Command& command) noexcept
{
    auto& chain = *static_cast<EffectChainNode*>(self);
    chain.applyEditsOnAudio(); // an effect added just before this command must receive it
    for (int i = 0; i < chain.count; ++i)
    {
        FaustEffectNode* node = chain.order[size_t(i)];
        if (command.target != kAllNodes && node->nodeId() != command.target)
            continue;
        // A bypass the user sends while a move is in flight applies once the move has settled.
        bool deferred = false;
        for (int k = 0; k < chain.numPending; ++k)
            if (chain.pending[size_t(k)].node == node && command.type == CommandType::setBypass)
            {
                chain.pending[size_t(k)].bypassed = command.bypassed();
                deferred = true;
            }
        if (!deferred)
            node->queueCommandOnAudio(command);
        if (command.target != kAllNodes)
            return;
    }
}

void EffectChainNode::processBlock(juce::AudioBuffer<float>& buffer, juce::MidiBuffer& midi)
{
    juce::ScopedNoDenormals noDenormals;
    applyEditsOnAudio();
    if (times == nullptr)
    {
        for (int i = 0; i < count; ++i)
            order[size_t(i)]->processBlock(buffer, midi);
    }
    else
    {
        // One clock read per effect boundary: each effect's time is the gap to the next read.
        std::int64_t before = monitor::LoadMeter::nowNs();
        for (int i = 0; i < count; ++i)
        {
            order[size_t(i)]->processBlock(buffer, midi);
            const std::int64_t after = monitor::LoadMeter::nowNs();
            times->addOnAudio(order[size_t(i)]->nodeId(), after - before);
            before = after;
        }
    }
    settlePendingOnAudio();
}
} // namespace wb
