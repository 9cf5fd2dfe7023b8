-- statistical forecasts of monthly series: ETS, theta, damped trend, comb.
--
-- A series is one value per month: the rows' values are summed by the
-- calendar month of their period (so ledger entries can be fed directly),
-- rows with a NULL period or value are skipped, and months with no rows
-- between the first and the last are missing values, not zeros (give zero
-- months a zero row).  At least 6 observed months are needed, 24 for a
-- seasonal model; at most 1200 months of span.
--
-- forecast_model text form: a header, then each component after '|', as
-- key=value tokens with every number in its shortest exact form:
--   method=ets first=2021-01 last=2023-08 n=32 ytd_months=8 ytd=1234.5
--   | kind=ets model=MAdM n=32 alpha=.. beta=.. gamma=.. phi=.. level=..
--     slope=.. drift=0 offset=0 sigma2=.. aicc=.. season=s1,...,s12
-- where season lists the seasonal states (ETS) or adjustment indices (theta,
-- damped) of January .. December.

CREATE TYPE forecast_model;

CREATE FUNCTION forecast_model_in(cstring) RETURNS forecast_model
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forecast_model_out(forecast_model) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forecast_model_recv(internal) RETURNS forecast_model
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forecast_model_send(forecast_model) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE forecast_model (
  INPUT = forecast_model_in, OUTPUT = forecast_model_out,
  RECEIVE = forecast_model_recv, SEND = forecast_model_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);

COMMENT ON TYPE forecast_model IS 'A fitted forecast model of a monthly series (ETS, theta, damped trend or their combination) with the last observed month and this year''s outcome so far; store it and call forecast() or year_end() later. Text: method=... first=YYYY-MM last=YYYY-MM n=.. ytd_months=.. ytd=.. | kind=.. model=.. parameters and states.';
COMMENT ON FUNCTION forecast_model_in(cstring) IS 'Text input of forecast_model: the key=value form written by its output, every key once, values checked (ERROR 22P02 with what is wrong).';
COMMENT ON FUNCTION forecast_model_out(forecast_model) IS 'Text output of forecast_model: header and components as key=value, numbers in shortest exact form (round-trips).';
COMMENT ON FUNCTION forecast_model_recv(internal) IS 'Binary input of forecast_model, validated like text input (ERROR 22P03).';
COMMENT ON FUNCTION forecast_model_send(forecast_model) IS 'Binary output of forecast_model: version 1, header, then each component''s fields in text order (network order).';

-- aggregate support: the state holds monthly sums and counts

CREATE FUNCTION forecast_series_accum(internal, date, float8) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forecast_series_accum(internal, date, float8, text) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forecast_series_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forecast_series_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forecast_series_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION forecast_series_final(internal) RETURNS forecast_model
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION forecast_series_accum(internal, date, float8) IS 'ets_fit transition: add the value to its month''s sum (NULL period or value skipped; NaN or infinite value ERROR 22023).';
COMMENT ON FUNCTION forecast_series_accum(internal, date, float8, text) IS 'forecast_fit transition: add the value to its month''s sum; the method must be known and the same on every row (else ERROR 22023; NULL 22004).';
COMMENT ON FUNCTION forecast_series_combine(internal, internal) IS 'Forecast series aggregates: merge partial monthly sums (parallel aggregation).';
COMMENT ON FUNCTION forecast_series_serialize(internal) IS 'Forecast series aggregates: state to bytea (method, first month, count and sum per month).';
COMMENT ON FUNCTION forecast_series_deserialize(bytea, internal) IS 'Forecast series aggregates: state from bytea, validated (ERROR 22P03).';
COMMENT ON FUNCTION forecast_series_final(internal) IS 'Forecast series aggregates: fit the method to the monthly series; NULL when no row had a value.';

