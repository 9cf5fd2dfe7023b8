#!/usr/bin/env bash
# One region over several PostgreSQL servers (docs/region.md): two node
# clusters of their own (scripts/cluster.sh, each its own data directory,
# socket and port: AP_PORT+1 and AP_PORT+2, or REGION_PORT and the next),
# each with actionplan and the placements and ledger of three of six
# generated municipalities (test/lib/region_data.sql, 600 placements and 936
# ledger rows each); the coordinator is the running test cluster
# (PGHOST/PGPORT), in a database of its own, actionplan_region: it stores no
# shard, so it needs no cluster of its own, and it already has the extension
# of the build under test.  There the partitioned tables placement and
# ledger_budget have one postgres_fdw foreign table per node as partitions,
# and the schema single holds the same rows in plain tables.  Checks:
#   - pushdown (EXPLAIN VERBOSE): census (also inside care_days), follow_up,
#     ets_fit, stay_survival and placement_forecast grouped by municipality
#     run on the nodes (the remote SQL holds the aggregate); forecast_fit and
#     follow_up with a method do not (a text argument whose collation is not
#     a foreign column's), nor follow_up at current_date (not immutable),
#     nor anything without the extension in `extensions`, nor an aggregate
#     over the whole region (PostgreSQL 15 ships no partial aggregates);
#   - region-wide figures from the nodes' states merged by rollup(census) and
#     rollup(survival_curve) equal the single-node computation exactly (the
#     state's text, care days, cost, cost per care day, persons per day), and
#     these equal plain SQL over the rows; per-municipality results equal;
#   - a node that is down: a clear error naming its server (SQLSTATE 08001),
#     the other node still answers for its municipalities, an INSERT ...
#     SELECT in a transaction leaves nothing, refresh_forecasts writes no
#     snapshot row and names the server in forecast_ledger.last_error.
# Usage: bash test/region.sh  (PGHOST/PGPORT/PGUSER of a superuser on a
# running cluster, PGBIN, actionplan installed). Prints
# "region: N checks, K failed"; exits 1 if any failed. Stops its clusters.
set -uo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$ROOT/test/lib/region.sh"
cd "$ROOT"
DB=actionplan_region
NODES=2 MUNIS=6 N=600
START=$(date +%s)

cq() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d $DB "$@"; }
cleanup() {
	stop_nodes $NODES >/dev/null 2>&1
	rm -rf "$REGION_DIR"
	"$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS actionplan_region_office" >/dev/null 2>&1
}
trap cleanup EXIT

n_checks=0 n_failed=0
ok() { n_checks=$((n_checks + 1)); echo "ok - $1"; }
fail() { n_checks=$((n_checks + 1)); n_failed=$((n_failed + 1)); echo "FAIL $1${2:+: $2}"; }
# check <name> <SQL giving one boolean>
check() {
	local r
	r=$(cq -tA -c "SET enable_partitionwise_aggregate = on" -c "$2" 2>&1)
	if [ "$r" = t ]; then ok "$1"; else fail "$1" "$r"; fi
}
SET="SET enable_partitionwise_aggregate = on;"
# a plan node aggregating on the coordinator (not "Relations: Aggregate on")
AGG_NODE='^ *(-> +)?(Finalize |Partial )?(Hash|Group|Mixed)?Aggregate$'
explain() { cq -tA -c "$SET" -c "EXPLAIN (VERBOSE, COSTS OFF) $1" 2>&1; }
# pushed <name> <aggregate> <query>: on each node the remote SQL holds the
# aggregate and a GROUP BY, and the coordinator aggregates nothing itself
pushed() {
	local p n
	p=$(explain "$3")
	n=$(grep -c "Remote SQL: SELECT .*public\.$2(.* GROUP BY" <<<"$p")
	if [ "$n" = $NODES ] && ! grep -qE "$AGG_NODE" <<<"$p"; then
		ok "$1 pushed down: $(grep -m1 'Remote SQL' <<<"$p" | sed 's/^ *//')"
	else fail "$1 pushed down" "$p"; fi
}
# not_pushed <name> <aggregate> <query>: the coordinator aggregates, the
# nodes only scan
not_pushed() {
	local p
	p=$(explain "$3")
	if grep -q 'Remote SQL' <<<"$p" && ! grep -q "Remote SQL: .*$2(" <<<"$p" && grep -qE "$AGG_NODE" <<<"$p"; then
		ok "$1 not pushed down"
	else fail "$1 not pushed down" "$p"; fi
}

