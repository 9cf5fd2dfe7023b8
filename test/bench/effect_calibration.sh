#!/usr/bin/env bash
# stay_effect calibration and benchmark (not part of `make test`):
#   SIMS=1000 BIG=1000000 bash test/bench/effect_calibration.sh
# Starts its own throwaway cluster (port 54358, /tmp/actionplan-effect;
# override with AP_PORT / AP_CLUSTER_DIR / AP_DB), then:
#   - calibration: SIMS (default 1000, at least 200) simulated data sets
#     with a known effect (test/lib/effect_sim.sql: 60 treated and 120
#     untreated stays each, starts over two years, log-normal lengths, the
#     treated ones 0.7 as long, about 20 % still open at as_of), the truth
#     from the distribution by R (plnorm), independent of the code under
#     test.  For horizons of 90 and 180 days and for the default tau:
#     coverage of the 95 % interval of days saved (and of each group's
#     RMST), mean error with its standard error; the same figures for three
#     broken methods (censoring ignored: open stays taken as ended at as_of;
#     a variance from the untreated group only; the default tau of 0.1.0,
#     the shorter of the groups' longest follow-up, given as the horizon),
#     which the checks must reject.  The goals of the default tau (issue
#     19): mean error within ±2 % of the mean truth and coverage 94-96 %
#     (SIMS of 4 000 or more make both measurable: the mean error's standard
#     error is then about 0.7 % of the truth, the coverage's 0.35 points);
#   - timing: stay_effect against the same figures in plain SQL
#     (test/lib/effect_plain.sql: window functions), on the SIMS data sets
#     and on BIG (default 1 000 000) stays in 20 groups, serial and with 2
#     workers, best of RUNS (default 3), with the scan floor; the plain SQL
#     must give the same figures and 2 workers the serial ones.
# Ends with PASS/FAIL lines.  JIT is off unless BENCH_JIT=on.  Needs the
# extension installed (make install) and Rscript (the truth uses plnorm).
# Exits 0 on FAIL; non-zero on error or wrong results.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54358} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-effect}
export AP_DB=${AP_DB:-actionplan_effect}
SIMS=${SIMS:-1000} BIG=${BIG:-1000000} RUNS=${RUNS:-3} BENCH_NAME=effect_calibration
[ "$SIMS" -ge 200 ] || { echo "SIMS must be at least 200" >&2; exit 2; }
. test/bench/lib.sh

echo "== calibration: $SIMS simulated data sets"
T0=$(date +%s.%N)
psql -v sims="$SIMS" <<'SQL' 2>&1 | { grep -v 'NOTICE:' || true; }
CREATE EXTENSION actionplan;
\i test/lib/effect_sim.sql
-- the data sets and the truth, kept for the timing below
CREATE TABLE bench_calib AS
  SELECT s AS g, stay, daily_cost, treated, date '2024-12-31' AS as_of, NULL::int AS horizon FROM effect_sim;
CREATE TABLE bench_truth AS SELECT * FROM effect_truth;
ANALYZE bench_calib;
-- censoring ignored: every stay still open at as_of taken as ended there
CREATE TEMP VIEW nocens AS
  SELECT g, CASE WHEN upper(stay) IS NULL OR upper(stay) > as_of THEN daterange(lower(stay), as_of) ELSE stay END AS stay,
         daily_cost, treated, as_of FROM bench_calib;
-- the default tau of 0.1.0: the shorter of the groups' longest follow-up
CREATE TEMP VIEW old_tau AS
  SELECT g, min(longest) AS tau
  FROM (SELECT g, treated, max(CASE WHEN upper(stay) <= as_of THEN upper(stay) - lower(stay) ELSE as_of - lower(stay) END) AS longest
        FROM bench_calib GROUP BY g, treated) l
  GROUP BY g;
