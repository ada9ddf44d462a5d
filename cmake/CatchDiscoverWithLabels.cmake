# Script mode: cmake -DTEST_EXECUTABLE=... -DCTEST_FILE=... -DWORKING_DIR=... [-DTEST_LAUNCHER=a;b]
#                  [-DDISABLED_LABELS=a;b] [-DEXPECTED_RACE_LABELS=a;b] [-DTEST_ENVIRONMENT=A=1;B=2]
#                  -P CatchDiscoverWithLabels.cmake
# TEST_LAUNCHER (optional): a command the registered tests run through, e.g. a script that gives
# them a private X display (listing the tests runs the executable directly).
#
# Like Catch2's catch_discover_tests, but every test case also gets its tags as ctest LABELS
# ([core][rt] -> labels "core;rt"), so `ctest -L rt` or `ctest -LE gui` select by layer.
# Hidden tests ([.], [.soak]) are not registered. Tests tagged [jack] or [serial] run serially.
# DISABLED_LABELS (optional): tests carrying any of these labels are registered with DISABLED, so
# ctest lists them as "Not Run (Disabled)" in every run of this build instead of running them:
# a test that cannot do its job in a build is excluded from it visibly, never passed (e.g. [nosan]
# in the sanitizer builds, where the real-time guard cannot count and mallinfo2 reads zero).
# EXPECTED_RACE_LABELS (optional, ThreadSanitizer build): tests carrying any of these labels pass
# only when their output holds a ThreadSanitizer data-race report (PASS_REGULAR_EXPRESSION): a
# race known and not fixed yet, whose test must keep finding it until the fix lands.
# TEST_ENVIRONMENT (optional): NAME=VALUE pairs every test runs with (e.g. TSAN_OPTIONS).
cmake_policy(VERSION 3.22)
if(NOT EXISTS "${TEST_EXECUTABLE}")
  message(FATAL_ERROR "no test executable at ${TEST_EXECUTABLE}")
endif()

function(_wb_list out)
  execute_process(COMMAND "${TEST_EXECUTABLE}" ${ARGN} --list-test-names-only
                  OUTPUT_VARIABLE _o RESULT_VARIABLE _r WORKING_DIRECTORY "${WORKING_DIR}")
  if(_r LESS 0)
    message(FATAL_ERROR "listing tests failed: ${_r}")
  endif()
  # ctest cannot carry a ';' in a test name (CMake's list separator): the test would be cut in two,
  # each half run as a name Catch does not know. Checked here, on Catch's own text: once split
  # into a CMake list (list(FILTER) drops the escapes) the name is already cut.
  string(REGEX MATCH "[^\n]*;[^\n]*" _bad "${_o}")
  if(_bad)
    message(FATAL_ERROR "test name with ';' (rename it): ${_bad}")
  endif()
  string(REPLACE "\n" ";" _o "${_o}")
  list(FILTER _o EXCLUDE REGEX "^$")
  set(${out} "${_o}" PARENT_SCOPE)
endfunction()

function(_wb_quote out value)
  set(${out} "[==[${value}]==]" PARENT_SCOPE)
endfunction()

_wb_list(names)
execute_process(COMMAND "${TEST_EXECUTABLE}" --list-tags OUTPUT_VARIABLE tag_text
                WORKING_DIRECTORY "${WORKING_DIR}")
string(REGEX MATCHALL "\\[[^]\n]+\\]" tags "${tag_text}")
list(REMOVE_DUPLICATES tags)

foreach(tag IN LISTS tags)
  string(REGEX REPLACE "^\\[(.*)\\]$" "\\1" label "${tag}")
  if(label MATCHES "^[.!]")
    continue()
  endif()
  _wb_list(tagged "${tag}")
  foreach(n IN LISTS tagged)
    string(MD5 key "${n}")
    list(APPEND "labels_${key}" "${label}")
    set("labels_${key}" "${labels_${key}}")
  endforeach()
endforeach()

set(script "")
set(count 0)
foreach(name IN LISTS names)
  set(spec "${name}")
  foreach(ch , [ ])
    string(REPLACE "${ch}" "\\${ch}" spec "${spec}")
  endforeach()
  string(MD5 key "${name}")
  set(labels "${labels_${key}}")
  _wb_quote(qname "${name}")
  _wb_quote(qspec "${spec}")
  _wb_quote(qexe "${TEST_EXECUTABLE}")
  _wb_quote(qwd "${WORKING_DIR}")
  set(qlaunch "")
  foreach(part IN LISTS TEST_LAUNCHER)
    _wb_quote(qpart "${part}")
    string(APPEND qlaunch "${qpart} ")
  endforeach()
  # --warn NoTests: a name Catch does not match (a character the spec reads specially) fails the
  # test instead of passing it with "No tests ran".
  string(APPEND script "add_test(${qname} ${qlaunch}${qexe} ${qspec} --warn NoTests)\n")
  string(REPLACE ";" "\\;" qlabels "${labels}")
  set(props "WORKING_DIRECTORY ${qwd} LABELS [==[${labels}]==] TIMEOUT 600")
  if("jack" IN_LIST labels OR "serial" IN_LIST labels)
    string(APPEND props " RUN_SERIAL TRUE")
  endif()
  foreach(race IN LISTS EXPECTED_RACE_LABELS)
    if(race IN_LIST labels)
      string(APPEND props " PASS_REGULAR_EXPRESSION [==[WARNING: ThreadSanitizer: data race]==]")
      break()
    endif()
  endforeach()
  if(TEST_ENVIRONMENT)
    string(APPEND props " ENVIRONMENT [==[${TEST_ENVIRONMENT}]==]")
  endif()
  foreach(off IN LISTS DISABLED_LABELS)
    if(off IN_LIST labels)
      string(APPEND props " DISABLED TRUE")
      break()
    endif()
  endforeach()
  string(APPEND script "set_tests_properties(${qname} PROPERTIES ${props})\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} lists no tests")
endif()
file(WRITE "${CTEST_FILE}" "${script}")
