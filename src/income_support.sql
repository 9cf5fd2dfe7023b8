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

-- A measure's follow-up in the two factors: the actual months against a
-- counterfactual, the difference split like volume × price.
CREATE FUNCTION income_support_effect(register regclass, start date, as_of date, expected_per_year numeric DEFAULT NULL,
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
