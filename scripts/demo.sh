#!/usr/bin/env bash
# make demo: install what is missing, build, install, start a fresh throwaway
# cluster under the repo, generate the demo municipality in it
# (demo/municipality.sql) and print its monthly follow-up report
# (demo/report.sql), which also writes demo/out/report.html, printed to the
# A4 committee paper demo/out/report.pdf (scripts/pdf.sh).  The cluster
# stays up afterwards: `make psql` to explore, `make stop` to stop.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(date +%s)

bash scripts/deps.sh
install_extension || exit 1
bash scripts/cluster.sh start
mkdir -p demo/out
bash scripts/cluster.sh psql -q -c "CREATE EXTENSION actionplan"
bash scripts/cluster.sh psql -q -f demo/municipality.sql
bash scripts/cluster.sh psql -q -f demo/report.sql -v html="$ROOT/demo/out/report.html"
bash scripts/pdf.sh demo/out/report.html demo/out/report.pdf
echo "PDF-rapporten (A4): $ROOT/demo/out/report.pdf"
echo
echo "actionplan: make demo tog $(( $(date +%s) - start )) s. Klustret är kvar:"
echo "  make psql   (tabellerna finns i schemat demo: SET search_path = demo, public;)"
echo "  make stop   (stoppar det)"
