-- register_ledger, refresh_forecasts and forecast_accuracy: the snapshot rows
-- equal the scalar methods, a second refresh the same day replaces them, a
-- failing key is written down without losing the others, and the accuracy of
-- Resultatrapport december 2025's November forecasts against December's outcome.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(34);

CREATE TABLE gl (day date, unit int, acct int, amt sek);
INSERT INTO gl SELECT d::date, u, 4010, ((u * 1000 + extract(month FROM d)::int * 10)::text || ' kr')::sek
FROM generate_series(DATE '2020-01-01', DATE '2023-12-31', interval '1 day') d, generate_series(1, 3) u;
-- unit 3: a refund in March 2022 larger than the month's costs: no profile
INSERT INTO gl VALUES ('2022-03-05', 3, 4010, '-10 mnkr');

-- a ledger is registered by its owner, an ordinary role: the refresh reads
-- it with that role's rights, never a superuser's
SELECT throws_ok($$SELECT register_ledger('gl', 'day', 'amt', '{unit}')$$, '42501', NULL,
                 'a superuser may not register a ledger');
CREATE ROLE ap_refresh_owner;
GRANT INSERT ON forecast_ledger TO ap_refresh_owner;
ALTER TABLE gl OWNER TO ap_refresh_owner;
SET ROLE ap_refresh_owner;
SELECT lives_ok($$SELECT register_ledger('gl', 'day', 'amt', '{unit}')$$, 'register_ledger');
SELECT lives_ok($$SELECT register_ledger('gl', 'day', 'amt', '{unit}')$$, 'registering twice is a no-op');
SELECT throws_ok($$SELECT register_ledger('gl', 'day', 'amount', '{unit}')$$, '42703', NULL, 'a missing column is 42703');
SELECT throws_ok($$SELECT register_ledger('gl', 'acct', 'amt', '{unit}')$$, '42804', NULL, 'a date column that is not date is 42804');
SELECT throws_ok($$SELECT register_ledger('gl', 'day', 'acct', '{unit}')$$, '42804', NULL, 'an amount column that is not sek is 42804');
RESET ROLE;
SELECT is((SELECT count(*) FROM forecast_ledger WHERE ledger = 'gl'::regclass), 1::bigint, 'one registration');
SELECT ok((SELECT extconfig @> ARRAY['forecast_ledger'::regclass, 'forecast_snapshot'::regclass]::oid[]
           FROM pg_extension WHERE extname = 'actionplan'), 'pg_dump keeps forecast_ledger and forecast_snapshot');

SELECT throws_ok($$CALL refresh_forecasts(NULL)$$, '22004', 'refresh_forecasts: as_of needs a date, not NULL',
                 'refresh_forecasts: a NULL as_of is 22004');
SELECT throws_ok($$CALL refresh_forecasts('infinity')$$, '22008',
                 'refresh_forecasts: as_of must be a finite date between 0001-01-01 and 9999-12-31, not infinity',
                 'refresh_forecasts: an infinite as_of is 22008');
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'gl'::regclass), 12::bigint,
          'one row per key and method');
SELECT is((SELECT count(*) FROM forecast_snapshot s
           WHERE method = 'ets' AND forecast = (SELECT (year_end(forecast_fit(date_trunc('month', day)::date, amt::float8, 'ets'), 2023)).point::sek
                                                FROM gl WHERE unit = (s.key ->> 'unit')::int AND day BETWEEN '2018-09-01' AND '2023-08-31')),
          3::bigint, 'the ets rows equal year_end of an ETS fit to the unit''s monthly sums');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE method IN ('ets', 'comb') AND lo < forecast AND forecast < hi AND error IS NULL),
          6::bigint, 'the ets and comb rows carry their 95 % interval in lo and hi');
SELECT is((SELECT count(*) FROM forecast_snapshot s
           WHERE method = 'runrate' AND forecast = forecast_runrate(
             (SELECT sum(amt) FROM gl WHERE unit = (s.key ->> 'unit')::int AND day BETWEEN '2023-01-01' AND '2023-08-31'), '2023-08-31')),
          3::bigint, 'the run-rate rows equal forecast_runrate of each unit''s outcome');
SELECT is((SELECT count(*) FROM forecast_snapshot s
           WHERE method = 'profile' AND key <> '{"unit": 3}' AND forecast = forecast_profile(outcome, '2023-08-31',
             (SELECT month_profile(day, amt) FROM gl WHERE unit = (s.key ->> 'unit')::int AND day BETWEEN '2020-01-01' AND '2022-12-31'))),
          2::bigint, 'the profile rows equal forecast_profile by the unit''s month_profile of the three years before');
SELECT ok((SELECT forecast IS NULL AND error LIKE 'month profile weight 3%' FROM forecast_snapshot
           WHERE key = '{"unit": 3}' AND method = 'profile'),
          'the failing key''s row says why, and the others are written');
