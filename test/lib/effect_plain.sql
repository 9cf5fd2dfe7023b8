-- stay_effect's figures in plain SQL (window functions), as a check of the
-- C code and a baseline for its timing (test/effect.sql,
-- test/bench/effect_calibration.sh; a helper included with \ir, not a
-- suite).  Set effect_src to a table or view with columns g (the group),
-- stay, treated, as_of and horizon (NULL: the default) before including;
-- it creates the view effect_plain_view (default effect_plain), a temp view
-- unless effect_plain_kind is set to '' (default TEMP), one row per group:
--   g, tau, n_treated, n_untreated, rmst_treated, rmst_treated_se,
--   rmst_untreated, rmst_untreated_se, days_saved, days_saved_se.
-- The default tau: the median (percentile_disc(0.5)) of as_of -
-- start over both groups' stays (at most 36 525, at least 1), cut to each
-- group's longest length unless its longest length has no open stay (the
-- curve has fallen to 0 there).
-- Kaplan–Meier: S after an event length t = Π (1 - d/n) over event lengths
-- up to t (n at risk: stays with a length >= t); the restricted mean up to
-- tau = the first event length + Σ S after t_i × (t_{i+1} - t_i) (t after
-- the last event = tau); its variance m / (m - 1) Σ A_i² d_i / (n_i (n_i -
-- d_i)), A_i the area from t_i to tau (0 where every stay at risk ends), m
-- the stays ended by tau (no factor for m <= 1).
\if :{?effect_plain_view}
\else
\set effect_plain_view effect_plain
\endif
\if :{?effect_plain_kind}
\else
\set effect_plain_kind TEMP
\endif
CREATE :effect_plain_kind VIEW :effect_plain_view AS
WITH obs AS (
  SELECT g, treated, horizon, least(as_of - lower(stay), 36525) AS followup,
         CASE WHEN upper(stay) <= as_of THEN upper(stay) - lower(stay) ELSE as_of - lower(stay) END AS len,
         coalesce(upper(stay) <= as_of, false) AS ended
  FROM :effect_src
  WHERE stay IS NOT NULL AND treated IS NOT NULL AND as_of IS NOT NULL
    AND NOT isempty(stay) AND lower(stay) <= as_of),
pts AS (
  SELECT g, treated, len, count(*) FILTER (WHERE ended) AS d, count(*) AS m
  FROM obs GROUP BY g, treated, len),
grp AS (
  SELECT g, treated, sum(m) AS n, max(len) AS longest,
         -- the curve falls to 0 at the longest length: no stay open there
         bool_and(d = m) FILTER (WHERE len = top) AS to_zero
  FROM (SELECT *, max(len) OVER (PARTITION BY g, treated) AS top FROM pts) p GROUP BY g, treated),
quartile AS (
  SELECT g, max(horizon) AS horizon,
         greatest(1, percentile_disc(0.5) WITHIN GROUP (ORDER BY followup)) AS q FROM obs GROUP BY g),
taus AS (
  SELECT g, coalesce(min(horizon), least(min(q), min(CASE WHEN to_zero THEN NULL ELSE longest END))) AS tau
  FROM grp JOIN quartile USING (g) GROUP BY g),
risk AS (
  SELECT p.g, p.treated, p.len, p.d, t.tau,
         r.n - coalesce(sum(p.m) OVER (PARTITION BY p.g, p.treated ORDER BY p.len
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS at_risk
  FROM pts p JOIN grp r USING (g, treated) JOIN taus t USING (g)),
ev AS (
  SELECT g, treated, len, tau, d,
         CASE WHEN at_risk > d THEN d::float8 / (at_risk::float8 * (at_risk - d)::float8) ELSE 0 END AS h,
         CASE WHEN bool_or(at_risk = d) OVER w THEN 0
              ELSE exp(sum(ln(CASE WHEN at_risk > d THEN (at_risk - d)::float8 / at_risk ELSE 1 END)) OVER w)
         END AS s_after
  FROM risk WHERE d > 0 AND len <= tau
  WINDOW w AS (PARTITION BY g, treated ORDER BY len)),
rect AS (
  SELECT g, treated, len, h, d,
         s_after * (lead(len, 1, tau) OVER (PARTITION BY g, treated ORDER BY len) - len) AS r
  FROM ev),
tails AS (
  SELECT g, treated, len, h, d, sum(r) OVER (PARTITION BY g, treated ORDER BY len DESC) AS a
  FROM rect),
fit AS (
  SELECT g, treated, min(len) + max(a) AS rmst,
         sum(a * a * h) * CASE WHEN sum(d) > 1 THEN sum(d)::float8 / (sum(d) - 1) ELSE 1 END AS var
  FROM tails GROUP BY g, treated),
both_groups AS (
  SELECT r.g, r.treated, r.n, t.tau, coalesce(f.rmst, t.tau) AS rmst, coalesce(f.var, 0) AS var
  FROM grp r JOIN taus t USING (g) LEFT JOIN fit f USING (g, treated))
SELECT tr.g, tr.tau, tr.n AS n_treated, un.n AS n_untreated,
       tr.rmst AS rmst_treated, sqrt(tr.var) AS rmst_treated_se,
       un.rmst AS rmst_untreated, sqrt(un.var) AS rmst_untreated_se,
       tr.n * (un.rmst - tr.rmst) AS days_saved, tr.n * sqrt(tr.var + un.var) AS days_saved_se
FROM both_groups tr JOIN both_groups un ON un.g = tr.g AND NOT un.treated
WHERE tr.treated;
