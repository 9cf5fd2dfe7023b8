-- The controller's analyses (src/analysis.sql): the volume × price split of
-- external care and the scenarios of Delårsrapport 2 2023 §4.3.4 by hand
-- arithmetic, the split on the demo municipality against plain SQL (it adds
-- up exactly, per category and in total), and each bad input's SQLSTATE.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(49);

-- ---------- Delårsrapport 2 2023 §4.3.4, Jan–Aug 2023 (243 days) ----------
CREATE TEMP TABLE seed AS
SELECT * FROM volume_price_deviation('[2023-01-01,2023-09-01)', 383, 2648, 461, 2982, 292000000);
SELECT is((SELECT days FROM seed), 243, 'Jan–Aug 2023 is 243 days');
-- (461 − 383) × 2 648 × 243 = 50 190 192 kr over budget
SELECT is((SELECT volume_effect FROM seed), -(461 - 383) * 2648 * 243::numeric, 'volume effect (461−383)×2 648×243 kr, as a cost over budget');
SELECT is((SELECT sek_format(volume_effect, 'mnkr') FROM seed), '-50,2 mnkr', 'volume effect -50,2 mnkr');
-- 461 × (2 982 − 2 648) × 243 = 461 × 334 × 243 = 37 415 682 kr
SELECT is((SELECT price_effect FROM seed), -461 * 334 * 243::numeric, 'price effect 461×334×243 kr');
SELECT is((SELECT sek_format(price_effect, 'mnkr') FROM seed), '-37,4 mnkr', 'price effect -37,4 mnkr');
SELECT is((SELECT deviation FROM seed), 383 * 2648 * 243::numeric - 461 * 2982 * 243, 'deviation = budget cost − actual cost');
SELECT is((SELECT volume_effect + price_effect - deviation FROM seed), 0.00, 'volume + price effect = deviation exactly');
SELECT is((SELECT (budget_cost, actual_cost) FROM seed), (246446712.00, 334052586.00),
          'budget cost 383×2 648×243, actual 461×2 982×243');
-- the budget's own volume × price: 383 × 2 648 × 365 = 370 177 160 kr against 292,0 mnkr
SELECT is((SELECT assumed_annual_cost FROM seed), 383 * 2648 * 365::numeric, 'assumptions cost 383×2 648×365 a year');
SELECT is((SELECT (sek_format(assumed_annual_cost, 'mnkr'), sek_format(annual_budget, 'mnkr'), sek_format(budget_gap, 'mnkr')) FROM seed),
          ('370,2 mnkr'::text, '292,0 mnkr'::text, '-78,2 mnkr'::text), '370,2 mnkr against a budget of 292,0 mnkr: 78,2 mnkr not financed');
SELECT is((SELECT note FROM seed), 'the budget''s assumptions cost 370,2 mnkr a year, the budget is 292,0 mnkr (-78,2 mnkr)',
          'the note names the inconsistency');
SELECT is((SELECT note FROM volume_price_deviation('[2023-01-01,2023-09-01)', 383, 2648, 461, 2982, 383 * 2648 * 365)), NULL,
          'no note when the budget is its assumptions');
-- a leap year's assumptions are 366 days
SELECT is((SELECT assumed_annual_cost FROM volume_price_deviation('[2024-01-01,2024-02-01)', 10, 100, 10, 100)), 366000.00,
          'the assumptions over 2024 are 366 days');

-- a census gives the same split as its figures
CREATE TEMP TABLE st (stay daterange, daily_cost sek);
INSERT INTO st VALUES ('[2023-01-01,2023-03-01)', '2 000 kr'), ('[2023-02-15,)', '3 100 kr'), ('[2022-06-01,2023-01-20)', '1 500,50 kr');
SELECT is((SELECT row(volume_effect, price_effect, deviation, actual_care_days) FROM
            volume_price_deviation((SELECT census(stay, daily_cost, '[2023-01-01,2023-04-01)') FROM st), 2, 2500)),
          (SELECT row(round((2 * 90 - cd) * 2500, 2), 2 * 90 * 2500 - c - round((2 * 90 - cd) * 2500, 2), 2 * 90 * 2500 - c, cd)
           FROM (SELECT (59 + 45 + 19)::numeric AS cd, 59 * 2000 + 45 * 3100 + 19 * 1500.50 AS c) h),
          'census: care days 59 + 45 + 19, cost by hand, split as the formulas');

