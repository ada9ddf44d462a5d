#pragma once
// wavebench render, the rendering: a checked request streamed block by block (wb::renderSignalTo,
// through the effect chain when there is one) into a temporary WAV beside the target, measured
// as it goes. Putting the file in place is the sidecar's step (Cli/RenderSidecar), so that a
// failure there leaves nothing behind.
#include "Cli/RenderRequest.h"
#include "Cli/Subcommands.h"
#include "Core/Analysis/Levels.h"
#include "Core/Analysis/Loudness.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::cli
{
/// A complete render in a temporary file, not yet in place.
struct RenderedWav
{
    std::string temporaryPath;
    std::vector<LevelStats> perChannel; ///< sample values before conversion to the file format
    LevelStats summary;                 ///< the loudest carrying channel
    RenderSummary render;               ///< frames, the random signals' level correction
    std::int64_t clippedSamples = 0;    ///< beyond full scale in an integer format
    /// EBU R128 figures of the same samples; nullopt for a rate that is not a whole number of Hz
    /// (libebur128 takes an integer rate).
    std::optional<LoudnessSummary> loudness;
};

/// Renders `request` through `chain` (may be empty) into a temporary file beside its --out, with
/// progress on ctx.err when stderr is a terminal and the render is long.
/// Returns: the render, or nullopt when writing failed (said on ctx.err; the temporary removed).
/// Throws: UsageError when no temporary file can be made beside --out.
[[nodiscard]] std::optional<RenderedWav> renderToTemporaryWav(const RenderRequest& request, const BlockProcessor& chain,
                                                             Context& ctx);
} // namespace wb::cli
