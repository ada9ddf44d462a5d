#pragma once
// The `wavebench` command line. runCli() is what main() calls; tests call it too.
#include <iosfwd>
#include <string>
#include <vector>

namespace wb::cli
{
/// Exit codes, as documented in README.md.
enum ExitCode : int
{
    kOk = 0,
    kFailure = 1,        ///< anything else went wrong
    kBadUsage = 2,       ///< bad usage or bad input; message on stderr, no partial output
    kUntrustworthy = 3,  ///< a measurement that could not be trusted; the reason is printed
};

/// Runs one command line (args[0] is the program name). Never throws.
int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
} // namespace wb::cli
