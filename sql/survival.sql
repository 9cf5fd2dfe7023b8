-- Stay survival curves (Kaplan–Meier): how each kind of stay is counted,
-- NULLs and edge cases, the accessors, rollup, text and binary I/O.
-- Agreement with R's survfit on random data is checked in test/survival.sql.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET DateStyle = 'ISO, YMD';

CREATE TABLE surv_stays (id int, note text, stay daterange);
INSERT INTO surv_stays VALUES
  (1, 'one-day stay', '[2024-01-01,2024-01-02)'),
  (2, 'empty range', '[2024-01-01,2024-01-01)'),
  (3, 'open, no end', '[2024-05-01,)'),
  (4, 'open, end infinity', '[2024-05-01,infinity)'),
  (5, 'ends after as_of', '[2024-06-01,2024-07-15)'),
  (6, 'departs on as_of', '[2024-06-10,2024-06-30)'),
  (7, 'starts after as_of', '[2024-07-01,2024-07-05)'),
  (8, 'arrives on as_of', '[2024-06-30,2024-07-02)'),
  (9, 'NULL stay', NULL),
  (10, 'closed upper bound', '[2024-03-01,2024-03-31]'),
  (11, 'departs the day after as_of', '[2024-06-20,2024-07-01)');

-- each stay alone, seen at 2024-06-30: an event at end - start days, or
-- censored at as_of - start days; left out or skipped otherwise
SELECT id, note, stay, stay_survival(stay, '2024-06-30') AS curve
FROM surv_stays GROUP BY id, note, stay ORDER BY id;

-- all together
SELECT c AS curve, stay_count(c), event_count(c)
FROM (SELECT stay_survival(stay, '2024-06-30') AS c FROM surv_stays) s;

-- NULL as_of rows are skipped too; no usable row gives NULL; rows that are
-- all left out give a curve without stays (and NULL estimates)
SELECT stay_survival(stay, d) AS null_as_of_skipped
FROM (VALUES ('[2024-01-01,2024-01-03)'::daterange, '2024-06-30'::date),
             ('[2024-01-01,2024-01-02)', NULL)) v(stay, d);
SELECT stay_survival(stay, '2024-06-30') IS NULL AS all_null
FROM (VALUES (NULL::daterange), (NULL)) v(stay);
SELECT stay_survival(stay, '2024-06-30') IS NULL AS no_rows FROM surv_stays WHERE false;
SELECT c AS left_out, stay_count(c), event_count(c), survival(c, 0), median_stay(c),
       (survival_interval(c, 0)).*, expected_remaining_days(c, 0, 10)
FROM (SELECT stay_survival(stay, '2024-06-30') AS c
      FROM (VALUES ('empty'::daterange), ('[2024-08-01,2024-09-01)')) v(stay)) s;

-- errors: a stay without a start, an infinite as_of, as_of differing in a group
SELECT stay_survival(daterange(NULL, '2024-01-01'), '2024-06-30');
SELECT stay_survival(daterange('-infinity', '2024-01-01'), '2024-06-30');
SELECT stay_survival('[2024-01-01,2024-02-01)', 'infinity');
SELECT stay_survival(stay, d)
FROM (VALUES ('[2024-01-01,2024-01-03)'::daterange, '2024-06-30'::date),
             ('[2024-01-01,2024-01-02)', '2024-07-31')) v(stay, d);
-- one curve per as_of is fine
SELECT d AS as_of, stay_survival(stay, d)
FROM (VALUES ('[2024-01-01,2024-01-03)'::daterange, '2024-06-30'::date),
             ('[2024-01-01,2024-01-02)', '2024-07-31')) v(stay, d)
GROUP BY d ORDER BY d;

-- accessors on a small curve (R: survfit(Surv(c(1,2,2,3,5,5,8,0),
-- c(1,1,0,1,1,0,1,0)) ~ 1) gives S = 1, .857, .714, .536, .357, 0)
CREATE TABLE surv_small AS
  SELECT '2024-06-30|0:0/1,1:1/0,2:1/1,3:1/0,5:1/1,8:1/0'::survival_curve AS c;
SELECT t, round(survival(c, t)::numeric, 10) AS s,
       round(ci.lo::numeric, 10) AS lo95, round(ci.hi::numeric, 10) AS hi95,
       round(ci80.lo::numeric, 10) AS lo80, round(ci80.hi::numeric, 10) AS hi80
FROM surv_small, generate_series(0, 9) t,
     LATERAL survival_interval(c, t) ci, LATERAL survival_interval(c, t, 0.8) ci80
