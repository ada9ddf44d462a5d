#!/usr/bin/env bash
# Main-thread CPU of the desktop app with every visualiser open (issue 7).
#
# Starts the built Wavebench under a private Xvfb display with a fresh settings folder holding a
# session: the generator running (a sine by default), an effect chain (parametric EQ, compressor,
# delay, reverb: the compressor's gain-reduction meter is live), every panel shown (scope,
# spectrum, meters, monitor), the Virtual loopback device at 48 kHz / 256 frames. After a
# warm-up it samples, over the measuring window, the CPU time (utime + stime, /proc) of
#   - the app's main thread (the JUCE message thread: the task whose tid == pid),
#   - the whole app process (audio thread, device thread, workers included),
#   - the Xvfb server (it receives every repainted pixel: context, not part of the app),
# and prints each as % of one core. Each run starts a new app; --runs repeats.
#
# Usage: Benchmarks/app_cpu.sh [--app PATH] [--runs N] [--seconds S] [--warmup S]
#                              [--signal sine|pink|...] [--freq HZ] [--no-chain] [--screenshot PNG]
# Default app: build/release/bin/Wavebench (run from the repository root).
# Prints one line per run and a final "median" line; writes nothing outside a temp folder.
set -euo pipefail
app="build/release/bin/Wavebench"
runs=1 seconds=10 warmup=3 signal=sine freq=1000 chain=1 screenshot=""
while [ $# -gt 0 ]; do
  case "$1" in
    --app) app="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --signal) signal="$2"; shift 2 ;;
    --freq) freq="$2"; shift 2 ;;
    --no-chain) chain=0; shift ;;
    --screenshot) screenshot="$2"; shift 2 ;; # the window after the last run's window (imagemagick)
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -x "$app" ] || { echo "no app at $app (build first, or pass --app)" >&2; exit 2; }
for tool in Xvfb xdotool; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
ticks="$(getconf CLK_TCK)"

# A private Xvfb, a temp folder (work), stop/cleanup on exit: the GUI tests' helper.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Tests/Gui/gui_lib.sh"
# Never a JACK server someone else runs on this machine: the Virtual loopback device.
export JACK_DEFAULT_SERVER="wb_app_cpu_$$" JACK_NO_START_SERVER=1

write_settings() {
  local dir="$1" fx=""
  mkdir -p "$dir"
  if [ "$chain" = 1 ]; then
    fx='<Effect id="parametriceq" bypassed="0"/><Effect id="compressor" bypassed="0"/><Effect id="delay" bypassed="0"/><Effect id="reverb" bypassed="0"/>'
  fi
  cat >"$dir/Wavebench.settings" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<PROPERTIES>
  <VALUE name="audioDeviceState"><DEVICESETUP deviceType="Virtual loopback" audioOutputDeviceName="Virtual loopback" audioInputDeviceName="Virtual loopback" audioDeviceRate="48000" audioDeviceBufferSize="256"/></VALUE>
  <VALUE name="session"><WavebenchSession version="1"><GeneratorPanel kind="$signal" freq="$freq" freqTo="20000" levelDb="-6" mode="peak" routing="3" invert="0" running="1"/><ChainPanel>$fx</ChainPanel></WavebenchSession></VALUE>
  <VALUE name="audio.startOnLaunch" val="1"/>
  <VALUE name="view.scope" val="1"/>
  <VALUE name="view.spectrum" val="1"/>
  <VALUE name="view.meters" val="1"/>
  <VALUE name="view.monitor" val="1"/>
</PROPERTIES>
EOF
}

# utime + stime (clock ticks) from a /proc stat line; fields after the ")" of the name.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1"; }
pct() { awk -v a="$1" -v b="$2" -v t="$ticks" -v s="$3" 'BEGIN { printf "%.1f", 100 * (b - a) / t / s }'; }

results=()
for run in $(seq "$runs"); do
  export WAVEBENCH_SETTINGS_DIR="$work/settings$run"
  write_settings "$WAVEBENCH_SETTINGS_DIR"
  launch_app "$work/app$run.log" 0
  sleep "$warmup"
  main="/proc/$app_pid/task/$app_pid/stat" proc="/proc/$app_pid/stat" xs="/proc/$xvfb_pid/stat"
  m0=$(cpu_ticks "$main") p0=$(cpu_ticks "$proc") x0=$(cpu_ticks "$xs") t0=$(date +%s.%N)
  sleep "$seconds"
  m1=$(cpu_ticks "$main") p1=$(cpu_ticks "$proc") x1=$(cpu_ticks "$xs") t1=$(date +%s.%N)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  line="$(pct "$m0" "$m1" "$wall") $(pct "$p0" "$p1" "$wall") $(pct "$x0" "$x1" "$wall")"
  results+=("$line")
  read -r m p x <<<"$line"
  echo "run $run: main thread $m %, process $p %, Xvfb $x % of one core over ${wall} s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  wid="$(find_window)" # JUCE may replace it
  if [ -n "$screenshot" ]; then import -window "$wid" "$screenshot" || echo "warning: no screenshot" >&2; fi
  # Quit as a user does (Ctrl+Q); the app saves its session and device state.
  xdotool mousemove --window "$wid" 700 60 click 1 key ctrl+q 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.05; done
  stop "$app_pid"
  app_pid=""
  device="$(grep -o 'deviceType="[^"]*"' "$WAVEBENCH_SETTINGS_DIR/Wavebench.settings" | head -n1 || true)"
  [ "$device" = 'deviceType="Virtual loopback"' ] || echo "warning: run $run saved device state: ${device:-none}" >&2
done
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mm=$(printf '%s\n' "${results[@]}" | awk '{ print $1 }' | median)
pm=$(printf '%s\n' "${results[@]}" | awk '{ print $2 }' | median)
xm=$(printf '%s\n' "${results[@]}" | awk '{ print $3 }' | median)
echo "median of $runs: main thread $mm %, process $pm %, Xvfb $xm % (signal $signal, chain $chain, ${seconds} s windows)"
