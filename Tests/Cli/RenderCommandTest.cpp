// `wavebench render`, run as a user would: the file, its JSON sidecar, and the refusals.
#include "Core/Audio/WavFile.h"
#include "Core/Signals/Render.h"
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

using wb::test::nothingLeftBeside;
using wb::test::readJson;
using wb::test::runProcess;

namespace
{
std::string cliOutput(const std::string& name)
{
    return wb::test::outputPath("render", name);
}
} // namespace

TEST_CASE("render writes the WAV the in-memory render makes, and a JSON of what was made", "[cli]")
{
    const auto out = cliOutput("sine.wav");
    std::filesystem::remove(out);
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--freq", "997", "--level", "-6",
                                            "--duration", "0.5", "--channels", "2", "--invert", "2",
                                            "--format", "f32", "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("peak -6.00 dBFS"));

    wb::SignalSettings s;
    s.kind = wb::SignalKind::sine;
    s.freq = 997.0;
    s.levelDb = -6.0;
    s.duration = 0.5;
    wb::RenderConfig c;
    c.numChannels = 2;
    c.routing.invert[1] = true;
    const auto expected = wb::renderSignal(s, c);
    std::string error;
    const auto back = wb::readWav(out, error);
    REQUIRE(back);
    REQUIRE(back->channels.size() == 2);
    CHECK(back->channels == expected.channels); // f32: bit for bit

    const auto j = readJson(out + ".json");
    CHECK(j["signal"] == "sine");
    CHECK(j["parameters"]["freq_hz"] == 997.0);
    CHECK(j["parameters"]["format"] == "f32");
    CHECK(j["parameters"]["inverted_channels"] == nlohmann::json::array({2}));
    CHECK(j["requested"]["level_dbfs"] == -6.0);
    CHECK(j["requested"]["level_mode"] == "peak");
    CHECK(j["measured"]["peak_dbfs"].get<double>() == Approx(-6.0).margin(0.01));
    CHECK(j["measured"]["rms_dbfs"].get<double>() == Approx(-6.0 - 3.0103).margin(0.01));
    CHECK(j["measured"]["crest_db"].get<double>() == Approx(3.0103).margin(0.01));
    CHECK(j["frames"] == 24000);
    CHECK(j.contains("seed"));
}

TEST_CASE("render of noise in RMS mode hits the level exactly and records the seed", "[cli]")
{
    const auto out = cliOutput("pink.wav");
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "pink", "--level", "-20", "--level-mode", "rms",
                                            "--seed", "7", "--format", "s24", "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = readJson(out + ".json");
    CHECK(j["seed"] == 7);
    CHECK(j["measured"]["rms_dbfs"].get<double>() == Approx(-20.0).margin(0.01));
    std::string error;
    const auto back = wb::readWav(out, error);
    REQUIRE(back);
    CHECK(back->format == wb::SampleFormat::pcm24);
}

TEST_CASE("render refuses bad input with a message, exit 2 and no file", "[cli]")
{
    struct Case
    {
        std::vector<std::string> args;
        const char* message;
    };
    const auto out = cliOutput("refused.wav");
    const std::vector<Case> cases{
        {{"--signal", "sine", "--duration", "-1"}, "duration"},
        {{"--signal", "sine", "--freq", "24000"}, "fs/2"},
        {{"--signal", "sweep-log", "--freq", "20", "--to", "30000"}, "fs/2"},
        {{"--signal", "chirp"}, "unknown signal"},
        {{"--signal", "sine", "--format", "s32"}, "--format"},
        {{"--signal", "sine", "--level-mode", "loud"}, "--level-mode"},
        {{"--signal", "sine", "--channels", "9"}, "channels"},
    };
    for (const auto& c : cases)
    {
        std::vector<std::string> args{"render"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        args.insert(args.end(), {"--out", out});
        const auto r = runProcess(WB_CLI_PATH, args);
        INFO(r.err);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains(c.message));
        CHECK(nothingLeftBeside(out));
    }
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--out", "/nonexistent-dir/x.wav"});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent-dir"));
}
