-- Issue 13, findings 1, 5 and 8, from an attacker's side.
-- 1: an ordinary role's code reached by the superuser's refresh (a key
--    column's cast to json, a registered view's function and operator, a
--    forced row-level security policy) tries to become superuser, to set the
--    role back, to change the session authorization, to create a temporary
--    table; it must run as that role, fail every attempt, and one failing
--    ledger must not stop the others.
-- 5: registering needs the right to read the table; a role sees the
--    forecasts only of ledgers it may read; a registration cannot be forged.
-- 8: dropping a registered table forgets it; any column names work.
-- Columns the contract adds (registered_by, last_error) are read through
-- to_jsonb so that the suite runs, and fails, on code without them.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(58);

CREATE ROLE ap_controller_a NOLOGIN;
CREATE ROLE ap_controller_b NOLOGIN;
CREATE SCHEMA ap_a AUTHORIZATION ap_controller_a;
CREATE SCHEMA ap_b AUTHORIZATION ap_controller_b;
GRANT INSERT, UPDATE, DELETE ON forecast_ledger TO ap_controller_a, ap_controller_b;
GRANT SELECT ON forecast_ledger, forecast_snapshot TO ap_controller_a, ap_controller_b;

-- what the owner's code did, and as whom: a table (rolled back with a
-- failing ledger) and two sequences (never rolled back)
CREATE TABLE public.ap_sec_log (carrier text, attempt text, outcome text, who name, sess name);
GRANT INSERT ON public.ap_sec_log TO PUBLIC;
CREATE SEQUENCE public.ap_sec_ran_as_superuser;
CREATE SEQUENCE public.ap_sec_ran_as_other;
GRANT USAGE ON SEQUENCE public.ap_sec_ran_as_superuser, public.ap_sec_ran_as_other TO PUBLIC;

-- an honest controller's ledger, registered by it, beside the attacker's (a
-- superuser registers no ledger: the refresh never reads one as a superuser)
CREATE ROLE ap_honest NOLOGIN;
GRANT INSERT, UPDATE, DELETE ON forecast_ledger TO ap_honest;
CREATE TABLE public.ap_su_gl (day date, unit text, amt sek);
INSERT INTO public.ap_su_gl SELECT d::date, 'x', '1000 kr'
FROM generate_series(DATE '2021-01-01', DATE '2023-08-31', interval '1 day') d;
SELECT throws_ok($$SELECT register_ledger('public.ap_su_gl', 'day', 'amt', '{unit}')$$, '42501', NULL,
                 'a superuser may not register even its own table (42501)');
ALTER TABLE public.ap_su_gl OWNER TO ap_honest;
SET ROLE ap_honest;
SELECT register_ledger('public.ap_su_gl', 'day', 'amt', '{unit}') \gset
RESET ROLE;

-- ---------- controller_a's carriers ----------
SET ROLE ap_controller_a;
CREATE TYPE ap_a.unit_t AS ENUM ('u1', 'u2');

