#include "Cli/ChildProcess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wb::cli
{
ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::vector<std::string>& extraEnv)
{
    // O_CLOEXEC everywhere: another thread's child must not inherit these (see Tests' runProcess);
    // dup2 onto 2 and 3 clears the flag for the child's own copies.
    int reportPipe[2], errPipe[2];
    if (pipe2(reportPipe, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (pipe2(errPipe, O_CLOEXEC) != 0)
    {
        close(reportPipe[0]);
        close(reportPipe[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }

    // Everything the child needs is built before fork: after it only async-signal-safe calls.
    std::vector<std::string> argStore{program};
    argStore.insert(argStore.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argStore)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> envStore;
    for (char** e = environ; *e != nullptr; ++e)
        envStore.emplace_back(*e);
    envStore.insert(envStore.end(), extraEnv.begin(), extraEnv.end());
    std::vector<char*> envp;
    for (auto& e : envStore)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_ = fork();
    if (pid_ < 0)
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid_ == 0)
    {
        const int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0)
        {
            dup2(devnull, STDIN_FILENO);
            dup2(devnull, STDOUT_FILENO);
        }
        dup2(errPipe[1], STDERR_FILENO);
        dup2(reportPipe[1], kReportFd);
        execve(program.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    close(reportPipe[1]);
    close(errPipe[1]);
    reportFd_ = reportPipe[0];
    stderrFd_ = errPipe[0];
}

ChildProcess::~ChildProcess()
{
    if (!reaped_)
    {
        kill();
    }
    if (reportFd_ >= 0)
        close(reportFd_);
    if (stderrFd_ >= 0)
        close(stderrFd_);
}

std::optional<std::string> ChildProcess::readLine(int timeoutMs)
{
    timedOut_ = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    char buf[4096];
    for (;;)
    {
        if (const auto nl = pending_.find('\n'); nl != std::string::npos)
        {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        if (reportFd_ < 0)
            return std::nullopt;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
        {
            timedOut_ = true;
            return std::nullopt;
        }
        pollfd fds[2] = {{reportFd_, POLLIN, 0}, {stderrFd_, POLLIN, 0}};
        const int ready = poll(fds, stderrFd_ >= 0 ? 2 : 1, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR)
            return std::nullopt;
        if (ready <= 0)
            continue;
        if (stderrFd_ >= 0 && (fds[1].revents & (POLLIN | POLLHUP)) != 0)
            drainStderr();
        if ((fds[0].revents & (POLLIN | POLLHUP)) != 0)
        {
            const ssize_t n = read(reportFd_, buf, sizeof buf);
            if (n <= 0)
            {
                close(reportFd_);
                reportFd_ = -1;
            }
            else
                pending_.append(buf, static_cast<size_t>(n));
        }
    }
}

void ChildProcess::drainStderr()
{
    char buf[4096];
    const ssize_t n = read(stderrFd_, buf, sizeof buf);
    if (n <= 0)
    {
        close(stderrFd_);
        stderrFd_ = -1;
        return;
    }
    stderr_.append(buf, static_cast<size_t>(n));
    constexpr size_t kKeep = 16384; // the tail is what a failure message shows
    if (stderr_.size() > 2 * kKeep)
        stderr_.erase(0, stderr_.size() - kKeep);
}

void ChildProcess::kill()
{
    if (reaped_ || pid_ <= 0)
        return;
    ::kill(pid_, SIGKILL);
    (void)waitForExit();
}

std::string ChildProcess::waitForExit()
{
    if (!reaped_)
    {
        int status = 0;
        while (waitpid(pid_, &status, 0) < 0 && errno == EINTR)
        {
        }
        reaped_ = true;
        if (WIFEXITED(status))
            exitCode_ = WEXITSTATUS(status);
        else if (WIFSIGNALED(status))
            signal_ = WTERMSIG(status);
        while (stderrFd_ >= 0)
            drainStderr();
    }
    if (signal_ != 0)
    {
        const char* name = sigabbrev_np(signal_);
        return "killed by signal " + std::to_string(signal_) + (name != nullptr ? std::string(" (SIG") + name + ")" : "");
    }
    return "exit code " + std::to_string(exitCode_);
}

std::string ChildProcess::stderrTail(int maxLines) const
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < stderr_.size())
    {
        auto nl = stderr_.find('\n', start);
        if (nl == std::string::npos)
            nl = stderr_.size();
        // lilv's notes about a plugin found twice (LV2_PATH and a standard folder) say nothing
        // about why a plugin failed: left out of the tail.
        if (nl > start && stderr_.compare(start, 5, "lilv_") != 0)
            lines.push_back(stderr_.substr(start, nl - start));
        start = nl + 1;
    }
    std::string text;
    for (size_t i = lines.size() > static_cast<size_t>(maxLines) ? lines.size() - static_cast<size_t>(maxLines) : 0;
         i < lines.size(); ++i)
        text += (text.empty() ? "" : "\n") + lines[i];
    return text;
}

std::string ChildProcess::selfExecutable()
{
    char path[4096];
    const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0)
        throw std::runtime_error("cannot find the wavebench executable (/proc/self/exe)");
    return std::string(path, static_cast<size_t>(n));
}

void writeReportLine(const std::string& line)
{
    std::string whole = line;
    whole += '\n';
    const char* p = whole.data();
    size_t left = whole.size();
    while (left > 0)
    {
        const ssize_t n = write(kReportFd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // the parent went away: nothing to tell
        p += n;
        left -= static_cast<size_t>(n);
    }
}
} // namespace wb::cli
