#pragma once
// The CLI's subcommands (render, measure, ...): each registers its CLI11 subcommand and its
// action here, with the helpers they share. Not to be confused with the real-time engine's
// Command (Core/Realtime/Commands.h), the message the UI sends the audio thread.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
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

void registerSubcommands(CLI::App& app, Context& ctx);

/// A CLI11 check that refuses a value that reads as a number but not a finite one: nan, inf,
/// -inf, 1e999 (exit 2, "--OPTION: ..."). Text that is no number at all is left to the option's
/// own conversion, which refuses it too. CLI11's Range lets NaN through (every comparison with
/// NaN is false), so a range alone is not enough.
CLI::Validator finiteNumber();

/// Adds finiteNumber() to every option of `app` and of its subcommands, recursively, whose value
/// is a number (CLI11 type FLOAT, INT or UINT). registerSubcommands calls it last, so a command added
/// later is covered without doing anything.
void requireFiniteNumbers(CLI::App& app);

/// Writes `text` to `path` whole or not at all: through a temporary file beside it, renamed at
/// the end; on any failure (unwritable folder, full disk) the temporary is removed and a
/// std::runtime_error says why. `path` "-" writes to ctx.out instead. A symlink's target is
/// written (the link stays), a FIFO or device (/dev/stdout) is written through, an existing
/// file keeps its mode: see makeTemporaryBeside/commitTemporary in Core/Audio/WavFile.h.
void writeTextFile(const std::string& path, const std::string& text, Context& ctx);

/// writeTextFile of `j`, indented by 2, and a newline: every command's --json.
void writeJsonFile(const std::string& path, const nlohmann::json& j, Context& ctx);

/// Writes `text` into a new temporary file beside `path` (makeTemporaryBeside) and returns its
/// name, for commitTemporary to put in place; nullopt with the reason in `error` (and no
/// temporary left) when it could not.
std::optional<std::string> writeTemporaryBeside(const std::string& path, const std::string& text, std::string& error);

/// The JSON file an option names (--compare, --automation).
/// Throws: UsageError "OPTION: cannot read 'PATH'" or "OPTION PATH: not valid JSON (why)" (exit 2).
nlohmann::json readJsonFile(const std::string& path, const std::string& option);

/// Refuses an output file that cannot be written before any work is done, not after it: throws
/// UsageError "cannot write PATH: reason" (exit 2). An empty path (no file asked for) and "-"
/// (stdout) pass.
void refuseUnwritable(const std::string& path);

/// Removes a file if it exists; never throws.
void removeQuietly(const std::string& path);

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
void registerRecordCommand(CLI::App& app, Context& ctx);
void registerLoudnessCommand(CLI::App& app, Context& ctx);
} // namespace wb::cli
