#!/usr/bin/env bash
# The Debian package: made the way the README says (`./scripts/package`; in another build folder
# than build/release, cpack on that folder), then inspected with dpkg's own tools:
#  - dpkg-deb -I: name, version, architecture, section; Depends names the package of every shared
#    library the two programs link (asked of dpkg -S, not of our build) and the X11 libraries JUCE
#    opens at run time;
#  - dpkg-deb -c: both programs in usr/bin, the desktop entry (desktop-file-validate, menu
#    categories AudioVideo;Audio), the icons, a man page for wavebench, Wavebench and every
#    subcommand the CLI's --help lists, every Faust/*.dsp under usr/share/wavebench/faust, the docs;
#  - dpkg -x into a temporary root: the programs there run (--version prints what the build's
#    programs print), carry no debug info, and each man page is a roff page that names its command;
#  - apt-get install --simulate: every dependency resolves in this machine's archive (skipped when
#    apt has no package lists).
# Usage: package_test.sh <source-dir> <build-dir> <wavebench>
set -uo pipefail
src="$(realpath "$1")" build="$(realpath "$2")" cli="$3"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for tool in dpkg-deb dpkg cpack desktop-file-validate; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/setup.sh installs it)"; exit 1; }
done

if [ "$build" = "$src/build/release" ]; then
  echo "== ./scripts/package"
  deb="$(cd "$src" && WB_NINJA_FLAGS=-j2 ./scripts/package 2>"$work/package.log" | tail -n1)"
  [ -f "$deb" ] || { echo "FAIL: ./scripts/package made no .deb"; cat "$work/package.log"; exit 1; }
else
  echo "== cpack on $build"
  cpack --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/package.log" 2>&1 \
    || { echo "FAIL: cpack failed"; cat "$work/package.log"; exit 1; }
  deb="$(ls "$work"/package/wavebench_*.deb)"
fi
echo "package: $deb ($(stat -c %s "$deb") bytes)"

echo "== dpkg-deb -I"
dpkg-deb -I "$deb" | sed 's/^/    /'
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = wavebench ] || fail "Package is '$(field Package)'"
want_version="$("$cli" --version | awk '{print $2}')"
[ "$(field Version)" = "$want_version" ] || fail "Version is '$(field Version)', the program says $want_version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
[ "$(field Section)" = sound ] || fail "Section is '$(field Section)'"
depends="$(field Depends)"
# The package names in Depends, one a line (alternatives and version constraints dropped).
tr ',|' '\n\n' <<<"$depends" | sed -E 's/\(.*\)//; s/^ +//; s/ +$//' | grep . >"$work/depends"
depends_on() { grep -qxF "$1" "$work/depends"; }
# Every library the programs link comes from a package that Depends names.
contents="$work/contents"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$contents"
mkdir -p "$work/root"
dpkg-deb -x "$deb" "$work/root"
for prog in wavebench Wavebench; do
  [ -x "$work/root/usr/bin/$prog" ] || { fail "usr/bin/$prog missing or not executable"; continue; }
  for so in $(readelf -d "$work/root/usr/bin/$prog" | sed -nE 's/.*NEEDED.*\[(.*)\]/\1/p'); do
    path="$(ldconfig -p | awk -v so="$so" '$1 == so && /x86-64|x86_64|64bit/ {print $NF; exit}')"
    [ -n "$path" ] || path="$(ldconfig -p | awk -v so="$so" '$1 == so {print $NF; exit}')"
    [ -n "$path" ] || { fail "$prog links $so, which this machine does not have"; continue; }
    pkg="$(dpkg -S "$(realpath "$path")" 2>/dev/null | head -n1 | cut -d: -f1)"
    [ -n "$pkg" ] || pkg="$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1)"
    [ -n "$pkg" ] || { fail "no package owns $path ($so)"; continue; }
    depends_on "$pkg" || fail "$prog links $so from $pkg, which Depends does not name"
  done
done
for pkg in libx11-6 libxext6; do   # opened by JUCE with dlopen: invisible to shlibdeps
  depends_on "$pkg" || fail "Depends lacks $pkg (JUCE opens it at run time)"
done
for pkg in fontconfig-config fonts-dejavu-core; do   # JUCE reads /etc/fonts/fonts.conf and needs a font
  depends_on "$pkg" || fail "Depends lacks $pkg (without it the app draws no text)"
done

