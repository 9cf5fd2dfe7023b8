-- actionplan 0.1.0: the released install script, as `make` built it at the tag v0.1.0
-- (git worktree add /tmp/v010 v0.1.0 && make -C /tmp/v010 actionplan--0.1.0.sql).
-- Frozen: never edited. Databases created at 0.1.0 are brought forward by the
-- upgrade scripts actionplan--0.1.0--<next>.sql beside it.

-- actionplan 0.1.0 install script, built from src/sek.sql src/estimate.sql src/census.sql src/survival.sql src/placement.sql src/accounts.sql src/forecast.sql src/refresh.sql src/its.sql src/effect.sql src/plan.sql src/report.sql src/analysis.sql src/staffing.sql src/peers.sql src/income_support.sql src/report_check.sql
\echo Use "CREATE EXTENSION actionplan" to load this file. \quit

-- from src/sek.sql
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

-- from src/estimate.sql
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

-- from src/census.sql
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

-- from src/survival.sql
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
COMMENT ON AGGREGATE stay_survival(daterange, date) IS 'Survival curve of stay lengths seen at as_of: a stay ended by as_of is an event at end - start care days, one still open is censored at as_of - start; stays starting after as_of and empty ranges are left out, rows with a NULL stay or as_of skipped (NULL if all are); no start date, an infinite as_of or differing as_of values are ERROR 22023. Memory grows with the longest stay, not with the rows.';

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

