-- sek: exact money, an int64 number of öre.

CREATE TYPE sek;

CREATE FUNCTION sek_in(cstring) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_out(sek) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_recv(internal) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_send(sek) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE sek (
  INPUT = sek_in, OUTPUT = sek_out, RECEIVE = sek_recv, SEND = sek_send,
  INTERNALLENGTH = 8, PASSEDBYVALUE, ALIGNMENT = double, STORAGE = plain,
  CATEGORY = 'N'
);

COMMENT ON TYPE sek IS 'Exact money in öre (int64). Input: ''-15 000 tkr'', ''81,5 mnkr'', ''2 300 kr'', ''1750000.50''; output: plain kronor ''-81500000.00''. Ambiguous, ERROR 22P02: an integer part of one to three digits, not starting with 0 and without space groups, then a point and exactly three digits (''15.000'', ''1.234.567'', ''-2.500 tkr''): thousands or decimals? ''15.5'', ''0.125'', ''1750000.500'', ''15,000'' (comma decimals) and ''15 000'' parse; casts from numeric always read the point as decimals.';
COMMENT ON FUNCTION sek_in(cstring) IS 'Text input of sek: Swedish amounts with units kr, tkr, mkr, mnkr, mdkr; more than one öre of precision is an error.';
COMMENT ON FUNCTION sek_out(sek) IS 'Text output of sek: plain kronor with two decimals, round-trips through sek_in.';
COMMENT ON FUNCTION sek_recv(internal) IS 'Binary input of sek: 8 bytes of öre, validated.';
COMMENT ON FUNCTION sek_send(sek) IS 'Binary output of sek: 8 bytes of öre in network order.';

-- display and exact access

CREATE FUNCTION sek_format(amount sek, unit text DEFAULT 'auto',
                           decimals integer DEFAULT NULL,
                           thousands text DEFAULT NULL) RETURNS text
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sek_format(sek, text, integer, text) IS 'Swedish display of an amount: sek_format(''-81500000''::sek, ''mnkr'') = ''-81,5 mnkr''. unit: auto, kr, tkr, mkr, mnkr, mdkr; decimals NULL = the unit''s default (kr, tkr 0; mkr, mnkr 1; mdkr 2); thousands NULL = no-break space. Rounds half away from zero.';

CREATE FUNCTION sek_ore(sek) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sek_ore(sek) IS 'The exact amount in öre, as bigint.';

CREATE FUNCTION sek_from_ore(bigint) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sek_from_ore(bigint) IS 'An amount from an exact number of öre.';

-- arithmetic

CREATE FUNCTION sek_pl(sek, sek) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_mi(sek, sek) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_um(sek) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION abs(sek) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_abs' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_mul_int4(sek, integer) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_mul_int8(sek, bigint) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_mul_float8(sek, float8) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_mul_numeric(sek, numeric) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_div_int4(sek, integer) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_div_int8(sek, bigint) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_div_float8(sek, float8) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_div_numeric(sek, numeric) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_div_sek(sek, sek) RETURNS float8
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- the commuted forms reuse the same C functions with the arguments swapped
CREATE FUNCTION int4_mul_sek(integer, sek) RETURNS sek
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.sek_mul_int4($2, $1);
CREATE FUNCTION int8_mul_sek(bigint, sek) RETURNS sek
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.sek_mul_int8($2, $1);
CREATE FUNCTION float8_mul_sek(float8, sek) RETURNS sek
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.sek_mul_float8($2, $1);
CREATE FUNCTION numeric_mul_sek(numeric, sek) RETURNS sek
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN @extschema@.sek_mul_numeric($2, $1);

