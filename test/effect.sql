-- stay_effect, net_effect and alternative_cost: against R's survival::survfit
-- (rmean and se(rmean)), against plain SQL, calibration on simulated data
-- with a known effect, forced-parallel plans, crafted serialized states and
-- the SQLSTATEs of bad input.
--
-- R part: random stays in six units (log-normal lengths, the treated ones
-- shorter, longer or as long, ties on whole days, those still in care at
-- as_of open in three ways, some starting after it, empty, NULL) are turned into time/status pairs by
-- plain SQL and written with server-side COPY under the data directory;
-- Rscript fits survfit(Surv(time, status) ~ treated) per unit and prints
-- rmean and se(rmean) of each group at the default tau (computed in R from
-- the stays' follow-up as_of - start: its median, quantile type 1,
-- cut to a group's longest time unless that time has no censored stay) and
-- at a horizon of 120 days.  stay_effect must agree to 1e-9 relative.
--
-- Calibration: 200 simulated data sets with a known effect
-- (test/lib/effect_sim.sql; the truth from R's plnorm); the 95 % intervals
-- of days saved must cover the truth in 91-98.5 % of them and the mean
-- error must be within three of its standard errors.  The same bounds
-- reject two broken methods: ignoring censoring (open stays taken as ended
-- at as_of) and a variance from the untreated group only.  The full-size
-- calibration is test/bench/effect_calibration.sh.
--
-- Parallel part: the tables are committed first (parallel workers read them
-- like any table); the aggregates run with a Partial Aggregate and launched
-- workers and equal the serial results.
\set QUIET on
SET client_min_messages = warning;
DROP TABLE IF EXISTS effect_par;
CREATE TABLE effect_par AS
  SELECT i, i % 40 AS unit, i % 11 < 4 AS treated, date '2024-06-30' AS as_of,
         CASE WHEN i % 1000 = 0 THEN NULL
              WHEN i % 13 = 0 THEN daterange(s, NULL)
              -- the treated stays last about 0.7 as long
              ELSE daterange(s, s + 1 + ((i::bigint * 7919) % (CASE WHEN i % 11 < 4 THEN 700 ELSE 1000 END))::int)
         END AS stay,
         CASE WHEN i % 97 = 0 THEN NULL ELSE (1500 + (i % 7) * 500)::sek END AS daily_cost,
         (2500 + (i % 3) * 1000)::sek AS external_price,
         ((i % 40 + 1) * 1000000)::sek AS own_cost
  FROM generate_series(1, 200000) i,
       LATERAL (SELECT date '2015-01-01' + ((i::bigint * 2654435761) % 3500)::int AS s) x;
ANALYZE effect_par;

BEGIN;
SELECT plan(107);

-- ---------- R comparison ----------

SELECT setseed(0.2031);
CREATE TEMP TABLE r_stays AS
  SELECT i, unit, treated,
         CASE WHEN i % 211 = 0 THEN NULL
              WHEN i % 101 = 0 THEN 'empty'::daterange
              -- still in care on as_of: no end, an infinite end, or a planned end after it
              WHEN start + len > date '2024-06-30' AND i % 3 = 0 THEN daterange(start, NULL)
              WHEN start + len > date '2024-06-30' AND i % 3 = 1 THEN daterange(start, 'infinity')
              ELSE daterange(start, start + len) END AS stay,
         CASE WHEN i % 23 = 0 THEN NULL ELSE (2000 + (i % 5) * 250)::sek END AS daily_cost
  FROM (SELECT i, i % 6 AS unit, random() < 0.35 AS treated,
               date '2020-01-01' + floor(random() * 1670)::int AS start,
               -- log-normal, median about 75-120 days; the treated ones
               -- 0.6 as long in units 0-2, as long in unit 3, 1.3 as long in 4-5
               greatest(1, round(exp(4.3 + (i % 6) * 0.1 + 1.0 * sqrt(-2 * ln(1 - random()))
                                        * cos(2 * pi() * random()))))::int AS len0
        FROM generate_series(1, 3600) i) g,
       LATERAL (SELECT greatest(1, round(len0 * CASE WHEN NOT treated THEN 1
                                                     WHEN unit < 3 THEN 0.6
                                                     WHEN unit = 3 THEN 1 ELSE 1.3 END))::int AS len) l;

-- time and status by plain SQL, for R
CREATE TEMP TABLE r_input AS
  SELECT unit, treated::int AS treated,
         CASE WHEN upper(stay) <= date '2024-06-30' THEN upper(stay) - lower(stay)
              ELSE date '2024-06-30' - lower(stay) END AS time,
         (upper(stay) IS NOT NULL AND upper(stay) <= date '2024-06-30')::int AS status,
         date '2024-06-30' - lower(stay) AS followup
  FROM r_stays
  WHERE stay IS NOT NULL AND NOT isempty(stay) AND lower(stay) <= date '2024-06-30';

SELECT current_setting('data_directory') || '/actionplan_effect_r.csv' AS rfile \gset
SELECT format('cat >/dev/null; rm -f ''%s''', :'rfile') AS rmcmd \gset
COPY r_input TO :'rfile' WITH (FORMAT csv, HEADER);

SELECT format($R$Rscript -e "suppressMessages(library(survival)); d <- read.csv('%s'); out <- character(0); for (u in sort(unique(d[['unit']]))) { x <- d[d[['unit']] == u, ]; f <- survfit(Surv(time, status) ~ treated, data = x); for (h in c(0, 120)) { tau <- h; if (h == 0) { tau <- max(1, quantile(x[['followup']], 0.5, type = 1, names = FALSE)); for (g in 0:1) { y <- x[x[['treated']] == g, ]; m <- max(y[['time']]); if (any(y[['status']][y[['time']] == m] == 0)) tau <- min(tau, m) } }; tb <- summary(f, rmean = tau)[['table']]; m <- sapply(0:1, function(g) sum(x[['status']] == 1 & x[['time']] <= tau & x[['treated']] == g)); out <- c(out, sprintf('%%d,%%d,%%d,%%d,%%.0f,%%.17g,%%.17g,%%d', u, h, c(0L, 1L), as.integer(tb[, 'records']), tau, tb[, 'rmean'], tb[, 'se(rmean)'], m)) } }; writeLines(out)"$R$,
              :'rfile') AS rcmd \gset

CREATE TEMP TABLE r_out (unit int, horizon int, treated int, n bigint, tau int, rmean float8, se float8, ended int);
COPY r_out FROM PROGRAM :'rcmd' WITH (FORMAT csv, NULL 'NA');
COPY (SELECT 1) TO PROGRAM :'rmcmd';
-- stay_effect's standard error is R's se(rmean) times the small-sample
-- factor √(m / (m - 1)), m the group's stays ended by tau (R counts them)
SELECT ok((SELECT bool_and(ended > 1) FROM r_out), 'R counted the stays ended by tau of each group');
UPDATE r_out SET se = se * sqrt(ended / (ended - 1.0));

CREATE TEMP TABLE r_ours AS
  SELECT unit, 0 AS horizon, (stay_effect(stay, daily_cost, treated, '2024-06-30')).* FROM r_stays GROUP BY unit
  UNION ALL
  SELECT unit, 120, (stay_effect(stay, daily_cost, treated, '2024-06-30', 120)).* FROM r_stays GROUP BY unit;
-- R's figures next to ours, one row per unit, horizon and group
CREATE TEMP TABLE r_cmp AS
  SELECT r.*, o.tau AS our_tau,
         CASE WHEN r.treated = 1 THEN o.n_treated ELSE o.n_untreated END AS our_n,
         CASE WHEN r.treated = 1 THEN o.rmst_treated ELSE o.rmst_untreated END AS our_rmean,
         CASE WHEN r.treated = 1 THEN o.rmst_treated_se ELSE o.rmst_untreated_se END AS our_se
  FROM r_out r JOIN r_ours o USING (unit, horizon);

SELECT is((SELECT count(*) FROM r_cmp), 24::bigint, 'R gave rmean for 6 units × 2 horizons × 2 groups');
SELECT ok((SELECT bool_and(n = our_n) FROM r_cmp), 'stays per group equal R''s records (later starts, empty and NULL left out)');
SELECT ok((SELECT bool_and(tau = our_tau) FROM r_cmp), 'default tau is R''s median of the follow-up, cut where a curve is not known');
SELECT ok((SELECT bool_and(abs(our_rmean - rmean) <= 1e-9 * rmean) FROM r_cmp WHERE horizon = 0),
          'RMST of each group equals R''s rmean at the default tau (1e-9 relative)');
SELECT ok((SELECT bool_and(abs(our_se - se) <= 1e-9 * se) FROM r_cmp WHERE horizon = 0),
          'standard error equals R''s se(rmean) × √(m / (m − 1)) at the default tau (1e-9 relative)');
SELECT ok((SELECT bool_and(abs(our_rmean - rmean) <= 1e-9 * rmean AND abs(our_se - se) <= 1e-9 * se)
           FROM r_cmp WHERE horizon = 120),
          'RMST and standard error (R''s × √(m / (m − 1))) equal R''s at a horizon of 120 days (1e-9 relative)');
-- days saved from R's figures: n_treated × (rmean untreated - rmean treated), se from both
SELECT ok((SELECT bool_and(abs(o.days_saved - t.n * (u.rmean - t.rmean)) <= 1e-9 * t.n * (u.rmean + t.rmean)
                       AND abs(o.days_saved_se - t.n * sqrt(u.se ^ 2 + t.se ^ 2)) <= 1e-9 * o.days_saved_se)
           FROM r_ours o JOIN r_out t ON t.unit = o.unit AND t.horizon = o.horizon AND t.treated = 1
                         JOIN r_out u ON u.unit = o.unit AND u.horizon = o.horizon AND u.treated = 0),
          'days saved and their standard error follow from R''s rmean and se(rmean)');
SELECT ok((SELECT bool_and(sign(days_saved) = CASE WHEN unit < 3 THEN 1 WHEN unit > 3 THEN -1 ELSE sign(days_saved) END)
           FROM r_ours WHERE horizon = 0),
          'shorter treated stays save days, longer ones cost days');
SELECT diag(format('max relative difference from R: rmean %s, se(rmean) %s',
  (SELECT max(abs(our_rmean - rmean) / rmean) FROM r_cmp),
  (SELECT max(abs(our_se - se) / se) FROM r_cmp)));

-- ---------- plain SQL ----------

CREATE TEMP VIEW effect_par_in AS
  SELECT unit AS g, stay, treated, as_of, NULL::int AS horizon FROM effect_par
  UNION ALL
  SELECT unit + 1000, stay, treated, as_of, 365 FROM effect_par;
\set effect_src effect_par_in
\ir lib/effect_plain.sql
CREATE TEMP TABLE plain_cmp AS
  SELECT p.*, o.tau AS o_tau, o.n_treated AS o_nt, o.n_untreated AS o_nu,
         o.rmst_treated AS o_rt, o.rmst_untreated AS o_ru, o.rmst_treated_se AS o_st,
         o.rmst_untreated_se AS o_su, o.days_saved AS o_ds, o.days_saved_se AS o_dse
  FROM effect_plain p
  JOIN (SELECT unit AS g, (stay_effect(stay, daily_cost, treated, as_of)).* FROM effect_par GROUP BY unit
        UNION ALL
        SELECT unit + 1000, (stay_effect(stay, daily_cost, treated, as_of, 365)).* FROM effect_par GROUP BY unit) o
  USING (g);
SELECT is((SELECT count(*) FROM plain_cmp), 80::bigint, 'plain SQL and stay_effect: 40 units, default tau and 365 days');
SELECT ok((SELECT bool_and(tau = o_tau AND n_treated = o_nt AND n_untreated = o_nu) FROM plain_cmp),
          'tau and the stays counted equal plain SQL''s');
SELECT ok((SELECT bool_and(abs(rmst_treated - o_rt) <= 1e-9 * rmst_treated AND abs(rmst_untreated - o_ru) <= 1e-9 * rmst_untreated
                       AND abs(rmst_treated_se - o_st) <= 1e-9 * rmst_treated_se
                       AND abs(rmst_untreated_se - o_su) <= 1e-9 * rmst_untreated_se
                       AND abs(days_saved - o_ds) <= 1e-9 * n_treated * rmst_untreated
                       AND abs(days_saved_se - o_dse) <= 1e-9 * days_saved_se) FROM plain_cmp),
          'RMST, standard errors and days saved equal plain SQL''s window functions (1e-9 relative)');

-- the treated stays' mean daily cost: each treated stay with a cost, once
SELECT is((SELECT array_agg((e).daily_cost ORDER BY unit) FROM
            (SELECT unit, stay_effect(stay, daily_cost, treated, as_of) AS e FROM effect_par GROUP BY unit) s),
          (SELECT array_agg(m ORDER BY unit)
           FROM (SELECT unit, round(avg(daily_cost::numeric) FILTER (WHERE treated AND stay IS NOT NULL AND NOT isempty(stay)
                                                                     AND lower(stay) <= as_of), 2)::sek AS m
                 FROM effect_par GROUP BY unit) a),
          'daily_cost is the mean daily cost of the treated stays that have one');
SELECT ok((SELECT bool_and((e).cost_saved = (e).daily_cost * (e).days_saved
                       AND (e).cost_saved_lo = (e).daily_cost * (e).days_saved_lo
                       AND (e).cost_saved_hi = (e).daily_cost * (e).days_saved_hi) FROM
            (SELECT stay_effect(stay, daily_cost, treated, as_of) AS e FROM effect_par GROUP BY unit) s),
          'cost saved (and its interval) is the days at the daily cost, rounded once');
SELECT is((SELECT stay_effect(stay, daily_cost, treated, as_of ORDER BY random()) FROM effect_par WHERE unit = 7),
          (SELECT stay_effect(stay, daily_cost, treated, as_of ORDER BY i DESC) FROM effect_par WHERE unit = 7),
          'the order of the rows does not matter');
SELECT ok((SELECT (a).days_saved_per_stay = -(b).days_saved_per_stay AND (a).tau = (b).tau
           FROM (SELECT stay_effect(stay, daily_cost, treated, as_of) a, stay_effect(stay, daily_cost, NOT treated, as_of) b
                 FROM effect_par WHERE unit = 3) s),
          'swapping the groups negates the days saved per stay');

-- ---------- calibration on simulated data with a known effect ----------

\set sims 200
\ir lib/effect_sim.sql
CREATE TEMP TABLE calib AS
  SELECT 'h180' AS k, s, (stay_effect(stay, daily_cost, treated, '2024-12-31', 180)).* FROM effect_sim GROUP BY s
  UNION ALL
  SELECT 'default', s, (stay_effect(stay, daily_cost, treated, '2024-12-31')).* FROM effect_sim GROUP BY s
  -- broken: open stays taken as ended at as_of (censoring ignored)
  UNION ALL
  SELECT 'nocens180', s, (stay_effect(CASE WHEN upper(stay) IS NULL OR upper(stay) > '2024-12-31'
                                           THEN daterange(lower(stay), '2024-12-31') ELSE stay END,
                                      daily_cost, treated, '2024-12-31', 180)).*
  FROM effect_sim GROUP BY s;
CREATE TEMP TABLE calib_err AS
  SELECT c.*, c.n_treated * (t.rmst_untreated - t.rmst_treated) AS truth, t.rmst_untreated AS tu, t.rmst_treated AS tt
  FROM calib c JOIN effect_truth t USING (tau);
-- coverage, and the mean error in standard errors of the mean
CREATE TEMP TABLE calib_sum AS
  SELECT k, count(*) AS n,
         avg((days_saved_lo <= truth AND truth <= days_saved_hi)::int) AS cover,
         avg((abs(days_saved - truth) <= 1.959963984540054 * n_treated * rmst_untreated_se)::int) AS cover_untreated_var,
         avg((rmst_treated_lo <= tt AND tt <= rmst_treated_hi)::int) AS cover_treated,
         avg((rmst_untreated_lo <= tu AND tu <= rmst_untreated_hi)::int) AS cover_untreated,
         avg(days_saved - truth) / (stddev(days_saved - truth) / sqrt(count(*))) AS bias_t,
         avg(days_saved - truth) AS bias, avg(truth) AS truth, avg(treated_open::float8 / n_treated) AS open
  FROM calib_err GROUP BY k;
SELECT diag(format('%s: %s sets, coverage %s, bias %s days (%s SE; truth %s days), treated open %s',
                   k, n, round(cover, 3), round(bias::numeric), round(bias_t::numeric, 2),
                   round(truth::numeric), round(open::numeric, 3)))
FROM calib_sum ORDER BY k;
SELECT is((SELECT n FROM calib_sum WHERE k = 'h180'), 200::bigint, 'calibration: 200 simulated data sets');
SELECT ok((SELECT cover BETWEEN 0.91 AND 0.985 FROM calib_sum WHERE k = 'h180'),
          'horizon 180 days: the 95 % interval of days saved covers the truth in 91-98.5 % of the sets');
SELECT ok((SELECT abs(bias_t) < 3 FROM calib_sum WHERE k = 'h180'),
          'horizon 180 days: days saved unbiased (mean error within 3 standard errors)');
SELECT ok((SELECT cover_treated BETWEEN 0.91 AND 0.985 AND cover_untreated BETWEEN 0.91 AND 0.985
           FROM calib_sum WHERE k = 'h180'),
          'horizon 180 days: each group''s RMST interval covers its truth in 91-98.5 %');
SELECT ok((SELECT cover BETWEEN 0.91 AND 0.985 FROM calib_sum WHERE k = 'default'),
          'default tau: the 95 % interval covers the truth at that tau in 91-98.5 % of the sets');
SELECT ok((SELECT abs(bias_t) >= 3 FROM calib_sum WHERE k = 'nocens180'),
          'the bias bound rejects a method that ignores censoring');
SELECT ok((SELECT cover_untreated_var < 0.91 FROM calib_sum WHERE k = 'h180'),
          'the coverage bound rejects a variance from the untreated group only');

-- ---------- parallel aggregation ----------

\ir lib/parallel.psql

CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('stay_effect', 'SELECT stay_effect(stay, daily_cost, treated, as_of) FROM effect_par'),
  ('stay_effect by unit', 'SELECT unit, stay_effect(stay, daily_cost, treated, as_of) FROM effect_par GROUP BY unit'),
  ('stay_effect horizon', 'SELECT unit % 4, stay_effect(stay, daily_cost, treated, as_of, 365) FROM effect_par GROUP BY 1'),
  ('alternative_cost', 'SELECT alternative_cost(stay, external_price, ''[2023-01-01,2024-01-01)'') FROM effect_par'),
  ('alternative_cost by unit', 'SELECT unit, alternative_cost(stay, external_price, ''[2023-01-01,2024-01-01)'', own_cost) FROM effect_par GROUP BY unit');

SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;

\ir lib/check_parallel.psql

RESET max_parallel_workers_per_gather;

-- alternative_cost against plain SQL: care days within the period at each stay's price
SELECT is((SELECT array_agg(row((r).care_days, (r).external_cost)::text ORDER BY unit)
           FROM (SELECT unit, alternative_cost(stay, external_price, '[2023-01-01,2024-01-01)', own_cost) r
                 FROM effect_par GROUP BY unit) s),
          (SELECT array_agg(row(d, c)::text ORDER BY unit)
           FROM (SELECT unit, sum(upper(x) - lower(x)) AS d, sum((upper(x) - lower(x)) * external_price) AS c
                 FROM (SELECT unit, external_price, stay * '[2023-01-01,2024-01-01)'::daterange AS x
                       FROM effect_par WHERE stay IS NOT NULL) y
                 WHERE NOT isempty(x) GROUP BY unit) z),
          'alternative_cost: care days and external cost equal plain SQL per unit');
SELECT ok((SELECT bool_and((r).own_cost = own AND (r).difference = (r).external_cost - own
                       AND (r).own_cost_per_care_day = own / (r).care_days
                       AND (r).external_cost_per_care_day = (r).external_cost / (r).care_days
                       AND abs((r).own_pct - 100 * (own / (r).external_cost)) < 1e-12)
           FROM (SELECT unit, min(own_cost) AS own,
                        alternative_cost(stay, external_price, '[2023-01-01,2024-01-01)', own_cost) r
                 FROM effect_par GROUP BY unit) s),
          'alternative_cost: the own-cost columns follow from the figures');
SELECT is((SELECT alternative_cost(care_days('[2023-01-01,2023-03-01)'::daterange, '[2023-01-01,2024-01-01)'), '4000', '100 tkr')),
          (SELECT alternative_cost('[2023-01-01,2023-03-01)'::daterange, '4000', '[2023-01-01,2024-01-01)', '100 tkr')),
          'the scalar alternative_cost of care_days() equals the aggregate over the stay');

-- ---------- crafted serialized states: 22P03, never a crash ----------

CREATE FUNCTION pg_temp.eff_deser(bytea, int8) RETURNS int8
  AS '$libdir/actionplan', 'stay_effect_deserialize' LANGUAGE C STRICT;
CREATE FUNCTION pg_temp.alt_deser(bytea, int8) RETURNS int8
  AS '$libdir/actionplan', 'alternative_cost_deserialize' LANGUAGE C STRICT;
-- a state in the serialized layout: version, as_of (days from 2000-01-01),
-- horizon, the treated stays with a cost and their cost sum, then the
-- untreated and the treated lengths, then the potential follow-up (as_of -
-- start, as censored counts; default: none): a count and (days, events,
-- censored) each
CREATE FUNCTION pg_temp.eff_state(ver int, as_of int, horizon int, ncost int8, costsum int8,
                                  nu int, u bytea, nt int, t bytea, nf int DEFAULT 0, f bytea DEFAULT '') RETURNS bytea
  LANGUAGE sql AS $$
  SELECT set_byte('\x00'::bytea, 0, ver) || int4send(as_of) || int4send(horizon) || int8send(ncost)
         || int8send(costsum) || int4send(nu) || u || int4send(nt) || t || int4send(nf) || f $$;
CREATE FUNCTION pg_temp.len(d int, ev int8, cens int8) RETURNS bytea
  LANGUAGE sql AS $$ SELECT int4send(d) || int8send(ev) || int8send(cens) $$;
-- as_of 2024-06-30 = 8947; untreated: 30 days ended, 121 open; treated: 10 ended, 60 open (2 with a cost);
-- their follow-up 400, 121, 200 and 60 days
CREATE TEMP TABLE good AS SELECT pg_temp.eff_state(2, 8947, 0, 2, 300000,
  2, pg_temp.len(30, 1, 0) || pg_temp.len(121, 0, 1), 2, pg_temp.len(10, 1, 0) || pg_temp.len(60, 0, 1),
  4, pg_temp.len(60, 0, 1) || pg_temp.len(121, 0, 1) || pg_temp.len(200, 0, 1) || pg_temp.len(400, 0, 1)) AS b;
SELECT lives_ok($$SELECT pg_temp.eff_deser(b, 0) FROM good$$, 'a well-formed stay_effect state is read');
SELECT throws_ok(format('SELECT pg_temp.eff_deser(%L::bytea, 0)', b), '22P03', NULL, 'stay_effect state: ' || why)
FROM (VALUES
  ('\x'::bytea, 'empty'),
  ((SELECT substr(b, 1, 20) FROM good), 'cut in its header'),
  ((SELECT substr(b, 1, length(b) - 1) FROM good), 'cut in its last length'),
  ((SELECT substr(b, 1, length(b) - 84 - 44) FROM good), 'cut before the treated lengths'),
  ((SELECT substr(b, 1, length(b) - 84) FROM good), 'cut before the follow-up'),
  ((SELECT b || '\x00'::bytea FROM good), 'a byte too many'),
  ((SELECT set_byte(b, 0, 1) FROM good), 'version 1 (without the follow-up)'),
  ((SELECT set_byte(b, 0, 3) FROM good), 'version 3'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(30, 1, 0), 0, '', 2, pg_temp.len(30, 0, 1) || pg_temp.len(40, 0, 1)),
   'more stays in the follow-up than stays'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(30, 1, 0), 0, '', 0, ''), 'a stay without its follow-up'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(30, 1, 0), 0, '', 1, pg_temp.len(30, 1, 0)), 'an event in the follow-up'),
  (pg_temp.eff_state(2, 2147483647, 0, 0, 0, 0, '', 0, ''), 'as_of infinity'),
  (pg_temp.eff_state(2, 8947, -1, 0, 0, 0, '', 0, ''), 'a negative horizon'),
  (pg_temp.eff_state(2, 8947, 36526, 0, 0, 0, '', 0, ''), 'a horizon over 100 years'),
  (pg_temp.eff_state(2, 8947, 0, -1, 0, 0, '', 0, ''), 'a negative number of costed stays'),
  (pg_temp.eff_state(2, 8947, 0, 1, -100, 0, '', 1, pg_temp.len(10, 1, 0)), 'a negative cost sum'),
  (pg_temp.eff_state(2, 8947, 0, 0, 100, 0, '', 1, pg_temp.len(10, 1, 0)), 'a cost sum without costed stays'),
  (pg_temp.eff_state(2, 8947, 0, 2, 100, 0, '', 1, pg_temp.len(10, 1, 0)), 'more costed stays than treated ones'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, -1, '', 0, ''), 'a negative number of lengths'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1000000000, '', 0, ''), 'a billion lengths in no bytes'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 2, pg_temp.len(30, 1, 0) || pg_temp.len(20, 1, 0), 0, ''), 'lengths out of order'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 2, pg_temp.len(30, 1, 0) || pg_temp.len(30, 0, 1), 0, ''), 'a length twice'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(36526, 1, 0), 0, ''), 'a length over 100 years'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(-1, 1, 0), 0, ''), 'a negative length'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(0, 1, 0), 0, ''), 'an event at 0 days'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(10, 0, 0), 0, ''), 'a length without stays'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 1, pg_temp.len(10, -1, 2), 0, ''), 'negative events'),
  (pg_temp.eff_state(2, 8947, 0, 0, 0, 2, pg_temp.len(10, 9223372036854775807, 0) || pg_temp.len(20, 1, 0), 0, ''),
   'more stays than a bigint counts')
) v(b, why);
SELECT throws_ok($$SELECT pg_temp.alt_deser('\x0102'::bytea, 0)$$, '22P03', NULL,
                 'an alternative_cost state of the wrong size is 22P03');
