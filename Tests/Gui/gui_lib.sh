# shellcheck shell=bash
# Shared by the GUI tests (sourced): checks the tools, starts a private Xvfb (it picks a free
# display itself, -displayfd), gives a fresh settings folder, and cleans everything up on exit.
# Sets: work (temp dir), DISPLAY, WAVEBENCH_SETTINGS_DIR; uses app_pid if the test sets it.
for tool in Xvfb xdotool import identify convert; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/test installs it)"; exit 1; }
done

work="$(mktemp -d)"
stop() { # stop PID: TERM, then KILL after 2 s
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  [ -n "${app_pid:-}" ] && stop "$app_pid"
  [ -n "${xvfb_pid:-}" ] && stop "$xvfb_pid"
  rm -rf "$work"
}
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
[ -s "$work/display" ] || { echo "FAIL: Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }
export DISPLAY=":$(cat "$work/display")"
export WAVEBENCH_SETTINGS_DIR="$work/settings"   # a fresh user: default window size and panels

find_window() { xdotool search --onlyvisible --name '^Wavebench$' 2>/dev/null | tail -n1 || true; }

# launch_app LOG [SETTLE]: starts "$app" (output appended to LOG), waits for its window, lets it
# run SETTLE seconds (default 1) with the pointer parked outside the window, then looks the window up again: JUCE may replace its first X
# window while it sets up. Sets app_pid and wid; fails the test when no window comes.
launch_app() {
  local log="$1" settle="${2:-1}"
  # The pointer starts at the screen's centre, over the window: park it outside the window
  # (1440x900 at the top left of the 1600x1000 screen), or a tooltip opens over the panels.
  xdotool mousemove 1595 995
  "$app" >>"$log" 2>&1 &
  app_pid=$!
  wid=""
  for _ in $(seq 200); do
    wid="$(find_window)"
    [ -n "$wid" ] && break
    kill -0 "$app_pid" 2>/dev/null || { echo "FAIL: the app exited early"; cat "$log"; exit 1; }
    sleep 0.05
  done
  [ -n "$wid" ] || { echo "FAIL: no Wavebench window appeared"; cat "$log"; exit 1; }
  xdotool mousemove 1595 995 # again, now that the window is there
  sleep "$settle"
  wid="$(find_window)"
}
