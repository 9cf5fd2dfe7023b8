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
  as_of := @extschema@.check_as_of(as_of, fn || ': as_of');
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
