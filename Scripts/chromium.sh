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