CREATE TEMP TABLE first AS SELECT * FROM forecast_snapshot;
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT count(*) FROM forecast_snapshot), 12::bigint, 'a second refresh the same day replaces the rows');
SELECT set_eq('SELECT key, method, forecast, error FROM forecast_snapshot', 'SELECT key, method, forecast, error FROM first',
              'with the same figures');
SELECT is((SELECT last_slow_keys FROM forecast_ledger WHERE ledger = 'gl'::regclass), 1,
          'one bad key: last_slow_keys 1 (only it went the slow way)');

-- 150 keys: when one key's profile is refused, the others are still
-- forecast set-based, in windows; only the bad key goes the slow way
CREATE TABLE gl150 (day date, unit int, amt sek);
INSERT INTO gl150 SELECT (DATE '2019-01-10' + make_interval(months => m))::date, u,
  ((5000 + 13 * u + 40 * (m % 12) + (hashint4(u * 1000 + m) % 300))::text || ' kr')::sek
FROM generate_series(0, 55) m, generate_series(1, 150) u;
ALTER TABLE gl150 OWNER TO ap_refresh_owner;
SET ROLE ap_refresh_owner;
SELECT register_ledger('gl150', 'day', 'amt', '{unit}');
RESET ROLE;
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT last_slow_keys FROM forecast_ledger WHERE ledger = 'gl150'::regclass), 0,
          'a clean refresh: last_slow_keys 0');
-- unit 77: a refund in March 2021 larger than the month's costs
INSERT INTO gl150 VALUES ('2021-03-20', 77, '-1 mnkr');
CALL refresh_forecasts('2023-08-31');
SELECT is((SELECT last_slow_keys FROM forecast_ledger WHERE ledger = 'gl150'::regclass), 1,
          '150 keys, one whose profile is refused: last_slow_keys 1');
SELECT ok((SELECT forecast IS NULL AND error LIKE 'month profile weight 3%' FROM forecast_snapshot
           WHERE ledger = 'gl150'::regclass AND key = '{"unit": 77}' AND method = 'profile'),
          'the refused profile''s row says why');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'gl150'::regclass AND as_of = '2023-08-31'
             AND forecast IS NOT NULL AND error IS NULL
             AND forecast = CASE method WHEN 'runrate' THEN forecast_runrate(outcome, '2023-08-31') ELSE forecast END),
          (4 * 150 - 1)::bigint, 'every other forecast of the 150 keys is written, the run-rates equal forecast_runrate');
-- (its registration and snapshots go with it: the accuracy below is gl's)
DROP TABLE gl150;

-- forecast accuracy: forecast − final outcome of 2023, by months before year end
SELECT set_eq($$SELECT key, method, months_before_end, n, mean_error FROM forecast_accuracy()$$,
  $$SELECT s.key, s.method, 4 AS months_before_end, 1::bigint AS n,
           (s.forecast - (SELECT sum(amt) FROM gl WHERE unit = (s.key ->> 'unit')::int AND day >= '2023-01-01'))::numeric AS mean_error
    FROM forecast_snapshot s WHERE forecast IS NOT NULL$$,
  'forecast_accuracy: the signed error of each forecast against the year''s outcome');

-- Resultatrapport december 2025: each unit's deviation in November's forecast and in December's
-- accounts (mnkr); with one budget B the forecast is B − nov and the outcome
-- B − dec, so the error forecast − outcome is dec − nov
CREATE TABLE gl002 (day date, unit text, amt sek);
CREATE TEMP TABLE dev (unit text, nov numeric, dec numeric);
INSERT INTO dev VALUES ('Utredningsenhet vuxen', -5.6, -6.0), ('barn', -1.1, -1.4), ('rekrytering', 11.4, 12.3),
  ('ungdom', 19.4, 19.7), ('familjehem', -11.9, -15.0), ('våld i nära relation', 8.7, 9.1), ('tillstånd', 0.7, 0.4),
  ('boende', 1.3, 1.5), ('förebyggande', 1.7, 5.9), ('öppenvård', 3.7, 3.7), ('flyktingboende', -1.7, -1.9),
  ('utveckling och stöd', -3.4, -3.9), ('övergripande', 6.8, 7.6);
INSERT INTO gl002 SELECT '2025-12-31', unit, ((100 - dec) * 1000000)::sek FROM dev;
ALTER TABLE gl002 OWNER TO ap_refresh_owner;
SET ROLE ap_refresh_owner;
SELECT register_ledger('gl002', 'day', 'amt', '{unit}');
RESET ROLE;
INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast)
SELECT '2025-12-01', 'gl002', '2025-11-30', jsonb_build_object('unit', unit), 'office', ((100 - nov) * 1000000)::sek FROM dev;
SELECT is((SELECT count(*) FROM forecast_accuracy(2025) a JOIN dev d ON a.key ->> 'unit' = d.unit
           WHERE a.method = 'office' AND a.months_before_end = 1 AND a.mean_error = (d.dec - d.nov) * 1000000),
          13::bigint, 'Resultatrapport december 2025: each unit''s November forecast error is December''s deviation − November''s');
