#!/usr/bin/env bash
# Every `wavebench ...` line in the README's ```sh blocks runs, and must exit as the README says:
# 0, unless the line's comment says "exit N" / "exits N" / "exit code N". A README example that
# drifts from the program (a renamed option, a wrong path, a changed exit code) fails this test.
#
# How the lines run:
# - in a fresh temporary folder, with the built programs' folder (BIN) first on PATH, so a bare
#   `wavebench` is the one just built; a line that names it by path (`build/release/bin/wavebench`)
#   runs that path, `build/release/` read as the build folder ctest runs (BUILD);
# - ```json and ```faust blocks are written first, each to the file named just above it (a line
#   "`steps.json`:" or "`tone.dsp`:"), so the examples that read them (--automation steps.json,
#   --source tone.dsp) get the README's own text; compiled Faust modules are cached in the
#   temporary folder (WAVEBENCH_FAUST_CACHE), never the user's cache;
# - a `jackd ... &` line starts that server (the same arguments) under a private name instead of
#   the README's, stopped at the end; `JACK_DEFAULT_SERVER=<README's name>` reaches it. A line that
#   names a server the README never starts fails. JACK_NO_START_SERVER=1: nothing starts one
#   behind our back;
# - lines with another command (./scripts/..., cmake, ctest, ...) are listed, not run.
#
# Shortened durations (real-time commands only; offline renders run exactly as written):
#   monitor --seconds N            -> --seconds 1
#   bench streams ...              -> plus --seconds-per-step 0.2 --warmup 0.05 --max-streams 2
#                                     (replacing those options when the line has them)
#   latency (without --quick or --probe-period)  -> plus --quick (a 8192-sample probe per run)
# After an exit 0, every file the line names with --out F or --json F must exist and not be empty.
#
# Usage: readme_examples_test.sh <README.md> <bin-dir> <build-dir>
set -uo pipefail
readme="$1" bin="$(realpath "$2")" build="$(realpath "$3")"
work="$(mktemp -d)"
declare -A server_pid=() server_name=()
cleanup() {
  for s in "${!server_pid[@]}"; do
    kill "${server_pid[$s]}" 2>/dev/null
    wait "${server_pid[$s]}" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
export JACK_NO_START_SERVER=1
export WAVEBENCH_FAUST_CACHE="$work/faust-cache"
export PATH="$bin:$PATH"
mkdir -p "$work/run"

# The README's blocks, line by line: "SH<TAB>lineno<TAB>text", "JSON<TAB>file", "J<TAB>text", "END".
awk '
  /^```sh[[:space:]]*$/   { insh = 1; next }
  /^```(json|faust)[[:space:]]*$/ { injson = 1; print "JSON\t" name; next }
  /^```/                  { if (injson) print "END"; insh = 0; injson = 0; next }
  insh                    { print "SH\t" NR "\t" $0; next }
  injson                  { print "J\t" $0; next }
  /^`[^`]+\.(json|dsp|lib)`:[[:space:]]*$/ { name = $0; sub(/^`/, "", name); sub(/`:[[:space:]]*$/, "", name); next }
  /[^[:space:]]/          { name = "" }
' "$readme" >"$work/blocks"

# 1. The JSON files.
json_file=""
while IFS=$'\t' read -r kind a b; do
  case "$kind" in
    JSON) json_file="$a"; [ -n "$json_file" ] && : >"$work/run/$json_file" ;;
    J)    [ -n "$json_file" ] && printf '%s\n' "$a" >>"$work/run/$json_file" ;;
    END)  [ -n "$json_file" ] && echo "json: $json_file written from the README"; json_file="" ;;
  esac
done <"$work/blocks"

failures=0 ran=0 skipped=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

strip_comment() { sed -E 's/[[:space:]]+#([[:space:]].*)?$//' <<<"$1"; }

start_server() { # start_server LINENO LINE
  local line="$2" name args private
  line="$(strip_comment "$line")"
  line="${line%&}"
  name="$(sed -nE 's/.*(--name|-n)[[:space:]]+([^[:space:]]+).*/\2/p' <<<"$line")"
  [ -n "$name" ] || { fail "README line $1: a jackd line without --name: $2"; return; }
  private="wbreadme_$$_$name"
  args="$(sed -E "s/(--name|-n)[[:space:]]+$name/\\1 $private/" <<<"$line")"
  echo "server (README line $1): $args"
  (cd "$work/run" && exec bash -c "exec $args" >"$work/jackd_$name.log" 2>&1) &
  server_pid[$name]=$!
  server_name[$name]="$private"
  for _ in $(seq 100); do
    JACK_DEFAULT_SERVER="$private" jack_lsp >/dev/null 2>&1 && return
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  fail "README line $1: the server did not start: $args"
  cat "$work/jackd_$name.log"
}

