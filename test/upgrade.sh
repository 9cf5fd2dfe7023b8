#!/usr/bin/env bash
# The upgrade test: a database made with the last release and filled through
# the extension's own API must, after ALTER EXTENSION actionplan UPDATE, have
# exactly the catalog of a fresh CREATE EXTENSION of the version under
# development, and every row it had.  It proves that every change to SQL
# objects since the release is in releases/actionplan--<old>--<new>.sql.
#
#   A  CREATE EXTENSION actionplan VERSION '0.1.0' (releases/actionplan--0.1.0.sql),
#      every extension-owned table (pg_extension.extconfig) filled: a plan with
#      measures, one-off, permanent and unquantified effects, a measure_link and
#      follow-ups; a registered ledger, refresh_forecasts' snapshots and an
#      office forecast; KPIs loaded with load_kpi_values; a report stated with
#      the state_* functions; edge values (NULLs, Swedish text, newlines and
#      quotes, the largest and smallest sek).  Its rows are recorded as text.
#   A  ALTER EXTENSION actionplan UPDATE: extversion must be the control
#      file's default_version.
#   B  CREATE EXTENSION actionplan.
#      The catalogs of A and B are described by test/lib/extension_catalog.sql
#      (every member object by name, with its definition, ACL and COMMENT);
#      one check per object, a unified diff of what differs.
#   A  every extension-owned table's rows must equal those recorded before.
#   R  pg_dump of A restored into a new database: the same rows.
# And the release bookkeeping: the control file, META.json and CHANGELOG.md
# name the same version, an update path leads from 0.1.0 to it, and the
# frozen 0.1.0 script is unchanged.
#
# Usage: bash test/upgrade.sh   (a running cluster: PGHOST/PGPORT/PGUSER of a
# superuser, PGBIN for the client programs, `make install` done).
# Prints FAIL lines, then "upgrade: N checks, K failed"; exits 1 on a failure.
# UPGRADE_KEEP=1 keeps the work files (the rows, both catalog descriptions).
set -uo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FROM=0.1.0
# sha256 of releases/actionplan--0.1.0.sql: the released script is never edited
FROZEN_SHA256=4d0917c17c27c290e1c98d85a1e8a6d157f3f9dd2eb8a5ab9185538172c3bd46
A=actionplan_upgrade_a
B=actionplan_upgrade_b
R=actionplan_upgrade_r
WORK=$(mktemp -d)
cleanup() {
	if [ -n "${UPGRADE_KEEP:-}" ]; then echo "upgrade: the work files are kept in $WORK"; else rm -rf "$WORK"; fi
	"$PGBIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $A" -c "DROP DATABASE IF EXISTS $B" \
		-c "DROP DATABASE IF EXISTS $R" -c "DROP ROLE IF EXISTS ap_upgrade_owner" >/dev/null 2>&1
}
trap cleanup EXIT
q() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
START=$SECONDS
checks=0
failed=0
ok() { checks=$((checks + 1)); }
fail() { checks=$((checks + 1)); failed=$((failed + 1)); echo "FAIL $*"; }
check() { if [ "$1" = "$2" ]; then ok; else fail "$3: '$1', expected '$2'"; fi; }
finish() {
	echo "upgrade: $checks checks, $failed failed ($((SECONDS - START)) s)"
	[ "$failed" -eq 0 ] && exit 0 || exit 1
}
abort() { fail "$*"; finish; }

# ---- the versions the release files name
VERSION=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$ROOT/actionplan.control")
[ -n "$VERSION" ] || abort "actionplan.control has no default_version"
meta=$(/usr/bin/python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["version"], m["provides"]["actionplan"]["version"])' "$ROOT/META.json" 2>&1)
check "$meta" "$VERSION $VERSION" "META.json's version and provides.actionplan.version vs actionplan.control"
changelog=$(sed -n 's/^## \[\([0-9][^]]*\)\].*/\1/p' "$ROOT/CHANGELOG.md" | head -n 1)
check "$changelog" "$VERSION" "CHANGELOG.md's top version vs actionplan.control"
check "$(sha256sum <"$ROOT/releases/actionplan--$FROM.sql" | cut -d' ' -f1)" "$FROZEN_SHA256" \
	"releases/actionplan--$FROM.sql was edited (sha256)"
