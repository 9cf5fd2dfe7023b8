#!/usr/bin/env bash
# refresh_forecasts over many keys of which one fails (not part of `make test`):
#   KEYS="2000 8000" bash test/bench/refresh_fail_bench.sh
# For each size N: a ledger of N keys with one entry per key and month over
# the 60 months up to August 2023, and in key 1 a refund in March 2022
# larger than the month's costs, so that key 1's profile is refused and the
# statement that forecasts every key's run-rate and profile at once fails.
# A first refresh as of 2023-08-31 fits the models; then, RUNS times each,
# in alternating order, a refresh as of 2023-09-01 (every fit taken over, so
# what is timed is reading the ledger, the run-rates and profiles, and the
# writing) by
#   old: the refresh_forecasts of OLD_REF (default fa31683, the last
#        revision before the windows: after such a failure every key again
#        alone, two subtransactions a key), created
#        from that revision's src/refresh.sql as refresh_forecasts_old;
#   new: this checkout's refresh_forecasts (windows of at most 64 keys; only
#        key 1 goes the slow way).
# The timed calls run serial, so that all their work is the backend's.
# Prints the best wall and backend CPU seconds and ms a key of each, the
# snapshots of both checked equal, and the growth of the ms a key from the
# smallest N to the largest (1.00: linear in the keys).  Own throwaway cluster (port 54378,
# /tmp/actionplan-bench-refresh-fail).
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54378} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-refresh-fail}
export AP_DB=${AP_DB:-actionplan_refresh_fail}
KEYS=${KEYS:-"2000 8000"} RUNS=${RUNS:-3} ROWS=0 BENCH_NAME=refresh_fail OLD_REF=${OLD_REF:-fa31683}
old_sql=$(git show "$OLD_REF:src/refresh.sql" |
	sed -n '/^CREATE PROCEDURE refresh_forecasts(/,/^\$fn\$;/p' |
	sed -e 's/^CREATE PROCEDURE refresh_forecasts(/CREATE PROCEDURE refresh_forecasts_old(/' -e 's/refresh_forecasts\.as_of/refresh_forecasts_old.as_of/g' -e 's/@extschema@/public/g')
[ -n "$old_sql" ] || { echo "bench: no refresh_forecasts in $OLD_REF:src/refresh.sql"; exit 1; }
. test/bench/lib.sh

# one call in a fresh session, serial (every cycle in the backend): wall
# seconds and the backend's CPU seconds (utime + stime from /proc, which
# other load on the machine disturbs far less than the wall clock)
# (fields 14 and 15 of stat, the 12th and 13th after the command name)
cpu_sql="SELECT (split_part(f, ' ', 12)::bigint + split_part(f, ' ', 13)::bigint) FROM (SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/stat'), ') ', 2) AS f) s"
timed_call() {
	local t0 t1 out
	t0=$(date +%s.%N)
	out=$(psql -At -c "SET client_min_messages = warning" -c "$cpu_sql" -c "$(settings s) $1" -c "$cpu_sql" | tr '\n' ' ')
	t1=$(date +%s.%N)
	read -r c0 c1 <<<"$out"
	echo "$(calc "$t1 - $t0" 3) $(calc "($c1 - $c0) / $(getconf CLK_TCK)" 3)"
}
psql -c "CREATE EXTENSION IF NOT EXISTS actionplan" -c "CREATE ROLE bench_fail_owner" \
     -c "GRANT INSERT ON forecast_ledger TO bench_fail_owner" >/dev/null
