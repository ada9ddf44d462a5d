#pragma once
// The Record panel (issue 14): records what the device plays and what comes back into a WAV take
// while the app runs, through the engine's recorder tap (Core/Audio/Recorder: the audio thread
// copies into pooled blocks, a writer thread writes them, the header is rewritten every second).
// Shows the running take's elapsed time, file size and gaps, and lists the last takes. It lives in
// the window's header (MainComponent::resized), right-aligned.
//
// Threads: everything here is the message thread's. The recorder is prepared for the device's
// rate and the chosen channels, then attached to the engine and left attached between takes (idle,
// it captures nothing). It is prepared again only after a detach has been followed by two device
// callbacks (the audio thread is then past any call into it), or while no device runs.
#include "Core/Audio/Recorder.h"
#include "Engine/AudioEngine.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <memory>

namespace wb::app
{
class RecordPanel final : public juce::Component
{
public:
    /// What a take holds, in file order.
    enum class Source
    {
        inputsAndOutputs, ///< inputs 1-2 (what came back), then outputs 1-2 (what was played)
        inputs,           ///< inputs 1-2
        outputs,          ///< outputs 1-2
    };
    /// It sits in the window's header, at its right end: always in view, as a transport's record
    /// button is, whatever the panels below show and however short the window.
    static constexpr int kWidth = 440;
    static constexpr int kMaxTakesListed = 3;
    static constexpr const char* kRecordButtonId = "record.button";
    static constexpr const char* kSourceBoxId = "record.source";
    static constexpr const char* kStatusId = "record.status";
    static constexpr const char* kPreRollBoxId = "record.preroll";
    /// The pre-roll box's choices, seconds (the first: none).
    static constexpr double kPreRolls[] = {0.0, 1.0, 2.0, 5.0};

    explicit RecordPanel(AudioEngine& engine);
    ~RecordPanel() override; ///< ends a running take (its file keeps every frame) and detaches

    /// Where takes go ("take-YYYYMMDD-HHMMSS.wav"); made when the first take starts.
    void setFolder(const juce::File& folder) { takesFolder = folder; }
    [[nodiscard]] const juce::File& folder() const noexcept { return takesFolder; }
    void setSource(Source s);
    [[nodiscard]] Source source() const noexcept;
    /// How much of what came before Record a take begins with (one of kPreRolls; 0: none). While
    /// one is chosen and audio runs, the recorder is attached and keeps the newest audio of that
    /// length (the audio thread fills pooled blocks; nothing is written until a take starts).
    void setPreRollSeconds(double seconds);
    [[nodiscard]] double preRollSeconds() const noexcept;
    /// True while the recorder keeps a pre-roll for the next take.
    [[nodiscard]] bool isKeepingPreRoll() const noexcept { return attached && prepared && !recording && preparedLayout.preRoll > 0.0 && !spent; }
    /// The last take's frames from before Record was pressed (its pre-roll).
    [[nodiscard]] std::int64_t lastPreRollFrames() const noexcept { return lastPreRoll; }

    /// Starts a take on the running device. Returns false with the reason shown in the status line
    /// (no device, a file that cannot be made) and nothing started.
    bool startTake();
    /// Ends the running take: the file is closed with a header covering every frame it holds.
    void stopTake();
    [[nodiscard]] bool isRecording() const noexcept { return recording; }

    /// Message thread, every tick of the main component's timer: the running take's figures; a
    /// take that ended by itself (a full disk, the folder removed) is closed and says why.
    void tick();
    /// Message thread: the device stopped or is gone (before or after it was closed): a running
    /// take ends with what it has, and the recorder is detached.
    void audioLost();

    /// The status line as shown ("Recording 0:03.2  1.2 MB  no gaps", "Saved take-....wav ...").
    [[nodiscard]] juce::String statusText() const { return status.getText(); }
    /// The last takes, newest first (at most kMaxTakesListed).
    [[nodiscard]] const juce::Array<juce::File>& lastTakes() const noexcept { return takes; }
    juce::TextButton& recordButton() noexcept { return record; }

    void paint(juce::Graphics&) override;
    void resized() override;

private:
    struct Layout
    {
        double rate = 0.0;
        Source source = Source::inputsAndOutputs;
        double preRoll = 0.0;
        bool operator==(const Layout&) const = default;
    };
    void detach();
    /// With a pre-roll chosen, audio running and no take: the recorder prepared for the current
    /// layout and attached (again after a take: its pre-roll was spent). Without: a recorder kept
    /// for a pre-roll is detached. Cheap when there is nothing to do (every tick calls it).
    void arm();
    [[nodiscard]] Layout layoutNow(juce::AudioIODevice& device) const;
    /// Which channels the take's loudness measures: "inputs" (1-2) or "outputs" (1-2).
    [[nodiscard]] juce::String loudnessGroupName() const;
    bool prepareFor(const Layout& layout, juce::String& error);
    void finishTake(bool audioStopped);
    void showTakes();
    [[nodiscard]] static int channelsOf(Source s) noexcept { return s == Source::inputsAndOutputs ? 4 : 2; }

    AudioEngine& engine;
    std::unique_ptr<Recorder> recorder = std::make_unique<Recorder>();
    bool attached = false;
    bool prepared = false;
    bool spent = false; ///< a take ended since the recorder was prepared: its pre-roll is gone
    std::int64_t lastPreRoll = 0;
    Layout preparedLayout;
    bool recording = false;
    juce::File currentFile;
    double lastSizeCheck = 0.0;
    juce::int64 lastSize = 0;
    juce::File takesFolder;
    juce::Array<juce::File> takes;

    juce::TextButton record{"Record"};
    juce::ComboBox sourceBox, preRollBox;
    juce::Label status, takesList;
};
} // namespace wb::app
