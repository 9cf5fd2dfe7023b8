-- refresh_forecasts fits a key's model again only when what the fit sees
-- changed: a later night whose series, year and method are those of an
-- earlier fit takes that fit over (fitted_as_of stays the earlier as_of);
-- an entry inserted, updated or deleted, or booked late into a closed month,
-- is always picked up, and what is taken over equals a fresh fit.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(16);

CREATE ROLE ap_incr_owner;
GRANT INSERT ON forecast_ledger TO ap_incr_owner;
CREATE TABLE incr_gl (day date, unit int, amt sek);
INSERT INTO incr_gl SELECT d::date, u, ((u * 1000 + extract(month FROM d)::int * 10 + extract(day FROM d)::int)::text || ' kr')::sek
FROM generate_series(DATE '2020-01-01', DATE '2023-08-31', interval '1 day') d, generate_series(1, 4) u;
ALTER TABLE incr_gl OWNER TO ap_incr_owner;
SET ROLE ap_incr_owner;
SELECT register_ledger('incr_gl', 'day', 'amt', '{unit}');
RESET ROLE;

-- night 1 fits every key; the as_of of the rows that were fitted that night
CALL refresh_forecasts('2023-08-31');
CREATE TEMP VIEW incr_fits AS
  SELECT (key ->> 'unit')::int AS unit, method, as_of, fitted_as_of, forecast, lo, hi, input_md5
  FROM forecast_snapshot WHERE ledger = 'incr_gl'::regclass AND method IN ('ets', 'comb');
SELECT is((SELECT count(*) FROM incr_fits WHERE as_of = '2023-08-31' AND fitted_as_of = '2023-08-31' AND input_md5 IS NOT NULL),
          8::bigint, 'night 1: every model row fitted that night, with its input''s md5');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'incr_gl'::regclass AND method IN ('runrate', 'profile')
           AND input_md5 IS NULL AND fitted_as_of IS NULL), 8::bigint, 'the scalar methods fit nothing and store no md5');