# ---- set-up ----
start_nodes $NODES || { echo "region: starting the node clusters failed"; exit 1; }
for ((i = 1; i <= NODES; i++)); do
	nq "$i" -c "CREATE EXTENSION actionplan" -v munis="$(municipalities "$i" $NODES $MUNIS)" -v n=$N \
		-f test/lib/region_data.sql >/dev/null || { echo "region: loading node $i failed"; exit 1; }
done
"$PGBIN/psql" -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" \
	-c "DROP ROLE IF EXISTS actionplan_region_office" -c "CREATE DATABASE $DB" >/dev/null || exit 1
coordinator_sql $NODES $MUNIS | cq >/dev/null || { echo "region: coordinator set-up failed"; exit 1; }
cq -c "CREATE SCHEMA single" -c "SET search_path = single, public" -v munis="{$(seq -s, 1 $MUNIS)}" -v n=$N \
	-f test/lib/region_data.sql >/dev/null || { echo "region: single-node copy failed"; exit 1; }
check "the nodes hold the single-node copy's rows" "
  SELECT (SELECT count(*) FROM placement) = $((MUNIS * N)) AND (SELECT count(*) FROM ledger_budget) = $((MUNIS * 78 * 12))
     AND NOT EXISTS (SELECT municipality, id, stay, daily_cost FROM placement EXCEPT ALL SELECT * FROM single.placement)
     AND NOT EXISTS (SELECT l.*, b.annual FROM single.ledger l JOIN single.budget b
                       ON b.municipality = l.municipality AND b.year = extract(year FROM l.entry_date)
                     EXCEPT ALL SELECT * FROM ledger_budget)"

Y="daterange('2024-01-01', '2025-01-01')"
AS_OF="date '2025-06-30'"

# ---- what is pushed down ----
pushed census census "SELECT municipality, census(stay, daily_cost, $Y) FROM placement GROUP BY municipality"
p=$(explain "SELECT rollup(c) FROM (SELECT municipality, census(stay, daily_cost, $Y) AS c FROM placement GROUP BY municipality) s")
if [ "$(grep -c 'Remote SQL: SELECT .*public\.census(.* GROUP BY' <<<"$p")" = $NODES ] && [ "$(grep -cE "$AGG_NODE" <<<"$p")" = 1 ]; then
	ok "region census: census pushed down, only rollup(census) on the coordinator"
else fail "region census: census pushed down, only rollup(census) on the coordinator" "$p"; fi
pushed "care_days(census(...))" "care_days(public.census" "SELECT municipality, care_days(census(stay, daily_cost, $Y)) FROM placement GROUP BY municipality"
pushed follow_up follow_up "SELECT municipality, follow_up(entry_date, amount, annual, $AS_OF) FROM ledger_budget
  WHERE entry_date >= date '2025-01-01' GROUP BY municipality"
pushed ets_fit ets_fit "SELECT municipality, ets_fit(entry_date, amount) FROM ledger_budget WHERE entry_date < date '2025-01-01' GROUP BY municipality"
pushed stay_survival stay_survival "SELECT municipality, stay_survival(stay, $AS_OF) FROM placement GROUP BY municipality"
pushed placement_forecast placement_forecast "SELECT municipality, placement_forecast(stay, daily_cost, $AS_OF, date '2025-12-31') FROM placement GROUP BY municipality"
not_pushed "forecast_fit(entry_date, amount, 'ets')" forecast_fit "SELECT municipality, forecast_fit(entry_date, amount, 'ets') FROM ledger_budget GROUP BY municipality"
not_pushed "follow_up(..., 'profile')" follow_up "SELECT municipality, follow_up(entry_date, amount, annual, $AS_OF, 'profile') FROM ledger_budget
  WHERE entry_date >= date '2025-01-01' GROUP BY municipality"
not_pushed "follow_up with as_of = current_date (a stable function)" follow_up "SELECT municipality, follow_up(entry_date, amount, annual, current_date) FROM ledger_budget
  WHERE entry_date >= date '2025-01-01' GROUP BY municipality"
not_pushed "census over the whole region (no GROUP BY the partition key)" census "SELECT census(stay, daily_cost, $Y) FROM placement"
p=$(cq -tA -c "SET enable_partitionwise_aggregate = off" \
	-c "EXPLAIN (VERBOSE, COSTS OFF) SELECT municipality, census(stay, daily_cost, $Y) FROM placement GROUP BY municipality" 2>&1)
if [ "$(grep -c 'Remote SQL: SELECT municipality, stay, daily_cost FROM public.placement$' <<<"$p")" = $NODES ] &&
	grep -qE "$AGG_NODE" <<<"$p"; then
	ok "with enable_partitionwise_aggregate off census is not pushed down"
