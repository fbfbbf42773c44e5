#!/usr/bin/env bash
# Checks `export mermaid` with the real Mermaid: every example's sequence diagram is parsed and rendered
# by Mermaid 11.16.0 in headless Chromium, and the rendered text must hold one message per arrow, one
# note box per note, and none of Mermaid's undecoded entity placeholders.
#
#   Scripts/check-mermaid.sh [EXAMPLE.pxs ...]      (default: every Examples/*.pxs)
#
# Mermaid comes from PyPI (npm is not reachable here): the `artoo-mermaid` wheel vendors the release's
# mermaid.min.js, pinned below by version and sha256. The unit test ExportTests checks the grammar
# without a browser; this script is the end-to-end check. SCRATCH=DIR is SwiftPM's scratch path
# (default .build); CACHE=DIR keeps the downloaded wheel (default out/mermaid-cache).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${SCRATCH:-$ROOT/.build}"
CACHE="${CACHE:-$ROOT/out/mermaid-cache}"
MERMAID_VERSION="11.16.0"
MERMAID_SHA256="74d7c46dabca328c2294733910a8aa1ed0c37451776e8d5295da38a2b758fb9b"

if [ $# -gt 0 ]; then EXAMPLES=("$@"); else EXAMPLES=("$ROOT"/Examples/*.pxs); fi

swift build --package-path "$ROOT" --scratch-path "$SCRATCH" --product paxos-playground >&2
BIN="$(swift build --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)/paxos-playground"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for example in "${EXAMPLES[@]}"; do
  name="$(basename "$example" .pxs)"
  status=0
  { cat "$example"; printf '\nexport mermaid %s\n' "$WORK/$name.mmd"; } | "$BIN" run --no-color --quiet - >/dev/null || status=$?
  if [ "$status" -ge 2 ] || [ ! -s "$WORK/$name.mmd" ]; then
    echo "running $example failed (exit $status)" >&2
    exit 1
  fi
done

JS="$CACHE/mermaid-$MERMAID_VERSION.min.js"
if [ ! -s "$JS" ] || ! echo "$MERMAID_SHA256  $JS" | sha256sum -c --quiet - 2>/dev/null; then
  mkdir -p "$CACHE"
  # The wheel is pure Python metadata around the JavaScript file; only the file is used.
  python3 -m pip download "artoo-mermaid==$MERMAID_VERSION" --no-deps --only-binary=:all: \
    --python-version 3.12 -d "$WORK/wheel" >/dev/null
  python3 - "$WORK/wheel" "$JS" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/artoo_mermaid-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("artoo_mermaid/assets/mermaid.min.js"))
PY
  echo "$MERMAID_SHA256  $JS" | sha256sum -c --quiet - || { echo "mermaid.min.js does not match its pinned sha256" >&2; exit 1; }
fi

python3 - "$WORK" "$JS" <<'PY'
import glob, json, os, sys
work, js = sys.argv[1], sys.argv[2]
diagrams = {}
for path in sorted(glob.glob(work + "/*.mmd")):
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    arrows = sum(1 for l in lines if l.startswith("    ") and not l.startswith("    Note over ")
                 and not l.startswith("    participant ") and not l.startswith("    rect ") and l != "    end" and l.strip())
    notes = sum(1 for l in lines if l.startswith("    Note over "))
    diagrams[os.path.basename(path)] = {"text": text, "arrows": arrows, "notes": notes}
page = """<!DOCTYPE html><html><body><pre id="out">running</pre>
<script src="file://%s"></script>
<script>
const DIAGRAMS = %s;
(async () => {
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  const lines = [];
  let k = 0;
  for (const [name, d] of Object.entries(DIAGRAMS)) {
    try {
      await mermaid.parse(d.text);
      const { svg } = await mermaid.render('d' + (k++), d.text);
      const box = document.createElement('div');
      box.innerHTML = svg;
      const messages = box.querySelectorAll('.messageText').length;
      const notes = box.querySelectorAll('rect.note').length;
      const garbled = box.textContent.includes('\\uFB02\\u00B0');
      const ok = messages === d.arrows && notes === d.notes && !garbled;
      lines.push((ok ? 'OK   ' : 'FAIL ') + name + ': ' + messages + '/' + d.arrows + ' messages, ' +
                 notes + '/' + d.notes + ' notes' + (garbled ? ', undecoded entity codes' : ''));
    } catch (e) {
      lines.push('FAIL ' + name + ': ' + String(e && e.message || e).split('\\n').slice(0, 3).join(' | '));
    }
  }
  document.getElementById('out').textContent = lines.join('\\n');
})();
</script></body></html>""" % (js, json.dumps(diagrams))
open(work + "/check.html", "w", encoding="utf-8").write(page)
PY

. "$(dirname "${BASH_SOURCE[0]}")/chromium.sh"

"$BROWSER" --headless --no-sandbox --disable-gpu --allow-file-access-from-files \
  --virtual-time-budget=30000 --dump-dom "file://$WORK/check.html" 2>/dev/null \
  | python3 -c '
import html, re, sys
dom = sys.stdin.read()
m = re.search(r"<pre id=\"out\">(.*?)</pre>", dom, re.S)
report = html.unescape(m.group(1)) if m else "FAIL no result from the page"
print(report)
sys.exit(0 if report.strip() and "FAIL" not in report and "running" != report.strip() else 1)'
