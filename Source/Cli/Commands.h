#pragma once
// Each command registers its CLI11 subcommand and its action here.
#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace wb::cli
{
/// Thrown by an action for bad input the parser could not see (exit code 2).
struct UsageError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

struct Context
{
    std::ostream& out;
    std::ostream& err;
    /// subcommand name -> the action run after a successful parse; returns the exit code.
    std::map<std::string, std::function<int()>> actions;
};

void registerCommands(CLI::App& app, Context& ctx);

/// Writes `text` to `path` whole or not at all: through a temporary file beside it, renamed at
/// the end; on any failure (unwritable folder, full disk) the temporary is removed and a
/// std::runtime_error says why. `path` "-" writes to ctx.out instead.
void writeTextFile(const std::string& path, const std::string& text, Context& ctx);

/// "a,b,,c" -> {"a", "b", "c"}: the items of a comma-separated list, empty ones skipped.
std::vector<std::string> splitCommaList(const std::string& list);

// One per command file.
void registerDevicesCommand(CLI::App& app, Context& ctx);
void registerEffectsCommand(CLI::App& app, Context& ctx);
void registerRenderCommand(CLI::App& app, Context& ctx);
void registerLatencyCommand(CLI::App& app, Context& ctx);
void registerMonitorCommand(CLI::App& app, Context& ctx);
void registerBenchCommand(CLI::App& app, Context& ctx);
void registerMeasureCommand(CLI::App& app, Context& ctx);
} // namespace wb::cli
