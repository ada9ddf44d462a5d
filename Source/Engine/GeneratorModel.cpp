#include "Engine/GeneratorModel.h"

#include "Core/Session/GeneratorParams.h"

#include <algorithm>
#include <cmath>

namespace wb
{
void GeneratorModel::send(GeneratorParam p, double value)
{
    (void) queue.pushFromUi(Command::setParameter(kGeneratorNodeId, static_cast<std::uint32_t>(p), value));
}

void GeneratorModel::sendKindSettings()
{
    // Timing first, the kind last: a kernel takes its timing when it starts (SignalGenerator.h),
    // so a sweep chosen after its duration arrived starts with that duration.
    const auto& s = current;
    const bool sweep = isSweep(s.kind);
    const bool impulse = s.kind == SignalKind::impulse;
    send(GeneratorParam::duration, sweep ? s.sweepSeconds : 0.0);
    send(GeneratorParam::fadeIn, sweep ? s.fadeSeconds : 0.0);
    send(GeneratorParam::fadeOut, sweep ? s.fadeSeconds : 0.0);
    send(GeneratorParam::repeat, sweep && s.sweepRepeat ? 1.0 : 0.0);
    send(GeneratorParam::periodSeconds, impulse && s.impulseRepeat ? s.impulsePeriodSeconds : 0.0);
    send(GeneratorParam::freq, s.freq()); // a sweep's start is timing too: before the kind
    send(GeneratorParam::seed, static_cast<double>(s.seed));
    send(GeneratorParam::kind, static_cast<double>(s.kind));
}

void GeneratorModel::sendRunning()
{
    if (queue.pushFromUi(current.running ? Command::start(kGeneratorNodeId) : Command::stop(kGeneratorNodeId))
        && current.running)
        ++startsSent;
}

void GeneratorModel::sendAll()
{
    const auto& s = current;
    send(GeneratorParam::freq, s.freq());
    send(GeneratorParam::freqTo, s.freqTo);
    send(GeneratorParam::levelDb, s.levelDb);
    send(GeneratorParam::levelMode, s.mode == LevelMode::rms ? 1.0 : 0.0);
    sendKindSettings();
    send(GeneratorParam::routingMask, s.routingMask);
    send(GeneratorParam::invertMask, s.invertMask);
    sendRunning();
}

void GeneratorModel::changed()
{
    const auto copy = listeners; // a listener may go away while told
    for (auto* l : copy)
        l->generatorModelChanged();
}

void GeneratorModel::setKind(SignalKind kind)
{
    if (static_cast<int>(kind) >= kNumSignalKinds)
        return;
    current.kind = kind;
    sendKindSettings();
    changed();
}

void GeneratorModel::setFrequency(double hz)
{
    const double v = generatorParamSpecs().freq.clamp(hz);
    (isSweep(current.kind) ? current.sweepFromHz : current.toneHz) = v;
    send(GeneratorParam::freq, v);
    changed();
}

void GeneratorModel::setFreqTo(double hz)
{
    current.freqTo = generatorParamSpecs().freqTo.clamp(hz);
    send(GeneratorParam::freqTo, current.freqTo);
    changed();
}

void GeneratorModel::setLevelDb(double db)
{
    current.levelDb = generatorParamSpecs().level.clamp(db);
    send(GeneratorParam::levelDb, current.levelDb);
    changed();
}

void GeneratorModel::setMode(LevelMode mode)
{
    current.mode = mode;
    send(GeneratorParam::levelMode, mode == LevelMode::rms ? 1.0 : 0.0);
    changed();
}

void GeneratorModel::setSweepSeconds(double seconds)
{
    current.sweepSeconds = generatorParamSpecs().sweepSeconds.clamp(seconds);
    current.fadeSeconds = std::min(current.fadeSeconds, 0.5 * current.sweepSeconds);
    sendKindSettings();
    changed();
}

void GeneratorModel::setFadeSeconds(double seconds)
{
    current.fadeSeconds = std::min(generatorParamSpecs().fadeSeconds.clamp(seconds), 0.5 * current.sweepSeconds);
    sendKindSettings();
    changed();
}

void GeneratorModel::setImpulsePeriodSeconds(double seconds)
{
    current.impulsePeriodSeconds = generatorParamSpecs().impulsePeriod.clamp(seconds);
    sendKindSettings();
    changed();
}

void GeneratorModel::setRepeat(bool repeat)
{
    (current.kind == SignalKind::impulse ? current.impulseRepeat : current.sweepRepeat) = repeat;
    sendKindSettings();
    changed();
}

void GeneratorModel::setSeed(double seed)
{
    current.seed = static_cast<std::uint64_t>(std::round(generatorParamSpecs().seed.clamp(seed)));
    send(GeneratorParam::seed, static_cast<double>(current.seed));
    changed();
}

void GeneratorModel::setRouting(int routingMask, int invertMask)
{
    current.routingMask = routingMask & 0xff;
    current.invertMask = invertMask & 0xff;
    send(GeneratorParam::routingMask, current.routingMask);
    send(GeneratorParam::invertMask, current.invertMask);
    changed();
}

void GeneratorModel::setRunning(bool run)
{
    current.running = run;
    sendRunning();
    changed();
}

void GeneratorModel::stopForDevice()
{
    if (!current.running)
        return;
    current.running = false;
    (void) queue.pushFromUi(Command::stop(kGeneratorNodeId));
    changed();
}

bool GeneratorModel::handleGeneratorFinished(const GeneratorFinished& finished)
{
    if (finished.node != kGeneratorNodeId || finished.startCount != startsSent || !current.running)
        return false; // another generator's, or Start was sent again since
    current.running = false;
    changed();
    return true;
}

bool GeneratorModel::restore(const GeneratorState& state, std::string& error, RestoreRunning how)
{
    if (auto problem = generatorStateProblem(state); !problem.empty())
    {
        error = "generator: " + problem;
        return false;
    }
    current = state;
    current.routingMask &= 0xff;
    current.invertMask &= 0xff;
    lastRestoredRunning = state.running;
    current.running = how == RestoreRunning::asSaved && state.running;
    sendAll();
    changed();
    return true;
}
} // namespace wb
