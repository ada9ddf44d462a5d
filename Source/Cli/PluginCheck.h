#pragma once
// `wavebench check PLUGIN`: the checks, run in a child process (`__plugin-check`) that the
// parent (CheckCommand.cpp) watches step by step with a timeout.
//
// Report lines the child writes (ChildProcess's report pipe):
//   "loaded {plugin}"         the plugin loaded (name, vendor, channels, parameters, latency)
//   "load-failed {error}"     it did not (the child then exits with kUntrustworthy, 3)
//   "step {name}"             a step starts (the parent's timeout runs from here)
//   "result {step}"           its verdict: name, passed, detail, rate, block, realtime counts
//   "done"
// The real-time counts come from libwavebench_rtguard.so when the parent preloaded it (the
// tests' RealtimeGuard, found with dlsym); without it they say "measured": false.
#include <cstdint>
#include <string>

namespace wb::cli
{
struct CheckPlan
{
    int strictness = 5;      ///< 1..10, like pluginval's levels: more rates, block sizes, fuzz
    std::uint64_t seed = 1;  ///< the random block sizes, parameter values and test noise
};

/// In the child: loads `pluginRef` and runs every step of `plan`, reporting each.
/// Returns: the child's exit code (0 all passed, 1 a step failed, 3 not loaded).
int runPluginCheckChild(const std::string& pluginRef, const CheckPlan& plan);
} // namespace wb::cli
