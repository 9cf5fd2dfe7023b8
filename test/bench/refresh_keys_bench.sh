#!/usr/bin/env bash
# refresh_forecasts over many keys (not part of `make test`):
#   KEYS="5000 10000 20000" bash test/bench/refresh_keys_bench.sh
# For each size N: a ledger of N keys with one entry per key and month over
# the 60 months up to August 2023 (N × 60 rows), registered by key, and
#   full:    CALL refresh_forecasts('2023-08-31') on a fresh snapshot table
#            (every key's ets and comb models fitted);
#   nothing: CALL refresh_forecasts('2023-09-01') with no entry changed (the
#            series still ends in August: every fit is taken over);
#   1 %:     CALL refresh_forecasts('2023-09-02') after one entry of 1 % of
#            the keys was changed (a late entry in closed June);
# with seconds, seconds per key, fits taken over (from forecast_snapshot) and
# the server process's peak private memory after each call (its peak resident
# set VmHWM less the shared buffers it touched, RssShmem).  Prints
# the full refresh's seconds per key for each N, so that its scaling with N
# (linear: a constant per key) can be read off.  Own throwaway cluster (port
# 54377, /tmp/actionplan-bench-refresh-keys).
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
declare -A PER_KEY
for n in $KEYS; do
	echo "== $n keys: $((n * 60)) ledger rows"
	psql -c "SET client_min_messages = warning; DROP TABLE IF EXISTS kl CASCADE; DELETE FROM forecast_snapshot; DELETE FROM forecast_ledger;
	CREATE TABLE kl AS SELECT k AS key, (DATE '2018-09-15' + make_interval(months => m))::date AS entry_date,
	  ((100000 + 1000 * (k % 97) + 50 * m + 3000 * sin(m * pi() / 6 + k) + (hashint4(k * 1000 + m) % 500))::bigint::text || ' kr')::sek AS amount
	FROM generate_series(1, $n) k, generate_series(0, 59) m;
	ALTER TABLE kl OWNER TO bench_keys_owner; ANALYZE kl;
	SET ROLE bench_keys_owner; SELECT register_ledger('kl', 'entry_date', 'amount', '{key}'); RESET ROLE" >/dev/null
	read -r full full_mem <<<"$(timed_call "CALL refresh_forecasts('2023-08-31')")"
	read -r none none_mem <<<"$(timed_call "CALL refresh_forecasts('2023-09-01')")"
	reused_none=$(psql -At -c "SELECT count(*) FROM forecast_snapshot WHERE as_of = '2023-09-01' AND fitted_as_of = '2023-08-31'")
	psql -c "INSERT INTO kl SELECT key, DATE '2023-06-20', '123 kr' FROM generate_series(1, $n, 100) key" >/dev/null
	read -r one one_mem <<<"$(timed_call "CALL refresh_forecasts('2023-09-02')")"
	refit_one=$(psql -At -c "SELECT count(*) FROM forecast_snapshot WHERE as_of = '2023-09-02' AND fitted_as_of = '2023-09-02'")
	printf '  full    %8.1f s  %6.2f ms/key  private %7s kB\n' "$full" "$(calc "1000 * $full / $n")" "$full_mem"
	printf '  nothing %8.1f s  %6.2f ms/key  private %7s kB  fits taken over %s of %s\n' "$none" "$(calc "1000 * $none / $n")" "$none_mem" "$reused_none" "$((2 * n))"
	printf '  1 %%     %8.1f s  %6.2f ms/key  private %7s kB  fits made again %s\n' "$one" "$(calc "1000 * $one / $n")" "$one_mem" "$refit_one"
	PER_KEY[$n]=$(calc "1000 * $full / $n")
	echo "  nothing changed ÷ full: $(calc "$none / $full" 3)"
done
echo "== scaling of the full refresh (ms per key; linear if constant)"
for n in $KEYS; do echo "  $n keys: ${PER_KEY[$n]} ms/key"; done
