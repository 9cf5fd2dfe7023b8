-- Income support (ekonomiskt bistånd): income_support_months against plain
-- SQL; the follow-up of Åtgärdsplan 2024–2026's Åtgärd 6 (100 000 kr in
-- 2024) on a hand register whose measure lowers the kronor per household in
-- four months and the households in three, split by hand; the 'forecast'
-- counterfactual against forecast_fit/forecast called directly; the
-- year-end forecast against its formula computed in plain SQL from
-- year_end() and forecast() of the two factors' models; the correlation
-- against corr() of the 12-month log changes; and each bad input with its
-- SQLSTATE.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(47);

-- A hand register: 2023 every month households 1..100 at 5 000 kr (household
-- 1 in two payments, 3 000 + 2 000 kr, on two days).  2024: January–April
-- the checks of large decisions lower every household's amount to 4 750 kr;
-- June 95 households at 4 900 kr; November–December 90 households.
CREATE TABLE is_reg (hh integer, paid date, amount sek);
INSERT INTO is_reg
SELECT h, m::date + 4, CASE WHEN h = 1 THEN p.a - 2000 ELSE p.a END::text::sek
FROM generate_series(DATE '2023-01-01', DATE '2024-12-01', interval '1 month') m
CROSS JOIN LATERAL (SELECT CASE WHEN m BETWEEN '2024-01-01' AND '2024-04-01' THEN 4750
                                WHEN m = '2024-06-01' THEN 4900 ELSE 5000 END AS a,
                           CASE WHEN m = '2024-06-01' THEN 95 WHEN m >= '2024-11-01' THEN 90 ELSE 100 END AS n) p
CROSS JOIN generate_series(1, p.n) h;
INSERT INTO is_reg SELECT 1, m::date + 19, '2 000 kr' FROM generate_series(DATE '2023-01-01', DATE '2024-12-01', interval '1 month') m;

SELECT results_eq(
  $$SELECT month, households, total, per_household FROM income_support_months('is_reg', '2024-05-20', '2024-06-30', month_column => 'paid', household_column => 'hh')$$,
  $$VALUES (DATE '2024-05-01', 100::bigint, 500000::numeric, 5000.00), ('2024-06-01', 95, 465500, 4900.00)$$,
  'months: from_date counts from its month''s first day; household 1''s two payments are one household');
SELECT results_eq(
  $$SELECT month, households, total, per_household FROM income_support_months('is_reg', household_column => 'hh', month_column => 'paid')$$,
  $$SELECT date_trunc('month', paid)::date, count(DISTINCT hh), sum(amount::numeric), round(sum(amount::numeric) / count(DISTINCT hh), 2)
    FROM is_reg GROUP BY 1 ORDER BY 1$$,
  'months: households, total and kr per household as plain SQL, every month');

-- Åtgärd 6, 100 000 kr in 2024, against 2023 as the baseline
CREATE TEMP TABLE e6 AS
SELECT * FROM income_support_effect('is_reg', '2024-01-01', '2024-12-31', 100000, 'baseline',
                                    household_column => 'hh', month_column => 'paid');
SELECT results_eq($$SELECT saving, household_effect, amount_effect, expected, realisation FROM e6 WHERE month IS NULL$$,
  $$VALUES (234500.00, 125000.00, 109500.00, 100000.00, 234.5)$$,
  'Åtgärd 6 (100 000 kr in 2024): 234 500 kr saved = households 5 × 5 000 + 2 × 10 × 5 000, kr per household 4 × 100 × 250 + 95 × 100; 234,5 % of 100 000');
SELECT results_eq($$SELECT month, household_effect, amount_effect FROM e6 WHERE month IS NOT NULL AND (household_effect <> 0 OR amount_effect <> 0) ORDER BY month$$,
  $$VALUES (DATE '2024-01-01', 0.00, 25000.00), ('2024-02-01', 0.00, 25000.00), ('2024-03-01', 0.00, 25000.00), ('2024-04-01', 0.00, 25000.00),
           ('2024-06-01', 25000.00, 9500.00), ('2024-11-01', 50000.00, 0.00), ('2024-12-01', 50000.00, 0.00)$$,
  'by month: (100 − households) × 5 000 kr, and (5 000 − kr per household) × the households paid');
SELECT is((SELECT sum(expected) FROM e6 WHERE month IS NOT NULL), 100000.00,
          'the expected 100 000 kr spread over the twelve months adds up to 100 000 kr exactly');
