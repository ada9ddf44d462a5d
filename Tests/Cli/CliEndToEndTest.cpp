// The `wavebench` executable, run for real as a user would.
#include "Support/PrivateJackServer.h"
#include "Support/RunProcess.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

using wb::test::runProcess;

TEST_CASE("wavebench --help prints the usage and exits 0", "[cli]")
{
    const auto r = runProcess(WB_CLI_PATH, {"--help"});
    CHECK(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("Usage"));
    CHECK_THAT(r.out, Catch::Contains("devices"));
    CHECK(r.err.empty());
}

TEST_CASE("wavebench --version prints name and version", "[cli]")
{
    const auto r = runProcess(WB_CLI_PATH, {"--version"});
    CHECK(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::StartsWith("Wavebench 0."));
}

TEST_CASE("wavebench devices lists device types, as text and as JSON", "[cli][engine]")
{
    const auto text = runProcess(WB_CLI_PATH, {"devices"});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("ALSA"));
    CHECK_THAT(text.out, Catch::Contains("Virtual loopback"));

    const auto js = runProcess(WB_CLI_PATH, {"devices", "--json"});
    REQUIRE(js.exitCode == 0);
    const auto j = nlohmann::json::parse(js.out); // throws (and fails the test) on bad JSON
    REQUIRE(j.contains("types"));
    REQUIRE(j["types"].is_array());
    bool sawAlsa = false;
    for (const auto& t : j["types"])
    {
        CHECK(t["outputs"].is_array());
        CHECK(t["inputs"].is_array());
        sawAlsa = sawAlsa || t["type"] == "ALSA";
    }
    CHECK(sawAlsa);
}

TEST_CASE("an unknown option gives a message, the usage and exit code 2", "[cli]")
{
    const auto r = runProcess(WB_CLI_PATH, {"devices", "--no-such-option"});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("--no-such-option"));
    CHECK_THAT(r.err, Catch::Contains("Usage"));
    CHECK(r.out.empty());
}

TEST_CASE("an unknown command gives a message, the usage and exit code 2", "[cli]")
{
    const auto r = runProcess(WB_CLI_PATH, {"frobnicate"});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("frobnicate"));
    CHECK_THAT(r.err, Catch::Contains("Usage"));
}

TEST_CASE("no command at all is bad usage (exit 2)", "[cli]")
{
    const auto r = runProcess(WB_CLI_PATH, {});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("no command"));
}

TEST_CASE("wavebench effects lists the catalogue with parameters, units and ranges", "[cli][faust]")
{
    const auto js = runProcess(WB_CLI_PATH, {"effects", "--json"});
    REQUIRE(js.exitCode == 0);
    const auto j = nlohmann::json::parse(js.out);
    REQUIRE(j["effects"].size() >= 10);
    bool sawGain = false, sawMeter = false;
    for (const auto& fx : j["effects"])
    {
        CHECK(!fx["description"].get<std::string>().empty());
        for (const auto& p : fx["parameters"])
        {
            CHECK(p["min"].get<double>() <= p["default"].get<double>());
            CHECK(p["default"].get<double>() <= p["max"].get<double>());
            sawMeter = sawMeter || (fx["id"] == "compressor" && p["output"].get<bool>() && p["unit"] == "dB");
        }
        if (fx["id"] == "gain")
        {
            sawGain = true;
            CHECK(fx["parameters"][0]["name"] == "gain");
            CHECK(fx["parameters"][0]["unit"] == "dB");
        }
    }
    CHECK(sawGain);
    CHECK(sawMeter);

    const auto text = runProcess(WB_CLI_PATH, {"effects"});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("reverb"));
    CHECK_THAT(text.out, Catch::Contains("threshold"));
}

