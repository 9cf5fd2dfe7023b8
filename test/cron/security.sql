-- Issue 13, finding 1, through a real pg_cron run: an ordinary role's
-- ledger whose enum key has a cast to json that tries to make the role a
-- superuser (and to set the role back), and a registered view whose function
-- fails the same way, refreshed by a job pg_cron runs as the superuser.  The
-- job runs in its own session, so the data is committed; everything is
-- removed at the end, the roles too (they are cluster-wide).
\set QUIET on
SET client_min_messages = warning;
SELECT plan(7);

CREATE ROLE ap_cron_ctl_a NOLOGIN;
CREATE SCHEMA ap_cron_a AUTHORIZATION ap_cron_ctl_a;
GRANT INSERT, UPDATE, DELETE ON forecast_ledger TO ap_cron_ctl_a;
GRANT SELECT ON forecast_ledger TO ap_cron_ctl_a;
CREATE TABLE public.ap_cron_log (carrier text, attempt text, outcome text, who name, sess name);
GRANT INSERT ON public.ap_cron_log TO PUBLIC;

-- an honest controller's ledger beside the attacker's (a ledger is never
-- registered by a superuser)
CREATE ROLE ap_cron_ctl_b NOLOGIN;
GRANT INSERT ON forecast_ledger TO ap_cron_ctl_b;
CREATE TABLE public.ap_cron_su_gl (day date, unit text, amt sek);
INSERT INTO public.ap_cron_su_gl SELECT d::date, 'x', '1000 kr'
FROM generate_series(DATE '2022-01-01', DATE '2023-08-31', interval '1 day') d;
ALTER TABLE public.ap_cron_su_gl OWNER TO ap_cron_ctl_b;
SET ROLE ap_cron_ctl_b;
SELECT register_ledger('public.ap_cron_su_gl', 'day', 'amt', '{unit}') \gset
RESET ROLE;

SET ROLE ap_cron_ctl_a;
CREATE TYPE ap_cron_a.unit_t AS ENUM ('u1', 'u2');
CREATE FUNCTION ap_cron_a.unit_json(u ap_cron_a.unit_t) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  attempt text;
BEGIN
  FOREACH attempt IN ARRAY ARRAY['ALTER ROLE', 'SET ROLE postgres', 'RESET ROLE', 'SET SESSION AUTHORIZATION'] LOOP
    BEGIN
      CASE attempt
        WHEN 'SET ROLE postgres' THEN SET ROLE postgres;
        WHEN 'RESET ROLE' THEN RESET ROLE;
        WHEN 'SET SESSION AUTHORIZATION' THEN SET SESSION AUTHORIZATION postgres;
        ELSE NULL;
      END CASE;
      ALTER ROLE ap_cron_ctl_a SUPERUSER;
      INSERT INTO public.ap_cron_log VALUES ('cast', attempt, 'succeeded', current_user, session_user);
    EXCEPTION WHEN OTHERS THEN
      INSERT INTO public.ap_cron_log VALUES ('cast', attempt, SQLSTATE || ' ' || SQLERRM, current_user, session_user);
    END;
  END LOOP;
  RETURN pg_catalog.to_json(u::text);
END
$$;
CREATE CAST (ap_cron_a.unit_t AS json) WITH FUNCTION ap_cron_a.unit_json(ap_cron_a.unit_t);
CREATE TABLE ap_cron_a.gl_enum (day date, unit ap_cron_a.unit_t, amt sek);
INSERT INTO ap_cron_a.gl_enum SELECT d::date, u::ap_cron_a.unit_t, '500 kr'
FROM generate_series(DATE '2023-06-01', DATE '2023-08-31', interval '1 day') d, unnest(ARRAY['u1', 'u2']) u;
CREATE FUNCTION ap_cron_a.view_unit(u text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  SET ROLE postgres;
  ALTER ROLE ap_cron_ctl_a SUPERUSER;
  RETURN u;
END
$$;
CREATE TABLE ap_cron_a.gl_base (day date, unit text, amt sek);
INSERT INTO ap_cron_a.gl_base SELECT d::date, 'v', '700 kr'
FROM generate_series(DATE '2023-06-01', DATE '2023-08-31', interval '1 day') d;
CREATE VIEW ap_cron_a.gl_view AS SELECT day, ap_cron_a.view_unit(unit) AS unit, amt FROM ap_cron_a.gl_base;
SELECT register_ledger('ap_cron_a.gl_enum', 'day', 'amt', '{unit}'), register_ledger('ap_cron_a.gl_view', 'day', 'amt', '{unit}') \gset
RESET ROLE;

SELECT cron.schedule('actionplan security test', '* * * * *', $$CALL refresh_forecasts('2023-08-31')$$) AS jobid \gset

-- the run has ended when cron.job_run_details says so (up to 130 s)
\i test/lib/cron_job_status.sql
SELECT is(pg_temp.cron_job_status(:jobid), 'succeeded', 'pg_cron ran the refresh as the superuser, and it succeeded');
SELECT cron.unschedule(:jobid) \gset

SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'ap_cron_ctl_a'), false,
          'the ledger owner is not a superuser after the pg_cron run');
SELECT set_eq($$SELECT DISTINCT who::text, attempt FROM public.ap_cron_log$$,
              $$SELECT 'ap_cron_ctl_a', a FROM unnest(ARRAY['ALTER ROLE', 'SET ROLE postgres', 'RESET ROLE', 'SET SESSION AUTHORIZATION']) a$$,
              'the cast ran in the job as the ledger''s owner (current_user), never as postgres, and tried all four escalations');
SELECT is_empty($$SELECT attempt, outcome FROM public.ap_cron_log WHERE outcome NOT LIKE '42501 %'$$,
                'every attempt was refused (42501)');
SELECT alike((SELECT to_jsonb(l) ->> 'last_error' FROM forecast_ledger l WHERE ledger = 'ap_cron_a.gl_view'::regclass),
             '%cannot set parameter "role" within security-%',
             'the failing view''s error is in forecast_ledger.last_error');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ap_cron_a.gl_enum'::regclass AND method = 'runrate'), 2::bigint,
          'the owner''s ledger was refreshed (its two keys)');
SELECT is((SELECT forecast FROM forecast_snapshot WHERE ledger = 'public.ap_cron_su_gl'::regclass AND method = 'runrate'),
          forecast_runrate('243 000 kr', '2023-08-31'), 'and the honest controller''s ledger beside it');

-- clean up (the event trigger removes the registrations and snapshots of dropped tables)
DROP SCHEMA ap_cron_a CASCADE;
DROP TABLE public.ap_cron_su_gl, public.ap_cron_log;
DELETE FROM forecast_snapshot WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = forecast_snapshot.ledger::oid);
DELETE FROM forecast_ledger WHERE NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = forecast_ledger.ledger::oid);
REVOKE ALL ON forecast_ledger FROM ap_cron_ctl_a, ap_cron_ctl_b;
DROP OWNED BY ap_cron_ctl_a, ap_cron_ctl_b;
DROP ROLE ap_cron_ctl_a;
DROP ROLE ap_cron_ctl_b;
SELECT * FROM finish();