SELECT results_eq($$SELECT cost, counterfactual_cost, households, counterfactual_households FROM e6 WHERE month IS NULL$$,
  $$SELECT sum(amount::numeric) FILTER (WHERE paid >= '2024-01-01'), 12 * 500000.00,
           round(count(DISTINCT (hh, date_trunc('month', paid))) FILTER (WHERE paid >= '2024-01-01') / 12.0, 1), 100.0
    FROM is_reg$$,
  'total row: the year''s cost from the register, 12 × 500 000 kr counterfactual, mean households');
SELECT is((SELECT count(*) FROM e6 WHERE saving <> household_effect + amount_effect), 0::bigint,
          'every row: saving = household effect + amount effect to the öre');
SELECT results_eq($$SELECT saving, amount_effect, expected, realisation
                    FROM income_support_effect('is_reg', '2024-01-01', '2024-04-30', 100000, 'baseline', 'comb', 'hh', 'paid', 'amount')
                    WHERE month IS NULL$$,
  $$VALUES (100000.00, 100000.00, 33333.33, 300.0)$$,
  'January–April: Åtgärd 6''s 100 000 kr by the kr per household alone, against a third of the year''s expectation');

-- the 'forecast' counterfactual: each factor forecast from before start
CREATE TABLE is_gen AS
SELECT h AS household, (DATE '2019-01-01' + make_interval(months => i))::date AS month,
       (5000 + 12 * i + (h * 37) % 500 + 300 * (extract(month FROM DATE '2019-01-01' + make_interval(months => i)) = 12)::int)::numeric AS amount
FROM generate_series(0, 55) i, generate_series(1, 100 + (i * 7) % 12 + i / 6) h;
SELECT results_eq(
  $$SELECT month, counterfactual_households, counterfactual_per_household, counterfactual_cost, household_effect
    FROM income_support_effect('is_gen', '2023-03-01', '2023-08-31', NULL, 'forecast', 'theta') WHERE month IS NOT NULL$$,
  $$WITH m AS (SELECT date_trunc('month', month)::date AS month, count(DISTINCT household) AS h, sum(amount) AS t FROM is_gen GROUP BY 1),
         f AS (SELECT forecast_fit(month, h::float8, 'theta') AS mh, forecast_fit(month, (t / h)::float8, 'theta') AS ma
               FROM m WHERE month < '2023-03-01')
    SELECT fh.period, round(fh.point::numeric, 1), round(fa.point::numeric, 2), round(fh.point::numeric * fa.point::numeric, 2),
           round((fh.point::numeric - m.h) * fa.point::numeric, 2)
    FROM f, forecast(f.mh, 6) fh JOIN forecast(f.ma, 6) fa USING (period) JOIN m ON m.month = fh.period ORDER BY 1$$,
  'forecast counterfactual: forecast_fit of each factor on the months before start, its points, household effect at the forecast kr');
SELECT is((SELECT expected FROM income_support_effect('is_gen', '2023-03-01', '2023-08-31') WHERE month IS NULL), NULL,
          'no expected effect: expected and realisation NULL');

-- the correlation: corr() of the 12-month changes of the logs
CREATE TEMP VIEW gm AS SELECT * FROM income_support_months('is_gen', until => '2023-08-31');
SELECT is((SELECT round(income_support_correlation(array_agg(month), array_agg(households::float8), array_agg(total::float8 / households))::numeric, 12) FROM gm),
          (SELECT round(corr(ln(a.households::float8) - ln(b.households::float8),
                             ln(a.total::float8 / a.households) - ln(b.total::float8 / b.households))::numeric, 12)
           FROM gm a JOIN gm b ON b.month = a.month - interval '12 months'),
          'correlation: corr() of the 12-month changes of ln households and ln kr per household');
SELECT is(income_support_correlation(ARRAY[DATE '2023-01-01', '2023-02-01', '2023-03-01', '2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01'],
                                     ARRAY[100, 110, 100, 120, 100, 90, 95]::float8[], ARRAY[5, 5.5, 5, 6, 5, 4.5, 4.75]::float8[]),
          1::float8, 'seven months: 1-month changes, here moving together exactly (correlation 1)');
SELECT is(income_support_correlation(ARRAY[DATE '2023-01-01', '2023-02-01'], ARRAY[1, 2]::float8[], ARRAY[1, 2]::float8[]),
          0::float8, 'too few months for an estimate: 0');