COMMENT ON FUNCTION sek_pl(sek, sek) IS 'sek + sek, exact; overflow is ERROR 22003.';
COMMENT ON FUNCTION sek_mi(sek, sek) IS 'sek - sek, exact; overflow is ERROR 22003.';
COMMENT ON FUNCTION sek_um(sek) IS 'Negation of an amount.';
COMMENT ON FUNCTION abs(sek) IS 'Absolute value of an amount.';
COMMENT ON FUNCTION sek_mul_int4(sek, integer) IS 'sek * integer, exact.';
COMMENT ON FUNCTION sek_mul_int8(sek, bigint) IS 'sek * bigint, exact.';
COMMENT ON FUNCTION sek_mul_float8(sek, float8) IS 'sek * float8: the exact product with the float8''s binary value, rounded once to the nearest öre, halves away from zero.';
COMMENT ON FUNCTION sek_mul_numeric(sek, numeric) IS 'sek * numeric: the exact product rounded once to the nearest öre, halves away from zero.';
COMMENT ON FUNCTION sek_div_int4(sek, integer) IS 'sek / integer, rounded to the nearest öre, halves away from zero; division by zero is ERROR 22012.';
COMMENT ON FUNCTION sek_div_int8(sek, bigint) IS 'sek / bigint, rounded to the nearest öre, halves away from zero; division by zero is ERROR 22012.';
COMMENT ON FUNCTION sek_div_float8(sek, float8) IS 'sek / float8: the exact quotient by the float8''s binary value, rounded once to the nearest öre, halves away from zero.';
COMMENT ON FUNCTION sek_div_numeric(sek, numeric) IS 'sek / numeric: the exact quotient rounded once to the nearest öre, halves away from zero.';
COMMENT ON FUNCTION sek_div_sek(sek, sek) IS 'sek / sek: the ratio of two amounts as float8 (e.g. consumption of a budget).';
COMMENT ON FUNCTION int4_mul_sek(integer, sek) IS 'integer * sek, exact.';
COMMENT ON FUNCTION int8_mul_sek(bigint, sek) IS 'bigint * sek, exact.';
COMMENT ON FUNCTION float8_mul_sek(float8, sek) IS 'float8 * sek, as sek * float8.';
COMMENT ON FUNCTION numeric_mul_sek(numeric, sek) IS 'numeric * sek, as sek * numeric.';

CREATE OPERATOR + (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_pl, COMMUTATOR = +);
CREATE OPERATOR - (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_mi);
CREATE OPERATOR - (RIGHTARG = sek, FUNCTION = sek_um);
CREATE OPERATOR * (LEFTARG = sek, RIGHTARG = integer, FUNCTION = sek_mul_int4, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = integer, RIGHTARG = sek, FUNCTION = int4_mul_sek, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = sek, RIGHTARG = bigint, FUNCTION = sek_mul_int8, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = bigint, RIGHTARG = sek, FUNCTION = int8_mul_sek, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = sek, RIGHTARG = float8, FUNCTION = sek_mul_float8, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = float8, RIGHTARG = sek, FUNCTION = float8_mul_sek, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = sek, RIGHTARG = numeric, FUNCTION = sek_mul_numeric, COMMUTATOR = *);
CREATE OPERATOR * (LEFTARG = numeric, RIGHTARG = sek, FUNCTION = numeric_mul_sek, COMMUTATOR = *);
CREATE OPERATOR / (LEFTARG = sek, RIGHTARG = integer, FUNCTION = sek_div_int4);
CREATE OPERATOR / (LEFTARG = sek, RIGHTARG = bigint, FUNCTION = sek_div_int8);
CREATE OPERATOR / (LEFTARG = sek, RIGHTARG = float8, FUNCTION = sek_div_float8);
CREATE OPERATOR / (LEFTARG = sek, RIGHTARG = numeric, FUNCTION = sek_div_numeric);
CREATE OPERATOR / (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_div_sek);

COMMENT ON OPERATOR + (sek, sek) IS 'Sum of two amounts, exact.';
COMMENT ON OPERATOR - (sek, sek) IS 'Difference of two amounts, exact.';
COMMENT ON OPERATOR - (NONE, sek) IS 'Negation.';
COMMENT ON OPERATOR * (sek, integer) IS 'Amount times a count, exact.';
COMMENT ON OPERATOR * (integer, sek) IS 'Count times an amount, exact.';
COMMENT ON OPERATOR * (sek, bigint) IS 'Amount times a count, exact.';
COMMENT ON OPERATOR * (bigint, sek) IS 'Count times an amount, exact.';
COMMENT ON OPERATOR * (sek, float8) IS 'Amount times a factor, rounded once to the öre.';
COMMENT ON OPERATOR * (float8, sek) IS 'Factor times an amount, rounded once to the öre.';
COMMENT ON OPERATOR * (sek, numeric) IS 'Amount times a factor, rounded once to the öre.';
COMMENT ON OPERATOR * (numeric, sek) IS 'Factor times an amount, rounded once to the öre.';
COMMENT ON OPERATOR / (sek, integer) IS 'Amount divided by a count, rounded to the öre.';
COMMENT ON OPERATOR / (sek, bigint) IS 'Amount divided by a count, rounded to the öre.';
COMMENT ON OPERATOR / (sek, float8) IS 'Amount divided by a factor, rounded once to the öre.';
COMMENT ON OPERATOR / (sek, numeric) IS 'Amount divided by a factor, rounded once to the öre.';
COMMENT ON OPERATOR / (sek, sek) IS 'Ratio of two amounts, as float8.';

