// `wavebench check PLUGIN`: the parent side. The plugin runs in a child (`__plugin-check`,
// PluginCheck.cpp) with the real-time guard preloaded; this side enforces a timeout per step,
// turns a crash or a hang into a failed step, prints the verdicts and writes --json.
#include "Cli/ChildProcess.h"
#include "Cli/Cli.h"
#include "Cli/PluginCheck.h"
#include "Cli/PluginCommands.h"
#include "Cli/Subcommands.h"
#include "Engine/PluginHost.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace wb::cli
{
namespace
{
constexpr const char* kCheckChild = "__plugin-check";
constexpr const char* kGuardLibrary = "libwavebench_rtguard.so";

/// The preloadable guard: $WAVEBENCH_RTGUARD, else beside the executable (the build tree), else
/// ../lib/wavebench/ (an install). Empty when none exists.
std::string findGuardLibrary()
{
    namespace fs = std::filesystem;
    if (const char* explicitPath = std::getenv("WAVEBENCH_RTGUARD"); explicitPath != nullptr && *explicitPath != '\0')
        return fs::exists(explicitPath) ? std::string(explicitPath) : std::string();
    const fs::path exeDir = fs::path(ChildProcess::selfExecutable()).parent_path();
    for (const auto& candidate : {exeDir / kGuardLibrary, exeDir / ".." / "lib" / "wavebench" / kGuardLibrary})
        if (fs::exists(candidate))
            return fs::canonical(candidate).string();
    return {};
}

struct CheckOutcome
{
    nlohmann::json plugin;                         ///< what "loaded" said
    nlohmann::json steps = nlohmann::json::array();
    std::string loadError;                          ///< set: the plugin could not be loaded (exit 3)
    bool realtimeMeasured = false;
};

void printStep(const nlohmann::json& step, std::ostream& out)
{
    out << fmt::format("{}  {}", step.value("passed", false) ? "PASS" : "FAIL", step.value("name", ""));
    if (const auto detail = step.value("detail", ""); !detail.empty())
        out << ": " << detail;
    out << "\n";
}

CheckOutcome runChecks(const PluginRef& ref, const CheckPlan& plan, int timeoutMs, std::ostream& out)
{
    CheckOutcome outcome;
    std::vector<std::string> env;
    if (const auto guard = findGuardLibrary(); !guard.empty())
    {
        const char* existing = std::getenv("LD_PRELOAD");
        env.push_back("LD_PRELOAD=" + guard + (existing != nullptr && *existing != '\0' ? std::string(":") + existing : ""));
    }
    ChildProcess child(ChildProcess::selfExecutable(),
                       {kCheckChild, ref.spelled(), "--strictness", std::to_string(plan.strictness), "--seed",
                        std::to_string(plan.seed)},
                       env);
    std::string current = "load";
    bool loaded = false, done = false;
    while (const auto line = child.readLine(timeoutMs))
    {
        const auto space = line->find(' ');
        const std::string kind = line->substr(0, space);
        const std::string rest = space == std::string::npos ? std::string() : line->substr(space + 1);
        if (kind == "step")
            current = nlohmann::json::parse(rest).get<std::string>();
        else if (kind == "loaded")
        {
            loaded = true;
            outcome.plugin = nlohmann::json::parse(rest);
            outcome.realtimeMeasured = outcome.plugin.value("realtime_measured", false);
            out << fmt::format("{} {}: {} ({}), in {} out {}, {} parameters, latency {} samples\n",
                               outcome.plugin.value("format", ""), outcome.plugin.value("id", ""),
                               outcome.plugin.value("name", ""), outcome.plugin.value("vendor", ""),
                               outcome.plugin.value("inputs", 0), outcome.plugin.value("outputs", 0),
                               outcome.plugin.value("parameters", 0), outcome.plugin.value("latency_samples", 0));
        }
        else if (kind == "load-failed")
            outcome.loadError = nlohmann::json::parse(rest).get<std::string>();
        else if (kind == "result")
        {
            auto step = nlohmann::json::parse(rest);
            printStep(step, out);
            outcome.steps.push_back(std::move(step));
        }
        else if (kind == "done")
            done = true;
    }
    const bool timedOut = child.timedOut();
    if (timedOut)
        child.kill();
    const std::string how = child.waitForExit();
    if (done || !outcome.loadError.empty())
        return outcome;
    std::string why = timedOut ? fmt::format("timed out after {} s: the plugin hangs", timeoutMs / 1000.0)
                               : "the plugin's process was " + how;
    if (const auto tail = child.stderrTail(3); !tail.empty())
        why += " (its last messages: " + tail + ")";
    if (!loaded)
    {
        outcome.loadError = "while loading, " + why;
        return outcome;
    }
    nlohmann::json step{{"name", current}, {"passed", false}, {"detail", why}};
    printStep(step, out);
    outcome.steps.push_back(std::move(step));
    return outcome;
}
} // namespace

void registerCheckCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand(
        "check", "Check an LV2 or VST3 plugin headless: finite output, silence, state, reset, block sizes, "
                 "real-time safety, latency (exit 0 pass, 1 a check failed, 3 could not load)");
    auto plugin = std::make_shared<std::string>();
    auto strictness = std::make_shared<int>(5);
    auto seed = std::make_shared<std::uint64_t>(1);
    auto json = std::make_shared<std::string>();
    auto timeout = std::make_shared<double>(60.0);
    sub->add_option("plugin", *plugin, "lv2:URI (see `wavebench plugins`) or the path of a .vst3 bundle")->required();
    sub->add_option("--strictness", *strictness, "1..10: how many sample rates, block sizes and random values")
        ->check(CLI::Range(1, 10));
    sub->add_option("--seed", *seed, "Seed of the random block sizes, parameter values and noise");
    sub->add_option("--json", *json, "Also write the report as JSON to FILE ('-' for stdout)");
    sub->add_option("--timeout", *timeout, "Seconds one step may take before the plugin is said to hang")
        ->check(CLI::Range(0.1, 3600.0));
    ctx.actions["check"] = [&ctx, plugin, strictness, seed, json, timeout]
    {
        std::string error;
        const auto ref = parsePluginRef(*plugin, error);
        if (!ref)
            throw UsageError(error);
        refuseUnwritable(*json);
        const CheckPlan plan{*strictness, *seed};
        // With --json - the text goes to stderr, so stdout is the JSON alone.
        std::ostream& text = *json == "-" ? ctx.err : ctx.out;
        const auto outcome = runChecks(*ref, plan, static_cast<int>(*timeout * 1000.0), text);
        size_t failed = 0;
        for (const auto& s : outcome.steps)
            failed += s.value("passed", false) ? 0 : 1;
        const int code = !outcome.loadError.empty() ? kUntrustworthy : failed > 0 ? kFailure : kOk;
        if (!outcome.loadError.empty())
            ctx.err << "wavebench: error: could not load " << ref->spelled() << ": " << outcome.loadError << "\n";
        else
        {
            text << fmt::format("{}: {} of {} checks failed (strictness {}, seed {})\n", failed > 0 ? "FAILED" : "PASSED",
                                failed, outcome.steps.size(), plan.strictness, plan.seed);
            if (!outcome.realtimeMeasured)
                text << "note: real-time safety not measured (" << kGuardLibrary << " not found; set WAVEBENCH_RTGUARD)\n";
        }
        if (!json->empty())
            writeJsonFile(*json, nlohmann::json{{"plugin", outcome.plugin.is_null() ? nlohmann::json{{"id", ref->spelled()}} : outcome.plugin},
                                                {"strictness", plan.strictness},
                                                {"seed", plan.seed},
                                                {"steps", outcome.steps},
                                                {"failed", failed},
                                                {"load_error", outcome.loadError},
                                                {"realtime_measured", outcome.realtimeMeasured},
                                                {"exit_code", code}},
                          ctx);
        return code;
    };

    auto* child = app.add_subcommand(kCheckChild, "");
    child->group("");
    auto childPlugin = std::make_shared<std::string>();
    auto childStrictness = std::make_shared<int>(5);
    auto childSeed = std::make_shared<std::uint64_t>(1);
    child->add_option("plugin", *childPlugin)->required();
    child->add_option("--strictness", *childStrictness);
    child->add_option("--seed", *childSeed);
    ctx.actions[kCheckChild] = [childPlugin, childStrictness, childSeed]
    { return runPluginCheckChild(*childPlugin, CheckPlan{*childStrictness, *childSeed}); };
}
} // namespace wb::cli
