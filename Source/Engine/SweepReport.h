#pragma once
// What `wavebench measure` and the app's Response window share of a swept-sine measurement:
// the result's JSON (the layout README documents: delay_frames, snr_db, response, distortion,
// ...) and the offline run of an effect chain (message thread or a worker; never the audio
// thread: it builds the chain and allocates).
#include "Core/Analysis/SweptSine.h"
#include "Core/Session/ChainState.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace wb
{
/// How the distortion figures are referred (the JSON's settings.distortion_convention).
inline constexpr const char* kDistortionConvention =
    "harmonic k at excitation frequency f: level of the output at k*f over the fundamental's output at f "
    "(REW's default); thd_db = 10*log10(sum of the listed harmonics' powers / fundamental's power)";

/// The settings of a sweep as the JSON's "settings" holds them (the caller adds mode, chain, ...).
[[nodiscard]] nlohmann::json sweepSettingsJson(const analysis::SynchronizedSweep& sweep);

/// delay_frames, snr_db, fft_size, ir_first_lag, window_power_frames, response (hz, db, deg,
/// gd_ms, and noise_db when withNoise) and distortion (hz, thd_db, thd_floor_db, harmonics_db,
/// floor_db; NaN as null), added to `j`.
void addSweptSineResultJson(nlohmann::json& j, const analysis::SweptSineResult& r, bool withNoise);

/// `x` through a fresh chain built from `chain` (its bypass states and values as given, every
/// effect in place from the first sample) in blocks of `block` frames, mono: x feeds both inputs
/// of the chain, output 1 is returned. An empty chain returns x. `progress` (may be empty) gets
/// the fraction done after each block and may return false to stop (then the result is empty and
/// `error` says "stopped"). Returns an empty vector with `error` set when the chain cannot be
/// built.
[[nodiscard]] std::vector<float> runChainOffline(const session::ChainState& chain, const std::vector<float>& x,
                                                 double rate, int block, std::string& error,
                                                 const std::function<bool(double)>& progress = {});
} // namespace wb
