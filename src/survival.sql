-- survival curves of stay lengths (Kaplan–Meier), as R's survival::survfit.
--
-- A stay is a daterange [start, end): the arrival day is a care day, the
-- departure day is not; its length is end - start care days.  Seen at as_of:
--   end <= as_of                       an event at end - start days;
--   no end, end 'infinity', end > as_of  censored at as_of - start days
--                                      (known to last longer than that);
--   start > as_of                      left out;
--   empty range                        left out;
--   NULL stay or NULL as_of            the row is skipped;
--   no start (infinite lower bound)    ERROR 22023;
--   as_of infinite, or differing
--   between rows of one group          ERROR 22023.
--
-- survival_curve text form: as_of in ISO form, '|', then for each distinct
-- duration in increasing order days:events/censored, comma-separated:
--   '2024-06-30|0:0/1,1:3/0,7:1/2,30:0/5'
-- Counts are non-negative bigints, a duration is listed at most once and
-- has at least one stay, no events at 0 days; white space between tokens
-- is allowed.  Binary form: version byte 1, as_of (int4 date), the number of
-- durations (int4), then days (int4), events (int8), censored (int8) each.

CREATE TYPE survival_curve;

CREATE FUNCTION survival_curve_in(cstring) RETURNS survival_curve
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_curve_out(survival_curve) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_curve_recv(internal) RETURNS survival_curve
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_curve_send(survival_curve) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE survival_curve (
  INPUT = survival_curve_in, OUTPUT = survival_curve_out,
  RECEIVE = survival_curve_recv, SEND = survival_curve_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);

COMMENT ON TYPE survival_curve IS 'Survival curve of stay lengths seen at an as_of date: the number of stays that ended (events) and that were still open (censored) at each distinct length in care days. Text: ''2024-06-30|1:3/0,7:1/2,30:0/5'' (as_of|days:events/censored,...). as_of may be any finite date PostgreSQL accepts (4714-11-24 BC .. 5874897-12-31, written with BC or with more than four digits of year as needed); every value that input, recv or the aggregates accept reads back equal from its text and binary forms.';
COMMENT ON FUNCTION survival_curve_in(cstring) IS 'Text input of survival_curve: as_of (YYYY-MM-DD)|days:events/censored,... with durations increasing; malformed or impossible curves are ERROR 22P02, counts beyond bigint 22003.';
COMMENT ON FUNCTION survival_curve_out(survival_curve) IS 'Text output of survival_curve: as_of|days:events/censored,... (ISO date whatever the DateStyle; round-trips).';
COMMENT ON FUNCTION survival_curve_recv(internal) IS 'Binary input of survival_curve, validated like text input (ERROR 22P03).';
COMMENT ON FUNCTION survival_curve_send(survival_curve) IS 'Binary output of survival_curve: version 1, as_of, count, then days, events, censored per duration (network order).';

-- aggregate support: the state counts events and censorings per duration day

CREATE FUNCTION stay_survival_accum(internal, daterange, date) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_rollup_accum(internal, survival_curve) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_state_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_state_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_state_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_state_final(internal) RETURNS survival_curve
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION stay_survival_accum(internal, daterange, date) IS 'stay_survival transition: count a stay as an event (ended by as_of) or censored (open at as_of).';
COMMENT ON FUNCTION survival_rollup_accum(internal, survival_curve) IS 'rollup(survival_curve) transition: add the counts of a curve.';
COMMENT ON FUNCTION survival_state_combine(internal, internal) IS 'Survival curve aggregates: combine partial states by adding counts (parallel aggregation).';
COMMENT ON FUNCTION survival_state_serialize(internal) IS 'Survival curve aggregates: state to bytea, the binary form of its curve (parallel aggregation).';
COMMENT ON FUNCTION survival_state_deserialize(bytea, internal) IS 'Survival curve aggregates: state from bytea, validated (parallel aggregation).';
COMMENT ON FUNCTION survival_state_final(internal) IS 'Survival curve aggregates: the survival_curve of the state.';

CREATE AGGREGATE stay_survival(stay daterange, as_of date) (
  SFUNC = stay_survival_accum, STYPE = internal,
  FINALFUNC = survival_state_final,
  COMBINEFUNC = survival_state_combine,
  SERIALFUNC = survival_state_serialize, DESERIALFUNC = survival_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE stay_survival(daterange, date) IS 'Survival curve of stay lengths seen at as_of: a stay ended by as_of is an event at end - start care days, one still open is censored at as_of - start; stays starting after as_of and empty ranges are left out, rows with a NULL stay or as_of skipped (NULL if all are); no start date or differing as_of values are ERROR 22023, an infinite as_of 22008. Memory grows with the longest stay, not with the rows.';

CREATE AGGREGATE rollup(survival_curve) (
  SFUNC = survival_rollup_accum, STYPE = internal,
  FINALFUNC = survival_state_final,
  COMBINEFUNC = survival_state_combine,
  SERIALFUNC = survival_state_serialize, DESERIALFUNC = survival_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(survival_curve) IS 'Merge survival curves (from partitions, shards or stored monthly curves) exactly: the curve of all their stays. All must have the same as_of (else ERROR 22023); NULLs skipped.';

-- accessors

CREATE FUNCTION survival(curve survival_curve, days integer) RETURNS float8
  AS 'MODULE_PATHNAME', 'survival_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival(survival_curve, integer) IS 'Kaplan–Meier estimate S(days) = P(stay length > days), as R survfit; beyond the longest observed stay the last value is kept; NULL for a curve without stays; negative days is ERROR 22023.';

CREATE FUNCTION survival_interval(curve survival_curve, days integer, level float8 DEFAULT 0.95,
                            OUT estimate float8, OUT lo float8, OUT hi float8) RETURNS record
  AS 'MODULE_PATHNAME', 'survival_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival_interval(survival_curve, integer, float8) IS 'S(days) with its confidence interval as R survfit''s default (conf.type "log", Greenwood variance, upper end at most 1); lo and hi are NULL where S is 0; level must lie strictly between 0 and 1 (else ERROR 22023).';

CREATE FUNCTION median_stay(curve survival_curve) RETURNS float8
  AS 'MODULE_PATHNAME', 'survival_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION median_stay(survival_curve) IS 'Median stay length in days as R quantile(survfit, 0.5): the first length where S falls to 0.5 or below; where S is exactly 0.5 over a stretch, the midpoint of the stretch (to the longest observed stay if it stays there); NULL if S never reaches 0.5.';

CREATE FUNCTION expected_remaining_days(curve survival_curve, elapsed_days integer, horizon_days integer) RETURNS float8
  AS 'MODULE_PATHNAME', 'survival_expected_remaining_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_remaining_days(survival_curve, integer, integer) IS 'Expected care days within the next horizon_days for a stay that has lasted elapsed_days and is still open: the sum over k = 0 .. horizon_days-1 of S(elapsed_days + k) / S(elapsed_days) (the k = 0 term, today, is 1); NULL when S(elapsed_days) = 0 or the curve has no stays; negative arguments are ERROR 22023.';

CREATE FUNCTION stay_count(curve survival_curve) RETURNS bigint
  AS 'MODULE_PATHNAME', 'survival_stay_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stay_count(survival_curve) IS 'Number of stays in the curve (ended and still open at as_of).';

CREATE FUNCTION event_count(curve survival_curve) RETURNS bigint
  AS 'MODULE_PATHNAME', 'survival_event_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION event_count(survival_curve) IS 'Number of stays in the curve that ended by as_of.';
