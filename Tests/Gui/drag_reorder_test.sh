#!/usr/bin/env bash
# GUI drag-to-reorder test: starts the real app under a private Xvfb display with a saved session
# whose effect chain is gain, lowpass, delay; drags the first row (by its name) below the last with
# xdotool (mousedown, several mousemoves, mouseup), checks the insertion marker is drawn while
# dragging, quits with Ctrl+Q (the app saves its session on quit) and checks the saved chain order
# is lowpass, delay, gain. Then drags the last row (gain) to the top: gain, lowpass, delay.
# Last, a click and a drag released beside the list leave the order as it is.
# The PNGs stay in the build tree (argument 2).
# Usage: drag_reorder_test.sh <path-to-Wavebench> <output-dir>
set -euo pipefail
app="$1"; outdir="$2"
mkdir -p "$outdir"
source "$(dirname "${BASH_SOURCE[0]}")/gui_lib.sh"
export JACK_DEFAULT_SERVER="wb_drag_test_$$" JACK_NO_START_SERVER=1 # never someone else's server

settings="$WAVEBENCH_SETTINGS_DIR/Wavebench.settings"
mkdir -p "$WAVEBENCH_SETTINGS_DIR"
cat >"$settings" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<PROPERTIES>
  <VALUE name="session"><WavebenchSession version="1"><GeneratorPanel kind="sine" freq="1000" freqTo="20000" levelDb="-12" mode="peak" routing="3" invert="0" running="0"/><ChainPanel><Effect id="gain" bypassed="0"/><Effect id="lowpass" bypassed="0"/><Effect id="delay" bypassed="0"/></ChainPanel></WavebenchSession></VALUE>
</PROPERTIES>
EOF

launch() { launch_app "$work/app.log" 1.0; }
quit_app() {
  xdotool mousemove --window "$wid" 700 60 click 1 key ctrl+q
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$app_pid" 2>/dev/null; then echo "FAIL: app did not quit on Ctrl+Q"; exit 1; fi
  app_pid=""
}
saved_order() { grep -o '<Effect id="[^"]*"' "$settings" | sed 's/<Effect id="//; s/"$//' | paste -sd, -; }

# The layout at the default 1440x900 (MainComponent::resized, ChainPanel::resized): the chain
# panel starts at y=528 (x 12..342); its rows start at y=604, one every 30 px (28 high); a row's
# name (the drag handle) is at x~150.
row_y() { echo $((604 + 30 * $1 + 14)); }
name_x=150
# drag X Y1 Y2 SHOT [MARKER_Y]: press at (X, Y1), move in steps to (X, Y2), screenshot (when
# MARKER_Y is given, until the marker shows there, for up to 3 s: a loaded machine may lag),
# release.
drag() {
  local x="$1" y1="$2" y2="$3" shot="$4" marker_y="${5:-}" steps=8
  xdotool mousemove --window "$wid" "$x" "$y1" mousedown 1
  sleep 0.1
  for i in $(seq "$steps"); do
    xdotool mousemove --window "$wid" "$x" $((y1 + (y2 - y1) * i / steps))
    sleep 0.05
  done
  sleep 0.2
  for _ in $(seq 20); do
    import -window "$wid" "$shot"
    [ -z "$marker_y" ] && break
    awk -v m="$(marker_px "$shot" "$marker_y")" 'BEGIN { exit !(m >= 500) }' && break
    sleep 0.15
  done
  xdotool mouseup 1
  sleep 0.5
}
# marker_px SHOT Y: accent-coloured (0x5fb3f9) pixels in a 300x5 strip from Y-3 to Y+1 (the marker
# is 3 px high across the rows).
marker_px() {
  convert "$1" -crop "300x5+26+$(($2 - 3))" +repage -fuzz 12% -fill white -opaque '#5fb3f9' \
          -fill black +opaque white -format '%[fx:mean*w*h]' info:
}

launch
[ "$(saved_order)" = "gain,lowpass,delay" ] || { echo "FAIL: unexpected starting session: $(saved_order)"; exit 1; }
import -window "$wid" "$outdir/drag_before.png"
# No marker before dragging: the gap below the last row (y = 604 + 90 - 1) is not accent.
before_px="$(marker_px "$outdir/drag_before.png" $((604 + 90 - 1)))"
echo "accent pixels at the bottom gap before dragging: $before_px"

# 1. gain (row 0) below delay (row 2): the pointer ends 5 px above the bottom of the list.
drag "$name_x" "$(row_y 0)" $((604 + 90 - 5)) "$outdir/drag_marker.png" $((604 + 90 - 1))
marker="$(marker_px "$outdir/drag_marker.png" $((604 + 90 - 1)))"
echo "accent pixels at the bottom gap while dragging: $marker"
awk -v m="$marker" -v b="$before_px" 'BEGIN { exit !(m >= 500 && b < 100) }' \
  || { echo "FAIL: no insertion marker below the last row while dragging"; exit 1; }
import -window "$wid" "$outdir/drag_after.png"
quit_app
order="$(saved_order)"
echo "saved order after dragging gain below delay: $order"
[ "$order" = "lowpass,delay,gain" ] || { echo "FAIL: expected lowpass,delay,gain"; exit 1; }

# 2. The session comes back in that order; drag gain (now row 2) to the top.
launch
drag "$name_x" "$(row_y 2)" 600 "$outdir/drag_marker_top.png"
quit_app
order="$(saved_order)"
echo "saved order after dragging gain to the top: $order"
[ "$order" = "gain,lowpass,delay" ] || { echo "FAIL: expected gain,lowpass,delay"; exit 1; }

# 3. A press and release without moving is a click: it selects, the order stays. A drag
# released beside the list (right of the chain panel, over the scope) is cancelled.
launch
xdotool mousemove --window "$wid" "$name_x" "$(row_y 1)" click 1
sleep 0.5
xdotool mousemove --window "$wid" "$name_x" "$(row_y 0)" mousedown 1
sleep 0.1
for x in 200 300 400 500 600; do xdotool mousemove --window "$wid" "$x" "$(row_y 2)"; sleep 0.05; done
sleep 0.3
xdotool mouseup 1
sleep 0.5
quit_app
order="$(saved_order)"
echo "saved order after a click and a drag released outside the list: $order"
[ "$order" = "gain,lowpass,delay" ] || { echo "FAIL: a click or a cancelled drag changed the order: $order"; exit 1; }
echo "PASS"