psql -c "SET check_function_bodies = off" -c "$old_sql" >/dev/null
# the ledger fl of $1 keys, key 1 with the refund, registered by its owner
make_ledger() {
	psql -c "SET client_min_messages = warning; DROP TABLE IF EXISTS fl CASCADE; DELETE FROM forecast_snapshot; DELETE FROM forecast_ledger;
	CREATE TABLE fl AS SELECT k AS key, (DATE '2018-09-15' + make_interval(months => m))::date AS entry_date,
	  ((100000 + 1000 * (k % 97) + 50 * m + 3000 * sin(m * pi() / 6 + k) + (hashint4(k * 1000 + m) % 500))::bigint::text || ' kr')::sek AS amount
	FROM generate_series(1, $1) k, generate_series(0, 59) m;
	INSERT INTO fl VALUES (1, '2022-03-20', '-10 mnkr');
	ALTER TABLE fl OWNER TO bench_fail_owner; ANALYZE fl;
	SET ROLE bench_fail_owner; SELECT register_ledger('fl', 'entry_date', 'amount', '{key}'); RESET ROLE" >/dev/null
}
snap() { psql -c "SET client_min_messages = warning; DROP TABLE IF EXISTS snap_$1; CREATE TABLE snap_$1 AS SELECT key, method, outcome, forecast, lo, hi, error, input_md5, fitted_as_of FROM forecast_snapshot WHERE as_of = '2023-09-01'" >/dev/null; }
declare -A OLD NEW OLDC NEWC
idx=0
for n in $KEYS; do
	echo "== $n keys: $((n * 60 + 1)) ledger rows, key 1's profile refused"
	make_ledger "$n"
	read -r t _ <<<"$(timed_call "CALL refresh_forecasts('2023-08-31')")"
	echo "  first refresh (every model fitted): $t s"
	best_old=999999 best_new=999999 cpu_old=999999 cpu_new=999999
	for ((r = 0; r < RUNS; r++)); do
		if (((idx + r) % 2 == 0)); then order="old new"; else order="new old"; fi
		for v in $order; do
			psql -c "DELETE FROM forecast_snapshot WHERE as_of = '2023-09-01'" >/dev/null
			if [ "$v" = old ]; then
				read -r t c <<<"$(timed_call "CALL refresh_forecasts_old('2023-09-01')")"
				best_old=$(min "$best_old" "$t") cpu_old=$(min "$cpu_old" "$c")
			else
				read -r t c <<<"$(timed_call "CALL refresh_forecasts('2023-09-01')")"
				best_new=$(min "$best_new" "$t") cpu_new=$(min "$cpu_new" "$c")
			fi
			echo "  run $((r + 1)) $v: $t s, backend CPU $c s"
			snap "$v"
		done
	done
	idx=$((idx + 1))
	differ=$(psql -At -c "SELECT count(*) FROM snap_old o FULL JOIN snap_new w USING (key, method)
	  WHERE (o.outcome, o.forecast, o.lo, o.hi, o.error, o.input_md5, o.fitted_as_of) IS DISTINCT FROM (w.outcome, w.forecast, w.lo, w.hi, w.error, w.input_md5, w.fitted_as_of)")
	slow=$(psql -At -c "SELECT last_slow_keys FROM forecast_ledger WHERE ledger = 'fl'::regclass")
	failed=$(psql -At -c "SELECT string_agg(key::text || ' ' || method, ', ') FROM snap_new WHERE error IS NOT NULL")
	[ "$differ" = 0 ] || { echo "bench: $differ snapshot rows differ between old and new"; exit 1; }
	OLD[$n]=$(calc "1000 * $best_old / $n" 3) NEW[$n]=$(calc "1000 * $best_new / $n" 3)
	OLDC[$n]=$(calc "1000 * $cpu_old / $n" 3) NEWC[$n]=$(calc "1000 * $cpu_new / $n" 3)
	printf '  old %8.3f s  %6.3f ms/key  CPU %8.3f s  %6.3f ms/key\n' "$best_old" "${OLD[$n]}" "$cpu_old" "${OLDC[$n]}"
	printf '  new %8.3f s  %6.3f ms/key  CPU %8.3f s  %6.3f ms/key\n' "$best_new" "${NEW[$n]}" "$cpu_new" "${NEWC[$n]}"
	echo "  (last_slow_keys $slow; failed: $failed; snapshots equal: $differ rows differ)"
	echo "  old ÷ new: wall $(calc "$best_old / $best_new"), CPU $(calc "$cpu_old / $cpu_new")"
done
set -- $KEYS
first=$1; last=${!#}
echo "== ms a key, $first → $last keys (best of $RUNS; ratio: ms a key at $last ÷ at $first, 1.00 linear)"
echo "  wall: old ${OLD[$first]} → ${OLD[$last]} (ratio $(calc "${OLD[$last]} / ${OLD[$first]}")), new ${NEW[$first]} → ${NEW[$last]} (ratio $(calc "${NEW[$last]} / ${NEW[$first]}"))"
echo "  CPU:  old ${OLDC[$first]} → ${OLDC[$last]} (ratio $(calc "${OLDC[$last]} / ${OLDC[$first]}")), new ${NEWC[$first]} → ${NEWC[$last]} (ratio $(calc "${NEWC[$last]} / ${NEWC[$first]}"))"
echo "  took $(( $(date +%s) - START )) s"
