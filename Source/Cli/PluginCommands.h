#pragma once
// `wavebench plugins` and `wavebench check` (issue 16): registered by registerSubcommands like
// the others, declared apart so Subcommands.h (included by every command) stays as it was.
#include "Cli/Subcommands.h"

namespace wb::cli
{
void registerPluginsCommand(CLI::App& app, Context& ctx);
void registerCheckCommand(CLI::App& app, Context& ctx);
} // namespace wb::cli
