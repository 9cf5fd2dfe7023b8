#!/usr/bin/env bash
# Two sessions linking measures of one plan at the same time (make test,
# robustness): session A links measure 1 to 2 and holds its transaction open;
# session B links 2 to 1.  Each alone sees no cycle; measure_link_check's
# lock makes B wait for A and then refuse the cycle (23514), so the register
# never holds A → B → A.  Also two overlaps of one measure, each 0,6, added
# concurrently: the second must be refused.  Needs the test cluster's
# PGHOST/PGPORT/PGUSER of a superuser, PGBIN, and `make install` done.
set -uo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
DB=actionplan_concurrency
q() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
trap '"$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1' EXIT
"$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" || exit 1
q -c "CREATE EXTENSION actionplan" -c "
  INSERT INTO action_plan (plan_id, committee, title, first_year, last_year, requirement_kind, requirement)
  VALUES (1, 'Socialnämnden', 'Åtgärdsplan', 2025, 2025, 'deficit', '10 mnkr');
  INSERT INTO plan_measure (measure_id, plan_id, number, title) VALUES (1, 1, 1, 'a'), (2, 1, 2, 'b'), (3, 1, 3, 'c');" || exit 1
fails=0
checks=0
# race: A inserts and sleeps inside its transaction; B starts while A holds it
race() {
	local name=$1 a=$2 b=$3 want=$4 count_sql=$5 count_want=$6 out
	checks=$((checks + 1))
	q -c "BEGIN" -c "$a" -c "SELECT pg_sleep(1.5)" -c "COMMIT" >/dev/null 2>&1 &
	local pid=$!
	sleep 0.5
	out=$(q -v VERBOSITY=verbose -c "$b" 2>&1)
	wait $pid
	if ! grep -q "ERROR:  $want" <<<"$out"; then
		echo "FAIL concurrency: $name: session B should fail with $want, got: ${out:-success}"
		fails=$((fails + 1))
	fi
	checks=$((checks + 1))
	local n
	n=$(q -At -c "$count_sql")
	if [ "$n" != "$count_want" ]; then
		echo "FAIL concurrency: $name: $count_sql gave $n, not $count_want"
		fails=$((fails + 1))
	fi
}
race "a cycle of two links" \
	"INSERT INTO measure_link (plan_id, measure_id, linked_to) VALUES (1, 1, 2)" \
	"INSERT INTO measure_link (plan_id, measure_id, linked_to) VALUES (1, 2, 1)" \
	23514 "SELECT count(*) FROM measure_link" 1
race "overlaps above the whole effect" \
	"INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap) VALUES (1, 3, 1, 0.6)" \
	"INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap) VALUES (1, 3, 2, 0.6)" \
	23514 "SELECT count(*) FROM measure_link WHERE measure_id = 3" 1
echo "concurrency: $checks checks, $fails failed"
[ "$fails" -eq 0 ]
