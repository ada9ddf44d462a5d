#!/usr/bin/env bash
# Round-trip latency on one JACK dummy server, measured by jack_iodelay (JACK's own MTDM tool)
# and by `wavebench latency`, side by side; plus how long each takes to a valid result.
#
#   Benchmarks/compare_jack_iodelay.sh [WAVEBENCH] [PERIOD...]
#
# WAVEBENCH defaults to build/release/bin/wavebench; periods default to "64 256".
# For each period: starts `jackd -d dummy -r 48000 -p PERIOD` under a private server name, runs
# jack_iodelay with its output wired to its input for ~3 s, then `wavebench latency --device jack
# --connect-loopback` (the full probe, 5 runs) and `--quick` (1 run), and stops the server.
# Prints one row per tool; exits 1 when the two disagree by more than 0.01 frame (jack_iodelay
# prints 3 decimals) or a tool gave no result, 0 otherwise.
#
# Times: "to result" for jack_iodelay is from wiring its ports to its first printed round trip;
# for wavebench, `first_result_s` from its JSON (device start to the first valid run) and the wall
# time of the whole process (launch, JACK client, measurement, exit).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wavebench="${1:-$here/build/release/bin/wavebench}"
shift || true
periods=("$@")
[ ${#periods[@]} -eq 0 ] && periods=(64 256)
for tool in jackd jack_iodelay jack_connect jack_lsp awk; do
  command -v "$tool" >/dev/null || { echo "compare_jack_iodelay: $tool is not installed" >&2; exit 2; }
done
[ -x "$wavebench" ] || { echo "compare_jack_iodelay: no wavebench at $wavebench (build first)" >&2; exit 2; }

work="$(mktemp -d)"
. "$here/Benchmarks/jack_dummy.sh"
iodelay_pid=""
cleanup() {
  [ -n "$iodelay_pid" ] && kill "$iodelay_pid" 2>/dev/null
  stop_jack_dummy
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { $1 }"; }          # calc 'printf "%.3f", 1.5 - 0.2'
json_number() { grep -o "\"$2\": *[-0-9.eE+]*" "$1" | head -n1 | awk -F: '{ print $2 + 0 }'; }
status=0
printf '%-6s %-34s %14s %12s %14s\n' period tool "round trip" "to result" "process wall"
for period in "${periods[@]}"; do
  if ! start_jack_dummy "wbcompare-$$-$period" "$period" "$work/jackd.log"; then
    echo "compare_jack_iodelay: no JACK server" >&2
    exit 1
  fi

  # jack_iodelay: wire it, read its lines with a timestamp each.
  stdbuf -oL jack_iodelay >"$work/iodelay.txt" 2>&1 &
  iodelay_pid=$!
  for _ in $(seq 600); do # up to 30 s
    JACK_NO_START_SERVER=1 jack_lsp 2>/dev/null | grep -q '^jack_delay:in$' && break
    sleep 0.05
  done
  wired=$(now)
  jack_connect jack_delay:out jack_delay:in
  first_line=""
  for _ in $(seq 200); do # 4 s
    if [ -z "$first_line" ] && grep -q 'total roundtrip latency' "$work/iodelay.txt"; then
      first_line=$(now)
    fi
    sleep 0.02
  done
  kill "$iodelay_pid" 2>/dev/null; wait "$iodelay_pid" 2>/dev/null; iodelay_pid=""
  iod_frames=$(grep 'total roundtrip latency' "$work/iodelay.txt" | tail -1 | awk '{print $1}')
  iod_time="-"
  [ -n "$first_line" ] && iod_time="$(calc "printf \"%.3f s\", $first_line - $wired")"
  printf '%-6s %-34s %14s %12s %14s\n' "$period" "jack_iodelay" "${iod_frames:-none}" "$iod_time" "-"

  # wavebench: the full probe (5 runs), then --quick (1 run).
  declare -A wb_frames=()
  for mode in full quick; do
    args=(latency --device jack --connect-loopback --json "$work/wb-$mode.json")
    if [ "$mode" = quick ]; then args+=(--quick --runs 1); else args+=(--runs 5); fi
    t0=$(now)
    "$wavebench" "${args[@]}" >"$work/wb-$mode.txt" 2>&1
    rc=$?
    t1=$(now)
    if [ $rc -ne 0 ]; then
      echo "compare_jack_iodelay: wavebench latency ($mode) exited $rc:" >&2
      cat "$work/wb-$mode.txt" >&2
      status=1
      continue
    fi
    frames="$(calc "printf \"%.4f\", $(json_number "$work/wb-$mode.json" mean_frames)")"
    first="$(calc "printf \"%.3f\", $(json_number "$work/wb-$mode.json" first_result_s)")"
    wb_frames[$mode]=$frames
    label="wavebench latency ($mode probe)"
    [ "$mode" = full ] && label="wavebench latency (65536, 5 runs)"
    [ "$mode" = quick ] && label="wavebench latency --quick (1 run)"
    printf '%-6s %-34s %14s %12s %14s\n' "$period" "$label" "$frames" "$first s" \
      "$(calc "printf \"%.3f s\", $t1 - $t0")"
  done

  if [ -z "${iod_frames:-}" ]; then
    echo "compare_jack_iodelay: jack_iodelay printed no round trip at -p $period" >&2
    status=1
  else
    for mode in "${!wb_frames[@]}"; do
      if ! awk -v a="${wb_frames[$mode]}" -v b="$iod_frames" 'BEGIN { d = a - b; exit !(d <= 0.01 && d >= -0.01) }'; then
        echo "compare_jack_iodelay: DISAGREE at -p $period: jack_iodelay $iod_frames, wavebench ($mode) ${wb_frames[$mode]}" >&2
        status=1
      fi
    done
  fi
  unset wb_frames
  stop_jack_dummy
done
[ $status -eq 0 ] && echo "agree: every wavebench figure within 0.01 frame of jack_iodelay"
exit $status
