# Installing and packaging, as a Debian program: `cmake --install build/release [--prefix P]`
# (add --strip to drop debug info) and `./scripts/package` (CPack, a .deb in build/release/package/).
#   bin/wavebench, bin/Wavebench
#   share/applications/wavebench.desktop                   (menu: Sound & Video / Audio)
#   share/icons/hicolor/{scalable,256x256}/apps/wavebench.{svg,png}
#   share/man/man1/*.1.gz      generated from the programs' --help (help2man), one per subcommand
#   share/wavebench/faust/*.dsp  the built-in effects' Faust sources, for a runtime loader
#   share/doc/wavebench/       README.md, TROUBLESHOOTING.md, copyright (the GPL-3.0 text)
include(GNUInstallDirs)

# The man pages, remade whenever a program changes (the version line carries the git commit).
find_program(HELP2MAN_EXECUTABLE help2man)
set(WB_MAN_DIR "${PROJECT_BINARY_DIR}/man")
if(HELP2MAN_EXECUTABLE)
  add_custom_command(
    OUTPUT "${PROJECT_BINARY_DIR}/man.stamp"
    COMMAND bash "${PROJECT_SOURCE_DIR}/cmake/make_man_pages.sh" "$<TARGET_FILE:wavebench>"
            "$<TARGET_FILE:Wavebench>" "${WB_MAN_DIR}"
    COMMAND "${CMAKE_COMMAND}" -E touch "${PROJECT_BINARY_DIR}/man.stamp"
    DEPENDS wavebench Wavebench "${PROJECT_SOURCE_DIR}/cmake/make_man_pages.sh"
    COMMENT "Man pages from --help (help2man)"
    VERBATIM)
  add_custom_target(wavebench_man_pages ALL DEPENDS "${PROJECT_BINARY_DIR}/man.stamp")
  install(DIRECTORY "${WB_MAN_DIR}/" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" FILES_MATCHING PATTERN "*.1.gz")
else()
  message(WARNING "help2man not found: no man pages are built or installed (apt-get install help2man)")
endif()

install(TARGETS wavebench Wavebench RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
# The real-time guard `wavebench check` preloads into its plugin child: found at ../lib/wavebench
# from the executable (Source/Cli/CheckCommand.cpp), so the path is fixed, not the multiarch libdir.
if(TARGET wavebench_rtguard)
  install(TARGETS wavebench_rtguard LIBRARY DESTINATION "lib/wavebench")
endif()
install(FILES "${PROJECT_SOURCE_DIR}/Resources/wavebench.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${PROJECT_SOURCE_DIR}/Resources/wavebench.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
install(FILES "${PROJECT_SOURCE_DIR}/Resources/wavebench.png"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/256x256/apps")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/Faust/" DESTINATION "${CMAKE_INSTALL_DATADIR}/wavebench/faust"
        FILES_MATCHING PATTERN "*.dsp")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/docs/TROUBLESHOOTING.md"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/wavebench")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/wavebench" RENAME copyright)

# The Debian package. Dependencies: what the programs link, found by dpkg-shlibdeps, plus the
# libraries JUCE opens at run time with dlopen, which shlibdeps cannot see (libX11 and libXext are
# required for a window; the others JUCE uses when present), plus a font for the app's text.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "wavebench")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Wavebench")
set(CPACK_PACKAGE_CONTACT "Wavebench developers <wavebench@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "audio test-signal and effects workstation (JUCE, Faust)")
# The extended description (CPack puts the summary above it and indents each line).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Wavebench generates test signals (tones, noises, sweeps, impulses) on the
real-time audio thread, runs them through a live chain of Faust effects and shows scope,
spectrum, level meters and a monitor of DSP load, xruns, CPU, memory and time per node.
The command-line tool wavebench renders signals to WAV files, measures round-trip latency by
loopback (JACK or its own virtual device), monitors the engine and load-tests it, with JSON
reports and exit codes for release gates.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)                 # wavebench_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "sound")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# JUCE opens libX11/libXext with dlopen (invisible to shlibdeps) and finds fonts itself by reading
# /etc/fonts/fonts.conf (fontconfig-config) with FreeType: without both a font and that file the app
# draws no text at all (seen on a clean debootstrap of Debian 12 with --no-install-recommends).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libx11-6, libxext6, fontconfig-config, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libxcursor1, libxinerama1, libxrandr2, libxrender1, jackd2")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "faust")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)                               # the debug info stays in the build
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/package")
file(MAKE_DIRECTORY "${CPACK_PACKAGE_DIRECTORY}")      # where the docs say the .deb goes
set(CPACK_DEBIAN_COMPRESSION_TYPE "gzip")
include(CPack)
