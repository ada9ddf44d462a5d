# Script mode (cmake -P), run at every build by the target wavebench_build_commit: writes OUT, a
# C++ source defining wb::buildCommit(), the `git describe` of SOURCE_DIR ("unknown" when
# SOURCE_DIR is not the top of a git work tree or git is missing; OVERRIDE wins when set, for a
# build from a source archive). OUT is rewritten only when its text changes, so an unchanged
# commit recompiles and relinks nothing.
#   -DSOURCE_DIR=<dir> -DOUT=<file.cpp> [-DGIT=<git>] [-DOVERRIDE=<text>]
set(commit "unknown")
if(OVERRIDE)
  set(commit "${OVERRIDE}")
elseif(GIT)
  # Only SOURCE_DIR's own repository counts: an unpacked archive inside some other repository
  # must not report that repository's commit.
  execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --show-toplevel
                  RESULT_VARIABLE rc OUTPUT_VARIABLE top ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${SOURCE_DIR}" src)
    if(top STREQUAL src)
      execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
                      RESULT_VARIABLE rc OUTPUT_VARIABLE described ERROR_QUIET
                      OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(rc EQUAL 0 AND described)
        set(commit "${described}")
      endif()
    endif()
  endif()
endif()
string(REGEX REPLACE "[^A-Za-z0-9._+~-]" "_" commit "${commit}")   # nothing that breaks a C string

set(text "// Generated at build time by cmake/GitCommit.cmake. Do not edit.
#include \"Core/Util/BuildCommit.h\"

const char* wb::buildCommit()
{
    return \"${commit}\";
}
")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
