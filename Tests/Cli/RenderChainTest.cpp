// `wavebench render --chain/--set/--automation`, run as a user would: the effect applied offline,
// automation on its exact sample, the sidecar recording it, and every refusal leaving no file.
#include "Core/Audio/WavFile.h"
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include "Engine/SessionFile.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

using wb::test::runProcess;
using wb::test::nothingLeftBeside;

namespace
{
std::string chainOutput(const std::string& name)
{
    return wb::test::outputPath("render-chain", name);
}

std::string writeFile(const std::string& name, const std::string& text)
{
    const auto path = chainOutput(name);
    std::ofstream(path) << text;
    return path;
}

wb::WavData readBack(const std::string& path)
{
    std::string error;
    auto wav = wb::readWav(path, error);
    INFO(error);
    REQUIRE(wav);
    return std::move(*wav);
}
} // namespace

TEST_CASE("render --chain gain --set gain.gain=-6.0206 halves the amplitude", "[cli][faust]")
{
    const auto plain = chainOutput("plain.wav");
    const auto halved = chainOutput("halved.wav");
    const std::vector<std::string> common{"render", "--signal", "sine", "--freq", "997", "--level", "-1",
                                          "--duration", "0.2", "--channels", "3", "--format", "f32"};
    auto args = common;
    args.insert(args.end(), {"--out", plain});
    auto r = runProcess(WB_CLI_PATH, args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    args = common;
    args.insert(args.end(), {"--chain", "gain", "--set", "gain.gain=-6.0206", "--out", halved});
    r = runProcess(WB_CLI_PATH, args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);

    const auto a = readBack(plain);
    const auto b = readBack(halved);
    REQUIRE(b.channels.size() == 3); // the odd third channel runs through its own instance
    double worst = 0.0;
    for (size_t ch = 0; ch < 3; ++ch)
        for (size_t i = 0; i < a.channels[ch].size(); ++i)
            worst = std::max(worst, std::abs(double(b.channels[ch][i]) - 0.5 * double(a.channels[ch][i])));
    CHECK(worst < 2e-6);

    std::ifstream f(halved + ".json");
    const auto j = nlohmann::json::parse(f);
    REQUIRE(j["chain"].size() == 1);
    CHECK(j["chain"][0]["instance"] == "gain");
    CHECK(j["chain"][0]["settings"]["gain"].get<double>() == Approx(-6.0206).margin(1e-4));
    // The same chain as the session file describes it: effect id, bypass, every input by path.
    CHECK(j["chain"][0]["effect"] == "gain");
    CHECK(j["chain"][0]["bypassed"] == false);
    const auto* gainDescription = wb::session::catalogueDescription("gain");
    REQUIRE(gainDescription != nullptr);
    size_t inputs = 0;
    for (const auto& c : gainDescription->controls)
        if (!c.isOutput())
        {
            ++inputs;
            REQUIRE(j["chain"][0]["values"].contains(c.path));
            if (c.label == "gain")
                CHECK(j["chain"][0]["values"][c.path].get<double>() == Approx(-6.0206).margin(1e-4));
        }
    CHECK(j["chain"][0]["values"].size() == inputs);
    CHECK(j["set"][0]["param"] == "gain");
    CHECK(j["measured"]["peak_dbfs"].get<double>() == Approx(-1.0 - 6.0206).margin(0.01));
}

TEST_CASE("render automation steps land on their exact samples, and a repeated effect is id#2", "[cli][faust]")
{
    const auto automation = writeFile("steps.json", R"({"events": [
        {"effect": "gain", "param": "gain", "time": 0.025, "value": -6.0206},
        {"effect": "gain#2", "param": "gain", "sample": 2401, "value": -13.9794, "ramp": 0},
        {"effect": "gain", "param": "gain", "sample": 3000, "value": 0, "ramp": 0.01, "shape": "linear"}
    ]})");
    const auto out = chainOutput("steps.wav");
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "dc", "--level", "0", "--duration", "0.1",
                                            "--format", "f32", "--chain", "gain,gain", "--automation", automation,
                                            "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto wav = readBack(out);
    const auto& x = wav.channels.at(0);
    REQUIRE(x.size() == 4800);
    CHECK(x[1199] == Approx(1.0).margin(1e-6));
    CHECK(x[1200] == Approx(0.5).margin(1e-5)); // time 0.025 s = sample 1200 at 48 kHz
    CHECK(x[2400] == Approx(0.5).margin(1e-5));
    CHECK(x[2401] == Approx(0.1).margin(1e-5)); // -6.0206 - 13.9794 = -20 dB
    CHECK(x[2999] == Approx(0.1).margin(1e-5));
    CHECK(x[3100] > x[3000]);                   // the 10 ms ramp back towards 0 dB (on gain #1)
    CHECK(x[3600] == Approx(0.2).margin(1e-5)); // ... is over: -13.9794 dB remains

    std::ifstream f(out + ".json");
    const auto j = nlohmann::json::parse(f);
    CHECK(j["chain"][1]["instance"] == "gain#2");
    REQUIRE(j["automation"].size() == 3);
    CHECK(j["automation"][0]["sample"] == 1200);
    CHECK(j["automation"][1]["effect"] == "gain#2");
}

