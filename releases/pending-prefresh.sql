-- prefresh: refresh_forecasts fits the models in parallel workers (issue 20,
-- item 1): the series go through the unlogged fit_staging to fit_in_parallel;
-- the procedure is replaced (runrate, profile and the snapshot rows
-- set-based, subtransactions per key only after a failure).
-- The models' fits of a refresh run in parallel workers: a parallel scan
-- fits the rows it reads, but workers read neither temporary tables nor a
-- function's result, so the series go through a table of the extension's.
CREATE TYPE series_to_fit AS (id integer, method text, months date[], "values" float8[]);
COMMENT ON TYPE series_to_fit IS 'One series for fit_in_parallel: an id the caller gives back its result by, the forecast_fit method, and the monthly series as forecast_fit(months, values, method) takes it.';

CREATE UNLOGGED TABLE fit_staging (id integer, method text, months date[], "values" float8[]);
-- A row is a fit of a millisecond or more, not a few bytes to scan: the
-- scan may have as many workers as max_parallel_workers_per_gather allows,
-- whatever the table's size (the costs still decide whether to).  The
-- planner estimates its rows from its pages and pg_class's density: an
-- ANALYZE would record the density of a table whose rows are never live to
-- another transaction (0), and every scan would be planned for one row,
-- serially.  So autovacuum never analyzes it; its vacuum removes the dead
-- rows and truncates the table, after which the density comes from the
-- column types again.
ALTER TABLE fit_staging SET (parallel_workers = 64, autovacuum_analyze_threshold = 2147483647);
-- no privileges but the owner's, and row-level security without a policy:
-- only fit_in_parallel (SECURITY DEFINER, the owner) reads or writes it
REVOKE ALL ON fit_staging FROM PUBLIC;
ALTER TABLE fit_staging ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE fit_staging IS 'Series of ledgers'' keys on their way to a parallel fit (fit_in_parallel), confidential like the ledgers: no role but the extension''s owner may read or write it (no grants, row-level security without a policy), unlogged (nothing is written to the WAL, and a crash empties it), and empty between calls: fit_in_parallel deletes its rows before it returns, and on an error its transaction''s rollback removes them. Rows are never committed, so no other transaction ever sees them.';

CREATE FUNCTION fit_in_parallel(series series_to_fit[], year integer)
RETURNS TABLE (id integer, point float8, lo95 float8, hi95 float8)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF series IS NULL OR year IS NULL THEN
    RAISE EXCEPTION 'fit_in_parallel needs the series and a year' USING ERRCODE = '22004';
  END IF;
  INSERT INTO @extschema@.fit_staging (id, method, months, "values")
  SELECT s.id, s.method, s.months, s."values" FROM unnest(series) s;
  -- the fit is the scan's output, so a parallel plan fits in its workers
  -- (OFFSET 0 keeps it there: the columns are taken apart above the Gather)
  -- (EXECUTE: planned for the rows now in the table, not reusing a plan
  -- made for an earlier call's few)
  RETURN QUERY EXECUTE
    'SELECT f.id, (f.ye).point, (f.ye).lo95, (f.ye).hi95
     FROM (SELECT st.id, @extschema@.year_end(@extschema@.forecast_fit(st.months, st."values", st.method), $1) AS ye
           FROM @extschema@.fit_staging st OFFSET 0) f'
    USING year;
  -- the rows were the caller's alone (never committed, so invisible to any
  -- other transaction) and go now; on an error the rollback removes them
  DELETE FROM @extschema@.fit_staging;
END
$fn$;
COMMENT ON FUNCTION fit_in_parallel(series_to_fit[], integer) IS 'The year-end forecasts of many series at once: per element, year_end(forecast_fit(months, values, method), year) as (id, point, lo95, hi95), NULL where forecast_fit gives no model, fitted by the workers of one parallel scan when the planner''s settings allow (max_parallel_workers_per_gather). The series pass through fit_staging, which only this function (SECURITY DEFINER: the extension''s owner) touches and which it leaves empty. Any series that cannot be fitted fails the whole call with forecast_fit''s or year_end''s error; NULL series or year is ERROR 22004. What refresh_forecasts fits with.';

