-- Issue 14, item 5: robust report functions.  Each way an input of the
-- reporting functions can fail either falls back per unit, saying so in note
-- (and the value used is the one of the method fallen back to, computed
-- directly), or is an error with its SQLSTATE whose message names the table,
-- unit or key and the offending value, and whose CONTEXT shows none of the
-- functions' own SQL.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(39);

-- a ledger and a budget for 2023, as_of 30 June
CREATE TABLE re_led (entry_date date, unit text, amount sek);
CREATE TABLE re_bud (unit text, valid_from date, amount sek);
INSERT INTO re_led
SELECT d::date, 'Jämn', '1 000 kr' FROM generate_series(DATE '2020-01-15', DATE '2023-06-15', interval '1 month') d;
-- 'Återbetalning': a refund in February 2022 larger than the year's costs
INSERT INTO re_led VALUES ('2022-01-10', 'Återbetalning', '100 kr'), ('2022-02-10', 'Återbetalning', '-500 kr'),
  ('2023-03-01', 'Återbetalning', '300 kr'),
  -- 'Ny': entries this year only, no history; no budget either
  ('2023-02-01', 'Ny', '10 kr'),
  -- a unit whose name has a quote and a newline, without history
  ('2023-02-01', E'Citat''s\nrad', '5 kr');
INSERT INTO re_bud VALUES ('Jämn', '2023-01-01', '12 000 kr'), ('Återbetalning', '2023-01-01', '1 200 kr'),
  ('Bara budget', '2023-01-01', '500 kr'), (E'Citat''s\nrad', '2023-01-01', '60 kr');

CREATE TEMP TABLE rep AS
SELECT * FROM follow_up_report('re_led', 're_bud', '2023-06-30', method => 'profile', key => 'history');
CREATE TEMP TABLE twelfths AS SELECT array_fill(1::float8, ARRAY[12]) AS p;

-- ---------- fallbacks, per unit, named in note ----------
SELECT is((SELECT note FROM rep WHERE unit = 'Återbetalning'), 'history month 1 against the total''s sign: twelfths used',
          'a history against its sign: twelfths, and note says why');
SELECT is((SELECT (period_budget::sek, forecast::sek) FROM rep WHERE unit = 'Återbetalning'),
          (SELECT (period_budget('1 200 kr', '2023-06-30', p), forecast_profile('300 kr', '2023-06-30', p)) FROM twelfths),
          'its period budget and forecast are those of twelfths, computed directly');
SELECT is((SELECT note FROM rep WHERE unit = 'Ny'), 'no budget for 2023; no history: twelfths used',
          'a unit without history and without a budget: note names both');
SELECT is((SELECT (budget, period_budget, deviation, forecast::sek) FROM rep WHERE unit = 'Ny'),
          (SELECT (NULL::numeric, NULL::numeric, NULL::numeric, forecast_profile('10 kr', '2023-06-30', p)) FROM twelfths),
          'a unit without a budget: no budget figures, its forecast by twelfths');
SELECT is((SELECT note FROM rep WHERE unit = E'Citat''s\nrad'), 'no history: twelfths used',
          'a unit without history says so (not that its history adds up to zero)');
SELECT is((SELECT (outcome, forecast, note) FROM rep WHERE unit = 'Bara budget'), (0.00::numeric, 0.00::numeric, NULL::text),
          'a unit with a budget and no outcome: outcome 0, no note');
SELECT is((SELECT note FROM rep WHERE unit = 'Jämn'), NULL, 'a unit whose history makes a profile: no note');
SELECT is((SELECT forecast::sek FROM rep WHERE unit = 'Jämn'),
          (SELECT forecast_profile('6 000 kr', '2023-06-30', month_profile(entry_date, amount)) FROM re_led
           WHERE unit = 'Jämn' AND entry_date BETWEEN '2020-01-01' AND '2022-12-31'),
          'and its forecast is by its month profile');
