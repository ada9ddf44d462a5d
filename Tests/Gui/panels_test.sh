#!/usr/bin/env bash
# GUI panels test: starts the real app under a private Xvfb display (it opens the Virtual loopback
# device when there is no sound card, so telemetry flows), lets the visualisers run, and checks
# that every panel (scope, spectrum, meters, monitor) is drawn where the layout puts it at the
# default 1440x900 size: each region's pixels vary and hold enough colours. Then it hides the
# spectrum through the saved settings (View menu state) and checks the scope takes the row.
# The PNGs stay in the build tree (argument 2).
# Usage: panels_test.sh <path-to-Wavebench> <output-dir>
set -euo pipefail
app="$1"; outdir="$2"
mkdir -p "$outdir"
source "$(dirname "${BASH_SOURCE[0]}")/gui_lib.sh"

launch() { launch_app "$work/app.log" 2.5; } # let the timers run: scope frames, a spectrum, meters, a few monitor samples
quit_app() {
  xdotool mousemove --window "$wid" 600 80 click 1 key ctrl+q
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$app_pid" 2>/dev/null; then echo "FAIL: app did not quit on Ctrl+Q"; exit 1; fi
  app_pid=""
}
# check NAME GEOMETRY SHOT: the region is drawn (grey std-dev and distinct colours) and has text
# or lines (a bright pixel).
check() {
  local name="$1" geom="$2" shot="$3"
  local crop="$outdir/panel_${name}.png"
  convert "$shot" -crop "$geom" +repage "$crop"
  local sd colours bright
  sd="$(convert "$crop" -colorspace Gray -format '%[fx:standard_deviation]' info:)"
  colours="$(identify -format '%k' "$crop")"
  bright="$(convert "$crop" -colorspace Gray -format '%[fx:maxima]' info:)"
  echo "$name ($geom): grey std-dev $sd, colours $colours, brightest $bright"
  awk -v s="$sd" 'BEGIN { exit !(s > 0.03) }' || { echo "FAIL: $name looks blank"; exit 1; }
  [ "$colours" -gt 12 ] || { echo "FAIL: $name has too few colours ($colours)"; exit 1; }
  awk -v b="$bright" 'BEGIN { exit !(b > 0.7) }' || { echo "FAIL: $name has no text"; exit 1; }
}

launch
shot="$outdir/panels.png"
import -window "$wid" "$shot"
read -r w h <<<"$(identify -format '%w %h' "$shot")"
echo "screenshot: $shot (${w}x${h})"
[ "$w" -eq 1440 ] && [ "$h" -eq 900 ] || { echo "FAIL: expected 1440x900, got ${w}x${h}"; exit 1; }
# The layout at 1440x900 (MainComponent::resized): header to y=132, the Record panel at its right
# end (x 984..1424); a left column (x 12..342)
# with the generator above the effect chain; to its right (x 352..1428) the scope (2/5) and the
# spectrum side by side (y 140..590), the meters (190 wide) and the monitor below (y 598..888).
check record 430x84+990+42 "$shot"
check generator 320x370+14+142 "$shot"
check chain 320x330+14+535 "$shot"
check scope 420x440+355+143 "$shot"
check spectrum 630x440+790+143 "$shot"
check meters 185x280+354+602 "$shot"
check monitor 870x280+553+602 "$shot"
# The background between the panels is the plain window colour (the panels are laid out, not
# drawn over each other): the gap column between the scope and the spectrum.
gapsd="$(convert "$shot" -crop 6x400+780+150 +repage -colorspace Gray -format '%[fx:standard_deviation]' info:)"
awk -v s="$gapsd" 'BEGIN { exit !(s < 0.01) }' || { echo "FAIL: no gap between scope and spectrum ($gapsd)"; exit 1; }
quit_app
settings="$work/settings/Wavebench.settings"
grep -q 'view.spectrum' "$settings" || { echo "FAIL: panel state not saved"; exit 1; }

# Spectrum hidden (as View > Spectrum leaves it): the scope spans the row where the spectrum was.
sed -i 's/name="view.spectrum" val="1"/name="view.spectrum" val="0"/' "$settings"
grep -q 'name="view.spectrum" val="0"' "$settings" || { echo "FAIL: could not edit $settings"; cat "$settings"; exit 1; }
launch
shot2="$outdir/panels_no_spectrum.png"
import -window "$wid" "$shot2"
check scope_wide 1070x440+355+143 "$shot2"
# The scope's frame now covers the former gap column.
gapsd="$(convert "$shot2" -crop 6x200+780+180 +repage -colorspace Gray -format '%[fx:mean]' info:)"
echo "former gap mean: $gapsd"
quit_app
echo "PASS"
