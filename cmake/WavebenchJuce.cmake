# wavebench_juce: JUCE's modules compiled ONCE into one static library that every executable
# links. Consumers get JUCE's include directories and definitions, but not its module sources,
# so nothing recompiles JUCE per executable.
add_library(wavebench_juce STATIC)
target_link_libraries(wavebench_juce
  PRIVATE
    juce::juce_core juce::juce_events juce::juce_data_structures
    juce::juce_graphics juce::juce_gui_basics juce::juce_gui_extra
    juce::juce_audio_basics juce::juce_audio_devices juce::juce_audio_formats
    juce::juce_audio_processors juce::juce_audio_utils juce::juce_dsp
  PUBLIC
    juce::juce_recommended_config_flags juce::juce_recommended_lto_flags)

target_compile_definitions(wavebench_juce PUBLIC
  JUCE_GLOBAL_MODULE_SETTINGS_INCLUDED=1
  JUCE_STANDALONE_APPLICATION=1
  JUCE_WEB_BROWSER=0
  JUCE_USE_CURL=0
  JUCE_JACK=1
  JUCE_ALSA=1
  JUCE_JACK_CLIENT_NAME="Wavebench"
  JUCE_DISPLAY_SPLASH_SCREEN=0
  JUCE_REPORT_APP_USAGE=0
  JUCE_USE_DARK_SPLASH_SCREEN=1
  JUCE_MODAL_LOOPS_PERMITTED=1
  JUCE_STRICT_REFCOUNTEDPOINTER=1
  JUCE_SILENCE_XCODE_15_LINKER_WARNING=1)

# Plugin hosting (issue 16): JUCE's LV2 host (lilv, serd, sord bundled in the module) and the
# VST3 SDK, switched on for juce_audio_processors' own sources only, as source properties rather
# than target definitions: they are not re-exported below (our code reaches the formats through
# AudioPluginFormatManager::addDefaultFormats, by name), and every other compile line stays as it
# was (the other modules and every consumer keep their ccache entries). The flags only guard the
# formats' class declarations in JUCE's headers, no layout shared with other code.
set_source_files_properties(
  "${JUCE_MODULES_DIR}/juce_audio_processors/juce_audio_processors.cpp"
  "${JUCE_MODULES_DIR}/juce_audio_processors/juce_audio_processors_lv2_libs.cpp"
  PROPERTIES COMPILE_DEFINITIONS "JUCE_PLUGINHOST_LV2=1;JUCE_PLUGINHOST_VST3=1")

# Re-export what consumers need to compile against JUCE, and nothing that carries sources.
target_include_directories(wavebench_juce SYSTEM INTERFACE
  $<TARGET_PROPERTY:wavebench_juce,INCLUDE_DIRECTORIES>)
target_compile_definitions(wavebench_juce INTERFACE
  $<TARGET_PROPERTY:wavebench_juce,COMPILE_DEFINITIONS>)
set_target_properties(wavebench_juce PROPERTIES POSITION_INDEPENDENT_CODE ON)

# Debian strips JUCE's bundled codecs: link the system ones.
find_package(PkgConfig REQUIRED)
pkg_check_modules(WB_CODECS REQUIRED IMPORTED_TARGET flac vorbis vorbisenc vorbisfile ogg)
pkg_check_modules(WB_LINUX_GUI REQUIRED IMPORTED_TARGET freetype2 fontconfig alsa jack)
target_link_libraries(wavebench_juce PUBLIC PkgConfig::WB_CODECS PkgConfig::WB_LINUX_GUI
  ${CMAKE_DL_LIBS} Threads::Threads)
if(TARGET juce::pkgconfig_JUCE_IMG_LINUX_DEPS)
  target_link_libraries(wavebench_juce PUBLIC juce::pkgconfig_JUCE_IMG_LINUX_DEPS)
endif()