installed=$(q -d postgres -Atc "SELECT default_version FROM pg_available_extensions WHERE name = 'actionplan'")
check "$installed" "$VERSION" "the installed control file's default_version (make install done?)"

q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $A" -c "DROP DATABASE IF EXISTS $B" \
	-c "DROP DATABASE IF EXISTS $R" -c "CREATE DATABASE $A" -c "CREATE DATABASE $B" -c "CREATE DATABASE $R" >/dev/null ||
	abort "creating the databases"
path=$(q -d $A -Atc "SELECT path FROM pg_extension_update_paths('actionplan') WHERE source = '$FROM' AND target = '$VERSION'")
if [ "$VERSION" = "$FROM" ] || [ -n "$path" ]; then ok; else fail "no update path from $FROM to $VERSION (releases/actionplan--$FROM--$VERSION.sql installed?)"; fi

# ---- A: the release, filled through its API
q -d $A >"$WORK/fill.out" 2>&1 <<SQL || { cat "$WORK/fill.out"; abort "filling the $FROM database"; }
SET client_min_messages = warning;
CREATE EXTENSION actionplan VERSION '$FROM';
SQL
q -d $A -o /dev/null >>"$WORK/fill.out" 2>&1 <<'SQL' || { cat "$WORK/fill.out"; abort "filling the 0.1.0 database"; }
SET client_min_messages = warning;
-- the action plan register (written with INSERT: its API is the tables)
INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement, requirement_year,
                         decided, diary_number, source)
VALUES ('Socialnämnden', 'Ekonomi i balans 2024–2026: åtgärder för ett minskat underskott', 2024, 2026, 'deficit',
        sek_from_ore(9223372036854775807), 2024, '2024-02-01', 'SN 2024/0042', E'Protokoll § 12\n"citat" med ''apostrof'', komma (och parentes)'),
       ('Vård- och omsorgsnämnden', 'Åtgärdsplan', 1900, 1919, 'savings_requirement', '0', NULL, NULL, NULL, NULL);
INSERT INTO plan_stated_total (plan_id, year, stated)
SELECT plan_id, y, s FROM action_plan, (VALUES (NULL::integer, '7-10 mkr'::estimate), (2025, '0')) v(y, s) WHERE first_year = 2024;
INSERT INTO plan_measure (plan_id, number, title, kind, how, due, responsible, follow_up_every, follow_up_how, decided,
                          diary_number, status, categories, accounts, stated_total, note)
SELECT plan_id, 1, 'Hemmaplanslösningar i stället för HVB', 'political_decision', 'Öppenvård på hemmaplan', 'infinity',
       'Enhetschef Barn och unga', '1 month', 'Månadsrapport', '2024-03-15', 'SN 2024/0043', 'started', '{HVB,Familjehem}',
       '{4561,""}', estimate(sek_from_ore(-9223372036854775807), sek_from_ore(9223372036854775807)), E'tab\there'
FROM action_plan WHERE first_year = 2024;
INSERT INTO plan_measure (plan_id, number, title) SELECT plan_id, n, t FROM action_plan,
  (VALUES (2, 'Nätverksarbete'), (NULL, 'Översyn av avtal')) v(n, t) WHERE first_year = 2024;