ORDER BY t;
SELECT median_stay(c), stay_count(c), event_count(c),
       round(expected_remaining_days(c, 0, 10)::numeric, 10) AS from_arrival,
       round(expected_remaining_days(c, 2, 3)::numeric, 10) AS after_2_days,
       expected_remaining_days(c, 2, 0) AS zero_horizon,
       expected_remaining_days(c, 8, 30) AS after_the_last_exit,
       round(expected_remaining_days(c, 4, 2000000000)::numeric, 10) AS long_horizon
FROM surv_small;
-- beyond the longest stay the estimate keeps its last value
SELECT survival('2024-06-30|1:1/0,5:0/1', 1000000) AS carried_forward,
       survival('2024-06-30|1:1/0,5:0/1', 2147483647) AS max_days;
-- median: flat at exactly 0.5 gives the midpoint of the flat stretch, flat
-- to the end the midpoint to the longest stay; never at 0.5 gives NULL
SELECT c, median_stay(c::survival_curve)
FROM (VALUES ('2024-06-30|1:1/0,2:1/0,3:1/0,4:1/0'), ('2024-06-30|1:1/0,2:1/0,3:0/2'),
             ('2024-06-30|1:1/0,2:1/0,3:0/1,5:0/1'), ('2024-06-30|1:2/0,2:1/2,5:1/0,9:0/1'),
             ('2024-06-30|2:0/1,5:0/1,9:0/1'), ('2024-06-30|1:1/0')) v(c);

-- bad parameters: 22023
SELECT survival(c, -1) FROM surv_small;
SELECT survival_interval(c, 1, 1) FROM surv_small;
SELECT survival_interval(c, 1, 0) FROM surv_small;
SELECT survival_interval(c, 1, 'NaN') FROM surv_small;
SELECT expected_remaining_days(c, -1, 30) FROM surv_small;
SELECT expected_remaining_days(c, 1, -30) FROM surv_small;
SELECT survival_interval(c, 1, NULL) IS NULL AS null_level FROM surv_small;

-- rollup: curves of disjoint sets of stays merge into the curve of all
CREATE TABLE surv_many AS
  SELECT i, daterange(date '2020-01-01' + (i * 37) % 1600,
                      CASE WHEN i % 7 = 0 THEN NULL
                           ELSE date '2020-01-01' + (i * 37) % 1600 + 1 + (i * 13) % 400 END) AS stay
  FROM generate_series(1, 2000) i;
SELECT (SELECT rollup(c) FROM (SELECT stay_survival(stay, '2024-06-30') AS c
                               FROM surv_many GROUP BY i % 10) p)::text
     = (SELECT stay_survival(stay, '2024-06-30') FROM surv_many)::text AS rollup_equals_whole,
       (SELECT stay_count(stay_survival(stay, '2024-06-30')) FROM surv_many) AS stay_count;
SELECT rollup(c) FROM (VALUES (NULL::survival_curve), ('2024-06-30|1:1/0'), (NULL),
                              ('2024-06-30|1:2/1,400:0/1')) v(c);
SELECT rollup(c) IS NULL AS all_null FROM (VALUES (NULL::survival_curve)) v(c);
SELECT rollup(c::survival_curve) FROM (VALUES ('2024-06-30|1:1/0'), ('2024-07-31|1:1/0')) v(c);
-- counts past bigint are an error, never a wrap
SELECT rollup(c::survival_curve)
FROM (VALUES ('2024-06-30|1:9223372036854775807/0'), ('2024-06-30|1:1/0')) v(c);

-- very long stays (beyond the dense array of 65536 days) are counted exactly
SELECT stay_survival(stay, '2024-06-30') AS long_stays
FROM (VALUES ('[1800-01-01,1990-01-01)'::daterange), ('[1800-01-01,)'), ('[1900-01-01,1990-01-01)'),
             ('[2024-06-29,2024-06-30)'), ('[0100-01-01,)'), ('[4000-01-01 BC,2000-01-01)')) v(stay);

-- stored in a table (large curves are compressed and toasted)
CREATE TABLE surv_store (month date, curve survival_curve);
INSERT INTO surv_store
  SELECT '2024-06-30', stay_survival(stay, '2024-06-30') FROM surv_many;
SELECT stay_count(curve), event_count(curve), median_stay(curve),
       round(survival(curve, 100)::numeric, 10) AS s100,
       curve::text = (SELECT stay_survival(stay, '2024-06-30') FROM surv_many)::text AS same
FROM surv_store;

