#!/usr/bin/env bash
# Instructions per unit of work, before and after a change, counted by callgrind (instruction counts do not
# depend on the load of a shared machine), with wall times (fastest of 3, without valgrind) beside them.
#
#   Scripts/callgrind.sh BEFORE AFTER      # two checkouts, each built with
#                                          #   swift build -c release --product paxos-playground
#
# BEFORE and AFTER are checkout directories (their .build/release/paxos-playground is used) or the binaries
# themselves. Prints one Markdown table:
#
# - bench, per delivered message: `bench --single` (one configuration, in this process) runs with N and 2N
#   transactions; Ir per message is (Ir(2N) − Ir(N)) / (messages(2N) − messages(N)), so the start-up (the
#   Swift runtime, building the cluster, the key pool) cancels out. Wall: the same command with WALL_N
#   transactions and `--repeat 3` (the bench's own time of the run, start-up excluded, fastest of 3), as ns
#   per message.
# - check, per transition: one thread, depth-first, the default reductions; Ir per transition is the whole
#   process's Ir over the transitions it reports (the start-up is `check --help`'s Ir, printed below the
#   table: well under a thousandth of the total). Safety only (`--without progress`) on the S5 bounds of
#   Scripts/compare-spin.sh but with `--timeouts 1` (with `--timeouts 2` S5 no longer ends in minutes since
#   the progress work grew the model: over 1.2 M states in 20 s, unfinished), and, unless PROGRESS=0, with the
#   progress check (the default of `check`) on S1's bounds (no drop, no crash), `--timeouts 1` too.
#   Wall: the whole process, fastest of 3.
#
# Environment: N (bench transactions, default 5000), WALL_N (default 200000), CONFIGS (bench configurations as replicas/batch/window,
# default "3/1/4 7/64/1"), CHECKS (0: the bench rows only, default 1), PROGRESS (1: also check with
# progress, default 1), KEEP (a directory to keep the
# callgrind.out files in, for callgrind_annotate).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 BEFORE AFTER (checkouts or paxos-playground binaries)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is not installed: apt-get install valgrind" >&2; exit 2; }
binary() { if [ -d "$1" ]; then echo "$1/.build/release/paxos-playground"; else echo "$1"; fi; }
before="$(binary "$1")" after="$(binary "$2")"
for b in "$before" "$after"; do [ -x "$b" ] || { echo "no binary $b: build it first" >&2; exit 2; }; done

n="${N:-5000}"
wall_n="${WALL_N:-200000}"
configs="${CONFIGS:-3/1/4 7/64/1}"
progress="${PROGRESS:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
keep="${KEEP:-}"
[ -z "$keep" ] || mkdir -p "$keep"

# S5 and S1 of Scripts/compare-spin.sh, on one thread, with one timeout instead of two.
common="--quiet --replicas 3 --leader none --candidates n1,n2 --elections 2 --elections-per-replica 1 --transactions 1
    --restarts 0 --duplicates 0 --timeouts 1 --order dfs --threads 1 --max-seconds 3600"
s5="$common --drops 2 --crashes 1"
s1="$common --drops 0 --crashes 0"

# Runs "$@" under callgrind; prints its total Ir; its stdout goes to $work/out.
# (Called in $(...), a subshell: $BASHPID names its file.)
ir() {
  local file="$work/callgrind.out.$BASHPID"
  valgrind --tool=callgrind --callgrind-out-file="$file" "$@" >"$work/out" 2>"$work/err"
  [ -z "$keep" ] || cp "$file" "$keep/"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/err" | tail -1
}
json() { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p" "$work/out" | head -1; }
transitions() { grep -E '[0-9,]+ states, [0-9,]+ transitions' "$work/out" | tail -1 | sed -n 's/.* \([0-9,]*\) transitions.*/\1/p' | tr -d ,; }
states() { grep -E '[0-9,]+ states, [0-9,]+ transitions' "$work/out" | tail -1 | sed -n 's/^\([0-9,]*\) states.*/\1/p' | tr -d ,; }
now() { date +%s.%N; }
min() { tr ' ' '\n' | grep . | sort -g | head -1; }
div() { awk -v a="$1" -v b="$2" -v f="${3:-%.0f}" 'BEGIN { printf f, a / b }'; }
num() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); o = ""; l = length(s); for (i = 1; i <= l; i++) { o = o substr(s, i, 1); if ((l - i) % 3 == 0 && i < l) o = o "," } print o }'; }

