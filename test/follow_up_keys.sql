-- follow_up_report over any key columns and column names (Delårsrapport 2
-- 2023 §4.2 follows up by activity code and by account group): the same
-- figures as a view that renames the columns, subtotals that are the sums
-- of their keys, the same period last year against plain SQL, and each bad
-- argument with its SQLSTATE.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(19);

-- a ledger with its own column names: two units, three account groups
CREATE TABLE fk_gl (booked date, enhet text, konto text, belopp sek, note text);
INSERT INTO fk_gl
SELECT d::date, e, k, ((1000 + extract(doy FROM d)::int % 97 * 13 + length(e) * 7 + length(k) * 31)::text || ' kr')::sek, 'x'
FROM generate_series(DATE '2020-01-01', DATE '2023-08-31', interval '3 days') d,
     unnest(ARRAY['Nord', 'Syd']) e, unnest(ARRAY['Personal', 'Lokaler', 'Köp']) k;
CREATE TABLE fk_bud (enhet text, konto text, beslutad date, belopp sek);
INSERT INTO fk_bud
SELECT e, k, DATE '2023-01-01', ((300000 + length(e) * 10000 + length(k) * 20000)::text || ' kr')::sek
FROM unnest(ARRAY['Nord', 'Syd']) e, unnest(ARRAY['Personal', 'Lokaler', 'Köp']) k;
INSERT INTO fk_bud VALUES ('Nord', 'Köp', '2023-05-01', '-5 000 kr');
-- the same data as the default column names, one key
CREATE VIEW fk_gl_unit AS SELECT booked AS entry_date, enhet AS unit, belopp AS amount FROM fk_gl;
CREATE VIEW fk_bud_unit AS SELECT enhet AS unit, beslutad AS valid_from, belopp AS amount FROM fk_bud;

SELECT results_eq(
  $$SELECT unit, prev_year_outcome, budget, period_budget, outcome, deviation, consumption, forecast, forecast_deviation, deviation_pct, note
    FROM follow_up_report('fk_gl', 'fk_bud', '2023-06-30', 'profile', 'history', 'report', keys => '{enhet}', date_column => 'booked',
                          amount_column => 'belopp', budget_date_column => 'beslutad', budget_amount_column => 'belopp')$$,
  $$SELECT unit, prev_year_outcome, budget, period_budget, outcome, deviation, consumption, forecast, forecast_deviation, deviation_pct, note
    FROM follow_up_report('fk_gl_unit', 'fk_bud_unit', '2023-06-30', 'profile', 'history', 'report')$$,
  'named key and columns give what a renaming view gives');
SELECT results_eq(
  $$SELECT unit, key_values, level FROM follow_up_report('fk_gl_unit', 'fk_bud_unit', '2023-06-30')$$,
  $$VALUES ('Nord', '{"unit": "Nord"}'::jsonb, 0), ('Syd', '{"unit": "Syd"}', 0), (NULL, NULL, 1)$$,
  'one key: each key''s values as jsonb, level 0, the total level 1 and last');

-- two keys with subtotals
CREATE TEMP TABLE fk_two AS
SELECT row_number() OVER () AS ord, *
FROM follow_up_report('fk_gl', 'fk_bud', '2023-06-30', keys => '{enhet,konto}', date_column => 'booked', amount_column => 'belopp',
                      budget_date_column => 'beslutad', budget_amount_column => 'belopp', subtotals => true);
SELECT results_eq($$SELECT unit, level FROM fk_two ORDER BY ord$$,
  $$VALUES ('Nord / Köp', 0), ('Nord / Lokaler', 0), ('Nord / Personal', 0), ('Nord', 1),
           ('Syd / Köp', 0), ('Syd / Lokaler', 0), ('Syd / Personal', 0), ('Syd', 1), (NULL, 2)$$,
  'two keys with subtotals: the keys, each unit''s subtotal after them, the total last');
SELECT is((SELECT count(*) FROM fk_two s
           WHERE s.level = 1 AND ROW(s.budget, s.period_budget, s.outcome, s.forecast, s.prev_year_outcome, s.prev_period_outcome)
                 IS DISTINCT FROM (SELECT ROW(sum(budget), sum(period_budget), sum(outcome), sum(forecast), sum(prev_year_outcome), sum(prev_period_outcome))
                                   FROM fk_two l WHERE l.level = 0 AND l.key_values ->> 'enhet' = s.key_values ->> 'enhet')), 0::bigint,
          'each subtotal is the sum of its keys'' rows');
