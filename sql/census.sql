-- Placements: care days, daily census, cost, occupancy.
\set SHOW_CONTEXT never

-- one row: the arrival day is a care day, the departure day is not
SELECT care_days('[2023-01-10,2023-02-05)'::daterange, '[2023-01-01,2023-02-01)') AS jan,
       care_days('[2023-01-10,2023-02-05)'::daterange, '[2023-02-01,2023-03-01)') AS feb,
       care_days('[2023-03-01,2023-03-02)'::daterange, '[2023-01-01,2024-01-01)') AS one_day,
       care_days('[2023-03-01,)'::daterange, '[2023-01-01,2024-01-01)') AS open_stay,
       care_days('[2023-03-01,infinity)'::daterange, '[2023-01-01,2024-01-01)') AS infinity_end,
       care_days('(,2023-03-01)'::daterange, '[2023-01-01,2024-01-01)') AS unbounded_start,
       care_days('[2023-03-01,2023-03-10)'::daterange, '[2023-01-01,)') AS open_period,
       care_days('empty'::daterange, '[2023-01-01,2024-01-01)') AS empty_stay,
       care_days('[2022-01-01,2022-06-01)'::daterange, '[2023-01-01,2024-01-01)') AS outside,
       care_days('[2023-01-01,2023-02-01)'::daterange, 'empty') AS empty_period,
       care_days(NULL::daterange, '[2023-01-01,2024-01-01)') AS null_stay;
SELECT stay_cost('[2023-01-10,2023-02-05)', '2 982 kr', '[2023-01-01,2023-02-01)') AS jan_cost,
       stay_cost('[2023-01-10,2023-02-05)', NULL, '[2023-01-01,2023-02-01)') AS null_cost;
SELECT care_days('[2023-03-01,)'::daterange, '[2023-01-01,)');
SELECT stay_cost('[2023-01-10,2023-02-05)', '-1 kr', '[2023-01-01,2023-02-01)');

-- a small placement table with every kind of edge case
CREATE TABLE placement (id int, category text, stay daterange, daily_cost sek);
INSERT INTO placement VALUES
  (1, 'HVB', '[2023-01-10,2023-02-05)', '3 200 kr'),   -- across a month end
  (2, 'HVB', '[2022-12-01,)', '2 500 kr'),             -- open, started before the period
  (3, 'SiS', '[2023-03-01,2023-03-02)', '9 000 kr'),   -- one day
  (4, 'HVB', 'empty', '100 kr'),                       -- empty range: no days
  (5, 'HVB', '[2023-06-01,2023-07-01)', NULL),         -- no cost: left out
  (6, 'Familjehem', '[2021-01-01,2022-01-01)', '900 kr'), -- wholly before
  (7, 'Familjehem', '(,2023-01-15)', '1 000 kr'),      -- unbounded start
  (8, 'Familjehem', '[2023-12-31,infinity)', '1 100 kr'), -- last day, open
  (9, 'SiS', NULL, '9 000 kr');                        -- no stay: left out

SELECT category, care_days(c), round(persons_per_day(c)::numeric, 4) AS persons_per_day,
       peak(c), cost(c), cost_per_care_day(c), period(c)
FROM (SELECT category, census(stay, daily_cost, '[2023-01-01,2024-01-01)') AS c
      FROM placement GROUP BY category) s
ORDER BY category;
-- a group whose stays all miss the period still has a census of zeros
SELECT care_days(c), peak(c), cost(c), cost_per_care_day(c) IS NULL AS no_cost_per_day
FROM (SELECT census(stay, daily_cost, '[2024-01-01,2024-02-01)') c FROM placement WHERE id = 6) s;
-- no rows: NULL
SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)') IS NULL AS null_census FROM placement WHERE false;

-- the text form: period, then daily persons and cost (öre), run-length encoded
SELECT census(stay, daily_cost, '[2023-01-01,2023-03-01)') FROM placement;
SELECT c::text::census::text = c::text AS round_trip
FROM (SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)') c FROM placement) s;

