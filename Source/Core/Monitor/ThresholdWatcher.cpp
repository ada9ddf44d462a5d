#include "Core/Monitor/ThresholdWatcher.h"

#include <utility>

namespace wb::monitor
{
std::size_t ThresholdWatcher::add(std::string name, Source source, double threshold, Callback callback,
                                  Direction direction, double hysteresis)
{
    watches.push_back({std::move(name), std::move(source), threshold, std::move(callback), direction,
                       hysteresis < 0.0 ? 0.0 : hysteresis});
    return watches.size() - 1;
}

void ThresholdWatcher::poll()
{
    for (auto& w : watches)
    {
        const double v = w.source();
        const bool above = w.direction == Direction::above;
        const bool beyond = above ? v > w.threshold : v < w.threshold;
        const bool recovered = above ? v <= w.threshold - w.hysteresis : v >= w.threshold + w.hysteresis;
        if (!w.alarmed && beyond)
        {
            w.alarmed = true;
            if (w.callback)
                w.callback({w.name, v, w.threshold, true});
        }
        else if (w.alarmed && recovered)
        {
            w.alarmed = false;
            if (w.callback)
                w.callback({w.name, v, w.threshold, false});
        }
    }
}
} // namespace wb::monitor