-- comparison

CREATE FUNCTION sek_eq(sek, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_ne(sek, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_lt(sek, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_le(sek, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_gt(sek, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_ge(sek, sek) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_cmp(sek, sek) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_sortsupport(internal) RETURNS void
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_in_range(sek, sek, sek, boolean, boolean) RETURNS boolean
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_hash(sek) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_hash_extended(sek, bigint) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION sek_smaller(sek, sek) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_larger(sek, sek) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sek_eq(sek, sek) IS 'sek = sek';
COMMENT ON FUNCTION sek_ne(sek, sek) IS 'sek <> sek';
COMMENT ON FUNCTION sek_lt(sek, sek) IS 'sek < sek';
COMMENT ON FUNCTION sek_le(sek, sek) IS 'sek <= sek';
COMMENT ON FUNCTION sek_gt(sek, sek) IS 'sek > sek';
COMMENT ON FUNCTION sek_ge(sek, sek) IS 'sek >= sek';
COMMENT ON FUNCTION sek_cmp(sek, sek) IS 'Three-way comparison of amounts (btree support).';
COMMENT ON FUNCTION sek_sortsupport(internal) IS 'Fast sort comparator for sek (btree support).';
COMMENT ON FUNCTION sek_in_range(sek, sek, sek, boolean, boolean) IS 'Window frames RANGE BETWEEN amount PRECEDING/FOLLOWING (btree support).';
COMMENT ON FUNCTION sek_hash(sek) IS 'Hash of an amount (hash support).';
COMMENT ON FUNCTION sek_hash_extended(sek, bigint) IS 'Seeded 64-bit hash of an amount (hash partitioning).';
COMMENT ON FUNCTION sek_smaller(sek, sek) IS 'The smaller of two amounts (min support).';
COMMENT ON FUNCTION sek_larger(sek, sek) IS 'The larger of two amounts (max support).';

CREATE OPERATOR = (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_eq,
  COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_ne,
  COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_lt,
  COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_le,
  COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_gt,
  COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = sek, RIGHTARG = sek, FUNCTION = sek_ge,
  COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

COMMENT ON OPERATOR = (sek, sek) IS 'equal';
COMMENT ON OPERATOR <> (sek, sek) IS 'not equal';
COMMENT ON OPERATOR < (sek, sek) IS 'less than';
COMMENT ON OPERATOR <= (sek, sek) IS 'less than or equal';
COMMENT ON OPERATOR > (sek, sek) IS 'greater than';
COMMENT ON OPERATOR >= (sek, sek) IS 'greater than or equal';

CREATE OPERATOR CLASS sek_ops DEFAULT FOR TYPE sek USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
  FUNCTION 1 sek_cmp(sek, sek),
  FUNCTION 2 sek_sortsupport(internal),
  FUNCTION 3 sek_in_range(sek, sek, sek, boolean, boolean);
CREATE OPERATOR CLASS sek_hash_ops DEFAULT FOR TYPE sek USING hash AS
  OPERATOR 1 =,
  FUNCTION 1 sek_hash(sek),
  FUNCTION 2 sek_hash_extended(sek, bigint);
COMMENT ON OPERATOR CLASS sek_ops USING btree IS 'Ordering of amounts: indexes, ORDER BY, merge joins, window RANGE frames.';
COMMENT ON OPERATOR CLASS sek_hash_ops USING hash IS 'Hashing of amounts: hash joins, hash aggregation, hash partitioning.';
COMMENT ON OPERATOR FAMILY sek_ops USING btree IS 'Operator family of the sek ordering.';
COMMENT ON OPERATOR FAMILY sek_hash_ops USING hash IS 'Operator family of the sek hashing.';

-- casts: integers and numeric are kronor; sek_ore/sek_from_ore give öre

CREATE FUNCTION sek(numeric) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek(bigint) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek(integer) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek(float8) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_to_numeric(sek) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_to_int8(sek) RETURNS bigint
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_to_float8(sek) RETURNS float8
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION sek(numeric) IS 'numeric kronor to sek; more than two decimals is ERROR 22003 (round first).';
COMMENT ON FUNCTION sek(bigint) IS 'bigint kronor to sek.';
COMMENT ON FUNCTION sek(integer) IS 'integer kronor to sek.';
COMMENT ON FUNCTION sek(float8) IS 'float8 kronor to sek, rounded to the nearest öre, halves away from zero.';
COMMENT ON FUNCTION sek_to_numeric(sek) IS 'sek to numeric kronor with two decimals, exact.';
COMMENT ON FUNCTION sek_to_int8(sek) IS 'sek to bigint kronor, rounded half away from zero (use sek_ore for exact öre).';
COMMENT ON FUNCTION sek_to_float8(sek) IS 'sek to float8 kronor.';

CREATE CAST (numeric AS sek) WITH FUNCTION sek(numeric) AS ASSIGNMENT;
CREATE CAST (bigint AS sek) WITH FUNCTION sek(bigint) AS ASSIGNMENT;
CREATE CAST (integer AS sek) WITH FUNCTION sek(integer) AS ASSIGNMENT;
CREATE CAST (float8 AS sek) WITH FUNCTION sek(float8);
CREATE CAST (sek AS numeric) WITH FUNCTION sek_to_numeric(sek);
CREATE CAST (sek AS bigint) WITH FUNCTION sek_to_int8(sek);
CREATE CAST (sek AS float8) WITH FUNCTION sek_to_float8(sek);

COMMENT ON CAST (numeric AS sek) IS 'Kronor to sek; more than two decimals is an error.';
COMMENT ON CAST (bigint AS sek) IS 'Kronor to sek.';
COMMENT ON CAST (integer AS sek) IS 'Kronor to sek.';
COMMENT ON CAST (float8 AS sek) IS 'Kronor to sek, rounded to the öre.';
COMMENT ON CAST (sek AS numeric) IS 'Kronor with two decimals, exact.';
COMMENT ON CAST (sek AS bigint) IS 'Whole kronor, rounded half away from zero.';
COMMENT ON CAST (sek AS float8) IS 'Kronor as float8.';

-- the same display for kronor given as numeric, bigint or integer (a bare
-- integer literal such as -81500000 would be ambiguous between numeric and
-- bigint without the integer form), and for amount text (so that
-- sek_format('2 300 kr', 'tkr') with an untyped literal picks text)
CREATE FUNCTION sek_format(amount numeric, unit text DEFAULT 'auto',
                           decimals integer DEFAULT NULL,
                           thousands text DEFAULT NULL) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN @extschema@.sek_format(pg_catalog.round(amount, 2)::@extschema@.sek, unit, decimals, thousands);
COMMENT ON FUNCTION sek_format(numeric, text, integer, text) IS 'sek_format of numeric kronor, rounded to the öre first (halves away from zero): sek_format(-81500000.0, ''mnkr'') = ''-81,5 mnkr''; beyond the range of sek ERROR 22003.';
CREATE FUNCTION sek_format(amount bigint, unit text DEFAULT 'auto',
                           decimals integer DEFAULT NULL,
                           thousands text DEFAULT NULL) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN @extschema@.sek_format(amount::@extschema@.sek, unit, decimals, thousands);
COMMENT ON FUNCTION sek_format(bigint, text, integer, text) IS 'sek_format of bigint kronor; beyond the range of sek ERROR 22003.';
CREATE FUNCTION sek_format(amount integer, unit text DEFAULT 'auto',
                           decimals integer DEFAULT NULL,
                           thousands text DEFAULT NULL) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN @extschema@.sek_format(amount::@extschema@.sek, unit, decimals, thousands);
COMMENT ON FUNCTION sek_format(integer, text, integer, text) IS 'sek_format of integer kronor: sek_format(-81500000, ''mnkr'') = ''-81,5 mnkr''.';
CREATE FUNCTION sek_format(amount text, unit text DEFAULT 'auto',
                           decimals integer DEFAULT NULL,
                           thousands text DEFAULT NULL) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN @extschema@.sek_format(amount::@extschema@.sek, unit, decimals, thousands);
COMMENT ON FUNCTION sek_format(text, text, integer, text) IS 'sek_format of an amount written as text (read as sek input: ''2 300 kr''; bad text ERROR 22P02).';

-- rounding to whole kronor, thousands or millions

CREATE FUNCTION round(sek) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_round' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION round(sek) IS 'An amount rounded to whole kronor, halves away from zero: round(''2 300,50 kr'') = 2301.00.';
CREATE FUNCTION round(sek, unit text) RETURNS sek
  AS 'MODULE_PATHNAME', 'sek_round_to' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION round(sek, text) IS 'An amount rounded to whole units, halves away from zero: unit ''kr'', ''tkr'' (thousands), ''mnkr'' or ''mkr'' (millions), ''mdkr'' (billions); round(''-81 549 999 kr'', ''mnkr'') = -82000000.00. Unknown unit ERROR 22023; a result beyond the range of sek ERROR 22003.';

-- aggregates

CREATE FUNCTION sek_sum_accum(sek, sek) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sek_sum_accum(sek, sek) IS 'sum(sek) transition: exact addition that skips NULLs itself (saves the executor a strictness step per row).';

CREATE AGGREGATE sum(sek) (
  SFUNC = sek_sum_accum, STYPE = sek, COMBINEFUNC = sek_pl,
  MSFUNC = sek_pl, MINVFUNC = sek_mi, MSTYPE = sek,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE sum(sek) IS 'Exact sum of amounts (int64 öre, overflow is ERROR 22003); NULLs skipped; exact inverse for moving window frames.';

CREATE AGGREGATE min(sek) (
  SFUNC = sek_smaller, STYPE = sek, COMBINEFUNC = sek_smaller,
  SORTOP = <, PARALLEL = SAFE
);
COMMENT ON AGGREGATE min(sek) IS 'Smallest amount.';

CREATE AGGREGATE max(sek) (
  SFUNC = sek_larger, STYPE = sek, COMBINEFUNC = sek_larger,
  SORTOP = >, PARALLEL = SAFE
);
COMMENT ON AGGREGATE max(sek) IS 'Largest amount.';

CREATE FUNCTION sek_avg_accum(internal, sek) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sek_avg_accum_inv(internal, sek) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sek_avg_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sek_avg_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_avg_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sek_avg_final(internal) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION sek_avg_accum(internal, sek) IS 'avg(sek) transition: exact int128 sum and count.';
COMMENT ON FUNCTION sek_avg_accum_inv(internal, sek) IS 'avg(sek) inverse transition for moving window frames.';
COMMENT ON FUNCTION sek_avg_combine(internal, internal) IS 'avg(sek) combine of partial states (parallel aggregation).';
COMMENT ON FUNCTION sek_avg_serialize(internal) IS 'avg(sek) state to bytea (parallel aggregation).';
COMMENT ON FUNCTION sek_avg_deserialize(bytea, internal) IS 'avg(sek) state from bytea (parallel aggregation).';
COMMENT ON FUNCTION sek_avg_final(internal) IS 'avg(sek) final: mean rounded to the öre, halves away from zero.';

CREATE AGGREGATE avg(sek) (
  SFUNC = sek_avg_accum, STYPE = internal, SSPACE = 32,
  FINALFUNC = sek_avg_final,
  COMBINEFUNC = sek_avg_combine,
  SERIALFUNC = sek_avg_serialize, DESERIALFUNC = sek_avg_deserialize,
  MSFUNC = sek_avg_accum, MINVFUNC = sek_avg_accum_inv, MSTYPE = internal,
  MFINALFUNC = sek_avg_final,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE avg(sek) IS 'Mean amount, exact sum, rounded to the öre (halves away from zero); NULLs skipped.';
