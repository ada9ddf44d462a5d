#!/usr/bin/env bash
# The desktop app's launch-to-audio-ready time and its memory, under a private Xvfb display.
#
# Each run starts Wavebench over a fresh settings folder holding a saved session whose generator
# runs (1 kHz sine, -20 dBFS; every panel shown, as for a new user; "Start Audio on Launch" on,
# since a session otherwise comes back stopped), with WAVEBENCH_REPORT_STARTUP=1:
# the app prints the CLOCK_REALTIME of the first audio callback that produced a non-zero sample
# (ready-unix-ns) and its own reckoning from its /proc start time (ready-ms, 10 ms ticks). This
# script subtracts its own clock, read just before the launch, so fork + exec + dynamic loading
# are included. Then, on the memory runs, it waits RSS_WAIT seconds with audio running and every
# panel drawing, and reads VmRSS and VmHWM from /proc/PID/status.
#
# Usage: Benchmarks/app_launch.sh [path-to-Wavebench] [launch-runs] [memory-runs]
#        (defaults: build/release/bin/Wavebench 15 3; RSS_WAIT=5)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$(realpath "${1:-$root/build/release/bin/Wavebench}")"
runs="${2:-15}"
memruns="${3:-3}"
rss_wait="${RSS_WAIT:-5}"
[ -x "$app" ] || { echo "no app at $app (build the release preset first)"; exit 1; }
source "$root/Tests/Gui/gui_lib.sh"

write_settings() {
  rm -rf "$WAVEBENCH_SETTINGS_DIR"; mkdir -p "$WAVEBENCH_SETTINGS_DIR"
  printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<PROPERTIES>' \
    '  <VALUE name="audio.startOnLaunch" val="1"/>' \
    '  <VALUE name="session"><WavebenchSession version="1"><GeneratorPanel kind="sine" freq="1000.0" freqTo="20000.0" levelDb="-20.0" mode="peak" routing="3" invert="0" running="1"/><ChainPanel/></WavebenchSession></VALUE>' \
    '</PROPERTIES>' >"$WAVEBENCH_SETTINGS_DIR/Wavebench.settings"
}

# launch: starts the app, waits for its ready lines; sets app_pid, ext_ms, own_ms, main_ms.
launch() {
  write_settings
  local out="$work/out.txt"
  : >"$out"
  local t0; t0="$(date +%s%N)"
  WAVEBENCH_REPORT_STARTUP=1 "$app" >"$out" 2>"$work/err.txt" &
  app_pid=$!
  for _ in $(seq 400); do
    grep -q '^ready-unix-ns:' "$out" && break
    kill -0 "$app_pid" 2>/dev/null || { echo "the app exited"; cat "$work/err.txt"; exit 1; }
    sleep 0.025
  done
  grep -q '^ready-unix-ns:' "$out" || { echo "no ready line within 10 s"; cat "$out" "$work/err.txt"; exit 1; }
  local t1; t1="$(sed -n 's/^ready-unix-ns: //p' "$out")"
  ext_ms="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
  own_ms="$(sed -n 's/^ready-ms: //p' "$out")"
  main_ms="$(sed -n 's/^ready-ms-since-main: //p' "$out")"
  phases="$(sed -n 's/^startup-phases-ms-since-main: //p' "$out")"
}

stats() { # stats < numbers: "median X, max Y, min Z"
  sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                   printf "median %.1f, min %.1f, max %.1f (n=%d)", m, v[1], v[NR], NR }'
}

echo "app: $app"
echo "load: $(uptime)"
: >"$work/ext" ; : >"$work/own" ; : >"$work/main"
for i in $(seq "$runs"); do
  launch
  echo "run $i: launch-to-audio-ready $ext_ms ms (app's own count: $own_ms ms from its /proc start time, $main_ms ms from main; steps done at, ms from main: $phases)"
  echo "$ext_ms" >>"$work/ext"; echo "$own_ms" >>"$work/own"; echo "$main_ms" >>"$work/main"
  stop "$app_pid"; app_pid=""
done
echo "launch to audio-ready (launcher's clock): $(stats <"$work/ext") ms"
echo "launch to audio-ready (app, from /proc start): $(stats <"$work/own") ms"
echo "audio-ready from main: $(stats <"$work/main") ms"

: >"$work/rss" ; : >"$work/hwm"
for i in $(seq "$memruns"); do
  launch
  sleep "$rss_wait"
  kill -0 "$app_pid" 2>/dev/null || { echo "the app died"; cat "$work/err.txt"; exit 1; }
  rss="$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$app_pid/status")"
  hwm="$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$app_pid/status")"
  threads="$(awk '/^Threads:/ { print $2 }' "/proc/$app_pid/status")"
  echo "memory run $i, after ${rss_wait} s with audio running: VmRSS $rss MB, VmHWM $hwm MB, $threads threads"
  echo "$rss" >>"$work/rss"; echo "$hwm" >>"$work/hwm"
  stop "$app_pid"; app_pid=""
done
echo "VmRSS: $(stats <"$work/rss") MB"
echo "VmHWM: $(stats <"$work/hwm") MB"
echo "load after: $(uptime)"
