#!/usr/bin/env bash
# ledger benchmark (not part of `make test`):
#   ROWS=1000000 bash test/bench/ledger_bench.sh
# Starts its own throwaway cluster (port 54377, /tmp/actionplan-bench-ledger;
# override with AP_PORT / AP_CLUSTER_DIR / AP_DB), builds a ledger of ROWS
# (default 20 M) entries 2017-2023 over 40 units and 60 accounts and the
# budget decisions per unit and year with some changes during 2023
# (test/bench/ledger_bench_setup.sql), and measures, best of RUNS (default 5)
# rounds, all queries interleaved in each round, serial and with 2 workers,
# over the entries of 2023 as of 31 August 2023, per unit:
#   - the floor: SELECT unit, sum(amount) ... GROUP BY unit over the same rows;
#   - the extension: follow_up(entry_date, amount, budget in force, as_of)
#     (run-rate forecast, twelfths period budget), the budget in force joined
#     to the entries;
#   - the best plain SQL for the same eight columns: the outcome per unit as
#     sum(amount) FILTER (WHERE entry_date <= as_of), the budget in force
#     joined after the aggregation or before it, and the columns computed with
#     sek arithmetic;
#   - for information: follow_up in two steps (the aggregate per unit without
#     a budget, then the budget joined to the unit rows and the record rebuilt
#     with the scalar follow_up), follow_up with 'profile', 'days', and
#     follow_up_report('ledger', 'budget', as_of) (which also reads 2022 for the
#     previous year's outcome and adds a total row).
# Every result is checked: both plain forms must equal follow_up (money
# exactly, ratios within 1e-12 relative), the report must equal follow_up and
# a plain sum of 2022, and 2 workers must equal serial (a difference stops the
# benchmark with an error).  Ends with a summary and PASS/MISS goal checks;
# stops the cluster and removes its data directory (BENCH_KEEP=1 leaves it
# running). JIT is off unless BENCH_JIT=on. A second run on the same cluster
# directory waits for the first to finish. Needs the extension installed
# (make install). Exits 0 on MISS; non-zero on error or wrong results.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54377} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-ledger}
export AP_DB=${AP_DB:-actionplan_ledger_bench}
ROWS=${ROWS:-20000000} RUNS=${RUNS:-5} BENCH_NAME=ledger
. test/bench/lib.sh

echo "== setup: $ROWS ledger entries"
psql -v rows="$ROWS" -f test/bench/ledger_bench_setup.sql

# ---- the queries: the entries of 2023, as of 31 August ----
Y="entry_date >= DATE '2023-01-01' AND entry_date < DATE '2024-01-01'"
ASOF="DATE '2023-08-31'"
# the budget in force at as_of: the year's decision and its changes up to as_of
B="(SELECT unit, sum(amount) AS annual FROM budget
    WHERE valid_from >= DATE '2023-01-01' AND valid_from <= $ASOF GROUP BY unit)"
declare -A Q
Q[floor]="SELECT unit, sum(amount) FROM ledger WHERE $Y GROUP BY unit"
Q[ext]="SELECT l.unit, follow_up(l.entry_date, l.amount, b.annual, $ASOF) AS r
FROM ledger l JOIN $B b USING (unit) WHERE $Y GROUP BY l.unit"
Q[ext_profile]="SELECT l.unit, follow_up(l.entry_date, l.amount, b.annual, $ASOF, 'profile', 'days') AS r
FROM ledger l JOIN $B b USING (unit) WHERE $Y GROUP BY l.unit"

# plain SQL: follow_up's columns from the annual budget and the outcome, with
# sek arithmetic (sek * integer exact, sek / integer rounded once half away from
# zero, as accounts.c's exact ratio).  As of 31 August the elapsed months are
# exactly 8 ((7 × 31 + 31) / 31 in accounts.c), so the period budget is
# annual × 8 / 12 and the run-rate forecast outcome × 12 / 8; the ratios are
# float8 from öre, in the same order of operations as follow_up_record().
COLS="annual AS budget, annual * 8 / 12 AS period_budget, outcome,
       annual * 8 / 12 - outcome AS deviation,
       sek_ore(outcome)::float8 / nullif(sek_ore(annual), 0)::float8 * 100 AS consumption,
       outcome * 12 / 8 AS forecast,
       annual - outcome * 12 / 8 AS forecast_deviation,
       sek_ore(annual - outcome * 12 / 8)::float8 / nullif(abs(sek_ore(annual)), 0)::float8 * 100 AS deviation_pct"
