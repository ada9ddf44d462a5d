#include "Cli/Subcommands.h"
#include "Engine/FaustEffectNode.h"
#include "Engine/EffectResolver.h"
#include "Faust/FaustCatalogue.h"
#include "FaustRuntime/ChannelFit.h"

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include <memory>

namespace wb::cli
{
namespace
{
const char* kindName(FaustControl::Kind k)
{
    switch (k)
    {
        case FaustControl::Kind::slider: return "slider";
        case FaustControl::Kind::entry: return "entry";
        case FaustControl::Kind::button: return "button";
        case FaustControl::Kind::checkbox: return "checkbox";
        case FaustControl::Kind::bargraph: return "bargraph";
    }
    return "unknown";
}

std::string metaOr(const FaustDescription& d, const char* key, const std::string& fallback = {})
{
    auto it = d.meta.find(key);
    return it == d.meta.end() ? fallback : it->second;
}
} // namespace

void registerEffectsCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("effects", "List the built-in Faust effects and every parameter");
    auto json = std::make_shared<bool>(false);
    auto dsp = std::make_shared<std::string>();
    sub->add_flag("--json", *json, "Print JSON instead of text");
    sub->add_option("--dsp", *dsp, "A Faust .dsp file: compile it (at run time) and list its parameters instead");
    ctx.actions["effects"] = [&ctx, json, dsp]
    {
        // One effect as listed: its node (at 48 kHz) and description.
        auto describe = [](FaustEffectNode& node, const std::string& id, const std::string& fallbackName)
        {
            node.prepareToPlay(48000.0, 512); // latency is reported at 48 kHz
            const auto& d = node.description();
            nlohmann::json params = nlohmann::json::array();
            for (const auto& c : d.controls)
                params.push_back({{"name", c.label}, {"path", c.path}, {"kind", kindName(c.kind)},
                                  {"output", c.isOutput()}, {"unit", c.unit}, {"min", c.min}, {"max", c.max},
                                  {"default", c.init}, {"step", c.step}, {"scale", c.scale}, {"tooltip", c.tooltip}});
            return nlohmann::json{{"id", id}, {"name", metaOr(d, "name", fallbackName)},
                                  {"description", metaOr(d, "description")}, {"inputs", node.getTotalNumInputChannels()},
                                  {"outputs", node.getTotalNumOutputChannels()},
                                  {"latency_samples_48k", node.getLatencySamples()}, {"parameters", params}};
        };
        nlohmann::json list = nlohmann::json::array();
        if (!dsp->empty())
        {
            if (!isDspPath(*dsp))
                throw UsageError(fmt::format("--dsp '{}': expected a Faust file ending in .dsp", *dsp));
            // The module as it is (its own channels), not fitted to the chain: it may be a source.
            faustrt::CompileError error;
            const auto module = loadDspFile(*dsp, error);
            if (module == nullptr)
                throw UsageError(error.text());
            FaustEffectNode node(faustrt::createInstance(module), module->source.path);
            auto fx = describe(node, module->source.path, module->source.name);
            // The channels the node shows are at least 1; the module's own are what a user needs.
            fx["inputs"] = module->inputs;
            fx["outputs"] = module->outputs;
            fx["key"] = module->key;
            const auto problem = faustrt::stereoFitProblem(module->inputs, module->outputs);
            fx["chain"] = problem ? *problem : "fits the chain's stereo pairs (see README, \"Your own Faust code\")";
            list.push_back(fx);
        }
        else
            for (const auto& entry : faust::catalogue())
            {
                auto node = FaustEffectNode::create(entry.id);
                list.push_back(describe(*node, entry.id, entry.className));
            }
        if (*json)
        {
            ctx.out << nlohmann::json{{"effects", list}}.dump(2) << "\n";
            return 0;
        }
        for (const auto& fx : list)
        {
            ctx.out << fmt::format("{:<14} {} - {}\n", fx["id"].get<std::string>(), fx["name"].get<std::string>(),
                                   fx["description"].get<std::string>());
            if (fx.contains("key"))
                ctx.out << fmt::format("    {} in, {} out; chain: {}\n", fx["inputs"].get<int>(), fx["outputs"].get<int>(),
                                       fx["chain"].get<std::string>());
            for (const auto& p : fx["parameters"])
            {
                const auto unit = p["unit"].get<std::string>();
                if (p["output"].get<bool>())
                    ctx.out << fmt::format("    {:<24} meter, {} .. {} {}\n", p["name"].get<std::string>(),
                                           p["min"].get<float>(), p["max"].get<float>(), unit);
                else
                    ctx.out << fmt::format("    {:<24} {} .. {} {} (default {})\n", p["name"].get<std::string>(),
                                           p["min"].get<float>(), p["max"].get<float>(), unit,
                                           p["default"].get<float>());
            }
        }
        return 0;
    };
}
} // namespace wb::cli