-- from src/placement.sql
-- Placement forecasts: the expected care days and cost of placements after
-- as_of up to and including until — stays open at as_of by the survival
-- curve of the group's stays, new stays by the inflow of the 12 months up to
-- as_of with a season and a trend of their daily cost fitted to the last
-- five years — with a 95 % interval; the year view (outcome so far +
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
COMMENT ON AGGREGATE placement_forecast(daterange, sek, date, date) IS 'Forecast of the care days and cost of placements on the days after as_of up to and including until, as known at as_of: each stay in care on as_of by its expected further days from the Kaplan–Meier curve of the group''s stays (given how long it has lasted) at its daily cost, plus new stays at the inflow rate of the 12 months up to as_of times a season fitted to the last five years'' arrivals, at the trend of their daily costs, lasting as the curve says; with a 95 % interval (exits, Poisson arrivals, the estimated rate, cost trend and season, the curve, and the inflow''s year-to-year drift). Rows with a NULL argument are skipped; see placement_forecast_result.';

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

-- from src/accounts.sql
-- Accounts: budget periodisation, month profiles, the monthly follow-up and
-- the year-end methods offices use today.  The budget year is as_of's
-- calendar year; the elapsed part counts as_of itself.

CREATE FUNCTION period_budget(annual sek, as_of date, key text DEFAULT 'months') RETURNS sek
  AS 'MODULE_PATHNAME', 'period_budget_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION period_budget(sek, date, text) IS 'The part of an annual budget that belongs to the year up to and including as_of: key ''months'' = twelfths by elapsed months (completed months + the elapsed days of as_of''s month), ''days'' = by day of the year; exact, rounded once to the öre.';
CREATE FUNCTION period_budget(annual sek, as_of date, profile float8[]) RETURNS sek
  AS 'MODULE_PATHNAME', 'period_budget_profile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION period_budget(sek, date, float8[]) IS 'The part of an annual budget up to and including as_of under a 12-month profile (weights January..December, normalised; as_of''s month by its elapsed days); see month_profile.';

CREATE FUNCTION convention_sign(convention text) RETURNS integer
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION convention_sign(text) IS 'The sign a sign convention gives costs: 1 for ''ledger'' (costs positive, income negative, as booked), -1 for ''report'' (costs negative, as the reports print them); case-insensitive. Another name is ERROR 22023, NULL 22004.';

CREATE FUNCTION forecast_runrate(outcome sek, as_of date) RETURNS sek
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION forecast_runrate(sek, date) IS 'Year-end forecast by run-rate, as offices do it: outcome so far ÷ elapsed months × 12 (506,6 mnkr after August → 759,9 mnkr).';
CREATE FUNCTION forecast_profile(outcome sek, as_of date, key text) RETURNS sek
  AS 'MODULE_PATHNAME', 'forecast_profile_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION forecast_profile(sek, date, text) IS 'Year-end forecast: outcome so far ÷ the share of the year elapsed under the key (''months'' = run-rate, ''days'' = by day of the year).';
CREATE FUNCTION forecast_profile(outcome sek, as_of date, profile float8[]) RETURNS sek
  AS 'MODULE_PATHNAME', 'forecast_profile_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION forecast_profile(sek, date, float8[]) IS 'Year-end forecast: outcome so far ÷ the profile''s share of the year up to as_of; NULL when that share is zero.';

CREATE TYPE follow_up_result AS (
  budget sek, period_budget sek, outcome sek, deviation sek, consumption float8,
  forecast sek, forecast_deviation sek, deviation_pct float8);
COMMENT ON TYPE follow_up_result IS 'A follow-up row: annual budget, period budget, outcome, deviation (positive = under budget), consumption (% of the annual budget), year-end forecast, forecast deviation (positive = under budget) and deviation_pct (forecast deviation in % of the budget''s absolute value).';

CREATE FUNCTION follow_up(budget sek, period_budget sek, outcome sek, forecast sek,
                          convention text DEFAULT 'ledger') RETURNS follow_up_result
  AS 'MODULE_PATHNAME', 'follow_up_scalar' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION follow_up(sek, sek, sek, sek, text) IS 'The follow-up record from given figures (e.g. a forecast the office set by hand): deviations, consumption and deviation %; convention ''ledger'' (costs positive) or ''report'' (costs negative). NULL outcome gives NULL.';

CREATE FUNCTION follow_up_accum(internal, date, sek, sek, date) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION follow_up_accum(internal, date, sek, sek, date, text) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION follow_up_accum(internal, date, sek, sek, date, text, text) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION follow_up_accum(internal, date, sek, sek, date, text, float8[]) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION follow_up_accum(internal, date, sek, sek, date, text, text, text) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION follow_up_accum(internal, date, sek, sek, date, text, float8[], text) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION follow_up_accum(internal, date, sek, sek, date) IS 'follow_up transition: adds a ledger row of the budget year up to as_of.';
COMMENT ON FUNCTION follow_up_accum(internal, date, sek, sek, date, text) IS 'follow_up transition (with method).';
COMMENT ON FUNCTION follow_up_accum(internal, date, sek, sek, date, text, text) IS 'follow_up transition (with method and key).';
COMMENT ON FUNCTION follow_up_accum(internal, date, sek, sek, date, text, float8[]) IS 'follow_up transition (with method and profile).';
COMMENT ON FUNCTION follow_up_accum(internal, date, sek, sek, date, text, text, text) IS 'follow_up transition (with method, key and convention).';
COMMENT ON FUNCTION follow_up_accum(internal, date, sek, sek, date, text, float8[], text) IS 'follow_up transition (with method, profile and convention).';
CREATE FUNCTION follow_up_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION follow_up_combine(internal, internal) IS 'follow_up combine: adds two partial states of one group.';
CREATE FUNCTION follow_up_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION follow_up_serialize(internal) IS 'follow_up serialisation for parallel workers.';
CREATE FUNCTION follow_up_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION follow_up_deserialize(bytea, internal) IS 'follow_up deserialisation for parallel workers.';
CREATE FUNCTION follow_up_final(internal) RETURNS follow_up_result
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION follow_up_final(internal) IS 'follow_up final: period budget, deviations, forecast and ratios.';

CREATE AGGREGATE follow_up(entry_date date, amount sek, annual_budget sek, as_of date) (
  SFUNC = follow_up_accum, STYPE = internal, FINALFUNC = follow_up_final,
  COMBINEFUNC = follow_up_combine, SERIALFUNC = follow_up_serialize,
  DESERIALFUNC = follow_up_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE follow_up(entry_date date, amount sek, annual_budget sek, as_of date, method text) (
  SFUNC = follow_up_accum, STYPE = internal, FINALFUNC = follow_up_final,
  COMBINEFUNC = follow_up_combine, SERIALFUNC = follow_up_serialize,
  DESERIALFUNC = follow_up_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE follow_up(entry_date date, amount sek, annual_budget sek, as_of date, method text, key text) (
  SFUNC = follow_up_accum, STYPE = internal, FINALFUNC = follow_up_final,
  COMBINEFUNC = follow_up_combine, SERIALFUNC = follow_up_serialize,
  DESERIALFUNC = follow_up_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE follow_up(entry_date date, amount sek, annual_budget sek, as_of date, method text, profile float8[]) (
  SFUNC = follow_up_accum, STYPE = internal, FINALFUNC = follow_up_final,
  COMBINEFUNC = follow_up_combine, SERIALFUNC = follow_up_serialize,
  DESERIALFUNC = follow_up_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE follow_up(entry_date date, amount sek, annual_budget sek, as_of date, method text, key text, convention text) (
  SFUNC = follow_up_accum, STYPE = internal, FINALFUNC = follow_up_final,
  COMBINEFUNC = follow_up_combine, SERIALFUNC = follow_up_serialize,
  DESERIALFUNC = follow_up_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE follow_up(entry_date date, amount sek, annual_budget sek, as_of date, method text, profile float8[], convention text) (
  SFUNC = follow_up_accum, STYPE = internal, FINALFUNC = follow_up_final,
  COMBINEFUNC = follow_up_combine, SERIALFUNC = follow_up_serialize,
  DESERIALFUNC = follow_up_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE follow_up(date, sek, sek, date) IS 'Monthly follow-up of a group of ledger rows as of a date: entries of as_of''s calendar year up to as_of make the outcome (later and NULL rows are skipped); annual_budget is the group''s budget in force at as_of, the same on every row (NULLs ignored). Run-rate forecast, twelfths period budget, ledger signs (costs positive).';
COMMENT ON AGGREGATE follow_up(date, sek, sek, date, text) IS 'follow_up with a forecast method: ''runrate'' (outcome ÷ elapsed months × 12) or ''profile'' (outcome ÷ the key''s share of the year so far).';
COMMENT ON AGGREGATE follow_up(date, sek, sek, date, text, text) IS 'follow_up with a method and a periodisation key ''months'' or ''days'' (for the period budget and the profile method).';
COMMENT ON AGGREGATE follow_up(date, sek, sek, date, text, float8[]) IS 'follow_up with a method and a 12-month profile as key (see month_profile).';
COMMENT ON AGGREGATE follow_up(date, sek, sek, date, text, text, text) IS 'follow_up with a method, a key and a sign convention: ''ledger'' (costs positive) or ''report'' (costs negative, as the reports print them).';
COMMENT ON AGGREGATE follow_up(date, sek, sek, date, text, float8[], text) IS 'follow_up with a method, a 12-month profile and a sign convention.';

CREATE FUNCTION month_profile_accum(internal, date, sek) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION month_profile_accum(internal, date, sek) IS 'month_profile transition: adds an amount to its calendar month.';
CREATE FUNCTION month_profile_combine(internal, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION month_profile_combine(internal, internal) IS 'month_profile combine: adds month by month.';
CREATE FUNCTION month_profile_serialize(internal) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION month_profile_serialize(internal) IS 'month_profile serialisation for parallel workers.';
CREATE FUNCTION month_profile_deserialize(bytea, internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION month_profile_deserialize(bytea, internal) IS 'month_profile deserialisation for parallel workers.';
CREATE FUNCTION month_profile_final(internal) RETURNS float8[]
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION month_profile_final(internal) IS 'month_profile final: each calendar month''s share of the total.';
CREATE AGGREGATE month_profile(entry_date date, amount sek) (
  SFUNC = month_profile_accum, STYPE = internal, FINALFUNC = month_profile_final,
  COMBINEFUNC = month_profile_combine, SERIALFUNC = month_profile_serialize,
  DESERIALFUNC = month_profile_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE month_profile(date, sek) IS 'The spreading key of past years: each calendar month''s share of the amounts (float8[12], January first, sums to 1), for period_budget and the profile forecast. Give it whole years; NULL rows are skipped; a zero total or a month against the total''s sign is ERROR 22023.';

-- One unit's row of follow_up_report, from its signed budget and outcome:
-- the C functions' errors (an amount out of range, say) name the unit.
CREATE FUNCTION follow_up_unit(unit text, annual sek, outcome sek, as_of date, method text, key text,
                               profile float8[], convention text)
RETURNS follow_up_result
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  pb @extschema@.sek;
  fc @extschema@.sek;
  m text; d text; h text; st text;
BEGIN
  IF unit IS NULL THEN
    -- the report's total is the row with unit NULL: rows without a unit
    -- would print as a second total
    RAISE EXCEPTION 'rows without a unit (unit NULL): outcome %, budget %', coalesce(outcome::text, 'none'),
      coalesce(annual::text, 'none') USING ERRCODE = '22004',
      HINT = 'Give every ledger and budget row a unit, or leave such rows out with a view (WHERE unit IS NOT NULL).';
  END IF;
  BEGIN
    -- 'history' without a profile (twelfths) is an even profile
    profile := coalesce(profile, pg_catalog.array_fill(1::float8, ARRAY[12]));
    IF lower(key) = 'history' THEN
      pb := @extschema@.period_budget(annual, as_of, profile);
      fc := CASE lower(method) WHEN 'runrate' THEN @extschema@.forecast_runrate(outcome, as_of)
                               ELSE @extschema@.forecast_profile(outcome, as_of, profile) END;
    ELSE
      pb := @extschema@.period_budget(annual, as_of, lower(key));
      fc := CASE lower(method) WHEN 'runrate' THEN @extschema@.forecast_runrate(outcome, as_of)
                               ELSE @extschema@.forecast_profile(outcome, as_of, lower(key)) END;
    END IF;
    RETURN @extschema@.follow_up(annual, pb, outcome, fc, convention);
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, st = RETURNED_SQLSTATE;
    -- raised afresh (RAISE refuses a NULL option, and prints an empty one)
    m := format('unit %L: %s', unit, m);
    d := coalesce(NULLIF(d, '') || ' ', '') || format('The unit''s budget is %s and its outcome %s (in the convention''s signs).',
                                             coalesce(annual::text, 'none'), outcome);
    IF coalesce(h, '') = '' THEN
      RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, DETAIL = d;
    END IF;
    RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, DETAIL = d, HINT = h;
  END;
END
$fn$;
COMMENT ON FUNCTION follow_up_unit(text, sek, sek, date, text, text, float8[], text) IS 'Internal to follow_up_report: one unit''s follow-up record from its budget and outcome (in the report''s signs), period budget and forecast by the method and key (''history'' with the unit''s profile, NULL = twelfths). An error names the unit and its figures; a unit NULL is ERROR 22004 (the total row is the one with unit NULL).';

-- The report functions read a user's table by the columns the caller names.
-- Their checks return the first problem as a row, which the caller raises:
-- raised here, the error would carry the call's SQL as CONTEXT.
CREATE TYPE report_problem AS (code text, message text, hint text);
COMMENT ON TYPE report_problem IS 'Internal to the report functions: an error to raise (SQLSTATE, message, hint), as report_columns_problem and report_keys_problem find it.';

CREATE FUNCTION report_columns_problem(fn text, tbl regclass, arg text, cols name[], types regtype[], hint text)
RETURNS SETOF report_problem
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  c record;
  have regtype;
BEGIN
  IF tbl IS NULL THEN
    RETURN QUERY SELECT '22004', format('%s needs a table as %s, not NULL', fn, arg),
                        'Give the table by name, e.g. ''finance.ledger''.';
    RETURN;
  END IF;
  FOR c IN SELECT u.col, u.want FROM unnest(cols, types) WITH ORDINALITY AS u(col, want, i) ORDER BY u.i LOOP
    IF c.col IS NULL THEN
      RETURN QUERY SELECT '22004', format('a column name of %s (the %s) is NULL', tbl, arg),
                          'Name each column, or leave its argument out for the default name.';
      RETURN;
    END IF;
    SELECT a.atttypid::regtype INTO have FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attname = c.col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
      RETURN QUERY SELECT '42703', format('column "%s" does not exist in %s (the %s)', c.col, tbl, arg), hint;
      RETURN;
    END IF;
    IF have IS DISTINCT FROM coalesce(c.want, have)
       -- an integer column where a number is read
       AND NOT (c.want = 'numeric'::regtype AND have IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype)) THEN
      RETURN QUERY SELECT '42804', format('column "%s" of %s (the %s) is %s, not %s', c.col, tbl, arg, have, c.want),
                          format('Point it at a view that casts the column: %I::%s.', c.col, c.want);
      RETURN;
    END IF;
    IF NOT has_column_privilege(tbl, c.col::text, 'SELECT') THEN
      RETURN QUERY SELECT '42501', format('permission denied for column "%s" of %s (the %s)', c.col, tbl, arg),
                          format('%s reads its tables with the caller''s rights: GRANT SELECT on them.', fn);
      RETURN;
    END IF;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION report_columns_problem(text, regclass, text, name[], regtype[], text) IS 'Internal to the report functions (follow_up_report, staffing_follow_up): the first problem, if any, with the columns cols of tbl (the function fn''s argument arg), in the order given, each with a hint: a NULL table or column name (22004), a missing column (42703, with hint), a column not of the type at the same place in types (NULL: any; an integer column passes for numeric; 42804), one the caller may not read (42501); each names the table and column.';

-- The keys of a report function: 1 to 8 distinct column names, of one kind
-- in both tables (text and varchar, or two integer types, meet: their rows
-- meet on the values as jsonb).
CREATE FUNCTION report_keys_problem(keys name[], a regclass, b regclass)
RETURNS SETOF report_problem
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  n int := coalesce(cardinality(keys), 0);
BEGIN
  IF n = 0 OR n > 8 OR array_position(keys, NULL) IS NOT NULL
     OR (SELECT count(DISTINCT k) FROM unnest(keys) k) <> n THEN
    RETURN QUERY SELECT '22023', format('keys must name 1 to 8 distinct columns, not %s', coalesce(keys::text, 'NULL')),
                        'E.g. keys => ''{unit}'', or ''{unit,account_group}'' with subtotals => true.';
    RETURN;
  END IF;
  RETURN QUERY
    SELECT '42804', format('key column "%s" is %s in %s but %s in %s', u.k, l.atttypid::regtype, a, r.atttypid::regtype, b),
           'Give the key the same type in both tables, e.g. with a view that casts it.'
    FROM unnest(keys) WITH ORDINALITY u(k, i)
    JOIN pg_attribute l ON l.attrelid = a AND l.attname = u.k
    JOIN pg_attribute r ON r.attrelid = b AND r.attname = u.k
    JOIN pg_type lt ON lt.oid = l.atttypid
    JOIN pg_type rt ON rt.oid = r.atttypid
    WHERE l.atttypid <> r.atttypid AND (lt.typcategory <> rt.typcategory OR lt.typcategory NOT IN ('S', 'N'))
    ORDER BY u.i LIMIT 1;
END
$fn$;
COMMENT ON FUNCTION report_keys_problem(name[], regclass, regclass) IS 'Internal to the report functions: the first problem, if any, with keys: not 1 to 8 distinct column names (22023), or a key of another kind in table a than in table b, whose rows meet on it (text and varchar, or two integer types, do; 42804 naming both types). A missing key column is report_columns_problem''s to tell.';

-- All of a report function's checks of its two tables, the first problem.
CREATE FUNCTION report_input_problem(fn text, keys name[], a regclass, a_arg text, a_cols name[], a_types regtype[],
                                     b regclass, b_arg text, b_cols name[], b_types regtype[], hint text,
                                     key_kinds boolean DEFAULT true)
RETURNS SETOF report_problem
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT code, message, hint FROM (
    SELECT 1 AS o, * FROM @extschema@.report_keys_problem(keys, NULL, NULL)
    UNION ALL SELECT 2, * FROM @extschema@.report_columns_problem(fn, a, a_arg, a_cols, a_types, hint)
    UNION ALL SELECT 3, * FROM @extschema@.report_columns_problem(fn, b, b_arg, b_cols, b_types, hint)
    UNION ALL SELECT 4, * FROM @extschema@.report_keys_problem(keys, a, b) WHERE key_kinds) x
  ORDER BY o LIMIT 1
$fn$;
COMMENT ON FUNCTION report_input_problem(text, name[], regclass, text, name[], regtype[], regclass, text, name[], regtype[], text, boolean) IS 'Internal to the report functions: the first problem, if any, with the keys (report_keys_problem, names), table a''s columns a_cols of types a_types (report_columns_problem), table b''s, and (with key_kinds, for a function whose tables meet on the keys'' values rather than their text) the keys'' types in the two tables, in that order; the caller raises it.';

-- A row's key in a report function's SQL: its text (the key columns' values
-- joined by " / ", NULL when one is NULL) and its values as jsonb under the
-- columns' names.
CREATE FUNCTION report_key_sql(keys name[], OUT unit_sql text, OUT key_sql text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT CASE WHEN cardinality(keys) = 1 THEN format('%I::text', keys[1])
              ELSE format('CASE WHEN %s THEN NULL ELSE pg_catalog.array_to_string(ARRAY[%s], '' / '') END',
                          (SELECT string_agg(format('%I IS NULL', k), ' OR ') FROM unnest(keys) k),
                          (SELECT string_agg(format('%I::text', k), ', ') FROM unnest(keys) k)) END,
         format('pg_catalog.jsonb_build_object(%s)',
                (SELECT string_agg(format('%L::text, %I', k, k), ', ') FROM unnest(keys) k))
$fn$;
COMMENT ON FUNCTION report_key_sql(name[], OUT text, OUT text) IS 'Internal to the report functions: for key columns keys, the SQL expressions of a row''s key text (the values joined by " / ", NULL when one is NULL) and of its values as jsonb under the columns'' names, column names quoted.';

-- The follow-up table of the reports (Delårsrapport 2 2023 §4.1, §4.2): one
-- row per key (a unit, an account group, an activity code, or a combination
-- with subtotals) and a total.
CREATE FUNCTION follow_up_report(ledger_table regclass, budget_table regclass, as_of date,
                                 method text DEFAULT 'runrate', key text DEFAULT 'months',
                                 convention text DEFAULT 'ledger', keys name[] DEFAULT '{unit}',
                                 date_column name DEFAULT 'entry_date', amount_column name DEFAULT 'amount',
                                 budget_date_column name DEFAULT 'valid_from', budget_amount_column name DEFAULT 'amount',
                                 subtotals boolean DEFAULT false)
RETURNS TABLE (unit text, prev_year_outcome numeric, budget numeric, period_budget numeric, outcome numeric,
               deviation numeric, consumption numeric, forecast numeric, forecast_deviation numeric,
               deviation_pct numeric, note text, key_values jsonb, level integer, prev_period_outcome numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  ys date;
  sgn int;
  n int;
  found_budget boolean;
  e record;
  unit_expr text;
  key_expr text;
  part_cols text;
  m text; d text; h text; st text;
BEGIN
  IF ledger_table IS NULL OR budget_table IS NULL THEN
    RAISE EXCEPTION 'follow_up_report needs a ledger table and a budget table, not NULL (% is NULL)',
      CASE WHEN ledger_table IS NULL THEN 'ledger_table' ELSE 'budget_table' END USING ERRCODE = '22004';
  END IF;
  IF as_of IS NULL OR NOT isfinite(as_of) THEN
    RAISE EXCEPTION 'as_of must be a finite date, not %', coalesce(as_of::text, 'NULL') USING ERRCODE = '22023',
      HINT = 'Give the last day of the follow-up period, e.g. ''2023-08-31''.';
  END IF;
  ys := make_date(extract(year FROM as_of)::int, 1, 1);
  sgn := @extschema@.convention_sign(convention);
  IF lower(key) IS DISTINCT FROM 'days' AND lower(key) IS DISTINCT FROM 'months' AND lower(key) IS DISTINCT FROM 'history' THEN
    RAISE EXCEPTION 'unknown periodisation key "%"', key USING ERRCODE = '22023',
      HINT = 'Use ''months'', ''days'' or ''history'' (each unit''s month profile of the three years before).';
  END IF;
  IF lower(method) IS DISTINCT FROM 'runrate' AND lower(method) IS DISTINCT FROM 'profile' THEN
    RAISE EXCEPTION 'unknown follow-up forecast method "%"', method USING ERRCODE = '22023',
      HINT = 'Use ''runrate'' (outcome ÷ elapsed months × 12) or ''profile'' (outcome ÷ the key''s share of the year so far).';
  END IF;
  IF subtotals IS NULL THEN
    RAISE EXCEPTION 'subtotals must be true or false, not NULL' USING ERRCODE = '22004';
  END IF;
  n := coalesce(cardinality(keys), 0);
  h := 'follow_up_report reads ledger_table(entry_date date, unit, amount sek) and budget_table(unit, valid_from date, amount sek), '
       'or the columns named by keys, date_column, amount_column, budget_date_column and budget_amount_column.';
  SELECT * INTO e FROM @extschema@.report_input_problem('follow_up_report', keys,
    ledger_table, 'ledger_table', date_column || keys || amount_column,
    'date'::regtype || array_fill(NULL::regtype, ARRAY[n]) || '@extschema@.sek'::regtype,
    budget_table, 'budget_table', keys || budget_date_column || budget_amount_column,
    array_fill(NULL::regtype, ARRAY[n]) || ARRAY['date', '@extschema@.sek']::regtype[], h);
  IF e.code IS NOT NULL THEN
    RAISE EXCEPTION USING MESSAGE = e.message, ERRCODE = e.code, HINT = e.hint;
  END IF;
  SELECT k.unit_sql, k.key_sql INTO unit_expr, key_expr FROM @extschema@.report_key_sql(keys) k;
  -- the key's parts in the rows below, for the subtotals' ROLLUP
  part_cols := (SELECT string_agg(format('ukey OPERATOR(pg_catalog.->) %L', k), ', ' ORDER BY i)
                FROM unnest(keys) WITH ORDINALITY u(k, i));
  -- one scan of the ledger from the first year needed up to as_of, grouped by
  -- key (partial aggregates in parallel); the budget joins the key rows
  -- afterwards, and each record is made from the sums (follow_up_unit, in
  -- the leader).  A key whose history cannot make a profile (none, a zero
  -- total, a month against the total's sign) gets twelfths and says so in
  -- note, rather than failing the report; so does a key without a budget.
  -- Subtotals and the total are sums of the keys' rows, so the table adds up.
  BEGIN
  EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE %I >= $1 AND %I <= $2)', budget_table, budget_date_column, budget_date_column)
    INTO found_budget USING ys, as_of;
  IF found_budget THEN
  RETURN QUERY EXECUTE format($q$
    WITH l AS (SELECT %7$I AS entry_date, %8$I AS amount, %5$s AS unit, %6$s AS ukey FROM %2$s),
    bt AS (SELECT %9$I AS valid_from, %10$I AS amount, %5$s AS unit, %6$s AS ukey FROM %1$s),
    a0 AS (
      SELECT ukey, pg_catalog.min(unit) AS unit, @extschema@.sum(amount) FILTER (WHERE entry_date >= $1) AS outcome,
             @extschema@.sum(amount) FILTER (WHERE entry_date >= $6 AND entry_date < $1) AS prev,
             @extschema@.sum(amount) FILTER (WHERE entry_date >= $6 AND entry_date <= $9) AS prev_period,
             %3$s AS hist
      FROM l WHERE entry_date >= $7 AND entry_date <= $2 GROUP BY ukey),
    a AS (
      SELECT a0.ukey, a0.unit, a0.outcome, a0.prev, a0.prev_period,
             -- each month's share of the total, as month_profile gives it
             CASE WHEN v.bad IS NULL
                  THEN (SELECT pg_catalog.array_agg(m.x OPERATOR(pg_catalog./) v.total ORDER BY m.i)
                        FROM pg_catalog.unnest(a0.hist) WITH ORDINALITY AS m(x, i)
                        WHERE m.i OPERATOR(pg_catalog.<=) 12) END AS prof,
             CASE WHEN a0.hist IS NOT NULL AND v.bad IS NOT NULL
                  THEN pg_catalog.format('%%s: twelfths used', v.bad) END AS note
      FROM a0 LEFT JOIN LATERAL (
        SELECT CASE WHEN t.n OPERATOR(pg_catalog.=) 0 THEN 'no history'
                    WHEN t.total OPERATOR(pg_catalog.=) 0 THEN 'history adds up to zero'
                    ELSE (SELECT pg_catalog.format('history month %%s against the total''s sign', pg_catalog.min(m.i))
                          FROM pg_catalog.unnest(a0.hist) WITH ORDINALITY AS m(x, i)
                          WHERE m.i OPERATOR(pg_catalog.<=) 12
                            AND pg_catalog.sign(m.x) OPERATOR(pg_catalog.=) -pg_catalog.sign(t.total)
                          HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 0) END AS bad,
               t.total
        FROM (SELECT pg_catalog.sum(h.x) FILTER (WHERE h.i OPERATOR(pg_catalog.<=) 12) AS total,
                     pg_catalog.max(h.x) FILTER (WHERE h.i OPERATOR(pg_catalog.=) 13) AS n
              FROM pg_catalog.unnest(a0.hist) WITH ORDINALITY AS h(x, i)) t) v ON a0.hist IS NOT NULL),
    b AS (SELECT ukey, pg_catalog.min(unit) AS unit, @extschema@.sum(amount) AS annual FROM bt
          WHERE valid_from >= $1 AND valid_from <= $2 GROUP BY ukey),
    j AS (SELECT ukey, coalesce(a.unit, b.unit) AS unit, prev OPERATOR(@extschema@.*) $5 AS prev,
                 prev_period OPERATOR(@extschema@.*) $5 AS prev_period,
                 b.annual OPERATOR(@extschema@.*) $5 AS annual,
                 coalesce(a.outcome, '0'::@extschema@.sek) OPERATOR(@extschema@.*) $5 AS outcome, prof,
                 a.note AS hist_note,
                 CASE WHEN b.annual IS NULL THEN pg_catalog.format('no budget for %%s', extract(year FROM $2)::int) END AS budget_note
          FROM a FULL JOIN b USING (ukey)),
    u AS (SELECT ukey, unit, prev, prev_period, hist_note, pg_catalog.array_to_string(ARRAY[budget_note, hist_note], '; ') AS note,
                 (@extschema@.follow_up_unit(unit, annual, outcome, $2, $3, $8, prof, $4)).*
          FROM j),
    -- the subtotals (each prefix of the keys, with subtotals) and the total
    -- (the empty prefix) from the keys' rows
    g AS (SELECT %12$s, GROUPING(%4$s) AS gr,
                 @extschema@.sum(prev) AS prev, @extschema@.sum(prev_period) AS prev_period,
                 NULLIF(pg_catalog.array_to_string(ARRAY[
                   CASE WHEN count(hist_note) > 0 THEN pg_catalog.format('%%s unit(s) on twelfths', count(hist_note)) END,
                   CASE WHEN count(*) FILTER (WHERE budget IS NULL) > 0
                        THEN pg_catalog.format('%%s unit(s) without a budget', count(*) FILTER (WHERE budget IS NULL)) END], '; '), '') AS note,
                 @extschema@.follow_up(@extschema@.sum(budget), @extschema@.sum(period_budget), @extschema@.sum(outcome),
                           CASE WHEN count(forecast) = count(*) THEN @extschema@.sum(forecast) END, $4) AS r
          FROM u GROUP BY ROLLUP (%4$s)),
    r AS (SELECT unit, prev, budget, period_budget, outcome, deviation, consumption, forecast,
                 forecast_deviation, deviation_pct, NULLIF(note, '') AS note, ukey, 0 AS level, prev_period FROM u
          UNION ALL
          -- gr has a bit per key part rolled up, the last part lowest: a
          -- subtotal of the first p parts has the n − p lowest bits set
          SELECT CASE WHEN s.parts IS NULL OR s.parts = '{}' THEN NULL
                      ELSE pg_catalog.array_to_string(s.parts, ' / ') END,
                 g.prev, (g.r).budget, (g.r).period_budget, (g.r).outcome, (g.r).deviation,
                 (g.r).consumption, (g.r).forecast, (g.r).forecast_deviation, (g.r).deviation_pct, g.note,
                 s.ukey, s.level, g.prev_period
          FROM g CROSS JOIN LATERAL (
            SELECT pg_catalog.length(pg_catalog.replace((g.gr)::bit(8)::text, '0', '')) AS level,
                   (SELECT pg_catalog.array_agg(x.v ->> 0 ORDER BY x.i)
                    FROM pg_catalog.unnest(ARRAY[%13$s]) WITH ORDINALITY AS x(v, i)
                    WHERE x.v IS NOT NULL AND x.i OPERATOR(pg_catalog.<=) ($10 OPERATOR(pg_catalog.-) pg_catalog.length(pg_catalog.replace((g.gr)::bit(8)::text, '0', '')))) AS parts,
                   (SELECT pg_catalog.jsonb_object_agg(k.name, x.v ORDER BY x.i)
                    FROM pg_catalog.unnest(ARRAY[%13$s]) WITH ORDINALITY AS x(v, i)
                    JOIN pg_catalog.unnest($11::name[]) WITH ORDINALITY AS k(name, i) USING (i)
                    WHERE x.i OPERATOR(pg_catalog.<=) ($10 OPERATOR(pg_catalog.-) pg_catalog.length(pg_catalog.replace((g.gr)::bit(8)::text, '0', '')))) AS ukey) s
          WHERE s.level OPERATOR(pg_catalog.>) 0 AND (s.level OPERATOR(pg_catalog.=) $10 OR $12))
    -- numeric out, so that every client driver reads a number (sek is text to them)
    SELECT unit, prev::numeric, budget::numeric, period_budget::numeric, outcome::numeric, deviation::numeric,
           consumption::numeric, forecast::numeric, forecast_deviation::numeric, deviation_pct::numeric, note,
           ukey, level, prev_period::numeric
    FROM r ORDER BY %11$s, level$q$, budget_table, ledger_table,
    -- 'history': the twelve calendar months of the three years before, and
    -- as a thirteenth element how many entries there were
    CASE WHEN lower(key) = 'history'
         THEN (SELECT format('ARRAY[%s, count(*) FILTER (WHERE entry_date < $1)::float8]', string_agg(format(
                'coalesce(@extschema@.sek_ore(@extschema@.sum(amount) FILTER (WHERE entry_date < $1 AND extract(month FROM entry_date) = %s)), 0)::float8', i), ', '))
               FROM generate_series(1, 12) i)
         ELSE 'NULL::float8[]' END,
    part_cols, unit_expr, key_expr, date_column, amount_column, budget_date_column, budget_amount_column,
    -- the order: by each key part (a subtotal after its keys), the total last
    (SELECT string_agg(format('ukey OPERATOR(pg_catalog.->) %L NULLS LAST', k), ', ' ORDER BY i)
     FROM unnest(keys) WITH ORDINALITY u(k, i)),
    -- the parts named p1 .. pn in the rollup, and read back from it
    (SELECT string_agg(format('ukey OPERATOR(pg_catalog.->) %L AS p%s', k, i), ', ' ORDER BY i)
     FROM unnest(keys) WITH ORDINALITY u(k, i)),
    (SELECT string_agg(format('g.p%s', i), ', ' ORDER BY i) FROM generate_series(1, n) i))
  USING ys, as_of, method, convention, sgn, (ys - interval '1 year')::date,
        (ys - CASE WHEN lower(key) = 'history' THEN interval '3 years' ELSE interval '1 year' END)::date, key,
        (as_of - interval '1 year')::date, n, keys, subtotals;
  END IF;
  EXCEPTION WHEN OTHERS THEN
    -- the report's own SQL is no help to its reader: the error as raised,
    -- with the tables (and the unit, from follow_up_unit) it concerns
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, st = RETURNED_SQLSTATE;
    m := format('follow_up_report over %s and %s: %s', ledger_table, budget_table, m);
    d := coalesce(NULLIF(d, '') || ' ', '') || format('As of %s, method %s, key %s, convention %s.', as_of, method, key, convention);
    IF coalesce(h, '') = '' THEN
      RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, DETAIL = d;
    END IF;
    RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, DETAIL = d, HINT = h;
  END;
  IF NOT found_budget THEN
    RAISE EXCEPTION 'as_of % is outside every budget year of %', as_of, budget_table USING ERRCODE = '22023',
      DETAIL = format('No budget row applies between %s and %s.', ys, as_of),
      HINT = 'Date the year''s budget decision on 1 January of its year (valid_from), and give an as_of in that year.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION follow_up_report(regclass, regclass, date, text, text, text, name[], name, name, name, name, boolean) IS 'The reports'' follow-up table (Delårsrapport 2 2023 §4.1, §4.2) per key and a total row (unit NULL, level = the number of keys, last): previous year''s outcome (Bokslut), budget in force at as_of, period budget, outcome, deviation, consumption %, year-end forecast, forecast deviation and its % of the budget, the key''s values (key_values jsonb), its level (0 for a key''s own row) and the same period''s outcome a year before (prev_period_outcome). keys name the key columns (default {unit}; e.g. {account_group} or {unit,account_group}); unit is the key''s text (the values joined by " / "). With subtotals, a row per prefix of the keys too (level = the number of keys summed over), after its keys. ledger_table needs the key columns, date_column (date, default entry_date) and amount_column (sek, default amount); budget_table the key columns, budget_date_column (default valid_from) and budget_amount_column (default amount), one row per decision dated when it applies; both in ledger signs (costs positive). key ''months'', ''days'' or ''history'' (each key''s month_profile of the three years before as_of''s year, twelfths without history); convention ''report'' prints costs negative. A key without history, or whose history cannot make a profile (its months add up to zero, or a month is against the total''s sign), is periodised and forecast by twelfths instead, and note says so; a key without a budget row says so too (subtotal and total rows count both). Subtotals and the total are the sums of the keys'' rows. A NULL table, a NULL column name or rows with a NULL key are ERROR 22004, a missing column 42703, a column of another type 42804, one the caller may not read 42501 (table and column named); an unknown method, key or convention, or keys not 1 to 8 distinct names, 22023; an error inside a key''s figures names it, and every error inside the report its two tables, never the report''s own SQL. Amounts and percentages are numeric (kronor with two decimals), so BI tools read numbers.';

-- from src/forecast.sql
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

CREATE FUNCTION forecast(model forecast_model, horizon integer,
                         OUT period date, OUT point float8, OUT lo80 float8, OUT hi80 float8,
                         OUT lo95 float8, OUT hi95 float8) RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'forecast_model_forecast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 18;
COMMENT ON FUNCTION forecast(forecast_model, integer) IS 'Forecast the horizon months after the model''s last month: the first day of each month, the point forecast and 80 % and 95 % prediction intervals (analytic with t quantiles for additive errors, 4000 simulated paths from a fixed seed for multiplicative ones). Horizon outside 1..600 is ERROR 22023.';

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

-- from src/refresh.sql
-- Nightly refresh of year-end forecasts and their accuracy: registered
-- ledgers, the snapshot table the refresh writes (both kept by pg_dump), the
-- refresh procedure for pg_cron, and forecast_accuracy over past snapshots.

CREATE TABLE forecast_ledger (
  ledger regclass NOT NULL,
  date_column name NOT NULL,
  amount_column name NOT NULL,
  key_columns name[] NOT NULL,
  registered_by name NOT NULL DEFAULT current_user,
  registered_at timestamptz NOT NULL DEFAULT now(),
  last_refresh timestamptz,
  last_error text,
  PRIMARY KEY (ledger, date_column, amount_column, key_columns));
COMMENT ON TABLE forecast_ledger IS 'Ledgers registered with register_ledger: refresh_forecasts forecasts each of them per value of its key columns, reading the ledger with the rights of registered_by (the role that registered it). last_refresh and last_error tell how the ledger''s last refresh went (last_error NULL: well). Row-level security: a role sees the registrations of roles it has the privileges of and of ledgers it may read, and changes only the former.';
SELECT pg_catalog.pg_extension_config_dump('forecast_ledger', '');

CREATE TABLE forecast_snapshot (
  taken_at timestamptz NOT NULL DEFAULT now(),
  taken_on date NOT NULL,
  ledger regclass NOT NULL,
  as_of date NOT NULL,
  key jsonb NOT NULL,
  method text NOT NULL,
  outcome sek,
  forecast sek,
  lo sek,
  hi sek,
  error text,
  recorded_by name,
  comment text,
  PRIMARY KEY (ledger, key, method, as_of, taken_on),
  -- only the office's rows name who recorded them (record_office_forecast
  -- always does; a superuser's direct INSERT may not)
  CONSTRAINT forecast_snapshot_recorded_by CHECK (recorded_by IS NULL OR method OPERATOR(pg_catalog.=) 'office'));
COMMENT ON TABLE forecast_snapshot IS 'Year-end forecasts written by refresh_forecasts, and the office''s own (method ''office'', written by record_office_forecast, with recorded_by and comment): one row per ledger, key (the key columns'' values as jsonb), method and as_of, replaced when written again the same day (taken_on); amounts in the ledger''s signs; outcome is the year so far, forecast the expected year total, lo/hi its 95 % interval where the method has one; error says why a key''s forecast failed (forecast NULL). Row-level security: a role sees the rows of ledgers it may SELECT (of a ledger with row-level security of its own, only with the privileges of the ledger''s owner).';
SELECT pg_catalog.pg_extension_config_dump('forecast_snapshot', '');

-- Row-level security of the two tables.  Their checks are SQL-standard
-- bodies, bound to the built-ins when the extension is created.
CREATE FUNCTION acts_as(rolename name) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (SELECT FROM pg_catalog.pg_roles r
                 WHERE r.rolname OPERATOR(pg_catalog.=) acts_as.rolename
                   AND pg_catalog.pg_has_role(r.oid, 'USAGE'));
END;
COMMENT ON FUNCTION acts_as(name) IS 'Does the current role have the privileges of this role (is it the role, a member that inherits it, or a superuser)? false for a role that no longer exists. The check of forecast_ledger''s row-level security.';

CREATE FUNCTION ledger_readable(ledger regclass) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT coalesce(pg_catalog.has_table_privilege(ledger_readable.ledger::pg_catalog.oid, 'SELECT'), false)
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_class c
                     WHERE c.oid OPERATOR(pg_catalog.=) ledger_readable.ledger::pg_catalog.oid
                       AND (c.relrowsecurity
                            OR EXISTS (SELECT FROM pg_catalog.unnest(c.reloptions) o
                                       WHERE o OPERATOR(pg_catalog.~*) '^security_invoker=(t|tr|tru|true|y|ye|yes|on|1)$'))
                       AND NOT pg_catalog.pg_has_role(c.relowner, 'USAGE'));
END;
COMMENT ON FUNCTION ledger_readable(regclass) IS 'May the current role see forecasts of this ledger: may it SELECT the table (table privilege), and, when the table has row-level security of its own or is a security_invoker view (the forecasts sum rows the role might not see: SELECT on such a view does not let it read the rows beneath), has it the privileges of the table''s owner? false for a dropped table. The check of forecast_snapshot''s row-level security.';

CREATE FUNCTION may_read_ledger(rolename name, ledger regclass, columns name[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (SELECT FROM pg_catalog.pg_class t WHERE t.oid OPERATOR(pg_catalog.=) may_read_ledger.ledger::pg_catalog.oid
                   AND t.relpersistence OPERATOR(pg_catalog.<>) 't')
     AND (coalesce(pg_catalog.has_table_privilege(may_read_ledger.rolename, may_read_ledger.ledger::pg_catalog.oid, 'SELECT'), false)
          OR NOT EXISTS (SELECT FROM pg_catalog.unnest(may_read_ledger.columns) c
                         WHERE NOT coalesce(pg_catalog.has_column_privilege(may_read_ledger.rolename, may_read_ledger.ledger::pg_catalog.oid,
                                                                            c::pg_catalog.text, 'SELECT'), false)));
END;
COMMENT ON FUNCTION may_read_ledger(name, regclass, name[]) IS 'Is the table a permanent one (not temporary), and may this role SELECT it, or each of these columns of it? (ERROR 42704 for a role that does not exist, 42703 for a missing column.) What register_ledger and forecast_ledger''s row-level security ask of the registering role.';

ALTER TABLE forecast_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY forecast_ledger_read ON forecast_ledger FOR SELECT
  USING (@extschema@.acts_as(registered_by) OR @extschema@.ledger_readable(ledger));
CREATE POLICY forecast_ledger_registrant ON forecast_ledger FOR ALL
  USING (@extschema@.acts_as(registered_by))
  WITH CHECK (@extschema@.acts_as(registered_by)
              AND @extschema@.may_read_ledger(registered_by, ledger, ARRAY[date_column, amount_column] || key_columns));
ALTER TABLE forecast_snapshot ENABLE ROW LEVEL SECURITY;
CREATE POLICY forecast_snapshot_read ON forecast_snapshot FOR SELECT
  USING (@extschema@.ledger_readable(ledger));
CREATE POLICY forecast_snapshot_write ON forecast_snapshot FOR ALL
  USING (method OPERATOR(pg_catalog.<>) 'office' AND @extschema@.ledger_readable(ledger)
         AND EXISTS (SELECT FROM @extschema@.forecast_ledger fl
                     WHERE fl.ledger OPERATOR(pg_catalog.=) forecast_snapshot.ledger AND @extschema@.acts_as(fl.registered_by)))
  WITH CHECK (method OPERATOR(pg_catalog.<>) 'office' AND @extschema@.ledger_readable(ledger)
         AND EXISTS (SELECT FROM @extschema@.forecast_ledger fl
                     WHERE fl.ledger OPERATOR(pg_catalog.=) forecast_snapshot.ledger AND @extschema@.acts_as(fl.registered_by)));
-- the office's forecasts: written today, as oneself, of a registered ledger
-- one may read; a row of an earlier day is history nobody rewrites
CREATE POLICY forecast_snapshot_office_insert ON forecast_snapshot FOR INSERT
  WITH CHECK (method OPERATOR(pg_catalog.=) 'office' AND recorded_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND taken_on OPERATOR(pg_catalog.=) CURRENT_DATE AND taken_at OPERATOR(pg_catalog.=) pg_catalog.now()
              AND @extschema@.ledger_readable(ledger)
              AND EXISTS (SELECT FROM @extschema@.forecast_ledger fl WHERE fl.ledger OPERATOR(pg_catalog.=) forecast_snapshot.ledger));
CREATE POLICY forecast_snapshot_office_update ON forecast_snapshot FOR UPDATE
  USING (method OPERATOR(pg_catalog.=) 'office' AND taken_on OPERATOR(pg_catalog.=) CURRENT_DATE
         AND @extschema@.ledger_readable(ledger))
  WITH CHECK (method OPERATOR(pg_catalog.=) 'office' AND recorded_by OPERATOR(pg_catalog.=) CURRENT_USER
              AND taken_on OPERATOR(pg_catalog.=) CURRENT_DATE AND taken_at OPERATOR(pg_catalog.=) pg_catalog.now()
              AND @extschema@.ledger_readable(ledger));
GRANT SELECT ON forecast_ledger, forecast_snapshot TO PUBLIC;
COMMENT ON POLICY forecast_ledger_read ON forecast_ledger IS 'A role sees its own registrations (and those of roles it has the privileges of) and those of ledgers it may read.';
COMMENT ON POLICY forecast_ledger_registrant ON forecast_ledger IS 'A role registers, changes and removes registrations only as a role it has the privileges of, and writes only registrations of ledgers registered_by may read: the refresh reads the ledger with registered_by''s rights.';
COMMENT ON POLICY forecast_snapshot_read ON forecast_snapshot IS 'A role sees the forecasts of the ledgers it may read (ledger_readable).';
COMMENT ON POLICY forecast_snapshot_write ON forecast_snapshot IS 'A role writes the models'' forecasts (every method but ''office'') of a ledger it may read and has registered (as itself or a role it has the privileges of).';
COMMENT ON POLICY forecast_snapshot_office_insert ON forecast_snapshot IS 'A role records an office forecast (method ''office'') of a registered ledger it may read, today and as itself (recorded_by = current_user, taken_at = now()): what record_office_forecast writes.';
COMMENT ON POLICY forecast_snapshot_office_update ON forecast_snapshot IS 'A role that may read the ledger replaces today''s office forecast of a key and as_of (the correction of the day), as itself; office rows of earlier days are history: no role but a superuser or the extension''s owner changes or deletes them.';

CREATE FUNCTION ledger_month_sums(ledger regclass, date_column name, amount_column name, key_columns name[],
                                  run_as regrole, from_date date, to_date date)
RETURNS TABLE (key jsonb, month date, amount sek)
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION ledger_month_sums(regclass, name, name, name[], regrole, date, date) IS 'The ledger''s amounts from from_date to to_date summed per key (the key columns'' values as jsonb) and calendar month, read with the rights of run_as inside a security-restricted operation (search_path pg_catalog, pg_temp), as PostgreSQL runs REFRESH MATERIALIZED VIEW over a user''s table: code the ledger''s owner wrote (a view, a cast, an operator) cannot act with the caller''s rights. The caller must have the privileges of run_as (ERROR 42501), a superuser run_as reads only a superuser''s tables (42501), and the columns must still be date and sek (42804). What refresh_forecasts and forecast_accuracy read ledgers with.';

CREATE FUNCTION register_ledger(ledger regclass, date_column name, amount_column name,
                                key_columns name[] DEFAULT '{}') RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  c name;
  t regtype;
  owner oid;
  persistence "char";
BEGIN
  IF ledger IS NULL OR date_column IS NULL OR amount_column IS NULL OR key_columns IS NULL
     OR array_position(key_columns, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'register_ledger needs a table, a date column, an amount column and key columns'
      USING ERRCODE = '22004';
  END IF;
  SELECT relowner, relpersistence INTO owner, persistence FROM pg_class WHERE oid = ledger;
  IF persistence = 't' THEN
    RAISE EXCEPTION '% is a temporary table', ledger USING ERRCODE = '42809',
      HINT = 'A ledger must outlive the session: register a permanent table or view.';
  END IF;
  -- check the columns now rather than at 3 a.m.
  FOREACH c IN ARRAY ARRAY[date_column, amount_column] || key_columns LOOP
    SELECT atttypid::regtype INTO t FROM pg_attribute
    WHERE attrelid = ledger AND attname = c AND attnum > 0 AND NOT attisdropped;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'column "%" does not exist in %', c, ledger USING ERRCODE = '42703';
    END IF;
    IF c = date_column AND t <> 'date'::regtype THEN
      RAISE EXCEPTION 'date column "%" of % is %, not date', c, ledger, t USING ERRCODE = '42804';
    END IF;
    IF c = amount_column AND t <> '@extschema@.sek'::regtype THEN
      RAISE EXCEPTION 'amount column "%" of % is %, not sek', c, ledger, t USING ERRCODE = '42804',
        HINT = 'Register a view that casts the amount: amount::sek.';
    END IF;
  END LOOP;
  -- the refresh reads the ledger with the registering role's rights: that
  -- role must be able to read it, and a superuser must not lend its rights
  -- to the code of a table an ordinary role owns
  IF NOT @extschema@.may_read_ledger(current_user, ledger, ARRAY[date_column, amount_column] || key_columns) THEN
    RAISE EXCEPTION 'permission denied to register %: role "%" may not read it', ledger, current_user
      USING ERRCODE = '42501',
            HINT = 'Register a ledger as a role that may SELECT it (its columns): the nightly refresh reads it with that role''s rights.';
  END IF;
  -- what the ledger's query reaches (a view, a column's type or its cast)
  -- may be an ordinary role's code: never read it as a superuser, nor as a
  -- role with rights the ledger's owner lacks
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RAISE EXCEPTION 'superuser "%" may not register %', current_user, ledger
      USING ERRCODE = '42501',
            HINT = format('The refresh reads a ledger with the registering role''s rights, never a superuser''s: SET ROLE %s (the owner) first.', owner::regrole);
  END IF;
  IF owner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(owner, (SELECT oid FROM pg_roles WHERE rolname = current_user), 'USAGE') THEN
    RAISE EXCEPTION 'role "%" may not register %, owned by "%", which lacks its rights', current_user, ledger, owner::regrole
      USING ERRCODE = '42501',
            HINT = format('The refresh would run code %s controls with the rights of "%s": let %s (or a role whose rights it has) register it.', owner::regrole, current_user, owner::regrole);
  END IF;
  INSERT INTO @extschema@.forecast_ledger (ledger, date_column, amount_column, key_columns, registered_by)
  VALUES (ledger, date_column, amount_column, key_columns, current_user)
  ON CONFLICT DO NOTHING;
END
$fn$;
COMMENT ON FUNCTION register_ledger(regclass, name, name, name[]) IS 'Names a ledger to forecast: its date column (date), amount column (sek) and the key columns to forecast it by (none = one forecast for the whole ledger); any column names. Records the calling role as registered_by: the nightly refresh reads the ledger with its rights. The caller must be able to SELECT the table or the named columns (ERROR 42501), must not be a superuser (42501: SET ROLE to the owner first) and must be the table''s owner or a role whose rights the owner has (42501), so that the owner''s code gains nothing by the refresh; a temporary table is 42809. Checked now; registering twice is a no-op. Needs INSERT on forecast_ledger.';

CREATE FUNCTION forget_dropped_ledgers() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  n_reg bigint;
  n_snap bigint;
BEGIN
  -- a registration of a dropped table would point at a bare OID, which a
  -- later table could take and which pg_dump cannot restore
  WITH d AS (SELECT objid FROM pg_event_trigger_dropped_objects()
             WHERE classid = 'pg_class'::regclass AND objsubid = 0)
  DELETE FROM @extschema@.forecast_snapshot s USING d WHERE s.ledger::oid = d.objid;
  GET DIAGNOSTICS n_snap = ROW_COUNT;
  WITH d AS (SELECT objid FROM pg_event_trigger_dropped_objects()
             WHERE classid = 'pg_class'::regclass AND objsubid = 0)
  DELETE FROM @extschema@.forecast_ledger l USING d WHERE l.ledger::oid = d.objid;
  GET DIAGNOSTICS n_reg = ROW_COUNT;
  IF n_reg > 0 OR n_snap > 0 THEN
    RAISE NOTICE 'actionplan: % registration(s) and % forecast snapshot(s) of the dropped ledger(s) removed', n_reg, n_snap;
  END IF;
END
$fn$;
COMMENT ON FUNCTION forget_dropped_ledgers() IS 'Event trigger function: when a registered ledger is dropped, its registrations and forecast snapshots go with it (a NOTICE says how many), so no registration is left pointing at a bare OID. Runs as the extension''s owner, touching only those rows.';
CREATE EVENT TRIGGER actionplan_forget_dropped_ledgers ON sql_drop
  EXECUTE FUNCTION forget_dropped_ledgers();
COMMENT ON EVENT TRIGGER actionplan_forget_dropped_ledgers IS 'Removes the registrations and snapshots of dropped ledgers (forget_dropped_ledgers).';

CREATE PROCEDURE refresh_forecasts(as_of date DEFAULT current_date - 1)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  l record;
  r record;
  m text;
  ys date;
  series_start date;
  series_end date;
  run_as regrole;
  fc @extschema@.sek;
  lo @extschema@.sek;
  hi @extschema@.sek;
  err text;
  key_err text;
  n_ok int := 0;
  n_failed int := 0;
  n_ledgers_failed int := 0;
  n_skipped int := 0;
BEGIN
  IF as_of IS NULL OR NOT isfinite(as_of) OR as_of < '0001-01-01' OR as_of > '9999-12-31' THEN
    RAISE EXCEPTION 'as_of must be a date between 0001-01-01 and 9999-12-31, not %', as_of USING ERRCODE = '22023';
  END IF;
  ys := make_date(extract(year FROM as_of)::int, 1, 1);
  -- the model methods fit the 60 complete months before as_of's month end
  series_end := (date_trunc('month', as_of + 1))::date;
  series_start := (series_end - interval '60 months')::date;
  FOR l IN SELECT * FROM @extschema@.forecast_ledger ORDER BY ledger::text, key_columns LOOP
    -- a role that is not a superuser refreshes only what it registered (or a
    -- role it has the privileges of registered): a refresh never reads a
    -- ledger with rights the caller does not have itself
    IF NOT @extschema@.acts_as(l.registered_by) THEN
      n_skipped := n_skipped + 1;
      CONTINUE;
    END IF;
    key_err := NULL;
    BEGIN
      run_as := (SELECT oid FROM pg_roles WHERE rolname = l.registered_by)::regrole;
      IF run_as IS NULL THEN
        RAISE EXCEPTION 'role "%", which registered %, no longer exists', l.registered_by, l.ledger
          USING ERRCODE = '42704', HINT = 'Register the ledger again as a role that may read it.';
      END IF;
      -- per key, from the ledger's sums per key and month (read as the
      -- registrant in a security-restricted operation, then at most 60 rows
      -- per key): the outcome of the year so far, the three years before by
      -- calendar month (the profile method's key) and the monthly series of
      -- the 60 complete months before as_of's month end in kronor (a month
      -- without entries is missing, for the models)
      FOR r IN
        WITH s AS (SELECT * FROM @extschema@.ledger_month_sums(l.ledger, l.date_column, l.amount_column,
                                                               l.key_columns, run_as, series_start, as_of)),
        p AS (SELECT s.key, extract(month FROM s.month)::int AS mon, sum(@extschema@.sek_ore(s.amount))::float8 AS v
              FROM s WHERE s.month < ys AND s.month >= (ys - interval '3 years')::date GROUP BY 1, 2)
        SELECT s.key,
               coalesce(@extschema@.sum(s.amount) FILTER (WHERE s.month >= ys), '0'::@extschema@.sek) AS outcome,
               (SELECT array_agg(coalesce(p.v, 0) ORDER BY g)
                FROM generate_series(1, 12) g LEFT JOIN p ON p.key = s.key AND p.mon = g) AS months,
               array_agg(s.month ORDER BY s.month) FILTER (WHERE s.month < series_end) AS series_months,
               array_agg(@extschema@.sek_ore(s.amount)::float8 / 100 ORDER BY s.month)
                 FILTER (WHERE s.month < series_end) AS series
        FROM s GROUP BY s.key ORDER BY s.key
      LOOP
        FOREACH m IN ARRAY ARRAY['runrate', 'profile', 'ets', 'comb'] LOOP
          fc := NULL; lo := NULL; hi := NULL; err := NULL;
          BEGIN
            IF m = 'runrate' THEN
              fc := @extschema@.forecast_runrate(r.outcome, as_of);
            ELSIF m = 'profile' THEN
              fc := @extschema@.forecast_profile(r.outcome, as_of,
                      CASE WHEN r.months = array_fill(0::float8, ARRAY[12])
                           THEN array_fill(1::float8, ARRAY[12]) ELSE r.months END);
            ELSE
              -- a model of the monthly series; its year-end sum with the 95 % interval
              SELECT ye.point::@extschema@.sek, ye.lo95::@extschema@.sek, ye.hi95::@extschema@.sek INTO fc, lo, hi
              FROM (SELECT @extschema@.forecast_fit(u.mon, u.v, m) AS model
                    FROM unnest(r.series_months, r.series) AS u(mon, v)) f,
                   @extschema@.year_end(f.model, extract(year FROM as_of)::int) ye;
              IF fc IS NULL THEN
                RAISE EXCEPTION 'no complete month with entries in the 60 months before %', as_of
                  USING ERRCODE = '22023';
              END IF;
            END IF;
            n_ok := n_ok + 1;
          EXCEPTION WHEN OTHERS THEN
            -- one key's failure (say a history with refunds larger than costs
            -- in some month, or too short a series for a model) is written
            -- down and does not stop the others
            err := SQLERRM;
            n_failed := n_failed + 1;
          END;
          BEGIN
            INSERT INTO @extschema@.forecast_snapshot (taken_on, ledger, as_of, key, method, outcome, forecast, lo, hi, error)
            VALUES (current_date, l.ledger, refresh_forecasts.as_of, r.key, m, r.outcome, fc, lo, hi, err)
            ON CONFLICT ON CONSTRAINT forecast_snapshot_pkey DO UPDATE
              SET taken_at = now(), outcome = EXCLUDED.outcome, forecast = EXCLUDED.forecast,
                  lo = EXCLUDED.lo, hi = EXCLUDED.hi, error = EXCLUDED.error;
          EXCEPTION WHEN OTHERS THEN
            -- a key that cannot be stored (say one too long for the index)
            -- is written down on the ledger; the other keys go on
            n_failed := n_failed + 1;
            key_err := format('key %s not written: %s', left(r.key::text, 200), SQLERRM);
          END;
        END LOOP;
      END LOOP;
      UPDATE @extschema@.forecast_ledger SET last_refresh = now(), last_error = key_err
      WHERE ledger = l.ledger AND date_column = l.date_column AND amount_column = l.amount_column
        AND key_columns = l.key_columns;
    EXCEPTION WHEN OTHERS THEN
      -- the ledger as a whole failed (it cannot be read, a column changed,
      -- its owner's code raised): written down; the other ledgers go on
      err := SQLERRM;
      n_ledgers_failed := n_ledgers_failed + 1;
      RAISE WARNING 'refresh_forecasts: ledger % failed: %', l.ledger, err;
      BEGIN
        UPDATE @extschema@.forecast_ledger SET last_refresh = now(), last_error = err
        WHERE ledger = l.ledger AND date_column = l.date_column AND amount_column = l.amount_column
          AND key_columns = l.key_columns;
      EXCEPTION WHEN insufficient_privilege THEN
        -- a caller that is not a superuser may not write down the error of
        -- a ledger its registrant can no longer read (row-level security):
        -- the WARNING above is all it leaves
        NULL;
      END;
    END;
  END LOOP;
  RAISE NOTICE 'refresh_forecasts: % forecasts written, % failed; % ledger(s) failed, % skipped (registered by roles the caller does not act as)',
    n_ok, n_failed, n_ledgers_failed, n_skipped;
END
$fn$;
COMMENT ON PROCEDURE refresh_forecasts(date) IS 'The nightly job (pg_cron: CALL refresh_forecasts()): for every registered ledger and key, the year-end forecast as of as_of (default yesterday) by each method (''runrate''; ''profile'' by the key''s last three years'' monthly pattern; ''ets'' and ''comb'': forecast_fit models of the key''s 60 complete months before as_of''s month end, year_end with its 95 % interval in lo/hi) into forecast_snapshot. Each ledger is read with the rights of the role that registered it, in a security-restricted operation (ledger_month_sums); a caller that is not a superuser refreshes only the ledgers registered by roles it has the privileges of. Idempotent for a day; a failing key gets a row with its error, a failing ledger its error in forecast_ledger.last_error (and a WARNING), and the others go on.';

CREATE FUNCTION forecast_errors(of_ledger regclass DEFAULT NULL, year_from integer DEFAULT NULL, year_to integer DEFAULT NULL)
RETURNS TABLE (ledger regclass, key jsonb, method text, as_of date, months_before_end integer,
               forecast numeric, outcome numeric, error numeric)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  l record;
  run_as regrole;
  first_day date;
  last_day date := (date_trunc('year', current_date) - interval '1 day')::date;
BEGIN
  IF year_from < 1 OR year_from > 9999 OR year_to < 1 OR year_to > 9999 THEN
    RAISE EXCEPTION 'years % to % are outside 1..9999', year_from, year_to USING ERRCODE = '22023';
  END IF;
  IF year_from > year_to THEN
    RAISE EXCEPTION 'year_from % is after year_to %', year_from, year_to USING ERRCODE = '22023';
  END IF;
  IF year_to IS NOT NULL THEN
    last_day := least(last_day, make_date(year_to, 12, 31));
  END IF;
  -- each registered ledger the caller may see forecasts of; one that cannot
  -- be read is left out with a WARNING and does not stop the others
  FOR l IN SELECT fl.* FROM @extschema@.forecast_ledger fl
           WHERE @extschema@.ledger_readable(fl.ledger)
             AND (of_ledger IS NULL OR fl.ledger = of_ledger)
           ORDER BY fl.ledger, fl.key_columns LOOP
    SELECT make_date(extract(year FROM min(s.as_of))::int, 1, 1) INTO first_day
    FROM @extschema@.forecast_snapshot s WHERE s.ledger = l.ledger AND s.forecast IS NOT NULL;
    IF year_from IS NOT NULL THEN
      first_day := greatest(first_day, make_date(year_from, 1, 1));
    END IF;
    CONTINUE WHEN first_day IS NULL OR first_day > last_day;
    -- read as the registrant when the caller may act as it, else with the
    -- caller's own rights; either way in a security-restricted operation
    run_as := CASE WHEN @extschema@.acts_as(l.registered_by)
                   THEN (SELECT oid FROM pg_roles WHERE rolname = l.registered_by)
                   ELSE (SELECT oid FROM pg_roles WHERE rolname = current_user) END::regrole;
    BEGIN
      -- the ledger's sums are aggregated before the first row is returned,
      -- so a failing ledger adds no rows
      RETURN QUERY
        WITH f AS (SELECT ms.key, extract(year FROM ms.month)::int AS y, @extschema@.sum(ms.amount) AS final
                   FROM @extschema@.ledger_month_sums(l.ledger, l.date_column, l.amount_column, l.key_columns,
                                                      run_as, first_day, last_day) ms
                   GROUP BY 1, 2),
        -- of each key, method and as_of the newest row (the office's
        -- history: the last word it recorded for that as_of)
        s AS (SELECT DISTINCT ON (fs.key, fs.method, fs.as_of) fs.*
              FROM @extschema@.forecast_snapshot fs
              WHERE fs.ledger = l.ledger AND fs.forecast IS NOT NULL
              ORDER BY fs.key, fs.method, fs.as_of, fs.taken_at DESC)
        SELECT l.ledger, s.key, s.method, s.as_of, 12 - extract(month FROM s.as_of)::int,
               s.forecast::numeric, f.final::numeric, (s.forecast OPERATOR(@extschema@.-) f.final)::numeric
        FROM s JOIN f ON f.key = s.key AND f.y = extract(year FROM s.as_of)::int
        ORDER BY s.key, s.method, s.as_of;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'forecast_errors: ledger % left out: %', l.ledger, SQLERRM;
    END;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION forecast_errors(regclass, integer, integer) IS 'Every past forecast against its year''s final outcome: for each registered ledger the caller may read (or only of_ledger), key, method (the models'' and ''office'') and as_of of an ended year (optionally of year_from..year_to), the newest snapshot (newest taken_at) with months before year end (12 − the month of as_of), its forecast, the year''s final outcome read from the ledger and the error forecast − outcome (positive = too high), numeric kronor. The ledger is read as its registrant when the caller has that role''s privileges, else with the caller''s own rights, in a security-restricted operation; a ledger that cannot be read is left out with a WARNING. Years outside 1..9999 or year_from after year_to: ERROR 22023. What forecast_accuracy and forecast_contest summarise.';

CREATE FUNCTION forecast_accuracy(year integer DEFAULT NULL)
RETURNS TABLE (ledger regclass, key jsonb, method text, months_before_end integer, n bigint,
               mean_error numeric, mean_abs_error numeric, mean_abs_pct numeric)
LANGUAGE sql
BEGIN ATOMIC
  -- numeric out, so that every client driver reads a number; the means are
  -- the sek aggregate's (exact, rounded to öre)
  SELECT e.ledger, e.key, e.method, e.months_before_end, pg_catalog.count(*),
         @extschema@.avg(e.error::@extschema@.sek)::pg_catalog.numeric,
         @extschema@.avg(@extschema@.abs(e.error::@extschema@.sek))::pg_catalog.numeric,
         pg_catalog.avg(pg_catalog.abs(e.error OPERATOR(pg_catalog.*) 100)::pg_catalog.float8
                        OPERATOR(pg_catalog./) NULLIF(pg_catalog.abs(e.outcome OPERATOR(pg_catalog.*) 100), 0)::pg_catalog.float8
                        OPERATOR(pg_catalog.*) 100)::pg_catalog.numeric
  FROM @extschema@.forecast_errors(NULL, forecast_accuracy.year, forecast_accuracy.year) e
  GROUP BY e.ledger, e.key, e.method, e.months_before_end
  ORDER BY e.ledger, e.key, e.method, e.months_before_end DESC;
END;
COMMENT ON FUNCTION forecast_accuracy(integer) IS 'Prognossäkerhet: for each registered ledger the caller may read, key and method (the models'' and the office''s own, ''office''), by months before year end (12 − the month of as_of), how far the newest snapshot forecasts were from the final year outcome of ended years (forecast_errors): n, mean signed error (forecast − outcome; positive = forecast too high), mean absolute error (numeric kronor, two decimals) and mean absolute error in % of the outcome (numeric); optionally one year only (outside 1..9999: ERROR 22023). The ledger is read as its registrant when the caller has that role''s privileges, else with the caller''s own rights, in a security-restricted operation; a ledger that cannot be read is left out with a WARNING.';

-- What BI tools read: the newest forecast of each ledger, key and method, in
-- numeric.  security_invoker: forecast_snapshot's row-level security applies
-- to the reader, not to the view's owner.
CREATE VIEW forecast_latest WITH (security_invoker = true) AS
SELECT DISTINCT ON (s.ledger, s.key, s.method)
       s.ledger, s.key, s.method, s.as_of, s.taken_at, s.outcome::numeric AS outcome,
       s.forecast::numeric AS forecast, s.lo::numeric AS lo, s.hi::numeric AS hi, s.error
FROM @extschema@.forecast_snapshot s
ORDER BY s.ledger, s.key, s.method, s.as_of DESC, s.taken_at DESC;
GRANT SELECT ON forecast_latest TO PUBLIC;
COMMENT ON VIEW forecast_latest IS 'The latest year-end forecast per ledger, key and method: the forecast_snapshot row of the newest as_of (of that day, the newest taken_at), with outcome (the year so far), forecast and its 95 % interval lo/hi as numeric kronor with two decimals, so BI tools read numbers; error says why it failed (forecast NULL). Runs with the reader''s rights (security_invoker): a role sees only the ledgers it may read, as in forecast_snapshot.';

-- The office's own year-end forecast, month after month, beside the models'.
CREATE FUNCTION check_forecast_args(ledger regclass, as_of date, method text, methods text[]) RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF ledger IS NULL THEN
    RAISE EXCEPTION 'a ledger is needed, not NULL' USING ERRCODE = '22004';
  END IF;
  IF NOT @extschema@.ledger_readable(ledger) THEN
    RAISE EXCEPTION 'permission denied to the forecasts of %: role "%" may not read it', ledger, current_user
      USING ERRCODE = '42501',
            HINT = 'The forecasts of a ledger are for the roles that may SELECT it (docs/security.md).';
  END IF;
  IF NOT EXISTS (SELECT FROM @extschema@.forecast_ledger fl WHERE fl.ledger = check_forecast_args.ledger) THEN
    RAISE EXCEPTION '% is not a registered ledger', ledger USING ERRCODE = '42704',
      HINT = 'Its owner registers it first: register_ledger(ledger, date_column, amount_column, key_columns).';
  END IF;
  IF as_of IS NULL OR NOT isfinite(as_of) OR as_of < '0001-01-01' OR as_of > '9999-12-31' THEN
    RAISE EXCEPTION 'as_of must be a date between 0001-01-01 and 9999-12-31, not %', as_of USING ERRCODE = '22023';
  END IF;
  IF method IS NULL OR NOT method = ANY (methods) THEN
    RAISE EXCEPTION 'method must be one of %, not %', array_to_string(methods, ', '), coalesce(quote_literal(method), 'NULL')
      USING ERRCODE = '22023', HINT = 'comb is the official forecast, office the office''s own.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION check_forecast_args(regclass, date, text, text[]) IS 'Checks the arguments of the office-forecast functions: a NULL ledger is ERROR 22004, a ledger the caller may not read (ledger_readable) 42501, one not registered with register_ledger 42704 (with a hint), a NULL, infinite or out-of-range as_of 22023, a method not among methods 22023.';

CREATE FUNCTION record_office_forecast(ledger regclass, key jsonb, as_of date, forecast sek, comment text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  shapes text;
  model record;
  inserted boolean;
BEGIN
  PERFORM @extschema@.check_forecast_args(ledger, as_of, 'office', '{office}');
  IF key IS NULL OR jsonb_typeof(key) <> 'object' THEN
    RAISE EXCEPTION 'key must be a jsonb object of the key columns'' values, not %', coalesce(key::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'E.g. ''{"unit": "Barn och unga"}'', or ''{}'' for the ledger as a whole.';
  END IF;
  -- the key has the columns of one of the ledger's registrations
  IF NOT EXISTS (SELECT FROM @extschema@.forecast_ledger fl
                 WHERE fl.ledger = record_office_forecast.ledger
                   AND (SELECT array_agg(c::text ORDER BY c::text) FROM unnest(fl.key_columns) c)
                       IS NOT DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(key) k)) THEN
    SELECT string_agg(DISTINCT array_to_string(fl.key_columns, ', ', ''), '; ') INTO shapes
    FROM @extschema@.forecast_ledger fl WHERE fl.ledger = record_office_forecast.ledger;
    RAISE EXCEPTION 'key % does not have the key columns of any registration of %', key, ledger
      USING ERRCODE = '22023', HINT = format('Its registrations are by: %s (empty: the ledger as a whole).', shapes);
  END IF;
  IF forecast IS NULL THEN
    RAISE EXCEPTION 'a forecast is needed, not NULL' USING ERRCODE = '22004';
  END IF;
  IF @extschema@.abs(forecast) OPERATOR(@extschema@.>=) '1000000000000'::@extschema@.sek THEN
    RAISE EXCEPTION 'forecast % is out of range for a year-end forecast', forecast USING ERRCODE = '22003',
      HINT = 'A year-end forecast is an amount in kronor below 1 000 000 mnkr.';
  END IF;
  -- the models' newest view of the same key and year up to as_of: a slip of
  -- sign or unit is refused against it
  SELECT s.outcome, s.forecast INTO model
  FROM @extschema@.forecast_snapshot s
  WHERE s.ledger = record_office_forecast.ledger AND s.key = record_office_forecast.key AND s.method = 'comb'
    AND s.as_of <= record_office_forecast.as_of
    AND s.as_of >= make_date(extract(year FROM record_office_forecast.as_of)::int, 1, 1) AND s.forecast IS NOT NULL
  ORDER BY s.as_of DESC, s.taken_at DESC LIMIT 1;
  IF FOUND THEN
    IF sign(@extschema@.sek_ore(forecast)) = -sign(@extschema@.sek_ore(model.forecast))
       AND sign(@extschema@.sek_ore(forecast)) = -sign(@extschema@.sek_ore(model.outcome))
       AND sign(@extschema@.sek_ore(forecast)) <> 0 THEN
      RAISE EXCEPTION 'forecast % of key % has the opposite sign of the year''s outcome so far (%) and of the comb forecast (%)',
        forecast, key, model.outcome, model.forecast USING ERRCODE = '22023',
        HINT = 'Forecasts are in the ledger''s signs (in a ledger of costs, costs are positive), not the report''s.';
    END IF;
    IF abs(@extschema@.sek_ore(forecast)::numeric)
       > 100 * greatest(abs(@extschema@.sek_ore(model.forecast)), abs(@extschema@.sek_ore(model.outcome)))::numeric
       AND greatest(abs(@extschema@.sek_ore(model.forecast)), abs(@extschema@.sek_ore(model.outcome))) > 0 THEN
      RAISE EXCEPTION 'forecast % of key % is over 100 times the comb forecast (%) and the year''s outcome so far (%)',
        forecast, key, model.forecast, model.outcome USING ERRCODE = '22003',
        HINT = 'The amount is in kronor: write ''6,2 mnkr'' or ''6 200 tkr''.';
    END IF;
  ELSIF NOT EXISTS (SELECT FROM @extschema@.forecast_snapshot s
                    WHERE s.ledger = record_office_forecast.ledger AND s.key = record_office_forecast.key
                      AND s.method <> 'office') THEN
    RAISE WARNING 'no model forecast of % has the key %: is the key spelled as the ledger''s values?', ledger, key;
  END IF;
  -- a second recording the same day replaces the day's row (a correction);
  -- one on a later day adds a row: the newest taken_at is the office's forecast
  INSERT INTO @extschema@.forecast_snapshot AS s
    (taken_at, taken_on, ledger, as_of, key, method, outcome, forecast, recorded_by, comment)
  VALUES (now(), current_date, ledger, as_of, key, 'office', model.outcome, forecast, current_user, comment)
  ON CONFLICT ON CONSTRAINT forecast_snapshot_pkey DO UPDATE
    SET taken_at = EXCLUDED.taken_at, outcome = EXCLUDED.outcome, forecast = EXCLUDED.forecast,
        recorded_by = EXCLUDED.recorded_by, comment = EXCLUDED.comment
  RETURNING s.xmax = 0 INTO inserted;
  RETURN CASE WHEN inserted THEN 'recorded' ELSE 'replaced' END;
END
$fn$;
COMMENT ON FUNCTION record_office_forecast(regclass, jsonb, date, sek, text) IS 'Records the office''s own year-end forecast of a key of a registered ledger as of a date (any date; month ends make the monthly series forecast_change compares) in forecast_snapshot as method ''office'', in the ledger''s signs like the models'' rows, with recorded_by = current_user, taken_at = now(), the comment, and as outcome the year so far of the newest comb snapshot of that year up to as_of. Returns ''recorded'', or ''replaced'' when the same ledger, key and as_of was recorded earlier the same day (the day''s correction); a recording on a later day adds a row and keeps the earlier as history (the newest taken_at wins, as in forecast_latest and forecast_accuracy). refresh_forecasts never writes or removes office rows. The caller must be able to read the ledger (42501), the ledger be registered (42704) and the key have the key columns of one of its registrations (22023); a NULL forecast is 22004, one of 1 000 000 mnkr or more 22003, one over 100 times the comb forecast and the outcome so far 22003, and one of the opposite sign of both 22023 (the report''s signs instead of the ledger''s). Needs INSERT and UPDATE on forecast_snapshot (row-level security lets a role write only its own office rows of today).';

CREATE FUNCTION forecast_change(ledger regclass, as_of date, method text DEFAULT 'comb')
RETURNS TABLE (key jsonb, as_of date, forecast numeric, prev_as_of date, prev_forecast numeric, change numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT @extschema@.check_forecast_args(forecast_change.ledger, forecast_change.as_of, forecast_change.method,
                                         '{runrate,profile,ets,comb,office}');
  -- per key the newest forecast of as_of's month up to as_of, and the newest
  -- of the month before when it is of the same year (January has none: last
  -- December forecast another year)
  WITH s AS (SELECT DISTINCT ON (fs.key, pg_catalog.date_trunc('month', fs.as_of)) fs.key, fs.as_of, fs.forecast
             FROM @extschema@.forecast_snapshot fs
             WHERE fs.ledger OPERATOR(pg_catalog.=) forecast_change.ledger
               AND fs.method OPERATOR(pg_catalog.=) forecast_change.method
               AND fs.as_of OPERATOR(pg_catalog.<=) forecast_change.as_of
               AND fs.as_of OPERATOR(pg_catalog.>=) GREATEST(
                     (pg_catalog.date_trunc('month', forecast_change.as_of) OPERATOR(pg_catalog.-) '1 month'::pg_catalog.interval)::pg_catalog.date,
                     pg_catalog.date_trunc('year', forecast_change.as_of)::pg_catalog.date)
             ORDER BY fs.key, pg_catalog.date_trunc('month', fs.as_of), fs.as_of DESC, fs.taken_at DESC),
  cur AS (SELECT * FROM s WHERE s.as_of OPERATOR(pg_catalog.>=) pg_catalog.date_trunc('month', forecast_change.as_of)::pg_catalog.date),
  prev AS (SELECT * FROM s WHERE s.as_of OPERATOR(pg_catalog.<) pg_catalog.date_trunc('month', forecast_change.as_of)::pg_catalog.date)
  SELECT coalesce(cur.key, prev.key), cur.as_of, cur.forecast::pg_catalog.numeric, prev.as_of, prev.forecast::pg_catalog.numeric,
         (cur.forecast OPERATOR(@extschema@.-) prev.forecast)::pg_catalog.numeric
  FROM cur FULL JOIN prev ON prev.key OPERATOR(pg_catalog.=) cur.key
  ORDER BY 1;
END;
COMMENT ON FUNCTION forecast_change(regclass, date, text) IS 'The monthly report''s pairs "this month''s forecast (last month''s)": per key of the ledger, the newest forecast of the method (default ''comb'', the official one; or ''office'', the office''s own, or another model) made in as_of''s month up to as_of (as_of, forecast), the newest made the month before (prev_as_of, prev_forecast; none in January: December forecast another year) and change = forecast − prev_forecast, numeric kronor in the ledger''s signs (NULL where either is missing). Reads forecast_snapshot with the caller''s rights. A ledger the caller may not read is ERROR 42501, one not registered 42704, a NULL or infinite as_of or an unknown method 22023.';

CREATE FUNCTION forecast_contest(ledger regclass, year_from integer, year_to integer, method text DEFAULT 'comb')
RETURNS TABLE (key jsonb, months_before_end integer, n bigint, office_mae numeric, model_mae numeric,
               difference numeric, closer text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  PERFORM @extschema@.check_forecast_args(ledger, current_date, method, '{runrate,profile,ets,comb}');
  IF year_from IS NULL OR year_to IS NULL THEN
    RAISE EXCEPTION 'forecast_contest needs year_from and year_to' USING ERRCODE = '22004';
  END IF;
  -- the office's forecast and the model's of the same key and as_of, each
  -- against the year's outcome
  RETURN QUERY
    WITH e AS (SELECT * FROM @extschema@.forecast_errors(ledger, year_from, year_to) fe
               WHERE fe.method IN ('office', forecast_contest.method)),
    p AS (SELECT o.key, o.months_before_end AS mb, abs(o.error) AS oe, abs(m.error) AS me
          FROM e o JOIN e m ON m.key = o.key AND m.as_of = o.as_of AND m.method = forecast_contest.method
          WHERE o.method = 'office'),
    g AS (SELECT p.key, p.mb, count(*) AS n, round(avg(p.oe), 2) AS oe, round(avg(p.me), 2) AS me
          FROM p GROUP BY p.key, p.mb)
    SELECT g.key, g.mb, g.n, g.oe, g.me, g.oe - g.me,
           CASE WHEN g.oe < g.me THEN 'office' WHEN g.oe > g.me THEN forecast_contest.method ELSE 'tie' END
    FROM g ORDER BY g.key, g.mb DESC;
END
$fn$;
COMMENT ON FUNCTION forecast_contest(regclass, integer, integer, text) IS 'Whose forecasts were closer: per key of the ledger and months before year end, over the ended years year_from..year_to, the office''s forecasts (method ''office'') against the model''s (default ''comb'', the official one) of the same key and as_of (pairs where both exist; the newest row of each): n pairs, each side''s mean absolute error against the year''s final outcome (numeric kronor, two decimals; forecast_errors), difference = office − model (negative: the office was closer) and closer = ''office'', the model''s name or ''tie''. A ledger the caller may not read is ERROR 42501, one not registered 42704, NULL years 22004, years outside 1..9999 or year_from after year_to or a method that is not a model 22023.';

-- from src/its.sql
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
  trend_df float8,
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
COMMENT ON TYPE its_effect_result IS 'Result of its_effect: the intervention month, the series'' first and last months, observed months before and after, whether month-of-year effects were modelled, the AR(1) rho, residual df and sigma; the level change and trend change (per month) with standard errors and 95 % intervals; the trend before; the effect in the last month and summed over the months from the intervention to the last one, with 95 % confidence intervals (of the modelled effect, not prediction intervals).';

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

-- from src/effect.sql
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
--   NULL horizon_days                     the default horizon;
--   no start, negative daily cost,
--   infinite as_of, a stay over 100
--   years, as_of or horizon differing
--   in a group, horizon outside 1 ..
--   36525 or beyond a group's follow-up,
--   no treated or no untreated stays      ERROR 22023.

CREATE TYPE stay_effect_result AS (
  as_of date,                 -- the day the stays are seen from
  tau integer,                -- horizon: stay lengths are counted up to tau days
  n_treated bigint,           -- treated stays started by as_of
  treated_open bigint,        -- of them still open at as_of (censored)
  n_untreated bigint,         -- untreated stays started by as_of
  untreated_open bigint,      -- of them still open at as_of
  rmst_treated float8,        -- restricted mean stay length of the treated stays, days
  rmst_treated_se float8,     -- its standard error (Greenwood-type, as R survfit's se(rmean))
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
COMMENT ON FUNCTION stay_effect_final(internal) IS 'stay_effect final: the Kaplan–Meier curve of each group, their restricted means up to tau with Greenwood-type variances, days and cost saved with 95 % intervals.';

CREATE AGGREGATE stay_effect(stay daterange, daily_cost sek, treated boolean, as_of date) (
  SFUNC = stay_effect_accum, STYPE = internal,
  FINALFUNC = stay_effect_final,
  COMBINEFUNC = stay_effect_combine,
  SERIALFUNC = stay_effect_serialize, DESERIALFUNC = stay_effect_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date) IS 'Care days and cost saved by the treated stays against the untreated stays of the group, seen at as_of (open stays censored there, later stays left out): n_treated × the difference of the groups'' restricted mean stay lengths up to tau = the shorter of the two groups'' longest follow-up, with a 95 % interval from the Greenwood-type variances (as R survfit''s rmean); cost at the treated stays'' mean daily cost. Assumes comparable groups: see stay_effect_result and the README.';

CREATE AGGREGATE stay_effect(stay daterange, daily_cost sek, treated boolean, as_of date, horizon_days integer) (
  SFUNC = stay_effect_accum, STYPE = internal,
  FINALFUNC = stay_effect_final,
  COMBINEFUNC = stay_effect_combine,
  SERIALFUNC = stay_effect_serialize, DESERIALFUNC = stay_effect_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date, integer) IS 'stay_effect with stay lengths counted up to a given horizon in days (1 .. 36525; NULL: the default): a horizon beyond a group''s longest follow-up is ERROR 22023 unless that group''s curve has fallen to 0.';

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
  BEGIN
    r.net := cost_saved OPERATOR(@extschema@.-) own_cost;
  EXCEPTION WHEN numeric_value_out_of_range THEN
    RAISE EXCEPTION 'net_effect: cost saved % kr less own cost % kr is out of range for sek', cost_saved, own_cost
      USING ERRCODE = '22003',
            HINT = 'Amounts must lie within ±92 233 720 368 547 758,07 kr.';
  END;
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

-- from src/plan.sql
-- Action plans (handlingsplaner, åtgärdsplaner): the register of plans,
-- measures, expected effects per year (estimate), follow-ups with achieved
-- effects (sek) and the measures' own costs — tables kept by pg_dump — and the
-- questions a committee asks of them: totals per year, realisation, coverage of
-- the deficit or savings requirement, measures behind schedule, and a
-- consistency check of the plan as it was written.
--
-- Sign convention: effects, costs and requirements are positive amounts (a
-- saving of 2 mkr is '2 mkr', a deficit of 15 000 tkr to cover is '15 000 tkr').

CREATE SEQUENCE action_plan_id_seq;
COMMENT ON SEQUENCE action_plan_id_seq IS 'Numbers of action_plan rows.';
CREATE TABLE action_plan (
  plan_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('action_plan_id_seq'::regclass),
  committee text NOT NULL,
  title text NOT NULL,
  first_year integer NOT NULL,
  last_year integer NOT NULL,
  requirement_kind text NOT NULL,
  requirement sek NOT NULL,
  requirement_year integer,
  decided date,
  diary_number text,
  source text,
  CONSTRAINT action_plan_years CHECK (first_year BETWEEN 1900 AND 2999
                                      AND last_year BETWEEN first_year AND first_year + 19),
  CONSTRAINT action_plan_requirement_kind CHECK (requirement_kind IN ('deficit', 'savings_requirement')),
  CONSTRAINT action_plan_requirement CHECK (requirement >= '0'::sek),
  CONSTRAINT action_plan_requirement_year CHECK (requirement_year BETWEEN first_year AND last_year));
ALTER SEQUENCE action_plan_id_seq OWNED BY action_plan.plan_id;
COMMENT ON TABLE action_plan IS 'Action plans: committee, title, the years first_year..last_year the plan covers, the requirement the measures must cover (requirement_kind ''deficit'': a forecast deficit; ''savings_requirement'': a sparbeting) as a positive amount, for requirement_year or (NULL) for the plan as a whole; decision date, diary number and the source document.';

CREATE TABLE plan_stated_total (
  plan_id integer NOT NULL REFERENCES action_plan ON DELETE CASCADE,
  year integer,
  stated estimate NOT NULL,
  CONSTRAINT plan_stated_total_once UNIQUE NULLS NOT DISTINCT (plan_id, year));
COMMENT ON TABLE plan_stated_total IS 'The totals a plan document states for its expected effects, as written: per year, or (year NULL) for all its years. plan_check compares them with what the measures'' effects save in those years (a permanent level in every year from its start, a linked measure counted once).';

CREATE SEQUENCE plan_measure_id_seq;
COMMENT ON SEQUENCE plan_measure_id_seq IS 'Numbers of plan_measure rows.';
CREATE TABLE plan_measure (
  measure_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('plan_measure_id_seq'::regclass),
  plan_id integer NOT NULL REFERENCES action_plan ON DELETE CASCADE,
  number integer,
  title text NOT NULL,
  kind text NOT NULL DEFAULT 'short_term',
  how text,
  due date,
  responsible text,
  follow_up_every interval,
  follow_up_how text,
  decided date,
  diary_number text,
  status text NOT NULL DEFAULT 'planned',
  categories text[] NOT NULL DEFAULT '{}',
  accounts text[] NOT NULL DEFAULT '{}',
  stated_total estimate,
  note text,
  CONSTRAINT plan_measure_number UNIQUE (plan_id, number),
  CONSTRAINT plan_measure_plan UNIQUE (plan_id, measure_id),
  CONSTRAINT plan_measure_kind CHECK (kind IN ('short_term', 'political_decision')),
  CONSTRAINT plan_measure_status CHECK (status IN ('planned', 'started', 'implemented', 'cancelled')),
  CONSTRAINT plan_measure_follow_up_every CHECK (follow_up_every > interval '0'));
ALTER SEQUENCE plan_measure_id_seq OWNED BY plan_measure.measure_id;
COMMENT ON TABLE plan_measure IS 'Measures of an action plan: number (löpnr), title, kind (''short_term'': can be carried out at once; ''political_decision'': needs an inquiry or a decision), how and by whom, due (when it should be in place), responsible manager, follow-up cadence (follow_up_every) and how, decision date and diary number, status (planned, started, implemented, cancelled), the placement categories and accounts it acts on, and the row total the document states (stated_total; NULL = blank).';

CREATE TABLE measure_effect (
  measure_id integer NOT NULL REFERENCES plan_measure ON DELETE CASCADE,
  year integer,
  expected estimate,
  cost sek NOT NULL DEFAULT '0',
  kind text NOT NULL DEFAULT 'one_off',
  starts date,
  unquantified boolean NOT NULL DEFAULT false,
  wording text,
  CONSTRAINT measure_effect_kind CHECK (kind IN ('one_off', 'permanent')),
  CONSTRAINT measure_effect_one_off_year CHECK (kind <> 'one_off' OR (year IS NOT NULL AND starts IS NULL)),
  CONSTRAINT measure_effect_permanent_starts CHECK (kind <> 'permanent'
    OR (starts IS NOT NULL AND (year IS NULL OR year = pg_catalog.date_part('year', starts)))),
  CONSTRAINT measure_effect_starts CHECK (isfinite(starts) AND pg_catalog.date_part('day', starts) = 1
                                          AND starts BETWEEN DATE '1900-01-01' AND DATE '2999-12-01'),
  CONSTRAINT measure_effect_year CHECK (year BETWEEN 1900 AND 2999),
  CONSTRAINT measure_effect_quantified CHECK (unquantified = (expected IS NULL)),
  CONSTRAINT measure_effect_expected CHECK (low(expected) >= '0'::sek),
  CONSTRAINT measure_effect_cost CHECK (cost >= '0'::sek));
-- one one-off effect per measure and year, one permanent effect per measure and start
CREATE UNIQUE INDEX measure_effect_once ON measure_effect
  (measure_id, kind, (coalesce(starts, pg_catalog.make_date(year, 1, 1))));
COMMENT ON INDEX measure_effect_once IS 'A measure has at most one one-off effect per year and one permanent effect per start date (a second one is ERROR 23505): add to the row instead.';
COMMENT ON TABLE measure_effect IS 'Expected effects of a measure. kind ''one_off'': the effect of year only (a state grant, a year''s lower placement cost), expected = that year''s amount; kind ''permanent'': a new annual level in force from starts (the first day of a month; year, if given, must be its year), expected = the annual amount, carried into every later year (in starts'' year for the months from starts: twelfths). expected is an estimate (''ca 2-3 mkr''; ''0'' for "no effect this year"); unquantified = true with expected NULL is an effect the document expects but does not quantify ("effekt förväntas", "ej beräknad"), not a zero. cost: the measure''s own cost, for a one-off that year, for a permanent effect per year like its level (a positive amount). wording: the document''s words that decide the kind. Errors: a one-off without a year or with a start, a permanent effect without a start, a start that is not the first of a month, a negative effect or cost: 23514.';

CREATE TABLE measure_link (
  plan_id integer NOT NULL,
  measure_id integer NOT NULL,
  linked_to integer NOT NULL,
  overlap numeric NOT NULL DEFAULT 1,
  wording text,
  PRIMARY KEY (measure_id, linked_to),
  CONSTRAINT measure_link_measure FOREIGN KEY (plan_id, measure_id)
    REFERENCES plan_measure (plan_id, measure_id) ON DELETE CASCADE,
  CONSTRAINT measure_link_linked_to FOREIGN KEY (plan_id, linked_to)
    REFERENCES plan_measure (plan_id, measure_id) ON DELETE CASCADE,
  CONSTRAINT measure_link_self CHECK (measure_id <> linked_to),
  CONSTRAINT measure_link_overlap CHECK (overlap > 0 AND overlap <= 1));
COMMENT ON TABLE measure_link IS 'A measure whose effect overlaps another measure''s of the same plan ("kopplad till"): overlap is the share (0 < overlap <= 1; 1 = wholly) of measure_id''s effects that is already counted in linked_to''s, so that the totals count it once (measure_id''s effects are counted × (1 − the sum of its overlaps)). plan_id is the plan of both measures: a link to a measure of another plan is ERROR 23503, to itself 23514; a link that closes a cycle, or overlaps of one measure that add up to more than 1, 23514 (measure_link_check).';

-- A link that closes a cycle would leave the shared effect counted nowhere;
-- overlaps above the whole would make a measure's effect negative.
CREATE FUNCTION measure_link_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  total numeric;
BEGIN
  IF EXISTS (WITH RECURSIVE r(m) AS (
               SELECT NEW.linked_to
               UNION
               SELECT l.linked_to FROM r JOIN @extschema@.measure_link l ON l.measure_id = r.m)
             SELECT FROM r WHERE r.m = NEW.measure_id) THEN
    RAISE EXCEPTION 'measure_link: measure % linked to % closes a cycle (% already depends on %)',
      NEW.measure_id, NEW.linked_to, NEW.linked_to, NEW.measure_id
      USING ERRCODE = '23514', CONSTRAINT = 'measure_link_acyclic', TABLE = 'measure_link',
      HINT = 'Store the link in one direction: the measure whose effect is counted in the other''s links to it.';
  END IF;
  SELECT sum(l.overlap) INTO total FROM @extschema@.measure_link l WHERE l.measure_id = NEW.measure_id;
  IF total > 1 THEN
    RAISE EXCEPTION 'measure_link: the overlaps of measure % add up to %, more than its whole effect', NEW.measure_id, total
      USING ERRCODE = '23514', CONSTRAINT = 'measure_link_overlap_sum', TABLE = 'measure_link',
      HINT = 'An overlap is the share of the measure''s effect counted in the other measure''s; together at most 1.';
  END IF;
  RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION measure_link_check() IS 'Trigger of measure_link: a link that closes a cycle of links, or overlaps of one measure adding up to more than 1, is ERROR 23514 naming the measures.';
CREATE TRIGGER measure_link_check AFTER INSERT OR UPDATE ON measure_link
  FOR EACH ROW EXECUTE FUNCTION measure_link_check();
COMMENT ON TRIGGER measure_link_check ON measure_link IS 'Refuses cycles of links and overlaps above the whole effect (measure_link_check).';

CREATE TABLE measure_follow_up (
  measure_id integer NOT NULL REFERENCES plan_measure ON DELETE CASCADE,
  as_of date NOT NULL,
  year integer NOT NULL,
  achieved sek,
  status text,
  comment text,
  PRIMARY KEY (measure_id, as_of, year),
  CONSTRAINT measure_follow_up_year CHECK (year BETWEEN 1900 AND 2999),
  CONSTRAINT measure_follow_up_as_of CHECK (isfinite(as_of)),
  CONSTRAINT measure_follow_up_status CHECK (status IN ('planned', 'started', 'implemented', 'cancelled')));
COMMENT ON TABLE measure_follow_up IS 'Follow-ups of a measure: as of a date, the effect achieved so far in year (cumulative; NULL = followed up in words only), the status then and a comment. The newest follow-up up to a date counts.';

SELECT pg_catalog.pg_extension_config_dump('action_plan', '');
SELECT pg_catalog.pg_extension_config_dump('action_plan_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('plan_stated_total', '');
SELECT pg_catalog.pg_extension_config_dump('plan_measure', '');
SELECT pg_catalog.pg_extension_config_dump('plan_measure_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('measure_effect', '');
SELECT pg_catalog.pg_extension_config_dump('measure_follow_up', '');
SELECT pg_catalog.pg_extension_config_dump('measure_link', '');

-- a ratio in per cent, NULL when the divisor is zero or unknown
CREATE FUNCTION plan_pct(num sek, den sek) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN sek_ore(num)::float8 / nullif(sek_ore(den), 0)::float8 * 100;
COMMENT ON FUNCTION plan_pct(sek, sek) IS 'num ÷ den in per cent (float8); NULL when den is zero or NULL. Used for realisation and coverage.';

-- The arguments of the plan functions, checked before their query: NULL or
-- an infinite as_of would give empty or silent results, an unknown plan an
-- empty one.
CREATE FUNCTION plan_args(fn text, plan integer, as_of date) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF as_of IS NULL THEN
    RAISE EXCEPTION '% needs an as_of date, not NULL', fn USING ERRCODE = '22004',
      HINT = 'Give the date of the follow-up, e.g. current_date (the default).';
  END IF;
  IF NOT isfinite(as_of) THEN
    RAISE EXCEPTION '%: as_of % is not a finite date', fn, as_of USING ERRCODE = '22008',
      HINT = 'Give the date of the follow-up, e.g. ''2025-09-30''.';
  END IF;
  IF plan IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.action_plan p WHERE p.plan_id = plan) THEN
    RAISE EXCEPTION '%: there is no action plan %', fn, plan USING ERRCODE = '22023',
      HINT = 'Give a plan_id of action_plan, or NULL for every plan.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION plan_args(text, integer, date) IS 'Internal to plan_totals, measure_progress, measures_behind_schedule and plan_check: as_of NULL is ERROR 22004, an infinite as_of 22008, a plan that is not in action_plan 22023, each message naming the function and the value.';

-- The effects of each measure in each year of its plan: the core the plan
-- functions share, so that they count alike.
CREATE FUNCTION plan_effect_cells(plan integer, as_of date)
RETURNS TABLE (plan_id integer, measure_id integer, year integer, one_off estimate, saved estimate,
               lasting estimate, to_date estimate, cost sek, counted float8, unquantified bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT m.plan_id, m.measure_id, y.year,
         coalesce(sum(e.expected) FILTER (WHERE e.kind = 'one_off'), estimate('0'::sek)),
         coalesce(sum(e.expected * f.share), estimate('0'::sek)),
         coalesce(sum(e.expected) FILTER (WHERE e.kind = 'permanent'), estimate('0'::sek)),
         coalesce(sum(e.expected * f.share * t.share), estimate('0'::sek)),
         coalesce(sum(low(estimate(e.cost) * f.share)), '0'::sek),
         greatest(0, 1 - coalesce((SELECT sum(l.overlap) FROM measure_link l WHERE l.measure_id = m.measure_id), 0))::float8,
         pg_catalog.count(*) FILTER (WHERE e.unquantified)
  FROM action_plan p
  JOIN plan_measure m ON m.plan_id = p.plan_id
  CROSS JOIN pg_catalog.generate_series(p.first_year, p.last_year) y(year)
  JOIN measure_effect e ON e.measure_id = m.measure_id
  -- the share of the year's amount: a one-off all of it in its year; a
  -- permanent effect the twelfths of the year from its start
  CROSS JOIN LATERAL (
    SELECT CASE WHEN e.kind = 'one_off' THEN CASE WHEN e.year = y.year THEN 1.0::float8 ELSE 0.0::float8 END
                ELSE least(12, greatest(0, (y.year + 1) * 12 - (pg_catalog.date_part('year', e.starts)::integer * 12
                                                                 + pg_catalog.date_part('month', e.starts)::integer - 1)))::float8 / 12
           END AS share,
           greatest(pg_catalog.make_date(y.year, 1, 1), coalesce(e.starts, pg_catalog.make_date(y.year, 1, 1))) AS from_day) f
  -- the part of that share elapsed at as_of: linear over the days it runs in the year
  CROSS JOIN LATERAL (
    SELECT CASE WHEN plan_effect_cells.as_of IS NULL OR f.from_day > pg_catalog.make_date(y.year, 12, 31) THEN 0.0::float8
                ELSE least(1.0::float8, greatest(0.0::float8,
                       (plan_effect_cells.as_of + 1 - f.from_day)::float8
                       / (pg_catalog.make_date(y.year + 1, 1, 1) - f.from_day)::float8)) END AS share) t
  WHERE (plan_effect_cells.plan IS NULL OR p.plan_id = plan_effect_cells.plan)
    AND f.share > 0
  GROUP BY m.plan_id, m.measure_id, y.year;
END;
COMMENT ON FUNCTION plan_effect_cells(integer, date) IS 'Internal to the plan functions: per measure (of one plan, or all) and year of its plan in which it has an effect (a one-off of that year, ''0'' included, or a permanent effect in force): one_off (its one-off effects that year), saved (what the year saves: one-offs + each permanent level × the twelfths of the year from its start), lasting (the permanent annual levels in force by the end of the year), to_date (the part of saved elapsed at as_of, linear over the days each effect runs in the year; 0 for as_of NULL), cost (one-off costs that year + permanent costs × the same twelfths), counted (the share of its effects not counted in a linked measure''s: 1 − its overlaps) and unquantified (its effects expected that year without an amount). Amounts before the overlap: multiply by counted to count them once.';

CREATE FUNCTION plan_totals(plan integer DEFAULT NULL, as_of date DEFAULT current_date)
RETURNS TABLE (plan_id integer, year integer, measures bigint, expected_low numeric, expected_high numeric,
               one_off_low numeric, one_off_high numeric, lasting_low numeric, lasting_high numeric,
               level_low numeric, level_high numeric, cumulative_low numeric, cumulative_high numeric,
               overlap_low numeric, overlap_high numeric, unquantified bigint,
               cost numeric, expected_net_low numeric, expected_net_high numeric, achieved numeric,
               realisation_low numeric, realisation_high numeric, requirement numeric,
               coverage_low numeric, coverage_high numeric, stated_low numeric, stated_high numeric)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT plan_args('plan_totals', plan_totals.plan, plan_totals.as_of);
  WITH years AS (
    SELECT p.plan_id, y.year
    FROM action_plan p, pg_catalog.generate_series(p.first_year, p.last_year) y(year)
    WHERE plan_totals.plan IS NULL OR p.plan_id = plan_totals.plan),
  cells AS (
    SELECT c.*, c.saved * c.counted AS saved_once, c.one_off * c.counted AS one_off_once,
           c.lasting * c.counted AS lasting_once, c.saved * (1 - c.counted) AS overlap
    FROM plan_effect_cells(plan_totals.plan, NULL) c),
  achieved AS (
    -- the newest follow-up up to as_of that has an amount, per measure and year
    SELECT DISTINCT ON (f.measure_id, f.year) m.plan_id, f.year, f.achieved
    FROM measure_follow_up f JOIN plan_measure m ON m.measure_id = f.measure_id
    WHERE f.as_of <= plan_totals.as_of AND f.achieved IS NOT NULL
    ORDER BY f.measure_id, f.year, f.as_of DESC),
  per_year AS (
    SELECT y.plan_id, y.year,
           (SELECT pg_catalog.count(*) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year
              AND (high(c.saved_once) > '0'::sek OR high(c.lasting_once) > '0'::sek)) AS measures,
           coalesce((SELECT sum(c.saved_once) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year),
                    estimate('0'::sek)) AS expected,
           coalesce((SELECT sum(c.one_off_once) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year),
                    estimate('0'::sek)) AS one_off,
           coalesce((SELECT sum(c.lasting_once) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year),
                    estimate('0'::sek)) AS lasting,
           coalesce((SELECT sum(c.overlap) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year),
                    estimate('0'::sek)) AS overlap,
           coalesce((SELECT sum(c.unquantified) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year), 0)::bigint
             AS unquantified,
           coalesce((SELECT sum(c.cost) FROM cells c WHERE c.plan_id = y.plan_id AND c.year = y.year),
                    '0'::sek) AS cost,
           coalesce((SELECT sum(a.achieved) FROM achieved a WHERE a.plan_id = y.plan_id AND a.year = y.year),
                    '0'::sek) AS achieved
    FROM years y),
  with_total AS (
    -- a year: its level is the permanent levels in force at its end plus its one-offs; cumulative the years so far
    SELECT py.plan_id, py.year, py.measures, py.expected, py.one_off, py.lasting, py.lasting + py.one_off AS level,
           sum(py.expected) OVER (PARTITION BY py.plan_id ORDER BY py.year) AS cumulative,
           py.overlap, py.unquantified, py.cost, py.achieved
    FROM per_year py
    UNION ALL
    -- the plan: its level is what carries beyond it, the permanent levels in force at the end of its last year
    SELECT py.plan_id, NULL::integer,
           (SELECT pg_catalog.count(DISTINCT c.measure_id) FROM cells c
            WHERE c.plan_id = py.plan_id AND (high(c.saved_once) > '0'::sek OR high(c.lasting_once) > '0'::sek)),
           sum(py.expected), sum(py.one_off),
           (SELECT l.lasting FROM per_year l WHERE l.plan_id = py.plan_id ORDER BY l.year DESC LIMIT 1),
           (SELECT l.lasting FROM per_year l WHERE l.plan_id = py.plan_id ORDER BY l.year DESC LIMIT 1),
           sum(py.expected), sum(py.overlap),
           (SELECT pg_catalog.count(*) FROM measure_effect e JOIN plan_measure m ON m.measure_id = e.measure_id
            WHERE m.plan_id = py.plan_id AND e.unquantified),
           sum(py.cost), sum(py.achieved)
    FROM per_year py GROUP BY py.plan_id)
  -- numeric out (estimates as their two ends), so that every client driver reads numbers
  SELECT t.plan_id, t.year, t.measures, low(t.expected)::numeric, high(t.expected)::numeric,
         low(t.one_off)::numeric, high(t.one_off)::numeric, low(t.lasting)::numeric, high(t.lasting)::numeric,
         low(t.level)::numeric, high(t.level)::numeric, low(t.cumulative)::numeric, high(t.cumulative)::numeric,
         low(t.overlap)::numeric, high(t.overlap)::numeric, t.unquantified,
         t.cost::numeric, low(t.expected - estimate(t.cost))::numeric, high(t.expected - estimate(t.cost))::numeric,
         t.achieved::numeric,
         plan_pct(t.achieved, low(t.expected))::numeric, plan_pct(t.achieved, high(t.expected))::numeric,
         r.req::numeric, plan_pct(low(t.level), r.req)::numeric, plan_pct(high(t.level), r.req)::numeric,
         low(st.stated)::numeric, high(st.stated)::numeric
  FROM with_total t JOIN action_plan p ON p.plan_id = t.plan_id,
       -- a requirement of one year is on that year's row; one of the whole plan is an annual level, on every row
       LATERAL (SELECT CASE WHEN p.requirement_year IS NULL OR p.requirement_year = t.year THEN p.requirement END AS req) r
       LEFT JOIN LATERAL (SELECT s.stated FROM plan_stated_total s
                          WHERE s.plan_id = t.plan_id AND s.year IS NOT DISTINCT FROM t.year) st ON true
  ORDER BY t.plan_id, t.year NULLS LAST;
END;
COMMENT ON FUNCTION plan_totals(integer, date) IS 'Per action plan (or one) and year of the plan, plus a total row (year NULL), each linked measure''s effect counted once (× 1 − its overlaps): measures with an effect; expected_low/_high = what the year saves (one-off effects of the year + each permanent annual level × the twelfths of the year from its start; total row: the sum of the years); one_off_low/_high (the year''s one-offs; total: all); lasting_low/_high = the permanent annual levels in force by the end of the year; level_low/_high = the annual level reached in the year = lasting + the year''s one-offs (total row: lasting at the end of the last year, what carries beyond the plan); cumulative_low/_high = the sum of expected over the plan''s years so far; overlap_low/_high = what the links kept from being counted twice; unquantified = effects expected without an amount (a year: those expected in it; total: all of the plan''s); the measures'' own cost and expected net of it; achieved as of as_of (newest follow-up with an amount per measure and year) and realisation = achieved ÷ expected low/high end in %; the requirement (of one year on its row; of the whole plan, an annual level, on every row) and coverage_low/_high = level ÷ requirement in %; the total the document states for that row. Amounts numeric kronor, percentages numeric, so BI tools read numbers; an estimate is its two ends.';

CREATE TYPE measure_progress_row AS (
  plan_id integer, measure_id integer, number integer, title text, responsible text,
  year integer, expected_low numeric, expected_high numeric, expected_to_date_low numeric,
  expected_to_date_high numeric, achieved numeric, last_follow_up date, status text, behind boolean, reasons text[], reason_codes text[],
  lasting_low numeric, lasting_high numeric, unquantified bigint, counted_in integer[]);
COMMENT ON TYPE measure_progress_row IS 'A row of measure_progress and measures_behind_schedule: amounts in numeric kronor, an estimate as its low and high ends.';

CREATE FUNCTION measure_progress(as_of date DEFAULT current_date, plan integer DEFAULT NULL)
RETURNS SETOF measure_progress_row
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT plan_args('measure_progress', measure_progress.plan, measure_progress.as_of);
  SELECT m.plan_id, m.measure_id, m.number, m.title, m.responsible, e.year,
         low(e.expected)::numeric, high(e.expected)::numeric, low(e.to_date)::numeric, high(e.to_date)::numeric,
         a.achieved::numeric, lf.last_as_of, s.status,
         pg_catalog.cardinality(x.reasons) > 0, x.reasons, x.codes,
         low(e.lasting)::numeric, high(e.lasting)::numeric, e.unquantified,
         (SELECT pg_catalog.array_agg(o.number ORDER BY o.number) FROM measure_link l
          JOIN plan_measure o ON o.measure_id = l.linked_to WHERE l.measure_id = m.measure_id)
  FROM plan_measure m
  -- the measure's effects per year, counted once (× 1 − its overlaps with linked measures)
  JOIN (SELECT c.measure_id, c.year, c.saved * c.counted AS expected, c.to_date * c.counted AS to_date,
               c.lasting * c.counted AS lasting, c.unquantified
        FROM plan_effect_cells(measure_progress.plan, measure_progress.as_of) c) e ON e.measure_id = m.measure_id
  LEFT JOIN LATERAL (
    SELECT f.achieved FROM measure_follow_up f
    WHERE f.measure_id = m.measure_id AND f.year = e.year AND f.as_of <= measure_progress.as_of
      AND f.achieved IS NOT NULL
    ORDER BY f.as_of DESC LIMIT 1) a ON true
  LEFT JOIN LATERAL (
    SELECT pg_catalog.max(f.as_of) AS last_as_of FROM measure_follow_up f
    WHERE f.measure_id = m.measure_id AND f.as_of <= measure_progress.as_of) lf ON true
  -- the status of the newest follow-up that gives one, else the measure's
  CROSS JOIN LATERAL (
    SELECT coalesce((SELECT f.status FROM measure_follow_up f
                     WHERE f.measure_id = m.measure_id AND f.as_of <= measure_progress.as_of
                       AND f.status IS NOT NULL
                     ORDER BY f.as_of DESC LIMIT 1), m.status) AS status) s
  JOIN action_plan p ON p.plan_id = m.plan_id
  CROSS JOIN LATERAL (
    SELECT coalesce(pg_catalog.array_agg(v.r ORDER BY v.i) FILTER (WHERE v.r IS NOT NULL), '{}') AS reasons,
           coalesce(pg_catalog.array_agg(v.code ORDER BY v.i) FILTER (WHERE v.r IS NOT NULL), '{}') AS codes
    FROM (VALUES
      (1, 'cancelled', CASE WHEN s.status = 'cancelled' AND high(e.expected) > '0'::sek
            THEN 'cancelled: the expected effect will not come' END),
      (2, 'not_started', CASE WHEN s.status = 'planned' AND m.due < measure_progress.as_of
            THEN pg_catalog.format('not started, due %s', m.due) END),
      (3, 'below_expected', CASE WHEN a.achieved IS NOT NULL AND a.achieved < low(e.to_date)
            THEN pg_catalog.format('achieved %s, below the %s expected by now',
                        sek_format(a.achieved), sek_format(low(e.to_date))) END),
      (4, 'not_followed_up', CASE WHEN a.achieved IS NULL AND low(e.to_date) > '0'::sek AND s.status <> 'cancelled'
            THEN pg_catalog.format('no achieved amount followed up; %s expected by now', sek_format(low(e.to_date))) END),
      (5, 'follow_up_overdue', CASE WHEN m.follow_up_every IS NOT NULL AND s.status NOT IN ('implemented', 'cancelled')
              AND (coalesce(lf.last_as_of, m.decided, p.decided, pg_catalog.make_date(p.first_year, 1, 1))
                   + m.follow_up_every)::date < measure_progress.as_of
            THEN pg_catalog.format('follow-up overdue: last %s, every %s',
                        coalesce(lf.last_as_of::text, 'never'), m.follow_up_every) END)
    ) v(i, code, r)) x
  WHERE (measure_progress.plan IS NULL OR m.plan_id = measure_progress.plan)
    AND pg_catalog.make_date(e.year, 1, 1) <= measure_progress.as_of
  ORDER BY m.plan_id, m.number NULLS LAST, m.measure_id, e.year;
END;
COMMENT ON FUNCTION measure_progress(date, integer) IS 'Per measure and year of its plan begun by as_of in which it has an effect (amounts numeric kronor, estimates as _low and _high ends; a measure linked to another counted once, × 1 − its overlaps): expected effect of the year (one-offs + permanent levels × the twelfths of the year from their start), the part expected by as_of (linear over the days each effect runs in the year; all of it for past years), the achieved amount of the newest follow-up up to as_of, the last follow-up date, the status (newest follow-up''s, else the measure''s), and whether it is behind, with the reasons: cancelled with an expected effect; still planned after its due date; achieved below the low end expected by now; no achieved amount followed up although an effect is expected by now; follow-up overdue by its cadence (counted from the last follow-up, else the measure''s or the plan''s decision date, else the start of the plan''s first year). reason_codes gives the same reasons as codes for reports in other languages: cancelled, not_started, below_expected, not_followed_up, follow_up_overdue. lasting_low/_high: its permanent annual level in force by the end of the year; unquantified: its effects expected that year without an amount; counted_in: the numbers of the measures its effect is (partly) counted in (measure_link).';

CREATE FUNCTION measures_behind_schedule(as_of date DEFAULT current_date, plan integer DEFAULT NULL)
RETURNS SETOF measure_progress_row
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT plan_args('measures_behind_schedule', measures_behind_schedule.plan, measures_behind_schedule.as_of);
  SELECT * FROM measure_progress(measures_behind_schedule.as_of, measures_behind_schedule.plan) mp
  WHERE mp.behind;
END;
COMMENT ON FUNCTION measures_behind_schedule(date, integer) IS 'The rows of measure_progress(as_of, plan) that are behind, with their reasons.';

CREATE FUNCTION plan_check(plan integer DEFAULT NULL)
RETURNS TABLE (plan_id integer, measure_id integer, number integer, title text, finding text,
               stated_low numeric, stated_high numeric, computed_low numeric, computed_high numeric, detail text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT plan_args('plan_check', plan_check.plan, current_date);
  WITH plans AS (
    SELECT * FROM action_plan p WHERE plan_check.plan IS NULL OR p.plan_id = plan_check.plan),
  cells AS (
    SELECT c.plan_id, c.measure_id, c.year, c.saved AS expected, c.saved * c.counted AS counted
    FROM plan_effect_cells(plan_check.plan, NULL) c),
  measure_rows AS (
    SELECT m.plan_id, m.measure_id, m.number, m.title, m.stated_total,
           (SELECT sum(c.expected) FROM cells c WHERE c.measure_id = m.measure_id) AS cells_sum,
           EXISTS (SELECT 1 FROM plan_measure o WHERE o.plan_id = m.plan_id AND o.stated_total IS NOT NULL)
             AS plan_has_row_totals
    FROM plan_measure m JOIN plans p ON p.plan_id = m.plan_id),
  findings AS (
    -- a stated total (per year or for all years) against what the measures save in those years
    SELECT s.plan_id, NULL::integer AS measure_id, NULL::integer AS number, p.title,
           'stated_total_differs' AS finding, s.stated,
           coalesce(t.total, estimate('0'::sek)) AS computed,
           pg_catalog.format('the plan states %s%s; its measures'' effects save %s',
                  estimate_format(s.stated, 'tkr'),
                  CASE WHEN s.year IS NULL THEN '' ELSE pg_catalog.format(' for %s', s.year) END,
                  estimate_format(coalesce(t.total, estimate('0'::sek)), 'tkr')) AS detail,
           0 AS ord, s.year AS y
    FROM plan_stated_total s JOIN plans p ON p.plan_id = s.plan_id
    CROSS JOIN LATERAL (SELECT sum(c.counted) AS total FROM cells c
                        WHERE c.plan_id = s.plan_id AND (s.year IS NULL OR c.year = s.year)) t
    WHERE t.total IS DISTINCT FROM s.stated
    UNION ALL
    -- a row without a total where other rows have one
    SELECT r.plan_id, r.measure_id, r.number, r.title, 'row_total_missing', NULL::estimate, r.cells_sum,
           pg_catalog.format('no total stated for the row; its effects save %s in the plan''s years', estimate_format(r.cells_sum, 'tkr')),
           1, NULL
    FROM measure_rows r
    WHERE r.stated_total IS NULL AND r.plan_has_row_totals AND r.cells_sum <> estimate('0'::sek)
    UNION ALL
    -- a row total that is not what its effects save in the plan's years
    SELECT r.plan_id, r.measure_id, r.number, r.title, 'row_total_differs', r.stated_total,
           coalesce(r.cells_sum, estimate('0'::sek)),
           pg_catalog.format('the row states %s; its effects save %s in the plan''s years', estimate_format(r.stated_total, 'tkr'),
                  estimate_format(coalesce(r.cells_sum, estimate('0'::sek)), 'tkr')),
           1, NULL
    FROM measure_rows r
    WHERE r.stated_total IS NOT NULL AND r.stated_total IS DISTINCT FROM coalesce(r.cells_sum, estimate('0'::sek))
    UNION ALL
    -- an expected effect or an achieved amount in a year the plan does not cover
    SELECT m.plan_id, m.measure_id, m.number, m.title, 'effect_outside_plan_years', e.expected, NULL::estimate,
           CASE WHEN e.kind = 'one_off'
                THEN pg_catalog.format('expected effect %s in %s, outside the plan''s years %s–%s',
                       coalesce(estimate_format(e.expected, 'tkr'), 'not quantified'), e.year, p.first_year, p.last_year)
                ELSE pg_catalog.format('permanent effect %s a year from %s, outside the plan''s years %s–%s',
                       coalesce(estimate_format(e.expected, 'tkr'), 'not quantified'), e.starts, p.first_year, p.last_year) END,
           1, coalesce(e.year, pg_catalog.date_part('year', e.starts)::integer)
    FROM plan_measure m JOIN plans p ON p.plan_id = m.plan_id
    JOIN measure_effect e ON e.measure_id = m.measure_id
    WHERE coalesce(e.year, pg_catalog.date_part('year', e.starts)::integer) NOT BETWEEN p.first_year AND p.last_year
    UNION ALL
    -- an effect the plan expects without an amount: a state to follow, not a zero
    SELECT m.plan_id, m.measure_id, m.number, m.title, 'unquantified_effect', NULL::estimate, NULL::estimate,
           CASE WHEN e.kind = 'one_off' THEN pg_catalog.format('an effect is expected in %s but not quantified', e.year)
                ELSE pg_catalog.format('a permanent effect is expected from %s but not quantified', e.starts) END,
           1, coalesce(e.year, pg_catalog.date_part('year', e.starts)::integer)
    FROM plan_measure m JOIN plans p ON p.plan_id = m.plan_id
    JOIN measure_effect e ON e.measure_id = m.measure_id
    WHERE e.unquantified
    UNION ALL
    SELECT m.plan_id, m.measure_id, m.number, m.title, 'achieved_outside_plan_years', NULL::estimate,
           estimate(f.achieved),
           pg_catalog.format('achieved %s in %s (followed up %s), outside the plan''s years %s–%s',
                  sek_format(f.achieved, 'tkr'), f.year, f.as_of, p.first_year, p.last_year),
           1, f.year
    FROM plan_measure m JOIN plans p ON p.plan_id = m.plan_id
    JOIN measure_follow_up f ON f.measure_id = m.measure_id
    WHERE f.year NOT BETWEEN p.first_year AND p.last_year AND f.achieved IS NOT NULL)
  SELECT f.plan_id, f.measure_id, f.number, f.title, f.finding,
         low(f.stated)::numeric, high(f.stated)::numeric, low(f.computed)::numeric, high(f.computed)::numeric, f.detail
  FROM findings f
  ORDER BY f.plan_id, f.ord, f.number NULLS FIRST, f.measure_id NULLS FIRST, f.finding, f.y NULLS FIRST;
END;
COMMENT ON FUNCTION plan_check(integer) IS 'Consistency check of action plans as written (all, or one): one row per finding — stated_total_differs (a total the plan states, for a year or all years, against what its measures save in those of the plan''s years, a linked measure counted once), row_total_missing (a measure without a row total where other rows have one), row_total_differs (a row total against what the measure''s own effects save over the plan''s years: a permanent level in each year from its start), effect_outside_plan_years, achieved_outside_plan_years and unquantified_effect (an effect expected without an amount) — with the stated and computed amounts (numeric kronor, each estimate as its low and high ends) and a sentence in tkr.';

-- from src/report.sql
-- Swedish display of plain numbers and percentages for reports (persons per
-- day, kronor per care day, occupancy, deviation %), by the rules of
-- sek_format: decimal comma, no-break space between thousands groups,
-- rounding half away from zero, never "-0".

CREATE FUNCTION number_format(value numeric, decimals integer DEFAULT 0, thousands text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d integer := coalesce(decimals, 0);
  sep text := coalesce(thousands, U&'\00A0');
  r numeric;
  digits text;
  pad integer;
BEGIN
  IF value IS NULL THEN
    RETURN NULL;
  END IF;
  IF value IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN
    RAISE EXCEPTION 'cannot format % as a number', value USING ERRCODE = '22003',
      HINT = 'Give a finite value (a ratio with a zero divisor is NaN or infinite: use nullif on the divisor).';
  END IF;
  IF d < 0 OR d > 12 THEN
    RAISE EXCEPTION 'decimals % is outside 0..12', d USING ERRCODE = '22023',
      HINT = 'Give 0 to 12 decimals.';
  END IF;
  IF octet_length(sep) > 8 THEN
    RAISE EXCEPTION 'thousands separator "%" is longer than 8 bytes', sep USING ERRCODE = '22023',
      HINT = 'Use a space, a no-break space (the default) or a thin space.';
  END IF;
  r := round(value, d);
  -- abs(r)::text has exactly d decimals after round(); group the integer part
  -- from the right: zero-padded to whole groups of three, split in one pass
  -- and joined, the padding cut off (linear in the digits, where a
  -- look-ahead regular expression was quadratic)
  digits := split_part(abs(r)::text, '.', 1);
  pad := (3 - length(digits) % 3) % 3;
  RETURN CASE WHEN r < 0 THEN '-' ELSE '' END
      || substr((SELECT string_agg(g[1], sep)
                 FROM regexp_matches(repeat('0', pad) || digits, '\d{3}', 'g') g), pad + 1)
      || CASE WHEN d > 0 THEN ',' || split_part(abs(r)::text, '.', 2) ELSE '' END;
END
$fn$;
COMMENT ON FUNCTION number_format(numeric, integer, text) IS 'Swedish display of a number: number_format(2982.4) = ''2 982'', number_format(-12.44, 1) = ''-12,4''. decimals 0..12 (NULL = 0), rounded half away from zero, never ''-0''; thousands NULL = no-break space. NULL gives NULL; NaN or infinity is ERROR 22003, decimals outside 0..12 or a separator over 8 bytes 22023.';

CREATE FUNCTION number_format(value float8, decimals integer DEFAULT 0, thousands text DEFAULT NULL)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN number_format(value::numeric, decimals, thousands);
COMMENT ON FUNCTION number_format(float8, integer, text) IS 'number_format of a float8 (persons per day, ratios): its decimal value rounded half away from zero; NaN or infinity is ERROR 22003.';

CREATE FUNCTION percent_format(value float8, decimals integer DEFAULT 0)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN number_format(value::numeric, decimals) || ' %';
COMMENT ON FUNCTION percent_format(float8, integer) IS 'A value in per cent, Swedish style: percent_format(-12.44, 1) = ''-12,4 %'', percent_format(77.4) = ''77 %'' (a ratio: multiply by 100 first). Errors as number_format.';

-- from src/analysis.sql
-- The controller's analyses (Delårsrapport 2 2023 §4.3.4): a cost deviation
-- split into volume and price against the budget's assumptions, and
-- scenarios that move a year-end forecast.  Results are numeric (kronor with
-- two decimals) for BI tools.  docs/analyses.md has the worked examples.

-- One row of the volume × price split.  Deviations and effects are budget −
-- actual: negative when costs exceed the budget.
CREATE TYPE volume_price_result AS (
  category text,                      -- NULL in the total row
  period daterange,
  days integer,
  budget_persons_per_day numeric,
  actual_persons_per_day numeric,
  budget_care_days numeric,           -- budget persons per day × days
  actual_care_days numeric,
  budget_cost_per_care_day numeric,
  actual_cost_per_care_day numeric,   -- NULL without care days
  budget_cost numeric,                -- budget care days × budget price, kronor
  actual_cost numeric,
  deviation numeric,                  -- budget_cost − actual_cost
  volume_effect numeric,              -- (budget − actual care days) × budget price
  price_effect numeric,               -- (budget − actual price) × actual care days
  mix_effect numeric,                 -- total row only: the part of volume_effect due to the mix of categories
  annual_budget numeric,              -- the stated budget of the year, if given
  assumed_annual_cost numeric,        -- budget persons per day × price × days of the year
  budget_gap numeric,                 -- annual_budget − assumed_annual_cost
  note text
);
COMMENT ON TYPE volume_price_result IS 'A cost deviation split into volume and price (volume_price_deviation, volume_price_report): budget and actual persons per day, care days and cost per care day, budget and actual cost, deviation = budget − actual cost = volume_effect + price_effect exactly (negative when costs exceed the budget), the total row''s mix_effect (part of its volume effect), and the stated annual budget against what its own assumptions cost (budget_gap, note). Amounts in kronor, numeric with two decimals.';

-- The split itself, in care days; every entry point ends here.
CREATE FUNCTION volume_price_split(category text, period daterange,
                                   budget_persons_per_day numeric, budget_cost_per_care_day numeric,
                                   actual_care_days numeric, actual_cost numeric,
                                   annual_budget numeric DEFAULT NULL)
RETURNS volume_price_result
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  r @extschema@.volume_price_result;
  what text := CASE WHEN category IS NULL THEN 'the total' ELSE format('category "%s"', category) END;
  ys date;
  limit_kr CONSTANT numeric := 92233720368547758.07;   -- the range of sek
  v record;
BEGIN
  IF lower(period) IS NULL OR upper(period) IS NULL THEN  -- NULL, empty or unbounded
    RAISE EXCEPTION 'period % of % is empty or unbounded', coalesce(period::text, 'NULL'), what
      USING ERRCODE = '22023', HINT = 'Give a finite period such as ''[2023-01-01,2023-09-01)'' (1 January to 31 August).';
  END IF;
  IF NOT isfinite(lower(period)) OR NOT isfinite(upper(period)) THEN
    RAISE EXCEPTION 'period % of % has an infinite bound', period, what
      USING ERRCODE = '22008', HINT = 'Give finite dates.';
  END IF;
  IF budget_persons_per_day IS NULL OR budget_cost_per_care_day IS NULL THEN
    RAISE EXCEPTION 'no budget assumption for %: persons per day %, cost per care day %', what,
      coalesce(budget_persons_per_day::text, 'NULL'), coalesce(budget_cost_per_care_day::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give the budget''s persons per day and cost per care day of every category.';
  END IF;
  FOR v IN SELECT * FROM (VALUES ('budget persons per day', budget_persons_per_day),
                                 ('budget cost per care day', budget_cost_per_care_day),
                                 ('actual volume (care days)', actual_care_days), ('actual cost', actual_cost)) x(n, val) LOOP
    IF v.val IS NULL OR v.val < 0 OR v.val = 'NaN'::numeric OR v.val IN ('Infinity'::numeric, '-Infinity'::numeric) THEN
      RAISE EXCEPTION '% of % is %: it must be a finite number of zero or more', v.n, what, coalesce(v.val::text, 'NULL')
        USING ERRCODE = '22023', HINT = 'Volumes and prices are counts and costs: give them without sign (costs positive).';
    END IF;
  END LOOP;
  r.category := category;
  r.period := period;
  r.days := upper(period) - lower(period);
  ys := make_date(extract(year FROM lower(period))::int, 1, 1);
  r.budget_persons_per_day := budget_persons_per_day;
  r.budget_care_days := budget_persons_per_day * r.days;
  r.actual_care_days := actual_care_days;
  r.actual_persons_per_day := round(actual_care_days / r.days, 4);
  r.budget_cost_per_care_day := budget_cost_per_care_day;
  r.actual_cost_per_care_day := round(actual_cost / nullif(actual_care_days, 0), 2);
  r.budget_cost := round(r.budget_care_days * budget_cost_per_care_day, 2);
  r.actual_cost := round(actual_cost, 2);
  -- rounded once each; the price effect is the remainder, so that the two
  -- add up to the deviation to the öre (it is within half an öre of
  -- (budget − actual price) × actual care days)
  r.deviation := r.budget_cost - r.actual_cost;
  r.volume_effect := round((r.budget_care_days - actual_care_days) * budget_cost_per_care_day, 2);
  r.price_effect := r.deviation - r.volume_effect;
  r.assumed_annual_cost := round(budget_persons_per_day * budget_cost_per_care_day
                                 * ((ys + interval '1 year')::date - ys), 2);
  r.annual_budget := annual_budget;
  r.budget_gap := annual_budget - r.assumed_annual_cost;
  FOR v IN SELECT * FROM (VALUES ('budget cost', r.budget_cost), ('actual cost', r.actual_cost),
                                 ('deviation', r.deviation), ('volume effect', r.volume_effect),
                                 ('price effect', r.price_effect), ('assumed annual cost', r.assumed_annual_cost),
                                 ('annual budget', annual_budget), ('budget gap', r.budget_gap)) x(n, val) LOOP
    IF abs(v.val) > limit_kr THEN
      RAISE EXCEPTION '% of % is % kr, beyond the range of sek', v.n, what, v.val
        USING ERRCODE = '22003', HINT = 'Check the units: persons per day and kronor per care day.';
    END IF;
  END LOOP;
  IF r.budget_gap <> 0 THEN
    r.note := format('the budget''s assumptions cost %s a year, the budget is %s (%s)',
                     @extschema@.sek_format(r.assumed_annual_cost, 'mnkr'), @extschema@.sek_format(annual_budget, 'mnkr'),
                     @extschema@.sek_format(r.budget_gap, 'mnkr'));
  END IF;
  RETURN r;
END
$fn$;
COMMENT ON FUNCTION volume_price_split(text, daterange, numeric, numeric, numeric, numeric, numeric) IS 'The volume × price split of one category in care days, which volume_price_deviation and volume_price_report call: budget_cost = budget persons per day × days × budget price; deviation = budget_cost − actual_cost; volume_effect = (budget − actual care days) × budget price, rounded to the öre; price_effect = deviation − volume_effect (= (budget − actual price) × actual care days within half an öre). assumed_annual_cost is the assumptions over the calendar year of the period''s first day; budget_gap and note compare it with annual_budget. An empty, unbounded or NULL period, a missing (NULL) budget assumption, a negative or NaN volume, price or cost is ERROR 22023 naming the category and the value; an infinite bound 22008; an amount beyond the range of sek 22003.';

CREATE FUNCTION volume_price_deviation(period daterange,
                                       budget_persons_per_day numeric, budget_cost_per_care_day numeric,
                                       actual_persons_per_day numeric, actual_cost_per_care_day numeric,
                                       annual_budget numeric DEFAULT NULL, category text DEFAULT NULL)
RETURNS volume_price_result
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d integer;
BEGIN
  IF actual_persons_per_day < 0 OR actual_cost_per_care_day < 0 THEN
    RAISE EXCEPTION 'actual persons per day % or cost per care day % of % is negative', actual_persons_per_day,
      actual_cost_per_care_day, CASE WHEN category IS NULL THEN 'the total' ELSE format('category "%s"', category) END
      USING ERRCODE = '22023', HINT = 'Volumes and prices are counts and costs: give them without sign (costs positive).';
  END IF;
  d := CASE WHEN isfinite(lower(period)) AND isfinite(upper(period))
            THEN upper(period) - lower(period) END;
  RETURN @extschema@.volume_price_split(category, period, budget_persons_per_day, budget_cost_per_care_day,
                                        actual_persons_per_day * d, actual_persons_per_day * actual_cost_per_care_day * d,
                                        annual_budget);
END
$fn$;
COMMENT ON FUNCTION volume_price_deviation(daterange, numeric, numeric, numeric, numeric, numeric, text) IS 'Volume × price split of a cost deviation from given figures (Delårsrapport 2 2023 §4.3.4): over period, budget persons per day at a budget cost per care day against the actual ones. volume_effect = (budget − actual persons per day) × budget price × days, price_effect = (budget − actual price) × actual persons per day × days; they add up to deviation = budget cost − actual cost exactly (negative: costs over budget). annual_budget (optional) is compared with the assumptions'' cost over the period''s year (budget_gap, note). Errors as volume_price_split.';

CREATE FUNCTION volume_price_deviation(actual census, budget_persons_per_day numeric, budget_cost_per_care_day numeric,
                                       annual_budget numeric DEFAULT NULL, category text DEFAULT NULL)
RETURNS volume_price_result
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN @extschema@.volume_price_split(category, @extschema@.period(actual), budget_persons_per_day, budget_cost_per_care_day,
                                      @extschema@.care_days(actual)::numeric, @extschema@.sek_to_numeric(@extschema@.cost(actual)),
                                      annual_budget);
COMMENT ON FUNCTION volume_price_deviation(census, numeric, numeric, numeric, text) IS 'Volume × price split of the cost in a census (its period, care days and cost, exact) against budget persons per day and cost per care day; as volume_price_deviation of figures. A NULL census is a missing outcome: NULL.';

-- Per category and in total over the caller's tables, with the caller's
-- rights (as follow_up_report: never SECURITY DEFINER).
CREATE FUNCTION volume_price_report(stays regclass, budget regclass, period daterange,
                                    key_column name DEFAULT 'category', annual_budget numeric DEFAULT NULL,
                                    stay_column name DEFAULT 'stay', cost_column name DEFAULT 'daily_cost',
                                    persons_column name DEFAULT 'persons_per_day', price_column name DEFAULT 'cost_per_care_day')
RETURNS SETOF volume_price_result
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  e record;
BEGIN
  IF lower(period) IS NULL OR upper(period) IS NULL THEN  -- NULL, empty or unbounded
    RAISE EXCEPTION 'period % is empty or unbounded', coalesce(period::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give a finite period such as ''[2023-01-01,2023-09-01)'' (1 January to 31 August).';
  END IF;
  SELECT * INTO e FROM @extschema@.report_input_problem('volume_price_report', ARRAY[key_column],
    stays, 'stays', ARRAY[key_column, stay_column, cost_column], ARRAY[NULL, 'daterange', '@extschema@.sek']::regtype[],
    budget, 'budget', ARRAY[key_column, persons_column, price_column], ARRAY[NULL, NULL, NULL]::regtype[],
    'volume_price_report reads stays(category, stay daterange, daily_cost sek) and budget(category, persons_per_day, '
    'cost_per_care_day), or the columns named by key_column, stay_column, cost_column, persons_column and price_column.',
    false);  -- the tables meet on the key's text
  IF e.code IS NOT NULL THEN
    RAISE EXCEPTION USING MESSAGE = e.message, ERRCODE = e.code, HINT = e.hint;
  END IF;
  -- one census per key over the stays, joined with the budget's
  -- assumptions (a key without them is an error naming it); the total row
  -- adds the categories and separates the mix: its volume effect at the
  -- budget's average price, the rest of the categories' volume effects
  RETURN QUERY EXECUTE format($q$
    WITH c AS (
      SELECT s.%3$I::text AS category, @extschema@.census(s.%4$I, s.%5$I, $1) AS c
      FROM %1$s s WHERE @extschema@.stay_overlaps(s.%4$I, $1) GROUP BY 1),
    b AS (
      SELECT b.%3$I::text AS category, CAST(b.%6$I AS pg_catalog.numeric) AS ppd,
             CAST(b.%7$I AS pg_catalog.numeric) AS cpd
      FROM %2$s b),
    r AS (
      SELECT x.*
      FROM (c FULL JOIN b USING (category))
      CROSS JOIN LATERAL @extschema@.volume_price_split(category, $1, b.ppd, b.cpd,
                coalesce(@extschema@.care_days(c.c)::pg_catalog.numeric, 0),
                coalesce(@extschema@.sek_to_numeric(@extschema@.cost(c.c)), 0)) x),
    t AS (
      SELECT pg_catalog.sum(budget_persons_per_day) AS bppd, pg_catalog.sum(budget_care_days) AS bcd,
             pg_catalog.sum(actual_care_days) AS acd, pg_catalog.sum(budget_cost) AS bc,
             pg_catalog.sum(actual_cost) AS ac, pg_catalog.sum(volume_effect) AS ve,
             pg_catalog.sum(price_effect) AS pe, pg_catalog.sum(assumed_annual_cost) AS aac,
             pg_catalog.sum(budget_cost_per_care_day OPERATOR(pg_catalog.*) budget_care_days) AS bcx,
             pg_catalog.max(days) AS days
      FROM r)
    SELECT * FROM r
    UNION ALL
    SELECT NULL, $1, t.days, t.bppd, pg_catalog.round(t.acd OPERATOR(pg_catalog./) t.days, 4), t.bcd, t.acd,
           pg_catalog.round(t.bcx OPERATOR(pg_catalog./) NULLIF(t.bcd, 0), 2),
           pg_catalog.round(t.ac OPERATOR(pg_catalog./) NULLIF(t.acd, 0), 2),
           t.bc, t.ac, t.bc OPERATOR(pg_catalog.-) t.ac, t.ve, t.pe,
           t.ve OPERATOR(pg_catalog.-) pg_catalog.round((t.bcd OPERATOR(pg_catalog.-) t.acd)
                OPERATOR(pg_catalog.*) coalesce(t.bcx OPERATOR(pg_catalog./) NULLIF(t.bcd, 0), 0), 2),
           $2, t.aac, $2 OPERATOR(pg_catalog.-) t.aac,
           CASE WHEN $2 OPERATOR(pg_catalog.<>) t.aac
                THEN pg_catalog.format('the budget''s assumptions cost %%s a year, the budget is %%s (%%s)',
                       @extschema@.sek_format(t.aac, 'mnkr'), @extschema@.sek_format($2, 'mnkr'),
                       @extschema@.sek_format($2 OPERATOR(pg_catalog.-) t.aac, 'mnkr')) END
    FROM t WHERE t.days IS NOT NULL
    ORDER BY 1 NULLS LAST$q$, stays, budget, key_column, stay_column, cost_column, persons_column, price_column)
  USING period, annual_budget;
END
$fn$;
COMMENT ON FUNCTION volume_price_report(regclass, regclass, daterange, name, numeric, name, name, name, name) IS 'The volume × price table of external care (Delårsrapport 2 2023 §4.3.4) per category and a total row (category NULL, last): stays needs columns (key_column, stay daterange, daily_cost sek), budget (key_column, persons_per_day, cost_per_care_day) of any type castable to numeric, one row per category; stay_column, cost_column, persons_column and price_column name other columns. A missing column is ERROR 42703, a stay or cost column of another type 42804, one the caller may not read 42501, a NULL table or column name 22004, each naming the table and column. Each category is volume_price_deviation of its census over period; the total row sums the categories (its deviation, volume and price effects are their sums) and gives mix_effect, the part of its volume effect due to the mix: the categories'' volume effects minus (budget − actual care days in total) × the budget''s average price. annual_budget is compared with the assumptions in the total row. Runs its query with the caller''s rights (never SECURITY DEFINER); a category of the stays without a budget row is ERROR 22023 naming it, other errors as volume_price_split and census. Amounts numeric (kronor, two decimals).';

-- Scenarios and sensitivity: a year-end cost forecast moved by more or
-- fewer persons per day, a price index, and individual placements at a range.
CREATE TYPE forecast_scenario_result AS (
  days integer,              -- from_date .. until, both included
  volume_change numeric,     -- persons_per_day × cost_per_care_day × days
  price_change numeric,      -- (volume + persons_per_day) × cost_per_care_day × index % × days
  placements_low numeric,    -- placements × low(daily cost) × days
  placements_high numeric,
  change_low numeric,        -- the scenario's change: low end, point, high end
  change numeric,
  change_high numeric,
  forecast numeric,          -- the forecast moved by change
  lo numeric,                -- its interval: lo + change_low .. hi + change_high
  hi numeric
);
COMMENT ON TYPE forecast_scenario_result IS 'A year-end cost forecast moved by a scenario (forecast_scenario): the days it covers, its parts (volume, price index, placements at a range), the change (low, point, high) and the forecast with its interval shifted and widened. Kronor, numeric with two decimals; costs positive.';

CREATE FUNCTION forecast_scenario(forecast numeric, lo numeric, hi numeric, from_date date, until date,
                                  persons_per_day numeric DEFAULT 0, cost_per_care_day numeric DEFAULT NULL,
                                  price_index_pct numeric DEFAULT 0, volume numeric DEFAULT 0,
                                  placements integer DEFAULT 0, placement_cost estimate DEFAULT NULL)
RETURNS forecast_scenario_result
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  r @extschema@.forecast_scenario_result;
  n numeric := coalesce(persons_per_day, 0);
  pct numeric := coalesce(price_index_pct, 0);
  k integer := coalesce(placements, 0);
  pl numeric; ph numeric; pm numeric;
  limit_kr CONSTANT numeric := 92233720368547758.07;   -- the range of sek
  v record;
BEGIN
  IF from_date IS NULL OR until IS NULL OR NOT isfinite(from_date) OR NOT isfinite(until) THEN
    RAISE EXCEPTION 'scenario dates % .. % must be finite', coalesce(from_date::text, 'NULL'), coalesce(until::text, 'NULL')
      USING ERRCODE = '22008', HINT = 'Give the first day of the scenario and the year end, e.g. ''2023-09-01'' and ''2023-12-31''.';
  END IF;
  IF until < from_date THEN
    RAISE EXCEPTION 'scenario period % .. % is empty: it ends before it starts', from_date, until
      USING ERRCODE = '22023', HINT = 'until is the last day included (the year end), on or after from_date.';
  END IF;
  IF forecast IS NULL OR lo > forecast OR hi < forecast THEN
    RAISE EXCEPTION 'forecast % is missing or outside its interval % .. %', coalesce(forecast::text, 'NULL'),
      coalesce(lo::text, 'NULL'), coalesce(hi::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give the year-end forecast (a cost, positive) and its interval lo <= forecast <= hi, or NULLs for none.';
  END IF;
  IF (n <> 0 OR pct <> 0) AND cost_per_care_day IS NULL THEN
    RAISE EXCEPTION 'a change of % persons per day or % %% in price needs a cost per care day', n, pct
      USING ERRCODE = '22023', HINT = 'Give cost_per_care_day, e.g. the current one: cost_per_care_day(census)::numeric.';
  END IF;
  IF cost_per_care_day < 0 OR coalesce(volume, 0) < 0 OR pct <= -100 THEN
    RAISE EXCEPTION 'cost per care day %, volume % or price index % %% out of range', cost_per_care_day, volume, pct
      USING ERRCODE = '22023', HINT = 'Prices and the volume the index applies to are zero or more; an index change is above -100 %.';
  END IF;
  IF k <> 0 AND placement_cost IS NULL THEN
    RAISE EXCEPTION '% placement(s) need a daily cost', k
      USING ERRCODE = '22023', HINT = 'Give placement_cost, e.g. ''6 000–16 000 kr''::estimate per care day.';
  END IF;
  IF placement_cost IS NOT NULL AND @extschema@.low(placement_cost) OPERATOR(@extschema@.<) '0'::@extschema@.sek THEN
    RAISE EXCEPTION 'daily cost % of a placement is negative', placement_cost
      USING ERRCODE = '22023', HINT = 'A placement''s daily cost is a cost: positive.';
  END IF;
  r.days := until - from_date + 1;
  r.volume_change := round(n * coalesce(cost_per_care_day, 0) * r.days, 2);
  r.price_change := round((coalesce(volume, 0) + n) * coalesce(cost_per_care_day, 0) * pct / 100 * r.days, 2);
  pl := CASE WHEN k <> 0 THEN k * @extschema@.sek_to_numeric(@extschema@.low(placement_cost)) * r.days ELSE 0 END;
  ph := CASE WHEN k <> 0 THEN k * @extschema@.sek_to_numeric(@extschema@.high(placement_cost)) * r.days ELSE 0 END;
  pm := CASE WHEN k <> 0 THEN k * @extschema@.sek_to_numeric(@extschema@.mid(placement_cost)) * r.days ELSE 0 END;
  -- fewer placements (k < 0) swap the ends
  r.placements_low := round(least(pl, ph), 2);
  r.placements_high := round(greatest(pl, ph), 2);
  r.change_low := r.volume_change + r.price_change + r.placements_low;
  r.change := r.volume_change + r.price_change + pm;
  r.change_high := r.volume_change + r.price_change + r.placements_high;
  r.forecast := round(forecast, 2) + r.change;
  r.lo := round(coalesce(lo, forecast), 2) + r.change_low;
  r.hi := round(coalesce(hi, forecast), 2) + r.change_high;
  FOR v IN SELECT * FROM (VALUES ('change', r.change_low), ('change', r.change_high), ('forecast', r.forecast),
                                 ('lo', r.lo), ('hi', r.hi)) x(n, val) LOOP
    IF abs(v.val) > limit_kr THEN
      RAISE EXCEPTION 'scenario %, % kr, is beyond the range of sek', v.n, v.val
        USING ERRCODE = '22003', HINT = 'Check the units: persons per day, kronor per care day, per cent.';
    END IF;
  END LOOP;
  RETURN r;
END
$fn$;
COMMENT ON FUNCTION forecast_scenario(numeric, numeric, numeric, date, date, numeric, numeric, numeric, numeric, integer, estimate) IS 'Moves a year-end cost forecast (costs positive; lo, hi its interval or NULL) by a scenario from from_date to until (both included): persons_per_day more (or fewer, negative) at cost_per_care_day; a price index change of price_index_pct % on cost_per_care_day for volume + persons_per_day persons per day; placements individual placements (negative: fewer) at a daily cost range placement_cost (estimate). change = the parts'' sum with the placements at mid(); the interval becomes lo + change_low .. hi + change_high, so a range scenario widens it by its width (the ends added, not a probability). Delårsrapport 2 2023: ±10 persons per day 2023-09-01 .. 2023-12-31 at 2 982 kr = ±3,6 mnkr; one child at 6–16 tkr per day, 0,7–2,0 mnkr. Infinite or NULL dates are ERROR 22008; until before from_date, a forecast outside its interval, a negative price or volume, an index change of -100 % or less, a change without its price or placements without a cost 22023; amounts beyond the range of sek 22003.';

-- from src/staffing.sql
-- Staffing (bemanning): what full-time equivalents (årsarbetare) cost, and
-- the follow-up of staff and personnel cost per unit against the budgeted
-- FTE and cost, with consultants, overtime and sick pay beside the employed.

-- The cost of a number of FTE for a number of months.
CREATE FUNCTION fte_cost(fte numeric, monthly_cost sek, on_cost_pct numeric DEFAULT 0, months numeric DEFAULT 12)
RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF fte < 0 OR fte > 1000000 THEN
    RAISE EXCEPTION 'fte % is outside 0 .. 1 000 000', fte USING ERRCODE = '22023';
  END IF;
  IF monthly_cost OPERATOR(@extschema@.<) '0'::@extschema@.sek THEN
    RAISE EXCEPTION 'monthly cost % is negative', monthly_cost USING ERRCODE = '22023',
      HINT = 'Give the monthly salary (or a consultant''s monthly fee) as a positive amount.';
  END IF;
  IF on_cost_pct < 0 OR on_cost_pct > 1000 THEN
    RAISE EXCEPTION 'on-cost percentage % is outside 0 .. 1 000', on_cost_pct USING ERRCODE = '22023',
      HINT = 'Give the personnel on-costs (PO-pålägg) in per cent of the salary, e.g. 40 for 40 %.';
  END IF;
  IF months < 0 OR months > 1200 THEN
    RAISE EXCEPTION 'months % is outside 0 .. 1 200', months USING ERRCODE = '22023';
  END IF;
  RETURN round(fte * monthly_cost::numeric * (1 + on_cost_pct / 100) * months, 2);
END
$$;
COMMENT ON FUNCTION fte_cost(numeric, sek, numeric, numeric) IS 'The cost in kronor (numeric, two decimals) of fte full-time equivalents (årsarbetare) at monthly_cost each (a monthly salary, or a consultant''s monthly fee), with on_cost_pct per cent personnel on-costs (PO-pålägg; 0 for a consultant), for months months (default 12). Nine FTE at 34 000 kr a month with 40 % on-costs cost 5 140 800 kr a year ("drygt 5 mnkr", Delårsrapport 2 2023); two consultants at 130 000 kr a month for ten months 2 600 000 kr (Handlingsplan ekonomi 2025). fte outside 0..1 000 000, a negative monthly_cost, on_cost_pct outside 0..1 000 or months outside 0..1 200 are ERROR 22023.';

-- The staffing follow-up per unit and a total row.
CREATE FUNCTION staffing_follow_up(staff_table regclass, budget_table regclass, as_of date,
                                   convention text DEFAULT 'ledger', keys name[] DEFAULT '{unit}',
                                   month_column name DEFAULT 'month', kind_column name DEFAULT 'kind',
                                   fte_column name DEFAULT 'fte', cost_column name DEFAULT 'cost',
                                   budget_date_column name DEFAULT 'valid_from', budget_fte_column name DEFAULT 'fte',
                                   budget_cost_column name DEFAULT 'cost')
RETURNS TABLE (unit text, budget_fte numeric, fte numeric, fte_deviation numeric,
               employed_fte numeric, temporary_fte numeric, hourly_fte numeric, consultant_fte numeric,
               consultant_share numeric, budget numeric, period_budget numeric, cost numeric, deviation numeric,
               consumption numeric, forecast numeric, forecast_deviation numeric, prev_year_cost numeric,
               consultant_cost numeric, overtime_cost numeric, sick_pay_cost numeric, cost_per_fte numeric,
               key_values jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  ys date;
  sgn int;
  bad record;
  e record;
  n int := coalesce(cardinality(keys), 0);
  unit_expr text;
  key_expr text;
  h text := 'staffing_follow_up reads staff_table(unit, month date, kind text, fte numeric, cost sek) and '
            'budget_table(unit, valid_from date, fte numeric, cost sek), or the columns named by keys, month_column, '
            'kind_column, fte_column, cost_column, budget_date_column, budget_fte_column and budget_cost_column.';
BEGIN
  IF as_of IS NULL OR NOT isfinite(as_of) OR as_of < '0002-01-01' OR as_of > '9999-12-31' THEN
    RAISE EXCEPTION 'as_of must be a date between 0002-01-01 and 9999-12-31, not %', coalesce(as_of::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give the last day of the follow-up period, e.g. ''2023-08-31''.';
  END IF;
  ys := make_date(extract(year FROM as_of)::int, 1, 1);
  sgn := @extschema@.convention_sign(convention);
  SELECT * INTO e FROM @extschema@.report_input_problem('staffing_follow_up', keys,
    staff_table, 'staff_table', keys || month_column || kind_column || fte_column || cost_column,
    array_fill(NULL::regtype, ARRAY[n]) || ARRAY['date', NULL, 'numeric', '@extschema@.sek']::regtype[],
    budget_table, 'budget_table', keys || budget_date_column || budget_fte_column || budget_cost_column,
    array_fill(NULL::regtype, ARRAY[n]) || ARRAY['date', 'numeric', '@extschema@.sek']::regtype[], h);
  IF e.code IS NOT NULL THEN
    RAISE EXCEPTION USING MESSAGE = e.message, ERRCODE = e.code, HINT = e.hint;
  END IF;
  SELECT k.unit_sql, k.key_sql INTO unit_expr, key_expr FROM @extschema@.report_key_sql(keys) k;
  BEGIN
    -- a row the follow-up cannot count is named, not summed
    EXECUTE format($q$
      SELECT unit, month, kind, fte
      FROM (SELECT %2$s AS unit, %3$I AS month, %4$I::text AS kind, %5$I::numeric AS fte FROM %1$s) s
      WHERE month >= $1 AND month <= $2
        AND (unit IS NULL OR kind IS NULL OR fte < 0 OR fte > 1000000
             OR pg_catalog.lower(kind) <> ALL (ARRAY['employed', 'temporary', 'hourly', 'consultant', 'overtime', 'sick_pay']))
      ORDER BY month, unit LIMIT 1$q$, staff_table, unit_expr, month_column, kind_column, fte_column)
      INTO bad USING (ys - interval '1 year')::date, as_of;
    IF bad IS NOT NULL THEN
      IF bad.unit IS NULL OR bad.kind IS NULL OR lower(bad.kind) <> ALL (ARRAY['employed', 'temporary', 'hourly', 'consultant', 'overtime', 'sick_pay']) THEN
        RAISE EXCEPTION '% %, month %: unknown staff kind %', array_to_string(keys, ' / '), coalesce(bad.unit, 'NULL'), bad.month,
          coalesce(quote_literal(bad.kind), 'NULL') USING ERRCODE = '22023',
          HINT = 'A staff row''s kind is ''employed'', ''temporary'', ''hourly'', ''consultant'' (FTE and cost), ''overtime'' or ''sick_pay'' (cost), and its unit is not NULL.';
      END IF;
      RAISE EXCEPTION '% %, month %, kind %: fte % is outside 0 .. 1 000 000', array_to_string(keys, ' / '), bad.unit, bad.month, bad.kind, bad.fte
        USING ERRCODE = '22023';
    END IF;
    RETURN QUERY EXECUTE format($q$
      WITH a AS (
        SELECT ukey, pg_catalog.min(unit) AS unit,
               pg_catalog.sum(coalesce(fte, 0)) FILTER (WHERE month >= $1 AND k IN ('employed', 'temporary', 'hourly', 'consultant')) AS fte_m,
               pg_catalog.sum(coalesce(fte, 0)) FILTER (WHERE month >= $1 AND k = 'employed') AS employed_m,
               pg_catalog.sum(coalesce(fte, 0)) FILTER (WHERE month >= $1 AND k = 'temporary') AS temporary_m,
               pg_catalog.sum(coalesce(fte, 0)) FILTER (WHERE month >= $1 AND k = 'hourly') AS hourly_m,
               pg_catalog.sum(coalesce(fte, 0)) FILTER (WHERE month >= $1 AND k = 'consultant') AS consultant_m,
               @extschema@.sum(cost) FILTER (WHERE month >= $1) AS cost,
               @extschema@.sum(cost) FILTER (WHERE month < $1 AND month <= $3) AS prev,
               @extschema@.sum(cost) FILTER (WHERE month >= $1 AND k = 'consultant') AS consultant_cost,
               @extschema@.sum(cost) FILTER (WHERE month >= $1 AND k = 'overtime') AS overtime_cost,
               @extschema@.sum(cost) FILTER (WHERE month >= $1 AND k = 'sick_pay') AS sick_pay_cost,
               @extschema@.sum(cost) FILTER (WHERE month >= $1 AND k IN ('employed', 'temporary', 'hourly')) AS own_cost,
               pg_catalog.sum(coalesce(fte, 0)) FILTER (WHERE month >= $1 AND k IN ('employed', 'temporary', 'hourly')) AS own_m
        FROM (SELECT %3$s AS unit, %4$s AS ukey, %5$I AS month, pg_catalog.lower(%6$I::text) AS k,
                     %7$I::numeric AS fte, %8$I AS cost FROM %2$s) s
        WHERE month >= $4 AND month <= $2
        GROUP BY ukey),
      b AS (SELECT %4$s AS ukey, pg_catalog.min(%3$s) AS unit, pg_catalog.sum(%10$I::numeric) AS budget_fte, @extschema@.sum(%11$I) AS annual
            FROM %1$s WHERE %9$I >= $1 AND %9$I <= $2 GROUP BY 1),
      j AS (SELECT ukey, coalesce(a.unit, b.unit) AS unit, fte_m, employed_m, temporary_m, hourly_m, consultant_m, cost, prev,
                   consultant_cost, overtime_cost, sick_pay_cost, own_cost, own_m, budget_fte, annual
            FROM a FULL JOIN b USING (ukey)),
      -- each unit: FTE as the average of the months of the year so far
      u AS (SELECT ukey, unit, pg_catalog.round(budget_fte, 2) AS budget_fte, pg_catalog.round(fte_m / m.n, 2) AS fte,
                   pg_catalog.round(employed_m / m.n, 2) AS employed_fte, pg_catalog.round(temporary_m / m.n, 2) AS temporary_fte,
                   pg_catalog.round(hourly_m / m.n, 2) AS hourly_fte, pg_catalog.round(consultant_m / m.n, 2) AS consultant_fte,
                   fte_m, consultant_m, own_cost, own_m,
                   prev OPERATOR(@extschema@.*) $5 AS prev,
                   consultant_cost OPERATOR(@extschema@.*) $5 AS consultant_cost,
                   overtime_cost OPERATOR(@extschema@.*) $5 AS overtime_cost,
                   sick_pay_cost OPERATOR(@extschema@.*) $5 AS sick_pay_cost,
                   @extschema@.follow_up(annual OPERATOR(@extschema@.*) $5,
                                         @extschema@.period_budget(annual, $2, 'months') OPERATOR(@extschema@.*) $5,
                                         coalesce(cost, '0'::@extschema@.sek) OPERATOR(@extschema@.*) $5,
                                         @extschema@.forecast_runrate(coalesce(cost, '0'::@extschema@.sek), $2) OPERATOR(@extschema@.*) $5,
                                         $6) AS f
            FROM j, (SELECT pg_catalog.date_part('month', $2)::numeric AS n) m),
      -- the units and a total row (unit NULL) that is their sum, so that the
      -- table adds up; the shares from the summed parts
      r AS (SELECT ukey, unit, budget_fte, fte, employed_fte, temporary_fte, hourly_fte, consultant_fte,
                   fte_m, consultant_m, own_cost, own_m, prev, consultant_cost, overtime_cost, sick_pay_cost, f FROM u
            UNION ALL
            SELECT NULL, NULL, pg_catalog.sum(budget_fte), pg_catalog.sum(fte), pg_catalog.sum(employed_fte), pg_catalog.sum(temporary_fte),
                   pg_catalog.sum(hourly_fte), pg_catalog.sum(consultant_fte), pg_catalog.sum(fte_m), pg_catalog.sum(consultant_m),
                   @extschema@.sum(own_cost), pg_catalog.sum(own_m), @extschema@.sum(prev), @extschema@.sum(consultant_cost),
                   @extschema@.sum(overtime_cost), @extschema@.sum(sick_pay_cost),
                   @extschema@.follow_up(@extschema@.sum((f).budget), @extschema@.sum((f).period_budget), @extschema@.sum((f).outcome),
                                         @extschema@.sum((f).forecast), $6)
            FROM u)
      SELECT unit, budget_fte, fte, budget_fte - fte, employed_fte, temporary_fte, hourly_fte, consultant_fte,
             pg_catalog.round(100 * consultant_m / NULLIF(fte_m, 0), 2),
             (f).budget::numeric, (f).period_budget::numeric, (f).outcome::numeric, (f).deviation::numeric,
             (f).consumption::numeric, (f).forecast::numeric, (f).forecast_deviation::numeric,
             prev::numeric, consultant_cost::numeric, overtime_cost::numeric, sick_pay_cost::numeric,
             pg_catalog.round(own_cost::numeric / NULLIF(own_m, 0) * 12, 2), ukey
      FROM r ORDER BY unit NULLS LAST$q$, budget_table, staff_table, unit_expr, key_expr, month_column, kind_column, fte_column,
      cost_column, budget_date_column, budget_fte_column, budget_cost_column)
    USING ys, as_of, (as_of - interval '1 year')::date, (ys - interval '1 year')::date, sgn, convention;
  EXCEPTION WHEN OTHERS THEN
    -- the function's own SQL is no help to its reader: the error as raised,
    -- with the tables named
    DECLARE
      m text; d text; h text; st text;
    BEGIN
      GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, st = RETURNED_SQLSTATE;
      m := format('staffing_follow_up over %s and %s: %s', staff_table, budget_table, m)
           || CASE WHEN coalesce(d, '') <> '' THEN ' (' || d || ')' ELSE '' END;
      IF coalesce(h, '') <> '' THEN
        RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, HINT = h;
      END IF;
      RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st;
    END;
  END;
END
$fn$;
COMMENT ON FUNCTION staffing_follow_up(regclass, regclass, date, text, name[], name, name, name, name, name, name, name) IS 'The staffing follow-up per unit (or per the key columns keys: unit is their values joined by " / ", key_values them as jsonb) and a total row (unit NULL, last), as of as_of: budgeted FTE (årsarbetare) and the average FTE of the year''s months so far (employed, temporary, hourly and consultants; their deviation budget − actual, positive when fewer than budgeted), each kind''s average FTE and the consultants'' share of the FTE in %; the personnel cost against its budget (budget in force, period budget in twelfths, outcome, deviation, consumption %, run-rate forecast and its deviation, in the given sign convention), the same period''s cost last year, consultants'', overtime and sick-pay cost, and the annual cost per employed FTE. staff_table needs columns (unit, month date, kind text, fte numeric, cost sek), one row per unit, month and kind: kind ''employed'' (tillsvidare), ''temporary'' (visstid), ''hourly'' (timavlönade) or ''consultant'' with their FTE and cost, ''overtime'' or ''sick_pay'' with cost only (fte NULL counts as 0); budget_table (unit, valid_from date, fte numeric, cost sek), one row per decision; other column names are given by month_column, kind_column, fte_column, cost_column, budget_date_column, budget_fte_column and budget_cost_column (an integer FTE column will do). Costs in ledger signs (positive). Runs with the caller''s rights. Amounts and FTE are numeric. An unknown kind or an FTE outside 0..1 000 000 is ERROR 22023 naming the unit, month and value; a missing column 42703, a column of another type 42804, one the caller may not read 42501, a NULL table or column name 22004, keys not 1 to 8 distinct names 22023.';

-- from src/peers.sql
-- Comparison with other municipalities (jämförelse med liknande kommuner):
-- key figures per municipality and year in the shape of Kolada (the
-- municipal statistics service of RKA: a KPI id such as N01951, a
-- municipality code such as 0180, a year, a gender T/K/M and a value),
-- peer groups, cost per inhabitant, a municipality's gap to its peers' mean
-- and median in kronor, and the unfunded cost of a reform in kronor per
-- inhabitant × population (Delårsrapport 2 2023: (228 − 37) kr × 159 050
-- invånare = 30,4 mnkr a year).  The tables are the finance office's (it
-- loads them, load_kpi_values reads a Kolada export); everyone reads them.

CREATE TABLE kpi (
  kpi text PRIMARY KEY,
  title text NOT NULL,
  unit text NOT NULL,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  CONSTRAINT kpi_id CHECK (kpi OPERATOR(pg_catalog.~) '^[A-Za-z0-9_]{1,32}$'));
COMMENT ON TABLE kpi IS 'Key figures (nyckeltal) as Kolada names them: id (N01951 is the population, Invånare totalt, antal), title and unit (''kr/inv'' for kronor per inhabitant: peer_comparison turns only those into kronor; ''antal'', ''%'', …). loaded_by is the role that wrote the row: row-level security lets only it (and roles with its privileges) change it; everyone reads.';

CREATE TABLE municipality (
  municipality text PRIMARY KEY,
  name text NOT NULL,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  CONSTRAINT municipality_code CHECK (municipality OPERATOR(pg_catalog.~) '^[A-Za-z0-9_]{1,32}$'));
COMMENT ON TABLE municipality IS 'Municipalities by code (Kolada''s id: ''0180'' Stockholm, ''1880'' Örebro) and name. loaded_by as in kpi.';

CREATE TABLE kpi_value (
  kpi text NOT NULL REFERENCES kpi,
  municipality text NOT NULL REFERENCES municipality,
  year integer NOT NULL,
  gender text NOT NULL DEFAULT 'T',
  value numeric NOT NULL,
  source text,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  loaded_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
  PRIMARY KEY (kpi, municipality, year, gender),
  CONSTRAINT kpi_value_year CHECK (year BETWEEN 1900 AND 2999),
  CONSTRAINT kpi_value_gender CHECK (gender IN ('T', 'K', 'M')));
COMMENT ON TABLE kpi_value IS 'A key figure''s value for a municipality and year (Kolada''s period) and gender (T total, K women, M men, as Kolada; the comparisons read T), with where it came from (source) and who loaded it when. The population is the KPI N01951. Written by load_kpi_values or INSERT; loaded_by as in kpi.';

CREATE TABLE peer_group (
  peer_group text PRIMARY KEY,
  title text NOT NULL,
  basis text,
  loaded_by name NOT NULL DEFAULT CURRENT_USER);
COMMENT ON TABLE peer_group IS 'Groups of municipalities to compare with (Kolada''s "Liknande kommuner IFO" groups, or the office''s own choice): id, title and what the grouping rests on (basis). loaded_by as in kpi.';

CREATE TABLE peer_group_member (
  peer_group text NOT NULL REFERENCES peer_group ON DELETE CASCADE,
  municipality text NOT NULL REFERENCES municipality,
  loaded_by name NOT NULL DEFAULT CURRENT_USER,
  PRIMARY KEY (peer_group, municipality));
COMMENT ON TABLE peer_group_member IS 'The municipalities of a peer group. A municipality compared with a group it belongs to is left out of its own peers. loaded_by as in kpi.';

-- Published statistics: everyone reads every row; a role writes only rows
-- it loaded itself (or as a role whose privileges it has), so one office's
-- figures cannot be rewritten by another role with INSERT/UPDATE rights.
-- The same for each of the five tables, which pg_dump keeps.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['kpi', 'municipality', 'kpi_value', 'peer_group', 'peer_group_member'] LOOP
    PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('@extschema@.%I', t)::pg_catalog.regclass, '');
    EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE pg_catalog.format('CREATE POLICY %I ON @extschema@.%I FOR SELECT USING (true)', t || '_read', t);
    EXECUTE pg_catalog.format('CREATE POLICY %I ON @extschema@.%I FOR ALL USING (@extschema@.acts_as(loaded_by)) '
                              'WITH CHECK (@extschema@.acts_as(loaded_by))', t || '_loader', t);
    EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON @extschema@.%I IS %L', t || '_read', t,
                              'Published statistics: every role reads every row.');
    EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON @extschema@.%I IS %L', t || '_loader', t,
                              'A role with INSERT, UPDATE or DELETE on the table writes only rows loaded by itself or a role it has the privileges of (loaded_by).');
    EXECUTE pg_catalog.format('GRANT SELECT ON @extschema@.%I TO PUBLIC', t);
  END LOOP;
END
$$;

-- The population (N01951, total) of a municipality in a year.
CREATE FUNCTION population(municipality text, year integer) RETURNS numeric
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p numeric;
BEGIN
  IF NOT EXISTS (SELECT FROM @extschema@.municipality m WHERE m.municipality = population.municipality) THEN
    RAISE EXCEPTION 'unknown municipality %', quote_literal(population.municipality) USING ERRCODE = '42704',
      HINT = 'Add it to the table municipality (code and name) first.';
  END IF;
  SELECT v.value INTO p FROM @extschema@.kpi_value v
  WHERE v.kpi = 'N01951' AND v.municipality = population.municipality AND v.year = population.year AND v.gender = 'T';
  IF p IS NULL THEN
    RAISE EXCEPTION 'no population (N01951) of municipality % in %', population.municipality, population.year
      USING ERRCODE = 'P0002', HINT = 'Load Kolada''s N01951 (Invånare totalt, antal) for that year with load_kpi_values.';
  END IF;
  RETURN p;
END
$$;
COMMENT ON FUNCTION population(text, integer) IS 'The population of a municipality in a year: its value of Kolada''s N01951 (Invånare totalt, antal), gender T, in kpi_value. An unknown municipality is ERROR 42704, no such value P0002; NULL in, NULL out.';

-- A cost in kronor per inhabitant.
CREATE FUNCTION cost_per_inhabitant(cost numeric, population numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF population <= 0 OR population > 100000000 THEN
    RAISE EXCEPTION 'population % is outside 1 .. 100 000 000', population USING ERRCODE = '22023';
  END IF;
  RETURN round(cost / population, 2);
END
$$;
COMMENT ON FUNCTION cost_per_inhabitant(numeric, numeric) IS 'A cost in kronor divided by the population: kronor per inhabitant (kr/inv, as Kolada''s cost KPIs), numeric with two decimals; the sign of cost is kept. A population of 0 or less or over 100 000 000 is ERROR 22023; NULL in, NULL out.';

CREATE FUNCTION cost_per_inhabitant(cost numeric, municipality text, year integer) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.cost_per_inhabitant(cost, @extschema@.population(municipality, year));
COMMENT ON FUNCTION cost_per_inhabitant(numeric, text, integer) IS 'A cost in kronor per inhabitant of the municipality in year (its population, N01951, in kpi_value). Errors as population(municipality, year) and cost_per_inhabitant(cost, population).';

-- What a reform costs that its funding does not cover.
CREATE FUNCTION unfunded_cost(cost_per_inhabitant numeric, funding_per_inhabitant numeric, population numeric) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF cost_per_inhabitant < 0 OR funding_per_inhabitant < 0 THEN
    RAISE EXCEPTION 'cost % and funding % per inhabitant must not be negative', cost_per_inhabitant, funding_per_inhabitant
      USING ERRCODE = '22023', HINT = 'Give both as positive kronor per inhabitant, e.g. 228 and 37.';
  END IF;
  IF cost_per_inhabitant > 1000000 OR funding_per_inhabitant > 1000000 THEN
    RAISE EXCEPTION 'cost % or funding % per inhabitant is over 1 000 000 kr', cost_per_inhabitant, funding_per_inhabitant
      USING ERRCODE = '22023';
  END IF;
  IF population <= 0 OR population > 100000000 THEN
    RAISE EXCEPTION 'population % is outside 1 .. 100 000 000', population USING ERRCODE = '22023';
  END IF;
  RETURN round((cost_per_inhabitant - funding_per_inhabitant) * population, 2);
END
$$;
COMMENT ON FUNCTION unfunded_cost(numeric, numeric, numeric) IS 'The cost of a reform that its funding does not cover, in kronor a year: (cost − funding per inhabitant) × population, numeric with two decimals; negative when the funding exceeds the cost. Delårsrapport 2 2023: the stronger protection of children and adults exposed to violence from 2024 costs 228 kr per inhabitant (SKR''s estimate) against a general state grant raised by 37 kr per inhabitant, which for 159 050 inhabitants leaves 30 378 550 kr = 30,4 mnkr a year unfunded. A negative cost or funding, either over 1 000 000 kr, or a population outside 1 .. 100 000 000 is ERROR 22023; NULL in, NULL out.';

CREATE FUNCTION unfunded_cost(cost_per_inhabitant numeric, funding_per_inhabitant numeric, municipality text, year integer) RETURNS numeric
LANGUAGE sql STABLE STRICT PARALLEL SAFE
RETURN @extschema@.unfunded_cost(cost_per_inhabitant, funding_per_inhabitant, @extschema@.population(municipality, year));
COMMENT ON FUNCTION unfunded_cost(numeric, numeric, text, integer) IS 'unfunded_cost with the population of the municipality in year (N01951 in kpi_value). Errors as population(municipality, year) and unfunded_cost(cost, funding, population).';

-- A municipality against its peers, per KPI and year.
CREATE FUNCTION peer_comparison(municipality text, peer_group text, first_year integer, last_year integer DEFAULT NULL,
                                kpis text[] DEFAULT NULL)
RETURNS TABLE (kpi text, title text, unit text, year integer, value numeric, peers integer,
               peer_mean numeric, peer_median numeric, peer_min numeric, peer_max numeric,
               gap_mean numeric, gap_median numeric, population numeric, gap_mean_kr numeric, gap_median_kr numeric,
               rank integer, note text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  m text := peer_comparison.municipality;
  g text := peer_comparison.peer_group;
  y0 integer := peer_comparison.first_year;
  y1 integer := coalesce(peer_comparison.last_year, peer_comparison.first_year);
  ks text[] := peer_comparison.kpis;
  bad text;
BEGIN
  IF m IS NULL OR g IS NULL OR y0 IS NULL THEN
    RAISE EXCEPTION 'municipality, peer group and first year must not be NULL' USING ERRCODE = '22004';
  END IF;
  IF y0 < 1900 OR y0 > 2999 OR y1 < 1900 OR y1 > 2999 OR y1 < y0 THEN
    RAISE EXCEPTION 'years % .. % are not a period within 1900 .. 2999', y0, y1 USING ERRCODE = '22023',
      HINT = 'Give first_year, and last_year (default first_year) not before it.';
  END IF;
  IF NOT EXISTS (SELECT FROM @extschema@.municipality x WHERE x.municipality = m) THEN
    RAISE EXCEPTION 'unknown municipality %', quote_literal(m) USING ERRCODE = '42704',
      HINT = 'Add it to the table municipality (code and name) first.';
  END IF;
  IF NOT EXISTS (SELECT FROM @extschema@.peer_group x WHERE x.peer_group = g) THEN
    RAISE EXCEPTION 'unknown peer group %', quote_literal(g) USING ERRCODE = '42704',
      HINT = 'Add it to peer_group and its municipalities to peer_group_member.';
  END IF;
  SELECT string_agg(coalesce(quote_literal(k), 'NULL'), ', ') INTO bad
  FROM unnest(ks) k WHERE NOT EXISTS (SELECT FROM @extschema@.kpi x WHERE x.kpi = k);
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'unknown KPI %', bad USING ERRCODE = '42704', HINT = 'Add it to the table kpi (id, title, unit) first.';
  END IF;
  RETURN QUERY
  WITH own AS (
    SELECT v.kpi, v.year, v.value FROM @extschema@.kpi_value v
    WHERE v.municipality = m AND v.gender = 'T' AND v.year BETWEEN y0 AND y1
      AND (ks IS NULL AND v.kpi <> 'N01951' OR v.kpi = ANY (ks))),
  peer AS (
    SELECT v.kpi, v.year, v.value
    FROM @extschema@.kpi_value v
    JOIN @extschema@.peer_group_member pm ON pm.municipality = v.municipality AND pm.peer_group = g
    JOIN own o ON o.kpi = v.kpi AND o.year = v.year
    WHERE v.gender = 'T' AND v.municipality <> m),
  s AS (
    SELECT p.kpi, p.year, count(*)::integer AS n, avg(p.value) AS mean,
           array_agg(p.value ORDER BY p.value) AS vals, min(p.value) AS lo, max(p.value) AS hi
    FROM peer p GROUP BY p.kpi, p.year),
  r AS (
    -- the median: the middle value, or the mean of the two middle ones
    SELECT o.kpi, k.title, k.unit, o.year, o.value, coalesce(s.n, 0) AS n, s.mean,
           (s.vals[(s.n + 1) / 2] + s.vals[(s.n + 2) / 2]) / 2 AS median, s.lo, s.hi,
           lower(btrim(k.unit)) = 'kr/inv' AS per_inhabitant,
           (SELECT pv.value FROM @extschema@.kpi_value pv
            WHERE pv.kpi = 'N01951' AND pv.municipality = m AND pv.year = o.year AND pv.gender = 'T') AS pop,
           1 + (SELECT count(*) FROM peer p WHERE p.kpi = o.kpi AND p.year = o.year AND p.value < o.value)::integer AS rk
    FROM own o JOIN @extschema@.kpi k ON k.kpi = o.kpi
    LEFT JOIN s ON s.kpi = o.kpi AND s.year = o.year)
  SELECT r.kpi, r.title, r.unit, r.year, r.value, r.n, round(r.mean, 2), round(r.median, 2), r.lo, r.hi,
         round(r.value - r.mean, 2), round(r.value - r.median, 2), r.pop,
         CASE WHEN r.per_inhabitant THEN round((r.value - r.mean) * r.pop, 2) END,
         CASE WHEN r.per_inhabitant THEN round((r.value - r.median) * r.pop, 2) END,
         r.rk,
         nullif(array_to_string(ARRAY[
           CASE WHEN r.n = 0 THEN 'no peer has a value' END,
           CASE WHEN NOT r.per_inhabitant THEN 'unit ' || r.unit || ' is not kr/inv: no gap in kronor' END,
           CASE WHEN r.per_inhabitant AND r.pop IS NULL THEN 'no population (N01951) that year: no gap in kronor' END], '; '), '')
  FROM r ORDER BY r.kpi, r.year;
END
$fn$;
COMMENT ON FUNCTION peer_comparison(text, text, integer, integer, text[]) IS 'A municipality against a peer group (liknande kommuner), per KPI and year from first_year to last_year (default first_year) where the municipality has a value (gender T; all its KPIs but the population N01951, or those of kpis): its value; the number of peers with a value that year (the group''s members, the municipality itself left out); their mean (unweighted, as Kolada''s group values), median, minimum and maximum; the gaps value − mean and value − median (positive: the municipality spends more per inhabitant); for a KPI in kr/inv the municipality''s population (N01951) and the gaps in kronor, gap per inhabitant × population (from the unrounded mean); its rank among itself and the peers (1 = lowest value); note says why a column is NULL. Everything numeric (means, medians and gaps rounded to two decimals). NULL arguments are ERROR 22004; years outside 1900..2999 or last_year before first_year 22023; an unknown municipality, peer group or KPI 42704.';

-- One line of a CSV file split into fields: delimiter-separated, a field in
-- double quotes may hold the delimiter and "" for a quote.
CREATE FUNCTION kpi_csv_fields(line text, delimiter text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  parts text[];
  fields text[];
BEGIN
  IF delimiter NOT IN (';', ',', E'\t') THEN
    RAISE EXCEPTION 'delimiter % is not one of ; , or a tab', quote_literal(delimiter) USING ERRCODE = '22023';
  END IF;
  IF strpos(line, '"') = 0 THEN
    RETURN string_to_array(line, delimiter);
  END IF;
  SELECT array_agg(r.m[1] ORDER BY r.o), array_agg(coalesce(replace(r.m[2], '""', '"'), r.m[3]) ORDER BY r.o)
  INTO parts, fields
  FROM regexp_matches(line, format('((?:^|%1$s)(?:"((?:[^"]|"")*)"|([^%1$s"]*)))', delimiter), 'g') WITH ORDINALITY r(m, o);
  IF parts IS NULL OR array_to_string(parts, '') <> line THEN
    RAISE EXCEPTION 'badly quoted CSV line: %', left(line, 200) USING ERRCODE = '22P04',
      HINT = 'A quoted field starts and ends with " next to a delimiter, and a quote inside it is written "".';
  END IF;
  RETURN fields;
END
$$;
COMMENT ON FUNCTION kpi_csv_fields(text, text) IS 'The fields of one CSV line: split at delimiter ('';'', '','' or a tab); a field in double quotes may hold the delimiter, a "" in it is a quote. A stray or unclosed quote is ERROR 22P04 (a quoted field cannot span lines), another delimiter 22023. What load_kpi_values splits lines with.';

-- Loads key figures from a CSV export of the statistics service.
CREATE FUNCTION load_kpi_values(csv text, source text DEFAULT NULL, on_existing text DEFAULT 'error',
                                OUT loaded integer, OUT replaced integer, OUT missing integer)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  d text;
  hdr text[];
  i_kpi int; i_mun int; i_per int; i_gen int; i_val int;
  rec record;
  f text[];
  v text;
  num numeric;
  g text;
  lines int[] := '{}';
  ks text[] := '{}';
  ms text[] := '{}';
  ys int[] := '{}';
  gs text[] := '{}';
  vs numeric[] := '{}';
  bad record;
  hl text;
  mode text := lower(on_existing);
BEGIN
  IF csv IS NULL THEN
    RAISE EXCEPTION 'the CSV text is NULL' USING ERRCODE = '22004',
      HINT = 'Pass the file''s content, e.g. psql''s \set csv `cat file.csv` and load_kpi_values(:''csv'').';
  END IF;
  IF mode IS NULL OR mode NOT IN ('error', 'replace') THEN
    RAISE EXCEPTION 'unknown on_existing %', coalesce(quote_literal(on_existing), 'NULL') USING ERRCODE = '22023',
      HINT = 'Use ''error'' (a row already in kpi_value is an error, the default) or ''replace'' (its value is replaced).';
  END IF;
  IF octet_length(csv) > 64 * 1024 * 1024 THEN
    RAISE EXCEPTION 'the CSV text is % bytes, over the limit of 64 MB', octet_length(csv) USING ERRCODE = '54000',
      HINT = 'Split the export, by KPI or by year.';
  END IF;
  missing := 0;
  FOR rec IN SELECT u.n::int AS n, rtrim(u.x, E'\r') AS line
             FROM unnest(string_to_array(csv, E'\n')) WITH ORDINALITY u(x, n) LOOP
    CONTINUE WHEN btrim(rec.line, E' \t') = '';
    IF hdr IS NULL THEN
      -- the header names the columns (in any order); the delimiter is the
      -- first of ; tab , that it has
      hl := regexp_replace(rec.line, '^\uFEFF', '');
      d := CASE WHEN strpos(hl, ';') > 0 THEN ';' WHEN strpos(hl, E'\t') > 0 THEN E'\t' ELSE ',' END;
      BEGIN
        hdr := ARRAY(SELECT lower(btrim(h, E' \t')) FROM unnest(@extschema@.kpi_csv_fields(hl, d)) WITH ORDINALITY u(h, o) ORDER BY o);
      EXCEPTION WHEN bad_copy_file_format THEN
        RAISE EXCEPTION 'line %: %', rec.n, SQLERRM USING ERRCODE = '22P04';
      END;
      i_kpi := array_position(hdr, 'kpi');
      i_mun := coalesce(array_position(hdr, 'municipality'), array_position(hdr, 'municipality_id'));
      i_per := coalesce(array_position(hdr, 'period'), array_position(hdr, 'year'));
      i_gen := array_position(hdr, 'gender');
      i_val := array_position(hdr, 'value');
      IF i_kpi IS NULL OR i_mun IS NULL OR i_per IS NULL OR i_val IS NULL THEN
        RAISE EXCEPTION 'line %: the header % lacks a column kpi, municipality, period or value', rec.n, left(rec.line, 200)
          USING ERRCODE = '22P04',
          HINT = 'The first line names the columns as Kolada''s data: kpi, municipality (or municipality_id), period (or year), gender (optional, T when missing) and value; others (count, status, municipality name) are ignored.';
      END IF;
      CONTINUE;
    END IF;
    BEGIN
      f := @extschema@.kpi_csv_fields(rec.line, d);
    EXCEPTION WHEN bad_copy_file_format THEN
      RAISE EXCEPTION 'line %: %', rec.n, SQLERRM USING ERRCODE = '22P04';
    END;
    IF cardinality(f) <> cardinality(hdr) THEN
      RAISE EXCEPTION 'line %: % fields, the header has %', rec.n, cardinality(f), cardinality(hdr) USING ERRCODE = '22P04',
        HINT = format('Fields are separated by %L (the header''s delimiter); a field holding it is quoted.', d);
    END IF;
    IF coalesce(btrim(f[i_kpi]), '') = '' OR coalesce(btrim(f[i_mun]), '') = '' THEN
      RAISE EXCEPTION 'line %: empty kpi or municipality', rec.n USING ERRCODE = '22P04';
    END IF;
    IF btrim(f[i_per]) !~ '^[0-9]{4}$' THEN
      RAISE EXCEPTION 'line %: period % is not a year', rec.n, quote_literal(f[i_per]) USING ERRCODE = '22P02';
    END IF;
    IF btrim(f[i_per])::int NOT BETWEEN 1900 AND 2999 THEN
      RAISE EXCEPTION 'line %: year % is outside 1900 .. 2999', rec.n, btrim(f[i_per]) USING ERRCODE = '22023';
    END IF;
    g := upper(coalesce(nullif(btrim(f[i_gen]), ''), 'T'));
    IF g NOT IN ('T', 'K', 'M') THEN
      RAISE EXCEPTION 'line %: gender % is not T, K or M', rec.n, quote_literal(f[i_gen]) USING ERRCODE = '22023',
        HINT = 'Kolada''s genders: T total, K women (kvinnor), M men (män).';
    END IF;
    -- the value: a decimal point or a Swedish decimal comma, spaces (also
    -- no-break and thin) as thousands separators, a Unicode minus; empty
    -- is a value Kolada does not have (null), counted in missing
    v := translate(f[i_val], E' \u00A0\u2009\u202F\t', '');
    v := replace(v, E'\u2212', '-');
    IF v = '' THEN
      missing := missing + 1;
      CONTINUE;
    END IF;
    IF v !~ '^[+-]?[0-9]+([.,][0-9]+)?$' THEN
      RAISE EXCEPTION 'line %: value % is not a number', rec.n, quote_literal(f[i_val]) USING ERRCODE = '22P02',
        HINT = 'Write 1234,5 or 1 234,5 or 1234.5: one decimal comma or point, spaces between thousands.';
    END IF;
    num := replace(v, ',', '.')::numeric;
    IF abs(num) >= 1e15 THEN
      RAISE EXCEPTION 'line %: value % is out of range', rec.n, f[i_val] USING ERRCODE = '22003';
    END IF;
    lines := lines || rec.n;
    ks := ks || btrim(f[i_kpi]);
    ms := ms || btrim(f[i_mun]);
    ys := ys || btrim(f[i_per])::int;
    gs := gs || g;
    vs := vs || num;
  END LOOP;
  IF hdr IS NULL THEN
    RAISE EXCEPTION 'the CSV text has no header line' USING ERRCODE = '22P04',
      HINT = 'The first line names the columns: kpi, municipality, period, gender, value.';
  END IF;
  -- codes the tables do not know
  SELECT u.n, u.k INTO bad FROM unnest(lines, ks) u(n, k)
  WHERE NOT EXISTS (SELECT FROM @extschema@.kpi x WHERE x.kpi = u.k) ORDER BY u.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'line %: unknown KPI %', bad.n, quote_literal(bad.k) USING ERRCODE = '23503',
      HINT = 'Add the KPI to the table kpi (id, title, unit) first.';
  END IF;
  SELECT u.n, u.m INTO bad FROM unnest(lines, ms) u(n, m)
  WHERE NOT EXISTS (SELECT FROM @extschema@.municipality x WHERE x.municipality = u.m) ORDER BY u.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'line %: unknown municipality code %', bad.n, quote_literal(bad.m) USING ERRCODE = '23503',
      HINT = 'Add the municipality to the table municipality (code and name) first; Kolada''s codes have four digits, e.g. 0180.';
  END IF;
  -- the same key twice in the file
  SELECT a.n AS n1, b.n AS n2, a.k, a.m, a.y, a.g INTO bad
  FROM unnest(lines, ks, ms, ys, gs) a(n, k, m, y, g)
  JOIN unnest(lines, ks, ms, ys, gs) b(n, k, m, y, g) ON (b.k, b.m, b.y, b.g) = (a.k, a.m, a.y, a.g) AND b.n > a.n
  ORDER BY b.n LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'lines % and %: the same KPI %, municipality %, year % and gender % twice', bad.n1, bad.n2, bad.k, bad.m, bad.y, bad.g
      USING ERRCODE = '23505';
  END IF;
  SELECT count(*)::int INTO replaced
  FROM unnest(lines, ks, ms, ys, gs) u(n, k, m, y, g)
  JOIN @extschema@.kpi_value t ON (t.kpi, t.municipality, t.year, t.gender) = (u.k, u.m, u.y, u.g);
  IF replaced > 0 AND mode = 'error' THEN
    SELECT u.n, u.k, u.m, u.y, u.g INTO bad FROM unnest(lines, ks, ms, ys, gs) u(n, k, m, y, g)
    JOIN @extschema@.kpi_value t ON (t.kpi, t.municipality, t.year, t.gender) = (u.k, u.m, u.y, u.g) ORDER BY u.n LIMIT 1;
    RAISE EXCEPTION 'line %: KPI %, municipality %, year %, gender % is already loaded (% such lines)', bad.n, bad.k, bad.m, bad.y, bad.g, replaced
      USING ERRCODE = '23505', HINT = 'Pass on_existing => ''replace'' to replace the values (a new export with revised figures).';
  END IF;
  INSERT INTO @extschema@.kpi_value AS t (kpi, municipality, year, gender, value, source, loaded_by, loaded_at)
  SELECT u.k, u.m, u.y, u.g, u.v, load_kpi_values.source, CURRENT_USER, now()
  FROM unnest(ks, ms, ys, gs, vs) u(k, m, y, g, v)
  ON CONFLICT (kpi, municipality, year, gender)
  DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, loaded_at = EXCLUDED.loaded_at;
  loaded := cardinality(lines) - replaced;
END
$fn$;
COMMENT ON FUNCTION load_kpi_values(text, text, text) IS 'Loads key figures into kpi_value from the text of a CSV file in the shape of Kolada''s data (one line per KPI, municipality, year and gender): a header naming the columns kpi, municipality (or municipality_id), period (or year), gender (T, K or M; optional, T when missing or empty) and value, in any order, other columns ignored; delimiter ; tab or , (the first the header has); a field in double quotes may hold the delimiter; values with a decimal point or a Swedish decimal comma, spaces as thousands separators; an empty value (Kolada''s null) is skipped and counted in missing. source is stored with each row; on_existing ''error'' (default) or ''replace'' (a new export with revised values). Returns loaded (new rows), replaced and missing. All or nothing: a bad line (wrong number of fields, bad quoting, no header) is ERROR 22P04, a value or period that is not a number 22P02, a gender not T/K/M or a year outside 1900..2999 22023, an unknown KPI or municipality code 23503 (add them first), the same key twice in the file or a key already loaded (with ''error'') 23505, each naming the line; a NULL text 22004, over 64 MB 54000. Reads no file itself: the client passes the content (psql: \set csv `cat file.csv`). Runs with the caller''s rights: it needs INSERT (and UPDATE to replace) on kpi_value, and row-level security lets it replace only rows its role loaded.';

-- from src/income_support.sql
-- Income support (ekonomiskt bistånd, försörjningsstöd): the cost of a month
-- is the households paid times the kronor per household, and the follow-up
-- speaks in those two factors (Åtgärdsplan 2024–2026, Åtgärd 6: checks of
-- large decisions and preventive work through the labour-market unit;
-- Delårsrapport 2 2023: fewer persons dependent on long-term support).
-- Over the user's register of payments (household, payment date or month,
-- amount; the column names are arguments): the monthly factors, a year-end
-- forecast of the cost as households × amount per household with a 95 %
-- interval, and a measure's saving split into the household effect and the
-- amount-per-household effect.  Results are numeric (kronor, two decimals)
-- for BI tools.  docs/income_support.md has the worked examples and the
-- simulated coverage of the interval (test/bench/income_support_coverage.sh).

-- The register's columns, checked so that a missing one, a wrong type or a
-- missing privilege is told by its table and column.
CREATE FUNCTION income_support_check(fn text, register regclass, household_column name, month_column name,
                                     amount_column name)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  c record;
  have regtype;
BEGIN
  IF register IS NULL THEN
    RAISE EXCEPTION '% needs a register table, not NULL', fn USING ERRCODE = '22004';
  END IF;
  FOR c IN SELECT * FROM (VALUES (1, 'household_column', household_column, NULL::regtype[]),
                                 (2, 'month_column', month_column, ARRAY['date'::regtype]),
                                 (3, 'amount_column', amount_column,
                                  ARRAY['@extschema@.sek'::regtype, 'numeric', 'bigint', 'integer', 'smallint'])) v(o, arg, col, want)
           ORDER BY o LOOP
    IF c.col IS NULL THEN
      RAISE EXCEPTION '%: the % of % is NULL', fn, c.arg, register USING ERRCODE = '22004';
    END IF;
    SELECT a.atttypid::regtype INTO have FROM pg_attribute a
    WHERE a.attrelid = register AND a.attname = c.col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
      RAISE EXCEPTION '%: column "%" does not exist in % (the %)', fn, c.col, register, c.arg USING ERRCODE = '42703',
        HINT = 'The register needs a household, a payment date or month (date) and an amount (sek, numeric or an integer type in kronor); name them with household_column, month_column and amount_column.';
    END IF;
    IF c.want IS NOT NULL AND NOT have = ANY (c.want) THEN
      RAISE EXCEPTION '%: column "%" of % (the %) is %, not %', fn, c.col, register, c.arg, have,
        array_to_string(c.want::text[], ' or ') USING ERRCODE = '42804',
        HINT = format('Point it at a view that casts the column: %I::%s.', c.col, c.want[1]);
    END IF;
    IF NOT has_column_privilege(register, c.col::text, 'SELECT') THEN
      RAISE EXCEPTION '%: permission denied for column "%" of % (the %)', fn, c.col, register, c.arg USING ERRCODE = '42501',
        HINT = 'The income-support functions read the register with the caller''s rights: GRANT SELECT on it.';
    END IF;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION income_support_check(text, regclass, name, name, name) IS 'Internal to the income-support functions: the register is not NULL and has the named household column (any type), month column (date) and amount column (sek, numeric or an integer type, kronor) that the caller may read. A NULL table or column name is ERROR 22004, a missing column 42703, another type 42804, no SELECT privilege 42501; fn names the caller in the message.';

-- Per month: households paid, total paid, kronor per household.
CREATE FUNCTION income_support_months(register regclass, from_date date DEFAULT NULL, until date DEFAULT NULL,
                                      household_column name DEFAULT 'household', month_column name DEFAULT 'month',
                                      amount_column name DEFAULT 'amount')
RETURNS TABLE (month date, households bigint, total numeric, per_household numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  bad record;
  nbad bigint;
BEGIN
  PERFORM @extschema@.income_support_check('income_support_months', register, household_column, month_column, amount_column);
  IF NOT isfinite(from_date) OR NOT isfinite(until) THEN
    RAISE EXCEPTION 'income_support_months: from_date % and until % must be finite dates (or NULL for no bound)', from_date, until
      USING ERRCODE = '22008';
  END IF;
  IF from_date > until THEN
    RAISE EXCEPTION 'income_support_months: from_date % is after until %', from_date, until USING ERRCODE = '22023',
      HINT = 'Give the first and the last day of the months wanted, e.g. ''2023-01-01'' and ''2023-08-31''.';
  END IF;
  -- a payment the months cannot count is named, not skipped
  EXECUTE format($q$SELECT %1$I::text AS household, %2$I AS month, %3$I::numeric AS amount FROM %4$s
                    WHERE (%1$I IS NULL OR %2$I IS NULL OR %3$I IS NULL)
                      AND (%2$I IS NULL OR ((%2$I >= $1 OR $1 IS NULL) AND (%2$I <= $2 OR $2 IS NULL)))
                    LIMIT 1$q$, household_column, month_column, amount_column, register)
    INTO bad USING date_trunc('month', from_date)::date, until;
  GET DIAGNOSTICS nbad = ROW_COUNT;   -- EXECUTE leaves FOUND alone
  IF nbad > 0 THEN
    RAISE EXCEPTION 'income_support_months: a payment in % has a NULL % (household %, month %, amount %)', register,
      CASE WHEN bad.household IS NULL THEN 'household' WHEN bad.month IS NULL THEN 'month' ELSE 'amount' END,
      coalesce(bad.household, 'NULL'), coalesce(bad.month::text, 'NULL'), coalesce(bad.amount::text, 'NULL')
      USING ERRCODE = '22004', HINT = 'Every payment needs its household, its date and its amount.';
  END IF;
  -- from_date counts from its month's first day, so that the months are whole
  RETURN QUERY EXECUTE format($q$
    SELECT pg_catalog.date_trunc('month', %2$I)::date AS month, pg_catalog.count(DISTINCT %1$I) AS households,
           pg_catalog.sum(%3$I::numeric) AS total,
           pg_catalog.round(pg_catalog.sum(%3$I::numeric) OPERATOR(pg_catalog./) pg_catalog.count(DISTINCT %1$I), 2)
    FROM %4$s
    WHERE (%2$I >= $1 OR $1 IS NULL) AND (%2$I <= $2 OR $2 IS NULL)
    GROUP BY 1 ORDER BY 1$q$, household_column, month_column, amount_column, register)
  USING date_trunc('month', from_date)::date, until;
END
$fn$;
COMMENT ON FUNCTION income_support_months(regclass, date, date, name, name, name) IS 'Income support (ekonomiskt bistånd) per month of the register: the first day of the month, the households paid (distinct households with a payment dated in the month), the total paid and the kronor per household (total ÷ households, two decimals). register needs household_column (any type; default household), month_column (date: the payment date or the month; default month) and amount_column (sek, numeric or an integer type, kronor; default amount; repayments may be negative rows). Payments dated from from_date''s month to until (NULL: no bound); a month without payments has no row. A NULL table or column name, or a payment with a NULL household, date or amount, is ERROR 22004; a missing column 42703, another type 42804, no SELECT privilege 42501; from_date after until 22023, an infinite bound 22008. Runs with the caller''s rights. Amounts are numeric.';

-- How the two factors' errors move together: the correlation of the
-- 12-month changes of their logarithms.
CREATE FUNCTION income_support_correlation(months date[], households float8[], per_household float8[])
RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  n int := cardinality(months);
  lag int;
  r float8;
  k int;
BEGIN
  IF n IS DISTINCT FROM cardinality(households) OR n IS DISTINCT FROM cardinality(per_household) THEN
    RAISE EXCEPTION 'income_support_correlation: months, households and per_household have % , % and % elements', n,
      cardinality(households), cardinality(per_household) USING ERRCODE = '22023',
      HINT = 'Give one element per month in each array.';
  END IF;
  SELECT min(i) INTO k FROM generate_subscripts(months, 1) i
  WHERE months[i] IS NULL OR households[i] IS NULL OR per_household[i] IS NULL
     OR NOT households[i] > 0 OR NOT per_household[i] > 0 OR households[i] = 'Infinity' OR per_household[i] = 'Infinity';
  IF k IS NOT NULL THEN
    RAISE EXCEPTION 'income_support_correlation: element % (month %: households %, per household %) is not a positive number',
      k, coalesce(months[k]::text, 'NULL'), coalesce(households[k]::text, 'NULL'), coalesce(per_household[k]::text, 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF (SELECT count(DISTINCT date_trunc('month', m)) FROM unnest(months) m) <> n THEN
    RAISE EXCEPTION 'income_support_correlation: a month is given twice' USING ERRCODE = '22023';
  END IF;
  -- 12-month changes (free of the season and of a steady trend) when there
  -- are six pairs of them, else 1-month changes, else no estimate (0)
  FOREACH lag IN ARRAY ARRAY[12, 1] LOOP
    SELECT count(*), corr(ln(a.h) - ln(b.h), ln(a.p) - ln(b.p)) INTO k, r
    FROM unnest(months, households, per_household) a(m, h, p)
    JOIN unnest(months, households, per_household) b(m, h, p)
      ON date_trunc('month', b.m) = date_trunc('month', a.m) - make_interval(months => lag);
    IF k >= 6 THEN
      RETURN greatest(-1, least(1, coalesce(r, 0)));
    END IF;
  END LOOP;
  RETURN 0;
END
$fn$;
COMMENT ON FUNCTION income_support_correlation(date[], double precision[], double precision[]) IS 'The correlation income_support_year_end uses between the errors of the two factors: the correlation of the 12-month changes of ln(households) and ln(kronor per household) over the months given (free of the season and of a steady trend), of the 1-month changes when there are fewer than six 12-month pairs, 0 when there are fewer than six of those either or a factor does not vary. Arrays of different lengths, a month given twice, or a NULL, non-positive or infinite element is ERROR 22023; NULL arrays give NULL.';

-- The year-end cost as households × kronor per household, from a model of
-- each factor.
CREATE FUNCTION income_support_year_end(outcome_so_far numeric, households_model @extschema@.forecast_model,
                                        per_household_model @extschema@.forecast_model,
                                        factor_correlation float8 DEFAULT 0)
RETURNS TABLE (year integer, months integer, remaining integer, outcome numeric,
               households numeric, households_lo95 numeric, households_hi95 numeric,
               per_household numeric, per_household_lo95 numeric, per_household_hi95 numeric,
               remaining_cost numeric, forecast numeric, lo95 numeric, hi95 numeric,
               correlation numeric, models text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  z CONSTANT float8 := 1.959963984540054;   -- the normal 97,5 % quantile
  yh record;
  ya record;
  f record;
  sh float8;
  sa float8;
  s float8;
BEGIN
  IF outcome_so_far IS NULL OR households_model IS NULL OR per_household_model IS NULL OR factor_correlation IS NULL THEN
    RAISE EXCEPTION 'income_support_year_end: % is NULL',
      CASE WHEN outcome_so_far IS NULL THEN 'outcome_so_far' WHEN households_model IS NULL THEN 'households_model'
           WHEN per_household_model IS NULL THEN 'per_household_model' ELSE 'factor_correlation' END
      USING ERRCODE = '22004', HINT = 'Give the year''s cost so far, a model of the households per month and one of the kronor per household (forecast_fit), and their correlation (0 if unknown).';
  END IF;
  IF outcome_so_far = 'NaN' OR abs(outcome_so_far) > 92233720368547758.07 THEN
    RAISE EXCEPTION 'income_support_year_end: outcome_so_far % is not an amount', outcome_so_far USING ERRCODE = '22003';
  END IF;
  IF factor_correlation = 'NaN' OR factor_correlation < -1 OR factor_correlation > 1 THEN
    RAISE EXCEPTION 'income_support_year_end: factor_correlation % is outside -1 .. 1', factor_correlation USING ERRCODE = '22023';
  END IF;
  SELECT y.* INTO yh FROM @extschema@.year_end(households_model) y;
  SELECT y.* INTO ya FROM @extschema@.year_end(per_household_model) y;
  IF yh.year <> ya.year OR yh.months <> ya.months THEN
    RAISE EXCEPTION 'income_support_year_end: the households model ends in month % of %, the per-household model in month % of %',
      yh.months, yh.year, ya.months, ya.year USING ERRCODE = '22023',
      HINT = 'Fit both factors over the same months, up to the same last month.';
  END IF;
  year := yh.year; months := yh.months; remaining := yh.remaining;
  outcome := round(outcome_so_far, 2);
  correlation := round(factor_correlation::numeric, 4);
  models := @extschema@.model_name(households_model) || ' × ' || @extschema@.model_name(per_household_model);
  IF remaining = 0 THEN
    -- December: the year is known
    remaining_cost := 0; forecast := outcome; lo95 := outcome; hi95 := outcome;
    RETURN NEXT;
    RETURN;
  END IF;
  -- the points: the months' households × kronor per household, summed
  SELECT sum(h.point) AS hsum, sum(h.point * a.point) AS csum, bool_and(h.point > 0 AND a.point > 0) AS positive INTO f
  FROM @extschema@.forecast(households_model, remaining) h
  JOIN @extschema@.forecast(per_household_model, remaining) a USING (period);
  IF NOT f.positive THEN
    RAISE EXCEPTION 'income_support_year_end: a factor''s forecast for the rest of % is not positive (households %, kronor %)',
      year, round(f.hsum::numeric, 1), round(f.csum::numeric) USING ERRCODE = '22023',
      HINT = 'The product is taken on the log scale: both factors must stay positive.';
  END IF;
  -- each factor's relative standard error over the rest of the year, from
  -- its model's 95 % interval of the remaining months' sum (log scale when
  -- its lower end is positive, else the half width over the point)
  sh := CASE WHEN yh.lo95 - yh.outcome > 0 THEN ln((yh.hi95 - yh.outcome) / (yh.lo95 - yh.outcome)) / (2 * z)
             ELSE (yh.hi95 - yh.lo95) / (2 * z * (yh.point - yh.outcome)) END;
  sa := CASE WHEN ya.lo95 - ya.outcome > 0 THEN ln((ya.hi95 - ya.outcome) / (ya.lo95 - ya.outcome)) / (2 * z)
             ELSE (ya.hi95 - ya.lo95) / (2 * z * (ya.point - ya.outcome)) END;
  -- the product's: ln(cost) = ln(households) + ln(per household)
  s := sqrt(greatest(0, sh * sh + sa * sa + 2 * factor_correlation * sh * sa));
  households := round((f.hsum / remaining)::numeric, 1);
  households_lo95 := round((f.hsum / remaining * exp(-z * sh))::numeric, 1);
  households_hi95 := round((f.hsum / remaining * exp(z * sh))::numeric, 1);
  per_household := round((f.csum / f.hsum)::numeric, 2);
  per_household_lo95 := round((f.csum / f.hsum * exp(-z * sa))::numeric, 2);
  per_household_hi95 := round((f.csum / f.hsum * exp(z * sa))::numeric, 2);
  remaining_cost := round(f.csum::numeric, 2);
  forecast := outcome + remaining_cost;
  lo95 := outcome + round((f.csum * exp(-z * s))::numeric, 2);
  hi95 := outcome + round((f.csum * exp(z * s))::numeric, 2);
  RETURN NEXT;
END
$fn$;
COMMENT ON FUNCTION income_support_year_end(numeric, forecast_model, forecast_model, double precision) IS 'Year-end forecast of income support as households × kronor per household: outcome_so_far (the year''s cost so far, kronor) plus, for each remaining month of the year of the models'' last month, the households model''s point × the per-household model''s point (forecast_fit over the same months). households is the mean households per remaining month, per_household the kronor per household over them (so remaining_cost = households × remaining × per_household), each with its model''s 95 % interval of the remaining months. The cost''s 95 % interval is log-normal: ln(cost) = ln(households) + ln(per household), each factor''s standard error from its model''s interval (ln(hi/lo)/3,92), combined as sqrt(sH² + sA² + 2·ρ·sH·sA) with ρ = factor_correlation (income_support_correlation estimates it). In December the year is known (remaining 0, interval = outcome). Simulated coverage of the interval: docs/income_support.md. A NULL argument is ERROR 22004, a correlation outside -1..1 or models ending in different months 22023, a factor forecast not positive 22023.';

-- The year-end forecast over the register.
CREATE FUNCTION income_support_forecast(register regclass, as_of date, method text DEFAULT 'comb',
                                        household_column name DEFAULT 'household', month_column name DEFAULT 'month',
                                        amount_column name DEFAULT 'amount')
RETURNS TABLE (year integer, months integer, remaining integer, outcome numeric,
               households numeric, households_lo95 numeric, households_hi95 numeric,
               per_household numeric, per_household_lo95 numeric, per_household_hi95 numeric,
               remaining_cost numeric, forecast numeric, lo95 numeric, hi95 numeric,
               correlation numeric, models text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  s record;
  bad record;
  mo date[]; hh bigint[]; tot numeric[];
  m text; d text; h text; st text;
BEGIN
  PERFORM @extschema@.income_support_check('income_support_forecast', register, household_column, month_column, amount_column);
  IF as_of IS NULL OR NOT isfinite(as_of) OR as_of <> (date_trunc('month', as_of) + interval '1 month - 1 day')::date THEN
    RAISE EXCEPTION 'income_support_forecast: as_of must be the last day of a month, not %', coalesce(as_of::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give the last day of the last month with all its payments, e.g. ''2023-08-31''.';
  END IF;
  IF method IS NULL THEN
    RAISE EXCEPTION 'income_support_forecast: method is NULL' USING ERRCODE = '22004',
      HINT = 'Use ''comb'' (the default), ''ets'', ''theta'' or ''damped''.';
  END IF;
  -- the months as arrays (a function that may run in a read-only
  -- transaction and in parallel keeps no temporary table)
  SELECT array_agg(x.month ORDER BY x.month), array_agg(x.households ORDER BY x.month), array_agg(x.total ORDER BY x.month)
  INTO mo, hh, tot
  FROM @extschema@.income_support_months(register, NULL, as_of, household_column, month_column, amount_column) x;
  IF NOT EXISTS (SELECT FROM unnest(mo, hh, tot) x(month, households, total) WHERE month = date_trunc('month', as_of)) THEN
    RAISE EXCEPTION 'income_support_forecast: % has no payments in the month of as_of %', register, as_of
      USING ERRCODE = '22023', HINT = 'Give an as_of whose month is in the register.';
  END IF;
  SELECT x.* INTO bad FROM unnest(mo, hh, tot) x(month, households, total) WHERE NOT x.total > 0 ORDER BY month LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'income_support_forecast: % pays % kr in total in %', register, bad.total, to_char(bad.month, 'YYYY-MM')
      USING ERRCODE = '22023', HINT = 'The forecast multiplies households by a positive amount per household: every month''s total must be positive.';
  END IF;
  BEGIN
    SELECT @extschema@.forecast_fit(x.month, x.households::float8, method) AS mh,
           @extschema@.forecast_fit(x.month, (x.total / x.households)::float8, method) AS ma,
           sum(x.total) FILTER (WHERE x.month >= date_trunc('year', as_of)) AS so_far,
           @extschema@.income_support_correlation(array_agg(x.month ORDER BY x.month), array_agg(x.households::float8 ORDER BY x.month),
                                                  array_agg((x.total / x.households)::float8 ORDER BY x.month)) AS rho
    INTO s FROM unnest(mo, hh, tot) x(month, households, total);
    -- a negative correlation would narrow the interval, and in simulation
    -- the narrower interval covered too little (docs/income_support.md):
    -- only a positive estimate is used
    RETURN QUERY SELECT * FROM @extschema@.income_support_year_end(s.so_far, s.mh, s.ma, greatest(s.rho, 0));
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, st = RETURNED_SQLSTATE;
    m := format('income_support_forecast over %s as of %s: %s', register, as_of, m)
         || CASE WHEN coalesce(d, '') <> '' THEN ' (' || d || ')' ELSE '' END;
    IF coalesce(h, '') <> '' THEN
      RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, HINT = h;
    END IF;
    RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st;
  END;
END
$fn$;
COMMENT ON FUNCTION income_support_forecast(regclass, date, text, name, name, name) IS 'Year-end forecast (helårsprognos) of income support over the register, as of as_of (the last day of a month with payments): the months up to as_of (income_support_months), a model of the households per month and one of the kronor per household by method (forecast_fit: ''comb'' by default, ''ets'', ''theta'', ''damped''), the correlation of their 12-month changes (income_support_correlation; a negative estimate is taken as 0, since in simulation the narrower interval it gives covered too little), and income_support_year_end: the year''s cost so far plus households × kronor per household for the rest of the year, with a 95 % interval of the product (log scale, correlation included; simulated coverage in docs/income_support.md). Columns as income_support_year_end''s; amounts numeric. An as_of that is not a month end, or whose month has no payments, or a month whose total is not positive, is ERROR 22023; a NULL method 22004; too few months for the method (6, 24 for a seasonal model) as forecast_fit says; the register''s errors as income_support_months''. Runs with the caller''s rights.';

-- A measure's follow-up in the two factors: the actual months against a
-- counterfactual, the difference split like volume × price.
CREATE FUNCTION income_support_effect(register regclass, start date, as_of date, expected_per_year numeric DEFAULT NULL,
                                      counterfactual text DEFAULT 'forecast', method text DEFAULT 'comb',
                                      household_column name DEFAULT 'household', month_column name DEFAULT 'month',
                                      amount_column name DEFAULT 'amount')
RETURNS TABLE (month date, households numeric, counterfactual_households numeric, per_household numeric,
               counterfactual_per_household numeric, cost numeric, counterfactual_cost numeric, saving numeric,
               household_effect numeric, amount_effect numeric, expected numeric, realisation numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
  n int;
  miss date;
  mh @extschema@.forecast_model;
  ma @extschema@.forecast_model;
  mo date[]; hh bigint[]; tot numeric[];
  cm date[]; ch numeric[]; ca numeric[];
  m text; d text; h text; st text;
BEGIN
  PERFORM @extschema@.income_support_check('income_support_effect', register, household_column, month_column, amount_column);
  IF start IS NULL OR NOT isfinite(start) OR extract(day FROM start) <> 1 THEN
    RAISE EXCEPTION 'income_support_effect: start must be the first day of a month, not %', coalesce(start::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give the first month of the measure, e.g. ''2024-01-01''.';
  END IF;
  IF as_of IS NULL OR NOT isfinite(as_of) OR as_of <> (date_trunc('month', as_of) + interval '1 month - 1 day')::date OR as_of < start THEN
    RAISE EXCEPTION 'income_support_effect: as_of must be the last day of a month from start % on, not %', start, coalesce(as_of::text, 'NULL')
      USING ERRCODE = '22023', HINT = 'Give the last day of the last month followed up, e.g. ''2024-12-31''.';
  END IF;
  IF expected_per_year < 0 OR expected_per_year > 92233720368547758.07 THEN
    RAISE EXCEPTION 'income_support_effect: expected_per_year % is outside 0 .. the range of sek', expected_per_year
      USING ERRCODE = '22023', HINT = 'Give the measure''s expected saving per year as a positive amount in kronor (e.g. 100000), or NULL.';
  END IF;
  IF lower(counterfactual) IS DISTINCT FROM 'forecast' AND lower(counterfactual) IS DISTINCT FROM 'baseline' THEN
    RAISE EXCEPTION 'income_support_effect: unknown counterfactual "%"', counterfactual USING ERRCODE = '22023',
      HINT = 'Use ''forecast'' (each factor forecast from the months before start) or ''baseline'' (the same calendar month of the twelve months before start).';
  END IF;
  IF method IS NULL THEN
    RAISE EXCEPTION 'income_support_effect: method is NULL' USING ERRCODE = '22004';
  END IF;
  n := (extract(year FROM as_of)::int - extract(year FROM start)::int) * 12
       + extract(month FROM as_of)::int - extract(month FROM start)::int + 1;
  IF n > 600 THEN
    RAISE EXCEPTION 'income_support_effect: % months from start % to as_of % is more than 600', n, start, as_of USING ERRCODE = '22023';
  END IF;
  -- the months as arrays (a function that may run in a read-only
  -- transaction and in parallel keeps no temporary table)
  SELECT array_agg(x.month ORDER BY x.month), array_agg(x.households ORDER BY x.month), array_agg(x.total ORDER BY x.month)
  INTO mo, hh, tot
  FROM @extschema@.income_support_months(register, NULL, as_of, household_column, month_column, amount_column) x;
  -- the months followed up, and the baseline's, must all be there
  SELECT g::date INTO miss
  FROM generate_series(start - CASE WHEN lower(counterfactual) = 'baseline' THEN interval '12 months' ELSE interval '1 month' END,
                       as_of, interval '1 month') g
  WHERE NOT EXISTS (SELECT FROM unnest(mo, hh, tot) x(month, households, total) WHERE x.month = g::date AND x.total > 0) ORDER BY g LIMIT 1;
  IF miss IS NOT NULL THEN
    RAISE EXCEPTION 'income_support_effect: % has no payments (or a total that is not positive) in %', register, to_char(miss, 'YYYY-MM')
      USING ERRCODE = '22023',
      HINT = 'The months from start to as_of and those the counterfactual needs (the month before start for ''forecast'', the twelve before for ''baseline'') must have payments.';
  END IF;
  BEGIN
    -- the counterfactual's households and kronor per household per month
    IF lower(counterfactual) = 'forecast' THEN
      SELECT @extschema@.forecast_fit(x.month, x.households::float8, method),
             @extschema@.forecast_fit(x.month, (x.total / x.households)::float8, method)
      INTO mh, ma FROM unnest(mo, hh, tot) x(month, households, total) WHERE x.month < start;
      SELECT array_agg(fh.period ORDER BY fh.period), array_agg(fh.point::numeric ORDER BY fh.period), array_agg(fa.point::numeric ORDER BY fh.period)
      INTO cm, ch, ca
      FROM @extschema@.forecast(mh, n) fh JOIN @extschema@.forecast(ma, n) fa USING (period);
      SELECT c.month INTO miss FROM unnest(cm, ch, ca) c(month, h, a) WHERE NOT (c.h > 0 AND c.a > 0) ORDER BY c.month LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'the forecast from before start is not positive in %', to_char(miss, 'YYYY-MM') USING ERRCODE = '22023',
          HINT = 'Use counterfactual => ''baseline''.';
      END IF;
    ELSE
      SELECT array_agg(g::date ORDER BY g), array_agg(b.households::numeric ORDER BY g), array_agg(b.total / b.households ORDER BY g)
      INTO cm, ch, ca
      FROM generate_series(start, as_of, interval '1 month') g
      JOIN unnest(mo, hh, tot) b(month, households, total)
        ON b.month >= (start - interval '12 months') AND b.month < start
       AND extract(month FROM b.month) = extract(month FROM g);
    END IF;
    RETURN QUERY
    WITH r AS (
      SELECT x.month, x.households::numeric AS hh, c.h AS ch, x.total / x.households AS a, c.a AS ca,
             round(x.total, 2) AS cost,
             round(c.h * c.a, 2) AS ccost,
             round((c.h - x.households) * c.a, 2) AS heff,
             -- the measure's expected saving spread over the calendar months
             -- so that a whole year adds up to it exactly
             round(expected_per_year * extract(month FROM x.month) / 12, 2)
               - round(expected_per_year * (extract(month FROM x.month) - 1) / 12, 2) AS exp
      FROM unnest(mo, hh, tot) x(month, households, total) JOIN unnest(cm, ch, ca) c(month, h, a) USING (month)
      WHERE x.month >= start),
    -- saving = counterfactual − actual cost = household effect (households
    -- saved at the counterfactual's amount) + amount effect (kronor per
    -- household saved, for the households actually paid); the amount effect
    -- is the rest, so that the parts add up to the öre
    e AS (SELECT r.*, r.ccost - r.cost AS sav, r.ccost - r.cost - r.heff AS aeff FROM r)
    SELECT e.month, e.hh, round(e.ch, 1), round(e.a, 2), round(e.ca, 2), e.cost, e.ccost, e.sav, e.heff, e.aeff, e.exp,
           round(100 * e.sav / NULLIF(e.exp, 0), 1)
    FROM e
    UNION ALL
    SELECT NULL, round(avg(e.hh), 1), round(avg(e.ch), 1), round(sum(e.cost) / sum(e.hh), 2),
           round(sum(e.ccost) / sum(e.ch), 2), sum(e.cost), sum(e.ccost), sum(e.sav), sum(e.heff), sum(e.aeff),
           sum(e.exp), round(100 * sum(e.sav) / NULLIF(sum(e.exp), 0), 1)
    FROM e
    ORDER BY 1 NULLS LAST;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT, st = RETURNED_SQLSTATE;
    m := format('income_support_effect over %s from %s to %s: %s', register, start, as_of, m)
         || CASE WHEN coalesce(d, '') <> '' THEN ' (' || d || ')' ELSE '' END;
    IF coalesce(h, '') <> '' THEN
      RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st, HINT = h;
    END IF;
    RAISE EXCEPTION USING MESSAGE = m, ERRCODE = st;
  END;
END
$fn$;
COMMENT ON FUNCTION income_support_effect(regclass, date, date, numeric, text, text, name, name, name) IS 'The follow-up of an income-support measure (Åtgärdsplan 2024–2026, Åtgärd 6 Ekonomiskt bistånd: checks of large decisions act on the kronor per household, preventive work through the labour-market unit on the households; 100 000 kr in 2024) per month from start (the first day of the measure''s first month) to as_of (a month end) and a total row (month NULL, last): households paid and kronor per household, actual and counterfactual, the cost and the counterfactual cost, saving = counterfactual − actual cost (positive when the measure saves), split as volume × price: household_effect = (counterfactual − actual households) × counterfactual kronor per household, amount_effect = (counterfactual − actual kronor per household) × actual households (saving = household_effect + amount_effect exactly); expected = expected_per_year spread over the calendar months (a whole year adds up to it) and realisation = saving ÷ expected in %. counterfactual ''forecast'' (default): each factor forecast by method (forecast_fit, default ''comb'') from the months before start; ''baseline'': the same calendar month of the twelve months before start. The total row is the sum of the months (households and kronor per household: their means). Register columns as income_support_months. start not the first of a month, as_of not a month end or before start, more than 600 months, a negative expected_per_year, an unknown counterfactual, a month without payments among those needed, or a counterfactual forecast not positive is ERROR 22023; a NULL method 22004. Runs with the caller''s rights. Amounts numeric.';

-- from src/report_check.sql
-- report_check: a check of a report's own arithmetic before it goes to the
-- committee.  A report's tables are stated into a register as the report
-- prints them (each figure as typed: '-79,6 mnkr', '2 611 kr', '453'), with
-- what its rows and columns are (budget, outcome, forecast, deviation of
-- budget and forecast, persons per day, cost per care day, amount, parts of a
-- total), and report_check recomputes what the report computed: parts against
-- their total, a deviation against its budget and forecast, a cost forecast
-- against the outcome to date, volume × price × days against the amount, and
-- the same figure stated in two places (tables or text).
--
-- Rounding is told from error by the stated precision: a figure typed with
-- one decimal in mnkr stands for any value within ±0,05 mnkr, so a computed
-- relation may miss by the sum of the half units of the figures it uses.
-- Only a larger difference is a finding.
--
-- The register is user data (a draft report is confidential until the
-- committee meets): row-level security lets a report's owner (and roles with
-- its privileges) change it, and its readers read it.

CREATE SEQUENCE stated_id_seq;
COMMENT ON SEQUENCE stated_id_seq IS 'Numbers of the rows of stated_report, stated_table, stated_row, stated_column and stated_figure (one sequence, so that a row and a column never share a number).';

CREATE TABLE stated_report (
  report_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('stated_id_seq'::regclass),
  name text NOT NULL UNIQUE,
  title text NOT NULL,
  as_of date,
  source text,
  owner name NOT NULL DEFAULT CURRENT_USER,
  readers name[] NOT NULL DEFAULT '{}',
  CONSTRAINT stated_report_name CHECK (pg_catalog.length(name) BETWEEN 1 AND 200),
  CONSTRAINT stated_report_as_of CHECK (isfinite(as_of)));
COMMENT ON TABLE stated_report IS 'Reports whose stated tables report_check checks: a short name (the handle of the state_* functions and report_check), the title as printed, the date the report is as of, its source, the owning role (who may change it) and the roles that may read it. Written by state_report, removed with its tables by forget_report.';

CREATE TABLE stated_table (
  table_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('stated_id_seq'::regclass),
  report_id integer NOT NULL REFERENCES stated_report ON DELETE CASCADE,
  label text NOT NULL,
  title text,
  unit text,
  costs_negative boolean NOT NULL DEFAULT true,
  days integer,
  position integer NOT NULL,
  CONSTRAINT stated_table_label UNIQUE (report_id, label),
  CONSTRAINT stated_table_label_length CHECK (pg_catalog.length(label) BETWEEN 1 AND 200),
  CONSTRAINT stated_table_unit CHECK (unit IN ('kr', 'tkr', 'mnkr', '%', 'st')),
  CONSTRAINT stated_table_days CHECK (days BETWEEN 1 AND 36525),
  UNIQUE (table_id, report_id));
COMMENT ON TABLE stated_table IS 'A table of a stated report: its label (unique in the report, e.g. the section number), title, the unit of figures typed without one, the sign convention (costs_negative: costs printed negative, as in the income statement; false: costs positive, as in a ledger) and the days of its period (for volume × price when neither the row nor the column gives them).';

-- rows and columns have the same shape: a label, a role, the lines a relation
-- uses (operands, in the same table and on the same axis) and a total line
CREATE TABLE stated_row (
  row_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('stated_id_seq'::regclass),
  table_id integer NOT NULL REFERENCES stated_table ON DELETE CASCADE,
  label text NOT NULL,
  role text,
  unit text,
  days integer,
  total_id integer,
  operand1_id integer,
  operand2_id integer,
  position integer NOT NULL,
  CONSTRAINT stated_row_label UNIQUE (table_id, label),
  CONSTRAINT stated_row_label_length CHECK (pg_catalog.length(label) BETWEEN 1 AND 200),
  CONSTRAINT stated_row_role CHECK (role IN ('budget', 'period_budget', 'outcome', 'forecast', 'deviation',
                                             'volume', 'price', 'amount', 'percent')),
  CONSTRAINT stated_row_unit CHECK (unit IN ('kr', 'tkr', 'mnkr', '%', 'st')),
  CONSTRAINT stated_row_days CHECK (days BETWEEN 1 AND 36525),
  CONSTRAINT stated_row_not_own_total CHECK (total_id <> row_id),
  UNIQUE (table_id, row_id),
  FOREIGN KEY (table_id, total_id) REFERENCES stated_row (table_id, row_id),
  FOREIGN KEY (table_id, operand1_id) REFERENCES stated_row (table_id, row_id),
  FOREIGN KEY (table_id, operand2_id) REFERENCES stated_row (table_id, row_id));
COMMENT ON TABLE stated_row IS 'A row of a stated table: label (unique in the table), role (NULL: a plain additive figure; budget, period_budget, outcome, forecast; deviation of operand1 (budget) and operand2 (outcome or forecast); volume (persons per day); price (cost per care day, not additive); amount, with operands volume and price for volume × price × days; percent, not additive), the unit of its figures typed without one, its days (volume × price), the total row it is a part of (total_id) — every id in the same table.';

CREATE TABLE stated_column (
  column_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('stated_id_seq'::regclass),
  table_id integer NOT NULL REFERENCES stated_table ON DELETE CASCADE,
  label text NOT NULL,
  role text,
  unit text,
  days integer,
  total_id integer,
  operand1_id integer,
  operand2_id integer,
  position integer NOT NULL,
  CONSTRAINT stated_column_label UNIQUE (table_id, label),
  CONSTRAINT stated_column_label_length CHECK (pg_catalog.length(label) BETWEEN 1 AND 200),
  CONSTRAINT stated_column_role CHECK (role IN ('budget', 'period_budget', 'outcome', 'forecast', 'deviation',
                                                'volume', 'price', 'amount', 'percent')),
  CONSTRAINT stated_column_unit CHECK (unit IN ('kr', 'tkr', 'mnkr', '%', 'st')),
  CONSTRAINT stated_column_days CHECK (days BETWEEN 1 AND 36525),
  CONSTRAINT stated_column_not_own_total CHECK (total_id <> column_id),
  UNIQUE (table_id, column_id),
  FOREIGN KEY (table_id, total_id) REFERENCES stated_column (table_id, column_id),
  FOREIGN KEY (table_id, operand1_id) REFERENCES stated_column (table_id, column_id),
  FOREIGN KEY (table_id, operand2_id) REFERENCES stated_column (table_id, column_id));
COMMENT ON TABLE stated_column IS 'A column of a stated table, with the same meaning as stated_row: label, role (deviation: operand1 budget, operand2 outcome or forecast, by the table''s sign convention; forecast: operand1 the outcome to date it must not fall below; amount: operands volume and price), unit, days, the total column it is a part of.';

CREATE TABLE stated_figure (
  figure_id integer PRIMARY KEY DEFAULT pg_catalog.nextval('stated_id_seq'::regclass),
  report_id integer NOT NULL REFERENCES stated_report ON DELETE CASCADE,
  table_id integer,
  row_id integer,
  column_id integer,
  place text,
  quote text,
  figure text NOT NULL,
  value numeric NOT NULL,
  unit text,
  decimals integer NOT NULL,
  half_unit numeric NOT NULL,
  key text,
  CONSTRAINT stated_figure_cell UNIQUE (row_id, column_id),
  CONSTRAINT stated_figure_where CHECK ((table_id IS NOT NULL AND row_id IS NOT NULL AND column_id IS NOT NULL AND quote IS NULL)
                                        OR (table_id IS NULL AND row_id IS NULL AND column_id IS NULL
                                            AND quote IS NOT NULL AND key IS NOT NULL)),
  CONSTRAINT stated_figure_unit CHECK (unit IN ('kr', 'tkr', 'mnkr', '%', 'st')),
  CONSTRAINT stated_figure_decimals CHECK (decimals BETWEEN 0 AND 12),
  CONSTRAINT stated_figure_key CHECK (pg_catalog.length(key) BETWEEN 1 AND 200),
  FOREIGN KEY (table_id, report_id) REFERENCES stated_table (table_id, report_id) ON DELETE CASCADE,
  FOREIGN KEY (table_id, row_id) REFERENCES stated_row (table_id, row_id) ON DELETE CASCADE,
  FOREIGN KEY (table_id, column_id) REFERENCES stated_column (table_id, column_id) ON DELETE CASCADE);
COMMENT ON TABLE stated_figure IS 'A figure of a stated report as typed (figure: ''-79,6 mnkr'', ''2 611 kr'', ''453''), in a table cell (table, row, column) or quoted in the text (place: the section; quote: the sentence), parsed: value (kronor for kr, tkr and mnkr; else as typed), unit, the decimals typed and half_unit (half a unit of the last digit typed, in value''s units: the rounding it may carry). Figures with the same key (e.g. ''kostnad per vårddygn 2020'') must agree.';

ALTER SEQUENCE stated_id_seq OWNED BY stated_report.report_id;
SELECT pg_catalog.pg_extension_config_dump('stated_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('stated_report', '');
SELECT pg_catalog.pg_extension_config_dump('stated_table', '');
SELECT pg_catalog.pg_extension_config_dump('stated_row', '');
SELECT pg_catalog.pg_extension_config_dump('stated_column', '');
SELECT pg_catalog.pg_extension_config_dump('stated_figure', '');

-- Who may read and change a report's figures
CREATE FUNCTION stated_report_access(report integer, write boolean) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
  SELECT EXISTS (SELECT FROM stated_report r
                 WHERE r.report_id OPERATOR(pg_catalog.=) stated_report_access.report
                   AND (acts_as(r.owner)
                        OR (NOT stated_report_access.write
                            AND EXISTS (SELECT FROM pg_catalog.unnest(r.readers) x(reader) WHERE acts_as(x.reader)))));
END;
COMMENT ON FUNCTION stated_report_access(integer, boolean) IS 'May the current role read (write false) or change (write true) the stated report? Change: it acts as the owner (is it, a member inheriting it, or a superuser). Read: also when it acts as one of the readers. The check of the row-level security of the stated_* tables.';

ALTER TABLE stated_report ENABLE ROW LEVEL SECURITY;
CREATE POLICY stated_report_read ON stated_report FOR SELECT
  USING (@extschema@.acts_as(owner) OR EXISTS (SELECT FROM pg_catalog.unnest(readers) x(reader) WHERE @extschema@.acts_as(x.reader)));
CREATE POLICY stated_report_write ON stated_report FOR ALL
  USING (@extschema@.acts_as(owner)) WITH CHECK (@extschema@.acts_as(owner));
COMMENT ON POLICY stated_report_read ON stated_report IS 'A report is seen by its owner (and roles with its privileges) and its readers.';
COMMENT ON POLICY stated_report_write ON stated_report IS 'A report is stated, changed and forgotten only as its owner.';
ALTER TABLE stated_table ENABLE ROW LEVEL SECURITY;
CREATE POLICY stated_table_read ON stated_table FOR SELECT USING (@extschema@.stated_report_access(report_id, false));
CREATE POLICY stated_table_write ON stated_table FOR ALL
  USING (@extschema@.stated_report_access(report_id, true)) WITH CHECK (@extschema@.stated_report_access(report_id, true));
COMMENT ON POLICY stated_table_read ON stated_table IS 'The tables of a report are seen by those who see the report.';
COMMENT ON POLICY stated_table_write ON stated_table IS 'The tables of a report are written only as the report''s owner.';
ALTER TABLE stated_row ENABLE ROW LEVEL SECURITY;
CREATE POLICY stated_row_read ON stated_row FOR SELECT
  USING (@extschema@.stated_report_access((SELECT t.report_id FROM @extschema@.stated_table t WHERE t.table_id OPERATOR(pg_catalog.=) stated_row.table_id), false));
CREATE POLICY stated_row_write ON stated_row FOR ALL
  USING (@extschema@.stated_report_access((SELECT t.report_id FROM @extschema@.stated_table t WHERE t.table_id OPERATOR(pg_catalog.=) stated_row.table_id), true))
  WITH CHECK (@extschema@.stated_report_access((SELECT t.report_id FROM @extschema@.stated_table t WHERE t.table_id OPERATOR(pg_catalog.=) stated_row.table_id), true));
COMMENT ON POLICY stated_row_read ON stated_row IS 'The rows of a report''s table are seen by those who see the report.';
COMMENT ON POLICY stated_row_write ON stated_row IS 'The rows of a report''s table are written only as the report''s owner.';
ALTER TABLE stated_column ENABLE ROW LEVEL SECURITY;
CREATE POLICY stated_column_read ON stated_column FOR SELECT
  USING (@extschema@.stated_report_access((SELECT t.report_id FROM @extschema@.stated_table t WHERE t.table_id OPERATOR(pg_catalog.=) stated_column.table_id), false));
CREATE POLICY stated_column_write ON stated_column FOR ALL
  USING (@extschema@.stated_report_access((SELECT t.report_id FROM @extschema@.stated_table t WHERE t.table_id OPERATOR(pg_catalog.=) stated_column.table_id), true))
  WITH CHECK (@extschema@.stated_report_access((SELECT t.report_id FROM @extschema@.stated_table t WHERE t.table_id OPERATOR(pg_catalog.=) stated_column.table_id), true));
COMMENT ON POLICY stated_column_read ON stated_column IS 'The columns of a report''s table are seen by those who see the report.';
COMMENT ON POLICY stated_column_write ON stated_column IS 'The columns of a report''s table are written only as the report''s owner.';
ALTER TABLE stated_figure ENABLE ROW LEVEL SECURITY;
CREATE POLICY stated_figure_read ON stated_figure FOR SELECT USING (@extschema@.stated_report_access(report_id, false));
CREATE POLICY stated_figure_write ON stated_figure FOR ALL
  USING (@extschema@.stated_report_access(report_id, true)) WITH CHECK (@extschema@.stated_report_access(report_id, true));
COMMENT ON POLICY stated_figure_read ON stated_figure IS 'The figures of a report are seen by those who see the report.';
COMMENT ON POLICY stated_figure_write ON stated_figure IS 'The figures of a report are written only as the report''s owner.';
GRANT SELECT ON stated_report, stated_table, stated_row, stated_column, stated_figure TO PUBLIC;

-- A figure as typed in a Swedish report: sign (also U+2212 minus, U+2013 en
-- dash), digits in groups of three separated by a space (also no-break and
-- thin spaces), a decimal comma, a unit.
CREATE FUNCTION stated_figure_parse(figure text, default_unit text DEFAULT NULL,
                                    OUT value numeric, OUT unit text, OUT decimals integer, OUT half_unit numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  t text;
  m text[];
  factor numeric;
BEGIN
  IF figure IS NULL THEN
    RAISE EXCEPTION 'a stated figure is NULL' USING ERRCODE = '22004',
      HINT = 'Give the figure as the report prints it, e.g. ''-79,6 mnkr''; leave a blank cell unstated.';
  END IF;
  IF length(figure) > 64 THEN
    RAISE EXCEPTION 'stated figure "%..." is longer than 64 characters', left(figure, 20) USING ERRCODE = '22P02',
      HINT = 'Give one figure as the report prints it, e.g. ''2 611 kr''.';
  END IF;
  t := translate(figure, U&'\2212\2013\00A0\2009\202F', '--   ');
  m := regexp_match(t, '^\s*([+-]?)\s*(\d{1,3}(?: \d{3})+|\d{1,30})(?:,(\d{1,12}))?\s*(kr|tkr|mnkr|mkr|%|st)?\s*$', 'i');
  IF m IS NULL THEN
    RAISE EXCEPTION 'cannot read "%" as a figure', figure USING ERRCODE = '22P02',
      HINT = 'Write a figure as a Swedish report does: ''-79,6 mnkr'', ''2 611 kr'', ''453'', ''77 %'' (decimal comma, space between thousands, unit kr, tkr, mnkr, %, st or none).';
  END IF;
  unit := coalesce(CASE lower(m[4]) WHEN 'mkr' THEN 'mnkr' ELSE lower(m[4]) END, default_unit);
  IF unit IS NOT NULL AND unit NOT IN ('kr', 'tkr', 'mnkr', '%', 'st') THEN
    RAISE EXCEPTION 'unknown unit "%"', unit USING ERRCODE = '22023',
      HINT = 'A unit is kr, tkr, mnkr, %, st or none.';
  END IF;
  factor := CASE unit WHEN 'tkr' THEN 1000 WHEN 'mnkr' THEN 1000000 ELSE 1 END;
  decimals := coalesce(length(m[3]), 0);
  value := (CASE WHEN m[1] = '-' THEN -1 ELSE 1 END)
           * (replace(m[2], ' ', '') || coalesce('.' || m[3], ''))::numeric * factor;
  value := trim_scale(value);
  half_unit := trim_scale(0.5 * power(10::numeric, -decimals) * factor);
END
$fn$;
COMMENT ON FUNCTION stated_figure_parse(text, text) IS 'Reads a figure as a Swedish report types it (''-79,6 mnkr'', ''−4,6 mkr'', ''2 611 kr'', ''453'', ''77 %''; spaces, no-break and thin spaces between thousands, decimal comma): value (kronor for kr, tkr, mnkr; else the number), unit (the figure''s, else default_unit), the decimals typed and half a unit of the last digit typed (the rounding the figure may carry, in value''s units). NULL is ERROR 22004, text that is no figure (or a decimal point, or over 64 characters) 22P02, an unknown default_unit 22023.';

-- value in a unit, Swedish style, with the decimals the report typed
CREATE FUNCTION stated_format(value numeric, unit text, decimals integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
RETURN @extschema@.number_format(value / CASE unit WHEN 'tkr' THEN 1000 WHEN 'mnkr' THEN 1000000 ELSE 1 END,
                                 least(decimals, 12))
       || CASE WHEN unit IS NULL OR unit = 'st' THEN '' ELSE ' ' || unit END;
COMMENT ON FUNCTION stated_format(numeric, text, integer) IS 'A value of stated_figure (kronor for money) shown in a unit with decimals, Swedish style: stated_format(-79600000, ''mnkr'', 1) = ''-79,6 mnkr''. Used in report_check''s descriptions.';

-- The report named, seen by the caller (else 22023), changed only as its owner
CREATE FUNCTION stated_report_id(fn text, report text, write boolean) RETURNS integer
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  r record;
BEGIN
  IF report IS NULL THEN
    RAISE EXCEPTION '% needs a report name, not NULL', fn USING ERRCODE = '22004',
      HINT = 'Give the name the report was stated under (state_report).';
  END IF;
  SELECT s.report_id, s.owner INTO r FROM @extschema@.stated_report s WHERE s.name = report;
  IF NOT FOUND THEN
    RAISE EXCEPTION '%: there is no stated report "%"', fn, report USING ERRCODE = '22023',
      HINT = 'State it first with state_report (a report stated by another role is seen only by its owner and readers).';
  END IF;
  IF write AND NOT @extschema@.acts_as(r.owner) THEN
    RAISE EXCEPTION '%: report "%" belongs to %', fn, report, r.owner USING ERRCODE = '42501',
      HINT = 'Only its owner (or a role with the owner''s privileges) changes a stated report.';
  END IF;
  RETURN r.report_id;
END
$fn$;
COMMENT ON FUNCTION stated_report_id(text, text, boolean) IS 'Internal to the state_* functions, forget_report and report_check: the id of the stated report named report, which the caller sees; NULL is ERROR 22004, a report it does not see 22023, and (write) a report it is not the owner of 42501. fn names the calling function in the message.';

CREATE FUNCTION state_report(name text, title text, as_of date DEFAULT NULL, readers name[] DEFAULT '{}',
                             source text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  id integer;
BEGIN
  IF name IS NULL OR length(name) NOT BETWEEN 1 AND 200 OR title IS NULL THEN
    RAISE EXCEPTION 'state_report needs a name of 1 to 200 characters and a title, not %, %',
      coalesce(quote_literal(name), 'NULL'), coalesce(quote_literal(title), 'NULL') USING ERRCODE = '22023',
      HINT = 'E.g. state_report(''DR2 2023'', ''Delårsrapport med prognos 2 för 2023'', ''2023-08-31'').';
  END IF;
  IF as_of IS NOT NULL AND NOT isfinite(as_of) THEN
    RAISE EXCEPTION 'state_report: as_of % is not a finite date', as_of USING ERRCODE = '22008';
  END IF;
  IF EXISTS (SELECT FROM @extschema@.stated_report r WHERE r.name = state_report.name) THEN
    RAISE EXCEPTION 'state_report: report "%" is already stated', name USING ERRCODE = '23505',
      HINT = 'forget_report it first, or give another name.';
  END IF;
  INSERT INTO @extschema@.stated_report (name, title, as_of, source, readers)
  VALUES (state_report.name, state_report.title, state_report.as_of, state_report.source,
          coalesce(state_report.readers, '{}'))
  RETURNING report_id INTO id;
  RETURN id;
END
$fn$;
COMMENT ON FUNCTION state_report(text, text, date, name[], text) IS 'States a report to check: a short name (the handle of the other state_* functions and of report_check), its printed title, the date it is as of, the roles that may read its figures and findings (readers), its source. The calling role owns it. Returns its id. A NULL or over-long name or a NULL title is ERROR 22023, an infinite as_of 22008, a name already stated 23505 (a name stated by another role that the caller does not see also gives 23505: names are unique in the database).';

CREATE FUNCTION state_table(report text, label text, title text DEFAULT NULL, unit text DEFAULT NULL,
                            costs_negative boolean DEFAULT true, days integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id('state_table', report, true);
  id integer;
BEGIN
  IF label IS NULL OR length(label) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'state_table: a table label of 1 to 200 characters is needed, not %', coalesce(quote_literal(label), 'NULL')
      USING ERRCODE = '22023', HINT = 'E.g. the section the table is in: ''4.1''.';
  END IF;
  IF unit IS NOT NULL AND unit NOT IN ('kr', 'tkr', 'mnkr', '%', 'st') THEN
    RAISE EXCEPTION 'state_table: unknown unit "%"', unit USING ERRCODE = '22023', HINT = 'A unit is kr, tkr, mnkr, %, st or NULL.';
  END IF;
  IF days IS NOT NULL AND days NOT BETWEEN 1 AND 36525 OR costs_negative IS NULL THEN
    RAISE EXCEPTION 'state_table: days % is outside 1 .. 36 525 or costs_negative is NULL', days USING ERRCODE = '22023';
  END IF;
  IF EXISTS (SELECT FROM @extschema@.stated_table t WHERE t.report_id = rid AND t.label = state_table.label) THEN
    RAISE EXCEPTION 'state_table: report "%" already has a table "%"', report, label USING ERRCODE = '23505',
      HINT = 'Give every table of a report its own label.';
  END IF;
  INSERT INTO @extschema@.stated_table (report_id, label, title, unit, costs_negative, days, position)
  VALUES (rid, state_table.label, state_table.title, state_table.unit, state_table.costs_negative, state_table.days,
          (SELECT count(*) + 1 FROM @extschema@.stated_table t WHERE t.report_id = rid))
  RETURNING table_id INTO id;
  RETURN id;
END
$fn$;
COMMENT ON FUNCTION state_table(text, text, text, text, boolean, integer) IS 'States a table of a report: label (unique in the report), title, the unit of its figures typed without one, its sign convention (costs_negative true: costs negative and a deviation is forecast − budget, as the reports print it; false: costs positive and a deviation is budget − forecast; either way positive means under budget) and the days of its period for volume × price. Returns its id. ERRORs: unknown report 22023, not its owner 42501, a bad label, unit or days 22023, a label already used 23505.';

-- a row or a column (axis 'row' or 'column'): one function for both
CREATE FUNCTION state_line(fn text, axis text, report text, table_label text, label text, role text,
                           operands text[], total text, unit text, days integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id(fn, report, true);
  tid integer;
  ids integer[] := '{}';
  total_id integer;
  n integer := coalesce(cardinality(operands), 0);
  op text;
  id integer;
  rel text := CASE axis WHEN 'row' THEN 'stated_row' ELSE 'stated_column' END;
  idcol text := CASE axis WHEN 'row' THEN 'row_id' ELSE 'column_id' END;
BEGIN
  SELECT t.table_id INTO tid FROM @extschema@.stated_table t WHERE t.report_id = rid AND t.label = table_label;
  IF tid IS NULL THEN
    RAISE EXCEPTION '%: report "%" has no table %', fn, report, coalesce(quote_literal(table_label), 'NULL')
      USING ERRCODE = '22023', HINT = 'State the table first with state_table.';
  END IF;
  IF label IS NULL OR length(label) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION '%: a label of 1 to 200 characters is needed, not %', fn, coalesce(quote_literal(label), 'NULL')
      USING ERRCODE = '22023';
  END IF;
  IF role IS NOT NULL AND role NOT IN ('budget', 'period_budget', 'outcome', 'forecast', 'deviation', 'volume', 'price', 'amount', 'percent') THEN
    RAISE EXCEPTION '%: unknown role "%"', fn, role USING ERRCODE = '22023',
      HINT = 'A role is budget, period_budget, outcome, forecast, deviation, volume, price, amount, percent or NULL (a plain additive figure).';
  END IF;
  IF NOT (n = 0 OR coalesce(role, '') IN ('deviation', 'amount') AND n = 2 OR coalesce(role, '') = 'forecast' AND n = 1) THEN
    RAISE EXCEPTION '%: % with role % cannot have % operands', fn, label, coalesce(role, 'NULL'), n USING ERRCODE = '22023',
      HINT = 'deviation takes two or none (the budget and the outcome or forecast it is the deviation of), forecast one or none (the outcome to date), amount two or none (volume and price); other roles none.';
  END IF;
  IF unit IS NOT NULL AND unit NOT IN ('kr', 'tkr', 'mnkr', '%', 'st') THEN
    RAISE EXCEPTION '%: unknown unit "%"', fn, unit USING ERRCODE = '22023', HINT = 'A unit is kr, tkr, mnkr, %, st or NULL.';
  END IF;
  IF days IS NOT NULL AND days NOT BETWEEN 1 AND 36525 THEN
    RAISE EXCEPTION '%: days % is outside 1 .. 36 525', fn, days USING ERRCODE = '22023';
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT FROM @extschema@.%I x WHERE x.table_id = $1 AND x.label = $2)', rel)
    INTO STRICT op USING tid, label;
  IF op::boolean THEN
    RAISE EXCEPTION '%: table "%" already has a % "%"', fn, table_label, axis, label USING ERRCODE = '23505',
      HINT = 'Labels are unique in a table: tell two rows apart in the label, e.g. ''Nettokostnad egen regi'' and ''Nettokostnad''.';
  END IF;
  -- the total and the operands: lines stated before, in this table and on this axis
  FOREACH op IN ARRAY coalesce(operands, '{}') || ARRAY[total] LOOP
    CONTINUE WHEN op IS NULL AND ids IS NOT NULL AND cardinality(ids) = n;
    EXECUTE format('SELECT x.%I FROM @extschema@.%I x WHERE x.table_id = $1 AND x.label = $2', idcol, rel)
      INTO id USING tid, op;
    IF id IS NULL THEN
      RAISE EXCEPTION '%: table "%" has no % %', fn, table_label, axis, coalesce(quote_literal(op), 'NULL') USING ERRCODE = '22023',
        HINT = CASE WHEN EXISTS (SELECT FROM @extschema@.stated_table t2 JOIN @extschema@.stated_row r2 ON r2.table_id = t2.table_id
                                  WHERE t2.report_id = rid AND t2.table_id <> tid AND r2.label = op
                                 UNION ALL
                                 SELECT FROM @extschema@.stated_table t2 JOIN @extschema@.stated_column c2 ON c2.table_id = t2.table_id
                                  WHERE t2.report_id = rid AND t2.table_id <> tid AND c2.label = op)
                    THEN 'It is in another table of the report: a total and the operands of a relation must be in the same table (state a figure quoted across tables with a key instead).'
                    ELSE 'State the total or operand first, in the same table and on the same axis.' END;
    END IF;
    ids := ids || id;
  END LOOP;
  total_id := CASE WHEN total IS NOT NULL THEN ids[n + 1] END;
  EXECUTE format($q$INSERT INTO @extschema@.%I (table_id, label, role, unit, days, total_id, operand1_id, operand2_id, position)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                            (SELECT pg_catalog.count(*) + 1 FROM @extschema@.%I x WHERE x.table_id = $1))
                    RETURNING %I$q$, rel, rel, idcol)
    INTO id USING tid, label, role, unit, days, total_id, CASE WHEN n >= 1 THEN ids[1] END, CASE WHEN n = 2 THEN ids[2] END;
  RETURN id;
END
$fn$;
COMMENT ON FUNCTION state_line(text, text, text, text, text, text, text[], text, text, integer) IS 'Internal to state_row and state_column: checks and inserts a row or column (axis) of a stated table. fn names the calling function in messages.';

CREATE FUNCTION state_row(report text, table_label text, label text, role text DEFAULT NULL, operands text[] DEFAULT NULL,
                          total text DEFAULT NULL, unit text DEFAULT NULL, days integer DEFAULT NULL) RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
RETURN @extschema@.state_line('state_row', 'row', report, table_label, label, role, operands, total, unit, days);
COMMENT ON FUNCTION state_row(text, text, text, text, text[], text, text, integer) IS 'States a row of a stated table: label (unique in the table), role (NULL: plain additive figures; budget, period_budget, outcome, forecast, deviation, volume, price, amount, percent), operands (labels of rows stated before: deviation {budget, outcome or forecast}; forecast {outcome to date}; amount {volume, price}), the total row it is a part of, the unit of its figures typed without one, its days (volume × price). Returns its id. ERRORs: unknown report or table 22023, not the owner 42501, an unknown role or unit, a wrong number of operands, an operand or total not stated before in the same table (the hint says when it is in another table) 22023, a label already in the table 23505.';

CREATE FUNCTION state_column(report text, table_label text, label text, role text DEFAULT NULL, operands text[] DEFAULT NULL,
                             total text DEFAULT NULL, unit text DEFAULT NULL, days integer DEFAULT NULL) RETURNS integer
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
RETURN @extschema@.state_line('state_column', 'column', report, table_label, label, role, operands, total, unit, days);
COMMENT ON FUNCTION state_column(text, text, text, text, text[], text, text, integer) IS 'States a column of a stated table, as state_row does a row: e.g. state_column(''DR2'', ''4.1'', ''Avvikelse helår'', ''deviation'', ''{Budget, Prognos}'').';

CREATE FUNCTION state_figure(report text, table_label text, row_label text, column_label text, figure text,
                             key text DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id('state_figure', report, true);
  t record;
  r record;
  c record;
  p record;
  id integer;
BEGIN
  SELECT * INTO t FROM @extschema@.stated_table x WHERE x.report_id = rid AND x.label = table_label;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'state_figure: report "%" has no table %', report, coalesce(quote_literal(table_label), 'NULL')
      USING ERRCODE = '22023', HINT = 'State the table first with state_table.';
  END IF;
  SELECT * INTO r FROM @extschema@.stated_row x WHERE x.table_id = t.table_id AND x.label = row_label;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'state_figure: table "%" has no row %', table_label, coalesce(quote_literal(row_label), 'NULL')
      USING ERRCODE = '22023', HINT = 'State the row first with state_row.';
  END IF;
  SELECT * INTO c FROM @extschema@.stated_column x WHERE x.table_id = t.table_id AND x.label = column_label;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'state_figure: table "%" has no column %', table_label, coalesce(quote_literal(column_label), 'NULL')
      USING ERRCODE = '22023', HINT = 'State the column first with state_column.';
  END IF;
  IF EXISTS (SELECT FROM @extschema@.stated_figure f WHERE f.row_id = r.row_id AND f.column_id = c.column_id) THEN
    RAISE EXCEPTION 'state_figure: table "%", row "%", column "%" has a figure already', table_label, row_label, column_label
      USING ERRCODE = '23505', HINT = 'A cell holds one figure: forget_report and state the report again to correct one.';
  END IF;
  p := @extschema@.stated_figure_parse(figure, coalesce(r.unit, c.unit, t.unit));
  INSERT INTO @extschema@.stated_figure (report_id, table_id, row_id, column_id, figure, value, unit, decimals, half_unit, key)
  VALUES (rid, t.table_id, r.row_id, c.column_id, state_figure.figure, p.value, p.unit, p.decimals, p.half_unit, state_figure.key)
  RETURNING figure_id INTO id;
  RETURN id;
END
$fn$;
COMMENT ON FUNCTION state_figure(text, text, text, text, text, text) IS 'States the figure of a table cell as the report types it (''-79,6'', ''2 611 kr''; a figure without a unit takes its row''s, else its column''s, else its table''s), with an optional key: figures of the same key (here or quoted in the text) must agree. Returns its id. ERRORs: unknown report, table, row or column 22023, not the owner 42501, a figure that cannot be read 22P02 (NULL 22004), a cell stated twice 23505, a key over 200 characters 23514.';

CREATE FUNCTION state_figures(report text, table_label text, row_label text, figures text[]) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id('state_figures', report, true);
  ncol integer;
  i integer;
  col text;
  n integer := 0;
BEGIN
  SELECT count(*) INTO ncol FROM @extschema@.stated_column c JOIN @extschema@.stated_table t ON t.table_id = c.table_id
  WHERE t.report_id = rid AND t.label = table_label;
  IF coalesce(cardinality(figures), 0) = 0 OR cardinality(figures) > ncol OR array_ndims(figures) > 1 THEN
    RAISE EXCEPTION 'state_figures: % figures for the % columns of table %', coalesce(cardinality(figures), 0), ncol,
      coalesce(quote_literal(table_label), 'NULL') USING ERRCODE = '22023',
      HINT = 'Give one figure per column, in the columns'' order (NULL for a blank cell), at most as many as the table has columns.';
  END IF;
  FOR i IN 1 .. cardinality(figures) LOOP
    CONTINUE WHEN figures[i] IS NULL;
    SELECT c.label INTO col FROM @extschema@.stated_column c JOIN @extschema@.stated_table t ON t.table_id = c.table_id
    WHERE t.report_id = rid AND t.label = table_label AND c.position = i;
    PERFORM @extschema@.state_figure(report, table_label, row_label, col, figures[i]);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$fn$;
COMMENT ON FUNCTION state_figures(text, text, text, text[]) IS 'States a row''s figures at once, in the order its table''s columns were stated (NULL: a blank cell), as state_figure does each: state_figures(''DR2'', ''4.1'', ''Myndighet'', ARRAY[''-113,4'', ''-125,7'', …]). Returns the number stated. More figures than columns, or none, is ERROR 22023; otherwise as state_figure.';

CREATE FUNCTION state_quote(report text, place text, quote text, figure text, key text) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id('state_quote', report, true);
  p record;
  id integer;
BEGIN
  IF quote IS NULL OR key IS NULL OR length(key) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION 'state_quote needs the quoted text and a key of 1 to 200 characters' USING ERRCODE = '22023',
      HINT = 'The key names the figure the text quotes, e.g. ''periodens avvikelse'': the table cell stated with the same key is what it must agree with.';
  END IF;
  p := @extschema@.stated_figure_parse(figure);
  INSERT INTO @extschema@.stated_figure (report_id, place, quote, figure, value, unit, decimals, half_unit, key)
  VALUES (rid, state_quote.place, state_quote.quote, state_quote.figure, p.value, p.unit, p.decimals, p.half_unit, state_quote.key)
  RETURNING figure_id INTO id;
  RETURN id;
END
$fn$;
COMMENT ON FUNCTION state_quote(text, text, text, text, text) IS 'States a figure quoted in the report''s text: where (place, e.g. the section), the sentence (quote), the figure in the report''s signs (a deficit of 29,6 mnkr is ''-29,6 mnkr'') and its key, which ties it to the table cell or other quotes of the same figure. Returns its id. ERRORs: unknown report 22023, not the owner 42501, no quote or key 22023, a figure that cannot be read 22P02.';

CREATE FUNCTION forget_report(report text) RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id('forget_report', report, true);
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM @extschema@.stated_figure f WHERE f.report_id = rid;
  DELETE FROM @extschema@.stated_report r WHERE r.report_id = rid;
  RETURN n;
END
$fn$;
COMMENT ON FUNCTION forget_report(text) IS 'Removes a stated report with its tables, rows, columns and figures; returns the number of figures removed. Unknown report ERROR 22023, not its owner 42501.';

-- The report to check, and its totals without a cycle (a row or column
-- changed by UPDATE could make one; the state functions cannot)
CREATE FUNCTION report_check_args(report text) RETURNS integer
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  rid integer := @extschema@.stated_report_id('report_check', report, false);
  bad record;
BEGIN
  WITH RECURSIVE lines AS (
    SELECT r.row_id AS id, r.total_id, r.label, t.label AS tlabel, 'row' AS axis
    FROM @extschema@.stated_row r JOIN @extschema@.stated_table t ON t.table_id = r.table_id WHERE t.report_id = rid
    UNION ALL
    SELECT c.column_id, c.total_id, c.label, t.label, 'column'
    FROM @extschema@.stated_column c JOIN @extschema@.stated_table t ON t.table_id = c.table_id WHERE t.report_id = rid),
  walk(start, id, path) AS (
    SELECT l.id, l.total_id, ARRAY[l.label] FROM lines l WHERE l.total_id IS NOT NULL
    UNION ALL
    SELECT w.start, l.total_id, w.path || l.label
    FROM walk w JOIN lines l ON l.id = w.id
    WHERE l.total_id IS NOT NULL AND w.id <> w.start AND cardinality(w.path) <= (SELECT count(*) FROM lines))
  -- a line that reaches itself through its totals; the walk is bounded by the number of lines
  SELECT l.tlabel, l.axis, w.path INTO bad FROM walk w JOIN lines l ON l.id = w.start WHERE w.id = w.start LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'report_check: the totals of table "%" go round in a cycle: % → %', bad.tlabel,
      array_to_string(bad.path, ' → '), bad.path[1] USING ERRCODE = '22023',
      HINT = format('A %s is a part of a total that is (in the end) a part of itself: correct its total_id.', bad.axis);
  END IF;
  RETURN rid;
END
$fn$;
COMMENT ON FUNCTION report_check_args(text) IS 'Internal to report_check: the id of the report to check (NULL is ERROR 22004, a report the caller does not see 22023), and ERROR 22023 when its parts and totals form a cycle.';

CREATE FUNCTION report_check(report text, rounding boolean DEFAULT false)
RETURNS TABLE (report_name text, table_label text, row_label text, column_label text, finding text,
               stated numeric, computed numeric, difference numeric, tolerance numeric, unit text,
               description text, description_sv text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH rep AS (
    SELECT r.report_id, r.name FROM stated_report r WHERE r.report_id OPERATOR(pg_catalog.=) report_check_args(report_check.report)),
  tabs AS (
    SELECT t.* FROM stated_table t JOIN rep ON rep.report_id OPERATOR(pg_catalog.=) t.report_id),
  -- rows and columns alike: a line on an axis
  lines AS (
    SELECT 'row' AS axis, r.row_id AS id, r.table_id, r.label, r.role, r.days, r.total_id, r.operand1_id, r.operand2_id, r.position
    FROM stated_row r JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) r.table_id
    UNION ALL
    SELECT 'column', c.column_id, c.table_id, c.label, c.role, c.days, c.total_id, c.operand1_id, c.operand2_id, c.position
    FROM stated_column c JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) c.table_id),
  -- every cell twice: on its row (cross = its column) and on its column (cross = its row)
  cells AS (
    SELECT 'row' AS axis, f.row_id AS line_id, f.column_id AS cross_id, f.table_id, f.value, f.half_unit, f.unit, f.decimals, f.figure
    FROM stated_figure f JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) f.table_id
    UNION ALL
    SELECT 'column', f.column_id, f.row_id, f.table_id, f.value, f.half_unit, f.unit, f.decimals, f.figure
    FROM stated_figure f JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) f.table_id),
  checks AS (
    -- parts against their total
    SELECT 1 AS ord, l.table_id, l.axis, l.id AS line_id, tc.cross_id, 'parts_do_not_add_up' AS kind,
           tc.value AS stated, s.total AS computed,
           pg_catalog.abs(tc.value OPERATOR(pg_catalog.-) s.total) AS gap,
           tc.half_unit OPERATOR(pg_catalog.+) s.halves AS tol, tc.unit, tc.decimals,
           pg_catalog.format('the %s parts%s add up to %s; the total states %s', s.n, s.labels,
                  stated_format(s.total, tc.unit, tc.decimals), stated_format(tc.value, tc.unit, tc.decimals)) AS what,
           pg_catalog.format('de %s delarna%s summerar till %s men summan anges till %s', s.n, s.labels,
                  stated_format(s.total, tc.unit, tc.decimals), stated_format(tc.value, tc.unit, tc.decimals)) AS what_sv
    FROM lines l
    JOIN cells tc ON tc.axis OPERATOR(pg_catalog.=) l.axis AND tc.line_id OPERATOR(pg_catalog.=) l.id
    JOIN lines x ON x.id OPERATOR(pg_catalog.=) tc.cross_id
    CROSS JOIN LATERAL (
      SELECT pg_catalog.count(*) AS n, pg_catalog.count(pc.value) AS ncells, pg_catalog.sum(pc.value) AS total,
             pg_catalog.sum(pc.half_unit) AS halves, CASE WHEN pg_catalog.count(*) OPERATOR(pg_catalog.<=) 6
                  THEN ' (' OPERATOR(pg_catalog.||) pg_catalog.string_agg(p.label, ', ' ORDER BY p.position) OPERATOR(pg_catalog.||) ')'
                  ELSE '' END AS labels
      FROM lines p
      LEFT JOIN cells pc ON pc.axis OPERATOR(pg_catalog.=) p.axis AND pc.line_id OPERATOR(pg_catalog.=) p.id
                        AND pc.cross_id OPERATOR(pg_catalog.=) tc.cross_id
      WHERE p.axis OPERATOR(pg_catalog.=) l.axis AND p.total_id OPERATOR(pg_catalog.=) l.id) s
    WHERE s.n OPERATOR(pg_catalog.>) 0 AND s.n OPERATOR(pg_catalog.=) s.ncells
      AND l.role IS DISTINCT FROM 'price' AND l.role IS DISTINCT FROM 'percent'
      AND x.role IS DISTINCT FROM 'price' AND x.role IS DISTINCT FROM 'percent'
    UNION ALL
    -- a deviation against its budget and outcome or forecast, by the table's signs
    SELECT 2, l.table_id, l.axis, l.id, dc.cross_id, 'deviation_differs',
           dc.value, d.expected, pg_catalog.abs(dc.value OPERATOR(pg_catalog.-) d.expected),
           dc.half_unit OPERATOR(pg_catalog.+) ac.half_unit OPERATOR(pg_catalog.+) bc.half_unit, dc.unit, dc.decimals,
           pg_catalog.format('the deviation states %s; %s gives %s', stated_format(dc.value, dc.unit, dc.decimals), d.how,
                  stated_format(d.expected, dc.unit, dc.decimals)),
           pg_catalog.format('avvikelsen anges till %s men %s ger %s', stated_format(dc.value, dc.unit, dc.decimals), d.how,
                  stated_format(d.expected, dc.unit, dc.decimals))
    FROM lines l
    JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) l.table_id
    JOIN lines a ON a.id OPERATOR(pg_catalog.=) l.operand1_id
    JOIN lines b ON b.id OPERATOR(pg_catalog.=) l.operand2_id
    JOIN cells dc ON dc.axis OPERATOR(pg_catalog.=) l.axis AND dc.line_id OPERATOR(pg_catalog.=) l.id
    JOIN cells ac ON ac.axis OPERATOR(pg_catalog.=) l.axis AND ac.line_id OPERATOR(pg_catalog.=) a.id AND ac.cross_id OPERATOR(pg_catalog.=) dc.cross_id
    JOIN cells bc ON bc.axis OPERATOR(pg_catalog.=) l.axis AND bc.line_id OPERATOR(pg_catalog.=) b.id AND bc.cross_id OPERATOR(pg_catalog.=) dc.cross_id
    CROSS JOIN LATERAL (
      SELECT CASE WHEN t.costs_negative THEN bc.value OPERATOR(pg_catalog.-) ac.value
                  ELSE ac.value OPERATOR(pg_catalog.-) bc.value END AS expected,
             CASE WHEN t.costs_negative
                  THEN pg_catalog.format('%s (%s) − %s (%s)', stated_format(bc.value, bc.unit, bc.decimals), b.label,
                                         stated_format(ac.value, ac.unit, ac.decimals), a.label)
                  ELSE pg_catalog.format('%s (%s) − %s (%s)', stated_format(ac.value, ac.unit, ac.decimals), a.label,
                                         stated_format(bc.value, bc.unit, bc.decimals), b.label) END AS how) d
    WHERE l.role OPERATOR(pg_catalog.=) 'deviation'
    UNION ALL
    -- a cost forecast below the outcome to date (both with a cost's sign)
    SELECT 3, l.table_id, l.axis, l.id, fc.cross_id, 'forecast_below_outcome',
           fc.value, oc.value,
           CASE WHEN t.costs_negative THEN fc.value OPERATOR(pg_catalog.-) oc.value ELSE oc.value OPERATOR(pg_catalog.-) fc.value END,
           fc.half_unit OPERATOR(pg_catalog.+) oc.half_unit, fc.unit, fc.decimals,
           pg_catalog.format('the forecast %s is a smaller cost than the outcome to date %s (%s)',
                  stated_format(fc.value, fc.unit, fc.decimals), stated_format(oc.value, oc.unit, oc.decimals), o.label),
           pg_catalog.format('prognosen %s är en lägre kostnad än utfallet hittills %s (%s)',
                  stated_format(fc.value, fc.unit, fc.decimals), stated_format(oc.value, oc.unit, oc.decimals), o.label)
    FROM lines l
    JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) l.table_id
    JOIN lines o ON o.id OPERATOR(pg_catalog.=) l.operand1_id
    JOIN cells fc ON fc.axis OPERATOR(pg_catalog.=) l.axis AND fc.line_id OPERATOR(pg_catalog.=) l.id
    JOIN cells oc ON oc.axis OPERATOR(pg_catalog.=) l.axis AND oc.line_id OPERATOR(pg_catalog.=) o.id AND oc.cross_id OPERATOR(pg_catalog.=) fc.cross_id
    WHERE l.role OPERATOR(pg_catalog.=) 'forecast'
      AND CASE WHEN t.costs_negative THEN fc.value OPERATOR(pg_catalog.<) 0 AND oc.value OPERATOR(pg_catalog.<) 0
               ELSE fc.value OPERATOR(pg_catalog.>) 0 AND oc.value OPERATOR(pg_catalog.>) 0 END
    UNION ALL
    -- volume × price × days against the amount
    SELECT 4, l.table_id, l.axis, l.id, mc.cross_id, 'volume_price_differs',
           mc.value, v.product, pg_catalog.abs(mc.value OPERATOR(pg_catalog.-) v.product),
           mc.half_unit OPERATOR(pg_catalog.+) (v.days OPERATOR(pg_catalog.*)
             ((pg_catalog.abs(ac.value) OPERATOR(pg_catalog.*) bc.half_unit) OPERATOR(pg_catalog.+)
              (pg_catalog.abs(bc.value) OPERATOR(pg_catalog.*) ac.half_unit) OPERATOR(pg_catalog.+)
              (ac.half_unit OPERATOR(pg_catalog.*) bc.half_unit))),
           mc.unit, mc.decimals,
           pg_catalog.format('the amount states %s; %s (%s) × %s (%s) × %s days gives %s', stated_format(mc.value, mc.unit, mc.decimals),
                  ac.figure, a.label, stated_format(bc.value, bc.unit, bc.decimals), b.label, v.days,
                  stated_format(v.product, mc.unit, mc.decimals)),
           pg_catalog.format('beloppet anges till %s men %s (%s) × %s (%s) × %s dagar ger %s', stated_format(mc.value, mc.unit, mc.decimals),
                  ac.figure, a.label, stated_format(bc.value, bc.unit, bc.decimals), b.label, v.days,
                  stated_format(v.product, mc.unit, mc.decimals))
    FROM lines l
    JOIN tabs t ON t.table_id OPERATOR(pg_catalog.=) l.table_id
    JOIN lines a ON a.id OPERATOR(pg_catalog.=) l.operand1_id
    JOIN lines b ON b.id OPERATOR(pg_catalog.=) l.operand2_id
    JOIN cells mc ON mc.axis OPERATOR(pg_catalog.=) l.axis AND mc.line_id OPERATOR(pg_catalog.=) l.id
    JOIN lines x ON x.id OPERATOR(pg_catalog.=) mc.cross_id
    JOIN cells ac ON ac.axis OPERATOR(pg_catalog.=) l.axis AND ac.line_id OPERATOR(pg_catalog.=) a.id AND ac.cross_id OPERATOR(pg_catalog.=) mc.cross_id
    JOIN cells bc ON bc.axis OPERATOR(pg_catalog.=) l.axis AND bc.line_id OPERATOR(pg_catalog.=) b.id AND bc.cross_id OPERATOR(pg_catalog.=) mc.cross_id
    CROSS JOIN LATERAL (
      SELECT coalesce(l.days, x.days, t.days) AS days,
             ac.value OPERATOR(pg_catalog.*) bc.value OPERATOR(pg_catalog.*) coalesce(l.days, x.days, t.days) AS product) v
    WHERE l.role OPERATOR(pg_catalog.=) 'amount' AND v.days IS NOT NULL),
  found AS (
    SELECT c.ord, c.table_id, c.line_id, c.cross_id,
           CASE c.axis WHEN 'row' THEN c.line_id ELSE c.cross_id END AS row_id,
           CASE c.axis WHEN 'row' THEN c.cross_id ELSE c.line_id END AS column_id,
           CASE WHEN c.gap OPERATOR(pg_catalog.>) c.tol THEN c.kind ELSE 'rounding' END AS kind,
           c.stated, c.computed, c.gap, c.tol, c.unit, c.decimals, c.what, c.what_sv, NULL::text AS place
    FROM checks c
    WHERE c.gap OPERATOR(pg_catalog.>) c.tol OR (report_check.rounding AND c.gap OPERATOR(pg_catalog.>) 0)
    UNION ALL
    -- the same figure (same key) stated differently: each against the first stated
    SELECT 5, f.table_id, NULL, NULL, f.row_id, f.column_id,
           CASE WHEN pg_catalog.abs(f.value OPERATOR(pg_catalog.-) r.value) OPERATOR(pg_catalog.>)
                     (f.half_unit OPERATOR(pg_catalog.+) r.half_unit) THEN 'same_figure_differs' ELSE 'rounding' END,
           f.value, r.value, pg_catalog.abs(f.value OPERATOR(pg_catalog.-) r.value), f.half_unit OPERATOR(pg_catalog.+) r.half_unit,
           f.unit, f.decimals,
           pg_catalog.format('%s is stated as %s here%s and as %s in %s', f.key, stated_format(f.value, f.unit, f.decimals),
                  CASE WHEN f.quote IS NOT NULL THEN pg_catalog.format(' ("%s")', f.quote) ELSE '' END,
                  stated_format(r.value, r.unit, r.decimals), r.at),
           pg_catalog.format('%s anges här till %s%s men till %s i %s', f.key, stated_format(f.value, f.unit, f.decimals),
                  CASE WHEN f.quote IS NOT NULL THEN pg_catalog.format(' ("%s")', f.quote) ELSE '' END,
                  stated_format(r.value, r.unit, r.decimals), r.at_sv),
           f.place
    FROM stated_figure f JOIN rep ON rep.report_id OPERATOR(pg_catalog.=) f.report_id
    CROSS JOIN LATERAL (
      SELECT g.value, g.half_unit, g.figure, g.unit, g.decimals,
             coalesce(pg_catalog.format('table %s, %s / %s', gt.label, gr.label, gc.label), pg_catalog.format('the text (%s)', g.place)) AS at,
             coalesce(pg_catalog.format('tabell %s, %s / %s', gt.label, gr.label, gc.label), pg_catalog.format('texten (%s)', g.place)) AS at_sv
      FROM stated_figure g
      LEFT JOIN stated_table gt ON gt.table_id OPERATOR(pg_catalog.=) g.table_id
      LEFT JOIN stated_row gr ON gr.row_id OPERATOR(pg_catalog.=) g.row_id
      LEFT JOIN stated_column gc ON gc.column_id OPERATOR(pg_catalog.=) g.column_id
      WHERE g.report_id OPERATOR(pg_catalog.=) f.report_id AND g.key OPERATOR(pg_catalog.=) f.key
      ORDER BY g.figure_id LIMIT 1) r
    WHERE f.key IS NOT NULL
      AND f.figure_id OPERATOR(pg_catalog.<>) (SELECT pg_catalog.min(g.figure_id) FROM stated_figure g
                                               WHERE g.report_id OPERATOR(pg_catalog.=) f.report_id AND g.key OPERATOR(pg_catalog.=) f.key)
      AND (pg_catalog.abs(f.value OPERATOR(pg_catalog.-) r.value) OPERATOR(pg_catalog.>) (f.half_unit OPERATOR(pg_catalog.+) r.half_unit)
           OR (report_check.rounding AND f.value OPERATOR(pg_catalog.<>) r.value)))
  SELECT rep.name, coalesce(t.label, fd.place), rw.label, cl.label, fd.kind,
         pg_catalog.trim_scale(fd.stated), pg_catalog.trim_scale(fd.computed),
         pg_catalog.trim_scale(fd.stated OPERATOR(pg_catalog.-) fd.computed), pg_catalog.trim_scale(fd.tol), fd.unit,
         CASE WHEN fd.kind OPERATOR(pg_catalog.=) 'rounding'
              THEN pg_catalog.format('%s: a difference of %s, within the %s that rounding of the stated figures explains',
                          fd.what, stated_format(fd.gap, fd.unit, fd.decimals OPERATOR(pg_catalog.+) 1),
                          stated_format(fd.tol, fd.unit, fd.decimals OPERATOR(pg_catalog.+) 2))
              ELSE pg_catalog.format('%s: a difference of %s, more than the %s that rounding can explain',
                          fd.what, stated_format(fd.gap, fd.unit, fd.decimals),
                          stated_format(fd.tol, fd.unit, fd.decimals OPERATOR(pg_catalog.+) 2)) END,
         CASE WHEN fd.kind OPERATOR(pg_catalog.=) 'rounding'
              THEN pg_catalog.format('%s: skillnaden %s ryms i de %s som avrundning av de angivna talen kan förklara',
                          fd.what_sv, stated_format(fd.gap, fd.unit, fd.decimals OPERATOR(pg_catalog.+) 1),
                          stated_format(fd.tol, fd.unit, fd.decimals OPERATOR(pg_catalog.+) 2))
              ELSE pg_catalog.format('%s: skillnaden %s är större än de %s som avrundning kan förklara',
                          fd.what_sv, stated_format(fd.gap, fd.unit, fd.decimals),
                          stated_format(fd.tol, fd.unit, fd.decimals OPERATOR(pg_catalog.+) 2)) END
  FROM found fd CROSS JOIN rep
  LEFT JOIN stated_table t ON t.table_id OPERATOR(pg_catalog.=) fd.table_id
  LEFT JOIN stated_row rw ON rw.row_id OPERATOR(pg_catalog.=) fd.row_id
  LEFT JOIN stated_column cl ON cl.column_id OPERATOR(pg_catalog.=) fd.column_id
  ORDER BY t.position NULLS LAST, fd.ord, rw.position NULLS FIRST, cl.position NULLS FIRST, fd.kind, fd.place;
END;
COMMENT ON FUNCTION report_check(text, boolean) IS 'Checks a stated report''s own arithmetic: one row per finding, with the table (or, for a quote, the place in the text), row and column, the kind — parts_do_not_add_up (parts against the total they are stated as parts of), deviation_differs (a deviation against its budget and outcome or forecast, by the table''s sign convention), forecast_below_outcome (a forecast that is a smaller cost than the outcome to date), volume_price_differs (volume × price × days against the amount), same_figure_differs (a figure against the first one stated with the same key, in a table or the text) — the stated and computed values and their difference (numeric; kronor for money), the tolerance and the unit, and a sentence in English and in Swedish. A difference within the tolerance — half a unit of the last digit typed of every figure used, summed; for a product, its first-order propagation — is rounding, not a finding: it is listed (kind rounding) only with rounding => true. NULL report ERROR 22004, a report the caller does not see 22023, totals in a cycle 22023.';

-- every document's findings: the stated reports' and the action plans'
CREATE VIEW document_findings WITH (security_invoker = true) AS
SELECT 'report'::text AS document_kind, r.name AS document, r.title, c.table_label AS place, c.row_label, c.column_label,
       c.finding, c.stated AS stated_low, c.stated AS stated_high, c.computed AS computed_low, c.computed AS computed_high,
       c.difference, c.description, c.description_sv
FROM stated_report r CROSS JOIN LATERAL report_check(r.name) c
UNION ALL
SELECT 'plan', pc.plan_id::text, NULL, NULL, pc.title, NULL, pc.finding,
       pc.stated_low, pc.stated_high, pc.computed_low, pc.computed_high,
       CASE WHEN pc.stated_low OPERATOR(pg_catalog.=) pc.stated_high AND pc.computed_low OPERATOR(pg_catalog.=) pc.computed_high
            THEN pc.stated_low OPERATOR(pg_catalog.-) pc.computed_low END,
       pc.detail,
       CASE pc.finding WHEN 'stated_total_differs' THEN 'angiven summa stämmer inte med åtgärdernas årskolumner'
                       WHEN 'row_total_missing' THEN 'radsumma saknas'
                       WHEN 'row_total_differs' THEN 'radsumman stämmer inte med årskolumnerna'
                       WHEN 'effect_outside_plan_years' THEN 'effekt utanför planens år'
                       WHEN 'achieved_outside_plan_years' THEN 'uppnått utanför planens år' ELSE pc.finding END
       OPERATOR(pg_catalog.||) CASE WHEN pc.stated_low IS NULL AND pc.computed_low IS NULL THEN ''
         ELSE ': ' OPERATOR(pg_catalog.||) pg_catalog.array_to_string(ARRAY[
           'angivet ' OPERATOR(pg_catalog.||) estimate_format(estimate(pc.stated_low::sek, pc.stated_high::sek), 'tkr'),
           'beräknat ' OPERATOR(pg_catalog.||) estimate_format(estimate(pc.computed_low::sek, pc.computed_high::sek), 'tkr')], ', ') END
FROM (SELECT WHERE pg_catalog.has_table_privilege('action_plan'::pg_catalog.regclass, 'SELECT')
        AND pg_catalog.has_table_privilege('plan_measure'::pg_catalog.regclass, 'SELECT')
        AND pg_catalog.has_table_privilege('measure_effect'::pg_catalog.regclass, 'SELECT')
        AND pg_catalog.has_table_privilege('measure_follow_up'::pg_catalog.regclass, 'SELECT')
        AND pg_catalog.has_table_privilege('plan_stated_total'::pg_catalog.regclass, 'SELECT')) may
CROSS JOIN LATERAL plan_check() pc;
GRANT SELECT ON document_findings TO PUBLIC;
COMMENT ON VIEW document_findings IS 'The findings of every document''s check in one list: report_check of each stated report the reader sees (document_kind ''report'', document its name) and plan_check of the action plans (document_kind ''plan'', document the plan_id, row_label the measure''s or plan''s title; only for a role that may read the plan tables), with where (place: the table or text place; row_label: the row or the measure; column_label), the kind, stated and computed values (a plan''s estimates as _low and _high ends; numeric kronor for money), their difference, and a description in English and Swedish. Runs with the reader''s rights (security_invoker).';
