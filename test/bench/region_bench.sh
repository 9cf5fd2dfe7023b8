#!/usr/bin/env bash
# region benchmark (not part of `make test`): one region over NODES (default
# 3) node clusters against the same rows on one server.
#   ROWS=3000000 bash test/bench/region_bench.sh
# Starts its own throwaway coordinator cluster (port 54380,
# /tmp/actionplan-bench-region; override with AP_PORT / AP_CLUSTER_DIR /
# AP_DB) and NODES node clusters on the ports after it (REGION_PORT for the
# first), in its directory.  MUNIS municipalities (default 12, a multiple of
# NODES) of ROWS/MUNIS placements each and their ledgers
# (test/lib/region_data.sql, 936 ledger rows per municipality) are made on
# the nodes that hold them, and all of them again on the coordinator in plain
# tables (schema single): the single-node copy.  The coordinator's
# partitioned tables have one postgres_fdw foreign table per node (async,
# docs/region.md).  Timed, best of RUNS (default 3) rounds, the single node
# serial and with 2 workers:
#   - care days per municipality in 2024 (care_days(census(...)) grouped by
#     municipality: pushed down whole);
#   - the region census of 2024: the nodes' per-municipality censuses merged
#     by rollup(census) on the coordinator; on one server census() over all
#     rows; and, for comparison, census() over the partitioned table without
#     the GROUP BY (not pushed down: every row crosses the network);
#   - forecasts per municipality: ets_fit of the ledger's monthly series and
#     placement_forecast of the placements (both pushed down).
# Every result is checked against the single node (a difference stops the
# benchmark).  Prints sizes, times and region ÷ single-node ratios; stops
# and removes its clusters (BENCH_KEEP=1 leaves them running).  The nodes
# share this machine's cores with the coordinator: the ratios say what the
# pushdown and the merge cost, not what separate machines would gain.
set -euo pipefail
cd "$(dirname "$0")/../.."
export AP_PORT=${AP_PORT:-54380} AP_CLUSTER_DIR=${AP_CLUSTER_DIR:-/tmp/actionplan-bench-region}
export AP_DB=${AP_DB:-actionplan_region_bench}
ROWS=${ROWS:-3000000} RUNS=${RUNS:-3} NODES=${NODES:-3} MUNIS=${MUNIS:-12} BENCH_NAME=region
. test/bench/lib.sh
. test/lib/region.sh
N=$((ROWS / MUNIS))
trap 'cleanup; if [ "$KEEP" != 1 ]; then stop_nodes $NODES >/dev/null 2>&1; rm -rf "$REGION_DIR"; fi' EXIT

echo "== setup: $NODES nodes, $MUNIS municipalities × $N placements = $((MUNIS * N)) placements"
t0=$(date +%s)
start_nodes "$NODES"
pids=()
for ((i = 1; i <= NODES; i++)); do
	nq "$i" -c "CREATE EXTENSION actionplan" -v munis="$(municipalities "$i" "$NODES" "$MUNIS")" -v n=$N \
		-f test/lib/region_data.sql >/dev/null & pids+=($!)
done
psql -c "CREATE EXTENSION actionplan" -c "CREATE SCHEMA single" -c "SET search_path = single, public" -v munis="{$(seq -s, 1 "$MUNIS")}" -v n=$N \
	-f test/lib/region_data.sql >/dev/null
for p in "${pids[@]}"; do wait "$p"; done
coordinator_sql "$NODES" "$MUNIS" | psql >/dev/null
psql -c "ALTER DATABASE $AP_DB SET enable_partitionwise_aggregate = on"
echo "   $(($(date +%s) - t0)) s; $(psql -tA -c "SELECT pg_size_pretty(pg_total_relation_size('single.placement'))") of placements on one server"