-- sub-periods and buckets
SELECT care_days(c, '[2023-01-01,2023-02-01)') AS jan_days,
       persons_per_day(c, '[2023-01-01,2023-02-01)') AS jan_persons,
       peak(c, '[2023-03-01,2023-03-02)') AS peak_1_march,
       cost(c, '[2023-03-01,2023-04-01)') AS march_cost,
       cost_per_care_day(c, '[2023-01-01,2023-02-01)') AS jan_per_day
FROM (SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)') c FROM placement) s;
SELECT (census_buckets(census(stay, daily_cost, '[2023-01-01,2024-01-01)'), '1 month')).*
FROM placement WHERE category = 'HVB';
SELECT (census_buckets(census(stay, daily_cost, '[2023-01-04,2023-02-01)'), '1 week')).*
FROM placement WHERE category = 'HVB';
SELECT (census_buckets(census(stay, daily_cost, '[2023-02-15,2024-01-01)'), '3 months')).*
FROM placement;
SELECT (census_buckets(census(stay, daily_cost, '[2022-07-01,2024-07-01)'), '1 year')).period
FROM placement;
SELECT count(*) AS days, sum(care_days) = (SELECT care_days(census(stay, daily_cost, '[2023-01-01,2024-01-01)')) FROM placement) AS adds_up
FROM (SELECT (census_buckets(census(stay, daily_cost, '[2023-01-01,2024-01-01)'), '1 day')).* FROM placement) b;

-- rollup: halves of a year add up to the year; facilities add up; gaps are errors
SELECT care_days(rollup(c)) = (SELECT care_days(census(stay, daily_cost, '[2023-01-01,2024-01-01)')) FROM placement) AS halves_make_year,
       cost(rollup(c)) = (SELECT cost(census(stay, daily_cost, '[2023-01-01,2024-01-01)')) FROM placement) AS costs_too,
       period(rollup(c))
FROM (SELECT census(stay, daily_cost, p) c
      FROM placement, (VALUES ('[2023-01-01,2023-07-01)'::daterange), ('[2023-07-01,2024-01-01)')) v(p)
      GROUP BY p) s;
SELECT rollup(c)::text = (SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)')::text FROM placement) AS categories_make_total
FROM (SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)') c FROM placement GROUP BY category) s;
SELECT rollup(c) FROM (SELECT census(stay, daily_cost, p) c
      FROM placement, (VALUES ('[2023-01-01,2023-02-01)'::daterange), ('[2023-03-01,2023-04-01)')) v(p)
      GROUP BY p) s;

-- errors: 22023 for bad periods and costs
SELECT census(stay, daily_cost, 'empty') FROM placement;
SELECT census(stay, daily_cost, '[2023-01-01,)') FROM placement;
SELECT census(stay, daily_cost, '(,2023-01-01)') FROM placement;
SELECT census(stay, daily_cost, '[-infinity,2023-01-01)') FROM placement;
SELECT census(stay, daily_cost, '[1900-01-01,2023-01-01)') FROM placement;
SELECT census(stay, '-5 kr', '[2023-01-01,2024-01-01)') FROM placement;
SELECT census(stay, daily_cost, CASE WHEN id < 3 THEN '[2023-01-01,2024-01-01)'::daterange ELSE '[2023-01-01,2023-07-01)' END) FROM placement;
SELECT care_days(census(stay, daily_cost, '[2023-01-01,2024-01-01)'), '[2022-12-01,2023-02-01)') FROM placement;
SELECT occupancy(census(stay, daily_cost, '[2023-01-01,2024-01-01)'), 0) FROM placement;
SELECT census_buckets(census(stay, daily_cost, '[2023-01-01,2024-01-01)'), '5 months') FROM placement;
SELECT census_buckets(census(stay, daily_cost, '[2023-01-01,2024-01-01)'), '1 hour') FROM placement;

