-- Forecasts of monthly series: a hand-written model forecasts exactly as its
-- formulas say; fitted models round-trip through text and binary; bad
-- models are rejected with the reason.
\set SHOW_CONTEXT never

-- simple exponential smoothing, level 100, alpha 0,5, sigma² 4 estimated
-- from 32 months (30 degrees of freedom): the point stays 100 and the 95 %
-- half-width is t(0,975; 30) · 2 · sqrt(1 + (h - 1) · 0,25), with R's
-- qt(0.975, 30) = 2,0422724563
CREATE TABLE models (name text, m forecast_model);
INSERT INTO models VALUES ('ses', 'method=ets first=2021-01 last=2023-08 n=32 ytd_months=8 ytd=800
  | kind=ets model=ANN n=32 alpha=0.5 beta=0 gamma=0 phi=1 level=100 slope=0 drift=0 offset=0
    sigma2=4 aicc=150 season=0,0,0,0,0,0,0,0,0,0,0,0');
SELECT model_name(m) FROM models;
SELECT period, point, round(hi95::numeric, 3) AS hi95,
       round((100 + 2.0422724563 * 2 * sqrt(1 + (row_number() OVER (ORDER BY period) - 1) * 0.25))::numeric, 3) AS by_formula,
       round((point - lo80)::numeric, 6) AS half80
FROM models, forecast(m, 4);
-- year end: 800 so far, September..December forecast at 100 each; the sum's
-- variance is sigma² · Σ (1 + (4 - i) · alpha)² over i = 1..4 = 4 · 13,5
SELECT year, outcome, months, remaining, point, round(hi95::numeric, 3) AS hi95,
       round((1200 + 2.0422724563 * sqrt(4 * (6.25 + 4 + 2.25 + 1)))::numeric, 3) AS by_formula
FROM models, year_end(m);

-- the next year from a model ending in October: its twelve months are all
-- forecast; November's and December's errors move the level they start from
-- (weight 12 alpha each), so the variance is sigma² · (2 · 6² + Σ (1 + k alpha)², k = 0..11)
SELECT year, outcome, months, remaining, point, round(hi95::numeric, 3) AS hi95,
       round((1200 + 2.0422724563 * 2 * sqrt(72 + 204.5))::numeric, 3) AS by_formula
FROM year_end(replace((SELECT m::text FROM models WHERE name = 'ses'), 'last=2023-08', 'last=2023-10')::forecast_model, 2024);
SELECT year_end(m, 2022) FROM models WHERE name = 'ses';

-- a damped trend on a multiplicatively adjusted series: the point is
-- (level + (phi + .. + phi^h) · slope) × the month's index
INSERT INTO models VALUES ('damped', 'method=damped first=2020-01 last=2023-12 n=48 ytd_months=12 ytd=1200
  | kind=damped model=AAdM n=48 alpha=0.3 beta=0.1 gamma=0 phi=0.5 level=100 slope=8 drift=0 offset=0
    sigma2=1 aicc=0 season=2,1,1,1,1,1,1,1,1,1,1,0.5');
SELECT period, point FROM models, forecast(m, 3) WHERE name = 'damped';

-- the text form round-trips exactly
SELECT name, m::text::forecast_model::text = m::text AS round_trip FROM models;
-- a fitted model too: 36 months of a seasonal series with a trend
INSERT INTO models
SELECT 'fitted', ets_fit(d, (1000 + 5 * i) * (1 + 0.3 * cos(2 * pi() * i / 12)) + 20 * sin(i * 1.7))
FROM generate_series(0, 35) AS i, LATERAL (SELECT (date '2021-01-15' + make_interval(months => i))::date) AS p(d);
SELECT model_name(m), m::text::forecast_model::text = m::text AS round_trip,
       (year_end(m)).months, (year_end(m)).remaining
FROM models WHERE name = 'fitted';

-- interval calibration: the key calib (absent in 0.1.0's text form, which
-- reads as uncalibrated: the 'ses' model above is such a form) widens every
-- bound around the point by its factor, in months and in the year end
INSERT INTO models SELECT 'ses_calib', (m::text || ' calib=1.5')::forecast_model FROM models WHERE name = 'ses';
SELECT period, point, round((hi95 - point)::numeric, 6) AS half95,
       round((1.5 * 2.0422724563 * 2 * sqrt(1 + (row_number() OVER (ORDER BY period) - 1) * 0.25))::numeric, 6) AS by_formula,
       round((point - lo80)::numeric, 6) AS half80
FROM models, forecast(m, 4) WHERE name = 'ses_calib';
SELECT point, round(hi95::numeric, 3) AS hi95, round((1200 + 1.5 * 2.0422724563 * sqrt(4 * 13.5))::numeric, 3) AS by_formula
FROM models, year_end(m) WHERE name = 'ses_calib';
SELECT m::text ~ ' calib=1.5$' AS written, m::text::forecast_model::text = m::text AS round_trip
FROM models WHERE name = 'ses_calib';
-- below 1 (it only widens), above 10, not exactly a float4, or twice: refused
SELECT replace(m::text, 'calib=1.5', 'calib=0.5')::forecast_model FROM models WHERE name = 'ses_calib';
SELECT replace(m::text, 'calib=1.5', 'calib=11')::forecast_model FROM models WHERE name = 'ses_calib';
SELECT replace(m::text, 'calib=1.5', 'calib=1.1')::forecast_model FROM models WHERE name = 'ses_calib';
SELECT (m::text || ' calib=2')::forecast_model FROM models WHERE name = 'ses_calib';

-- binary COPY round trip
\copy models TO 'results/models.bin' WITH (FORMAT binary)
CREATE TABLE models_back (LIKE models);
\copy models_back FROM 'results/models.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE a.m::text = b.m::text) AS equal
FROM models a JOIN models_back b USING (name);

-- the binary form of 0.1.0 (version 1: no calib, nor the log byte) still reads, as uncalibrated
\copy (SELECT overlay(substring(b from 1 for length(b) - 5) placing '\x01'::bytea from 1 for 1) FROM (SELECT forecast_model_send(m) AS b FROM models WHERE name = 'ses_calib') x) TO 'results/model_v1.bin' WITH (FORMAT binary)
CREATE TABLE model_v1 (m forecast_model);
\copy model_v1 FROM 'results/model_v1.bin' WITH (FORMAT binary)
SELECT a.m::text = b.m::text AS reads_as_uncalibrated FROM model_v1 a, models b WHERE b.name = 'ses';
DROP TABLE model_v1;

-- theta on the log scale (log=1, 0.2.0): the point is exp(level + drift ·
-- (h - 1 + offset)) × the month's index, the 95 % half-width the point
-- times the log scale's (a log-scale error e is a relative error of about
-- e): sigma² 0,01 from 48 months less 14 parameters (alpha, level, drift,
-- 11 indices; R's qt(0.975, 34) = 2,0322445093) and alpha 1: variance 0,01 · h;
-- the lower bound that half-width taken on the log scale, point · e^-x
-- (0.2.0: point · (1 - x) went below 0 where x > 1)
INSERT INTO models VALUES ('logtheta', 'method=theta first=2020-01 last=2023-12 n=48 ytd_months=12 ytd=1200
  | kind=theta model=ANM n=48 alpha=1 beta=0 gamma=0 phi=1 level=4.605170185988092 slope=0 drift=0.01 offset=1
    sigma2=0.01 aicc=0 season=2,1,1,1,1,1,1,1,1,1,1,0.5 log=1');
SELECT period, round(point::numeric, 6) AS point,
       round((exp(4.605170185988092 + 0.01 * h) * CASE h WHEN 1 THEN 2 ELSE 1 END)::numeric, 6) AS by_formula,
       round(((hi95 - point) / point)::numeric, 6) AS half95_share, round((2.0322445093 * 0.1 * sqrt(h))::numeric, 6) AS by_formula,
       round(((point - lo95) / point)::numeric, 6) AS lo_share,
       round((1 - exp(-2.0322445093 * 0.1 * sqrt(h)))::numeric, 6) AS by_formula
FROM models, forecast(m, 3) WITH ORDINALITY AS f(period, point, lo80, hi80, lo95, hi95, h) WHERE name = 'logtheta';
-- with sigma² 4 the half-width is 4 to 10 times the point: the lower bounds
-- stay above 0, point · e^-x, and below the 80 % ones
SELECT h, round((hi95 / point - 1)::numeric, 4) AS x95, round((lo95 / point)::numeric, 6) AS lo95_share,
       round(exp(1 - hi95 / point)::numeric, 6) AS by_formula, lo95 > 0 AND lo95 < lo80 AND lo80 < point AS ordered
FROM models, forecast(replace(m::text, 'sigma2=0.01', 'sigma2=4')::forecast_model, 6) WITH ORDINALITY AS f(period, point, lo80, hi80, lo95, hi95, h)
WHERE name = 'logtheta' AND h IN (1, 6);
-- the year end: the sum of the months' points; with alpha 1 every month
-- carries the errors of the months before it, month i's with weight the
-- sum of the points of months i..12: variance 0,01 · Σ (Σ_{j ≥ i} point_j)²
SELECT round(y.point::numeric, 6) = round((SELECT sum(point) FROM forecast(m, 12))::numeric, 6) AS point_is_sum,
       round((y.hi95 - y.point)::numeric, 6) AS half95,
       round((2.0322445093 * 0.1 * sqrt((SELECT sum(c * c) FROM (SELECT sum(point) OVER (ORDER BY period DESC) AS c FROM forecast(m, 12)) x)))::numeric, 6) AS by_formula
FROM models, year_end(m, 2024) y WHERE name = 'logtheta';
\copy (SELECT m FROM models WHERE name = 'logtheta') TO 'results/model_log.bin' WITH (FORMAT binary)
CREATE TABLE model_log (m forecast_model);
\copy model_log FROM 'results/model_log.bin' WITH (FORMAT binary)
SELECT b.m::text ~ ' log=1$' AS written, b.m::text::forecast_model::text = b.m::text AS round_trip,
       a.m::text = b.m::text AS binary_round_trip
FROM model_log a, models b WHERE b.name = 'logtheta';
DROP TABLE model_log;
-- the binary form of 0.2.0's earlier models (version 2: no log byte) reads as log=0
\copy (SELECT overlay(substring(b from 1 for length(b) - 1) placing '\x02'::bytea from 1 for 1) FROM (SELECT forecast_model_send(m) AS b FROM models WHERE name = 'logtheta') x) TO 'results/model_v2log.bin' WITH (FORMAT binary)
CREATE TABLE model_v2 (m forecast_model);
\copy model_v2 FROM 'results/model_v2log.bin' WITH (FORMAT binary)
SELECT a.m::text = replace(b.m::text, ' log=1', '') AS reads_as_not_logged FROM model_v2 a, models b WHERE b.name = 'logtheta';
DROP TABLE model_v2;
-- log other than 0 or 1, on an ETS component, or on an additively adjusted one: refused
SELECT replace(m::text, 'log=1', 'log=2')::forecast_model FROM models WHERE name = 'logtheta';
SELECT (m::text || ' log=1')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'model=ANM', 'model=ANA')::forecast_model FROM models WHERE name = 'logtheta';
-- a positive series' theta and damped are fitted on the log scale when
-- its AICc on the series' scale is lower: a series growing 4 % a month with
-- relative noise is logged; a ramp by equal steps from 10 (a new unit) is
-- not, as its early growth rate would be carried on; one with a negative
-- month never is
SELECT m, forecast_fit(d, g, m)::text ~ ' log=1' AS growth_logged, forecast_fit(d, r, m)::text ~ ' log=1' AS ramp_logged,
       forecast_fit(d, n, m)::text ~ ' log=1' AS negative_logged,
       round((SELECT point FROM forecast(forecast_fit(d, r, m), 18) OFFSET 17)::numeric) AS ramp_month_18
FROM (SELECT array_agg((date '2021-01-01' + make_interval(months => i))::date ORDER BY i),
             array_agg(100 * 1.04 ^ i * (1 + 0.05 * sin(i * 1.3)) ORDER BY i),
             array_agg(10 + 5 * i + 2 * sin(i * 1.3) ORDER BY i),
             array_agg(5 * i - 10 + 2 * sin(i * 1.3) ORDER BY i)
      FROM generate_series(0, 35) i) x(d, g, r, n), unnest(ARRAY['theta', 'damped']) m;

-- text that is not a model: 22P02 with what is wrong
SELECT 'method=ets'::forecast_model;
SELECT 'method=ets first=2021-01 last=2023-08 n=32 ytd_months=8 ytd=800 | kind=ets'::forecast_model;
SELECT replace(m::text, 'alpha=0.5', 'alpha=1.5')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'ytd_months=8', 'ytd_months=9')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'model=ANN', 'model=ANX')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'level=100', 'level=NaN')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'season=2', 'season=-2')::forecast_model FROM models WHERE name = 'damped';
SELECT replace(m::text, 'kind=damped', 'kind=theta')::forecast_model FROM models WHERE name = 'damped';
SELECT replace(m::text, 'n=32', 'n=32 n=32')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'last=2023-08', 'last=2023-13')::forecast_model FROM models WHERE name = 'ses';
SELECT (m::text || ' | ' || split_part(m::text, ' | ', 2))::forecast_model FROM models WHERE name = 'ses';

