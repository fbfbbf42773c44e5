#!/usr/bin/env bash
# The model checker against SPIN, on the same protocol bounds, in one run.
#
#   Scripts/compare-spin.sh              # S1..S5, then the broken variants
#   Scripts/compare-spin.sh S1 S2        # only these bounds (then the broken variants)
#   Scripts/compare-spin.sh --bugs       # only the broken variants
#   Scripts/compare-spin.sh S5 --beyond  # S5, then the bounds beyond SPIN's reach
#
# SPIN runs ../shared/bench/paxos.pml through ../shared/bench/run-spin.sh (single-threaded pan, -O2 -DSAFETY;
# the wall time is pan's, compilation excluded). `paxos-playground check` runs the real core on the same
# protocol bounds: three replicas, no leader at the start, n1 and n2 may each stand for election once (SPIN's
# two proposers with one ballot each), one client transaction, the bound's drops and crashes (a crashed
# replica never restarts, as in the model), no duplicates, no heartbeats (a lost message stays lost).
# The broken variants: SPIN's BUG1 (the new leader ignores the values the promises report) against the
# core's named protocol break ignore-recovered-values (through the check-mutant benchmark target, which is
# `check --break NAME` in checkouts that have it), and BUG2 (the new leader skips phase 1's learning) against
# `set recovery off`; both under S5 bounds, timed to the first counterexample.
#
# check searches breadth-first on S1 and the broken variants (shortest counterexamples, every core) and
# depth-first on S2 to S5 (about 60 bytes a state, every core): breadth-first search keeps whole states of its
# widest level.
#
# Equal terms. check's drops-as-delays reduction drops no message (a message never delivered covers a lost
# one); SPIN's model has the same reduction at hand: its bound without drops (S3 and S5: S2's; S4: S1's). So
# each bound is compared twice, each pair run back to back, PAIRS times (the ratio is the median of the pairs'):
#   - "equal reductions": check (drops as delays, its default) against SPIN on the bound without drops;
#   - "every drop": check --without drops-as-delays against SPIN on the bound itself (on S1 and S2, which
#     have no drops, the two comparisons are one).
# check runs on 1 thread and on CHECK_THREADS threads; SPIN's pan on one (it has no threads here).
# `--beyond` adds bounds SPIN does not finish in 600 s on this machine (two slots: two transactions; a third
# ballot: a third election), which check runs with --max-seconds 600, reporting its verdict and peak memory.
#
# Environment: SPIN_BENCH (default ../shared/bench), SCRATCH_PATH (default .build), CHECK_TIME_LIMIT
# seconds per check run (default 1800), CHECK_THREADS (default: all cores), CHECK_ORDER (bfs or dfs: one
# order for every bound), PAIRS (default 1).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${SPIN_BENCH:-$root/../shared/bench}"
scratch="${SCRATCH_PATH:-$root/.build}"
limit="${CHECK_TIME_LIMIT:-1800}"
threads="${CHECK_THREADS:-$(nproc)}"
pairs="${PAIRS:-1}"

bounds=()
only_bugs=
beyond=
for arg in "$@"; do
  case "$arg" in
    --bugs) only_bugs=1 ;;
    --beyond) beyond=1 ;;
    S[1-5]) bounds+=("$arg") ;;
    *) echo "usage: $0 [S1 .. S5] [--bugs] [--beyond]" >&2; exit 2 ;;
  esac
