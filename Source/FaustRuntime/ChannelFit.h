#pragma once
// Fitting a runtime Faust module's channels to the effect chain's stereo pair. JUCE-free.
//
// The chain processes channels in pairs (Engine/EffectChainNode is stereo; Cli/OfflineChain feeds
// an odd last channel, or a mono render, to both inputs of a pair). A module goes in as:
//   2 in / 2 out  as it is (like every built-in effect);
//   1 in / 1 out  dual mono: one instance per channel of the pair, controls shared (the second
//                 instance follows the first's values before each compute);
//   1 in / 2 out  its input is the mean of the pair, (L + R) / 2 (a mono pair: the channel itself);
//   2 in / 1 out  its output goes to both channels of the pair;
//   anything else (0 inputs: a signal source, use `render --source`; 0 outputs; more than 2) is
//   refused with a message naming the module's inputs and outputs.
#include "Faust/FaustPrelude.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace wb::faustrt
{
/// nullopt when a module with these channels fits a stereo pair; else why not, for a user.
[[nodiscard]] std::optional<std::string> stereoFitProblem(int inputs, int outputs);

/// The instance fitted to a stereo pair (a 2-in/2-out ::dsp); `make` makes one more instance of
/// the same module (called once more for dual mono). nullptr when it does not fit (see
/// stereoFitProblem). Allocates: message thread.
[[nodiscard]] std::unique_ptr<::dsp> fitToStereo(std::unique_ptr<::dsp> first,
                                                 const std::function<std::unique_ptr<::dsp>()>& make);
} // namespace wb::faustrt
