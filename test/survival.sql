-- Stay survival curves against R's survival::survfit, errors by SQLSTATE,
-- and aggregation in forced-parallel plans.
--
-- R part: a few thousand random stays (log-normal lengths, some still open
-- at as_of, a few starting after it, some empty or NULL) are turned into
-- time/status pairs by plain SQL and written with server-side COPY under the
-- data directory; Rscript fits survfit(Surv(time, status) ~ 1) and prints
-- time, surv and the 95 % and 80 % log-scale intervals at every observed
-- duration, the same at a few chosen days (summary(..., extend = TRUE)), the
-- median (quantile.survfit) and expected remaining days; every figure must
-- agree with the extension to 1e-7 (the median exactly).
--
-- Parallel part: the tables are committed first (parallel workers read them
-- like any table); stay_survival and rollup run with a Partial Aggregate and
-- launched workers and equal the serial results.
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS surv_par_stays, surv_par_curves;
CREATE TABLE surv_par_stays AS
  SELECT i, i % 97 AS unit, date '2024-06-30' AS as_of,
         CASE WHEN i % 1000 = 0 THEN NULL
              -- a few stays longer than the dense array (65536 days): the hash
              WHEN i % 5000 = 7 THEN daterange(date '1790-01-01' + i / 100, date '2024-01-01' + i / 1000)
              WHEN i % 5000 = 8 THEN daterange(date '1790-01-01' + i / 50, NULL)
              WHEN i % 11 = 0 THEN daterange(s, NULL)
              ELSE daterange(s, s + 1 + ((i::bigint * 7919) % 1500)::int) END AS stay
  FROM generate_series(1, 300000) i,
       LATERAL (SELECT date '2016-01-01' + ((i::bigint * 2654435761) % 3300)::int AS s) x;
ANALYZE surv_par_stays;
CREATE TABLE surv_par_curves AS
  SELECT i % 5000 AS part, stay_survival(stay, as_of) AS curve
  FROM surv_par_stays GROUP BY 1;
ANALYZE surv_par_curves;

BEGIN;
SELECT plan(66);

-- ---------- R comparison ----------

SELECT setseed(0.2024);
CREATE TEMP TABLE r_stays AS
  SELECT i,
         CASE WHEN i % 250 = 0 THEN NULL
              WHEN i % 125 = 0 THEN 'empty'::daterange
              WHEN i % 23 = 0 THEN daterange(start, NULL)           -- open, end unknown
              WHEN i % 29 = 0 THEN daterange(start, 'infinity')     -- open, infinite end
              ELSE daterange(start, start + len) END AS stay
  FROM (SELECT i,
               date '2019-01-01' + floor(random() * 2100)::int AS start,
               -- log-normal, median about 90 days (Box–Muller)
               greatest(1, round(exp(4.5 + 1.1 * sqrt(-2 * ln(1 - random()))
                                        * cos(2 * pi() * random()))))::int AS len
        FROM generate_series(1, 4000) i) g;

-- time and status by plain SQL, for R
CREATE TEMP TABLE r_input AS
  SELECT CASE WHEN upper(stay) <= date '2024-06-30' THEN upper(stay) - lower(stay)
              ELSE date '2024-06-30' - lower(stay) END AS time,
         (upper(stay) IS NOT NULL AND upper(stay) <= date '2024-06-30')::int AS status
  FROM r_stays
  WHERE stay IS NOT NULL AND NOT isempty(stay) AND lower(stay) <= date '2024-06-30';

CREATE TEMP TABLE r_curve AS
  SELECT stay_survival(stay, date '2024-06-30') AS c FROM r_stays;

SELECT current_setting('data_directory') || '/actionplan_survival_r.csv' AS rfile \gset
SELECT format('cat >/dev/null; rm -f ''%s''', :'rfile') AS rmcmd \gset
COPY r_input TO :'rfile' WITH (FORMAT csv, HEADER);

