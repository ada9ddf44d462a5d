#include "Cli/Cli.h"
#include "Cli/Interrupt.h"

#include "Cli/Subcommands.h"
#include "Core/Util/BuildCommit.h"
#include "Engine/JackQuiet.h"

#include <wavebench/BuildInfo.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <ostream>

namespace wb::cli
{
namespace
{
// A CLI11 formatter is shared by every subcommand, so the help looks the same everywhere.
void configureApp(CLI::App& app)
{
    app.name("wavebench");
    app.description("Wavebench " + std::string(build::kVersion) +
                     " - audio test signals, Faust effects and loopback latency, headless.\n"
                     "Exit codes: 0 success, 1 failure, 2 bad usage or input, 3 untrustworthy measurement.");
    app.require_subcommand(0, 1);
    app.fallthrough(false);
    app.set_version_flag("-V,--version", fullVersionString());
    app.get_formatter()->column_width(34);
}
} // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err)
{
    silenceJackLibraryMessages();
    CLI::App app;
    configureApp(app);
    Context ctx{out, err, {}};
    registerSubcommands(app, ctx);

    std::vector<const char*> argv;
    argv.push_back(args.empty() ? "wavebench" : args.front().c_str());
    for (size_t i = 1; i < args.size(); ++i)
        argv.push_back(args[i].c_str());
    try
    {
        app.parse(static_cast<int>(argv.size()), argv.data());
    }
    catch (const CLI::CallForHelp&)
    {
        out << app.help();
        return kOk;
    }
    catch (const CLI::CallForAllHelp&)
    {
        out << app.help("", CLI::AppFormatMode::All);
        return kOk;
    }
    catch (const CLI::CallForVersion&)
    {
        out << fullVersionString() << "\n";
        return kOk;
    }
    catch (const CLI::ParseError& e)
    {
        err << "wavebench: error: " << e.what() << "\n\n";
        // The usage of the (innermost) subcommand that failed, when there is one.
        const CLI::App* shown = &app;
        while (!shown->get_subcommands().empty())
            shown = shown->get_subcommands().back();
        err << shown->help();
        return kBadUsage;
    }

    try
    {
        for (auto* sub : app.get_subcommands())
            if (auto it = ctx.actions.find(sub->get_name()); it != ctx.actions.end())
                return it->second();
        if (app.get_subcommands().empty())
        {
            err << "wavebench: error: no command given\n\n" << app.help();
            return kBadUsage;
        }
        return kOk;
    }
    catch (const UsageError& e)
    {
        err << "wavebench: error: " << e.what() << "\n";
        return kBadUsage;
    }
    catch (const Interrupted& i)
    {
        err << "wavebench: interrupted (" << InterruptScope::name(i.signalNumber) << "); " << i.what << "\n";
        return InterruptScope::exitCodeFor(i.signalNumber);
    }
    catch (const std::exception& e)
    {
        err << "wavebench: error: " << e.what() << "\n";
        return kFailure;
    }
}
} // namespace wb::cli
