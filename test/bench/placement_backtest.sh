#!/usr/bin/env bash
# placement_forecast backtest and benchmark (not part of `make test`):
#   MUNIS=20 [SEED=0] [TREND=0.02] bash test/bench/placement_backtest.sh
# Starts its own throwaway cluster (port 54356, /tmp/actionplan-bt; override
# with AP_PORT / AP_CLUSTER_DIR / AP_DB), generates the external-care
# placements of MUNIS (default 20) simulated municipalities 2000-2024 with
# their real future (test/bench/placement_backtest_setup.sql: three
# categories, inflow with size, drift, a random walk and a season, log-normal
# stay lengths, daily costs rising with a price index; SEED, default 0,
# moves every random stream: another set of municipalities; TREND, default
# 0.02, is the mean drift of the inflow a year, e.g. -0.03 for a falling
# inflow), and then:
#   - backtest: at the end of April and of August of 2019-2024, forecasts the
#     year's external-care cost per municipality and category, and per
#     municipality in total, by
#       placement_forecast  the outcome so far (census up to as_of) + the
#                           forecast for the rest of the year
#                           (placement_outlook; the total by rollup of the
#                           categories' forecasts),
#       runrate             forecast_runrate(outcome so far, as_of),
#       profile             forecast_profile(outcome so far, as_of, the
#                           month_profile of the three years before);
#     and scores them against the year's actual cost (census of the year):
#     mean absolute and mean signed error in % of the actual cost, and the
#     coverage of placement_forecast's 95 % interval;
#   - timing: placement_forecast per municipality and category against the
#     same computation in plain SQL (test/lib/placement_plain.sql: window
#     functions over a grid of days), serial and with 2 workers, best of
#     RUNS (default 3), with the scan floor; the plain SQL must give the same
#     figures.
# Ends with PASS/FAIL for "placement_forecast's mean absolute error is below
# both runrate's and profile's at both months" (per category and in total),
# and for the goals of issue 19 at 8 and 4 months before the year end (end
# of April, of August), per category and in total: the mean absolute error
# at least 20 % below runrate's, and the 95 % interval covering 90-98 % of
# the years.
# ORACLE=1 also scores oracle forecasts that each know one thing about the
# future that placement_forecast cannot (test/bench/placement_oracle.sql:
# the generator's true arrival intensity, the realised arrivals, ...), and
# swaps one component of the forecast at a time for the truth: how far the
# goal is reachable from data up to as_of on this generator; and the count
# bound, the best forecast of the arrivals from the counts up to as_of given
# the generator's parameters (test/bench/placement_bound.R: needs Rscript,
# base R only; BOUND_STEP, default 0.005, is its grid step of the log
# level; BOUND_DRIFT=estimated or pooled gives it the drift estimated from
# the counts of 2000-2018 instead of the generator's).  TIMING=0 skips the timing.
# JIT is off unless BENCH_JIT=on. Needs the extension installed (make
# install). Exits 0 on FAIL; non-zero on error or wrong results.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54356} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bt}
export AP_DB=${AP_DB:-actionplan_backtest}
MUNIS=${MUNIS:-20} RUNS=${RUNS:-3} ORACLE=${ORACLE:-0} TIMING=${TIMING:-1} SEED=${SEED:-0} TREND=${TREND:-0.02} BENCH_NAME=placement_backtest
[[ $SEED =~ ^[0-9]+$ ]] || { echo "placement_backtest: SEED must be a whole number >= 0" >&2; exit 2; }
[[ $TREND =~ ^-?[0-9]*\.?[0-9]+$ ]] || { echo "placement_backtest: TREND must be a number, e.g. -0.03" >&2; exit 2; }
. test/bench/lib.sh

echo "== setup: $MUNIS municipalities, seed $SEED, inflow trend $TREND a year"
psql -v munis="$MUNIS" -v seed="$SEED" -v trend="$TREND" -f test/bench/placement_backtest_setup.sql 2>&1 | grep -v 'NOTICE:'

echo "== backtest: forecasts at the end of April and of August, 2019-2024"
psql <<'SQL'
\set ON_ERROR_STOP 1
SET jit = off;
-- the outcome so far and the forecast per municipality and category, at each as_of
CREATE TABLE bt_fc (muni int, category text, y int, mo int, as_of date, so_far census,
                    f placement_forecast_result);
