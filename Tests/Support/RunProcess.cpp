#include "Support/RunProcess.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wb::test
{
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::vector<std::string>& extraEnv)
{
    return runProcessWatching(program, args, extraEnv, nullptr);
}

ProcessResult runProcessWatching(const std::string& program, const std::vector<std::string>& args,
                                 const std::vector<std::string>& extraEnv,
                                 const std::function<void(const std::string& out, const std::string& err)>& onOutput)
{
    if (!onOutput)
        return runProcessTicking(program, args, extraEnv, -1, nullptr);
    return runProcessTicking(program, args, extraEnv, -1,
                             [&](int, const std::string& out, const std::string& err) { onOutput(out, err); });
}

ProcessResult runProcessTicking(const std::string& program, const std::vector<std::string>& args,
                                const std::vector<std::string>& extraEnv, int tickMs,
                                const std::function<void(int pid, const std::string& out, const std::string& err)>& onTick)
{
    // O_CLOEXEC: tests run processes from two threads at once (a command in one, jack_lsp polled
    // in the other). Without it a child forked by one thread inherited the other's pipe write ends
    // and kept them open until it exited, so the other's read waited for it: under TSAN one
    // jack_lsp call "took" a whole 31 s measurement. dup2 onto stdout/stderr clears the flag for
    // those two, so the child keeps its own.
    int outPipe[2], errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0 || pipe2(errPipe, O_CLOEXEC) != 0)
        throw std::runtime_error("pipe failed");

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

    const pid_t pid = fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0)
    {
        dup2(outPipe[1], STDOUT_FILENO);
        dup2(errPipe[1], STDERR_FILENO);
        close(outPipe[0]);
        close(errPipe[0]);
        close(outPipe[1]);
        close(errPipe[1]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        execve(program.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    close(outPipe[1]);
    close(errPipe[1]);

    ProcessResult r;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    int open = 2;
    char buf[4096];
    while (open > 0)
    {
        const int ready = poll(fds, 2, onTick ? tickMs : -1);
        if (ready < 0)
        {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ready == 0)
        {
            onTick(static_cast<int>(pid), r.out, r.err);
            continue;
        }
        for (int i = 0; i < 2; ++i)
        {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0)
                continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0)
            {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
            else
            {
                (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
                if (onTick)
                    onTick(static_cast<int>(pid), r.out, r.err);
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}
} // namespace wb::test
