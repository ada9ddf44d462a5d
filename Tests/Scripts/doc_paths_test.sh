#!/usr/bin/env bash
# Every path under build/release/ that the README, the docs, the scripts, the benchmarks and the
# tests name must exist in the build (read in the build folder ctest runs), so a program that
# moves, or a doc that names the old place, fails the suite (issue 17: the README's run command
# named a path the build never made).
# Usage: doc_paths_test.sh <source-dir> <build-dir>
set -uo pipefail
src="$(realpath "$1")" build="$(realpath "$2")"
cd "$src"
files=(README.md docs/*.md scripts/* .ci/*)
mapfile -t more < <(find Benchmarks Tests -type f \( -name '*.sh' -o -name '*.md' -o -name '*.cpp' -o -name '*.h' \
                       -o -name 'CMakeLists.txt' \) | sort)
files+=("${more[@]}")
failures=0 checked=0
while IFS= read -r hit; do
  file="${hit%%:*}" path="${hit#*:}"
  # A pattern (build/release/package/wavebench_*.deb, ..._<version>_...): its folder must exist.
  case "$path" in *'*' | *'<') path="$(dirname "$path")" ;; esac
  rel="${path#build/release}"
  checked=$((checked + 1))
  if [ ! -e "$build$rel" ]; then
    echo "FAIL: $file names $path, which the build does not have ($build$rel)"
    failures=$((failures + 1))
  fi
done < <(grep -oE 'build/release(/[A-Za-z0-9_.+-]+)*[*<]?' "${files[@]}" 2>/dev/null | sort -u)
echo "$checked distinct paths checked, $failures missing"
[ "$checked" -gt 0 ] && [ "$failures" -eq 0 ]
