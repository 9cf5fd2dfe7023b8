-- census against a day-by-day count in plain SQL (generate_series) on
-- thousands of random stays; parallel plans against serial; rollup of
-- monthly states against the yearly census.
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS cen_stay;
SELECT setseed(0.17);
CREATE TABLE cen_stay AS
SELECT i, (ARRAY['HVB', 'SiS', 'Familjehem', 'Jourhem'])[1 + i % 4] AS category,
       CASE WHEN i % 97 = 0 THEN 'empty'::daterange
            WHEN i % 31 = 0 THEN daterange(s, NULL)            -- open
            WHEN i % 53 = 0 THEN daterange(NULL, s + len)      -- unbounded start
            ELSE daterange(s, s + len) END AS stay,
       CASE WHEN i % 89 = 0 THEN NULL ELSE sek_from_ore((100000 + (i * 7919) % 400000)::bigint) END AS daily_cost
FROM (SELECT i, DATE '2021-06-01' + (random() * 1000)::int AS s,
             1 + floor(exp(random() * 6))::int AS len
      FROM generate_series(1, 6000) i) g;
ANALYZE cen_stay;

-- the plain-SQL truth: one row per category and day of 2023
DROP TABLE IF EXISTS cen_truth;
CREATE TABLE cen_truth AS
SELECT category, d::date AS day, count(*) AS persons, sum(sek_ore(daily_cost)) AS cost_ore
FROM cen_stay,
     generate_series(greatest(coalesce(lower(stay), '2023-01-01'), '2023-01-01'),
                     least(coalesce(upper(stay), '2024-01-01'), '2024-01-01') - 1, interval '1 day') d
WHERE daily_cost IS NOT NULL AND NOT isempty(stay)
GROUP BY category, d::date;

-- monthly states per category, stored as a report table would store them
DROP TABLE IF EXISTS cen_states;
CREATE TABLE cen_states AS
SELECT category, m::date AS month,
       census(stay, daily_cost, daterange(m::date, (m + interval '1 month')::date)) AS c
FROM cen_stay, generate_series(DATE '2023-01-01', DATE '2023-12-01', interval '1 month') m
GROUP BY category, m;
ANALYZE cen_states;

BEGIN;
SELECT plan(24);

CREATE TEMP TABLE cen AS
SELECT category, census(stay, daily_cost, '[2023-01-01,2024-01-01)') AS c
FROM cen_stay GROUP BY category;

SELECT is((SELECT count(*) FROM cen), 4::bigint, 'one census per category');
SELECT set_eq(
  $$SELECT category AS c0, care_days(c) AS c1, sek_ore(cost(c)) AS c2, peak(c) AS c3 FROM cen$$,
  $$SELECT category AS c0, sum(persons)::bigint AS c1, sum(cost_ore)::bigint AS c2, max(persons) AS c3 FROM cen_truth GROUP BY category$$,
  'care days, cost and peak equal the day-by-day count');
SELECT set_eq(
  $$SELECT category AS c0, lower(b.period) AS c1, b.care_days AS c2, b.peak AS c3, sek_ore(b.cost) AS c4
    FROM cen, census_buckets(c, '1 day') b WHERE b.care_days > 0$$,
  $$SELECT category AS c0, day AS c1, persons AS c2, persons AS c3, cost_ore::bigint AS c4 FROM cen_truth$$,
  'every day''s headcount and cost equal the day-by-day count');
SELECT set_eq(
  $$SELECT category AS c0, lower(b.period) AS c1, b.care_days AS c2, b.peak AS c3, sek_ore(b.cost) AS c4
    FROM cen, census_buckets(c, '1 month') b$$,
  $$SELECT k.category AS c0, m::date AS c1, coalesce(sum(t.persons), 0)::bigint AS c2, coalesce(max(t.persons), 0) AS c3, coalesce(sum(t.cost_ore), 0)::bigint AS c4
    FROM (SELECT DISTINCT category FROM cen_stay) k
    CROSS JOIN generate_series(DATE '2023-01-01', DATE '2023-12-01', interval '1 month') m
    LEFT JOIN cen_truth t ON t.category = k.category AND date_trunc('month', t.day) = m
    GROUP BY k.category, m$$,
  'monthly buckets equal the plain-SQL monthly counts');