CREATE OR REPLACE PROCEDURE refresh_forecasts(as_of date DEFAULT current_date - 1)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  l record;
  m text;
  i int;
  j int;
  k int;
  k_to int;
  one_by_one boolean;
  ys date;
  yr int;
  series_start date;
  series_end date;
  run_as regrole;
  fc @extschema@.sek;
  lo @extschema@.sek;
  hi @extschema@.sek;
  err text;
  key_err text;
  n_ok int := 0;
  n_failed int := 0;
  n_ledgers_failed int := 0;
  n_skipped int := 0;
  n_reused int := 0;
  version text := (SELECT extversion FROM pg_extension WHERE extname = 'actionplan');
  -- the ledger's keys in key order: key i's outcome, profile (its twelve
  -- months as the values of profiles[i]) and monthly series; an array's
  -- element is read in constant time, a slice would copy the whole array
  keys jsonb[];
  outcomes @extschema@.sek[];
  profiles @extschema@.series_to_fit[];
  series @extschema@.series_to_fit[];
  -- the forecasts: runrate and profile by key, the models by key and model
  -- at 2 * i - 1 (ets) and 2 * i (comb)
  rrs @extschema@.sek[];
  prs @extschema@.sek[];
  rr_errs text[];
  pr_errs text[];
  inputs text[];
  mfcs @extschema@.sek[];
  mlos @extschema@.sek[];
  mhis @extschema@.sek[];
  merrs text[];
  fitteds date[];
  to_fit @extschema@.series_to_fit[];
  fit_ids int[];
  fit_fcs @extschema@.sek[];
  fit_los @extschema@.sek[];
  fit_his @extschema@.sek[];
