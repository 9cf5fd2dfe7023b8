#!/usr/bin/env bash
# refresh_forecasts over many keys (not part of `make test`):
#   KEYS="5000 10000 20000" bash test/bench/refresh_keys_bench.sh
# For each size N: a ledger of N keys with one entry per key and month over
# the 60 months up to August 2023 (N × 60 rows), registered by key, and
#   full:    CALL refresh_forecasts('2023-08-31') on a fresh snapshot table
#            (every key's ets and comb models fitted), serial
#            (max_parallel_workers_per_gather = 0) and with 2 workers (the
#            fits in one parallel scan), one after the other on the same data
#            in alternating order (serial first for the 1st, 3rd, ... size),
#            the snapshots checked equal;
# (the rest with 2 workers)
#   nothing: CALL refresh_forecasts('2023-09-01') with no entry changed (the
#            series still ends in August: every fit is taken over);
#   1 %:     CALL refresh_forecasts('2023-09-02') after one entry of 1 % of
#            the keys was changed (a late entry in closed June);
# with seconds, seconds per key, fits taken over (from forecast_snapshot) and
# the server process's peak private memory after each call (its peak resident
# set VmHWM less the shared buffers it touched, RssShmem).  Prints
# the full refresh's seconds per key for each N, so that its scaling with N
# (linear: a constant per key) can be read off, with the ratio of the
# largest N's ms a key to the smallest's, and the speed-up of 2 workers.
# BIG=60000 then times, for a ledger of that many keys, the full refresh with
# 2 workers and the refresh with nothing changed (issue 20: under a minute).
# Own throwaway cluster (port 54377, /tmp/actionplan-bench-refresh-keys).
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54377} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-refresh-keys}
export AP_DB=${AP_DB:-actionplan_refresh_keys}
KEYS=${KEYS:-"5000 10000 20000"} RUNS=1 ROWS=0 BENCH_NAME=refresh_keys
. test/bench/lib.sh

