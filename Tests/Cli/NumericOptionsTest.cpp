// Every numeric option of every `wavebench` command refuses nan, inf and -inf (issue 15): exit 2,
// the option named on stderr, no output file. The options are read from each command's --help,
// so an option added later is covered without editing this table.
#include "Support/RunProcess.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h> // getpid

using wb::test::runProcess;

namespace
{
namespace fs = std::filesystem;

/// Runs wavebench under timeout(1), so a value that slips through cannot hang the suite.
/// WB_CLI_UNDER_TEST names another build of wavebench to check (e.g. one from before a fix).
wb::test::ProcessResult runCli(const std::vector<std::string>& args)
{
    const char* other = std::getenv("WB_CLI_UNDER_TEST");
    std::vector<std::string> all{"--kill-after=5", "30", other != nullptr ? other : WB_CLI_PATH};
    all.insert(all.end(), args.begin(), args.end());
    return runProcess("/usr/bin/timeout", all);
}

/// The names listed under "Subcommands:" in a help text.
std::vector<std::string> subcommandsIn(const std::string& help)
{
    std::vector<std::string> names;
    std::istringstream in(help);
    bool inList = false;
    static const std::regex entry(R"(^  ([a-z][a-z0-9-]*)\s)");
    for (std::string line; std::getline(in, line);)
    {
        if (line.rfind("Subcommands:", 0) == 0)
            inList = true;
        else if (inList)
        {
            std::smatch m;
            if (std::regex_search(line, m, entry))
                names.push_back(m[1]);
            else if (!line.empty())
                inList = false;
        }
    }
    return names;
}

/// The options whose value CLI11 shows as FLOAT, INT or UINT.
std::vector<std::string> numericOptionsIn(const std::string& help)
{
    std::vector<std::string> names;
    std::istringstream in(help);
    static const std::regex entry(R"(^\s+(?:-[A-Za-z],)?(--[a-z0-9-]+) (FLOAT|INT|UINT)\b)");
    for (std::string line; std::getline(in, line);)
    {
        std::smatch m;
        if (std::regex_search(line, m, entry))
            names.push_back(m[1]);
    }
    return names;
}

/// Every command path ("render", "bench streams") with the help text of that command.
void collectCommands(const std::vector<std::string>& path, std::map<std::vector<std::string>, std::string>& found)
{
    auto args = path;
    args.push_back("--help");
    const auto r = runCli(args);
    REQUIRE(r.exitCode == 0);
    if (!path.empty())
        found[path] = r.out;
    for (const auto& sub : subcommandsIn(r.out))
    {
        auto next = path;
        next.push_back(sub);
        collectCommands(next, found);
    }
}

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += (s.empty() ? "" : " ") + x;
    return s;
}
} // namespace

TEST_CASE("every numeric option of every command refuses nan, inf and -inf with exit 2 and no file", "[cli]")
{
    std::map<std::vector<std::string>, std::string> commands;
    collectCommands({}, commands);
    // The commands are found, not listed here; these must be among them.
    for (const auto* name : {"render", "latency", "monitor", "devices", "effects"})
        REQUIRE(commands.count({name}) == 1);
    REQUIRE(commands.count({"bench", "streams"}) == 1);

    const auto dir = fs::temp_directory_path() / ("wb-numeric-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const auto out = (dir / "out.wav").string();
    const auto json = (dir / "out.json").string();

    int cases = 0;
    for (const auto& [path, help] : commands)
    {
        // Whatever else the command needs to get as far as doing work (and writing a file).
        std::vector<std::string> base = path;
        const auto name = joined(path);
        if (name == "render")
            base.insert(base.end(), {"--signal", "sine", "--out", out});
        else if (name == "loudness") // a file that does not exist: the option must be refused first
            base.insert(base.end(), {(dir / "missing.wav").string(), "--json", json});
        else if (name == "latency")
            base.insert(base.end(), {"--device", "virtual", "--virtual-fast", "--json", json});
        else if (help.find("--json TEXT") != std::string::npos)
            base.insert(base.end(), {"--json", json});

        for (const auto& option : numericOptionsIn(help))
            for (const auto* value : {"nan", "inf", "-inf"})
            {
                auto args = base;
                args.insert(args.end(), {option, value});
                const auto argsLine = joined(args);
                INFO("wavebench " << argsLine);
                const auto r = runCli(args);
                CHECK(r.exitCode == 2);
                CHECK_THAT(r.err, Catch::Contains(option));
                std::vector<std::string> left;
                for (const auto& e : fs::directory_iterator(dir))
                    left.push_back(e.path().filename().string());
                CHECK(left.empty());
                for (const auto& e : fs::directory_iterator(dir))
                    fs::remove_all(e.path());
                ++cases;
            }
    }
    // render alone has more than a dozen numeric options.
    CHECK(cases > 3 * 12);
    fs::remove_all(dir);
}