SELECT is((SELECT note FROM rep WHERE unit IS NULL), '3 unit(s) on twelfths; 1 unit(s) without a budget',
          'the total row counts the units on twelfths and those without a budget');

-- ---------- errors: SQLSTATE, and a message naming table, unit and value ----------
SELECT throws_ok($$SELECT * FROM follow_up_report(NULL, 're_bud', '2023-06-30')$$, '22004',
  'follow_up_report needs a ledger table and a budget table, not NULL (ledger_table is NULL)', 'a NULL ledger table is 22004');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', NULL, '2023-06-30')$$, '22004',
  'follow_up_report needs a ledger table and a budget table, not NULL (budget_table is NULL)', 'a NULL budget table is 22004');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', 'infinity')$$, '22008',
  'follow_up_report: as_of must be a finite date between 0001-01-01 and 9999-12-31, not infinity', 'an infinite as_of is 22008, named');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', NULL)$$, '22004',
  'follow_up_report: as_of needs a date, not NULL', 'a NULL as_of is 22004, named');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '0044-03-15 BC')$$, '22008',
  'follow_up_report: as_of must be a finite date between 0001-01-01 and 9999-12-31, not 0044-03-15 BC', 'an as_of before the year 1 is 22008');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '2031-03-31')$$, '22023',
  'as_of 2031-03-31 is outside every budget year of public.re_bud', 'an as_of outside the budget years is 22023');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '2023-06-30', 'ets')$$, '22023',
  'unknown follow-up forecast method "ets"', 'an unknown method is 22023, named');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '2023-06-30', 'runrate', 'months', 'upside')$$, '22023',
  'unknown sign convention "upside"', 'an unknown convention is 22023, named');
CREATE TEMP VIEW re_bud_renamed AS SELECT unit, valid_from AS starts, amount FROM re_bud;
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud_renamed', '2023-06-30')$$, '42703',
  'column "valid_from" does not exist in re_bud_renamed (the budget_table)', 'a table without a named column: 42703, table and column named');
CREATE TEMP VIEW re_led_numeric AS SELECT entry_date, unit, amount::numeric AS amount FROM re_led;
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led_numeric', 're_bud', '2023-06-30')$$, '42804',
  'column "amount" of re_led_numeric (the ledger_table) is numeric, not public.sek', 'a column of the wrong type: 42804, named');
CREATE ROLE ap_re_reader;
GRANT SELECT ON re_led TO ap_re_reader;
SET ROLE ap_re_reader;
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '2023-06-30')$$, '42501',
  'permission denied for column "unit" of public.re_bud (the budget_table)', 'a table the caller cannot read: 42501, named');
RESET ROLE;
-- rows without a unit would print as a second total row
INSERT INTO re_led VALUES ('2023-04-01', NULL, '7 kr');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '2023-06-30')$$, '22004',
  'follow_up_report over public.re_led and public.re_bud: rows without a unit (unit NULL): outcome 7.00, budget none',
  'ledger rows without a unit: 22004, with their outcome');