OUTCOME="coalesce(sum(amount) FILTER (WHERE entry_date <= $ASOF), '0'::sek) AS outcome"
Q[plain_after]="SELECT a.unit, $COLS
FROM (SELECT unit, $OUTCOME FROM ledger WHERE $Y GROUP BY unit) a JOIN $B b USING (unit)"
Q[plain_before]="SELECT unit, $COLS
FROM (SELECT l.unit, b.annual, $OUTCOME
      FROM ledger l JOIN $B b USING (unit) WHERE $Y GROUP BY l.unit, b.annual) a"
Q[report]="SELECT * FROM follow_up_report('ledger', 'budget', $ASOF)"
# follow_up in two steps: the aggregate without a budget per unit, then the
# budget joined to the unit rows and the record rebuilt from the figures (the
# scalar follow_up) — the join no longer runs once per entry
Q[ext_after]="SELECT a.unit, follow_up(b.annual, period_budget(b.annual, $ASOF), (a.r).outcome, (a.r).forecast) AS r
FROM (SELECT unit, follow_up(entry_date, amount, NULL::sek, $ASOF) AS r FROM ledger WHERE $Y GROUP BY unit) a
JOIN $B b USING (unit)"

# timed runs: "label:mode" with mode s (serial) or p (2 workers)
TIMED=(floor:s floor:p ext:s ext:p plain_after:s plain_after:p plain_before:s plain_before:p
	ext_after:s ext_after:p ext_profile:s ext_profile:p report:s report:p)

