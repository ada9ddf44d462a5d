#include "Support/PrivateJackServer.h"

#include "Support/RunProcess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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
    : name("wbtest" + std::to_string(getpid()) + "p" + std::to_string(period) + tag),
      logPath("/tmp/" + name + ".jackd.log"), periodFrames(period)
{
    start();
}

void PrivateJackServer::start()
{
    const int period = periodFrames;
    const auto jackd = findProgram("jackd");
    if (jackd.empty())
    {
        why = "jackd is not on PATH (scripts/setup.sh installs jackd2)";
        return;
    }
    std::vector<std::string> args{jackd, "--name", name, "-d", "dummy", "-r", "48000", "-p", std::to_string(period)};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    if (posix_spawn(&pid, jackd.c_str(), &actions, nullptr, argv.data(), environ) != 0)
    {
        pid = -1;
        why = "could not start " + jackd;
    }
    posix_spawn_file_actions_destroy(&actions);
    if (pid > 0)
        up = waitUntilUp();
}

PrivateJackServer::~PrivateJackServer()
{
    // A server killed with SIGKILL leaves its slot in JACK's shared registry (at most 8 servers a
    // machine): only a server of the same name reclaims it. Start one and stop it cleanly, or
    // every later jackd on this machine fails with "Too many servers already active".
    if (killedHard)
        start();
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
    std::remove(logPath.c_str());
    if (killedHard)
    {
        // The semaphores of clients that were connected when it died (jack_sem.<uid>_<name>_<client>).
        std::error_code ec;
        const std::string infix = "_" + name + "_";
        for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", ec))
            if (const auto file = entry.path().filename().string();
                file.rfind("jack_sem.", 0) == 0 && file.find(infix) != std::string::npos)
                std::filesystem::remove(entry.path(), ec);
    }
}

void PrivateJackServer::killNow()
{
    if (pid > 0)
    {
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        pid = -1;
        killedHard = true;
    }
    up = false;
    why = "killed by the test";
}

namespace
{
/// The last `maxChars` characters of a file (what jackd said before it died).
std::string tailOf(const std::string& path, std::size_t maxChars = 600)
{
    std::string text;
    if (FILE* f = std::fopen(path.c_str(), "r"))
    {
        char chunk[4096];
        for (std::size_t got; (got = std::fread(chunk, 1, sizeof chunk, f)) > 0;)
            text.append(chunk, got);
        std::fclose(f);
    }
    return text.size() > maxChars ? "..." + text.substr(text.size() - maxChars) : text;
}
} // namespace

bool PrivateJackServer::waitUntilUp()
{
    const auto lsp = findProgram("jack_lsp");
    if (lsp.empty())
    {
        why = "jack_lsp is not on PATH (scripts/setup.sh installs jackd2)";
        return false;
    }
    using clock = std::chrono::steady_clock;
    const auto started = clock::now();
    const auto deadline = started + std::chrono::duration<double>(kStartDeadlineSeconds);
    while (clock::now() < deadline)
    {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid)
        {
            pid = -1;
            why = "jackd exited (" + std::string(WIFEXITED(status) ? "status " + std::to_string(WEXITSTATUS(status))
                                                                   : "signal " + std::to_string(WTERMSIG(status)))
                  + ") before answering; it said: " + tailOf(logPath);
            return false;
        }
        if (runProcess(lsp, {}, {env(), "JACK_NO_START_SERVER=1"}).exitCode == 0) // never let libjack start one
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    why = "jackd did not answer jack_lsp within " + std::to_string(int(kStartDeadlineSeconds)) + " s; it said: "
          + tailOf(logPath);
    return false;
}
} // namespace wb::test
