-- Accounts: budget periodisation, month profiles, the monthly follow-up and
-- the year-end methods offices use today.  The budget year is as_of's
-- calendar year; the elapsed part counts as_of itself.

CREATE FUNCTION period_budget(annual sek, as_of date, key text DEFAULT 'months') RETURNS sek
  AS 'MODULE_PATHNAME', 'period_budget_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION period_budget(sek, date, text) IS 'The part of an annual budget that belongs to the year up to and including as_of: key ''months'' = twelfths by elapsed months (completed months + the elapsed days of as_of''s month), ''days'' = by day of the year; exact, rounded once to the öre.';
CREATE FUNCTION period_budget(annual sek, as_of date, profile float8[]) RETURNS sek
  AS 'MODULE_PATHNAME', 'period_budget_profile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION period_budget(sek, date, float8[]) IS 'The part of an annual budget up to and including as_of under a 12-month profile (weights January..December, normalised; as_of''s month by its elapsed days); see month_profile.';

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

-- The follow-up table of the reports (Delårsrapport 2 2023 §4.1), one row per unit and a total.
CREATE FUNCTION follow_up_report(ledger_table regclass, budget_table regclass, as_of date,
                                 method text DEFAULT 'runrate', key text DEFAULT 'months',
                                 convention text DEFAULT 'ledger')
