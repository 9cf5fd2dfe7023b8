-- Accounts: budget periodisation, month profiles, the monthly follow-up and
-- the year-end methods offices use today.  The budget year is as_of's
-- calendar year; the elapsed part counts as_of itself.

-- The check of an as_of argument that the SQL functions share: the same
-- SQLSTATEs everywhere (22004 for NULL, 22008 for a date no report can
-- have), with a message that names the argument.  It returns as_of, so that
-- a caller checks by an assignment (as_of := check_as_of(as_of, ...)): an
-- error's CONTEXT then shows no SQL statement, as PERFORM's would.
CREATE FUNCTION check_as_of(as_of date, what text) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF as_of IS NULL THEN
    RAISE EXCEPTION '% needs a date, not NULL', what USING ERRCODE = '22004',
      HINT = 'Give the last day of the period, e.g. ''2023-08-31''.';
  END IF;
  IF NOT isfinite(as_of) OR as_of < '0001-01-01' OR as_of > '9999-12-31' THEN
    RAISE EXCEPTION '% must be a finite date between 0001-01-01 and 9999-12-31, not %', what, as_of USING ERRCODE = '22008',
      HINT = 'Give the last day of the period, e.g. ''2023-08-31''.';
  END IF;
  RETURN as_of;
END
$fn$;
COMMENT ON FUNCTION check_as_of(date, text) IS 'Internal: the check of an as_of argument shared by the report, forecast and plan functions (follow_up_report, staffing_follow_up, income_support_forecast, income_support_effect, refresh_forecasts, the forecast and plan argument checks). NULL is ERROR 22004, an infinite date or one outside the years 0001–9999 22008; the message names what (e.g. ''follow_up_report: as_of''). Returns as_of.';

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
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
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

-- Where a report reads a user's table: through read_as_owner, never with
-- the caller's rights over code the table's owner wrote.
CREATE FUNCTION report_read_sql(tbl regclass, cols name[], filter text DEFAULT NULL, alias name DEFAULT 'ap_r') RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
  SELECT format('@extschema@.read_as_owner(%s::pg_catalog.oid::pg_catalog.regclass, %L::pg_catalog.name[]%s) AS %I(%s)',
                tbl::oid, array_agg(c ORDER BY i), coalesce(', ' || filter, ''), alias,
                string_agg(format('%I %s', c, CASE WHEN r.rolsuper THEN format_type(a.atttypid, a.atttypmod)
                                                   ELSE 'pg_catalog.text' END), ', ' ORDER BY i))
  FROM (SELECT c, min(i) AS i FROM unnest(cols) WITH ORDINALITY u(c, i) GROUP BY c) u
  JOIN pg_attribute a ON a.attrelid = tbl AND a.attname = u.c AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_roles r ON r.oid = t.typowner
$fn$;
COMMENT ON FUNCTION report_read_sql(regclass, name[], text, name) IS 'Internal to the report functions: the FROM item (named alias) that reads the columns cols of tbl through read_as_owner (filter: its date_column, from_date and to_date arguments as SQL), each column by its own name and type when a superuser owns the type (the built-in types, the extension''s), else as text (its cast to text then runs as the reading role, not as the caller).';

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
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
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
  as_of := @extschema@.check_as_of(as_of, 'follow_up_report: as_of');
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
  EXECUTE format('SELECT EXISTS (SELECT FROM %s)',
                 @extschema@.report_read_sql(budget_table, ARRAY[budget_date_column], format('%L, $1, $2', budget_date_column)))
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
    FROM r ORDER BY %11$s, level$q$,
    @extschema@.report_read_sql(budget_table, keys || budget_date_column || budget_amount_column),
    @extschema@.report_read_sql(ledger_table, keys || date_column || amount_column, format('%L, $7, $2', date_column)),
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
COMMENT ON FUNCTION follow_up_report(regclass, regclass, date, text, text, text, name[], name, name, name, name, boolean) IS 'The reports'' follow-up table (Delårsrapport 2 2023 §4.1, §4.2) per key and a total row (unit NULL, level = the number of keys, last): previous year''s outcome (Bokslut), budget in force at as_of, period budget, outcome, deviation, consumption %, year-end forecast, forecast deviation and its % of the budget, the key''s values (key_values jsonb), its level (0 for a key''s own row) and the same period''s outcome a year before (prev_period_outcome). keys name the key columns (default {unit}; e.g. {account_group} or {unit,account_group}); unit is the key''s text (the values joined by " / "). With subtotals, a row per prefix of the keys too (level = the number of keys summed over), after its keys. ledger_table needs the key columns, date_column (date, default entry_date) and amount_column (sek, default amount); budget_table the key columns, budget_date_column (default valid_from) and budget_amount_column (default amount), one row per decision dated when it applies; both in ledger signs (costs positive). key ''months'', ''days'' or ''history'' (each key''s month_profile of the three years before as_of''s year, twelfths without history); convention ''report'' prints costs negative. A key without history, or whose history cannot make a profile (its months add up to zero, or a month is against the total''s sign), is periodised and forecast by twelfths instead, and note says so; a key without a budget row says so too (subtotal and total rows count both). Subtotals and the total are the sums of the keys'' rows. A NULL table, a NULL column name, a NULL as_of or rows with a NULL key are ERROR 22004, an infinite as_of 22008, a missing column 42703, a column of another type 42804, one the caller may not read 42501 (table and column named); an unknown method, key or convention, or keys not 1 to 8 distinct names, 22023; an error inside a key''s figures names it, and every error inside the report its two tables, never the report''s own SQL. Reads its tables through read_as_owner: as the table''s owner when the caller has the owner''s rights (a superuser, the nightly job), else as the caller, in a security-restricted operation (never SECURITY DEFINER). Amounts and percentages are numeric (kronor with two decimals), so BI tools read numbers.';
