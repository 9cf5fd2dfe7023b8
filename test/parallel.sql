-- Aggregates over sek and estimate in forced-parallel plans: the plan has a
-- Partial Aggregate, workers really run, and the results equal the serial
-- ones (this exercises combine, and serialize/deserialize for avg).
-- The table is committed first: parallel workers read it like any table.
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS par_ledger;
CREATE TABLE par_ledger AS
  SELECT i, 'unit ' || (i % 13) AS unit,
         sek_from_ore(((i::bigint * 2654435761) % 2000000001) - 1000000000) AS amount,
         estimate(sek_from_ore(i), sek_from_ore(2 * i)) AS effect
  FROM generate_series(1, 300000) i;
ANALYZE par_ledger;

BEGIN;
SELECT plan(16);

\ir lib/parallel.psql

CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('sum', 'SELECT sum(amount) FROM par_ledger'),
  ('avg', 'SELECT avg(amount) FROM par_ledger'),
  ('min/max', 'SELECT min(amount), max(amount) FROM par_ledger'),
  ('sum(estimate)', 'SELECT sum(effect) FROM par_ledger'),
  ('grouped', 'SELECT unit, sum(amount), avg(amount), min(amount), max(amount), sum(effect) FROM par_ledger GROUP BY unit');

-- serial results first
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;

\ir lib/check_parallel.psql

-- the serial sum is right: it equals the numeric sum
SELECT is((SELECT sum(amount)::numeric FROM par_ledger),
          (SELECT sum(sek_ore(amount)::numeric) / 100 FROM par_ledger),
          'sum(sek) equals the numeric sum of the same öre');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE par_ledger;
