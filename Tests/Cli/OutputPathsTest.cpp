// `--out` and `--json` paths as a user gives them (issue 15): /dev/stdout, /dev/null, a symlink, a
// file with its own mode, an impossible folder. The writing itself is tested in
// Tests/Core/Audio/OutputTargetTest.cpp; here, that every command goes through it.
#include "Support/RunProcess.h"

#include "Support/TestFiles.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h> // mknod, stat (POSIX)
#include <sys/sysmacros.h> // makedev
#include <unistd.h>   // getpid

using wb::test::runProcess;

namespace
{
namespace fs = std::filesystem;

std::string cliPath()
{
    const char* other = std::getenv("WB_CLI_UNDER_TEST"); // another build, e.g. from before a fix
    return other != nullptr ? other : WB_CLI_PATH;
}

using wb::test::slurp;

fs::path freshDir(const std::string& name)
{
    return wb::test::freshTempDir("wb-cli-out", name);
}

const std::vector<std::string> kQuickLatency{"latency", "--device", "virtual", "--virtual-fast", "--quick",
                                             "--runs", "1"};
} // namespace

TEST_CASE("latency --json /dev/stdout (a link to fd 1) prints the JSON report on stdout", "[cli]")
{
    // A private link to the process's stdout, as /dev/stdout is: a regression run as root then
    // replaces this link, not the machine's /dev/stdout (the code before the fix did that).
    const auto dir = freshDir("stdout");
    const auto link = dir / "stdout";
    fs::create_symlink("/proc/self/fd/1", link);
    auto args = kQuickLatency;
    args.insert(args.end(), {"--json", link.string()});
    const auto r = runProcess(cliPath(), args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    // latency writes the JSON, then its text report: the object runs from a '{' line to the first
    // unindented '}' line.
    const auto brace = r.out.rfind("{\n", 0) == 0 ? std::string::size_type{0} : r.out.find("\n{\n");
    REQUIRE(brace != std::string::npos);
    const auto start = brace == 0 ? brace : brace + 1;
    const auto end = r.out.find("\n}\n", start);
    REQUIRE(end != std::string::npos);
    const auto j = nlohmann::json::parse(r.out.substr(start, end + 2 - start));
    CHECK_THAT(r.out.substr(end), Catch::Contains("mean"));
    CHECK(j.is_object());
    CHECK(j.contains("runs"));
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(fs::is_symlink(fs::symlink_status("/dev/stdout")));
    fs::remove_all(dir);
}

TEST_CASE("render --out /dev/null renders, writes no sidecar and leaves /dev/null a device", "[cli]")
{
    // As root, a private null device (1,3), so that a regression replaces that node and not the
    // machine's /dev/null (run as root, the code before the fix did); otherwise /dev/null itself.
    const auto dir = freshDir("chr");
    auto device = dir / "null";
    if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0)
        device = "/dev/null";
    REQUIRE(fs::is_character_file(device));
    const auto r = runProcess(cliPath(), {"render", "--signal", "sine", "--duration", "0.1", "--out", device.string()});
    INFO(r.err);
    CHECK(r.exitCode == 0);
    CHECK(fs::is_character_file(fs::symlink_status(device)));
    CHECK_FALSE(fs::exists(device.string() + ".json"));
    CHECK(fs::is_character_file(fs::symlink_status("/dev/null")));
    fs::remove_all(dir);
}

TEST_CASE("json and WAV outputs through a symlink write its target and keep the link and the mode", "[cli]")
{
    const auto dir = freshDir("link");
    fs::create_directories(dir / "real");
    const auto target = dir / "real" / "report.json";
    {
        std::ofstream(target) << "old";
    }
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    const auto link = dir / "report.json";
    fs::create_symlink(target, link);

    auto args = kQuickLatency;
    args.insert(args.end(), {"--json", link.string()});
    const auto r = runProcess(cliPath(), args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(nlohmann::json::parse(slurp(target)).is_object());
    struct stat st
    {
    };
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);

    // A WAV through a link.
    const auto wavTarget = dir / "real" / "tone.wav";
    const auto wavLink = dir / "tone.wav";
    fs::create_symlink(wavTarget, wavLink);
    const auto w = runProcess(cliPath(), {"render", "--signal", "sine", "--duration", "0.1", "--out", wavLink.string()});
    INFO(w.err);
    REQUIRE(w.exitCode == 0);
    CHECK(fs::is_symlink(fs::symlink_status(wavLink)));
    CHECK(fs::file_size(wavTarget) > 4800 * 3);
    CHECK(fs::exists(dir / "tone.wav.json")); // the sidecar sits beside the name the user gave
    fs::remove_all(dir);
}

TEST_CASE("a --json file that cannot be written says why (never \"Success\")", "[cli]")
{
    auto args = kQuickLatency;
    args.insert(args.end(), {"--json", "/nonexistent-wavebench-dir/report.json"});
    const auto r = runProcess(cliPath(), args);
    CHECK(r.exitCode != 0);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent-wavebench-dir"));
    CHECK_THAT(r.err, Catch::Contains("No such file or directory"));
    CHECK_THAT(r.err, !Catch::Contains("Success"));
}

TEST_CASE("latency, monitor and bench refuse a --json they cannot write before measuring (exit 2)", "[cli]")
{
    const std::string dir = std::string(WB_TEST_OUTPUT_DIR) + "/no-such-folder-" + std::to_string(getpid());
    const std::string json = dir + "/out.json";
    std::filesystem::remove_all(dir);
    const std::vector<std::vector<std::string>> commands{
        {"latency", "--device", "virtual", "--runs", "5", "--json", json},
        {"monitor", "--device", "virtual", "--seconds", "30", "--json", json},
        {"bench", "streams", "--max-streams", "20", "--seconds-per-step", "5", "--json", json}};
    for (const auto& args : commands)
    {
        const auto r = runProcess(WB_CLI_PATH, args);
        INFO(args[0] << ": " << r.out << r.err);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("cannot write " + json));
        // Refused before any device was opened (each prints "device: ..." once it has one).
        CHECK_THAT(r.out + r.err, !Catch::Contains("device:"));
        CHECK_FALSE(std::filesystem::exists(dir));
    }
}

TEST_CASE("render refuses --period with --period-ms (one quantity given twice): exit 2, no file", "[cli]")
{
    const std::string out = std::string(WB_TEST_OUTPUT_DIR) + "/period_twice.wav";
    std::filesystem::remove(out);
    std::filesystem::remove(out + ".json");
    const auto r = runProcess(WB_CLI_PATH, {"render", "--signal", "impulse", "--period", "480", "--period-ms", "5",
                                            "--duration", "1", "--out", out});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("--period") && Catch::Contains("--period-ms"));
    CHECK_FALSE(std::filesystem::exists(out));
    CHECK_FALSE(std::filesystem::exists(out + ".json"));
    // Each alone is still accepted.
    CHECK(runProcess(WB_CLI_PATH, {"render", "--signal", "impulse", "--period-ms", "5", "--duration", "0.1", "--out", out})
              .exitCode == 0);
}
