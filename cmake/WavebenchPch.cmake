# Precompiled headers for the targets whose sources include JUCE (and the big header-only
# libraries): each of their translation units otherwise parses the same ~8 s of JUCE headers
# again. A cold build of CLI, engine, app, tests and benchmarks spends most of its time there
# (docs/PERFORMANCE.md, "Build time"). Each target compiles its own header once (the flags
# differ between targets, so one cannot be reused by another).
#
# wb_precompile_common_headers(TARGET [CATCH]): JUCE's audio and GUI modules, nlohmann/json and
# fmt; with CATCH also Catch2's header. Sources that must see a header first with their own
# macros (a Catch2 main) are excluded with SKIP_PRECOMPILE_HEADERS.
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
