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
