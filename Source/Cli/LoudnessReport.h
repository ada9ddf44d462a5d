#pragma once
// Loudness figures (Core/Analysis/Loudness) as the CLI reports them: the `loudness` object of a
// render's sidecar and of `wavebench loudness --json`, the text lines, and the --target-lufs check
// shared by both commands. A figure that is no measurement (silence, too short, below the gate,
// no BS.1770 weights for the layout) is JSON null and "none" in text, never a number.
#include "Core/Analysis/Loudness.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wb::cli
{
/// A figure as JSON: the number, or null when there is no measurement.
[[nodiscard]] nlohmann::json orNull(const std::optional<double>& v);

/// The `loudness` object (documented in README, "Loudness").
[[nodiscard]] nlohmann::json loudnessJson(const LoudnessSummary& s, int numChannels);

/// "integrated -23.0 LUFS, range 0.0 LU, momentary max ..., true peak -20.0 dBTP" ("none" where
/// there is no measurement), one line without a newline.
[[nodiscard]] std::string loudnessLine(const LoudnessSummary& s);

/// --target-lufs X --tolerance-lu T.
struct LoudnessTarget
{
    std::optional<double> targetLufs;
    double toleranceLu = 0.5; ///< EBU R128's permitted deviation for a programme
};

/// The check's verdict: `passed`, and a sentence saying what was measured against what.
struct LoudnessCheck
{
    bool passed = false;
    std::string message;
    nlohmann::json json; ///< {"target_lufs", "tolerance_lu", "measured_lufs" (or null), "passed"}
};

/// Checks the integrated loudness against the target. No integrated loudness fails the check
/// (nothing to vouch for). Call only when target.targetLufs is set.
[[nodiscard]] LoudnessCheck checkLoudness(const LoudnessSummary& s, const LoudnessTarget& target);

/// Adds --target-lufs and --tolerance-lu to a command (render, loudness), bound to `target`.
void addLoudnessTargetOptions(CLI::App& sub, LoudnessTarget& target);

/// Refuses a tolerance that is negative (UsageError, exit 2).
void checkLoudnessTarget(const LoudnessTarget& target);
} // namespace wb::cli
