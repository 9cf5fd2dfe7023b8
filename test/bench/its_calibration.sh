#!/usr/bin/env bash
# its_effect calibration and timing (not part of `make test`):
#   NSIM=400 bash test/bench/its_calibration.sh
# Simulates NSIM (default 400) monthly series in each of eight settings
# (test/lib/its_sim.sql: a trend, a season, AR(1) noise of sd 2 with rho -0.3,
# 0, 0.3, 0.5 or 0.8, a level change of -5 and a trend change of -0.3 a month
# injected at the intervention; 48 months with 24 before, or 36 with 12
# after, or 72 with 48 before, or 48 with missing months), fits each with
# its_effect, and with R's nlme::gls (REML, its own t intervals with n - p df)
# and lm (OLS) on the same series (test/lib/its_kr.R bench), and prints per
# setting the coverage of the 95 % intervals of the level and trend change
# (truth = the injected values) and the mean error of the estimates with its
# standard error.  Then the time of its_effect over all series (serial and
# 2 workers, best of RUNS, default 3) against R's time in gls for the same
# series, and their ratio.
# PASS/FAIL per setting: its_effect's coverage within 3.42 binomial standard
# errors of 95 % (±3.7 points at 400 series) and each mean error within 3.42
# of its standard errors of 0 (3.42: a 1 % family-wise false alarm rate over
# the 16 checks of each kind; the GLS estimates are unbiased in theory).  Own throwaway cluster (AP_PORT 54359,
# AP_CLUSTER_DIR /tmp/actionplan-its, AP_DB its_bench; BENCH_KEEP=1 keeps it).
# Needs the extension installed (make install), R with nlme.  Exits 0 on
# FAIL; non-zero on errors.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54359} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-its}
export AP_DB=${AP_DB:-its_bench}
NSIM=${NSIM:-400} RUNS=${RUNS:-3} BENCH_NAME=its_calibration
[[ $NSIM =~ ^[0-9]+$ ]] && ((NSIM >= 50)) || { echo "its_calibration: NSIM must be a number >= 50" >&2; exit 2; }
. test/bench/lib.sh
RDIR=$(mktemp -d /tmp/actionplan-its-r.XXXXXX)
chmod 755 "$RDIR"
trap 'rm -rf "$RDIR"; cleanup' EXIT

echo "== setup: 8 settings x $NSIM simulated series"
psql -v nsim="$NSIM" <<'SQL'
CREATE EXTENSION actionplan;
SELECT setseed(0.2024);
CREATE TABLE its_settings AS
SELECT setting, :nsim AS nsim, n_before, n_after, rho, gaps, -5.0 AS level, -0.3 AS trend
FROM (VALUES ('a rho 0', 24, 24, 0.0, false), ('b rho 0.3', 24, 24, 0.3, false),
             ('c rho 0.5', 24, 24, 0.5, false), ('d rho 0.8', 24, 24, 0.8, false),
             ('e rho -0.3', 24, 24, -0.3, false), ('f rho 0.5 24+12', 24, 12, 0.5, false),
             ('g rho 0.5 48+24', 48, 24, 0.5, false), ('h rho 0.5 gaps', 24, 24, 0.5, true)
     ) v(setting, n_before, n_after, rho, gaps);
\i test/lib/its_sim.sql
CREATE TABLE its_series AS SELECT * FROM its_sim;
ANALYZE its_series;
SQL
psql -c "\copy (SELECT setting || '/' || id AS id, m, y, n_before AS t0 FROM its_series JOIN its_settings USING (setting) ORDER BY setting, its_series.id, m) TO '$RDIR/series.csv' CSV HEADER"
echo "  $(psql -Atc "SELECT count(DISTINCT (setting, id)) || ' series, ' || count(*) || ' months' FROM its_series")"

echo "== its_effect on every series"
psql -c "CREATE TABLE its_fit AS SELECT setting, id, its_effect(d, y, intervention) AS r FROM its_series GROUP BY setting, id"

echo "== R: nlme::gls (REML) and lm on the same series"
Rscript test/lib/its_kr.R bench "$RDIR/series.csv" >"$RDIR/r.csv"
psql <<SQL
CREATE TABLE r_ci (id text, name text, level_lo float8, level_hi float8, trend_lo float8, trend_hi float8, x float8);
\copy r_ci FROM '$RDIR/r.csv' WITH (FORMAT csv, NULL 'NA')
SQL
R_SEC=$(psql -Atc "SELECT level_lo FROM r_ci WHERE name = 'seconds'")

