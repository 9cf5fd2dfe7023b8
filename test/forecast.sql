-- Forecasts of monthly series against R's forecast package, calibration of
-- the intervals on simulated series, the order-free state, and aggregation
-- in forced-parallel plans.
--
-- R part: fourteen generated series (4 to 8 years from January, trends,
-- seasons of varying strength, noise; two smooth) are written under the data directory;
-- Rscript runs thetaf(h = 18) and ets() on each.  The theta points must
-- agree with R's thetaf taken the way ours is for a positive series: the
-- same seasonality test and multiplicative adjustment, thetaf on the
-- adjusted series or on its log (a series of frequency 1, so it adjusts
-- nothing itself), whichever's ses fit has the lower AICc on the series'
-- scale (the log's + 2 Σ log), its points back by exp and times the
-- indices.  Our ETS estimator (the initial states as R's ets starts
-- them, the smoothing parameters by maximum likelihood given them) is
-- rebuilt in R from the forecast package's own pieces -- initstate(), the
-- likelihood of pegelsresid.C(), the bounds and admissible() -- and run
-- with optim from R's start values on R's chosen model and on two seasonal
-- trend models (on the smooth series the admissible region binds).  Our
-- optimum must be at least as good as R's, and R, given our parameters,
-- must find them within its bounds and admissible region and compute our
-- AICc from them.
CREATE TABLE par_series AS
SELECT g, (date '2016-01-01' + make_interval(months => t))::date + k AS d, round(500 + 100 * random() + 50 * (t % 12)) AS v
FROM generate_series(1, 40) AS g, generate_series(0, 59) AS t, generate_series(0, 2) AS k;
ANALYZE par_series;

BEGIN;
SELECT plan(36);
CREATE TEMP TABLE huge_models AS
SELECT meth, big, forecast_fit(d, (0.5 + 0.3 * cos(i)) * CASE WHEN big THEN 1e150 ELSE 1e-300 END, meth) AS m
FROM generate_series(0, 40) AS i, LATERAL (SELECT (date '2015-01-01' + make_interval(months => i))::date) AS p(d),
     unnest(ARRAY['ets', 'theta', 'damped', 'comb']) AS meth, unnest(ARRAY[true, false]) AS big
GROUP BY meth, big;
SELECT setseed(0.42);

CREATE TEMP TABLE r_series AS
SELECT id, (date '2015-01-01' + make_interval(months => t - 1))::date AS d, t,
       greatest(1, (1000 + id * 40) * (1 + (id % 4) * 0.08 * cos(2 * pi() * t / 12 + id))
                   + (id % 3 - 1) * 4 * t + (20 + 10 * id) * (random() - 0.5) * 2) AS v
FROM generate_series(1, 12) AS id, LATERAL generate_series(1, 48 + (id % 5) * 12) AS t;
-- and two smooth ones (a slope that drifts, little noise) whose seasonal
-- trend models have their likelihood optimum outside the admissible region
INSERT INTO r_series
SELECT id, (date '2015-01-01' + make_interval(months => t - 1))::date, t,
       2000 + sum(20 + s) OVER (PARTITION BY id ORDER BY t) + 3 * (random() - 0.5)
FROM (SELECT id, t, sum(8 * (random() - 0.5)) OVER (PARTITION BY id ORDER BY t) AS s
      FROM generate_series(13, 14) AS id, generate_series(1, 72) AS t) x;

SELECT current_setting('data_directory') || '/actionplan_forecast_r.csv' AS rfile \gset
SELECT format('cat >/dev/null; rm -f ''%s''', :'rfile') AS rmcmd \gset
COPY (SELECT id, t, v FROM r_series ORDER BY id, t) TO :'rfile' WITH (FORMAT csv, HEADER);
SELECT format($R$Rscript -e "suppressMessages(library(forecast)); d <- read.csv('%s'); cf <- function(y, k) { tt <- k[2]; st <- k[3]; dp <- k[4] == 'TRUE'; m <- if (st == 'N') 1 else 12; s0 <- forecast:::initstate(y, tt, st); if (st != 'N') s0 <- c(s0, m * (st == 'M') - sum(s0[(2 + (tt != 'N')):length(s0)])); f <- function(p) { a <- p[1]; b <- if (tt != 'N') p[2]; g <- if (st != 'N') p[2 + (tt != 'N')]; ph <- if (dp) p[length(p)]; if (a < 1e-4 || a > 0.9999 || (!is.null(b) && (b < 1e-4 || b > a)) || (!is.null(g) && (g < 1e-4 || g > 1 - a)) || (!is.null(ph) && (ph < 0.8 || ph > 0.98)) || !forecast:::admissible(a, b, g, ph, m)) return(Inf); l <- forecast:::pegelsresid.C(y, m, s0, k[1], tt, st, dp, a, if (is.null(b)) 0 else b, if (is.null(g)) 0 else g, if (is.null(ph)) 1 else ph, 3)[['lik']]; if (is.na(l)) Inf else l }; a0 <- if (st != 'N') 0.2 / 12 else 0.2; p <- c(a0, if (tt != 'N') 0.1 * a0, if (st != 'N') 0.05 * (1 - a0), if (dp) 0.978); o <- optim(p, f); o <- optim(o[['par']], f); o <- optim(o[['par']], f); np <- length(p) + length(s0) - (st != 'N') + 1; o[['value']] + 2 * np + 2 * np * (np + 1) / (length(y) - np - 1) }; ch <- function(x) { th <- function(z) thetaf(ts(z, frequency = 1), h = 18); ac <- function(z) ses(ts(z, frequency = 1), h = 18, initial = 'optimal')[['model']][['aicc']]; if (ac(log(x)) + 2 * sum(log(x)) < ac(x)) exp(as.numeric(th(log(x))[['mean']])) else as.numeric(th(x)[['mean']]) }; lt <- function(y) { n <- length(y); r <- as.numeric(acf(y, lag.max = 12, plot = FALSE)[['acf']])[-1]; x <- y; s <- rep(1, 18); if (n > 24 && abs(r[12]) / sqrt((1 + 2 * sum(r[-12]^2)) / n) > qnorm(0.95)) { dc <- decompose(y, type = 'multiplicative'); x <- seasadj(dc); s <- rep(tail(dc[['seasonal']], 12), 3)[1:18] }; ch(as.numeric(x)) * s }; for (i in unique(d[['id']])) { y <- ts(d[['v']][d[['id']] == i], frequency = 12); th <- lt(y); e <- ets(y); k <- e[['components']]; writeLines(sprintf('theta,%%d,%%d,%%.17g', i, 1:18, th)); for (k in unique(list(k, c('A', 'A', 'A', 'FALSE'), c('M', 'A', 'M', 'TRUE')))) writeLines(sprintf('etsc,%%d,\"ets(%%s,%%s%%s,%%s)\",%%.17g', i, k[1], k[2], ifelse(k[4] == 'TRUE', 'd', ''), k[3], cf(y, k))) }"$R$,
              :'rfile') AS rcmd \gset
CREATE TEMP TABLE r_out (kind text, id int, key text, value float8);
COPY r_out FROM PROGRAM :'rcmd' WITH (FORMAT csv);

SELECT is((SELECT count(*) FROM r_out WHERE kind = 'theta'), 14 * 18::bigint, 'R returned 18 theta forecasts per series');

CREATE TEMP TABLE ours_theta AS
SELECT s.id, f.period, f.point
FROM (SELECT id, forecast_fit(d, v, 'theta') AS m FROM r_series GROUP BY id) s, forecast(s.m, 18) f;
SELECT cmp_ok((SELECT max(abs(o.point - r.value) / r.value)
               FROM ours_theta o JOIN r_out r ON r.kind = 'theta' AND r.id = o.id
                AND r.key::int = (extract(year FROM o.period) - 2015) * 12 + extract(month FROM o.period)
                                 - (SELECT max(t) FROM r_series s WHERE s.id = o.id)),
              '<', 0.002::float8, 'theta points agree with R thetaf on the scale chosen by AICc within 0,2 %');

CREATE TEMP TABLE ours_ets AS
SELECT id, model, r_aicc, substring(m FROM ' aicc=([^ ]+)')::float8 AS aicc,
       substring(m FROM ' alpha=([^ ]+)') AS alpha, substring(m FROM ' beta=([^ ]+)') AS beta,
       substring(m FROM ' gamma=([^ ]+)') AS gamma, substring(m FROM ' phi=([^ ]+)') AS phi
FROM (SELECT r.id, r.key AS model, r.value AS r_aicc, forecast_fit(s.d, s.v, r.key)::text AS m
      FROM r_out r JOIN r_series s USING (id) WHERE r.kind = 'etsc' GROUP BY r.id, r.key, r.value) f;
SELECT is((SELECT count(*) FROM ours_ets WHERE aicc IS NOT NULL), (SELECT count(*) FROM r_out WHERE kind = 'etsc'),
          'each series fitted with the ETS model R chose, ETS(A,A,A) and ETS(M,Ad,M)');
SELECT is((SELECT string_agg(format('%s %s: %s, R %s', id, model, round(aicc::numeric, 4), round(r_aicc::numeric, 4)), '; ')
           FROM ours_ets WHERE id <= 12 AND NOT aicc <= r_aicc + 0.01), NULL,
          'from the initial states R''s ets starts from, our maximum likelihood is at least as good as R''s optim (AICc at most 0,01 above)');
-- on the smooth series the optimum of the seasonal trend models lies on the
-- boundary of the admissible region, along which Nelder-Mead (ours and
-- R's) creeps: each ends at its own point of it, ours mostly lower
SELECT is((SELECT string_agg(format('%s %s: %s, R %s', id, model, round(aicc::numeric, 4), round(r_aicc::numeric, 4)), '; ')
           FROM ours_ets WHERE id > 12 AND NOT aicc <= r_aicc + 1), NULL,
          'on the smooth series our optimum is within 1 of R''s AICc or lower');

-- R's likelihood at our parameters (written as the model's text form gives them: exact doubles)
SELECT current_setting('data_directory') || '/actionplan_forecast_par.csv' AS pfile \gset
COPY (SELECT id, substr(model, 5, 1) AS e, substr(model, 7, 1) AS t, substr(model, length(model) - 1, 1) AS s,
             (model LIKE '%Ad%')::int AS damped, alpha, beta, gamma, phi, model
      FROM ours_ets ORDER BY id, model) TO :'pfile' WITH (FORMAT csv, HEADER);
SELECT format($R$Rscript -e "suppressMessages(library(forecast)); d <- read.csv('%s'); q <- read.csv('%s', colClasses = 'character'); for (j in seq_len(nrow(q))) { r <- q[j, ]; y <- ts(d[['v']][d[['id']] == as.integer(r[['id']])], frequency = 12); tt <- r[['t']]; st <- r[['s']]; dp <- r[['damped']] == '1'; m <- if (st == 'N') 1 else 12; s0 <- forecast:::initstate(y, tt, st); if (st != 'N') s0 <- c(s0, m * (st == 'M') - sum(s0[(2 + (tt != 'N')):length(s0)])); a <- as.numeric(r[['alpha']]); b <- as.numeric(r[['beta']]); g <- as.numeric(r[['gamma']]); ph <- as.numeric(r[['phi']]); ok <- a >= 1e-4 && a <= 0.9999 && (tt == 'N' || (b >= 1e-4 && b <= a)) && (st == 'N' || (g >= 1e-4 && g <= 1 - a)) && (!dp || (ph >= 0.8 && ph <= 0.98)) && forecast:::admissible(a, if (tt != 'N') b, if (st != 'N') g, if (dp) ph, m) == 1; l <- forecast:::pegelsresid.C(y, m, s0, r[['e']], tt, st, dp, a, b, g, ph, 3)[['lik']]; np <- 1 + (tt != 'N') + (st != 'N') + dp + length(s0) - (st != 'N') + 1; writeLines(sprintf('%%s,\"%%s\",%%d,%%.17g', r[['id']], r[['model']], as.integer(ok), l + 2 * np + 2 * np * (np + 1) / (length(y) - np - 1))) }"$R$,
              :'rfile', :'pfile') AS rcmd \gset
CREATE TEMP TABLE r_at (id int, model text, ok int, aicc float8);
COPY r_at FROM PROGRAM :'rcmd' WITH (FORMAT csv);
COPY (SELECT 1) TO PROGRAM :'rmcmd'; -- the series file
SELECT format('cat >/dev/null; rm -f ''%s''', :'pfile') AS rmcmd \gset
COPY (SELECT 1) TO PROGRAM :'rmcmd';
SELECT is((SELECT string_agg(format('%s %s: ours %s, R at our parameters %s, in R''s bounds and admissible %s', id, model, o.aicc, r.aicc, r.ok), '; ')
           FROM ours_ets o FULL JOIN r_at r USING (id, model)
           WHERE r.ok IS DISTINCT FROM 1 OR NOT abs(o.aicc - r.aicc) <= 1e-6 * abs(o.aicc)), NULL,
          'R''s likelihood (pegelsresid.C from initstate) at our parameters is our AICc (within 1e-6), in R''s bounds and admissible region');
-- short series (SHORT_SPAN, 36 months): eighteen 24-month seasonal series,
-- starting in different months, each fitted in one of the nine seasonal
-- forms of R's ets set.  There our ETS fits the initial states by maximum
-- likelihood too, as R's ets does: our optimum must be at least as good as
-- R's ets fit of the same form (AICc at most 0,01 above).
CREATE TEMP TABLE short_series AS
SELECT id, (date '2016-01-01' + make_interval(months => id % 12 + t - 1))::date AS d, t,
       (ARRAY['ets(A,N,A)', 'ets(A,A,A)', 'ets(A,Ad,A)', 'ets(M,N,A)', 'ets(M,A,A)', 'ets(M,Ad,A)',
              'ets(M,N,M)', 'ets(M,A,M)', 'ets(M,Ad,M)'])[id % 9 + 1] AS model,
       (800 + 50 * id) * (1 + (0.05 + 0.05 * (id % 4)) * cos(2 * pi() * t / 12 + id)) + (id % 3 - 1) * 6 * t
       + (10 + 4 * id) * (random() - 0.5) * 2 AS v
FROM generate_series(1, 18) AS id, generate_series(1, 24) AS t;
SELECT current_setting('data_directory') || '/actionplan_forecast_short.csv' AS sfile \gset
COPY (SELECT id, substr(model, 5, 1) AS e, substr(model, 7, 1) AS t, substr(model, length(model) - 1, 1) AS s,
             (model LIKE '%Ad%')::int AS damped, v
      FROM short_series ORDER BY id, t) TO :'sfile' WITH (FORMAT csv, HEADER);
SELECT format($R$Rscript -e "suppressMessages(library(forecast)); d <- read.csv('%s', colClasses = c(v = 'numeric')); for (i in unique(d[['id']])) { r <- d[d[['id']] == i, ]; e <- ets(ts(r[['v']], frequency = 12), model = paste0(r[['e']][1], r[['t']][1], r[['s']][1]), damped = r[['damped']][1] == 1); writeLines(sprintf('%%d,%%.17g', i, e[['aicc']])) }"$R$,
              :'sfile') AS rcmd \gset
CREATE TEMP TABLE r_short (id int, aicc float8);
COPY r_short FROM PROGRAM :'rcmd' WITH (FORMAT csv);
SELECT format('cat >/dev/null; rm -f ''%s''', :'sfile') AS rmcmd \gset
COPY (SELECT 1) TO PROGRAM :'rmcmd';
SELECT is((SELECT string_agg(format('%s %s: %s, R %s', id, model, round(o.aicc::numeric, 4), round(r.aicc::numeric, 4)), '; ')
           FROM (SELECT id, model, substring(forecast_fit(d, v, model)::text FROM ' aicc=([^ ]+)')::float8 AS aicc
                 FROM short_series GROUP BY id, model) o FULL JOIN r_short r USING (id)
           WHERE NOT o.aicc <= r.aicc + 0.01 OR o.aicc IS NULL OR r.aicc IS NULL), NULL,
          'on 24-month seasonal series our ETS (initial states by maximum likelihood) is at least as good as R''s ets of the same form (AICc at most 0,01 above)');
SELECT cmp_ok((SELECT count(*) FROM (SELECT id, model_name(ets_fit(d, v)) AS n FROM r_series GROUP BY id) s
               WHERE n LIKE '%,A)' OR n LIKE '%,M)'), '>=', 4::bigint,
              'the strongly seasonal series get a seasonal ETS model');

-- calibration: simple exponential smoothing series with a known process
-- (level 100, alpha 0,3, sigma 2) and multiplicative ones (sigma 5 %),
-- fitted with the true model: the 95 % intervals of months 1..6 ahead must
-- cover the simulated future about 95 % of the time, those of the year-end
-- sum at least 85 % (they take the estimated alpha as known, and an
-- underestimated alpha narrows a sum's interval most; without the
-- covariance of the months' errors it would fall to about 80 %).  With
-- the model chosen by AICc, spurious trends (about one fit in nine) make
-- the year-end interval cover less; that figure is only required to stay
-- above 80 %.
CREATE TEMP TABLE sim AS
WITH RECURSIVE z AS (
  SELECT id, t, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS e
  FROM generate_series(1, 300) AS id, generate_series(1, 54) AS t
), w AS (
  SELECT id, t, e, 100 + 2 * e AS add_y, 100 + 0.3 * 2 * e AS add_l,
         100 * (1 + 0.05 * e) AS mul_y, 100 * (1 + 0.3 * 0.05 * e) AS mul_l
  FROM z WHERE t = 1
  UNION ALL
  SELECT z.id, z.t, z.e, w.add_l + 2 * z.e, w.add_l + 0.3 * 2 * z.e,
         w.mul_l * (1 + 0.05 * z.e), w.mul_l * (1 + 0.3 * 0.05 * z.e)
  FROM w JOIN z ON z.id = w.id AND z.t = w.t + 1
)
SELECT id, t, (date '2019-09-01' + make_interval(months => t - 1))::date AS d, add_y, mul_y FROM w;

CREATE TEMP TABLE sim_fit AS
SELECT id, forecast_fit(d, add_y, 'ets(A,N,N)') FILTER (WHERE t <= 48) AS a,
       forecast_fit(d, mul_y, 'ets(M,N,N)') FILTER (WHERE t <= 48) AS m,
       ets_fit(d, add_y) FILTER (WHERE t <= 48) AS auto
FROM sim GROUP BY id;
CREATE TEMP TABLE coverage AS
SELECT 'additive, months 1-6' AS what, avg((s.add_y BETWEEN f.lo95 AND f.hi95)::int)::float8 AS c
FROM sim_fit, forecast(a, 6) f JOIN sim s ON s.d = f.period WHERE s.id = sim_fit.id
UNION ALL
SELECT 'multiplicative (simulated), months 1-6', avg((s.mul_y BETWEEN f.lo95 AND f.hi95)::int)
FROM sim_fit, forecast(m, 6) f JOIN sim s ON s.d = f.period WHERE s.id = sim_fit.id
UNION ALL
SELECT 'additive, year end', avg((y.v BETWEEN (year_end(a)).lo95 AND (year_end(a)).hi95)::int)
FROM sim_fit JOIN (SELECT id, sum(add_y) + (SELECT sum(add_y) FROM sim s2 WHERE s2.id = s.id AND s2.d BETWEEN '2023-01-01' AND '2023-08-01') AS v
                   FROM sim s WHERE d BETWEEN '2023-09-01' AND '2023-12-01' GROUP BY id) y USING (id)
UNION ALL
SELECT 'multiplicative (simulated), year end', avg((y.v BETWEEN (year_end(m)).lo95 AND (year_end(m)).hi95)::int)
FROM sim_fit JOIN (SELECT id, sum(mul_y) + (SELECT sum(mul_y) FROM sim s2 WHERE s2.id = s.id AND s2.d BETWEEN '2023-01-01' AND '2023-08-01') AS v
                   FROM sim s WHERE d BETWEEN '2023-09-01' AND '2023-12-01' GROUP BY id) y USING (id)
UNION ALL
SELECT 'additive, model by AICc, year end', avg((y.v BETWEEN (year_end(auto)).lo95 AND (year_end(auto)).hi95)::int)
FROM sim_fit JOIN (SELECT id, sum(add_y) AS v FROM sim s WHERE d BETWEEN '2023-01-01' AND '2023-12-01' GROUP BY id) y USING (id);
SELECT ok(c BETWEEN CASE WHEN what ~ 'AICc' THEN 0.80 WHEN what ~ 'year end' THEN 0.85 ELSE 0.91 END AND 0.98, format('95 %% intervals cover %s of 300 simulated futures: %s', what, round(c::numeric, 3)))
FROM coverage ORDER BY what;

-- the outcome so far plus the forecast of the remaining months
SELECT is((SELECT count(*) FROM sim_fit, year_end(a) y
           WHERE y.remaining <> 4 OR y.months <> 8
              OR abs(y.outcome - (SELECT sum(add_y) FROM sim s WHERE s.id = sim_fit.id AND s.d BETWEEN '2023-01-01' AND '2023-08-01')) > 1e-9
              OR abs(y.point - y.outcome - (SELECT sum(point) FROM forecast(a, 4))) > 1e-9),
          0::bigint, 'year_end = outcome January-August + forecast September-December');
SELECT is((SELECT count(*) FROM sim_fit, year_end(m) y, forecast(m, 4) f
           WHERE NOT (y.lo95 <= y.lo80 AND y.lo80 <= y.hi80 AND y.hi80 <= y.hi95 AND y.lo95 <= y.point AND y.point <= y.hi95
                      AND f.lo95 <= f.lo80 AND f.lo80 <= f.hi80 AND f.hi80 <= f.hi95 AND f.lo95 <= f.point AND f.point <= f.hi95)),
          0::bigint, 'bounds are ordered: lo95 <= lo80 <= hi80 <= hi95, point inside the 95 % band');

-- interval calibration (docs/forecast_intervals.md): series whose noise
-- quadruples in their last 18 of 60 months (sd 1, then 4, and 4 in the 12
-- test months).  The one-step sigma mixes both periods, so the model's own
-- 95 % intervals cover about 75 % of the future; the errors of the refits
-- at the calibration origins (60 - 18 and 60 - 9 months) see the change and
-- widen them.  Without the calibration (calib stripped from the text form,
-- as a model of 0.1.0 reads) the coverage falls below 85 %.
CREATE TEMP TABLE shift AS
SELECT id, t, (date '2019-01-01' + make_interval(months => t - 1))::date AS d,
       100 + CASE WHEN t <= 42 THEN 1 ELSE 4 END * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS y
FROM generate_series(1, 40) AS id, generate_series(1, 72) AS t;
CREATE TEMP TABLE shift_fit AS
SELECT id, m, regexp_replace(m::text, ' calib=[^ ]+', '', 'g')::forecast_model AS bare
FROM (SELECT id, forecast_fit(d, y, meth) FILTER (WHERE t <= 60) AS m
      FROM shift, unnest(ARRAY['ets(A,N,N)', 'comb']) AS meth GROUP BY id, meth) x;
SELECT is((SELECT count(*) FROM shift_fit WHERE m::text !~ ' calib=[1-9]'), 0::bigint,
          'every fit of the shifted series has a calibration factor of at least 1');
SELECT cmp_ok((SELECT avg((s.y BETWEEN f.lo95 AND f.hi95)::int)::float8
               FROM shift_fit, forecast(m, 12) f JOIN shift s ON s.d = f.period WHERE s.id = shift_fit.id),
              '>=', 0.90::float8, 'calibrated 95 % intervals cover at least 90 % of the shifted series'' future');
SELECT cmp_ok((SELECT avg((s.y BETWEEN f.lo95 AND f.hi95)::int)::float8
               FROM shift_fit, forecast(bare, 12) f JOIN shift s ON s.d = f.period WHERE s.id = shift_fit.id),
              '<', 0.85::float8, 'uncalibrated ones (calib stripped) cover less than 85 %');
-- the factor widens every bound around the point, by hand: the ETS model's
-- hi95 - point is calib × that of the same model without calib
SELECT is((SELECT count(*) FROM shift_fit, forecast(m, 12) f JOIN forecast(bare, 12) b USING (period)
           WHERE m::text ~ 'method=ets'
             AND abs((f.hi95 - f.point) - substring(m::text FROM ' calib=([^ ]+)')::float8 * (b.hi95 - b.point)) > 1e-9 * abs(b.hi95 - b.point)),
          0::bigint, 'hi95 - point = calib × the uncalibrated hi95 - point');

-- the state is order-free: any row order, and rows split within a month, fit the same model
SELECT is((SELECT count(*) FROM (SELECT id, ets_fit(d, round(v) ORDER BY random()) AS x, ets_fit(d, round(v) ORDER BY d) AS y
                                 FROM r_series GROUP BY id) s WHERE x::text <> y::text),
          0::bigint, 'ets_fit gives the same model whatever the row order');
SELECT is((SELECT count(*) FROM (SELECT id, forecast_fit(d, round(v), 'comb') AS x FROM r_series GROUP BY id) a
                           JOIN (SELECT id, forecast_fit(d + k, round(v) / 2, 'comb') AS y
                                 FROM r_series, generate_series(0, 1) AS k GROUP BY id) b USING (id)
           WHERE x::text <> y::text),
          0::bigint, 'two rows of half the value in a month fit as one row (values are summed per month)');
SELECT is((SELECT count(*) FROM (SELECT id, ets_fit(d, v)::text AS x, forecast_fit(d, v, 'ets')::text AS y FROM r_series GROUP BY id) s
           WHERE x <> y), 0::bigint, 'ets_fit is forecast_fit(..., ''ets'')');

-- missing months are missing, not zero; negative series get additive models only
SELECT is((SELECT substring(ets_fit(d, v)::text FROM ' n=([0-9]+)') FROM r_series WHERE id = 1 AND t % 7 <> 3),
          (SELECT count(*)::text FROM r_series WHERE id = 1 AND t % 7 <> 3), 'a series with gaps counts its observed months');
SELECT is((SELECT count(*) FROM (SELECT id, model_name(forecast_fit(d, -v, meth)) AS n
                                 FROM r_series, unnest(ARRAY['ets', 'comb']) AS meth GROUP BY id, meth) s
           WHERE n ~ 'ETS\(M|,M\)'), 0::bigint, 'costs written as negative numbers get additive ETS models');
SELECT is((SELECT count(*) FROM (SELECT id, ets_fit(d, v) AS a, ets_fit(d, -v) AS b FROM r_series GROUP BY id) s,
                  forecast(a, 3) fa JOIN forecast(b, 3) fb USING (period)
           WHERE model_name(a) !~ 'ETS\(M|,M\)' AND (model_name(a) <> model_name(b) OR abs(fa.point + fb.point) > 1e-3 * abs(fa.point))),
          0::bigint, 'an additive ETS model of y is also chosen for -y and forecasts minus its forecast');

-- values near the float8 limits: a finite answer or 22003, never NaN or
-- Infinity (a comb model of values near 1e308 gave year_end NaN)
CREATE TEMP TABLE huge AS
SELECT (date '2015-01-01' + make_interval(months => i))::date AS d, (0.5 + 0.3 * cos(i)) AS u
FROM generate_series(0, 40) AS i;
SELECT throws_ok($$SELECT year_end(forecast_fit(d, u * 1e308, 'comb')) FROM huge$$, '22003', NULL,
                 'a comb model of values near 1e308 (their year-to-date sum overflows) is 22003, not NaN');
SELECT throws_ok($$SELECT forecast_fit(d, u * 1e200, meth) FROM huge, unnest(ARRAY['ets', 'theta', 'damped', 'comb']) AS meth GROUP BY meth$$,
                 '22003', NULL, 'a model whose variance overflows float8 is 22003, not a model of NaN states');
SELECT throws_ok($$SELECT ets_fit(d, 1e308) FROM huge, generate_series(1, 2)$$, '22003', NULL,
                 'two values of a month summing past float8 are 22003');
SELECT is((SELECT count(*) FROM huge_models, year_end(m, 2060) y, forecast(m, 600) f
           WHERE NOT (y.point::text NOT IN ('NaN', 'Infinity', '-Infinity') AND y.lo95 <= y.point AND y.point <= y.hi95
                      AND f.point::text NOT IN ('NaN', 'Infinity', '-Infinity') AND f.lo95 <= f.hi95)),
          0::bigint, 'models of values near 1e150 and 1e-300: finite forecasts and year ends, bounds in order');
SELECT throws_ok($$SELECT * FROM forecast(regexp_replace((SELECT m::text FROM huge_models WHERE meth = 'theta' AND big), 'drift=[^ ]+', 'drift=1e306')::forecast_model, 600)$$,
                 '22003', NULL, 'a forecast that overflows float8 is 22003');

-- forced parallel plans equal serial results (par_series is made before
-- the transaction: parallel workers cannot read a temp table)
\ir lib/parallel.psql
CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('ets_fit', $$SELECT g, ets_fit(d, v)::text FROM par_series GROUP BY g$$),
  ('forecast_fit comb, one group', $$SELECT forecast_fit(d, v, 'comb')::text FROM par_series$$);
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;
\ir lib/check_parallel.psql

SELECT * FROM finish();
ROLLBACK;
DROP TABLE par_series;