else fail "with enable_partitionwise_aggregate off census is not pushed down" "$p"; fi
p=$(cq -tA -c "$SET" -c "BEGIN" -c "ALTER SERVER node1 OPTIONS (DROP extensions)" \
	-c "EXPLAIN (VERBOSE, COSTS OFF) SELECT municipality, census(stay, daily_cost, $Y) FROM placement GROUP BY municipality" -c "ROLLBACK" 2>&1)
if [ "$(grep -c 'Remote SQL: .*census(' <<<"$p")" = 1 ] && grep -q 'Remote SQL: SELECT municipality, stay, daily_cost FROM public.placement' <<<"$p"; then
	ok "without actionplan in node1's extensions option its census is not pushed down"
else fail "without actionplan in node1's extensions option its census is not pushed down" "$p"; fi

# ---- region-wide figures: merged states against one node ----
cq >/dev/null <<SQL || fail "region-wide merge"
SET enable_partitionwise_aggregate = on;
CREATE TABLE merged AS
SELECT (SELECT rollup(c) FROM (SELECT municipality, census(stay, daily_cost, $Y) AS c FROM placement GROUP BY municipality) s) AS c,
       (SELECT census(stay, daily_cost, $Y) FROM single.placement) AS c1,
       (SELECT rollup(k) FROM (SELECT municipality, stay_survival(stay, $AS_OF) AS k FROM placement GROUP BY municipality) s) AS k,
       (SELECT stay_survival(stay, $AS_OF) FROM single.placement) AS k1;
SQL
check "region census (rollup of the nodes' censuses) = single-node census, as text" "SELECT c::text = c1::text FROM merged"
check "region care days = single node = plain SQL" "
  SELECT care_days(c) = care_days(c1) AND care_days(c) = (SELECT sum(upper(stay * $Y) - lower(stay * $Y)) FROM single.placement WHERE stay && $Y)
  FROM merged"
check "region cost = single node = plain SQL (öre)" "
  SELECT cost(c) = cost(c1) AND sek_ore(cost(c)) = (SELECT sum((upper(stay * $Y) - lower(stay * $Y)) * sek_ore(daily_cost)) FROM single.placement WHERE stay && $Y)
  FROM merged"
check "region cost per care day and persons per day = single node" "
  SELECT cost_per_care_day(c) = cost_per_care_day(c1) AND persons_per_day(c) = persons_per_day(c1)
     AND persons_per_day(c) = care_days(c)::float8 / 366 FROM merged"
check "region peak and monthly care days = single node" "
  SELECT peak(c) = peak(c1) AND (SELECT array_agg(care_days ORDER BY period) FROM census_buckets(c, '1 month'))
                             = (SELECT array_agg(care_days ORDER BY period) FROM census_buckets(c1, '1 month')) FROM merged"
check "region survival curve (rollup of the nodes' curves) = single node, as text" "
  SELECT k::text = k1::text AND median_stay(k) = median_stay(k1) FROM merged"
check "per-municipality census, follow_up, ets_fit, placement_forecast from the nodes = single node" "
  WITH r AS (SELECT municipality, census(stay, daily_cost, $Y)::text AS c, stay_survival(stay, $AS_OF)::text AS k,
                    placement_forecast(stay, daily_cost, $AS_OF, date '2025-12-31')::text AS f
             FROM placement GROUP BY municipality),
       s AS (SELECT municipality, census(stay, daily_cost, $Y)::text AS c, stay_survival(stay, $AS_OF)::text AS k,
                    placement_forecast(stay, daily_cost, $AS_OF, date '2025-12-31')::text AS f
             FROM single.placement GROUP BY municipality),
       re AS (SELECT municipality, ets_fit(entry_date, amount)::text AS e
              FROM ledger_budget WHERE entry_date < date '2025-01-01' GROUP BY municipality),
       se AS (SELECT municipality, ets_fit(entry_date, amount)::text AS e
              FROM single.ledger WHERE entry_date < date '2025-01-01' GROUP BY municipality),
       ru AS (SELECT municipality, follow_up(entry_date, amount, annual, $AS_OF)::text AS u
              FROM ledger_budget WHERE entry_date >= date '2025-01-01' GROUP BY municipality),
       su AS (SELECT l.municipality, follow_up(l.entry_date, l.amount, b.annual, $AS_OF)::text AS u
              FROM single.ledger l JOIN single.budget b ON b.municipality = l.municipality AND b.year = 2025
              WHERE l.entry_date >= date '2025-01-01' GROUP BY l.municipality)
  SELECT count(*) = $MUNIS AND bool_and(r.c = s.c AND r.k = s.k AND r.f = s.f AND re.e = se.e AND ru.u = su.u)
  FROM r JOIN s USING (municipality) JOIN re USING (municipality) JOIN se USING (municipality)
         JOIN ru USING (municipality) JOIN su USING (municipality)"
