// The command-line surface of Faust at run time (issue 12), run as a user would: `effects --dsp`,
// `render --chain ./my.dsp,...` with --set by the file's stem, and `render --source`. Each run
// gets WAVEBENCH_FAUST_CACHE in a private folder, never the user's cache.
#include "Support/RunProcess.h"
#include "Support/TestFiles.h"

#include "Core/Audio/WavFile.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

using wb::test::freshTempDir;
using wb::test::runProcess;
namespace fs = std::filesystem;

namespace
{
struct Folder
{
    fs::path dir;
    std::vector<std::string> env;
    explicit Folder(const std::string& name) : dir(freshTempDir("wb-faustrt-cli", name))
    {
        env = {"WAVEBENCH_FAUST_CACHE=" + (dir / "cache").string()};
    }
    std::string write(const std::string& file, const std::string& text) const
    {
        std::ofstream(dir / file, std::ios::binary) << text;
        return (dir / file).string();
    }
    wb::test::ProcessResult run(const std::vector<std::string>& args) const { return runProcess(WB_CLI_PATH, args, env); }
};

wb::WavData readBack(const std::string& path)
{
    std::string error;
    auto wav = wb::readWav(path, error);
    INFO(error);
    REQUIRE(wav.has_value());
    return *wav;
}
} // namespace

TEST_CASE("cli: effects --dsp lists a file's parameters, a compile error is file:line on stderr, exit 2",
          "[faustrt][cli]")
{
    const Folder f("effects");
    const auto ok = f.write("trim.dsp", "declare name \"Trim\";\ng = hslider(\"level [unit:dB]\", -3, -20, 6, 0.1);\n"
                                        "process = *(g);\n");
    const auto r = f.run({"effects", "--dsp", ok, "--json"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.out)["effects"].at(0);
    CHECK(j["id"] == ok);
    CHECK(j["name"] == "Trim");
    CHECK(j["inputs"] == 1);
    CHECK(j["outputs"] == 1);
    CHECK(j["key"].get<std::string>().size() == 40); // SHA-1, hex
    REQUIRE(j["parameters"].size() == 1);
    CHECK(j["parameters"][0]["name"] == "level");
    CHECK(j["parameters"][0]["unit"] == "dB");
    CHECK(j["parameters"][0]["min"] == -20.0);
    CHECK(j["parameters"][0]["default"] == -3.0);

    const auto text = f.run({"effects", "--dsp", ok});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("level") && Catch::Contains("1 in, 1 out"));

    const auto bad = f.write("bad.dsp", "import(\"stdfaust.lib\");\n\nprocess = _ : nosuchthing;\n");
    const auto e = f.run({"effects", "--dsp", bad});
    CHECK(e.exitCode == 2);
    CHECK_THAT(e.err, Catch::Contains(bad + ":3:") && Catch::Contains("nosuchthing"));
    CHECK(e.out.empty());

    const auto notDsp = f.run({"effects", "--dsp", (f.dir / "x.txt").string()});
    CHECK(notDsp.exitCode == 2);
}

TEST_CASE("cli: render --chain with a .dsp entry and --set by its stem, the sidecar records the path and key",
          "[faustrt][cli]")
{
    const Folder f("chain");
    f.write("half.dsp", "g = hslider(\"gain\", 1, 0, 1, 0.01);\nprocess = *(g);\n");
    const auto out = (f.dir / "x.wav").string();
    const auto cwd = fs::current_path();
    // A relative path, as a user types it; the sidecar holds the absolute one.
    const auto r = runProcess(WB_CLI_PATH,
                              {"render", "--signal", "dc", "--level", "-6.0206", "--duration", "0.05", "--channels", "2",
                               "--format", "f32", "--chain", (f.dir / "half.dsp").lexically_relative(cwd).string() + ",gain",
                               "--set", "half.gain=0.5", "--set", "gain.gain=-6.0206", "--out", out},
                              f.env);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    // dc at -6.0206 dBFS is 0.5; x 0.5 (the file) x 0.5 (-6.0206 dB) = 0.125 on both channels.
    const auto wav = readBack(out);
    REQUIRE(wav.channels.size() == 2);
    for (const auto& ch : wav.channels)
        for (float v : ch)
            REQUIRE(v == Approx(0.125).margin(1e-5));
    const auto sidecar = wb::test::readJson(out + ".json");
    CHECK(sidecar["chain"][0]["effect"] == (f.dir / "half.dsp").string());
    CHECK(sidecar["chain"][0]["instance"] == "half");
    CHECK(sidecar["chain"][0]["module_key"].get<std::string>().size() == 40);
    CHECK(sidecar["chain"][1]["effect"] == "gain");
}