# ---- plans: 2 workers where asked, none in serial ----
# follow_up_report's queries run inside PL/pgSQL, so EXPLAIN shows only a
# function scan: auto_explain (nested statements, sent to the client) shows
# the plans it runs
AUTO_EXPLAIN="LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;
SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice;
SET client_min_messages = notice;"
echo "== plans"
for t in "${TIMED[@]}"; do
	l=${t%%:*} m=${t#*:}
	if [ "$l" = report ]; then
		plan=$({ settings "$m"; echo "$AUTO_EXPLAIN"; echo "${Q[$l]};"; } | psql -At 2>&1 >/dev/null)
	else
		plan=$({ settings "$m"; echo "EXPLAIN (COSTS OFF) ${Q[$l]};"; } | psql -At)
	fi
	if [ "$m" = p ] && ! grep -q 'Workers Planned: 2' <<<"$plan"; then
		echo "bench: $l has no 2-worker plan with $PARALLEL" >&2; echo "$plan" >&2; exit 1
	fi
	if [ "$m" = s ] && grep -q 'Gather' <<<"$plan"; then
		echo "bench: $l has a parallel plan in serial mode" >&2; exit 1
	fi
done
echo "parallel runs plan 2 workers, serial runs none"

# ---- results: plain SQL and the report equal follow_up, parallel equals serial ----
echo "== checking results"
FU="budget, period_budget, outcome, deviation, consumption, forecast, forecast_deviation, deviation_pct"
{
	for m in s p; do
		if [ $m = s ]; then echo "$COMMON $SERIAL"; else echo "$PARALLEL"; fi
		echo "CREATE TEMP TABLE ${m}_floor AS ${Q[floor]};"
		echo "CREATE TEMP TABLE ${m}_ext AS SELECT unit, (r).* FROM (${Q[ext]}) q;"
		echo "CREATE TEMP TABLE ${m}_ext_profile AS SELECT unit, (r).* FROM (${Q[ext_profile]}) q;"
		echo "CREATE TEMP TABLE ${m}_ext_after AS SELECT unit, (r).* FROM (${Q[ext_after]}) q;"
		echo "CREATE TEMP TABLE ${m}_plain_after AS ${Q[plain_after]};"
		echo "CREATE TEMP TABLE ${m}_plain_before AS ${Q[plain_before]};"
		echo "CREATE TEMP TABLE ${m}_report AS ${Q[report]};"
		echo "CREATE TEMP TABLE ${m}_report_units AS SELECT unit::int AS unit, $FU FROM ${m}_report WHERE unit IS NOT NULL;"
	done
	echo "CREATE TEMP TABLE s_prev AS SELECT unit::text AS unit, sum(amount) AS prev FROM ledger
WHERE entry_date >= DATE '2022-01-01' AND entry_date < DATE '2023-01-01' GROUP BY unit;"
	cat <<'SQL'
\o /dev/null
\i test/bench/lib.sql
-- two follow-up tables (unit + follow_up_result's columns) agree: money
-- exactly, the float8 ratios within 1e-12 relative
CREATE FUNCTION pg_temp.close(x float8, y float8) RETURNS boolean LANGUAGE sql IMMUTABLE
  AS $$ SELECT (x IS NULL AND y IS NULL) OR abs(x - y) <= 1e-12 * abs(y) $$;
CREATE FUNCTION pg_temp.same_fu(a text, b text, what text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE n bigint; m bigint; k bigint;
BEGIN
  EXECUTE format('SELECT count(*) FROM %I', a) INTO n;
  EXECUTE format('SELECT count(*) FROM %I', b) INTO m;
  EXECUTE format($q$SELECT count(*) FROM %I x FULL JOIN %I y ON x.unit = y.unit
    WHERE x.unit IS NULL OR y.unit IS NULL
       OR x.budget IS DISTINCT FROM y.budget OR x.period_budget IS DISTINCT FROM y.period_budget
       OR x.outcome IS DISTINCT FROM y.outcome OR x.deviation IS DISTINCT FROM y.deviation
       OR x.forecast IS DISTINCT FROM y.forecast OR x.forecast_deviation IS DISTINCT FROM y.forecast_deviation
       OR NOT pg_temp.close(x.consumption, y.consumption) OR NOT pg_temp.close(x.deviation_pct, y.deviation_pct)$q$,
                 a, b) INTO k;
  IF n = 0 OR n <> m OR k <> 0 THEN
    RAISE EXCEPTION 'bench: WRONG RESULTS: % (% has % rows, % has % rows, % differ)', what, a, n, b, m, k;
  END IF;
  RAISE NOTICE 'same: % (% rows)', what, n;
END$$;
SET client_min_messages = notice;
SELECT pg_temp.same_fu('s_plain_after', 's_ext', 'plain SQL, budget joined after aggregation = follow_up');
SELECT pg_temp.same_fu('s_plain_before', 's_ext', 'plain SQL, budget joined before aggregation = follow_up');
SELECT pg_temp.same_fu('s_report_units', 's_ext', 'follow_up_report, unit rows = follow_up');
SELECT pg_temp.same_fu('s_ext_after', 's_ext', 'follow_up in two steps (budget joined after) = follow_up');
DO $$BEGIN
  -- the report's previous year and total row
  IF EXISTS (SELECT FROM s_report r FULL JOIN s_prev p USING (unit)
             WHERE (r.unit IS NOT NULL OR p.unit IS NOT NULL) AND r.prev_year_outcome IS DISTINCT FROM p.prev)
  THEN RAISE EXCEPTION 'bench: WRONG RESULTS: follow_up_report''s previous year differs from sum(amount) of 2022';
  END IF;
  IF (SELECT row(prev_year_outcome, budget, period_budget, outcome, forecast) FROM s_report WHERE unit IS NULL)
     IS DISTINCT FROM (SELECT row(sum(prev_year_outcome), sum(budget), sum(period_budget), sum(outcome), sum(forecast))
                       FROM s_report WHERE unit IS NOT NULL)
  THEN RAISE EXCEPTION 'bench: WRONG RESULTS: follow_up_report''s total row is not the sum of its units';
  END IF;
  -- 'profile', 'days': the same outcome, the period budget and forecast of the scalar functions
  IF EXISTS (SELECT FROM s_ext_profile p FULL JOIN s_ext e USING (unit)
             WHERE p.outcome IS DISTINCT FROM e.outcome OR p.budget IS DISTINCT FROM e.budget
                OR p.period_budget IS DISTINCT FROM period_budget(e.budget, '2023-08-31', 'days')
                OR p.forecast IS DISTINCT FROM forecast_profile(e.outcome, '2023-08-31', 'days'))
  THEN RAISE EXCEPTION 'bench: WRONG RESULTS: follow_up ''profile'', ''days'' differs from period_budget/forecast_profile by days';
  END IF;
  -- the floor sums the whole year; the outcome is its part up to 31 August
  IF EXISTS (SELECT FROM s_floor f JOIN s_ext e USING (unit) WHERE f.sum = e.outcome)
  THEN RAISE EXCEPTION 'bench: WRONG RESULTS: an outcome as of 31 August equals the whole year''s sum';
  END IF;
END$$;
SELECT pg_temp.same('p_floor', 's_floor', 'floor: 2 workers = serial');
SELECT pg_temp.same('p_ext', 's_ext', 'follow_up: 2 workers = serial');
SELECT pg_temp.same('p_ext_profile', 's_ext_profile', 'follow_up ''profile'', ''days'': 2 workers = serial');
SELECT pg_temp.same('p_ext_after', 's_ext_after', 'follow_up in two steps: 2 workers = serial');
SELECT pg_temp.same('p_plain_after', 's_plain_after', 'plain SQL, budget after: 2 workers = serial');
SELECT pg_temp.same('p_plain_before', 's_plain_before', 'plain SQL, budget before: 2 workers = serial');
SELECT pg_temp.same('p_report', 's_report', 'follow_up_report: 2 workers = serial');
SELECT sek_format(budget, 'mnkr') AS b, sek_format(outcome, 'mnkr') AS o, sek_format(forecast, 'mnkr') AS f,
       sek_format(forecast_deviation, 'mnkr') AS fd, round(deviation_pct::numeric, 1) AS pct
FROM s_report WHERE unit IS NULL \gset
\echo as of 2023-08-31, all units: budget :b, outcome :o, run-rate forecast :f, forecast deviation :fd (:pct %)
SQL
} | check_psql

# ---- timings ----
time_all ledger

# the best plain SQL: the faster form, per mode
declare -A BP
for m in s p; do
	if awk "BEGIN{exit !(${T[plain_after:$m]} <= ${T[plain_before:$m]})}"; then BP[$m]=after; else BP[$m]=before; fi
	T[plain:$m]=${T[plain_${BP[$m]}:$m]}
done
row() { row_w 44 "$@"; }

echo
echo "==================== ledger benchmark summary ===================="
echo "PostgreSQL $(psql -Atc 'SHOW server_version'), $ROWS ledger entries 2017-2023, 40 units, 60 accounts" \
	"($(psql -Atc "SELECT pg_size_pretty(pg_table_size('ledger'))"), frozen, all-visible;" \
	"$(psql -Atc "SELECT count(*) FROM ledger WHERE $Y") in 2023)," \
	"best of $RUNS, jit = $JIT, $(nproc) CPUs"
echo "serial: max_parallel_workers_per_gather = 0"
echo "2 workers: max_parallel_workers_per_gather = 2, parallel_setup_cost = 0, parallel_tuple_cost = 0"
echo "  (and ledger has parallel_workers = 2; every 2-worker plan was checked to plan 2 workers)"
echo "2023 per unit, as of 2023-08-31                   serial  2 workers  speed-up  ÷floor(s) ÷floor(2w)"
row "floor sum(amount) GROUP BY unit" floor
row "follow_up (run-rate, twelfths)" ext
row "plain SQL, budget joined after aggregation" plain_after
row "plain SQL, budget joined before aggregation" plain_before
echo "for information"
row "follow_up, budget joined after (2 steps)" ext_after
row "follow_up 'profile', 'days'" ext_profile
row "follow_up_report (also 2022; total row)" report
echo "results: both plain forms and the report = follow_up, 2 workers = serial (checked)"

echo "goal checks (best-of-$RUNS times, no tolerance)"
for m in s p; do
	if [ $m = s ]; then w=serial; else w="2 workers"; fi
	r=$(calc "${T[ext:$m]}/${T[floor:$m]}")
	check "${T[ext:$m]} <= 1.5 * ${T[floor:$m]}" "follow_up within 1.5× of the floor, $w: $r (need ≤ 1.5)"
done
for m in s p; do
	if [ $m = s ]; then w=serial; else w="2 workers"; fi
	echo "  info  best plain SQL (budget joined ${BP[$m]} aggregation) ÷ follow_up, $w:" \
		"$(calc "${T[plain:$m]}/${T[ext:$m]}")"
done
echo "total wall time: $(($(date +%s) - START)) s"
