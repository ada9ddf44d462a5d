#pragma once
// FileWatch: notices that files were edited, for hot reload (a Faust .dsp and every file it
// imports). Polled from one thread (the app's message-thread timer); no thread, no inotify: a
// handful of stat() calls per poll is cheap, works on every file system (NFS, bind mounts,
// containers) and sees an editor that saves by writing a new file and renaming it over the old
// one (the inode changes), as most editors do.
//
// An edit is reported once the files have stayed the same for `settle`: an editor that writes a
// file in several steps, or a `git checkout` that changes several files, gives one report, not
// one per step. A file that disappears counts as a change only when it comes back (a save by
// delete-then-create); one that stays away is reported by missing(), so the caller can say so.
//
// Times are passed in, so tests drive it without sleeping. JUCE-free. Not thread-safe: one owner.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace wb
{
class FileWatch
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kDefaultSettle{150};

    explicit FileWatch(std::chrono::milliseconds settle = kDefaultSettle) noexcept : settleTime(settle) {}

    /// Watches exactly `files` from now on; what they hold now is the baseline (no change pending).
    void watch(std::vector<std::filesystem::path> files);
    /// The files watched, as given to watch().
    [[nodiscard]] const std::vector<std::filesystem::path>& files() const noexcept { return paths; }

    /// Looks at the files. True once per edit, when the files differ from the baseline and have not
    /// changed for `settle` up to `now` (every present file then becomes the new baseline).
    [[nodiscard]] bool poll(Clock::time_point now);
    /// The files that differed from the baseline at the last true poll().
    [[nodiscard]] const std::vector<std::filesystem::path>& changed() const noexcept { return lastChanged; }
    /// The watched files that do not exist now (as of the last poll or watch).
    [[nodiscard]] std::vector<std::filesystem::path> missing() const;

private:
    struct Stamp
    {
        bool exists = false;
        std::int64_t mtimeNs = 0;
        std::uintmax_t size = 0;
        std::uintmax_t inode = 0;
        std::uintmax_t device = 0;
        bool operator==(const Stamp&) const = default;
    };
    [[nodiscard]] static Stamp stampOf(const std::filesystem::path& p) noexcept;

    std::chrono::milliseconds settleTime;
    std::vector<std::filesystem::path> paths;
    std::vector<Stamp> baseline; ///< what the caller last acted on
    std::vector<Stamp> latest;   ///< what the last poll saw
    bool pending = false;        ///< latest differs from baseline (in a present file)
    Clock::time_point lastMovement{};
    std::vector<std::filesystem::path> lastChanged;
};
} // namespace wb