-- malformed census text: 22P02
SELECT '[2023-01-01,2023-01-03) persons=1,2 cost=5,6'::census AS valid;
SELECT '[2023-01-01,2023-01-03) persons=1 cost=5'::census;
SELECT '[2023-01-01,2023-01-03) persons=1,2,3 cost=5,6'::census;
SELECT '[2023-01-01,2023-01-03) persons=1*3 cost=5,6'::census;
SELECT '[2023-01-01,2023-01-03) persons=-1,2 cost=5,6'::census;
SELECT '[2023-01-01,2023-01-03) persons=0,2 cost=5,6'::census;
SELECT '[2023-01-03,2023-01-01) persons=1,2 cost=5,6'::census;
SELECT '[2023-02-30,2023-03-01) persons=1 cost=5'::census;
SELECT '[1900-01-01,2023-03-01) persons=1 cost=5'::census;
SELECT '[2023-01-01,2023-01-03) persons=1,2 cost=5,6 extra'::census;
SELECT '[2023-01-01,2023-01-03) persons=1*0,2 cost=5,6'::census;
SELECT '[2023-01-01,2023-01-03) persons=99999999999999999999,2 cost=5,6'::census;
SELECT 'garbage'::census;

-- crafted binary census: 22P03
CREATE TABLE census_only (c census);
\set VERBOSITY sqlstate
-- 1 day from 2023-01-01 (day 8401) with a negative headcount
\copy (SELECT '\x000020d100000001ffffffffffffffff0000000000000000'::bytea) TO 'results/census_neg.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_neg.bin' WITH (FORMAT binary)
-- 0 days
\copy (SELECT '\x000020d100000000'::bytea) TO 'results/census_zero.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_zero.bin' WITH (FORMAT binary)
-- 2 days announced, 1 day of data
\copy (SELECT '\x000020d10000000200000000000000010000000000000005'::bytea) TO 'results/census_short.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_short.bin' WITH (FORMAT binary)
-- an absurd day count
\copy (SELECT '\x000020d17fffffff'::bytea) TO 'results/census_huge.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_huge.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- a valid crafted census, and a binary round trip
\copy (SELECT '\x000020d100000001000000000000000200000000000000c8'::bytea) TO 'results/census_ok.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_ok.bin' WITH (FORMAT binary)
INSERT INTO census_only SELECT census(stay, daily_cost, '[2023-01-01,2024-01-01)') FROM placement;
\copy census_only TO 'results/census_all.bin' WITH (FORMAT binary)
CREATE TABLE census_copy (c census);
\copy census_copy FROM 'results/census_all.bin' WITH (FORMAT binary)
SELECT (SELECT string_agg(c::text, '|' ORDER BY c::text) FROM census_only) =
       (SELECT string_agg(c::text, '|' ORDER BY c::text) FROM census_copy) AS binary_round_trip,
       (SELECT c::text FROM census_only ORDER BY length(c::text) LIMIT 1) AS crafted;
