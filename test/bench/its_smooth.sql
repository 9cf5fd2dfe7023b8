-- its_effect on smooth series (docs/effect_calibration.md; not part of
-- `make test`): NSIM series of AR(1) noise with autocorrelation RHO in each of
-- five lengths (24 + 24 .. 48 + 72 months), level change -5 and trend change
-- -0.3 a month, fitted by its_effect; median trend_df, share below 3,
-- coverage and median width of the trend and level intervals, and of
-- effect_last.  Run on a database with the extension's files installed:
--   psql -X -d DB -v nsim=200 -v rho=0.8 -f test/bench/its_smooth.sql
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS actionplan;
SELECT setseed(0.19);
DROP TABLE IF EXISTS its_settings;
CREATE TABLE its_settings AS SELECT setting, :nsim AS nsim, n_before, n_after, :rho::float8 AS rho, false AS gaps, -5.0 AS level, -0.3 AS trend
FROM (VALUES ('a 24+24',24,24),('b 24+36',24,36),('c 24+48',24,48),('d 48+48',48,48),('e 48+72',48,72)) v(setting,n_before,n_after);
\i test/lib/its_sim.sql
CREATE TEMP TABLE fit AS SELECT setting, id, its_effect(d, y, intervention) r FROM its_sim GROUP BY setting, id;
SELECT setting, count(*) n, round(percentile_cont(0.5) within group (order by (r).trend_df)::numeric,1) med_trend_df,
 round(100*avg(((r).trend_lo <= -0.3 AND -0.3 <= (r).trend_hi)::int),1) cover_trend,
 round(percentile_cont(0.5) within group (order by (r).trend_hi-(r).trend_lo)::numeric,3) med_trend_width,
 round(100*avg(((r).trend_df < 3)::int),1) "df<3 %",
 round(100*avg(((r).level_lo <= -5 AND -5 <= (r).level_hi)::int),1) cover_level,
 round(percentile_cont(0.5) within group (order by (r).level_df)::numeric,1) med_level_df,
 round(100*avg(((r).effect_last_lo <= -5 - 0.3*(s.n_after-1) AND -5 - 0.3*(s.n_after-1) <= (r).effect_last_hi)::int),1) cover_last,
 round(percentile_cont(0.5) within group (order by (r).effect_last_hi-(r).effect_last_lo)::numeric,2) med_last_width,
 round(avg((r).rho)::numeric,2) mean_rho
FROM fit JOIN its_settings s USING (setting) GROUP BY setting ORDER BY setting;