-- ---------- scenarios (Delårsrapport 2 2023: Sep–Dec = 122 days) ----------
SELECT is((SELECT (days, change, sek_format(change, 'mnkr')) FROM forecast_scenario(376600000, NULL, NULL, '2023-09-01', '2023-12-31', 10, 2982)),
          (122, 10 * 2982 * 122::numeric, '3,6 mnkr'::text), '+10 persons per day Sep–Dec at 2 982 kr: +3,6 mnkr');
SELECT is((SELECT (change, sek_format(change, 'mnkr')) FROM forecast_scenario(376600000, NULL, NULL, '2023-09-01', '2023-12-31', -10, 2982)),
          (-10 * 2982 * 122::numeric, '-3,6 mnkr'::text), '−10 persons per day: −3,6 mnkr');
CREATE TEMP TABLE child AS
SELECT * FROM forecast_scenario(376600000, 360000000, 395000000, '2023-09-01', '2023-12-31',
                                placements => 1, placement_cost => '6 000–16 000 kr');
SELECT is((SELECT (change_low, change, change_high) FROM child), (6000 * 122::numeric, 11000 * 122::numeric, 16000 * 122::numeric),
          'one child at 6–16 tkr per day: 6 000×122 .. 16 000×122, midpoint 11 000×122');
SELECT is((SELECT estimate_format(estimate(change_low::sek, change_high::sek), 'mnkr') FROM child), '0,7–2,0 mnkr', 'one child: 0,7–2,0 mnkr');
SELECT is((SELECT (forecast, lo, hi) FROM child), (377942000.00, 360732000.00, 396952000.00),
          'the interval shifted by the range''s ends: widened by its width');
SELECT is((SELECT hi - lo FROM child) - (395000000 - 360000000), 16000 * 122 - 6000 * 122::numeric, 'widened by exactly the range''s width');
SELECT is((SELECT (change_low, change_high) FROM forecast_scenario(100, 100, 100, '2023-09-01', '2023-12-31',
                                                                  placements => -2, placement_cost => '6-16 tkr')),
          (-2 * 16000 * 122::numeric, -2 * 6000 * 122::numeric), 'two placements fewer: the ends swap');
-- a price index of 1 % from 1 September on 461 persons per day (and 10 more)
SELECT is((SELECT price_change FROM forecast_scenario(376600000, NULL, NULL, '2023-09-01', '2023-12-31', 0, 2982, 1, 461)),
          round(461 * 2982 * 0.01 * 122, 2), 'price index +1 %: 461 × 2 982 × 1 % × 122');
SELECT is((SELECT (volume_change, price_change, change) FROM forecast_scenario(0, NULL, NULL, '2023-09-01', '2023-12-31', 10, 2982, 1, 461)),
          (3638040.00, round(471 * 2982 * 0.01 * 122, 2), 3638040.00 + round(471 * 2982 * 0.01 * 122, 2)),
          'the index applies to the added persons too');
SELECT is((SELECT (lo, hi) FROM forecast_scenario(1000, 900, 1200, '2023-12-31', '2023-12-31', 1, 100)), (1000.00, 1300.00),
          'a point scenario shifts the interval: one day, +100');

-- ---------- the demo municipality against plain SQL ----------
\set demo_quiet 1
\i demo/municipality.sql
CREATE TEMP TABLE vp AS
SELECT * FROM volume_price_report('placement_cost', 'external_budget', '[2023-01-01,2023-09-01)', 'target_group', 292000000);
CREATE TEMP TABLE plain AS
SELECT b.target_group, b.persons_per_day::numeric * 243 AS bcd, b.cost_per_care_day::numeric AS bp,
       a.cd, a.cost