Y="daterange('2024-01-01', '2025-01-01')"
AS_OF="date '2025-06-30'"
declare -A Q
Q[care_region]="SELECT municipality, care_days(census(stay, daily_cost, $Y)) FROM placement GROUP BY municipality"
Q[care_single]="SELECT municipality, care_days(census(stay, daily_cost, $Y)) FROM single.placement GROUP BY municipality"
Q[census_region]="SELECT rollup(c) FROM (SELECT municipality, census(stay, daily_cost, $Y) AS c FROM placement GROUP BY municipality) s"
Q[census_single]="SELECT census(stay, daily_cost, $Y) FROM single.placement"
Q[census_pulled]="SELECT census(stay, daily_cost, $Y) FROM placement"
Q[ets_region]="SELECT municipality, ets_fit(entry_date, amount) FROM ledger_budget WHERE entry_date < date '2025-01-01' GROUP BY municipality"
Q[ets_single]="SELECT municipality, ets_fit(entry_date, amount) FROM single.ledger WHERE entry_date < date '2025-01-01' GROUP BY municipality"
Q[pf_region]="SELECT municipality, placement_forecast(stay, daily_cost, $AS_OF, date '2025-12-31') FROM placement GROUP BY municipality"
Q[pf_single]="SELECT municipality, placement_forecast(stay, daily_cost, $AS_OF, date '2025-12-31') FROM single.placement GROUP BY municipality"

echo "== checks: the region's results = the single node's"
{
	check_prologue
	for q in care census ets pf; do
		r=${Q[${q}_region]} s=${Q[${q}_single]}
		[ $q = census ] && s="SELECT rollup(c) FROM (SELECT municipality, census(stay, daily_cost, $Y) AS c FROM single.placement GROUP BY municipality) s"
		echo "CREATE TEMP TABLE r_$q AS SELECT * FROM ($r) x; CREATE TEMP TABLE s_$q AS SELECT * FROM ($s) x;"
		echo "CREATE TEMP TABLE rt_$q AS SELECT x::text AS t FROM r_$q x; CREATE TEMP TABLE st_$q AS SELECT x::text AS t FROM s_$q x;"
		echo "SELECT pg_temp.same('rt_$q', 'st_$q', '$q');"
	done
	echo "CREATE TEMP TABLE c1 AS SELECT x::text AS t FROM (${Q[census_single]}) x; SELECT pg_temp.same('rt_census', 'c1', 'region census = census over all rows');"
	echo "CREATE TEMP TABLE c2 AS SELECT x::text AS t FROM (${Q[census_pulled]}) x; SELECT pg_temp.same('c1', 'c2', 'census over the partitioned table = single');"
} | check_psql

for ((i = 1; i <= NODES; i++)); do nq "$i" -c "SELECT count(*) FROM placement" >/dev/null; done
TIMED=(care_region:s care_single:s care_single:p census_region:s census_single:s census_single:p census_pulled:s
	ets_region:s ets_single:s ets_single:p pf_region:s pf_single:s pf_single:p)
time_all single.placement

row() { # row <text> <query>: region, single serial, single 2 workers, ratios
	local r=${T[$2_region:s]} s=${T[$2_single:s]} p=${T[$2_single:p]}
	printf "  %-44s %8.3f s %8.3f s %8.3f s %7s %7s\n" "$1" "$r" "$s" "$p" "$(calc "$r/$s")" "$(calc "$r/$p")"
}
echo "== $NODES nodes, $MUNIS municipalities, $((MUNIS * N)) placements, $((MUNIS * 936)) ledger rows; best of $RUNS"
printf "  %-44s %10s %10s %10s %7s %7s\n" "" "region" "1 node" "1 node 2w" "÷ 1" "÷ 1 2w"
row "care days per municipality 2024" care
row "region census 2024 (rollup of the nodes')" census
printf "  %-44s %8.3f s  (÷ rollup of pushed-down censuses: %s)\n" "  census not pushed down (rows pulled)" \
	"${T[census_pulled:s]}" "$(calc "${T[census_pulled:s]}/${T[census_region:s]}")"
row "ets_fit per municipality" ets
row "placement_forecast per municipality" pf
echo "   total $(($(date +%s) - START)) s"
