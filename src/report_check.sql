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
