-- Simulated income-support series with a known truth, for
-- test/bench/income_support_coverage.sh (psql variables nsim, methods).
-- Each series: 72 months 2018-01 .. 2023-12 of
--   households  ln H = ln H0 + bH·t + aH·cos(2π(month − 7)/12) + random walk (sd .01) + noise (sd .02),
--               H0 800 .. 2 200, bH −0,4 .. +0,4 % a month, aH .02 .. .08 (summer high); H rounded to a count
--   kr per household  ln A = ln A0 + bA·t + aA·cos(2π(month − 12)/12) + random walk (sd .005) + noise (sd .015),
--               A0 8 000 .. 11 000 kr, bA 0 .. +0,4 % a month (prices), aA .01 .. .05 (December high)
-- with the two factors' innovations (random walk and noise alike)
-- correlated with rho (settings: 0, −0,5, +0,5).  Truth: the sum over 2023
-- of H × A.  Deterministic (pg_temp.u of test/bench/lib.sql).
\set ON_ERROR_STOP on
\ir lib.sql
CREATE FUNCTION pg_temp.z(i bigint, s bigint) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT sqrt(-2 * ln(pg_temp.u(i, s))) * cos(2 * pi() * pg_temp.u(i, s + 1)) $$;

CREATE TABLE is_setting (setting text PRIMARY KEY, rho float8, k int);
INSERT INTO is_setting VALUES ('a rho 0', 0, 0), ('b rho -0.5', -0.5, 1), ('c rho +0.5', 0.5, 2);

-- the series' parameters
CREATE TABLE is_param AS
SELECT s.setting, s.rho, i AS id, (s.k * 100000 + i)::bigint AS key,
       800 + 1400 * pg_temp.u(s.k * 100000 + i, 1) AS h0,
       -0.004 + 0.008 * pg_temp.u(s.k * 100000 + i, 2) AS bh,
       0.02 + 0.06 * pg_temp.u(s.k * 100000 + i, 3) AS ah,
       8000 + 3000 * pg_temp.u(s.k * 100000 + i, 4) AS a0,
       0.004 * pg_temp.u(s.k * 100000 + i, 5) AS ba,
       0.01 + 0.04 * pg_temp.u(s.k * 100000 + i, 6) AS aa
FROM is_setting s, generate_series(1, :nsim) i;

-- correlated standard normals per month: e1, e2 for the walks, n1, n2 for the noise
CREATE TABLE is_month AS
WITH g AS (
  SELECT p.*, t, (DATE '2018-01-01' + make_interval(months => t))::date AS month,
         pg_temp.z(p.key * 1000 + t, 11) AS w1, pg_temp.z(p.key * 1000 + t, 13) AS w2,
         pg_temp.z(p.key * 1000 + t, 17) AS v1, pg_temp.z(p.key * 1000 + t, 19) AS v2
  FROM is_param p, generate_series(0, 71) t),
c AS (
  SELECT g.*, w1 AS e1, rho * w1 + sqrt(1 - rho * rho) * w2 AS e2,
         v1 AS n1, rho * v1 + sqrt(1 - rho * rho) * v2 AS n2
  FROM g),
l AS (
  SELECT setting, id, t, month,
         ln(h0) + bh * t + ah * cos(2 * pi() * (extract(month FROM month) - 7) / 12)
           + 0.01 * sum(e1) OVER w + 0.02 * n1 AS lh,
         ln(a0) + ba * t + aa * cos(2 * pi() * (extract(month FROM month) - 12) / 12)
           + 0.005 * sum(e2) OVER w + 0.015 * n2 AS la
  FROM c
  WINDOW w AS (PARTITION BY setting, id ORDER BY t))
SELECT setting, id, month, round(exp(lh))::bigint AS households, round(exp(la)::numeric, 2) AS per_household
FROM l;
CREATE INDEX ON is_month (setting, id, month);
ANALYZE is_month;

CREATE TABLE is_truth AS
SELECT setting, id, sum(households * per_household) AS year_cost
FROM is_month WHERE month >= '2023-01-01' GROUP BY setting, id;

-- every forecast: by method and as_of (end of April and of August 2023);
-- the interval as income_support_forecast makes it, with the estimated
-- correlation even when negative, and with 0
CREATE TABLE is_fc AS
SELECT m.setting, m.id, a.as_of, me.method,
       sum(m.households * m.per_household) FILTER (WHERE m.month >= '2023-01-01') AS so_far,
       forecast_fit(m.month, m.households::float8, me.method) AS mh,
       forecast_fit(m.month, m.per_household::float8, me.method) AS ma,
       income_support_correlation(array_agg(m.month ORDER BY m.month), array_agg(m.households::float8 ORDER BY m.month),
                                  array_agg(m.per_household::float8 ORDER BY m.month)) AS rho_hat
FROM is_month m
CROSS JOIN (VALUES (DATE '2023-04-30'), (DATE '2023-08-31')) a(as_of)
CROSS JOIN unnest(string_to_array(:'methods', ',')) me(method)
WHERE m.month <= a.as_of
GROUP BY m.setting, m.id, a.as_of, me.method;

CREATE TABLE is_result AS
SELECT f.setting, f.id, f.as_of, f.method, f.rho_hat, t.year_cost, y.forecast, y.lo95, y.hi95,
       yr.lo95 AS lo95_raw, yr.hi95 AS hi95_raw, y0.lo95 AS lo95_0, y0.hi95 AS hi95_0
FROM is_fc f JOIN is_truth t USING (setting, id),
     -- as income_support_forecast: a negative estimate is taken as 0
     LATERAL income_support_year_end(f.so_far, f.mh, f.ma, greatest(f.rho_hat, 0)) y,
     LATERAL income_support_year_end(f.so_far, f.mh, f.ma, f.rho_hat) yr,
     LATERAL income_support_year_end(f.so_far, f.mh, f.ma, 0) y0;
