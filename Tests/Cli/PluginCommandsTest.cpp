// `wavebench plugins` and `wavebench check` (issue 16), run as a user runs them, against real
// LV2 plugins installed by scripts/setup.sh (x42-plugins) and the deliberately bad plugins the
// build makes (Tests/Plugins/BadLv2Plugin.c: good, alloc, nan, crash, hang).
// [nosan] on four of them: under a sanitizer the child's SIGSEGV is caught by the sanitizer, which
// exits with its own code (66) instead of dying by the signal, and the real-time guard preloaded
// into `check`'s child cannot interpose malloc and pthread functions the sanitizer already
// replaces. The release stage runs them.
#include "Engine/PluginHost.h"
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using wb::test::runProcess;
namespace fs = std::filesystem;

namespace
{
constexpr const char* kFil4Mono = "http://gareus.org/oss/lv2/fil4#mono";
constexpr const char* kFil4Bundle = "/usr/lib/lv2/fil4.lv2";

/// A private folder: lv2/ with the test bundles and x42's EQ (linked), so a scan sees these
/// alone; an empty vst3/; the cache beside them (not inside a plugin folder, which it would change).
fs::path makeLv2Folder(const std::string& name)
{
    const auto dir = wb::test::freshTempDir("wb-plugins", name);
    fs::create_directories(dir / "lv2");
    for (const auto& e : fs::directory_iterator(WB_TEST_LV2_DIR))
        fs::create_directory_symlink(e.path(), dir / "lv2" / e.path().filename());
    fs::create_directory_symlink(kFil4Bundle, dir / "lv2" / "fil4.lv2");
    fs::create_directories(dir / "vst3");
    return dir;
}

std::vector<std::string> envFor(const fs::path& dir)
{
    return {"LV2_PATH=" + (dir / "lv2").string(), "VST3_PATH=" + (dir / "vst3").string(),
            "WAVEBENCH_PLUGIN_CACHE=" + (dir / "cache" / "plugins.json").string()};
}

const nlohmann::json* findPlugin(const nlohmann::json& list, const std::string& id)
{
    for (const auto& p : list)
        if (p.value("id", "") == id)
            return &p;
    return nullptr;
}

nlohmann::json checkJson(const fs::path& dir, const std::string& plugin, std::vector<std::string> extra,
                         wb::test::ProcessResult& r)
{
    const auto report = (dir / "check.json").string();
    std::vector<std::string> args{"check", plugin, "--json", report};
    args.insert(args.end(), extra.begin(), extra.end());
    r = runProcess(WB_CLI_PATH, args, envFor(dir));
    INFO(r.out << r.err);
    REQUIRE(fs::exists(report));
    return wb::test::readJson(report);
}

const nlohmann::json* failedStep(const nlohmann::json& report)
{
    for (const auto& s : report["steps"])
        if (!s.value("passed", true))
            return &s;
    return nullptr;
}
} // namespace

TEST_CASE("plugins lists the LV2 plugins of LV2_PATH, one that crashes or hangs while loading is listed as failed, "
          "and the scan is cached until a folder changes",
          "[cli][plugins][nosan]")
{
    const auto dir = makeLv2Folder("scan");
    auto env = envFor(dir);
    const auto first = runProcess(WB_CLI_PATH, {"plugins", "--json", "--timeout", "3"}, env);
    INFO(first.out << first.err);
    REQUIRE(first.exitCode == 0);
    const auto j = nlohmann::json::parse(first.out);
    CHECK_FALSE(j["from_cache"].get<bool>());
    const auto& list = j["plugins"];
    // The bad plugins' manifests and x42's: 5 test bundles, fil4 mono and stereo.
    CHECK(list.size() == 7);

    const auto* good = findPlugin(list, "lv2:urn:wavebench:test:good");
    REQUIRE(good != nullptr);
    CHECK((*good)["status"] == "ok");
    CHECK((*good)["inputs"] == 1);     // manifest.ttl.in: one audio input,
    CHECK((*good)["outputs"] == 1);    // one audio output,
    CHECK((*good)["parameters"] == 1); // one control input ("Gain"),
    CHECK((*good)["latency_samples"] == 0);

    const auto* eq = findPlugin(list, std::string("lv2:") + kFil4Mono);
    REQUIRE(eq != nullptr);
    CHECK((*eq)["status"] == "ok");
    CHECK((*eq)["name"] == "x42-eq - Parametric Equalizer Mono"); // fil4.ttl's doap:name
    CHECK((*eq)["inputs"] == 1);
    CHECK((*eq)["outputs"] == 1);

    const auto* crash = findPlugin(list, "lv2:urn:wavebench:test:crash");
    REQUIRE(crash != nullptr);
    CHECK((*crash)["status"] == "failed");
    CHECK_THAT((*crash)["error"].get<std::string>(), Catch::Contains("SIGSEGV"));
    const auto* hang = findPlugin(list, "lv2:urn:wavebench:test:hang");
    REQUIRE(hang != nullptr);
    CHECK((*hang)["status"] == "failed");
    CHECK_THAT((*hang)["error"].get<std::string>(), Catch::Contains("timed out"));
    // The plugins after the crash and the hang were still described (the scan resumed).
    const auto* nan = findPlugin(list, "lv2:urn:wavebench:test:nan");
    REQUIRE(nan != nullptr);
    CHECK((*nan)["status"] == "ok");

    const auto second = runProcess(WB_CLI_PATH, {"plugins", "--json"}, env);
    REQUIRE(second.exitCode == 0);
    const auto cached = nlohmann::json::parse(second.out);
    CHECK(cached["from_cache"].get<bool>());
    CHECK(cached["plugins"] == list);

    // A plugin installed (a new bundle in the folder) makes the cache stale.
    fs::create_directory_symlink(fs::path(WB_TEST_LV2_DIR) / "wb-test-good.lv2", dir / "lv2" / "another.lv2");
    const auto third = runProcess(WB_CLI_PATH, {"plugins", "--json", "--timeout", "3"}, env);
    REQUIRE(third.exitCode == 0);
    CHECK_FALSE(nlohmann::json::parse(third.out)["from_cache"].get<bool>());
}

