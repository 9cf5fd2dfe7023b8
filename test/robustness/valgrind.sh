#!/usr/bin/env bash
# The regression tests against a server running under valgrind memcheck;
# reports memcheck errors whose stack has a function of the installed
# actionplan.so.
#
# Usage (as root; `make install` done):  bash test/robustness/valgrind.sh
#   env: AP_PORT (54377), VG_DIR (/tmp/actionplan-robust-vg), PGBIN and
#        PG_CONFIG (the system's PostgreSQL 15; another install: both),
#        VG_SQLSMITH (sqlsmith queries, 2000; 0 skips), VG_OPTS (valgrind options)
# Installs valgrind with apt-get when missing. Initdbs a fresh cluster in
# VG_DIR, starts postgres directly under `valgrind --trace-children=yes`
# (one log per process: VG_DIR/vg/<pid>.log), then runs, each time-bounded:
#   1. `make installcheck` (the Makefile's REGRESS list), results in VG_DIR/regress;
#   2. VG_SQLSMITH random queries of sqlsmith's focused phase (see sqlsmith.sh)
#      on test/robustness/setup.sql, if sqlsmith is installed;
#   3. the pgTAP suites test/*.sql with pg_prove, one by one, each at most 4
#      minutes (not cluster.sql, which checks the pg_cron set-up of the
#      scripts' cluster), if pg_prove and pgtap exist.
# All within 13 minutes: a phase that would run past is cut off (timeout).
# Then stops the server and scans the logs. test/robustness/valgrind.supp
# suppresses postgres' own known false positives.
# Exit status: 0 clean, 1 memcheck errors in actionplan.so, 2 set-up failure.
# Test failures are reported but do not change the exit status.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PG_CONFIG=${PG_CONFIG:-$PGBIN/pg_config}
port=${AP_PORT:-54377}
dir=${VG_DIR:-/tmp/actionplan-robust-vg}
so=$("$PG_CONFIG" --pkglibdir)/actionplan.so
[ "$(id -u)" = 0 ] || { echo "valgrind.sh: run as root" >&2; exit 2; }
command -v valgrind >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null

# fresh cluster
[ -f "$dir/data/postmaster.pid" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir/socket" "$dir/vg" "$dir/regress"
chown -R postgres: "$dir"
runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
	--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 2; }

# programs the server runs (COPY ... PROGRAM: sh, Rscript) are not traced
runuser -u postgres -- valgrind --tool=memcheck --trace-children=yes --track-origins=yes \
	--trace-children-skip='/bin/*,/usr/bin/*' \
	--num-callers=40 --error-limit=no --leak-check=no --read-var-info=no \
	--gen-suppressions=all --suppressions="$here/valgrind.supp" ${VG_OPTS:-} \
	--log-file="$dir/vg/%p.log" \
	"$PGBIN/postgres" -D "$dir/data" -c port="$port" -c unix_socket_directories="$dir/socket" \
	-c listen_addresses= -c shared_preload_libraries= -c fsync=off -c jit=off \
	-c autovacuum=off -c max_connections=20 -c lc_messages=C \
	>"$dir/server.log" 2>&1 &
stop() {
	runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 300 stop >/dev/null 2>&1 ||
		runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}
trap stop EXIT
export PGHOST=$dir/socket PGPORT=$port PGUSER=postgres
# a phase's time limit: its own cap, or what is left of 13 minutes
deadline=$(( $(date +%s) + 780 ))
budget() { local left=$(( deadline - $(date +%s) )); [ "$left" -lt "$1" ] || left=$1; echo $(( left > 1 ? left : 1 )); }
t0=$(date +%s)
for _ in $(seq 300); do
	"$PGBIN/pg_isready" -q && break
	sleep 1
done
"$PGBIN/pg_isready" -q || { echo "valgrind.sh: server did not start" >&2; tail "$dir/server.log" >&2; exit 2; }
echo "valgrind.sh: server under valgrind ready after $(( $(date +%s) - t0 ))s"

t0=$(date +%s)
rc=0
timeout "$(budget 300)" make -s -C "$root" PG_CONFIG="$PG_CONFIG" installcheck \
	EXTRA_REGRESS_OPTS="--outputdir=$dir/regress" >"$dir/regress/make.log" 2>&1 || rc=$?
echo "valgrind.sh: make installcheck exit $rc after $(( $(date +%s) - t0 ))s:" \
	"$(grep -aE 'tests (passed|failed)|failed \(ignoring' "$dir/regress/make.log" | tr -s ' =' ' ' | head -n1)"
