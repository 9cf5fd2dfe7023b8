#!/usr/bin/env bash
# census benchmark (not part of `make test`):
#   ROWS=1000000 bash test/bench/census_bench.sh
# Starts its own throwaway cluster (port 54366, /tmp/actionplan-bench-census;
# override with AP_PORT / AP_CLUSTER_DIR / AP_DB), builds a table of ROWS
# (default 10 M) placements 2015-2025 in seven categories and the yearly census
# states 2015-2024 per category (test/bench/census_bench_setup.sql), and
# measures, best of RUNS (default 3) rounds, all queries interleaved in each
# round, serial and with 2 workers:
#   - the scan floor: sum(upper(stay) - lower(stay)) over all placements;
#   - (a) care days per month and category in 2023 and (b) the peak daily
#     headcount per category in 2023, with the extension (census + buckets /
#     peak) and with the best plain SQL: an event sweep (arrivals +1 and
#     departures -1 per category and day, clipped to the year, in one scan with
#     GROUPING SETS or as a UNION ALL of two grouped scans; then a running
#     sum() OVER (PARTITION BY category ORDER BY day) gives the daily
#     headcount; the setup gives the planner statistics on lower(stay) and
#     upper(stay), so that it hashes the events instead of sorting them);
#   - a ten-year report (care days and cost per year and category, 2015-2024)
#     from the stored yearly states (rollup + census_buckets), from the
#     placements with one census over the ten years, and with the sweep;
#   - the size of a ten-year census state.
# Every result is checked: the sweeps must equal the extension, serial must
# equal parallel, and the report from stored states must equal the one from the
# placements (a difference stops the benchmark with an error).  Ends with a
# summary and PASS/MISS goal checks; stops the cluster and removes its data
# directory (BENCH_KEEP=1 leaves it running). JIT is off unless BENCH_JIT=on.
# A second run on the same cluster directory waits for the first to finish.
# Needs the extension installed (make install). Exits 0 on MISS; non-zero on
# error or wrong results.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54366} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-census}
export AP_DB=${AP_DB:-actionplan_census_bench}
ROWS=${ROWS:-10000000} RUNS=${RUNS:-3} BENCH_NAME=census
. test/bench/lib.sh

echo "== setup: $ROWS placements"
psql -v rows="$ROWS" -f test/bench/census_bench_setup.sql

Y="'[2023-01-01,2024-01-01)'"
Y10="'[2015-01-01,2025-01-01)'"

# ---- the queries ----
declare -A Q
Q[floor]="SELECT sum(upper(stay) - lower(stay)) FROM placements"
# for information: what grouping by category alone adds to the floor, what
# census() costs without it, and (b) without the WHERE clause that the
# extension's queries share with the sweeps
Q[floor_cat]="SELECT category, sum(upper(stay) - lower(stay)) FROM placements GROUP BY category"
Q[ext_one]="SELECT peak(census(stay, daily_cost, $Y)) FROM placements"
Q[ext_bw]="SELECT category, peak(census(stay, daily_cost, $Y)) AS peak FROM placements GROUP BY category"

# the extension: one census per category for 2023; like the sweeps, it lets
# the scan drop stays that miss the year before they are grouped, with
# stay_overlaps(stay, period) (the README's recommended form: the same rows as
# stay && period at half the cost per row; the result is the same without any
# WHERE clause)
Q[ext_a]="SELECT s.category, b.period, b.care_days
FROM (SELECT category, census(stay, daily_cost, $Y) AS c FROM placements
      WHERE stay_overlaps(stay, $Y) GROUP BY category) s
CROSS JOIN LATERAL census_buckets(s.c, '1 month') b"
Q[ext_b]="SELECT category, peak(census(stay, daily_cost, $Y)) AS peak FROM placements
WHERE stay_overlaps(stay, $Y) GROUP BY category"
Q[ext_b_amp]="SELECT category, peak(census(stay, daily_cost, $Y)) AS peak FROM placements
WHERE stay && $Y::daterange GROUP BY category"

# the sweep: events per category and day, counted by arrival day and by
# departure day (one scan with GROUPING SETS, or a UNION ALL of two grouped
# scans), arrivals before the year moved to its first day
EV_GS="SELECT category,
         CASE WHEN grouping(lower(stay)) = 0 THEN greatest(lower(stay), DATE '2023-01-01')
              ELSE upper(stay) END AS day,
         CASE WHEN grouping(lower(stay)) = 0 THEN count(*) ELSE -count(*) END AS delta
  FROM placements WHERE stay && $Y::daterange
  GROUP BY GROUPING SETS ((category, lower(stay)), (category, upper(stay)))"