-- every escalation a carrier tries, each written down with its outcome
CREATE FUNCTION ap_a.escalate(carrier text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  attempt text;
BEGIN
  PERFORM pg_catalog.nextval(CASE WHEN (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
                                  THEN 'public.ap_sec_ran_as_superuser' ELSE 'public.ap_sec_ran_as_other' END);
  INSERT INTO public.ap_sec_log VALUES (carrier, 'ran', 'ran', current_user, session_user);
  FOREACH attempt IN ARRAY ARRAY['ALTER ROLE', 'SET ROLE postgres', 'RESET ROLE', 'SET SESSION AUTHORIZATION',
                                 'set_config role', 'CREATE TEMP TABLE'] LOOP
    BEGIN
      CASE attempt
        WHEN 'SET ROLE postgres' THEN SET ROLE postgres;
        WHEN 'RESET ROLE' THEN RESET ROLE;
        WHEN 'SET SESSION AUTHORIZATION' THEN SET SESSION AUTHORIZATION postgres;
        WHEN 'set_config role' THEN PERFORM pg_catalog.set_config('role', 'postgres', false);
        WHEN 'CREATE TEMP TABLE' THEN CREATE TEMP TABLE ap_evil_tmp (x int);
        ELSE NULL;
      END CASE;
      IF attempt <> 'CREATE TEMP TABLE' THEN
        ALTER ROLE ap_controller_a SUPERUSER;
      END IF;
      INSERT INTO public.ap_sec_log VALUES (carrier, attempt, 'succeeded', current_user, session_user);
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO public.ap_sec_log VALUES (carrier, attempt, SQLSTATE || ' ' || SQLERRM, current_user, session_user);
    END;
  END LOOP;
END
$$;

-- carrier 1: the key column's cast to json, which jsonb_build_object calls
-- for a type that is not built in (it looks the cast up in explicit context,
-- so a plain CREATE CAST is enough)
CREATE FUNCTION ap_a.unit_json(u ap_a.unit_t) RETURNS json LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ap_a.escalate('cast');
  RETURN pg_catalog.to_json(u::text);
END
$$;
CREATE CAST (ap_a.unit_t AS json) WITH FUNCTION ap_a.unit_json(ap_a.unit_t);
CREATE TABLE ap_a.gl_enum (day date, unit ap_a.unit_t, amt sek);
INSERT INTO ap_a.gl_enum SELECT d::date, u::ap_a.unit_t, '500 kr'
FROM generate_series(DATE '2022-01-01', DATE '2023-08-31', interval '1 day') d, unnest(ARRAY['u1', 'u2']) u;

-- carrier 2: a registered view whose column calls the owner's function,
-- which does not catch its failure: that ledger fails as a whole
CREATE TABLE ap_a.gl_base (day date, unit text, amt sek);
INSERT INTO ap_a.gl_base SELECT d::date, 'v', '700 kr'
FROM generate_series(DATE '2022-01-01', DATE '2023-08-31', interval '1 day') d;
CREATE FUNCTION ap_a.view_unit(u text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ap_a.escalate('view');
  SET ROLE postgres;
  ALTER ROLE ap_controller_a SUPERUSER;
  RETURN u;
END
$$;
CREATE VIEW ap_a.gl_view AS SELECT day, ap_a.view_unit(unit) AS unit, amt FROM ap_a.gl_base;

-- carrier 3: a view filtering the amount column with the owner's operator
CREATE FUNCTION ap_a.sek_eq(a sek, b sek) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ap_a.escalate('operator');
  RETURN true;
END
$$;
CREATE OPERATOR ap_a.=== (LEFTARG = sek, RIGHTARG = sek, FUNCTION = ap_a.sek_eq);
CREATE VIEW ap_a.gl_opview AS SELECT day, unit, amt FROM ap_a.gl_base WHERE amt OPERATOR(ap_a.===) amt;

-- carrier 4: a table whose (forced) row-level security policy calls the owner's function
CREATE FUNCTION ap_a.policy_check() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ap_a.escalate('policy');
  RETURN true;
END
$$;
CREATE TABLE ap_a.gl_rls (day date, unit text, amt sek);
INSERT INTO ap_a.gl_rls SELECT day, 'r', amt FROM ap_a.gl_base;
CREATE POLICY gl_rls_all ON ap_a.gl_rls USING (ap_a.policy_check());
ALTER TABLE ap_a.gl_rls ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

-- and a plain ledger of controller_a's
CREATE TABLE ap_a.gl_clean (day date, unit text, amt sek);
INSERT INTO ap_a.gl_clean SELECT d::date, u, '300 kr'
FROM generate_series(DATE '2021-01-01', DATE '2023-08-31', interval '1 day') d, unnest(ARRAY['c1', 'c2']) u;

SELECT lives_ok($$SELECT register_ledger('ap_a.gl_enum', 'day', 'amt', '{unit}'), register_ledger('ap_a.gl_view', 'day', 'amt', '{unit}'),
                         register_ledger('ap_a.gl_opview', 'day', 'amt', '{unit}'), register_ledger('ap_a.gl_rls', 'day', 'amt', '{unit}'),
                         register_ledger('ap_a.gl_clean', 'day', 'amt', '{unit}')$$,
                'controller_a registers its table with an enum key cast to json, its two views, its RLS table and a plain table');
RESET ROLE;
TRUNCATE public.ap_sec_log;   -- registering reads no rows; only the refresh counts

-- ---------- finding 1: the superuser's refresh ----------
SELECT lives_ok($$CALL refresh_forecasts('2023-08-31')$$, 'the superuser''s refresh does not fail as a whole');
SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'ap_controller_a'), false,
          'controller_a is not a superuser after the refresh');
SELECT is((SELECT last_value FROM public.ap_sec_ran_as_other) > 1 AND (SELECT is_called FROM public.ap_sec_ran_as_other), true,
          'controller_a''s code was reached by the refresh');
SELECT is((SELECT is_called FROM public.ap_sec_ran_as_superuser), false,
          'none of controller_a''s code ran with a superuser''s rights');
SELECT set_eq($$SELECT DISTINCT carrier FROM public.ap_sec_log WHERE attempt = 'ran'$$,
              $$VALUES ('cast'), ('operator'), ('policy')$$,
              'the cast, the operator and the policy ran (and wrote down what they did)');
SELECT is_empty($$SELECT carrier, attempt, who FROM public.ap_sec_log WHERE who <> 'ap_controller_a'$$,
                'every attempt ran as controller_a (current_user), never as postgres');
SELECT is_empty($$SELECT carrier, attempt, outcome FROM public.ap_sec_log WHERE outcome = 'succeeded'$$,
                'no escalation attempt succeeded');
SELECT is((SELECT count(DISTINCT attempt) FROM public.ap_sec_log WHERE carrier = 'cast' AND attempt <> 'ran'), 6::bigint,
          'the cast tried all six escalations (for each row)');
SELECT is_empty($$SELECT carrier, attempt, outcome FROM public.ap_sec_log
                  WHERE attempt IN ('SET ROLE postgres', 'RESET ROLE', 'SET SESSION AUTHORIZATION', 'set_config role')
                    AND outcome NOT SIMILAR TO '42501 cannot set parameter "(role|session_authorization)" within security-(restricted operation|definer function)'$$,
                'SET ROLE, RESET ROLE, SET SESSION AUTHORIZATION and set_config(''role'') are refused (42501, security-restricted)');
SELECT is_empty($$SELECT carrier, outcome FROM public.ap_sec_log
                  WHERE attempt = 'CREATE TEMP TABLE' AND outcome NOT LIKE '42501 cannot create temporary table within security-restricted operation'$$,
                'CREATE TEMP TABLE fails in a security-restricted operation');
SELECT is_empty($$SELECT carrier, outcome FROM public.ap_sec_log WHERE attempt = 'ALTER ROLE' AND outcome NOT LIKE '42501 %'$$,
                'ALTER ROLE … SUPERUSER is refused (42501)');
SELECT is(to_regclass('pg_temp.ap_evil_tmp'), NULL, 'no temporary table was created');
SELECT alike((SELECT to_jsonb(l) ->> 'last_error' FROM forecast_ledger l WHERE ledger = 'ap_a.gl_view'::regclass),
            '%cannot set parameter "role" within security-%',
            'the view whose function fails: its error is in forecast_ledger.last_error');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_a.gl_view'::regclass), 0::bigint,
          'and it has no snapshot');