DO $$
DECLARE a date;
BEGIN
  FOR y IN 2019..2024 LOOP
    FOREACH a IN ARRAY ARRAY[make_date(y, 4, 30), make_date(y, 8, 31)] LOOP
      INSERT INTO bt_fc
      SELECT muni, category, y, extract(month FROM a), a,
             census(stay, daily_cost, daterange(make_date(y, 1, 1), a + 1)),
             placement_forecast(stay, daily_cost, a, make_date(y, 12, 31))
      FROM placements_bt WHERE lower(stay) <= a GROUP BY muni, category;
    END LOOP;
  END LOOP;
END $$;
-- the actual year, and the three years before (for the profile)
CREATE TABLE bt_year AS
SELECT muni, category, y,
       census(stay, daily_cost, daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1))) AS actual,
       census(stay, daily_cost, daterange(make_date(y - 3, 1, 1), make_date(y, 1, 1))) AS before
FROM placements_bt, generate_series(2019, 2024) y
WHERE stay && daterange(make_date(y - 3, 1, 1), make_date(y + 1, 1, 1))
GROUP BY muni, category, y;
CREATE TABLE bt_result AS
WITH cat AS (
  SELECT 'category' AS level, f.muni, f.category, f.y, f.mo, f.as_of, b.actual, b.before, f.so_far, f.f
  FROM bt_fc f JOIN bt_year b USING (muni, category, y)
), lv AS (
  SELECT level, muni, category, y, mo, as_of, actual, before, so_far, f FROM cat
  UNION ALL
  SELECT 'total', muni, 'Totalt', y, mo, as_of, rollup(actual), rollup(before), rollup(so_far), rollup(f)
  FROM cat GROUP BY muni, y, mo, as_of
)
SELECT level, muni, category, y, mo, cost(actual) AS actual,
       (o).cost AS placement, (o).cost_lo AS lo, (o).cost_hi AS hi,
       forecast_runrate(cost(so_far), as_of) AS runrate,
       forecast_profile(cost(so_far), as_of,
                        (SELECT month_profile(lower(b.period), b.cost) FROM census_buckets(before, '1 month') b)) AS profile
FROM lv, LATERAL (SELECT placement_outlook(so_far, f) AS o) x;
CREATE TABLE bt_score AS
SELECT r.level, r.mo, m.method, count(*) AS n,
       avg(abs(100 * (m.fc - r.actual) / r.actual)) AS mae,
       avg(100 * (m.fc - r.actual) / r.actual) AS signed,
       CASE WHEN m.method = 'placement_forecast'
            THEN 100 * avg((r.actual BETWEEN r.lo AND r.hi)::int) END AS coverage,
       CASE WHEN m.method = 'placement_forecast'
            THEN avg(100 * (r.hi - r.lo) / r.actual) END AS width
FROM bt_result r,
     LATERAL (VALUES ('placement_forecast', r.placement), ('runrate', r.runrate), ('profile', r.profile)) m(method, fc)
GROUP BY r.level, r.mo, m.method;
SQL

# ---- timing: the aggregate against plain SQL ----
if [ "$TIMING" = 1 ]; then
A="'2023-08-31'::date" U="'2023-12-31'::date"
sed 's/pg_temp\.placement_plain/public.placement_plain/' test/lib/placement_plain.sql | psql
declare -A Q
Q[floor]="SELECT muni, category, count(*), sum(sek_ore(daily_cost)) FROM placements_bt GROUP BY muni, category"
Q[agg]="SELECT muni, category, placement_forecast(stay, daily_cost, $A, $U) FROM placements_bt GROUP BY muni, category"
Q[plain]="SELECT * FROM placement_plain('SELECT muni || '' '' || category AS grp, stay, daily_cost FROM placements_bt', $A, $U)"
TIMED=(floor:s floor:p agg:s agg:p plain:s plain:p)