-- limits: every census lies within 0001-01-01 .. 9999-12-31 (its period ends
-- at 10000-01-01 at the latest); widths, sums and periods never wrap around
-- a width of 2^31 - 1 days is one bucket (it crashed the server)
SELECT * FROM census_buckets('[2023-01-01,2023-03-01) persons=1*59 cost=0*59'::census, '2147483647 days');
SELECT count(*) AS weeks_2147483646 FROM census_buckets('[2023-01-01,2023-03-01) persons=1*59 cost=0*59'::census, '306783378 weeks');
-- buckets at both ends of the range
SELECT count(*) AS months_of_year_1, min(lower(period)), max(upper(period))
FROM census_buckets('[0001-01-01,0002-01-01) persons=1*365 cost=0*365', '1 month');
SELECT period, care_days FROM census_buckets('[9999-12-25,10000-01-01) persons=1*7 cost=0*7', '1 week');
SELECT period, care_days FROM census_buckets('[9999-07-01,10000-01-01) persons=2*184 cost=0*184', '1 year');
-- a BC period never becomes a census (its month buckets ran away before)
SELECT census(daterange('0002-01-01 BC', '0002-02-01 BC'), 100::sek, daterange('0002-01-01 BC', '0002-03-01 BC'));
SELECT census(daterange('9999-12-01', '10000-02-01'), 100::sek, daterange('9999-12-01', '10000-02-01'));
SELECT census(stay, 1::sek, '[5874897-01-01,5874897-12-31)') FROM (VALUES ('[5874897-01-01,5874897-02-01)'::daterange)) s(stay);
-- text at the edges reads back; outside them it is refused
SELECT c, c::text::census::text = c::text AS round_trip
FROM (SELECT census(daterange('9999-12-30', NULL), 100::sek, daterange('9999-12-01', '10000-01-01')) AS c
      UNION ALL SELECT '[0001-01-01,0001-01-03) persons=1,2 cost=7,9') v;
SELECT '[0001-01-01 BC,0001-01-03) persons=1,2 cost=0,0'::census;
SELECT '[9999-12-31,10000-01-02) persons=1,2 cost=0,0'::census;
-- crafted sums: care days or cost beyond a bigint are refused at input (22003)
SELECT care_days('[2023-01-01,2023-01-03) persons=9223372036854775807*2 cost=0,0'::census);
SELECT cost_per_care_day('[2023-01-01,2023-01-03) persons=1*2 cost=9223372036854775807,1'::census);
-- the largest sums that fit are exact
SELECT care_days(c), cost(c), cost_per_care_day(c), peak(c)
FROM (SELECT '[2023-01-01,2023-01-03) persons=4611686018427387903,4611686018427387904 cost=4611686018427387903,4611686018427387904'::census c) v;
SELECT occupancy('[2023-01-01,2023-01-03) persons=1,2 cost=0,0'::census, 1e308);
\set VERBOSITY sqlstate
-- binary: a period in 1 BC (day -730120), one ending past 10000-01-01, huge counts, 3 bytes
\copy (SELECT '\xfff4dbf80000000100000000000000010000000000000000'::bytea) TO 'results/census_bc.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_bc.bin' WITH (FORMAT binary)
\copy (SELECT '\x002c95d3000000020000000000000001000000000000000100000000000000000000000000000000'::bytea) TO 'results/census_10000.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_10000.bin' WITH (FORMAT binary)
\copy (SELECT '\x000020d1000000027fffffffffffffff7fffffffffffffff00000000000000000000000000000000'::bytea) TO 'results/census_sum.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_sum.bin' WITH (FORMAT binary)
\copy (SELECT '\x000020'::bytea) TO 'results/census_3.bin' WITH (FORMAT binary)
\copy census_only FROM 'results/census_3.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- a dump in text form restores every row, edge values included
CREATE TABLE census_edges (id int, c census);
INSERT INTO census_edges VALUES
  (1, '[0001-01-01,0001-01-02) persons=1 cost=1'),
  (2, '[9999-12-31,10000-01-01) persons=9223372036854775807 cost=9223372036854775807'),
  (3, (SELECT census(daterange('0001-01-01', '0001-03-01'), 1::sek, daterange('0001-01-01', '0100-12-31')) FROM (VALUES (1)) x));
\copy census_edges TO 'results/census_edges.txt'
CREATE TABLE census_restored (LIKE census_edges);
\copy census_restored FROM 'results/census_edges.txt'
SELECT count(*) AS restored,
       count(*) FILTER (WHERE r.c::text = e.c::text AND census_send(r.c) = census_send(e.c)) AS equal
FROM census_edges e JOIN census_restored r USING (id);
DROP TABLE census_edges, census_restored;
DROP TABLE census_only, census_copy, placement;