# one call in a fresh session: seconds and the backend's peak memory (kB)
timed_call() {
	local sql=$1 t0 t1 out
	t0=$(date +%s.%N)
	out=$(psql -At -c "SET client_min_messages = warning" -c "$sql" \
	           -c "SELECT (regexp_match(f, 'VmHWM:\s+(\d+)'))[1]::bigint - (regexp_match(f, 'RssShmem:\s+(\d+)'))[1]::bigint
	               FROM pg_read_file('/proc/' || pg_backend_pid() || '/status') f")
	t1=$(date +%s.%N)
	echo "$(calc "$t1 - $t0" 3) $out"
}
psql -c "CREATE EXTENSION IF NOT EXISTS actionplan" -c "CREATE ROLE bench_keys_owner" \
     -c "GRANT INSERT ON forecast_ledger TO bench_keys_owner" >/dev/null
# the ledger kl of $1 keys, registered by its owner, no snapshots
make_ledger() {
	psql -c "SET client_min_messages = warning; DROP TABLE IF EXISTS kl CASCADE; DELETE FROM forecast_snapshot; DELETE FROM forecast_ledger;
	CREATE TABLE kl AS SELECT k AS key, (DATE '2018-09-15' + make_interval(months => m))::date AS entry_date,
	  ((100000 + 1000 * (k % 97) + 50 * m + 3000 * sin(m * pi() / 6 + k) + (hashint4(k * 1000 + m) % 500))::bigint::text || ' kr')::sek AS amount
	FROM generate_series(1, $1) k, generate_series(0, 59) m;
	ALTER TABLE kl OWNER TO bench_keys_owner; ANALYZE kl;
	SET ROLE bench_keys_owner; SELECT register_ledger('kl', 'entry_date', 'amount', '{key}'); RESET ROLE" >/dev/null
}
# the full refresh in mode $1 (s or p) on an empty snapshot table: "seconds kB"
full_refresh() {
	psql -c "DELETE FROM forecast_snapshot" -c "VACUUM forecast_snapshot" >/dev/null
	timed_call "$(settings "$1") CALL refresh_forecasts('2023-08-31')"
}
declare -A PER_KEY PER_KEY_S SPEEDUP
idx=0
for n in $KEYS; do
	echo "== $n keys: $((n * 60)) ledger rows"
	t0=$(date +%s.%N); make_ledger "$n"; t1=$(date +%s.%N)
	echo "  ledger generated in $(calc "$t1 - $t0" 1) s"
	if ((idx % 2 == 0)); then order="s p"; else order="p s"; fi
	idx=$((idx + 1))
	for mode in $order; do
		read -r "full_$mode" "full_${mode}_mem" <<<"$(full_refresh "$mode")"
		psql -c "SET client_min_messages = warning; DROP TABLE IF EXISTS snap_$mode; CREATE TABLE snap_$mode AS SELECT key, method, outcome, forecast, lo, hi, error, input_md5 FROM forecast_snapshot" >/dev/null
	done
	differ=$(psql -At -c "SELECT count(*) FROM snap_s s FULL JOIN snap_p p USING (key, method)
	  WHERE (s.outcome, s.forecast, s.lo, s.hi, s.error, s.input_md5) IS DISTINCT FROM (p.outcome, p.forecast, p.lo, p.hi, p.error, p.input_md5)")
	[ "$differ" = 0 ] || { echo "bench: $differ snapshot rows differ between serial and 2 workers"; exit 1; }
	read -r none none_mem <<<"$(timed_call "$(settings p) CALL refresh_forecasts('2023-09-01')")"
	reused_none=$(psql -At -c "SELECT count(*) FROM forecast_snapshot WHERE as_of = '2023-09-01' AND fitted_as_of = '2023-08-31'")
	psql -c "INSERT INTO kl SELECT key, DATE '2023-06-20', '123 kr' FROM generate_series(1, $n, 100) key" >/dev/null
	read -r one one_mem <<<"$(timed_call "$(settings p) CALL refresh_forecasts('2023-09-02')")"
	refit_one=$(psql -At -c "SELECT count(*) FROM forecast_snapshot WHERE as_of = '2023-09-02' AND fitted_as_of = '2023-09-02'")
	printf '  full serial    %8.1f s  %6.2f ms/key  private %7s kB\n' "$full_s" "$(calc "1000 * $full_s / $n")" "$full_s_mem"
	printf '  full 2 workers %8.1f s  %6.2f ms/key  private %7s kB  speed-up %s×  (snapshots equal: %s rows differ)\n' \
		"$full_p" "$(calc "1000 * $full_p / $n")" "$full_p_mem" "$(calc "$full_s / $full_p")" "$differ"
	printf '  nothing        %8.1f s  %6.2f ms/key  private %7s kB  fits taken over %s of %s\n' "$none" "$(calc "1000 * $none / $n")" "$none_mem" "$reused_none" "$((2 * n))"
	printf '  1 %%            %8.1f s  %6.2f ms/key  private %7s kB  fits made again %s\n' "$one" "$(calc "1000 * $one / $n")" "$one_mem" "$refit_one"
	PER_KEY[$n]=$(calc "1000 * $full_p / $n") PER_KEY_S[$n]=$(calc "1000 * $full_s / $n") SPEEDUP[$n]=$(calc "$full_s / $full_p")
	echo "  nothing changed ÷ full (2 workers): $(calc "$none / $full_p" 3)"
done
echo "== scaling of the full refresh (ms per key; linear if constant)"
for n in $KEYS; do echo "  $n keys: serial ${PER_KEY_S[$n]} ms/key, 2 workers ${PER_KEY[$n]} ms/key, speed-up ${SPEEDUP[$n]}×"; done
set -- $KEYS
first=$1; last=${!#}
echo "  ms/key at $last keys ÷ at $first keys: serial $(calc "${PER_KEY_S[$last]} / ${PER_KEY_S[$first]}" 3), 2 workers $(calc "${PER_KEY[$last]} / ${PER_KEY[$first]}" 3)"
if [ -n "${BIG:-}" ]; then
	echo "== $BIG keys: full refresh with 2 workers, then nothing changed"
	t0=$(date +%s.%N); make_ledger "$BIG"; t1=$(date +%s.%N)
	echo "  ledger generated in $(calc "$t1 - $t0" 1) s"
	read -r full full_mem <<<"$(full_refresh p)"
	read -r none none_mem <<<"$(timed_call "$(settings p) CALL refresh_forecasts('2023-09-01')")"
	printf '  full 2 workers %8.1f s  %6.2f ms/key  private %7s kB\n' "$full" "$(calc "1000 * $full / $BIG")" "$full_mem"
	printf '  nothing        %8.1f s  %6.2f ms/key  private %7s kB\n' "$none" "$(calc "1000 * $none / $BIG")" "$none_mem"
	check "$none < 60" "nothing changed over $BIG keys under a minute: $(calc "$none" 1) s"
fi
echo "  took $(( $(date +%s) - START )) s"
