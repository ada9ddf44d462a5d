#include "Cli/RenderToWav.h"

#include "Cli/Interrupt.h"

#include "Core/Audio/WavFile.h"

#include <fmt/format.h>

#include <cmath>

#include <unistd.h> // isatty

namespace wb::cli
{
namespace
{
/// Renders longer than this (in seconds of audio) show progress when stderr is a terminal.
constexpr double kProgressMinSeconds = 5.0;
} // namespace

std::optional<RenderedWav> renderToTemporaryWav(const RenderRequest& request, const BlockProcessor& chain, Context& ctx)
{
    const auto& o = request.options;
    const auto& s = request.signal;
    const auto& c = request.config;
    const auto kind = request.kind;
    // Render (progress on a terminal for long renders).
    const bool showProgress = isatty(STDERR_FILENO) != 0 && o.duration >= kProgressMinSeconds;
    int lastPercent = -1;
    RenderProgress progress;
    if (showProgress)
        progress = [&](double fraction)
        {
            const int percent = static_cast<int>(fraction * 100.0);
            if (percent != lastPercent)
            {
                lastPercent = percent;
                ctx.err << fmt::format("\rrendering {}: {:3d} %", signalKindName(kind), percent) << std::flush;
            }
        };
    // Stream the render into a temporary WAV beside the target, measuring as it goes.
    std::string error;
    const auto wavTemp = makeTemporaryBeside(o.out, error);
    if (!wavTemp)
        throw UsageError(fmt::format("cannot write {}: {}", o.out, error));
    WavWriter writer;
    bool writeOk = writer.open(*wavTemp, o.channels, o.rate, request.format, error);
    std::vector<LevelAccumulator> meters(static_cast<std::size_t>(o.channels));
    std::optional<LoudnessMeter> loudness;
    if (o.rate == std::round(o.rate))
        loudness.emplace(o.channels, o.rate, true);
    // Ctrl-C or SIGTERM: the render stops at the next block, the temporary file goes, no file is
    // left (exit 128 + the signal, from the CLI's entry point).
    const InterruptScope interrupts;
    struct Stop
    {
    };
    std::optional<RenderSummary> rendered;
    try
    {
        rendered = renderSignalTo(
        s, c,
        [&](const float* const* channels, int count, int n)
        {
            if (InterruptScope::received() != 0)
                throw Stop{};
            for (int ch = 0; ch < count; ++ch)
                meters[static_cast<std::size_t>(ch)].add(channels[ch], n);
            if (loudness)
                loudness->add(channels, n);
            writeOk = writeOk && writer.write(channels, n, error);
        },
        progress, chain);
    }
    catch (const Stop&)
    {
        std::string ignored;
        (void) writer.close(ignored);
        removeQuietly(*wavTemp);
        if (showProgress)
            ctx.err << "\n";
        throw Interrupted{InterruptScope::received(), "no file written"};
    }
    const auto summaryOfRender = *rendered;
    writeOk = writeOk && writer.close(error);
    if (showProgress)
        ctx.err << "\n";
    if (!writeOk)
    {
        removeQuietly(*wavTemp);
        ctx.err << "wavebench: error: " << error << "\n";
        return std::nullopt;
    }

    // What was made: every channel, and the loudest carrying channel as the summary.
    RenderedWav made{*wavTemp, {}, {}, summaryOfRender, writer.clippedSamples(), std::nullopt};
    if (loudness)
        made.loudness = loudness->summary();
    for (const auto& m : meters)
    {
        const auto l = m.stats();
        made.perChannel.push_back(l);
        if (l.rms > made.summary.rms || (l.rms == made.summary.rms && l.peak > made.summary.peak))
            made.summary = l;
    }
    return made;
}
} // namespace wb::cli
