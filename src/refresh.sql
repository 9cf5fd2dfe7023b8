-- Nightly refresh of year-end forecasts and their accuracy: registered
-- ledgers, the snapshot table the refresh writes (both kept by pg_dump), the
-- refresh procedure for pg_cron, and forecast_accuracy over past snapshots.

CREATE TABLE forecast_ledger (
  ledger regclass NOT NULL,
  date_column name NOT NULL,
  amount_column name NOT NULL,
  key_columns name[] NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ledger, date_column, amount_column, key_columns));
COMMENT ON TABLE forecast_ledger IS 'Ledgers registered with register_ledger: refresh_forecasts forecasts each of them per value of its key columns.';
SELECT pg_catalog.pg_extension_config_dump('forecast_ledger', '');

CREATE TABLE forecast_snapshot (
  taken_at timestamptz NOT NULL DEFAULT now(),
  taken_on date NOT NULL,
  ledger regclass NOT NULL,
  as_of date NOT NULL,
  key jsonb NOT NULL,
  method text NOT NULL,
  outcome sek,
  forecast sek,
  lo sek,
  hi sek,
  error text,
  PRIMARY KEY (ledger, key, method, as_of, taken_on));
COMMENT ON TABLE forecast_snapshot IS 'Year-end forecasts written by refresh_forecasts: one row per ledger, key (the key columns'' values as jsonb), method and as_of, replaced when refreshed again the same day (taken_on); outcome is the year so far, forecast the expected year total, lo/hi its 95 % interval where the method has one; error says why a key''s forecast failed (forecast NULL).';
SELECT pg_catalog.pg_extension_config_dump('forecast_snapshot', '');

CREATE FUNCTION register_ledger(ledger regclass, date_column name, amount_column name,
                                key_columns name[] DEFAULT '{}') RETURNS void
LANGUAGE plpgsql
SET search_path = @extschema@, pg_catalog, pg_temp
AS $fn$
DECLARE
  c name;
  t regtype;
BEGIN
  IF ledger IS NULL OR date_column IS NULL OR amount_column IS NULL OR key_columns IS NULL THEN
    RAISE EXCEPTION 'register_ledger needs a table, a date column, an amount column and key columns'
      USING ERRCODE = '22004';
  END IF;
  -- check the columns now rather than at 3 a.m.
  FOREACH c IN ARRAY ARRAY[date_column, amount_column] || key_columns LOOP
    SELECT atttypid::regtype INTO t FROM pg_attribute
    WHERE attrelid = ledger AND attname = c AND attnum > 0 AND NOT attisdropped;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'column "%" does not exist in %', c, ledger USING ERRCODE = '42703';
    END IF;
    IF c = date_column AND t <> 'date'::regtype THEN
      RAISE EXCEPTION 'date column "%" of % is %, not date', c, ledger, t USING ERRCODE = '42804';
    END IF;
    IF c = amount_column AND t <> 'sek'::regtype THEN
      RAISE EXCEPTION 'amount column "%" of % is %, not sek', c, ledger, t USING ERRCODE = '42804',
        HINT = 'Register a view that casts the amount: amount::sek.';
    END IF;
  END LOOP;
  INSERT INTO forecast_ledger (ledger, date_column, amount_column, key_columns)
  VALUES (ledger, date_column, amount_column, key_columns)
  ON CONFLICT DO NOTHING;
END
$fn$;
COMMENT ON FUNCTION register_ledger(regclass, name, name, name[]) IS 'Names a ledger to forecast: its date column (date), amount column (sek) and the key columns to forecast it by (none = one forecast for the whole ledger). Checked now; registering twice is a no-op.';

CREATE PROCEDURE refresh_forecasts(as_of date DEFAULT current_date - 1)
LANGUAGE plpgsql
SET search_path = @extschema@, pg_catalog, pg_temp
AS $fn$
DECLARE
  l record;
  r record;
  m text;
  ys date;
  series_start date;
  fc sek;
  lo sek;
  hi sek;
  err text;
  keyexpr text;
  n_ok int := 0;
  n_failed int := 0;
