#include "Core/Util/FileWatch.h"

#include <sys/stat.h>

namespace wb
{
FileWatch::Stamp FileWatch::stampOf(const std::filesystem::path& p) noexcept
{
    struct stat st{};
    if (::stat(p.c_str(), &st) != 0)
        return {};
    Stamp s;
    s.exists = true;
    s.mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    s.size = static_cast<std::uintmax_t>(st.st_size);
    s.inode = static_cast<std::uintmax_t>(st.st_ino);
    s.device = static_cast<std::uintmax_t>(st.st_dev);
    return s;
}

void FileWatch::watch(std::vector<std::filesystem::path> files)
{
    paths = std::move(files);
    baseline.clear();
    for (const auto& p : paths)
        baseline.push_back(stampOf(p));
    latest = baseline;
    pending = false;
    lastChanged.clear();
}

bool FileWatch::poll(Clock::time_point now)
{
    bool moved = false;
    for (std::size_t i = 0; i < paths.size(); ++i)
    {
        const Stamp s = stampOf(paths[i]);
        if (!(s == latest[i]))
        {
            moved = true;
            latest[i] = s;
        }
    }
    if (moved)
        lastMovement = now;
    // A change worth reporting: a present file that differs from what the caller last acted on.
    // A file that only vanished is not one yet (it may be mid-save); missing() tells.
    pending = false;
    for (std::size_t i = 0; i < paths.size(); ++i)
        if (latest[i].exists && !(latest[i] == baseline[i]))
            pending = true;
    if (!pending || now - lastMovement < settleTime)
        return false;
    lastChanged.clear();
    for (std::size_t i = 0; i < paths.size(); ++i)
        if (latest[i].exists && !(latest[i] == baseline[i]))
        {
            lastChanged.push_back(paths[i]);
            baseline[i] = latest[i];
        }
    pending = false;
    return true;
}

std::vector<std::filesystem::path> FileWatch::missing() const
{
    std::vector<std::filesystem::path> out;
    for (std::size_t i = 0; i < paths.size(); ++i)
        if (!latest[i].exists)
            out.push_back(paths[i]);
    return out;
}
} // namespace wb
