#!/usr/bin/env bash
# Print an HTML file to PDF with headless Chromium, as a committee member's
# browser would (the page size and margins are the file's @page rules):
#   bash scripts/pdf.sh report.html report.pdf
set -euo pipefail
html=$(realpath "$1")
pdf=$(realpath -m "$2")
# a fresh profile each time: no state from earlier runs, nothing shared
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
# --no-sandbox: Chromium's sandbox refuses root
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$profile" --no-pdf-header-footer --print-to-pdf="$pdf" "file://$html" \
	>"$profile/chromium.log" 2>&1 || { cat "$profile/chromium.log" >&2; exit 1; }
[ -s "$pdf" ] || { echo "pdf.sh: Chromium wrote no $pdf" >&2; cat "$profile/chromium.log" >&2; exit 1; }
