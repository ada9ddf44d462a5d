#pragma once
// DeviceWatch: notices, on the message thread, that the engine's device stopped calling back (a
// JACK server killed under it: JUCE's JACK device may or may not report an error, but its
// callbacks stop). Poll it while pumping the message loop; it says the device is lost when the
// device reported an error, or when the engine's callback count has not moved for
// max(1 s, 8 periods) of wall-clock time.
#include "Core/Monitor/ProcessStats.h"
#include "Engine/AudioEngine.h"

#include <algorithm>
#include <cstdint>

namespace wb
{
class DeviceWatch
{
public:
    explicit DeviceWatch(AudioEngine& e) : engine(e) { restart(); }

    /// Message thread: start watching afresh (after a device was opened).
    void restart()
    {
        isLost = false;
        lastCount = engine.callbacks();
        lastMove = monitor::wallSeconds();
        stallSeconds = 1.0;
        if (auto* device = engine.deviceManager().getCurrentAudioDevice())
            if (const double rate = device->getCurrentSampleRate(); rate > 0.0)
                stallSeconds = std::max(1.0, 8.0 * device->getCurrentBufferSizeSamples() / rate);
    }

    /// Message thread: true once the device is lost (stays true).
    bool lost()
    {
        if (isLost)
            return true;
        const double now = monitor::wallSeconds();
        if (const auto count = engine.callbacks(); count != lastCount)
        {
            lastCount = count;
            lastMove = now;
        }
        isLost = engine.hasDeviceError() || now - lastMove > stallSeconds;
        return isLost;
    }

    /// Message thread, at the end of a measurement: waits (running the message loop) for one more
    /// callback. True when it came; false when the device is lost (a measurement cut short by a
    /// server killed near its end would otherwise pass as whole).
    bool confirmAlive()
    {
        const auto count = engine.callbacks();
        while (!lost())
        {
            if (engine.callbacks() != count)
                return true;
            juce::MessageManager::getInstance()->runDispatchLoopUntil(2);
        }
        return false;
    }

    [[nodiscard]] double stallLimitSeconds() const noexcept { return stallSeconds; }

private:
    AudioEngine& engine;
    std::uint64_t lastCount = 0;
    double lastMove = 0.0;
    double stallSeconds = 1.0;
    bool isLost = false;
};
} // namespace wb
