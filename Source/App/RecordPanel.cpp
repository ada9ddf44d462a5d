#include "App/RecordPanel.h"

#include "App/Theme.h"

#include <chrono>
#include <cmath>
#include <thread>

namespace wb::app
{
using namespace theme;

namespace
{
constexpr int kBlockFrames = 1024;
constexpr double kHeadroomSeconds = 2.0;

juce::String sizeText(juce::int64 bytes)
{
    if (bytes < 1024 * 1024)
        return juce::String(static_cast<double>(bytes) / 1024.0, 1) + " kB";
    return juce::String(static_cast<double>(bytes) / (1024.0 * 1024.0), 1) + " MB";
}

/// "M:SS.s", cut (not rounded) to the tenth, as a stopwatch shows it: 0:00.3 once 0.3 s are in.
juce::String timeText(double seconds)
{
    const auto tenths = static_cast<juce::int64>(std::floor(std::max(0.0, seconds) * 10.0 + 1e-9));
    const auto minutes = tenths / 600;
    const auto rest = tenths - minutes * 600;
    return juce::String(minutes) + ":" + juce::String(rest / 10).paddedLeft('0', 2) + "." + juce::String(rest % 10);
}

bool audioRuns(AudioEngine& engine)
{
    return engine.hasDevice() && engine.isCallbackAttached();
}
} // namespace

RecordPanel::RecordPanel(AudioEngine& e) : engine(e)
{
    takesFolder = juce::File::getSpecialLocation(juce::File::userMusicDirectory).getChildFile("Wavebench");

    record.setComponentID(kRecordButtonId);
    record.setTooltip("Record a take into the takes folder (a WAV, 32-bit float); press again to stop");
    record.onClick = [this]
    {
        if (recording)
            stopTake();
        else
            (void) startTake();
    };
    addAndMakeVisible(record);

    sourceBox.setComponentID(kSourceBoxId);
    sourceBox.addItem("Inputs 1-2 + outputs 1-2", 1);
    sourceBox.addItem("Inputs 1-2 (what came back)", 2);
    sourceBox.addItem("Outputs 1-2 (what was played)", 3);
    sourceBox.setSelectedId(1, juce::dontSendNotification);
    sourceBox.setTooltip("The channels of a take, in file order");
    addAndMakeVisible(sourceBox);
    sourceBox.onChange = [this] { arm(); };

    preRollBox.setComponentID(kPreRollBoxId);
    for (std::size_t i = 0; i < std::size(kPreRolls); ++i)
        preRollBox.addItem(kPreRolls[i] == 0.0 ? juce::String("No pre-roll") : "Pre-roll " + juce::String(kPreRolls[i], 0) + " s",
                           static_cast<int>(i) + 1);
    preRollBox.setSelectedId(1, juce::dontSendNotification);
    preRollBox.setTooltip("Begin each take with the audio from just before Record was pressed "
                          "(kept in memory while audio runs; nothing is written until you record)");
    preRollBox.onChange = [this] { arm(); };
    addAndMakeVisible(preRollBox);

    status.setComponentID(kStatusId);
    status.setColour(juce::Label::textColourId, kText);
    status.setFont(juce::Font(13.0f));
    status.setText("Ready: takes go to " + takesFolder.getFullPathName(), juce::dontSendNotification);
    status.setMinimumHorizontalScale(0.8f);
    addAndMakeVisible(status);

    takesList.setColour(juce::Label::textColourId, kDimText);
    takesList.setFont(juce::Font(11.5f));
    takesList.setBorderSize(juce::BorderSize<int>(0, 5, 0, 5));
    takesList.setJustificationType(juce::Justification::topLeft);
    addAndMakeVisible(takesList);
}

RecordPanel::~RecordPanel()
{
    if (recording)
        finishTake(!audioRuns(engine));
    detach(); // before the recorder goes
}

void RecordPanel::setSource(Source s)
{
    sourceBox.setSelectedId(static_cast<int>(s) + 1, juce::dontSendNotification);
}

RecordPanel::Source RecordPanel::source() const noexcept
{
    return static_cast<Source>(juce::jlimit(0, 2, sourceBox.getSelectedId() - 1));
}

juce::String RecordPanel::loudnessGroupName() const
{
    return preparedLayout.source == Source::outputs ? "outputs" : "inputs";
}

void RecordPanel::setPreRollSeconds(double seconds)
{
    for (std::size_t i = 0; i < std::size(kPreRolls); ++i)
        if (std::abs(kPreRolls[i] - seconds) < 1e-9)
            preRollBox.setSelectedId(static_cast<int>(i) + 1, juce::dontSendNotification);
    arm();
}

double RecordPanel::preRollSeconds() const noexcept
{
    const int index = juce::jlimit(1, static_cast<int>(std::size(kPreRolls)), preRollBox.getSelectedId()) - 1;
    return kPreRolls[static_cast<std::size_t>(index)];
}

RecordPanel::Layout RecordPanel::layoutNow(juce::AudioIODevice& device) const
{
    return {device.getCurrentSampleRate(), source(), preRollSeconds()};
}

void RecordPanel::arm()
{
    if (recording)
        return;
    auto* device = engine.deviceManager().getCurrentAudioDevice();
    if (preRollSeconds() <= 0.0 || !audioRuns(engine) || device == nullptr)
    {
        // No pre-roll wanted (or no audio): a recorder kept filling one is let go.
        if (attached && preparedLayout.preRoll > 0.0)
        {
            detach();
            prepared = false;
        }
        return;
    }
    const Layout layout = layoutNow(*device);
    if (attached && prepared && !spent && layout == preparedLayout)
        return;
    juce::String error;
    if (!prepareFor(layout, error))
    {
        status.setText("No pre-roll: " + error, juce::dontSendNotification);
        status.setColour(juce::Label::textColourId, kWarning);
        return;
    }
    const bool in = layout.source != Source::outputs;
    const bool out = layout.source != Source::inputs;
    engine.attachRecorderFromUi(recorder.get(), in ? std::vector<int>{0, 1} : std::vector<int>{}, out ? 2 : 0);
    attached = true;
}

void RecordPanel::detach()
{
    if (!attached)
        return;
    attached = false;
    if (!audioRuns(engine))
    {
        engine.attachRecorderFromUi(nullptr, {}, 0);
        return;
    }
    // The audio thread may be inside captureOnAudio with the old pointer: the engine returns once
    // it is past it. A device stalled meanwhile (no callback for 500 ms) runs none at all.
    (void) engine.detachRecorderWhileRunningFromUi();
}

bool RecordPanel::prepareFor(const Layout& layout, juce::String& error)
{
    detach();
    RecorderConfig rc;
    rc.numChannels = channelsOf(layout.source);
    rc.sampleRate = layout.rate;
    rc.blockFrames = kBlockFrames;
    rc.headroomSeconds = kHeadroomSeconds;
    rc.preRollSeconds = layout.preRoll;
    // The take's loudness, measured by the writer as it writes: inputs 1-2 when the take holds
    // them (they come first), else outputs 1-2.
    rc.loudnessFirstChannel = 0;
    rc.loudnessChannels = 2;
    std::string why;
    spent = false;
    prepared = recorder->prepare(rc, why);
    if (!prepared)
    {
        error = why;
        return false;
    }
    preparedLayout = layout;
    return true;
}

bool RecordPanel::startTake()
{
    if (recording)
        return true;
    auto fail = [this](const juce::String& why)
    {
        status.setText("Not recording: " + why, juce::dontSendNotification);
        status.setColour(juce::Label::textColourId, kWarning);
        return false;
    };
    auto* device = engine.deviceManager().getCurrentAudioDevice();
    if (!audioRuns(engine) || device == nullptr)
        return fail("no audio device runs (Audio > Audio Settings...)");
    const Layout layout = layoutNow(*device);
    juce::String error;
    if ((!prepared || spent || !(layout == preparedLayout)) && !prepareFor(layout, error))
        return fail(error);
    if (!takesFolder.createDirectory())
        return fail("cannot make the folder " + takesFolder.getFullPathName());
    const auto stamp = juce::Time::getCurrentTime().formatted("%Y%m%d-%H%M%S");
    const auto file = takesFolder.getNonexistentChildFile("take-" + stamp, ".wav", false);
    RecordingTarget target;
    target.path = file.getFullPathName().toStdString();
    target.format = SampleFormat::float32;
    std::string why;
    if (!recorder->startFromUi(target, why))
        return fail(why);
    if (!attached)
    {
        const bool in = layout.source != Source::outputs;
        const bool out = layout.source != Source::inputs;
        engine.attachRecorderFromUi(recorder.get(), in ? std::vector<int>{0, 1} : std::vector<int>{}, out ? 2 : 0);
        attached = true;
    }
    recording = true;
    currentFile = file;
    lastSize = 0;
    lastSizeCheck = 0.0;
    record.setButtonText("Stop");
    record.setColour(juce::TextButton::buttonColourId, kAlarm);
    sourceBox.setEnabled(false);
    preRollBox.setEnabled(false);
    status.setColour(juce::Label::textColourId, kText);
    tick();
    return true;
}

void RecordPanel::stopTake()
{
    if (recording)
        finishTake(!audioRuns(engine));
}

void RecordPanel::finishTake(bool audioStopped)
{
    if (!audioStopped)
    {
        // The audio thread ends the take at its next callback. A device that stopped calling back
        // (a JACK server gone) never will: after a second the recorder is detached and its state
        // taken over here, as for a stopped device.
        recorder->stopFromUi();
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (!recorder->endedFromUi() && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (!recorder->endedFromUi())
        {
            detach();
            audioStopped = true;
        }
    }
    const auto result = recorder->finishFromUi(audioStopped);
    recording = false;
    spent = true;
    lastPreRoll = result.preRollFrames;
    record.setButtonText("Record");
    record.removeColour(juce::TextButton::buttonColourId);
    sourceBox.setEnabled(true);
    preRollBox.setEnabled(true);
    const double seconds = static_cast<double>(result.framesWritten) / preparedLayout.rate;
    const auto gaps = result.framesLost > 0
                          ? juce::String(result.framesLost) + " frames lost in " + juce::String(static_cast<int>(result.gaps.size()))
                                + " gaps"
                          : juce::String("no gaps");
    auto figures = timeText(seconds) + ", " + sizeText(currentFile.getSize()) + ", " + gaps;
    if (result.integratedLufs)
        figures += ", " + loudnessGroupName() + " " + juce::String(*result.integratedLufs, 1) + " LUFS";
    if (result.truePeakDbtp)
        figures += " " + juce::String(*result.truePeakDbtp, 1) + " dBTP";
    if (result.preRollFrames > 0)
        figures += ", " + juce::String(static_cast<double>(result.preRollFrames) / preparedLayout.rate, 1) + " s pre-roll";
    if (result.ok)
    {
        status.setText("Saved " + currentFile.getFileName() + ": " + figures, juce::dontSendNotification);
        status.setColour(juce::Label::textColourId, result.framesLost > 0 ? kWarning : kGood);
    }
    else
    {
        status.setText("Stopped: " + juce::String(result.error) + "; " + currentFile.getFileName() + " keeps " + figures,
                       juce::dontSendNotification);
        status.setColour(juce::Label::textColourId, kAlarm);
    }
    if (currentFile.existsAsFile())
    {
        takes.insert(0, currentFile);
        while (takes.size() > kMaxTakesListed)
            takes.removeLast();
    }
    showTakes();
    arm(); // the next take's pre-roll starts filling now
}

void RecordPanel::tick()
{
    if (!recording)
    {
        arm();
        return;
    }
    auto* device = engine.deviceManager().getCurrentAudioDevice();
    if (recorder->endedFromUi() || device == nullptr || device->getCurrentSampleRate() != preparedLayout.rate)
    {
        // Ended by itself (a write failed, the folder went) or the device changed under it.
        finishTake(!audioRuns(engine));
        return;
    }
    const auto stats = recorder->statsFromUi();
    const double now = juce::Time::getMillisecondCounterHiRes() / 1000.0;
    if (now - lastSizeCheck >= 0.25)
    {
        lastSize = currentFile.getSize();
        lastSizeCheck = now;
    }
    const auto gaps = stats.framesLost > 0 ? juce::String(stats.framesLost) + " frames lost" : juce::String("no gaps");
    const auto loudnessNow = std::isfinite(stats.integratedLufs)
                                 ? "   " + loudnessGroupName() + " " + juce::String(stats.integratedLufs, 1) + " LUFS"
                                 : juce::String();
    status.setText("Recording " + timeText(static_cast<double>(stats.framesCaptured) / preparedLayout.rate) + "   "
                       + sizeText(lastSize) + "   " + gaps + loudnessNow,
                   juce::dontSendNotification);
    status.setColour(juce::Label::textColourId, stats.framesLost > 0 ? kWarning : kText);
}

void RecordPanel::audioLost()
{
    if (recording)
        finishTake(true);
    detach();
}

void RecordPanel::showTakes()
{
    juce::StringArray lines;
    for (const auto& f : takes)
        lines.add(f.getFileName() + "   " + sizeText(f.getSize()));
    takesList.setText(lines.joinIntoString("\n"), juce::dontSendNotification);
}

void RecordPanel::paint(juce::Graphics& g)
{
    // The header paints the background; a rule on the left sets the recorder apart from the
    // device status beside it.
    g.setColour(kDimText.withAlpha(0.35f));
    g.fillRect(0, 2, 1, getHeight() - 4);
}

void RecordPanel::resized()
{
    auto area = getLocalBounds().withTrimmedLeft(12);
    auto row = area.removeFromTop(26);
    record.setBounds(row.removeFromLeft(80));
    row.removeFromLeft(6);
    preRollBox.setBounds(row.removeFromRight(118));
    row.removeFromRight(6);
    sourceBox.setBounds(row);
    area.removeFromTop(2);
    status.setBounds(area.removeFromTop(18));
    takesList.setBounds(area);
}
} // namespace wb::app