SELECT is((SELECT count(*) FROM forecast_ledger l
           WHERE ledger IN ('public.ap_su_gl'::regclass, 'ap_a.gl_clean'::regclass, 'ap_a.gl_enum'::regclass)
             AND to_jsonb(l) ->> 'last_error' IS NULL AND to_jsonb(l) ->> 'last_refresh' IS NOT NULL), 3::bigint,
          'the ledgers beside it: refreshed, no last_error');
SELECT is((SELECT forecast FROM forecast_snapshot WHERE ledger = 'public.ap_su_gl'::regclass AND method = 'runrate'),
          forecast_runrate('243 000 kr', '2023-08-31'), 'the superuser''s own ledger was refreshed beside them');
SELECT set_eq($$SELECT key, forecast FROM forecast_snapshot WHERE ledger = 'ap_a.gl_enum'::regclass AND method = 'runrate'$$,
              $$VALUES ('{"unit": "u1"}'::jsonb, forecast_runrate('121 500 kr', '2023-08-31')), ('{"unit": "u2"}', forecast_runrate('121 500 kr', '2023-08-31'))$$,
              'the enum ledger''s keys come from its cast, computed as controller_a');

-- ---------- finding 5: the right to read ----------
SET ROLE ap_controller_b;
SELECT throws_ok($$SELECT register_ledger('ap_a.gl_clean', 'day', 'amt', '{unit}')$$, '42501', NULL,
                 'controller_b cannot register a table it may not SELECT (42501)');
RESET ROLE;
GRANT USAGE ON SCHEMA ap_a TO ap_controller_b;
GRANT SELECT (day, amt) ON ap_a.gl_base TO ap_controller_b;
SET ROLE ap_controller_b;
SELECT throws_ok($$SELECT register_ledger('ap_a.gl_base', 'day', 'amt', '{unit}')$$, '42501', NULL,
                 'nor with SELECT on only some of the named columns (42501)');
SELECT throws_ok($$SELECT register_ledger('ap_a.gl_base', 'day', 'amt')$$, '42501', NULL,
                 'nor with SELECT on every named column, when the owner (controller_a) lacks controller_b''s rights');
