#!/usr/bin/env bash
# Time from `wavebench measure` to its JSON (issue 13), offline and on two devices, in one run:
#
#   Benchmarks/measure_time_to_json.sh [WAVEBENCH] [SECONDS]
#
# WAVEBENCH defaults to build/release/bin/wavebench; SECONDS (the requested sweep, default 2).
# Runs `measure` with --json three ways: offline (no chain: the analysis alone), on the Virtual
# loopback in real time, and on a private JACK dummy server (48 kHz, period 256) with
# --connect-loopback. For each: the capture's length (the sweep's actual duration_s + tail_s,
# from the JSON), the wall time of the whole process (launch, device, capture, analysis, JSON,
# exit), the overhead (wall - capture: what the user waits for beyond the sweep itself) and the
# ratio wall / capture.
# Checks (exit 1 when one fails, 2 when a tool is missing): every run exits 0 with a JSON; its
# delay is the known answer (offline, no chain: 0; Virtual loopback: its period, 256; JACK dummy
# with the ports connected: one period, 256, as jack_iodelay says), within 0.01 frame; a device
# run takes at least its capture's length of wall time (it ran in real time).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wavebench="${1:-$here/build/release/bin/wavebench}"
seconds="${2:-2}"
for tool in jackd jack_lsp awk; do
  command -v "$tool" >/dev/null || { echo "measure_time_to_json: $tool is not installed" >&2; exit 2; }
done
[ -x "$wavebench" ] || { echo "measure_time_to_json: no wavebench at $wavebench (build first)" >&2; exit 2; }
work="$(mktemp -d)"
. "$here/Benchmarks/jack_dummy.sh"
cleanup() { stop_jack_dummy; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s.%N; }
json_number() { grep -o "\"$2\": *[-0-9.eE+]*" "$1" | head -n1 | awk -F: '{ print $2 + 0 }'; }

status=0
printf '%-16s %10s %10s %10s %8s %12s\n' mode capture wall overhead ratio delay
run() { # NAME WANT_DELAY REALTIME ARGS...
  local name="$1" want="$2" realtime="$3"
  shift 3
  local json="$work/$name.json" t0 t1 rc
  t0=$(now)
  "$wavebench" measure "$@" --duration "$seconds" --json "$json" >"$work/$name.txt" 2>&1
  rc=$?
  t1=$(now)
  if [ $rc -ne 0 ] || [ ! -s "$json" ]; then
    echo "measure_time_to_json: $name exited $rc:" >&2
    cat "$work/$name.txt" >&2
    status=1
    return
  fi
  local capture delay wall
  capture=$(awk -v d="$(json_number "$json" duration_s)" -v t="$(json_number "$json" tail_s)" 'BEGIN { printf "%.3f", d + t }')
  delay=$(json_number "$json" delay_frames)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  local overhead="-"
  [ "$realtime" = 1 ] && overhead="$(awk -v w="$wall" -v c="$capture" 'BEGIN { printf "%.3fs", w - c }')"
  printf '%-16s %9ss %9ss %10s %8s %12s\n' "$name" "$capture" "$wall" "$overhead" \
    "$(awk -v w="$wall" -v c="$capture" 'BEGIN { printf "%.3f", w / c }')" "$delay"
  if ! awk -v d="$delay" -v w="$want" 'BEGIN { x = d - w; exit !(x <= 0.01 && x >= -0.01) }'; then
    echo "measure_time_to_json: $name measured a delay of $delay frames, not $want" >&2
    status=1
  fi
  if [ "$realtime" = 1 ] && awk -v w="$wall" -v c="$capture" 'BEGIN { exit !(w < c) }'; then
    echo "measure_time_to_json: $name took $wall s, less than its $capture s capture: not real time" >&2
    status=1
  fi
}

run offline 0 0 --offline
run virtual 256 1 --device virtual --period 256
if start_jack_dummy "wbmeasure-$$" 256 "$work/jackd.log"; then
  run jack-dummy 256 1 --device jack --connect-loopback
  stop_jack_dummy
else
  status=1
fi
exit $status
