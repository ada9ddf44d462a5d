#!/usr/bin/env bash
# The README's test command (scripts/test) must turn red whenever a test fails, times out or is
# not run, and when ctest finds nothing or dies. A stand-in `ctest` placed first on PATH prints
# what the real one prints in each case and exits as the real one does; the script runs for real
# (no build: WB_TEST_NO_BUILD=1) and its exit code and final count are checked.
# Usage: test_script_test.sh   (from anywhere)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
failures=0

# stand_in SUMMARY EXIT: a ctest that prints SUMMARY (may be empty) and exits with EXIT.
stand_in() {
  cat >"$work/bin/ctest" <<STUB
#!/usr/bin/env bash
echo "Test project \$3"
printf '%b' "$1"
exit $2
STUB
  chmod +x "$work/bin/ctest"
}

# expect NAME WANT_EXIT WANT_LAST_LINE STAGES
expect() {
  local name="$1" want="$2" last="$3" stages="$4" out rc
  out="$(PATH="$work/bin:$PATH" WB_TEST_NO_BUILD=1 WB_TEST_STAGES="$stages" "$root/scripts/test" 2>&1)"
  rc=$?
  local got_last; got_last="$(tail -n1 <<<"$out")"
  if { [ "$want" = 0 ] && [ "$rc" -ne 0 ]; } || { [ "$want" != 0 ] && [ "$rc" -eq 0 ]; } || [ "$got_last" != "$last" ]; then
    echo "FAIL [$name]: exit $rc (want $([ "$want" = 0 ] && echo 0 || echo non-zero)), last line '$got_last' (want '$last')"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok   [$name]: exit $rc, '$got_last'"
  fi
}

stand_in '100% tests passed, 0 tests failed out of 40\n' 0
expect "all passed, two stages" 0 "80 passed, 0 failed" "release tsan"

stand_in '  2/40 Test  #2: a ...***Failed  0.01 sec\n95% tests passed, 2 tests failed out of 40\n' 8
expect "two failed" 1 "38 passed, 2 failed" "release"
expect "two failed in the second stage only" 1 "76 passed, 4 failed" "release tsan"

stand_in '  7/40 Test  #7: slow ...***Timeout 120.01 sec\n98% tests passed, 1 tests failed out of 40\n' 8
expect "a timeout" 1 "39 passed, 1 failed" "release"

stand_in '  3/40 Test  #3: gone ...***Not Run   0.00 sec\n98% tests passed, 1 tests failed out of 40\n' 8
expect "a test not run" 1 "39 passed, 1 failed" "release"

stand_in 'No tests were found!!!\n' 0
expect "no tests found" 1 "0 passed, 1 failed" "release"

stand_in '' 139
expect "ctest crashed" 1 "0 passed, 1 failed" "release"

stand_in '100% tests passed, 0 tests failed out of 40\n' 8
expect "summary clean but ctest exited 8" 1 "40 passed, 0 failed" "release"

stand_in '95% tests passed, 2 tests failed out of 40\n' 0
expect "failures counted but ctest exited 0" 1 "38 passed, 2 failed" "release"

stand_in '100% tests passed, 0 tests failed out of 1\n' 0
expect "one test" 0 "1 passed, 0 failed" "release"

[ "$failures" -eq 0 ] || { echo "$failures case(s) failed"; exit 1; }
echo "PASS: scripts/test turns red in every failing case"