EV_UA="SELECT category, greatest(lower(stay), DATE '2023-01-01') AS day, count(*) AS delta
  FROM placements WHERE stay && $Y::daterange GROUP BY category, lower(stay)
  UNION ALL
  SELECT category, upper(stay), -count(*)
  FROM placements WHERE stay && $Y::daterange AND upper(stay) < DATE '2024-01-01'
  GROUP BY category, upper(stay)"
# then the daily headcount: a running sum over every day of the year
HEAD="d AS (SELECT category, day, sum(delta) AS delta FROM ev GROUP BY category, day),
h AS (
  SELECT k.category, g.day,
         sum(coalesce(d.delta, 0)) OVER (PARTITION BY k.category ORDER BY g.day) AS persons
  FROM (SELECT DISTINCT category FROM d) k
  CROSS JOIN (SELECT day::date FROM generate_series(DATE '2023-01-01', DATE '2023-12-31', interval '1 day') AS day) g
  LEFT JOIN d ON d.category = k.category AND d.day = g.day)"
TAIL_A="SELECT category, date_trunc('month', day::timestamp)::date AS month, sum(persons) AS care_days FROM h GROUP BY 1, 2"
TAIL_B="SELECT category, max(persons) AS peak FROM h GROUP BY 1"
for f in gs ua; do
	ev=EV_${f^^}
	Q[sweep_${f}_a]="WITH ev AS (${!ev}), $HEAD
$TAIL_A"
	Q[sweep_${f}_b]="WITH ev AS (${!ev}), $HEAD
$TAIL_B"
done

# the ten-year report: care days and cost per year and category 2015-2024
Q[rep_states]="SELECT s.category, b.period, b.care_days, b.cost
FROM (SELECT category, rollup(c) AS r FROM census_year WHERE year BETWEEN 2015 AND 2024 GROUP BY category) s
CROSS JOIN LATERAL census_buckets(s.r, '1 year') b"
Q[rep_direct]="SELECT s.category, b.period, b.care_days, b.cost
FROM (SELECT category, census(stay, daily_cost, $Y10) AS c FROM placements GROUP BY category) s
CROSS JOIN LATERAL census_buckets(s.c, '1 year') b"
EV10_GS="SELECT category,
         CASE WHEN grouping(lower(stay)) = 0 THEN greatest(lower(stay), DATE '2015-01-01')
              ELSE upper(stay) END AS day,
         CASE WHEN grouping(lower(stay)) = 0 THEN count(*) ELSE -count(*) END AS dp,
         CASE WHEN grouping(lower(stay)) = 0 THEN sum(daily_cost) ELSE -sum(daily_cost) END AS dc
  FROM placements WHERE stay && $Y10::daterange
  GROUP BY GROUPING SETS ((category, lower(stay)), (category, upper(stay)))"
EV10_UA="SELECT category, greatest(lower(stay), DATE '2015-01-01') AS day, count(*) AS dp, sum(daily_cost) AS dc
  FROM placements WHERE stay && $Y10::daterange GROUP BY category, lower(stay)
  UNION ALL
  SELECT category, upper(stay), -count(*), -sum(daily_cost)
  FROM placements WHERE stay && $Y10::daterange AND upper(stay) < DATE '2025-01-01'
  GROUP BY category, upper(stay)"
for f in gs ua; do
	ev=EV10_${f^^}
	Q[rep_sweep_$f]="WITH ev AS (${!ev}),
d AS (SELECT category, day, sum(dp) AS dp, sum(dc) AS dc FROM ev GROUP BY category, day),
h AS (
  SELECT k.category, g.day, sum(coalesce(d.dp, 0)) OVER w AS persons,
         sum(coalesce(d.dc, '0'::sek)) OVER w AS cost
  FROM (SELECT DISTINCT category FROM d) k
  CROSS JOIN (SELECT day::date FROM generate_series(DATE '2015-01-01', DATE '2024-12-31', interval '1 day') AS day) g
  LEFT JOIN d ON d.category = k.category AND d.day = g.day
  WINDOW w AS (PARTITION BY k.category ORDER BY g.day))
SELECT category, extract(year FROM day)::int AS year, sum(persons) AS care_days, sum(cost) AS cost FROM h GROUP BY 1, 2"
done

