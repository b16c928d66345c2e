#!/usr/bin/env bash
# Renders fpaudit HTML reports to PNG with headless Chromium, to look at them.
#
#   scripts/render-html.sh REPORT.html [OUT.png]   render one report
#   scripts/render-html.sh                         render the test fixtures' reports
#                                                  (verify log1p-naive, trace affine) into .build-html/html-preview/
#
# Needs Chromium (not needed by the test suite):  sudo apt-get install chromium
# (Debian package; the binary is `chromium`, on Ubuntu `chromium-browser`; override with CHROMIUM=...).
# The reports are self-contained (inline CSS and SVG, no scripts, no network), so --headless needs no server.
# How we looked at them: render, then open the PNG in an image viewer and check the verdict banner,
# the per-output percentile charts, the worst-input table and, for a trace, the bits-lost-per-pass chart
# with the failing pass in red.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-}
if [[ -z $chromium ]]; then
    for c in chromium chromium-browser google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then chromium=$c; break; fi
    done
fi
if [[ -z $chromium ]]; then
    echo "render-html.sh: Chromium not found; install it with: sudo apt-get install chromium" >&2
    exit 2
fi

render() { # HTML PNG
    local html png
    html=$(realpath "$1")
    png=$(realpath -m "$2")
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --screenshot="$png" --window-size=1200,2000 "file://$html" >/dev/null 2>&1
    echo "$png"
}

if [[ $# -ge 1 ]]; then
    render "$1" "${2:-${1%.html}.png}"
    exit 0
fi

# No argument: let the HTML report tests write their documents, then render them.
out=.build-html/html-preview
mkdir -p "$out"
swift build --scratch-path .build-html --build-tests
FPAUDIT_HTML_OUT="$PWD/$out" swift test --scratch-path .build-html --skip-build --disable-swift-testing \
    --filter HTMLReportTests
for f in "$out"/*.html; do render "$f" "${f%.html}.png"; done
