#!/usr/bin/env bash
# pg_dump -> pg_restore of edge values: a table with every type of the
# extension holding its extremes (sek min/max, estimates of them, census
# values at year 1 and at 9999-12, survival curves seen in BC and in year
# 10000+, forecast models with subnormal and huge doubles), plus the
# extension's configuration tables (action plan register, forecast_ledger,
# forecast_snapshot) filled through the API, is dumped with pg_dump -Fc and
# restored into a new database with --exit-on-error; every table must come
# back with the same number of rows and the same text of each row.
#
# Usage: bash test/dump_restore.sh   (a running cluster: PGHOST/PGPORT/PGUSER
# of a superuser, PGBIN for the client programs, `make install` done).
# Prints "dump_restore: ok (N tables, M rows)" and exits 0, or what differs and 1.
set -uo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
SRC=actionplan_dump_src
DST=actionplan_dump_dst
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"; "$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" >/dev/null 2>&1' EXIT
q() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" -c "CREATE DATABASE $SRC" -c "CREATE DATABASE $DST" >/dev/null || exit 1
q -d $SRC >/dev/null <<'SQL' || { echo "dump_restore: setting up the source database failed" >&2; exit 1; }
SET client_min_messages = warning;
CREATE EXTENSION actionplan;
CREATE TABLE edge (id serial PRIMARY KEY, s sek, e estimate, c census, sc survival_curve, m forecast_model);
-- sek: both limits, ±1 öre, zero
INSERT INTO edge (s) SELECT sek_from_ore(o) FROM unnest(ARRAY[9223372036854775807, -9223372036854775807, 1, -1, 0]::bigint[]) o;
-- estimate: the widest and a point at each limit
INSERT INTO edge (e) VALUES (estimate(sek_from_ore(-9223372036854775807), sek_from_ore(9223372036854775807))),
  (estimate(sek_from_ore(9223372036854775807))), (estimate(sek_from_ore(-9223372036854775807))), ('ingen effekt'), ('ca 2-3 mkr');
-- census: the first days of year 1, the last month before 10000, the longest period, the largest cost
INSERT INTO edge (c) VALUES
  ((SELECT census(daterange('0001-01-01', '0001-01-10'), '1 kr', daterange('0001-01-01', '0001-02-01')))),
  ((SELECT census(daterange('9999-12-20', NULL), sek_from_ore(922337203685477), daterange('9999-12-01', '10000-01-01')))),
  ((SELECT census(daterange(d, d + 400), '1 500 kr', daterange('1950-01-01', '2049-12-31'))
    FROM generate_series(date '1950-01-01', '2049-01-01', '1 year') g, LATERAL (SELECT g::date) x(d))),
  ((SELECT census(daterange('2023-01-01', '2023-01-02'), sek_from_ore(9223372036854775807), daterange('2023-01-01', '2023-01-02'))));
-- survival curves seen in BC, in year 10000+, at the far date limit, and long stays
INSERT INTO edge (sc) VALUES
  ((SELECT stay_survival(daterange('4000-01-01 BC', '3990-01-01 BC'), date '3000-01-01 BC'))),
  ((SELECT stay_survival(daterange('4713-01-01 BC', NULL), date '4713-12-31 BC'))),
  ((SELECT stay_survival(daterange('10000-01-01', '12000-01-01'), date '20000-01-01'))),
  ((SELECT stay_survival(daterange('5874890-01-01', NULL), date '5874897-12-31'))),
  ((SELECT stay_survival(daterange(d, d + (i * 37 % 900)), date '2024-06-01')
    FROM generate_series(1, 300) i, LATERAL (SELECT date '2020-01-01' + i * 5) x(d)));
-- forecast models: fitted at year 1 and 9999, of tiny and of huge values, and crafted with subnormal, huge and -0 doubles
CREATE TEMP TABLE series AS
SELECT t, (date '2019-01-01' + make_interval(months => t))::date AS d, 1000 + 5 * t + 200 * cos(2 * pi() * t / 12) AS v
FROM generate_series(0, 47) t;
INSERT INTO edge (m)
SELECT forecast_fit(d, v * f, meth) FROM series, unnest(ARRAY['ets', 'theta', 'damped', 'comb']) meth,
  unnest(ARRAY[1, 1e-300, 1e140, -1]) f GROUP BY meth, f ORDER BY meth, f;
INSERT INTO edge (m)
SELECT forecast_fit((d - interval '2018 years')::date, v, 'comb') FROM series
UNION ALL SELECT forecast_fit((d + interval '7976 years')::date, v, 'ets') FROM series;
INSERT INTO edge (m) VALUES
  ('method=ets first=2021-01 last=2023-08 n=32 ytd_months=8 ytd=5e-324 | kind=ets model=ANN n=32 alpha=0.5 beta=0 gamma=0 phi=1 level=-2.2250738585072e-310 slope=0 drift=0 offset=-0 sigma2=1.7976931348623157e+308 aicc=-Infinity season=0,0,0,0,0,0,0,0,0,0,0,0'),
  ('method=ets first=0001-01 last=0001-12 n=12 ytd_months=12 ytd=-1.7976931348623157e+308 | kind=ets model=ANA n=12 alpha=1 beta=0 gamma=1 phi=1 level=1.7976931348623157e+308 slope=0 drift=0 offset=0 sigma2=0 aicc=Infinity season=5e-324,-5e-324,0,-0,1,1,1,1,1,1,1,1e308');
