#pragma once
// wavebench render, the sidecar: FILE.wav.json says what was made (the request, the chain as it
// started, --set and --automation, the measured levels), and the render's files are put in place
// together: the sidecar first, then the WAV; when either fails, neither is left behind.
#include "Cli/RenderRequest.h"
#include "Cli/RenderToWav.h"

#include <nlohmann/json.hpp>

#include <string>

namespace wb::cli
{
/// What went into the chain, as OfflineChain records it.
struct ChainRecord
{
    nlohmann::json chain;      ///< chainSettingsJson: every stage's values after --set
    nlohmann::json sets;       ///< applySets' record
    nlohmann::json automation; ///< readAutomation's record
};

/// The signal's settings as the sidecar's "parameters" (rate, channels, frequencies, fades,
/// routed and inverted channels); `record --play` writes the same object.
[[nodiscard]] nlohmann::json signalParametersJson(const RenderRequest& request);

/// The sidecar's JSON (documented in README, "Rendering test signals").
[[nodiscard]] nlohmann::json renderSidecarJson(const RenderRequest& request, const RenderedWav& wav,
                                               const ChainRecord& chain);

/// Writes `sidecar` to --out + ".json" (none when --out is a FIFO or a device: it is written
/// through, and there is no folder of the user's to put FILE.json in), then puts the WAV's
/// temporary in place at --out.
/// Returns: false with the reason in `error`, every temporary removed and no new sidecar left.
[[nodiscard]] bool commitRender(const RenderRequest& request, const RenderedWav& wav, const nlohmann::json& sidecar,
                                std::string& error);
} // namespace wb::cli