CREATE AGGREGATE ets_fit(period date, value float8) (
  SFUNC = forecast_series_accum, STYPE = internal,
  FINALFUNC = forecast_series_final,
  COMBINEFUNC = forecast_series_combine,
  SERIALFUNC = forecast_series_serialize, DESERIALFUNC = forecast_series_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE ets_fit(date, float8) IS 'Exponential smoothing of a monthly series (values summed per calendar month of period): the ETS model of Hyndman''s taxonomy (additive or multiplicative error; no, additive or damped trend; no, additive or multiplicative season) with the smallest AICc, parameters by maximum likelihood. Same as forecast_fit(period, value, ''ets''). Fewer than 6 observed months or a span over 1200 months is an ERROR.';

CREATE AGGREGATE forecast_fit(period date, value float8, method text) (
  SFUNC = forecast_series_accum, STYPE = internal,
  FINALFUNC = forecast_series_final,
  COMBINEFUNC = forecast_series_combine,
  SERIALFUNC = forecast_series_serialize, DESERIALFUNC = forecast_series_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE forecast_fit(date, float8, text) IS 'Fit a monthly series (values summed per calendar month of period) by method: ''ets'' (ETS chosen by AICc), ''ets(E,T,S)'' (one ETS model, e.g. ''ets(A,Ad,N)''), ''theta'' (the theta method: SES with half the linear drift on the seasonally adjusted series), ''damped'' (damped trend on the seasonally adjusted series) or ''comb'' (equal-weight mean of ets, theta and damped: points and interval bounds averaged).';

-- the same over sek values (kronor, as amount::float8 gives them), so a
-- ledger's amount column is fitted without a cast

CREATE FUNCTION forecast_series_accum(internal, date, sek) RETURNS internal
  AS 'MODULE_PATHNAME', 'forecast_series_accum_sek' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION forecast_series_accum(internal, date, sek, text) RETURNS internal
  AS 'MODULE_PATHNAME', 'forecast_series_accum_sek' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION forecast_series_accum(internal, date, sek) IS 'ets_fit(date, sek) transition: add the amount in kronor to its month''s sum (NULL period or value skipped).';
COMMENT ON FUNCTION forecast_series_accum(internal, date, sek, text) IS 'forecast_fit(date, sek, text) transition: add the amount in kronor to its month''s sum; the method must be known and the same on every row (else ERROR 22023; NULL 22004).';

CREATE AGGREGATE ets_fit(period date, value sek) (
  SFUNC = forecast_series_accum, STYPE = internal,
  FINALFUNC = forecast_series_final,
  COMBINEFUNC = forecast_series_combine,
  SERIALFUNC = forecast_series_serialize, DESERIALFUNC = forecast_series_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE ets_fit(date, sek) IS 'ets_fit over amounts: the same model as ets_fit(period, value::float8) (kronor).';

CREATE AGGREGATE forecast_fit(period date, value sek, method text) (
  SFUNC = forecast_series_accum, STYPE = internal,
  FINALFUNC = forecast_series_final,
  COMBINEFUNC = forecast_series_combine,
  SERIALFUNC = forecast_series_serialize, DESERIALFUNC = forecast_series_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE forecast_fit(date, sek, text) IS 'forecast_fit over amounts: the same model as forecast_fit(period, value::float8, method) (kronor), e.g. forecast_fit(entry_date, amount, ''comb'').';

-- The fit of a series gathered beforehand (one row a key): runs where the
-- row is read, in the workers of a parallel scan; the aggregate's final
-- function runs in the leader.  Its cost tells the planner a fit is dear.
CREATE FUNCTION forecast_fit(months date[], "values" float8[], method text DEFAULT 'comb') RETURNS forecast_model
  AS 'MODULE_PATHNAME', 'forecast_fit_arrays' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000;
COMMENT ON FUNCTION forecast_fit(date[], float8[], text) IS 'The model forecast_fit(period, value, method) fits, from a series gathered into two arrays of the same length (months[i] dated in the month of values[i]; a NULL element skipped, values of one month summed), e.g. a table of one row per key filled by array_agg. The fit runs in the workers of a parallel scan over such a table (the aggregate fits in the leader): SELECT key, forecast_fit(months, values, ''comb'') FROM series. NULL arrays or no observed month give NULL; arrays of different lengths or more than one dimension are ERROR 2202E, a NULL method 22004, an unknown method, a value that is not finite or a date that is not 22023, a series longer than the aggregate takes 54000.';

CREATE FUNCTION forecast(model forecast_model, horizon integer,
                         OUT period date, OUT point float8, OUT lo80 float8, OUT hi80 float8,
                         OUT lo95 float8, OUT hi95 float8) RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'forecast_model_forecast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 18;
COMMENT ON FUNCTION forecast(forecast_model, integer) IS 'Forecast the horizon months after the model''s last month: the first day of each month, the point forecast and 80 % and 95 % prediction intervals (analytic with t quantiles for additive errors, 4000 simulated paths from a fixed seed for multiplicative ones), widened by the model''s calibration factor (from refits on the series less its last 18 and 9 months: docs/forecast_intervals.md; none in models of 0.1.0). Horizon outside 1..600 is ERROR 22023.';

CREATE FUNCTION year_end(model forecast_model,
                         OUT year integer, OUT outcome float8, OUT months integer, OUT remaining integer,
                         OUT point float8, OUT lo80 float8, OUT hi80 float8,
                         OUT lo95 float8, OUT hi95 float8) RETURNS record
  AS 'MODULE_PATHNAME', 'forecast_model_year_end' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION year_end(forecast_model) IS 'Year-end forecast (helårsprognos) of the calendar year of the model''s last month: outcome = sum of its observed months (months = how many), plus the forecast sum of the remaining months, with 80 % and 95 % intervals for the sum (errors of later months depend on earlier ones and are accounted for).';

CREATE FUNCTION year_end(model forecast_model, year integer,
                         OUT year integer, OUT outcome float8, OUT months integer, OUT remaining integer,
                         OUT point float8, OUT lo80 float8, OUT hi80 float8,
                         OUT lo95 float8, OUT hi95 float8) RETURNS record
  AS 'MODULE_PATHNAME', 'forecast_model_year_end' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION year_end(forecast_model, integer) IS 'Year-end forecast of a given calendar year: the year of the model''s last month (as year_end(model)) or a later one, whose outcome so far is 0 and whose twelve months are all forecast (the months in between are forecast but not counted). An earlier year, or one more than 600 months ahead, is ERROR 22023.';

CREATE FUNCTION model_name(model forecast_model) RETURNS text
  AS 'MODULE_PATHNAME', 'forecast_model_name' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION model_name(forecast_model) IS 'The fitted model in words: ''ETS(M,Ad,M)'', ''theta'', ''damped'' or ''comb(ETS(A,N,A), theta, damped)''.';