TEST_CASE("render --set accepts a label with spaces, quoted or with underscores", "[cli][faust]")
{
    for (const std::string set : {"parametriceq.peak 1 gain=6", "parametriceq.\"peak 1 gain\"=6",
                                  "parametriceq.peak_1_gain=6"})
    {
        INFO(set);
        const auto out = chainOutput("eq.wav");
        const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--freq", "250", "--level", "-20",
                                                "--duration", "0.2", "--chain", "parametriceq", "--set", set,
                                                "--out", out});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        std::ifstream f(out + ".json");
        const auto j = nlohmann::json::parse(f);
        CHECK(j["chain"][0]["settings"]["peak 1 gain"].get<double>() == Approx(6.0));
        CHECK(j["measured"]["peak_dbfs"].get<double>() == Approx(-14.0).margin(0.3)); // +6 dB at the peak
    }
}

TEST_CASE("render chain refusals: message, exit 2, no file", "[cli][faust]")
{
    struct Case
    {
        std::vector<std::string> args;
        const char* message;
    };
    const auto badJson = writeFile("bad.json", "{\"events\": [ {\"effect\": ");
    const auto late = writeFile("late.json", R"({"events":[{"effect":"gain","param":"gain","time":2.0,"value":-6}]})");
    const auto shape = writeFile("shape.json",
                                 R"({"events":[{"effect":"gain","param":"gain","time":0.1,"value":-6,"shape":"cubic"}]})");
    const auto noParam = writeFile("noparam.json", R"({"events":[{"effect":"gain","param":"volume","time":0.1,"value":-6}]})");
    const auto range = writeFile("range.json", R"({"events":[{"effect":"gain","param":"gain","sample":10,"value":99}]})");
    const auto out = chainOutput("refused.wav");
    const std::vector<Case> cases{
        {{"--chain", "fuzzbox"}, "unknown effect 'fuzzbox'"},
        {{"--chain", "gain", "--set", "gain.volume=-6"}, "no parameter 'volume'"},
        {{"--chain", "gain", "--set", "gain.gain=99"}, "outside its range"},
        {{"--chain", "gain", "--set", "gain.gain=loud"}, "not a number"},
        {{"--chain", "gain", "--set", "reverb.mix=1"}, "not in the chain"},
        {{"--chain", "gain", "--set", "gain#2.gain=1"}, "not in the chain"},
        {{"--chain", "gain", "--set", "gain"}, "FX.PARAM=VALUE"},
        {{"--chain", "gain", "--automation", badJson}, "not valid JSON"},
        {{"--chain", "gain", "--automation", late}, "outside the render"},
        {{"--chain", "gain", "--automation", shape}, "only \"linear\""},
        {{"--chain", "gain", "--automation", noParam}, "no parameter 'volume'"},
        {{"--chain", "gain", "--automation", range}, "outside its range"},
        {{"--chain", "gain", "--automation", chainOutput("missing.json")}, "cannot read"},
        {{"--automation", late}, "needs --chain"},
    };
    for (const auto& c : cases)
    {
        std::vector<std::string> args{"render", "--signal", "sine", "--duration", "1"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.insert(args.end(), {"--out", out});
        const auto r = runProcess(WB_CLI_PATH, args);
        INFO(c.message << " / " << r.err);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains(c.message));
        CHECK(nothingLeftBeside(out));
    }
}
