-- Staffing: fte_cost against hand arithmetic and the figures of
-- Delårsrapport 2 2023 (nine FTE, "drygt 5 mnkr") and Handlingsplan ekonomi
-- 2025 (two consultants, "ca 2,6 mkr"); staffing_follow_up against a hand
-- example and against plain SQL over generated staff, its total row the sum
-- of its units, the report sign convention, and each bad input with its
-- SQLSTATE and a message that names the unit, month and value without the
-- function's own SQL as CONTEXT.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(28);

-- fte_cost
SELECT is(fte_cost(9, '34 000 kr', 40), 5140800.00,
          'nine FTE at 34 000 kr a month with 40 % on-costs: 5 140 800 kr a year ("drygt 5 mnkr")');
SELECT is(fte_cost(2, '130 000 kr', 0, 10), 2600000.00, 'two consultants at 130 000 kr a month for ten months: 2,6 mnkr');
SELECT is(fte_cost(0.5, '41 234,57 kr', 31.42, 7), round(0.5 * 41234.57 * 1.3142 * 7, 2), 'a part-time FTE for seven months, to the öre');
SELECT is(fte_cost(NULL, '1 kr'), NULL, 'NULL in, NULL out');
SELECT throws_ok($$SELECT fte_cost(-1, '34 000 kr')$$, '22023', 'fte -1 is outside 0 .. 1 000 000', 'a negative FTE is 22023');
SELECT throws_ok($$SELECT fte_cost(1, '-34 000 kr')$$, '22023', 'monthly cost -34000.00 is negative', 'a negative monthly cost is 22023');
SELECT throws_ok($$SELECT fte_cost(1, '34 000 kr', 1001)$$, '22023', 'on-cost percentage 1001 is outside 0 .. 1 000', 'on-costs over 1 000 % are 22023');
SELECT throws_ok($$SELECT fte_cost(1, '34 000 kr', 0, 1201)$$, '22023', 'months 1201 is outside 0 .. 1 200', 'more than 1 200 months is 22023');

-- a hand example: unit A with 10 and 12 employed FTE in January and
-- February, a consultant (1 FTE) and overtime in February; unit B with 2
-- hourly FTE in January only; last year's January for A
CREATE TABLE st_staff (unit text, month date, kind text, fte numeric, cost sek);
INSERT INTO st_staff VALUES
  ('A', '2023-01-01', 'employed', 10, '500 000 kr'), ('A', '2023-02-01', 'employed', 12, '600 000 kr'),
  ('A', '2023-02-01', 'consultant', 1, '130 000 kr'), ('A', '2023-02-01', 'overtime', NULL, '10 000 kr'),
  ('A', '2022-01-01', 'employed', 9, '400 000 kr'), ('A', '2022-03-01', 'employed', 9, '400 000 kr'),
  ('B', '2023-01-01', 'hourly', 2, '50 000 kr');
CREATE TABLE st_budget (unit text, valid_from date, fte numeric, cost sek);
INSERT INTO st_budget VALUES ('A', '2023-01-01', 11, '7 000 000 kr'), ('B', '2023-01-01', 1, '500 000 kr'),
  ('A', '2022-01-01', 99, '1 kr');
SELECT results_eq(
  $$SELECT unit, budget_fte, fte, fte_deviation, employed_fte, hourly_fte, consultant_fte, consultant_share
    FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28')$$,
  $$VALUES ('A', 11.00, 11.50, -0.50, 11.00, NULL, 0.50, 4.35), ('B', 1.00, 1.00, 0.00, NULL, 1.00, NULL, NULL),
           (NULL, 12.00, 12.50, -0.50, 11.00, 1.00, 0.50, 4.00)$$,
  'FTE: the average of January and February (A: (10 + 12 + 1) / 2), the deviation budget − actual, the consultants'' share 1 / 23');
SELECT results_eq(
  $$SELECT unit, budget, period_budget, cost, deviation, forecast, prev_year_cost, consultant_cost, overtime_cost, cost_per_fte
    FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28')$$,
  $$VALUES ('A', 7000000.00, 1166666.67, 1240000.00, -73333.33, 7440000.00, 400000.00, 130000.00, 10000.00, 600000.00),
           ('B', 500000.00, 83333.33, 50000.00, 33333.33, 300000.00, NULL, NULL, NULL, 300000.00),
           (NULL, 7500000.00, 1250000.00, 1290000.00, -40000.00, 7740000.00, 400000.00, 130000.00, 10000.00, 575000.00)$$,
  'cost: two twelfths of the budget, all kinds'' cost, run-rate, last year''s January and February only, cost per employed FTE a year (A: 1 100 000 / 22 × 12)');
SELECT results_eq(
  $$SELECT unit, cost, deviation, prev_year_cost FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28', 'report')$$,
  $$VALUES ('A', -1240000.00, -73333.33, -400000.00), ('B', -50000.00, 33333.33, NULL), (NULL, -1290000.00, -40000.00, -400000.00)$$,
  'report signs: costs negative, the deviation unchanged (positive = under budget)');

