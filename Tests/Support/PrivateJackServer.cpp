#include "Support/PrivateJackServer.h"

#include "Support/RunProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

extern char** environ;

namespace wb::test
{
std::string findProgram(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size())
    {
        const auto end = std::min(dirs.find(':', start), dirs.size());
        const auto candidate = dirs.substr(start, end - start) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return {};
}

PrivateJackServer::PrivateJackServer(int period, const std::string& tag)
    : name("wbtest" + std::to_string(getpid()) + "p" + std::to_string(period) + tag)
{
    const auto jackd = findProgram("jackd");
    if (jackd.empty())
        return;
    std::vector<std::string> args{jackd, "--name", name, "-d", "dummy", "-r", "48000", "-p", std::to_string(period)};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid, jackd.c_str(), &actions, nullptr, argv.data(), environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    if (pid > 0)
        up = waitUntilUp();
}

PrivateJackServer::~PrivateJackServer()
{
    if (pid > 0)
    {
        kill(pid, SIGTERM);
        int status = 0;
        for (int i = 0; i < 100 && waitpid(pid, &status, WNOHANG) == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (waitpid(pid, &status, WNOHANG) == 0)
        {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
}

bool PrivateJackServer::waitUntilUp()
{
    const auto lsp = findProgram("jack_lsp");
    for (int attempt = 0; attempt < 50 && !lsp.empty(); ++attempt) // up to ~10 s
    {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
        {
            pid = -1; // jackd exited
            return false;
        }
        if (runProcess(lsp, {}, {env()}).exitCode == 0)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
}
} // namespace wb::test
