-- Accounts: period budget, run-rate and profile forecasts, the follow-up
-- record, budget changes by date, and Delårsrapport 2 2023's figures after August 2023.
\pset null '(null)'
-- errors by message and hint: where in a function they were raised is not the test
\set SHOW_CONTEXT never

-- period budget: twelfths by elapsed months, by days, by a profile
SELECT period_budget('654 376 tkr', '2023-08-31') AS months_aug,
       period_budget('654 376 tkr', '2023-08-31', 'days') AS days_aug,
       period_budget('654 376 tkr', '2023-08-15', 'months') AS mid_aug,
       period_budget('654 376 tkr', '2023-12-31', 'months') AS whole_year,
       period_budget('1200 kr', '2024-02-29', 'months') AS leap_feb,
       period_budget('366 kr', '2024-02-29', 'days') AS leap_days;
SELECT period_budget('1200 kr', '2023-03-31', ARRAY[1,1,2,1,1,1,1,1,1,1,0,1]::float8[]) AS profile_q1,
       period_budget('-1200 kr', '2023-03-31', ARRAY[1,1,2,1,1,1,1,1,1,1,0,1]::float8[]) AS income_q1;

-- the year-end methods: Delårsrapport 2 2023's run-rate (506,6 mnkr after August → 759,9 mnkr)
SELECT forecast_runrate('506 574 tkr', '2023-08-31') AS runrate,
       sek_format(forecast_runrate('506 574 tkr', '2023-08-31'), 'mnkr') AS runrate_mnkr,
       forecast_profile('506 574 tkr', '2023-08-31', 'months') AS profile_months,
       forecast_profile('100 kr', '2023-01-31', ARRAY[0,1,1,1,1,1,1,1,1,1,1,1]::float8[]) AS no_share_yet;

-- the record from given figures: Delårsrapport 2 2023 §4.1's total with the office's own forecast
SELECT (follow_up('654 376 tkr'::sek, '426 980 tkr', '506 574 tkr', '735 827 tkr')).*;
SELECT sek_format(r.forecast_deviation, 'mnkr') AS forecast_deviation,
       round(r.deviation_pct::numeric, 1) AS deviation_pct, round(r.consumption::numeric) AS consumption
FROM follow_up('654 376 tkr'::sek, '426 980 tkr', '506 574 tkr', '735 827 tkr') r;
-- the same in the reports' signs (costs negative): the same deviations
SELECT (follow_up('-654 376 tkr'::sek, '-426 980 tkr', '-506 574 tkr', '-735 827 tkr', 'report')).*;
-- an income account (ledger signs: income negative): more income is positive
SELECT (follow_up('-1000 tkr'::sek, '-500 tkr', '-600 tkr', '-1200 tkr')).*;

-- Delårsrapport 2 2023 §4.1 as a ledger (costs positive) and a budget with its changes by date
CREATE TABLE ledger (entry_date date, unit text, account int, amount sek);
CREATE TABLE budget (unit text, valid_from date, amount sek, note text);
-- 2022 outcome per unit spread by the office's seasonal pattern (Jan–Aug = 65,25 %)
CREATE TABLE pattern (month int, w numeric);
INSERT INTO pattern VALUES (1, 8.3), (2, 8.2), (3, 8.4), (4, 8.2), (5, 8.3), (6, 8.1),
  (7, 7.3), (8, 8.45), (9, 8.3), (10, 8.4), (11, 8.5), (12, 9.55);
CREATE TABLE unit_figures (unit text, prev_tkr numeric, budget_tkr numeric, outcome_aug_tkr numeric);
INSERT INTO unit_figures VALUES
  ('1 Övergripande & nämnd', 11500, 27403, 17800),
  ('2 Förebyggande & familjecentraler', 26000, 29400, 18900),
  ('3 Myndighet', 113400, 125700, 79500),
  ('4 Eget utförande', 160900, 179263, 113300),
  ('5 Ensamkommande', -4500, 700, 400),
  ('6 Externa vård- och behandlingskostnader', 329776, 291976, 276674);
-- 2022: one entry per unit, month and account 4xxx (costs) — the last month takes the rounding
INSERT INTO ledger
SELECT make_date(2022, p.month, 25), u.unit, 4010,
       (round(u.prev_tkr * 1000 * p.w / 100, 2)
        + CASE WHEN p.month = 12 THEN u.prev_tkr * 1000 - (SELECT sum(round(u.prev_tkr * 1000 * q.w / 100, 2)) FROM pattern q) ELSE 0 END)::sek
