#pragma once
// The commit the programs were built from. Defined by a source generated at every build
// (cmake/GitCommit.cmake, library wavebench_build_commit), kept out of wavebench_core so that a new
// commit relinks only the programs that print it (wavebench, Wavebench and their tests).
#include "Core/Util/BuildInfo.h"

#include <string>

namespace wb
{
/// `git describe --always --dirty --abbrev=12` of the source tree at build time ("dfe6c04a1b2c",
/// "v0.2-3-gdfe6c04a1b2c-dirty"), or "unknown" when it was not built from a git work tree.
const char* buildCommit();

/// "Wavebench <version> (git <commit>)": `wavebench --version` and the app's About box.
inline std::string fullVersionString()
{
    return versionString() + " (git " + buildCommit() + ")";
}
} // namespace wb