CREATE TABLE calib AS
  SELECT m.k, m.h, c.g, (c.e).*
  FROM (VALUES ('horizon 90', 90), ('horizon 180', 180), ('default tau', NULL)) m(k, h),
       LATERAL (SELECT g, stay_effect(stay, daily_cost, treated, as_of, m.h) AS e FROM bench_calib GROUP BY g) c
  UNION ALL
  SELECT 'old default tau', NULL, c.g, (stay_effect(c.stay, c.daily_cost, c.treated, c.as_of, o.tau)).*
  FROM bench_calib c JOIN old_tau o USING (g) GROUP BY c.g, o.tau
  UNION ALL
  SELECT 'censoring ignored, 180', 180, g, (stay_effect(stay, daily_cost, treated, as_of, 180)).*
  FROM nocens GROUP BY g;
CREATE TABLE calib_sum AS
  SELECT k, count(*) AS n,
         avg((days_saved_lo <= truth AND truth <= days_saved_hi)::int) AS cover,
         avg((abs(days_saved - truth) <= 1.959963984540054 * n_treated * rmst_untreated_se)::int) AS cover_uvar,
         avg((rmst_treated_lo <= tt AND tt <= rmst_treated_hi)::int) AS cover_t,
         avg((rmst_untreated_lo <= tu AND tu <= rmst_untreated_hi)::int) AS cover_u,
         avg(days_saved - truth) AS bias, stddev(days_saved - truth) / sqrt(count(*)) AS bias_se,
         stddev(days_saved - truth) AS sd_err, avg(days_saved_se) AS mean_se, avg(truth) AS truth,
         avg(tau) AS tau, avg(treated_open::float8 / n_treated) AS open_t
  FROM (SELECT c.*, c.n_treated * (t.rmst_untreated - t.rmst_treated) AS truth,
               t.rmst_treated AS tt, t.rmst_untreated AS tu
        FROM calib c JOIN bench_truth t USING (tau)) x
  GROUP BY k;
SQL
T1=$(date +%s.%N)

echo "== setup: $BIG stays in 20 groups"
psql -v big="$BIG" <<'SQL'
\i test/bench/lib.sql
-- starts over ten years up to as_of 2024-12-31, a third treated (0.7 as
-- long), log-normal lengths (meanlog 5.0, sdlog 0.9) from hashes: the same
-- table on every run
CREATE TABLE bench_big AS
  SELECT i % 20 AS g, treated, date '2024-12-31' AS as_of, NULL::int AS horizon,
         daterange(start, start + greatest(1, ceil(exp(5.0 + CASE WHEN treated THEN ln(0.7) ELSE 0 END
                   + 0.9 * sqrt(-2 * ln(pg_temp.u(i, 1))) * cos(2 * pi() * pg_temp.u(i, 2))))::int)) AS stay,
         (2000 + (i % 5) * 500)::sek AS daily_cost
  FROM (SELECT i, i % 3 = 0 AS treated, date '2024-12-31' - floor(pg_temp.u(i, 3) * 3653)::int AS start
        FROM generate_series(1, :big) i) s;
VACUUM (FREEZE, ANALYZE) bench_big;
\set effect_plain_kind ''
\set effect_src bench_calib
\set effect_plain_view calib_plain
\i test/lib/effect_plain.sql
\set effect_src bench_big
\set effect_plain_view big_plain
\i test/lib/effect_plain.sql
SQL

declare -A Q
Q[floor]="SELECT g, count(*), sum(upper(stay) - lower(stay)) FROM bench_big GROUP BY g"
Q[big]="SELECT g, stay_effect(stay, daily_cost, treated, as_of) FROM bench_big GROUP BY g"
Q[bigplain]="SELECT * FROM big_plain"
Q[calib]="SELECT g, stay_effect(stay, daily_cost, treated, as_of) FROM bench_calib GROUP BY g"
Q[calibplain]="SELECT * FROM calib_plain"
TIMED=(floor:s floor:p big:s big:p bigplain:s bigplain:p calib:s calib:p calibplain:s calibplain:p)

