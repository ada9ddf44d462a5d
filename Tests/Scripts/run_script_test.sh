#!/usr/bin/env bash
# The README's first command, exactly as written: `./scripts/run` from the top of the source tree.
#  1. Without a display it exits 1 and names the command-line tool by a path that exists and runs.
#  2. Under a private Xvfb (Tests/Gui/gui_lib.sh) it opens the Wavebench window, which is the app
#     built in build/release/bin; Ctrl+Q closes it and the app exits 0.
# scripts/run builds incrementally (here: nothing to do, ctest runs after the build); ctest runs
# this test alone (RUN_SERIAL) so that no other build runs in the tree at the same time. It is
# skipped (77) when ctest runs another build folder than build/release, which scripts/run builds.
# Usage: run_script_test.sh <source-dir> <build-dir>
set -euo pipefail
src="$(realpath "$1")" build="$(realpath "$2")"
if [ "$build" != "$src/build/release" ]; then
  echo "SKIP: scripts/run builds build/release; this is $build"
  exit 77
fi
cd "$src"
export WB_NINJA_FLAGS="-j2"   # a no-op build, but never more than two jobs

echo "== without a display"
set +e
out="$(env -u DISPLAY -u WAYLAND_DISPLAY timeout 240 ./scripts/run 2>&1)"
rc=$?
set -e
echo "$out" | sed 's/^/    /'
[ "$rc" -eq 1 ] || { echo "FAIL: exit code $rc, want 1"; exit 1; }
cli="$(sed -nE 's/.*Use the command-line tool instead: +([^ ]+) --help.*/\1/p' <<<"$out" | tail -n1)"
[ -n "$cli" ] || { echo "FAIL: no command-line tool named"; exit 1; }
[ -f "$cli" ] && [ -x "$cli" ] || { echo "FAIL: '$cli' is not an executable file"; exit 1; }
"$cli" --help >/dev/null || { echo "FAIL: '$cli --help' failed"; exit 1; }
echo "ok: exit 1, names $cli, which runs"

echo "== under Xvfb"
source "$src/Tests/Gui/gui_lib.sh"
log="$work/run.log"
./scripts/run >"$log" 2>&1 &
app_pid=$!   # scripts/run ends by exec'ing the app: this becomes the app's process
wid=""
for _ in $(seq 1200); do   # up to 120 s: scripts/run first checks the packages and the build
  wid="$(find_window)"
  [ -n "$wid" ] && break
  kill -0 "$app_pid" 2>/dev/null || { echo "FAIL: scripts/run exited before a window appeared"; cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$wid" ] || { echo "FAIL: no Wavebench window within 120 s"; cat "$log"; exit 1; }
sleep 1
wid="$(find_window)"   # JUCE may replace its first window while it sets up
exe="$(readlink "/proc/$app_pid/exe" || true)"
[ "$exe" = "$src/build/release/bin/Wavebench" ] || { echo "FAIL: the window's process runs '$exe'"; exit 1; }
echo "ok: window $wid from $exe"
xdotool mousemove --window "$wid" 600 80 click 1 key ctrl+q 2>>"$work/xdotool.log" \
  || { echo "FAIL: xdotool could not reach the window"; cat "$work/xdotool.log"; exit 1; }
for _ in $(seq 200); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$app_pid" 2>/dev/null && { echo "FAIL: the app did not quit on Ctrl+Q"; exit 1; }
rc=0; wait "$app_pid" || rc=$?
app_pid=""
[ "$rc" -eq 0 ] || { echo "FAIL: the app exited with $rc"; cat "$log"; exit 1; }
echo "ok: closed with Ctrl+Q, exit 0"
echo "PASS"
