-- Placement forecasts: the expected care days and cost of placements after
-- as_of up to and including until — stays open at as_of by the survival
-- curve of the group's stays, new stays by the inflow's level, trend and
-- season fitted to the last twenty years and a trend of their daily cost to
-- the last five — with a 95 % interval; the year view (outcome so far +
-- forecast).  The model and its interval: src/placement.c.
--
-- placement_forecast(stay, daily_cost, as_of, until) sees the table as it
-- was known at as_of:
--   start > as_of                        left out (not known yet);
--   end <= as_of                         ended: a length for the curve;
--   in care on as_of (no end, an end
--   'infinity' or any end after as_of)   open: its recorded end is not used;
--   empty range                          left out;
--   NULL stay, daily_cost, as_of or until  the row is skipped (NULL if all are);
--   no start, negative daily cost,
--   infinite as_of or until, until not
--   after as_of, more than ten years
--   ahead, a stay over 100 years, as_of
--   or until differing in a group        ERROR 22023.
-- The forecast covers the days as_of + 1 .. until: H = until - as_of days.

CREATE TYPE placement_forecast_result AS (
  as_of date,               -- the last day of known data
  until date,               -- the last day forecast
  open_stays bigint,        -- stays in care on as_of
  committed_days float8,    -- their expected care days after as_of
  committed_cost sek,       -- and cost (each at its own daily cost)
  arrivals_12m bigint,      -- stays that started in the 12 months up to as_of
  new_daily_cost sek,       -- expected cost per care day of the new stays (NULL without)
  season float8,            -- the inflow after as_of ÷ the 12 months' rate (NULL without arrivals)
  new_stays float8,         -- expected arrivals after as_of
  new_days float8,          -- their expected care days up to until
  new_cost sek,             -- and cost
  care_days float8,         -- committed + new
  persons_per_day float8,   -- care days ÷ H (snitt per dygn)
  cost_per_care_day sek,    -- cost ÷ care days (NULL without care days)
  cost sek,                 -- committed + new
  cost_sd float8,           -- standard deviation of cost, kronor
  cost_lo sek,              -- 95 % interval of cost
  cost_hi sek
);
COMMENT ON TYPE placement_forecast_result IS 'A placement forecast for the days after as_of up to and including until: stays open at as_of (open_stays, committed_days, committed_cost), new stays (arrivals_12m, new_daily_cost: their expected cost per care day, season: their inflow ÷ the 12 months'' rate, new_stays, new_days, new_cost), the totals (care_days, persons_per_day, cost_per_care_day, cost) and the cost''s standard deviation (kronor) and 95 % interval.';

CREATE FUNCTION placement_forecast_accum(internal, daterange, sek, date, date) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION placement_forecast_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION placement_forecast_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION placement_forecast_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION placement_forecast_final(internal) RETURNS placement_forecast_result
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION placement_forecast_accum(internal, daterange, sek, date, date) IS 'placement_forecast transition: count a stay as ended (its length) or open at as_of (its elapsed days and daily cost), and as an arrival of the 12 months up to as_of.';
COMMENT ON FUNCTION placement_forecast_combine(internal, internal) IS 'placement_forecast combine: add the counts of two partial states (parallel aggregation).';
COMMENT ON FUNCTION placement_forecast_serialize(internal) IS 'placement_forecast state to bytea (parallel aggregation).';
COMMENT ON FUNCTION placement_forecast_deserialize(bytea, internal) IS 'placement_forecast state from bytea, validated: a malformed one is ERROR 22P03.';
COMMENT ON FUNCTION placement_forecast_final(internal) IS 'placement_forecast final: the Kaplan–Meier curve, the expected further days of each open stay, the new stays and the interval.';