echo "== checking results: plain SQL = stay_effect, 2 workers = serial"
{
	echo "$COMMON $SERIAL"
	echo "CREATE TEMP TABLE s_big AS SELECT g, (e).* FROM (${Q[big]}) q(g, e);"
	echo "CREATE TEMP TABLE s_calib AS SELECT g, (e).* FROM (${Q[calib]}) q(g, e);"
	echo "CREATE TEMP TABLE plain_big AS ${Q[bigplain]};"
	echo "CREATE TEMP TABLE plain_calib AS ${Q[calibplain]};"
	echo "$PARALLEL"
	echo "CREATE TEMP TABLE p_big AS SELECT g, (e).* FROM (${Q[big]}) q(g, e);"
	echo "CREATE TEMP TABLE p_calib AS SELECT g, (e).* FROM (${Q[calib]}) q(g, e);"
	check_prologue
	cat <<'SQL'
SELECT pg_temp.same('p_big', 's_big', 'stay_effect on the big table: 2 workers = serial');
SELECT pg_temp.same('p_calib', 's_calib', 'stay_effect on the data sets: 2 workers = serial');
DO $$
DECLARE n bigint; m bigint; w text;
BEGIN
  FOREACH w IN ARRAY ARRAY['big', 'calib'] LOOP
    EXECUTE format($q$
      SELECT count(*), (SELECT count(*) FROM s_%1$s) FROM s_%1$s a JOIN plain_%1$s p USING (g)
      WHERE a.tau = p.tau AND a.n_treated = p.n_treated AND a.n_untreated = p.n_untreated
        AND abs(a.rmst_treated - p.rmst_treated) <= 1e-9 * p.rmst_treated
        AND abs(a.rmst_untreated - p.rmst_untreated) <= 1e-9 * p.rmst_untreated
        AND abs(a.rmst_treated_se - p.rmst_treated_se) <= 1e-9 * p.rmst_treated_se
        AND abs(a.rmst_untreated_se - p.rmst_untreated_se) <= 1e-9 * p.rmst_untreated_se
        AND abs(a.days_saved - p.days_saved) <= 1e-9 * p.n_treated * p.rmst_untreated
        AND abs(a.days_saved_se - p.days_saved_se) <= 1e-9 * p.days_saved_se$q$, w) INTO n, m;
    IF n <> m OR n = 0 THEN
      RAISE EXCEPTION 'bench: WRONG RESULTS: plain SQL differs from stay_effect on %  (% of % groups agree)', w, n, m;
    END IF;
    RAISE NOTICE 'same: plain SQL = stay_effect on % (% groups)', w, n;
  END LOOP;
END $$;
SQL
} | check_psql

time_all bench_big

# ---- summary ----
echo
echo "==================== stay_effect calibration summary ===================="
psql -At -c "SELECT 'PostgreSQL ' || current_setting('server_version') || ', $(nproc) CPUs, jit = $JIT'"
echo "$SIMS simulated data sets: 60 treated and 120 untreated stays each, starts over two years up to"
echo "as_of, untreated lengths ceil(X) days with X log-normal (meanlog 5.0, sdlog 0.9), treated 0.7 X;"
echo "truth = n_treated × (RMST_untreated - RMST_treated) at the tau used, from R's plnorm;"
echo "error = days_saved - truth; SE = standard error of the mean error"
psql -P footer=off -c "
SELECT k AS method, n, round(avg_tau::numeric) AS tau, round(100 * cover::numeric, 1) AS \"coverage %\",
       round(100 * sqrt(cover * (1 - cover) / n)::numeric, 1) AS \"± %\",
       round(100 * cover_t::numeric, 1) AS \"RMST treated %\", round(100 * cover_u::numeric, 1) AS \"RMST untreated %\",
       round(bias::numeric, 1) AS \"mean error\", round(bias_se::numeric, 1) AS \"± SE\",
       round((bias / bias_se)::numeric, 2) AS \"t\", round((100 * bias / truth)::numeric, 2) AS \"% of truth\",
       round(truth::numeric) AS \"mean truth\", round(mean_se::numeric) AS \"mean se\", round(sd_err::numeric) AS \"sd of errors\",
       round(100 * open_t::numeric, 1) AS \"treated open %\"
