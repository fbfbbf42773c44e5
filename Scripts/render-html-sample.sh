#!/usr/bin/env bash
# Fills the space-time page template with a run's data and screenshots it with headless Chromium.
#
#   Scripts/render-html-sample.sh [DATA.json] [OUT.png] [HASH]
#
# DATA defaults to Scripts/sample-playground-data.json, OUT to out/spacetime-sample.png (the filled
# page is written next to it as .html). HASH is an optional page fragment such as "step=24&sel=m17"
# (the step to show and the event eN / message mN to select). WINDOW=WxH changes the window size.
# With DATA set to "-" the template is rendered unfilled, to check the "no data" page.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/Sources/PaxosPlayground/Resources/spacetime.html"
DATA="${1:-$ROOT/Scripts/sample-playground-data.json}"
OUT="${2:-$ROOT/out/spacetime-sample.png}"
HASH="${3:-}"
WINDOW="${WINDOW:-1400,1000}"

mkdir -p "$(dirname "$OUT")"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
HTML="${OUT%.png}.html"

# The same substitution the Swift side does: the marker line becomes `const PLAYGROUND = {...};`.
# Every "<" in the JSON is written \u003c, so a note containing "</script>" cannot end the block.
python3 - "$TEMPLATE" "$DATA" "$HTML" <<'PY'
import json, sys
template, data, out = sys.argv[1:4]
marker = "/*__PLAYGROUND_DATA__*/"
lines = open(template, encoding="utf-8").read().split("\n")
hits = [i for i, l in enumerate(lines) if l.strip() == marker]
if len(hits) != 1:
    sys.exit(f"expected exactly one marker line in {template}, found {len(hits)}")
if data != "-":
    with open(data, encoding="utf-8") as f:
        run = json.load(f)
    text = json.dumps(run, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    lines[hits[0]] = "const PLAYGROUND = " + text + ";"
open(out, "w", encoding="utf-8").write("\n".join(lines))
PY

. "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

screenshot "$HTML" "$OUT" "$HASH"
