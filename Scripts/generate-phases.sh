#!/usr/bin/env bash
# Regenerates the transcript excerpts of Docs/Phases.md from the real output of the example scripts.
#
#   Scripts/generate-phases.sh
#
# Each excerpt sits between `<!-- excerpt: SCRIPT selectors -->` and `<!-- /excerpt -->` (the selectors are
# described in Tests/PlaygroundTests/DocsExcerpts.swift). The generator is the test code that
# DocsTests uses to check the file, so this script only runs that test in record mode. Read the diff after:
# the prose around an excerpt may need to follow it.
#
# SCRATCH=DIR picks the build directory (default .build).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${SCRATCH:-$ROOT/.build}"
cd "$ROOT"
swift build --build-tests --scratch-path "$SCRATCH"
RECORD_GOLDEN=1 swift test --skip-build --scratch-path "$SCRATCH" \
    --filter 'DocsTests/phasesExcerptsAreTheExamplesRealOutput'
swift test --skip-build --scratch-path "$SCRATCH" --filter 'DocsTests/phasesExcerptsAreTheExamplesRealOutput'
git --no-pager diff --stat -- Docs/Phases.md || true
