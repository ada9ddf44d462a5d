// Loudness in the CLI, run as a user would: every render's sidecar carries EBU R128 figures,
// `render --level-mode lufs` lands on the loudness asked for, `--target-lufs` passes or exits 3,
// and `wavebench loudness FILE` reads a file. Answers are analytic (BS.1770: a 1 kHz sine of
// amplitude A dBFS is A LUFS in stereo, A - 3.01 LUFS in mono; an fs/4 sine at 45 degrees has
// every sample 3.01 dB below its crest) or from the level meter (Core/Analysis/Levels), which
// shares no code with libebur128.
#include "Core/Analysis/Loudness.h"
#include "Core/Audio/WavFile.h"
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

using wb::test::nothingLeftBeside;
using wb::test::readJson;
using wb::test::runProcess;

namespace
{
const double kMonoSineOffsetLu = -10.0 * std::log10(2.0); // one channel of the stereo pair

std::string outPath(const std::string& name)
{
    return wb::test::outputPath("loudness", name);
}

/// The file's integrated loudness measured here, from the samples read back.
std::optional<double> integratedOfFile(const std::string& path)
{
    std::string error;
    const auto wav = wb::readWav(path, error);
    REQUIRE(wav);
    wb::LoudnessMeter m(static_cast<int>(wav->channels.size()), wav->sampleRate, false);
    std::vector<const float*> ptrs;
    for (const auto& ch : wav->channels)
        ptrs.push_back(ch.data());
    m.add(ptrs.data(), wav->numFrames());
    return m.integratedLufs();
}

/// The value in "integrated loudness X LUFS" of a check's message (NaN when absent).
double checkedValueIn(const std::string& text)
{
    std::smatch m;
    static const std::regex number(R"(integrated loudness (-?[0-9.]+) LUFS)");
    return std::regex_search(text, m, number) ? std::stod(m[1]) : std::nan("");
}
} // namespace

TEST_CASE("render: the sidecar's loudness object of a stereo 1 kHz sine at -23 dBFS reads -23 LUFS", "[cli][loudness]")
{
    const auto out = outPath("sine23.wav");
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--freq", "1000", "--level", "-23",
                                            "--channels", "2", "--duration", "5", "--format", "f32", "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("loudness: integrated -23.0 LUFS"));
    const auto j = readJson(out + ".json");
    const auto& l = j["loudness"];
    CHECK(l["layout"] == "stereo");
    CHECK(l["integrated_lufs"].get<double>() == Approx(-23.0).margin(0.1));
    CHECK(l["momentary_max_lufs"].get<double>() == Approx(-23.0).margin(0.1));
    CHECK(l["short_term_max_lufs"].get<double>() == Approx(-23.0).margin(0.1));
    CHECK(l["range_lu"].get<double>() == Approx(0.0).margin(0.1));
    // The sample peak agrees with the level meter's; a 1 kHz crest falls on a sample at 48 kHz.
    CHECK(l["sample_peak_dbfs"].get<double>() == Approx(j["measured"]["peak_dbfs"].get<double>()).margin(0.001));
    CHECK(l["true_peak_dbtp"].get<double>() == Approx(-23.0).margin(0.2));
    CHECK(l["per_channel"].size() == 2);
}

TEST_CASE("render: silence and a 3-channel render give null loudness, never a number", "[cli][loudness]")
{
    const auto out = outPath("silence.wav");
    auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "silence", "--channels", "2", "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("loudness: integrated none"));
    auto j = readJson(out + ".json");
    CHECK(j["loudness"]["integrated_lufs"].is_null());
    CHECK(j["loudness"]["range_lu"].is_null());
    CHECK(j["loudness"]["true_peak_dbtp"].is_null());

    const auto three = outPath("three.wav");
    r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--channels", "3", "--out", three});
    REQUIRE(r.exitCode == 0);
    j = readJson(three + ".json");
    CHECK(j["loudness"]["layout"] == "unsupported");
    CHECK(j["loudness"]["integrated_lufs"].is_null());
    CHECK(j["loudness"]["sample_peak_dbfs"].get<double>() == Approx(-1.0).margin(0.01));
}

TEST_CASE("render --level-mode lufs: a mono sine lands at the peak level BS.1770 predicts", "[cli][loudness]")
{
    const auto out = outPath("lufs_sine.wav");
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--level-mode", "lufs", "--level", "-23",
                                            "--duration", "3", "--format", "f32", "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = readJson(out + ".json");
    // Mono: -23 LUFS is a sine of amplitude -23 + 3.01 dBFS, read by the level meter.
    CHECK(j["measured"]["peak_dbfs"].get<double>() == Approx(-23.0 - kMonoSineOffsetLu).margin(0.1));
    CHECK(j["requested"]["level_mode"] == "lufs");
    CHECK(j["requested"]["level_lufs"] == -23.0);
    CHECK(j["loudness"]["integrated_lufs"].get<double>() == Approx(-23.0).margin(0.05));
}

TEST_CASE("render --level-mode lufs: noise and a faded tone land on the target over their whole length",
          "[cli][loudness]")
{
    // Pink noise (s24, stereo) and a tone whose fade makes its loudness depend on the duration.
    const std::vector<std::vector<std::string>> cases = {
        {"--signal", "pink", "--channels", "2", "--duration", "4", "--format", "s24"},
        {"--signal", "sine", "--freq", "440", "--duration", "2", "--fade-in", "1", "--fade-out", "0.5"},
        {"--signal", "sweep-log", "--duration", "3", "--channels", "6"},
    };
    int i = 0;
    for (auto args : cases)
    {
        const auto out = outPath("lufs_case" + std::to_string(++i) + ".wav");
        args.insert(args.begin(), "render");
        for (const auto& a : {"--level-mode", "lufs", "--level", "-16", "--out"})
            args.emplace_back(a);
        args.push_back(out);
        const auto r = runProcess(WB_CLI_PATH, args);
        INFO(args[2] << ": " << r.err);
        REQUIRE(r.exitCode == 0);
        const auto measured = integratedOfFile(out);
        REQUIRE(measured);
        CHECK(*measured == Approx(-16.0).margin(0.05));
    }
}

