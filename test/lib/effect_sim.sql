-- Simulated placements with a known effect, for the calibration of
-- stay_effect (test/effect.sql and test/bench/effect_calibration.sh; a
-- helper included with \ir, not a suite).  Set before including:
--   sims      number of simulated data sets (default 200)
--   seed      setseed() argument (default 0.42)
-- Each data set s has 60 treated and 120 untreated stays starting on days
-- drawn uniformly over the two years up to as_of = 2024-12-31.  An
-- untreated stay lasts X days, X log-normal (meanlog 5.0, sdlog 0.9: median
-- 148 days), a treated one 0.7 X (the injected effect: 30 % shorter);
-- lengths are whole care days, ceil(X) and at least 1.  Stays still open at
-- as_of are censored there (about 20 % of the stays: enough that ignoring
-- censoring shows as a bias).  Each treated stay
-- has a daily cost of 2 500 or 3 500 kr.
--
-- The truth, computed by R from the distribution alone (not from the data
-- or the code under test): the restricted mean length up to tau days of a
-- stay of ceil(X) days is Σ_{t=0}^{tau-1} P(X > t), plnorm's upper tail.
-- effect_truth(tau, rmst_untreated, rmst_treated) holds it for tau = 1 ..
-- 4000; the true days saved at horizon tau are n_treated × (rmst_untreated
-- - rmst_treated).
\if :{?sims}
\else
\set sims 200
\endif
\if :{?seed}
\else
\set seed 0.42
\endif
\set effect_meanlog 5.0
\set effect_sdlog 0.9
\set effect_factor 0.7

SELECT setseed(:seed) \gset effect_seed_
CREATE TEMP TABLE effect_sim AS
  SELECT s, i, treated,
         daterange(start, start + greatest(1, ceil(exp(:effect_meanlog
                     + CASE WHEN treated THEN ln(:effect_factor) ELSE 0 END
                     + :effect_sdlog * z))::int)) AS stay,
         CASE WHEN treated THEN (CASE WHEN i % 2 = 0 THEN 2500 ELSE 3500 END)::sek END AS daily_cost
  FROM (SELECT s, i, i <= 60 AS treated,
               date '2024-12-31' - floor(random() * 731)::int AS start,
               -- standard normal by Box–Muller
               sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z
        FROM generate_series(1, :sims) s, generate_series(1, 180) i) g;

CREATE TEMP TABLE effect_truth (tau int, rmst_untreated float8, rmst_treated float8);
SELECT format($R$Rscript -e "t <- 0:3999; u <- cumsum(plnorm(t, %s, %s, lower.tail = FALSE)); v <- cumsum(plnorm(t, %s + log(%s), %s, lower.tail = FALSE)); writeLines(sprintf('%%d,%%.17g,%%.17g', t + 1L, u, v))"$R$,
              :effect_meanlog, :effect_sdlog, :effect_meanlog, :effect_factor, :effect_sdlog) AS effect_rcmd \gset
COPY effect_truth FROM PROGRAM :'effect_rcmd' WITH (FORMAT csv);
