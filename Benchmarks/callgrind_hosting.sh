#!/usr/bin/env bash
# Hosting overhead of FaustEffectNode as an instruction-count ratio (deterministic, load-proof).
# Usage: Benchmarks/callgrind_hosting.sh [build-dir]   (default build/release)
# Prints, per catalogue effect: instructions per frame bare and in the node, and the overhead %.
set -euo pipefail
build="${1:-build/release}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" \
    "$build/bin/wavebench_hosting_instructions" >/dev/null 2>"$out/log"
frames=$((750 * 64))
declare -A ir
for f in "$out"/cg.out.*; do
    name=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
    [ -n "$name" ] || continue
    total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f")
    [ -n "$total" ] || total=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f")
    ir[$name]=$total
done
printf '%-14s %12s %12s %10s\n' effect bare_Ir/frame node_Ir/frame overhead
for key in $(printf '%s\n' "${!ir[@]}" | sed -n 's#^bare/##p' | sort); do
    b=${ir[bare/$key]}; n=${ir[node/$key]}
    awk -v k="$key" -v b="$b" -v n="$n" -v f="$frames" \
        'BEGIN { printf "%-14s %12.1f %12.1f %9.2f%%\n", k, b / f, n / f, (n / b - 1) * 100 }'
done
