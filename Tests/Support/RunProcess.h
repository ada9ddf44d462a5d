#pragma once
// Runs a program for end-to-end tests and captures its exit code, stdout and stderr.
#include <string>
#include <vector>

namespace wb::test
{
struct ProcessResult
{
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs `program args...` without a shell, waits for it, returns what it printed.
/// `extraEnv` entries ("NAME=value") are added to the child's environment.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::vector<std::string>& extraEnv = {});
} // namespace wb::test
