-- follow_up and month_profile against plain SQL on a random ledger (every
-- method, key and sign convention, several as_of dates); forced-parallel
-- plans against serial results.
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS acc_ledger, acc_budget;
SELECT setseed(0.42);
CREATE TABLE acc_ledger AS
SELECT 'unit ' || (i % 13) AS unit,
       DATE '2022-01-01' + (random() * 1094)::int AS entry_date,
       CASE WHEN i % 211 = 0 THEN NULL
            ELSE sek_from_ore((random() * 5000000)::bigint - CASE WHEN i % 7 = 0 THEN 2000000 ELSE 0 END) END AS amount
FROM generate_series(1, 60000) i;
CREATE TABLE acc_budget AS
SELECT 'unit ' || u AS unit, sek_from_ore((u * 7919 + 1) * 100000::bigint * CASE WHEN u = 5 THEN -1 ELSE 1 END) AS annual
FROM generate_series(0, 12) u;
ANALYZE acc_ledger;
ANALYZE acc_budget;

BEGIN;
SELECT plan(23);

-- the plain-SQL truth per unit and as_of: outcome of the year up to as_of,
-- elapsed months (completed + days of as_of's month) and days, in numeric
CREATE TEMP TABLE asof(d) AS VALUES (DATE '2023-08-31'), (DATE '2023-02-14'), (DATE '2023-12-31'), (DATE '2024-01-01');
CREATE TEMP TABLE truth AS
SELECT a.d AS as_of, b.unit, sek_ore(b.annual)::numeric AS budget,
       coalesce((SELECT sum(sek_ore(amount)) FROM acc_ledger l
                 WHERE l.unit = b.unit AND l.entry_date >= date_trunc('year', a.d) AND l.entry_date <= a.d), 0) AS outcome,
       (extract(month FROM a.d) - 1 + extract(day FROM a.d)
          / extract(day FROM date_trunc('month', a.d) + interval '1 month' - interval '1 day')) AS months,
       (a.d - date_trunc('year', a.d)::date + 1)::numeric
          / ((date_trunc('year', a.d) + interval '1 year')::date - date_trunc('year', a.d)::date) AS dayshare
FROM asof a, acc_budget b;

CREATE TEMP TABLE got AS
SELECT a.d AS as_of, l.unit,
       follow_up(l.entry_date, l.amount, b.annual, a.d) AS rr,
       follow_up(l.entry_date, l.amount, b.annual, a.d, 'profile', 'days') AS pd,
       follow_up(l.entry_date, -l.amount, -b.annual, a.d, 'runrate', 'months', 'report') AS rep
FROM asof a, acc_ledger l JOIN acc_budget b USING (unit)
GROUP BY a.d, l.unit;

SELECT is((SELECT count(*) FROM got), 52::bigint, 'one follow-up per unit and as_of');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit) WHERE sek_ore((g.rr).outcome) <> t.outcome), 0::bigint,
          'outcome = the plain-SQL sum of the year''s entries up to as_of');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit)
           WHERE sek_ore((g.rr).period_budget) <> round(t.budget * t.months / 12)), 0::bigint,
          'period budget by months = budget × elapsed months ÷ 12, rounded to the öre');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit)
           WHERE sek_ore((g.pd).period_budget) <> round(t.budget * t.dayshare)), 0::bigint,
          'period budget by days = budget × elapsed days ÷ days of the year');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit)
           WHERE sek_ore((g.rr).forecast) <> round(t.outcome * 12 / t.months)), 0::bigint,
          'run-rate forecast = outcome ÷ elapsed months × 12');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit)
           WHERE sek_ore((g.pd).forecast) <> round(t.outcome / t.dayshare)), 0::bigint,
          'profile forecast by days = outcome ÷ elapsed share of the year');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit)
           WHERE sek_ore((g.rr).deviation) <> round(t.budget * t.months / 12) - t.outcome
              OR sek_ore((g.rr).forecast_deviation) <> t.budget - round(t.outcome * 12 / t.months)), 0::bigint,
          'deviations = budget − outcome and budget − forecast (positive = under budget)');
SELECT is((SELECT count(*) FROM got g JOIN truth t USING (as_of, unit)
           WHERE abs((g.rr).consumption / (t.outcome / t.budget * 100)::float8 - 1) > 1e-12
              OR abs((g.rr).deviation_pct / ((t.budget - round(t.outcome * 12 / t.months)) / abs(t.budget) * 100)::float8 - 1) > 1e-12),
          0::bigint, 'consumption and deviation % equal the plain-SQL ratios');
