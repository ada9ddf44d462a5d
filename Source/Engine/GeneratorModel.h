#pragma once
// The generator's settings, owned once (issue 11): a GeneratorState (Core/Session) on the message
// thread. Each change is checked against the GeneratorParams ranges (clamped), recorded here, then
// sent to the audio thread as the GeneratorNode commands (Command::setParameter / start / stop on
// kGeneratorNodeId) through the engine's command ring; then the listeners (the generator panels)
// are told, and redraw from the model. The panel keeps no value of its own.
//
// AudioEngine owns one (AudioEngine::generatorModel()), beside the chain's model in its
// EffectChainNode. Creating it sends nothing (an engine used by the CLI drives its generator
// directly); the panel sends everything once when it is built (sendAll).
//
// Threads: message thread only.
#include "Core/Realtime/CommandQueue.h"
#include "Core/Realtime/Telemetry.h"
#include "Core/Session/GeneratorState.h"
#include "Engine/GeneratorNode.h"

#include <string>
#include <vector>

namespace wb
{
class GeneratorModel
{
public:
    explicit GeneratorModel(CommandQueue& commands) noexcept : queue(commands) {}

    [[nodiscard]] const GeneratorState& state() const noexcept { return current; }

    // Each setter clamps to the setting's range (GeneratorParams), records, sends, tells the
    // listeners. The frequency and Repeat are the current kind's (a tone's frequency or a sweep's
    // start; the sweep's or the impulse train's Repeat).
    void setKind(SignalKind kind);
    void setFrequency(double hz);
    void setFreqTo(double hz);
    void setLevelDb(double db);
    void setMode(LevelMode mode);
    /// Also shortens the fade to half the new duration when it was longer.
    void setSweepSeconds(double seconds);
    /// At most half the sweep's duration.
    void setFadeSeconds(double seconds);
    void setImpulsePeriodSeconds(double seconds);
    void setRepeat(bool repeat);
    /// Rounded to a whole number.
    void setSeed(double seed);
    /// Bits 0..7 of each are kept.
    void setRouting(int routingMask, int invertMask);

    /// Start or stop (a start is counted, see handleGeneratorFinished).
    void setRunning(bool run);
    /// The device is gone: stop if running (sends stop), without counting anything.
    void stopForDevice();
    /// The generator's one-shot signal ended and it stopped itself: running becomes false unless
    /// the report is another node's or older than the last start sent. True when it changed.
    bool handleGeneratorFinished(const GeneratorFinished& finished);

    enum class RestoreRunning
    {
        asSaved, ///< a preset loaded by the user: running if it was saved running
        stopped, ///< launch: the session comes back stopped (see MainComponent)
    };
    /// Replaces every setting (a loaded session) and sends them all. False with the reason (from
    /// generatorStateProblem), nothing changed, when a value is out of its range.
    bool restore(const GeneratorState& state, std::string& error, RestoreRunning how = RestoreRunning::asSaved);
    /// Whether the last restored state was saved running (whatever `how` did with it).
    [[nodiscard]] bool restoredWasRunning() const noexcept { return lastRestoredRunning; }

    /// Sends every setting and start/stop as `running` says (the order a kernel needs: see .cpp).
    void sendAll();

    struct Listener
    {
        virtual ~Listener() = default;
        virtual void generatorModelChanged() = 0;
    };
    void addListener(Listener* l) { listeners.push_back(l); }
    void removeListener(Listener* l) { std::erase(listeners, l); }

private:
    void send(GeneratorParam p, double value);
    void sendKindSettings();
    void sendRunning();
    void changed();

    CommandQueue& queue;
    GeneratorState current;
    bool lastRestoredRunning = false;
    std::uint32_t startsSent = 0; ///< start commands pushed (the node counts those it applied)
    std::vector<Listener*> listeners;
};
} // namespace wb
