-- its_effect: interrupted time series of a monthly series.  A series the
-- model fits exactly gives its coefficients back with no spread; a noisy one
-- its estimates with 95 % intervals; mid-month dates, split rows and NULLs
-- are handled as documented; bad input is an ERROR that says what is wrong
-- (the SQLSTATEs are checked in test/its.sql).
\set SHOW_CONTEXT never

-- exact: 100 + 2 t before, then 10 lower and 1 a month flatter, 18 months
-- each side (36 months: month-of-year effects are modelled, and are 0)
CREATE TABLE its_exact AS
SELECT (date '2021-07-01' + make_interval(months => m))::date AS d,
       100 + 2 * (m - 18) + CASE WHEN m >= 18 THEN -10 - (m - 18) ELSE 0 END AS y
FROM generate_series(0, 35) AS m;
SELECT intervention, first_month, last_month, months_before, months_after, seasonal, rho,
       round(sigma::numeric, 9) AS sigma, round(level_change::numeric, 9) AS level_change,
       level_se, level_df, round(level_lo::numeric, 9) AS level_lo, round(level_hi::numeric, 9) AS level_hi,
       round(trend_change::numeric, 9) AS trend_change, trend_se, trend_df,
       round(pre_trend::numeric, 9) AS pre_trend, round(effect_last::numeric, 9) AS effect_last,
       round(effect_total::numeric, 9) AS effect_total, round(effect_total_lo::numeric, 9) AS effect_total_lo
FROM (SELECT (its_effect(d, y, '2023-01-01')).* FROM its_exact) r;

-- a measure from 15 January counts all of January as after: the same fit
SELECT (its_effect(d, y, '2023-01-15')).intervention,
       (its_effect(d, y, '2023-01-15')).level_change = (its_effect(d, y, '2023-01-01')).level_change AS same
FROM its_exact;

-- values are summed per month: two rows of half the value on other days fit as one row
SELECT round((its_effect(d + k, y / 2.0, '2023-01-01')).level_change::numeric, 9) AS level_change,
       round((its_effect(d + k, y / 2.0, '2023-01-01')).trend_change::numeric, 9) AS trend_change
FROM its_exact, generate_series(3, 4) AS k;

-- cost per care day, 4 years with a season and noise (a fixed sequence):
-- the measure lowers the level by about 150 kr and the trend by 4 kr a month
CREATE TABLE its_cost AS
SELECT (date '2020-01-01' + make_interval(months => m))::date AS d,
       2600 + 6 * (m - 30) + CASE WHEN m >= 30 THEN -150 - 4 * (m - 30) ELSE 0 END
       + 80 * cos(2 * pi() * m / 12) + 40 * sin(m * 2.3) + 25 * cos(m * 0.9) AS y
FROM generate_series(0, 47) AS m;
SELECT intervention, first_month, last_month, months_before, months_after, seasonal,
       round(rho::numeric, 3) AS rho, round(sigma::numeric, 2) AS sigma,
       round(level_change::numeric, 1) AS level_change, round(level_lo::numeric, 1) AS level_lo, round(level_hi::numeric, 1) AS level_hi,
       round(level_df::numeric, 1) AS level_df,
       round(trend_change::numeric, 2) AS trend_change, round(trend_lo::numeric, 2) AS trend_lo, round(trend_hi::numeric, 2) AS trend_hi,
       round(pre_trend::numeric, 2) AS pre_trend,
       round(effect_last::numeric) AS effect_last, round(effect_total::numeric, -2) AS effect_total,
       effect_total_lo < effect_total AND effect_total < effect_total_hi AS total_inside
FROM (SELECT (its_effect(d, y, '2022-07-01')).* FROM its_cost) r;
-- without the months of 2021 (a gap of a year): still seasonal (each
-- calendar month twice), the AR(1) correlation spans the gap
SELECT months_before, months_after, seasonal, round(level_change::numeric, -1) AS level_change
FROM (SELECT (its_effect(d, y, '2022-07-01')).* FROM its_cost WHERE extract(year FROM d) <> 2021) r;
-- 22 months: too few for month-of-year effects
SELECT months_before, months_after, seasonal
FROM (SELECT (its_effect(d, y, '2022-07-01')).* FROM its_cost WHERE d >= '2022-03-01') r;

-- NULL period or value: the row is skipped; no row with both: NULL
SELECT (its_effect(d, CASE WHEN d = '2022-03-01' THEN NULL ELSE y END, '2022-07-01')).months_before,
       (its_effect(CASE WHEN d = '2022-08-01' THEN NULL ELSE d END, y, '2022-07-01')).months_after
FROM its_cost;
SELECT its_effect(d, NULL, '2022-07-01') IS NULL AS all_null FROM its_cost;
SELECT its_effect(d, y, '2022-07-01') IS NULL AS no_rows FROM its_cost WHERE false;
-- one fit per group, each with its own intervention
SELECT u, (its_effect(d, y, iv)).intervention, (its_effect(d, y, iv)).months_before
FROM its_cost, (VALUES ('a', date '2021-03-01'), ('b', date '2022-07-01')) v(u, iv) GROUP BY u ORDER BY u;

-- bad input
SELECT its_effect(d, y, NULL) FROM its_cost;
SELECT its_effect(d, y, 'infinity') FROM its_cost;
SELECT its_effect(d, y, CASE WHEN d < '2021-01-01' THEN date '2022-07-01' ELSE date '2022-08-01' END) FROM its_cost;
SELECT its_effect(d, y, '2019-12-31') FROM its_cost;
SELECT its_effect(d, y, '2024-01-01') FROM its_cost;
SELECT its_effect(d, y, '2020-04-01') FROM its_cost;
SELECT its_effect(d, y, '2023-10-01') FROM its_cost;
SELECT its_effect(d, y, '2022-07-01') FROM its_cost WHERE d BETWEEN '2022-05-01' AND '2022-10-01';
SELECT its_effect(d, CASE WHEN d = '2021-05-01' THEN 'NaN' ELSE y END, '2022-07-01') FROM its_cost;
SELECT its_effect(d, CASE WHEN d = '2021-05-01' THEN '-Infinity' ELSE y END, '2022-07-01') FROM its_cost;
SELECT its_effect(CASE WHEN d = '2021-05-01' THEN 'infinity' ELSE d END, y, '2022-07-01') FROM its_cost;
SELECT its_effect(d, y, '10000-01-01') FROM its_cost;
SELECT its_effect(d, 1e308, '2022-07-01') FROM its_cost, generate_series(1, 2);
SELECT its_effect(v, 1, '2022-07-01') FROM unnest(ARRAY[date '1900-01-01', '2022-07-01']) AS v;

DROP TABLE its_exact, its_cost;