INSERT INTO plan_measure (plan_id, number, title, status) SELECT plan_id, 1, 'Inköpsstopp', 'cancelled' FROM action_plan WHERE first_year = 1900;
-- effects: one-off with the largest cost, permanent at the first and the last start allowed, unquantified, a zero
INSERT INTO measure_effect (measure_id, year, expected, cost, kind, starts, unquantified, wording)
SELECT measure_id, y, e, c, k, s, u, w FROM plan_measure,
  (VALUES (2024, 'ca 4,6 mkr'::estimate, sek_from_ore(9223372036854775807), 'one_off', NULL::date, false, NULL::text),
          (NULL, estimate('0'::sek, sek_from_ore(9223372036854775807)), '0', 'permanent', '2999-12-01', false, 'från december'),
          (1900, '0', '1 kr', 'permanent', '1900-01-01', false, 'helår'),
          (2026, NULL, '0', 'one_off', NULL, true, 'effekt förväntas')) v(y, e, c, k, s, u, w)
WHERE number = 1 AND title LIKE 'Hem%';
INSERT INTO measure_effect (measure_id, year, expected) SELECT measure_id, 2025, '1,5-2 mnkr' FROM plan_measure WHERE number = 2;
INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap, wording)
SELECT b.plan_id, b.measure_id, a.measure_id, v.o, v.w FROM plan_measure a JOIN plan_measure b USING (plan_id),
  (VALUES (2, 0.000001, 'kopplad till åtgärd 1'), (NULL, 1, NULL)) v(n, o, w)
WHERE a.number = 1 AND a.title LIKE 'Hem%' AND b.number IS NOT DISTINCT FROM v.n;
INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status, comment)
SELECT measure_id, d, y, a, s, c FROM plan_measure,
  (VALUES (date '2024-06-30', 2024, sek_from_ore(-9223372036854775807), 'started', 'Halvår: "sämre" än väntat'),
          ('2024-12-31', 2024, NULL, NULL, NULL), ('0001-01-01', 2999, '0', 'planned', '')) v(d, y, a, s, c)
WHERE number = 1 AND title LIKE 'Hem%';

-- a registered ledger, the nightly forecasts and an office forecast
CREATE TABLE ledger (entry_date date, unit text, amount sek);
INSERT INTO ledger SELECT d, u, sek_from_ore((100000 + 1000 * t + 37 * (t * t % 11)) * 100)
FROM generate_series(0, 43) t, LATERAL (SELECT (date '2020-01-15' + make_interval(months => t))::date) x(d),
     unnest(ARRAY['HVB', 'Familjehem']) u;
