-- placement_forecast when the inflow's trend turns (not part of `make test`):
--   psql -d DB -f test/bench/placement_turns.sql      (a database with actionplan)
-- For each scenario, 60 groups of Poisson arrivals a day from 2004-05-01
-- whose log rate rises by r1 a year until a turn and by r2 a year after it
-- (no season, 30-day stays at 1 000 kr); forecasts at the end of April 2024
-- of May-December's new stays, scored against the expected arrivals (the
-- sum of the rate, not the noisy count): mean and mean absolute error in %.
-- The random numbers are seeded: every run gives the same table.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TEMP TABLE turns (scenario text, r1 float8, r2 float8, turn date);
INSERT INTO turns VALUES
  ('+10 %, -10 % from 2016', 0.10, -0.10, '2016-01-01'),
  ('+10 %, -10 % from 2021', 0.10, -0.10, '2021-01-01'),
  ('flat', 0, 0, '2016-01-01'),
  ('-5 %, +8 % from 2019', -0.05, 0.08, '2019-01-01');
CREATE FUNCTION pg_temp.pois(lambda float8) RETURNS int LANGUAGE plpgsql AS $$
DECLARE k int := 0; p float8 := exp(-lambda); c float8 := exp(-lambda); u float8 := random();
BEGIN
  WHILE u > c AND k < 1000 LOOP k := k + 1; p := p * lambda / k; c := c + p; END LOOP;
  RETURN k;
END $$;
DO $$ BEGIN PERFORM setseed(0.42); END $$;
CREATE TEMP TABLE turn_lam AS
SELECT t.scenario, g, d::date AS day,
       exp(CASE WHEN d < t.turn THEN t.r1 ELSE t.r2 END * (d::date - t.turn) / 365.25) AS lam
FROM turns t, generate_series(1, 60) g, generate_series(DATE '2004-05-01', DATE '2024-12-31', '1 day') d;
CREATE TEMP TABLE turn_stays AS
SELECT scenario, g, daterange(day, day + 30) AS stay, '1000'::sek AS cost
FROM turn_lam, LATERAL generate_series(1, pg_temp.pois(lam)) j
WHERE day <= DATE '2024-04-30';
\pset footer off
SELECT f.scenario, round(avg(100 * (f.ns / t.truth - 1))::numeric, 2) AS "mean error %",
       round(avg(abs(100 * (f.ns / t.truth - 1)))::numeric, 2) AS "MAE %"
FROM (SELECT scenario, g, (placement_forecast(stay, cost, DATE '2024-04-30', DATE '2024-12-31')).new_stays AS ns
      FROM turn_stays GROUP BY scenario, g) f
JOIN (SELECT scenario, g, sum(lam) AS truth FROM turn_lam WHERE day > DATE '2024-04-30' GROUP BY scenario, g) t
  USING (scenario, g)
GROUP BY f.scenario ORDER BY min(t.truth) IS NULL, f.scenario;