-- the year-end forecast against its formula in plain SQL
CREATE TEMP TABLE yf AS SELECT * FROM income_support_forecast('is_gen', '2023-08-31', 'ets');
CREATE TEMP TABLE yp AS
WITH f AS (SELECT forecast_fit(month, households::float8, 'ets') AS mh, forecast_fit(month, (total / households)::float8, 'ets') AS ma,
                  sum(total) FILTER (WHERE month >= '2023-01-01') AS so_far,
                  income_support_correlation(array_agg(month), array_agg(households::float8), array_agg(total::float8 / households)) AS rho
           FROM gm),
     p AS (SELECT sum(fh.point) AS hs, sum(fh.point * fa.point) AS cs FROM f, forecast(f.mh, 4) fh JOIN forecast(f.ma, 4) fa USING (period)),
     s AS (SELECT ln((yh.hi95 - yh.outcome) / (yh.lo95 - yh.outcome)) / 3.919927969080108 AS sh,
                  ln((ya.hi95 - ya.outcome) / (ya.lo95 - ya.outcome)) / 3.919927969080108 AS sa
           FROM f, year_end(f.mh) yh, year_end(f.ma) ya)
SELECT f.so_far, p.hs / 4 AS households, p.cs / p.hs AS per_household, p.cs AS remaining_cost,
       f.so_far + round((p.cs * exp(-1.959963984540054 * sqrt(s.sh ^ 2 + s.sa ^ 2 + 2 * f.rho * s.sh * s.sa)))::numeric, 2) AS lo95,
       f.so_far + round((p.cs * exp(1.959963984540054 * sqrt(s.sh ^ 2 + s.sa ^ 2 + 2 * f.rho * s.sh * s.sa)))::numeric, 2) AS hi95,
       round((p.hs / 4 * exp(1.959963984540054 * s.sh))::numeric, 1) AS households_hi95, f.rho
FROM f, p, s;
SELECT results_eq($$SELECT year, months, remaining, outcome, households, per_household, remaining_cost, forecast FROM yf$$,
  $$SELECT 2023, 8, 4, so_far, round(households::numeric, 1), round(per_household::numeric, 2), round(remaining_cost::numeric, 2),
           so_far + round(remaining_cost::numeric, 2) FROM yp$$,
  'year end: the outcome so far plus Σ households × kr per household over September–December');
SELECT results_eq($$SELECT lo95, hi95, households_hi95, correlation FROM yf$$,
  $$SELECT lo95, hi95, households_hi95, round(rho::numeric, 4) FROM yp$$,
  'year end: the log-normal interval sqrt(sH² + sA² + 2ρ sH sA) from each model''s interval of the rest of the year');
SELECT ok((SELECT lo95 < forecast AND forecast < hi95 AND households_lo95 <= households AND per_household_lo95 <= per_household AND households <= households_hi95 FROM yf),
          'the intervals contain their points');
SELECT is((SELECT outcome FROM yf), (SELECT sum(amount) FROM is_gen WHERE month BETWEEN '2023-01-01' AND '2023-08-31'),
          'outcome: the register''s payments January–August');
SELECT results_eq($$SELECT remaining, forecast, lo95, hi95 FROM income_support_forecast('is_gen', '2022-12-31')$$,
  $$SELECT 0, sum(amount), sum(amount), sum(amount) FROM is_gen WHERE month BETWEEN '2022-01-01' AND '2022-12-31'$$,
  'December: the year is known, the interval is the outcome');
SELECT ok((SELECT models FROM yf) ~ '^ETS\(.*\) × ETS\(', 'models names both factors'' models');

-- bad input
SELECT throws_ok($$SELECT * FROM income_support_months(NULL)$$, '22004', 'income_support_months needs a register table, not NULL', 'NULL table: 22004');
SELECT throws_ok($$SELECT * FROM income_support_months('is_reg', household_column => NULL)$$, '22004', NULL, 'NULL column name: 22004');
SELECT throws_ok($$SELECT * FROM income_support_months('is_reg')$$, '42703',
                 'income_support_months: column "household" does not exist in public.is_reg (the household_column)', 'missing column: 42703 naming it');
CREATE TABLE is_text (household int, month text, amount numeric);
SELECT throws_ok($$SELECT * FROM income_support_months('is_text')$$, '42804',
                 'income_support_months: column "month" of public.is_text (the month_column) is text, not date', 'a text month: 42804');
CREATE TABLE is_null (household int, month date, amount numeric);
INSERT INTO is_null VALUES (1, '2023-01-05', 10), (NULL, '2023-01-06', 20);
SELECT throws_ok($$SELECT * FROM income_support_months('is_null')$$, '22004',
                 'income_support_months: a payment in public.is_null has a NULL household (household NULL, month 2023-01-06, amount 20)', 'a NULL household: 22004 naming the payment');
