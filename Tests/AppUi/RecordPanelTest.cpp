// The Record panel (issue 14), driven as a user drives it: the generator started, Record pressed,
// the status line counting up, Stop pressed; the take is then read back from disk and must hold
// what was played (outputs 1-2) and what came back through the Virtual loopback (inputs 1-2).
#include "AppFixture.h"
#include "Core/Audio/WavFile.h"
#include "Support/MessageLoop.h"

#include <algorithm>
#include <cmath>

using namespace wb::test;

namespace
{
double peakOf(const std::vector<float>& x)
{
    double p = 0.0;
    for (float v : x)
        p = std::max(p, static_cast<double>(std::abs(v)));
    return p;
}

/// The elapsed time in a "Recording M:SS.s ..." status line, or -1 for any other line.
double elapsedShown(const juce::String& status)
{
    if (!status.startsWith("Recording "))
        return -1.0;
    const auto time = status.fromFirstOccurrenceOf("Recording ", false, false).upToFirstOccurrenceOf(" ", false, false);
    return 60.0 * time.upToFirstOccurrenceOf(":", false, false).getDoubleValue()
           + time.fromFirstOccurrenceOf(":", false, false).getDoubleValue();
}

double rmsOf(const std::vector<float>& x, std::size_t from)
{
    double e = 0.0;
    for (std::size_t k = from; k < x.size(); ++k)
        e += static_cast<double>(x[k]) * static_cast<double>(x[k]);
    return std::sqrt(e / static_cast<double>(x.size() - from));
}
} // namespace

