#pragma once
// The effect-chain panel: add effects from the compiled catalogue, remove, move up/down or drag a
// row to a new place (an insertion marker shows where it lands), bypass,
// and the selected effect's controls generated from its Faust description (ranges, units, log
// scales), with meters for its bargraphs (e.g. gain reduction) fed by BargraphValue telemetry.
// Every change goes through the engine's chain model (EffectChainNode's *FromUi API): chain
// edits, and parameters and bypass (setParameterFromUi / setBypassFromUi record the value and send
// the command). The panel keeps no values of its own: its sliders and bypass buttons read the
// model; only the meters show what comes back as telemetry. It never reads a Faust zone.
//
// Typed values (ValueEntrySlider): units and SI prefixes where the control's unit is Hz, dB or s;
// a refusal keeps the old value and its reason shows in the title row, right of the title
// (kMessageId; in full as its tooltip). A typed rise of a dB control by more than kSafeRiseDb (the generator level's
// threshold) is not applied at once: the value ramps there at kTypedRampDbPerSecond, one command
// per timer tick (the node's own 20 ms smoothing would pass a 30 dB jump in four blocks).
#include "Core/Realtime/Telemetry.h"
#include "Core/Session/ChainState.h"
#include "Engine/AudioEngine.h"
#include "Engine/DspHotReload.h"

#include <juce_gui_basics/juce_gui_basics.h>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace wb::app
{
class ChainPanel final : public juce::Component, private juce::Timer
{
public:
    static constexpr double kSafeRiseDb = 6.0;            ///< as GeneratorPanel::kSafeRiseDb
    static constexpr double kTypedRampDbPerSecond = 20.0; ///< as GeneratorPanel::kTypedRampDbPerSecond
    explicit ChainPanel(AudioEngine& engine);
    ~ChainPanel() override;

    void paint(juce::Graphics&) override;
    void resized() override;

    /// Message thread, from the UI's telemetry drain: bargraph values for the meters.
    void handleTelemetry(const Telemetry& t);

    /// The chain (effects, order, bypass, every parameter) as the session file's <Chain>, and back
    /// (also from an older <ChainPanel>; Engine/SessionFile.h). restore leaves the chain as it was
    /// and returns false with a reason when the XML is not a valid chain.
    [[nodiscard]] std::unique_ptr<juce::XmlElement> saveState() const;
    bool restoreState(const juce::XmlElement& xml, juce::String& error);
    /// Replaces the chain by `state` (read and checked by the session reader) and shows it.
    bool restoreState(const session::ChainState& state, juce::String& error);

    // For tests and keyboard use.
    NodeId addEffect(const std::string& id);
    /// "Load .dsp...": compiles the file off the message thread and appends it when compiled (or
    /// shows the compile error). From then on the file and its imports are watched: an edit
    /// reloads the effect live (Engine/DspHotReload.h).
    void loadDspFile(const juce::File& file);
    /// The status line of a runtime effect ("reloaded 14:03:22", the compile error, ...); empty for
    /// a built-in effect.
    [[nodiscard]] juce::String dspStatus(NodeId fx) const;
    /// Compiles under way (loads and reloads).
    [[nodiscard]] int pendingCompiles() const noexcept { return hotReload.pendingFromUi(); }
    [[nodiscard]] NodeId selectedEffect() const noexcept { return selected; }
    void clearForTest(); ///< removes every effect (as restoring an empty chain would)
    void setParameter(NodeId fx, int index, float value);
    [[nodiscard]] int numEffects() const { return static_cast<int>(engine.chain().slotsFromUi().size()); }
    /// Component IDs (UI tests find the controls with findChildWithID): the catalogue box, the
    /// Add button, and each slider of the selected effect's editor ("param." + control path).
    static constexpr const char* kAddBoxId = "chain.addBox";
    static constexpr const char* kAddButtonId = "chain.add";
    static constexpr const char* kLoadDspButtonId = "chain.loadDsp";
    static constexpr const char* kParamIdPrefix = "param.";
    static constexpr const char* kBypassIdPrefix = "bypass."; ///< + the effect's NodeId; on = not bypassed
    static constexpr const char* kRowIdPrefix = "row.";       ///< + the effect's NodeId (a row of the list)
    static constexpr const char* kMeterIdPrefix = "meter.";   ///< + control path (a bargraph's meter)
    static constexpr const char* kScrollerId = "chain.scroller"; ///< the viewport over rows and editor
    static constexpr const char* kDescriptionId = "chain.description";
    static constexpr const char* kMessageId = "chain.message"; ///< a typed value's refusal or ramp
    [[nodiscard]] juce::String message() const { return messageLabel.getText(); }
    [[nodiscard]] bool isRamping() const noexcept { return isTimerRunning(); }
    /// The catalogue entry's display name ("Parametric EQ"), from its Faust `declare name`; the
    /// id when the effect declares none. Message thread (creates an instance once per id).
    static juce::String displayNameOf(const std::string& id);
    /// Rows of bypassed effects are drawn at this opacity.
    static constexpr float kBypassedAlpha = 0.45f;

private:
    class Row;
    class RowsHolder;
    static constexpr int kRowPitch = 30; ///< a row (28 px) and its gap
    void rebuildRows();
    /// Moves effect `id` to index `position` (EffectChainNode::moveEffectFromUi: the live chain
    /// crossfades) and rebuilds the rows, after the current event (rows may be deleted then).
    void moveEffect(NodeId id, int position);
    /// The insertion gap under `p` (rowsHolder coordinates), or -1 when `p` is outside the list.
    [[nodiscard]] int dropGapAt(juce::Point<float> p) const;
    void dragRow(Row& row, juce::Point<float> p); ///< a row's header dragged: marker, row dimmed
    void dropRow(Row& row, juce::Point<float> p); ///< released: the move, if it changes the order
    void select(NodeId id);
    void rebuildEditor();
    void layoutContent();
    void showMessage(const juce::String& text, bool isError);
    void startRamp(NodeId fx, int index, double fromDb, double toDb);
    void stopRamp();
    void timerCallback() override; // the typed-gain ramp
    void pollHotReload();          // every 100 ms: file edits, finished compiles ///< sizes `content` to what it holds and places rows, description, editor

    AudioEngine& engine;
    NodeId selected = 0;

    struct Ramp
    {
        NodeId fx = 0;
        int index = -1;
        double fromDb = 0.0, toDb = 0.0, startMs = 0.0;
    } ramp;

    juce::Label title{{}, "Effect chain"};
    juce::Label messageLabel;
    juce::ComboBox addBox;
    juce::TextButton addButton{"Add"};
    juce::TextButton loadDspButton{"Load .dsp..."};
    std::unique_ptr<juce::FileChooser> chooser;
    std::string editorStatus; ///< the runtime status the editor's heading shows
    DspHotReload hotReload;
    /// Calls pollHotReload (the panel's own Timer base runs the typed-gain ramp).
    struct ReloadTimer final : juce::Timer
    {
        std::function<void()> callback;
        void timerCallback() override { callback(); }
    } reloadTimer;
    juce::Viewport scroller;  ///< scrolls `content` (rows, description, editor) vertically
    juce::Component content;
    std::unique_ptr<RowsHolder> rowsHolder;
    std::vector<std::unique_ptr<Row>> rows;
    std::vector<std::string> addBoxIds; ///< catalogue id of each addBox item (item id = index + 1)
    juce::Label editorTitle;
    juce::Component editor;
    std::vector<std::unique_ptr<juce::Component>> editorParts;
    std::map<int, juce::Component*> meters; // control index -> meter, for the selected effect
};
} // namespace wb::app
