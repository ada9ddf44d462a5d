#pragma once
// A private JACK server (dummy backend) for the life of the object, for tests that need a real
// JACK device: a server name of its own (so parallel test runs never collide), always stopped.
#include <sys/types.h>

#include <string>

namespace wb::test
{
/// The full path of `name` on PATH, or "".
std::string findProgram(const std::string& name);

class PrivateJackServer
{
public:
    /// Starts `jackd --name wbtest<pid>p<period><tag> -d dummy -r 48000 -p <period>` and polls
    /// (every 100 ms, for up to kStartDeadlineSeconds) until jack_lsp answers. isUp() says whether
    /// it did; failure() says why not. JACK is a required component (scripts/setup.sh installs
    /// it): a test that needs the server REQUIREs it (REQUIRE_JACK_SERVER), never skips.
    explicit PrivateJackServer(int period, const std::string& tag = {});
    ~PrivateJackServer();
    PrivateJackServer(const PrivateJackServer&) = delete;
    PrivateJackServer& operator=(const PrivateJackServer&) = delete;

    /// Generous: jackd comes up in well under a second on an idle machine, but a loaded 2-core
    /// machine running five builds can take many seconds to schedule it.
    static constexpr double kStartDeadlineSeconds = 30.0;

    [[nodiscard]] bool isUp() const noexcept { return up; }
    /// Why the server is not up ("" when it is): jackd missing, exited (with its status and the
    /// last lines it printed), or not answering within the deadline.
    [[nodiscard]] const std::string& failure() const noexcept { return why; }
    /// The server's name (for JACK_DEFAULT_SERVER in this process).
    [[nodiscard]] const std::string& serverName() const noexcept { return name; }
    /// "JACK_DEFAULT_SERVER=<name>", for runProcess's extra environment.
    [[nodiscard]] std::string env() const { return "JACK_DEFAULT_SERVER=" + name; }

    /// Kills the server at once (SIGKILL, as a crash would) and reaps it; isUp() is false after.
    /// For tests of clients that must notice a server dying under them. The destructor then
    /// starts the server again under its name and stops it cleanly (see the .cpp: JACK's registry).
    void killNow();

private:
    void start();
    bool waitUntilUp();

    std::string name;
    std::string logPath;
    std::string why;
    int periodFrames = 0;
    pid_t pid = -1;
    bool up = false;
    bool killedHard = false;
};
} // namespace wb::test

/// Fails the enclosing test, with the reason, when `server` (a PrivateJackServer) is not up.
#define REQUIRE_JACK_SERVER(server)                                                                          \
    do                                                                                                       \
    {                                                                                                        \
        INFO("private jackd: " << (server).failure());                                                       \
        REQUIRE((server).isUp());                                                                            \
    } while (false)
