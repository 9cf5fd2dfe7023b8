-- placement_forecast in plain SQL (included with \ir by test/placement.sql
-- and with \i by test/bench/placement_backtest.sh, not a suite):
-- pg_temp.placement_plain(q, as_of, until) runs the query q, whose rows are
-- (grp text, stay daterange, daily_cost sek), and returns per grp what
-- placement_forecast(stay, daily_cost, as_of, until) GROUP BY grp returns,
-- computed with window functions over a grid of days instead of the
-- aggregate's arrays (costs in öre, as float8):
--   km     the Kaplan–Meier curve S(t) for t = 0 .. longest + H, and the
--          prefix sums P0(t) = Σ_{u<t} S(u), P1(t) = Σ_{u<t} u S(u);
--   com    each open stay of e days: E[D] = (P0(e+H+1) - P0(e+1)) / S(e),
--          E[D²] = (2 (P1(e+H+1) - P1(e+1)) - (2e+1)(P0(e+H+1) - P0(e+1))) / S(e);
--   fit    per 12-month window k = 0 .. 19 back from as_of the arrivals; the
--          season (OLS of the daily arrivals on cos, sin of the calendar),
--          the inflow's trend (mean log change of the yearly counts, shrunk) and
--          drift over the K windows the data covers back to the first
--          without arrivals, the cost trend (regr_slope of daily cost on
--          start day) over the last min(K, 5) (K >= 2, else the 12 months'
--          mean cost and no season);
--   lrun   the level filter (K >= 3, every window with arrivals, a season):
--          arrivals in 30-day bins back from as_of, a recursive CTE over the
--          bins per pair of walk variances (q, r) tried, lev the likeliest
--          pair's level, trend and variances on as_of (less 1 for each of
--          q, r not 0); lam the rate of the new stays
--          (level × the season's 12-month mean, else the 12 months' rate);
--   news   each start day s = 1 .. H: φ_s (season × trend), c_s, expected
--          days P0(H-s+1);
--   grad   the curve's gradient by the hazard at each event length.
CREATE FUNCTION pg_temp.placement_plain(q text, as_of date, until date)
RETURNS TABLE (grp text, open_stays bigint, committed_days float8, committed_cost float8,
               arrivals_12m bigint, season float8, new_stays float8, new_days float8,
               new_cost float8, cost_sd float8)
