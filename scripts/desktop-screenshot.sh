#!/usr/bin/env bash
# The Linux desktop build in a real window under Xvfb, and a screenshot of it
# in screenshots/desktop.png. Needs xvfb, xauth and imagemagick (make setup-desktop).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
./bin/vitaran demo --size small --data "$data" >/dev/null
Xvfb :99 -screen 0 1360x860x24 -nolisten tcp & xvfb=$!
sleep 1
DISPLAY=:99 VITARAN_DATA="$data" VITARAN_ADMIN_PASSWORD=demo-password ./build/bin/vitaran-desktop & app=$!
sleep 8
mkdir -p screenshots
DISPLAY=:99 import -window root screenshots/desktop.png
kill -0 $app  # the window must still be up
echo "screenshots/desktop.png"
