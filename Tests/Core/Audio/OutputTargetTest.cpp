// Output paths are written through, not replaced, where replacing would be wrong (issue 15): a
// symlink stays a link and its target gets the file, a FIFO and a device are written into, an
// existing file keeps its mode. Regular files are still written whole or not at all.
#include "Core/Audio/WavFile.h"

#include "Support/TestFiles.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>    // open (POSIX)
#include <sys/stat.h> // mkfifo, mknod, stat (POSIX)
#include <sys/sysmacros.h> // makedev
#include <unistd.h>   // close, getpid, write

namespace
{
namespace fs = std::filesystem;

using wb::test::slurp;

fs::path freshDir(const std::string& name)
{
    return wb::test::freshTempDir("wb-out", name);
}

/// One second of a 441 Hz square-ish ramp, so the file has content to compare.
std::vector<std::vector<float>> someAudio()
{
    std::vector<float> x(4800);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(i % 100) / 200.0f;
    return {x};
}

/// The files in `dir` (names only).
std::vector<std::string> namesIn(const fs::path& dir)
{
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    return names;
}
} // namespace

TEST_CASE("a symlinked output stays a link, and its target, in its own folder, gets the file", "[core][signals]")
{
    const auto dir = freshDir("link");
    fs::create_directories(dir / "real");
    fs::create_directories(dir / "links");
    const auto target = dir / "real" / "take.wav";
    {
        std::ofstream(target) << "old";
    }
    const auto link = dir / "links" / "take.wav";
    fs::create_symlink("../real/take.wav", link); // relative, resolved from the link's folder

    const auto r = wb::writeWavAtomically(link.string(), someAudio(), 48000.0, wb::SampleFormat::float32);
    REQUIRE(r.ok);
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(fs::read_symlink(link) == fs::path("../real/take.wav"));
    std::string error;
    const auto back = wb::readWav(target.string(), error);
    REQUIRE(back.has_value());
    CHECK(back->channels.front() == someAudio().front());
    // Nothing left beside either: no temporaries.
    CHECK(namesIn(dir / "real") == std::vector<std::string>{"take.wav"});
    CHECK(namesIn(dir / "links") == std::vector<std::string>{"take.wav"});

    // A dangling link makes its target.
    fs::remove(target);
    REQUIRE(wb::writeWavAtomically(link.string(), someAudio(), 48000.0, wb::SampleFormat::float32).ok);
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(fs::is_regular_file(fs::symlink_status(target)));
    fs::remove_all(dir);
}

TEST_CASE("a FIFO output is written through to its reader, not replaced", "[core][signals]")
{
    const auto dir = freshDir("fifo");
    const auto fifo = dir / "pipe.wav";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string received;
    std::thread reader([&] { received = slurp(fifo); }); // blocks until the writer opens it

    const auto r = wb::writeWavAtomically(fifo.string(), someAudio(), 48000.0, wb::SampleFormat::float32);
    reader.join();
    REQUIRE(r.ok);
    CHECK(fs::is_fifo(fs::symlink_status(fifo)));
    CHECK(namesIn(dir) == std::vector<std::string>{"pipe.wav"});

    // What the reader got is the WAV a regular file gets, byte for byte.
    const auto regular = dir / "regular.wav";
    REQUIRE(wb::writeWavAtomically(regular.string(), someAudio(), 48000.0, wb::SampleFormat::float32).ok);
    CHECK(received.size() > 4800 * 4);
    CHECK(received == slurp(regular));
    fs::remove_all(dir);
}

TEST_CASE("a character device output (/dev/null) is written through and stays a device", "[core][signals]")
{
    // As root, a private null device (1,3) in a private folder, so that a regression replaces that
    // node and not the machine's /dev/null; otherwise /dev/null itself (its folder is not ours).
    const auto dir = freshDir("chr");
    auto device = dir / "null";
    if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0)
        device = "/dev/null";
    REQUIRE(fs::is_character_file(device));
    CHECK_FALSE(wb::checkWritable(device.string()).has_value());
    const auto r = wb::writeWavAtomically(device.string(), someAudio(), 48000.0, wb::SampleFormat::float32);
    CHECK(r.ok);
    CHECK(r.error.empty());
    CHECK(fs::is_character_file(fs::symlink_status(device)));
    const auto t = wb::resolveOutputTarget(device.string());
    CHECK(t.writeThrough);
    CHECK(t.path == device.string());
    CHECK(fs::is_character_file(fs::symlink_status("/dev/null")));
    fs::remove_all(dir);
}

TEST_CASE("an existing output keeps its mode (0640 stays 0640, read-only stays read-only)", "[core][signals]")
{
    const auto dir = freshDir("mode");
    for (const unsigned mode : {0640u, 0444u})
    {
        const auto file = dir / "kept.wav";
        fs::remove(file);
        {
            std::ofstream(file) << "old";
        }
        REQUIRE(::chmod(file.c_str(), mode) == 0);
        REQUIRE(wb::writeWavAtomically(file.string(), someAudio(), 48000.0, wb::SampleFormat::float32).ok);
        struct stat st
        {
        };
        REQUIRE(::stat(file.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == mode);
        CHECK(slurp(file).size() > 4800 * 4); // the new content, not "old"
    }
    fs::remove_all(dir);
}

TEST_CASE("an output named by an open descriptor (/dev/fd/N, as /dev/stdout) shares its offset", "[core][signals]")
{
    // As `wavebench ... --json /dev/stdout > file`: what the process already wrote through the
    // descriptor stays, and the output follows it instead of overwriting it from offset 0.
    const auto dir = freshDir("fd");
    const auto file = dir / "redirected.txt";
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    const std::string before = "text printed before\n";
    REQUIRE(::write(fd, before.data(), before.size()) == static_cast<ssize_t>(before.size()));
    const auto name = "/dev/fd/" + std::to_string(fd);
    const auto t = wb::resolveOutputTarget(name);
    CHECK(t.writeThrough);
    CHECK(t.descriptor == fd);
    // 24-bit PCM: libsndfile gives float files a PEAK chunk stamped with the time, so two float
    // writes a second apart differ (seen once under load); integer files are byte-reproducible.
    const auto r = wb::writeWavAtomically(name, someAudio(), 48000.0, wb::SampleFormat::pcm24);
    CHECK(r.ok);
    ::close(fd);
    const auto regular = dir / "regular.wav";
    REQUIRE(wb::writeWavAtomically(regular.string(), someAudio(), 48000.0, wb::SampleFormat::pcm24).ok);
    CHECK(slurp(file) == before + slurp(regular));
    CHECK(namesIn(dir).size() == 2); // no temporary left beside it
    fs::remove_all(dir);
}