FROM unit_figures u, pattern p;
-- 2023 January–August: eight equal entries per unit (last takes the rounding)
INSERT INTO ledger
SELECT make_date(2023, m, 20), u.unit, 4010,
       (round(u.outcome_aug_tkr * 1000 / 8, 2)
        + CASE WHEN m = 8 THEN u.outcome_aug_tkr * 1000 - 8 * round(u.outcome_aug_tkr * 1000 / 8, 2) ELSE 0 END)::sek
FROM unit_figures u, generate_series(1, 8) m;
-- booked later than the follow-up date, and a row without amount: both left out
INSERT INTO ledger VALUES ('2023-09-05', '3 Myndighet', 4010, '1 mnkr'), ('2023-05-05', '3 Myndighet', 4010, NULL);
-- the budget decision of 1 January, then the changes of June–August (Delårsrapport 2 2023 §4)
INSERT INTO budget SELECT unit, '2023-01-01', (budget_tkr * 1000)::sek, 'budget' FROM unit_figures;
INSERT INTO budget VALUES
  ('4 Eget utförande', '2023-06-15', '115 tkr', 'tilläggsanslag lönerevision Kommunals avtal'),
  ('1 Övergripande & nämnd', '2023-07-01', '-103 tkr', 'ombudgetering effektiviseringskrav'),
  ('4 Eget utförande', '2023-08-20', '-78 tkr', 'rättning hyresindex');

-- the budget in force: 654 442 tkr on 30 May, 654 376 tkr on 30 August
SELECT d AS as_of, sek_format(sum(amount), 'tkr') AS budget_in_force
FROM budget, (VALUES (DATE '2023-05-30'), (DATE '2023-08-30')) v(d)
WHERE valid_from <= d GROUP BY d ORDER BY d;

