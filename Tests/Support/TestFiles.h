#pragma once
// Files the tests write and read: a folder per test group under the build tree's output
// directory, "nothing was left behind" checks for refused writes, and JSON reports read back.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h> // getpid

namespace wb::test
{
/// WB_TEST_OUTPUT_DIR/`group`/`name`; the folder is created.
inline std::string outputPath(const std::string& group, const std::string& name)
{
    const auto dir = std::filesystem::path(WB_TEST_OUTPUT_DIR) / group;
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

/// True when no file whose name contains `path`'s file name (the file itself, its sidecar, any
/// temporary of either) exists in `path`'s folder.
inline bool nothingLeftBeside(const std::string& path)
{
    const std::filesystem::path p(path);
    for (const auto& e : std::filesystem::directory_iterator(p.parent_path()))
        if (e.path().filename().string().find(p.filename().string()) != std::string::npos)
            return false;
    return true;
}

/// A fresh, empty private folder under the system's temporary folder: `prefix`-`name`-PID
/// (anything left there by an earlier run is removed first).
inline std::filesystem::path freshTempDir(const std::string& prefix, const std::string& name)
{
    const auto dir = std::filesystem::temp_directory_path() / (prefix + "-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// The whole file, bytes as they are ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p)
{
    std::ifstream f(p, std::ios::binary);
    std::ostringstream text;
    text << f.rdbuf();
    return text.str();
}

/// Parses the JSON file at `path` (throws, so the test fails, when it is missing or malformed).
inline nlohmann::json readJson(const std::string& path)
{
    std::ifstream f(path);
    return nlohmann::json::parse(f);
}
} // namespace wb::test
