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