CREATE TABLE ap_b.gl (day date, amt sek);
SELECT lives_ok($$SELECT register_ledger('ap_b.gl', 'day', 'amt')$$, 'controller_b registers its own table');
SELECT is((SELECT to_jsonb(l) ->> 'registered_by' FROM forecast_ledger l WHERE ledger = 'ap_b.gl'::regclass),
          'ap_controller_b', 'registered_by records the registering role');
RESET ROLE;
SELECT throws_ok($$SELECT register_ledger('ap_a.gl_clean', 'day', 'amt')$$, '42501', NULL,
                 'a superuser cannot register an ordinary role''s table (42501)');
SELECT is((SELECT to_jsonb(l) ->> 'registered_by' FROM forecast_ledger l WHERE ledger = 'ap_a.gl_clean'::regclass AND key_columns = '{unit}'),
          'ap_controller_a', 'controller_a''s registration is recorded as its own');

-- who sees which snapshots
SET ROLE ap_controller_b;
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_a.gl_clean'::regclass), 0::bigint,
          'controller_b sees no snapshot of controller_a''s ledger it may not read');
SELECT is((SELECT count(*) FROM forecast_latest WHERE ledger = 'ap_a.gl_clean'::regclass), 0::bigint,
          'nor in forecast_latest (the view runs with the reader''s rights)');
SELECT is((SELECT count(*) FROM forecast_ledger WHERE ledger = 'ap_a.gl_clean'::regclass), 0::bigint,
          'nor its registration');
RESET ROLE;
SET ROLE ap_controller_a;
GRANT SELECT ON ap_a.gl_clean TO ap_controller_b;
RESET ROLE;
SET ROLE ap_controller_b;
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_a.gl_clean'::regclass), 8::bigint,
          'after GRANT SELECT on the ledger it sees its 8 snapshots');
SELECT set_eq($$SELECT ledger, key, method, as_of, forecast FROM forecast_latest$$,
              $$SELECT DISTINCT ON (ledger, key, method) ledger, key, method, as_of, forecast::numeric FROM forecast_snapshot
                ORDER BY ledger, key, method, as_of DESC, taken_at DESC$$,
              'forecast_latest shows controller_b the latest of exactly the snapshots it sees');
SELECT ok((SELECT count(*) FROM forecast_latest WHERE ledger = 'ap_a.gl_clean'::regclass) > 0,
          'among them those of controller_a''s ledger');
RESET ROLE;
SET ROLE ap_controller_a;
ALTER TABLE ap_a.gl_clean ENABLE ROW LEVEL SECURITY;
RESET ROLE;
SET ROLE ap_controller_b;
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_a.gl_clean'::regclass), 0::bigint,
          'with row-level security on the ledger it sees none again');
SELECT is((SELECT count(*) FROM forecast_latest WHERE ledger = 'ap_a.gl_clean'::regclass), 0::bigint,
          'nor in forecast_latest');
-- forging a registration
SELECT throws_ok($$INSERT INTO forecast_ledger (ledger, date_column, amount_column, key_columns, registered_by)
                   VALUES ('public.ap_su_gl', 'day', 'amt', '{}', 'postgres')$$, '42501', NULL,
                 'controller_b (INSERT granted) cannot insert a registration with registered_by = postgres');
SELECT throws_ok($$INSERT INTO forecast_ledger (ledger, date_column, amount_column, key_columns, registered_by)
                   VALUES ('public.ap_su_gl', 'day', 'amt', '{}', 'ap_controller_b')$$, '42501', NULL,
                 'nor, as itself, one of a ledger it may not SELECT');
DELETE FROM forecast_ledger WHERE ledger = 'public.ap_su_gl'::regclass;   -- what it could forge (sees only its own)
-- deleting another role's registration: row-level security hides it
DELETE FROM forecast_ledger WHERE ledger = 'ap_a.gl_enum'::regclass;
RESET ROLE;
SELECT is((SELECT count(*) FROM forecast_ledger WHERE ledger = 'ap_a.gl_enum'::regclass), 1::bigint,
          'controller_b''s DELETE of controller_a''s registration removed nothing');

-- ---------- finding 8: lifecycle and column names ----------
CALL refresh_forecasts('2022-08-31');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'public.ap_su_gl'::regclass), 8::bigint,
          'the superuser''s ledger has snapshots of two years');
