#pragma once
// Ctrl-C (SIGINT) and SIGTERM for the commands that run a while (`record`, `monitor`, `latency`,
// `measure`, `bench streams`, `render`):
// while an InterruptScope lives, the first such signal only sets a flag; the command polls it,
// stops, finishes what it holds (the WAV's header, the JSON report of what it measured so far) and
// exits with 128 + the signal's number, as a shell reports a process killed by it. A second signal
// ends the process at once (the handler is one-shot: SA_RESETHAND restores the default action).
//
// A SIGINT that was ignored when the scope began (`nohup`, a `cmd &` of a non-interactive shell)
// stays ignored. Main thread; one scope at a time.
#include <memory>
#include <string>

namespace wb::cli
{
class InterruptScope
{
public:
    /// Effects: clears the flag and installs the handlers. Allocates nothing after this.
    InterruptScope();
    /// Effects: restores the dispositions found at construction.
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    /// Returns: the number of the first SIGINT/SIGTERM received in this scope, or 0. Any thread.
    [[nodiscard]] static int received() noexcept;
    /// Returns: "SIGINT" or "SIGTERM" (else "signal N").
    [[nodiscard]] static std::string name(int signalNumber);
    /// The exit code of a command that stopped on `signalNumber`: 128 + it (130 for Ctrl-C).
    [[nodiscard]] static int exitCodeFor(int signalNumber) noexcept { return 128 + signalNumber; }

private:
    struct Saved;
    std::unique_ptr<Saved> saved;
};

/// Thrown by a command that stopped on a signal after cleaning up (nothing half-made left):
/// the CLI's entry point prints "wavebench: interrupted (SIGINT); <what>" and exits 128 + signal.
struct Interrupted
{
    int signalNumber = 0;
    std::string what; ///< e.g. "no file written"
};
} // namespace wb::cli