done
if [ ${#bounds[@]} -eq 0 ] && [ -z "${only_bugs:-}" ]; then bounds=(S1 S2 S3 S4 S5); fi

# --- SPIN -------------------------------------------------------------------------------------------
[ -x "$bench/run-spin.sh" ] || { echo "no $bench/run-spin.sh: set SPIN_BENCH to the directory holding paxos.pml" >&2; exit 2; }
if ! command -v spin >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing spin (apt-get install spin)…" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin; } >/dev/null || exit 2
  else
    echo "spin is not installed: sudo apt-get install spin" >&2; exit 2
  fi
fi

# --- The playground ---------------------------------------------------------------------------------
echo "building paxos-playground (release, $scratch)…" >&2
swift build -c release --scratch-path "$scratch" >&2 || exit 2
bin="$scratch/release/paxos-playground"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
have_check=0
"$bin" --help 2>/dev/null | grep -Eq '^ +check( |$)' && have_check=1

order_of() {
  if [ -n "${CHECK_ORDER:-}" ]; then echo "$CHECK_ORDER"; else case "$1" in S1|BUG*) echo bfs ;; *) echo dfs ;; esac; fi
}
drops_of() { case "$1" in S1|S2) echo 0 ;; S3) echo 1 ;; S4|S5|BUG*) echo 2 ;; esac; }
crashes_of() { case "$1" in S1|S4) echo 0 ;; *) echo 1 ;; esac; }
# SPIN's bound with the same crashes and no drop: what SPIN's model searches with check's drops-as-delays.
nodrops_of() { case "$1" in S1|S4) echo S1 ;; *) echo S2 ;; esac; }

# The check options for SPIN's bounds (see the header), with what this build's check offers: without
# --elections-per-replica a candidate may stand twice, and without --timeouts time passes in global ticks.
check_help="$("$bin" check --help 2>&1 || true)"
has_option() { grep -q -- "$1" <<<"$check_help"; }
check_args() {
  local args="--quiet --replicas 3 --leader none --candidates n1,n2 --elections 2 --transactions 1"
  args+=" --drops $(drops_of "$1") --crashes $(crashes_of "$1") --restarts 0 --duplicates 0"
  args+=" --threads ${CHECK_RUN_THREADS:-$threads} --max-seconds $limit --script $work/counterexample.pxs"
  if has_option --elections-per-replica; then args+=" --elections-per-replica 1"; fi
  if has_option --timeouts; then args+=" --timeouts 2"; else args+=" --ticks 2"; fi
  if has_option --order; then args+=" --order $(order_of "$1")"; fi
  echo "$args"
}

# SPIN's model checks safety only: so does check here (its progress check, where it has one, is left out).
# Prints the --without option for the reductions given (comma-separated, may be empty).
without() {
  local skip="$1"
  if grep -q 'progress' <<<"$check_help"; then skip="progress${skip:+,$skip}"; fi
  if [ -n "$skip" ]; then echo "--without $skip"; fi
}
# `check` with the core's protocol bug on (the check-mutant target), if this checkout has it.
mutant="$scratch/release/check-mutant"
has_mutation=0
[ -x "$mutant" ] && has_mutation=1

# Runs SPIN on bounds $1; sets spin_states, spin_transitions, spin_wall, spin_rss_mb, spin_errors, spin_depth.
run_spin() {
  local out
  out="$("$bench/run-spin.sh" "$1" 2>&1)"
  spin_states=$(awk '/states, stored/ {print $1}' <<<"$out")
  spin_transitions=$(awk '/transitions \(= stored\+matched\)/ {print $1}' <<<"$out")
  spin_wall=$(awk '/^wall_s/ {print $2}' <<<"$out")
  spin_rss_mb=$(awk '/^wall_s/ {printf "%.0f", $4 / 1024}' <<<"$out")
  spin_errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' <<<"$out" | head -1)
  spin_depth=$(sed -n 's/.*depth reached \([0-9]*\).*/\1/p' <<<"$out" | head -1)
}