TEST_CASE("app: Record takes what was played and what came back into a WAV, with its time, size and gaps shown",
          "[gui][app]")
{
    App app;
    auto& rec = app.main->recordPanel();
    const auto folder = app.settingsDir.dir.getChildFile("takes");
    rec.setFolder(folder);
    auto& gen = app.main->generatorPanel();
    auto* start = findById<juce::Button>(gen, wb::app::GeneratorPanel::kStartId);
    REQUIRE(start != nullptr);
    start->triggerClick(); // the fresh session's 1 kHz sine at -20 dBFS peak
    REQUIRE(pumpUntil([&] { return gen.isRunning(); }));
    REQUIRE(app.peakSettlesAt(-20.0));

    auto* button = findById<juce::Button>(*app.main, wb::app::RecordPanel::kRecordButtonId);
    REQUIRE(button != nullptr);
    button->triggerClick();
    REQUIRE(pumpUntil([&] { return rec.isRecording(); }));
    CHECK(button->getButtonText() == "Stop");
    // The status line counts up while the take runs.
    REQUIRE(pumpUntil([&] { return elapsedShown(rec.statusText()) >= 0.5; }));
    const double early = elapsedShown(rec.statusText());
    REQUIRE(pumpUntil([&] { return elapsedShown(rec.statusText()) >= 1.0; }));
    CHECK(elapsedShown(rec.statusText()) > early);
    CHECK(rec.statusText().contains("no gaps"));
    CHECK((rec.statusText().contains(" kB") || rec.statusText().contains(" MB")));
    // The loudness so far appears once the writer has measured a 400 ms block.
    REQUIRE(pumpUntil([&] { return rec.statusText().contains("   inputs -20.0 LUFS"); }));
    // The monitor's Buffer pool row shows the recorder's pool at work ("in use/capacity (hw ...").
    auto* monitor = dynamic_cast<wb::app::MonitorPanel*>(findById(*app.main, "panel.monitor"));
    REQUIRE(monitor != nullptr);
    INFO(monitor->bufferPoolText());
    CHECK(monitor->bufferPoolText().contains("/"));
    CHECK(monitor->bufferPoolText().contains("(hw "));
    // The panel sits in the header's right end: the whole window, for the eye.
    auto& genPanel = app.main->generatorPanel();
    CHECK(app.main->getLocalArea(&rec, rec.getLocalBounds()).getBottom()
          <= app.main->getLocalArea(&genPanel, genPanel.getLocalBounds()).getY());
    saveScreenshot(*app.main, "record-window-recording.png");

    button->triggerClick();
    REQUIRE(pumpUntil([&] { return !rec.isRecording(); }));
    CHECK(button->getButtonText() == "Record");
    INFO(rec.statusText());
    CHECK(rec.statusText().startsWith("Saved take-"));
    CHECK(rec.statusText().contains("no gaps"));
    // The inputs' loudness, measured by the writer: the stereo 1 kHz sine at -20 dBFS peak (each
    // channel -23.01 dB RMS, +3.01 dB for two; BS.1770's K-weighting gain at 1 kHz cancels its
    // -0.691 dB offset) reads -20.0 LUFS; its true peak is the sine's -20.0 dBTP.
    CHECK(rec.statusText().contains(", inputs -20.0 LUFS -20.0 dBTP"));
    REQUIRE(rec.lastTakes().size() == 1);
    const auto take = rec.lastTakes()[0];
    CHECK(take.getParentDirectory() == folder);

    std::string error;
    const auto got = wb::readWav(take.getFullPathName().toStdString(), error);
    INFO(error);
    REQUIRE(got.has_value());
    REQUIRE(got->channels.size() == 4); // inputs 1-2, outputs 1-2 (the default)
    CHECK(got->sampleRate == Approx(48000.0));
    CHECK(got->numFrames() >= 48000);
    CHECK(got->numFrames() < 48000 * 10);
    // The figures of the "Saved" line agree with the file: its length and its size on disk.
    const auto figures = rec.statusText().fromFirstOccurrenceOf(".wav: ", false, false); // "0:01.2, 1.1 MB, no gaps"
    const auto shownTime = figures.upToFirstOccurrenceOf(",", false, false);
    const double shownSeconds = 60.0 * shownTime.upToFirstOccurrenceOf(":", false, false).getDoubleValue()
                                + shownTime.fromFirstOccurrenceOf(":", false, false).getDoubleValue();
    // (a stopwatch's tenths: shown <= the length < shown + 0.1 s)
    const double seconds = static_cast<double>(got->numFrames()) / 48000.0;
    CHECK(shownSeconds <= seconds);
    CHECK(seconds < shownSeconds + 0.1);
    const auto shownSize = figures.fromFirstOccurrenceOf(", ", false, false).upToFirstOccurrenceOf(",", false, false);
    const double unit = shownSize.endsWith("MB") ? 1024.0 * 1024.0 : 1024.0;
    CHECK(shownSize.getDoubleValue() == Approx(static_cast<double>(take.getSize()) / unit).margin(0.051));
    // Outputs: the sine as played, -20 dBFS peak (a sample on every crest of 1 kHz at 48 kHz).
    CHECK(peakOf(got->channels[2]) == Approx(0.1).margin(1e-6));
    CHECK(peakOf(got->channels[3]) == Approx(0.1).margin(1e-6));
    // Inputs: the same sine back through the loopback, same level (after its first few ms).
    CHECK(peakOf(got->channels[0]) == Approx(0.1).margin(1e-3));
    CHECK(rmsOf(got->channels[0], 4800) == Approx(rmsOf(got->channels[2], 4800)).epsilon(1e-3));

    // A second take is listed first.
    button->triggerClick();
    REQUIRE(pumpUntil([&] { return rec.isRecording(); }));
    pump(300);
    button->triggerClick();
    REQUIRE(pumpUntil([&] { return !rec.isRecording(); }));
    REQUIRE(rec.lastTakes().size() == 2);
    CHECK(rec.lastTakes()[0] != take);
    CHECK(rec.lastTakes()[1] == take);
    saveScreenshot(*app.main, "record-window-saved.png");
}

TEST_CASE("app: Record into a folder that cannot be made says why and starts nothing", "[gui][app]")
{
    App app;
    auto& rec = app.main->recordPanel();
    rec.setFolder(juce::File("/proc/wavebench-takes"));
    CHECK_FALSE(rec.startTake());
    CHECK_FALSE(rec.isRecording());
    CHECK(rec.statusText().startsWith("Not recording: cannot make the folder /proc/wavebench-takes"));
    CHECK(rec.recordButton().getButtonText() == "Record");
    CHECK(rec.lastTakes().isEmpty());
    CHECK(app.engine->attachedRecorder() == nullptr);
}

