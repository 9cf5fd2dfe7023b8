-- Data for test/bench/census_bench.sh (psql variable: rows).
--
-- placements(id, category, stay, daily_cost): :rows placements of a Swedish
-- municipality's social services, arrivals spread evenly over 2015-01-01 ..
-- 2025-12-31 in id order (ids are handed out as placements are made), in
-- seven categories with their own share, daily cost and stay length:
--
--   category                     share  median stay  σ(log)  daily cost (median, σ(log))
--   HVB                           18 %     150 days    0.9    3 500 kr, 0.25
--   SiS                            5 %     100 days    0.8    6 000 kr, 0.10
--   konsulentstött familjehem     22 %     450 days    1.0    1 500 kr, 0.20
--   internt familjehem            17 %     600 days    1.1      700 kr, 0.20
--   jourhem                       15 %      40 days    0.8    1 800 kr, 0.20
--   nätverkshem                   10 %     700 days    1.1      500 kr, 0.30
--   stödboende                    13 %     200 days    0.8    1 200 kr, 0.25
--
-- Stay lengths are log-normal (1 day .. 15 years), daily costs log-normal
-- rounded to whole kronor; 3 % of the stays are open (no departure yet: NULL
-- upper bound).  Every random number is a hash of (id, stream), so the table
-- is the same on every run and every machine.
--
-- Also builds census_year(category, year, c): the yearly census of each
-- category for 2015..2024, as a report table would store them.
\set ON_ERROR_STOP 1
CREATE EXTENSION actionplan;

\ir lib.sql

SELECT clock_timestamp() AS t0 \gset
CREATE TABLE placements AS
WITH p AS (
  SELECT ARRAY['HVB', 'SiS', 'konsulentstött familjehem', 'internt familjehem',
               'jourhem', 'nätverkshem', 'stödboende'] AS name,
         ARRAY[150, 100, 450, 600, 40, 700, 200]::float8[] AS median_days,
         ARRAY[0.9, 0.8, 1.0, 1.1, 0.8, 1.1, 0.8]::float8[] AS sigma_days,
         ARRAY[3500, 6000, 1500, 700, 1800, 500, 1200]::float8[] AS median_cost,
         ARRAY[0.25, 0.10, 0.20, 0.20, 0.20, 0.30, 0.25]::float8[] AS sigma_cost
), g AS (
  SELECT i,
         -- category by cumulative share
         CASE WHEN c < 0.18 THEN 1 WHEN c < 0.23 THEN 2 WHEN c < 0.45 THEN 3
              WHEN c < 0.62 THEN 4 WHEN c < 0.77 THEN 5 WHEN c < 0.87 THEN 6
              ELSE 7 END AS k,
         -- two independent standard normals (Box-Muller)
         sqrt(-2 * ln(u1)) * cos(2 * pi() * u2) AS z_days,
         sqrt(-2 * ln(u1)) * sin(2 * pi() * u2) AS z_cost,
         -- arrival: stratified over the 4 018 days of 2015..2025, in id order
         DATE '2015-01-01' + floor(((i - 1) + a) * 4018 / :rows)::int AS arrival,
         o < 0.03 AS open
  FROM (SELECT i, pg_temp.u(i, 1) AS c, pg_temp.u(i, 2) AS u1, pg_temp.u(i, 3) AS u2,
               pg_temp.u(i, 4) AS a, pg_temp.u(i, 5) AS o
        FROM generate_series(1::bigint, :rows) AS i) AS h
)
SELECT i AS id,
       p.name[k] AS category,
       daterange(arrival, CASE WHEN open THEN NULL
                               ELSE arrival + least(5479, greatest(1,
                                      round(p.median_days[k] * exp(p.sigma_days[k] * z_days))))::int
                          END) AS stay,
       round(p.median_cost[k] * exp(p.sigma_cost[k] * z_cost))::bigint::sek AS daily_cost
FROM g CROSS JOIN p;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS secs \gset
\echo generated :rows placements in :secs s

-- statistics on arrival and departure days, so that the planner knows a sweep
-- groups into some 4 000 arrival and 9 000 departure days (not millions, as
-- it guesses from the stay column or from a sample-based estimate at the
-- default target) and hashes them, in parallel with partial aggregation
CREATE STATISTICS placements_arrival ON (lower(stay)) FROM placements;
CREATE STATISTICS placements_departure ON (upper(stay)) FROM placements;
ALTER STATISTICS placements_arrival SET STATISTICS 1000;
ALTER STATISTICS placements_departure SET STATISTICS 1000;

-- 2 workers for any ROWS (from its size alone the planner gives a table of
-- 10 M rows, 750 MB, 2 workers anyway; a small one gets fewer)
ALTER TABLE placements SET (parallel_workers = 2);

-- frozen and all-visible, so no query pays for visibility checks; a VACUUM
-- right after loading can leave pages behind while a background worker's
-- snapshot (pg_cron's launcher) still covers them, so do it twice
VACUUM (FREEZE, ANALYZE) placements;
SELECT pg_sleep(2) \g /dev/null
VACUUM (FREEZE) placements;
DO $$BEGIN
  IF EXISTS (SELECT FROM pg_class WHERE relname = 'placements' AND relallvisible < relpages)
  THEN RAISE EXCEPTION 'bench: placements is not all-visible after VACUUM';
  END IF;
END$$;

-- the yearly census states 2015..2024 per category (one scan per year)
SELECT clock_timestamp() AS t0 \gset
CREATE TABLE census_year (category text, year int, c census, PRIMARY KEY (category, year));
SET max_parallel_workers_per_gather = 0;
DO $$BEGIN
  FOR y IN 2015..2024 LOOP
    INSERT INTO census_year
    SELECT category, y, census(stay, daily_cost, daterange(make_date(y, 1, 1), make_date(y + 1, 1, 1)))
    FROM placements GROUP BY category;
  END LOOP;
END$$;
RESET max_parallel_workers_per_gather;
VACUUM (FREEZE, ANALYZE) census_year;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 1) AS secs,
       count(*) AS n, pg_size_pretty(pg_total_relation_size('census_year')) AS size
FROM census_year \gset
\echo census_year: :n yearly states (7 categories x 10 years), :size, built in :secs s

-- what the data looks like
SELECT count(*) AS n,
       round(100.0 * count(*) FILTER (WHERE upper_inf(stay)) / count(*), 2) AS open_pct,
       min(lower(stay)) AS first, max(lower(stay)) AS last,
       pg_size_pretty(pg_table_size('placements')) AS size,
       (SELECT relpages FROM pg_class WHERE relname = 'placements') AS pages
FROM placements \gset
\echo data: :n placements, arrivals :first .. :last, :open_pct % open, table :size (:pages pages)
\pset footer off
SELECT category,
       count(*) AS placements,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "share %",
       percentile_disc(0.5) WITHIN GROUP (ORDER BY upper(stay) - lower(stay)) AS "median days",
       percentile_disc(0.9) WITHIN GROUP (ORDER BY upper(stay) - lower(stay)) AS "p90 days",
       percentile_disc(0.5) WITHIN GROUP (ORDER BY daily_cost) AS "median kr/day",
       min(daily_cost) AS "min kr/day", max(daily_cost) AS "max kr/day"
FROM placements GROUP BY category ORDER BY category;
