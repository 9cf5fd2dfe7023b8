-- Oracle forecasts for test/bench/placement_backtest.sh (ORACLE=1), run after
-- its backtest tables (bt_fc, bt_result) on the data of
-- test/bench/placement_backtest_setup.sql (placements_bt and the generator's
-- own tables bt_level, bt_category, bt_index).
--
-- The rest of the year's cost (as_of+1 .. 31 December) is
--   committed (stays open at as_of) + new stays' arrivals N × their mean care
--   days up to 31 December w × their cost per care day c,
-- and each oracle below replaces one or more of these by what only the
-- future or the generator knows; the year's forecast is the outcome so far +
-- that.  Scored like the backtest: MAE in % of the actual year, against the
-- run-rate's, per municipality and category and per municipality in total.
--
--   placement_forecast   as the backtest (the check: the recomposition
--                        committed + new_cost gives its figures)
--   (a) true intensity   the generator's expected arrivals a day, λ(d) (its
--                        random-walk level between the knots, drift, size
--                        and season: not the realised arrivals), each
--                        lasting as placement_forecast's Kaplan–Meier curve
--                        says, at placement_forecast's cost per care day and
--                        committed cost: Σ λ(d) W_KM(31 Dec − d) × c_f
--   (a−) true past    (a) with what a perfect observer of the past could
--                        know: the generator's level on as_of (no Poisson
--                        noise) carried forward with the municipality's
--                        drift (the mean of its yearly steps), × the true
--                        season; the steps of the walk after as_of unknown
--   (b) realised count   placement_forecast scaled to the realised number of
--                        arrivals: new_cost × N_real ÷ new_stays
--   (a+) true model      everything a forecast could know from the
--                        generator's parameters and its random walk: λ(d),
--                        the true stay-length law (open stays: P(L > e+j) ÷
--                        P(L > e), each at its own daily cost) and the true
--                        expected daily cost of a new stay
--   (c) all but lengths  the realised open stays' cost and the realised
--                        arrivals with their own daily costs; only the new
--                        stays' lengths are expected (true law)
--   (f) count bound      (a) with λ(d) replaced by its posterior mean given
--                        the arrival counts up to as_of, for a forecaster who
--                        knows the generator's parameters (walk step, drift,
--                        size, season) but not its walk's path
--                        (test/bench/placement_bound.R, table bt_bound): the
--                        MSE-optimal forecast of the expected arrivals from
--                        the counts; the rest is placement_forecast's own
--   (f+) bound + law     (f) with the true stay-length law for the open and
--                        the new stays (as (a+)), at the forecast's cost per
--                        care day
-- and the swaps, each placement_forecast with one component from (a+):
--   level   the number of arrivals N (λ summed), with the forecast's timing;
--           split into rate (the 12 months' arrivals replaced by their Σλ:
--           the rate's Poisson noise) and extrapolation (N ÷ the 12 months'
--           arrivals replaced by Σλ after as_of ÷ Σλ of the 12 months: the
--           season's and the level's change from the 12 months to the rest
--           of the year)
--   season  the arrivals' timing within the rest of the year (w under λ,
--           with the Kaplan–Meier curve), with the forecast's number
--   open    the open stays' expected cost (true law)
--   length  the new stays' mean days w (true law against the curve, both
--           under λ)
--   cost    the new stays' cost per care day
-- The count bound's own calibration (bt_bound_n: the posterior mean and sd
-- of N = Σ λ after as_of): how often the truth Σλ lies within n_mean ± 1.96
-- sd, and the mean and sd of (Σλ − n_mean) ÷ sd (0 and 1 if the filter is
-- right).
-- The standard error of the "% below run-rate" is the delta method's for a
-- ratio of means, paired over municipality-years (the clusters).
\set ON_ERROR_STOP 1
SET jit = off;

-- the placements with an index per group (the lateral queries below)
CREATE TEMP TABLE or_pl AS
SELECT muni, category, lower(stay) AS start, stay, daily_cost FROM placements_bt;
CREATE INDEX ON or_pl (muni, category, start);
ANALYZE or_pl;

