#pragma once
// `wavebench plugins`: the installed LV2 and VST3 plugins, scanned in a child process and cached.
//
// Parent (scanInstalledPlugins)                 child (`wavebench __plugin-scan --from N`)
//   start the child                               find every plugin (LV2 manifests, .vst3 bundles)
//                                          <-     "list [{format,id},...]"
//   for each plugin: wait for its lines    <-     "begin I", load it at 48 kHz / 512, run one
//     (timeout per plugin)                 <-     block of silence, "plugin {...}"
//   child died or timed out on plugin I: I is listed as failed (with the signal or the timeout
//   and the child's last stderr lines) and a new child resumes with --from I+1.
// The result is cached in a JSON file keyed by a fingerprint of the folders searched (each
// folder's and each entry's modification time, and the wavebench version): it is used while the
// fingerprint holds, and a plugin installed or removed changes it.
#include <nlohmann/json.hpp>

#include <string>

namespace wb::cli
{
struct ScanOptions
{
    int timeoutMsPerPlugin = 10000;
    bool useCache = true;
};

struct ScanResult
{
    nlohmann::json plugins = nlohmann::json::array(); ///< one object per plugin (see README)
    bool fromCache = false;
    double seconds = 0.0;   ///< time to scan, or to read the cache
    std::string cachePath;  ///< empty when no cache could be written
};

/// Returns: the installed plugins, from the cache when it is current, else scanned (and cached).
/// Throws std::runtime_error when no child could be started.
ScanResult scanInstalledPlugins(const ScanOptions& options);

/// The cache file: $WAVEBENCH_PLUGIN_CACHE, else $XDG_CACHE_HOME/wavebench/plugins.json, else
/// ~/.cache/wavebench/plugins.json.
std::string pluginCachePath();

/// A text that changes when a plugin folder's content changes: folders, entries and their
/// modification times (two levels deep), and the wavebench version.
std::string pluginFoldersFingerprint();
} // namespace wb::cli
