#!/usr/bin/env bash
# Random-query robustness run: sqlsmith against a fresh throwaway cluster with
# the extension and tables of sek/estimate columns (test/robustness/setup.sql:
# NULLs, zero, ±1 öre, ±9223372036854775807 öre, NaN/infinite factors).
#
# Usage (as root, or as a user who can run initdb; `make install` done):
#   bash test/robustness/sqlsmith.sh [QUERIES]          (default 20000)
#   env: AP_PORT (54377), AP_CLUSTER_DIR (/tmp/actionplan-robust),
#        AP_DB (actionplan_robust), SQLSMITH_SEED (default: sqlsmith's own)
# Two phases of QUERIES each:
#   full     - sqlsmith sees the whole catalog (all types, functions, tables);
#   focused  - a matview `smith.pg_proc` shadows pg_catalog.pg_proc for sqlsmith's
#              catalog reader (it reads pg_proc unqualified), leaving only the
#              extension's functions and aggregates plus a few numeric built-ins,
#              and catalog tables are excluded (--exclude-catalog).
# UPDATE/DELETE/MERGE are evaluated but skipped by BEFORE ROW triggers so the
# extreme values stay in the tables. Errors from random queries are expected;
# the exit status is non-zero only if the server log shows a crash, PANIC or
# failed assertion. sqlsmith output and the server log stay in AP_CLUSTER_DIR;
# the cluster is stopped at the end.
set -euo pipefail
export AP_PORT=${AP_PORT:-54377} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-robust}
export AP_DB=${AP_DB:-actionplan_robust}
max=${1:-20000}
cluster="$(cd "$(dirname "$0")/../.." && pwd)/scripts/cluster.sh"

if ! command -v sqlsmith >/dev/null; then
	[ "$(id -u)" = 0 ] || { echo "sqlsmith.sh: sqlsmith missing; run as root to install it" >&2; exit 2; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlsmith >/dev/null
fi

bash "$cluster" start
trap 'bash "$cluster" stop' EXIT
dir=$(bash "$cluster" dir)
log=$dir/server.log
psql() { bash "$cluster" psql -q -v ON_ERROR_STOP=1 "$@"; }

psql -f "$(dirname "$0")/setup.sql"

ext=$(psql -Atc "SELECT count(*) FILTER (WHERE p.pronamespace = 'public'::regnamespace),
	count(*) FROM smith.pg_proc p")
echo "sqlsmith.sh: extension routines / focused pg_proc: ${ext/|/ / }; $max queries per phase"

target="host=$dir/socket port=$AP_PORT user=postgres dbname=$AP_DB"
crash_re='terminated by signal|server process \(PID [0-9]+\) exited with exit code|PANIC|TRAP:|was terminated by exception'
status=0
for phase in full focused; do
	out=$dir/sqlsmith-$phase.out
	before=$(wc -l <"$log")
	if [ $phase = full ]; then
		args=(--target="$target")
	else
		args=(--target="$target options='-c search_path=smith,public,pg_catalog'" --exclude-catalog)
	fi
	start=$(date +%s)
	rc=0
	sqlsmith "${args[@]}" --max-queries="$max" --verbose ${SQLSMITH_SEED:+--seed=$SQLSMITH_SEED} \
		>"$out" 2>&1 || rc=$?
	secs=$(( $(date +%s) - start ))
	# sqlsmith's report (printed periodically and at the end): "queries: N",
	# "error rate: R", then "N<TAB>ERROR: ..." per message
	queries=$(grep -aoE '^queries: [0-9]+' "$out" | tail -n1 | cut -d' ' -f2)
	rate=$(grep -aoE '^error rate: [0-9.e-]+' "$out" | tail -n1 | cut -d' ' -f3)
	errors=$(awk -v q="${queries:-0}" -v r="${rate:-0}" 'BEGIN { printf "%d", q * r + 0.5 }')
	ext_errors=$(awk '/^queries: /{n=0; s=""} /^[0-9]+\t/ && /sek|estimate/ {s = s "      " $0 "\n"} END {printf "%s", s}' "$out" | head -n 15)
	crashes=$(tail -n +"$((before + 1))" "$log" | grep -aEc "$crash_re" || true)
	echo "sqlsmith.sh: phase $phase: sqlsmith exit $rc, ${secs}s, queries ${queries:-?}," \
		"errors $errors (rate ${rate:-?}), crash lines in server log: $crashes"
	[ -z "$ext_errors" ] || printf '    errors mentioning sek/estimate (count, message):\n%s\n' "$ext_errors"
	if [ "$crashes" != 0 ] || [ "${queries:-0}" -lt "$max" ]; then
		status=1
		echo "sqlsmith.sh: phase $phase: crash or incomplete run; see $out and $log:" >&2
		tail -n +"$((before + 1))" "$log" | grep -aE -B3 -A3 "$crash_re" | head -n 60 >&2
	fi
done
exit $status
