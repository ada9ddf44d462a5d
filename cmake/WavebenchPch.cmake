# Precompiled headers for the targets whose sources include JUCE (and the big header-only
# libraries): each of their translation units otherwise parses the same ~8 s of JUCE headers
# again. A cold build of CLI, engine, app, tests and benchmarks spent most of its time there
# (docs/PERFORMANCE.md, "Build time").
#
# The engine's header (JUCE's audio and GUI modules, nlohmann/json, fmt) is compiled once and
# reused by the CLI, the app and the benchmarks: they compile with the same flags and JUCE
# definitions, and none of the engine's -D macros is missing there. The two test programs each
# compile their own (plus Catch2): GCC refuses a header made with a -D macro the using unit lacks
# ("not used because `WB_CLI_PATH' not defined"; -Winvalid-pch puts that in the build log).
#
# wb_precompile_common_headers(TARGET [CATCH]): compile the header set for TARGET.
# wb_reuse_precompiled_headers(TARGET FROM): use FROM's compiled header.
# Sources that must see a header first with their own macros (a Catch2 main) are excluded with
# SKIP_PRECOMPILE_HEADERS.
#
# ccache caches such translation units only with the sloppiness set in CMakeLists.txt's launcher.
function(wb_precompile_common_headers target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "CATCH" "" "")
  set(headers
    <juce_audio_utils/juce_audio_utils.h>
    <juce_audio_processors/juce_audio_processors.h>
    <juce_audio_devices/juce_audio_devices.h>
    <juce_gui_extra/juce_gui_extra.h>
    <nlohmann/json.hpp>
    <fmt/format.h>
    <algorithm> <atomic> <cmath> <filesystem> <functional> <map> <memory> <optional> <string>
    <vector>)
  if(arg_CATCH)
    list(APPEND headers <catch2/catch.hpp>)
  endif()
  # These targets hold C++ sources only (a C source would get a C precompile of these).
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()

function(wb_reuse_precompiled_headers target from)
  target_precompile_headers(${target} REUSE_FROM ${from})
endfunction()
