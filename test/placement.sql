-- placement_forecast against plain SQL on generated stays, against
-- survival() by the definitions, in forced-parallel plans against serial,
-- bad input by SQLSTATE, and crafted serialized states.
--
-- The stays (pf_par, committed first: parallel workers read it like any
-- table): seven groups of 3 000 stays starting 2016-01-01 .. 2025-01-12
-- (lengths 1 .. 900 days, every 13th without end, every 29th ending
-- 'infinity', some NULL, empty or without a cost) — the season and cost
-- trend path; 'young' (stays of the last 18 months only: the 12 months'
-- mean, no season); 'old' (no arrival in the 12 months up to as_of: no
-- new stays); 'tiny' (three stays).
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS pf_par, pf_par_fc;
CREATE TABLE pf_par AS
  SELECT i, 'g' || (i % 7) AS grp,
         CASE WHEN i % 997 = 0 THEN NULL
              WHEN i % 331 = 0 THEN 'empty'::daterange
              WHEN i % 13 = 0 THEN daterange(s, NULL)
              WHEN i % 29 = 0 THEN daterange(s, 'infinity')
              ELSE daterange(s, s + len) END AS stay,
         CASE WHEN i % 499 = 0 THEN NULL ELSE ((i::bigint * 7919) % 400000 + 30000)::bigint END AS ore
  FROM generate_series(1, 21000) i,
       LATERAL (SELECT date '2016-01-01' + ((i::bigint * 2654435761) % 3300)::int AS s,
                       1 + ((i::bigint * 40503) % 900)::int AS len) x
  UNION ALL
  SELECT i, 'young', daterange(s, CASE WHEN i % 3 = 0 THEN NULL ELSE s + 1 + i % 200 END), 150000 + i * 10
  FROM generate_series(1, 300) i, LATERAL (SELECT date '2023-03-01' + (i * 7) % 540 AS s) x
  UNION ALL
  SELECT i, 'old', daterange(s, CASE WHEN i % 4 = 0 THEN NULL ELSE s + 1 + (i * 37) % 700 END), 90000
  FROM generate_series(1, 400) i, LATERAL (SELECT date '2015-06-01' + (i * 5) % 2900 AS s) x
  UNION ALL
  VALUES (1, 'tiny', '[2024-01-10,2024-02-20)'::daterange, 250000::bigint),
         (2, 'tiny', '[2024-05-01,)', 310000), (3, 'tiny', '[2022-11-01,2024-03-01)', 120000);
ALTER TABLE pf_par ADD COLUMN daily_cost sek;
UPDATE pf_par SET daily_cost = sek_from_ore(ore);
ANALYZE pf_par;
-- 400 forecasts of parts of the groups (for rollup in parallel)
CREATE TABLE pf_par_fc AS
  SELECT grp, i % 40 AS part, placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31') AS f
  FROM pf_par GROUP BY grp, i % 40;
ANALYZE pf_par_fc;

BEGIN;
SELECT plan(93);
\ir lib/placement_plain.sql

-- ---------- the aggregate against plain SQL ----------

CREATE TEMP TABLE agg AS
  SELECT grp, (placement_forecast(stay, daily_cost, d.as_of, d.until)).*
  FROM pf_par, (VALUES (DATE '2024-08-31', DATE '2024-12-31'), ('2024-04-30', '2024-12-31'),
                       ('2023-02-28', '2025-06-30')) d(as_of, until)
  GROUP BY d.as_of, d.until, grp;
CREATE TEMP TABLE plain AS
  SELECT d.as_of, d.until, f.*
  FROM (VALUES (DATE '2024-08-31', DATE '2024-12-31'), ('2024-04-30', '2024-12-31'),
               ('2023-02-28', '2025-06-30')) d(as_of, until),
       pg_temp.placement_plain('SELECT grp, stay, daily_cost FROM pf_par', d.as_of, d.until) f;

SELECT is((SELECT count(*) FROM agg), 30::bigint, 'ten groups at three as_of dates');
SELECT is((SELECT count(*) FROM agg a JOIN plain p USING (as_of, until, grp)), 29::bigint,
          'plain SQL has the same groups, but young at 2023-02-28 (no stay by then)');
