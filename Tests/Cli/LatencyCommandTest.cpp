// `wavebench latency` end to end: the virtual device as a known truth, refusals and exit codes,
// JSON; and a real JACK server (dummy backend) started by the test itself.
#include "Support/PrivateJackServer.h"
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

using wb::test::PrivateJackServer;
using wb::test::readJson;
using wb::test::runProcess;

TEST_CASE("latency --device virtual: JSON report with runs, statistics and reported latency", "[cli][analysis]")
{
    const std::string json = std::string(WB_TEST_OUTPUT_DIR) + "/latency_virtual.json";
    std::filesystem::remove(json);
    const auto r = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--virtual-fast", "--period", "128",
                                            "--virtual-delay", "1234.567", "--runs", "3", "--json", json});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("mean 1362.5670 frames"));
    const auto j = readJson(json);
    CHECK(j["valid"] == true);
    CHECK(j["settings"]["device"] == "virtual");
    CHECK(j["settings"]["period"] == 128);
    CHECK(j["settings"]["virtual"]["delay_samples"] == Approx(1234.567));
    REQUIRE(j["runs"].size() == 3);
    for (const auto& run : j["runs"])
    {
        CHECK(run["frames"].get<double>() == Approx(128.0 + 1234.567).margin(0.001));
        CHECK(run["inverted"] == false);
    }
    CHECK(j["stats"]["mean_frames"].get<double>() == Approx(1362.567).margin(0.001));
    CHECK(j["stats"]["mean_ms"].get<double>() == Approx(1362.567 / 48.0).margin(1e-4));
    CHECK(j["stats"]["sigma_frames"].get<double>() < 0.001);
    CHECK(j["reported"]["round_trip_frames"] == 1362);
    CHECK(j["extra"]["frames"].get<double>() == Approx(0.567).margin(0.001));
}

TEST_CASE("latency --device virtual in real time, with noise and inverted polarity", "[cli][analysis]")
{
    const auto r = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--period", "64", "--virtual-delay",
                                            "64.25", "--virtual-noise-db", "-60", "--virtual-gain", "-1",
                                            "--runs", "2", "--json", "-"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["inverted"] == true);
    CHECK(j["stats"]["mean_frames"].get<double>() == Approx(128.25).margin(0.05));
}

TEST_CASE("latency --quick: a shorter probe, the same answer, and when it came", "[cli][analysis]")
{
    // Real time on the virtual device: 8192-sample probe, 2048 samples of settling.
    const auto r = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--quick", "--period", "64",
                                            "--virtual-delay", "100.5", "--virtual-noise-db", "-60", "--runs", "3",
                                            "--json", "-"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["settings"]["probe_period"] == 8192);
    CHECK(j["settings"]["settle_samples"] == 2048);
    CHECK(j["stats"]["mean_frames"].get<double>() == Approx(164.5).margin(0.05));
    REQUIRE(j["runs"].size() == 3);
    const double first = j["timing"]["first_result_s"].get<double>();
    const double total = j["timing"]["total_s"].get<double>();
    // At least the round trip, the settling and one period of the probe in real time must have
    // passed before the first result (a bound from physics, not a speed target).
    CHECK(first >= (164.5 + 2048 + 8192) / 48000.0);
    CHECK(total > first);

    const auto slow = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--virtual-fast", "--runs", "1",
                                               "--json", "-"});
    REQUIRE(slow.exitCode == 0);
    const auto js = nlohmann::json::parse(slow.out);
    CHECK(js["settings"]["probe_period"] == 65536);
    CHECK(js["settings"]["settle_samples"] == 4096);
    CHECK(js["timing"]["first_result_s"].get<double>() > 0.0);
}

TEST_CASE("latency: no cable is refused with exit 3 and a reason, never a number", "[cli][analysis]")
{
    const std::string json = std::string(WB_TEST_OUTPUT_DIR) + "/latency_nocable.json";
    const auto r = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--virtual-fast", "--virtual-gain",
                                            "0", "--runs", "1", "--json", json});
    CHECK(r.exitCode == 3);
    CHECK_THAT(r.err, Catch::Contains("no signal"));
    CHECK_THAT(r.out, !Catch::Contains("frames ("));
    const auto j = readJson(json);
    CHECK(j["valid"] == false);
    CHECK_FALSE(j.contains("stats"));
    CHECK_FALSE(j.contains("runs"));

    const auto weak = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--virtual-fast", "--virtual-gain",
                                               "0.001", "--runs", "1"});
    CHECK(weak.exitCode == 3);
    CHECK_THAT(weak.err, Catch::Contains("too weak"));

    const auto clipped = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--virtual-fast",
                                                  "--virtual-gain", "4", "--runs", "1"});
    CHECK(clipped.exitCode == 3);
    CHECK_THAT(clipped.err, Catch::Contains("clipped"));
}

TEST_CASE("latency --max-ms gates the mean: exit 1 when exceeded, 0 when met", "[cli][analysis]")
{
    const std::vector<std::string> base{"latency", "--device", "virtual", "--virtual-fast", "--runs", "2"};
    auto over = base;
    over.insert(over.end(), {"--max-ms", "5"}); // 256 frames at 48 kHz = 5.333 ms
    const auto r1 = runProcess(WB_CLI_PATH, over);
    CHECK(r1.exitCode == 1);
    CHECK_THAT(r1.err, Catch::Contains("gate failed"));
    auto under = base;
    under.insert(under.end(), {"--max-ms", "5.4"});
    CHECK(runProcess(WB_CLI_PATH, under).exitCode == 0);
}