grep -aE '^(ok|not ok|test) ' "$dir/regress/make.log" | sed 's/^/    /' || true

if [ "${VG_SQLSMITH:-2000}" -gt 0 ] && command -v sqlsmith >/dev/null; then
	t0=$(date +%s)
	"$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE actionplan_smith"
	"$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d actionplan_smith -f "$here/setup.sql"
	rc=0
	timeout "$(budget 300)" sqlsmith --max-queries="${VG_SQLSMITH:-2000}" --verbose --exclude-catalog \
		--target="host=$PGHOST port=$port user=postgres dbname=actionplan_smith options='-c search_path=smith,public,pg_catalog'" \
		>"$dir/sqlsmith.out" 2>&1 || rc=$?
	echo "valgrind.sh: sqlsmith exit $rc after $(( $(date +%s) - t0 ))s:" \
		"$(grep -aoE '^queries: [0-9]+' "$dir/sqlsmith.out" | tail -n1), $(grep -aoE '^error rate: [0-9.e-]+' "$dir/sqlsmith.out" | tail -n1)"
fi

if command -v pg_prove >/dev/null && [ -f "$("$PG_CONFIG" --sharedir)/extension/pgtap.control" ]; then
	"$PGBIN/psql" -X -q -d postgres -c "CREATE DATABASE actionplan_tap"
	"$PGBIN/psql" -X -q -d actionplan_tap -c "CREATE EXTENSION pgtap; CREATE EXTENSION actionplan"
	for t in $(cd "$root" && ls test/*.sql | grep -v '/cluster\.sql$'); do
		t0=$(date +%s)
		rc=0
		(cd "$root" && timeout "$(budget 240)" pg_prove -d actionplan_tap "$t") >"$dir/regress/prove.log" 2>&1 || rc=$?
		printf '    pg_prove %-24s exit %3s after %4ss: %s\n' "$t" "$rc" "$(( $(date +%s) - t0 ))" \
			"$(grep -aE '^Result' "$dir/regress/prove.log" || echo 'timed out')"
		cat "$dir/regress/prove.log" >>"$dir/regress/prove-all.log"
	done
fi
stop
trap - EXIT

# Scan: a memcheck error is a paragraph (up to a blank "==PID== " line) with
# an "at 0x" frame (not a "Process terminating" notice); it is ours if a frame or its origin stack names a function
# defined in actionplan.so. Suppressed counts come from the ERROR SUMMARY lines.
nm "$so" | awk '$2 ~ /^[tT]$/ && $3 !~ /^(_init|_fini|frame_dummy|.*register_tm_clones|__do_global_dtors_aux)$/ { print $3 }' >"$dir/so-functions.txt"
: >"$dir/actionplan-errors.txt"
awk -v ours="$dir/so-functions.txt" -v report="$dir/actionplan-errors.txt" '
	BEGIN { while ((getline f < ours) > 0) fn[f] = 1 }
	function flush() {
		if (iserr && msg !~ /^Process terminating/) {
			total++
			if (mine) { n++; printf "--- %s\n%s", FILENAME, block >> report }
			else other[msg " [" where "]"]++
		}
		block = ""; msg = ""; where = ""; iserr = mine = 0
	}
	FNR == 1 { flush() }
	/^==[0-9]+== ERROR SUMMARY:/ { sub(/.*suppressed: /, ""); supp += $1; next }
	/^==[0-9]+== $/ { flush(); next }
	/^==[0-9]+== / {
		line = $0; sub(/^==[0-9]+== +/, "", line)
		if (block == "") msg = line
		block = block $0 "\n"
		if (line ~ /^(at|by) 0x/) {
			iserr = 1
			f = line; sub(/^(at|by) 0x[0-9A-Fa-f]+: /, "", f); sub(/ .*/, "", f)
			if (f in fn || line ~ /actionplan\.so/) mine = 1
			if (where == "" && f != "???" && line ~ /\/bin\/postgres/) where = f
		}
	}
	END {
		flush()
		printf "valgrind.sh: memcheck errors: %d in all (%d more suppressed), %d with an actionplan.so frame\n", total, supp, n
		for (k in other) printf "    not ours (%dx): %s\n", other[k], k
	}' "$dir"/vg/*.log
echo "    logs: $dir/vg/ ($(ls "$dir/vg" | wc -l) processes), server log $dir/server.log, regress output $dir/regress"
if [ -s "$dir/actionplan-errors.txt" ]; then
	echo "valgrind.sh: errors in actionplan.so (full stacks in $dir/actionplan-errors.txt):" >&2
	head -n 80 "$dir/actionplan-errors.txt" >&2
	exit 1
fi
