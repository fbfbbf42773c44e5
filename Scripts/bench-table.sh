#!/usr/bin/env bash
# The bench table, every ratio twice: wall time (fastest of REPEAT runs, in one run of `bench`) and
# instructions (valgrind's callgrind, which do not depend on what else the machine does).
#
#   Scripts/bench-table.sh                 # the whole sweep: 3, 5, 7 replicas × batch 1, 8, 64 × window 1, 4, 16
#   Scripts/bench-table.sh --replicas 3 --batch 1,64 --window 4     # a subset (any `bench` sweep options)
#
# 1. Wall: `paxos-playground bench --baseline --repeat REPEAT --json` with TRANSACTIONS transactions per
#    configuration (each configuration in a child process of its own; the run and its bare baseline, the same
#    message values through a `Deque`, timed in that process, the fastest of REPEAT each).
# 2. Instructions: the same configuration with IR_TRANSACTIONS transactions, `bench --single --baseline`
#    under `valgrind --tool=callgrind`; the run's instructions are the inclusive count of
#    `BenchDriver.run(transactions:)`, the baseline's that of `Simulation.bareQueue(_:messages:depth:)`
#    (both never inlined; `callgrind_annotate --inclusive=yes`), so the process's start-up counts on
#    neither side.
#
# Prints one Markdown table. Environment: TRANSACTIONS (default 1000000), REPEAT (default 3), IR_TRANSACTIONS
# (default 20000), SCRATCH_PATH (default .build), BUILD (0: use the release binary already built), BIN (a
# paxos-playground binary to measure instead; implies no build).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${SCRATCH_PATH:-$root/.build}"
transactions="${TRANSACTIONS:-1000000}"
repeats="${REPEAT:-3}"
ir_transactions="${IR_TRANSACTIONS:-20000}"

if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing valgrind (apt-get install valgrind)…" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; } >/dev/null || exit 2
  else
    echo "valgrind is not installed: sudo apt-get install valgrind" >&2; exit 2
  fi
fi
if [ "${BUILD:-1}" != 0 ] && [ -z "${BIN:-}" ]; then
  echo "building paxos-playground (release, $scratch)…" >&2
  swift build -c release --product paxos-playground --scratch-path "$scratch" >&2 || exit 2
fi
bin="${BIN:-$scratch/release/paxos-playground}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "wall: bench --baseline --repeat $repeats --transactions $transactions $*…" >&2
"$bin" bench --baseline --repeat "$repeats" --transactions "$transactions" --json "$@" >"$work/wall.json"

# The configurations the wall run measured, one "replicas batch window" a line.
python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["replicas"], r["batch"], r["window"])' "$work/wall.json" >"$work/configs"

: >"$work/ir.txt"
while read -r r b w; do
  echo "instructions: $r replicas, batch $b, window $w, $ir_transactions transactions under callgrind…" >&2
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" bench --single --baseline \
    --replicas "$r" --batch "$b" --window "$w" --transactions "$ir_transactions" >"$work/single.json" 2>/dev/null
  annotated="$(callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$work/cg.out" 2>/dev/null)"
  # callgrind_annotate lists a function once per source file its code came from (inlined code), each line
  # inclusive of what that part calls; the line of the function's own file holds the whole call (the same
  # count as `--toggle-collect` on the function, to within a few thousand instructions), so: the largest.
  run_ir=$(awk '/BenchDriverV3run12transactions/ { gsub(",", "", $1); if ($1 + 0 > n) n = $1 + 0 } END { print n }' <<<"$annotated")
  bare_ir=$(awk '/9bareQueue/ { gsub(",", "", $1); if ($1 + 0 > n) n = $1 + 0 } END { print n }' <<<"$annotated")
  messages=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["messages"] + r["applies"])' "$work/single.json")
  echo "$r $b $w $run_ir $bare_ir $messages" >>"$work/ir.txt"
done <"$work/configs"

python3 - "$work/wall.json" "$work/ir.txt" "$repeats" "$transactions" "$ir_transactions" <<'PY'
import json, sys
wall = json.load(open(sys.argv[1]))
repeats, transactions, ir_n = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ir = {}
for line in open(sys.argv[2]):
    r, b, w, run, bare, moved = line.split()
    ir[(int(r), int(b), int(w))] = (int(run), int(bare), int(moved))
m = wall.get("machine", {})
print(f"machine: {m.get('processors', '?')} cores, {m.get('model', '?')}, {m.get('memoryGiB', '?')} GiB")
print(f"wall: {transactions:,} transactions a configuration, fastest of {repeats}; "
      f"instructions: {ir_n:,} transactions under callgrind")
print()
print("| replicas | batch | window | messages | msg/s | bare msg/s | overhead (wall) | Ir/msg | bare Ir/msg | overhead (Ir) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
worst_wall = worst_ir = 0.0
for res in wall["results"]:
    key = (res["replicas"], res["batch"], res["window"])
    moved = res["messages"] + res["applies"]
    msgs = res["messages"] / res["seconds"]
    bare = moved / res["baselineSeconds"] if res.get("baselineSeconds") else 0
    over = res["seconds"] / res["baselineSeconds"] if res.get("baselineSeconds") else 0
    run_ir, bare_ir, ir_moved = ir[key]
    over_ir = run_ir / bare_ir
    worst_wall, worst_ir = max(worst_wall, over), max(worst_ir, over_ir)
    print(f"| {key[0]} | {key[1]} | {key[2]} | {res['messages']:,} | {msgs:,.0f} | {bare:,.0f} | {over:.2f}x | "
          f"{run_ir / ir_moved:,.0f} | {bare_ir / ir_moved:,.0f} | {over_ir:.2f}x |")
print()
print(f"overhead at most: {worst_wall:.2f}x wall, {worst_ir:.2f}x instructions (target: at most 3x)")
PY