echo
echo "== calibration: 95 % intervals against the injected level change (-5) and trend change (-0.3 a month)"
echo "   coverage in % (its_effect, nlme's t intervals, OLS); mean error ± its standard error; rho and df medians"
psql -P footer=off <<'SQL'
CREATE TABLE calib AS
WITH r AS (
  SELECT split_part(id, '/', 1) AS setting, split_part(id, '/', 2)::int AS id, name, level_lo, level_hi, trend_lo, trend_hi
  FROM r_ci WHERE name IN ('gls', 'ols')
)
SELECT f.setting, count(*) AS n,
       avg(((r).level_lo <= s.level AND s.level <= (r).level_hi)::int)::float8 AS cov_level,
       avg(((r).trend_lo <= s.trend AND s.trend <= (r).trend_hi)::int)::float8 AS cov_trend,
       (SELECT avg((level_lo <= s.level AND s.level <= level_hi)::int)::float8 FROM r WHERE r.setting = f.setting AND name = 'gls') AS gls_level,
       (SELECT avg((trend_lo <= s.trend AND s.trend <= trend_hi)::int)::float8 FROM r WHERE r.setting = f.setting AND name = 'gls') AS gls_trend,
       (SELECT count(*) FROM r WHERE r.setting = f.setting AND name = 'gls') AS gls_n,
       (SELECT avg((level_lo <= s.level AND s.level <= level_hi)::int)::float8 FROM r WHERE r.setting = f.setting AND name = 'ols') AS ols_level,
       (SELECT avg((trend_lo <= s.trend AND s.trend <= trend_hi)::int)::float8 FROM r WHERE r.setting = f.setting AND name = 'ols') AS ols_trend,
       avg((r).level_change - s.level) AS bias_level, stddev((r).level_change) / sqrt(count(*)) AS se_level,
       avg((r).trend_change - s.trend) AS bias_trend, stddev((r).trend_change) / sqrt(count(*)) AS se_trend,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (r).rho) AS rho,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (r).level_df) AS df_level,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (r).trend_df) AS df_trend,
       avg((r).seasonal::int) AS seasonal
FROM its_fit f JOIN its_settings s USING (setting) GROUP BY f.setting, s.level, s.trend;
SELECT setting, n,
       format('%s / %s / %s', round(100 * cov_level::numeric, 1), round(100 * gls_level::numeric, 1), round(100 * ols_level::numeric, 1)) AS "level cov %",
       format('%s / %s / %s', round(100 * cov_trend::numeric, 1), round(100 * gls_trend::numeric, 1), round(100 * ols_trend::numeric, 1)) AS "trend cov %",
       format('%s ± %s', round(bias_level::numeric, 3), round(se_level::numeric, 3)) AS "level error",
       format('%s ± %s', round(bias_trend::numeric, 4), round(se_trend::numeric, 4)) AS "trend error",
       round(rho::numeric, 2) AS rho, round(df_level::numeric, 1) AS "df level", round(df_trend::numeric, 1) AS "df trend",
       CASE WHEN gls_n < n THEN (n - gls_n) || ' gls failed' ELSE '' END AS note
FROM calib ORDER BY setting;
SQL

echo "== timing"
declare -A Q
Q[its]="SELECT setting, id, its_effect(d, y, intervention) FROM its_series GROUP BY setting, id"
Q[floor]="SELECT setting, id, count(y) FROM its_series GROUP BY setting, id"
TIMED=("its:s" "its:p" "floor:s" "floor:p")
time_all its_series
NSER=$(psql -Atc "SELECT count(*) FROM its_fit")
printf '  %-34s %9.3f s  %8.3f ms a series\n' "its_effect, serial" "${T[its:s]}" "$(calc "${T[its:s]} * 1000 / $NSER" 3)"
printf '  %-34s %9.3f s  %8.3f ms a series\n' "its_effect, 2 workers" "${T[its:p]}" "$(calc "${T[its:p]} * 1000 / $NSER" 3)"
printf '  %-34s %9.3f s\n' "scan and group only (floor), serial" "${T[floor:s]}"
printf '  %-34s %9.3f s  %8.3f ms a series (fit + intervals, no KR)\n' "R nlme::gls REML, same run" "$R_SEC" "$(calc "$R_SEC * 1000 / $NSER" 3)"
echo "  ratio R gls ÷ its_effect serial: $(calc "$R_SEC / ${T[its:s]}" 1)×"

echo
echo "==================== its_effect calibration summary ===================="
echo "PostgreSQL $(psql -Atc 'SHOW server_version'), R nlme $(Rscript -e 'cat(as.character(packageVersion("nlme")))' 2>/dev/null), $(nproc) CPUs, $NSIM series a setting"
verdict() { if awk "BEGIN{exit !($1)}"; then echo "  PASS  $2"; else echo "  FAIL  $2"; fi; }
# Z: 16 checks of each kind (8 settings x 2) at a 1 % family-wise false alarm rate
Z=3.42
while IFS='|' read -r setting n cl ct bl sl bt st; do
	band=$(calc "$Z * sqrt(0.95 * 0.05 / $n) * 100" 1)
	for c in "level:$cl" "trend:$ct"; do
		verdict "${c#*:} >= 0.95 - $Z * sqrt(0.95 * 0.05 / $n) && ${c#*:} <= 0.95 + $Z * sqrt(0.95 * 0.05 / $n)" \
			"$setting: the ${c%%:*} change's interval covers $(calc "${c#*:} * 100" 1) % (95 ± $band)"
	done
	verdict "${bl#-} <= $Z * $sl && ${bt#-} <= $Z * $st" \
		"$setting: unbiased: level $(calc "$bl" 3) ± $(calc "$sl" 3), trend $(calc "$bt" 4) ± $(calc "$st" 4) (within $Z SE)"
done < <(psql -At -F'|' -c "SELECT setting, n, cov_level, cov_trend, bias_level, se_level, bias_trend, se_trend FROM calib ORDER BY setting")
verdict "$R_SEC > ${T[its:s]}" "its_effect (serial, with the Kenward-Roger correction) is faster than R's gls: $(calc "$R_SEC / ${T[its:s]}" 1)×"
echo "  elapsed $(($(date +%s) - START)) s"
