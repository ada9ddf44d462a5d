#include "Cli/Subcommands.h"
#include "Engine/Devices.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace wb::cli
{
void registerDevicesCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("devices", "List the audio device types and their devices");
    auto json = std::make_shared<bool>(false);
    sub->add_flag("--json", *json, "Print JSON instead of text");
    ctx.actions["devices"] = [&ctx, json]
    {
        const auto types = scanAudioDevices();
        if (*json)
        {
            nlohmann::json j;
            j["types"] = nlohmann::json::array();
            for (const auto& t : types)
                j["types"].push_back({{"type", t.type}, {"outputs", t.outputs}, {"inputs", t.inputs}});
            ctx.out << j.dump(2) << "\n";
            return 0;
        }
        if (types.empty())
            ctx.out << "No audio device types are available.\n";
        for (const auto& t : types)
        {
            ctx.out << t.type << "\n";
            if (t.outputs.empty() && t.inputs.empty())
                ctx.out << "  (no devices found)\n";
            for (const auto& o : t.outputs)
                ctx.out << "  output: " << o << "\n";
            for (const auto& i : t.inputs)
                ctx.out << "  input:  " << i << "\n";
        }
        return 0;
    };
}
} // namespace wb::cli
