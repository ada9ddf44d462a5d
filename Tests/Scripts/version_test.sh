#!/usr/bin/env bash
# `wavebench --version` and `Wavebench --version` print "Wavebench <version> (git <commit>)", where
# <commit> is what git itself says of the source tree (`git describe --always --dirty --abbrev=12`;
# the "-dirty" mark is compared loosely, since the tree may change between build and test), and
# the generator (cmake/GitCommit.cmake) says "unknown" outside a git work tree, the commit of a
# fresh repository, "-dirty" once a tracked file changes, and the override when one is given.
# Usage: version_test.sh <wavebench> <Wavebench> <source-dir> <project-version>
set -euo pipefail
cli="$1" app="$2" src="$3" version="$4"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. The programs against git.
if git -C "$src" rev-parse --show-toplevel >/dev/null 2>&1 &&
   [ "$(realpath "$(git -C "$src" rev-parse --show-toplevel)")" = "$(realpath "$src")" ]; then
  want="$(git -C "$src" describe --always --dirty --abbrev=12)"
else
  want="unknown"
fi
strip_dirty() { sed -E 's/-dirty\)$/)/'; }
for prog in "$cli" "$app"; do
  got="$(env -u DISPLAY "$prog" --version)"
  echo "$(basename "$prog") --version: $got   (git says: $want)"
  [ "$(strip_dirty <<<"$got")" = "$(strip_dirty <<<"Wavebench $version (git $want)")" ] \
    || fail "$(basename "$prog") --version printed '$got', want 'Wavebench $version (git $want)' (a build older than the last commit? build again)"
done
[ "$("$cli" -V)" = "$("$cli" --version)" ] || fail "-V and --version differ"

# 2. The generator on its own.
gen() { # gen SOURCE_DIR [OVERRIDE] -> the commit written into the generated source
  cmake "-DSOURCE_DIR=$1" "-DOUT=$work/out.cpp" "-DGIT=$(command -v git)" "-DOVERRIDE=${2:-}" \
        -P "$src/cmake/GitCommit.cmake"
  sed -nE 's/^ *return "(.*)";$/\1/p' "$work/out.cpp"
}
mkdir -p "$work/plain"
[ "$(gen "$work/plain")" = unknown ] || fail "outside git: '$(gen "$work/plain")', want 'unknown'"
[ "$(gen "$work/plain" "1.2-src")" = "1.2-src" ] || fail "the override is not used"

repo="$work/repo"
mkdir -p "$repo/sub"
git -C "$repo" init -q
echo one >"$repo/file"
git -C "$repo" add file
git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m one
head="$(git -C "$repo" rev-parse HEAD)"
[ "$(gen "$repo")" = "${head:0:12}" ] || fail "fresh repository: '$(gen "$repo")', want '${head:0:12}'"
# A folder inside another repository is not that repository's source tree.
[ "$(gen "$repo/sub")" = unknown ] || fail "a subfolder of a repository: '$(gen "$repo/sub")', want 'unknown'"
echo two >"$repo/file"
[ "$(gen "$repo")" = "${head:0:12}-dirty" ] || fail "changed file: '$(gen "$repo")', want '${head:0:12}-dirty'"
# Unchanged text: the generated file is not rewritten (so nothing recompiles).
touch -d '2000-01-01' "$work/out.cpp"
gen "$repo" >/dev/null
[ "$(stat -c %Y "$work/out.cpp")" = "$(date -d '2000-01-01' +%s)" ] || fail "the unchanged source was rewritten"
echo "PASS"