-- the profile of 2022 (the office's key) and the period budget it gives
SELECT round(sum(s)::numeric, 4) AS jan_aug_share
FROM unnest((SELECT month_profile(entry_date, amount) FROM ledger WHERE entry_date < '2023-01-01')) WITH ORDINALITY p(s, m)
WHERE m <= 8;

-- follow_up per unit as of 31 August, run-rate, and the total: 506,6 mnkr, 77 %, 759,9 mnkr
SELECT l.unit, (follow_up(l.entry_date, l.amount, b.annual, '2023-08-31')).*
FROM ledger l
JOIN (SELECT unit, sum(amount) AS annual FROM budget WHERE valid_from <= '2023-08-31' GROUP BY unit) b USING (unit)
GROUP BY l.unit ORDER BY l.unit;
SELECT sek_format((r).budget, 'mnkr') AS budget, sek_format((r).outcome, 'mnkr') AS outcome,
       round((r).consumption::numeric) AS consumption_pct, sek_format((r).forecast, 'mnkr') AS runrate,
       sek_format((r).forecast_deviation, 'mnkr') AS runrate_deviation
FROM (SELECT follow_up(entry_date, amount, (SELECT sum(amount) FROM budget WHERE valid_from <= '2023-08-31'), '2023-08-31') AS r
      FROM ledger) s;

-- the report table: follow_up_report over the two tables, the office's key
-- from 2022 ('history'), in the reports' signs; the total's period budget is -427,0
-- (amounts and percentages numeric, for BI tools: ::sek for sek_format)
SELECT unit, sek_format(prev_year_outcome::sek, 'mnkr') AS bokslut_2022, sek_format(budget::sek, 'mnkr') AS budget,
       sek_format(period_budget::sek, 'mnkr') AS periodens_budget, sek_format(outcome::sek, 'mnkr') AS periodens_utfall,
       sek_format(deviation::sek, 'mnkr') AS periodens_avvikelse, sek_format(forecast::sek, 'mnkr') AS prognos,
       sek_format(forecast_deviation::sek, 'mnkr') AS avvikelse_prognos, round(deviation_pct, 1) AS avvikelse_pct,
       round(consumption) AS forbrukning_pct
FROM follow_up_report('ledger', 'budget', '2023-08-31', method => 'profile', key => 'history', convention => 'report');
-- as of 30 May the budget before the changes is used
SELECT sek_format(budget::sek, 'tkr') AS budget_30_may FROM follow_up_report('ledger', 'budget', '2023-05-30') WHERE unit IS NULL;

-- the method, key and convention overloads agree with the scalars
SELECT (r).period_budget = period_budget('291 976 tkr', '2023-08-31', 'days') AS pb_days,
       (r).forecast = forecast_profile('276 674 tkr', '2023-08-31', 'days') AS fc_days
FROM (SELECT follow_up(entry_date, amount, '291 976 tkr', '2023-08-31', 'profile', 'days') AS r
      FROM ledger WHERE unit LIKE '6%') s;
SELECT (follow_up(entry_date, -amount, '-291 976 tkr', '2023-08-31', 'runrate', 'months', 'report')).deviation
     = (follow_up(entry_date, amount, '291 976 tkr', '2023-08-31')).deviation AS same_deviation_both_signs
FROM ledger WHERE unit LIKE '6%';

-- no rows, NULL budget
SELECT (follow_up(entry_date, amount, '1 kr', '2023-08-31')).* FROM ledger WHERE false;
SELECT (follow_up(entry_date, amount, NULL, '2023-08-31')).* FROM ledger WHERE unit LIKE '5%';

-- bad input
SELECT period_budget('1 kr', '2023-08-31', 'weeks');
SELECT period_budget('1 kr', 'infinity', 'days');
SELECT period_budget('1 kr', '2023-08-31', ARRAY[1,2,3]::float8[]);
SELECT period_budget('1 kr', '2023-08-31', ARRAY[0,0,0,0,0,0,0,0,0,0,0,0]::float8[]);
SELECT period_budget('1 kr', '2023-08-31', ARRAY[1,1,1,1,1,1,1,1,1,1,1,-1]::float8[]);
SELECT period_budget('1 kr', '2023-08-31', ARRAY[1,1,1,1,1,1,1,1,1,1,1,NULL]::float8[]);
SELECT period_budget('1 kr', '2023-08-31', ARRAY[1,1,1,1,1,1,1,1,1,1,1,'NaN']::float8[]);
SELECT follow_up(entry_date, amount, '1 kr', '2023-08-31', 'median') FROM ledger;
SELECT follow_up(entry_date, amount, '1 kr', '2023-08-31', 'runrate', 'months', 'upside down') FROM ledger;
SELECT follow_up(entry_date, amount, '1 kr', NULL) FROM ledger;
-- entries of other years are outside the period: none in 2025, so the outcome is 0
SELECT (follow_up(entry_date, amount, '1 kr', '2025-03-31')).outcome FROM ledger;
SELECT * FROM follow_up_report('ledger', 'budget', '2025-03-31');
SELECT follow_up(entry_date, amount, amount, '2023-08-31') FROM ledger WHERE unit LIKE '3%';
SELECT follow_up(entry_date, amount, '1 kr', entry_date) FROM ledger WHERE unit LIKE '3%';
SELECT month_profile(entry_date, amount) FROM ledger WHERE unit LIKE '5%' AND entry_date < '2023-01-01'
  OR (unit LIKE '1%' AND entry_date < '2023-01-01');
SELECT month_profile(d, '0 kr') FROM (VALUES (DATE '2023-01-01')) v(d);
SELECT follow_up_report('ledger', 'budget', '2023-08-31', 'runrate', 'quarters');

-- a unit whose history cannot make a profile (here a refund larger than a
-- month's costs) is periodised and forecast by twelfths and says so in
-- note; the other units keep their profiles and the report its total
INSERT INTO ledger VALUES ('2022-02-15', '1 Övergripande & nämnd', 4010, '-50 mnkr');
SELECT unit, sek_format(period_budget::sek, 'mnkr') AS periodens_budget, sek_format(forecast::sek, 'mnkr') AS prognos, note
FROM follow_up_report('ledger', 'budget', '2023-08-31', method => 'profile', key => 'history', convention => 'report');
DELETE FROM ledger WHERE entry_date = '2022-02-15' AND amount = '-50 mnkr';
-- an error inside the report names the tables, not the report's own SQL
CREATE TEMP VIEW ledger_numeric AS SELECT entry_date, unit, amount::numeric AS amount FROM ledger;
SELECT * FROM follow_up_report('ledger_numeric', 'budget', '2023-08-31');
DROP VIEW ledger_numeric;
DROP TABLE ledger, budget, pattern, unit_figures;