-- Φ, the standard normal distribution function (Abramowitz–Stegun 26.2.17,
-- error below 7.5e-8)
CREATE FUNCTION pg_temp.phi(x float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN x < 0 THEN 1 - p ELSE p END
  FROM (SELECT 1 - exp(-x * x / 2) / sqrt(2 * pi())
                   * t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429)))) AS p
        FROM (SELECT 1 / (1 + 0.2316419 * abs(x)) AS t) a) b $$;

-- the true stay-length law per category: S(x) = P(L > x), L = the rounded
-- log-normal clipped to 1 .. 5479 days, and CS(x) = S(0) + ... + S(x)
CREATE TEMP TABLE or_surv AS
SELECT k, x, s, sum(s) OVER (PARTITION BY k ORDER BY x) AS cs
FROM (SELECT c.k, x,
             CASE WHEN x = 0 THEN 1.0 WHEN x >= 5479 THEN 0.0
                  ELSE 1 - pg_temp.phi(ln((x + 0.5) / c.median_days) / c.sigma_days) END AS s
      FROM bt_category c, generate_series(0, 5479 + 366) x) a;
CREATE UNIQUE INDEX ON or_surv (k, x);
ANALYZE or_surv;

-- the generator's expected arrivals a day (as in the setup script)
CREATE TEMP TABLE or_lambda AS
SELECT l0.m AS muni, c.category, g.day,
       c.inflow * exp(l0.lvl + (l1.lvl - l0.lvl) * g.frac)
         * (1 + 0.2 * cos(2 * pi() * (extract(doy FROM g.day) - 280) / 365.25)) AS lambda,
       ln(c.inflow) + l0.lvl + (l1.lvl - l0.lvl) * g.frac AS loglevel,
       1 + 0.2 * cos(2 * pi() * (extract(doy FROM g.day) - 280) / 365.25) AS season
FROM (SELECT day, ky, (day - make_date(ky, 7, 1))::float8 / (make_date(ky + 1, 7, 1) - make_date(ky, 7, 1)) AS frac
      FROM (SELECT d::date AS day,
                   extract(year FROM d)::int - (d < make_date(extract(year FROM d)::int, 7, 1))::int AS ky
            FROM generate_series(DATE '2018-05-01', DATE '2024-12-31', interval '1 day') d) x) g
JOIN bt_level l0 ON l0.y = g.ky
JOIN bt_level l1 ON l1.m = l0.m AND l1.k = l0.k AND l1.y = g.ky + 1
JOIN bt_category c ON c.k = l0.k;
CREATE INDEX ON or_lambda (muni, category, day);
CREATE INDEX ON bt_bound (muni, k, as_of);
ANALYZE bt_bound;
-- the municipality's drift: the mean yearly step of its levels (≈ trend + its own drift)
CREATE TEMP TABLE or_drift AS
SELECT m AS muni, (sum(lvl) FILTER (WHERE y = 2025) - sum(lvl) FILTER (WHERE y = 1999)) / (3 * 26.0) AS drift
FROM bt_level GROUP BY m;
ANALYZE or_lambda;

-- per forecast (municipality, category, as_of): the forecast's parts and the truths
CREATE TEMP TABLE or_part AS
WITH fc AS (
  SELECT b.muni, b.category, b.y, b.mo, b.as_of, make_date(b.y, 12, 31) AS until, c.k,
         public.sek_ore(public.cost(b.so_far))::float8 / 100 AS so_far,
         public.sek_ore((b.f).committed_cost)::float8 / 100 AS f_comm,
         public.sek_ore((b.f).new_cost)::float8 / 100 AS f_new,
         (b.f).new_days AS f_days, (b.f).new_stays AS f_n, (b.f).arrivals_12m::float8 AS f_a12,
         c.median_cost * i.idx * exp(c.sigma_cost ^ 2 / 2) AS c_true
  FROM bt_fc b JOIN bt_category c USING (category) JOIN bt_index i ON i.y = b.y
)
SELECT fc.*,
       -- λ summed, under the forecast's curve, under the true law
       lam.n_true, lam.nw_km, lam.nw_true, lm.n_minus, lm.nw_minus, bd.n_bound, bd.nw_bound, bd.nwt_bound,
       (SELECT sum(l.lambda) FROM or_lambda l
        WHERE l.muni = fc.muni AND l.category = fc.category
          AND l.day > (fc.as_of - interval '1 year')::date AND l.day <= fc.as_of) AS n12_true,
       -- the open stays: realised cost and the true law's expectation
       op.r_comm, op.t_comm,
       -- the new stays: realised number and cost, and their expectation given start and daily cost
       nw.n_real, nw.r_new, nw.e_new,
       public.sek_ore(public.cost(y.actual))::float8 / 100 AS actual
