-- its_effect against R, calibration on simulated series, the order-free
-- state, forced-parallel plans, bad input and crafted serialized states.
--
-- R part: twelve simulated series (14 to 96 months, rho from -0.5 to 0.8,
-- some with missing months, some with mid-month dates) are written under the
-- data directory with test/lib/its_kr.R (read from the repository: pg_prove
-- runs from its root), which fits nlme::gls(..., corAR1(form = ~ pos),
-- method = "REML") and computes the Kenward-Roger variance and df from the
-- paper's general formulas with dense matrices.  Coefficients, rho, sigma,
-- the adjusted standard errors, the df and the t quantiles must agree.
--
-- Calibration: 200 series at rho 0 and 200 at rho 0.6 (48 months, a
-- season, level -5 and trend -0.3 a month injected at month 24): the 95 %
-- intervals must cover the injected values in 90-99 % of the series and the
-- mean error must be within 3 standard errors of 0; plain OLS intervals (R's
-- lm) on the rho 0.6 series must fall below 90 %, so the bounds catch a
-- method that ignores autocorrelation.
CREATE TABLE its_par AS
SELECT g, (date '2018-01-01' + make_interval(months => m))::date + k AS d,
       round(1000 + 5 * m - 40 * (m >= 30)::int + 60 * cos(2 * pi() * m / 12) + 80 * random()) AS v
FROM generate_series(1, 30) AS g, generate_series(0, 47) AS m, generate_series(0, 2) AS k;
ANALYZE its_par;

BEGIN;
SELECT plan(70);
SELECT setseed(0.61);

-- ---------- against R ----------
CREATE TEMP TABLE its_settings AS
SELECT * FROM (VALUES
  ('r01', 1, 24, 24, 0.3, false, -5.0, -0.3), ('r02', 1, 36, 24, 0.6, false, 4.0, 0.2),
  ('r03', 1, 30, 18, -0.3, false, -5.0, -0.3), ('r04', 1, 12, 12, 0.2, false, -5.0, 0.0),
  ('r05', 1, 10, 10, 0.4, false, -3.0, -0.3), ('r06', 1, 24, 24, 0.5, true, -5.0, -0.3),
  ('r07', 1, 48, 24, 0.7, false, -5.0, -0.3), ('r08', 1, 8, 6, 0.0, false, 2.0, 0.5),
  ('r09', 1, 24, 12, 0.1, true, -5.0, -0.3), ('r10', 1, 60, 36, 0.5, false, -8.0, -0.1),
  ('r11', 1, 18, 18, -0.5, false, -5.0, -0.3), ('r12', 1, 30, 20, 0.6, true, -5.0, -0.3)
) v(setting, nsim, n_before, n_after, rho, gaps, level, trend);
\ir lib/its_sim.sql

-- ours: the odd series with mid-month dates (the intervention too)
CREATE TEMP TABLE ours AS
SELECT setting, (its_effect(d + shift, y, intervention + shift)).*
FROM its_sim, LATERAL (SELECT CASE WHEN right(setting, 1)::int % 2 = 1 THEN 14 ELSE 0 END) s(shift)
GROUP BY setting;

SELECT current_setting('data_directory') AS datadir \gset
\set rscript `cat test/lib/its_kr.R`
SELECT format('base64 -d > %s/actionplan_its_kr.R', :'datadir') AS wcmd,
       format('Rscript %1$s/actionplan_its_kr.R gls %1$s/actionplan_its_r.csv', :'datadir') AS rcmd,
       format('cat >/dev/null; rm -f %1$s/actionplan_its_kr.R %1$s/actionplan_its_r.csv', :'datadir') AS rmcmd,
       :'datadir' || '/actionplan_its_r.csv' AS rfile \gset
COPY (SELECT replace(encode(convert_to(:'rscript', 'UTF8'), 'base64'), E'\n', '')) TO PROGRAM :'wcmd';
COPY (SELECT setting AS id, m, y, n_before AS t0 FROM its_sim JOIN its_settings USING (setting) ORDER BY 1, 2)
  TO :'rfile' WITH (FORMAT csv, HEADER);
CREATE TEMP TABLE r_out (id text, name text, a float8, b float8, c float8, d float8, e float8);
COPY r_out FROM PROGRAM :'rcmd' WITH (FORMAT csv, NULL 'NA');

CREATE TEMP TABLE cmp AS
SELECT o.*, l.a AS r_level, l.b AS r_level_se_model, l.c AS r_level_se, l.d AS r_level_df, l.e AS r_level_q,
       t.a AS r_trend, t.c AS r_trend_se, t.d AS r_trend_df, t.e AS r_trend_q,
       p.a AS r_pre, p.b AS r_pre_se_model, r.a AS r_rho, s.a AS r_sigma, z.a = 1 AS r_seasonal