CREATE TABLE public.ap_doomed (day date, unit text, amt sek);
INSERT INTO public.ap_doomed SELECT day, unit, amt FROM public.ap_su_gl;
ALTER TABLE public.ap_doomed OWNER TO ap_honest;
SET ROLE ap_honest;
SELECT register_ledger('public.ap_doomed', 'day', 'amt', '{unit}') \gset
RESET ROLE;
CALL refresh_forecasts('2022-08-31');
SELECT ok((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'public.ap_doomed'::regclass) > 0, 'a second ledger with snapshots');
CREATE TEMP TABLE ap_doomed_oid AS SELECT 'public.ap_doomed'::regclass::oid AS oid;
DROP TABLE public.ap_doomed;
SELECT is((SELECT count(*) FROM forecast_ledger l, ap_doomed_oid d WHERE l.ledger::oid = d.oid)
        + (SELECT count(*) FROM forecast_snapshot s, ap_doomed_oid d WHERE s.ledger::oid = d.oid), 0::bigint,
          'DROP TABLE of a registered ledger removes its registration and its snapshots');
SELECT lives_ok($$SELECT * FROM forecast_accuracy()$$, 'forecast_accuracy() works after the drop');
-- (caught, so that an error does not end the suite)
CREATE FUNCTION pg_temp.accuracy_rows(l regclass) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT count(*) FROM forecast_accuracy() a WHERE a.ledger = l);
EXCEPTION WHEN OTHERS THEN
  RETURN -1;
END
$$;
SELECT is(pg_temp.accuracy_rows('public.ap_su_gl'), 4::bigint,
          'and gives the other ledger''s accuracy (four methods)');
-- a schema dropped with the table in it
CREATE SCHEMA ap_doomed_schema;
CREATE TABLE ap_doomed_schema.gl (day date, amt sek);
GRANT USAGE ON SCHEMA ap_doomed_schema TO ap_honest;
ALTER TABLE ap_doomed_schema.gl OWNER TO ap_honest;
SET ROLE ap_honest;
SELECT register_ledger('ap_doomed_schema.gl', 'day', 'amt') \gset
RESET ROLE;
DROP SCHEMA ap_doomed_schema CASCADE;
SELECT is((SELECT count(*) FROM forecast_ledger l WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = l.ledger::oid)), 0::bigint,
          'DROP SCHEMA … CASCADE leaves no registration of a bare OID');
-- key and value columns named like the refresh's internal columns
CREATE TABLE public.ap_names1 (ap_month date, ap_amount sek, key text, outcome text, months int);
INSERT INTO public.ap_names1 SELECT d::date, '100 kr', 'k', 'o', 3
FROM generate_series(DATE '2021-01-01', DATE '2023-08-31', interval '1 day') d;
CREATE TABLE public.ap_names2 (day date, amt sek, ap_month text, ap_amount int, series text, series_months text, ap_ledger text, month text);
INSERT INTO public.ap_names2 SELECT d::date, '200 kr', 'm', 7, 's', 'sm', 'l', 'mo'
FROM generate_series(DATE '2021-01-01', DATE '2023-08-31', interval '1 day') d;
ALTER TABLE public.ap_names1 OWNER TO ap_honest;
ALTER TABLE public.ap_names2 OWNER TO ap_honest;
SET ROLE ap_honest;
SELECT lives_ok($$SELECT register_ledger('public.ap_names1', 'ap_month', 'ap_amount', '{key,outcome,months}'),
                         register_ledger('public.ap_names2', 'day', 'amt', '{ap_month,ap_amount,series,series_months,ap_ledger,month}')$$,
                'ledgers whose columns are named ap_month, ap_amount, key, outcome, months, series, series_months, ap_ledger, month register');
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SELECT set_eq($$SELECT ledger::text, key, forecast FROM forecast_snapshot
                WHERE ledger IN ('public.ap_names1'::regclass, 'public.ap_names2'::regclass) AND method = 'runrate' AND as_of = '2023-08-31'$$,
              $$VALUES ('ap_names1', '{"key": "k", "outcome": "o", "months": 3}'::jsonb, forecast_runrate('24 300 kr', '2023-08-31')),
                       ('ap_names2', '{"ap_month": "m", "ap_amount": 7, "series": "s", "series_months": "sm", "ap_ledger": "l", "month": "mo"}',
                        forecast_runrate('48 600 kr', '2023-08-31'))$$,
              'and are refreshed by their own columns, not skipped');
