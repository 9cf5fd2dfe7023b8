-- Simulated monthly series for its_effect's calibration (included with \i
-- or \ir by test/its.sql and test/bench/its_calibration.sh; not a suite).
-- Expects a table its_settings(setting text, nsim int, n_before int,
-- n_after int, rho float8, gaps boolean, level float8, trend float8) and
-- creates the temp table its_sim(setting, id, m, d, intervention, y):
-- nsim series per setting of n_before + n_after months from January 2018,
-- the intervention at month n_before, and
--   y = 100 + 0.2 t + level after + trend t after
--       + 3 sin(2 pi m / 12) + 2 cos(4 pi m / 12) + 2 e,
-- t = m - n_before, after = (t >= 0), e a stationary AR(1) series with
-- unit variance and autocorrelation rho (normal deviates by Box-Muller from
-- random(), so setseed() makes it repeatable).  With gaps, the months with
-- (m + id) % 10 = 0 are left out (5 of 48, each in another calendar month).
CREATE TEMP TABLE its_noise AS
SELECT s.setting, id, m, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS u
FROM its_settings s, generate_series(1, s.nsim) AS id, generate_series(0, s.n_before + s.n_after - 1) AS m
ORDER BY 1, 2, 3;
CREATE INDEX ON its_noise (setting, id, m);
ANALYZE its_noise;

CREATE TEMP TABLE its_sim AS
WITH RECURSIVE e AS (
  SELECT setting, id, m, u AS e FROM its_noise WHERE m = 0
  UNION ALL
  SELECT n.setting, n.id, n.m, s.rho * e.e + sqrt(1 - s.rho * s.rho) * n.u
  FROM e JOIN its_noise n ON n.setting = e.setting AND n.id = e.id AND n.m = e.m + 1
         JOIN its_settings s ON s.setting = e.setting
)
SELECT e.setting, e.id, e.m, (date '2018-01-01' + make_interval(months => e.m))::date AS d,
       (date '2018-01-01' + make_interval(months => s.n_before))::date AS intervention,
       100 + 0.2 * (e.m - s.n_before) + (e.m >= s.n_before)::int * (s.level + s.trend * (e.m - s.n_before))
           + 3 * sin(2 * pi() * e.m / 12) + 2 * cos(4 * pi() * e.m / 12) + 2 * e.e AS y
FROM e JOIN its_settings s USING (setting)
WHERE NOT (s.gaps AND (e.m + e.id) % 10 = 0);
ANALYZE its_sim;
DROP TABLE its_noise;