-- generated staff against plain SQL, and a total row that adds up
CREATE TABLE st_gen (unit text, month date, kind text, fte numeric, cost sek);
INSERT INTO st_gen
SELECT 'u' || u, m::date, k, CASE WHEN k IN ('overtime', 'sick_pay') THEN NULL ELSE round((1 + (u * 7 + extract(month FROM m)::int * 3) % 11 / 3.0)::numeric, 2) END,
       ((10000 + (u * 7919 + extract(month FROM m)::int * 104729 + length(k) * 613) % 90000)::text || ',37 kr')::sek
FROM generate_series(1, 7) u, generate_series(DATE '2022-01-01', DATE '2023-06-01', interval '1 month') m,
     unnest(ARRAY['employed', 'temporary', 'hourly', 'consultant', 'overtime', 'sick_pay']) k
WHERE (u + extract(month FROM m)::int + length(k)) % 5 <> 0;
CREATE TABLE st_gen_budget (unit text, valid_from date, fte numeric, cost sek);
INSERT INTO st_gen_budget SELECT 'u' || u, '2023-01-01', 5 + u, ((u * 1234567)::text || ' kr')::sek FROM generate_series(1, 7) u;
CREATE TEMP TABLE st_r AS SELECT * FROM staffing_follow_up('st_gen', 'st_gen_budget', '2023-06-30');
SELECT results_eq(
  $$SELECT unit, fte, cost, prev_year_cost, consultant_cost FROM st_r WHERE unit IS NOT NULL ORDER BY unit$$,
  $$SELECT unit, round(sum(fte) FILTER (WHERE month >= '2023-01-01' AND kind <> ALL ('{overtime,sick_pay}')) / 6, 2),
           sum(cost) FILTER (WHERE month >= '2023-01-01')::numeric,
           sum(cost) FILTER (WHERE month < '2022-07-01')::numeric,
           sum(cost) FILTER (WHERE month >= '2023-01-01' AND kind = 'consultant')::numeric
    FROM st_gen GROUP BY unit ORDER BY unit$$,
  'generated staff: each unit''s FTE, cost, last year''s same period and consultants'' cost as plain SQL computes them');
SELECT is((SELECT array[sum(budget_fte), sum(fte), sum(fte_deviation), sum(cost), sum(period_budget), sum(deviation), sum(forecast),
                        sum(overtime_cost), sum(sick_pay_cost)] FROM st_r WHERE unit IS NOT NULL),
          (SELECT array[budget_fte, fte, fte_deviation, cost, period_budget, deviation, forecast, overtime_cost, sick_pay_cost]
           FROM st_r WHERE unit IS NULL),
          'the total row is the sum of the units in every additive column');
SELECT is((SELECT cost_per_fte FROM st_r WHERE unit IS NULL),
          (SELECT round(sum(cost::numeric) / sum(fte) * 12, 2) FROM st_gen
           WHERE month >= '2023-01-01' AND kind IN ('employed', 'temporary', 'hourly')),
          'the total''s cost per FTE is the employed''s cost ÷ their FTE-months × 12');

-- bad input: SQLSTATE, the unit, month and value named
INSERT INTO st_staff VALUES ('C', '2023-01-01', 'Bogus', 1, '1 kr');
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28')$$, '22023',
                 'staffing_follow_up over public.st_staff and public.st_budget: unit C, month 2023-01-01: unknown staff kind ''Bogus''',
                 'an unknown kind is 22023 naming the unit, month and kind');
UPDATE st_staff SET kind = 'employed', fte = -2 WHERE unit = 'C';
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28')$$, '22023',
                 'staffing_follow_up over public.st_staff and public.st_budget: unit C, month 2023-01-01, kind employed: fte -2 is outside 0 .. 1 000 000',
                 'a negative FTE is 22023 naming the unit, month and value');
DELETE FROM st_staff WHERE unit = 'C';
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28', 'upside down')$$, '22023',
                 'unknown sign convention "upside down"', 'an unknown convention is 22023');
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', NULL)$$, '22004',
                 'staffing_follow_up: as_of needs a date, not NULL', 'a NULL as_of is 22004');
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', 'infinity')$$, '22008',
                 'staffing_follow_up: as_of must be a finite date between 0001-01-01 and 9999-12-31, not infinity', 'an infinite as_of is 22008');
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', '0001-06-30')$$, '22008',
                 'staffing_follow_up: as_of must be a date from 0002-01-01 on, not 0001-06-30', 'an as_of in the year 1 is 22008 (the year before is read)');
CREATE TABLE st_nokind (unit text, month date, fte numeric, cost sek);
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_nokind', 'st_budget', '2023-02-28')$$, '42703',
                 'column "kind" does not exist in public.st_nokind (the staff_table)',
                 'a staff table without the kind column is 42703, the table and column named');