SELECT is((SELECT sum(b.care_days) FROM cen, census_buckets(c, '1 week') b),
          (SELECT sum(persons)::numeric FROM cen_truth), 'weekly buckets add up to all care days');
SELECT is((SELECT sum(b.care_days) FROM cen, census_buckets(c, '3 months') b),
          (SELECT sum(persons)::numeric FROM cen_truth), 'quarterly buckets add up to all care days');
SELECT set_eq(
  $$SELECT category AS c0, care_days(c, '[2023-03-15,2023-06-20)') AS c1, peak(c, '[2023-03-15,2023-06-20)') AS c2,
           sek_ore(cost(c, '[2023-03-15,2023-06-20)')) AS c3 FROM cen$$,
  $$SELECT k.category AS c0, coalesce(sum(t.persons), 0)::bigint AS c1, coalesce(max(t.persons), 0) AS c2, coalesce(sum(t.cost_ore), 0)::bigint AS c3
    FROM (SELECT DISTINCT category FROM cen_stay) k
    LEFT JOIN cen_truth t ON t.category = k.category AND t.day >= '2023-03-15' AND t.day < '2023-06-20'
    GROUP BY k.category$$,
  'sub-period accessors equal the plain-SQL count over the sub-period');
SELECT set_eq(
  $$SELECT category AS c0, cost_per_care_day(c) AS c1, persons_per_day(c) AS c2 FROM cen$$,
  $$SELECT category AS c0, (sum(cost_ore)::numeric / sum(persons) / 100)::numeric(20,2)::sek AS c1,
           sum(persons)::float8 / 365 AS c2
    FROM cen_truth GROUP BY category$$,
  'cost per care day (rounded to the öre) and persons per day equal the plain-SQL ones');
SELECT is((SELECT sum(persons_per_day(c)) FROM cen),
          (SELECT sum(persons)::float8 / 365 FROM cen_truth), 'persons per day = care days / 365');
SELECT is((SELECT occupancy(rollup(c), 50) FROM cen),
          (SELECT sum(persons)::float8 / (50 * 365) FROM cen_truth), 'occupancy of the rolled-up census');
SELECT is((SELECT sum(sek_ore(stay_cost(stay, daily_cost, '[2023-01-01,2024-01-01)'))) FROM cen_stay WHERE daily_cost IS NOT NULL),
          (SELECT sum(cost_ore) FROM cen_truth), 'stay_cost per row adds up to the census cost');
SELECT is((SELECT sum(care_days(stay, '[2023-01-01,2024-01-01)')) FROM cen_stay WHERE daily_cost IS NOT NULL),
          (SELECT sum(persons)::bigint FROM cen_truth), 'care_days per row adds up to the census care days');

-- rollup: monthly states make the yearly census; categories make the total
SELECT is((SELECT rollup(c)::text FROM (
             SELECT census(stay, daily_cost, daterange(m::date, (m + interval '1 month')::date)) c
             FROM cen_stay, generate_series(DATE '2023-01-01', DATE '2023-12-01', interval '1 month') m
             GROUP BY m) s),
          (SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)')::text FROM cen_stay),
          'rollup of twelve monthly states equals the yearly census');
SELECT is((SELECT rollup(c)::text FROM cen),
          (SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)')::text FROM cen_stay),
          'rollup of the categories equals the census of all stays');

