// `wavebench measure --device virtual|jack`: the sweep played and recorded in real callbacks.
// The Virtual loopback's round trip is period + cable delay (VirtualLoopbackDevice.h), and its
// cable is a windowed-sinc FIR whose response is computed here from its taps (LoopbackLine).
#include "Core/Analysis/LatencyLoopback.h"
#include "Support/PrivateJackServer.h"
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <complex>
#include <filesystem>
#include <numbers>
#include <string>

using wb::test::runProcess;

namespace
{
/// The cable's response at hz with its nominal delay removed (dB, degrees).
std::pair<double, double> cableResponse(double delay, double hz)
{
    wb::latency::LoopbackLine line;
    line.prepare({delay, 1.0, -200.0, 1});
    std::complex<double> sum = 0.0;
    const auto& taps = line.taps();
    for (std::size_t k = 0; k < taps.size(); ++k)
        sum += taps[k] * std::polar(1.0, -2.0 * std::numbers::pi * hz * static_cast<double>(line.integerDelay() + static_cast<std::int64_t>(k)) / 48000.0);
    sum *= std::polar(1.0, 2.0 * std::numbers::pi * hz * delay / 48000.0);
    return {20.0 * std::log10(std::abs(sum)), std::arg(sum) * 180.0 / std::numbers::pi};
}
} // namespace

TEST_CASE("measure --device virtual: fractional delay to 0.01 frame, the cable's own response, 1 degree", "[engine][cli][analysis]")
{
    for (const double delay : {0.0, 100.37, 1234.5})
        for (const char* period : {"64", "256"})
        {
            INFO("cable " << delay << ", period " << period);
            const auto json = wb::test::outputPath("measure", "virtual.json");
            const auto r = runProcess(WB_CLI_PATH, {"measure", "--device", "virtual", "--virtual-fast", "--virtual-delay",
                                                    std::to_string(delay), "--period", period, "--duration", "1",
                                                    "--json", json});
            INFO(r.out << r.err);
            REQUIRE(r.exitCode == 0);
            const auto j = wb::test::readJson(json);
            const double roundTrip = std::stod(period) + delay;
            CHECK(j["delay_frames"].get<double>() == Approx(roundTrip).margin(0.01));
            int checked = 0;
            for (const auto& p : j["response"])
            {
                const double hz = p["hz"].get<double>();
                if (hz < 30.0 || hz > 18000.0)
                    continue;
                const auto [db, deg] = cableResponse(delay, hz);
                INFO(hz << " Hz: measured " << p["db"].get<double>() << " dB " << p["deg"].get<double>()
                        << " deg; cable " << db << " dB " << deg << " deg");
                CHECK(std::abs(p["db"].get<double>()) < 0.05);
                CHECK(std::abs(p["db"].get<double>() - db) < 0.01);
                CHECK(std::abs(p["deg"].get<double>() - deg) < 1.0);
                ++checked;
            }
            CHECK(checked > 200);
        }
}

