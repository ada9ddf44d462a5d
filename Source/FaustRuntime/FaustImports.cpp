#include "FaustRuntime/FaustImports.h"

#include "FaustRuntime/FaustCompiler.h"

#include <algorithm>
#include <filesystem>
#include <regex>

namespace fs = std::filesystem;

namespace wb::faustrt
{
namespace
{
/// The text without // and /* */ comments (string literals kept as they are).
std::string withoutComments(const std::string& text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        if (text[i] == '"')
        {
            const std::size_t end = text.find('"', i + 1);
            const std::size_t stop = end == std::string::npos ? text.size() : end + 1;
            out.append(text, i, stop - i);
            i = stop - 1;
        }
        else if (text.compare(i, 2, "//") == 0)
        {
            i = std::min(text.find('\n', i), text.size()) - 1;
        }
        else if (text.compare(i, 2, "/*") == 0)
        {
            const std::size_t end = text.find("*/", i + 2);
            i = end == std::string::npos ? text.size() - 1 : end + 1;
            out += ' ';
        }
        else
            out += text[i];
    }
    return out;
}
} // namespace

std::vector<std::string> dspDependencies(const std::string& dspPath)
{
    std::error_code ec;
    const fs::path main = fs::absolute(dspPath, ec).lexically_normal();
    std::vector<std::string> files{main.string()};
    static const std::regex importRe(R"re(\b(import|library|component)\s*\(\s*"([^"]+)"\s*\))re");
    const fs::path libraryDir(faustLibraryDir());
    for (std::size_t next = 0; next < files.size(); ++next)
    {
        const fs::path file(files[next]);
        const std::string text = withoutComments(readFileText(file.string()));
        for (auto it = std::sregex_iterator(text.begin(), text.end(), importRe); it != std::sregex_iterator(); ++it)
        {
            const fs::path name((*it)[2].str());
            fs::path found;
            for (const auto& dir : {file.parent_path(), libraryDir})
                if (const auto candidate = (name.is_absolute() ? name : dir / name).lexically_normal();
                    fs::is_regular_file(candidate, ec))
                {
                    found = candidate;
                    break;
                }
            if (!found.empty() && std::find(files.begin(), files.end(), found.string()) == files.end())
                files.push_back(found.string());
        }
    }
    return files;
}
} // namespace wb::faustrt