FROM ours o
JOIN r_out l ON l.id = o.setting AND l.name = 'level' JOIN r_out t ON t.id = o.setting AND t.name = 'trend'
JOIN r_out p ON p.id = o.setting AND p.name = 'pre_trend' JOIN r_out r ON r.id = o.setting AND r.name = 'rho'
JOIN r_out s ON s.id = o.setting AND s.name = 'sigma' JOIN r_out z ON z.id = o.setting AND z.name = 'seasonal';

SELECT is((SELECT count(*) FROM cmp), 12::bigint, 'R fitted all twelve series');
SELECT is((SELECT string_agg(setting, ', ') FROM cmp WHERE seasonal <> r_seasonal), NULL,
          'month-of-year effects are modelled for the same series as in R');
SELECT ok((SELECT bool_or(seasonal) AND NOT bool_and(seasonal) AND bool_or(months_before + months_after < 24) FROM cmp),
          'the series include seasonal ones, non-seasonal ones and short ones');
SELECT cmp_ok((SELECT max(abs(rho - r_rho)) FROM cmp), '<', 1e-5::float8, 'rho (REML) agrees with nlme::gls within 1e-5');
SELECT cmp_ok((SELECT max(abs(sigma / r_sigma - 1)) FROM cmp), '<', 1e-5::float8, 'sigma agrees with nlme::gls within 1e-5 relative');
SELECT cmp_ok((SELECT max(abs(level_change - r_level) / r_level_se_model) FROM cmp), '<', 1e-4::float8,
              'the level change agrees with nlme::gls within 1e-4 standard errors');
SELECT cmp_ok((SELECT max(abs(trend_change - r_trend) / r_level_se_model) FROM cmp), '<', 1e-4::float8,
              'the trend change agrees with nlme::gls within 1e-4 standard errors');
SELECT cmp_ok((SELECT max(abs(pre_trend - r_pre) / r_pre_se_model) FROM cmp), '<', 1e-4::float8,
              'the trend before agrees with nlme::gls within 1e-4 standard errors');
SELECT cmp_ok((SELECT max(abs(level_se / r_level_se - 1)) FROM cmp), '<', 1e-4::float8,
              'the level change''s Kenward-Roger standard error agrees with the dense-matrix formulas in R within 1e-4 relative');
SELECT cmp_ok((SELECT max(abs(trend_se / r_trend_se - 1)) FROM cmp), '<', 1e-4::float8,
              'the trend change''s Kenward-Roger standard error agrees within 1e-4 relative');
SELECT ok((SELECT count(*) FROM cmp WHERE abs(r_level_se / r_level_se_model - 1) > 0.01) >= 3,
          'the Kenward-Roger correction moves the standard error by more than 1 % in several series (the comparison can tell)');
SELECT cmp_ok((SELECT max(abs(level_df / r_level_df - 1)) FROM cmp), '<', 1e-3::float8,
              'the level change''s Satterthwaite df agrees within 1e-3 relative');
SELECT cmp_ok((SELECT max(abs(trend_df / r_trend_df - 1)) FROM cmp), '<', 1e-3::float8,
              'the trend change''s Satterthwaite df agrees within 1e-3 relative');
-- R's qt at our df: the intervals are estimate ± qt(0.975, df) · se
SELECT format('Rscript %1$s/actionplan_its_kr.R qt %1$s/actionplan_its_r.csv', :'datadir') AS qtcmd \gset
COPY (SELECT setting AS id, level_df AS df, 'level' AS name FROM cmp UNION ALL SELECT setting, trend_df, 'trend' FROM cmp ORDER BY 1, 3)
  TO :'rfile' WITH (FORMAT csv, HEADER);
CREATE TEMP TABLE r_qt (id text, name text, q float8);
COPY r_qt FROM PROGRAM :'qtcmd' WITH (FORMAT csv);
SELECT cmp_ok((SELECT max(abs(CASE q.name WHEN 'level' THEN (level_hi - level_lo) / (2 * level_se)
                                          ELSE (trend_hi - trend_lo) / (2 * trend_se) END / q.q - 1))
               FROM cmp JOIN r_qt q ON q.id = cmp.setting),
              '<', 1e-9::float8, 'the intervals are estimate ± qt(0.975, df) · se, the quantile as R''s qt within 1e-9');
