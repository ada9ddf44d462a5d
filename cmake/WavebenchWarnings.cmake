# Warnings for Wavebench's own code (never applied to JUCE's sources).
add_library(wavebench_warnings INTERFACE)
target_compile_options(wavebench_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
     -Wcast-align -Wunused -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
     -Wformat=2 -Wimplicit-fallthrough>)