check "follow_up outcome from the nodes = plain SQL sum of the ledger rows" "
  SELECT bool_and((f).outcome = (SELECT sum(amount) FROM single.ledger l WHERE l.municipality = s.municipality
                                   AND entry_date BETWEEN date '2025-01-01' AND $AS_OF))
  FROM (SELECT municipality, follow_up(entry_date, amount, annual, $AS_OF) AS f FROM ledger_budget
        WHERE entry_date >= date '2025-01-01' GROUP BY municipality) s"
check "forecast_fit 'comb' (fitted on the coordinator) = single node" "
  SELECT bool_and(a = b) FROM
    (SELECT municipality, forecast_fit(entry_date, amount, 'comb')::text AS a FROM ledger_budget WHERE entry_date < date '2025-01-01' GROUP BY 1) r
    JOIN (SELECT municipality, forecast_fit(entry_date, amount, 'comb')::text AS b FROM single.ledger WHERE entry_date < date '2025-01-01' GROUP BY 1) s
    USING (municipality)"

# ---- a node that is down ----
cq >/dev/null <<SQL || fail "set-up before the node goes down"
CREATE TABLE municipality_census (municipality integer PRIMARY KEY, c census);
-- the nightly refresh reads a ledger as the role that registered it, which
-- may not be a superuser: a role of the finance office with a user mapping
-- of its own on each node
CREATE ROLE actionplan_region_office;
GRANT SELECT ON ledger_budget TO actionplan_region_office;
GRANT INSERT ON forecast_ledger TO actionplan_region_office;
$(for ((i = 1; i <= NODES; i++)); do echo "CREATE USER MAPPING FOR actionplan_region_office SERVER node$i OPTIONS (user 'postgres', password_required 'false');"; done)
SET ROLE actionplan_region_office;
SELECT register_ledger('ledger_budget', 'entry_date', 'amount', '{municipality}');
RESET ROLE;
SET client_min_messages = warning;
CALL refresh_forecasts(date '2024-12-31');
SQL
check "refresh_forecasts over the region writes every municipality's forecasts while all nodes are up" "
  SELECT count(*) = $MUNIS * 4 AND count(forecast) = $MUNIS * 4 FROM forecast_snapshot WHERE ledger = 'ledger_budget'::regclass"
stop_node 2 >/dev/null
err=$(cq -c "$SET" -c "SELECT municipality, census(stay, daily_cost, $Y) FROM placement GROUP BY municipality" -v VERBOSITY=verbose 2>&1)
if grep -q 'ERROR:  08001: could not connect to server "node2"' <<<"$err"; then
	ok "node2 down: $(grep -m1 ERROR <<<"$err") / $(grep -m1 DETAIL <<<"$err")"
else fail "node2 down gives an error naming it" "$err"; fi
check "node2 down: node1's municipalities still answer (partition pruning)" "
  SELECT count(*) = 3 FROM (SELECT municipality, census(stay, daily_cost, $Y) FROM placement
                            WHERE municipality IN (1, 2, 3) GROUP BY municipality) s"
err=$(cq -c "$SET" -c "BEGIN" -c "INSERT INTO municipality_census VALUES (0, NULL)" \
	-c "INSERT INTO municipality_census SELECT municipality, census(stay, daily_cost, $Y) FROM placement GROUP BY municipality" \
	-c "COMMIT" 2>&1)
if grep -q 'could not connect to server "node2"' <<<"$err"; then ok "INSERT ... SELECT with node2 down fails naming node2"
else fail "INSERT ... SELECT with node2 down fails naming node2" "$err"; fi
check "... and its transaction left nothing in the local table" "SELECT count(*) = 0 FROM municipality_census"
cq -c "SET client_min_messages = error" -c "CALL refresh_forecasts(date '2025-01-31')" >/dev/null 2>&1
check "refresh_forecasts with node2 down writes no row for the ledger, names node2 in last_error" "
  SELECT (SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ledger_budget'::regclass AND as_of = date '2025-01-31') = 0
     AND (SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ledger_budget'::regclass) = $MUNIS * 4
     AND (SELECT last_error LIKE '%could not connect to server \"node2\"%' FROM forecast_ledger WHERE ledger = 'ledger_budget'::regclass)"

echo "region: $n_checks checks, $n_failed failed ($(($(date +%s) - START)) s)"
[ "$n_failed" -eq 0 ]