FROM fc
JOIN bt_year y USING (muni, category, y)
CROSS JOIN LATERAL (
  -- placement_forecast's Kaplan–Meier curve on as_of
  SELECT public.stay_survival(p.stay, fc.as_of) AS c FROM or_pl p
  WHERE p.muni = fc.muni AND p.category = fc.category AND p.start <= fc.as_of) km
CROSS JOIN LATERAL (
  SELECT sum(l.lambda) AS n_true,
         sum(l.lambda * public.expected_remaining_days(km.c, 0, fc.until - l.day + 1)) AS nw_km,
         sum(l.lambda * (SELECT cs FROM or_surv WHERE k = fc.k AND x = fc.until - l.day)) AS nw_true
  FROM or_lambda l
  WHERE l.muni = fc.muni AND l.category = fc.category AND l.day > fc.as_of AND l.day <= fc.until) lam
CROSS JOIN LATERAL (
  -- (a−): the true level on as_of carried forward with the drift, × the true season
  SELECT sum(e.lambda) AS n_minus,
         sum(e.lambda * public.expected_remaining_days(km.c, 0, fc.until - e.day + 1)) AS nw_minus
  FROM (SELECT l.day, exp(l0.loglevel + d.drift * (l.day - fc.as_of) / 365.25) * l.season AS lambda
        FROM or_lambda l, or_lambda l0, or_drift d
        WHERE l.muni = fc.muni AND l.category = fc.category AND l.day > fc.as_of AND l.day <= fc.until
          AND l0.muni = fc.muni AND l0.category = fc.category AND l0.day = fc.as_of AND d.muni = fc.muni) e) lm
CROSS JOIN LATERAL (
  -- (f): the posterior mean of λ given the counts, under the forecast's curve and the true law
  SELECT sum(b.lambda) AS n_bound,
         sum(b.lambda * public.expected_remaining_days(km.c, 0, fc.until - b.day + 1)) AS nw_bound,
         sum(b.lambda * (SELECT cs FROM or_surv WHERE k = fc.k AND x = fc.until - b.day)) AS nwt_bound
  FROM bt_bound b
  WHERE b.muni = fc.muni AND b.k = fc.k AND b.as_of = fc.as_of) bd
CROSS JOIN LATERAL (
  SELECT coalesce(sum(public.sek_ore(public.stay_cost(p.stay, p.daily_cost, daterange(fc.as_of + 1, fc.until + 1)))::float8 / 100), 0) AS r_comm,
         coalesce(sum(public.sek_ore(p.daily_cost)::float8 / 100
                      * (s1.cs - s0.cs) / s0.s), 0) AS t_comm
  FROM or_pl p
  JOIN or_surv s0 ON s0.k = fc.k AND s0.x = fc.as_of - p.start
  JOIN or_surv s1 ON s1.k = fc.k AND s1.x = fc.as_of - p.start + (fc.until - fc.as_of)
  WHERE p.muni = fc.muni AND p.category = fc.category
    AND p.start <= fc.as_of AND upper(p.stay) > fc.as_of) op
CROSS JOIN LATERAL (
  SELECT count(*) AS n_real,
         coalesce(sum(public.sek_ore(public.stay_cost(p.stay, p.daily_cost, daterange(fc.as_of + 1, fc.until + 1)))::float8 / 100), 0) AS r_new,
         coalesce(sum(public.sek_ore(p.daily_cost)::float8 / 100 * s.cs), 0) AS e_new
  FROM or_pl p JOIN or_surv s ON s.k = fc.k AND s.x = fc.until - p.start
  WHERE p.muni = fc.muni AND p.category = fc.category
    AND p.start > fc.as_of AND p.start <= fc.until) nw;

