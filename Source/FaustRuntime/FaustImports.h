#pragma once
// The files a Faust program is made of: the .dsp itself and every file it imports, directly or
// through another import, resolved as the `faust` compiler resolves them (the importing file's own
// folder first, then the Faust library folder). Hot reload watches this set, so an edit of a
// local .lib reloads the program that uses it. JUCE-free; reads files: message thread.
//
// libfaust 2.54.9 cannot give this list for our modules: they are compiled from the expanded
// text, which has no imports left, and its metadata names no library path. So the imports are
// read from the source: `import("x.lib")`, `library("x.lib")` and `component("x.dsp")` with a
// literal file name (comments skipped). A name that resolves nowhere is left out (the compile
// reports it); a cycle is followed once.
#include <string>
#include <vector>

namespace wb::faustrt
{
/// `dspPath` (made absolute) followed by every file it imports, each once, in the order found.
/// Only files that exist are listed, except `dspPath` itself, which is always first.
[[nodiscard]] std::vector<std::string> dspDependencies(const std::string& dspPath);
} // namespace wb::faustrt