-- text: round trip, white space, BC dates, independent of DateStyle
SELECT c::survival_curve AS curve, c::survival_curve::text::survival_curve::text = c::survival_curve::text AS round_trip
FROM (VALUES ('2024-06-30|0:0/1,1:3/0,7:1/2,30:0/5'), (' 2024-06-30 | 1 : 3 / 0 , 7:1/2 '),
             ('2024-06-30|'), ('0044-03-15 BC|1:2/0'), ('5874897-12-31|1:1/0'),
             ('4714-11-24 BC|0:0/7'), ('2024-06-30|1:9223372036854775806/1')) v(c);
SET DateStyle = 'SQL, DMY';
SELECT '2024-06-30|1:3/0'::survival_curve AS iso_whatever_the_datestyle;
SET DateStyle = 'ISO, YMD';
-- malformed or impossible text: 22P02 (22003 for a count past bigint)
SELECT ''::survival_curve;
SELECT '30/06/2024|1:1/0'::survival_curve;
SELECT '2024-02-30|1:1/0'::survival_curve;
SELECT 'infinity|'::survival_curve;
SELECT '2024-06-30 1:1/0'::survival_curve;
SELECT '2024-06-30|1:-3/0'::survival_curve;
SELECT '2024-06-30|7:1/0,3:1/0'::survival_curve;
SELECT '2024-06-30|3:1/0,3:1/0'::survival_curve;
SELECT '2024-06-30|3:0/0'::survival_curve;
SELECT '2024-06-30|0:2/0'::survival_curve;
SELECT '2024-06-30|3:1'::survival_curve;
SELECT '2024-06-30|3:1/0,'::survival_curve;
SELECT '2024-06-30|3:1/0 junk'::survival_curve;
SELECT '2024-06-30|2460493:1/0'::survival_curve;
SELECT '2024-06-30|1:9223372036854775807/0,2:1/0'::survival_curve;
SELECT '2024-06-30|1:99999999999999999999/0'::survival_curve;

-- binary: a COPY round trip, then crafted input (ERROR 22P03, never a crash)
CREATE TABLE surv_bin_in (curve survival_curve);
INSERT INTO surv_bin_in SELECT curve FROM surv_store;
INSERT INTO surv_bin_in VALUES ('2024-06-30|'), ('0044-03-15 BC|1:2/0'), (NULL),
  ('2024-06-30|1:9223372036854775806/1');
\copy surv_bin_in TO 'results/surv.bin' WITH (FORMAT binary)
CREATE TABLE surv_bin_out (curve survival_curve);
\copy surv_bin_out FROM 'results/surv.bin' WITH (FORMAT binary)
SELECT (SELECT count(*) FROM surv_bin_out) AS copied,
       (SELECT count(*) FROM (SELECT curve::text FROM surv_bin_in
                              EXCEPT ALL SELECT curve::text FROM surv_bin_out) d) AS differing;
TRUNCATE surv_bin_out;
\set VERBOSITY sqlstate
-- version 2
\copy (SELECT '\x02000022f300000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- too short for the header
\copy (SELECT '\x01000022f3'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- an infinite as_of
\copy (SELECT '\x017fffffff00000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- a negative number of durations, and 2^31-1 durations with nothing after
\copy (SELECT '\x01000022f3ffffffff'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x01000022f37fffffff'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- one duration announced, a byte missing
\copy (SELECT '\x01000022f30000000100000001000000000000000300000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- durations out of order, and a duplicate
\copy (SELECT '\x01000022f30000000200000002000000000000000100000000000000000000000100000000000000010000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x01000022f30000000200000001000000000000000100000000000000000000000100000000000000010000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- a negative count, an all-zero duration, events at 0 days
\copy (SELECT '\x01000022f30000000100000001ffffffffffffffff0000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x01000022f3000000010000000100000000000000000000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x01000022f3000000010000000000000000000000010000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- a negative duration, and one longer than any stay can be at as_of
\copy (SELECT '\x01000022f300000001ffffffff00000000000000010000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x01000022f3000000017fffffff00000000000000010000000000000000'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- counts whose total passes bigint
\copy (SELECT '\x01000022f300000001000000017fffffffffffffff0000000000000001'::bytea) TO 'results/surv_bad.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_bad.bin' WITH (FORMAT binary)
-- a valid crafted curve loads: 3 one-day stays and 1 open for 7 days
\copy (SELECT '\x01000022f30000000200000001000000000000000300000000000000000000000700000000000000000000000000000001'::bytea) TO 'results/surv_ok.bin' WITH (FORMAT binary)
\copy surv_bin_out FROM 'results/surv_ok.bin' WITH (FORMAT binary)
\set VERBOSITY default
SELECT * FROM surv_bin_out;

DROP TABLE surv_stays, surv_small, surv_many, surv_store, surv_bin_in, surv_bin_out;