BEGIN
  IF as_of IS NULL OR NOT isfinite(as_of) THEN
    RAISE EXCEPTION 'as_of must be a finite date' USING ERRCODE = '22023';
  END IF;
  ys := make_date(extract(year FROM as_of)::int, 1, 1);
  -- the model methods fit the 60 complete months before as_of's month end
  series_start := (date_trunc('month', as_of + 1) - interval '60 months')::date;
  FOR l IN SELECT * FROM forecast_ledger ORDER BY ledger::text, key_columns LOOP
    BEGIN
      SELECT coalesce(string_agg(format('%L, %I', k, k), ', '), '') INTO keyexpr FROM unnest(l.key_columns) k;
      -- per key, from the sums per key and month (one pass over the ledger,
      -- then at most 60 rows per key): the outcome of the year so far, the
      -- three years before by calendar month (the profile method's key) and
      -- the monthly series of the 60 complete months before as_of's month end
      -- in kronor (a month without entries is missing, for the models)
      FOR r IN EXECUTE format($q$
          SELECT jsonb_build_object(%1$s) AS key,
                 coalesce(sum(ap_amount) FILTER (WHERE ap_month >= $1), '0'::sek) AS outcome,
                 ARRAY[%4$s] AS months,
                 array_agg(ap_month ORDER BY ap_month) FILTER (WHERE ap_month < $4) AS series_months,
                 array_agg(sek_ore(ap_amount)::float8 / 100 ORDER BY ap_month) FILTER (WHERE ap_month < $4) AS series
          FROM (SELECT %6$s date_trunc('month', %2$I::timestamp)::date AS ap_month, sum(%3$I) AS ap_amount
                FROM %5$s WHERE %2$I >= $3 AND %2$I <= $2
                GROUP BY %7$s) ledger_months
          GROUP BY %8$s$q$,
          keyexpr, l.date_column, l.amount_column,
          (SELECT string_agg(format('coalesce(sek_ore(sum(ap_amount) FILTER (WHERE ap_month < $1 AND ap_month >= ($1 - interval ''3 years'')::date AND extract(month FROM ap_month) = %s)), 0)::float8', i), ', ')
           FROM generate_series(1, 12) i),
          l.ledger,
          (SELECT coalesce(string_agg(format('%I,', k), ' '), '') FROM unnest(l.key_columns) k),
          (SELECT string_agg(format('%I', k), ', ') FROM unnest(l.key_columns || 'ap_month'::name) k),
          CASE WHEN cardinality(l.key_columns) = 0 THEN '()'
               ELSE (SELECT string_agg(format('%I', k), ', ') FROM unnest(l.key_columns) k) END)
        USING ys, as_of, series_start, (series_start + interval '60 months')::date
      LOOP
        FOREACH m IN ARRAY ARRAY['runrate', 'profile', 'ets', 'comb'] LOOP
          fc := NULL; lo := NULL; hi := NULL; err := NULL;
          BEGIN
            IF m = 'runrate' THEN
              fc := forecast_runrate(r.outcome, as_of);
            ELSIF m = 'profile' THEN
              fc := forecast_profile(r.outcome, as_of,
                      CASE WHEN r.months = array_fill(0::float8, ARRAY[12])
                           THEN array_fill(1::float8, ARRAY[12]) ELSE r.months END);
            ELSE
              -- a model of the monthly series; its year-end sum with the 95 % interval
              SELECT ye.point::sek, ye.lo95::sek, ye.hi95::sek INTO fc, lo, hi
              FROM (SELECT forecast_fit(u.mon, u.v, m) AS model
                    FROM unnest(r.series_months, r.series) AS u(mon, v)) f,
                   year_end(f.model, extract(year FROM as_of)::int) ye;
              IF fc IS NULL THEN
                RAISE EXCEPTION 'no complete month with entries in the 60 months before %', as_of
                  USING ERRCODE = '22023';
              END IF;
            END IF;
            n_ok := n_ok + 1;
          EXCEPTION WHEN OTHERS THEN
            -- one key's failure (say a history with refunds larger than costs
            -- in some month, or too short a series for a model) is written
            -- down and does not stop the others
            err := SQLERRM;
            n_failed := n_failed + 1;
          END;
          INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, outcome, forecast, lo, hi, error)
          VALUES (current_date, l.ledger, refresh_forecasts.as_of, r.key, m, r.outcome, fc, lo, hi, err)
          ON CONFLICT ON CONSTRAINT forecast_snapshot_pkey DO UPDATE
            SET taken_at = now(), outcome = EXCLUDED.outcome, forecast = EXCLUDED.forecast,
                lo = EXCLUDED.lo, hi = EXCLUDED.hi, error = EXCLUDED.error;
        END LOOP;
      END LOOP;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'refresh_forecasts: ledger % skipped: %', l.ledger, SQLERRM;
    END;
  END LOOP;
  RAISE NOTICE 'refresh_forecasts: % forecasts written, % failed', n_ok, n_failed;
