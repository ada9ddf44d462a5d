# Sourced by the Benchmarks scripts: a private JACK dummy server.
#   start_jack_dummy NAME PERIOD LOGFILE   -> sets jackd_pid; returns 1 (log on stderr) when the
#                                             server did not answer within 30 s
#   stop_jack_dummy
# JACK_DEFAULT_SERVER is exported as NAME. JACK_NO_START_SERVER keeps jack_lsp from starting a
# server of its own.
jackd_pid=""
start_jack_dummy() {
  export JACK_DEFAULT_SERVER="$1"
  jackd -n "$JACK_DEFAULT_SERVER" -d dummy -r 48000 -p "$2" >"$3" 2>&1 &
  jackd_pid=$!
  # Poll for up to 30 s (a loaded machine can be slow to schedule jackd); stop early when jackd
  # has exited.
  local _
  for _ in $(seq 300); do
    JACK_NO_START_SERVER=1 jack_lsp >/dev/null 2>&1 && return 0
    kill -0 "$jackd_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "jackd did not start at -p $2 (exited, or no answer within 30 s):" >&2
  cat "$3" >&2
  return 1
}
stop_jack_dummy() {
  [ -n "$jackd_pid" ] && { kill "$jackd_pid" 2>/dev/null; wait "$jackd_pid" 2>/dev/null; }
  jackd_pid=""
}
