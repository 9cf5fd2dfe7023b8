-- actionplan 0.1.0 -> 0.2.0: the upgrade script of the version under development.
\echo Use "ALTER EXTENSION actionplan UPDATE TO '0.2.0'" to load this file. \quit
--
-- Every change to SQL objects after 0.1.0 (a new or changed function, type,
-- operator, table, column, index, policy, GRANT or COMMENT in src/*.sql) goes
-- here as well, as the statements that turn a 0.1.0 database into what a fresh
-- CREATE EXTENSION of 0.2.0 makes.  test/upgrade.sh enforces it: it updates a
-- filled 0.1.0 database with this script and compares its catalog with a fresh
-- install, and its extension-owned tables' rows with those before the update.
-- Rules: keep users' rows (ALTER TABLE, never DROP/CREATE of an
-- extension-owned table); add new columns at the end of their CREATE TABLE in
-- src/*.sql, as ALTER TABLE ... ADD COLUMN puts them; a new extension-owned
-- table needs its pg_extension_config_dump here too.
--

-- read_as_owner: the report functions read users' tables as their owner

CREATE FUNCTION read_as_owner(rel regclass, columns name[], date_column name DEFAULT NULL,
                              from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS SETOF record
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION read_as_owner(regclass, name[], name, date, date) IS 'The columns of a table or view, each cast to the type of the column definition list (FROM read_as_owner(''t'', ''{unit,amount}'') AS r(unit text, amount sek)), only the rows whose date_column lies in from_date .. to_date when one is given (a NULL bound: none). Read inside a security-restricted operation (search_path pg_catalog, pg_temp) as the table''s owner when the caller has the owner''s privileges (a superuser always has), else as the caller: code the owner wrote (a view, a type''s cast, a row-level security policy) never runs with more rights than the owner''s, and the caller reads nothing a plain SELECT would not give it. How the report functions read the tables they are given. A NULL relation or columns is ERROR 22004, a missing column 42703, a date_column not of type date 42804, bounds without a date_column or a column count other than the list''s 22023; an error while reading names the table and the role.';

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

-- the reports read through read_as_owner; functions with an EXCEPTION block
-- (a subtransaction) are PARALLEL UNSAFE

CREATE OR REPLACE FUNCTION follow_up_unit(unit text, annual sek, outcome sek, as_of date, method text, key text,
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

CREATE OR REPLACE FUNCTION follow_up_report(ledger_table regclass, budget_table regclass, as_of date,
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

CREATE OR REPLACE FUNCTION staffing_follow_up(staff_table regclass, budget_table regclass, as_of date,
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
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
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
  as_of := @extschema@.check_as_of(as_of, 'staffing_follow_up: as_of');
  -- (the year before as_of's is read too)
  IF as_of < '0002-01-01' THEN
    RAISE EXCEPTION 'staffing_follow_up: as_of must be a date from 0002-01-01 on, not %', as_of
      USING ERRCODE = '22008', HINT = 'Give the last day of the follow-up period, e.g. ''2023-08-31''.';
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
      ORDER BY month, unit LIMIT 1$q$,
      @extschema@.report_read_sql(staff_table, keys || month_column || kind_column || fte_column,
                                  format('%L, $1, $2', month_column)),
      unit_expr, month_column, kind_column, fte_column)
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
      FROM r ORDER BY unit NULLS LAST$q$,
      @extschema@.report_read_sql(budget_table, keys || budget_date_column || budget_fte_column || budget_cost_column,
                                  format('%L, $1, $2', budget_date_column)),
      @extschema@.report_read_sql(staff_table, keys || month_column || kind_column || fte_column || cost_column,
                                  format('%L, $4, $2', month_column)),
      unit_expr, key_expr, month_column, kind_column, fte_column,
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
COMMENT ON FUNCTION staffing_follow_up(regclass, regclass, date, text, name[], name, name, name, name, name, name, name) IS 'The staffing follow-up per unit (or per the key columns keys: unit is their values joined by " / ", key_values them as jsonb) and a total row (unit NULL, last), as of as_of: budgeted FTE (årsarbetare) and the average FTE of the year''s months so far (employed, temporary, hourly and consultants; their deviation budget − actual, positive when fewer than budgeted), each kind''s average FTE and the consultants'' share of the FTE in %; the personnel cost against its budget (budget in force, period budget in twelfths, outcome, deviation, consumption %, run-rate forecast and its deviation, in the given sign convention), the same period''s cost last year, consultants'', overtime and sick-pay cost, and the annual cost per employed FTE. staff_table needs columns (unit, month date, kind text, fte numeric, cost sek), one row per unit, month and kind: kind ''employed'' (tillsvidare), ''temporary'' (visstid), ''hourly'' (timavlönade) or ''consultant'' with their FTE and cost, ''overtime'' or ''sick_pay'' with cost only (fte NULL counts as 0); budget_table (unit, valid_from date, fte numeric, cost sek), one row per decision; other column names are given by month_column, kind_column, fte_column, cost_column, budget_date_column, budget_fte_column and budget_cost_column (an integer FTE column will do). Costs in ledger signs (positive). Reads its tables through read_as_owner: as the table''s owner when the caller has the owner''s rights (a superuser, the nightly job), else as the caller, in a security-restricted operation (never SECURITY DEFINER). Amounts and FTE are numeric. An unknown kind or an FTE outside 0..1 000 000 is ERROR 22023 naming the unit, month and value; a missing column 42703, a column of another type 42804, one the caller may not read 42501, a NULL table or column name or as_of 22004, an infinite as_of or one before 0002-01-01 22008, keys not 1 to 8 distinct names 22023.';

CREATE OR REPLACE FUNCTION volume_price_report(stays regclass, budget regclass, period daterange,
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
      FROM %1$s WHERE @extschema@.stay_overlaps(s.%4$I, $1) GROUP BY 1),
    b AS (
      SELECT b.%3$I::text AS category, CAST(b.%6$I AS pg_catalog.numeric) AS ppd,
             CAST(b.%7$I AS pg_catalog.numeric) AS cpd
      FROM %2$s),
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
    ORDER BY 1 NULLS LAST$q$,
    @extschema@.report_read_sql(stays, ARRAY[key_column, stay_column, cost_column], NULL, 's'),
    @extschema@.report_read_sql(budget, ARRAY[key_column, persons_column, price_column], NULL, 'b'),
    key_column, stay_column, cost_column, persons_column, price_column)
  USING period, annual_budget;
END
$fn$;
COMMENT ON FUNCTION volume_price_report(regclass, regclass, daterange, name, numeric, name, name, name, name) IS 'The volume × price table of external care (Delårsrapport 2 2023 §4.3.4) per category and a total row (category NULL, last): stays needs columns (key_column, stay daterange, daily_cost sek), budget (key_column, persons_per_day, cost_per_care_day) of any type castable to numeric, one row per category; stay_column, cost_column, persons_column and price_column name other columns. A missing column is ERROR 42703, a stay or cost column of another type 42804, one the caller may not read 42501, a NULL table or column name 22004, each naming the table and column. Each category is volume_price_deviation of its census over period; the total row sums the categories (its deviation, volume and price effects are their sums) and gives mix_effect, the part of its volume effect due to the mix: the categories'' volume effects minus (budget − actual care days in total) × the budget''s average price. annual_budget is compared with the assumptions in the total row. Reads its tables through read_as_owner: as the table''s owner when the caller has the owner''s rights (a superuser, the nightly job), else as the caller, in a security-restricted operation (never SECURITY DEFINER); a category of the stays without a budget row is ERROR 22023 naming it, other errors as volume_price_split and census. Amounts numeric (kronor, two decimals).';

CREATE OR REPLACE FUNCTION income_support_months(register regclass, from_date date DEFAULT NULL, until date DEFAULT NULL,
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
                    LIMIT 1$q$, household_column, month_column, amount_column,
                 @extschema@.report_read_sql(register, ARRAY[household_column, month_column, amount_column]))
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
    GROUP BY 1 ORDER BY 1$q$, household_column, month_column, amount_column,
    @extschema@.report_read_sql(register, ARRAY[household_column, month_column, amount_column],
                                format('%L, $1, $2', month_column)))
  USING date_trunc('month', from_date)::date, until;
END
$fn$;
COMMENT ON FUNCTION income_support_months(regclass, date, date, name, name, name) IS 'Income support (ekonomiskt bistånd) per month of the register: the first day of the month, the households paid (distinct households with a payment dated in the month), the total paid and the kronor per household (total ÷ households, two decimals). register needs household_column (any type; default household), month_column (date: the payment date or the month; default month) and amount_column (sek, numeric or an integer type, kronor; default amount; repayments may be negative rows). Payments dated from from_date''s month to until (NULL: no bound); a month without payments has no row. A NULL table or column name, or a payment with a NULL household, date or amount, is ERROR 22004; a missing column 42703, another type 42804, no SELECT privilege 42501; from_date after until 22023, an infinite bound 22008. Reads its tables through read_as_owner: as the table''s owner when the caller has the owner''s rights (a superuser, the nightly job), else as the caller, in a security-restricted operation (never SECURITY DEFINER). Amounts are numeric.';

CREATE OR REPLACE FUNCTION income_support_forecast(register regclass, as_of date, method text DEFAULT 'comb',
                                        household_column name DEFAULT 'household', month_column name DEFAULT 'month',
                                        amount_column name DEFAULT 'amount')
RETURNS TABLE (year integer, months integer, remaining integer, outcome numeric,
               households numeric, households_lo95 numeric, households_hi95 numeric,
               per_household numeric, per_household_lo95 numeric, per_household_hi95 numeric,
               remaining_cost numeric, forecast numeric, lo95 numeric, hi95 numeric,
               correlation numeric, models text)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
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
  as_of := @extschema@.check_as_of(as_of, 'income_support_forecast: as_of');
  IF as_of <> (date_trunc('month', as_of) + interval '1 month - 1 day')::date THEN
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
COMMENT ON FUNCTION income_support_forecast(regclass, date, text, name, name, name) IS 'Year-end forecast (helårsprognos) of income support over the register, as of as_of (the last day of a month with payments): the months up to as_of (income_support_months), a model of the households per month and one of the kronor per household by method (forecast_fit: ''comb'' by default, ''ets'', ''theta'', ''damped''), the correlation of their 12-month changes (income_support_correlation; a negative estimate is taken as 0, since in simulation the narrower interval it gives covered too little), and income_support_year_end: the year''s cost so far plus households × kronor per household for the rest of the year, with a 95 % interval of the product (log scale, correlation included; simulated coverage in docs/income_support.md). Columns as income_support_year_end''s; amounts numeric. A NULL as_of is ERROR 22004, an infinite one 22008; an as_of that is not a month end, or whose month has no payments, or a month whose total is not positive, is ERROR 22023; a NULL method 22004; too few months for the method (6, 24 for a seasonal model) as forecast_fit says; the register''s errors as income_support_months''. Reads its tables through read_as_owner: as the table''s owner when the caller has the owner''s rights (a superuser, the nightly job), else as the caller, in a security-restricted operation (never SECURITY DEFINER).';

CREATE OR REPLACE FUNCTION income_support_effect(register regclass, start date, as_of date, expected_per_year numeric DEFAULT NULL,
                                      counterfactual text DEFAULT 'forecast', method text DEFAULT 'comb',
                                      household_column name DEFAULT 'household', month_column name DEFAULT 'month',
                                      amount_column name DEFAULT 'amount')
RETURNS TABLE (month date, households numeric, counterfactual_households numeric, per_household numeric,
               counterfactual_per_household numeric, cost numeric, counterfactual_cost numeric, saving numeric,
               household_effect numeric, amount_effect numeric, expected numeric, realisation numeric)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
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
  as_of := @extschema@.check_as_of(as_of, 'income_support_effect: as_of');
  IF as_of <> (date_trunc('month', as_of) + interval '1 month - 1 day')::date OR as_of < start THEN
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
COMMENT ON FUNCTION income_support_effect(regclass, date, date, numeric, text, text, name, name, name) IS 'The follow-up of an income-support measure (Åtgärdsplan 2024–2026, Åtgärd 6 Ekonomiskt bistånd: checks of large decisions act on the kronor per household, preventive work through the labour-market unit on the households; 100 000 kr in 2024) per month from start (the first day of the measure''s first month) to as_of (a month end) and a total row (month NULL, last): households paid and kronor per household, actual and counterfactual, the cost and the counterfactual cost, saving = counterfactual − actual cost (positive when the measure saves), split as volume × price: household_effect = (counterfactual − actual households) × counterfactual kronor per household, amount_effect = (counterfactual − actual kronor per household) × actual households (saving = household_effect + amount_effect exactly); expected = expected_per_year spread over the calendar months (a whole year adds up to it) and realisation = saving ÷ expected in %. counterfactual ''forecast'' (default): each factor forecast by method (forecast_fit, default ''comb'') from the months before start; ''baseline'': the same calendar month of the twelve months before start. The total row is the sum of the months (households and kronor per household: their means). Register columns as income_support_months. A NULL as_of is ERROR 22004, an infinite one 22008; start not the first of a month, as_of not a month end or before start, more than 600 months, a negative expected_per_year, an unknown counterfactual, a month without payments among those needed, or a counterfactual forecast not positive is ERROR 22023; a NULL method 22004. Reads its tables through read_as_owner: as the table''s owner when the caller has the owner''s rights (a superuser, the nightly job), else as the caller, in a security-restricted operation (never SECURITY DEFINER). Amounts numeric.';

-- net_effect tells an overflow beforehand (no subtransaction: parallel safe)

CREATE OR REPLACE FUNCTION net_effect(cost_saved sek, own_cost sek, persons bigint) RETURNS net_effect_result
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

-- measure_link_check: one writer of a plan's links at a time
CREATE OR REPLACE FUNCTION measure_link_check() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  total numeric;
BEGIN
  -- links of one plan are checked one writer at a time: without the lock,
  -- two transactions adding A → B and B → A each see no cycle.  Under READ
  -- COMMITTED the queries below then see what the other writer committed.
  PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('actionplan.measure_link'), NEW.plan_id);
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
COMMENT ON FUNCTION measure_link_check() IS 'Trigger of measure_link: a link that closes a cycle of links, or overlaps of one measure adding up to more than 1, is ERROR 23514 naming the measures. Writers of one plan''s links wait for each other (a transaction-level advisory lock on the key (hashtext(''actionplan.measure_link''), plan_id)), so that concurrent links cannot close a cycle under READ COMMITTED; under SERIALIZABLE PostgreSQL itself refuses such a pair; REPEATABLE READ does not see the other''s link.';

-- refresh_forecasts takes a fit over when its input is unchanged (what the
-- fit saw: its md5, and when it was fitted, at the end of forecast_snapshot),
-- reads the keys' month profiles by a join, linear in the keys, and opens a
-- subtransaction only where it computes (the procedure itself is replaced
-- further down, with the parallel fits)
ALTER TABLE forecast_snapshot ADD COLUMN input_md5 text, ADD COLUMN fitted_as_of date;
COMMENT ON TABLE forecast_snapshot IS 'Year-end forecasts written by refresh_forecasts, and the office''s own (method ''office'', written by record_office_forecast, with recorded_by and comment): one row per ledger, key (the key columns'' values as jsonb), method and as_of, replaced when written again the same day (taken_on); amounts in the ledger''s signs; outcome is the year so far, forecast the expected year total, lo/hi its 95 % interval where the method has one; error says why a key''s forecast failed (forecast NULL). For the model methods (''ets'', ''comb''), input_md5 is the md5 of what the fit saw (the extension''s version, the method, the year and the key''s monthly series) and fitted_as_of the as_of of the refresh that fitted it: a later refresh whose input is the same takes the forecast over instead of fitting again. Row-level security: a role sees the rows of ledgers it may SELECT (of a ledger with row-level security of its own, only with the privileges of the ledger''s owner).';


-- Pending for the upgrade script from 0.1.0 (branch coverage, issue 19):
-- the forecast intervals are calibrated (docs/forecast_intervals.md); no
-- signature or name changes, only this COMMENT.  The type's stored form is
-- unchanged on disk (the factor sits in former padding; text and binary
-- forms gained an optional calib), so stored models need no
-- conversion.
COMMENT ON FUNCTION @extschema@.forecast(@extschema@.forecast_model, integer) IS 'Forecast the horizon months after the model''s last month: the first day of each month, the point forecast and 80 % and 95 % prediction intervals (analytic with t quantiles for additive errors, 4000 simulated paths from a fixed seed for multiplicative ones), widened by the model''s calibration factor (from refits on the series less its last 18 and 9 months: docs/forecast_intervals.md; none in models of 0.1.0). Horizon outside 1..600 is ERROR 22023.';

-- Pending for the next upgrade script (branch effbias, issue 19): fold into
-- actionplan--0.1.0--<next>.sql.  No object's name, signature or type
-- changes; stay_effect's default horizon changes in the C code (the shared
-- library), and its COMMENTs say what it now estimates.  stay_effect's
-- serialized state (parallel aggregation only) gets version 2: a backend
-- that loaded the 0.1.0 library before the new one was installed refuses
-- its new workers' states with 22P03 (reconnect after the upgrade).

COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date, integer) IS 'stay_effect with stay lengths counted up to a given horizon in days (1 .. 36525; NULL: the default, the median of as_of - start): estimates n_treated × (RMST_untreated(h) - RMST_treated(h)). A horizon beyond a group''s longest follow-up is ERROR 22023 unless that group''s curve has fallen to 0. Fix it in advance for reporting.';

-- its_effect (issue 19, item 2): no change of the result or its type; the
-- type's COMMENT says what a trend_df below 3 means and what to do.
COMMENT ON TYPE its_effect_result IS 'Result of its_effect: the intervention month, the series'' first and last months, observed months before and after, whether month-of-year effects were modelled, the AR(1) rho, residual df and sigma; the level change and trend change (per month) with standard errors and 95 % intervals; the trend before; the effect in the last month and summed over the months from the intervention to the last one, with 95 % confidence intervals (of the modelled effect, not prediction intervals). A trend_df below 3 is a warning: on a smooth series (e.g. persons per day, rho about 0,8, with 24 months after) the trend change''s interval still covers 95 % but is too wide to tell anything; report the level change (its df stays about 20), use a longer series (48 months before and 48 after: median trend_df about 4, a fifth of the width), or measure the stays by stay_effect (docs/effect_calibration.md).';

-- forecast_fit over a series gathered into arrays: fits in the workers of a
-- parallel scan
CREATE FUNCTION forecast_fit(months date[], "values" float8[], method text DEFAULT 'comb') RETURNS forecast_model
  AS 'MODULE_PATHNAME', 'forecast_fit_arrays' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100000;
COMMENT ON FUNCTION forecast_fit(date[], float8[], text) IS 'The model forecast_fit(period, value, method) fits, from a series gathered into two arrays of the same length (months[i] dated in the month of values[i]; a NULL element skipped, values of one month summed), e.g. a table of one row per key filled by array_agg. The fit runs in the workers of a parallel scan over such a table (the aggregate fits in the leader): SELECT key, forecast_fit(months, values, ''comb'') FROM series. NULL arrays or no observed month give NULL; arrays of different lengths or more than one dimension are ERROR 2202E, a NULL method 22004, an unknown method, a value that is not finite or a date that is not 22023, a series longer than the aggregate takes 54000.';

-- forecast_errors gives each forecast's 95 % interval and whether it held the
-- outcome, forecast_accuracy how often it did: new result columns, so both
-- are created anew (forecast_accuracy's body depends on forecast_errors)
DROP FUNCTION forecast_accuracy(integer);
DROP FUNCTION forecast_errors(regclass, integer, integer);
CREATE FUNCTION forecast_errors(of_ledger regclass DEFAULT NULL, year_from integer DEFAULT NULL, year_to integer DEFAULT NULL)
RETURNS TABLE (ledger regclass, key jsonb, method text, as_of date, months_before_end integer,
               forecast numeric, outcome numeric, error numeric, lo numeric, hi numeric, covered boolean)
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
        WITH ms AS (SELECT * FROM @extschema@.ledger_month_sums(l.ledger, l.date_column, l.amount_column, l.key_columns,
                                                               run_as, first_day, last_day)),
        -- a year is over for the ledger once it has entries in its December
        -- (or later): data whose present lies in the past (a copy, the
        -- demo) would else score a year against its first months only
        f AS (SELECT ms.key, extract(year FROM ms.month)::int AS y, @extschema@.sum(ms.amount) AS final
              FROM ms
              WHERE make_date(extract(year FROM ms.month)::int, 12, 1) <= (SELECT max(m.month) FROM ms m)
              GROUP BY 1, 2),
        -- of each key, method and as_of the newest row (the office's
        -- history: the last word it recorded for that as_of)
        s AS (SELECT DISTINCT ON (fs.key, fs.method, fs.as_of) fs.*
              FROM @extschema@.forecast_snapshot fs
              WHERE fs.ledger = l.ledger AND fs.forecast IS NOT NULL
              ORDER BY fs.key, fs.method, fs.as_of, fs.taken_at DESC)
        SELECT l.ledger, s.key, s.method, s.as_of, 12 - extract(month FROM s.as_of)::int,
               s.forecast::numeric, f.final::numeric, (s.forecast OPERATOR(@extschema@.-) f.final)::numeric,
               s.lo::numeric, s.hi::numeric,
               -- the interval's ends in either order: it is in the ledger's signs
               f.final::numeric BETWEEN SYMMETRIC s.lo::numeric AND s.hi::numeric
        FROM s JOIN f ON f.key = s.key AND f.y = extract(year FROM s.as_of)::int
        ORDER BY s.key, s.method, s.as_of;
    EXCEPTION WHEN OTHERS THEN
      RAISE WARNING 'forecast_errors: ledger % left out: %', l.ledger, SQLERRM;
    END;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION forecast_errors(regclass, integer, integer) IS 'Every past forecast against its year''s final outcome: for each registered ledger the caller may read (or only of_ledger), key, method (the models'' and ''office'') and as_of of an ended year (one before the current date''s in which the ledger has entries in December or later; optionally of year_from..year_to), the newest snapshot (newest taken_at) with months before year end (12 − the month of as_of), its forecast, the year''s final outcome read from the ledger and the error forecast − outcome (positive = too high), numeric kronor, and the snapshot''s 95 % interval lo..hi with covered = whether the outcome fell inside it (NULL for the methods without an interval: ''runrate'', ''profile'', ''office''). The ledger is read as its registrant when the caller has that role''s privileges, else with the caller''s own rights, in a security-restricted operation; a ledger that cannot be read is left out with a WARNING. Years outside 1..9999 or year_from after year_to: ERROR 22023. What forecast_accuracy and forecast_contest summarise.';

CREATE FUNCTION forecast_accuracy(year integer DEFAULT NULL)
RETURNS TABLE (ledger regclass, key jsonb, method text, months_before_end integer, n bigint,
               mean_error numeric, mean_abs_error numeric, mean_abs_pct numeric,
               interval_n bigint, interval_covered bigint, interval_coverage numeric)
LANGUAGE sql
BEGIN ATOMIC
  -- numeric out, so that every client driver reads a number; the means are
  -- the sek aggregate's (exact, rounded to öre)
  SELECT e.ledger, e.key, e.method, e.months_before_end, pg_catalog.count(*),
         @extschema@.avg(e.error::@extschema@.sek)::pg_catalog.numeric,
         @extschema@.avg(@extschema@.abs(e.error::@extschema@.sek))::pg_catalog.numeric,
         pg_catalog.avg(pg_catalog.abs(e.error OPERATOR(pg_catalog.*) 100)::pg_catalog.float8
                        OPERATOR(pg_catalog./) NULLIF(pg_catalog.abs(e.outcome OPERATOR(pg_catalog.*) 100), 0)::pg_catalog.float8
                        OPERATOR(pg_catalog.*) 100)::pg_catalog.numeric,
         -- did "95 %" hold in this office's own history?
         pg_catalog.count(e.covered),
         pg_catalog.count(*) FILTER (WHERE e.covered),
         pg_catalog.round(pg_catalog.count(*) FILTER (WHERE e.covered) OPERATOR(pg_catalog.*) 100.0
                          OPERATOR(pg_catalog./) NULLIF(pg_catalog.count(e.covered), 0), 1)
  FROM @extschema@.forecast_errors(NULL, forecast_accuracy.year, forecast_accuracy.year) e
  GROUP BY e.ledger, e.key, e.method, e.months_before_end
  ORDER BY e.ledger, e.key, e.method, e.months_before_end DESC;
END;
COMMENT ON FUNCTION forecast_accuracy(integer) IS 'Prognossäkerhet: for each registered ledger the caller may read, key and method (the models'' and the office''s own, ''office''), by months before year end (12 − the month of as_of), how far the newest snapshot forecasts were from the final year outcome of ended years (forecast_errors): n, mean signed error (forecast − outcome; positive = forecast too high), mean absolute error (numeric kronor, two decimals) and mean absolute error in % of the outcome (numeric); and how often the 95 % interval held: interval_n forecasts with an interval, interval_covered of them with the outcome inside it, interval_coverage = their share in % (one decimal; NULL for ''runrate'', ''profile'' and ''office'', which have no interval). Sum interval_covered and interval_n over keys for a method''s coverage at a month. Optionally one year only (outside 1..9999: ERROR 22023). The ledger is read as its registrant when the caller has that role''s privileges, else with the caller''s own rights, in a security-restricted operation; a ledger that cannot be read is left out with a WARNING.';

-- stay_effect's intervals: the small-sample factor m/(m-1) and t quantiles
-- (the C code changed; the comments say so)
COMMENT ON FUNCTION stay_effect_final(internal) IS 'stay_effect final: the Kaplan–Meier curve of each group, their restricted means up to tau with Greenwood-type variances (times m/(m-1), m the stays ended by tau), days and cost saved with 95 % t intervals.';
COMMENT ON AGGREGATE stay_effect(daterange, sek, boolean, date) IS 'Care days and cost saved by the treated stays against the untreated stays of the group, seen at as_of (open stays censored there, later stays left out). Estimates n_treated × (RMST_untreated(tau) - RMST_treated(tau)): the days the treated stays would have lasted, counted up to tau days of each stay, at the untreated stays'' lengths, less their own; days after tau are not counted. tau is the median of the stays'' follow-up as_of - start (both groups; taken from the start days, not the lengths, so that it does not bias the estimate), cut to a group''s longest length unless its curve has fallen to 0 there. 95 % t interval from the Greenwood-type variances (R survfit''s for rmean) times the small-sample factor m/(m-1), m a group''s stays ended by tau, with Welch–Satterthwaite degrees of freedom (Welch''s interval when no stay is open); cost at the treated stays'' mean daily cost. Assumes comparable groups: see stay_effect_result and docs/effect_calibration.md.';

-- placement_forecast: the inflow's trend (the C code changed; the comment says so)
COMMENT ON AGGREGATE placement_forecast(daterange, sek, date, date) IS 'Forecast of the care days and cost of placements on the days after as_of up to and including until, as known at as_of: each stay in care on as_of by its expected further days from the Kaplan–Meier curve of the group''s stays (given how long it has lasted) at its daily cost, plus new stays at the inflow''s level and trend on as_of from a local-level filter (a random walk with a drift that may walk too, their variances by likelihood) over the last twenty years'' arrivals in 30-day bins, back to a year without arrivals (with fewer than three years: the rate of the 12 months up to as_of and the shrunk trend of the yearly counts) times a season fitted to those arrivals beside their trend, at the trend of the last five years'' daily costs, lasting as the curve says; with a 95 % interval (exits, Poisson arrivals, the estimated level, inflow trend, cost trend and season, the curve, and the level''s random walk after as_of). Rows with a NULL argument are skipped; see placement_forecast_result.';

-- prefresh: refresh_forecasts fits the models in parallel workers (issue 20,
-- item 1): the series go through the unlogged fit_staging to fit_in_parallel;
-- the procedure is replaced (runrate, profile and the snapshot rows
-- set-based, subtransactions per key only after a failure).
-- The models' fits of a refresh run in parallel workers: a parallel scan
-- fits the rows it reads, but workers read neither temporary tables nor a
-- function's result, so the series go through a table of the extension's.
CREATE TYPE series_to_fit AS (id integer, method text, months date[], "values" float8[]);
COMMENT ON TYPE series_to_fit IS 'One series for fit_in_parallel: an id the caller gives back its result by, the forecast_fit method, and the monthly series as forecast_fit(months, values, method) takes it.';

CREATE UNLOGGED TABLE fit_staging (id integer, method text, months date[], "values" float8[]);
-- A row is a fit of a millisecond or more, not a few bytes to scan: the
-- scan may have as many workers as max_parallel_workers_per_gather allows,
-- whatever the table's size (the costs still decide whether to).  The
-- planner estimates its rows from its pages and pg_class's density: an
-- ANALYZE would record the density of a table whose rows are never live to
-- another transaction (0), and every scan would be planned for one row,
-- serially.  So autovacuum never analyzes it; its vacuum removes the dead
-- rows and truncates the table, after which the density comes from the
-- column types again.
ALTER TABLE fit_staging SET (parallel_workers = 64, autovacuum_analyze_threshold = 2147483647);
-- no privileges but the owner's, and row-level security without a policy:
-- only fit_in_parallel (SECURITY DEFINER, the owner) reads or writes it
REVOKE ALL ON fit_staging FROM PUBLIC;
ALTER TABLE fit_staging ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE fit_staging IS 'Series of ledgers'' keys on their way to a parallel fit (fit_in_parallel), confidential like the ledgers: no role but the extension''s owner may read or write it (no grants, row-level security without a policy), unlogged (nothing is written to the WAL, and a crash empties it), and empty between calls: fit_in_parallel deletes its rows before it returns, and on an error its transaction''s rollback removes them. Rows are never committed, so no other transaction ever sees them.';

CREATE FUNCTION fit_in_parallel(series series_to_fit[], year integer)
RETURNS TABLE (id integer, point float8, lo95 float8, hi95 float8)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  IF series IS NULL OR year IS NULL THEN
    RAISE EXCEPTION 'fit_in_parallel needs the series and a year' USING ERRCODE = '22004';
  END IF;
  INSERT INTO @extschema@.fit_staging (id, method, months, "values")
  SELECT s.id, s.method, s.months, s."values" FROM unnest(series) s;
  -- the fit is the scan's output, so a parallel plan fits in its workers
  -- (OFFSET 0 keeps it there: the columns are taken apart above the Gather)
  -- (EXECUTE: planned for the rows now in the table, not reusing a plan
  -- made for an earlier call's few)
  RETURN QUERY EXECUTE
    'SELECT f.id, (f.ye).point, (f.ye).lo95, (f.ye).hi95
     FROM (SELECT st.id, @extschema@.year_end(@extschema@.forecast_fit(st.months, st."values", st.method), $1) AS ye
           FROM @extschema@.fit_staging st OFFSET 0) f'
    USING year;
  -- the rows were the caller's alone (never committed, so invisible to any
  -- other transaction) and go now; on an error the rollback removes them
  DELETE FROM @extschema@.fit_staging;
END
$fn$;
COMMENT ON FUNCTION fit_in_parallel(series_to_fit[], integer) IS 'The year-end forecasts of many series at once: per element, year_end(forecast_fit(months, values, method), year) as (id, point, lo95, hi95), NULL where forecast_fit gives no model, fitted by the workers of one parallel scan when the planner''s settings allow (max_parallel_workers_per_gather). The series pass through fit_staging, which only this function (SECURITY DEFINER: the extension''s owner) touches and which it leaves empty. Any series that cannot be fitted fails the whole call with forecast_fit''s or year_end''s error; NULL series or year is ERROR 22004. What refresh_forecasts fits with.';

-- refresh_forecasts: when a statement over all of a ledger's keys fails, it
-- goes on over windows of keys, and only a key that fails alone goes the
-- slow way; forecast_ledger.last_slow_keys says how many did
ALTER TABLE forecast_ledger ADD COLUMN last_slow_keys integer;
COMMENT ON TABLE forecast_ledger IS 'Ledgers registered with register_ledger: refresh_forecasts forecasts each of them per value of its key columns, reading the ledger with the rights of registered_by (the role that registered it). last_refresh and last_error tell how the ledger''s last refresh went (last_error NULL: well), last_slow_keys how many of its keys went the slow way, a subtransaction per forecast, because they failed alone (0: all set-based; NULL: never refreshed, or the ledger failed). Row-level security: a role sees the registrations of roles it has the privileges of and of ledgers it may read, and changes only the former.';

CREATE OR REPLACE PROCEDURE refresh_forecasts(as_of date DEFAULT current_date - 1)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  l record;
  m text;
  i int;
  j int;
  k int;
  -- the window of keys a .. b (at most w keys) a step works on
  step int;
  a int;
  b int;
  w int;
  alone boolean;
  r record;
  ys date;
  yr int;
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
  n_reused int := 0;
  n_slow int;
  version text := (SELECT extversion FROM pg_extension WHERE extname = 'actionplan');
  -- the ledger's keys in key order: key i's outcome, profile (its twelve
  -- months as the values of profiles[i]) and monthly series, read by
  -- unnest ... WITH ORDINALITY (of a window's slice), not key by key by
  -- subscript
  keys jsonb[];
  outcomes @extschema@.sek[];
  profiles @extschema@.series_to_fit[];
  series @extschema@.series_to_fit[];
  -- the forecasts: runrate and profile by key, the models by key and model
  -- at 2 * i - 1 (ets) and 2 * i (comb)
  rrs @extschema@.sek[];
  prs @extschema@.sek[];
  rr_errs text[];
  pr_errs text[];
  inputs text[];
  mfcs @extschema@.sek[];
  mlos @extschema@.sek[];
  mhis @extschema@.sek[];
  merrs text[];
  fitteds date[];
  to_fit @extschema@.series_to_fit[];
  fit_ids int[];
  fit_fcs @extschema@.sek[];
  fit_los @extschema@.sek[];
  fit_his @extschema@.sek[];
  -- a window's results, and a key alone's outcome and profile
  w_rrs @extschema@.sek[];
  w_prs @extschema@.sek[];
  w_fit @extschema@.series_to_fit[];
  one_outcome @extschema@.sek;
  one_pm float8[];
  todo date[];
  -- the keys that went the slow way
  slow boolean[];
BEGIN
  as_of := @extschema@.check_as_of(as_of, 'refresh_forecasts: as_of');
  ys := make_date(extract(year FROM as_of)::int, 1, 1);
  yr := extract(year FROM as_of)::int;
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
      -- (the keys are numbered once in key order, kid, and everything after
      -- groups and sorts by that number: sorting by the jsonb key, as each
      -- step did, was half of a refresh's time)
      WITH s0 AS (SELECT * FROM @extschema@.ledger_month_sums(l.ledger, l.date_column, l.amount_column,
                                                              l.key_columns, run_as, series_start, as_of)),
      kid AS (SELECT u.key, u.kid FROM unnest(ARRAY(SELECT DISTINCT s0.key FROM s0 ORDER BY 1)) WITH ORDINALITY u(key, kid)),
      s AS (SELECT kid.kid, s0.month, s0.amount FROM s0 JOIN kid ON kid.key = s0.key),
      p AS (SELECT s.kid, extract(month FROM s.month)::int AS mon, sum(@extschema@.sek_ore(s.amount))::float8 AS v
            FROM s WHERE s.month < ys AND s.month >= (ys - interval '3 years')::date GROUP BY 1, 2),
      -- the twelve months of every key by a join, not a subquery per key
      -- (that would scan all keys' sums once for each key)
      pm AS (SELECT k.kid, array_agg(coalesce(p.v, 0) ORDER BY g) AS months
             FROM kid k CROSS JOIN generate_series(1, 12) g
             LEFT JOIN p ON p.kid = k.kid AND p.mon = g GROUP BY k.kid),
      a AS (SELECT s.kid,
                   coalesce(@extschema@.sum(s.amount) FILTER (WHERE s.month >= ys), '0'::@extschema@.sek) AS outcome,
                   array_agg(s.month ORDER BY s.month) FILTER (WHERE s.month < series_end) AS series_months,
                   array_agg(@extschema@.sek_ore(s.amount)::float8 / 100 ORDER BY s.month)
                     FILTER (WHERE s.month < series_end) AS series
            FROM s GROUP BY s.kid)
      SELECT array_agg(k.key ORDER BY a.kid), array_agg(a.outcome ORDER BY a.kid),
             array_agg(ROW(NULL, NULL, NULL, pm.months)::@extschema@.series_to_fit ORDER BY a.kid),
             array_agg(ROW(NULL, NULL, a.series_months, a.series)::@extschema@.series_to_fit ORDER BY a.kid)
      INTO keys, outcomes, profiles, series
      FROM a JOIN pm ON pm.kid = a.kid JOIN kid k ON k.kid = a.kid;
      k := coalesce(cardinality(keys), 0);

      -- the models: a fit is a function of its input, so a key and model
      -- whose input is that of an earlier refresh's fit (no entry in the
      -- months read was added, changed or removed since) takes that fit's
      -- forecast over instead of fitting again
      SELECT array_agg(x.input ORDER BY x.j), array_agg(pv.forecast ORDER BY x.j), array_agg(pv.lo ORDER BY x.j),
             array_agg(pv.hi ORDER BY x.j), array_agg(pv.fitted_as_of ORDER BY x.j), count(pv.fitted_as_of)
      INTO inputs, mfcs, mlos, mhis, fitteds, j
      -- the arrays are read by unnest, never by subscript: keys[i] of an
      -- array of variable-length elements walks from its start (quadratic
      -- in the keys)
      FROM (SELECT 2 * s.i - 2 + mm.o AS j, s.key, mm.method,
                   md5(format('%s|%s|%s|%s|%s', version, mm.method, yr, s.months, s."values")) AS input
            FROM unnest(keys, series) WITH ORDINALITY s(key, id, method, months, "values", i)
            CROSS JOIN (VALUES (1, 'ets'), (2, 'comb')) mm(o, method)) x
      LEFT JOIN LATERAL (SELECT fs.forecast, fs.lo, fs.hi, fs.fitted_as_of
                         FROM @extschema@.forecast_snapshot fs
                         WHERE fs.ledger = l.ledger AND fs.key = x.key AND fs.method = x.method AND fs.input_md5 = x.input
                           AND fs.error IS NULL AND fs.fitted_as_of IS NOT NULL
                         ORDER BY fs.as_of DESC, fs.taken_on DESC LIMIT 1) pv ON true;
      n_reused := n_reused + coalesce(j, 0);
      n_ok := n_ok + coalesce(j, 0);
      merrs := array_fill(NULL::text, ARRAY[2 * k]);
      -- the rest are fitted in parallel scans (fit_in_parallel): all but the
      -- series with fewer observed months than a fit needs (forecast.c's
      -- MIN_OBS), which the slow way below fails with forecast_fit's message
      to_fit := ARRAY(SELECT ROW(2 * s.i - 2 + mm.o, mm.method, s.months, s."values")::@extschema@.series_to_fit
                      FROM unnest(series) WITH ORDINALITY s(id, method, months, "values", i)
                      CROSS JOIN (VALUES (1, 'ets'), (2, 'comb')) mm(o, method)
                      WHERE fitteds[2 * s.i - 2 + mm.o] IS NULL AND cardinality(s.months) >= 6);
      rrs := '{}'; prs := '{}';
      rr_errs := array_fill(NULL::text, ARRAY[k]); pr_errs := rr_errs;
      slow := array_fill(false, ARRAY[k]);

      -- Three steps, each set-based over windows of keys in key order:
      -- 1 runrate and profile, 2 the models' fits, 3 the snapshot rows.  The
      -- first window is every key; a window that fails is halved (to at most
      -- 64 keys), one that succeeds lets the next grow again up to 64, and
      -- only a key that fails alone goes the slow way, one subtransaction per
      -- forecast (each keeps its memory until the refresh's transaction
      -- ends), its failures written down on it.  So one bad key among
      -- thousands costs a statement per 64 keys and a dozen more (the
      -- halving down to it, the growing after it), not a subtransaction a
      -- key.
      FOR step IN 1 .. 3 LOOP
        a := 1;
        w := k;
        WHILE a <= k LOOP
          b := least(k, a + w - 1);
          alone := false;
          BEGIN
            IF step = 1 THEN
              SELECT array_agg(@extschema@.forecast_runrate(u.outcome, as_of) ORDER BY u.i),
                     array_agg(@extschema@.forecast_profile(u.outcome, as_of,
                                 CASE WHEN u.pm = array_fill(0::float8, ARRAY[12]) THEN array_fill(1::float8, ARRAY[12]) ELSE u.pm END)
                               ORDER BY u.i)
              INTO w_rrs, w_prs
              -- unnest of several arrays spreads a composite element into its
              -- columns: a profile's are id, method, months and values; the
              -- window is a slice (a copy of its elements), not a scan of
              -- every key's
              FROM unnest(outcomes[a:b], profiles[a:b]) WITH ORDINALITY u(outcome, p_id, p_method, p_months, pm, i);
              rrs := rrs || w_rrs; prs := prs || w_prs;
              n_ok := n_ok + 2 * (b - a + 1);
            ELSIF step = 2 THEN
              w_fit := ARRAY(SELECT t FROM unnest(to_fit) t WHERE t.id BETWEEN 2 * a - 1 AND 2 * b);
              IF cardinality(w_fit) > 0 THEN
                SELECT array_agg(f.id), array_agg(f.point::@extschema@.sek), array_agg(f.lo95::@extschema@.sek),
                       array_agg(f.hi95::@extschema@.sek)
                INTO fit_ids, fit_fcs, fit_los, fit_his
                FROM @extschema@.fit_in_parallel(w_fit, yr) f WHERE f.point IS NOT NULL;
                FOR i IN 1 .. coalesce(cardinality(fit_ids), 0) LOOP
                  mfcs[fit_ids[i]] := fit_fcs[i]; mlos[fit_ids[i]] := fit_los[i]; mhis[fit_ids[i]] := fit_his[i];
                  fitteds[fit_ids[i]] := as_of;
                  n_ok := n_ok + 1;
                END LOOP;
              END IF;
            ELSE
              INSERT INTO @extschema@.forecast_snapshot (taken_on, ledger, as_of, key, method, outcome, forecast, lo, hi, error,
                                                         input_md5, fitted_as_of)
              SELECT current_date, l.ledger, refresh_forecasts.as_of, g.key, mm.method, g.outcome,
                     CASE mm.o WHEN 1 THEN g.rr WHEN 2 THEN g.pr ELSE md.fc END,
                     md.lo, md.hi,
                     CASE mm.o WHEN 1 THEN g.rr_err WHEN 2 THEN g.pr_err ELSE md.err END,
                     md.input, md.fitted
              -- (n and j count from the window's start: key a, its ets at 2a - 1)
              FROM unnest(keys[a:b], outcomes[a:b], rrs[a:b], prs[a:b], rr_errs[a:b], pr_errs[a:b])
                     WITH ORDINALITY g(key, outcome, rr, pr, rr_err, pr_err, n)
              CROSS JOIN (VALUES (1, 'runrate'), (2, 'profile'), (3, 'ets'), (4, 'comb')) mm(o, method)
              LEFT JOIN unnest(mfcs[2 * a - 1:2 * b], mlos[2 * a - 1:2 * b], mhis[2 * a - 1:2 * b], merrs[2 * a - 1:2 * b],
                               inputs[2 * a - 1:2 * b], fitteds[2 * a - 1:2 * b]) WITH ORDINALITY md(fc, lo, hi, err, input, fitted, j)
                ON mm.o > 2 AND md.j = 2 * g.n + mm.o - 4
              ORDER BY g.n, mm.o
              ON CONFLICT ON CONSTRAINT forecast_snapshot_pkey DO UPDATE
                SET taken_at = now(), outcome = EXCLUDED.outcome, forecast = EXCLUDED.forecast,
                    lo = EXCLUDED.lo, hi = EXCLUDED.hi, error = EXCLUDED.error,
                    input_md5 = EXCLUDED.input_md5, fitted_as_of = EXCLUDED.fitted_as_of;
            END IF;
            a := b + 1;
            w := least(64, 2 * w);
          EXCEPTION WHEN OTHERS THEN
            -- (nothing of the window is kept: every variable above is
            -- assigned only after its statement succeeded)
            IF b > a THEN
              w := least(64, (b - a + 2) / 2);
            ELSE
              alone := true;
              err := SQLERRM;
            END IF;
          END;
          CONTINUE WHEN NOT alone;
          -- key a failed alone: the slow way
          slow[a] := true;
          IF step = 1 THEN
            SELECT u.outcome, CASE WHEN u.pm = array_fill(0::float8, ARRAY[12]) THEN array_fill(1::float8, ARRAY[12]) ELSE u.pm END
            INTO one_outcome, one_pm
            FROM unnest(outcomes[a:a], profiles[a:a]) u(outcome, p_id, p_method, p_months, pm);
            FOREACH m IN ARRAY ARRAY['runrate', 'profile'] LOOP
              fc := NULL;
              BEGIN
                fc := CASE m WHEN 'runrate' THEN @extschema@.forecast_runrate(one_outcome, as_of)
                             ELSE @extschema@.forecast_profile(one_outcome, as_of, one_pm) END;
                n_ok := n_ok + 1;
              EXCEPTION WHEN OTHERS THEN
                IF m = 'runrate' THEN rr_errs[a] := SQLERRM; ELSE pr_errs[a] := SQLERRM; END IF;
                n_failed := n_failed + 1;
              END;
              IF m = 'runrate' THEN rrs := array_append(rrs, fc); ELSE prs := array_append(prs, fc); END IF;
            END LOOP;
          ELSIF step = 3 THEN
            -- a key that cannot be stored (say one too long for the index)
            -- is written down on the ledger
            n_failed := n_failed + 4;
            key_err := format('key %s not written: %s',
                              (SELECT left(g.key::text, 200) FROM unnest(keys[a:a]) g(key)), err);
          END IF;
          -- (step 2: its models are fitted one by one below)
          a := a + 1;
        END LOOP;
        CONTINUE WHEN step <> 2;
        -- what is neither taken over nor fitted above: one by one, each in a
        -- subtransaction, so that one key's failure (say a history with
        -- refunds larger than costs in some month, or too short a series for
        -- a model) is written down on it and does not stop the others
        todo := fitteds;
        FOR r IN SELECT s.i, 2 * s.i - 2 + mm.o AS j, mm.method, s.months, s."values"
                 FROM unnest(series) WITH ORDINALITY s(id, method, months, "values", i)
                 CROSS JOIN (VALUES (1, 'ets'), (2, 'comb')) mm(o, method)
                 WHERE todo[2 * s.i - 2 + mm.o] IS NULL
                 ORDER BY 2 LOOP
          slow[r.i] := true;
          BEGIN
            SELECT ye.point::@extschema@.sek, ye.lo95::@extschema@.sek, ye.hi95::@extschema@.sek INTO fc, lo, hi
            FROM @extschema@.year_end(@extschema@.forecast_fit(r.months, r."values", r.method), yr) ye;
            IF fc IS NULL THEN
              RAISE EXCEPTION 'no complete month with entries in the 60 months before %', as_of
                USING ERRCODE = '22023';
            END IF;
            mfcs[r.j] := fc; mlos[r.j] := lo; mhis[r.j] := hi; fitteds[r.j] := as_of;
            n_ok := n_ok + 1;
          EXCEPTION WHEN OTHERS THEN
            merrs[r.j] := SQLERRM;
            inputs[r.j] := NULL;
            n_failed := n_failed + 1;
          END;
        END LOOP;
      END LOOP;
      n_slow := (SELECT count(*) FROM unnest(slow) s WHERE s);
      IF n_slow > 0 THEN
        RAISE NOTICE 'refresh_forecasts: ledger %: % of % keys went the slow way (a subtransaction a forecast)', l.ledger, n_slow, k;
      ELSE
        RAISE DEBUG 'refresh_forecasts: ledger %: all % keys set-based', l.ledger, k;
      END IF;
      UPDATE @extschema@.forecast_ledger SET last_refresh = now(), last_error = key_err, last_slow_keys = n_slow
      WHERE ledger = l.ledger AND date_column = l.date_column AND amount_column = l.amount_column
        AND key_columns = l.key_columns;
    EXCEPTION WHEN OTHERS THEN
      -- the ledger as a whole failed (it cannot be read, a column changed,
      -- its owner's code raised): written down; the other ledgers go on
      err := SQLERRM;
      n_ledgers_failed := n_ledgers_failed + 1;
      RAISE WARNING 'refresh_forecasts: ledger % failed: %', l.ledger, err;
      BEGIN
        UPDATE @extschema@.forecast_ledger SET last_refresh = now(), last_error = err, last_slow_keys = NULL
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
  RAISE NOTICE 'refresh_forecasts: % forecasts written (% model fits taken over, their input unchanged), % failed; % ledger(s) failed, % skipped (registered by roles the caller does not act as)',
    n_ok, n_reused, n_failed, n_ledgers_failed, n_skipped;
END
$fn$;
COMMENT ON PROCEDURE refresh_forecasts(date) IS 'The nightly job (pg_cron: CALL refresh_forecasts()): for every registered ledger and key, the year-end forecast as of as_of (default yesterday) by each method (''runrate''; ''profile'' by the key''s last three years'' monthly pattern; ''ets'' and ''comb'': forecast_fit models of the key''s 60 complete months before as_of''s month end, year_end with its 95 % interval in lo/hi; a key whose monthly series, year and method are those of an earlier snapshot''s fit takes that fit over: see forecast_snapshot.input_md5) into forecast_snapshot. Each ledger is read with the rights of the role that registered it, in a security-restricted operation (ledger_month_sums); a caller that is not a superuser refreshes only the ledgers registered by roles it has the privileges of. The models are fitted in one parallel scan per ledger (fit_in_parallel: its workers fit when max_parallel_workers_per_gather allows), the rest set-based; when a statement over all keys fails, again over windows of at most 64 keys (a failing window halved, a good one letting the next grow again), so that only a key that fails alone goes the slow way, a subtransaction per forecast (how many: forecast_ledger.last_slow_keys, and a NOTICE). A NULL as_of is ERROR 22004, an infinite one or one outside the years 0001–9999 22008. Idempotent for a day; a failing key gets a row with its error, a failing ledger its error in forecast_ledger.last_error (and a WARNING), and the others go on.';

-- check_as_of: one check of an as_of argument, the same SQLSTATEs everywhere
-- (22004 NULL, 22008 infinite or outside 0001-9999); used by
-- follow_up_report, staffing_follow_up, income_support_forecast and
-- income_support_effect (replaced above, as is refresh_forecasts), and by
-- plan_args and check_forecast_args here
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
CREATE OR REPLACE FUNCTION plan_args(fn text, plan integer, as_of date) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
  as_of := @extschema@.check_as_of(as_of, fn || ': as_of');
  IF plan IS NOT NULL AND NOT EXISTS (SELECT FROM @extschema@.action_plan p WHERE p.plan_id = plan) THEN
    RAISE EXCEPTION '%: there is no action plan %', fn, plan USING ERRCODE = '22023',
      HINT = 'Give a plan_id of action_plan, or NULL for every plan.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION plan_args(text, integer, date) IS 'Internal to plan_totals, measure_progress, measures_behind_schedule and plan_check: as_of NULL is ERROR 22004, an infinite as_of 22008, a plan that is not in action_plan 22023, each message naming the function and the value.';
CREATE OR REPLACE FUNCTION check_forecast_args(ledger regclass, as_of date, method text, methods text[]) RETURNS void
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
  as_of := @extschema@.check_as_of(as_of, 'as_of');
  IF method IS NULL OR NOT method = ANY (methods) THEN
    RAISE EXCEPTION 'method must be one of %, not %', array_to_string(methods, ', '), coalesce(quote_literal(method), 'NULL')
      USING ERRCODE = '22023', HINT = 'comb is the official forecast, office the office''s own.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION check_forecast_args(regclass, date, text, text[]) IS 'Checks the arguments of the office-forecast functions: a NULL ledger is ERROR 22004, a ledger the caller may not read (ledger_readable) 42501, one not registered with register_ledger 42704 (with a hint), a NULL as_of 22004, an infinite or out-of-range one 22008 (check_as_of), a method not among methods 22023.';
COMMENT ON FUNCTION forecast_change(regclass, date, text) IS 'The monthly report''s pairs "this month''s forecast (last month''s)": per key of the ledger, the newest forecast of the method (default ''comb'', the official one; or ''office'', the office''s own, or another model) made in as_of''s month up to as_of (as_of, forecast), the newest made the month before (prev_as_of, prev_forecast; none in January: December forecast another year) and change = forecast − prev_forecast, numeric kronor in the ledger''s signs (NULL where either is missing). Reads forecast_snapshot with the caller''s rights. A ledger the caller may not read is ERROR 42501, one not registered 42704, a NULL as_of 22004, an infinite one 22008, an unknown method 22023.';
COMMENT ON AGGREGATE stay_survival(daterange, date) IS 'Survival curve of stay lengths seen at as_of: a stay ended by as_of is an event at end - start care days, one still open is censored at as_of - start; stays starting after as_of and empty ranges are left out, rows with a NULL stay or as_of skipped (NULL if all are); no start date or differing as_of values are ERROR 22023, an infinite as_of 22008. Memory grows with the longest stay, not with the rows.';