-- 40 bytes, the size of the state: all 0xff (period [-1, -1)) and all 0 (period [0, 0))
SELECT throws_ok(format('SELECT pg_temp.alt_deser(%L::bytea, 0)', b), '22P03', NULL, why)
FROM (VALUES (decode(repeat('ff', 40), 'hex'), 'an alternative_cost state with an impossible period is 22P03'),
             (decode(repeat('00', 40), 'hex'), 'an alternative_cost state with an empty period is 22P03')) v(b, why);

-- ---------- errors: SQLSTATE, never a crash ----------

CREATE TEMP TABLE e2 (stay daterange, daily_cost sek, treated boolean);
INSERT INTO e2 VALUES ('[2024-01-01,2024-01-11)', '1000', true), ('[2024-05-01,)', '3000', true),
                      ('[2024-01-01,2024-01-31)', '1000', false), ('[2024-03-01,)', '1000', false);
SELECT throws_ok(q, code, NULL, q)
FROM (VALUES
  ($$SELECT stay_effect(stay, daily_cost, false, '2024-06-30') FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, true, '2024-06-30') FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2023-06-30') FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2024-05-01') FROM e2 WHERE lower(stay) = '2024-05-01' OR NOT treated$$, '22023'),
  ($$SELECT stay_effect(daterange(NULL, '2024-01-01'), '1000', true, '2024-06-30')$$, '22023'),
  ($$SELECT stay_effect(daterange('-infinity', '2024-01-01'), '1000', true, '2024-06-30')$$, '22023'),
  ($$SELECT stay_effect(daterange('1900-01-01', '2024-01-01'), '1000', true, '2024-06-30')$$, '22023'),
  ($$SELECT stay_effect(daterange('2024-01-01', NULL), '-0,01 kr', true, '2024-06-30')$$, '22023'),
  ($$SELECT stay_effect(daterange('2024-01-01', NULL), '1000', true, 'infinity')$$, '22008'),
  ($$SELECT stay_effect(daterange('2024-01-01', NULL), '1000', true, '-infinity')$$, '22008'),
  ($$SELECT stay_effect(stay, daily_cost, treated, CASE WHEN treated THEN date '2024-06-30' ELSE '2024-07-01' END) FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2024-06-30', 0) FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2024-06-30', -5) FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2024-06-30', 36526) FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2024-06-30', 61) FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, daily_cost, treated, '2024-06-30', CASE WHEN treated THEN 30 END) FROM e2$$, '22023'),
  ($$SELECT stay_effect(stay, '1 000 000 000 000 000 kr', treated, '2024-06-30') FROM e2$$, '22003'),
  ($$SELECT stay_effect(stay, '50 000 000 000 000 000 kr', true, '2024-06-30') FROM e2$$, '22003'),
  ($$SELECT net_effect('4,1 mnkr', '138 tkr', 0)$$, '22023'),
  ($$SELECT net_effect('4,1 mnkr', '138 tkr', -7)$$, '22023'),
  ($$SELECT net_effect('-90 000 000 000 000 000 kr', '90 000 000 000 000 000 kr', 1)$$, '22003'),
  ($$SELECT net_effect(stay_effect(stay, NULL, treated, '2024-06-30'), '138 tkr') FROM e2$$, '22004'),
  ($$SELECT alternative_cost(-1, '4000', '4,9 mnkr')$$, '22023'),
  ($$SELECT alternative_cost(10, '-0,01 kr', '4,9 mnkr')$$, '22023'),
  ($$SELECT alternative_cost(10000000, '90 000 000 000 000 kr', '4,9 mnkr')$$, '22003'),
  ($$SELECT alternative_cost(1, '1', '-92 233 720 368 547 758 kr')$$, '22003'),
  ($$SELECT alternative_cost(stay, '1000', '[2024-01-01,)') FROM e2$$, '22023'),
  ($$SELECT alternative_cost(stay, '1000', '(,2024-01-01)') FROM e2$$, '22023'),
  ($$SELECT alternative_cost(stay, '1000', 'empty') FROM e2$$, '22023'),
  ($$SELECT alternative_cost(stay, '1000', NULL) FROM e2$$, '22004'),
  ($$SELECT alternative_cost(stay, '1000', CASE WHEN treated THEN '[2024-01-01,2025-01-01)'::daterange ELSE '[2024-01-01,2024-07-01)' END) FROM e2$$, '22023'),
  ($$SELECT alternative_cost(stay, '1000', '[2024-01-01,2025-01-01)', CASE WHEN treated THEN '1 mnkr'::sek ELSE '2 mnkr' END) FROM e2$$, '22023'),
  ($$SELECT alternative_cost(stay, '-1000', '[2024-01-01,2025-01-01)') FROM e2$$, '22023'),
  ($$SELECT alternative_cost(stay, '200 000 000 000 000 kr', '[2024-01-01,2025-01-01)') FROM e2$$, '22003')
) v(q, code);

SELECT * FROM finish();
ROLLBACK;
DROP TABLE effect_par;