-- night 2 (the next month's first days: the series still ends in August) with no change: all taken over
CALL refresh_forecasts('2023-09-01');
SELECT is((SELECT count(*) FROM incr_fits WHERE as_of = '2023-09-01' AND fitted_as_of = '2023-08-31'), 8::bigint,
          'nothing changed: every model row is taken over from night 1');
SELECT is((SELECT count(*) FROM incr_fits n2 JOIN incr_fits n1 USING (unit, method)
           WHERE n2.as_of = '2023-09-01' AND n1.as_of = '2023-08-31'
             AND (n2.forecast, n2.lo, n2.hi) IS NOT DISTINCT FROM (n1.forecast, n1.lo, n1.hi)), 8::bigint,
          'with night 1''s forecast and interval');

-- each kind of change to one unit: only that unit is fitted again
INSERT INTO incr_gl VALUES ('2023-09-01', 1, '500 kr'), ('2023-06-15', 1, '777 kr');   -- 2: a late entry in closed June
UPDATE incr_gl SET amt = amt + '1 kr'::sek WHERE unit = 2 AND day = '2023-03-03';      -- an update in a closed month
DELETE FROM incr_gl WHERE unit = 3 AND day = '2021-11-11';                             -- a deletion years back
CALL refresh_forecasts('2023-09-02');
SELECT is((SELECT array_agg(DISTINCT unit ORDER BY unit) FROM incr_fits WHERE as_of = '2023-09-02' AND fitted_as_of = '2023-09-02'),
          '{1,2,3}', 'an insert, a late entry, an update and a delete are each picked up: units 1, 2 and 3 fitted again');
SELECT is((SELECT array_agg(DISTINCT unit ORDER BY unit) FROM incr_fits WHERE as_of = '2023-09-02' AND fitted_as_of = '2023-08-31'),
          '{4}', 'the unchanged unit 4 is taken over');
SELECT ok((SELECT n2.forecast <> n1.forecast FROM incr_fits n2 JOIN incr_fits n1 USING (unit, method)
           WHERE n2.as_of = '2023-09-02' AND n1.as_of = '2023-09-01' AND unit = 1 AND method = 'ets'),
          'unit 1''s late June entry moves its forecast');

-- what is taken over equals what a fresh fit gives
SELECT is((SELECT count(*) FROM incr_fits s
           WHERE as_of = '2023-09-02' AND unit = 4
             AND s.forecast = (SELECT (year_end(forecast_fit(date_trunc('month', day)::date, amt::float8, s.method), 2023)).point::sek
                               FROM incr_gl WHERE unit = 4 AND day BETWEEN '2018-09-01' AND '2023-08-31')),
          2::bigint, 'a taken-over forecast equals a fresh fit of the same series');

-- a new month in the series is a new input
INSERT INTO incr_gl SELECT d::date, u, '1000 kr' FROM generate_series(DATE '2023-09-02', DATE '2023-09-30', interval '1 day') d,
  generate_series(1, 4) u;
CALL refresh_forecasts('2023-09-30');
SELECT is((SELECT count(*) FROM incr_fits WHERE as_of = '2023-09-30' AND fitted_as_of = '2023-09-30'), 8::bigint,
          'as_of at a month''s end adds the month to the series: all fitted again');
-- the same series for another year's year_end is not the same input
SELECT isnt((SELECT input_md5 FROM incr_fits WHERE as_of = '2023-09-30' AND unit = 4 AND method = 'ets'),
            (SELECT input_md5 FROM incr_fits WHERE as_of = '2023-09-02' AND unit = 4 AND method = 'ets'),
            'the input differs when the series does');

-- a failed fit is not taken over: it is tried again
UPDATE forecast_snapshot SET error = 'x', forecast = NULL WHERE ledger = 'incr_gl'::regclass AND as_of = '2023-09-30'
  AND method = 'ets' AND key = '{"unit": 4}';
CALL refresh_forecasts('2023-09-30');
SELECT is((SELECT error FROM incr_fits f JOIN forecast_snapshot s ON s.ledger = 'incr_gl'::regclass AND s.as_of = f.as_of
           AND s.method = f.method AND (s.key ->> 'unit')::int = f.unit
           WHERE f.as_of = '2023-09-30' AND f.unit = 4 AND f.method = 'ets'), NULL, 'a failed row is refitted, not copied');
SELECT is((SELECT count(*) FROM incr_fits WHERE as_of = '2023-09-30' AND fitted_as_of = '2023-09-30'), 8::bigint,
          'rerun the same day: the rows of that day are their own fit (fitted_as_of unchanged)');

-- another extension version would refit: the version is part of the input
SELECT is((SELECT input_md5 FROM incr_fits WHERE as_of = '2023-09-30' AND unit = 4 AND method = 'comb'),
          (SELECT md5(format('%s|%s|%s|%s|%s', (SELECT extversion FROM pg_extension WHERE extname = 'actionplan'), 'comb', 2023,
                                array_agg(m ORDER BY m), array_agg(v ORDER BY m)))
           FROM (SELECT date_trunc('month', day)::date AS m, sek_ore(sum(amt))::float8 / 100 AS v
                 FROM incr_gl WHERE unit = 4 AND day BETWEEN '2018-10-01' AND '2023-09-30' GROUP BY 1) x),
          'input_md5 is the md5 of the version, the method, the year and the monthly series');

-- a night with nothing changed
SELECT lives_ok($$CALL refresh_forecasts('2023-10-01')$$, 'a refresh with nothing changed runs');
SELECT is((SELECT count(*) FROM incr_fits WHERE as_of = '2023-10-01' AND fitted_as_of = '2023-09-30'), 8::bigint,
          'and takes every fit over');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'incr_gl'::regclass AND as_of = '2023-10-01'), 16::bigint,
          'every key and method has its row for the night');

SELECT * FROM finish();
ROLLBACK;
