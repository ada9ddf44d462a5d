#include "Cli/Commands.h"

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
    const auto tmp = path + ".tmp";
    bool ok = false;
    {
        std::ofstream f(tmp, std::ios::trunc);
        if (f)
        {
            f << text;
            f.flush();
            ok = static_cast<bool>(f);
        }
    }
    const std::string why = std::strerror(errno);
    std::error_code ec;
    if (ok)
        std::filesystem::rename(tmp, path, ec);
    if (!ok || ec)
    {
        std::filesystem::remove(tmp, ec);
        throw std::runtime_error("cannot write " + path + ": " + (ok ? ec.message() : why));
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
    registerMeasureCommand(app, ctx);
}
} // namespace wb::cli