BEGIN
  IF as_of IS NULL OR NOT isfinite(as_of) OR as_of < '0001-01-01' OR as_of > '9999-12-31' THEN
    RAISE EXCEPTION 'as_of must be a date between 0001-01-01 and 9999-12-31, not %', as_of USING ERRCODE = '22023';
  END IF;
  ys := make_date(extract(year FROM as_of)::int, 1, 1);
  yr := extract(year FROM as_of)::int;
  -- the model methods fit the 60 complete months before as_of's month end
  series_end := (date_trunc('month', as_of + 1))::date;
  series_start := (series_end - interval '60 months')::date;
  FOR l IN SELECT * FROM @extschema@.forecast_ledger ORDER BY ledger::text, key_columns LOOP
    -- a role that is not a superuser refreshes only what it registered (or a
    -- role it has the privileges of registered): a refresh never reads a
    -- ledger with rights the caller does not have itself
    IF NOT @extschema@.acts_as(l.registered_by) THEN
      n_skipped := n_skipped + 1;
      CONTINUE;
    END IF;
    key_err := NULL;
    BEGIN
      run_as := (SELECT oid FROM pg_roles WHERE rolname = l.registered_by)::regrole;
      IF run_as IS NULL THEN
        RAISE EXCEPTION 'role "%", which registered %, no longer exists', l.registered_by, l.ledger
          USING ERRCODE = '42704', HINT = 'Register the ledger again as a role that may read it.';
      END IF;
      -- per key, from the ledger's sums per key and month (read as the
      -- registrant in a security-restricted operation, then at most 60 rows
      -- per key): the outcome of the year so far, the three years before by
      -- calendar month (the profile method's key) and the monthly series of
      -- the 60 complete months before as_of's month end in kronor (a month
      -- without entries is missing, for the models)
      WITH s AS (SELECT * FROM @extschema@.ledger_month_sums(l.ledger, l.date_column, l.amount_column,
                                                             l.key_columns, run_as, series_start, as_of)),
      p AS (SELECT s.key, extract(month FROM s.month)::int AS mon, sum(@extschema@.sek_ore(s.amount))::float8 AS v
            FROM s WHERE s.month < ys AND s.month >= (ys - interval '3 years')::date GROUP BY 1, 2),
      -- the twelve months of every key by a join, not a subquery per key
      -- (that would scan all keys' sums once for each key)
      pm AS (SELECT k.key, array_agg(coalesce(p.v, 0) ORDER BY g) AS months
             FROM (SELECT DISTINCT s.key FROM s) k CROSS JOIN generate_series(1, 12) g
             LEFT JOIN p ON p.key = k.key AND p.mon = g GROUP BY k.key),
      a AS (SELECT s.key,
                   coalesce(@extschema@.sum(s.amount) FILTER (WHERE s.month >= ys), '0'::@extschema@.sek) AS outcome,
                   array_agg(s.month ORDER BY s.month) FILTER (WHERE s.month < series_end) AS series_months,
                   array_agg(@extschema@.sek_ore(s.amount)::float8 / 100 ORDER BY s.month)
                     FILTER (WHERE s.month < series_end) AS series
            FROM s GROUP BY s.key)
      SELECT array_agg(a.key ORDER BY a.key), array_agg(a.outcome ORDER BY a.key),
             array_agg(ROW(NULL, NULL, NULL, pm.months)::@extschema@.series_to_fit ORDER BY a.key),
             array_agg(ROW(NULL, NULL, a.series_months, a.series)::@extschema@.series_to_fit ORDER BY a.key)
      INTO keys, outcomes, profiles, series
      FROM a JOIN pm ON pm.key = a.key;
      k := coalesce(cardinality(keys), 0);

      -- runrate and profile: every key in one statement; when one fails,
      -- again key by key, each failure written down on its key
      rr_errs := array_fill(NULL::text, ARRAY[k]); pr_errs := rr_errs;
      BEGIN
        SELECT array_agg(@extschema@.forecast_runrate(u.outcome, as_of) ORDER BY u.i),
               array_agg(@extschema@.forecast_profile(u.outcome, as_of,
                           CASE WHEN u.pm = array_fill(0::float8, ARRAY[12]) THEN array_fill(1::float8, ARRAY[12]) ELSE u.pm END)
                         ORDER BY u.i)
        INTO rrs, prs
        FROM (SELECT o.outcome, o.i, (o.p)."values" AS pm
              FROM unnest(outcomes, profiles) WITH ORDINALITY o(outcome, p, i)) u;
        n_ok := n_ok + 2 * k;
      EXCEPTION WHEN OTHERS THEN
        rrs := array_fill(NULL::@extschema@.sek, ARRAY[k]); prs := rrs;
        FOR i IN 1 .. k LOOP
          FOREACH m IN ARRAY ARRAY['runrate', 'profile'] LOOP
            -- a subtransaction only where something fails: each one keeps
            -- its memory until the refresh's transaction ends
            BEGIN
              IF m = 'runrate' THEN
                rrs[i] := @extschema@.forecast_runrate(outcomes[i], as_of);
              ELSE
                prs[i] := @extschema@.forecast_profile(outcomes[i], as_of,
                            CASE WHEN (profiles[i])."values" = array_fill(0::float8, ARRAY[12])
                                 THEN array_fill(1::float8, ARRAY[12]) ELSE (profiles[i])."values" END);
              END IF;
              n_ok := n_ok + 1;
            EXCEPTION WHEN OTHERS THEN
              IF m = 'runrate' THEN rr_errs[i] := SQLERRM; ELSE pr_errs[i] := SQLERRM; END IF;
              n_failed := n_failed + 1;
            END;
          END LOOP;
        END LOOP;
      END;

      -- the models: a fit is a function of its input, so a key and model
      -- whose input is that of an earlier refresh's fit (no entry in the
      -- months read was added, changed or removed since) takes that fit's
      -- forecast over instead of fitting again
      SELECT array_agg(x.input ORDER BY x.j), array_agg(pv.forecast ORDER BY x.j), array_agg(pv.lo ORDER BY x.j),
             array_agg(pv.hi ORDER BY x.j), array_agg(pv.fitted_as_of ORDER BY x.j), count(pv.fitted_as_of)
      INTO inputs, mfcs, mlos, mhis, fitteds, j
      FROM (SELECT 2 * s.i - 2 + mm.o AS j, keys[s.i] AS key, mm.method,
                   md5(format('%s|%s|%s|%s|%s', version, mm.method, yr, s.months, s."values")) AS input
            FROM unnest(series) WITH ORDINALITY s(id, method, months, "values", i)
            CROSS JOIN (VALUES (1, 'ets'), (2, 'comb')) mm(o, method)) x
      LEFT JOIN LATERAL (SELECT fs.forecast, fs.lo, fs.hi, fs.fitted_as_of
                         FROM @extschema@.forecast_snapshot fs
                         WHERE fs.ledger = l.ledger AND fs.key = x.key AND fs.method = x.method AND fs.input_md5 = x.input
                           AND fs.error IS NULL AND fs.fitted_as_of IS NOT NULL
                         ORDER BY fs.as_of DESC, fs.taken_on DESC LIMIT 1) pv ON true;
      n_reused := n_reused + coalesce(j, 0);
      n_ok := n_ok + coalesce(j, 0);
      merrs := array_fill(NULL::text, ARRAY[2 * k]);
      -- the rest in one parallel scan (fit_in_parallel): all but the series
      -- with fewer observed months than a fit needs (forecast.c's MIN_OBS),
      -- which the loop below fails one by one with forecast_fit's message
      to_fit := ARRAY(SELECT ROW(2 * s.i - 2 + mm.o, mm.method, s.months, s."values")::@extschema@.series_to_fit
                      FROM unnest(series) WITH ORDINALITY s(id, method, months, "values", i)
                      CROSS JOIN (VALUES (1, 'ets'), (2, 'comb')) mm(o, method)
                      WHERE fitteds[2 * s.i - 2 + mm.o] IS NULL AND cardinality(s.months) >= 6);
      IF cardinality(to_fit) > 0 THEN
        BEGIN
          SELECT array_agg(f.id), array_agg(f.point::@extschema@.sek), array_agg(f.lo95::@extschema@.sek),
                 array_agg(f.hi95::@extschema@.sek)
          INTO fit_ids, fit_fcs, fit_los, fit_his
          FROM @extschema@.fit_in_parallel(to_fit, yr) f WHERE f.point IS NOT NULL;
        EXCEPTION WHEN OTHERS THEN
          -- a series that cannot be fitted fails them all: the loop below
          -- fits each again alone
          fit_ids := NULL;
        END;
        FOR i IN 1 .. coalesce(cardinality(fit_ids), 0) LOOP
          mfcs[fit_ids[i]] := fit_fcs[i]; mlos[fit_ids[i]] := fit_los[i]; mhis[fit_ids[i]] := fit_his[i];
          fitteds[fit_ids[i]] := as_of;
          n_ok := n_ok + 1;
        END LOOP;
      END IF;
      -- what is neither taken over nor fitted above: one by one, each in a
      -- subtransaction, so that one key's failure (say a history with
      -- refunds larger than costs in some month, or too short a series for
      -- a model) is written down on it and does not stop the others
      FOR j IN 1 .. 2 * k LOOP
        CONTINUE WHEN fitteds[j] IS NOT NULL;
        m := CASE WHEN j % 2 = 1 THEN 'ets' ELSE 'comb' END;
        BEGIN
          SELECT ye.point::@extschema@.sek, ye.lo95::@extschema@.sek, ye.hi95::@extschema@.sek INTO fc, lo, hi
          FROM @extschema@.year_end(@extschema@.forecast_fit((series[(j + 1) / 2]).months, (series[(j + 1) / 2])."values", m), yr) ye;
          IF fc IS NULL THEN
            RAISE EXCEPTION 'no complete month with entries in the 60 months before %', as_of
              USING ERRCODE = '22023';
          END IF;
          mfcs[j] := fc; mlos[j] := lo; mhis[j] := hi; fitteds[j] := as_of;
          n_ok := n_ok + 1;
        EXCEPTION WHEN OTHERS THEN
          merrs[j] := SQLERRM;
          inputs[j] := NULL;
          n_failed := n_failed + 1;
        END;
      END LOOP;

      -- every key's four rows in one statement; when that fails, again key
      -- by key: a key that cannot be stored (say one too long for the index)
      -- is written down on the ledger, and the other keys go on
      i := 1;
      one_by_one := false;
      WHILE i <= k LOOP
        k_to := CASE WHEN one_by_one THEN i ELSE k END;
        BEGIN
          INSERT INTO @extschema@.forecast_snapshot (taken_on, ledger, as_of, key, method, outcome, forecast, lo, hi, error,
                                                     input_md5, fitted_as_of)
          SELECT current_date, l.ledger, refresh_forecasts.as_of, keys[g.i], mm.method, outcomes[g.i],
                 CASE mm.o WHEN 1 THEN rrs[g.i] WHEN 2 THEN prs[g.i] ELSE mfcs[2 * g.i + mm.o - 4] END,
                 CASE WHEN mm.o > 2 THEN mlos[2 * g.i + mm.o - 4] END,
                 CASE WHEN mm.o > 2 THEN mhis[2 * g.i + mm.o - 4] END,
                 CASE mm.o WHEN 1 THEN rr_errs[g.i] WHEN 2 THEN pr_errs[g.i] ELSE merrs[2 * g.i + mm.o - 4] END,
                 CASE WHEN mm.o > 2 THEN inputs[2 * g.i + mm.o - 4] END,
                 CASE WHEN mm.o > 2 THEN fitteds[2 * g.i + mm.o - 4] END
          FROM generate_series(i, k_to) g(i)
          CROSS JOIN (VALUES (1, 'runrate'), (2, 'profile'), (3, 'ets'), (4, 'comb')) mm(o, method)
          ORDER BY g.i, mm.o
          ON CONFLICT ON CONSTRAINT forecast_snapshot_pkey DO UPDATE
            SET taken_at = now(), outcome = EXCLUDED.outcome, forecast = EXCLUDED.forecast,
                lo = EXCLUDED.lo, hi = EXCLUDED.hi, error = EXCLUDED.error,
                input_md5 = EXCLUDED.input_md5, fitted_as_of = EXCLUDED.fitted_as_of;
          i := k_to + 1;
        EXCEPTION WHEN OTHERS THEN
          IF one_by_one THEN
            n_failed := n_failed + 4;
            key_err := format('key %s not written: %s', left(keys[i]::text, 200), SQLERRM);
            i := i + 1;
          ELSE
            one_by_one := true;
          END IF;
        END;
      END LOOP;
      UPDATE @extschema@.forecast_ledger SET last_refresh = now(), last_error = key_err
      WHERE ledger = l.ledger AND date_column = l.date_column AND amount_column = l.amount_column
        AND key_columns = l.key_columns;
    EXCEPTION WHEN OTHERS THEN
      -- the ledger as a whole failed (it cannot be read, a column changed,
      -- its owner's code raised): written down; the other ledgers go on
      err := SQLERRM;
      n_ledgers_failed := n_ledgers_failed + 1;
      RAISE WARNING 'refresh_forecasts: ledger % failed: %', l.ledger, err;
      BEGIN
        UPDATE @extschema@.forecast_ledger SET last_refresh = now(), last_error = err
        WHERE ledger = l.ledger AND date_column = l.date_column AND amount_column = l.amount_column
          AND key_columns = l.key_columns;
      EXCEPTION WHEN insufficient_privilege THEN
        -- a caller that is not a superuser may not write down the error of
        -- a ledger its registrant can no longer read (row-level security):
        -- the WARNING above is all it leaves
        NULL;
      END;
    END;
  END LOOP;
  RAISE NOTICE 'refresh_forecasts: % forecasts written (% model fits taken over, their input unchanged), % failed; % ledger(s) failed, % skipped (registered by roles the caller does not act as)',
    n_ok, n_reused, n_failed, n_ledgers_failed, n_skipped;
END
$fn$;
COMMENT ON PROCEDURE refresh_forecasts(date) IS 'The nightly job (pg_cron: CALL refresh_forecasts()): for every registered ledger and key, the year-end forecast as of as_of (default yesterday) by each method (''runrate''; ''profile'' by the key''s last three years'' monthly pattern; ''ets'' and ''comb'': forecast_fit models of the key''s 60 complete months before as_of''s month end, year_end with its 95 % interval in lo/hi; a key whose monthly series, year and method are those of an earlier snapshot''s fit takes that fit over: see forecast_snapshot.input_md5) into forecast_snapshot. Each ledger is read with the rights of the role that registered it, in a security-restricted operation (ledger_month_sums); a caller that is not a superuser refreshes only the ledgers registered by roles it has the privileges of. The models are fitted in one parallel scan per ledger (fit_in_parallel: its workers fit when max_parallel_workers_per_gather allows), the rest set-based, with one subtransaction per key only where something fails. Idempotent for a day; a failing key gets a row with its error, a failing ledger its error in forecast_ledger.last_error (and a WARNING), and the others go on.';
