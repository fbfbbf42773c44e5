#!/usr/bin/env bash
# The command-language fuzzer (Docs/Fuzz.md): LINES random lines (default 100000) from SEED (default 1)
# through the REPL's own entry point, on the debug build the tests use (FUZZ_CONFIGURATION=release: faster
# lines, after a longer build).
# Prints the figures; exits 0 with no finding, 1 with a finding, 3 on a hang (a line running longer than
# FUZZ_HANG_SECONDS, default 60), and on a crash names the line it stopped at. Extra arguments go to
# `paxos-playground fuzz` (--max-count N, --wide-numbers, --session-lines N, --slow SECONDS).
#
#   Scripts/fuzz.sh 100000 1
set -uo pipefail
cd "$(dirname "$0")/.."
lines="${1:-100000}"
seed="${2:-1}"
shift $(( $# < 2 ? $# : 2 ))
configuration="${FUZZ_CONFIGURATION:-debug}"
swift build -c "$configuration" --product paxos-playground >/dev/null || exit 2
binary="$(swift build -c "$configuration" --show-bin-path)/paxos-playground"
"$binary" fuzz --lines "$lines" --seed "$seed" --hang-seconds "${FUZZ_HANG_SECONDS:-60}" "$@"
status=$?
if [ "$status" -gt 128 ]; then
  echo "CRASH: signal $((status - 128)); finding the line (the same seed gives the same lines)..."
  "$binary" fuzz --lines "$lines" --seed "$seed" --echo "$@" 2>&1 >/dev/null | tail -1 | sed 's/^/crashed at line /'
  echo "crashes    1"
fi
exit "$status"
