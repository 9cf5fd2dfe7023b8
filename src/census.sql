-- placements: care days, daily census, cost and occupancy.

CREATE FUNCTION care_days(stay daterange, period daterange) RETURNS integer
  AS 'MODULE_PATHNAME', 'care_days_stay' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION care_days(daterange, daterange) IS 'Care days of a stay [arrival, departure) within a period: the arrival day counts, the departure day does not; an open stay runs to the period''s end; empty ranges give 0.';

CREATE FUNCTION stay_cost(stay daterange, daily_cost sek, period daterange) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stay_cost(daterange, sek, daterange) IS 'Cost of a stay within a period: care_days(stay, period) × daily cost; a negative cost is ERROR 22023.';

CREATE FUNCTION stay_overlaps_support(internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stay_overlaps_support(internal) IS 'Planner support for stay_overlaps: estimates it as stay && period and lets a GiST or SP-GiST index on the stay column answer it.';
CREATE FUNCTION stay_overlaps(stay daterange, period daterange) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
  SUPPORT stay_overlaps_support;
COMMENT ON FUNCTION stay_overlaps(daterange, daterange) IS 'Whether a stay overlaps a period: the same answer as stay && period, about twice as fast per row (no copy of the range); planned and indexed as &&. Use it in the WHERE clause of a census over a period.';

CREATE TYPE census;
CREATE FUNCTION census_in(cstring) RETURNS census
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_out(census) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_recv(internal) RETURNS census
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_send(census) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE census (
  INPUT = census_in, OUTPUT = census_out, RECEIVE = census_recv, SEND = census_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE census IS 'Daily headcount and daily cost of placements over a period of at most 36 525 days within 0001-01-01 .. 9999-12-31 (the period ends at 10000-01-01 at the latest); its care days and its total cost each fit in a bigint. Every value that input, recv or the aggregates accept reads back equal from its text and binary forms. Text: ''[2023-01-01,2024-01-01) persons=3*31,… cost=…'' (öre per day, run-length encoded).';
COMMENT ON FUNCTION census_in(cstring) IS 'Text input of census, validated: malformed text or a negative count is 22P02, a date outside 0001-01-01 .. 9999-12-31 22008, care days or total cost beyond a bigint 22003.';
COMMENT ON FUNCTION census_out(census) IS 'Text output of census: period, daily persons and daily cost in öre, run-length encoded.';
COMMENT ON FUNCTION census_recv(internal) IS 'Binary input of census, validated like text input: any malformed, truncated or out-of-range value (dates outside 0001-01-01 .. 9999-12-31, sums beyond a bigint) is 22P03.';
COMMENT ON FUNCTION census_send(census) IS 'Binary output of census.';

CREATE FUNCTION census_accum(internal, daterange, sek, daterange) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION census_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION census_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_final(internal) RETURNS census
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION census_accum(internal, daterange, sek, daterange) IS 'census transition: one stay''s arrival and departure into difference arrays.';
COMMENT ON FUNCTION census_combine(internal, internal) IS 'census combine of partial states (parallel aggregation).';
COMMENT ON FUNCTION census_serialize(internal) IS 'census state to bytea (parallel aggregation).';
COMMENT ON FUNCTION census_deserialize(bytea, internal) IS 'census state from bytea (parallel aggregation).';
COMMENT ON FUNCTION census_final(internal) IS 'census final: daily headcount and cost from the difference arrays.';

CREATE AGGREGATE census(stay daterange, daily_cost sek, period daterange) (
  SFUNC = census_accum, STYPE = internal, FINALFUNC = census_final,
  COMBINEFUNC = census_combine,
  SERIALFUNC = census_serialize, DESERIALFUNC = census_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE census(daterange, sek, daterange) IS 'Daily headcount and cost of stays over a period, in memory proportional to the period''s days. Rows with a NULL stay or NULL cost are left out; a negative cost, or a period that is empty, unbounded, longer than 36 525 days or differs between rows is ERROR 22023; a period outside 0001-01-01 .. 9999-12-31 is 22008; care days or total cost beyond a bigint 22003.';

CREATE FUNCTION period(census) RETURNS daterange
  AS 'MODULE_PATHNAME', 'census_period_of' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION care_days(census) RETURNS bigint
  AS 'MODULE_PATHNAME', 'census_care_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION care_days(census, daterange) RETURNS bigint
  AS 'MODULE_PATHNAME', 'census_care_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION persons_per_day(census) RETURNS float8
  AS 'MODULE_PATHNAME', 'census_persons_per_day' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION persons_per_day(census, daterange) RETURNS float8
  AS 'MODULE_PATHNAME', 'census_persons_per_day' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION peak(census) RETURNS bigint
  AS 'MODULE_PATHNAME', 'census_peak' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION peak(census, daterange) RETURNS bigint
  AS 'MODULE_PATHNAME', 'census_peak' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost(census) RETURNS sek
  AS 'MODULE_PATHNAME', 'census_cost' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost(census, daterange) RETURNS sek
  AS 'MODULE_PATHNAME', 'census_cost' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_care_day(census) RETURNS sek
  AS 'MODULE_PATHNAME', 'census_cost_per_care_day' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_per_care_day(census, daterange) RETURNS sek
  AS 'MODULE_PATHNAME', 'census_cost_per_care_day' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION occupancy(census, places float8) RETURNS float8
  AS 'MODULE_PATHNAME', 'census_occupancy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION occupancy(census, places float8, daterange) RETURNS float8
  AS 'MODULE_PATHNAME', 'census_occupancy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION period(census) IS 'The period a census covers.';
COMMENT ON FUNCTION care_days(census) IS 'Care days (vårddygn): the sum of daily headcounts (exact: a valid census''s care days fit in a bigint).';
COMMENT ON FUNCTION care_days(census, daterange) IS 'Care days within a sub-period of the census (22023 if it reaches outside).';
COMMENT ON FUNCTION persons_per_day(census) IS 'Persons per day (snitt per dygn): care days ÷ days of the period.';
COMMENT ON FUNCTION persons_per_day(census, daterange) IS 'Persons per day within a sub-period.';
COMMENT ON FUNCTION peak(census) IS 'The highest daily headcount.';
COMMENT ON FUNCTION peak(census, daterange) IS 'The highest daily headcount within a sub-period.';
COMMENT ON FUNCTION cost(census) IS 'Total cost: the sum of daily costs (exact: a valid census''s total fits in a bigint).';
COMMENT ON FUNCTION cost(census, daterange) IS 'Total cost within a sub-period.';
COMMENT ON FUNCTION cost_per_care_day(census) IS 'Cost per care day (dygnskostnad), rounded to the öre; NULL without care days.';
COMMENT ON FUNCTION cost_per_care_day(census, daterange) IS 'Cost per care day within a sub-period.';
COMMENT ON FUNCTION occupancy(census, float8) IS 'Occupancy (beläggningsgrad): care days ÷ (places × days); above 1 when over-occupied.';
COMMENT ON FUNCTION occupancy(census, float8, daterange) IS 'Occupancy within a sub-period.';

CREATE FUNCTION census_buckets(c census, width interval,
  OUT period daterange, OUT care_days bigint, OUT persons_per_day float8,
  OUT peak bigint, OUT cost sek) RETURNS SETOF record
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION census_buckets(census, interval) IS 'One row per bucket of the census period: ''1 day'', ''n days'', ''1 week'' (Monday to Sunday), ''1 month'', ''3 months'' (quarters), ''6 months'', ''1 year''; buckets at the period''s edges are clipped to it. At most one row per day of the period (36 525); any width up to 2 147 483 647 days is one bucket at most; other widths (negative, zero, mixed months and days, times of day, months that do not divide a year) are 22023.';

CREATE FUNCTION census_rollup_accum(internal, census) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION census_rollup_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION census_rollup_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_rollup_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION census_rollup_final(internal) RETURNS census
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION census_rollup_accum(internal, census) IS 'rollup(census) transition: add one census day by day.';
COMMENT ON FUNCTION census_rollup_combine(internal, internal) IS 'rollup(census) combine of partial states (parallel aggregation).';
COMMENT ON FUNCTION census_rollup_serialize(internal) IS 'rollup(census) state to bytea (parallel aggregation).';
COMMENT ON FUNCTION census_rollup_deserialize(bytea, internal) IS 'rollup(census) state from bytea (parallel aggregation).';
COMMENT ON FUNCTION census_rollup_final(internal) IS 'rollup(census) final: the summed census over the union of the periods.';

CREATE AGGREGATE rollup(census) (
  SFUNC = census_rollup_accum, STYPE = internal, FINALFUNC = census_rollup_final,
  COMBINEFUNC = census_rollup_combine,
  SERIALFUNC = census_rollup_serialize, DESERIALFUNC = census_rollup_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(census) IS 'Adds censuses built from disjoint sets of rows (facilities, categories) or over adjacent periods (months into years); the result covers the union of their periods, which must leave no gap (22023), span at most 36 525 days (22023) and whose care days and total cost must fit in a bigint (22003).';
