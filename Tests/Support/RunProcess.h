#pragma once
// Runs a program for end-to-end tests and captures its exit code, stdout and stderr.
#include <functional>
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

/// As runProcess, calling `onOutput(out, err)` with all that was printed so far each time the
/// child prints something (on this thread, while it runs): for tests that act on a running
/// child (kill a server under it once it has printed a line). Keep `onOutput` quick.
ProcessResult runProcessWatching(const std::string& program, const std::vector<std::string>& args,
                                 const std::vector<std::string>& extraEnv,
                                 const std::function<void(const std::string& out, const std::string& err)>& onOutput);
/// As runProcessWatching, also calling `onTick(pid, out, err)` every `tickMs` while the child runs
/// (and after each output): for tests that signal a running child (kill(pid, SIGINT) once its file
/// has grown). `pid` is the child's until it has been waited for.
ProcessResult runProcessTicking(const std::string& program, const std::vector<std::string>& args,
                                const std::vector<std::string>& extraEnv, int tickMs,
                                const std::function<void(int pid, const std::string& out, const std::string& err)>& onTick);
} // namespace wb::test