DO $$
DECLARE bad bigint;
BEGIN
  -- the actual year is the outcome so far + the realised rest
  SELECT count(*) INTO bad FROM or_part WHERE abs(so_far + r_comm + r_new - actual) > 0.01;
  IF bad > 0 THEN
    RAISE EXCEPTION 'oracle: % forecasts whose actual year is not outcome + realised rest', bad;
  END IF;
END $$;

-- the forecasts of the rest of the year: the methods
CREATE TEMP TABLE or_method (ord int, method text, label text);
INSERT INTO or_method VALUES
  (0, 'runrate', 'runrate'),
  (1, 'placement_forecast', 'placement_forecast'),
  (2, 'a', '(a) true intensity λ'),
  (3, 'b', '(b) realised count'),
  (6, 'a-', '(a−) true level on as_of'),
  (4, 'a+', '(a+) true model'),
  (5, 'c', '(c) all but new lengths'),
  (7, 'f', '(f) count bound'),
  (8, 'f+', '(f+) count bound + true law'),
  (11, 'level', 'swap: level (N = Σλ)'),
  (12, 'season', 'swap: season (timing)'),
  (16, 'rate', 'swap: rate (Σλ of the 12 months)'),
  (17, 'extrap', 'swap: extrapolation (level change)'),
  (13, 'open', 'swap: open stays (true law)'),
  (14, 'length', 'swap: new lengths (true law)'),
  (15, 'cost', 'swap: new cost per day');
CREATE TEMP TABLE or_fc AS
SELECT p.muni, p.category, p.y, p.mo, m.method, p.actual, p.so_far + r.rest AS fc
FROM or_part p
CROSS JOIN LATERAL (VALUES
  ('placement_forecast', f_comm + f_new),
  ('a', f_comm + nw_km * f_new / f_days),
  ('b', f_comm + f_new * n_real / f_n),
  ('a-', f_comm + nw_minus * f_new / f_days),
  ('a+', t_comm + nw_true * c_true),
  ('c', r_comm + e_new),
  ('f', f_comm + nw_bound * f_new / f_days),
  ('f+', t_comm + nwt_bound * f_new / f_days),
  ('level', f_comm + f_new * n_true / f_n),
  ('rate', f_comm + f_new * n12_true / f_a12),
  ('extrap', f_comm + f_new * (n_true / n12_true) / (f_n / f_a12)),
  ('season', f_comm + f_new * (nw_km / n_true) / (f_days / f_n)),
  ('open', t_comm + f_new),
  ('length', f_comm + f_new * nw_true / nw_km),
  ('cost', f_comm + f_days * c_true)) r(method, rest)
JOIN or_method m USING (method);

DO $$
DECLARE bad bigint;
BEGIN
  -- the recomposition gives the backtest's placement_forecast
  SELECT count(*) INTO bad FROM or_fc o JOIN bt_result r
    ON r.level = 'category' AND (r.muni, r.category, r.y, r.mo) = (o.muni, o.category, o.y, o.mo)
  WHERE o.method = 'placement_forecast' AND abs(o.fc - public.sek_ore(r.placement)::float8 / 100) > 0.02;
  IF bad > 0 THEN
    RAISE EXCEPTION 'oracle: % recomposed forecasts differ from placement_forecast', bad;
  END IF;
END $$;

-- errors in % of the actual year, per category and in total, with the run-rate's
CREATE TEMP TABLE or_err AS
WITH lv AS (
  SELECT 'category' AS level, muni, category, y, mo, method, actual, fc FROM or_fc
  UNION ALL
  SELECT 'total', muni, 'Totalt', y, mo, method, sum(actual), sum(fc) FROM or_fc GROUP BY muni, y, mo, method
  UNION ALL
  SELECT level, muni, category, y, mo, 'runrate', public.sek_ore(actual)::float8 / 100,
         public.sek_ore(runrate)::float8 / 100
  FROM bt_result
)
SELECT level, muni, category, y, mo, method, abs(100 * (fc - actual) / actual) AS ae,
       100 * (fc - actual) / actual AS e
FROM lv;

