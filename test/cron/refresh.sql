-- The nightly refresh in a real pg_cron: run in the actionplan database (the
-- one pg_cron schedules in), with committed data, since the job runs in its
-- own session.  Schedules CALL refresh_forecasts(...) every minute and waits
-- (up to 130 s) for the job to write its snapshots.
\set QUIET on
SET client_min_messages = warning;
SELECT plan(4);
CREATE TABLE cron_gl (day date, unit text, amt sek);
INSERT INTO cron_gl SELECT d::date, u, '1000 kr'
FROM generate_series(DATE '2022-01-01', DATE '2023-08-31', interval '1 day') d, unnest(ARRAY['a', 'b']) u;
-- registered by its owner, an ordinary role; the job (a superuser) reads it
-- with that role's rights
CREATE ROLE ap_cron_owner;
GRANT INSERT ON forecast_ledger TO ap_cron_owner;
ALTER TABLE cron_gl OWNER TO ap_cron_owner;
SET ROLE ap_cron_owner;
SELECT register_ledger('cron_gl', 'day', 'amt', '{unit}');
RESET ROLE;
SELECT cron.schedule('actionplan refresh test', '* * * * *', $$CALL refresh_forecasts('2023-08-31')$$) AS jobid \gset

CREATE FUNCTION pg_temp.wait_for_snapshots() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..650 LOOP
    IF (SELECT count(*) FROM forecast_snapshot WHERE ledger = 'cron_gl'::regclass) = 8 THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.2);
  END LOOP;
  RETURN false;
END $$;
SELECT ok(pg_temp.wait_for_snapshots(), 'pg_cron ran CALL refresh_forecasts() and the snapshots appeared');
SELECT is((SELECT forecast FROM forecast_snapshot WHERE ledger = 'cron_gl'::regclass AND key = '{"unit": "a"}' AND method = 'runrate'),
          forecast_runrate('243 000 kr', '2023-08-31'), 'the job''s run-rate forecast for one key');
SELECT is((SELECT taken_on FROM forecast_snapshot WHERE ledger = 'cron_gl'::regclass LIMIT 1), current_date,
          'taken today');
-- the run is recorded as succeeded once the job's session has finished
\i test/lib/cron_job_status.sql
SELECT is(pg_temp.cron_job_status(:jobid), 'succeeded', 'cron.job_run_details records the run as succeeded');
SELECT cron.unschedule(:jobid) \gset
DELETE FROM forecast_snapshot WHERE ledger = 'cron_gl'::regclass;
DELETE FROM forecast_ledger WHERE ledger = 'cron_gl'::regclass;
DROP TABLE cron_gl;
REVOKE ALL ON forecast_ledger FROM ap_cron_owner;
DROP ROLE ap_cron_owner;
SELECT * FROM finish();
