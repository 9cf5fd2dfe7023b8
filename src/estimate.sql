-- estimate: an expected effect, a closed range [low, high] of sek.

CREATE TYPE estimate;

CREATE FUNCTION estimate_in(cstring) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimate_out(estimate) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimate_recv(internal) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimate_send(estimate) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE estimate (
  INPUT = estimate_in, OUTPUT = estimate_out,
  RECEIVE = estimate_recv, SEND = estimate_send,
  INTERNALLENGTH = 16, ALIGNMENT = double, STORAGE = plain
);

COMMENT ON TYPE estimate IS 'An expected effect: a closed range of sek. Input: ''ca 2-3 mkr'', ''2–3 mkr'', ''ca 4,6 mkr'', ''500 tkr-1 mkr'', ''ingen effekt''; output: ''2000000.00..3000000.00''.';
COMMENT ON FUNCTION estimate_in(cstring) IS 'Text input of estimate: one amount or low-high (-, –, —, .., till), a unit once or on each end, an optional ca/cirka prefix; low above high is ERROR 22P02.';
COMMENT ON FUNCTION estimate_out(estimate) IS 'Text output of estimate: low..high in plain kronor, or one amount for a point estimate.';
COMMENT ON FUNCTION estimate_recv(internal) IS 'Binary input of estimate: low and high öre, validated.';
COMMENT ON FUNCTION estimate_send(estimate) IS 'Binary output of estimate: low and high öre in network order.';

CREATE FUNCTION estimate(low sek, high sek) RETURNS estimate
  AS 'MODULE_PATHNAME', 'estimate_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION estimate(sek, sek) IS 'An estimate from its two ends; low above high is ERROR 22023.';
CREATE FUNCTION estimate(sek) RETURNS estimate
  AS 'MODULE_PATHNAME', 'estimate_from_sek' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION estimate(sek) IS 'A point estimate.';
CREATE CAST (sek AS estimate) WITH FUNCTION estimate(sek) AS ASSIGNMENT;
COMMENT ON CAST (sek AS estimate) IS 'An amount as a point estimate.';

CREATE FUNCTION low(estimate) RETURNS sek
  AS 'MODULE_PATHNAME', 'estimate_low' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION high(estimate) RETURNS sek
  AS 'MODULE_PATHNAME', 'estimate_high' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mid(estimate) RETURNS sek
  AS 'MODULE_PATHNAME', 'estimate_mid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION width(estimate) RETURNS sek
  AS 'MODULE_PATHNAME', 'estimate_width' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION low(estimate) IS 'The low end of an estimate.';
COMMENT ON FUNCTION high(estimate) IS 'The high end of an estimate.';
COMMENT ON FUNCTION mid(estimate) IS 'The midpoint of an estimate, rounded to the öre (halves away from zero).';
COMMENT ON FUNCTION width(estimate) IS 'high - low.';

CREATE FUNCTION estimate_format(e estimate, unit text DEFAULT 'auto',
                                decimals integer DEFAULT NULL,
                                thousands text DEFAULT NULL) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION estimate_format(estimate, text, integer, text) IS 'Swedish display of an estimate: ''9,2–10,2 mkr'' (en dash), or one figure when both ends round alike. Unit, decimals and thousands as in sek_format.';

CREATE FUNCTION estimate_pl(estimate, estimate) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimate_mi(estimate, estimate) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimate_um(estimate) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION estimate_mul_float8(estimate, float8) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION float8_mul_estimate(float8, estimate) RETURNS estimate
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.estimate_mul_float8($2, $1);
CREATE FUNCTION estimate_sum_inv(estimate, estimate) RETURNS estimate
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION estimate_pl(estimate, estimate) IS 'Sum of two estimates: [l1+l2, h1+h2].';
COMMENT ON FUNCTION estimate_mi(estimate, estimate) IS 'Difference of two estimates: [l1-h2, h1-l2].';
COMMENT ON FUNCTION estimate_um(estimate) IS 'Negation: [-high, -low].';
COMMENT ON FUNCTION estimate_mul_float8(estimate, float8) IS 'Both ends times a factor, rounded to the öre; a negative factor swaps them.';
COMMENT ON FUNCTION float8_mul_estimate(float8, estimate) IS 'As estimate * float8.';
COMMENT ON FUNCTION estimate_sum_inv(estimate, estimate) IS 'sum(estimate) inverse transition for moving window frames.';

CREATE OPERATOR + (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_pl, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_mi);
CREATE OPERATOR - (RIGHTARG = estimate, FUNCTION = estimate_um);
CREATE OPERATOR * (LEFTARG = estimate, RIGHTARG = float8, FUNCTION = estimate_mul_float8, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = float8, RIGHTARG = estimate, FUNCTION = float8_mul_estimate, COMMUTATOR = *);
COMMENT ON OPERATOR + (estimate, estimate) IS 'Sum of two estimates.';
COMMENT ON OPERATOR - (estimate, estimate) IS 'Range of possible differences.';
COMMENT ON OPERATOR - (NONE, estimate) IS 'Negation.';
COMMENT ON OPERATOR * (estimate, float8) IS 'Estimate times a factor.';
COMMENT ON OPERATOR * (float8, estimate) IS 'Factor times an estimate.';

