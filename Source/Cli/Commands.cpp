#include "Cli/Commands.h"

namespace wb::cli
{
void registerCommands(CLI::App& app, Context& ctx)
{
    registerDevicesCommand(app, ctx);
    registerEffectsCommand(app, ctx);
    registerRenderCommand(app, ctx);
    registerLatencyCommand(app, ctx);
}
} // namespace wb::cli