TEST_CASE("check passes a well-behaved plugin, with its real-time counts measured (zero)", "[cli][plugins][nosan]")
{
    const auto dir = makeLv2Folder("check-good");
    wb::test::ProcessResult r;
    const auto report = checkJson(dir, "lv2:urn:wavebench:test:good", {"--strictness", "3"}, r);
    CHECK(r.exitCode == 0);
    CHECK(report["realtime_measured"].get<bool>());
    CHECK(report["failed"] == 0);
    CHECK(report["steps"].size() > 8);
    for (const auto& s : report["steps"])
    {
        INFO(s.dump());
        CHECK(s["passed"].get<bool>());
        CHECK(s["realtime"]["calls"].get<int>() > 0);
        CHECK(s["realtime"]["allocations"] == 0);
        CHECK(s["realtime"]["locks"] == 0);
    }
}

TEST_CASE("check passes x42's parametric EQ", "[cli][plugins]")
{
    const auto dir = makeLv2Folder("check-x42");
    wb::test::ProcessResult r;
    const auto report = checkJson(dir, std::string("lv2:") + kFil4Mono, {"--strictness", "2"}, r);
    const auto* failed = failedStep(report);
    INFO((failed != nullptr ? failed->dump() : std::string("none failed")));
    CHECK(r.exitCode == 0);
}

TEST_CASE("check names a plugin that allocates in run (exit 1), with the count per call", "[cli][plugins][nosan]")
{
    const auto dir = makeLv2Folder("check-alloc");
    wb::test::ProcessResult r;
    const auto report = checkJson(dir, "lv2:urn:wavebench:test:alloc", {"--strictness", "1"}, r);
    CHECK(r.exitCode == 1);
    const auto* failed = failedStep(report);
    REQUIRE(failed != nullptr);
    CHECK_THAT((*failed)["detail"].get<std::string>(), Catch::Contains("not real-time safe"));
    // BadLv2Plugin.c: one malloc and one free in every run call.
    const auto& rt = (*failed)["realtime"];
    CHECK(rt["calls_with_violations"] == rt["calls"]);
    CHECK(rt["allocations"] == rt["calls"]);
    CHECK(rt["frees"] == rt["calls"]);
}

TEST_CASE("check reports a plugin that outputs NaN (exit 1)", "[cli][plugins]")
{
    const auto dir = makeLv2Folder("check-nan");
    wb::test::ProcessResult r;
    const auto report = checkJson(dir, "lv2:urn:wavebench:test:nan", {"--strictness", "1"}, r);
    CHECK(r.exitCode == 1);
    const auto* failed = failedStep(report);
    REQUIRE(failed != nullptr);
    CHECK_THAT((*failed)["detail"].get<std::string>(), Catch::Contains("not finite"));
}

TEST_CASE("check reports a plugin that crashes on instantiate as not loaded (exit 3)", "[cli][plugins][nosan]")
{
    const auto dir = makeLv2Folder("check-crash");
    wb::test::ProcessResult r;
    const auto report = checkJson(dir, "lv2:urn:wavebench:test:crash", {}, r);
    CHECK(r.exitCode == 3);
    CHECK_THAT(r.err, Catch::Contains("SIGSEGV"));
    CHECK_THAT(report["load_error"].get<std::string>(), Catch::Contains("SIGSEGV"));
}