echo "== checking results: plain SQL = placement_forecast, 2 workers = serial"
{
	echo "$COMMON $SERIAL"
	echo "CREATE TEMP TABLE r_agg AS SELECT muni || ' ' || category AS grp, (f).* FROM (${Q[agg]}) q(muni, category, f);"
	echo "CREATE TEMP TABLE r_plain AS ${Q[plain]};"
	echo "$PARALLEL"
	echo "CREATE TEMP TABLE p_agg AS SELECT muni || ' ' || category AS grp, (f).* FROM (${Q[agg]}) q(muni, category, f);"
	check_prologue
	cat <<'SQL'
SELECT pg_temp.same('p_agg', 'r_agg', 'placement_forecast: 2 workers = serial');
DO $$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM r_agg a JOIN r_plain p USING (grp)
  WHERE a.open_stays = p.open_stays AND a.arrivals_12m = p.arrivals_12m
    AND abs(a.committed_days - p.committed_days) <= 1e-9 * greatest(1, p.committed_days)
    AND abs(sek_ore(a.committed_cost) - p.committed_cost) <= 1
    AND abs(a.new_days - p.new_days) <= 1e-9 * greatest(1, p.new_days)
    AND abs(sek_ore(a.new_cost) - p.new_cost) <= 1
    AND abs(a.cost_sd - p.cost_sd) <= 1e-7 * p.cost_sd + 1;
  IF n <> (SELECT count(*) FROM r_agg) OR n <> (SELECT count(*) FROM r_plain) THEN
    RAISE EXCEPTION 'bench: WRONG RESULTS: plain SQL differs from placement_forecast (% of % groups agree)',
      n, (SELECT count(*) FROM r_agg);
  END IF;
  RAISE NOTICE 'same: plain SQL = placement_forecast (% groups)', n;
END $$;
SQL
} | check_psql

time_all placements_bt
fi
if [ "$ORACLE" = 1 ]; then
	echo "== count bound: the generator's expected arrivals given the counts (Rscript test/bench/placement_bound.R)"
	RDIR=$(mktemp -d /tmp/actionplan-bound.XXXXXX)
	trap 'rm -rf "$RDIR"; cleanup' EXIT
	psql -c "\copy (SELECT p.muni, c.k, lower(p.stay) AS day, count(*) AS n FROM placements_bt p JOIN bt_category c USING (category) WHERE lower(p.stay) <= DATE '2024-08-31' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) TO '$RDIR/counts.csv' CSV HEADER"
	psql -c "\copy (SELECT b.m AS muni, c.k, c.inflow, b.size, b.drift FROM bt_muni b, bt_category c ORDER BY 1, 2) TO '$RDIR/params.csv' CSV HEADER"
	B0=$(date +%s)
	Rscript test/bench/placement_bound.R "$RDIR/counts.csv" "$RDIR/params.csv" "$RDIR/bound.csv" "$RDIR/sums.csv" ${BOUND_STEP:-}
	echo "   $(($(date +%s) - B0)) s"
	psql -c "CREATE TABLE bt_bound (muni int, k int, as_of date, day date, lambda float8)" \
	     -c "\copy bt_bound FROM '$RDIR/bound.csv' CSV HEADER" \
	     -c "CREATE TABLE bt_bound_n (muni int, k int, as_of date, n_mean float8, n_sd float8)" \
	     -c "\copy bt_bound_n FROM '$RDIR/sums.csv' CSV HEADER"
	echo "== oracles: forecasts that know one thing about the future"
	psql -f test/bench/placement_oracle.sql 2>&1 | grep -v 'NOTICE:'
fi

# ---- summary ----
echo
echo "==================== placement_forecast backtest summary ===================="
psql -At -c "SELECT 'PostgreSQL ' || current_setting('server_version') || ', ' || count(*) || ' placements of $MUNIS municipalities (' ||
                    pg_size_pretty(pg_table_size('placements_bt')) || '), $(nproc) CPUs, jit = $JIT'
             FROM placements_bt"
echo "seed $SEED, mean inflow trend $TREND a year"
echo "forecasts of the year's cost at the end of April and of August 2019-2024, per municipality"
echo "and category ($(psql -Atc "SELECT count(*) FROM bt_result WHERE level = 'category'") forecasts a method) and in total ($(psql -Atc "SELECT count(*) FROM bt_result WHERE level = 'total'"));"
echo "error = (forecast - actual) / actual; MAE = mean |error|; bias = mean error; coverage and"
echo "mean width of placement_forecast's 95 % interval (outcome so far + the forecast's interval)"
psql -P footer=off -c "
SELECT level, CASE mo WHEN 4 THEN 'April' ELSE 'August' END AS \"as of end of\", method,
       n, round(mae::numeric, 2) AS \"MAE %\", round(signed::numeric, 2) AS \"bias %\",
       round(coverage::numeric, 1) AS \"coverage %\", round(width::numeric, 1) AS \"width %\"
