-- refresh_forecasts fits the models of a ledger's keys in one parallel scan
-- (fit_in_parallel over the unlogged fit_staging): with workers the
-- snapshots are exactly those of a serial refresh, the workers really scan
-- the staging table, the table is empty after a refresh that succeeds and
-- after one that fails, and no role but the extension's owner may touch it.
\set QUIET on
SET client_min_messages = warning;
-- the planner's estimate of the staging table's rows as after autovacuum's
-- work (empty and truncated), not as after an ANALYZE of another test
VACUUM fit_staging;
BEGIN;
SELECT plan(21);

CREATE ROLE ap_par_owner;
CREATE ROLE ap_par_other;
GRANT INSERT ON forecast_ledger TO ap_par_owner;
-- 30 units with five years of entries, and a young unit 31 of three months
-- (too short a series for a model: written down on its rows)
CREATE TABLE par_gl (day date, unit int, amt sek);
INSERT INTO par_gl
SELECT d::date, u, ((2000 + 37 * u + 11 * extract(month FROM d)::int + (hashint4(u * 100000 + (d::date - DATE '2018-01-01')) % 400))::text || ' kr')::sek
FROM generate_series(DATE '2018-09-01', DATE '2023-08-31', interval '4 days') d, generate_series(1, 30) u
UNION ALL
SELECT d::date, 31, '1500 kr' FROM generate_series(DATE '2023-06-01', DATE '2023-08-31', interval '1 week') d;
-- three units, of which unit 3 has seven months with a trend: enough months
-- to be sent to the parallel fit, where comb cannot fit it (the whole
-- parallel fit then fails, and the keys are fitted again one by one)
CREATE TABLE par_gl2 (day date, unit int, amt sek);
INSERT INTO par_gl2
SELECT d::date, u, ((3000 + 50 * u + 9 * extract(month FROM d)::int)::text || ' kr')::sek
FROM generate_series(DATE '2019-01-01', DATE '2023-08-31', interval '5 days') d, generate_series(1, 2) u
UNION ALL
SELECT (DATE '2023-02-10' + make_interval(months => g))::date, 3, ((1000 + 100 * g)::text || ' kr')::sek FROM generate_series(0, 6) g;
ALTER TABLE par_gl OWNER TO ap_par_owner;
ALTER TABLE par_gl2 OWNER TO ap_par_owner;
SET ROLE ap_par_owner;
SELECT register_ledger('par_gl', 'day', 'amt', '{unit}');
SELECT register_ledger('par_gl2', 'day', 'amt', '{unit}');
RESET ROLE;

-- the staging table's scans by parallel workers (each worker's scan is
-- counted when the worker exits) and the current transaction's inserts
CREATE FUNCTION pg_temp.staging_scans() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_stat_clear_snapshot();
  RETURN (SELECT seq_scan FROM pg_stat_user_tables WHERE relid = 'fit_staging'::regclass);
END $$;
CREATE FUNCTION pg_temp.staging_inserts() RETURNS bigint LANGUAGE sql AS
  $$SELECT n_tup_ins FROM pg_stat_xact_user_tables WHERE relid = 'fit_staging'::regclass$$;
CREATE TEMP VIEW par_rows AS
  SELECT ledger, key, method, outcome, forecast, lo, hi, error, input_md5, fitted_as_of
  FROM forecast_snapshot WHERE ledger IN ('par_gl'::regclass, 'par_gl2'::regclass) AND as_of = '2023-08-31';

-- serial
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.staging_scans() AS scans0 \gset
CALL refresh_forecasts('2023-08-31');
SELECT pg_temp.staging_scans() AS scans1 \gset
CREATE TEMP TABLE serial_rows AS SELECT * FROM par_rows;
DELETE FROM forecast_snapshot WHERE ledger IN ('par_gl'::regclass, 'par_gl2'::regclass);

-- with 2 workers, whatever the costs
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SELECT pg_temp.staging_inserts() AS ins0 \gset
CALL refresh_forecasts('2023-08-31');
SELECT pg_temp.staging_scans() AS scans2 \gset
SELECT pg_temp.staging_inserts() AS ins1 \gset

SELECT is((SELECT count(*) FROM serial_rows), (4 * (31 + 3))::bigint, 'serial: four rows for each of the 34 keys');
SELECT is((SELECT count(*) FROM serial_rows WHERE error IS NULL AND forecast IS NOT NULL),
          (4 * 34 - 2 - 1)::bigint, 'serial: all forecasts but the young unit''s two models and unit 3''s comb');
SELECT is((SELECT count(*) FROM par_rows), (4 * 34)::bigint, 'with workers: four rows for each key');
SELECT is((SELECT count(*) FROM par_rows p FULL JOIN serial_rows s USING (ledger, key, method)
           WHERE (p.outcome, p.forecast, p.lo, p.hi, p.error, p.input_md5, p.fitted_as_of)
                 IS DISTINCT FROM (s.outcome, s.forecast, s.lo, s.hi, s.error, s.input_md5, s.fitted_as_of)),
          0::bigint, 'with workers every row equals the serial refresh''s: outcome, forecast, interval, error, input md5');
