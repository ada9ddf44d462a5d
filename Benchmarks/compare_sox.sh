#!/usr/bin/env bash
# Renders the same 60 s test signals (48 kHz, stereo, 24-bit WAV) with `sox synth` and with
# `wavebench render`, and prints each tool's wall time and their ratio.
# Usage: Benchmarks/compare_sox.sh path/to/wavebench [runs]
# Uses hyperfine when it is installed (mean of its runs), else the best of `runs` bash timings.
set -euo pipefail

wavebench=${1:?usage: $0 path/to/wavebench [runs]}
runs=${2:-5}
command -v sox >/dev/null || { echo "sox is not installed" >&2; exit 1; }
[[ -x "$wavebench" ]] || { echo "not an executable: $wavebench" >&2; exit 1; }

readonly seconds=60
readonly rate=48000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name | sox synth arguments | wavebench render arguments
signals=(
  "sine|sine 1000|--signal sine --freq 1000"
  "white|whitenoise|--signal white"
  "pink|pinknoise|--signal pink"
  "sweep|sine 20+20000|--signal sweep-log --freq 20 --to 20000"
)

# Seconds (wall) of one command, best of $runs (hyperfine: mean).
time_command() {
  local cmd=$1
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$runs" --warmup 1 --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/h.json"
    return
  fi
  local best=""
  for ((i = 0; i < runs; ++i)); do
    local start end t
    start=$(date +%s.%N)
    bash -c "$cmd" >/dev/null 2>&1
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}

printf '%-6s %10s %12s %8s\n' signal "sox (s)" "wavebench (s)" ratio
for entry in "${signals[@]}"; do
  IFS='|' read -r name soxArgs wbArgs <<<"$entry"
  soxCmd="sox -n -r $rate -c 2 -b 24 -e signed-integer $work/sox-$name.wav synth $seconds $soxArgs vol -1dB"
  wbCmd="$wavebench render $wbArgs --duration $seconds --rate $rate --channels 2 --format s24 --level -1 --out $work/wb-$name.wav"
  tSox=$(time_command "$soxCmd")
  tWb=$(time_command "$wbCmd")
  printf '%-6s %10.3f %12.3f %7.1fx\n' "$name" "$tSox" "$tWb" "$(echo "$tSox / $tWb" | bc -l)"
done