LANGUAGE plpgsql
-- its row estimates are far too high (CTEs), so the planner would JIT-compile it for seconds
SET jit = off
AS $fn$
BEGIN
  RETURN QUERY EXECUTE format($q$
WITH RECURSIVE p AS (
  SELECT $1::date AS a, $2 - $1 AS h, ($1 - interval '1 year')::date + 1 AS w0,
         $1 - ($1 - interval '1 year')::date AS w, 2 * pi() / 365.2425 AS om),
-- first days of the 12-month windows k = 0 .. 19 back from as_of, and the window of each day
win AS (SELECT k, (p.a - make_interval(years => k + 1))::date + 1 AS ws FROM p, generate_series(0, 19) k),
dayk AS (
  SELECT d::date AS day, (SELECT min(w.k) FROM win w WHERE w.ws <= d::date) AS k
  FROM p, generate_series((SELECT min(ws) FROM win), p.a, interval '1 day') d),
inp AS (
  SELECT i.grp, lower(i.stay) AS s0, sek_ore(i.daily_cost)::float8 AS c,
         coalesce(upper(i.stay) <= p.a, false) AS ended,
         CASE WHEN upper(i.stay) <= p.a THEN upper(i.stay) - lower(i.stay) ELSE p.a - lower(i.stay) END AS len
  FROM (%s) i, p
  WHERE i.stay IS NOT NULL AND i.daily_cost IS NOT NULL AND NOT isempty(i.stay) AND lower(i.stay) <= p.a),
bylen AS (
  SELECT i.grp, i.len, count(*) FILTER (WHERE i.ended) AS d, count(*) FILTER (WHERE NOT i.ended) AS o,
         coalesce(sum(i.c) FILTER (WHERE NOT i.ended), 0) AS oc,
         coalesce(sum(i.c * i.c) FILTER (WHERE NOT i.ended), 0) AS oc2
  FROM inp i GROUP BY i.grp, i.len),
risk AS (SELECT b.*, sum(b.d + b.o) OVER (PARTITION BY b.grp ORDER BY b.len DESC) AS n FROM bylen b),
km0 AS (
  SELECT g.grp, t, coalesce(r.o, 0) AS o, coalesce(r.oc, 0) AS oc, coalesce(r.oc2, 0) AS oc2,
         CASE WHEN r.d > 0 AND r.n > r.d THEN ln(1 - r.d::float8 / r.n) ELSE 0 END AS l,
         coalesce(r.d > 0 AND r.d = r.n, false) AS zero,
         CASE WHEN r.d > 0 AND r.n > r.d THEN r.d::float8 / (r.n::float8 * (r.n - r.d)) ELSE 0 END AS gw,
         t < g.top AS in_curve
  FROM (SELECT b.grp, max(b.len) + 1 AS top FROM bylen b GROUP BY b.grp) g
  CROSS JOIN p CROSS JOIN generate_series(0, g.top + p.h) t
  LEFT JOIN risk r ON r.grp = g.grp AND r.len = t),
km1 AS (
  SELECT k.*, CASE WHEN bool_or(k.zero) OVER w THEN 0 ELSE exp(sum(k.l) OVER w) END AS s
  FROM km0 k WINDOW w AS (PARTITION BY k.grp ORDER BY k.t)),
km AS (
  SELECT k.*, sum(k.s) OVER w - k.s AS p0, sum(k.t * k.s) OVER w - k.t * k.s AS p1
  FROM km1 k WINDOW w AS (PARTITION BY k.grp ORDER BY k.t)),
com AS (
  SELECT e.grp, e.t AS e, e.o, e.oc, e.oc2, e.s,
         (x.p0 - y.p0) / e.s AS ed,
         (2 * (x.p1 - y.p1) - (2 * e.t + 1) * (x.p0 - y.p0)) / e.s AS ed2,
         x.p0 AS p0_end
  FROM km e CROSS JOIN p
  JOIN km y ON y.grp = e.grp AND y.t = e.t + 1
  JOIN km x ON x.grp = e.grp AND x.t = e.t + p.h + 1
  WHERE e.o > 0),
-- arrivals by 12-month window k (0 = the newest), the windows the data covers
arr AS (
  SELECT i.grp, i.s0, i.c, i.s0 - p.a AS t, dk.k
  FROM inp i CROSS JOIN p LEFT JOIN dayk dk ON dk.day = i.s0),
years AS (SELECT a.grp, a.k, count(*) AS n FROM arr a WHERE a.k IS NOT NULL GROUP BY a.grp, a.k),
-- K: the windows the data covers, back to the first without arrivals
grp_k AS (
  SELECT a.grp,
         least((SELECT count(*) FROM generate_series(1, 20) k
                WHERE (p.a - make_interval(years => k))::date + 1 >= min(a.s0)),
               (SELECT min(k) FROM generate_series(0, 20) k
                WHERE k = 20 OR NOT EXISTS (SELECT FROM years y WHERE y.grp = a.grp AND y.k = k)))::int AS kk,
         count(*) FILTER (WHERE a.k = 0) AS n0
  FROM arr a, p GROUP BY a.grp, p.a),
-- log changes of the inflow from one window to the next (both with arrivals)
lchg AS (
  SELECT y1.grp, g.kk, ln(y1.n::float8 / y2.n) AS l, 1.0 / y1.n + 1.0 / y2.n AS pois
  FROM years y1 JOIN years y2 ON y2.grp = y1.grp AND y2.k = y1.k + 1
  JOIN grp_k g ON g.grp = y1.grp AND y2.k < g.kk AND g.kk >= 2),
-- the trend: their mean (all K - 1 of them present), shrunk by 1 - se²/d²,
-- none when |d| <= se; se² = (q (K - 1) + 1/n_0 + 1/n_{K-1}) / (K - 1)²
trend0 AS (
  SELECT c.grp, c.kk, avg(c.l) AS d, count(*) AS m, var_samp(c.l) AS v, avg(c.pois) AS pois
  FROM lchg c GROUP BY c.grp, c.kk HAVING count(*) >= 2 AND count(*) = c.kk - 1),
trend1 AS (
  SELECT t.grp, t.kk, t.d, (greatest(0, t.v - t.pois) * t.m + 1.0 / y0.n + 1.0 / yk.n) / t.m ^ 2 AS se2
  FROM trend0 t JOIN years y0 ON y0.grp = t.grp AND y0.k = 0 JOIN years yk ON yk.grp = t.grp AND yk.k = t.kk - 1),
trend AS (
  SELECT t.grp, t.kk, sh * t.d AS trend, sh * t.se2 AS v_trend
  FROM trend1 t CROSS JOIN LATERAL (SELECT CASE WHEN t.d ^ 2 > t.se2 THEN 1 - t.se2 / t.d ^ 2 ELSE 0 END AS sh) x),
drift AS (
  SELECT c.grp, greatest(0, avg((c.l - coalesce(t.trend, 0)) ^ 2 - c.pois)) AS drift
  FROM lchg c LEFT JOIN trend t ON t.grp = c.grp
  GROUP BY c.grp HAVING count(*) >= 2),
cost AS (
  SELECT g.grp, count(*) AS n, avg(a.c) AS mean_cost, coalesce(avg(a.t), 0) AS t_mean,
         CASE WHEN g.kk >= 2 AND count(*) > 2 AND regr_sxx(a.c, a.t) > 0 THEN regr_slope(a.c, a.t) ELSE 0 END AS slope,
         CASE WHEN g.kk >= 2 AND count(*) > 2 AND regr_sxx(a.c, a.t) > 0
              THEN greatest(0, (regr_syy(a.c, a.t) - regr_slope(a.c, a.t) * regr_sxy(a.c, a.t)) / (count(*) - 2))
              WHEN count(*) > 1 THEN greatest(0, regr_syy(a.c, a.t) / (count(*) - 1)) ELSE 0 END AS cost_var,
         CASE WHEN g.kk >= 2 AND count(*) > 2 AND regr_sxx(a.c, a.t) > 0 THEN regr_sxx(a.c, a.t) END AS sxx
  FROM grp_k g JOIN arr a ON a.grp = g.grp AND a.k < CASE WHEN g.kk >= 2 THEN least(g.kk, 5) ELSE 1 END
  WHERE g.n0 > 0
  GROUP BY g.grp, g.kk),
-- the season: OLS of daily arrivals on (1, t, cos, sin) over the K windows
-- (t the day in years: a trend would leak into the wave), its cross
-- products by Frisch–Waugh: n (cov(u, v) - cov(t, u) cov(t, v) / var(t))
perday AS (SELECT a.grp, a.s0, count(*) AS y FROM arr a WHERE a.k IS NOT NULL GROUP BY a.grp, a.s0),
sday AS (
  SELECT g.grp, d::date AS d, (d::date - p.a) / 365.2425 AS t, cos(p.om * (d::date - DATE '2000-01-01')) AS cs,
         sin(p.om * (d::date - DATE '2000-01-01')) AS sn, coalesce(pd.y, 0) AS y
  FROM grp_k g CROSS JOIN p
  CROSS JOIN generate_series((p.a - make_interval(years => g.kk))::date + 1, p.a, interval '1 day') d
  LEFT JOIN perday pd ON pd.grp = g.grp AND pd.s0 = d::date
  WHERE g.kk >= 2 AND g.n0 > 0),
sfit0 AS (
  SELECT s.grp, count(*) AS m, avg(s.y) AS ybar, avg(s.cs) AS cbar, avg(s.sn) AS sbar,
         count(*) * (var_pop(s.cs) - covar_pop(s.t, s.cs) ^ 2 / var_pop(s.t)) AS scc,
         count(*) * (var_pop(s.sn) - covar_pop(s.t, s.sn) ^ 2 / var_pop(s.t)) AS sss,
         count(*) * (covar_pop(s.cs, s.sn) - covar_pop(s.t, s.cs) * covar_pop(s.t, s.sn) / var_pop(s.t)) AS scs,
         count(*) * (covar_pop(s.cs, s.y) - covar_pop(s.t, s.cs) * covar_pop(s.t, s.y) / var_pop(s.t)) AS scy,
         count(*) * (covar_pop(s.sn, s.y) - covar_pop(s.t, s.sn) * covar_pop(s.t, s.y) / var_pop(s.t)) AS ssy
  FROM sday s GROUP BY s.grp),
sfit1 AS (
  SELECT f.scc * f.sss - f.scs ^ 2 AS det, f.*,
         (f.sss * f.scy - f.scs * f.ssy) / (f.scc * f.sss - f.scs ^ 2) AS bc,
         (f.scc * f.ssy - f.scs * f.scy) / (f.scc * f.sss - f.scs ^ 2) AS bs
  FROM sfit0 f),
sfit AS (
  SELECT f.grp, f.bc / b0 AS rc, f.bs / b0 AS rs,
         f.sss / f.det / b0 AS v_cc, -f.scs / f.det / b0 AS v_cs, f.scc / f.det / b0 AS v_ss,
         (SELECT avg(1 + f.bc / b0 * cos(p.om * (d::date - DATE '2000-01-01'))
                       + f.bs / b0 * sin(p.om * (d::date - DATE '2000-01-01')))
          FROM generate_series(p.w0, p.a, interval '1 day') d) AS gbar,
         (SELECT avg(cos(p.om * (d::date - DATE '2000-01-01'))) FROM generate_series(p.w0, p.a, interval '1 day') d) AS cbar,
         (SELECT avg(sin(p.om * (d::date - DATE '2000-01-01'))) FROM generate_series(p.w0, p.a, interval '1 day') d) AS sbar
  FROM sfit1 f CROSS JOIN p CROSS JOIN LATERAL (SELECT f.ybar - f.bc * f.cbar - f.bs * f.sbar AS b0) b
  WHERE b0 > 0),
-- the level filter (K >= 3, every window with arrivals, a season): the
-- arrivals in bins of 30 days back from as_of (b = 0 the newest), G the
-- season summed over a bin's days
lgrp AS (
  SELECT g.grp, g.kk, sf.rc, sf.rs, sf.gbar, (p.a - (p.a - make_interval(years => g.kk))::date) / 30 AS nb
  FROM grp_k g CROSS JOIN p JOIN sfit sf ON sf.grp = g.grp AND sf.gbar > 0
  WHERE g.kk >= 3 AND (SELECT count(*) FROM years y WHERE y.grp = g.grp AND y.k < g.kk) = g.kk),
lbin AS (
  SELECT l.grp, (p.a - d::date) / 30 AS b, sum(coalesce(pd.y, 0))::float8 AS y,
         sum(greatest(0, 1 + l.rc * cos(p.om * (d::date - DATE '2000-01-01'))
                           + l.rs * sin(p.om * (d::date - DATE '2000-01-01')))) AS g
  FROM lgrp l CROSS JOIN p
  CROSS JOIN generate_series(p.a - (l.nb * 30 - 1), p.a, interval '1 day') d
  LEFT JOIN perday pd ON pd.grp = l.grp AND pd.s0 = d::date
  GROUP BY l.grp, (p.a - d::date) / 30),
-- the walk variances tried: q 0 and 0.0005 × 2^i, i = 0 .. 9; the trend's r 0 and 0.0001 × 4^i, i = 0 .. 3
lq AS (SELECT qi, CASE WHEN qi = 0 THEN 0 ELSE 0.0005 * 2 ^ (qi - 1) END::float8 AS q,
              ri, CASE WHEN ri = 0 THEN 0 ELSE 0.0001 * 4 ^ (ri - 1) END::float8 AS r
       FROM generate_series(0, 10) qi, generate_series(0, 4) ri),
-- the filter per (q, r), oldest bin first (b = nb: the start): predict μ += δΔ,
-- P = F P F' + qΔ e1 e1' + r (Δ³/3, Δ²/2; Δ²/2, Δ); update by the bin's count y at the posterior
-- mode m of μ, δ += P12/P11 (m - μ), P with E = G e^m; log-likelihood of
-- y - E (E = G e^μ predicted, variance E + E² P11) from the third bin on
lrun AS (
  SELECT l.grp, q.qi, q.q, q.ri, q.r, l.nb AS b, l.nb, ln(t.y / t.g) AS mu, 0::float8 AS delta,
         1::float8 AS p11, 0::float8 AS p12, 1::float8 AS p22, 0::float8 AS ll
  FROM lgrp l CROSS JOIN lq q JOIN (SELECT grp, sum(y) AS y, sum(g) AS g FROM lbin GROUP BY grp) t ON t.grp = l.grp
  WHERE t.y > 0 AND t.g > 0
  UNION ALL
  SELECT r.grp, r.qi, r.q, r.ri, r.r, r.b - 1, r.nb, u.mu, u.delta,
         u.p11 - u.p11 * u.p11 * u.f, u.p12 - u.p11 * u.p12 * u.f, u.p22 - u.p12 * u.p12 * u.f,
         r.ll - CASE WHEN bb.g > 0 AND r.b - 1 < r.nb - 2
                     THEN 0.5 * (ln(e0.e + e0.e * e0.e * pr.p11) + (bb.y - e0.e) ^ 2 / (e0.e + e0.e * e0.e * pr.p11)) ELSE 0 END
  FROM lrun r
  JOIN lbin bb ON bb.grp = r.grp AND bb.b = r.b - 1
  CROSS JOIN LATERAL (SELECT 30 / 365.2425 AS dt) c
  CROSS JOIN LATERAL (SELECT r.mu + r.delta * c.dt AS mu, r.delta,
                             r.p11 + c.dt * (2 * r.p12 + c.dt * r.p22) + r.q * c.dt + r.r * c.dt * c.dt * c.dt / 3 AS p11,
                             r.p12 + c.dt * r.p22 + r.r * c.dt * c.dt / 2 AS p12, r.p22 + r.r * c.dt AS p22) pr
  CROSS JOIN LATERAL (SELECT bb.g * exp(pr.mu) AS e) e0
  -- the posterior mode m of μ: 4 Newton steps from max(μ, ln(y/G)) (OFFSET 0:
  -- each step computed once, not inlined into the next three times over)
  CROSS JOIN LATERAL (SELECT CASE WHEN bb.g > 0 AND bb.y > 0 THEN greatest(pr.mu, ln(bb.y / bb.g)) ELSE pr.mu END AS m OFFSET 0) n0
  CROSS JOIN LATERAL (SELECT n0.m - ((n0.m - pr.mu) / pr.p11 + bb.g * exp(n0.m) - bb.y) / (1 / pr.p11 + bb.g * exp(n0.m)) AS m OFFSET 0) n1
  CROSS JOIN LATERAL (SELECT n1.m - ((n1.m - pr.mu) / pr.p11 + bb.g * exp(n1.m) - bb.y) / (1 / pr.p11 + bb.g * exp(n1.m)) AS m OFFSET 0) n2
  CROSS JOIN LATERAL (SELECT n2.m - ((n2.m - pr.mu) / pr.p11 + bb.g * exp(n2.m) - bb.y) / (1 / pr.p11 + bb.g * exp(n2.m)) AS m OFFSET 0) n3
  CROSS JOIN LATERAL (SELECT n3.m - ((n3.m - pr.mu) / pr.p11 + bb.g * exp(n3.m) - bb.y) / (1 / pr.p11 + bb.g * exp(n3.m)) AS m OFFSET 0) n4
  CROSS JOIN LATERAL (SELECT pr.p11, pr.p12, pr.p22,
                             CASE WHEN bb.g > 0 THEN n4.m ELSE pr.mu END AS mu,
                             CASE WHEN bb.g > 0 THEN pr.delta + pr.p12 / pr.p11 * (n4.m - pr.mu) ELSE pr.delta END AS delta,
                             CASE WHEN bb.g > 0 THEN bb.g * exp(n4.m) / (1 + pr.p11 * (bb.g * exp(n4.m))) ELSE 0 END AS f) u),
-- the likeliest (q, r) less 1 for each not 0 (the first of equals, r before
-- q), moved on from the newest bin's middle to as_of
lev AS (
  SELECT DISTINCT ON (r.grp) r.grp, l.kk, l.gbar, r.q, r.r, exp(r.mu + r.delta * t.tail) AS level, r.delta AS trend,
         r.p11 + t.tail * (2 * r.p12 + t.tail * r.p22) + r.q * t.tail + r.r * t.tail ^ 3 / 3 AS v_level,
         r.p12 + t.tail * r.p22 + r.r * t.tail ^ 2 / 2 AS c_lt, r.p22 + r.r * t.tail AS v_trend
  FROM lrun r JOIN lgrp l ON l.grp = r.grp CROSS JOIN LATERAL (SELECT 29 / 2.0 / 365.2425 AS tail) t
  WHERE r.b = 0
  ORDER BY r.grp, r.ll - (r.qi > 0)::int - (r.ri > 0)::int DESC, r.ri, r.qi),
-- the rate of the new stays: the filter's level × the season's mean over the 12 months, else the 12 months'
lam AS (
  SELECT g.grp, coalesce(lv.level * lv.gbar, g.n0::float8 / p.w) AS lam
  FROM grp_k g CROSS JOIN p LEFT JOIN lev lv ON lv.grp = g.grp),
news0 AS (
  SELECT c.grp, st AS s, p.a + st AS d, c.mean_cost, c.slope, c.t_mean, c.cost_var,
         1 + coalesce(f.rc, 0) * cos(p.om * (p.a + st - DATE '2000-01-01'))
           + coalesce(f.rs, 0) * sin(p.om * (p.a + st - DATE '2000-01-01')) AS g,
         coalesce(f.gbar, 1) AS gbar, coalesce(f.cbar, 0) AS cbar, coalesce(f.sbar, 0) AS sbar,
         f.grp IS NOT NULL AND f.gbar > 0 AS seasonal,
         cos(p.om * (p.a + st - DATE '2000-01-01')) AS cs, sin(p.om * (p.a + st - DATE '2000-01-01')) AS sn,
         k.p0 AS dd, 2 * k.p1 + k.p0 AS dd2,
         -- years from the 12 months' middle (with the filter: from as_of), at
         -- most the K - 1 years the trend was fitted on
         coalesce(lv.trend, tr.trend, 0) AS trend,
         least(st + CASE WHEN lv.grp IS NULL THEN (p.w - 1) / 2.0 ELSE 0 END,
               (coalesce(lv.kk, tr.kk) - 1) * 365.2425) / 365.2425 AS ty
  FROM cost c CROSS JOIN p CROSS JOIN generate_series(1, p.h) st
  LEFT JOIN sfit f ON f.grp = c.grp
  LEFT JOIN trend tr ON tr.grp = c.grp
  LEFT JOIN lev lv ON lv.grp = c.grp
  JOIN km k ON k.grp = c.grp AND k.t = p.h - st + 1),
news1 AS (
  SELECT n.*, CASE WHEN n.seasonal THEN greatest(0, n.g / n.gbar) ELSE 1 END AS phis,
         CASE WHEN n.trend <> 0 THEN exp(n.trend * n.ty) ELSE 1 END AS mult,
         greatest(0, n.mean_cost + n.slope * (n.s - n.t_mean)) AS c
  FROM news0 n),
news AS (SELECT n.*, n.phis * n.mult AS phi FROM news1 n),
newsum AS (
  SELECT n.grp, sum(n.phi) AS cum_n, sum(n.phi * n.dd) AS g_mean, sum(n.phi * n.c * n.dd) AS kc,
         sum(n.phi * (n.c ^ 2 + n.cost_var) * n.dd2) AS k2, sum(n.phi * (n.s - n.t_mean) * n.dd) AS g_slope,
         sum(CASE WHEN n.seasonal AND n.g > 0 THEN (n.cs - n.phis * n.cbar) / n.gbar * n.mult * n.c * n.dd ELSE 0 END) AS g_c,
         sum(CASE WHEN n.seasonal AND n.g > 0 THEN (n.sn - n.phis * n.sbar) / n.gbar * n.mult * n.c * n.dd ELSE 0 END) AS g_s,
         sum(coalesce(n.phi * n.ty * n.c * n.dd, 0)) AS g_trend
  FROM news n GROUP BY n.grp),
-- rc(j) = Σ_{k=j..H-1} S(k) Σ_{s<=H-k} φ_s c_s, for the curve's gradient
cc AS (SELECT n.grp, n.s, sum(n.phi * n.c) OVER (PARTITION BY n.grp ORDER BY n.s) AS cc FROM news n),
rc0 AS (
  SELECT k.grp, k.t, k.s * c.cc AS term
  FROM km k CROSS JOIN p JOIN cc c ON c.grp = k.grp AND c.s = p.h - k.t
  WHERE k.t < p.h),
rc AS (SELECT r.grp, r.t, sum(r.term) OVER (PARTITION BY r.grp ORDER BY r.t DESC) AS rc FROM rc0 r),
qa AS (
  SELECT k.grp, k.t, k.p0, k.gw, k.in_curve,
         sum(coalesce(c.oc / c.s, 0)) OVER w - coalesce(c.oc / c.s, 0) AS qa,
         sum(coalesce(c.oc / c.s * c.p0_end, 0)) OVER w - coalesce(c.oc / c.s * c.p0_end, 0) AS qb
  FROM km k LEFT JOIN com c ON c.grp = k.grp AND c.e = k.t
  WINDOW w AS (PARTITION BY k.grp ORDER BY k.t)),
grad AS (
  SELECT j.grp, sum(((j.qb - l.qb) - j.p0 * (j.qa - l.qa)
                     + coalesce((SELECT lm.lam FROM lam lm WHERE lm.grp = j.grp) * r.rc, 0)) ^ 2 * j.gw) AS var
  FROM qa j CROSS JOIN p
  JOIN qa l ON l.grp = j.grp AND l.t = greatest(0, j.t - p.h)
  LEFT JOIN rc r ON r.grp = j.grp AND r.t = j.t
  WHERE j.t >= 1 AND j.in_curve AND j.gw > 0
  GROUP BY j.grp),
com_sum AS (
  SELECT c.grp, sum(c.o)::bigint AS open_stays, sum(c.o * c.ed) AS cdays, sum(c.oc * c.ed) AS ccost,
         sum(c.oc2 * greatest(0, c.ed2 - c.ed ^ 2)) AS var_exit
  FROM com c GROUP BY c.grp)
SELECT g.grp, coalesce(cs.open_stays, 0), coalesce(cs.cdays, 0), coalesce(cs.ccost, 0), g.n0,
       CASE WHEN g.n0 > 0 THEN lam * ns.cum_n / (g.n0::float8 / p.w * p.h) END,
       coalesce(lam * ns.cum_n, 0), coalesce(lam * ns.g_mean, 0), coalesce(lam * ns.kc, 0),
       sqrt(coalesce(cs.var_exit, 0) + coalesce(gr.var, 0)
            + coalesce(lam * ns.k2
                       + lam ^ 2 * (ns.g_mean ^ 2 * co.cost_var / co.n + ns.g_slope ^ 2 * coalesce(co.cost_var / co.sxx, 0))
                       + lam ^ 2 * (ns.g_c ^ 2 * coalesce(sf.v_cc, 0) + 2 * ns.g_c * ns.g_s * coalesce(sf.v_cs, 0)
                                    + ns.g_s ^ 2 * coalesce(sf.v_ss, 0))
                       + lam ^ 2 * ns.g_trend ^ 2 * coalesce(lv.v_trend, tr.v_trend, 0)
                       + CASE WHEN lv.grp IS NULL THEN (lam * ns.kc) ^ 2 / g.n0
                                + (lam * ns.kc) ^ 2 * 1.5 * coalesce(dr.drift, 0) * (1.0 / 3 + p.h / (2 * 365.2425))
                              -- the filter's level and its walk from as_of, and its level × trend covariance
                              ELSE (lam * ns.kc) ^ 2 * (lv.v_level + lv.q * p.h / (2 * 365.2425) + lv.r * (p.h / 365.2425) ^ 3 / 12)
                                + 2 * (lam * ns.kc) * lam * ns.g_trend * lv.c_lt END, 0)) / 100
FROM grp_k g CROSS JOIN p
JOIN lam l ON l.grp = g.grp
LEFT JOIN lev lv ON lv.grp = g.grp
LEFT JOIN com_sum cs ON cs.grp = g.grp
LEFT JOIN newsum ns ON ns.grp = g.grp
LEFT JOIN cost co ON co.grp = g.grp
LEFT JOIN sfit sf ON sf.grp = g.grp
LEFT JOIN drift dr ON dr.grp = g.grp AND g.kk >= 2
LEFT JOIN trend tr ON tr.grp = g.grp
LEFT JOIN grad gr ON gr.grp = g.grp
$q$, q) USING as_of, until;
END $fn$;