TEST_CASE("render --target-lufs: passes within the tolerance, exits 3 with the measured value outside",
          "[cli][loudness]")
{
    const auto out = outPath("target.wav");
    auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--channels", "2", "--level", "-20",
                                      "--duration", "2", "--target-lufs", "-20.3", "--out", out});
    INFO(r.err);
    CHECK(r.exitCode == 0);
    auto j = readJson(out + ".json");
    CHECK(j["loudness_check"]["passed"] == true);
    CHECK(j["loudness_check"]["target_lufs"] == -20.3);

    r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--channels", "2", "--level", "-20", "--duration",
                                 "2", "--target-lufs", "-23", "--tolerance-lu", "1", "--out", out});
    CHECK(r.exitCode == 3);
    CHECK_THAT(r.err, Catch::Contains("FAIL"));
    CHECK(checkedValueIn(r.err) == Approx(-20.0).margin(0.1));
    j = readJson(out + ".json"); // the file is kept: it is the evidence
    CHECK(j["loudness_check"]["passed"] == false);
    CHECK(j["loudness_check"]["measured_lufs"].get<double>() == Approx(-20.0).margin(0.1));

    // No loudness to vouch for is a failed check too.
    r = runProcess(WB_CLI_PATH, {"render", "--signal", "silence", "--target-lufs", "-23", "--out", out});
    CHECK(r.exitCode == 3);
    CHECK_THAT(r.err, Catch::Contains("no integrated loudness"));
}

TEST_CASE("render --level-mode lufs: refusals leave no file", "[cli][loudness]")
{
    const auto out = outPath("refused.wav");
    const std::vector<std::vector<std::string>> bad = {
        {"--signal", "silence", "--level-mode", "lufs", "--level", "-23"},
        {"--signal", "sine", "--duration", "0.3", "--level-mode", "lufs", "--level", "-23"},
        {"--signal", "sine", "--channels", "3", "--level-mode", "lufs", "--level", "-23"},
        {"--signal", "sine", "--chain", "gain", "--level-mode", "lufs", "--level", "-23"},
        {"--signal", "impulse", "--level-mode", "lufs", "--level", "0"},
        {"--signal", "sine", "--level-mode", "loud"},
        {"--signal", "sine", "--target-lufs", "-23", "--tolerance-lu", "-1"},
    };
    for (auto args : bad)
    {
        args.insert(args.begin(), "render");
        args.emplace_back("--out");
        args.push_back(out);
        const auto r = runProcess(WB_CLI_PATH, args);
        INFO(args[2] << " " << args.back() << ": " << r.err);
        CHECK(r.exitCode == 2);
        CHECK_FALSE(r.err.empty());
        CHECK(nothingLeftBeside(out));
    }
}

TEST_CASE("loudness FILE: true peak above the sample peak of an fs/4 sine at 45 degrees, text and JSON",
          "[cli][loudness]")
{
    const auto wav = outPath("isp.wav");
    auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "sine", "--freq", "12000", "--phase", "0.125",
                                      "--level", "-6", "--channels", "2", "--duration", "1", "--format", "f32",
                                      "--out", wav});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    // The level meter (independent of libebur128) reads the samples: 3.01 dB below the crest.
    const double samplePeak = readJson(wav + ".json")["measured"]["peak_dbfs"].get<double>();
    const auto json = outPath("isp.loudness.json");
    r = runProcess(WB_CLI_PATH, {"loudness", wav, "--json", json});
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("2 ch (stereo), 48000 Hz, 1.000 s"));
    const auto j = readJson(json);
    CHECK(j["frames"] == 48000);
    CHECK(j["loudness"]["sample_peak_dbfs"].get<double>() == Approx(samplePeak).margin(0.001));
    CHECK(j["loudness"]["true_peak_dbtp"].get<double>() == Approx(samplePeak + 3.0103).margin(0.2));
    // --json - prints the JSON alone.
    r = runProcess(WB_CLI_PATH, {"loudness", wav, "--json", "-"});
    REQUIRE(r.exitCode == 0);
    CHECK(nlohmann::json::parse(r.out)["loudness"]["layout"] == "stereo");
}

TEST_CASE("loudness FILE: the check, and files it cannot read", "[cli][loudness]")
{
    const auto wav = outPath("check.wav");
    auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "pink", "--level-mode", "lufs", "--level", "-23",
                                      "--channels", "2", "--duration", "3", "--out", wav});
    REQUIRE(r.exitCode == 0);
    r = runProcess(WB_CLI_PATH, {"loudness", wav, "--target-lufs", "-23"});
    CHECK(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("pass"));
    r = runProcess(WB_CLI_PATH, {"loudness", wav, "--target-lufs", "-14", "--tolerance-lu", "1"});
    CHECK(r.exitCode == 3);
    CHECK(checkedValueIn(r.err) == Approx(-23.0).margin(0.05));

    const auto notWav = outPath("not.wav");
    {
        std::ofstream f(notWav);
        f << "not audio";
    }
    r = runProcess(WB_CLI_PATH, {"loudness", notWav});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("cannot read"));
    r = runProcess(WB_CLI_PATH, {"loudness", outPath("missing.wav")});
    CHECK(r.exitCode == 2);
}