-- the action plan register
INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement, requirement_year, decided)
VALUES ('Socialnämnden', 'Ekonomi i balans', 2024, 2026, 'deficit', sek_from_ore(9223372036854775807), 2024, '2024-02-01'),
       ('Socialnämnden', 'Åtgärdsplan', 1900, 1919, 'savings_requirement', '0', NULL, NULL);
INSERT INTO plan_stated_total (plan_id, year, stated) SELECT plan_id, NULL, '7-10 mkr' FROM action_plan WHERE first_year = 2024;
INSERT INTO plan_measure (plan_id, number, title, stated_total, due, follow_up_every)
SELECT plan_id, 1, 'Hemmaplanslösningar', estimate(sek_from_ore(-9223372036854775807), sek_from_ore(9223372036854775807)), 'infinity', '1 month'
FROM action_plan WHERE first_year = 2024;
INSERT INTO measure_effect (measure_id, year, expected, cost) SELECT measure_id, 2024, 'ca 4,6 mkr', sek_from_ore(9223372036854775807) FROM plan_measure;
INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status) SELECT measure_id, '2024-06-30', 2024, sek_from_ore(-9223372036854775807), 'started' FROM plan_measure;
-- a permanent effect at the last start allowed, an unquantified one, and a second measure linked to the first
INSERT INTO measure_effect (measure_id, kind, starts, expected, wording) SELECT measure_id, 'permanent', '2999-12-01', estimate('0'::sek, sek_from_ore(9223372036854775807)), 'från december' FROM plan_measure;
INSERT INTO measure_effect (measure_id, year, unquantified) SELECT measure_id, 2026, true FROM plan_measure;
INSERT INTO plan_measure (plan_id, number, title) SELECT plan_id, 2, 'Nätverksarbete' FROM action_plan WHERE first_year = 2024;
INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap, wording)
SELECT b.plan_id, b.measure_id, a.measure_id, 0.000001, 'kopplad till' FROM plan_measure a JOIN plan_measure b USING (plan_id) WHERE a.number = 1 AND b.number = 2;
-- a registered ledger and the snapshots of a refresh
CREATE TABLE ledger (entry_date date, unit text, amount sek);
INSERT INTO ledger SELECT d, u, sek_from_ore((100000 + 1000 * t + 37 * (t * t % 11)) * 100)
FROM generate_series(0, 43) t, LATERAL (SELECT (date '2020-01-15' + make_interval(months => t))::date) x(d), unnest(ARRAY['HVB', 'Familjehem']) u;
DO $$ BEGIN CREATE ROLE ap_dump_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT INSERT ON forecast_ledger TO ap_dump_owner;
ALTER TABLE ledger OWNER TO ap_dump_owner;
SET ROLE ap_dump_owner;
SELECT register_ledger('ledger', 'entry_date', 'amount', ARRAY['unit']::name[]);
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SQL

tables="edge ledger action_plan plan_stated_total plan_measure measure_effect measure_link measure_follow_up forecast_ledger forecast_snapshot"
# counts and a digest of each table's rows as text, ordered by that text
digest() {
	for t in $tables; do
		echo "$t $(q -d "$1" -Atc "SELECT count(*) || ' ' || md5(coalesce(string_agg(r, E'\n' ORDER BY r), '')) FROM (SELECT x::text AS r FROM $t x) s")"
	done
}
digest $SRC >"$WORK/src.txt" || exit 1
if [ "$(awk '$1 == "forecast_snapshot" {print $2}' "$WORK/src.txt")" = 0 ]; then
	echo "dump_restore: the refresh wrote no snapshot rows: the test would not cover forecast_snapshot"; exit 1
fi
"$PGBIN/pg_dump" -Fc -f "$WORK/dump" $SRC || { echo "dump_restore: pg_dump failed"; exit 1; }
"$PGBIN/pg_restore" --exit-on-error -d $DST "$WORK/dump" 2>"$WORK/restore.err" ||
	{ echo "dump_restore: pg_restore failed:"; head -n 20 "$WORK/restore.err"; exit 1; }
digest $DST >"$WORK/dst.txt" || exit 1
if ! diff "$WORK/src.txt" "$WORK/dst.txt" >"$WORK/diff.txt"; then
	echo "dump_restore: restored tables differ (table rows digest):"; cat "$WORK/diff.txt"; exit 1
fi
echo "dump_restore: ok ($(wc -l <"$WORK/src.txt") tables, $(awk '{s += $2} END {print s}' "$WORK/src.txt") rows, every row equal as text)"
