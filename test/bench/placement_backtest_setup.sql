-- Data for test/bench/placement_backtest.sh (psql variables: munis; seed,
-- default 0, moves every random stream: another seed is another set of
-- municipalities; trend, default 0.02, the mean drift of the inflow a year).
--
-- placements_bt(muni, category, stay, daily_cost): external-care placements
-- of :munis simulated municipalities, arrivals 2000-01-01 .. 2024-12-31 with
-- their real (future) departures, in the three groups of Delårsrapport 2 2023 §4.3.4:
--
--   category  inflow/day  median stay  σ(log)  daily cost 2015 (median, σ(log))
--   barn        0.20         420 days    1.1     1 900 kr, 0.35
--   unga        0.75         120 days    1.0     4 200 kr, 0.35
--   vuxna       1.30          60 days    1.0     2 400 kr, 0.30
--
-- (about 150, 150 and 130 persons per day for a municipality of size 1, as
-- Örebro's 165, 154 and 134 in 2023).  Each municipality has a size (log-
-- normal, σ 0.5) and a drift of its inflow (the trend variable, 2 % a year by default, ± 3 %); each of its
-- categories' inflow level moves as a random walk with a step of σ 0.10 a
-- year (knots on 1 July, linear in between), and has a season (+20 % in early
-- October, -20 % in early April).  Arrivals per day are Poisson; stay lengths
-- log-normal (1 day .. 15 years); the daily cost is fixed when a stay starts:
-- the category's median × a price index (3 % a year ± 2 %, the same for all
-- municipalities) × log-normal.  Every random number is a hash of (key,
-- stream), so the table is the same on every run and every machine.
\set ON_ERROR_STOP 1
\if :{?seed}
\else
\set seed 0
\endif
\if :{?trend}
\else
\set trend 0.02
\endif
CREATE EXTENSION IF NOT EXISTS actionplan;
\ir lib.sql

-- a Poisson number with mean lambda at uniform u (inverse distribution function)
CREATE FUNCTION pg_temp.poisson(lambda float8, u float8) RETURNS int
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE k int := 0; p float8 := exp(-lambda); c float8 := exp(-lambda);
BEGIN
  WHILE u > c AND k < 1000 LOOP
    k := k + 1; p := p * lambda / k; c := c + p;
  END LOOP;
  RETURN k;
END $$;
-- a standard normal from (key, stream) (Box–Muller)
CREATE FUNCTION pg_temp.z(i bigint, s bigint) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT sqrt(-2 * ln(pg_temp.u(i, s))) * cos(2 * pi() * pg_temp.u(i, s + 1)) $$;
-- every stream moved by the seed (streams below 100 apart)
SELECT 100 * :seed AS soff \gset

SELECT clock_timestamp() AS t0 \gset
CREATE TABLE bt_category (k int PRIMARY KEY, category text, inflow float8, median_days float8,
                          sigma_days float8, median_cost float8, sigma_cost float8);
INSERT INTO bt_category VALUES
  (1, 'barn', 0.20, 420, 1.1, 1900, 0.35),
  (2, 'unga', 0.75, 120, 1.0, 4200, 0.35),
  (3, 'vuxna', 1.30, 60, 1.0, 2400, 0.30);

-- the price index by start year (2015 = 1)
CREATE TABLE bt_index AS
WITH g AS (SELECT y, sum(ln(1.03 + 0.02 * pg_temp.z(y, 11 + :soff))) OVER (ORDER BY y) AS cum
           FROM generate_series(2000, 2025) y)
SELECT y, exp(cum - (SELECT cum FROM g WHERE y = 2015)) AS idx FROM g;

-- the municipalities' parameters (for the count bound of
-- test/bench/placement_bound.R): size, the log level before the walk's first
-- step in 1999, and drift, the mean of the walk's yearly steps (the same
-- terms as bt_level's below)
CREATE TABLE bt_muni AS
SELECT m, 0.5 * pg_temp.z(m, 21 + :soff) - :trend * (2023 - 1999) AS size,
       :trend + 0.03 * pg_temp.z(m, 23 + :soff) AS drift
FROM generate_series(1, :munis) m;

-- inflow level per municipality, category and year (log, knot on 1 July):
-- size + a random walk with the municipality's drift, about 0 in 2023 on average
CREATE TABLE bt_level AS
SELECT m, k, y,
       0.5 * pg_temp.z(m, 21 + :soff) - :trend * (2023 - 1999)
       + sum(:trend + 0.03 * pg_temp.z(m, 23 + :soff) + 0.10 * pg_temp.z(m * 1000 + k * 100 + (y - 1990), 25 + :soff))
           OVER (PARTITION BY m, k ORDER BY y) AS lvl
FROM generate_series(1, :munis) m, generate_series(1, 3) k, generate_series(1999, 2025) y;

-- arrivals per municipality, category and day: Poisson with the level
-- interpolated between the knots around the day, and the season
CREATE TABLE bt_days AS
SELECT l0.m, l0.k, g.day,
       pg_temp.poisson(c.inflow * exp(l0.lvl + (l1.lvl - l0.lvl) * g.frac)
                         * (1 + 0.2 * cos(2 * pi() * (extract(doy FROM g.day) - 280) / 365.25)),
                       pg_temp.u((l0.m * 10 + l0.k) * 100000 + (g.day - DATE '2000-01-01'), 31 + :soff)) AS n
FROM (SELECT day, ky, (day - make_date(ky, 7, 1))::float8 / (make_date(ky + 1, 7, 1) - make_date(ky, 7, 1)) AS frac
      FROM (SELECT d::date AS day,
                   extract(year FROM d)::int - (d < make_date(extract(year FROM d)::int, 7, 1))::int AS ky
            FROM generate_series(DATE '2000-01-01', DATE '2024-12-31', interval '1 day') d) x) g
JOIN bt_level l0 ON l0.y = g.ky
JOIN bt_level l1 ON l1.m = l0.m AND l1.k = l0.k AND l1.y = g.ky + 1
JOIN bt_category c ON c.k = l0.k;

CREATE TABLE placements_bt AS
SELECT d.m AS muni, c.category,
       daterange(d.day, d.day + least(5479, greatest(1, round(c.median_days * exp(c.sigma_days * pg_temp.z(id, 41 + :soff)))))::int) AS stay,
       round(c.median_cost * i.idx * exp(c.sigma_cost * pg_temp.z(id, 43 + :soff)))::bigint::sek AS daily_cost
FROM bt_days d
JOIN bt_category c USING (k)
JOIN bt_index i ON i.y = extract(year FROM d.day)
CROSS JOIN LATERAL (SELECT (((d.m * 10 + d.k) * 100000 + (d.day - DATE '2000-01-01')) * 32 + j)::bigint AS id
                    FROM generate_series(1, d.n) j) a;
ALTER TABLE placements_bt SET (parallel_workers = 2);
VACUUM (FREEZE, ANALYZE) placements_bt;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS secs, count(*) AS n
FROM placements_bt \gset
\echo generated :n placements of :munis municipalities in :secs s
\pset footer off
SELECT category, count(*) AS placements,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY upper(stay) - lower(stay)) AS "median days",
       round(sum(care_days(stay, '[2023-01-01,2024-01-01)')) / 365.0 / :munis, 1) AS "persons/day 2023 per muni",
       round((sum(stay_cost(stay, daily_cost, '[2023-01-01,2024-01-01)'))::numeric
              / nullif(sum(care_days(stay, '[2023-01-01,2024-01-01)')), 0))) AS "kr/care day 2023"
FROM placements_bt GROUP BY category ORDER BY category;
