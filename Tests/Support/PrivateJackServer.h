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
    /// Starts `jackd --name wbtest<pid>p<period><tag> -d dummy -r 48000 -p <period>` and waits
    /// (up to ~10 s) until jack_lsp answers. isUp() says whether it did.
    explicit PrivateJackServer(int period, const std::string& tag = {});
    ~PrivateJackServer();
    PrivateJackServer(const PrivateJackServer&) = delete;
    PrivateJackServer& operator=(const PrivateJackServer&) = delete;

    [[nodiscard]] bool isUp() const noexcept { return up; }
    /// "JACK_DEFAULT_SERVER=<name>", for runProcess's extra environment.
    [[nodiscard]] std::string env() const { return "JACK_DEFAULT_SERVER=" + name; }

private:
    bool waitUntilUp();

    std::string name;
    pid_t pid = -1;
    bool up = false;
};
} // namespace wb::test