TEST_CASE("app: a take running when the device is lost keeps what it recorded", "[gui][app]")
{
    App app;
    auto& rec = app.main->recordPanel();
    rec.setFolder(app.settingsDir.dir.getChildFile("takes"));
    rec.setSource(wb::app::RecordPanel::Source::outputs);
    REQUIRE(rec.startTake());
    REQUIRE(pumpUntil([&] { return elapsedShown(rec.statusText()) >= 0.3; }));
    app.engine->closeDevice(); // as a device unplugged: the timer finds no device running
    REQUIRE(pumpUntil([&] { return !rec.isRecording(); }));
    INFO(rec.statusText());
    CHECK(rec.statusText().startsWith("Saved take-"));
    REQUIRE(rec.lastTakes().size() == 1);
    std::string error;
    const auto got = wb::readWav(rec.lastTakes()[0].getFullPathName().toStdString(), error);
    INFO(error);
    REQUIRE(got.has_value());
    CHECK(got->channels.size() == 2);
    CHECK(got->numFrames() >= 48000 * 3 / 10);
    CHECK(app.engine->attachedRecorder() == nullptr);
}

TEST_CASE("app: Record with a pre-roll: the take begins with what played before Record was pressed", "[gui][app]")
{
    // The generator plays its sine for 2.5 s and is stopped; once the outputs are silent, Record is
    // pressed. With a 2 s pre-roll the take must begin with the sine (played only before the
    // press) and end in silence.
    App app;
    auto& rec = app.main->recordPanel();
    rec.setFolder(app.settingsDir.dir.getChildFile("takes"));
    rec.setSource(wb::app::RecordPanel::Source::outputs);
    auto* box = findById<juce::ComboBox>(*app.main, wb::app::RecordPanel::kPreRollBoxId);
    REQUIRE(box != nullptr);
    box->setSelectedId(3, juce::sendNotificationSync); // "Pre-roll 2 s", as a user picks it
    CHECK(rec.preRollSeconds() == 2.0);
    REQUIRE(pumpUntil([&] { return rec.isKeepingPreRoll(); }));
    CHECK(app.engine->attachedRecorder() != nullptr); // filling, nothing written
    CHECK(rec.lastTakes().isEmpty());

    auto& gen = app.main->generatorPanel();
    auto* start = findById<juce::Button>(gen, wb::app::GeneratorPanel::kStartId);
    REQUIRE(start != nullptr);
    start->triggerClick();
    REQUIRE(pumpUntil([&] { return gen.isRunning(); }));
    REQUIRE(app.peakSettlesAt(-20.0));
    pump(2500);
    start->triggerClick(); // Stop
    REQUIRE(pumpUntil([&] { return !gen.isRunning(); }));
    REQUIRE(app.peakStaysBelow(-100.0, 200));

    auto* button = findById<juce::Button>(*app.main, wb::app::RecordPanel::kRecordButtonId);
    REQUIRE(button != nullptr);
    button->triggerClick();
    REQUIRE(pumpUntil([&] { return rec.isRecording(); }));
    CHECK_FALSE(box->isEnabled()); // fixed while a take runs
    pump(600);
    button->triggerClick();
    REQUIRE(pumpUntil([&] { return !rec.isRecording(); }));
    INFO(rec.statusText());
    CHECK(rec.statusText().startsWith("Saved take-"));
    CHECK(rec.statusText().endsWith(", 2.0 s pre-roll"));
    CHECK(rec.statusText().contains(", outputs -")); // outputs only: their loudness
    CHECK(rec.lastPreRollFrames() == 96000);

    REQUIRE(rec.lastTakes().size() == 1);
    std::string error;
    const auto got = wb::readWav(rec.lastTakes()[0].getFullPathName().toStdString(), error);
    INFO(error);
    REQUIRE(got.has_value());
    REQUIRE(got->channels.size() == 2);
    const auto& out1 = got->channels[0];
    REQUIRE(out1.size() > 96000 + 24000);
    // The pre-roll's first half second: the sine as played (-20 dBFS peak), before the press.
    const std::vector<float> head(out1.begin(), out1.begin() + 24000);
    CHECK(peakOf(head) == Approx(0.1).margin(1e-6));
    // What came after the press: silence (the generator had stopped).
    const std::vector<float> after(out1.begin() + 96000, out1.end());
    CHECK(peakOf(after) < 1e-5);

    // The next take's pre-roll fills again; "No pre-roll" lets the recorder go.
    REQUIRE(pumpUntil([&] { return rec.isKeepingPreRoll(); }));
    box->setSelectedId(1, juce::sendNotificationSync);
    CHECK_FALSE(rec.isKeepingPreRoll());
    CHECK(app.engine->attachedRecorder() == nullptr);
}
