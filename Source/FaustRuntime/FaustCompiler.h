#pragma once
// Faust .dsp programs compiled at run time by libfaust's LLVM backend (Debian's libfaust2 2.54.9).
// JUCE-free. Everything here allocates and may take the library's global lock: message thread or
// the cache's worker, never the audio thread.
//
// Facts of libfaust 2.54.9 this is built around (see docs/ARCHITECTURE.md, "Faust at run time"):
//   - the API is thread-safe only after startMTDSPFactories(), called once per process
//     (ensureFaustMultiThreaded); then one global lock guards every factory and instance creation
//     and deletion;
//   - its own factory table keys the *raw* source, so after an imported .lib changes a compile of
//     the same file hands back the stale factory. We expand first (expandDSPFromFile inlines every
//     import), key on the expanded text, and compile that text;
//   - each compile/delete cycle leaks about 0.4 MB: the cache never recompiles unchanged content.
#include "Faust/FaustPrelude.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class llvm_dsp_factory;

namespace wb::faustrt
{
/// A compile error as Faust reports it ("file : line : ERROR : message"), the file resolved to
/// a path when it can be (the program, or a .lib beside it or in the Faust library folder).
struct CompileError
{
    std::string file;    ///< may be empty (Faust names no file, e.g. a missing import)
    int line = 0;        ///< 0 when Faust gives no line
    std::string message; ///< Faust's own words (may span lines)

    /// "file:line: message" (or "file: message" / "message"), for a user.
    [[nodiscard]] std::string text() const;
};

/// Parses Faust's error text. `mainPath` is the program's path: Faust names it by a shortened
/// name ("tone.d" for tone.dsp), which is mapped back to the path.
[[nodiscard]] CompileError parseFaustError(const std::string& faustText, const std::string& mainPath);

/// What to compile: a file (imports resolve in its folder first, then the Faust library folder,
/// as the `faust` compiler resolves them) or a program's text (imports: `importDir`, then the
/// library folder).
struct FaustSource
{
    std::string path;      ///< absolute path of a .dsp file, or empty for text
    std::string code;      ///< the program's text when path is empty
    std::string name;      ///< the file's stem, or the name given with the text
    std::string importDir; ///< for text: where its local imports are (may be empty)

    [[nodiscard]] static FaustSource file(const std::string& path);
    [[nodiscard]] static FaustSource text(std::string name, std::string code, std::string importDir = {});
    /// The path, or "<name>" for text: for messages.
    [[nodiscard]] std::string displayName() const;
};

/// The options every runtime module is compiled with (the build-time classes use the same
/// `-ftz 2`, so a denormal-free JIT module and the built-in class agree).
[[nodiscard]] const std::vector<std::string>& compileOptions();
/// The Faust library folder (/usr/share/faust by default, set at configure time).
[[nodiscard]] std::string faustLibraryDir();
/// libfaust's version (getCLibFaustVersion) and this machine's target (getDSPMachineTarget).
[[nodiscard]] std::string libfaustVersion();
[[nodiscard]] std::string machineTarget();

/// The whole file as bytes ("" when it cannot be read).
[[nodiscard]] std::string readFileText(const std::string& path);

/// Calls startMTDSPFactories() once per process; every function here calls it first.
void ensureFaustMultiThreaded();

/// A source expanded (every import inlined) and its module key: SHA-1 of the expanded text, the
/// options, the libfaust version and the machine target. An edit of an imported .lib changes it.
struct ExpandedSource
{
    std::string text;
    std::string key;
};
/// Returns nullopt and fills `error` when the source cannot be read or does not parse (the
/// message with file and line as Faust gives them). Refuses an empty program.
[[nodiscard]] std::optional<ExpandedSource> expandSource(const FaustSource& source, CompileError& error);

/// A compiled Faust program: the factory every instance is made from. Shared: each instance
/// (RuntimeDsp) holds it, so the factory outlives every instance; its last owner deletes it
/// (deleteDSPFactory), on the message thread or the cache's worker, never on the audio thread.
struct FaustModule
{
    std::string key;
    FaustSource source;               ///< code cleared once compiled (the key stands for it)
    std::shared_ptr<llvm_dsp_factory> factory;
    int inputs = 0, outputs = 0;
    std::int64_t machineCodeBytes = 0; ///< size of its machine code (the disk cache's file)
    bool fromDisk = false;             ///< read from the disk cache, not compiled
    double compileMs = 0.0;            ///< the compile (or disk read) time
};

/// Compiles an expanded source to a module (no cache involved). On failure returns nullptr and
/// fills `error`: libfaust's message, mapped back to the file and line of the original source.
[[nodiscard]] std::shared_ptr<FaustModule> compileExpanded(const FaustSource& source, const ExpandedSource& expanded,
                                                           CompileError& error);

/// Fills the module's inputs and outputs from a throwaway instance (a factory does not say them).
void probeChannels(FaustModule& module);

/// Wraps a raw factory (compiled or read from disk) for deleteDSPFactory on the last release.
[[nodiscard]] std::shared_ptr<llvm_dsp_factory> adoptFactory(llvm_dsp_factory* factory);

/// A new instance of the module, as a ::dsp that keeps the module alive as long as it lives.
/// Allocates and takes libfaust's lock: message thread. Not yet init()ed.
[[nodiscard]] std::unique_ptr<::dsp> createInstance(const std::shared_ptr<const FaustModule>& module);

/// Runtime instances alive in the process (every module). Any thread.
[[nodiscard]] std::int64_t liveInstances() noexcept;
} // namespace wb::faustrt