SELECT throws_ok($$SELECT * FROM income_support_months('is_gen', '2023-02-01', '2023-01-31')$$, '22023', NULL, 'from_date after until: 22023');
SELECT throws_ok($$SELECT * FROM income_support_months('is_gen', '-infinity', '2023-01-31')$$, '22008', NULL, 'an infinite bound: 22008');
CREATE ROLE is_nobody NOLOGIN;
SET LOCAL ROLE is_nobody;
SELECT throws_ok($$SELECT * FROM income_support_months('is_gen')$$, '42501',
                 'income_support_months: permission denied for column "household" of public.is_gen (the household_column)', 'no SELECT privilege: 42501');
RESET ROLE;
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_gen', '2023-08-30')$$, '22023',
                 'income_support_forecast: as_of must be the last day of a month, not 2023-08-30', 'as_of not a month end: 22023');
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_gen', '2023-09-30')$$, '22023',
                 'income_support_forecast: public.is_gen has no payments in the month of as_of 2023-09-30', 'as_of after the register: 22023');
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_gen', '2019-04-30')$$, '22023', NULL, 'four months: too few for a forecast, 22023');
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_gen', '2023-08-31', 'guess')$$, '22023', NULL, 'an unknown method: 22023');
INSERT INTO is_null VALUES (1, '2023-02-05', -10);
DELETE FROM is_null WHERE household IS NULL;
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_null', '2023-02-28')$$, '22023',
                 'income_support_forecast: public.is_null pays -10 kr in total in 2023-02', 'a month with a negative total: 22023');
SELECT throws_ok($$SELECT income_support_correlation(ARRAY[DATE '2023-01-01'], ARRAY[1, 2]::float8[], ARRAY[1]::float8[])$$, '22023', NULL,
                 'correlation: arrays of different lengths, 22023');
SELECT throws_ok($$SELECT income_support_correlation(ARRAY[DATE '2023-01-01'], ARRAY[0]::float8[], ARRAY[1]::float8[])$$, '22023', NULL,
                 'correlation: zero households, 22023');
SELECT throws_ok($$SELECT * FROM income_support_year_end(0, (SELECT forecast_fit(month, households::float8, 'theta') FROM gm),
                                                         (SELECT forecast_fit(month, total::float8, 'theta') FROM gm), 1.5)$$, '22023',
                 'income_support_year_end: factor_correlation 1.5 is outside -1 .. 1', 'correlation 1,5: 22023');
SELECT throws_ok($$SELECT * FROM income_support_year_end(0, NULL, NULL)$$, '22004', NULL, 'a NULL model: 22004');
SELECT throws_ok($$SELECT * FROM income_support_year_end(0, (SELECT forecast_fit(month, households::float8, 'theta') FROM gm),
                                                         (SELECT forecast_fit(month, total::float8, 'theta') FROM gm WHERE month < '2023-08-01'))$$,
                 '22023', NULL, 'models ending in different months: 22023');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-02', '2023-08-31')$$, '22023',
                 'income_support_effect: start must be the first day of a month, not 2023-03-02', 'start not the first of a month: 22023');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-01', '2023-02-28')$$, '22023', NULL, 'as_of before start: 22023');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-01', NULL)$$, '22004',
                 'income_support_effect: as_of needs a date, not NULL', 'income_support_effect: a NULL as_of is 22004');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-01', 'infinity')$$, '22008',
                 'income_support_effect: as_of must be a finite date between 0001-01-01 and 9999-12-31, not infinity',
                 'income_support_effect: an infinite as_of is 22008');
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_gen', NULL)$$, '22004',
                 'income_support_forecast: as_of needs a date, not NULL', 'income_support_forecast: a NULL as_of is 22004');
SELECT throws_ok($$SELECT * FROM income_support_forecast('is_gen', '-infinity')$$, '22008',
                 'income_support_forecast: as_of must be a finite date between 0001-01-01 and 9999-12-31, not -infinity',
                 'income_support_forecast: an infinite as_of is 22008');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-01', '2023-08-31', -100000)$$, '22023', NULL,
                 'a negative expected saving: 22023');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-01', '2023-08-31', 100000, 'guess')$$, '22023',
                 'income_support_effect: unknown counterfactual "guess"', 'an unknown counterfactual: 22023');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2019-06-01', '2019-08-31', 100000, 'baseline')$$, '22023',
                 'income_support_effect: public.is_gen has no payments (or a total that is not positive) in 2018-06', 'a baseline month missing: 22023 naming it');
SELECT throws_ok($$SELECT * FROM income_support_effect('is_gen', '2023-03-01', '2023-08-31', 100000, 'forecast', NULL)$$, '22004', NULL,
                 'a NULL method: 22004');

SELECT * FROM finish();
ROLLBACK;
