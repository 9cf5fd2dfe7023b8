#!/usr/bin/env bash
# Coverage of income_support_year_end's 95 % interval (not part of `make test`):
#   NSIM=500 METHODS=comb bash test/bench/income_support_coverage.sh
# Simulates NSIM (default 500, at least 500) income-support series in each of
# three settings (test/bench/income_support_coverage.sql: households and kr
# per household per month 2018-01 .. 2023-12, each with a trend, a season, a
# random-walk level and noise, their innovations correlated with rho 0,
# −0,5 or +0,5), forecasts the year-end cost of 2023 as of 30 April and 31
# August with each method of METHODS (comma-separated, default comb) exactly
# as income_support_forecast does (forecast_fit of each factor,
# income_support_correlation, income_support_year_end), and prints per
# setting, as_of and method: the coverage of the 95 % interval of the
# year-end cost (truth = the simulated year's sum of households × kr per
# household) with its binomial standard error, the same with the
# correlation estimate used even when negative and with it set to 0, the
# mean estimated correlation, the mean relative
# width of the interval and the mean signed error of the point in %.
# PASS/MISS per row: coverage within 3 binomial standard errors of 95 %.
# Own throwaway cluster (AP_PORT 54362, AP_CLUSTER_DIR /tmp/actionplan-income,
# AP_DB income_bench; BENCH_KEEP=1 keeps it).  Needs the extension installed
# (make install).  Exits 0 on MISS; non-zero on errors.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54362} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-income}
export AP_DB=${AP_DB:-income_bench}
NSIM=${NSIM:-500} METHODS=${METHODS:-comb} RUNS=1 BENCH_NAME=income_support_coverage
[[ $NSIM =~ ^[0-9]+$ ]] && ((NSIM >= 500)) || { echo "income_support_coverage: NSIM must be a number >= 500" >&2; exit 2; }
[[ $METHODS =~ ^[a-z,]+$ ]] || { echo "income_support_coverage: METHODS is a comma-separated list such as comb,ets,theta" >&2; exit 2; }
. test/bench/lib.sh

echo "== setup and forecasts: 3 settings x $NSIM series x 2 as_of x methods $METHODS"
psql -c "CREATE EXTENSION actionplan"
T0=$(date +%s)
psql -v nsim="$NSIM" -v methods="$METHODS" -f test/bench/income_support_coverage.sql
echo "  $(psql -Atc "SELECT count(*) FROM is_result") forecasts in $(($(date +%s) - T0)) s"

echo "== coverage of the 95 % interval of the year-end cost (as income_support_forecast: rho = max(estimate, 0))"
psql -At -F $'\t' <<'SQL' | while IFS=$'\t' read -r m s a n cov se raw cov0 rho w err; do
SELECT method, setting, as_of, count(*),
       round(100 * avg((year_cost BETWEEN lo95 AND hi95)::int), 1),
       round(100 * sqrt(0.95 * 0.05 / count(*)), 1),
       round(100 * avg((year_cost BETWEEN lo95_raw AND hi95_raw)::int), 1),
       round(100 * avg((year_cost BETWEEN lo95_0 AND hi95_0)::int), 1),
       round(avg(rho_hat)::numeric, 2),
       round(100 * avg((hi95 - lo95) / forecast), 2),
       round(100 * avg((forecast - year_cost) / year_cost), 2)
FROM is_result GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
SQL
	ok=$(awk -v c="$cov" -v s="$se" 'BEGIN{print (c >= 95 - 3 * s && c <= 95 + 3 * s) ? "PASS" : "MISS"}')
	printf '  %-4s %-5s %-11s %s  n %4s  coverage %5s %% (±%s)  [rho estimate: %5s %%, rho 0: %5s %%]  mean rho %5s  width %5s %%  mean error %5s %%\n' \
		"$ok" "$m" "$s" "$a" "$n" "$cov" "$se" "$raw" "$cov0" "$rho" "$w" "$err"
done
echo "== overall"
psql -At -F ' ' -c "SELECT method, count(*), round(100 * avg((year_cost BETWEEN lo95 AND hi95)::int), 1) || ' %',
                           '[rho estimate: ' || round(100 * avg((year_cost BETWEEN lo95_raw AND hi95_raw)::int), 1) || ' %,',
                           'rho 0: ' || round(100 * avg((year_cost BETWEEN lo95_0 AND hi95_0)::int), 1) || ' %]'
                    FROM is_result GROUP BY 1 ORDER BY 1" | sed 's/^/  /'
echo "income_support_coverage: done in $(($(date +%s) - START)) s"
