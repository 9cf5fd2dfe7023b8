-- pg_temp.cron_job_status(job): the status of the job's first run once
-- cron.job_run_details says it has ended ('succeeded' or 'failed'), waiting
-- up to 130 s for pg_cron to start it and for its session to finish; NULL
-- or 'running' when it did not end in time.  For the suites in test/cron.
CREATE FUNCTION pg_temp.cron_job_status(job bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  s text;
BEGIN
  FOR i IN 1..650 LOOP
    SELECT status INTO s FROM cron.job_run_details WHERE jobid = job ORDER BY runid LIMIT 1;
    EXIT WHEN s IN ('succeeded', 'failed');
    PERFORM pg_sleep(0.2);
  END LOOP;
  RETURN s;
END $$;
