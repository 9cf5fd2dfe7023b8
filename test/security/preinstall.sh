#!/usr/bin/env bash
# A hostile public before CREATE EXTENSION (issue 13): in a database whose
# public schema everyone may write (PostgreSQL 14 and earlier), an ordinary
# role plants, before the extension is installed, functions, aggregates and
# operators that would beat the built-ins in overload resolution (exact types
# against the built-ins' variadic, polymorphic or implicitly cast ones). Then
# a superuser installs the extension into public and uses it.  Passes when no
# object of the extension depends on a function, aggregate or operator outside
# pg_catalog and the extension itself (what the install script bound), and no
# planted object ever ran.
# Usage: PGHOST/PGPORT/PGUSER of a running cluster (superuser), `make install`
# done; PGBIN optional.
set -uo pipefail
PSQL="${PGBIN:+$PGBIN/}psql"
DB=actionplan_preinstall
cd "$(dirname "$0")/../.."
"$PSQL" -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" || exit 2
out=$("$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" 2>&1 <<'SQL'
SET client_min_messages = warning;
GRANT CREATE ON SCHEMA public TO PUBLIC;
DO $$ BEGIN CREATE ROLE ap_pre_eve; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE public.ap_pre_log (what text, who name);
GRANT INSERT ON public.ap_pre_log TO PUBLIC;
SET ROLE ap_pre_eve;
-- each planted function writes down that it ran, and as whom
CREATE FUNCTION public.ap_pre_hit(what text) RETURNS void LANGUAGE sql
  AS $f$INSERT INTO public.ap_pre_log VALUES (what, current_user)$f$;
DO $$
DECLARE
  t text;
BEGIN
  -- format(text, variadic "any"), concat, concat_ws: an exact signature wins
  FOREACH t IN ARRAY ARRAY['text', 'date', 'integer', 'bigint', 'numeric', 'interval', 'double precision', 'name', 'jsonb'] LOOP
    EXECUTE pg_catalog.format('CREATE FUNCTION public.format(text, %1$s) RETURNS text LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''format(text, %1$s)''); RETURN ''x''; END$b$', t);
    EXECUTE pg_catalog.format('CREATE FUNCTION public.format(text, %1$s, %1$s) RETURNS text LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''format(text, %1$s, %1$s)''); RETURN ''x''; END$b$', t);
    EXECUTE pg_catalog.format('CREATE FUNCTION public.concat(text, %1$s) RETURNS text LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''concat''); RETURN ''x''; END$b$', t);
  END LOOP;
  -- polymorphic built-ins: an exact one wins
  FOREACH t IN ARRAY ARRAY['text', 'integer', 'date', 'name', 'bigint', 'jsonb'] LOOP
    EXECUTE pg_catalog.format('CREATE FUNCTION public.ap_pre_agg(%1$s[], %1$s) RETURNS %1$s[] LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''aggregate over %1$s''); RETURN $1 || $2; END$b$', t);
    EXECUTE pg_catalog.format('CREATE AGGREGATE public.array_agg(%1$s) (SFUNC = public.ap_pre_agg, STYPE = %1$s[])', t);
    EXECUTE pg_catalog.format('CREATE FUNCTION public.cardinality(%1$s[]) RETURNS integer LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''cardinality''); RETURN 0; END$b$', t);
    EXECUTE pg_catalog.format('CREATE FUNCTION public.unnest(%1$s[]) RETURNS SETOF %1$s LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''unnest''); END$b$', t);
    EXECUTE pg_catalog.format('CREATE FUNCTION public.ap_pre_cnt(bigint, %1$s) RETURNS bigint LANGUAGE plpgsql AS '
                   '$b$BEGIN PERFORM public.ap_pre_hit(''count''); RETURN $1 + 1; END$b$', t);
    EXECUTE pg_catalog.format('CREATE AGGREGATE public.count(%1$s) (SFUNC = public.ap_pre_cnt, STYPE = bigint, INITCOND = 0)', t);
  END LOOP;
  -- a literal that the built-in takes as regclass: text beats it
  CREATE FUNCTION public.nextval(text) RETURNS bigint LANGUAGE plpgsql
    AS $b$BEGIN PERFORM public.ap_pre_hit('nextval(text)'); RETURN 1; END$b$;
  CREATE FUNCTION public.has_table_privilege(text, text) RETURNS boolean LANGUAGE plpgsql
    AS $b$BEGIN PERFORM public.ap_pre_hit('has_table_privilege'); RETURN true; END$b$;
  CREATE FUNCTION public.pg_has_role(oid, text) RETURNS boolean LANGUAGE plpgsql
    AS $b$BEGIN PERFORM public.ap_pre_hit('pg_has_role'); RETURN true; END$b$;
END
$$;
RESET ROLE;
CREATE EXTENSION actionplan;
-- what the install script bound: functions, aggregates and operators outside
-- pg_catalog that are not the extension's own
SELECT 'BOUND ' || pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> ' || pg_describe_object(d.refclassid, d.refobjid, 0)
FROM pg_depend d
WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass)
  AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = d.refclassid AND e.objid = d.refobjid AND e.deptype = 'e')
  AND CASE d.refclassid WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = d.refobjid)
                        ELSE (SELECT oprnamespace FROM pg_operator WHERE oid = d.refobjid) END <> 'pg_catalog'::regnamespace
  -- an object of the extension, or a default, constraint, policy or view rule of one of its tables
  AND (d.classid, CASE d.classid WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)
                                 WHEN 'pg_constraint'::regclass THEN (SELECT conrelid FROM pg_constraint WHERE oid = d.objid)
                                 WHEN 'pg_policy'::regclass THEN (SELECT polrelid FROM pg_policy WHERE oid = d.objid)
                                 WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid)
                                 ELSE d.objid END)
      IN (SELECT CASE WHEN d.classid IN ('pg_attrdef'::regclass, 'pg_constraint'::regclass, 'pg_policy'::regclass,
                                          'pg_rewrite'::regclass) THEN d.classid ELSE e.classid END, e.objid
          FROM pg_depend e
          WHERE e.deptype = 'e' AND e.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'actionplan'));
