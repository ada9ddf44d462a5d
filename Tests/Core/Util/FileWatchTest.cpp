// FileWatch: edits are reported once, after the files settle; saves by rename and by
// delete-then-create are seen; a file that stays away is "missing", not an edit. Times are given
// explicitly, so nothing here sleeps; file times are set by hand where two writes could land in
// the same tick of the file system's clock.
#include "Core/Util/FileWatch.h"

#include "Support/TestFiles.h"

#include <catch2/catch.hpp>

#include <fstream>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace
{
void writeText(const fs::path& p, const std::string& text)
{
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

/// Moves the file's modification time by `delta` (file systems tick in ~4 ms steps: two writes in
/// one test could otherwise carry the same time).
void shiftTime(const fs::path& p, std::chrono::seconds delta)
{
    fs::last_write_time(p, fs::last_write_time(p) + delta);
}
} // namespace

TEST_CASE("file watch: an edit is reported once, after the file settles", "[core][util]")
{
    const auto dir = wb::test::freshTempDir("wb-filewatch", "edit");
    const auto dsp = dir / "my.dsp";
    writeText(dsp, "process = _;");
    wb::FileWatch watch(100ms);
    watch.watch({dsp});
    const auto t0 = wb::FileWatch::Clock::now();
    CHECK_FALSE(watch.poll(t0));
    CHECK_FALSE(watch.poll(t0 + 1s)); // nothing changed, however long we wait

    writeText(dsp, "process = *(0.5);");
    shiftTime(dsp, 1s);
    CHECK_FALSE(watch.poll(t0 + 2s));          // seen, but not settled yet
    CHECK_FALSE(watch.poll(t0 + 2s + 50ms));   // still within the settle time
    CHECK(watch.poll(t0 + 2s + 100ms));        // settled: one report
    REQUIRE(watch.changed().size() == 1);
    CHECK(watch.changed()[0] == dsp);
    CHECK_FALSE(watch.poll(t0 + 3s));          // and only one

    // Two quick writes (an editor's temp write, then the real one) give one report.
    writeText(dsp, "process = *(0.25);");
    shiftTime(dsp, 2s);
    CHECK_FALSE(watch.poll(t0 + 4s));
    writeText(dsp, "process = *(0.125);");
    shiftTime(dsp, 3s);
    CHECK_FALSE(watch.poll(t0 + 4s + 80ms));   // moved again: the settle time starts over
    CHECK_FALSE(watch.poll(t0 + 4s + 150ms));
    CHECK(watch.poll(t0 + 4s + 180ms));
    CHECK_FALSE(watch.poll(t0 + 5s));
}

TEST_CASE("file watch: a save by rename, by delete-then-create, and a file that stays away", "[core][util]")
{
    const auto dir = wb::test::freshTempDir("wb-filewatch", "rename");
    const auto dsp = dir / "my.dsp";
    const auto lib = dir / "mine.lib";
    writeText(dsp, "import(\"mine.lib\"); process = f;");
    writeText(lib, "f = _;");
    wb::FileWatch watch(100ms);
    watch.watch({dsp, lib});
    auto t = wb::FileWatch::Clock::now();
    CHECK_FALSE(watch.poll(t));

    // Saved as editors do: a new file renamed over the old one (same size, same time even).
    const auto oldTime = fs::last_write_time(lib);
    writeText(dir / "mine.lib.tmp", "f = -;");
    fs::last_write_time(dir / "mine.lib.tmp", oldTime);
    fs::rename(dir / "mine.lib.tmp", lib);
    CHECK_FALSE(watch.poll(t += 1s));
    CHECK(watch.poll(t += 200ms)); // the inode changed
    REQUIRE(watch.changed().size() == 1);
    CHECK(watch.changed()[0] == lib);

    // Deleted: not an edit, but missing.
    fs::remove(lib);
    CHECK_FALSE(watch.poll(t += 1s));
    CHECK_FALSE(watch.poll(t += 1s));
    REQUIRE(watch.missing().size() == 1);
    CHECK(watch.missing()[0] == lib);

    // Back again: an edit.
    writeText(lib, "f = *(2);");
    CHECK_FALSE(watch.poll(t += 1s));
    CHECK(watch.poll(t += 200ms));
    CHECK(watch.missing().empty());

    // watch() takes a fresh baseline: a file missing then, created later, is an edit.
    const auto later = dir / "later.lib";
    watch.watch({dsp, later});
    CHECK(watch.missing().size() == 1);
    writeText(later, "g = _;");
    CHECK_FALSE(watch.poll(t += 1s));
    CHECK(watch.poll(t += 200ms));
    CHECK(watch.changed() == std::vector<fs::path>{later});
}
