#!/usr/bin/env bash
# make test: install what is missing, build, install, start a fresh throwaway
# cluster, run pg_regress (sql/, expected/) and the pgTAP suites (test/*.sql;
# test/cron/*.sql in the pg_cron database) with pg_prove, the robustness tests
# (test/fuzz/sql_fuzz.py, test/dump_restore.sh, test/upgrade.sh, test/security/preinstall.sh,
# test/concurrency.sh, test/region.sh, scripts/reference.py), the Debian package
# (test/package.sh), the client tests (test/clients:
# psqlODBC and node-postgres), the docs' SQL examples (test/docs_examples.py,
# on the clients' demo database), the printed report (the demo's report.html to
# PDF, checked by test/report_pdf.py), stop the cluster, and close with
# "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/deps.sh || exit 1
install_extension || exit 1

bash scripts/cluster.sh start || exit 1
trap 'bash scripts/cluster.sh stop' EXIT
DIR=$(bash scripts/cluster.sh dir)
client_env "$DIR"
LOG=$DIR/test-logs
mkdir -p "$LOG"

echo "== pg_regress"
make -s PG_CONFIG="$PG_CONFIG" installcheck >"$LOG/regress.out" 2>&1
regress_rc=$?
cat "$LOG/regress.out"
[ $regress_rc -ne 0 ] && [ -f regression.diffs ] && head -n 200 regression.diffs
r_pass=$(grep -cE '\.\.\. ok( |$)' "$LOG/regress.out" || true)
r_fail=$(grep -cE '\.\.\. FAILED' "$LOG/regress.out" || true)
[ $regress_rc -ne 0 ] && [ "$r_fail" -eq 0 ] && r_fail=1

echo "== pg_prove"
"$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE actionplan_tap" >/dev/null
"$PGBIN/psql" -X -q -d actionplan_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION actionplan" >/dev/null
pg_prove -v -d actionplan_tap test/*.sql >"$LOG/prove.out" 2>&1
prove_rc=$?
# the pg_cron suite runs where pg_cron schedules: the actionplan database
"$PGBIN/psql" -X -q -d actionplan -c "CREATE EXTENSION pgtap; CREATE EXTENSION pg_cron; CREATE EXTENSION actionplan" >/dev/null
pg_prove -v -d actionplan test/cron/*.sql >>"$LOG/prove.out" 2>&1 || prove_rc=1
grep -vE '^\s*ok [0-9]+' "$LOG/prove.out"
t_pass=$(grep -cE '^\s*ok [0-9]+' "$LOG/prove.out" || true)
t_fail=$(grep -cE '^\s*not ok [0-9]+' "$LOG/prove.out" || true)
[ $prove_rc -ne 0 ] && [ "$t_fail" -eq 0 ] && t_fail=1

# robustness: the SQL fuzz harness, the dump/restore of edge values, the
# reference against the COMMENTs and the
# printed report, one test each
echo "== robustness"
x_pass=0
x_fail=0
robust() {
	local name=$1; shift
	if PGBIN="$PGBIN" "$@" >"$LOG/$name.out" 2>&1; then x_pass=$((x_pass + 1)); else x_fail=$((x_fail + 1)); fi
	grep -E '^(FAIL|sql_fuzz: (seed|server|the|no))|^(dump_restore|odbc|node|report_pdf|preinstall|docs_examples|reference|concurrency|upgrade|region|package)' "$LOG/$name.out" | head -n 60
}
# the demo municipality's report as make demo writes it: the terminal text
# and the HTML printed to PDF
report_pdf() {
	"$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE actionplan_report" &&
	"$PGBIN/psql" -X -q -d actionplan_report -v ON_ERROR_STOP=1 -c "CREATE EXTENSION actionplan" -f demo/municipality.sql &&
	"$PGBIN/psql" -X -q -d actionplan_report -f demo/report.sql -v html="$LOG/report.html" >"$LOG/report.txt" &&
	bash scripts/pdf.sh "$LOG/report.html" "$LOG/report.pdf" &&
	/usr/bin/python3 test/report_pdf.py "$LOG/report.html" "$LOG/report.pdf" "$LOG/report.txt"
}
robust fuzz /usr/bin/python3 test/fuzz/sql_fuzz.py --log "$DIR/server.log"
robust dump_restore bash test/dump_restore.sh
# a filled 0.1.0 database updated: the catalog of a fresh install, every row kept
robust upgrade bash test/upgrade.sh
robust preinstall bash test/security/preinstall.sh
# two sessions writing measure links of one plan at once
robust concurrency bash test/concurrency.sh
robust report_pdf report_pdf
# docs/reference.md against the COMMENTs of the installed extension
robust reference /usr/bin/python3 scripts/reference.py --check
# one region on two node clusters over postgres_fdw: pushdown, merged states, a node down (docs/region.md)
robust region bash test/region.sh
# the Debian package: built from the tracked files, installed, loaded by a
# throwaway cluster of its own, purged, and the files of the make install
# above put back as they were
robust package bash test/package.sh
# what BI tools read, through real drivers (psqlODBC, node-postgres), on the demo data
if PGBIN="$PGBIN" bash test/clients/setup.sh >"$LOG/clients.out" 2>&1; then
	robust odbc /usr/bin/python3 test/clients/odbc_types.py
	robust node node test/clients/node_types.js
	# the SQL examples of README.md and docs/, on the same demo database
	robust docs_examples /usr/bin/python3 test/docs_examples.py --db actionplan_clients
else tail -n 20 "$LOG/clients.out"; x_fail=$((x_fail + 3)); fi

passed=$((r_pass + t_pass + x_pass))
failed=$((r_fail + t_fail + x_fail))
echo "pg_regress: $r_pass passed, $r_fail failed; pgTAP: $t_pass passed, $t_fail failed; robustness: $x_pass passed, $x_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
