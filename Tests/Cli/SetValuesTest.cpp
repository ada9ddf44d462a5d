// `--set FX.PARAM=VALUE` reads VALUE in the control's unit through its ParamSpec (Core/Session),
// as the app's boxes read typed text: "-6 dB", "1.5k" for a control in Hz, "250 ms" for one in ms.
// The applied value is read back from the sidecar, which records what the node holds.
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>
#include <vector>

using wb::test::nothingLeftBeside;
using wb::test::runProcess;

namespace
{
nlohmann::json renderWith(const std::string& chain, const std::string& set, const std::string& name)
{
    const auto out = wb::test::outputPath("set-values", name);
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--duration", "0.05", "--chain", chain,
                                            "--set", set, "--out", out});
    INFO(set << ": " << r.err);
    REQUIRE(r.exitCode == 0);
    std::ifstream f(out + ".json");
    return nlohmann::json::parse(f);
}
} // namespace

TEST_CASE("render --set reads the value in the control's unit", "[cli][faust]")
{
    CHECK(renderWith("gain", "gain.gain=-6 dB", "db.wav")["chain"][0]["settings"]["gain"].get<double>() == Approx(-6.0));
    CHECK(renderWith("gain", "gain.gain=-6", "plain.wav")["chain"][0]["settings"]["gain"].get<double>() == Approx(-6.0));
    const auto lp = renderWith("lowpass", "lowpass.cutoff=1.5k", "khz.wav");
    CHECK(lp["chain"][0]["settings"]["cutoff"].get<double>() == Approx(1500.0));
    CHECK(lp["set"][0]["value"].get<double>() == 1500.0);
    CHECK(renderWith("lowpass", "lowpass.cutoff=2 kHz", "khz2.wav")["chain"][0]["settings"]["cutoff"].get<double>()
          == Approx(2000.0));
    CHECK(renderWith("delay", "delay.time=250 ms", "ms.wav")["chain"][0]["settings"]["time"].get<double>() == Approx(250.0));
}

TEST_CASE("render --set refuses a value not in the control's unit: message, exit 2, no file", "[cli][faust]")
{
    const auto out = wb::test::outputPath("set-values", "refused.wav");
    for (const auto& [set, message] : std::vector<std::pair<std::string, std::string>>{
             {"gain.gain=1k dB", "not understood"},   // dB takes no prefix
             {"delay.time=1 s", "not understood"},    // a control in ms
             {"lowpass.cutoff=inf", "not a finite number"},
             {"lowpass.cutoff=25k", "outside its range 10..20000 Hz"}})
    {
        const auto chain = set.substr(0, set.find('.'));
        const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--duration", "0.05", "--chain", chain,
                                                "--set", set, "--out", out});
        INFO(set << ": " << r.err);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains(message));
        CHECK_THAT(r.err, Catch::Contains("--set '" + set + "'") || Catch::Contains("is outside"));
        CHECK(nothingLeftBeside(out));
    }
}