TEST_CASE("wavebench monitor prints live figures and writes the time series", "[cli][engine]")
{
    const std::string json = std::string(WB_TEST_OUTPUT_DIR) + "/monitor.json";
    std::remove(json.c_str());
    const auto r = runProcess(WB_CLI_PATH, {"monitor", "--seconds", "1", "--interval", "0.25", "--chain",
                                            "parametriceq,reverb", "--json", json});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("load%"));
    CHECK(r.err.find("Cannot connect to server") == std::string::npos); // libjack kept quiet
    std::ifstream f(json);
    const auto j = nlohmann::json::parse(f);
    REQUIRE(j["samples"].size() == 4);
    const auto& last = j["samples"].back();
    CHECK(last["callbacks"].get<int>() > 10);
    CHECK(last["load_mean"].get<double>() > 0.0);
    CHECK(last["load_mean"].get<double>() < 1.0);
    CHECK(last["xruns"].get<std::uint64_t>() ==
          last["overruns"].get<std::uint64_t>() + last["device_xruns"].get<std::uint64_t>());
    CHECK(last["faust_instances"].get<int>() == 2);
    CHECK(last["faust_bytes"].get<double>() > 1e5);
    CHECK(last["rss_bytes"].get<double>() > 1e6);
    // Private and proportional memory (smaps_rollup; checked against awk in the core test):
    // private <= PSS <= RSS by definition, the text names both columns.
    CHECK(last["private_bytes"].get<double>() > 1e6);
    CHECK(last["private_bytes"].get<double>() <= last["pss_bytes"].get<double>());
    CHECK(last["pss_bytes"].get<double>() <= last["rss_bytes"].get<double>() * 1.01);
    CHECK_THAT(r.out, Catch::Contains("priv/MB") && Catch::Contains("PSS/MB"));
    // Time per node, named: the generator, both effects and the whole callback, each sane.
    std::map<std::string, nlohmann::json> nodes;
    for (const auto& n : last["nodes"])
        nodes[n["name"].get<std::string>()] = n;
    REQUIRE(nodes.size() == 4);
    for (const char* name : {"generator", "parametriceq", "reverb", "callback"})
    {
        INFO(name);
        REQUIRE(nodes.count(name) == 1);
        CHECK(nodes[name]["mean_us"].get<double>() > 0.0);
        CHECK(nodes[name]["mean_us"].get<double>() <= nodes[name]["max_us"].get<double>());
        CHECK(nodes[name]["share"].get<double>() > 0.0);
    }
    CHECK(nodes["generator"]["mean_us"].get<double>() + nodes["parametriceq"]["mean_us"].get<double>() +
              nodes["reverb"]["mean_us"].get<double>() <=
          nodes["callback"]["mean_us"].get<double>() * 1.0001);
    CHECK_THAT(r.out, Catch::Contains("per node"));

    const auto bad = runProcess(WB_CLI_PATH, {"monitor", "--chain", "nope"});
    CHECK(bad.exitCode == 2);
    CHECK_THAT(bad.err, Catch::Contains("nope"));
    const auto neg = runProcess(WB_CLI_PATH, {"monitor", "--seconds", "-1"});
    CHECK(neg.exitCode == 2);
}