SELECT is((SELECT count(*) FROM cmp WHERE NOT (level_lo < level_change AND level_change < level_hi
                                               AND trend_lo < trend_change AND trend_change < trend_hi
                                               AND pre_trend_lo < pre_trend AND pre_trend < pre_trend_hi
                                               AND effect_last_lo < effect_last AND effect_last < effect_last_hi
                                               AND effect_total_lo < effect_total AND effect_total < effect_total_hi)),
          0::bigint, 'every interval contains its estimate');
SELECT is((SELECT count(*) FROM cmp
           WHERE abs(effect_last - (level_change + trend_change * ((extract(year FROM last_month) - extract(year FROM intervention)) * 12
                                                                   + extract(month FROM last_month) - extract(month FROM intervention)))) > 1e-9 * (1 + abs(effect_last))),
          0::bigint, 'effect_last = level_change + trend_change · months from the intervention to the last month');
COPY (SELECT 1) TO PROGRAM :'rmcmd';
DROP TABLE its_sim, its_settings;

-- ---------- calibration ----------
CREATE TEMP TABLE its_settings AS
SELECT * FROM (VALUES ('rho 0', 200, 24, 24, 0.0, false, -5.0, -0.3),
                      ('rho 0.6', 200, 24, 24, 0.6, false, -5.0, -0.3)) v(setting, nsim, n_before, n_after, rho, gaps, level, trend);
\ir lib/its_sim.sql
CREATE TEMP TABLE fits AS
SELECT setting, id, its_effect(d, y, intervention) AS r FROM its_sim GROUP BY setting, id;
CREATE TEMP TABLE calib AS
SELECT setting, count(*) AS n,
       avg(((r).level_lo <= level AND level <= (r).level_hi)::int)::float8 AS cov_level,
       avg(((r).trend_lo <= trend AND trend <= (r).trend_hi)::int)::float8 AS cov_trend,
       avg((r).level_change - level) AS bias_level, stddev((r).level_change) / sqrt(count(*)) AS se_level,
       avg((r).trend_change - trend) AS bias_trend, stddev((r).trend_change) / sqrt(count(*)) AS se_trend
FROM fits JOIN its_settings USING (setting) GROUP BY setting;
SELECT ok(n = 200 AND cov_level BETWEEN 0.90 AND 0.99,
          format('%s: the level change''s 95 %% interval covers the injected change in %s of 200 series', setting, round(cov_level::numeric, 3)))
FROM calib ORDER BY setting;
SELECT ok(cov_trend BETWEEN 0.90 AND 0.99,
          format('%s: the trend change''s 95 %% interval covers the injected change in %s of 200 series', setting, round(cov_trend::numeric, 3)))
FROM calib ORDER BY setting;
SELECT ok(abs(bias_level) < 3 * se_level AND abs(bias_trend) < 3 * se_trend,
          format('%s: no bias: level %s ± %s, trend %s ± %s', setting, round(bias_level::numeric, 3), round(se_level::numeric, 3),
                 round(bias_trend::numeric, 4), round(se_trend::numeric, 4)))
FROM calib ORDER BY setting;

-- the same bounds reject OLS intervals on the autocorrelated series
SELECT format('Rscript %1$s/actionplan_its_kr.R ols %1$s/actionplan_its_r.csv', :'datadir') AS olscmd \gset
COPY (SELECT replace(encode(convert_to(:'rscript', 'UTF8'), 'base64'), E'\n', '')) TO PROGRAM :'wcmd';
COPY (SELECT id, m, y, n_before AS t0 FROM its_sim JOIN its_settings USING (setting) WHERE setting = 'rho 0.6' ORDER BY 1, 2)
  TO :'rfile' WITH (FORMAT csv, HEADER);
CREATE TEMP TABLE ols_out (id int, name text, lo float8, hi float8, c float8, d float8, e float8);
COPY ols_out FROM PROGRAM :'olscmd' WITH (FORMAT csv, NULL 'NA');
COPY (SELECT 1) TO PROGRAM :'rmcmd';
SELECT cmp_ok((SELECT avg((lo <= -5 AND -5 <= hi)::int)::float8 FROM ols_out WHERE name = 'level'), '<', 0.90::float8,
              'OLS intervals of the level change cover less than 90 % at rho 0.6 (the bound can fail)');
SELECT cmp_ok((SELECT avg((lo <= -0.3 AND -0.3 <= hi)::int)::float8 FROM ols_out WHERE name = 'trend'), '<', 0.90::float8,
              'OLS intervals of the trend change cover less than 90 % at rho 0.6');