FROM bt_score ORDER BY level, mo, method = 'profile', method = 'runrate'"
echo "MAE % in total by year (placement_forecast / runrate / profile), April; August"
psql -At -F' ' -c "
SELECT y, string_agg(v, '   ' ORDER BY mo)
FROM (SELECT y, mo, round(avg(abs(100 * (placement - actual) / actual))::numeric, 2) || ' / ' ||
                    round(avg(abs(100 * (runrate - actual) / actual))::numeric, 2) || ' / ' ||
                    round(avg(abs(100 * (profile - actual) / actual))::numeric, 2) AS v
      FROM bt_result WHERE level = 'total' GROUP BY y, mo) s
GROUP BY y ORDER BY y" | sed 's/^/  /'

if [ "$TIMING" = 1 ]; then
echo "timing: as of 2023-08-31 to 2023-12-31, per municipality and category ($(psql -Atc 'SELECT count(DISTINCT (muni, category)) FROM placements_bt') groups), best of $RUNS"
echo "                                               serial  2 workers  speed-up  ÷floor(s) ÷floor(2w)"
row() { row_w 40 "$@"; }
row "scan floor (count, sum per group)" floor
row "placement_forecast" agg
row "plain SQL (window functions, day grid)" plain
echo "  plain SQL ÷ placement_forecast: $(calc "${T[plain:s]}/${T[agg:s]}" 1)× serial, $(calc "${T[plain:p]}/${T[agg:p]}" 1)× with 2 workers"
fi

echo "goal checks"
read -r OK DETAIL < <(psql -At -F' ' -c "
SELECT bool_and(p.mae < r.mae AND p.mae < f.mae),
       string_agg(p.level || ' ' || CASE p.mo WHEN 4 THEN 'April' ELSE 'August' END || ': ' ||
                  round(p.mae::numeric, 2) || ' vs ' || round(r.mae::numeric, 2) || ' / ' || round(f.mae::numeric, 2),
                  '; ' ORDER BY p.level, p.mo)
FROM bt_score p JOIN bt_score r USING (level, mo) JOIN bt_score f USING (level, mo)
WHERE p.method = 'placement_forecast' AND r.method = 'runrate' AND f.method = 'profile'")
if [ "$OK" = t ]; then v=PASS; else v=FAIL; fi
echo "  $v  placement_forecast's MAE below both runrate's and profile's at both months (MAE % placement vs runrate / profile):"
echo "        $DETAIL"
read -r C < <(psql -At -c "SELECT round(100 * avg((actual BETWEEN lo AND hi)::int)::numeric, 1) FROM bt_result")
echo "  info  coverage of the 95 % interval over all $(psql -Atc 'SELECT count(*) FROM bt_result') forecasts: $C %"
while IFS='|' read -r lvl mon pm rm cov; do
	ok=$(awk -v p="$pm" -v r="$rm" 'BEGIN{print (p <= 0.8 * r) ? "PASS" : "FAIL"}')
	echo "  $ok  goal: $lvl, $mon: MAE at least 20 % below runrate's ($pm % vs $rm %: $(calc "100 * (1 - $pm / $rm)" 1) % below)"
	ok=$(awk -v c="$cov" 'BEGIN{print (c >= 90 && c <= 98) ? "PASS" : "FAIL"}')
	echo "  $ok  goal: $lvl, $mon: the 95 % interval covers 90-98 % of the years ($cov %)"
done < <(psql -At -F'|' -c "
SELECT p.level, CASE p.mo WHEN 4 THEN 'end of April (8 months before year end)' ELSE 'end of August (4 months before)' END,
       round(p.mae::numeric, 2), round(r.mae::numeric, 2), round(p.coverage::numeric, 1)
FROM bt_score p JOIN bt_score r USING (level, mo)
WHERE p.method = 'placement_forecast' AND r.method = 'runrate' ORDER BY p.level, p.mo")
echo "total wall time: $(($(date +%s) - START)) s"
