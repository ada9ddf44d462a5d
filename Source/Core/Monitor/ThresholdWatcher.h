#pragma once
// Values against thresholds; a callback when one is crossed. poll() is called from the message
// thread's timer, so the callbacks run on the message thread. Allocates in add(), not in poll().
#include <functional>
#include <string>
#include <vector>

namespace wb::monitor
{
class ThresholdWatcher
{
public:
    enum class Direction { above, below };
    struct Event
    {
        std::string name;
        double value = 0.0;
        double threshold = 0.0;
        bool crossedIn = true; ///< true: entered the alarm state; false: left it (recovered)
    };
    using Source = std::function<double()>;
    using Callback = std::function<void(const Event&)>;

    /// Watches `source`. It alarms when the value goes beyond `threshold` (above or below), and
    /// recovers when it comes back by more than `hysteresis`. Returns the watch's index.
    std::size_t add(std::string name, Source source, double threshold, Callback callback,
                    Direction direction = Direction::above, double hysteresis = 0.0);

    /// Message thread. Reads every source once; fires a callback for each state change.
    void poll();

    [[nodiscard]] bool inAlarm(std::size_t index) const { return watches.at(index).alarmed; }
    [[nodiscard]] std::size_t size() const noexcept { return watches.size(); }

private:
    struct Watch
    {
        std::string name;
        Source source;
        double threshold;
        Callback callback;
        Direction direction;
        double hysteresis;
        bool alarmed = false;
    };
    std::vector<Watch> watches;
};
} // namespace wb::monitor