-- ---------- the state is order-free ----------
CREATE TEMP TABLE whole AS SELECT setting, id, m, d, intervention, round(y) AS y FROM its_sim WHERE id <= 10;
SELECT is((SELECT count(*) FROM (SELECT setting, id, its_effect(d, y, intervention ORDER BY random())::text AS a,
                                        its_effect(d, y, intervention ORDER BY d DESC)::text AS b
                                 FROM whole GROUP BY setting, id) s WHERE a <> b),
          0::bigint, 'its_effect gives the same result whatever the row order');
SELECT is((SELECT count(*) FROM (SELECT setting, id, its_effect(d, y, intervention)::text AS a FROM whole GROUP BY setting, id) x
                           JOIN (SELECT setting, id, its_effect(d + k, y / 2, intervention)::text AS b
                                 FROM whole, generate_series(0, 1) AS k GROUP BY setting, id) y USING (setting, id)
           WHERE a <> b),
          0::bigint, 'two rows of half the value in a month fit as one row');
SELECT is((SELECT count(*) FROM (SELECT setting, id, its_effect(d, y, intervention) AS a,
                                        its_effect(d, y, intervention) FILTER (WHERE m <> 5) AS b FROM whole GROUP BY setting, id) s
           WHERE (b).months_before <> (a).months_before - 1 OR (b).first_month <> (a).first_month),
          0::bigint, 'a missing month is left out, not a zero');
SELECT is((SELECT count(*) FROM (SELECT its_effect(d, y * 1000, intervention) AS a, its_effect(d, y, intervention) AS b
                                 FROM whole GROUP BY setting, id) s
           WHERE abs((a).level_change / 1000 - (b).level_change) > 1e-6 * (1 + abs((b).level_change))
              OR abs((a).level_se / 1000 - (b).level_se) > 1e-6 * (b).level_se OR abs((a).rho - (b).rho) > 1e-6),
          0::bigint, 'values in kronor or in öre (× 1000) give the same fit, scaled');

-- ---------- bad input: SQLSTATEs ----------
CREATE TEMP TABLE s48 AS SELECT d, y FROM whole WHERE setting = 'rho 0' AND id = 1;
SELECT throws_ok(q, code, NULL, why)
FROM (VALUES
  ($$SELECT its_effect(d, y, NULL) FROM s48$$, '22004', 'a NULL intervention is 22004'),
  ($$SELECT its_effect(d, y, 'infinity') FROM s48$$, '22023', 'an infinite intervention is 22023'),
  ($$SELECT its_effect(d, y, '4713-01-01 BC') FROM s48$$, '22023', 'an intervention before year 1 is 22023'),
  ($$SELECT its_effect(d, y, CASE WHEN d < '2019-01-01' THEN date '2020-01-01' ELSE date '2020-02-01' END) FROM s48$$,
   '22023', 'an intervention differing between rows is 22023'),
  ($$SELECT its_effect(d, y, '2017-12-31') FROM s48$$, '22023', 'an intervention before the first month is 22023'),
  ($$SELECT its_effect(d, y, '2022-01-01') FROM s48$$, '22023', 'an intervention after the last month is 22023'),
  ($$SELECT its_effect(d, y, '2018-04-30') FROM s48$$, '22023', 'three months before the intervention is 22023'),
  ($$SELECT its_effect(d, y, '2021-10-01') FROM s48$$, '22023', 'three months from the intervention on is 22023'),
  ($$SELECT its_effect(d, y, '2018-05-01') FROM s48 WHERE d < '2018-08-01'$$, '22023', 'a series of seven months is 22023'),
  ($$SELECT its_effect(d, 'NaN', '2020-01-01') FROM s48$$, '22023', 'a NaN value is 22023'),
  ($$SELECT its_effect(d, CASE WHEN d = '2019-03-01' THEN '-infinity' ELSE y END, '2020-01-01') FROM s48$$,
   '22023', 'an infinite value is 22023'),
  ($$SELECT its_effect(CASE WHEN d = '2019-03-01' THEN 'infinity' ELSE d END, y, '2020-01-01') FROM s48$$,
   '22023', 'an infinite period is 22023'),
  ($$SELECT its_effect(CASE WHEN d = '2019-03-01' THEN '10000-03-01' ELSE d END, y, '2020-01-01') FROM s48$$,
   '22023', 'a period after year 9999 is 22023'),
  ($$SELECT its_effect(d, 1.5e308, '2020-01-01') FROM s48, generate_series(1, 2)$$, '22003', 'a month summing to infinity is 22003'),
  ($$SELECT its_effect(d, y, '2020-01-01') FROM (SELECT d, y FROM s48 UNION ALL SELECT '1900-01-01', 1) s$$,
   '54000', 'a span over 1200 months is 54000')
) v(q, code, why);
SELECT is((SELECT its_effect(d, NULL, '2020-01-01') FROM s48), NULL, 'no row with a value: NULL');
SELECT is((SELECT its_effect(NULL, y, '2020-01-01') FROM s48), NULL, 'no row with a period: NULL');
SELECT is((SELECT its_effect(d, y, '2020-01-01') FROM s48 WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT count(*) FROM (SELECT its_effect(d, y, '2020-01-01') AS a, its_effect(d, y * 1e300, '2020-01-01') AS b,
                                        its_effect(d, y * 1e-300, '2020-01-01') AS c FROM s48) s
           WHERE abs((b).level_change / 1e300 / (a).level_change - 1) > 1e-6 OR abs((c).level_change / 1e-300 / (a).level_change - 1) > 1e-6
              OR abs((b).level_se / 1e300 / (a).level_se - 1) > 1e-6 OR abs((c).level_se / 1e-300 / (a).level_se - 1) > 1e-6),
          0::bigint, 'values near the float8 limits (× 1e300, × 1e-300) fit without overflow or underflow');