echo "== dpkg-deb -c"
need() { grep -qxF "$1" "$contents" || fail "the package has no $1"; }
need /usr/bin/wavebench
need /usr/bin/Wavebench
need /usr/share/applications/wavebench.desktop
need /usr/share/icons/hicolor/scalable/apps/wavebench.svg
need /usr/share/icons/hicolor/256x256/apps/wavebench.png
need /usr/share/doc/wavebench/copyright
need /usr/share/doc/wavebench/README.md
need /usr/share/doc/wavebench/TROUBLESHOOTING.md
for dsp in "$src"/Faust/*.dsp; do need "/usr/share/wavebench/faust/$(basename "$dsp")"; done
# A man page per program and per subcommand the CLI lists (recursively), read from --help here.
subcommands() {
  "$cli" "$@" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1; next} on && /^[^ ]/ {on = 0}'
}
pages=(wavebench Wavebench)
walk() {
  local sub
  for sub in $(subcommands "$@"); do
    local words=("$@" "$sub")
    pages+=("wavebench-$(IFS=-; echo "${words[*]}")")
    walk "${words[@]}"
  done
}
walk
[ ${#pages[@]} -gt 4 ] || fail "found only ${#pages[@]} commands in wavebench --help"
for page in "${pages[@]}"; do
  f="/usr/share/man/man1/$page.1.gz"
  need "$f"
  [ -f "$work/root$f" ] || continue
  zcat "$work/root$f" >"$work/page" || { fail "$f is not gzip"; continue; }
  grep -q '^\.TH ' "$work/page" || fail "$f is not a man page (no .TH)"
  # help2man's NAME section: "<page> \- <what it does>"
  sed -n '/^\.SH NAME/{n;p}' "$work/page" | grep -qF "$page \-" || fail "$f does not name $page in its NAME section"
done
echo "    man pages: ${pages[*]}"

desktop="$work/root/usr/share/applications/wavebench.desktop"
if [ -f "$desktop" ]; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate rejects the desktop entry"
  grep -qx 'Categories=AudioVideo;Audio;' "$desktop" || fail "the desktop entry is not in AudioVideo;Audio;"
  exec_line="$(sed -nE 's/^Exec=([^ ]+).*/\1/p' "$desktop")"
  [ -x "$work/root/usr/bin/$exec_line" ] || fail "the desktop entry runs '$exec_line', not a program of the package"
  icon="$(sed -nE 's/^Icon=(.*)/\1/p' "$desktop")"
  grep -qE "/usr/share/icons/hicolor/.*/apps/$icon\.(svg|png)$" "$contents" || fail "the desktop entry's icon '$icon' is not installed"
fi
png="$work/root/usr/share/icons/hicolor/256x256/apps/wavebench.png"
if [ -f "$png" ] && command -v identify >/dev/null; then
  [ "$(identify -format '%wx%h' "$png")" = 256x256 ] || fail "the 256x256 icon is $(identify -format '%wx%h' "$png")"
fi

echo "== the unpacked programs"
for prog in wavebench Wavebench; do
  bin="$work/root/usr/bin/$prog"
  [ -x "$bin" ] || continue
  got="$(env -u DISPLAY "$bin" --version 2>&1)" || fail "$prog --version from the package failed: $got"
  [ "$got" = "$("$cli" --version)" ] || fail "$prog --version from the package says '$got', the build's wavebench '$("$cli" --version)'"
  echo "    $prog --version: $got"
  readelf -S "$bin" | grep -q '\.debug_info' && fail "$prog in the package carries debug info (not stripped)"
done
"$work/root/usr/bin/wavebench" render --signal sine --duration 0.1 --out "$work/t.wav" >/dev/null 2>&1 \
  && [ -s "$work/t.wav" ] || fail "the packaged wavebench could not render a tone"

echo "== apt-get install --simulate"
policy="$(apt-cache policy libc6 2>/dev/null || true)"
if grep -q 'Candidate: [0-9]' <<<"$policy"; then
  apt-get install --simulate --no-install-recommends "$deb" >"$work/apt.log" 2>&1 \
    && grep -q '^Inst wavebench' "$work/apt.log" \
    || { fail "apt-get cannot install the package here:"; tail -n 20 "$work/apt.log"; }
  grep '^Inst ' "$work/apt.log" | sed 's/^/    /'
else
  echo "    skipped: apt has no package lists on this machine"
fi

[ "$failures" -eq 0 ] && echo PASS || echo "$failures failures"
[ "$failures" -eq 0 ]