SELECT format($R$Rscript -e "suppressMessages(library(survival)); d <- read.csv('%s'); f <- survfit(Surv(time, status) ~ 1, data = d); f8 <- survfit(Surv(time, status) ~ 1, data = d, conf.int = 0.8); tt <- c(0, 1, 7, 30, 45, 90, 180, 365, 730, 1500, 100000); s <- summary(f, times = tt, extend = TRUE); s8 <- summary(f8, times = tt, extend = TRUE); q <- quantile(f, 0.5, conf.int = FALSE); ee <- c(0, 30, 100, 400, 1000); hh <- 365; er <- sapply(ee, function(e) sum(summary(f, times = e + 0:(hh - 1), extend = TRUE)[['surv']]) / summary(f, times = e, extend = TRUE)[['surv']]); g <- '%%s,%%.0f,%%.17g,%%.17g,%%.17g,%%.17g,%%.17g,%%.0f'; writeLines(c(sprintf(g, 'step', f[['time']], f[['surv']], f[['lower']], f[['upper']], f8[['lower']], f8[['upper']], f[['n.event']]), sprintf(g, 'at', s[['time']], s[['surv']], s[['lower']], s[['upper']], s8[['lower']], s8[['upper']], s[['n.event']]), sprintf(g, 'median', NA, q, NA, NA, NA, NA, NA), sprintf(g, 'remaining', ee, er, NA, NA, NA, NA, hh), sprintf(g, 'n', NA, f[['n']], NA, NA, NA, NA, sum(f[['n.event']]))))"$R$,
              :'rfile') AS rcmd \gset

CREATE TEMP TABLE r_out (kind text, t float8, surv float8, lo95 float8, hi95 float8,
                         lo80 float8, hi80 float8, extra float8);
COPY r_out FROM PROGRAM :'rcmd' WITH (FORMAT csv, NULL 'NA');
COPY (SELECT 1) TO PROGRAM :'rmcmd';

SELECT cmp_ok((SELECT count(*) FROM r_out WHERE kind = 'step'), '>', 500::bigint,
              'R returned a step per distinct duration');
SELECT is((SELECT stay_count(c) FROM r_curve), (SELECT surv::bigint FROM r_out WHERE kind = 'n'),
          'stay_count equals R''s n');
SELECT is((SELECT event_count(c) FROM r_curve), (SELECT extra::bigint FROM r_out WHERE kind = 'n'),
          'event_count equals R''s number of events');
SELECT is((SELECT count(*) FROM r_input), (SELECT stay_count(c) FROM r_curve),
          'stays after as_of, empty ranges and NULLs are left out');

-- the differences, once
CREATE TEMP TABLE r_cmp AS
  SELECT r.kind, r.t, r.surv, r.lo95, r.hi95, r.lo80, r.hi80,
         a.estimate, a.lo, a.hi, b.lo AS lo_80, b.hi AS hi_80,
         survival(c, r.t::int) AS s
  FROM r_out r CROSS JOIN r_curve
       CROSS JOIN LATERAL survival_interval(c, r.t::int) a
       CROSS JOIN LATERAL survival_interval(c, r.t::int, 0.8) b
  WHERE r.kind IN ('step', 'at');

SELECT ok((SELECT bool_and(abs(s - surv) < 1e-7) FROM r_cmp WHERE kind = 'step'),
          'S(t) equals R at every observed duration (1e-7)');
SELECT ok((SELECT bool_and(abs(s - surv) < 1e-7) FROM r_cmp WHERE kind = 'at'),
          'S(t) equals R at chosen days, also beyond the last duration (1e-7)');
SELECT ok((SELECT bool_and(abs(estimate - surv) < 1e-7) FROM r_cmp),
          'survival_interval estimate equals S(t)');
SELECT ok((SELECT bool_and(CASE WHEN lo95 IS NULL THEN lo IS NULL ELSE abs(lo - lo95) < 1e-7 END
                       AND CASE WHEN hi95 IS NULL THEN hi IS NULL ELSE abs(hi - hi95) < 1e-7 END)
           FROM r_cmp),
          '95 % interval equals R''s (log, Greenwood) at every duration (1e-7)');
SELECT ok((SELECT bool_and(CASE WHEN lo80 IS NULL THEN lo_80 IS NULL ELSE abs(lo_80 - lo80) < 1e-7 END
                       AND CASE WHEN hi80 IS NULL THEN hi_80 IS NULL ELSE abs(hi_80 - hi80) < 1e-7 END)
           FROM r_cmp),
          '80 % interval equals R''s conf.int = 0.8 (1e-7)');
