-- Placement forecasts: small cases checked by hand, what is open, left out
-- and skipped, the errors, rollup, the year view and the office's table.
-- The aggregate against plain SQL on random data, parallel plans and
-- crafted states are in test/placement.sql; its accuracy in
-- test/bench/placement_backtest.sh.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET DateStyle = 'ISO, YMD';
\pset null '(null)'

-- Four stays seen at 2024-06-30, all started in the 12 months up to it (so
-- no season and no cost trend: the arrivals' mean cost), 1 000 kr a day:
-- ended after 5, 10 and 20 days, and one open since 2024-06-26 (4 days).
-- Kaplan–Meier: S = 1 before 5 days, 2/3 from 5, 1/3 from 10, 0 from 20.
CREATE TABLE pf_small (id int, stay daterange, daily_cost sek);
INSERT INTO pf_small VALUES
  (1, '[2024-01-01,2024-01-06)', '1000'),
  (2, '[2024-02-01,2024-02-11)', '1000'),
  (3, '[2024-03-01,2024-03-21)', '1000'),
  (4, '[2024-06-26,)', '1000');

-- until 2024-07-09: H = 9 days after as_of.
-- committed: the open stay is in care on day as_of + k when it lasts more
-- than 4 + k days: S(5..9) = 2/3 five times, S(10..13) = 1/3 four times:
-- 10/3 + 4/3 = 14/3 = 4.6667 days, 4 666.67 kr.
-- new: 4 arrivals in the 366 days 2023-07-01 .. 2024-06-30; a stay starting
-- on day s is in care 9 - s + 1 days at most:
-- K = Σ_{k=0..8} (9-k) S(k) = (9+8+7+6+5) + (4+3+2+1) × 2/3 = 125/3,
-- new days 4/366 × 125/3 = 0.45537, new stays 4/366 × 9 = 0.09836,
-- new cost 455.37 kr; cost 5 122.04 kr.
SELECT as_of, until, open_stays, round(committed_days::numeric, 6) AS committed_days,
       committed_cost, arrivals_12m, new_daily_cost, season,
       round(new_stays::numeric, 6) AS new_stays, round(new_days::numeric, 6) AS new_days,
       new_cost, round(care_days::numeric, 6) AS care_days,
       round(persons_per_day::numeric, 6) AS persons_per_day, cost_per_care_day, cost
FROM (SELECT (placement_forecast(stay, daily_cost, '2024-06-30', '2024-07-09')).* FROM pf_small) f;
SELECT round(14.0 / 3, 6) AS committed_by_hand, round(4.0 / 366 * 125 / 3, 6) AS new_days_by_hand,
       round(4.0 / 366 * 9, 6) AS new_stays_by_hand;

-- the interval: log-normal, around the cost, from the standard deviation
SELECT cost_lo < cost AND cost < cost_hi AS cost_inside, cost_sd > 0 AS has_sd,
       abs(ln(cost_hi::float8 / cost::float8) + ln(cost_lo::float8 / cost::float8)
           + ln(1 + (cost_sd / cost::float8) ^ 2)) < 1e-4 AS log_normal
FROM (SELECT (placement_forecast(stay, daily_cost, '2024-06-30', '2024-07-09')).* FROM pf_small) f;

-- committed days agree with expected_remaining_days of the same curve: the days
-- as_of .. until less as_of itself (until 2024-12-31: 5 × 2/3 + 10 × 1/3 = 20/3)
SELECT round((f).committed_days::numeric, 10) AS committed_days,
       round((expected_remaining_days(c, 4, 185) - 1)::numeric, 10) AS by_survival_curve,
       (f).committed_cost
FROM (SELECT placement_forecast(stay, daily_cost, '2024-06-30', '2024-12-31') AS f,
             stay_survival(stay, '2024-06-30') AS c FROM pf_small) s;

-- the open stay's own daily cost counts: 1 500 kr gives 1.5 × the committed cost
SELECT (placement_forecast(stay, CASE WHEN id = 4 THEN '1500'::sek ELSE daily_cost END,
                           '2024-06-30', '2024-07-09')).committed_cost
FROM pf_small;

-- seen at as_of: a recorded end after as_of is not used (the stay is open),
-- a stay starting after as_of is left out, an empty range too: same result
SELECT (placement_forecast(stay, daily_cost, '2024-06-30', '2024-07-09')).cost AS same_cost
FROM (SELECT stay, daily_cost FROM pf_small WHERE id <> 4
      UNION ALL SELECT '[2024-06-26,2024-07-02)', '1000'
      UNION ALL SELECT '[2024-07-01,2024-08-01)', '9000'
      UNION ALL SELECT 'empty', '9000') v;
-- a stay departing on as_of has ended; one departing the day after is open
SELECT (f).open_stays, round((f).committed_days::numeric, 6) AS committed_days
FROM (SELECT placement_forecast(stay, '1000', '2024-06-30', '2024-07-09') AS f
      FROM (VALUES ('[2024-06-20,2024-06-30)'::daterange), ('[2024-06-20,2024-07-01)')) v(stay)) s;

-- NULL stay, daily cost, as_of or until: the row is skipped; none left: NULL
SELECT (f).open_stays, (f).arrivals_12m, (f).cost
FROM (SELECT placement_forecast(stay, c, a, u) AS f
      FROM (VALUES ('[2024-06-26,)'::daterange, '1000'::sek, DATE '2024-06-30', DATE '2024-07-09'),
                   (NULL, '1000', '2024-06-30', '2024-07-09'),
                   ('[2024-06-01,)', NULL, '2024-06-30', '2024-07-09'),
                   ('[2024-06-01,)', '1000', NULL, '2024-07-09'),
                   ('[2024-06-01,)', '1000', '2024-06-30', NULL)) v(stay, c, a, u)) s;
SELECT placement_forecast(stay, '1000', '2024-06-30', '2024-07-09') IS NULL AS all_null
FROM (VALUES (NULL::daterange), (NULL)) v(stay);
SELECT placement_forecast(stay, daily_cost, '2024-06-30', '2024-07-09') IS NULL AS no_rows
FROM pf_small WHERE false;
-- only stays that are not known yet: nothing open, nothing arriving, no cost
SELECT (f).open_stays, (f).care_days, (f).cost, (f).cost_per_care_day, (f).new_daily_cost,
       (f).season, (f).cost_lo, (f).cost_hi
FROM (SELECT placement_forecast('[2024-08-01,2024-09-01)', '1000', '2024-06-30', '2024-07-09') AS f) s;
-- a zero daily cost is a cost of zero, not an error
SELECT (placement_forecast(stay, '0', '2024-06-30', '2024-07-09')).cost AS zero_cost FROM pf_small;

-- errors (22023): no start, a negative daily cost, infinite as_of or until,
-- until not after as_of, more than ten years ahead, a stay over 100 years,
-- as_of or until differing between rows of a group
SELECT placement_forecast(daterange(NULL, '2024-01-01'), '1000', '2024-06-30', '2024-12-31');
SELECT placement_forecast(daterange('-infinity', '2024-01-01'), '1000', '2024-06-30', '2024-12-31');
SELECT placement_forecast('[2024-01-01,)', '-1', '2024-06-30', '2024-12-31');
SELECT placement_forecast('[2024-01-01,)', '1000', 'infinity', '2024-12-31');
SELECT placement_forecast('[2024-01-01,)', '1000', '2024-06-30', 'infinity');
SELECT placement_forecast('[2024-01-01,)', '1000', '2024-06-30', '-infinity');
SELECT placement_forecast('[2024-01-01,)', '1000', '2024-06-30', '2024-06-30');
SELECT placement_forecast('[2024-01-01,)', '1000', '2024-06-30', '2024-01-01');
SELECT placement_forecast('[2024-01-01,)', '1000', '2024-06-30', '2034-07-02');
SELECT (placement_forecast('[2024-01-01,)', '1000', '2024-06-30', '2034-07-01')).open_stays AS ten_years_is_fine;
SELECT placement_forecast('[1900-01-01,)', '1000', '2024-06-30', '2024-12-31');
SELECT placement_forecast('[1900-01-01,2024-01-01)', '1000', '2024-06-30', '2024-12-31');
SELECT placement_forecast(stay, '1000', a, '2024-12-31')
FROM (VALUES ('[2024-01-01,)'::daterange, DATE '2024-06-30'), ('[2024-02-01,)', '2024-07-31')) v(stay, a);
SELECT placement_forecast(stay, '1000', '2024-06-30', u)
FROM (VALUES ('[2024-01-01,)'::daterange, DATE '2024-12-31'), ('[2024-02-01,)', '2025-06-30')) v(stay, u);
-- one forecast per as_of is fine
SELECT a AS as_of, (placement_forecast(stay, '1000', a, '2024-12-31')).open_stays
FROM (VALUES ('[2024-01-01,)'::daterange, DATE '2024-06-30'), ('[2024-02-01,)', '2024-07-31')) v(stay, a)
GROUP BY a ORDER BY a;

-- The office's table (Delårsrapport 2 2023 §4.3.4): per category and in total,
-- persons per day, cost per care day and cost, outcome January–August plus
-- the forecast for September–December.  Two categories of stays started in
-- the 12 months up to as_of: 'unga' as pf_small at 2 000 kr a day, 'vuxna'
-- the same at 1 000 kr.
CREATE TABLE pf_cat (category text, stay daterange, daily_cost sek);
INSERT INTO pf_cat
  SELECT c.category,
         daterange(lower(s.stay) + (DATE '2023-08-31' - DATE '2024-06-30'),
                   upper(s.stay) + (DATE '2023-08-31' - DATE '2024-06-30')),
         s.daily_cost * c.factor
  FROM pf_small s, (VALUES ('unga', 2), ('vuxna', 1)) c(category, factor);
WITH s AS (
  SELECT category, census(stay, daily_cost, '[2023-01-01,2023-09-01)') AS c,
         placement_forecast(stay, daily_cost, '2023-08-31', '2023-12-31') AS f
  FROM pf_cat GROUP BY category)
SELECT category, round((o).persons_per_day::numeric, 4) AS "snitt per dygn",
       sek_format((o).cost_per_care_day, 'kr') AS "kostnad per dygn",
       (o).outcome_cost AS "utfall jan-aug", (o).forecast_cost AS "prognos sep-dec",
       (o).cost AS "helårsprognos", (o).cost_lo <= (o).cost AND (o).cost <= (o).cost_hi AS "intervall"
FROM (SELECT category, placement_outlook(c, f) AS o FROM s
      UNION ALL
      SELECT 'Totalt', placement_outlook(rollup(c), rollup(f)) FROM s) t
ORDER BY category = 'Totalt', category;

-- rollup: sums and recomputed ratios; variances add (independent groups)
WITH f AS (SELECT category, placement_forecast(stay, daily_cost, '2023-08-31', '2023-12-31') AS f
           FROM pf_cat GROUP BY category),
     r AS (SELECT rollup(f) AS t, sum((f).cost) AS cost_sum, sqrt(sum((f).cost_sd ^ 2)) AS sd_sum,
                  sum((f).care_days) AS days_sum
           FROM f)
SELECT (t).cost = cost_sum AS cost_adds, abs((t).cost_sd - sd_sum) < 1e-6 AS sd_adds,
       abs((t).care_days - days_sum) < 1e-9 AS days_add, (t).open_stays, (t).arrivals_12m,
       (t).cost_per_care_day = (t).cost / (t).care_days AS ratio
FROM r;
SELECT rollup(f) IS NULL AS no_forecasts FROM (SELECT NULL::placement_forecast_result AS f) s;
SELECT rollup(f)
FROM (SELECT placement_forecast('[2023-08-01,)', '1000', a, '2023-12-31') AS f
      FROM (VALUES (DATE '2023-08-31'), ('2023-09-30')) v(a) GROUP BY a) s;

-- the year view needs the census up to and including as_of
SELECT placement_outlook(census('[2023-08-01,)', '1000', '[2023-01-01,2023-08-31)'),
                         placement_forecast('[2023-08-01,)', '1000', '2023-08-31', '2023-12-31'));
SELECT placement_outlook(NULL, placement_forecast('[2023-08-01,)', '1000', '2023-08-31', '2023-12-31')) IS NULL AS null_in;

DROP TABLE pf_small, pf_cat;