-- the reader sees the error, not the function's query
CREATE FUNCTION pg_temp.st_context(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE c text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS c = PG_EXCEPTION_CONTEXT;
  RETURN c;
END $$;
SELECT is((SELECT count(*) FROM unnest(ARRAY[
             pg_temp.st_context($$SELECT * FROM staffing_follow_up('st_nokind', 'st_budget', '2023-02-28')$$),
             pg_temp.st_context($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28', 'x')$$)]) c
           WHERE c ~ '(FILTER|pg_catalog\.|OPERATOR\(|GROUP BY|LIMIT 1)' OR c = 'no error'), 0::bigint,
          'no error''s CONTEXT shows the function''s SQL');
-- the caller's rights: a role that cannot read the staff table cannot follow it up
CREATE ROLE st_reader NOLOGIN;
GRANT SELECT ON st_budget TO st_reader;
SET LOCAL ROLE st_reader;
DO $$
BEGIN
  PERFORM * FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28');
  PERFORM set_config('st.state', 'no error', true);
EXCEPTION WHEN OTHERS THEN
  PERFORM set_config('st.state', SQLSTATE || ' ' || SQLERRM, true);
END $$;
RESET ROLE;
SELECT is(current_setting('st.state'), '42501 permission denied for column "unit" of public.st_staff (the staff_table)',
          'a role without SELECT on the staff table gets 42501, the table and column named');
-- a unit in the budget without staff rows, and one with staff but no budget
INSERT INTO st_budget VALUES ('D', '2023-01-01', 3, '900 000 kr');
SELECT results_eq(
  $$SELECT unit, budget_fte, fte, cost, deviation FROM staffing_follow_up('st_staff', 'st_budget', '2023-02-28') WHERE unit = 'D'$$,
  $$VALUES ('D', 3.00, NULL::numeric, 0.00, 150000.00)$$,
  'a budgeted unit without staff rows: no FTE, no cost, its period budget as the deviation');

-- any key and column names: the same figures from a table with its own
-- names, per activity (verksamhet) instead of per unit
CREATE VIEW st_staff_sv AS SELECT unit AS enhet, 'V' || length(unit) AS verksamhet, month AS manad, kind AS typ, fte AS arsarbetare, cost AS kostnad FROM st_staff;
CREATE VIEW st_budget_sv AS SELECT unit AS enhet, 'V' || length(unit) AS verksamhet, valid_from AS beslutad, fte AS arsarbetare, cost AS kostnad FROM st_budget;
SELECT results_eq(
  $$SELECT unit, budget_fte, fte, cost, deviation, forecast, prev_year_cost, cost_per_fte, key_values
    FROM staffing_follow_up('st_staff_sv', 'st_budget_sv', '2023-08-31', 'report', keys => '{enhet}', month_column => 'manad',
                            kind_column => 'typ', fte_column => 'arsarbetare', cost_column => 'kostnad', budget_date_column => 'beslutad',
                            budget_fte_column => 'arsarbetare', budget_cost_column => 'kostnad')$$,
  $$SELECT unit, budget_fte, fte, cost, deviation, forecast, prev_year_cost, cost_per_fte,
           CASE WHEN unit IS NOT NULL THEN jsonb_build_object('enhet', unit) END
    FROM staffing_follow_up('st_staff', 'st_budget', '2023-08-31', 'report')$$,
  'named key and columns give what the default names give, key_values under the key''s name');
SELECT results_eq(
  $$SELECT unit, cost FROM staffing_follow_up('st_staff_sv', 'st_budget_sv', '2023-08-31', keys => '{verksamhet}', month_column => 'manad',
                            kind_column => 'typ', fte_column => 'arsarbetare', cost_column => 'kostnad', budget_date_column => 'beslutad',
                            budget_fte_column => 'arsarbetare', budget_cost_column => 'kostnad')$$,
  $$SELECT * FROM (SELECT 'V' || length(unit), sum(cost)::numeric FROM st_staff WHERE month BETWEEN '2023-01-01' AND '2023-08-31'
                   GROUP BY 1 ORDER BY 1) k
    UNION ALL SELECT NULL, sum(cost)::numeric FROM st_staff WHERE month BETWEEN '2023-01-01' AND '2023-08-31'$$,
  'another key: the cost per activity as plain SQL sums it, and the total');
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff_sv', 'st_budget_sv', '2023-08-31', keys => '{enhet}')$$, '42703',
                 'column "month" does not exist in public.st_staff_sv (the staff_table)', 'a default column name the table lacks is 42703, named');
SELECT throws_ok($$SELECT * FROM staffing_follow_up('st_staff', 'st_budget', '2023-08-31', fte_column => 'kind')$$, '42804',
                 'column "kind" of public.st_staff (the staff_table) is text, not numeric', 'an FTE column of text is 42804');

SELECT * FROM finish();
ROLLBACK;