# Runs check on bounds $1 with extra options; sets check_states, check_transitions, check_wall,
# check_rss_mb, check_verdict, check_steps. The program is `paxos-playground check`, or `check-mutant NAME`
# when $checker is set so.
checker=("$bin" check)
run_check() {
  local b="$1"; shift
  local out timing
  timing="$(mktemp)"
  # shellcheck disable=SC2046
  out="$(/usr/bin/time -o "$timing" -f "%e %M" timeout $((limit + 30)) "${checker[@]}" $(check_args "$b") "$@" 2>&1)"
  local status=$?
  check_wall=$(tail -1 "$timing" | awk '{print $1}')
  check_rss_mb=$(tail -1 "$timing" | awk '{printf "%.0f", $2 / 1024}')
  rm -f "$timing"
  local line
  line=$(grep -E '[0-9,]+ states, [0-9,]+ transitions' <<<"$out" | tail -1)
  check_states=$(sed -n 's/^\([0-9,]*\) states.*/\1/p' <<<"$line" | tr -d ,)
  check_transitions=$(sed -n 's/.* \([0-9,]*\) transitions.*/\1/p' <<<"$line" | tr -d ,)
  check_steps=$(sed -n 's/.*after \([0-9]*\) step.*/\1/p' <<<"$out" | head -1)
  if grep -q '^verified' <<<"$out"; then check_verdict="verified"
  elif grep -q 'VIOLATION' <<<"$out"; then check_verdict="violation"
  elif grep -q '^incomplete' <<<"$out"; then check_verdict="incomplete"
  else
    check_verdict="error"
    echo "check failed (exit $status): $(head -1 <<<"$out")" >&2
    check_wall= check_rss_mb=
  fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
num() { awk -v n="${1:-}" 'BEGIN { if (n == "") { print "-"; exit } s = sprintf("%d", n); o = ""; l = length(s); for (i = 1; i <= l; i++) { o = o substr(s, i, 1); if ((l - i) % 3 == 0 && i < l) o = o "," } print o }'; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
echo "SPIN $(spin -V 2>/dev/null | awk '{print $3}'), single-threaded pan; check: $threads thread(s), time limit ${limit} s"
if [ $have_check = 1 ]; then
  echo "check on S5: $(check_args S5)"
  has_option --elections-per-replica || echo "note: check has no --elections-per-replica: a candidate may stand twice (SPIN: once)"
  has_option --timeouts || echo "note: check has no --timeouts: time passes in global ticks (SPIN: a proposer may start at any moment)"
  [ $has_mutation = 1 ] || echo "note: no check-mutant in this checkout: the BUG1 counterpart is not measured"
else
  echo "note: this paxos-playground has no check subcommand yet: only SPIN's side is measured"
fi
echo

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs SPIN on bounds $1 and check on bounds $2 with $3 threads and options $4.., back to back, $pairs
# times; sets pair_spin_wall, pair_check_wall (medians), pair_ratio (median of the pairs' ratios) and the
# states, transitions, RSS and verdict of the last runs.
run_pair() {
  local sb="$1" cb="$2" t="$3"; shift 3
  local spins="" checks="" ratios="" k
  for ((k = 0; k < pairs; k++)); do
    run_spin "$sb"
    CHECK_RUN_THREADS=$t run_check "$cb" "$@"
    spins+="$spin_wall"$'\n'
    checks+="${check_wall:-}"$'\n'
    ratios+="$(ratio "$check_wall" "$spin_wall")"$'\n'
  done
  pair_spin_wall=$(grep -v '^-*$' <<<"$spins" | median)
  pair_check_wall=$(grep -v '^-*$' <<<"$checks" | median)
  pair_ratio=$(grep -v '^-*$' <<<"$ratios" | median)
  [ -n "$pair_ratio" ] || pair_ratio=-
}

if [ ${#bounds[@]} -gt 0 ]; then
  [ $have_check = 1 ] || { echo "no check subcommand: nothing to compare" >&2; exit 2; }
  printf "%-6s %-16s %-8s %12s %8s  %7s  %12s %14s %8s %7s  %-10s %8s\n" \
    bounds comparison "SPIN on" "SPIN states" "wall s" threads "check states" "transitions" "wall s" "RSS MB" verdict "ratio"
  for b in "${bounds[@]}"; do
    nd="$(nodrops_of "$b")"
    comparisons=("equal reductions|$nd|")
    if [ "$(drops_of "$b")" -gt 0 ]; then comparisons+=("every drop|$b|$(without drops-as-delays)"); fi
    for comparison in "${comparisons[@]}"; do
      IFS='|' read -r name spin_bound extra <<<"$comparison"
      [ -n "$extra" ] || extra="$(without "")"
      for t in $(printf '%s\n' 1 "$threads" | sort -un); do
        # shellcheck disable=SC2086
        run_pair "$spin_bound" "$b" "$t" $extra
        printf "%-6s %-16s %-8s %12s %8s  %7s  %12s %14s %8s %7s  %-10s %8s\n" \
          "$b" "$name" "$spin_bound" "$(num "$spin_states")" "$pair_spin_wall" "$t" "$(num "$check_states")" \
          "$(num "$check_transitions")" "${pair_check_wall:--}" "${check_rss_mb:--}" "$check_verdict" "$pair_ratio"
      done
    done
  done
  echo "ratio: check's wall time over SPIN's (target on S5: at most 0.5 in both comparisons), the median of $pairs"
  echo "pair(s) run back to back. equal reductions: check drops no message (drops as delays), SPIN runs the bound"
  echo "without drops; every drop: both take every drop (check --without drops-as-delays, SPIN the bound itself)."
  echo "check's search: $(for b in "${bounds[@]}"; do printf '%s %s  ' "$b" "$(order_of "$b")"; done)(dfs: every core, no depth bound)"
  echo
fi

if [ -n "$beyond" ] && [ $have_check = 1 ]; then
  echo "beyond SPIN's reach (SPIN does not finish these in 600 s, > 13 GB): check with --max-seconds 600, $threads thread(s)"
  printf "%-44s %12s %14s %8s %8s  %-10s\n" bounds "check states" transitions "wall s" "RSS MB" verdict
  saved_limit=$limit
  limit=600
  for pair in "S2 bounds, two slots (2 transactions)|S2|--transactions 2" \
              "S2 bounds, a third ballot (3 elections)|S2|--elections 3 --elections-per-replica 2"; do
    IFS='|' read -r label b extra <<<"$pair"
    # shellcheck disable=SC2046,SC2086
    CHECK_RUN_THREADS=$threads run_check "$b" $extra $(without "")
    printf "%-44s %12s %14s %8s %8s  %-10s\n" "$label" "$(num "$check_states")" "$(num "$check_transitions")" \
      "${check_wall:--}" "${check_rss_mb:--}" "$check_verdict"
  done
  limit=$saved_limit
  echo "(later options override the bound's: --transactions 2 or --elections 3 --elections-per-replica 2)"
  echo
fi

if true; then
  echo "time to the first counterexample, S5 bounds"
  printf "%-44s %8s %8s %6s   %-34s %8s %8s %6s %11s\n" "SPIN variant" "states" "wall s" "depth" "check variant" \
    "states" "wall s" "steps" "wall ratio"
  for pair in "BUG1|ignore-recovered-values|" "BUG2|recovery off|--recovery off"; do
    IFS='|' read -r spin_variant check_variant check_extra <<<"$pair"
    if [ "$spin_variant" = BUG1 ]; then checker=("$mutant" ignore-recovered-values); else checker=("$bin" check); fi
    run_spin "$spin_variant"
    label="$spin_variant ($([ "$spin_variant" = BUG1 ] && echo "ignores the promised values" || echo "skips phase 1"), errors $spin_errors)"
    if [ $have_check = 1 ] && { [ "$spin_variant" = BUG2 ] || [ $has_mutation = 1 ]; }; then
      # shellcheck disable=SC2086
      run_check BUG $check_extra $(without "")
    else
      check_states= check_wall= check_steps= check_verdict=-
    fi
    printf "%-44s %8s %8s %6s   %-34s %8s %8s %6s %11s\n" "$label" "$(num "$spin_states")" "$spin_wall" "$spin_depth" \
      "$check_variant ($check_verdict)" "$(num "$check_states")" "${check_wall:--}" "${check_steps:--}" \
      "$(ratio "$check_wall" "$spin_wall")"
  done
  echo "SPIN searches depth-first (depth: its trail); check breadth-first, so its counterexample is a shortest one."
fi