-- and use it: the action plans, their checks, a registered ledger and its refresh
\i demo/plans.sql
SELECT count(*) >= 0 FROM plan_totals(NULL, '2025-09-30');
SELECT count(*) >= 0 FROM measure_progress('2025-09-30');
SELECT count(*) >= 0 FROM measures_behind_schedule('2025-09-30');
SELECT count(*) >= 0 FROM plan_check();
SELECT number_format(1234.5::float8, 1), percent_format(12.5::float8);
CREATE ROLE ap_pre_owner;
GRANT INSERT ON forecast_ledger TO ap_pre_owner;
CREATE TABLE public.ap_pre_gl (day date, unit text, amt sek);
INSERT INTO public.ap_pre_gl SELECT d::date, 'u', '100 kr' FROM generate_series(DATE '2021-01-01', DATE '2023-08-31', interval '1 day') d;
ALTER TABLE public.ap_pre_gl OWNER TO ap_pre_owner;
SET ROLE ap_pre_owner;
SELECT register_ledger('public.ap_pre_gl', 'day', 'amt', '{unit}');
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SELECT count(*) >= 0 FROM forecast_accuracy();
SELECT count(*) >= 0 FROM forecast_latest;
SELECT 'RAN ' || what || ' as ' || who FROM public.ap_pre_log;
DROP TABLE public.ap_pre_gl;
SQL
)
rc=$?
"$PSQL" -X -q -d postgres -c "DROP DATABASE $DB" >/dev/null 2>&1
"$PSQL" -X -q -d postgres -c "DROP ROLE IF EXISTS ap_pre_owner" -c "DROP ROLE IF EXISTS ap_pre_eve" >/dev/null 2>&1
bad=$(printf '%s\n' "$out" | grep -E '^(BOUND|RAN) ')
if [ $rc -ne 0 ] || [ -n "$bad" ]; then
	printf '%s\n' "$out" | grep -E '^(BOUND|RAN) |ERROR' | head -n 40 | sed 's/^/preinstall: /'
	echo "preinstall: FAIL (psql exit $rc)"
	exit 1
fi
echo "preinstall: ok (objects planted in public before CREATE EXTENSION: none bound, none ran)"