TEST_CASE("wavebench monitor measures the outputs' loudness: its stereo 1 kHz sine at -20 dBFS reads -20.0 LUFS",
          "[cli][engine][loudness]")
{
    // EBU Tech 3341 (cases 1 and 2): a stereo 1 kHz sine at L dBFS peak reads L LUFS momentary,
    // short-term and integrated, +-0.1 LU; its true peak is its sample peak.
    const std::string json = std::string(WB_TEST_OUTPUT_DIR) + "/monitor_loudness.json";
    std::remove(json.c_str());
    const auto r = runProcess(WB_CLI_PATH, {"monitor", "--device", "virtual", "--seconds", "4", "--interval", "1",
                                            "--json", json});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    std::ifstream f(json);
    const auto j = nlohmann::json::parse(f);
    REQUIRE(j["samples"].size() == 4);
    // After 1 s: momentary and integrated, no short-term yet (a 3 s window), shown as "-".
    const auto& first = j["samples"][0]["loudness"];
    CHECK(first["momentary_lufs"].get<double>() == Approx(-20.0).margin(0.1));
    CHECK(first["short_term_lufs"].is_null());
    const auto& last = j["samples"].back()["loudness"];
    INFO(last.dump());
    CHECK(last["channels"] == 2);
    CHECK(last["momentary_lufs"].get<double>() == Approx(-20.0).margin(0.1));
    CHECK(last["short_term_lufs"].get<double>() == Approx(-20.0).margin(0.1));
    CHECK(last["integrated_lufs"].get<double>() == Approx(-20.0).margin(0.1));
    CHECK(last["range_lu"].get<double>() == Approx(0.0).margin(0.2));
    CHECK(last["true_peak_dbtp"].get<double>() == Approx(-20.0).margin(0.1));
    CHECK(last["frames_lost"] == 0);
    // Every frame the device played in ~4 s was measured (the ring drained every 10 ms).
    CHECK(last["frames"].get<double>() > 3.5 * 48000);
    CHECK_THAT(r.out, Catch::Contains("loudness: M -20.0 S - I "));
    CHECK_THAT(r.out, Catch::Contains("loudness: M -20.0 S -20.0 I -20.0 LUFS, LRA 0.0 LU, TP -20.0 dBTP"));
}

TEST_CASE("wavebench monitor --device jack, the server killed under it: exit 1, the reason, the samples before",
          "[cli][engine][jack]")
{
    wb::test::PrivateJackServer server(256, "monkill");
    REQUIRE_JACK_SERVER(server);
    const std::string json = std::string(WB_TEST_OUTPUT_DIR) + "/monitor_jack_killed.json";
    std::remove(json.c_str());
    // Lines of figures printed so far (they start with the time, a number).
    const auto sampleLines = [](const std::string& out) {
        std::istringstream in(out);
        int n = 0;
        for (std::string line; std::getline(in, line);)
            if (const auto p = line.find_first_not_of(' '); p != std::string::npos && std::isdigit(line[p]))
                ++n;
        return n;
    };
    std::optional<std::chrono::steady_clock::time_point> killedAt;
    int printedBeforeKill = 0;
    const auto r = wb::test::runProcessWatching(
        WB_CLI_PATH, {"monitor", "--device", "jack", "--seconds", "30", "--interval", "0.25", "--json", json},
        {server.env()}, [&](const std::string& out, const std::string&) {
            if (!killedAt && (printedBeforeKill = sampleLines(out)) >= 2)
            {
                server.killNow();
                killedAt = std::chrono::steady_clock::now();
            }
        });
    const auto exitedAt = std::chrono::steady_clock::now();
    INFO(r.out << r.err);
    REQUIRE(killedAt.has_value());
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, Catch::Contains("the JACK server stopped"));
    // A bound on a hang, not a speed figure: without the check it printed stale lines for 30 s.
    CHECK(std::chrono::duration<double>(exitedAt - *killedAt).count() < 10.0);
    std::ifstream f(json);
    REQUIRE(f.good());
    const auto j = nlohmann::json::parse(f);
    CHECK(j["stopped_by"] == "device-lost");
    CHECK(j["settings"]["device"] == "jack");
    CHECK_THAT(j["device"].get<std::string>(), Catch::Contains("JACK"));
    // The samples printed before the kill are kept; the ones after it, with no callback, are not.
    const auto& samples = j["samples"];
    REQUIRE(samples.size() >= std::size_t(printedBeforeKill));
    std::uint64_t previous = 0;
    for (const auto& s : samples)
    {
        CHECK(s["callbacks"].get<std::uint64_t>() > previous); // each kept interval saw callbacks
        previous = s["callbacks"].get<std::uint64_t>();
    }
}