SELECT is((SELECT sek_format(round(avg(mean_abs_error), 2)::sek, 'mnkr', 3) FROM forecast_accuracy(2025) WHERE method = 'office'),
          '0,892 mnkr', 'Resultatrapport december 2025: mean absolute error of the November forecasts 0,892 mnkr (11,6 mnkr over 13 units)');
SELECT is((SELECT count(*) FROM forecast_accuracy(2023)), 11::bigint, 'forecast_accuracy(year) keeps one year');

-- a year is scored once the ledger has reached its December: a copy whose
-- entries end in August 2025 (a demo, a test database) has no 2025 score
-- until a December entry comes
CREATE TABLE gl003 (day date, unit text, amt sek);
INSERT INTO gl003 SELECT make_date(2025, m, 28), 'a', '1 mnkr' FROM generate_series(1, 8) m;
ALTER TABLE gl003 OWNER TO ap_refresh_owner;
SET ROLE ap_refresh_owner;
SELECT register_ledger('gl003', 'day', 'amt', '{unit}');
RESET ROLE;
INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast)
VALUES ('2025-06-01', 'gl003', '2025-05-31', '{"unit": "a"}', 'office', '12 mnkr');
SELECT is((SELECT count(*) FROM forecast_errors('gl003')), 0::bigint,
          'a year whose December the ledger has not reached is not scored');
INSERT INTO gl003 VALUES ('2025-12-15', 'a', '4 mnkr');
SELECT is((SELECT array_agg(error) FROM forecast_errors('gl003')), array[0::numeric],
          'with a December entry it is: 12 mnkr forecast, 8 + 4 mnkr outcome');

-- how often the 95 % interval held: comb rows of 2025-08-31 whose interval
-- holds the outcome for the 8 units with a positive December deviation (its
-- lower end exactly at the outcome, which counts; 'ungdom''s ends written high
-- first, as a ledger in negative signs has them) and misses it by one öre for
-- the other 5
INSERT INTO forecast_snapshot (taken_on, ledger, as_of, key, method, forecast, lo, hi)
SELECT '2025-09-01', 'gl002', '2025-08-31', jsonb_build_object('unit', unit), 'comb', o + '1 mnkr'::sek,
       CASE WHEN unit = 'ungdom' THEN o + '2 mnkr'::sek WHEN dec > 0 THEN o ELSE o + '0,01 kr'::sek END,
       CASE WHEN unit = 'ungdom' THEN o ELSE o + '2 mnkr'::sek END
FROM (SELECT unit, dec, ((100 - dec) * 1000000)::sek AS o FROM dev) d;
SELECT is((SELECT array[sum(interval_n), sum(interval_covered)] FROM forecast_accuracy(2025) WHERE method = 'comb' AND months_before_end = 4),
          array[13, 8]::numeric[], 'forecast_accuracy: 8 of the 13 comb intervals held the outcome (an end equal to it counts, either order)');
SELECT is((SELECT count(*) FROM forecast_accuracy(2025) a JOIN dev d ON a.key ->> 'unit' = d.unit
           WHERE a.method = 'comb' AND a.interval_n = 1 AND a.interval_coverage = CASE WHEN d.dec > 0 THEN 100.0 ELSE 0.0 END),
          13::bigint, 'forecast_accuracy: each unit''s interval_coverage is 100 or 0 % as its one interval held or not');
SELECT is((SELECT count(*) FROM forecast_accuracy(2025) WHERE ledger = 'gl002'::regclass AND method = 'office' AND interval_n = 0 AND interval_covered = 0 AND interval_coverage IS NULL),
          13::bigint, 'forecast_accuracy: the office''s forecasts have no interval: n 0, coverage NULL');
SELECT is((SELECT count(*) FROM forecast_errors('gl002', 2025, 2025) e JOIN dev d ON e.key ->> 'unit' = d.unit
           WHERE e.method = 'comb' AND e.covered = (d.dec > 0) AND e.lo IS NOT NULL AND e.hi IS NOT NULL),
          13::bigint, 'forecast_errors: lo, hi and covered of each comb forecast');
SELECT is((SELECT count(*) FROM forecast_errors('gl002', 2025, 2025) WHERE method = 'office' AND lo IS NULL AND covered IS NULL),
          13::bigint, 'forecast_errors: covered is NULL where there is no interval');

SELECT * FROM finish();
ROLLBACK;