SELECT is((SELECT row(open_stays, arrivals_12m, care_days, cost, cost_sd, cost_per_care_day)::text
           FROM agg WHERE grp = 'young' AND as_of = '2023-02-28'),
          row(0::bigint, 0::bigint, 0::float8, '0'::sek, 0::float8, NULL::sek)::text,
          'young at 2023-02-28: only stays not known yet, a forecast of zeros');
-- rows of agg and plain that differ by cond
CREATE FUNCTION pg_temp.mismatches(cond text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  EXECUTE 'SELECT count(*) FROM agg a JOIN plain p USING (as_of, until, grp) WHERE ' || cond INTO n;
  RETURN n;
END $$;
SELECT is(pg_temp.mismatches(cond), 0::bigint, why)
FROM (VALUES
  ('a.open_stays <> p.open_stays OR a.arrivals_12m <> p.arrivals_12m',
   'open stays and arrivals of the 12 months = plain SQL, exactly'),
  ('abs(a.committed_days - p.committed_days) > 1e-9 * greatest(1, p.committed_days)',
   'committed care days = plain SQL (1e-9 relative)'),
  ('abs(sek_ore(a.committed_cost) - p.committed_cost) > 1', 'committed cost = plain SQL (within an öre)'),
  ('a.season IS DISTINCT FROM p.season AND abs(a.season - p.season) > 1e-9', 'season = plain SQL (1e-9)'),
  ('abs(a.new_stays - p.new_stays) > 1e-9 * greatest(1, p.new_stays)
    OR abs(a.new_days - p.new_days) > 1e-9 * greatest(1, p.new_days)',
   'new stays and their care days = plain SQL (1e-9 relative)'),
  ('abs(sek_ore(a.new_cost) - p.new_cost) > 1', 'new cost = plain SQL (within an öre)'),
  ('abs(a.cost_sd - p.cost_sd) > 1e-7 * p.cost_sd + 1',
   'standard deviation of the cost = plain SQL (1e-7 relative, and within a krona where it is 0)')
) v(cond, why);
SELECT is((SELECT count(*) FROM agg
           WHERE cost <> committed_cost + new_cost
              OR abs(care_days - committed_days - new_days) > 1e-9 * greatest(1, care_days)
              OR abs(persons_per_day - care_days / (until - as_of)) > 1e-12
              OR cost_per_care_day IS DISTINCT FROM (CASE WHEN care_days > 0 THEN cost / care_days END)
              OR new_daily_cost IS DISTINCT FROM (CASE WHEN new_days > 0 THEN new_cost / new_days END)
                 AND abs(sek_ore(new_daily_cost) - sek_ore(new_cost / new_days)) > 1),
          0::bigint, 'totals and ratios follow from the parts');
SELECT is((SELECT count(*) FROM agg WHERE NOT (cost_lo <= cost AND cost <= cost_hi AND cost_lo >= '0'::sek)),
          0::bigint, 'the interval holds the cost and is not negative');
SELECT ok((SELECT bool_and(season > 0.5 AND season < 1.5) FROM agg WHERE grp LIKE 'g%'),
          'the season of the generated groups is fitted (near 1: no seasonality was generated)');
SELECT is((SELECT season FROM agg WHERE grp = 'young' AND as_of = '2024-08-31'), 1::float8,
          'young: no season with less than two years of data');
SELECT is((SELECT row(new_stays, new_days, new_cost, season, new_daily_cost)::text FROM agg WHERE grp = 'old' AND as_of = '2024-08-31'),
          row(0::float8, 0::float8, '0'::sek, NULL::float8, NULL::sek)::text,
          'old: no arrivals in the 12 months, no new stays');
SELECT is((SELECT row(open_stays, arrivals_12m)::text FROM agg WHERE grp = 'tiny' AND as_of = '2024-08-31'),
          row(1::bigint, 2::bigint)::text, 'tiny: one open stay, two arrivals in the 12 months');

-- ---------- the inflow's trend ----------

-- 'rise': 4 arrivals a day from 2019-09-01, one more each 365 days (9 a day
-- from 2024-08-26), 'flat': 8 a day; one-day stays at 1 000 kr.  The real
-- arrivals of Sep-Dec 2024 are 1 098 (rise) and 976 (flat).
CREATE TEMP TABLE pf_rise AS
  SELECT g.grp, daterange(d::date, d::date + 1) AS stay, '1000'::sek AS daily_cost
  FROM (VALUES ('rise'), ('flat')) g(grp), generate_series(DATE '2019-09-01', DATE '2025-08-31', '1 day') d,
       LATERAL (SELECT CASE WHEN g.grp = 'flat' THEN 8 ELSE 4 + (d::date - DATE '2019-09-01') / 365 END AS n) c,
       generate_series(1, c.n) j;
CREATE TEMP TABLE rise AS
  SELECT grp, (placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31')).*,
         count(*) FILTER (WHERE lower(stay) BETWEEN '2024-09-01' AND '2024-12-31') AS real_arrivals
  FROM pf_rise GROUP BY grp;
-- the level filter: a step 8 months before as_of ('step': 4 arrivals a day
-- to 2023-12-31, 8 a day from 2024-01-01, since 2019-09-01; the 12 months up
-- to 2024-08-31 hold 122 days at 4 and 244 at 8, 2 440 arrivals), and
-- 'short': 8 a day over two years only (too few for the filter: the 12
-- months' rate, as before it).  The real arrivals of Sep-Dec 2024: 976.
CREATE TEMP TABLE pf_step AS
  SELECT g.grp, daterange(d::date, d::date + 1) AS stay, '1000'::sek AS daily_cost
  FROM (VALUES ('step'), ('short')) g(grp), generate_series(DATE '2019-09-01', DATE '2024-12-31', '1 day') d,
       LATERAL (SELECT CASE WHEN g.grp = 'step' AND d < DATE '2024-01-01' THEN 4 ELSE 8 END AS n) c,
       generate_series(1, c.n) j
  WHERE g.grp = 'step' OR d >= DATE '2022-09-01';
CREATE TEMP TABLE step AS
  SELECT grp, (placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31')).* FROM pf_step GROUP BY grp;
SELECT ok(arrivals_12m = 122 * 4 + 244 * 8 AND abs(new_stays - 976) < 0.05 * 976
          AND abs(new_stays - 976) < 0.3 * (976 - arrivals_12m / 366.0 * 122)
          AND cost_lo <= '976000'::sek AND '976000'::sek <= cost_hi,
          'step: the filtered level follows a step 8 months before as_of: ' || round(new_stays) ||
          ' new stays for the real 976, where the 12 months'' rate gives ' || round(arrivals_12m / 366.0 * 122) ||
          '; the interval holds the real cost')
FROM step WHERE grp = 'step';
SELECT ok(abs(new_stays - 976) < 1e-9 * 976 AND abs(season - 1) < 1e-12,
          'short: two years of data, no filter: the 12 months'' rate, 8 a day × 122 days')
FROM step WHERE grp = 'short';
-- the rise: the filter's level and trend lift the forecast above the 12
-- months' rate, which falls 11 % short of the real arrivals (the last step,
-- 5 days before as_of, is not seen yet)
SELECT ok(new_stays > 1.08 * (arrivals_12m / 366.0 * 122) AND abs(new_stays - real_arrivals) < 0.03 * real_arrivals,
          'rise: the new stays (' || round(new_stays) || ') within 3 % of the real ' || real_arrivals ||
          ', where the 12 months'' rate falls ' || round(100 * (1 - arrivals_12m / 366.0 * 122 / real_arrivals)) || ' % short')
FROM rise WHERE grp = 'rise';
SELECT ok(abs(new_stays - 976) < 1e-9 * 976 AND abs(season - 1) < 1e-12,
          'flat: no trend and no season: 8 a day × 122 days (the filter through exp and log: 1e-9)')
FROM rise WHERE grp = 'flat';
SELECT is((SELECT count(*) FROM (SELECT * FROM rise UNION ALL SELECT *, NULL FROM step) a
           JOIN pg_temp.placement_plain('SELECT grp, stay, daily_cost FROM pf_rise UNION ALL SELECT grp, stay, daily_cost FROM pf_step',
                                        '2024-08-31', '2024-12-31') p USING (grp)
           WHERE abs(a.new_stays - p.new_stays) <= 1e-9 * p.new_stays AND abs(sek_ore(a.new_cost) - p.new_cost) <= 1
             AND abs(a.cost_sd - p.cost_sd) <= 1e-7 * p.cost_sd AND abs(a.season - p.season) <= 1e-9),
          4::bigint, 'rise, flat, step and short: new stays, cost, season and standard deviation = plain SQL');

-- a burst: 1 arrival a day since 2019, 2 000 a day in the 12 days up to
-- as_of (a bulk registration): the filter's update goes to the posterior
-- mode, not a linear step from the prediction that overflows (each of the
-- 24 000 arrivals lasting 10 days at 800 kr)
CREATE TEMP TABLE pf_burst AS
  SELECT 'burst' AS grp, daterange(d::date, d::date + 10) AS stay, '800'::sek AS daily_cost
  FROM generate_series(DATE '2019-01-01', DATE '2024-08-31', '1 day') d,
       generate_series(1, CASE WHEN d >= DATE '2024-08-20' THEN 2000 ELSE 1 END) j;
SELECT ok(a.new_stays > 8 * a.arrivals_12m / 366.0 * 122 AND a.cost_lo < a.cost AND a.cost < a.cost_hi
          AND abs(a.new_stays - p.new_stays) <= 1e-9 * p.new_stays AND abs(sek_ore(a.new_cost) - p.new_cost) <= 1
          AND abs(a.cost_sd - p.cost_sd) <= 1e-7 * p.cost_sd,
          'burst: a finite forecast far above the 12 months'' rate, its interval, = plain SQL')
FROM (SELECT grp, (placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31')).* FROM pf_burst GROUP BY grp) a
JOIN pg_temp.placement_plain('SELECT grp, stay, daily_cost FROM pf_burst', '2024-08-31', '2024-12-31') p USING (grp);

-- twenty years of arrivals: 'steady' rises 8 % a year from 3 a day in 2005
-- (15 a day at the end of 2024), 'turn' rises alike until 2020-09-01 and
-- falls 8 % a year since; one-day stays at 1 000 kr.  A trend read as
-- constant over the twenty years would carry turn's rise on (+8,5 %; +2,9 %
-- with the trend's walk), and a season fitted without the trend takes
-- steady's rise within each year for a wave (-3,1 %; -1,3 % beside it: the
-- daily counts are rounded)
CREATE TEMP TABLE pf_turn AS
  SELECT g.grp, daterange(d::date, d::date + 1) AS stay, '1000'::sek AS daily_cost
  FROM (VALUES ('turn'), ('steady')) g(grp), generate_series(DATE '2005-01-01', DATE '2024-12-31', '1 day') d,
       LATERAL (SELECT round(3 * exp(0.08 / 365.25 * CASE WHEN g.grp = 'steady' OR d < DATE '2020-09-01'
                                                         THEN d::date - DATE '2005-01-01'
                                                         ELSE 2 * (DATE '2020-09-01' - DATE '2005-01-01') - (d::date - DATE '2005-01-01') END))::int AS n) c,
       generate_series(1, c.n) j;
SELECT ok(abs(a.new_stays / a.real_arrivals - 1) < CASE a.grp WHEN 'turn' THEN 0.035 ELSE 0.02 END
          AND abs(a.new_stays - p.new_stays) <= 1e-9 * p.new_stays AND abs(sek_ore(a.new_cost) - p.new_cost) <= 1
          AND abs(a.cost_sd - p.cost_sd) <= 1e-7 * p.cost_sd AND abs(a.season - p.season) <= 1e-9,
          a.grp || ': ' || round(a.new_stays) || ' new stays for the real ' || a.real_arrivals || ' (within '
          || CASE a.grp WHEN 'turn' THEN '3,5' ELSE '2' END || ' %), = plain SQL')
FROM (SELECT grp, (placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31')).*,
             count(*) FILTER (WHERE lower(stay) BETWEEN '2024-09-01' AND '2024-12-31') AS real_arrivals
      FROM pf_turn GROUP BY grp) a
JOIN pg_temp.placement_plain('SELECT grp, stay, daily_cost FROM pf_turn', '2024-08-31', '2024-12-31') p USING (grp)
ORDER BY a.grp;

-- ---------- by the definitions, with survival() of the same curve ----------

-- committed care days: Σ over open stays of Σ_{k=1..H} S(e+k) / S(e), H = 15
CREATE TEMP TABLE def AS
  WITH c AS (SELECT grp, stay_survival(stay, '2024-08-31') AS curve FROM pf_par
             WHERE daily_cost IS NOT NULL GROUP BY grp),
       o AS (SELECT grp, DATE '2024-08-31' - lower(stay) AS e, count(*) AS n FROM pf_par
             WHERE daily_cost IS NOT NULL AND NOT isempty(stay) AND lower(stay) <= '2024-08-31'
               AND (upper(stay) IS NULL OR upper(stay) > '2024-08-31') GROUP BY 1, 2)
  SELECT o.grp, sum(o.n * x.r) AS committed_days
  FROM o JOIN c USING (grp),
       LATERAL (SELECT sum(survival(c.curve, o.e + k) / survival(c.curve, o.e)) AS r
                FROM generate_series(1, 15) k) x
  GROUP BY o.grp;
SELECT is((SELECT count(*) FROM def d JOIN (
             SELECT grp, (placement_forecast(stay, daily_cost, '2024-08-31', '2024-09-15')).committed_days
             FROM pf_par GROUP BY grp) a USING (grp)
           WHERE abs(a.committed_days - d.committed_days) > 1e-9 * d.committed_days), 0::bigint,
          'committed care days = Σ S(e+k)/S(e) over the open stays by survival()');
SELECT is((SELECT count(*) FROM def), 10::bigint, 'every group has open stays');
-- new care days without a season: λ Σ_{k=0..H-1} (H-k) S(k), λ = arrivals ÷ 366 days
SELECT ok((SELECT abs((f).new_days - (f).arrivals_12m / 366.0 *
                      (SELECT sum((15 - k) * survival(c, k)) FROM generate_series(0, 14) k)) < 1e-9
           FROM (SELECT placement_forecast(stay, daily_cost, '2024-08-31', '2024-09-15') AS f,
                        stay_survival(stay, '2024-08-31') AS c
                 FROM pf_par WHERE grp = 'young') s),
          'young: new care days = λ Σ (H-k) S(k) by survival()');

-- ---------- two-step: rollup and the year view ----------

SELECT is((SELECT row((r).open_stays, (r).arrivals_12m, (r).committed_cost, (r).new_cost, (r).cost)::text
           FROM (SELECT rollup(f) AS r FROM pf_par_fc) s),
          (SELECT row(sum((f).open_stays), sum((f).arrivals_12m), sum((f).committed_cost), sum((f).new_cost),
                      sum((f).cost))::text FROM pf_par_fc),
          'rollup adds counts and costs');
SELECT ok((SELECT abs((r).cost_sd - (SELECT sqrt(sum((f).cost_sd ^ 2)) FROM pf_par_fc))
                  < 1e-6 * (r).cost_sd
           FROM (SELECT rollup(f) AS r FROM pf_par_fc) s), 'rollup adds variances');
SELECT ok((SELECT abs((o).cost - (cost(c) + (f).cost)) = '0'::sek AND (o).cost_lo = cost(c) + (f).cost_lo
                  AND (o).cost_hi = cost(c) + (f).cost_hi
                  AND abs((o).care_days - (care_days(c) + (f).care_days)) < 1e-9
                  AND abs((o).persons_per_day - (o).care_days / 366) < 1e-12
                  AND upper((o).period) = '2025-01-01'
           FROM (SELECT c, f, placement_outlook(c, f) AS o
                 FROM (SELECT census(stay, daily_cost, '[2024-01-01,2024-09-01)') AS c,
                              placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31') AS f
                       FROM pf_par WHERE grp = 'g3') s) t),
          'placement_outlook: outcome + forecast for the year');

-- ---------- forced parallel plans equal serial results ----------

\ir lib/parallel.psql
CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('placement_forecast by group', $$SELECT grp, placement_forecast(stay, daily_cost, '2024-08-31', '2024-12-31') FROM pf_par GROUP BY grp$$),
  ('placement_forecast, one group', $$SELECT placement_forecast(stay, daily_cost, '2024-04-30', '2025-04-30') FROM pf_par$$),
  ('placement_forecast, sorted groups', $$SELECT grp, placement_forecast(stay, daily_cost, '2023-12-31', '2024-12-31') FROM pf_par GROUP BY grp ORDER BY grp$$),
  ('rollup(placement_forecast_result)', $$SELECT (r).open_stays, (r).cost, round((r).care_days::numeric, 6), round((r).cost_sd::numeric, 3) FROM (SELECT rollup(f) AS r FROM pf_par_fc) s$$);
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;
\ir lib/check_parallel.psql
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- ---------- bad input: SQLSTATEs ----------

SELECT throws_ok(format('SELECT placement_forecast(%L::daterange, %L::sek, %L::date, %L::date)', s, c, a, u),
                 e, NULL, why || ' is ' || e)
FROM (VALUES
  ('(,2024-01-01)', '1000', '2024-06-30', '2024-12-31', '22023', 'a stay without start'),
  ('[-infinity,2024-01-01)', '1000', '2024-06-30', '2024-12-31', '22023', 'a stay starting -infinity'),
  ('[2024-01-01,)', '-0.01', '2024-06-30', '2024-12-31', '22023', 'a negative daily cost'),
  -- an infinite as_of or until is 22008, as for check_as_of's callers
  ('[2024-01-01,)', '1000', 'infinity', '2024-12-31', '22008', 'as_of infinity'),
  ('[2024-01-01,)', '1000', '-infinity', '2024-12-31', '22008', 'as_of -infinity'),
  ('[2024-01-01,)', '1000', '2024-06-30', 'infinity', '22008', 'until infinity'),
  ('[2024-01-01,)', '1000', '2024-06-30', '2024-06-30', '22023', 'until = as_of'),
  ('[2024-01-01,)', '1000', '2024-06-30', '2023-12-31', '22023', 'until before as_of'),
  ('[2024-01-01,)', '1000', '2024-06-30', '2034-07-02', '22023', 'more than 3 653 days ahead'),
  ('[1924-06-29,)', '1000', '2024-06-30', '2024-12-31', '22023', 'a stay open for more than 100 years'),
  ('[1900-01-01,2024-01-01)', '1000', '2024-06-30', '2024-12-31', '22023', 'a stay that lasted more than 100 years')
) v(s, c, a, u, e, why);
SELECT lives_ok($$SELECT placement_forecast('[1924-06-30,)', '1000', '2024-06-30', '2024-12-31')$$,
                'a stay open for exactly 100 years is fine');
SELECT throws_ok($$SELECT placement_forecast(stay, '1000', a, '2024-12-31')
                   FROM (VALUES ('[2024-01-01,)'::daterange, DATE '2024-06-30'), ('[2024-02-01,)', '2024-07-31')) v(stay, a)$$,
                 '22023', NULL, 'as_of differing between rows of a group is 22023');
SELECT throws_ok($$SELECT placement_forecast(stay, '1000', '2024-06-30', u)
                   FROM (VALUES ('[2024-01-01,)'::daterange, DATE '2024-12-31'), ('[2024-02-01,)', '2025-12-31')) v(stay, u)$$,
                 '22023', NULL, 'until differing between rows of a group is 22023');
SELECT throws_ok($$SELECT rollup(f) FROM (SELECT placement_forecast('[2024-01-01,)', '1000', a, '2024-12-31') AS f
                   FROM (VALUES (DATE '2024-06-30'), ('2024-07-31')) v(a) GROUP BY a) s$$,
                 '22023', NULL, 'rollup of forecasts with other dates is 22023');
SELECT throws_ok($$SELECT rollup(row('2024-06-30', '2024-12-31', NULL, 0, '0', 0, NULL, NULL, 0, 0, '0', 0, 0, NULL, '0', 0, '0', '0')::placement_forecast_result)$$,
                 '22023', NULL, 'rollup of a record with a NULL count is 22023');
SELECT throws_ok($$SELECT placement_outlook(census('[2024-01-01,)', '1000', '[2024-01-01,2024-06-30)'),
                                            placement_forecast('[2024-01-01,)', '1000', '2024-06-30', '2024-12-31'))$$,
                 '22023', NULL, 'an outcome census not ending on as_of is 22023');

-- ---------- crafted serialized states: 22P03, never a crash ----------

-- the deserialisation functions, bound to take a bytea and give back the
-- state's address as a harmless int8
CREATE FUNCTION pg_temp.pf_deser(bytea, int8) RETURNS int8
  AS '$libdir/actionplan', 'placement_forecast_deserialize' LANGUAGE C STRICT;
CREATE FUNCTION pg_temp.pf_rollup_deser(bytea, int8) RETURNS int8
  AS '$libdir/actionplan', 'placement_rollup_deserialize' LANGUAGE C STRICT;
-- a state in the serialized layout: version, as_of, until, first start (days
-- from 2000-01-01), twenty windows (n, cost, cost² as two int8, cost × days ago
-- as two int8), the lengths (days, events, open, cost, cost² as two int8),
-- the days with arrivals (days ago, count)
CREATE FUNCTION pg_temp.pf_state(ver int, as_of int, until int, first int, windows bytea,
                                 nlen int, lens bytea, nrec int, recs bytea) RETURNS bytea
  LANGUAGE sql AS $$
  SELECT set_byte('\x00'::bytea, 0, ver) || int4send(as_of) || int4send(until) || int4send(first)
         || windows || int4send(nlen) || lens || int4send(nrec) || recs $$;
CREATE FUNCTION pg_temp.w(n int8, cost int8, cost2 int8, cost_ago int8) RETURNS bytea
  LANGUAGE sql AS $$ SELECT int8send(n) || int8send(cost) || int8send(0) || int8send(cost2)
                            || int8send(0) || int8send(cost_ago) $$;
CREATE FUNCTION pg_temp.no_windows(k int) RETURNS bytea
  LANGUAGE sql AS $$ SELECT coalesce(string_agg(pg_temp.w(0, 0, 0, 0), ''::bytea), ''::bytea) FROM generate_series(1, k) $$;
CREATE FUNCTION pg_temp.len(d int, ev int8, op int8, cost int8, cost2 int8) RETURNS bytea
  LANGUAGE sql AS $$ SELECT int4send(d) || int8send(ev) || int8send(op) || int8send(cost) || int8send(0) || int8send(cost2) $$;
CREATE FUNCTION pg_temp.rec(ago int, n int8) RETURNS bytea
  LANGUAGE sql AS $$ SELECT int4send(ago) || int8send(n) $$;
-- as_of 2024-06-30 = 8947, until 2024-12-31 = 9131; one open stay of 10 days at 1 000 kr
CREATE TEMP TABLE good AS SELECT pg_temp.pf_state(2, 8947, 9131, 8937,
  pg_temp.w(1, 100000, 10000000000, 1000000) || pg_temp.no_windows(19),
  1, pg_temp.len(10, 0, 1, 100000, 10000000000), 1, pg_temp.rec(10, 1)) AS b;
SELECT lives_ok($$SELECT pg_temp.pf_deser(b, 0) FROM good$$, 'a well-formed state is read');
SELECT throws_ok(format('SELECT pg_temp.pf_deser(%L::bytea, 0)', b), '22P03', NULL, why)
FROM (VALUES
  ('\x'::bytea, 'an empty state'),
  ((SELECT substr(b, 1, 100) FROM good), 'a state cut in its windows'),
  ((SELECT substr(b, 1, length(b) - 1) FROM good), 'a state cut in its last day of arrivals'),
  ((SELECT substr(b, 1, length(b) - 16) FROM good), 'a state cut before its days of arrivals'),
  ((SELECT b || '\x00'::bytea FROM good), 'a byte too many'),
  ((SELECT set_byte(b, 0, 1) FROM good), 'version 1 (five windows, before 0.2.0)'),
  ((SELECT set_byte(b, 0, 3) FROM good), 'version 3'),
  (pg_temp.pf_state(2, 2147483647, 9131, 8937, pg_temp.no_windows(20), 0, '', 0, ''), 'as_of infinity'),
  (pg_temp.pf_state(2, 8947, 8947, 8937, pg_temp.no_windows(20), 0, '', 0, ''), 'until = as_of'),
  (pg_temp.pf_state(2, 8947, 8947 + 3654, 8937, pg_temp.no_windows(20), 0, '', 0, ''), 'until too far'),
  (pg_temp.pf_state(2, 8947, 9131, 8948, pg_temp.no_windows(20), 1, pg_temp.len(10, 0, 1, 100, 10000), 0, ''), 'first start after as_of'),
  (pg_temp.pf_state(2, 8947, 9131, 2147483647, pg_temp.no_windows(20), 1, pg_temp.len(10, 0, 1, 100, 10000), 0, ''), 'stays without a first start'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 0, '', 0, ''), 'a first start without stays'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(-1, 0, 0, 0) || pg_temp.no_windows(19), 0, '', 0, ''), 'negative arrivals'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(0, 100, 0, 0) || pg_temp.no_windows(19), 0, '', 0, ''), 'a cost without arrivals'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1000000000, '', 0, ''), 'a billion lengths in no bytes'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), -1, '', 0, ''), 'a negative number of lengths'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 2,
     pg_temp.len(10, 0, 1, 100, 10000) || pg_temp.len(5, 1, 0, 0, 0), 0, ''), 'lengths out of order'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 2,
     pg_temp.len(10, 0, 1, 100, 10000) || pg_temp.len(10, 1, 0, 0, 0), 0, ''), 'a length twice'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1, pg_temp.len(36526, 1, 0, 0, 0), 0, ''), 'a length over 100 years'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1, pg_temp.len(0, 1, 0, 0, 0), 0, ''), 'an event at 0 days'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1, pg_temp.len(10, 0, 0, 0, 0), 0, ''), 'a length without stays'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1, pg_temp.len(10, 1, 0, 100, 0), 0, ''), 'a cost without open stays'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1, pg_temp.len(10, 0, 1, -100, 0), 0, ''), 'a negative cost'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20), 1, pg_temp.len(10, -1, 1, 100, 0), 0, ''), 'negative events'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(1, 100000, 10000000000, 1000000) || pg_temp.no_windows(19),
     1, pg_temp.len(10, 0, 1, 100000, 10000000000), 0, ''), 'arrivals in the sums but not by day'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.no_windows(20),
     1, pg_temp.len(10, 0, 1, 100000, 10000000000), 1, pg_temp.rec(10, 1)), 'arrivals by day but not in the sums'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(1, 100000, 10000000000, 1000000) || pg_temp.no_windows(19),
     1, pg_temp.len(10, 0, 1, 100000, 10000000000), 1, pg_temp.rec(11, 1)), 'an arrival before the first start'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(1, 100000, 10000000000, 1000000) || pg_temp.no_windows(19),
     1, pg_temp.len(10, 0, 1, 100000, 10000000000), 1, pg_temp.rec(7400, 1)), 'an arrival beyond twenty years'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(1, 100000, 10000000000, 1000000) || pg_temp.no_windows(19),
     1, pg_temp.len(10, 0, 1, 100000, 10000000000), 1, pg_temp.rec(10, 0)), 'a day with 0 arrivals'),
  (pg_temp.pf_state(2, 8947, 9131, 8937, pg_temp.w(1, 100000, 10000000000, 1000000) || pg_temp.no_windows(19),
     1, pg_temp.len(10, 0, 1, 100000, 10000000000), 1000000, pg_temp.rec(10, 1)), 'a million days of arrivals in 12 bytes')
) v(b, why);
SELECT throws_ok($$SELECT pg_temp.pf_rollup_deser('\x0102'::bytea, 0)$$, '22P03', NULL,
                 'a rollup state of the wrong size is 22P03');
-- 80 bytes, the size of a rollup state, all 0xff: until (-1) is not after as_of (-1)
SELECT throws_ok($$SELECT pg_temp.pf_rollup_deser(decode(repeat('ff', 80), 'hex'), 0)$$, '22P03', NULL,
                 'a rollup state with impossible dates is 22P03');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE pf_par, pf_par_fc;