SELECT is((SELECT (budget, period_budget, outcome, forecast) FROM fk_two WHERE level = 2),
          (SELECT (sum(budget), sum(period_budget), sum(outcome), sum(forecast)) FROM fk_two WHERE level = 0),
          'the total is the sum of all keys'' rows');
SELECT is((SELECT key_values FROM fk_two WHERE unit = 'Syd'), '{"enhet": "Syd"}'::jsonb, 'a subtotal''s key_values hold its prefix only');
SELECT is((SELECT deviation FROM fk_two WHERE unit = 'Nord'),
          (SELECT period_budget - outcome FROM fk_two WHERE unit = 'Nord'), 'a subtotal''s deviation from its summed parts');
SELECT is((SELECT count(*) FROM follow_up_report('fk_gl', 'fk_bud', '2023-06-30', keys => '{enhet,konto}', date_column => 'booked',
                                                 amount_column => 'belopp', budget_date_column => 'beslutad', budget_amount_column => 'belopp')),
          7::bigint, 'without subtotals: six keys and the total');
SELECT results_eq(
  $$SELECT unit, prev_period_outcome FROM fk_two WHERE level = 0 ORDER BY ord$$,
  $$SELECT enhet || ' / ' || konto, sum(belopp)::numeric FROM fk_gl WHERE booked BETWEEN '2022-01-01' AND '2022-06-30'
    GROUP BY enhet, konto ORDER BY enhet, konto$$,
  'prev_period_outcome: the same months of last year, as plain SQL sums them');
INSERT INTO fk_bud VALUES ('Nord', 'Köp', '2024-01-01', '400 000 kr');
SELECT is((SELECT prev_period_outcome FROM follow_up_report('fk_gl_unit', 'fk_bud_unit', '2024-02-29') WHERE unit IS NULL),
          (SELECT sum(belopp)::numeric FROM fk_gl WHERE booked BETWEEN '2023-01-01' AND '2023-02-28'),
          'as_of 29 February: the same period last year ends 28 February');

-- bad arguments
SELECT throws_ok($$SELECT * FROM follow_up_report('fk_gl_unit', 'fk_bud_unit', '2023-06-30', keys => '{}')$$, '22023',
                 'keys must name 1 to 8 distinct columns, not {}', 'no key is 22023');
SELECT throws_ok($$SELECT * FROM follow_up_report('fk_gl_unit', 'fk_bud_unit', '2023-06-30', keys => '{unit,unit}')$$, '22023',
                 'keys must name 1 to 8 distinct columns, not {unit,unit}', 'a key named twice is 22023');
SELECT throws_ok($$SELECT * FROM follow_up_report('fk_gl', 'fk_bud', '2023-06-30', keys => '{enhet,account}', date_column => 'booked',
                                                 amount_column => 'belopp', budget_date_column => 'beslutad', budget_amount_column => 'belopp')$$,
                 '42703', 'column "account" does not exist in public.fk_gl (the ledger_table)', 'a key column the ledger lacks is 42703, named');
SELECT throws_ok($$SELECT * FROM follow_up_report('fk_gl', 'fk_bud', '2023-06-30', keys => '{enhet}', date_column => 'note',
                                                 amount_column => 'belopp', budget_date_column => 'beslutad', budget_amount_column => 'belopp')$$,
                 '42804', 'column "note" of public.fk_gl (the ledger_table) is text, not date', 'a date column of another type is 42804');
SELECT throws_ok($$SELECT * FROM follow_up_report('fk_gl_unit', 'fk_bud_unit', '2023-06-30', subtotals => NULL)$$, '22004',
                 'subtotals must be true or false, not NULL', 'subtotals NULL is 22004');
INSERT INTO fk_gl VALUES ('2023-03-01', 'Nord', NULL, '10 kr', 'x');
SELECT throws_ok($$SELECT * FROM follow_up_report('fk_gl', 'fk_bud', '2023-06-30', keys => '{enhet,konto}', date_column => 'booked',
                                                 amount_column => 'belopp', budget_date_column => 'beslutad', budget_amount_column => 'belopp')$$,
                 '22004', NULL, 'a row with one key column NULL is 22004 (it would print as a subtotal)');

-- the sign the report functions share
SELECT is(ARRAY[convention_sign('ledger'), convention_sign('Report')], ARRAY[1, -1], 'convention_sign: ledger 1, report -1, any case');
SELECT throws_ok($$SELECT convention_sign('upside')$$, '22023', 'unknown sign convention "upside"', 'convention_sign of another name is 22023');
SELECT throws_ok($$SELECT convention_sign(NULL)$$, '22004', 'sign convention is NULL', 'convention_sign(NULL) is 22004');

SELECT * FROM finish();
ROLLBACK;