-- crafted binary: recv validates like text input (22P03)
CREATE TABLE model_only (m forecast_model);
\set VERBOSITY sqlstate
\copy (SELECT '\x02'::bytea) TO 'results/model_v2.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_v2.bin' WITH (FORMAT binary)
\copy (SELECT overlay(forecast_model_send(m) placing '\x00000007'::bytea from 30 for 4) FROM models WHERE name = 'ses') TO 'results/model_ncomp.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_ncomp.bin' WITH (FORMAT binary)
\copy (SELECT overlay(forecast_model_send(m) placing '\x7ff8000000000000'::bytea from 45 for 8) FROM models WHERE name = 'ses') TO 'results/model_nan.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_nan.bin' WITH (FORMAT binary)
\copy (SELECT substring(forecast_model_send(m) from 1 for 60) FROM models WHERE name = 'ses') TO 'results/model_short.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_short.bin' WITH (FORMAT binary)
-- cut anywhere, even inside the header: 22P03, not a protocol violation
\copy (SELECT '\x01'::bytea) TO 'results/model_cut1.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_cut1.bin' WITH (FORMAT binary)
\copy (SELECT substring(forecast_model_send(m) from 1 for 33) FROM models WHERE name = 'ses') TO 'results/model_cut33.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_cut33.bin' WITH (FORMAT binary)
\copy (SELECT substring(forecast_model_send(m) from 1 for 219) FROM models WHERE name = 'ses') TO 'results/model_cut219.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_cut219.bin' WITH (FORMAT binary)
\set VERBOSITY default