# timed runs: "label:mode" with mode s (serial) or p (2 workers)
TIMED=(floor:s floor:p ext_a:s ext_a:p ext_b:s ext_b:p
	floor_cat:s floor_cat:p ext_one:s ext_one:p ext_bw:s ext_bw:p ext_b_amp:s ext_b_amp:p
	sweep_gs_a:s sweep_gs_a:p sweep_gs_b:s sweep_gs_b:p
	sweep_ua_a:s sweep_ua_a:p sweep_ua_b:s sweep_ua_b:p
	rep_states:s rep_direct:s rep_direct:p
	rep_sweep_gs:s rep_sweep_gs:p rep_sweep_ua:s rep_sweep_ua:p)

# ---- plans: 2 workers where asked, none in serial ----
echo "== plans"
for t in "${TIMED[@]}"; do
	l=${t%%:*} m=${t#*:}
	plan=$({ settings "$m"; echo "EXPLAIN (COSTS OFF) ${Q[$l]};"; } | psql -At)
	if [ "$m" = p ] && ! grep -q 'Workers Planned: 2' <<<"$plan"; then
		echo "bench: $l has no 2-worker plan with $PARALLEL" >&2; echo "$plan" >&2; exit 1
	fi
	if [ "$m" = s ] && grep -q 'Gather' <<<"$plan"; then
		echo "bench: $l has a parallel plan in serial mode" >&2; exit 1
	fi
	# the sweeps must hash their events, not sort millions of rows
	if grep -Eq 'Sort Key: .*(lower|upper)\(' <<<"$plan"; then
		echo "bench: $l sorts its events (planner estimates off?)" >&2; echo "$plan" >&2; exit 1
	fi
done
echo "parallel runs plan 2 workers, serial runs none; the sweeps hash their events"

# ---- results: the sweeps equal the extension, parallel equals serial ----
echo "== checking results"
{
	echo "$COMMON $SERIAL"
	echo "CREATE TEMP TABLE r_ext_a AS SELECT category, lower(period) AS month, care_days::numeric AS care_days FROM (${Q[ext_a]}) q;"
	echo "CREATE TEMP TABLE r_ext_b AS ${Q[ext_b]};"
	echo "CREATE TEMP TABLE r_rep AS SELECT category, extract(year FROM lower(period))::int AS year, care_days::numeric AS care_days, cost FROM (${Q[rep_direct]}) q;"
	for f in gs ua; do
		echo "CREATE TEMP TABLE r_${f}_a AS ${Q[sweep_${f}_a]};"
		echo "CREATE TEMP TABLE r_${f}_b AS ${Q[sweep_${f}_b]};"
	done
	echo "CREATE TEMP TABLE r_rep_states AS SELECT category, extract(year FROM lower(period))::int AS year, care_days::numeric AS care_days, cost FROM (${Q[rep_states]}) q;"
	echo "CREATE TEMP TABLE r_rep_gs AS ${Q[rep_sweep_gs]};"
	echo "CREATE TEMP TABLE r_rep_ua AS ${Q[rep_sweep_ua]};"
	echo "$PARALLEL"
	echo "CREATE TEMP TABLE p_ext_a AS SELECT category, lower(period) AS month, care_days::numeric AS care_days FROM (${Q[ext_a]}) q;"
	echo "CREATE TEMP TABLE p_ext_b AS ${Q[ext_b]};"
	echo "CREATE TEMP TABLE p_rep AS SELECT category, extract(year FROM lower(period))::int AS year, care_days::numeric AS care_days, cost FROM (${Q[rep_direct]}) q;"
	for f in gs ua; do
		echo "CREATE TEMP TABLE p_${f}_a AS ${Q[sweep_${f}_a]};"
		echo "CREATE TEMP TABLE p_${f}_b AS ${Q[sweep_${f}_b]};"
	done
	echo "CREATE TEMP TABLE p_rep_gs AS ${Q[rep_sweep_gs]};"
	echo "CREATE TEMP TABLE p_rep_ua AS ${Q[rep_sweep_ua]};"
	echo "CREATE TEMP TABLE r_ext_bw AS ${Q[ext_bw]};"
	echo "CREATE TEMP TABLE r_ext_b_amp AS ${Q[ext_b_amp]};"
	check_prologue
	cat <<'SQL'
SELECT pg_temp.same('r_gs_a', 'r_ext_a', '(a) care days per month: sweep (GROUPING SETS) = census');
SELECT pg_temp.same('r_ua_a', 'r_ext_a', '(a) care days per month: sweep (UNION ALL) = census');
SELECT pg_temp.same('r_gs_b', 'r_ext_b', '(b) peak per category: sweep (GROUPING SETS) = census');
SELECT pg_temp.same('r_ua_b', 'r_ext_b', '(b) peak per category: sweep (UNION ALL) = census');
SELECT pg_temp.same('r_rep_states', 'r_rep', 'ten-year report: rollup of stored states = census over ten years');
SELECT pg_temp.same('r_rep_gs', 'r_rep', 'ten-year report: sweep (GROUPING SETS) = census over ten years');
SELECT pg_temp.same('r_rep_ua', 'r_rep', 'ten-year report: sweep (UNION ALL) = census over ten years');
SELECT pg_temp.same('r_ext_bw', 'r_ext_b', '(b) census without WHERE stay_overlaps(stay, 2023) = with it');
SELECT pg_temp.same('r_ext_b_amp', 'r_ext_b', '(b) census with WHERE stay && 2023 = with stay_overlaps');
SELECT pg_temp.same('p_ext_a', 'r_ext_a', '(a) census: 2 workers = serial');
SELECT pg_temp.same('p_ext_b', 'r_ext_b', '(b) census: 2 workers = serial');
SELECT pg_temp.same('p_rep', 'r_rep', 'ten-year census: 2 workers = serial');
SELECT pg_temp.same('p_gs_a', 'r_gs_a', '(a) sweep (GROUPING SETS): 2 workers = serial');
SELECT pg_temp.same('p_gs_b', 'r_gs_b', '(b) sweep (GROUPING SETS): 2 workers = serial');
SELECT pg_temp.same('p_ua_a', 'r_ua_a', '(a) sweep (UNION ALL): 2 workers = serial');
SELECT pg_temp.same('p_ua_b', 'r_ua_b', '(b) sweep (UNION ALL): 2 workers = serial');
SELECT pg_temp.same('p_rep_gs', 'r_rep_gs', 'ten-year sweep (GROUPING SETS): 2 workers = serial');
SELECT pg_temp.same('p_rep_ua', 'r_rep_ua', 'ten-year sweep (UNION ALL): 2 workers = serial');
-- an independent check of (a): care days of 2023 as the sum of each stay's days in the year
DO $$BEGIN
  IF (SELECT sum(care_days) FROM r_ext_a) IS DISTINCT FROM
     (SELECT sum(upper(stay * '[2023-01-01,2024-01-01)') - lower(stay * '[2023-01-01,2024-01-01)'))::numeric
      FROM placements WHERE stay && '[2023-01-01,2024-01-01)')
  THEN RAISE EXCEPTION 'bench: WRONG RESULTS: care days of 2023 differ from the sum of stay overlaps';
  END IF;
END$$;
SELECT sum(care_days) AS cd, (SELECT sum(peak) FROM r_ext_b) AS pk,
       (SELECT sum(care_days) FROM r_rep) AS cd10, (SELECT sum(cost) FROM r_rep) AS cost10
FROM r_ext_a \gset
\echo 2023: :cd care days, sum of category peaks :pk persons; 2015-2024: :cd10 care days, :cost10 kr
SQL
} | check_psql

# ---- the size of a ten-year census state ----
read -r SZ_CAT SZ_MEM SZ_STORED SZ_MAXMEM SZ_MAXSTORED SZ_TEXT < <(psql -At -F' ' <<SQL
$COMMON
CREATE TEMP TABLE c10 AS
SELECT category, census(stay, daily_cost, $Y10) AS c FROM placements GROUP BY category;
-- pg_column_size of a computed value is its full (uncompressed) size; of the
-- stored column, what it takes on disk (compressed, TOASTed)
SELECT 'HVB',
       (SELECT pg_column_size(census(stay, daily_cost, $Y10)) FROM placements WHERE category = 'HVB'),
       (SELECT pg_column_size(c) FROM c10 WHERE category = 'HVB'),
       (SELECT max(pg_column_size(c::text::census)) FROM c10),
       (SELECT max(pg_column_size(c)) FROM c10),
       (SELECT octet_length(c::text) FROM c10 WHERE category = 'HVB');
SQL
)

# ---- timings ----
time_all placements

for m in s p; do
	T[sweep_a:$m]=$(min "${T[sweep_gs_a:$m]}" "${T[sweep_ua_a:$m]}")
	T[sweep_b:$m]=$(min "${T[sweep_gs_b:$m]}" "${T[sweep_ua_b:$m]}")
done
T[rep_direct:best]=$(min "${T[rep_direct:s]}" "${T[rep_direct:p]}")
row() { row_w 38 "$@"; }

echo
echo "==================== census benchmark summary ===================="
echo "PostgreSQL $(psql -Atc 'SHOW server_version'), $ROWS placements" \
	"($(psql -Atc "SELECT pg_size_pretty(pg_table_size('placements'))"), frozen, all-visible)," \
	"best of $RUNS, jit = $JIT, $(nproc) CPUs"
echo "serial: max_parallel_workers_per_gather = 0"
echo "2 workers: max_parallel_workers_per_gather = 2, parallel_setup_cost = 0, parallel_tuple_cost = 0"
echo "  (and placements has parallel_workers = 2; every 2-worker plan was checked to plan 2 workers)"
echo "sweeps: statistics on (lower(stay)) and (upper(stay)), target 1000, so that they hash their events"
echo "year 2023                                  serial  2 workers  speed-up  ÷floor(s) ÷floor(2w)"
row "scan floor sum(upper - lower)" floor
row "(a) census + buckets '1 month'" ext_a
row "(a) sweep, GROUPING SETS" sweep_gs_a
row "(a) sweep, UNION ALL" sweep_ua_a
row "(b) peak(census)" ext_b
row "(b) sweep, GROUPING SETS" sweep_gs_b
row "(b) sweep, UNION ALL" sweep_ua_b
echo "for information"
row "floor + GROUP BY category" floor_cat
row "peak(census), one group, no GROUP BY" ext_one
row "(b) without a WHERE clause" ext_bw
row "(b) with WHERE stay && 2023" ext_b_amp
echo "ten-year report 2015-2024 (care days and cost per year and category)"
printf '  %-38s %7.4f s\n' "rollup of stored yearly states" "${T[rep_states:s]}"
printf '  %-38s %7.3f s %7.3f s %6s×\n' "census over ten years" "${T[rep_direct:s]}" "${T[rep_direct:p]}" \
	"$(calc "${T[rep_direct:s]}/${T[rep_direct:p]}")"
for f in gs ua; do
	if [ $f = gs ]; then n="sweep, GROUPING SETS"; else n="sweep, UNION ALL"; fi
	printf '  %-38s %7.3f s %7.3f s %6s×\n' "$n" "${T[rep_sweep_$f:s]}" "${T[rep_sweep_$f:p]}" \
		"$(calc "${T[rep_sweep_$f:s]}/${T[rep_sweep_$f:p]}")"
done
echo "ten-year census state ($SZ_CAT, [2015-01-01,2025-01-01), 3 653 days)"
echo "  uncompressed $SZ_MEM bytes, stored $SZ_STORED bytes; largest of 7 categories: $SZ_MAXMEM / $SZ_MAXSTORED bytes; text $SZ_TEXT bytes"
echo "results: both sweeps = census for (a) and (b), 2 workers = serial, stored states = census (checked)"

echo "goal checks (best-of-$RUNS times, no tolerance)"
for q in a b; do
	for m in s p; do
		if [ $m = s ]; then w=serial; else w="2 workers"; fi
		r=$(calc "${T[ext_$q:$m]}/${T[floor:$m]}")
		check "${T[ext_$q:$m]} <= 1.2 * ${T[floor:$m]}" "($q) census within 1.2× of the scan floor, $w: $r (need ≤ 1.2)"
		r=$(calc "${T[sweep_$q:$m]}/${T[ext_$q:$m]}")
		check "${T[sweep_$q:$m]} >= 1.5 * ${T[ext_$q:$m]}" "($q) census ≥ 1.5× faster than the best sweep, $w: $r (need ≥ 1.5)"
	done
	r=$(calc "${T[ext_$q:s]}/${T[ext_$q:p]}")
	check "${T[ext_$q:s]} >= 1.5 * ${T[ext_$q:p]}" "($q) census with 2 workers ≥ 1.5× faster than serial: $r (need ≥ 1.5)"
done
r=$(calc "${T[rep_direct:best]}/${T[rep_states:s]}" 0)
check "${T[rep_direct:best]} >= 50 * ${T[rep_states:s]}" "ten-year report from stored states ≥ 50× faster than from the placements (faster of serial and 2 workers): $r (need ≥ 50)"
check "$SZ_MAXMEM < 100000" "ten-year census state under 100 kB: $SZ_MAXMEM bytes uncompressed, largest category (need < 100 000)"
echo "total wall time: $(($(date +%s) - START)) s"
