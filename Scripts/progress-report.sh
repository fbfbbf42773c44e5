#!/usr/bin/env bash
# The distribution of ticks to converge once the faults stop (Docs/Progress.md): runs the fault suite
# with 10,000 runs (or PAXOS_FAULT_RUNS) and prints one line per election and commit policy.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >/dev/null
PAXOS_FAULT_RUNS="${PAXOS_FAULT_RUNS:-10000}" swift test --skip-build --filter RandomizedFaultTests 2>&1 | tee /tmp/progress-report.log | grep -E "^ticks to converge" | sort
grep -qE "Test run with .* passed" /tmp/progress-report.log