SELECT is((SELECT count(*) FROM got WHERE (rep).deviation <> (rr).deviation OR (rep).forecast_deviation <> (rr).forecast_deviation
              OR (rep).outcome <> -(rr).outcome OR (rep).forecast <> -(rr).forecast OR (rep).budget <> -(rr).budget
              OR (rep).consumption <> (rr).consumption OR (rep).deviation_pct <> (rr).deviation_pct), 0::bigint,
          'the report convention (costs negative) gives the same deviations and ratios, amounts negated');
SELECT is((SELECT follow_up(entry_date, amount, '1 mnkr', '2023-08-31')::text FROM acc_ledger),
          (SELECT follow_up(entry_date, amount, '1 mnkr', '2023-08-31')::text FROM acc_ledger WHERE amount IS NOT NULL),
          'rows without an amount are skipped');

-- a 12-month profile: month_profile of 2022 against plain SQL, and the profile forecast
CREATE TEMP TABLE prof AS
SELECT unit, month_profile(entry_date, abs(amount)) AS p FROM acc_ledger WHERE entry_date < '2023-01-01' GROUP BY unit;
SELECT is((SELECT count(*) FROM prof p,
             LATERAL (SELECT extract(month FROM entry_date)::int AS m, sum(sek_ore(abs(amount)))::float8 AS s
                      FROM acc_ledger WHERE unit = p.unit AND entry_date < '2023-01-01' GROUP BY 1) t
           WHERE abs(p.p[t.m] - t.s / (SELECT sum(sek_ore(abs(amount)))::float8 FROM acc_ledger WHERE unit = p.unit AND entry_date < '2023-01-01')) > 1e-15),
          0::bigint, 'month_profile = each month''s share of the total');
SELECT is((SELECT count(*) FROM prof WHERE abs((SELECT sum(x) FROM unnest(p) x) - 1) > 1e-12 OR array_length(p, 1) <> 12), 0::bigint,
          'every profile has 12 shares adding up to 1');
SELECT is((SELECT count(*) FROM (
             SELECT p.unit, follow_up(l.entry_date, l.amount, b.annual, '2023-08-31', 'profile', p.p) AS r, p.p, b.annual
             FROM acc_ledger l JOIN acc_budget b USING (unit) JOIN prof p USING (unit)
             GROUP BY p.unit, p.p, b.annual) s, truth t
           WHERE t.unit = s.unit AND t.as_of = '2023-08-31'
             AND (abs(sek_ore((s.r).period_budget) - t.budget * (s.p[1] + s.p[2] + s.p[3] + s.p[4] + s.p[5] + s.p[6] + s.p[7] + s.p[8])::numeric) > 1
               OR abs(sek_ore((s.r).forecast) - t.outcome / (s.p[1] + s.p[2] + s.p[3] + s.p[4] + s.p[5] + s.p[6] + s.p[7] + s.p[8])::numeric) > 1)),
          0::bigint, 'period budget and forecast by a profile = budget × and outcome ÷ the Jan–Aug share (within an öre)');

-- budget changes by date: the budget in force at as_of
SELECT is((SELECT (follow_up(entry_date, amount, (SELECT sum(a) FROM (VALUES ('100 tkr'::sek, DATE '2023-01-01'), ('15 tkr', '2023-06-15'), ('-3 tkr', '2023-09-01')) c(a, d)
                                                 WHERE d <= '2023-08-31'), '2023-08-31')).budget
           FROM acc_ledger WHERE unit = 'unit 1'), '115 tkr'::sek, 'a change dated after as_of is not in force yet');

-- forced parallel plans equal serial results
\ir lib/parallel.psql
CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('follow_up', $$SELECT l.unit, follow_up(l.entry_date, l.amount, b.annual, '2023-08-31', 'profile', 'days') FROM acc_ledger l JOIN acc_budget b USING (unit) GROUP BY l.unit$$),
  ('follow_up, one group', $$SELECT follow_up(entry_date, amount, '1 mnkr', '2023-08-31', 'runrate', 'months', 'report') FROM acc_ledger$$),
  ('month_profile', $$SELECT unit, month_profile(entry_date, abs(amount)) FROM acc_ledger GROUP BY unit$$);
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;
\ir lib/check_parallel.psql

SELECT * FROM finish();
ROLLBACK;
DROP TABLE acc_ledger, acc_budget;