CREATE FUNCTION estimate_contains_sek(estimate, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_contained_estimate(sek, estimate) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.estimate_contains_sek($2, $1);
CREATE FUNCTION estimate_contains(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_contained(estimate, estimate) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.estimate_contains($2, $1);
CREATE FUNCTION estimate_overlaps(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION estimate_contains_sek(estimate, sek) IS 'Does the outcome lie within the estimate (ends included)?';
COMMENT ON FUNCTION sek_contained_estimate(sek, estimate) IS 'Does the outcome lie within the estimate (ends included)?';
COMMENT ON FUNCTION estimate_contains(estimate, estimate) IS 'Does the first estimate contain the second?';
COMMENT ON FUNCTION estimate_contained(estimate, estimate) IS 'Is the first estimate contained in the second?';
COMMENT ON FUNCTION estimate_overlaps(estimate, estimate) IS 'Do the estimates share at least one amount?';

CREATE OPERATOR @> (LEFTARG = estimate, RIGHTARG = sek, FUNCTION = estimate_contains_sek,
  COMMUTATOR = <@, RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR <@ (LEFTARG = sek, RIGHTARG = estimate, FUNCTION = sek_contained_estimate,
  COMMUTATOR = @>, RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR @> (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_contains,
  COMMUTATOR = <@, RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR <@ (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_contained,
  COMMUTATOR = @>, RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR && (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_overlaps,
  COMMUTATOR = &&, RESTRICT = areasel, JOIN = areajoinsel);
COMMENT ON OPERATOR @> (estimate, sek) IS 'estimate contains the amount';
COMMENT ON OPERATOR <@ (sek, estimate) IS 'amount lies within the estimate';
COMMENT ON OPERATOR @> (estimate, estimate) IS 'estimate contains estimate';
COMMENT ON OPERATOR <@ (estimate, estimate) IS 'estimate is contained in estimate';
COMMENT ON OPERATOR && (estimate, estimate) IS 'estimates overlap';

CREATE FUNCTION estimate_eq(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_ne(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_lt(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_le(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_gt(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_ge(estimate, estimate) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_cmp(estimate, estimate) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION estimate_hash(estimate) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION estimate_eq(estimate, estimate) IS 'estimate = estimate (both ends equal)';
COMMENT ON FUNCTION estimate_ne(estimate, estimate) IS 'estimate <> estimate';
COMMENT ON FUNCTION estimate_lt(estimate, estimate) IS 'estimate < estimate (by low, then high)';
COMMENT ON FUNCTION estimate_le(estimate, estimate) IS 'estimate <= estimate (by low, then high)';
COMMENT ON FUNCTION estimate_gt(estimate, estimate) IS 'estimate > estimate (by low, then high)';
COMMENT ON FUNCTION estimate_ge(estimate, estimate) IS 'estimate >= estimate (by low, then high)';
COMMENT ON FUNCTION estimate_cmp(estimate, estimate) IS 'Three-way comparison by low, then high (btree support).';
COMMENT ON FUNCTION estimate_hash(estimate) IS 'Hash of an estimate (hash support).';

CREATE OPERATOR = (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_eq,
  COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_ne,
  COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_lt,
  COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_le,
  COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_gt,
  COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = estimate, RIGHTARG = estimate, FUNCTION = estimate_ge,
  COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);
COMMENT ON OPERATOR = (estimate, estimate) IS 'equal';
COMMENT ON OPERATOR <> (estimate, estimate) IS 'not equal';
COMMENT ON OPERATOR < (estimate, estimate) IS 'less than (by low, then high)';
COMMENT ON OPERATOR <= (estimate, estimate) IS 'less than or equal (by low, then high)';
COMMENT ON OPERATOR > (estimate, estimate) IS 'greater than (by low, then high)';
COMMENT ON OPERATOR >= (estimate, estimate) IS 'greater than or equal (by low, then high)';

CREATE OPERATOR CLASS estimate_ops DEFAULT FOR TYPE estimate USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
  FUNCTION 1 estimate_cmp(estimate, estimate);
CREATE OPERATOR CLASS estimate_hash_ops DEFAULT FOR TYPE estimate USING hash AS
  OPERATOR 1 =,
  FUNCTION 1 estimate_hash(estimate);
COMMENT ON OPERATOR CLASS estimate_ops USING btree IS 'Ordering of estimates by low, then high: ORDER BY, DISTINCT, indexes.';
COMMENT ON OPERATOR CLASS estimate_hash_ops USING hash IS 'Hashing of estimates: hash joins and hash aggregation.';
COMMENT ON OPERATOR FAMILY estimate_ops USING btree IS 'Operator family of the estimate ordering.';
COMMENT ON OPERATOR FAMILY estimate_hash_ops USING hash IS 'Operator family of the estimate hashing.';

CREATE AGGREGATE sum(estimate) (
  SFUNC = estimate_pl, STYPE = estimate, COMBINEFUNC = estimate_pl,
  MSFUNC = estimate_pl, MINVFUNC = estimate_sum_inv, MSTYPE = estimate,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE sum(estimate) IS 'Sum of estimates: [sum of lows, sum of highs]; NULLs skipped.';