FROM external_budget b
JOIN (SELECT target_group,
             sum(upper(d) - lower(d))::numeric AS cd,
             sum((upper(d) - lower(d)) * daily_cost::numeric) AS cost
      FROM (SELECT target_group, daily_cost, stay * daterange('2023-01-01', '2023-09-01') AS d FROM placement_cost) x
      WHERE NOT isempty(d) GROUP BY 1) a USING (target_group);
SELECT results_eq($$SELECT category, actual_care_days, actual_cost, budget_cost, deviation, volume_effect, price_effect
                    FROM vp WHERE category IS NOT NULL ORDER BY 1$$,
                  $$SELECT target_group, cd, cost, round(bcd * bp, 2), round(bcd * bp, 2) - cost,
                           round((bcd - cd) * bp, 2), round(bcd * bp, 2) - cost - round((bcd - cd) * bp, 2)
                    FROM plain ORDER BY 1$$,
                  'demo: each target group''s care days, cost and split as plain SQL computes them');
SELECT is((SELECT count(*) FROM vp WHERE volume_effect + price_effect <> deviation), 0::bigint,
          'demo: volume + price effect = deviation in every row');
SELECT is((SELECT row(deviation, volume_effect, price_effect, actual_cost, actual_care_days) FROM vp WHERE category IS NULL),
          (SELECT row(sum(deviation), sum(volume_effect), sum(price_effect), sum(actual_cost), sum(actual_care_days)) FROM vp WHERE category IS NOT NULL),
          'demo: the total row''s effects are the sums of the target groups''');
SELECT is((SELECT deviation FROM vp WHERE category IS NULL), (SELECT round(sum(bcd * bp), 2) - sum(cost) FROM plain),
          'demo: the total deviation is budget − actual cost over all stays');
SELECT is((SELECT (category IS NULL, budget_persons_per_day, assumed_annual_cost, budget_gap) FROM vp ORDER BY category NULLS FIRST LIMIT 1),
          (true, 383::numeric, 370177160.00, -78177160.00), 'demo: the total''s 383 persons per day at 2 648 kr cost 370,2 mnkr a year against 292,0');
-- the same groups at different budget prices: the mix effect is what the
-- groups' volume effects add beyond the total volume at the average price
CREATE TEMP TABLE bud2 (target_group text, persons_per_day numeric, cost_per_care_day sek);
INSERT INTO bud2 VALUES ('Barn', 139, '2 400 kr'), ('Unga', 133, '3 000 kr'), ('Vuxna', 111, '2 500 kr');
SELECT is((SELECT mix_effect FROM volume_price_report('placement_cost', 'bud2', '[2023-01-01,2023-09-01)', 'target_group') WHERE category IS NULL),
          (SELECT sum(round((b.persons_per_day * 243 - p.cd) * b.cost_per_care_day::numeric, 2))
                  - round((383 * 243 - sum(p.cd)) * (sum(b.persons_per_day * b.cost_per_care_day::numeric) / 383), 2)
           FROM bud2 b JOIN plain p USING (target_group)),
          'demo: the mix effect = the groups'' volume effects − total volume change at the average budget price');

-- ---------- bad inputs ----------
SELECT throws_ok($$SELECT volume_price_deviation('empty', 383, 2648, 461, 2982)$$, '22023',
                 'period empty of the total is empty or unbounded', 'an empty period: 22023');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,)', 383, 2648, 461, 2982, NULL, 'Barn')$$, '22023',
                 'period [2023-01-01,) of category "Barn" is empty or unbounded', 'an unbounded period: 22023');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,infinity)', 383, 2648, 461, 2982)$$, '22008',
                 NULL, 'an infinite bound: 22008');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,2023-09-01)', -383, 2648, 461, 2982, NULL, 'Barn')$$, '22023',
                 'budget persons per day of category "Barn" is -383: it must be a finite number of zero or more', 'negative budget persons: 22023 naming the category and value');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,2023-09-01)', 383, -2648, 461, 2982, NULL, 'Unga')$$, '22023',
                 'budget cost per care day of category "Unga" is -2648: it must be a finite number of zero or more', 'negative budget price: 22023');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,2023-09-01)', 383, 2648, 461, -2982, NULL, 'Vuxna')$$, '22023',
                 'actual persons per day 461 or cost per care day -2982 of category "Vuxna" is negative', 'negative actual price: 22023');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,2023-09-01)', NULL, 2648, 461, 2982, NULL, 'Barn')$$, '22023',
                 'no budget assumption for category "Barn": persons per day NULL, cost per care day 2648', 'a missing assumption: 22023');