-- a small curve whose intervals R clips at 1 and that falls to 0 (no interval)
CREATE TEMP TABLE r_small (t float8, surv float8, lo float8, hi float8);
COPY r_small FROM PROGRAM $R$Rscript -e "suppressMessages(library(survival)); f <- survfit(Surv(c(1, 2, 2, 3, 5, 5, 8, 0), c(1, 1, 0, 1, 1, 0, 1, 0)) ~ 1); writeLines(sprintf('%.0f,%.17g,%.17g,%.17g', f[['time']], f[['surv']], f[['lower']], f[['upper']]))"$R$
  WITH (FORMAT csv, NULL 'NA');
SELECT ok((SELECT count(*) = 6 AND count(*) FILTER (WHERE r.hi = 1 AND r.lo < 1) = 4
                  AND count(*) FILTER (WHERE r.lo IS NULL AND r.surv = 0) = 1
                  AND bool_and(abs(a.estimate - r.surv) < 1e-7
                               AND CASE WHEN r.lo IS NULL THEN a.lo IS NULL ELSE abs(a.lo - r.lo) < 1e-7 END
                               AND CASE WHEN r.hi IS NULL THEN a.hi IS NULL ELSE abs(a.hi - r.hi) < 1e-7 END)
           FROM r_small r,
                LATERAL survival_interval('2024-06-30|0:0/1,1:1/0,2:1/1,3:1/0,5:1/1,8:1/0', r.t::int) a),
          'small curve: intervals clipped at 1, and none where S falls to 0, as R');
SELECT is((SELECT median_stay(c) FROM r_curve), (SELECT surv FROM r_out WHERE kind = 'median'),
          'median_stay equals R''s quantile(fit, 0.5)');
SELECT ok((SELECT bool_and(abs(expected_remaining_days(c, r.t::int, r.extra::int) - r.surv) < 1e-7)
           FROM r_out r, r_curve WHERE r.kind = 'remaining'),
          'expected_remaining_days equals the sum of R''s S(e+k)/S(e) over a year (1e-7)');

SELECT diag(format('max |difference| from R: S %s, 95%% bounds %s, 80%% bounds %s, remaining days %s',
  (SELECT max(abs(s - surv)) FROM r_cmp),
  (SELECT max(greatest(abs(lo - lo95), abs(hi - hi95))) FROM r_cmp),
  (SELECT max(greatest(abs(lo_80 - lo80), abs(hi_80 - hi80))) FROM r_cmp),
  (SELECT max(abs(expected_remaining_days(c, r.t::int, r.extra::int) - r.surv))
   FROM r_out r, r_curve WHERE r.kind = 'remaining')));

-- median rules checked against R by hand: flat at exactly 0.5 gives the
-- midpoint of the flat stretch, flat to the end the midpoint to the last
-- duration; never reaching 0.5 gives NULL
SELECT is(median_stay(c::survival_curve), m, format('median_stay(%s) = %s as in R', c, m))
FROM (VALUES ('2024-06-30|1:1/0,2:1/0,3:1/0,4:1/0', 2.5::float8),
             ('2024-06-30|1:1/0,2:1/0,3:0/2', 2.5),
             ('2024-06-30|1:1/0,2:1/0,3:0/1,5:0/1', 3.5),
             ('2024-06-30|1:2/0,2:1/2,5:1/0,9:0/1', 5),
             ('2024-06-30|2:0/1,5:0/1,9:0/1', NULL)) v(c, m);

-- ---------- errors: SQLSTATE, never a crash ----------