TEST_CASE("cli: render with a .dsp that does not compile or fit: file:line on stderr, exit 2, no output file",
          "[faustrt][cli]")
{
    const Folder f("chain-errors");
    const auto bad = f.write("bad.dsp", "process = _ :\n\n  nosuch;\n");
    const auto quad = f.write("quad.dsp", "process = par(i, 4, _);\n");
    const auto out = (f.dir / "x.wav").string();
    const auto e = f.run({"render", "--signal", "sine", "--duration", "0.05", "--chain", bad, "--out", out});
    CHECK(e.exitCode == 2);
    CHECK_THAT(e.err, Catch::Contains(bad + ":3:"));
    CHECK(wb::test::nothingLeftBeside(out));

    const auto q = f.run({"render", "--signal", "sine", "--duration", "0.05", "--chain", "gain," + quad, "--out", out});
    CHECK(q.exitCode == 2);
    CHECK_THAT(q.err, Catch::Contains("4 inputs and 4 outputs"));
    CHECK(wb::test::nothingLeftBeside(out));
}

TEST_CASE("cli: render --source: a 0-input program is the signal, one with inputs is refused", "[faustrt][cli]")
{
    const Folder f("source");
    // A counter scaled by a power of two: sample n is exactly (n + 1) / 65536, known without Faust.
    const auto ramp = f.write("ramp.dsp", "process = 1 : +~_ : *(1.0/65536);\n");
    const auto out = (f.dir / "ramp.wav").string();
    const auto r = f.run({"render", "--source", ramp, "--duration", "0.1", "--channels", "2", "--format", "f32",
                          "--out", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto wav = readBack(out);
    REQUIRE(wav.channels.size() == 2); // a 1-output program fills every channel
    REQUIRE(wav.numFrames() == 4800);
    for (const auto& ch : wav.channels)
        for (std::size_t n = 0; n < ch.size(); ++n)
            REQUIRE(ch[n] == float(double(n + 1) / 65536.0));
    const auto sidecar = wb::test::readJson(out + ".json");
    CHECK(sidecar["signal"] == "faust-source");
    CHECK(sidecar["source"]["path"] == ramp);
    CHECK(sidecar["source"]["module_key"].get<std::string>().size() == 40);

    // Two outputs and no --channels: a stereo file, one output per channel.
    const auto pair = f.write("pair.dsp", "process = 0.25, -0.5;\n");
    const auto out2 = (f.dir / "pair.wav").string();
    REQUIRE(f.run({"render", "--source", pair, "--duration", "0.01", "--format", "f32", "--out", out2}).exitCode == 0);
    const auto stereo = readBack(out2);
    REQUIRE(stereo.channels.size() == 2);
    CHECK(stereo.channels[0][10] == 0.25f);
    CHECK(stereo.channels[1][10] == -0.5f);

    const auto withInput = f.write("fx.dsp", "process = *(0.5);\n");
    const auto out3 = (f.dir / "fx.wav").string();
    const auto e = f.run({"render", "--source", withInput, "--duration", "0.01", "--out", out3});
    CHECK(e.exitCode == 2);
    CHECK_THAT(e.err, Catch::Contains("1 input"));
    CHECK(wb::test::nothingLeftBeside(out3));

    const auto bad = f.write("broken.dsp", "process = 1 +;\n");
    const auto eb = f.run({"render", "--source", bad, "--duration", "0.01", "--out", out3});
    CHECK(eb.exitCode == 2);
    CHECK_THAT(eb.err, Catch::Contains(bad + ":1:"));
    CHECK(wb::test::nothingLeftBeside(out3));

    const auto both = f.run({"render", "--source", ramp, "--signal", "sine", "--out", out3});
    CHECK(both.exitCode == 2);
    const auto neither = f.run({"render", "--out", out3});
    CHECK(neither.exitCode == 2);
}

TEST_CASE("cli: monitor --json counts the runtime Faust modules: a compile on the first run, a disk hit on the next",
          "[faustrt][cli][monitor]")
{
    const Folder f("monitor");
    const auto dsp = f.write("quiet.dsp", "process = *(0.5), *(0.5);\n");
    const auto json = (f.dir / "monitor.json").string();
    const auto modulesOf = [&](const std::vector<std::string>& args)
    {
        const auto r = f.run(args);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        const auto samples = wb::test::readJson(json)["samples"];
        REQUIRE_FALSE(samples.empty());
        return samples.back()["faust_modules"];
    };
    const std::vector<std::string> args{"monitor", "--device", "virtual", "--seconds", "0.6", "--interval", "0.3",
                                        "--chain", dsp + ",gain", "--json", json};
    auto m = modulesOf(args);
    CHECK(m["modules"] == 1);   // one .dsp file; "gain" is built in
    CHECK(m["compiles"] == 1);  // a fresh cache folder: compiled once
    CHECK(m["disk_hits"] == 0);
    CHECK(m["instances"] == 1);
    // The machine code's size is the disk cache file's (the one .fmc file written).
    std::int64_t fileBytes = 0;
    for (const auto& e : fs::directory_iterator(f.dir / "cache"))
        if (e.path().extension() == ".fmc")
            fileBytes += static_cast<std::int64_t>(e.file_size());
    CHECK(fileBytes > 0);
    CHECK(m["machine_code_bytes"].get<std::int64_t>() == fileBytes);
    CHECK(m["last_compile_ms"].get<double>() > 0.0);
    m = modulesOf(args); // a new process: the machine code comes from the disk cache
    CHECK(m["modules"] == 1);
    CHECK(m["compiles"] == 0);
    CHECK(m["disk_hits"] == 1);
}