TEST_CASE("check fails a plugin that hangs in run when its step times out (exit 1)", "[cli][plugins]")
{
    const auto dir = makeLv2Folder("check-hang");
    wb::test::ProcessResult r;
    const auto report = checkJson(dir, "lv2:urn:wavebench:test:hang", {"--strictness", "1", "--timeout", "2"}, r);
    CHECK(r.exitCode == 1);
    const auto* failed = failedStep(report);
    REQUIRE(failed != nullptr);
    CHECK_THAT((*failed)["detail"].get<std::string>(), Catch::Contains("timed out after 2 s"));
    CHECK_THAT((*failed)["name"].get<std::string>(), Catch::Contains("process"));
}

TEST_CASE("check refuses a name that is no plugin (exit 2) and a plugin that is not installed (exit 3)",
          "[cli][plugins]")
{
    const auto dir = makeLv2Folder("check-usage");
    const auto bad = runProcess(WB_CLI_PATH, {"check", "reverb"}, envFor(dir));
    CHECK(bad.exitCode == 2);
    CHECK_THAT(bad.err, Catch::Contains("lv2:URI"));
    const auto strict = runProcess(WB_CLI_PATH, {"check", "lv2:urn:wavebench:test:good", "--strictness", "11"}, envFor(dir));
    CHECK(strict.exitCode == 2);
    const auto missing = runProcess(WB_CLI_PATH, {"check", "lv2:urn:nobody:none"}, envFor(dir));
    CHECK(missing.exitCode == 3);
    CHECK_THAT(missing.err, Catch::Contains("no LV2 plugin with the URI urn:nobody:none"));
}

TEST_CASE("x42's parametric EQ, band 1 at +6 dB and 1 kHz, raises a 1 kHz sine by 6 dB (+-0.1), parameters set by name",
          "[engine][plugins]")
{
    // The independent answer is the definition of a peaking band: at its centre frequency the
    // gain is the band's gain. Measured offline with a steady sine, RMS over whole cycles.
    const juce::ScopedJuceInitialiser_GUI juceInit;
    wb::PluginHost host;
    std::string error;
    const auto ref = wb::parsePluginRef(std::string("lv2:") + kFil4Mono, error);
    REQUIRE(ref);
    const auto description = host.describe(*ref, error);
    INFO(error);
    REQUIRE(description);
    constexpr double kRate = 48000.0;
    constexpr int kBlock = 480;
    auto eq = host.instantiate(*description, kRate, kBlock, error);
    REQUIRE(eq != nullptr);
    eq->prepareToPlay(kRate, kBlock);
    // "Enable" (lv2:enabled, default 1) is the plugin's bypass, which JUCE keeps out of the
    // parameters.
    const std::vector<std::pair<std::string, float>> settings{
        {"Gain", 0.0f},     {"Highpass", 0.0f}, {"Lowpass", 0.0f}, {"Lowshelf", 0.0f},
        {"Highshelf", 0.0f},   {"Section 1", 1.0f}, {"Frequency 1", 1000.0f}, {"Bandwidth 1", 1.0f},
        {"Gain 1", 6.0f},      {"Section 2", 0.0f}, {"Section 3", 0.0f}, {"Section 4", 0.0f}};
    for (const auto& [name, value] : settings)
    {
        auto* p = wb::findParameterByName(*eq, name);
        INFO(name);
        REQUIRE(p != nullptr);
        REQUIRE(wb::setParameterInUnits(*p, value));
    }
    // 2 s: x42 glides to new settings; the last second is measured (1000 whole cycles).
    const int total = static_cast<int>(2 * kRate);
    juce::AudioBuffer<float> buffer(1, kBlock);
    juce::MidiBuffer midi;
    double inEnergy = 0.0, outEnergy = 0.0;
    for (int pos = 0; pos < total; pos += kBlock)
    {
        for (int i = 0; i < kBlock; ++i)
            buffer.setSample(0, i, static_cast<float>(0.25 * std::sin(2.0 * M_PI * 1000.0 * (pos + i) / kRate)));
        const auto square = [&](int i) { return static_cast<double>(buffer.getSample(0, i)) * static_cast<double>(buffer.getSample(0, i)); };
        double blockIn = 0.0;
        for (int i = 0; i < kBlock; ++i)
            blockIn += square(i);
        eq->processBlock(buffer, midi);
        if (pos >= total / 2)
        {
            inEnergy += blockIn;
            for (int i = 0; i < kBlock; ++i)
                outEnergy += square(i);
        }
    }
    const double gainDb = 10.0 * std::log10(outEnergy / inEnergy);
    INFO("gain at 1 kHz: " << gainDb << " dB");
    CHECK(gainDb == Approx(6.0).margin(0.1));
}
