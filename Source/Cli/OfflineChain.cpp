#include "Cli/OfflineChain.h"

#include "Core/Session/ChainStateJson.h"
#include "Core/Session/ParamNames.h"
#include "Engine/EffectResolver.h"
#include "Engine/SessionFile.h"
#include "Faust/FaustCatalogue.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace wb::cli
{
std::string knownEffects()
{
    std::string names;
    for (const auto& e : faust::catalogue())
        names += (names.empty() ? "" : " ") + std::string(e.id);
    return names;
}

std::size_t findStage(const std::vector<ChainStage>& stages, const std::string& name)
{
    std::vector<std::string> instances;
    for (const auto& s : stages)
        instances.push_back(s.instance);
    const auto found = findInstance(instances, name);
    if (!found.index)
        throw UsageError(found.error);
    return *found.index;
}

int findParameter(const ChainStage& stage, const std::string& name)
{
    const auto found = findParam(stage.specs, name, stage.instance);
    if (!found.index)
        throw UsageError(found.error);
    return static_cast<int>(*found.index);
}

namespace
{
/// Values are refused, not clamped: a value outside the control's range is an error.
void requireInRange(const ChainStage& stage, int control, double value)
{
    const auto& spec = stage.specs[static_cast<std::size_t>(control)];
    if (!spec.contains(value))
        throw UsageError(fmt::format("{}.{} = {} is outside its range {:.7g}..{:.7g}{}", stage.instance, spec.label, value,
                                     spec.min, spec.max, spec.unit.empty() ? "" : " " + spec.unit));
}
} // namespace

std::vector<ChainStage> buildChain(const std::vector<std::string>& ids)
{
    if (static_cast<int>(ids.size()) > EffectChainNode::kMaxSlots)
        throw UsageError(fmt::format("--chain: at most {} effects ({} given)", EffectChainNode::kMaxSlots, ids.size()));
    std::vector<ChainStage> stages;
    for (const auto& given : ids)
    {
        // A catalogue id, or a Faust file compiled at run time (Engine/EffectResolver): a compile
        // error or a channel layout that does not fit is refused here, before any file is made.
        const auto id = canonicalEffectId(given);
        std::string error;
        const auto* description = session::catalogueDescription(id, &error);
        if (description == nullptr)
            throw UsageError(isDspPath(id) ? error : fmt::format("unknown effect '{}' (known: {})", id, knownEffects()));
        const auto base = instanceBaseName(id);
        int occurrence = 1;
        for (const auto& s : stages)
            occurrence += instanceBaseName(s.effectId) == base ? 1 : 0;
        ChainStage stage;
        stage.effectId = id;
        stage.instance = instanceName(base, occurrence);
        stage.description = description;
        stage.specs = paramSpecsOf(*description);
        for (const auto& c : description->controls)
            stage.values.push_back(c.init);
        stages.push_back(std::move(stage));
    }
    return stages;
}

/// Applies --set FX.PARAM=VALUE to the stages' values; returns them for the sidecar.
nlohmann::json applySets(std::vector<ChainStage>& stages, const std::vector<std::string>& sets)
{
    nlohmann::json applied = nlohmann::json::array();
    for (const auto& text : sets)
    {
        const auto assignment = splitAssignment(text);
        if (!assignment)
            throw UsageError(fmt::format("--set '{}' is not FX.PARAM=VALUE", text));
        auto& stage = stages[findStage(stages, assignment->effect)];
        const int control = findParameter(stage, assignment->param);
        // The value in the control's unit, as the app's boxes read it ("-6", "-6 dB", "1k" for Hz).
        const auto parsed = stage.specs[static_cast<std::size_t>(control)].parseUnchecked(assignment->value);
        if (!parsed.value)
            throw UsageError(fmt::format("--set '{}': {}", text, parsed.error));
        const double value = *parsed.value;
        requireInRange(stage, control, value);
        // As the effect stores it: a float, clamped to the control's range (it is inside it).
        const auto& c = stage.description->controls[static_cast<std::size_t>(control)];
        stage.values[static_cast<std::size_t>(control)] = std::clamp(static_cast<float>(value), c.min, c.max);
        applied.push_back({{"effect", stage.instance},
                           {"param", c.label},
                           {"value", value}});
    }
    return applied;
}

/// Reads and checks --automation; events sorted by sample (stable).
std::vector<ChainEvent> readAutomation(const std::string& path, const std::vector<ChainStage>& stages, double rate,
                                       std::int64_t frames, nlohmann::json& record)
{
    std::ifstream f(path);
    if (!f)
        throw UsageError(fmt::format("--automation: cannot read '{}'", path));
    nlohmann::json j;
    try
    {
        j = nlohmann::json::parse(f);
    }
    catch (const nlohmann::json::exception& e)
    {
        throw UsageError(fmt::format("--automation {}: not valid JSON ({})", path, e.what()));
    }
    if (!j.is_object() || !j.contains("events") || !j["events"].is_array())
        throw UsageError(fmt::format("--automation {}: expected {{\"events\": [...]}}", path));
    std::vector<ChainEvent> events;
    record = nlohmann::json::array();
    std::size_t n = 0;
    for (const auto& e : j["events"])
    {
        const auto where = fmt::format("--automation {}: event {}", path, n++);
        if (!e.is_object() || !e.contains("effect") || !e["effect"].is_string() || !e.contains("param")
            || !e["param"].is_string() || !e.contains("value") || !e["value"].is_number())
            throw UsageError(where + ": needs \"effect\" and \"param\" (strings) and \"value\" (a number)");
        ChainEvent ev;
        ev.stage = findStage(stages, e["effect"].get<std::string>());
        ev.control = findParameter(stages[ev.stage], e["param"].get<std::string>());
        ev.value = e["value"].get<double>();
        requireInRange(stages[ev.stage], ev.control, ev.value);
        if (e.contains("sample") == e.contains("time"))
            throw UsageError(where + ": give either \"time\" (seconds) or \"sample\" (an integer)");
        if (e.contains("sample"))
        {
            if (!e["sample"].is_number_integer())
                throw UsageError(where + ": \"sample\" must be an integer");
            ev.sample = e["sample"].get<std::int64_t>();
        }
        else
        {
            if (!e["time"].is_number() || !std::isfinite(e["time"].get<double>()))
                throw UsageError(where + ": \"time\" must be a number of seconds");
            ev.sample = std::llround(e["time"].get<double>() * rate);
        }
        if (ev.sample < 0 || ev.sample >= frames)
            throw UsageError(fmt::format("{}: sample {} is outside the render (0..{})", where, ev.sample, frames - 1));
        if (e.contains("ramp"))
        {
            if (!e["ramp"].is_number() || !(e["ramp"].get<double>() >= 0.0) || !std::isfinite(e["ramp"].get<double>()))
                throw UsageError(where + ": \"ramp\" must be seconds >= 0");
            ev.ramp = e["ramp"].get<double>();
        }
        const std::string shape = e.contains("shape") && e["shape"].is_string() ? e["shape"].get<std::string>() : "linear";
        if (shape != "linear" || (e.contains("shape") && !e["shape"].is_string()))
            throw UsageError(where + fmt::format(": shape '{}' is not supported (only \"linear\")", shape));
        events.push_back(ev);
        record.push_back({{"effect", stages[ev.stage].instance},
                          {"param", stages[ev.stage].description->controls[static_cast<std::size_t>(ev.control)].label},
                          {"sample", ev.sample},
                          {"time_s", static_cast<double>(ev.sample) / rate},
                          {"value", ev.value},
                          {"ramp_s", ev.ramp},
                          {"shape", shape}});
    }
    std::stable_sort(events.begin(), events.end(), [](const ChainEvent& a, const ChainEvent& b) { return a.sample < b.sample; });
    return events;
}

session::ChainState chainStateOf(const std::vector<ChainStage>& stages)
{
    session::ChainState state;
    for (const auto& stage : stages)
    {
        session::EffectState fx{stage.instance, stage.effectId, false, {}};
        const auto& controls = stage.description->controls;
        for (std::size_t i = 0; i < controls.size(); ++i)
            if (!controls[i].isOutput())
                fx.values.push_back({controls[i].path, stage.values[i]});
        state.effects.push_back(std::move(fx));
    }
    return state;
}

nlohmann::json chainSettingsJson(const std::vector<ChainStage>& stages)
{
    // The session's chain description (instance, effect id, bypass, every input value by path),
    // the values the chain starts with; plus "settings" by label, as before.
    nlohmann::json chainJson = session::toJson(chainStateOf(stages));
    for (std::size_t s = 0; s < stages.size(); ++s)
    {
        nlohmann::json settings = nlohmann::json::object();
        const auto& controls = stages[s].description->controls;
        for (std::size_t i = 0; i < controls.size(); ++i)
            if (!controls[i].isOutput())
                settings[controls[i].label] = stages[s].values[i];
        chainJson[s]["settings"] = settings;
    }
    return chainJson;
}

ChainRunner::ChainRunner(const std::vector<ChainStage>& stages, std::vector<ChainEvent> e, double rate, int block,
                         int numChannels)
    : events(std::move(e)), pairBuffer(2, block)
{
    const auto state = chainStateOf(stages);
    for (int pair = 0; pair < (numChannels + 1) / 2; ++pair)
    {
        auto chain = std::make_unique<EffectChainNode>();
        chain->prepareToPlay(rate, block); // before the effects: each is prepared once, at this rate
        juce::String error;
        if (!chain->buildInPlaceFromUi(state, error))
            throw std::runtime_error("the offline chain could not be built: " + error.toStdString());
        chains.push_back(std::move(chain));
    }
    if (!chains.empty())
        for (const auto& slot : chains.front()->slotsFromUi())
            ids.push_back(slot.id);
}

void ChainRunner::process(float* const* channels, int numChannels, int n) noexcept
{
    const std::int64_t end = position + n;
    for (; next < events.size() && events[next].sample < end; ++next)
    {
        const auto& ev = events[next];
        const auto command = Command::setParameter(ids[ev.stage], static_cast<std::uint32_t>(ev.control), ev.value,
                                                   static_cast<std::uint32_t>(ev.sample - position), ev.ramp);
        for (auto& chain : chains)
            EffectChainNode::handleCommandOnAudio(chain.get(), command);
    }
    juce::MidiBuffer midi;
    for (int first = 0, pair = 0; first < numChannels; first += 2, ++pair)
    {
        const bool single = first + 1 >= numChannels;
        pairBuffer.setSize(2, n, false, false, true);
        pairBuffer.copyFrom(0, 0, channels[first], n);
        pairBuffer.copyFrom(1, 0, channels[single ? first : first + 1], n);
        chains[static_cast<std::size_t>(pair)]->processBlock(pairBuffer, midi);
        std::copy_n(pairBuffer.getReadPointer(0), n, channels[first]);
        if (!single)
            std::copy_n(pairBuffer.getReadPointer(1), n, channels[first + 1]);
    }
    position = end;
}
} // namespace wb::cli
