#!/usr/bin/env bash
# GUI screenshot test: starts the real app under a private Xvfb display, waits for its window,
# takes a screenshot with ImageMagick, and checks that the window has the expected size and is
# not blank. The PNGs stay in the build tree (argument 2) for people to look at.
# Usage: screenshot_test.sh <path-to-Wavebench> <output-dir>
set -euo pipefail
app="$1"; outdir="$2"
mkdir -p "$outdir"
source "$(dirname "${BASH_SOURCE[0]}")/gui_lib.sh"
launch_app "$work/app.log" 1.0 # let it paint

shot="$outdir/main_window.png"
import -window "$wid" "$shot"
geometry="$(identify -format '%w %h' "$shot")"
read -r w h <<<"$geometry"
echo "screenshot: $shot (${w}x${h})"
# The default window is 1440x900 (content area; no window manager, so no decorations).
if [ "$w" -ne 1440 ] || [ "$h" -ne 900 ]; then
  echo "FAIL: expected a 1440x900 window, got ${w}x${h}"; exit 1
fi
# Not blank: the colours must vary (standard deviation) and there must be many distinct colours.
stddev="$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
colours="$(identify -format '%k' "$shot")"
echo "grey standard deviation: $stddev, distinct colours: $colours"
awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || { echo "FAIL: screenshot looks blank"; exit 1; }
[ "$colours" -gt 16 ] || { echo "FAIL: too few colours ($colours) for a drawn window"; exit 1; }
# Text is drawn: the title row (near the top-left of the header) holds light pixels.
bright="$(convert "$shot" -crop 400x40+30+40 -colorspace Gray -format '%[fx:maxima]' info:)"
awk -v b="$bright" 'BEGIN { exit !(b > 0.8) }' || { echo "FAIL: no text in the header"; exit 1; }

# The user resizes the window, then Ctrl+Q quits the app cleanly and it saves its settings.
xdotool windowsize "$wid" 900 600
sleep 0.5
quit_app() {
  xdotool mousemove --window "$1" 300 300 click 1 key ctrl+q
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$app_pid" 2>/dev/null; then echo "FAIL: app did not quit on Ctrl+Q"; exit 1; fi
  app_pid=""
}
quit_app "$wid"
[ -f "$work/settings/Wavebench.settings" ] || { echo "FAIL: settings were not saved"; exit 1; }
grep -q windowState "$work/settings/Wavebench.settings" || { echo "FAIL: window state not saved"; exit 1; }

# Second launch: the window comes back at the size the user left it.
launch_app "$work/app.log" 1.0
import -window "$wid" "$outdir/main_window_restored.png"
read -r w h <<<"$(identify -format '%w %h' "$outdir/main_window_restored.png")"
echo "second launch: ${w}x${h}"
if [ "$w" -ne 900 ] || [ "$h" -ne 600 ]; then echo "FAIL: window size not restored (${w}x${h})"; exit 1; fi
quit_app "$wid"
echo "PASS"
