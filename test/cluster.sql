-- The throwaway cluster that make test and make demo start: pg_cron is
-- preloaded and its launcher runs against the actionplan database, so the
-- nightly refresh can be scheduled there; parallel workers are available.
BEGIN;
SELECT plan(5);
SELECT matches(current_setting('shared_preload_libraries'), 'pg_cron',
               'pg_cron is in shared_preload_libraries');
SELECT is(current_setting('cron.database_name'), 'actionplan',
          'pg_cron schedules jobs in the actionplan database');
-- the launcher restarts once the actionplan database exists: allow it 10 s
CREATE FUNCTION pg_temp.cron_running() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..50 LOOP
    IF EXISTS (SELECT FROM pg_stat_activity
               WHERE backend_type = 'pg_cron launcher' AND datname = 'actionplan') THEN
      RETURN true;
    END IF;
    PERFORM pg_sleep(0.2);
    PERFORM pg_stat_clear_snapshot();  -- activity is cached per transaction
  END LOOP;
  RETURN false;
END $$;
SELECT ok(pg_temp.cron_running(), 'the pg_cron launcher is running in the actionplan database');
SELECT is(current_setting('server_encoding'), 'UTF8',
          'the cluster is UTF-8 (Swedish text, Unicode minus and spaces)');
SELECT cmp_ok(current_setting('max_worker_processes')::int, '>=', 8,
              'enough worker processes for parallel query and pg_cron');
SELECT * FROM finish();
ROLLBACK;
