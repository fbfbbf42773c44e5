#!/usr/bin/env bash
# Instructions per REPL command on the 30,000-step session of `bench --interactive`, counted by callgrind
# (they do not depend on the load of a shared machine, as wall times do). One run under valgrind: it counts
# only inside the function the timed lines run in (`InteractiveBench.timed`) and writes one profile each time
# that function returns, so each profile holds one command. Prints one Markdown row per command.
#
#   Scripts/interactive-callgrind.sh [BINARY] [-- BENCH OPTIONS]
#
# BINARY defaults to .build/release/paxos-playground (swift build -c release --product paxos-playground).
# Bench options go to `bench --interactive` (default: --repeat 1; e.g. -- --only undo --steps 10000).
# Under valgrind the session takes a few minutes to build.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=".build/release/paxos-playground"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then binary="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
command -v valgrind >/dev/null || { echo "valgrind is not installed: apt-get install valgrind" >&2; exit 2; }
[ -x "$binary" ] || { echo "no binary $binary: swift build -c release --product paxos-playground" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --dump-after takes the function's whole (mangled) name, not a pattern.
timed=$(nm "$binary" | sed -n 's/.* \($s13PlaygroundCLI16InteractiveBenchV5timed[^ ]*\)$/\1/p' | head -1)
[ -n "$timed" ] || { echo "no InteractiveBench.timed in $binary" >&2; exit 2; }
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" --collect-atstart=no \
  --toggle-collect="$timed" --dump-after="$timed" \
  "$binary" bench --interactive --repeat 1 "$@" >"$work/bench.txt" 2>"$work/valgrind.txt" || {
  cat "$work/valgrind.txt" >&2; exit 1; }

# The commands, in the order they ran: the bench's rows.
mapfile -t names < <(sed -n 's/^\(.*[^ ]\) *best .*/\1/p' "$work/bench.txt")
# The profiles, in the order they were written: callgrind numbers them .1, .2, …
dumps=()
for k in "${!names[@]}"; do dumps+=("$work/cg.out.$((k + 1))"); done
[ -f "${dumps[-1]}" ] && [ ! -f "$work/cg.out.$((${#names[@]} + 1))" ] || {
  echo "expected ${#names[@]} profiles, one per command:" >&2; ls "$work" >&2; cat "$work/bench.txt" >&2; exit 1; }
head -1 "$work/bench.txt"
echo
echo "| command | instructions (Ir) |"
echo "|---|---:|"
for k in "${!names[@]}"; do
  ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "${dumps[$k]}")
  printf '| %s | %s |\n' "${names[$k]}" "$(printf "%'d" "$ir")"
done