-- subnormal doubles: what binary input accepts, text input accepts too, and
-- both round trips give the same value and bytes; an underflow to zero and
-- an overflow are still refused
INSERT INTO models
SELECT 'subnormal', replace(replace(m::text, 'ytd=800', 'ytd=5e-324'), 'slope=0', 'slope=-2.2250738585072e-310')::forecast_model
FROM models WHERE name = 'ses';
SELECT m::text FROM models WHERE name = 'subnormal';
SELECT m::text::forecast_model::text = m::text AS text_round_trip,
       forecast_model_send(m::text::forecast_model) = forecast_model_send(m) AS same_bytes
FROM models WHERE name = 'subnormal';
\copy (SELECT overlay(forecast_model_send(m) placing float8send(1e-310) from 22 for 8) FROM models WHERE name = 'ses') TO 'results/model_subnormal.bin' WITH (FORMAT binary)
\copy model_only FROM 'results/model_subnormal.bin' WITH (FORMAT binary)
SELECT m::text, m::text::forecast_model::text = m::text AS text_round_trip,
       forecast_model_send(m::text::forecast_model) = forecast_model_send(m) AS same_bytes
FROM model_only;
SELECT replace(m::text, 'ytd=800', 'ytd=1e-400')::forecast_model FROM models WHERE name = 'ses';
SELECT replace(m::text, 'ytd=800', 'ytd=1e400')::forecast_model FROM models WHERE name = 'ses';
DROP TABLE models, models_back, model_only;

-- over a sek column, no cast: the same model as on amount::float8
CREATE TABLE sek_series AS
SELECT (date '2019-01-01' + make_interval(months => t))::date AS d,
       sek(round((1000 + 40 * (t % 12) + 3.25 * t)::numeric, 2)) AS amount
FROM generate_series(0, 35) t;
SELECT forecast_fit(d, amount, m)::text = forecast_fit(d, amount::float8, m)::text AS same, m
FROM sek_series, unnest(ARRAY['ets', 'theta', 'damped', 'comb']) m GROUP BY m ORDER BY m;
SELECT ets_fit(d, amount)::text = ets_fit(d, amount::float8)::text AS same FROM sek_series;
SELECT model_name(forecast_fit(d, amount, 'comb')), (year_end(forecast_fit(d, amount, 'comb'))).outcome FROM sek_series;
SELECT forecast_fit(d, amount, 'arima') FROM sek_series;
DROP TABLE sek_series;
