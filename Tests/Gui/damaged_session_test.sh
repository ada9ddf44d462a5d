#!/usr/bin/env bash
# The real app over a damaged saved session (WAVEBENCH_SETTINGS_DIR): for each kind of damage it
# must start, show its window, keep running, say why the session was not restored (when the
# session was readable enough to have a reason), and quit on Ctrl+Q with exit code 0, leaving a
# valid session behind.
# Usage: damaged_session_test.sh <path-to-Wavebench>
set -euo pipefail
app="$1"
source "$(dirname "${BASH_SOURCE[0]}")/gui_lib.sh"
settings="$WAVEBENCH_SETTINGS_DIR/Wavebench.settings"

# run_case NAME EXPECTED-LOG-TEXT (may be empty): the settings file is already written.
run_case() {
  local name="$1" expect="$2" log="$work/$1.log"
  echo "case $name"
  launch_app "$log" 1
  kill -0 "$app_pid" 2>/dev/null || { echo "FAIL ($name): the app died after starting"; cat "$log"; exit 1; }
  if [ -n "$expect" ] && ! grep -q "$expect" "$log"; then
    echo "FAIL ($name): the log does not say '$expect'"; cat "$log"; exit 1
  fi
  xdotool mousemove --window "$wid" 600 80 click 1 key ctrl+q 2>>"$work/xdotool.log" \
    || { echo "FAIL ($name): xdotool could not reach the window"; cat "$work/xdotool.log"; exit 1; }
  local rc=""
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$app_pid" 2>/dev/null; then echo "FAIL ($name): no quit on Ctrl+Q"; exit 1; fi
  wait "$app_pid" && rc=0 || rc=$?
  app_pid=""
  [ "$rc" -eq 0 ] || { echo "FAIL ($name): exit code $rc"; cat "$log"; exit 1; }
  grep -q '<WavebenchSession' "$settings" || { echo "FAIL ($name): no valid session saved on quit"; cat "$settings"; exit 1; }
  echo "ok: $name"
}

mkdir -p "$WAVEBENCH_SETTINGS_DIR"
session() { # session INNER-XML: a settings file holding that session
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<PROPERTIES>\n  <VALUE name="session">%s</VALUE>\n</PROPERTIES>\n' "$1" >"$settings"
}
session '<WavebenchSession version="1"><GeneratorPanel kind="sine" freq="440" levelDb="-6" running="1"/><ChainPanel><Effect id="nosuchfx" bypassed="0"/></ChainPanel></WavebenchSession>'
run_case unknown-effect "unknown effect 'nosuchfx'"
session '<WavebenchSession version="1"><GeneratorPanel kind="sine" freq="nan" levelDb="-6"/><ChainPanel/></WavebenchSession>'
run_case nan-frequency "could not be restored"
session '<WavebenchSession version="1"><GeneratorPanel kind="sine" levelDb="999"/><ChainPanel/></WavebenchSession>'
run_case level-out-of-range "level 999"
session '<NotASession/>'
run_case wrong-root "not a Wavebench preset"
# The whole settings file cut in the middle (a crash while writing): unreadable, so ignored.
session '<WavebenchSession version="1"><GeneratorPanel kind="sine"/><ChainPanel/></WavebenchSession>'
head -c 60 "$settings" >"$work/cut" && mv "$work/cut" "$settings"
run_case truncated-settings ""
printf '\x00\x01garbage\xff' >"$settings"
run_case binary-garbage "is not readable XML"
# has_backup NAME: the damaged file was kept beside the new one (never silently overwritten).
has_backup() {
  ls "$WAVEBENCH_SETTINGS_DIR"/Wavebench.settings.bad-* >/dev/null 2>&1 \
    || { echo "FAIL ($1): no Wavebench.settings.bad-* kept"; ls -la "$WAVEBENCH_SETTINGS_DIR"; exit 1; }
  rm -f "$WAVEBENCH_SETTINGS_DIR"/Wavebench.settings.bad-*
}
has_backup binary-garbage
# 100000 nested elements: JUCE's XML parser recursed once per level and the app died of a stack
# overflow at launch (issue 15). Refused by a flat scan before parsing.
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<PROPERTIES><VALUE name="session">'
  printf '<a>%.0s' $(seq 100000); printf '</VALUE></PROPERTIES>\n'; } >"$settings"
run_case deep-nesting "nests its XML more than 32 levels deep"
has_backup deep-nesting
# An absurd saved window: 100000 x 100000 at a far position. It must fit the 1600x1000 screen.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<PROPERTIES><VALUE name="windowState" val="-99999 99999 100000 100000"/></PROPERTIES>\n' >"$settings"
launch_app "$work/absurd-window.log" 1
geometry=$(xdotool getwindowgeometry "$wid")
echo "$geometry"
size=$(echo "$geometry" | sed -n 's/.*Geometry: \([0-9]*\)x\([0-9]*\).*/\1 \2/p')
read -r w h <<<"$size"
if [ -z "$w" ] || [ "$w" -gt 1600 ] || [ "$h" -gt 1000 ]; then
  echo "FAIL (absurd-window): the window is ${w}x${h} on a 1600x1000 screen"; exit 1
fi
kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; app_pid=""
echo "ok: absurd-window"
echo "PASS"
