#pragma once
// A child process that reports by lines on a pipe of its own, read with a timeout: how the
// plugin scan and `wavebench check` run plugin code they do not trust. The child is the
// `wavebench` executable itself with a hidden sub-command; a plugin that crashes or hangs takes
// down or stalls the child only, and the parent says which plugin and which step.
//
// The report pipe is the child's file descriptor 3 (kReportFd), apart from its stdout and
// stderr, so whatever a plugin prints cannot be mistaken for a report. The child's stderr is
// kept (its last lines go into failure messages); its stdout goes to /dev/null.
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace wb::cli
{
constexpr int kReportFd = 3;

class ChildProcess
{
public:
    /// Effects: starts `program args...` with `extraEnv` ("NAME=value") added to this process's
    /// environment. Throws std::runtime_error when it cannot be started.
    ChildProcess(const std::string& program, const std::vector<std::string>& args,
                 const std::vector<std::string>& extraEnv = {});
    /// Effects: kills the child if it still runs, and reaps it.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Returns: the next report line (without its newline), or nullopt when the child closed its
    /// report pipe (it exited or died) or `timeoutMs` passed first (then timedOut() is true).
    std::optional<std::string> readLine(int timeoutMs);
    [[nodiscard]] bool timedOut() const noexcept { return timedOut_; }

    /// Effects: SIGKILLs the child (a hanging plugin) and reaps it.
    void kill();
    /// Effects: waits for the child to end (kill() first for one that may hang).
    /// Returns: a description of how it ended: "exit code N" or "killed by signal N (SIGSEGV)".
    std::string waitForExit();
    /// After waitForExit: the exit code, or -1 when a signal ended it.
    [[nodiscard]] int exitCode() const noexcept { return exitCode_; }
    /// The last `maxLines` lines the child wrote to stderr (for failure messages).
    [[nodiscard]] std::string stderrTail(int maxLines = 6) const;

    /// Returns: the path of the running executable (/proc/self/exe), to start it as a child.
    static std::string selfExecutable();

private:
    void drainStderr();

    pid_t pid_ = -1;
    int reportFd_ = -1;
    int stderrFd_ = -1;
    std::string pending_;
    std::string stderr_;
    bool timedOut_ = false;
    bool reaped_ = false;
    int exitCode_ = -1;
    int signal_ = 0;
};

/// In the child: writes one report line to kReportFd (whole, flushed at once).
void writeReportLine(const std::string& line);
} // namespace wb::cli