TEST_CASE("latency: bad usage exits 2", "[cli]")
{
    CHECK(runProcess(WB_CLI_PATH, {"latency"}).exitCode == 2);
    // A device name that is not there is not a usage error: exit 1, the devices that are listed.
    const auto unknown = runProcess(WB_CLI_PATH, {"latency", "--device", "coreaudio"});
    CHECK(unknown.exitCode == 1);
    CHECK_THAT(unknown.err, Catch::Contains("no audio device named 'coreaudio'"));
    CHECK(runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--runs", "0"}).exitCode == 2);
    CHECK(runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--connect-loopback"}).exitCode == 2);
    CHECK(runProcess(WB_CLI_PATH, {"latency", "--device", "jack", "--virtual-delay", "3"}).exitCode == 2);
    CHECK(runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--probe-period", "5000"}).exitCode == 2);
    const auto both = runProcess(WB_CLI_PATH, {"latency", "--device", "virtual", "--quick", "--probe-period", "8192"});
    CHECK(both.exitCode == 2);
    CHECK_THAT(both.err, Catch::Contains("exclude each other"));
}

TEST_CASE("latency --device jack --connect-loopback on a private dummy server: exactly one period", "[jack][cli]")
{
    for (int period : {64, 256})
    {
        PrivateJackServer server(period);
        REQUIRE_JACK_SERVER(server);
        const auto r = runProcess(WB_CLI_PATH, {"latency", "--device", "jack", "--connect-loopback", "--runs", "3",
                                                "--json", "-"},
                                  {server.env()});
        INFO("period " << period << ": " << r.err);
        REQUIRE(r.exitCode == 0);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["device"]["period"] == period);
        for (const auto& run : j["runs"])
            CHECK(run["frames"].get<double>() == Approx(double(period)).margin(0.01));
        CHECK(j["stats"]["mean_frames"].get<double>() == Approx(double(period)).margin(0.01));

        const auto quick = runProcess(WB_CLI_PATH, {"latency", "--device", "jack", "--connect-loopback", "--quick",
                                                    "--runs", "2", "--json", "-"},
                                      {server.env()});
        INFO(quick.err);
        REQUIRE(quick.exitCode == 0);
        CHECK(nlohmann::json::parse(quick.out)["stats"]["mean_frames"].get<double>() ==
              Approx(double(period)).margin(0.01));
    }
}

TEST_CASE("latency --device jack, the server killed mid-measurement: exit 1 within seconds, the reason, the JSON",
          "[jack][cli]")
{
    PrivateJackServer server(256, "latkill");
    REQUIRE_JACK_SERVER(server);
    const std::string json = std::string(WB_TEST_OUTPUT_DIR) + "/latency_jack_killed.json";
    std::remove(json.c_str());
    // 20 runs of the full probe (1.4 s each): about 30 s if nothing happened.
    wb::test::ProcessResult r;
    std::atomic<bool> done{false};
    std::chrono::steady_clock::time_point exitedAt;
    std::thread child([&] {
        r = runProcess(WB_CLI_PATH, {"latency", "--device", "jack", "--connect-loopback", "--runs", "20", "--json", json},
                       {server.env()});
        exitedAt = std::chrono::steady_clock::now();
        done = true;
    });
    // Kill the server once Wavebench's ports are wired (the measurement is under way).
    const std::string lsp = wb::test::findProgram("jack_lsp");
    bool wired = false;
    std::string lastPorts;
    int polls = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!wired && !done && !lsp.empty() && std::chrono::steady_clock::now() < deadline)
    {
        const auto ports = runProcess(lsp, {"-c", "Wavebench:in_1"}, {server.env(), "JACK_NO_START_SERVER=1"});
        lastPorts = ports.out + ports.err;
        // jack_lsp -c Wavebench:in_1 lists that port with its peers indented below it: the
        // loopback is wired when Wavebench:out_1 is among them.
        wired = ports.out.find("\n   Wavebench:out_1") != std::string::npos;
        ++polls;
        if (!wired)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // The measurement starts right after the wiring; a second later it is well inside run 1 of 20
    // (a run is 1.4 s). Not a count after a sleep: only where the kill lands.
    if (wired)
        std::this_thread::sleep_for(std::chrono::seconds(1));
    server.killNow();
    const auto killedAt = std::chrono::steady_clock::now();
    child.join();
    INFO(r.out << r.err << "\n" << polls << " polls; last jack_lsp -c: " << lastPorts);
    REQUIRE(wired);
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, Catch::Contains("the JACK server stopped"));
    // A bound on a hang, not a speed figure: before the stall check it took about 20 s.
    CHECK(std::chrono::duration<double>(exitedAt - killedAt).count() < 10.0);
    const auto j = readJson(json);
    CHECK(j["valid"] == false);
    CHECK(j["stopped_by"] == "device-lost");
    CHECK(j["runs_completed"].get<int>() < 20);
    CHECK_FALSE(j.contains("stats")); // never a figure from a measurement cut short
}

TEST_CASE("latency --device jack with no server: a failure (exit 1) with a message, no server started", "[cli]")
{
    const auto r = runProcess(WB_CLI_PATH, {"latency", "--device", "jack", "--runs", "1"},
                              {"JACK_DEFAULT_SERVER=wbtest-no-such-server-" + std::to_string(getpid())});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, Catch::Contains("no JACK server"));
}