CREATE AGGREGATE placement_forecast(stay daterange, daily_cost sek, as_of date, until date) (
  SFUNC = placement_forecast_accum, STYPE = internal,
  FINALFUNC = placement_forecast_final,
  COMBINEFUNC = placement_forecast_combine,
  SERIALFUNC = placement_forecast_serialize, DESERIALFUNC = placement_forecast_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE placement_forecast(daterange, sek, date, date) IS 'Forecast of the care days and cost of placements on the days after as_of up to and including until, as known at as_of: each stay in care on as_of by its expected further days from the Kaplan–Meier curve of the group''s stays (given how long it has lasted) at its daily cost, plus new stays at the inflow''s level and trend on as_of from a local-level filter (a random walk with a drift that may walk too, their variances by likelihood) over the last twenty years'' arrivals in 30-day bins, back to a year without arrivals (with fewer than three years: the rate of the 12 months up to as_of and the shrunk trend of the yearly counts) times a season fitted to those arrivals beside their trend, at the trend of the last five years'' daily costs, lasting as the curve says; with a 95 % interval (exits, Poisson arrivals, the estimated level, inflow trend, cost trend and season, the curve, and the level''s random walk after as_of). Rows with a NULL argument are skipped; see placement_forecast_result.';

CREATE FUNCTION placement_rollup_accum(internal, placement_forecast_result) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION placement_rollup_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION placement_rollup_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION placement_rollup_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION placement_rollup_final(internal) RETURNS placement_forecast_result
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION placement_rollup_accum(internal, placement_forecast_result) IS 'rollup(placement_forecast_result) transition: add one forecast.';
COMMENT ON FUNCTION placement_rollup_combine(internal, internal) IS 'rollup(placement_forecast_result) combine (parallel aggregation).';
COMMENT ON FUNCTION placement_rollup_serialize(internal) IS 'rollup(placement_forecast_result) state to bytea (parallel aggregation).';
COMMENT ON FUNCTION placement_rollup_deserialize(bytea, internal) IS 'rollup(placement_forecast_result) state from bytea, checked (ERROR 22P03).';
COMMENT ON FUNCTION placement_rollup_final(internal) IS 'rollup(placement_forecast_result) final: totals, ratios and the interval of the sum.';

CREATE AGGREGATE rollup(placement_forecast_result) (
  SFUNC = placement_rollup_accum, STYPE = internal,
  FINALFUNC = placement_rollup_final,
  COMBINEFUNC = placement_rollup_combine,
  SERIALFUNC = placement_rollup_serialize, DESERIALFUNC = placement_rollup_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(placement_forecast_result) IS 'Add forecasts of disjoint groups (categories, units) with the same as_of and until into one: counts, days and costs summed, ratios and season recomputed, variances added (the groups taken as independent) for the interval. NULLs skipped; differing dates are ERROR 22023.';

-- the year view: the outcome so far (a census up to as_of) and the forecast after it

CREATE TYPE placement_outlook_result AS (
  period daterange,         -- the census's first day .. until
  outcome_days bigint,      -- care days of the census (known)
  outcome_cost sek,         -- cost of the census (known)
  forecast_days float8,     -- expected care days after as_of
  forecast_cost sek,        -- expected cost after as_of
  care_days float8,         -- outcome + forecast
  persons_per_day float8,   -- care days ÷ days of the period
  cost_per_care_day sek,    -- cost ÷ care days
  cost sek,                 -- outcome + forecast (helårsprognos)
  cost_lo sek,              -- outcome + the forecast's 95 % interval
  cost_hi sek
);
COMMENT ON TYPE placement_outlook_result IS 'Outcome so far plus forecast for a whole period (normally the year): the known care days and cost, the forecast ones, and the totals with persons per day, cost per care day and a 95 % interval.';

CREATE FUNCTION placement_outlook(outcome census, forecast placement_forecast_result)
  RETURNS placement_outlook_result
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  r @extschema@.placement_outlook_result;
  p daterange;
BEGIN
  IF outcome IS NULL OR forecast IS NULL THEN
    RETURN NULL;
  END IF;
  p := @extschema@.period(outcome);
  IF upper(p) <> forecast.as_of + 1 THEN
    RAISE EXCEPTION 'placement_outlook: the outcome % does not end on as_of %', p, forecast.as_of
      USING ERRCODE = '22023',
            HINT = 'Take the census up to and including as_of: census(stay, daily_cost, daterange(first_day, as_of + 1)).';
  END IF;
  r.period := daterange(lower(p), forecast.until + 1);
  r.outcome_days := @extschema@.care_days(outcome);
  r.outcome_cost := @extschema@.cost(outcome);
  r.forecast_days := forecast.care_days;
  r.forecast_cost := forecast.cost;
  r.care_days := r.outcome_days + forecast.care_days;
  r.persons_per_day := r.care_days / (upper(r.period) - lower(r.period));
  r.cost := r.outcome_cost OPERATOR(@extschema@.+) forecast.cost;
  r.cost_per_care_day := CASE WHEN r.care_days > 0 THEN r.cost OPERATOR(@extschema@./) r.care_days END;
  r.cost_lo := r.outcome_cost OPERATOR(@extschema@.+) forecast.cost_lo;
  r.cost_hi := r.outcome_cost OPERATOR(@extschema@.+) forecast.cost_hi;
  RETURN r;
END
$fn$;
COMMENT ON FUNCTION placement_outlook(census, placement_forecast_result) IS 'The year view: a census of the outcome up to and including as_of (e.g. 1 January .. as_of) plus a placement_forecast from as_of to until: care days, persons per day, cost per care day and cost of the whole period, the interval being the outcome plus the forecast''s. The census must end on as_of (else ERROR 22023); NULL if either is NULL.';