-- (a superuser may not register a ledger: its owner does, with the rights
-- granted for it, revoked again so that the ACLs are the fresh install's)
DO $$ BEGIN CREATE ROLE ap_upgrade_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
ALTER TABLE ledger OWNER TO ap_upgrade_owner;
GRANT INSERT, UPDATE ON forecast_ledger TO ap_upgrade_owner;
GRANT INSERT, UPDATE ON forecast_snapshot TO ap_upgrade_owner;
SET ROLE ap_upgrade_owner;
SELECT register_ledger('ledger', 'entry_date', 'amount', ARRAY['unit']::name[]);
SELECT register_ledger('ledger', 'entry_date', 'amount');
RESET ROLE;
CALL refresh_forecasts('2023-07-31');
CALL refresh_forecasts('2023-08-31');
SET ROLE ap_upgrade_owner;
SELECT record_office_forecast('ledger', '{"unit": "HVB"}', '2023-08-31', '13,1 mnkr', E'Två nya placeringar – åäö\nrad två');
SELECT record_office_forecast('ledger', '{}', '2023-08-31', '26 mnkr');
RESET ROLE;
REVOKE ALL ON forecast_ledger, forecast_snapshot FROM ap_upgrade_owner;

-- key figures: the registers by INSERT, the values by load_kpi_values
INSERT INTO kpi (kpi, title, unit) VALUES ('N01951', 'Invånare totalt, antal', 'antal'),
  ('U_IFO', 'Kostnad individ- och familjeomsorg, kr/inv', 'kr/inv');
INSERT INTO municipality (municipality, name) VALUES ('1880', 'Örebro'), ('0180', 'Stockholm'), ('1480', 'Göteborg');
INSERT INTO peer_group (peer_group, title, basis) VALUES ('LK_IFO', 'Liknande kommuner IFO', NULL), ('egen', 'Storstäder', 'Egen grupp');
INSERT INTO peer_group_member (peer_group, municipality) VALUES ('LK_IFO', '0180'), ('LK_IFO', '1480'), ('egen', '1880');
SELECT * FROM load_kpi_values(E'kpi;municipality;period;gender;value\nN01951;1880;2023;T;159050\nN01951;0180;2023;T;984748\n'
  'U_IFO;1880;2023;T;"4 600,5"\nU_IFO;0180;2023;K;-0,000001\nU_IFO;1480;2999;M;999999999999999,999999\n'
  'U_IFO;1480;1900;T;0', 'Kolada 2024-05-01 (export)');

-- a stated report
SELECT state_report('DR2 2023', 'Delårsrapport med prognos 2 för 2023', '2023-08-31', '{}', 'Socialnämnden, § 87');
SELECT state_table('DR2 2023', '4.1', 'Driftredovisning per verksamhet', 'mnkr', true, 243);
SELECT state_column('DR2 2023', '4.1', 'Budget', 'budget');
SELECT state_column('DR2 2023', '4.1', 'Prognos', 'forecast');
SELECT state_column('DR2 2023', '4.1', 'Avvikelse', 'deviation', '{Budget,Prognos}');
SELECT state_row('DR2 2023', '4.1', 'Summa');
SELECT state_row('DR2 2023', '4.1', r, total => 'Summa') FROM unnest('{Myndighet,Barn och unga}'::text[]) r;
SELECT state_figures('DR2 2023', '4.1', 'Myndighet', '{-113\,4,-125\,7,-12\,3}');
SELECT state_figures('DR2 2023', '4.1', 'Barn och unga', '{-50\,0,NULL,0}');
SELECT state_figure('DR2 2023', '4.1', 'Summa', 'Avvikelse', '-12,3', 'avvikelse helår');
SELECT state_quote('DR2 2023', '3.2', 'Nämnden prognostiserar ett underskott på 12,3 mnkr.', '-12,3 mnkr', 'avvikelse helår');
SQL

# ---- the extension-owned tables and sequences of the release, each with rows
list=$(q -d $A -Atc "SELECT c.relname || ' ' || c.relkind::text FROM pg_extension e, unnest(e.extconfig) r JOIN pg_class c ON c.oid = r
                     WHERE e.extname = 'actionplan' ORDER BY 1") || abort "reading extconfig"
[ -n "$list" ] || abort "the extension owns no tables (extconfig is empty)"
tables=$(echo "$list" | cut -d' ' -f1)
# every table's rows as text, ordered (a sequence: its state), into DIR/<table>, in
# one session (that goes on past a table that is missing: its file stays empty).
# Only the columns the release has (read before the update): a column the
# update adds is new, not a change of the rows; one it drops fails the read.
declare -A cols
for t in $(echo "$list" | awk '$2 != "S" {print $1}'); do
	cols[$t]=$(q -d $A -Atc "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
	                          WHERE attrelid = '$t'::regclass AND attnum > 0 AND NOT attisdropped") || abort "reading the columns of $t"
done
rows() {
	mkdir -p "$2"
	echo "$list" | while read -r t kind; do
		echo "\\o $2/$t"
		if [ "$kind" = S ]; then echo "COPY (SELECT last_value, is_called FROM $t) TO STDOUT;"
		else echo "COPY (SELECT x FROM (SELECT ROW(${cols[$t]})::text AS x FROM $t) r ORDER BY x COLLATE \"C\") TO STDOUT;"; fi
	done | "$PGBIN/psql" -X -q -d "$1"
}
rows $A "$WORK/before" || abort "reading the tables' rows"
for t in $tables; do
	if [ -s "$WORK/before/$t" ]; then ok; else fail "$t has no rows before the update: fill it in test/upgrade.sh"; fi
done

# ---- the update
q -d $A -c "SET client_min_messages = warning" -c "ALTER EXTENSION actionplan UPDATE" >"$WORK/update.out" 2>&1 ||
	{ cat "$WORK/update.out"; abort "ALTER EXTENSION actionplan UPDATE failed"; }
check "$(q -d $A -Atc "SELECT extversion FROM pg_extension WHERE extname = 'actionplan'")" "$VERSION" \
	"extversion after ALTER EXTENSION actionplan UPDATE"

# ---- the catalogs: updated A against a fresh B, one check per object
q -d $B -c "SET client_min_messages = warning" -c "CREATE EXTENSION actionplan" >/dev/null || abort "CREATE EXTENSION in $B"
q -d $A -f "$ROOT/test/lib/extension_catalog.sql" >"$WORK/catalog.updated" || abort "describing the catalog of $A"
q -d $B -f "$ROOT/test/lib/extension_catalog.sql" >"$WORK/catalog.fresh" || abort "describing the catalog of $B"
objects() { awk -F' [|] ' '{print $1}' "$@" | sort -u; }
objects "$WORK/catalog.updated" "$WORK/catalog.fresh" >"$WORK/objects"
diff "$WORK/catalog.updated" "$WORK/catalog.fresh" | sed -n 's/^[<>] //p' | objects >"$WORK/objects.differ"
n_obj=$(wc -l <"$WORK/objects")
n_bad=$(wc -l <"$WORK/objects.differ")
checks=$((checks + n_obj - n_bad))
while IFS= read -r o; do
	if ! grep -qF -- "$o | member |" "$WORK/catalog.fresh"; then what="only in the updated database (a fresh install has no such object)"
	elif ! grep -qF -- "$o | member |" "$WORK/catalog.updated"; then what="missing in the updated database (a fresh install has it)"
	else what="differs: $(diff "$WORK/catalog.updated" "$WORK/catalog.fresh" | sed -n 's/^[<>] //p' |
		awk -F' [|] ' -v o="$o" '$1 == o {sub(/ line [0-9]+$/, "", $2); print $2}' | sort -u | paste -sd, - | sed 's/,/, /g')"
	fi
	fail "catalog: $o $what"
done <"$WORK/objects.differ"
if [ "$n_bad" -gt 0 ]; then
	echo "--- the catalog after the update (A) against a fresh install (B), unified diff:"
	diff -u --label "A: $FROM updated to $VERSION" --label "B: fresh $VERSION" "$WORK/catalog.updated" "$WORK/catalog.fresh" | head -n 200
fi
grep -F 'not described by' "$WORK/catalog.fresh" | sed 's/^/NOTE /'

# ---- the rows: kept by the update, and by pg_dump/pg_restore of the updated database
"$PGBIN/pg_dump" -Fc -f "$WORK/dump" $A 2>"$WORK/dump.err" || { cat "$WORK/dump.err"; abort "pg_dump of the updated database failed"; }
if "$PGBIN/pg_restore" --exit-on-error -d $R "$WORK/dump" 2>"$WORK/restore.err"; then ok; else
	fail "pg_restore of the updated database failed:"; head -n 20 "$WORK/restore.err"; fi
check "$(q -d $R -Atc "SELECT extversion FROM pg_extension WHERE extname = 'actionplan'")" "$VERSION" \
	"extversion of the restored database"
rows $A "$WORK/after" || fail "reading the rows after the update"
rows $R "$WORK/restored" || fail "reading the rows of the restored database"
for t in $tables; do
	for s in after restored; do
		if cmp -s "$WORK/before/$t" "$WORK/$s/$t"; then ok; else
			case $s in after) what="after the update";; *) what="after pg_dump/pg_restore of the updated database";; esac
			fail "rows: $t $what differ from those before the update ($(wc -l <"$WORK/before/$t") rows before, $(wc -l <"$WORK/$s/$t") now):"
			diff -u --label "$t before" --label "$t $s" "$WORK/before/$t" "$WORK/$s/$t" 2>/dev/null | head -n 20
		fi
	done
done
finish
