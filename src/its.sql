-- Interrupted time series: its_effect(period, value, intervention), the level
-- and trend change of a monthly series after a measure, with 95 % intervals.
--
-- The series: values summed per calendar month of period; months without
-- rows are missing (not zero).  Rows with a NULL period or value are skipped
-- (no row with both: NULL).  The intervention is the day the measure took
-- effect, the same on every row of a group; its month is the first month
-- "after", whatever the day (a measure from 15 March counts all of March as
-- after: pass '2024-04-01' to count March as before, or filter March out).
--
-- Model, t = months since the intervention month, after = (t >= 0):
--   y = b0 + b1 t + b2 after + b3 t after [+ month-of-year effects] + e,
--   e stationary AR(1) over months (a gap of k months: correlation rho^k),
-- generalised least squares with rho by REML (as R's nlme::gls with
-- corAR1(form = ~ t), method = "REML"); t quantiles with n - p degrees of
-- freedom (n observed months, p = 4, or 15 with month-of-year effects).
-- Month-of-year effects are modelled when there are >= 24 observed months and
-- every calendar month is observed at least twice.
-- Errors: NULL intervention 22004; intervention not finite, differing
-- between rows, outside the months with values, fewer than 4 observed months
-- before it or from it on, NaN/infinite value, period outside years
-- 1..9999 22023; a month summing to infinity 22003; a span over 1200 months
-- 54000; a malformed serialized state 22P03.

CREATE TYPE its_effect_result AS (
  intervention date,        -- first day of the intervention month (the first month after)
  first_month date,         -- first and last month with values
  last_month date,
  months_before integer,    -- observed months before the intervention month
  months_after integer,     -- observed months from the intervention month on
  seasonal boolean,         -- month-of-year effects modelled
  rho float8,               -- AR(1) autocorrelation of the monthly errors (REML)
  sigma float8,             -- standard deviation of the errors around the fitted line
  level_change float8,      -- b2: jump at the intervention month (after − before)
  level_se float8,          -- standard error (Kenward–Roger)
  level_df float8,          -- degrees of freedom of its t quantile (Satterthwaite)
  level_lo float8,          -- 95 % interval
  level_hi float8,
  trend_change float8,      -- b3: change of the slope, per month
  trend_se float8,
  trend_df float8,           -- below 3: the trend change is not determined by the series (see the type's COMMENT)
  trend_lo float8,
  trend_hi float8,
  pre_trend float8,         -- b1: the slope before, per month
  pre_trend_lo float8,
  pre_trend_hi float8,
  effect_last float8,       -- b2 + b3 (last_month − intervention): effect in the last month
  effect_last_lo float8,
  effect_last_hi float8,
  effect_total float8,      -- the effect summed over the months intervention .. last_month
  effect_total_lo float8,
  effect_total_hi float8
);
COMMENT ON TYPE its_effect_result IS 'Result of its_effect: the intervention month, the series'' first and last months, observed months before and after, whether month-of-year effects were modelled, the AR(1) rho, residual df and sigma; the level change and trend change (per month) with standard errors and 95 % intervals; the trend before; the effect in the last month and summed over the months from the intervention to the last one, with 95 % confidence intervals (of the modelled effect, not prediction intervals). A trend_df below 3 is a warning: on a smooth series (e.g. persons per day, rho about 0,8, with 24 months after) the trend change''s interval still covers 95 % but is too wide to tell anything; report the level change (its df stays about 20), use a longer series (48 months before and 48 after: median trend_df about 4, a fifth of the width), or measure the stays by stay_effect (docs/effect_calibration.md).';

CREATE FUNCTION its_accum(internal, date, float8, date) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION its_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION its_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION its_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION its_final(internal) RETURNS its_effect_result
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION its_accum(internal, date, float8, date) IS 'its_effect transition: add the value to its month''s sum (NULL period or value skipped; NULL intervention 22004; NaN or infinite value, or an intervention differing from the group''s, 22023).';
COMMENT ON FUNCTION its_combine(internal, internal) IS 'its_effect combine: merge partial monthly sums (parallel aggregation); the interventions must agree.';
COMMENT ON FUNCTION its_serialize(internal) IS 'its_effect state to bytea: version, intervention, first month, count and sum per month.';
COMMENT ON FUNCTION its_deserialize(bytea, internal) IS 'its_effect state from bytea, validated (ERROR 22P03).';
COMMENT ON FUNCTION its_final(internal) IS 'its_effect final: segmented regression with AR(1) errors by REML on the monthly series; NULL when no row had a period and a value.';

CREATE AGGREGATE its_effect(period date, value float8, intervention date) (
  SFUNC = its_accum, STYPE = internal,
  FINALFUNC = its_final,
  COMBINEFUNC = its_combine,
  SERIALFUNC = its_serialize, DESERIALFUNC = its_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE its_effect(date, float8, date) IS 'Interrupted time series on a monthly series (values summed per calendar month of period): the level change and trend change from the intervention''s month on, adjusted for month-of-year effects (with >= 24 observed months, each calendar month twice), by generalised least squares with AR(1) errors (rho by REML), 95 % intervals with t quantiles; see its_effect_result. At least 4 observed months before and 4 from the intervention on.';

CREATE FUNCTION its_accum(internal, date, sek, date) RETURNS internal
  AS 'MODULE_PATHNAME', 'its_accum_sek' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION its_accum(internal, date, sek, date) IS 'its_effect(date, sek, date) transition: add the amount in kronor to its month''s sum.';

CREATE AGGREGATE its_effect(period date, value sek, intervention date) (
  SFUNC = its_accum, STYPE = internal,
  FINALFUNC = its_final,
  COMBINEFUNC = its_combine,
  SERIALFUNC = its_serialize, DESERIALFUNC = its_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE its_effect(date, sek, date) IS 'its_effect over amounts: the same result as its_effect(period, value::float8, intervention) (kronor).';
