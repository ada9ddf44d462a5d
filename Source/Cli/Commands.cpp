#include "Cli/Commands.h"

#include "Core/Audio/WavFile.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wb::cli
{
std::vector<std::string> splitCommaList(const std::string& list)
{
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            out.push_back(item);
    return out;
}

void writeTextFile(const std::string& path, const std::string& text, Context& ctx)
{
    if (path == "-")
    {
        ctx.out << text;
        return;
    }
    // Whole or not at all, as WAV files are (Core/Audio/WavFile.h): links followed, FIFOs and
    // devices (/dev/stdout, /dev/null) written through, an existing file's mode kept.
    // What was printed so far goes first when the file is this process's own stdout.
    ctx.out.flush();
    std::string error;
    const auto tmp = makeTemporaryBeside(path, error);
    bool ok = tmp.has_value();
    if (ok)
    {
        errno = 0;
        std::ofstream f(*tmp, std::ios::trunc);
        f << text;
        f.close();
        ok = static_cast<bool>(f);
        if (!ok)
            error = std::string("writing a temporary file beside it failed: ") +
                    (errno != 0 ? std::strerror(errno) : "unknown error");
        ok = ok && commitTemporary(*tmp, path, error);
    }
    if (!ok)
    {
        std::error_code ec;
        if (tmp)
            std::filesystem::remove(*tmp, ec);
        throw std::runtime_error("cannot write " + path + ": " + error);
    }
}

void registerCommands(CLI::App& app, Context& ctx)
{
    registerDevicesCommand(app, ctx);
    registerEffectsCommand(app, ctx);
    registerRenderCommand(app, ctx);
    registerLatencyCommand(app, ctx);
    registerMonitorCommand(app, ctx);
    registerBenchCommand(app, ctx);
}
} // namespace wb::cli
