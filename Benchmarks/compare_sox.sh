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

# "wall cpu" seconds of one command: hyperfine's mean wall time (cpu = user + system mean) when
# installed, else the best wall time of $runs runs under /usr/bin/time and the CPU time of that run.
time_command() {
  local cmd=$1
  if command -v hyperfine >/dev/null; then
    hyperfine --runs "$runs" --warmup 1 --export-json "$work/h.json" "$cmd" >/dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["mean"], r["user"] + r["system"])' "$work/h.json"
    return
  fi
  local best="" bestCpu=""
  for ((i = 0; i < runs; ++i)); do
    local wall user sys
    /usr/bin/time -o "$work/time" -f "%e %U %S" bash -c "$cmd" >/dev/null 2>&1
    read -r wall user sys <"$work/time"
    if [[ -z "$best" ]] || (( $(echo "$wall < $best" | bc -l) )); then
      best=$wall
      bestCpu=$(echo "$user + $sys" | bc -l)
    fi
  done
  echo "$best $bestCpu"
}

printf '%-6s %9s %9s %9s %9s %8s %8s\n' signal "sox wall" "wb wall" "sox cpu" "wb cpu" "wall x" "cpu x"
for entry in "${signals[@]}"; do
  IFS='|' read -r name soxArgs wbArgs <<<"$entry"
  soxCmd="sox -n -r $rate -c 2 -b 24 -e signed-integer $work/sox-$name.wav synth $seconds $soxArgs vol -1dB"
  wbCmd="$wavebench render $wbArgs --duration $seconds --rate $rate --channels 2 --format s24 --level -1 --out $work/wb-$name.wav"
  read -r wSox cSox < <(time_command "$soxCmd")
  read -r wWb cWb < <(time_command "$wbCmd")
  printf '%-6s %9.3f %9.3f %9.3f %9.3f %7.1fx %7.1fx\n' "$name" "$wSox" "$wWb" "$cSox" "$cWb" \
    "$(echo "$wSox / $wWb" | bc -l)" "$(echo "$cSox / ($cWb + 0.001)" | bc -l)"
done
echo "(cpu = user + system seconds; /usr/bin/time has 10 ms resolution)"