\ir lib/parallel.psql
-- stay_overlaps is stay && period: on the random stays against many periods,
-- and on every pair of odd ranges (empty, unbounded, infinite dates, one day)
CREATE TEMP TABLE odd(r) AS VALUES ('empty'::daterange), ('(,)'), ('[2023-01-01,)'), ('(,2023-01-01)'),
  ('[2023-01-01,2023-01-02)'), ('[2022-12-31,2023-01-01)'), ('[-infinity,2023-01-01)'), ('[2023-01-01,infinity)'),
  ('[2023-01-01,infinity]'), ('[infinity,infinity]'), ('[-infinity,-infinity]'), ('[-infinity,infinity]'),
  ('[2023-12-31,2024-01-01)'), ('[2024-01-01,2024-02-01)'), ('[4713-01-01 BC,4713-01-02 BC)'), ('[5874897-12-30,5874897-12-31)');
SELECT is((SELECT count(*) FROM cen_stay, (SELECT daterange(d::date, d::date + len) AS p FROM generate_series(DATE '2021-01-01', DATE '2025-01-01', interval '97 days') d,
                                                  unnest(ARRAY[1, 2, 31, 365]) len) ps
           WHERE stay_overlaps(stay, p) IS DISTINCT FROM (stay && p)),
          0::bigint, 'stay_overlaps equals && on the random stays and 200 periods');
SELECT is((SELECT count(*) FROM odd a, odd b WHERE stay_overlaps(a.r, b.r) IS DISTINCT FROM (a.r && b.r)),
          0::bigint, 'stay_overlaps equals && on every pair of empty, unbounded, infinite and edge ranges');
CREATE TEMP TABLE ix AS SELECT * FROM cen_stay;
CREATE INDEX ON ix USING gist (stay);
ANALYZE ix;
SET enable_seqscan = off;
SELECT matches(pg_temp.plan_of($$SELECT count(*) FROM ix WHERE stay_overlaps(stay, '[2023-05-01,2023-05-02)')$$),
               'Index Cond: \(stay && ', 'stay_overlaps is answered by a GiST index as &&');
RESET enable_seqscan;
CREATE FUNCTION pg_temp.est_rows(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE j json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
  RETURN (j -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END $$;
SELECT is(pg_temp.est_rows($$SELECT * FROM cen_stay WHERE stay_overlaps(stay, '[2023-05-01,2023-06-01)')$$),
          pg_temp.est_rows($$SELECT * FROM cen_stay WHERE stay && '[2023-05-01,2023-06-01)'$$),
          'stay_overlaps is estimated like && (same row estimate)');

-- forced parallel plans equal serial results
CREATE TEMP TABLE serial AS
SELECT category, census(stay, daily_cost, '[2023-01-01,2024-01-01)')::text AS c FROM cen_stay GROUP BY category;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of($$SELECT category, census(stay, daily_cost, '[2023-01-01,2024-01-01)') FROM cen_stay GROUP BY category$$),
               'Partial (Hash)?Aggregate', 'census: the plan has a Partial Aggregate');
SELECT matches(pg_temp.plan_of($$SELECT category, census(stay, daily_cost, '[2023-01-01,2024-01-01)') FROM cen_stay GROUP BY category$$),
               'Workers Launched: [12]', 'census: parallel workers were launched');
SELECT set_eq($$SELECT category AS c0, census(stay, daily_cost, '[2023-01-01,2024-01-01)')::text AS c1 FROM cen_stay GROUP BY category$$,
              $$SELECT category AS c0, c AS c1 FROM serial$$, 'census: parallel result equals serial');
SELECT is((SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)')::text FROM cen_stay),
          (SELECT rollup(c::census)::text FROM serial), 'census without grouping in parallel equals the rollup of the serial ones');
SELECT matches(pg_temp.plan_of('SELECT category, rollup(c) FROM cen_states GROUP BY category'),
               'Partial (Hash)?Aggregate', 'rollup: the plan has a Partial Aggregate');
SELECT set_eq($$SELECT category AS c0, rollup(c)::text AS c1 FROM cen_states GROUP BY category$$,
              $$SELECT category AS c0, c AS c1 FROM serial$$,
              'rollup of stored monthly states in parallel equals the serial yearly census');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE cen_stay, cen_truth, cen_states;