SELECT ok(:scans2 - :scans1 >= 2, format('the workers scanned fit_staging (%s scans by workers)', :scans2 - :scans1));
SELECT is((:scans1 - :scans0)::bigint, 0::bigint, 'the serial refresh started no worker scan of it');
-- 30 units' two models (the young unit's two go one by one, never to the
-- staging table), and par_gl2's in windows: all three units' (the fit
-- fails on unit 3's comb), then units 1 and 2 (fitted), then unit 3 alone
-- (fails again: its two models go one by one)
SELECT is((:ins1 - :ins0)::bigint, (2 * 30 + 2 * 3 + 2 * 2 + 2 * 1)::bigint,
          'the models of the keys with six months or more were staged, par_gl2''s in windows');
SELECT is((SELECT count(*) FROM fit_staging), 0::bigint, 'fit_staging is empty after the refresh');
SELECT is((SELECT array_agg(method || ': ' || error ORDER BY method) FROM par_rows WHERE ledger = 'par_gl'::regclass AND key = '{"unit": 31}' AND error IS NOT NULL),
          '{"comb: a forecast needs at least 6 observed months, the series has 3","ets: a forecast needs at least 6 observed months, the series has 3"}',
          'the young unit''s models fail with forecast_fit''s message, its other rows are written');
SELECT is((SELECT array_agg(method || ': ' || coalesce(error, 'ok') ORDER BY method) FROM par_rows WHERE ledger = 'par_gl2'::regclass AND key = '{"unit": 3}'),
          '{"comb: cannot fit forecast method \"comb\" to a series of 7 observed months",ets: ok,profile: ok,runrate: ok}',
          'a series the parallel fit cannot fit fails only its own row');
SELECT is((SELECT count(*) FROM par_rows WHERE fitted_as_of = '2023-08-31' AND forecast IS NOT NULL AND method IN ('ets', 'comb')),
          (2 * 30 + 2 * 2 + 1)::bigint, 'every other model fitted that night');
SELECT is((SELECT array_agg(last_slow_keys ORDER BY ledger::text) FROM forecast_ledger WHERE ledger IN ('par_gl'::regclass, 'par_gl2'::regclass)),
          '{1,1}', 'one key of each ledger went the slow way: the young unit, unit 3');

-- a refresh that fails (its ledger's row cannot be updated, not even with
-- the error): the staged series go with its rollback
CREATE FUNCTION pg_temp.no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_error IS NULL OR TG_ARGV[0] = 'always' THEN
    RAISE EXCEPTION 'no update of % today', (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = NEW.ledger);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER par_no_update BEFORE UPDATE ON forecast_ledger FOR EACH ROW EXECUTE FUNCTION pg_temp.no_update('always');
DELETE FROM forecast_snapshot WHERE ledger IN ('par_gl'::regclass, 'par_gl2'::regclass);
SELECT pg_temp.staging_inserts() AS ins2 \gset
SELECT throws_ok($$CALL refresh_forecasts('2023-08-31')$$, 'P0001', 'no update of par_gl today', 'a refresh that fails');
SELECT ok(pg_temp.staging_inserts() > :ins2, 'it had staged series');
SELECT is((SELECT count(*) FROM fit_staging), 0::bigint, 'fit_staging is empty after the failed refresh');
DROP TRIGGER par_no_update ON forecast_ledger;
-- a ledger that fails inside a refresh that goes on
CREATE TRIGGER par_no_update BEFORE UPDATE ON forecast_ledger FOR EACH ROW EXECUTE FUNCTION pg_temp.no_update('once');
SELECT pg_temp.staging_inserts() AS ins3 \gset
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT array_agg(last_error ORDER BY ledger::text) FROM forecast_ledger WHERE ledger IN ('par_gl'::regclass, 'par_gl2'::regclass)),
          '{"no update of par_gl today","no update of par_gl2 today"}', 'a refresh whose ledgers fail writes their errors down');
SELECT is((SELECT count(*) FROM fit_staging), 0::bigint, 'and leaves fit_staging empty (staged: ' || (pg_temp.staging_inserts() - :ins3) || ')');
DROP TRIGGER par_no_update ON forecast_ledger;

-- no role but the owner touches the staging table; fit_in_parallel fits for
-- anyone what forecast_fit would
SET ROLE ap_par_other;
SELECT throws_ok('SELECT * FROM fit_staging', '42501', NULL, 'another role may not read fit_staging');
SELECT throws_ok($$INSERT INTO fit_staging (id, method) VALUES (1, 'ets')$$, '42501', NULL, 'nor write it');
SELECT is((SELECT point FROM fit_in_parallel(ARRAY[ROW(7, 'ets', ARRAY(SELECT (DATE '2022-01-01' + make_interval(months => g))::date FROM generate_series(0, 19) g),
                                                       ARRAY(SELECT 100 + g * 3 + g % 4 FROM generate_series(0, 19) g)::float8[])::series_to_fit], 2023)),
          (SELECT (year_end(forecast_fit(ARRAY(SELECT (DATE '2022-01-01' + make_interval(months => g))::date FROM generate_series(0, 19) g),
                                         ARRAY(SELECT 100 + g * 3 + g % 4 FROM generate_series(0, 19) g)::float8[], 'ets'), 2023)).point),
          'fit_in_parallel gives year_end(forecast_fit(...)) to any role');
RESET ROLE;
SELECT throws_ok('SELECT * FROM fit_in_parallel(NULL, 2023)', '22004', NULL, 'fit_in_parallel without series');

SELECT * FROM finish();
ROLLBACK;
