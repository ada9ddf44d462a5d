#!/usr/bin/env bash
# Hosting overhead of FaustEffectNode as an instruction-count ratio (deterministic, load-proof).
# Usage: Benchmarks/callgrind_hosting.sh [build-dir] [--max-extra-ir N]   (build-dir: build/release)
# Prints, per catalogue effect: instructions per frame bare and in the node, what the node adds
# per frame, and the overhead %.
#
# --max-extra-ir N: also a check (ctest hosting_overhead_callgrind, issue 18): exit 1 when, for any
# effect, the node adds more than N instructions per frame over bare `dsp->compute`, when an effect
# of the catalogue has no bare or node count, or when valgrind fails. Instruction counts do not
# depend on the machine's load, so the bound can sit close to the figure (docs/PERFORMANCE.md).
set -euo pipefail
build="build/release"
max_extra=""
while [ $# -gt 0 ]; do
  case "$1" in
    --max-extra-ir) max_extra="$2"; shift 2 ;;
    *) build="$1"; shift ;;
  esac
done
exe="$build/bin/wavebench_hosting_instructions"
command -v valgrind >/dev/null || { echo "callgrind_hosting: valgrind is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
[ -x "$exe" ] || { echo "callgrind_hosting: no $exe (build first)" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
if ! valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$exe" >"$out/stdout" 2>"$out/log"; then
  echo "callgrind_hosting: valgrind failed:" >&2
  tail -n 20 "$out/log" >&2
  exit 1
fi
frames=$((750 * 64))
declare -A ir
for f in "$out"/cg.out.*; do
    [ -e "$f" ] || continue
    name=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
    [ -n "$name" ] || continue
    total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f")
    [ -n "$total" ] || total=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f")
    ir[$name]=$total
done
status=0
effects=0
printf '%-14s %12s %12s %10s %10s\n' effect bare_Ir/frame node_Ir/frame extra/frame overhead
for key in $(printf '%s\n' "${!ir[@]}" | sed -n 's#^bare/##p' | sort); do
    b=${ir[bare/$key]}; n=${ir[node/$key]:-}
    if [ -z "$n" ] || [ "$b" -le 0 ]; then
        echo "callgrind_hosting: no node (or no bare) count for $key" >&2
        status=1
        continue
    fi
    effects=$((effects + 1))
    awk -v k="$key" -v b="$b" -v n="$n" -v f="$frames" \
        'BEGIN { printf "%-14s %12.1f %12.1f %10.2f %9.2f%%\n", k, b / f, n / f, (n - b) / f, (n / b - 1) * 100 }'
    if [ -n "$max_extra" ] && ! awk -v b="$b" -v n="$n" -v f="$frames" -v m="$max_extra" \
            'BEGIN { exit !((n - b) / f <= m) }'; then
        echo "callgrind_hosting: $key: the node adds more than $max_extra instructions per frame" >&2
        status=1
    fi
done
if [ -n "$max_extra" ]; then
    # Every effect of the catalogue was measured (the program prints one line per case).
    want=$(grep -c '^case ' "$out/stdout" || true)
    if [ "$effects" -eq 0 ] || [ "$effects" -ne "$want" ]; then
        echo "callgrind_hosting: measured $effects effect(s), the program ran $want" >&2
        status=1
    fi
    [ $status -eq 0 ] && echo "every effect: the node adds at most $max_extra instructions per frame"
fi
exit $status
