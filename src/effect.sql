-- Measured effects of placements: stay_effect (care days and cost saved by
-- treated stays against comparable untreated ones, by restricted mean stay
-- length), net_effect (the saving less the measure's own cost, per person)
-- and alternative_cost (own care days priced at an external price against
-- the own cost).  The method: src/effect.c; what it assumes: README.md,
-- "Measured effects of placements".
--
-- stay_effect(stay, daily_cost, treated, as_of [, horizon_days]) sees the
-- stays as stay_survival does:
--   end <= as_of                          ended: an event at end - start days;
--   no end, 'infinity' or end > as_of     open: censored at as_of - start days;
--   start > as_of, empty range            left out;
--   NULL stay, treated or as_of           the row is skipped (NULL if all are);
--   NULL daily_cost                       the stay counts, its cost does not
--                                         (cost columns NULL if no treated
--                                         stay has one);
--   NULL horizon_days                     the default horizon (the median
--                                         of as_of - start over
--                                         both groups, cut to where both
--                                         curves are known);
--   no start, negative daily cost,
--   infinite as_of, a stay over 100
--   years, as_of or horizon differing
--   in a group, horizon outside 1 ..
--   36525 or beyond a group's follow-up,
--   no treated or no untreated stays      ERROR 22023.

CREATE TYPE stay_effect_result AS (
  as_of date,                 -- the day the stays are seen from
  tau integer,                -- horizon: stay lengths are counted up to tau days (default: median of as_of - start)
  n_treated bigint,           -- treated stays started by as_of
  treated_open bigint,        -- of them still open at as_of (censored)
  n_untreated bigint,         -- untreated stays started by as_of
  untreated_open bigint,      -- of them still open at as_of
  rmst_treated float8,        -- restricted mean stay length of the treated stays, days
  rmst_treated_se float8,     -- its standard error (R survfit's se(rmean) × √(m/(m-1)), m the stays ended by tau)
  rmst_treated_lo float8,     -- 95 % interval (clipped to [0, tau])
  rmst_treated_hi float8,
  rmst_untreated float8,      -- the same for the untreated stays (the baseline)
  rmst_untreated_se float8,
  rmst_untreated_lo float8,
  rmst_untreated_hi float8,
  days_saved_per_stay float8, -- rmst_untreated - rmst_treated
  days_saved float8,          -- n_treated × days_saved_per_stay
  days_saved_se float8,       -- n_treated × √(se_treated² + se_untreated²)
  days_saved_lo float8,       -- 95 % interval
  days_saved_hi float8,
  n_costed bigint,            -- treated stays with a daily cost
  daily_cost sek,             -- their mean daily cost, rounded to the öre
  cost_saved sek,             -- days_saved × daily_cost, rounded once
  cost_saved_lo sek,          -- days_saved_lo × daily_cost
  cost_saved_hi sek           -- days_saved_hi × daily_cost
);
COMMENT ON TYPE stay_effect_result IS 'The measured effect of a measure on stay lengths: the treated and untreated stays (and how many are still open), each group''s restricted mean stay length up to tau days with its standard error and 95 % interval, the care days saved per treated stay and in total with a 95 % interval, and the cost saved at the treated stays'' mean daily cost (sek, with the interval of the days).';

CREATE FUNCTION stay_effect_accum(internal, daterange, sek, boolean, date) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stay_effect_accum(internal, daterange, sek, boolean, date, integer) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stay_effect_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stay_effect_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stay_effect_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stay_effect_final(internal) RETURNS stay_effect_result
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION stay_effect_accum(internal, daterange, sek, boolean, date) IS 'stay_effect transition: count a stay as ended (its length) or open at as_of (censored at its elapsed days) in its group, and a treated stay''s daily cost.';
COMMENT ON FUNCTION stay_effect_accum(internal, daterange, sek, boolean, date, integer) IS 'stay_effect transition with a horizon in days (NULL: the default horizon).';
COMMENT ON FUNCTION stay_effect_combine(internal, internal) IS 'stay_effect combine: add the counts and cost sums of two partial states (parallel aggregation).';
COMMENT ON FUNCTION stay_effect_serialize(internal) IS 'stay_effect state to bytea (parallel aggregation).';
COMMENT ON FUNCTION stay_effect_deserialize(bytea, internal) IS 'stay_effect state from bytea, validated: a malformed one is ERROR 22P03.';
COMMENT ON FUNCTION stay_effect_final(internal) IS 'stay_effect final: the Kaplan–Meier curve of each group, their restricted means up to tau with Greenwood-type variances (times m/(m-1), m the stays ended by tau), days and cost saved with 95 % t intervals.';

CREATE AGGREGATE stay_effect(stay daterange, daily_cost sek, treated boolean, as_of date) (
  SFUNC = stay_effect_accum, STYPE = internal,
  FINALFUNC = stay_effect_final,
  COMBINEFUNC = stay_effect_combine,
  SERIALFUNC = stay_effect_serialize, DESERIALFUNC = stay_effect_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date) IS 'Care days and cost saved by the treated stays against the untreated stays of the group, seen at as_of (open stays censored there, later stays left out). Estimates n_treated × (RMST_untreated(tau) - RMST_treated(tau)): the days the treated stays would have lasted, counted up to tau days of each stay, at the untreated stays'' lengths, less their own; days after tau are not counted. tau is the median of the stays'' follow-up as_of - start (both groups; taken from the start days, not the lengths, so that it does not bias the estimate), cut to a group''s longest length unless its curve has fallen to 0 there. 95 % t interval from the Greenwood-type variances (R survfit''s for rmean) times the small-sample factor m/(m-1), m a group''s stays ended by tau, with Welch–Satterthwaite degrees of freedom (Welch''s interval when no stay is open); cost at the treated stays'' mean daily cost. Assumes comparable groups: see stay_effect_result and docs/effect_calibration.md.';

CREATE AGGREGATE stay_effect(stay daterange, daily_cost sek, treated boolean, as_of date, horizon_days integer) (
  SFUNC = stay_effect_accum, STYPE = internal,
  FINALFUNC = stay_effect_final,
  COMBINEFUNC = stay_effect_combine,
  SERIALFUNC = stay_effect_serialize, DESERIALFUNC = stay_effect_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date, integer) IS 'stay_effect with stay lengths counted up to a given horizon in days (1 .. 36525; NULL: the default, the median of as_of - start): estimates n_treated × (RMST_untreated(h) - RMST_treated(h)). A horizon beyond a group''s longest follow-up is ERROR 22023 unless that group''s curve has fallen to 0. Fix it in advance for reporting.';

-- net effect: the saving less the measure's own cost, in total and per person

CREATE TYPE net_effect_result AS (
  cost_saved sek,             -- the gross saving
  cost_saved_lo sek,          -- its 95 % interval (NULL when given as one figure)
  cost_saved_hi sek,
  own_cost sek,               -- the measure's own cost (e.g. counsellors), taken as known
  net sek,                    -- cost_saved - own_cost
  net_lo sek,                 -- 95 % interval (NULL when given as one figure)
  net_hi sek,
  persons bigint,             -- persons the measure reached
  net_per_person sek,         -- net ÷ persons, rounded to the öre
  net_per_person_lo sek,
  net_per_person_hi sek
);
COMMENT ON TYPE net_effect_result IS 'The net effect of a measure: gross saving, own cost, net saving and net saving per person, with 95 % intervals when the saving was measured by stay_effect.';

CREATE FUNCTION net_effect(cost_saved sek, own_cost sek, persons bigint) RETURNS net_effect_result
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  r @extschema@.net_effect_result;
BEGIN
  IF persons < 1 THEN
    RAISE EXCEPTION 'net_effect: % persons; a net effect per person needs at least one', persons
      USING ERRCODE = '22023',
            HINT = 'Give the number of persons the measure reached, e.g. 7 youths.';
  END IF;
  r.cost_saved := cost_saved;
  r.own_cost := own_cost;
  -- told beforehand, not caught: a subtransaction would make the function
  -- unsafe in parallel plans
  IF @extschema@.sek_to_numeric(cost_saved) OPERATOR(pg_catalog.-) @extschema@.sek_to_numeric(own_cost)
     NOT BETWEEN -92233720368547758.08 AND 92233720368547758.07 THEN
    RAISE EXCEPTION 'net_effect: cost saved % kr less own cost % kr is out of range for sek', cost_saved, own_cost
      USING ERRCODE = '22003',
            HINT = 'Amounts must lie within ±92 233 720 368 547 758,07 kr.';
  END IF;
  r.net := cost_saved OPERATOR(@extschema@.-) own_cost;
  r.persons := persons;
  r.net_per_person := r.net OPERATOR(@extschema@./) persons;
  RETURN r;
END
$fn$;
COMMENT ON FUNCTION net_effect(sek, sek, bigint) IS 'Net effect of a measure from given figures: cost_saved - own_cost, and per person (rounded to the öre); no interval (the _lo/_hi columns are NULL). persons below 1 is ERROR 22023, overflow 22003; NULL in, NULL out.';

CREATE FUNCTION net_effect(effect stay_effect_result, own_cost sek) RETURNS net_effect_result
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  r @extschema@.net_effect_result;
BEGIN
  IF effect.cost_saved IS NULL OR effect.n_treated IS NULL OR effect.n_treated < 1 THEN
    RAISE EXCEPTION 'net_effect: the effect has no cost saved (n_treated %, n_costed %)',
                    effect.n_treated, effect.n_costed
      USING ERRCODE = '22004',
            HINT = 'Give the treated stays a daily cost in stay_effect, or use net_effect(cost_saved, own_cost, persons).';
  END IF;
  r := @extschema@.net_effect(effect.cost_saved, own_cost, effect.n_treated);
  r.cost_saved_lo := effect.cost_saved_lo;
  r.cost_saved_hi := effect.cost_saved_hi;
  r.net_lo := effect.cost_saved_lo OPERATOR(@extschema@.-) own_cost;
  r.net_hi := effect.cost_saved_hi OPERATOR(@extschema@.-) own_cost;
  r.net_per_person_lo := r.net_lo OPERATOR(@extschema@./) effect.n_treated;
  r.net_per_person_hi := r.net_hi OPERATOR(@extschema@./) effect.n_treated;
  RETURN r;
END
$fn$;
COMMENT ON FUNCTION net_effect(stay_effect_result, sek) IS 'Net effect of a measure measured by stay_effect: its cost saved less the own cost, in total and per treated stay, with the 95 % interval of the saving (the own cost taken as known). An effect without a cost saved is ERROR 22004.';

-- alternative cost: own care days priced at an external daily price

CREATE TYPE alternative_cost_result AS (
  care_days bigint,                 -- own care days
  external_cost sek,                -- the same days bought externally
  external_cost_per_care_day sek,   -- external_cost ÷ care_days (NULL without care days)
  own_cost sek,                     -- the own cost (NULL when not given)
  own_cost_per_care_day sek,        -- own_cost ÷ care_days (NULL without care days)
  difference sek,                   -- external_cost - own_cost: positive = own care is cheaper
  own_pct float8                    -- own_cost ÷ external_cost × 100 (NULL when external_cost is 0)
);
COMMENT ON TYPE alternative_cost_result IS 'Alternative cost of own care: the own care days, what they would have cost bought externally, the own cost, both per care day, the difference (external - own: positive means own care is cheaper) and own cost in % of external.';

CREATE FUNCTION alternative_cost(care_days bigint, external_daily_price sek, own_cost sek)
  RETURNS alternative_cost_result
  AS 'MODULE_PATHNAME', 'alternative_cost_scalar' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION alternative_cost(bigint, sek, sek) IS 'Alternative cost of own care days: care_days × external_daily_price against own_cost (Delårsrapport 2 2023: 4,9 mnkr own against 6,9 mnkr external, +2 mnkr). Negative care days or price is ERROR 22023, overflow 22003; NULL in, NULL out.';

CREATE FUNCTION alternative_cost_accum(internal, daterange, sek, daterange) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION alternative_cost_accum(internal, daterange, sek, daterange, sek) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION alternative_cost_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION alternative_cost_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION alternative_cost_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION alternative_cost_final(internal) RETURNS alternative_cost_result
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION alternative_cost_accum(internal, daterange, sek, daterange) IS 'alternative_cost transition: a stay''s care days within the period, priced at its external daily price.';
COMMENT ON FUNCTION alternative_cost_accum(internal, daterange, sek, daterange, sek) IS 'alternative_cost transition with the group''s booked own cost (the same on every row; NULLs ignored).';
COMMENT ON FUNCTION alternative_cost_combine(internal, internal) IS 'alternative_cost combine: add the care days and external costs of two partial states (parallel aggregation).';
COMMENT ON FUNCTION alternative_cost_serialize(internal) IS 'alternative_cost state to bytea (parallel aggregation).';
COMMENT ON FUNCTION alternative_cost_deserialize(bytea, internal) IS 'alternative_cost state from bytea, validated: a malformed one is ERROR 22P03.';
COMMENT ON FUNCTION alternative_cost_final(internal) IS 'alternative_cost final: the comparison record.';

CREATE AGGREGATE alternative_cost(stay daterange, external_daily_price sek, period daterange) (
  SFUNC = alternative_cost_accum, STYPE = internal,
  FINALFUNC = alternative_cost_final,
  COMBINEFUNC = alternative_cost_combine,
  SERIALFUNC = alternative_cost_serialize, DESERIALFUNC = alternative_cost_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE alternative_cost(daterange, sek, daterange) IS 'Own stays'' care days within the period (as care_days counts them) priced at each stay''s external daily price: care days, external cost and external cost per care day; the own-cost columns are NULL. Rows with a NULL stay or price are left out; a negative price, or a period that is unbounded, empty or differs in a group, is ERROR 22023 (a NULL period 22004).';

CREATE AGGREGATE alternative_cost(stay daterange, external_daily_price sek, period daterange, own_cost sek) (
  SFUNC = alternative_cost_accum, STYPE = internal,
  FINALFUNC = alternative_cost_final,
  COMBINEFUNC = alternative_cost_combine,
  SERIALFUNC = alternative_cost_serialize, DESERIALFUNC = alternative_cost_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE alternative_cost(daterange, sek, daterange, sek) IS 'Alternative cost of an own facility: its stays'' care days within the period at each stay''s external daily price against the facility''s booked own cost for the period (pass it on every row, e.g. from a join; NULLs ignored; two different values are ERROR 22023). Group by facility.';