run_example() { # run_example LINENO LINE ENV WORD REST
  local n="$1" line="$2" envs="$3" word="$4" rest="$5" want=0 cmd out rc t0 t1 f
  local comment=""
  [[ "$line" =~ [[:space:]]#[[:space:]](.*)$ ]] && comment="${BASH_REMATCH[1]}"
  [[ "$comment" =~ exit(s|[[:space:]]code)?[[:space:]]+([0-9]+) ]] && want="${BASH_REMATCH[2]}"
  rest="$(strip_comment "$rest")"
  # The program: a path under build/release/ is read in the build folder ctest runs.
  if [[ "$word" == build/release/* ]]; then
    word="$build/${word#build/release/}"
  elif [ "$word" != wavebench ]; then
    fail "README line $n: '$word' is neither 'wavebench' nor a path under build/release/"; return
  fi
  # Private JACK servers.
  local e out_envs=""
  for e in $envs; do
    if [[ "$e" == JACK_DEFAULT_SERVER=* ]]; then
      local s="${e#JACK_DEFAULT_SERVER=}"
      [ -n "${server_name[$s]:-}" ] || { fail "README line $n uses JACK server '$s', which the README never starts"; return; }
      e="JACK_DEFAULT_SERVER=${server_name[$s]}"
    fi
    out_envs+="$e "
  done
  # Shortened durations (see the top of this file).
  if [[ " $rest " =~ [[:space:]]monitor[[:space:]] ]]; then
    rest="$(sed -E 's/--seconds[[:space:]]+[0-9.]+/--seconds 1/' <<<"$rest")"
  fi
  if [[ " $rest " =~ [[:space:]]bench[[:space:]]+streams[[:space:]] ]]; then
    rest="$(sed -E 's/[[:space:]]--(seconds-per-step|warmup|max-streams)[[:space:]]+[^[:space:]]+//g' <<<"$rest")"
    rest+=" --seconds-per-step 0.2 --warmup 0.05 --max-streams 2"
  fi
  if [[ " $rest " =~ [[:space:]]latency[[:space:]] ]] && [[ ! "$rest" =~ --quick|--probe-period ]]; then
    rest+=" --quick"
  fi
  cmd="${out_envs}${word}${rest}"
  t0=$(date +%s.%N)
  out="$(cd "$work/run" && timeout 120 bash -c "$cmd" 2>&1)"
  rc=$?
  t1=$(date +%s.%N)
  ran=$((ran + 1))
  printf 'line %3d  exit %d (want %d)  %5.1f s  %s\n' "$n" "$rc" "$want" "$(awk "BEGIN{print $t1-$t0}")" "$cmd"
  if [ "$rc" -ne "$want" ]; then
    fail "README line $n exits $rc, the README says $want:"
    echo "    README: $line"
    echo "    ran:    $cmd"
    sed 's/^/    | /' <<<"$out" | tail -n 30
    return
  fi
  if [ "$rc" -eq 0 ]; then
    for f in $(grep -oE -- '--(out|json)[[:space:]]+[^[:space:]]+' <<<"$rest" | awk '{print $2}'); do
      [ "$f" = - ] && continue
      [ -s "$work/run/$f" ] || fail "README line $n: exit 0 but '$f' was not written"
    done
  fi
}

# 2. The command lines, in order (a server starts where the README starts it).
pending="" pending_no=""
while IFS=$'\t' read -r kind n text; do
  [ "$kind" = SH ] || continue
  if [ -n "$pending" ]; then text="$pending $text"; n="$pending_no"; pending=""; fi
  if [[ "$text" == *\\ ]]; then pending="${text%\\}"; pending_no="$n"; continue; fi
  [[ "$text" =~ ^[[:space:]]*(#.*)?$ ]] && continue
  if [[ "$text" =~ ^[[:space:]]*(([A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*[[:space:]]+)*)([^[:space:]]+)(.*)$ ]]; then
    envs="${BASH_REMATCH[1]}" word="${BASH_REMATCH[3]}" rest="${BASH_REMATCH[4]}"
  else
    continue
  fi
  case "$word" in
    jackd) start_server "$n" "$text" ;;
    wavebench | */wavebench) run_example "$n" "$text" "$envs" "$word" "$rest" ;;
    *) skipped=$((skipped + 1)); echo "line $n  not a wavebench example, not run: $text" ;;
  esac
done <"$work/blocks"

[ "$ran" -gt 0 ] || fail "no wavebench example found in $readme"
echo "$ran examples run, $skipped other lines listed, $failures failures"
[ "$failures" -eq 0 ] && echo PASS
[ "$failures" -eq 0 ]