TEST_CASE("measure --device virtual in real time, and its refusals", "[engine][cli][analysis]")
{
    const auto r = runProcess(WB_CLI_PATH, {"measure", "--device", "virtual", "--virtual-delay", "10.25", "--duration",
                                            "0.3", "--tail", "0.1", "--from", "50", "--json", "-"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["delay_frames"].get<double>() == Approx(256.0 + 10.25).margin(0.01));
    CHECK(j["settings"]["mode"] == "device");
    CHECK(j["settings"]["device"]["name"] == "Virtual loopback");

    // Noise at -20 dBFS over a -40 dBFS sweep: too noisy, exit 3, nothing written.
    const auto json = wb::test::outputPath("measure", "noisy.json");
    std::filesystem::remove(json);
    const auto noisy = runProcess(WB_CLI_PATH, {"measure", "--device", "virtual", "--virtual-fast", "--virtual-noise-db",
                                                "-20", "--level", "-40", "--duration", "0.5", "--json", json});
    INFO(noisy.err);
    CHECK(noisy.exitCode == 3);
    CHECK(noisy.err.find("SNR too low") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(json));
    // A cable longer than the tail: the delay does not fit.
    const auto late = runProcess(WB_CLI_PATH, {"measure", "--device", "virtual", "--virtual-fast", "--virtual-delay",
                                               "30000", "--tail", "0.5", "--duration", "2"});
    INFO(late.err);
    CHECK(late.exitCode == 3);
    // A device measurement has no chain.
    CHECK(runProcess(WB_CLI_PATH, {"measure", "--device", "virtual", "--chain", "gain"}).exitCode == 2);
    // A name no device has: exit 1, the devices there listed, nothing measured.
    const auto unknown = runProcess(WB_CLI_PATH, {"measure", "--device", "nosuch"});
    CHECK(unknown.exitCode == 1);
    CHECK_THAT(unknown.err, Catch::Contains("no audio device named 'nosuch'"));
}

TEST_CASE("measure and latency --device JACK:system by the name devices lists: one period on a private dummy server",
          "[jack][cli][analysis]")
{
    wb::test::PrivateJackServer server(128, "measurename");
    REQUIRE_JACK_SERVER(server);
    const auto r = runProcess(WB_CLI_PATH, {"measure", "--device", "JACK:system", "--connect-loopback", "--duration",
                                            "0.5", "--tail", "0.2", "--json", "-"},
                              {server.env()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["settings"]["device"]["type"] == "JACK");
    CHECK(j["settings"]["device"]["name"] == "system");
    // The dummy server's round trip through the connected ports: one period (as jack_iodelay says).
    CHECK(j["delay_frames"].get<double>() == Approx(128.0).margin(0.01));
    const auto l = runProcess(WB_CLI_PATH, {"latency", "--device", "JACK:system", "--connect-loopback", "--quick",
                                            "--runs", "2", "--json", "-"},
                              {server.env()});
    INFO(l.err);
    REQUIRE(l.exitCode == 0);
    CHECK(nlohmann::json::parse(l.out)["stats"]["mean_frames"].get<double>() == Approx(128.0).margin(0.01));
    // The Virtual loopback is not a named device: its options are --device virtual's.
    const auto v = runProcess(WB_CLI_PATH, {"latency", "--device", "JACK:system", "--virtual-delay", "3"}, {server.env()});
    CHECK(v.exitCode == 2);
}

TEST_CASE("measure --device jack --connect-loopback on a private dummy server: one period, flat", "[jack][cli][analysis]")
{
    wb::test::PrivateJackServer server(128, "measure");
    REQUIRE_JACK_SERVER(server);
    const auto r = runProcess(WB_CLI_PATH, {"measure", "--device", "jack", "--connect-loopback", "--duration", "0.5",
                                            "--tail", "0.2", "--json", "-"},
                              {server.env()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["settings"]["device"]["period"] == 128);
    CHECK(j["delay_frames"].get<double>() == Approx(128.0).margin(0.01));
    for (const auto& p : j["response"])
        if (p["hz"].get<double>() >= 30.0 && p["hz"].get<double>() <= 18000.0)
        {
            CHECK(std::abs(p["db"].get<double>()) < 0.05);
            CHECK(std::abs(p["deg"].get<double>()) < 1.0);
        }
}

TEST_CASE("measure --device virtual --noise-floor: the cable's noise at its theoretical floor", "[engine][cli][analysis]")
{
    // White noise of RMS s at the input, deconvolved and windowed like the response:
    // E|N(f)|^2 = P s^2 / (A^2 fs^2 L / (4 f)) (P: window_power_frames; see SweptSineTest.cpp).
    // Single frequencies scatter like chi-square with 2 degrees of freedom: compare the mean power.
    const auto r = runProcess(WB_CLI_PATH, {"measure", "--device", "virtual", "--virtual-fast", "--virtual-noise-db",
                                            "-70", "--noise-floor", "--duration", "1", "--json", "-"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out);
    const double power = j["window_power_frames"].get<double>();
    const double rateL = j["settings"]["sweep_rate_l_s"].get<double>();
    const double amplitude2 = std::pow(10.0, -6.0 / 10.0);
    const double sigma2 = std::pow(10.0, -70.0 / 10.0);
    double ratio = 0.0;
    int count = 0;
    for (const auto& p : j["response"])
    {
        const double hz = p["hz"].get<double>();
        if (hz < 100.0 || hz > 10000.0)
            continue;
        const double want = power * sigma2 / (amplitude2 * 48000.0 * 48000.0 * rateL / (4.0 * hz));
        ratio += std::pow(10.0, p["noise_db"].get<double>() / 10.0) / want;
        ++count;
    }
    REQUIRE(count > 100);
    const double ratioDb = 10.0 * std::log10(ratio / count);
    INFO("measured / theory " << ratioDb << " dB");
    CHECK(std::abs(ratioDb) < 1.0);
}
