#include "Cli/Subcommands.h"
#include "Cli/PluginCommands.h"

#include "Core/Audio/WavFile.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
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

void removeQuietly(const std::string& path)
{
    std::error_code ec;
    std::filesystem::remove(path, ec);
}

std::optional<std::string> writeTemporaryBeside(const std::string& path, const std::string& text, std::string& error)
{
    const auto tmp = makeTemporaryBeside(path, error);
    if (!tmp)
        return std::nullopt;
    errno = 0;
    std::ofstream f(*tmp, std::ios::trunc);
    f << text;
    f.close();
    if (!f)
    {
        error = std::string("writing a temporary file beside it failed: ") +
                (errno != 0 ? std::strerror(errno) : "unknown error");
        removeQuietly(*tmp);
        return std::nullopt;
    }
    return tmp;
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
    const auto tmp = writeTemporaryBeside(path, text, error);
    if (!tmp || !commitTemporary(*tmp, path, error))
        throw std::runtime_error("cannot write " + path + ": " + error);
}

void writeJsonFile(const std::string& path, const nlohmann::json& j, Context& ctx)
{
    writeTextFile(path, j.dump(2) + "\n", ctx);
}

nlohmann::json readJsonFile(const std::string& path, const std::string& option)
{
    std::ifstream f(path);
    if (!f)
        throw UsageError(option + ": cannot read '" + path + "'");
    try
    {
        return nlohmann::json::parse(f);
    }
    catch (const nlohmann::json::exception& e)
    {
        throw UsageError(option + " " + path + ": not valid JSON (" + e.what() + ")");
    }
}

void refuseUnwritable(const std::string& path)
{
    if (!path.empty() && path != "-")
        if (const auto problem = checkWritable(path))
            throw UsageError("cannot write " + path + ": " + *problem);
}

CLI::Validator finiteNumber()
{
    return CLI::Validator(
        [](std::string& value) -> std::string
        {
            const char* begin = value.c_str();
            char* end = nullptr;
            const double x = std::strtod(begin, &end); // overflow (1e999) reads as inf
            const bool wholeText = end != begin && *end == '\0';
            if (wholeText && !std::isfinite(x))
                return "'" + value + "' is not a finite number";
            return {};
        },
        "", "FINITE");
}

void requireFiniteNumbers(CLI::App& app)
{
    for (auto* option : app.get_options())
    {
        const auto type = option->get_type_name();
        for (const std::string numeric : {"FLOAT", "INT", "UINT"})
            if (type.rfind(numeric, 0) == 0
                && (type.size() == numeric.size() || !std::isalpha(static_cast<unsigned char>(type[numeric.size()]))))
            {
                option->check(finiteNumber());
                break;
            }
    }
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; }))
        requireFiniteNumbers(*sub);
}

void registerSubcommands(CLI::App& app, Context& ctx)
{
    registerDevicesCommand(app, ctx);
    registerEffectsCommand(app, ctx);
    registerRenderCommand(app, ctx);
    registerLatencyCommand(app, ctx);
    registerMonitorCommand(app, ctx);
    registerBenchCommand(app, ctx);
    registerMeasureCommand(app, ctx);
    registerPluginsCommand(app, ctx);
    registerCheckCommand(app, ctx);
    registerRecordCommand(app, ctx);
    registerLoudnessCommand(app, ctx);
    requireFiniteNumbers(app); // last: every numeric option of every command refuses nan and inf
}
} // namespace wb::cli
