#!/usr/bin/env bash
# Runs an example script, exports its run as the HTML space-time page, and screenshots the page with
# headless Chromium: the check that the page renders in a real browser.
#
#   Scripts/render-html.sh EXAMPLE.pxs OUT.png [HASH]
#
# The page is written next to OUT as OUT.html (its title is the example's name). HASH is an optional page
# fragment such as "step=24&sel=m17" (the step to show and the event eN / message mN to select).
# WINDOW=WxH changes the window size (default 1400,1000). SCRATCH=DIR is SwiftPM's scratch path
# (default .build). The script's own exit code (1 when an expect failed, as in the unsafe example)
# does not stop the rendering; a script error (2) does.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: Scripts/render-html.sh EXAMPLE.pxs OUT.png [HASH]" >&2
  exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$1"
OUT="$2"
HASH="${3:-}"
WINDOW="${WINDOW:-1400,1000}"
SCRATCH="${SCRATCH:-$ROOT/.build}"

[ -r "$EXAMPLE" ] || { echo "cannot read $EXAMPLE" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
NAME="$(basename "$EXAMPLE" .pxs)"
# The page is named after the example, so its title is the example's name.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
HTML_TMP="$WORK/$NAME.html"
HTML="${OUT%.png}.html"

swift build --package-path "$ROOT" --scratch-path "$SCRATCH" --product paxos-playground >&2
BIN="$(swift build --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)/paxos-playground"

status=0
{ cat "$EXAMPLE"; printf '\nexport html %s\n' "$HTML_TMP"; } | "$BIN" run --no-color --quiet - >/dev/null || status=$?
if [ "$status" -ge 2 ] || [ ! -s "$HTML_TMP" ]; then
  echo "running $EXAMPLE failed (exit $status): no page was written" >&2
  exit 1
fi
mv "$HTML_TMP" "$HTML"

. "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

screenshot "$HTML" "$OUT" "$HASH"
