#!/usr/bin/env bash
# refresh_forecasts benchmark (not part of `make test`):
#   ROWS=5000000 bash test/bench/refresh_bench.sh
# Own throwaway cluster (port 54379, /tmp/actionplan-bench-refresh; override
# with AP_PORT / AP_CLUSTER_DIR / AP_DB). The ledger of
# test/bench/ledger_bench_setup.sql (ROWS entries, default 5 M, 2017-2023, 40
# units), its cost accounts registered by unit,, and the nightly job as of 31 August 2023 is
# timed, best of RUNS (default 3): CALL refresh_forecasts('2023-08-31')
# writes 4 methods × 40 units (runrate, profile, ets, comb; the model methods
# fit 60 months per unit).  Its floor, timed in the same rounds, is the one
# scan any refresh needs: the plain-SQL sum per unit and month over the same
# 5 years (2018-09-01 .. 2023-08-31).  The snapshot rows are checked against
# plain SQL (outcome and run-rate per unit exactly; the ets row equals a
# direct year_end of forecast_fit over the unit's monthly sums) before the
# ratio refresh ÷ floor is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54379} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-refresh}
export AP_DB=${AP_DB:-actionplan_refresh_bench}
ROWS=${ROWS:-5000000} RUNS=${RUNS:-3} BENCH_NAME=refresh
. test/bench/lib.sh

echo "== setup: $ROWS ledger entries"
psql -v rows="$ROWS" -f test/bench/ledger_bench_setup.sql
# the cost accounts: net amounts of a small unit's month can be negative
# (income larger than costs), which the profile method rightly refuses
psql -c "CREATE VIEW costs AS SELECT * FROM ledger WHERE account >= 4000;
CREATE ROLE bench_owner; GRANT INSERT ON forecast_ledger TO bench_owner;
ALTER TABLE ledger OWNER TO bench_owner; ALTER VIEW costs OWNER TO bench_owner;
SET ROLE bench_owner;
SELECT register_ledger('costs', 'entry_date', 'amount', '{unit}');
RESET ROLE" >/dev/null

declare -A Q
Q[refresh]="CALL refresh_forecasts('2023-08-31')"
Q[floor]="SELECT unit, date_trunc('month', entry_date), sum(amount) FROM costs
WHERE entry_date >= DATE '2018-09-01' AND entry_date <= DATE '2023-08-31' GROUP BY 1, 2"
TIMED=(refresh:s floor:s)
time_all ledger

echo "== checks"
{
	check_prologue
	cat <<'SQL'
CREATE FUNCTION pg_temp.ok(what text, good boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF good IS NOT TRUE THEN RAISE EXCEPTION 'bench: WRONG RESULTS: %', what; END IF;
  RAISE NOTICE 'ok: %', what;
END$$;
SELECT pg_temp.ok('40 units with 4 snapshot rows each, no errors',
  (SELECT count(*) FROM (SELECT key FROM forecast_snapshot WHERE error IS NULL
                         GROUP BY key HAVING count(*) = 4) k) = 40);
SELECT pg_temp.ok('outcome and runrate of every unit = plain SQL',
  (SELECT count(*) FROM forecast_snapshot s
   JOIN (SELECT unit, sum(amount) AS outcome FROM costs
         WHERE entry_date >= DATE '2023-01-01' AND entry_date <= DATE '2023-08-31' GROUP BY unit) p
     ON s.key = jsonb_build_object('unit', p.unit)
   WHERE s.method = 'runrate' AND s.outcome = p.outcome AND s.forecast = p.outcome * 12 / 8) = 40);
SELECT pg_temp.ok('ets row of unit 7 = year_end of forecast_fit over its monthly sums',
  (SELECT forecast FROM forecast_snapshot WHERE method = 'ets' AND key = '{"unit": 7}') =
  (SELECT ye.point::sek
   FROM (SELECT forecast_fit(m, v, 'ets') AS f
         FROM (SELECT date_trunc('month', entry_date)::date AS m, sek_ore(sum(amount))::float8 / 100 AS v
               FROM costs WHERE unit = 7 AND entry_date >= DATE '2018-09-01' AND entry_date < DATE '2023-09-01'
               GROUP BY 1) s) f, year_end(f.f, 2023) ye));
SQL
} | check_psql

ratio=$(calc "${T[refresh:s]} / ${T[floor:s]}" 1)
echo "== summary ($ROWS entries, 40 units, serial, JIT $JIT, best of $RUNS)"
printf '  refresh_forecasts  %8.3f s\n  floor (one scan)   %8.3f s\n  ratio              %8s ×\n' \
	"${T[refresh:s]}" "${T[floor:s]}" "$ratio"
echo "  took $(( $(date +%s) - START )) s"
