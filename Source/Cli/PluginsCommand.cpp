// `wavebench plugins` and its hidden child `__plugin-scan` (see PluginScan.h).
#include "Cli/ChildProcess.h"
#include "Cli/Cli.h"
#include "Cli/PluginScan.h"
#include "Cli/PluginCommands.h"
#include "Cli/Subcommands.h"
#include "Engine/PluginHost.h"

#include <wavebench/BuildInfo.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace wb::cli
{
namespace fs = std::filesystem;

namespace
{
constexpr const char* kScanChild = "__plugin-scan";
constexpr int kCacheSchema = 1;

void addModificationTimes(std::ostringstream& out, const fs::path& folder, int depth)
{
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return;
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(folder, ec))
        entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries)
    {
        const auto t = fs::last_write_time(e, ec);
        out << e.string() << '@' << (ec ? 0 : t.time_since_epoch().count()) << '\n';
        if (depth > 1)
            addModificationTimes(out, e, depth - 1);
    }
}

nlohmann::json failedEntry(const nlohmann::json& listed, const std::string& why)
{
    nlohmann::json j = listed;
    j["status"] = "failed";
    j["error"] = why;
    return j;
}

/// One plugin described in the child: loaded at 48 kHz / 512, one block of silence run so an
/// LV2 plugin has updated its latency port.
nlohmann::json describeInChild(PluginHost& host, const PluginRef& ref)
{
    nlohmann::json j{{"format", ref.format}, {"id", ref.spelled()}};
    std::string error;
    const auto description = host.describe(ref, error);
    if (!description)
        return failedEntry(j, error);
    auto instance = host.instantiate(*description, 48000.0, 512, error);
    if (instance == nullptr)
        return failedEntry(j, error);
    instance->prepareToPlay(48000.0, 512);
    juce::AudioBuffer<float> buffer(std::max(1, std::max(instance->getTotalNumInputChannels(),
                                                         instance->getTotalNumOutputChannels())),
                                    512);
    buffer.clear();
    juce::MidiBuffer midi;
    instance->processBlock(buffer, midi);
    j["name"] = description->name.toStdString();
    j["vendor"] = description->manufacturerName.toStdString();
    j["category"] = description->category.toStdString();
    j["inputs"] = instance->getTotalNumInputChannels();
    j["outputs"] = instance->getTotalNumOutputChannels();
    j["parameters"] = instance->getParameters().size();
    j["latency_samples"] = instance->getLatencySamples();
    j["status"] = "ok";
    instance->releaseResources();
    return j;
}

int runScanChild(int from)
{
    const juce::ScopedJuceInitialiser_GUI juce;
    PluginHost host;
    nlohmann::json listed = nlohmann::json::array();
    std::vector<PluginRef> refs;
    for (const char* format : {"LV2", "VST3"})
        for (const auto& id : host.findIdentifiers(format))
        {
            refs.push_back(PluginRef{format, id});
            listed.push_back({{"format", format}, {"id", refs.back().spelled()}});
        }
    writeReportLine("list " + listed.dump());
    for (size_t i = static_cast<size_t>(std::max(0, from)); i < refs.size(); ++i)
    {
        writeReportLine("begin " + std::to_string(i));
        writeReportLine("plugin " + describeInChild(host, refs[i]).dump());
    }
    writeReportLine("done");
    return kOk;
}

/// The scan itself, child by child (see PluginScan.h).
nlohmann::json scanWithChildren(int timeoutMs)
{
    nlohmann::json listed;
    std::vector<nlohmann::json> results;
    size_t next = 0;
    for (;;)
    {
        ChildProcess child(ChildProcess::selfExecutable(), {kScanChild, "--from", std::to_string(next)});
        const size_t startedAt = next;
        size_t current = next;
        bool inPlugin = false;
        bool finished = false;
        for (;;)
        {
            // Listing reads every manifest: give it as long as a plugin.
            const auto line = child.readLine(timeoutMs);
            if (!line)
                break;
            if (line->rfind("list ", 0) == 0)
            {
                listed = nlohmann::json::parse(line->substr(5));
                results.resize(listed.size());
            }
            else if (line->rfind("begin ", 0) == 0)
            {
                current = std::stoul(line->substr(6));
                inPlugin = true;
            }
            else if (line->rfind("plugin ", 0) == 0 && current < results.size())
            {
                results[current] = nlohmann::json::parse(line->substr(7));
                inPlugin = false;
                next = current + 1;
            }
            else if (*line == "done")
                finished = true;
        }
        const bool timedOut = child.timedOut();
        if (timedOut)
            child.kill();
        const std::string how = child.waitForExit();
        if (finished || listed.is_null())
        {
            if (listed.is_null())
                throw std::runtime_error("the plugin scan's child process ended before listing any plugin (" + how
                                         + "): " + child.stderrTail());
            break;
        }
        if (!inPlugin)
        {
            // Ended between plugins without "done" (e.g. in a plugin's cleanup): go on after the
            // last one described, unless this child described none (no progress, no loop).
            if (next == startedAt || next >= results.size())
                break;
            continue;
        }
        std::string why = timedOut ? fmt::format("timed out after {} s while loading", timeoutMs / 1000.0)
                                   : "the scan's process was " + how + " while loading it";
        if (const auto tail = child.stderrTail(3); !tail.empty())
            why += " (its last messages: " + tail + ")";
        results[current] = failedEntry(listed[current], why);
        next = current + 1;
        if (next >= results.size())
            break;
    }
    nlohmann::json out = nlohmann::json::array();
    for (size_t i = 0; i < results.size(); ++i)
        out.push_back(results[i].is_null() ? failedEntry(listed[i], "not scanned") : results[i]);
    return out;
}

