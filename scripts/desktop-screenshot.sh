#!/usr/bin/env bash
# The Linux desktop build in a real window under Xvfb: log in from the
# keyboard and take screenshots/desktop.png of the dashboard. Needs xvfb,
# xauth, imagemagick and xdotool (make setup-desktop).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
./bin/vitaran demo --size small --data "$data" >/dev/null
Xvfb :99 -screen 0 1360x860x24 -nolisten tcp & xvfb=$!
sleep 1
DISPLAY=:99 VITARAN_DATA="$data" VITARAN_ADMIN_PASSWORD=demo-password ./build/bin/vitaran-desktop >/dev/null 2>&1 & app=$!
sleep 6
kill -0 $app # the window must be up
# The cursor starts in the password field of the login screen.
DISPLAY=:99 xdotool type --delay 20 demo-password
DISPLAY=:99 xdotool key Return
sleep 3
DISPLAY=:99 xdotool key F9 # the dashboard
sleep 4
mkdir -p screenshots
DISPLAY=:99 import -window root screenshots/desktop.png
kill -0 $app
echo "screenshots/desktop.png"