SELECT is((SELECT count(*) FROM forecast_ledger l WHERE ledger IN ('public.ap_names1'::regclass, 'public.ap_names2'::regclass)
             AND to_jsonb(l) ->> 'last_error' IS NULL AND to_jsonb(l) ->> 'last_refresh' IS NOT NULL), 2::bigint,
          'with no last_error');
-- renaming keeps the registration
ALTER TABLE public.ap_names1 RENAME TO ap_names1_renamed;
SELECT is((SELECT count(*) FROM forecast_ledger WHERE ledger = 'public.ap_names1_renamed'::regclass), 1::bigint,
          'renaming a registered table keeps its registration');

-- ---------- a review's findings ----------
-- a reader of a table controller_a owns may not register it: the owner's
-- code would run with the reader's rights every night
SET ROLE ap_controller_b;
SELECT throws_ok($$SELECT register_ledger('ap_a.gl_clean', 'day', 'amt', '{unit}')$$, '42501', NULL,
                 'controller_b, which may read controller_a''s table, may not register it: the owner lacks b''s rights');
-- nor by writing the registration itself: the refresh will not read it as b
INSERT INTO forecast_ledger (ledger, date_column, amount_column, key_columns, registered_by)
VALUES ('ap_a.gl_clean', 'day', 'amt', '{}', 'ap_controller_b');
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SELECT matches((SELECT last_error FROM forecast_ledger WHERE ledger = 'ap_a.gl_clean'::regclass AND registered_by = 'ap_controller_b'),
               'rights its owner lacks', 'a registration written directly is not read as a role with rights the owner lacks');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_a.gl_clean'::regclass AND key = '{}'), 0::bigint,
          'and gives no snapshot');
-- a temporary table would leave a bare OID behind when its session ends
SET ROLE ap_controller_b;
CREATE TEMP TABLE ap_tmp_gl (day date, amt sek);
SELECT throws_ok($$SELECT register_ledger('ap_tmp_gl', 'day', 'amt')$$, '42809', NULL,
                 'a temporary table cannot be registered (42809)');
SELECT throws_ok($$INSERT INTO forecast_ledger (ledger, date_column, amount_column, key_columns, registered_by)
                   VALUES ('ap_tmp_gl', 'day', 'amt', '{}', 'ap_controller_b')$$, '42501', NULL,
                 'nor written into forecast_ledger directly');
DROP TABLE ap_tmp_gl;
-- a security_invoker view: SELECT on it does not let a reader see the rows beneath
CREATE TABLE ap_b.hidden (day date, who text, amt sek);
INSERT INTO ap_b.hidden SELECT d::date, 'child-' || (extract(day FROM d)::int % 3), '100 kr'
FROM generate_series(DATE '2023-01-01', DATE '2023-08-31', interval '1 day') d;
CREATE VIEW ap_b.hidden_v WITH (security_invoker = true) AS SELECT day, who, amt FROM ap_b.hidden;
GRANT USAGE ON SCHEMA ap_b TO ap_controller_a;
GRANT SELECT ON ap_b.hidden_v TO ap_controller_a;
SELECT register_ledger('ap_b.hidden_v', 'day', 'amt', '{who}') \gset
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_b.hidden_v'::regclass), 12::bigint,
          'a security_invoker view is refreshed (3 keys, 4 methods)');
SET ROLE ap_controller_a;
SELECT throws_ok($$SELECT count(*) FROM ap_b.hidden_v$$, '42501', NULL,
                 'controller_a may SELECT the view but not read the rows beneath it');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_b.hidden_v'::regclass), 0::bigint,
          'so it sees none of the view''s snapshots (its keys name persons)');
RESET ROLE;
-- a key too long to store does not stop its ledger's other keys
SET ROLE ap_controller_b;
CREATE TABLE ap_b.longkey (k text, day date, amt sek);
INSERT INTO ap_b.longkey VALUES ('ok', '2023-01-10', '100 kr'),
  ((SELECT string_agg(md5(i::text), '') FROM generate_series(1, 300) i), '2023-01-10', '100 kr');
SELECT register_ledger('ap_b.longkey', 'day', 'amt', '{k}') \gset
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_b.longkey'::regclass AND key = '{"k": "ok"}'), 4::bigint,
          'a key too long for the index does not stop the ledger''s other keys');
SELECT matches((SELECT last_error FROM forecast_ledger WHERE ledger = 'ap_b.longkey'::regclass), '^key .* not written: ',
               'and the ledger''s last_error says which key was not written');

SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'ap_controller_a'), false,
          'and at the end controller_a is still no superuser');

SELECT * FROM finish();
ROLLBACK;
