#!/usr/bin/env bash
# JACK is a required component: a JACK test whose private server does not come up must FAIL, with
# the reason, never pass quietly (issue 18). A stand-in `jackd` first on PATH exits at once with a
# message; every test that starts a private server (Tests/Support/PrivateJackServer) and the
# jack_iodelay comparison (ctest jack_iodelay_agreement) must then exit non-zero and say why.
# Usage: jack_required_test.sh WAVEBENCH_TESTS WAVEBENCH
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tests_bin="$1"
wavebench="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cat >"$work/bin/jackd" <<'STUB'
#!/usr/bin/env bash
echo "stand-in jackd: refusing to start (jack_required_test.sh)" >&2
exit 7
STUB
chmod +x "$work/bin/jackd"
failures=0

# expect_failure NAME WANT_TEXT COMMAND...: COMMAND must exit non-zero and print WANT_TEXT.
expect_failure() {
  local name="$1" want="$2" out rc
  shift 2
  out="$(PATH="$work/bin:$PATH" "$@" 2>&1)"
  rc=$?
  if [ "$rc" -eq 0 ] || ! grep -qF -- "$want" <<<"$out"; then
    echo "FAIL [$name]: exit $rc (want non-zero) and output containing '$want'; output:"
    sed 's/^/    /' <<<"$out"
    failures=$((failures + 1))
  else
    echo "ok   [$name]: exit $rc, '$(grep -F -m1 -- "$want" <<<"$out" | sed 's/^ *//')'"
  fi
}

# Catch2 test specs: a comma separates specs, brackets are tags; escape them as ctest's discovery does.
spec() { sed -e 's/[],[]/\\&/g' <<<"$1"; }

# Every test case that starts a private jackd (grep: a new one cannot be forgotten here).
mapfile -t names < <(grep -l 'PrivateJackServer server' "$root"/Tests/Cli/*.cpp "$root"/Tests/Engine/*.cpp 2>/dev/null |
  xargs awk '/^TEST_CASE\(/ { line = $0; sub(/^TEST_CASE\("/, "", line); sub(/".*/, "", line); name = line }
             /PrivateJackServer server/ { if (name != "") print name; name = "" }')
if [ "${#names[@]}" -lt 2 ]; then
  echo "FAIL: expected at least the two JACK CLI tests, found ${#names[@]}: ${names[*]:-none}"
  exit 1
fi
for name in "${names[@]}"; do
  expect_failure "$name" "jackd exited" "$tests_bin" "$(spec "$name")"
done

expect_failure "compare_jack_iodelay.sh" "jackd did not start" \
  bash "$root/Benchmarks/compare_jack_iodelay.sh" "$wavebench" 64

[ $failures -eq 0 ] && echo "every JACK test fails when its server does not start"
exit $(( failures > 0 ))