FROM (SELECT *, tau AS avg_tau FROM calib_sum) s ORDER BY k"
psql -At -c "SELECT 'variance from the untreated group only, horizon 180: coverage ' || round(100 * cover_uvar::numeric, 1) || ' %' FROM calib_sum WHERE k = 'horizon 180'" | sed 's/^/  /'
echo "calibration run (simulation, R truth, 4 × $SIMS stay_effect): $(calc "$T1 - $T0" 1) s"

echo "timing, best of $RUNS                                            serial  2 workers  speed-up  ÷floor(s) ÷floor(2w)"
row() { row_w 48 "$@"; }
row "scan floor, $BIG stays (count, sum per group)" floor
row "stay_effect, $BIG stays in 20 groups" big
row "plain SQL (window functions), same" bigplain
row "stay_effect, $SIMS data sets of 180 stays" calib
row "plain SQL (window functions), same" calibplain
echo "  plain SQL ÷ stay_effect: $BIG stays $(calc "${T[bigplain:s]}/${T[big:s]}" 1)× serial, $(calc "${T[bigplain:p]}/${T[big:p]}" 1)× with 2 workers;" \
	"$SIMS data sets $(calc "${T[calibplain:s]}/${T[calib:s]}" 1)× serial, $(calc "${T[calibplain:p]}/${T[calib:p]}" 1)× with 2 workers"

echo "checks"
# coverage within 0.95 ± 3 binomial standard errors of SIMS sets
verdict() { if [ "$1" = t ]; then echo PASS; else echo FAIL; fi; }
check_row() { # check_row <k> <SQL condition> <text>
	local ok
	ok=$(psql -At -c "SELECT coalesce(bool_and($2), false) FROM calib_sum WHERE k = '$1'")
	echo "  $(verdict "$ok")  $1: $3"
}
B="abs(cover - 0.95) <= 3 * sqrt(0.95 * 0.05 / n)"
for k in "horizon 90" "horizon 180" "default tau"; do
	check_row "$k" "$B" "95 % interval of days saved covers the truth in 95 % ± 3 binomial SE of the sets"
	check_row "$k" "abs(cover_t - 0.95) <= 3 * sqrt(0.95 * 0.05 / n) AND abs(cover_u - 0.95) <= 3 * sqrt(0.95 * 0.05 / n)" \
		"each group's RMST interval covers its truth in 95 % ± 3 binomial SE"
done
for k in "horizon 90" "horizon 180"; do
	check_row "$k" "abs(bias) < 3 * bias_se" "days saved unbiased: mean error within 3 of its standard errors"
done
check_row "default tau" "abs(bias) <= 0.02 * truth" \
	"goal: mean error within ±2 % of the mean truth ($(psql -At -c "SELECT round((100 * bias / truth)::numeric, 2) || ' % ± ' || round((100 * bias_se / truth)::numeric, 2) FROM calib_sum WHERE k = 'default tau'") %)"
check_row "default tau" "cover BETWEEN 0.94 AND 0.96" \
	"goal: 95 % interval of days saved covers the truth in 94-96 % of the sets ($(psql -At -c "SELECT round((100 * cover)::numeric, 1) || ' % ± ' || round((100 * sqrt(cover * (1 - cover) / n))::numeric, 1) FROM calib_sum WHERE k = 'default tau'") %)"
check_row "old default tau" "NOT (abs(bias) <= 0.02 * truth AND abs(bias) < 3 * bias_se)" \
	"the checks reject the default tau of 0.1.0 (the shorter longest follow-up: $(psql -At -c "SELECT round((100 * bias / truth)::numeric, 2) || ' % ± ' || round((100 * bias_se / truth)::numeric, 2) FROM calib_sum WHERE k = 'old default tau'") %)"
check_row "censoring ignored, 180" "NOT (abs(bias) < 3 * bias_se AND $B)" \
	"the checks reject a method that ignores censoring"
check_row "horizon 180" "NOT (abs(cover_uvar - 0.95) <= 3 * sqrt(0.95 * 0.05 / n))" \
	"the checks reject a variance from the untreated group only"
check "${T[big:s]} < ${T[bigplain:s]}" "stay_effect faster than plain SQL on $BIG stays (serial)"
echo "total wall time: $(($(date +%s) - START)) s"