# bench: sets unit_ir, unit_wall (ns per message), units (messages of the 2N run), start_ir.
bench_side() {
  local bin="$1" r="$2" b="$3" w="$4"
  local args=(bench --single --replicas "$r" --batch "$b" --window "$w")
  local ir1 ir2 m1 m2
  ir1=$(ir "$bin" "${args[@]}" --transactions "$n"); m1=$(json messages)
  ir2=$(ir "$bin" "${args[@]}" --transactions $((2 * n))); m2=$(json messages)
  unit_ir=$(div $((ir2 - ir1)) $((m2 - m1)))
  start_ir=$((ir1 - unit_ir * m1))
  units=$m2
  # Wall: a run long enough to time (2N lasts a few ms, where a page fault or a busy neighbour decides).
  "$bin" "${args[@]}" --transactions "$wall_n" --repeat 3 >"$work/out"
  unit_wall=$(awk -v s="$(json seconds)" -v m="$(json messages)" 'BEGIN { printf "%.0f ns/msg", s / m * 1e9 }')
}

# check: sets unit_ir, unit_wall (seconds), units (transitions), unit_states.
check_side() {
  local bin="$1" bounds="$2"; shift 2
  local total walls="" t0 t1
  # shellcheck disable=SC2086
  total=$(ir "$bin" check $bounds "$@")
  units=$(transitions); unit_states=$(states)
  [ -n "$units" ] || { echo "check printed no transitions:" >&2; cat "$work/out" >&2; exit 1; }
  unit_ir=$(div "$total" "$units")
  for _ in 1 2 3; do
    t0=$(now)
    # shellcheck disable=SC2086
    "$bin" check $bounds "$@" >/dev/null
    t1=$(now)
    walls+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
  done
  unit_wall="$(min <<<"$walls") s"
}

row() { # label, before Ir, after Ir, before wall, after wall
  printf '| %s | %s | %s | %s | %s / %s |\n' "$1" "$(num "$2")" "$(num "$3")" "$(div "$3" "$2" '%.2f')" "$4" "$5"
}

notes=()
echo "| configuration | before Ir/unit | after Ir/unit | ratio (after/before) | wall before / after |"
echo "|---|---:|---:|---:|---|"
for c in $configs; do
  IFS=/ read -r r b w <<<"$c"
  bench_side "$before" "$r" "$b" "$w"; bi=$unit_ir bw=$unit_wall bm=$units bs=$start_ir
  bench_side "$after" "$r" "$b" "$w"; ai=$unit_ir aw=$unit_wall am=$units as=$start_ir
  row "bench $r replicas, batch $b, window $w (Ir per message; $(num "$bm") messages at $(num $((2 * n))) tx)" "$bi" "$ai" "$bw" "$aw"
  [ "$bm" = "$am" ] || notes+=("bench $c: messages differ, before $bm after $am")
  notes+=("bench $c: start-up (Ir(N) − N's messages × Ir/msg) before $(num "$bs"), after $(num "$as")")
done
variants=()
[ "${CHECKS:-1}" = 0 ] || variants+=("S5|--without progress")
[ "${CHECKS:-1}" = 0 ] || [ "$progress" = 0 ] || variants+=("S1|")
for bv in ${variants[@]+"${variants[@]}"}; do
  IFS='|' read -r bn v <<<"$bv"
  if [ "$bn" = S5 ]; then bounds=$s5; else bounds=$s1; fi
  # shellcheck disable=SC2086
  check_side "$before" "$bounds" $v; bi=$unit_ir bw=$unit_wall bt=$units bst=$unit_states
  # shellcheck disable=SC2086
  check_side "$after" "$bounds" $v; ai=$unit_ir aw=$unit_wall at=$units ast=$unit_states
  label="check $bn (timeouts 1), $([ -n "$v" ] && echo "safety only (\`$v\`)" || echo "with progress (the default)")"
  row "$label (Ir per transition; $(num "$bt") transitions, $(num "$bst") states)" "$bi" "$ai" "$bw" "$aw"
  [ "$bt" = "$at" ] && [ "$bst" = "$ast" ] || notes+=("check ${v:-with progress}: counts differ, before $bst states $bt transitions, after $ast states $at transitions")
done
echo
h1=$(ir "$before" check --help); h2=$(ir "$after" check --help)
notes+=("check start-up (\`check --help\` under callgrind): before $(num "$h1") Ir, after $(num "$h2") Ir")
printf '%s\n' "${notes[@]}"
echo "check S5 (timeouts 1): $(tr -s ' \n' ' ' <<<"$s5")"
echo "check S1 (timeouts 1): $(tr -s ' \n' ' ' <<<"$s1")"
