#!/usr/bin/env bash
# Fits that use every core (not part of `make test`):
#   SERIES=20000 METHOD=comb bash test/bench/parallel_fit_bench.sh
# SERIES monthly series of 60 months (level, trend, season and noise that
# differ by key), as rows (key, month, value) and as one row a key (months
# date[], values float8[]).  Timed, best of RUNS (default 3), JIT off:
#   aggregate  forecast_fit(month, value, METHOD) ... GROUP BY key over the
#              rows, serial and with 2 workers (the final function fits, in
#              the leader: workers only share the scan);
#   arrays     forecast_fit(months, values, METHOD) over the series table,
#              serial and with 2 workers (a parallel scan: the workers fit).
# The models are checked equal (serial against parallel, arrays against the
# aggregate) before the times are printed with ms a series and the speed-up
# of 2 workers; ends with the goals of issue 20 as PASS/MISS lines.  Own
# throwaway cluster (port 54376, /tmp/actionplan-bench-parallel-fit).
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54376} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-parallel-fit}
export AP_DB=${AP_DB:-actionplan_parallel_fit}
SERIES=${SERIES:-20000} METHOD=${METHOD:-comb} RUNS=${RUNS:-3} ROWS=0 BENCH_NAME=parallel_fit
. test/bench/lib.sh

echo "== setup: $SERIES series of 60 months"
psql -c "CREATE EXTENSION IF NOT EXISTS actionplan" -c "
CREATE TABLE rows AS
SELECT k, (DATE '2018-09-01' + make_interval(months => m))::date AS month,
       1000 + 10 * (k % 97) + 5 * m + 200 * sin(m * pi() / 6 + k) + (hashint4(k * 100 + m) % 50) AS v
FROM generate_series(1, $SERIES) k, generate_series(0, 59) m;
CREATE TABLE series AS SELECT k, array_agg(month ORDER BY month) AS months, array_agg(v ORDER BY month) AS vals
FROM rows GROUP BY k;
-- a table of series is small for its work (each row a fit): let the scan
-- have its 2 workers whatever its size
ALTER TABLE series SET (parallel_workers = 2);
ANALYZE rows; ANALYZE series" >/dev/null

declare -A Q
Q[aggregate]="SELECT count(m) FROM (SELECT forecast_fit(month, v, '$METHOD') AS m FROM rows GROUP BY k) x"
Q[arrays]="SELECT count(m) FROM (SELECT forecast_fit(months, vals, '$METHOD') AS m FROM series) x"
TIMED=(aggregate:s aggregate:p arrays:s arrays:p)
time_all series

echo "== checks"
psql -At -c "$(settings p)" -c "EXPLAIN (COSTS OFF) ${Q[arrays]}" | sed 's/^/  plan: /'
psql -At -c "$(settings s)" -c "CREATE TABLE serial AS SELECT k, forecast_fit(months, vals, '$METHOD')::text AS m FROM series" >/dev/null
bad=$(psql -At -c "$(settings p)" -c "SELECT count(*) FROM (SELECT k, forecast_fit(months, vals, '$METHOD')::text AS m FROM series) p
  FULL JOIN serial s USING (k) WHERE p.m IS DISTINCT FROM s.m")
echo "  parallel arrays vs serial arrays: $bad of $SERIES differ"
bad2=$(psql -At -c "$(settings p)" -c "SELECT count(*) FROM (SELECT k, forecast_fit(month, v, '$METHOD')::text AS m FROM rows
  WHERE k <= 500 GROUP BY k) a JOIN serial s USING (k) WHERE a.m IS DISTINCT FROM s.m")
echo "  aggregate vs arrays (first 500 series): $bad2 differ"
[ "$bad" = 0 ] && [ "$bad2" = 0 ] || { echo "bench: WRONG RESULTS"; exit 1; }

echo "== summary ($SERIES series of 60 months, $METHOD, JIT $JIT, best of $RUNS)"
for q in aggregate arrays; do
	printf '  %-10s serial %8.3f s (%6.3f ms a series)   2 workers %8.3f s   speed-up %s×\n' "$q" \
		"${T[$q:s]}" "$(calc "1000 * ${T[$q:s]} / $SERIES" 3)" "${T[$q:p]}" "$(calc "${T[$q:s]} / ${T[$q:p]}")"
done
check "${T[arrays:s]} / ${T[arrays:p]} >= 1.8" "2 workers ≥ 1,8× faster than serial: $(calc "${T[arrays:s]} / ${T[arrays:p]}")×"
check "1000 * ${T[arrays:s]} / $SERIES <= 3" "≤ 3 ms a series serial: $(calc "1000 * ${T[arrays:s]} / $SERIES" 3) ms"
echo "  took $(( $(date +%s) - START )) s"
