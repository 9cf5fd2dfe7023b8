-- forecast_fit(months date[], values float8[], method): the aggregate's model
-- from a series gathered into arrays, so that a parallel scan of a table of
-- series fits in its workers.  The same model as the aggregate, its bad
-- inputs with their SQLSTATEs, and a forced parallel plan with the fit below
-- the Gather giving the serial results.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(17);

-- 300 series of 60 months: level, trend, season and noise that differ by key
CREATE TABLE fa_rows AS
SELECT k, (DATE '2018-09-01' + make_interval(months => m))::date AS month,
       1000 + 10 * k + 5 * m + 200 * sin(m * pi() / 6 + k) + (hashint4(k * 100 + m) % 50) AS v
FROM generate_series(1, 300) k, generate_series(0, 59) m;
CREATE TABLE fa_series AS
SELECT k, array_agg(month ORDER BY month) AS months, array_agg(v ORDER BY month) AS vals FROM fa_rows GROUP BY k;

SELECT is((SELECT count(*) FROM fa_series s JOIN (SELECT k, forecast_fit(month, v, 'ets')::text AS agg FROM fa_rows GROUP BY k) a USING (k)
           WHERE forecast_fit(s.months, s.vals, 'ets')::text = a.agg), 300::bigint,
          'ets: the model from the arrays is the aggregate''s, for every series');
SELECT is((SELECT count(*) FROM fa_series s JOIN (SELECT k, forecast_fit(month, v, 'comb')::text AS agg FROM fa_rows GROUP BY k) a USING (k)
           WHERE k <= 30 AND forecast_fit(s.months, s.vals)::text = a.agg), 30::bigint,
          'comb (the default method): the same');
-- elements as the aggregate's rows: NULLs skipped, one month's values summed, order free
CREATE TEMP TABLE fa_extra AS
SELECT (DATE '2020-01-01' + make_interval(months => i))::date AS d, (27 + i)::float8 AS v FROM generate_series(3, 9) i;
SELECT is(forecast_fit(ARRAY['2020-03-31', NULL, '2020-01-05', '2020-02-01', '2020-03-01']::date[] || (SELECT array_agg(d ORDER BY d) FROM fa_extra),
                       ARRAY[5, 7, 10, 20, 25]::float8[] || (SELECT array_agg(v ORDER BY d) FROM fa_extra), 'ets')::text,
          (SELECT forecast_fit(d, v, 'ets')::text
           FROM (VALUES (DATE '2020-01-05', 10::float8), ('2020-02-01', 20), ('2020-03-01', 25), ('2020-03-31', 5)
                 UNION ALL SELECT d, v FROM fa_extra) x(d, v)),
          'a NULL month is skipped, two values in March are summed, any order: the aggregate''s model');
SELECT is(forecast_fit((SELECT array_agg(d ORDER BY d) FROM fa_extra), (SELECT array_agg(CASE WHEN d = '2020-06-01' THEN NULL ELSE v END ORDER BY d) FROM fa_extra),
                       'ets')::text,
          (SELECT forecast_fit(d, v, 'ets')::text FROM fa_extra WHERE d <> '2020-06-01'),
          'a NULL value is skipped');
SELECT ok(forecast_fit(NULL::date[], ARRAY[1]::float8[], 'ets') IS NULL, 'NULL months: NULL');
SELECT ok(forecast_fit('{}'::date[], '{}'::float8[], 'ets') IS NULL, 'no month: NULL');
SELECT ok(forecast_fit(ARRAY[NULL]::date[], ARRAY[1]::float8[], 'ets') IS NULL, 'no observed month: NULL');

-- bad inputs
SELECT throws_ok($$SELECT forecast_fit(ARRAY['2020-01-01']::date[], ARRAY[1, 2]::float8[], 'ets')$$, '2202E', NULL,
                 'arrays of different lengths: 2202E');
SELECT throws_ok($$SELECT forecast_fit(ARRAY[['2020-01-01']]::date[], ARRAY[[1]]::float8[], 'ets')$$, '2202E', NULL,
                 'a two-dimensional array: 2202E');
SELECT throws_ok($$SELECT forecast_fit(ARRAY['2020-01-01']::date[], ARRAY[1]::float8[], NULL)$$, '22004', NULL, 'a NULL method: 22004');
SELECT throws_ok($$SELECT forecast_fit(ARRAY['2020-01-01']::date[], ARRAY[1]::float8[], 'arima')$$, '22023', NULL, 'an unknown method: 22023');
SELECT throws_ok($$SELECT forecast_fit(ARRAY['2020-01-01']::date[], ARRAY['NaN']::float8[], 'ets')$$, '22023', NULL, 'NaN: 22023');
SELECT throws_ok($$SELECT forecast_fit(ARRAY['infinity']::date[], ARRAY[1]::float8[], 'ets')$$, '22023', NULL, 'an infinite date: 22023');
SELECT throws_ok($$SELECT forecast_fit(ARRAY['1900-01-01', '2020-01-01']::date[], ARRAY[1, 2]::float8[], 'ets')$$, '54000', NULL,
                 'a series over 1 200 months: 54000');

-- a parallel scan of the series table: the fit below the Gather, in the workers
ANALYZE fa_series;
CREATE TEMP TABLE fa_serial AS SELECT k, forecast_fit(months, vals, 'ets')::text AS m FROM fa_series;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.fa_plan() RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; p text := '';
BEGIN
  FOR l IN EXPLAIN (VERBOSE, COSTS OFF) SELECT k, forecast_fit(months, vals, 'ets')::text FROM fa_series LOOP
    p := p || l || E'\n';
  END LOOP;
  RETURN p;
END $$;
SELECT matches(pg_temp.fa_plan(), 'Gather.*\n.*Output: k, \(\(forecast_fit\(.*\n.*Parallel Seq Scan on .*fa_series',
               'the plan fits in the workers: forecast_fit is in the output below the Gather, over a Parallel Seq Scan');
-- a permanent table: the workers read it (a temporary one they could not)
SELECT set_eq($$SELECT k, forecast_fit(months, vals, 'ets')::text FROM fa_series$$, $$SELECT k, m FROM fa_serial$$,
              'the parallel fits are the serial ones');
SELECT is((SELECT count(*) FROM fa_series WHERE (year_end(forecast_fit(months, vals, 'comb'), 2023)).point IS NOT NULL),
          300::bigint, 'every series gives a year-end forecast in a parallel plan');

SELECT * FROM finish();
ROLLBACK;
