# Sourced by the scripts that drive headless Chromium: sets BROWSER, installing Debian's chromium if missing.
BROWSER=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then BROWSER="$b"; break; fi
done
if [ -z "$BROWSER" ]; then
  echo "chromium is missing: installing it (Debian package)" >&2
  apt-get update >/dev/null && apt-get install -y chromium >/dev/null
  BROWSER=chromium
fi

# screenshot HTML OUT.png [HASH]: renders the page in a WINDOW-sized window (default 1400,1000) to a PNG.
screenshot() {
  local url="file://$1"
  [ -n "${3:-}" ] && url="$url#$3"
  "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="${WINDOW:-1400,1000}" --screenshot="$2" "$url" >/dev/null 2>&1
  [ -s "$2" ] || { echo "chromium wrote no screenshot to $2" >&2; return 1; }
  echo "page:       $1"
  echo "screenshot: $2"
}
