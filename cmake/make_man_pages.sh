#!/usr/bin/env bash
# Writes the man pages (section 1, gzip -9n as Debian installs them) from the programs' own
# --help, with help2man: wavebench.1, one page per subcommand (wavebench-render.1,
# wavebench-bench-streams.1, ...) found by reading the "Subcommands:" lists of the help, so a new
# command gets its page with no change here, and Wavebench.1 for the desktop app. Run by the build
# (target wavebench_man_pages) whenever a program changes.
# Usage: make_man_pages.sh <wavebench> <Wavebench> <out-dir>
set -euo pipefail
cli="$1" app="$2" out="$3"
command -v help2man >/dev/null || { echo "make_man_pages: help2man is not installed (apt-get install help2man)" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
rm -rf "$out.new"; mkdir -p "$out.new"
# "Wavebench 0.1.0 (git abc)" -> "0.1.0 (git abc)"
version="$(env -u DISPLAY "$cli" --version)"; version="${version#Wavebench }"

cat >"$tmp/see-also" <<'ROFF'
[SEE ALSO]
.BR wavebench (1),
.BR Wavebench (1),
and the troubleshooting guide (xruns, no JACK server, no device, latency, PipeWire):
.I /usr/share/doc/wavebench/TROUBLESHOOTING.md
(also Help > Troubleshooting in the app).
ROFF

# page NAME DESCRIPTION COMMAND...: NAME.1.gz from `COMMAND --help`.
page() {
  local name="$1" desc="$2"; shift 2
  printf '#!/bin/sh\nexec env -u DISPLAY' >"$tmp/$name"
  printf ' %q' "$@" >>"$tmp/$name"
  printf ' "$@"\n' >>"$tmp/$name"
  chmod +x "$tmp/$name"
  help2man --no-info --section=1 --source="Wavebench $version" --version-string="$name $version" \
           --name="$desc" --include="$tmp/see-also" --output="$tmp/$name.1" "$tmp/$name"
  gzip -9n <"$tmp/$name.1" >"$out.new/$name.1.gz"
}

# subcommands WORDS...: "name<TAB>description" for each subcommand of `wavebench WORDS... --help`.
subcommands() {
  "$cli" "$@" --help | awk '
    /^Subcommands:/ { on = 1; next }
    on && /^  [a-z]/ { name = $1; sub(/^  [^ ]+ +/, ""); print name "\t" $0; next }
    on && /^[^ ]/ { on = 0 }'
}

# walk WORDS...: a page for each subcommand below `wavebench WORDS...`, recursively.
walk() {
  local sub desc
  while IFS=$'\t' read -r sub desc; do
    local words=("$@" "$sub")
    local IFS=-
    local name="wavebench-${words[*]}"
    unset IFS
    page "$name" "$desc" "$cli" "${words[@]}"
    walk "${words[@]}"
  done < <(subcommands "$@")
}

page wavebench "audio test signals, Faust effects and loopback latency, headless" "$cli"
walk
page Wavebench "the Wavebench desktop app: test signals, live Faust effects, monitor" "$app"
rm -rf "$out"
mv "$out.new" "$out"
