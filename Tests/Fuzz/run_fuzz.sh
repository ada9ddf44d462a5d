#!/usr/bin/env bash
# Runs one libFuzzer target for a while on a copy of its seed corpus (the repository's seeds are
# never written to), prints libFuzzer's final figures, and exits non-zero when it found a crash,
# a sanitizer report, a leak, a timeout or an input over the memory limit (the input is then
# kept as crash-* in the current folder, to reproduce: TARGET crash-...).
#
#   Tests/Fuzz/run_fuzz.sh TARGET SEEDS SECONDS [CORPUS]
#
# ctest runs each target for a few seconds (the fuzz stage of scripts/test). For a long run give
# SECONDS in the thousands and a CORPUS folder to keep and grow between runs, e.g.
#   Tests/Fuzz/run_fuzz.sh build/fuzz/bin/fuzz_wav_read Tests/Fuzz/corpus/wav_read 3600 ~/wb-corpus/wav
set -euo pipefail
target="$1"; seeds="$2"; seconds="$3"; corpus="${4:-}"
[ -x "$target" ] || { echo "run_fuzz: no fuzz target at $target" >&2; exit 2; }
[ -d "$seeds" ] || { echo "run_fuzz: no seed corpus at $seeds" >&2; exit 2; }
cleanup=""
if [ -z "$corpus" ]; then
  corpus="$(mktemp -d)"
  cleanup="$corpus"
fi
mkdir -p "$corpus"
trap '[ -n "$cleanup" ] && rm -rf "$cleanup"' EXIT
# -rss_limit_mb: an input that makes a parser allocate what its size cannot justify fails.
# -timeout: one input taking over 10 s is a hang. -seed: a fixed start, the same run in CI.
"$target" -max_total_time="$seconds" -seed=1 -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
  -max_len=65536 "$corpus" "$seeds"