-- MAE, and % below the run-rate's with its standard error (clusters: municipality-years)
CREATE TEMP TABLE or_score AS
WITH cl AS (
  SELECT o.level, o.mo, o.method, o.muni, o.y, sum(o.ae) AS a, sum(r.ae) AS b, count(*) AS n
  FROM or_err o JOIN or_err r USING (level, muni, category, y, mo)
  WHERE r.method = 'runrate'
  GROUP BY o.level, o.mo, o.method, o.muni, o.y
), s AS (
  SELECT level, mo, method, sum(n) AS n, count(*) AS g, sum(a) / sum(n) AS mae, sum(b) / sum(n) AS mae_rr,
         sum(a) / sum(b) AS ratio
  FROM cl GROUP BY level, mo, method
)
SELECT s.level, s.mo, s.method, s.n, s.mae, s.mae_rr, 100 * (1 - s.ratio) AS below,
       100 * sqrt(s.g / (s.g - 1.0) * sum((cl.a - s.ratio * cl.b) ^ 2)) / (s.mae_rr * s.n) AS below_se
FROM s JOIN cl USING (level, mo, method)
GROUP BY s.level, s.mo, s.method, s.n, s.g, s.mae, s.mae_rr, s.ratio;

\pset footer off
\echo oracle forecasts: MAE in % of the actual year; below = % below the run-rate MAE (goal >= 20),
\echo with its standard error (paired over municipality-years); bias = mean error in %
SELECT s.level, CASE s.mo WHEN 4 THEN 'April' ELSE 'August' END AS "as of end of", m.label AS method,
       round(s.mae::numeric, 2) AS "MAE %",
       round((SELECT avg(e) FROM or_err e WHERE (e.level, e.mo, e.method) = (s.level, s.mo, s.method))::numeric, 2) AS "bias %",
       CASE WHEN s.method <> 'runrate' THEN round(s.below::numeric, 1) END AS "below %",
       CASE WHEN s.method <> 'runrate' THEN round(s.below_se::numeric, 1) END AS "± se"
FROM or_score s JOIN or_method m USING (method)
ORDER BY s.level, s.mo, m.ord;
\echo the arrivals after as_of: mean absolute relative error in % of the forecast (new_stays) against Σλ,
\echo of its parts (rate: the 12 months arrivals against their Σλ; extrapolation: new_stays ÷ arrivals_12m against
\echo Σλ after as_of ÷ Σλ of the 12 months), of the realised count, and of the count bound (f) against Σλ
SELECT CASE mo WHEN 4 THEN 'April' ELSE 'August' END AS "as of end of",
       round(avg(abs(100 * (f_n - n_true) / n_true))::numeric, 1) AS "|new_stays - Σλ| ÷ Σλ",
       round(avg(100 * (f_n - n_true) / n_true)::numeric, 1) AS "bias",
       round(avg(abs(100 * (f_a12 - n12_true) / n12_true))::numeric, 1) AS "rate",
       round(avg(abs(100 * ((f_n / f_a12) / (n_true / n12_true) - 1)))::numeric, 1) AS "extrapolation",
       round(avg(abs(100 * (n_real - n_true) / n_true))::numeric, 1) AS "realised vs Σλ",
       round(avg(abs(100 * (n_bound - n_true) / n_true))::numeric, 1) AS "bound vs Σλ",
       round(avg(100 * (n_bound - n_true) / n_true)::numeric, 1) AS "its bias"
FROM or_part GROUP BY mo ORDER BY mo;
\echo the expected arrivals after as_of N = Σλ by the count bound (f): coverage of the truth by the posterior
\echo mean ± 1.96 sd, and z = (true Σλ - posterior mean) ÷ sd (mean 0, sd 1 if the bound is right)
SELECT CASE p.mo WHEN 4 THEN 'April' ELSE 'August' END AS "as of end of", count(*) AS n,
       round(100 * avg((abs(p.n_true - b.n_mean) <= 1.96 * b.n_sd)::int)::numeric, 1) AS "coverage %",
       round(avg((p.n_true - b.n_mean) / b.n_sd)::numeric, 3) AS "mean z",
       round(stddev((p.n_true - b.n_mean) / b.n_sd)::numeric, 3) AS "sd z",
       round(avg(100 * b.n_sd / b.n_mean)::numeric, 1) AS "sd in % of N"
FROM or_part p JOIN bt_bound_n b USING (muni, k, as_of)
GROUP BY p.mo ORDER BY p.mo;