SELECT throws_ok(q, code, NULL, q)
FROM (VALUES
  ($$SELECT stay_survival(daterange(NULL, '2024-01-01'), '2024-06-30') $$, '22023'),
  ($$SELECT stay_survival(daterange('-infinity', '2024-01-01'), '2024-06-30') $$, '22023'),
  ($$SELECT stay_survival(daterange('2024-01-01', NULL), 'infinity') $$, '22008'),
  ($$SELECT stay_survival(daterange('2024-01-01', NULL), '-infinity') $$, '22008'),
  ($$SELECT stay_survival(s, d) FROM (VALUES ('[2024-01-01,2024-02-01)'::daterange, '2024-06-30'::date), ('[2024-01-01,2024-02-01)', '2024-07-01')) v(s, d)$$, '22023'),
  ($$SELECT rollup(c::survival_curve) FROM (VALUES ('2024-06-30|1:1/0'), ('2024-07-01|1:1/0')) v(c)$$, '22023'),
  ($$SELECT survival('2024-06-30|1:1/0', -1)$$, '22023'),
  ($$SELECT survival_interval('2024-06-30|1:1/0', 1, 1.0)$$, '22023'),
  ($$SELECT survival_interval('2024-06-30|1:1/0', 1, 0)$$, '22023'),
  ($$SELECT survival_interval('2024-06-30|1:1/0', 1, 'NaN')$$, '22023'),
  ($$SELECT expected_remaining_days('2024-06-30|1:1/0', -1, 10)$$, '22023'),
  ($$SELECT expected_remaining_days('2024-06-30|1:1/0', 1, -10)$$, '22023'),
  ($$SELECT rollup(c) FROM (VALUES ('2024-06-30|1:9223372036854775807/0'::survival_curve), ('2024-06-30|1:1/0')) v(c)$$, '22003')
) v(q, code);

SELECT throws_ok(format('SELECT %L::survival_curve', x), '22P02', NULL, format('survival_curve rejects %L', x))
FROM unnest(ARRAY[
  '', '|', '2024-06-30', '2024-06-30 1:1/0', 'infinity|', '2024-02-30|', '24-06-30|', '0000-01-01|',
  '2024-06-30|1:-1/0', '2024-06-30|1:1/-1', '2024-06-30|-1:1/0', '2024-06-30|2:1/0,1:1/0',
  '2024-06-30|1:1/0,1:1/0', '2024-06-30|1:0/0', '2024-06-30|0:1/0', '2024-06-30|1:1',
  '2024-06-30|1:1/0,', '2024-06-30|1:1/0;2:1/0', '2024-06-30|1:1/0 x', '2024-06-30|3000000:1/0',
  '2024-06-30|1:9223372036854775807/1', '2024-06-30|1:1e3/0', '2024-06-30|1.5:1/0'
]) AS x;

-- ---------- parallel aggregation ----------

\ir lib/parallel.psql

CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('stay_survival', 'SELECT stay_survival(stay, as_of) FROM surv_par_stays'),
  ('stay_survival by unit', 'SELECT unit, stay_survival(stay, as_of) FROM surv_par_stays GROUP BY unit'),
  ('rollup', 'SELECT rollup(curve) FROM surv_par_curves');

SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;

\ir lib/check_parallel.psql

RESET max_parallel_workers_per_gather;
CREATE TEMP TABLE surv_par_stays_long AS
  SELECT split_part(p, ':', 1)::int AS days, split_part(split_part(p, ':', 2), '/', 1)::bigint AS events,
         split_part(p, '/', 2)::bigint AS censored
  FROM (SELECT stay_survival(stay, as_of)::text AS c FROM surv_par_stays) x,
       LATERAL unnest(string_to_array(split_part(c, '|', 2), ',')) p
  WHERE split_part(p, ':', 1)::int >= 65536;
-- rollup of curves of disjoint row sets is the curve of all the rows
SELECT is((SELECT rollup(curve)::text FROM surv_par_curves),
          (SELECT stay_survival(stay, as_of)::text FROM surv_par_stays),
          'rollup of 5000 partial curves equals the curve of all rows');
SELECT is((SELECT rollup(c)::text FROM (SELECT stay_survival(stay, as_of) c FROM surv_par_stays GROUP BY unit) u),
          (SELECT stay_survival(stay, as_of)::text FROM surv_par_stays),
          'rollup of per-unit curves equals the curve of all rows');
SELECT is((SELECT stay_count(stay_survival(stay, as_of)) FROM surv_par_stays),
          (SELECT count(*) FROM surv_par_stays WHERE lower(stay) <= as_of),
          'every stay of the parallel table that starts by as_of is counted');
SELECT is((SELECT sum(events + censored) FROM surv_par_stays_long),
          120::numeric, 'the parallel table has 120 stays longer than 65536 days, all in the curve');

SELECT * FROM finish();
ROLLBACK;
DROP TABLE surv_par_stays, surv_par_curves;