END
$fn$;
COMMENT ON PROCEDURE refresh_forecasts(date) IS 'The nightly job (pg_cron: CALL refresh_forecasts()): for every registered ledger and key, the year-end forecast as of as_of (default yesterday) by each method (''runrate''; ''profile'' by the key''s last three years'' monthly pattern; ''ets'' and ''comb'': forecast_fit models of the key''s 60 complete months before as_of''s month end, year_end with its 95 % interval in lo/hi) into forecast_snapshot. Idempotent for a day; a failing key gets a row with its error, a failing ledger a WARNING, and the others go on.';

CREATE FUNCTION forecast_accuracy(year integer DEFAULT NULL)
RETURNS TABLE (ledger regclass, key jsonb, method text, months_before_end integer, n bigint,
               mean_error sek, mean_abs_error sek, mean_abs_pct float8)
LANGUAGE plpgsql STABLE
SET search_path = @extschema@, pg_catalog, pg_temp
AS $fn$
DECLARE
  finals text;
BEGIN
  -- the final outcome per ledger, key and ended year, from each registered ledger
  SELECT string_agg(format($q$
      SELECT %1$L::regclass AS ledger, jsonb_build_object(%2$s) AS key,
             extract(year FROM %3$I)::int AS year, sum(%4$I) AS final
      FROM %1$s
      WHERE %3$I < date_trunc('year', current_date)::date
        AND ($1 IS NULL OR (%3$I >= make_date($1, 1, 1) AND %3$I < make_date($1 + 1, 1, 1)))
      GROUP BY 2, 3$q$,
      fl.ledger,
      (SELECT coalesce(string_agg(format('%L, %I', k, k), ', '), '') FROM unnest(fl.key_columns) k),
      fl.date_column, fl.amount_column), ' UNION ALL ')
  INTO finals FROM forecast_ledger fl;
  IF finals IS NULL THEN
    RETURN;
  END IF;
  -- the newest snapshot of each forecast against the final outcome
  RETURN QUERY EXECUTE format($q$
    WITH f AS (%s)
    SELECT s.ledger, s.key, s.method, 12 - extract(month FROM s.as_of)::int,
           count(*), avg(s.forecast - f.final), avg(abs(s.forecast - f.final)),
           avg(abs(sek_ore(s.forecast - f.final))::float8 / nullif(abs(sek_ore(f.final)), 0)::float8 * 100)
    FROM (SELECT DISTINCT ON (fs.ledger, fs.key, fs.method, fs.as_of) fs.*
          FROM forecast_snapshot fs WHERE fs.forecast IS NOT NULL
          ORDER BY fs.ledger, fs.key, fs.method, fs.as_of, fs.taken_on DESC) s
    JOIN f ON f.ledger = s.ledger AND f.key = s.key AND f.year = extract(year FROM s.as_of)::int
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4 DESC$q$, finals)
  USING year;
END
$fn$;
COMMENT ON FUNCTION forecast_accuracy(integer) IS 'Prognossäkerhet: for each registered ledger, key and method, by months before year end (12 − the month of as_of), how far the newest snapshot forecasts were from the final year outcome of ended years: n, mean signed error (forecast − outcome; positive = forecast too high), mean absolute error and mean absolute error in % of the outcome; optionally one year only.';