RETURNS TABLE (unit text, prev_year_outcome numeric, budget numeric, period_budget numeric, outcome numeric,
               deviation numeric, consumption numeric, forecast numeric, forecast_deviation numeric,
               deviation_pct numeric, note text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  ys date;
  sgn int;
  found_budget boolean;
  c record;
  have regtype;
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
  sgn := CASE lower(convention) WHEN 'ledger' THEN 1 WHEN 'report' THEN -1 END;
  IF sgn IS NULL THEN
    RAISE EXCEPTION 'unknown sign convention "%"', convention USING ERRCODE = '22023',
      HINT = 'Use ''ledger'' (costs positive, the default) or ''report'' (costs negative, as in the reports).';
  END IF;
  IF lower(key) IS DISTINCT FROM 'days' AND lower(key) IS DISTINCT FROM 'months' AND lower(key) IS DISTINCT FROM 'history' THEN
    RAISE EXCEPTION 'unknown periodisation key "%"', key USING ERRCODE = '22023',
      HINT = 'Use ''months'', ''days'' or ''history'' (each unit''s month profile of the three years before).';
  END IF;
  IF lower(method) IS DISTINCT FROM 'runrate' AND lower(method) IS DISTINCT FROM 'profile' THEN
    RAISE EXCEPTION 'unknown follow-up forecast method "%"', method USING ERRCODE = '22023',
      HINT = 'Use ''runrate'' (outcome ÷ elapsed months × 12) or ''profile'' (outcome ÷ the key''s share of the year so far).';
  END IF;
  -- the columns the report reads, checked here so that a missing one, a
  -- wrong type or a missing privilege is told by its table and column
  FOR c IN SELECT * FROM (VALUES
      (ledger_table, 'ledger_table', 'entry_date', 'date'::regtype), (ledger_table, 'ledger_table', 'unit', NULL),
      (ledger_table, 'ledger_table', 'amount', '@extschema@.sek'::regtype),
      (budget_table, 'budget_table', 'unit', NULL), (budget_table, 'budget_table', 'valid_from', 'date'::regtype),
      (budget_table, 'budget_table', 'amount', '@extschema@.sek'::regtype)) v(tbl, arg, col, want) LOOP
    SELECT a.atttypid::regtype INTO have FROM pg_attribute a
    WHERE a.attrelid = c.tbl AND a.attname = c.col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'column "%" does not exist in % (the %)', c.col, c.tbl, c.arg USING ERRCODE = '42703',
        HINT = 'follow_up_report reads ledger_table(entry_date date, unit, amount sek) and budget_table(unit, valid_from date, amount sek): point it at a view that renames your columns.';
    END IF;
    IF have IS DISTINCT FROM coalesce(c.want, have) THEN
      RAISE EXCEPTION 'column "%" of % (the %) is %, not %', c.col, c.tbl, c.arg, have, c.want USING ERRCODE = '42804',
        HINT = format('Point it at a view that casts the column: %I::%s.', c.col, c.want);
    END IF;
    IF NOT has_column_privilege(c.tbl, c.col::text, 'SELECT') THEN
      RAISE EXCEPTION 'permission denied for column "%" of % (the %)', c.col, c.tbl, c.arg USING ERRCODE = '42501',
        HINT = 'follow_up_report reads its tables with the caller''s rights: GRANT SELECT on them.';
    END IF;
  END LOOP;
  -- one scan of the ledger from the first year needed up to as_of, grouped by
  -- unit (partial aggregates in parallel); the budget joins the unit rows
  -- afterwards, and each record is made from the sums (follow_up_unit, in
  -- the leader).  A unit whose history cannot make a profile (none, a zero
  -- total, a month against the total's sign) gets twelfths and says so in
  -- note, rather than failing the report; so does a unit without a budget.
  BEGIN
  EXECUTE format('SELECT EXISTS (SELECT FROM %s WHERE valid_from >= $1 AND valid_from <= $2)', budget_table)
    INTO found_budget USING ys, as_of;
  IF found_budget THEN
  RETURN QUERY EXECUTE format($q$
    WITH a0 AS (
      SELECT unit, @extschema@.sum(amount) FILTER (WHERE entry_date >= $1) AS outcome,
             @extschema@.sum(amount) FILTER (WHERE entry_date >= $6 AND entry_date < $1) AS prev,
             %3$s AS hist
      FROM %2$s WHERE entry_date >= $7 AND entry_date <= $2 GROUP BY unit),
    a AS (
      SELECT a0.unit, a0.outcome, a0.prev,
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
    b AS (SELECT unit, @extschema@.sum(amount) AS annual FROM %1$s
          WHERE valid_from >= $1 AND valid_from <= $2 GROUP BY unit),
    j AS (SELECT unit::text AS unit, prev OPERATOR(@extschema@.*) $5 AS prev,
                 b.annual OPERATOR(@extschema@.*) $5 AS annual,
                 coalesce(a.outcome, '0'::@extschema@.sek) OPERATOR(@extschema@.*) $5 AS outcome, prof,
                 a.note AS hist_note,
                 CASE WHEN b.annual IS NULL THEN pg_catalog.format('no budget for %%s', extract(year FROM $2)::int) END AS budget_note
          FROM a FULL JOIN b USING (unit)),
    u AS (SELECT unit, prev, hist_note, pg_catalog.array_to_string(ARRAY[budget_note, hist_note], '; ') AS note,
                 (@extschema@.follow_up_unit(unit, annual, outcome, $2, $3, $8, prof, $4)).*
          FROM j),
    r AS (SELECT unit, prev, budget, period_budget, outcome, deviation, consumption, forecast,
                 forecast_deviation, deviation_pct, NULLIF(note, '') AS note FROM u
          UNION ALL
          SELECT NULL, t.prev, (t.r).budget, (t.r).period_budget, (t.r).outcome, (t.r).deviation,
                 (t.r).consumption, (t.r).forecast, (t.r).forecast_deviation, (t.r).deviation_pct, t.note
          FROM (SELECT @extschema@.sum(prev) AS prev,
                       NULLIF(pg_catalog.array_to_string(ARRAY[
                         CASE WHEN count(hist_note) > 0 THEN pg_catalog.format('%%s unit(s) on twelfths', count(hist_note)) END,
                         CASE WHEN count(*) FILTER (WHERE budget IS NULL) > 0
                              THEN pg_catalog.format('%%s unit(s) without a budget', count(*) FILTER (WHERE budget IS NULL)) END], '; '), '') AS note,
                       @extschema@.follow_up(@extschema@.sum(budget), @extschema@.sum(period_budget), @extschema@.sum(outcome),
                                 CASE WHEN count(forecast) = count(*) THEN @extschema@.sum(forecast) END, $4) AS r
                FROM u) t)
    -- numeric out, so that every client driver reads a number (sek is text to them)
    SELECT unit, prev::numeric, budget::numeric, period_budget::numeric, outcome::numeric, deviation::numeric,
           consumption::numeric, forecast::numeric, forecast_deviation::numeric, deviation_pct::numeric, note
    FROM r ORDER BY 1 NULLS LAST$q$, budget_table, ledger_table,
    -- 'history': the twelve calendar months of the three years before, and
    -- as a thirteenth element how many entries there were
    CASE WHEN lower(key) = 'history'
         THEN (SELECT format('ARRAY[%s, count(*) FILTER (WHERE entry_date < $1)::float8]', string_agg(format(
                'coalesce(@extschema@.sek_ore(@extschema@.sum(amount) FILTER (WHERE entry_date < $1 AND extract(month FROM entry_date) = %s)), 0)::float8', i), ', '))
               FROM generate_series(1, 12) i)
         ELSE 'NULL::float8[]' END)
  USING ys, as_of, method, convention, sgn, (ys - interval '1 year')::date,
        (ys - CASE WHEN lower(key) = 'history' THEN interval '3 years' ELSE interval '1 year' END)::date, key;
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
COMMENT ON FUNCTION follow_up_report(regclass, regclass, date, text, text, text) IS 'The reports'' follow-up table (Delårsrapport 2 2023 §4.1) per unit and a total row (unit NULL, last): previous year''s outcome (Bokslut), budget in force at as_of, period budget, outcome, deviation, consumption %, year-end forecast, forecast deviation and its % of the budget. ledger_table needs columns (entry_date date, unit, amount sek), budget_table (unit, valid_from date, amount sek) with one row per decision dated when it applies, both in ledger signs (costs positive); key ''months'', ''days'' or ''history'' (each unit''s month_profile of the three years before as_of''s year, twelfths without history); convention ''report'' prints costs negative. A unit without history, or whose history cannot make a profile (its months add up to zero, or a month is against the total''s sign), is periodised and forecast by twelfths instead, and note says so; a unit without a budget row says so too (the total row''s note counts both). A NULL table or rows without a unit are ERROR 22004, a missing column 42703, a column of another type 42804, one the caller may not read 42501 (table and column named); an unknown method, key or convention 22023; an error inside a unit''s figures names the unit, and every error inside the report its two tables, never the report''s own SQL. Amounts and percentages are numeric (kronor with two decimals), so BI tools read numbers.';