-- ---------- crafted serialized states: 22P03, never a crash ----------
CREATE FUNCTION pg_temp.its_deser(bytea, int8) RETURNS int8
  AS '$libdir/actionplan', 'its_deserialize' LANGUAGE C STRICT;
-- version, intervention (days from 2000-01-01), first month (year * 12 + month - 1), months, then count and sum per month
CREATE FUNCTION pg_temp.its_state(ver int, iv int, first int, n int, months bytea) RETURNS bytea
  LANGUAGE sql AS $$ SELECT set_byte('\x00'::bytea, 0, ver) || int4send(iv) || int4send(first) || int4send(n) || months $$;
CREATE FUNCTION pg_temp.mon(c int8, s float8) RETURNS bytea
  LANGUAGE sql AS $$ SELECT int8send(c) || float8send(s) $$;
SELECT lives_ok($$SELECT pg_temp.its_deser(pg_temp.its_state(1, 8217, 24264, 2, pg_temp.mon(1, 5) || pg_temp.mon(0, 0)), 0)$$,
                'a well-formed state is read');
SELECT throws_ok(format('SELECT pg_temp.its_deser(%L::bytea, 0)', b), '22P03', NULL, why)
FROM (VALUES
  ('\x'::bytea, 'an empty state'),
  (pg_temp.its_state(2, 8217, 24264, 1, pg_temp.mon(1, 5)), 'version 2'),
  (substr(pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(1, 5)), 1, 20), 'a state cut in its month'),
  (substr(pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(1, 5)), 1, 7), 'a state cut in its first month index'),
  (pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(1, 5)) || '\x00'::bytea, 'a byte too many'),
  (pg_temp.its_state(1, 2147483647, 24264, 1, pg_temp.mon(1, 5)), 'an infinite intervention'),
  (pg_temp.its_state(1, -800000, 24264, 1, pg_temp.mon(1, 5)), 'an intervention before year 1'),
  (pg_temp.its_state(1, 8217, 24264, -1, ''), 'a negative number of months'),
  (pg_temp.its_state(1, 8217, 24264, 1201, ''), 'more months than the limit'),
  (pg_temp.its_state(1, 8217, 24264, 1000000, pg_temp.mon(1, 5)), 'a million months in 16 bytes'),
  (pg_temp.its_state(1, 8217, 11, 1, pg_temp.mon(1, 5)), 'a first month before year 1'),
  (pg_temp.its_state(1, 8217, 9999 * 12 + 11, 2, pg_temp.mon(1, 5) || pg_temp.mon(1, 5)), 'months after year 9999'),
  (pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(-1, 5)), 'a negative count'),
  (pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(0, 5)), 'a sum without rows'),
  (pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(1, 'NaN')), 'a NaN sum'),
  (pg_temp.its_state(1, 8217, 24264, 1, pg_temp.mon(1, 'Infinity')), 'an infinite sum')
) v(b, why);

-- ---------- forced parallel plans equal serial results (its_par is made before
-- the transaction: parallel workers cannot read a temp table) ----------
\ir lib/parallel.psql
CREATE TEMP TABLE queries (name text, q text);
INSERT INTO queries VALUES
  ('its_effect per group', $$SELECT g, its_effect(d, v, '2020-07-01')::text FROM its_par GROUP BY g$$),
  ('its_effect, one group', $$SELECT its_effect(d, v, '2020-07-01')::text FROM its_par$$);
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT name, pg_temp.result_of(q) AS result FROM queries;
\ir lib/check_parallel.psql

SELECT * FROM finish();
ROLLBACK;
DROP TABLE its_par;