SELECT throws_ok($$SELECT volume_price_deviation('[2023-01-01,2023-09-01)', 1e15, 2648, 461, 2982)$$, '22003',
                 NULL, 'a budget cost beyond the range of sek: 22003');
DELETE FROM bud2 WHERE target_group = 'Vuxna';
SELECT throws_ok($$SELECT * FROM volume_price_report('placement_cost', 'bud2', '[2023-01-01,2023-09-01)', 'target_group')$$, '22023',
                 'no budget assumption for category "Vuxna": persons per day NULL, cost per care day NULL',
                 'report: a target group without a budget row is 22023 naming it');
SELECT throws_ok($$SELECT * FROM volume_price_report('placement_cost', 'external_budget', '[2023-01-01,2200-01-01)', 'target_group')$$, '22023',
                 NULL, 'report: a period beyond the census limit: 22023');
-- column names of one's own
CREATE TEMP VIEW vp_stays AS SELECT target_group AS malgrupp, stay AS vistelse, daily_cost AS dygnskostnad FROM placement_cost;
CREATE TEMP VIEW vp_bud AS SELECT target_group AS malgrupp, persons_per_day AS personer, cost_per_care_day AS pris FROM external_budget;
SELECT results_eq(
  $$SELECT * FROM volume_price_report('vp_stays', 'vp_bud', '[2023-01-01,2023-09-01)', 'malgrupp', 292000000, stay_column => 'vistelse',
                                      cost_column => 'dygnskostnad', persons_column => 'personer', price_column => 'pris')$$,
  $$SELECT * FROM volume_price_report('placement_cost', 'external_budget', '[2023-01-01,2023-09-01)', 'target_group', 292000000)$$,
  'report: named columns give what the default names give');
SELECT throws_ok($$SELECT * FROM volume_price_report('vp_stays', 'vp_bud', '[2023-01-01,2023-09-01)', 'malgrupp')$$, '42703',
                 'column "stay" does not exist in vp_stays (the stays)', 'report: a missing stay column is 42703, named');
SELECT throws_ok($$SELECT * FROM volume_price_report('vp_stays', 'vp_bud', '[2023-01-01,2023-09-01)', 'malgrupp', stay_column => 'malgrupp')$$, '42804',
                 NULL, 'report: a stay column of another type is 42804');
SELECT throws_ok($$SELECT forecast_scenario(100, NULL, NULL, '2023-12-31', '2023-09-01', 10, 2982)$$, '22023',
                 'scenario period 2023-12-31 .. 2023-09-01 is empty: it ends before it starts', 'scenario: an inverted period is 22023');
SELECT throws_ok($$SELECT forecast_scenario(100, 120, 130, '2023-09-01', '2023-12-31', 10, 2982)$$, '22023',
                 'forecast 100 is missing or outside its interval 120 .. 130', 'scenario: a forecast outside its interval is 22023');
SELECT throws_ok($$SELECT forecast_scenario(100, NULL, NULL, '2023-09-01', 'infinity', 10, 2982)$$, '22008',
                 NULL, 'scenario: an infinite date is 22008');
SELECT throws_ok($$SELECT forecast_scenario(100, NULL, NULL, '2023-09-01', '2023-12-31', 10)$$, '22023',
                 NULL, 'scenario: persons without a price are 22023');
SELECT throws_ok($$SELECT forecast_scenario(100, NULL, NULL, '2023-09-01', '2023-12-31', placements => 1, placement_cost => '-16--6 tkr')$$, '22023',
                 NULL, 'scenario: a negative placement cost is 22023');
SELECT throws_ok($$SELECT forecast_scenario(100, NULL, NULL, '2023-09-01', '2023-12-31', 1e15, 2982)$$, '22003',
                 NULL, 'scenario: a change beyond the range of sek is 22003');

SELECT * FROM finish();
ROLLBACK;