void printTable(const nlohmann::json& plugins, std::ostream& out)
{
    for (const auto& p : plugins)
    {
        if (p.value("status", "") != "ok")
        {
            out << fmt::format("{:<5} {}  FAILED: {}\n", p.value("format", ""), p.value("id", ""), p.value("error", ""));
            continue;
        }
        out << fmt::format("{:<5} {}\n      {} ({}) {}  in {} out {}  {} parameters  latency {} samples\n",
                           p.value("format", ""), p.value("id", ""), p.value("name", ""), p.value("vendor", ""),
                           p.value("category", ""), p.value("inputs", 0), p.value("outputs", 0),
                           p.value("parameters", 0), p.value("latency_samples", 0));
    }
}
} // namespace

std::string pluginCachePath()
{
    if (const char* explicitPath = std::getenv("WAVEBENCH_PLUGIN_CACHE"); explicitPath != nullptr && *explicitPath != '\0')
        return explicitPath;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
        return std::string(xdg) + "/wavebench/plugins.json";
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.cache/wavebench/plugins.json";
}

std::string pluginFoldersFingerprint()
{
    std::ostringstream out;
    out << "wavebench " << build::kVersion << '\n';
    for (const char* format : {"LV2", "VST3"})
        for (const auto& folder : PluginHost::searchFolders(format))
        {
            std::error_code ec;
            const auto t = fs::last_write_time(folder, ec);
            out << format << ' ' << folder << '@' << (ec ? 0 : t.time_since_epoch().count()) << '\n';
            addModificationTimes(out, folder, 2);
        }
    return out.str();
}

ScanResult scanInstalledPlugins(const ScanOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    ScanResult result;
    result.cachePath = pluginCachePath();
    const std::string fingerprint = pluginFoldersFingerprint();
    if (options.useCache)
    {
        std::ifstream in(result.cachePath);
        const auto cached = nlohmann::json::parse(in, nullptr, false);
        if (!cached.is_discarded() && cached.is_object() && cached.value("schema", 0) == kCacheSchema
            && cached.value("fingerprint", "") == fingerprint && cached.contains("plugins"))
        {
            result.plugins = cached["plugins"];
            result.fromCache = true;
            result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return result;
        }
    }
    result.plugins = scanWithChildren(options.timeoutMsPerPlugin);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    // A cache that cannot be written costs a rescan next time, nothing else.
    std::error_code ec;
    fs::create_directories(fs::path(result.cachePath).parent_path(), ec);
    const nlohmann::json cache{{"schema", kCacheSchema}, {"fingerprint", fingerprint}, {"plugins", result.plugins}};
    std::string error;
    if (const auto temporary = writeTemporaryBeside(result.cachePath, cache.dump(1) + "\n", error))
    {
        fs::rename(*temporary, result.cachePath, ec);
        if (ec)
            removeQuietly(*temporary);
    }
    if (ec || !error.empty())
        result.cachePath.clear();
    return result;
}

void registerPluginsCommand(CLI::App& app, Context& ctx)
{
    auto* sub = app.add_subcommand("plugins", "List the installed LV2 and VST3 plugins (scanned in a child process, cached)");
    auto json = std::make_shared<bool>(false);
    auto rescan = std::make_shared<bool>(false);
    auto timeout = std::make_shared<double>(10.0);
    sub->add_flag("--json", *json, "Print JSON instead of text");
    sub->add_flag("--rescan", *rescan, "Scan again even when the cache is current");
    sub->add_option("--timeout", *timeout, "Seconds a plugin may take to load before it is listed as failed")
        ->check(CLI::Range(0.1, 3600.0));
    ctx.actions["plugins"] = [&ctx, json, rescan, timeout]
    {
        ScanOptions options;
        options.useCache = !*rescan;
        options.timeoutMsPerPlugin = static_cast<int>(*timeout * 1000.0);
        const auto result = scanInstalledPlugins(options);
        if (*json)
        {
            ctx.out << nlohmann::json{{"plugins", result.plugins},
                                      {"from_cache", result.fromCache},
                                      {"seconds", result.seconds},
                                      {"cache", result.cachePath}}
                           .dump(2)
                    << "\n";
            return static_cast<int>(kOk);
        }
        printTable(result.plugins, ctx.out);
        size_t failed = 0;
        for (const auto& p : result.plugins)
            failed += p.value("status", "") != "ok" ? 1 : 0;
        ctx.out << fmt::format("{} plugins ({} failed to load), {} in {:.2f} s\n", result.plugins.size(), failed,
                               result.fromCache ? "from the cache" : "scanned", result.seconds);
        return static_cast<int>(kOk);
    };

    // The child: hidden (no group), started by scanInstalledPlugins only.
    auto* child = app.add_subcommand(kScanChild, "");
    child->group("");
    auto from = std::make_shared<int>(0);
    child->add_option("--from", *from);
    ctx.actions[kScanChild] = [from] { return runScanChild(*from); };
}
} // namespace wb::cli