DELETE FROM re_led WHERE unit IS NULL;
-- an error of the C functions inside names the unit (quoted) and its figures
INSERT INTO re_led VALUES ('2023-01-01', E'Stor \'enhet\'', '900000000000000 kr');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led', 're_bud', '2023-01-01')$$, '22003',
  'follow_up_report over public.re_led and public.re_bud: unit ''Stor ''''enhet'''''': sek out of range in multiplication',
  'an amount out of range inside: 22003, the unit and its figures named');

-- the plan functions
SELECT throws_ok($$SELECT * FROM measure_progress('infinity')$$, '22008',
  'measure_progress: as_of must be a finite date between 0001-01-01 and 9999-12-31, not infinity', 'measure_progress: an infinite as_of is 22008, named');
SELECT throws_ok($$SELECT * FROM plan_totals(NULL, NULL)$$, '22004',
  'plan_totals: as_of needs a date, not NULL', 'plan_totals: as_of NULL is 22004, not silently nothing achieved');
SELECT throws_ok($$SELECT * FROM measures_behind_schedule(NULL)$$, '22004',
  'measures_behind_schedule: as_of needs a date, not NULL', 'measures_behind_schedule: as_of NULL is 22004');
SELECT throws_ok($$SELECT * FROM plan_check(-7)$$, '22023',
  'plan_check: there is no action plan -7', 'plan_check: an unknown plan is 22023, not an empty check');
SELECT throws_ok($$SELECT * FROM plan_totals(-7, '2025-09-30')$$, '22023',
  'plan_totals: there is no action plan -7', 'plan_totals: an unknown plan is 22023');

-- reading a registered ledger: the ledger named, also for an error of its own code
CREATE ROLE ap_re_owner;
GRANT INSERT, UPDATE ON forecast_ledger TO ap_re_owner;
GRANT INSERT, UPDATE ON forecast_snapshot TO ap_re_owner;
CREATE TABLE re_gl (day date, unit text, amt sek, n int);
INSERT INTO re_gl SELECT d::date, 'lång', '100 kr', 1 FROM generate_series(DATE '2020-01-01', DATE '2023-08-31', interval '1 month') d;
INSERT INTO re_gl VALUES ('2023-07-01', E'k\'ort\nrad', '5 kr', 1), ('2023-03-01', 'noll', '0 kr', 0);
CREATE VIEW re_gl_div AS SELECT day, unit, amt, 1 / n AS k FROM re_gl;
ALTER TABLE re_gl OWNER TO ap_re_owner;
ALTER VIEW re_gl_div OWNER TO ap_re_owner;
SET ROLE ap_re_owner;
SELECT throws_ok($$SELECT * FROM ledger_month_sums('re_gl', 'day', 'amt', '{enhet}', 'ap_re_owner', '2020-01-01', '2023-08-31')$$,
  '42703', 'column "enhet" of ledger re_gl does not exist', 'a key column that is gone: 42703, named');
SELECT throws_ok($$SELECT * FROM ledger_month_sums('re_gl_div', 'day', 'amt', '{k}', 'ap_re_owner', '2020-01-01', '2023-08-31')$$,
  '22012', 'ledger re_gl_div (read as "ap_re_owner"): division by zero', 'an error of the ledger''s own code names the ledger');
SELECT register_ledger('re_gl', 'day', 'amt', '{unit}');
SELECT register_ledger('re_gl_div', 'day', 'amt', '{k}');
SET client_min_messages = error;   -- the failing ledger's WARNING
CALL refresh_forecasts('2023-08-31');
SET client_min_messages = warning;
RESET ROLE;
SELECT is((SELECT last_error FROM forecast_ledger WHERE ledger = 're_gl_div'::regclass),
          'ledger re_gl_div (read as "ap_re_owner"): division by zero', 'refresh_forecasts: the failing ledger''s error names it');
SELECT is((SELECT array_agg(method || ': ' || coalesce(error, 'ok') ORDER BY method) FROM forecast_latest
           WHERE ledger = 're_gl'::regclass AND key = jsonb_build_object('unit', E'k\'ort\nrad')),
          ARRAY['comb: a forecast needs at least 6 observed months, the series has 1',
                'ets: a forecast needs at least 6 observed months, the series has 1', 'profile: ok', 'runrate: ok'],
          'a key with too short a series for the models: their rows say why, the other methods are written');
SELECT is((SELECT forecast::sek FROM forecast_latest
           WHERE ledger = 're_gl'::regclass AND key = jsonb_build_object('unit', E'k\'ort\nrad') AND method = 'runrate'),
          forecast_runrate('5 kr', '2023-08-31'), 'its run-rate forecast is forecast_runrate of its outcome');
SELECT throws_ok($$SELECT * FROM forecast_accuracy(0)$$, '22023', 'years 0 to 0 are outside 1..9999', 'forecast_accuracy: a year out of range is 22023, named');

-- ---------- no error shows the functions' own SQL as CONTEXT ----------
-- the CONTEXT of an error of q, without the lines of this function's own
-- EXECUTE, and its DETAIL
CREATE FUNCTION pg_temp.error_of(q text, OUT ctx text, OUT detail text) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  ctx := 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT, detail = PG_EXCEPTION_DETAIL;
  ctx := (SELECT coalesce(string_agg(l, E'\n'), '') FROM regexp_split_to_table(ctx, E'\n') l
          WHERE l NOT LIKE '%error_of(text)%' AND l <> format('SQL statement "%s"', q));
END $$;
CREATE TEMP TABLE failing (what text, q text);
INSERT INTO failing VALUES
  ('a NULL budget table', $$SELECT * FROM follow_up_report('re_led', NULL, '2023-06-30')$$),
  ('a budget table without valid_from', $$SELECT * FROM follow_up_report('re_led', 're_bud_renamed', '2023-06-30')$$),
  ('an amount out of range in a unit', $$SELECT * FROM follow_up_report('re_led', 're_bud', '2023-01-01')$$),
  ('a ledger whose unit cannot be compared with the budget''s',
   $$SELECT * FROM follow_up_report('re_led_intunit', 're_bud', '2023-06-30')$$),
  ('a plan function''s infinite as_of', $$SELECT * FROM measure_progress('infinity')$$),
  ('a ledger''s own code', $$SELECT * FROM ledger_month_sums('re_gl_div', 'day', 'amt', '{k}', 'ap_re_owner', '2020-01-01', '2023-08-31')$$);
CREATE TEMP VIEW re_led_intunit AS SELECT entry_date, length(unit) AS unit, amount FROM re_led;
CREATE TEMP TABLE contexts AS SELECT what, (pg_temp.error_of(q)).* FROM failing;
-- a ledger the reading role may not read: the error at the query's start
GRANT INSERT ON contexts TO ap_re_reader;
SET ROLE ap_re_reader;
SELECT throws_ok($$SELECT * FROM ledger_month_sums('re_gl', 'day', 'amt', '{unit}', 'ap_re_reader', '2020-01-01', '2023-08-31')$$,
  '42501', 'ledger re_gl (read as "ap_re_reader"): permission denied for table re_gl',
  'ledger_month_sums: a ledger the role may not read: 42501, ledger and role named');
INSERT INTO contexts SELECT 'a ledger the reading role may not read', (pg_temp.error_of(
  $$SELECT * FROM ledger_month_sums('re_gl', 'day', 'amt', '{unit}', 'ap_re_reader', '2020-01-01', '2023-08-31')$$)).*;
RESET ROLE;
SELECT is((SELECT count(*) FROM contexts WHERE ctx = 'no error'), 0::bigint, 'each of the failing calls fails');
SELECT is((SELECT array_agg(what ORDER BY what) FROM contexts WHERE ctx ~* '(SELECT|EXECUTE|FROM|QUERY)'), NULL,
          'no error''s CONTEXT contains SQL (SELECT, EXECUTE, FROM)');
SELECT is((SELECT detail FROM contexts WHERE what = 'an amount out of range in a unit'),
          'The unit''s budget is none and its outcome 900000000000000.00 (in the convention''s signs). As of 2023-01-01, method runrate, key months, convention ledger.',
          'the DETAIL of an error inside a unit gives its figures and the report''s arguments');
SELECT ok((SELECT ctx FROM contexts WHERE what = 'a ledger whose unit cannot be compared with the budget''s') <> '',
          'the CONTEXT is not empty: it names the function');
SELECT throws_ok($$SELECT * FROM follow_up_report('re_led_intunit', 're_bud', '2023-06-30')$$, '42804',
  'key column "unit" is integer in re_led_intunit but text in public.re_bud',
  'a key column of different types in the two tables is 42804, both named');

SELECT * FROM finish();
ROLLBACK;
