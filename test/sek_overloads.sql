-- At the psql prompt without casts: forecast_fit, ets_fit and its_effect
-- over a sek column give exactly what their float8 forms give on
-- amount::float8 (serial and in forced-parallel plans); sek_format of
-- numeric, bigint, integer and text equals sek_format of the sek; round(sek)
-- and round(sek, unit) against numeric arithmetic.
\set QUIET on
SET client_min_messages = warning;
-- made before the transaction: parallel workers cannot read a temp table
DROP TABLE IF EXISTS sek_ledger;
CREATE TABLE sek_ledger AS
SELECT g, (date '2017-01-01' + make_interval(months => t))::date + k AS d,
       sek(round((4000 + 37.13 * g + 250 * (t % 12) + 3.7 * t + 11.01 * k + (g * t * 7919 % 1000) / 10.0)::numeric, 2)) AS amount
FROM generate_series(1, 12) AS g, generate_series(0, 47) AS t, generate_series(0, 2) AS k;
-- whole kronor for the parallel plans: their monthly float8 sums are exact
-- in any order of the rows, so parallel and serial results must be equal
ALTER TABLE sek_ledger ADD COLUMN kr sek;
UPDATE sek_ledger SET kr = round(amount);
ANALYZE sek_ledger;

BEGIN;
SELECT plan(24);

SELECT is((SELECT count(*) FROM (SELECT g, ets_fit(d, amount)::text AS a, ets_fit(d, amount::float8)::text AS b
                                 FROM sek_ledger GROUP BY g) x WHERE a IS DISTINCT FROM b), 0::bigint,
          'ets_fit(date, sek) equals ets_fit(date, amount::float8) for each of 12 series');
SELECT is((SELECT count(*) FROM (SELECT g, m, forecast_fit(d, amount, m)::text AS a, forecast_fit(d, amount::float8, m)::text AS b
                                 FROM sek_ledger, unnest(ARRAY['theta', 'damped', 'comb', 'ets(A,Ad,A)']) m
                                 WHERE g <= 4 GROUP BY g, m) x WHERE a IS DISTINCT FROM b), 0::bigint,
          'forecast_fit(date, sek, method) equals the float8 form for theta, damped, comb and ets(A,Ad,A)');
SELECT is((SELECT count(*) FROM (SELECT g, its_effect(d, amount, date '2019-03-01')::text AS a,
                                        its_effect(d, amount::float8, date '2019-03-01')::text AS b
                                 FROM sek_ledger GROUP BY g) x WHERE a IS DISTINCT FROM b), 0::bigint,
          'its_effect(date, sek, date) equals the float8 form for each of 12 series');
SELECT isnt((SELECT forecast_fit(d, amount, 'theta')::text FROM sek_ledger WHERE g = 1),
            (SELECT forecast_fit(d, amount, 'theta')::text FROM sek_ledger WHERE g = 2),
            'the comparison can fail: two series give two models');
SELECT is((SELECT (year_end(forecast_fit(d, amount, 'comb'))).outcome FROM sek_ledger WHERE g = 3 AND d < '2020-06-01'),
          (SELECT sum(amount)::float8 FROM sek_ledger WHERE g = 3 AND d >= '2020-01-01' AND d < '2020-06-01'),
          'year_end of forecast_fit(entry_date, amount, ''comb''): the outcome is the year''s sum in kronor');
SELECT is((SELECT ets_fit(d, amount)::text FROM sek_ledger WHERE amount IS NULL), NULL, 'ets_fit over no values is NULL');

-- forced parallel plans equal serial results
\ir lib/parallel.psql
CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('ets_fit(date, sek)', $$SELECT g, ets_fit(d, kr)::text FROM sek_ledger WHERE g <= 3 GROUP BY g$$),
  ('forecast_fit(date, sek, comb), one group', $$SELECT forecast_fit(d, kr, 'comb')::text FROM sek_ledger$$),
  ('its_effect(date, sek, date)', $$SELECT g, its_effect(d, kr, date '2019-03-01')::text FROM sek_ledger GROUP BY g$$);
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;
\ir lib/check_parallel.psql
RESET max_parallel_workers_per_gather;

-- sek_format of kronor as numeric, bigint, integer and text
SELECT is(sek_format(-81500000, 'mnkr'), '-81,5 mnkr', 'sek_format(-81500000, ''mnkr'') (integer)');
SELECT is((SELECT count(*) FROM unnest(ARRAY[0, 1, -1, 499, 500, 1500, -1500, 81549999, -81550000, 2147483647]) v,
                                unnest(ARRAY['auto', 'kr', 'tkr', 'mnkr', 'mdkr']) u, unnest(ARRAY[NULL, 0, 1, 3]) dec
           WHERE sek_format(v, u, dec) IS DISTINCT FROM sek_format(v::sek, u, dec)
              OR sek_format(v::bigint * 1000, u, dec) IS DISTINCT FROM sek_format(v::bigint::sek * 1000, u, dec)
              OR sek_format(v / 100.0, u, dec) IS DISTINCT FROM sek_format((v / 100.0)::sek, u, dec)
              OR sek_format(v::text || ' kr', u, dec, '.') IS DISTINCT FROM sek_format(v::sek, u, dec, '.')), 0::bigint,
          'sek_format of integer, bigint, numeric and text equals sek_format of the same sek (10 values × 5 units × 4 decimals)');
SELECT is(sek_format(1234.565, 'kr', 2), sek_format('1 234,57'::sek, 'kr', 2),
          'numeric with more than two decimals is rounded to the öre first (halves away from zero)');
SELECT is(sek_format('2 300 kr', 'tkr', 1), '2,3 tkr', 'an untyped literal is read as an amount text');

-- round(sek) and round(sek, unit) against numeric rounding (halves away from zero)
CREATE TEMP TABLE amounts AS
SELECT v FROM unnest(ARRAY['0', '0,49', '0,50', '-0,50', '-0,49', '2 300,50', '-2 300,50', '1 499,99', '1 500', '-1 500',
                           '81 549 999,99', '-81 550 000', '499 999,99', '500 000', '-500 000',
                           '92 233 720 368 547 758,07', '-92 233 720 368 547 758,07']::sek[]) v;
SELECT is((SELECT count(*) FROM amounts WHERE round(v)::numeric <> round(v::numeric) OR round(v, 'kr') <> round(v)),
          0::bigint, 'round(sek) and round(sek, ''kr'') equal numeric round(x) on 17 amounts up to the limits');
SELECT is((SELECT count(*) FROM amounts WHERE abs(v::numeric) < 9e16
             AND (round(v, 'tkr')::numeric <> round(v::numeric, -3) OR round(v, 'mnkr')::numeric <> round(v::numeric, -6)
                  OR round(v, 'mkr') <> round(v, 'mnkr'))),
          0::bigint, 'round(sek, tkr | mnkr | mkr) equals numeric round(x, -3 | -6) on 15 amounts');
SELECT is(round('-81 549 999 kr'::sek, 'mnkr'), '-82 mnkr'::sek, 'round(''-81 549 999 kr'', ''mnkr'') = -82 mnkr');
SELECT is(round('1 499,99 kr'::sek, 'TKR'), '1 tkr'::sek, 'units are case-insensitive');
SELECT is(round('2 500 mnkr'::sek, 'mdkr'), '3 mdkr'::sek, 'round to billions');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE sek_ledger;
