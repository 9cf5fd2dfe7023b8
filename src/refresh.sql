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
  last_slow_keys integer,
  PRIMARY KEY (ledger, date_column, amount_column, key_columns));
COMMENT ON TABLE forecast_ledger IS 'Ledgers registered with register_ledger: refresh_forecasts forecasts each of them per value of its key columns, reading the ledger with the rights of registered_by (the role that registered it). last_refresh and last_error tell how the ledger''s last refresh went (last_error NULL: well), last_slow_keys how many of its keys went the slow way, a subtransaction per forecast, because they failed alone (0: all set-based; NULL: never refreshed, or the ledger failed). Row-level security: a role sees the registrations of roles it has the privileges of and of ledgers it may read, and changes only the former.';
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
  input_md5 text,
  fitted_as_of date,
  PRIMARY KEY (ledger, key, method, as_of, taken_on),
  -- only the office's rows name who recorded them (record_office_forecast
  -- always does; a superuser's direct INSERT may not)
  CONSTRAINT forecast_snapshot_recorded_by CHECK (recorded_by IS NULL OR method OPERATOR(pg_catalog.=) 'office'));
COMMENT ON TABLE forecast_snapshot IS 'Year-end forecasts written by refresh_forecasts, and the office''s own (method ''office'', written by record_office_forecast, with recorded_by and comment): one row per ledger, key (the key columns'' values as jsonb), method and as_of, replaced when written again the same day (taken_on); amounts in the ledger''s signs; outcome is the year so far, forecast the expected year total, lo/hi its 95 % interval where the method has one; error says why a key''s forecast failed (forecast NULL). For the model methods (''ets'', ''comb''), input_md5 is the md5 of what the fit saw (the extension''s version, the method, the year and the key''s monthly series) and fitted_as_of the as_of of the refresh that fitted it: a later refresh whose input is the same takes the forecast over instead of fitting again. Row-level security: a role sees the rows of ledgers it may SELECT (of a ledger with row-level security of its own, only with the privileges of the ledger''s owner).';
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

CREATE FUNCTION read_as_owner(rel regclass, columns name[], date_column name DEFAULT NULL,
                              from_date date DEFAULT NULL, to_date date DEFAULT NULL)
RETURNS SETOF record
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION read_as_owner(regclass, name[], name, date, date) IS 'The columns of a table or view, each cast to the type of the column definition list (FROM read_as_owner(''t'', ''{unit,amount}'') AS r(unit text, amount sek)), only the rows whose date_column lies in from_date .. to_date when one is given (a NULL bound: none). Read inside a security-restricted operation (search_path pg_catalog, pg_temp) as the table''s owner when the caller has the owner''s privileges (a superuser always has), else as the caller: code the owner wrote (a view, a type''s cast, a row-level security policy) never runs with more rights than the owner''s, and the caller reads nothing a plain SELECT would not give it. How the report functions read the tables they are given. A NULL relation or columns is ERROR 22004, a missing column 42703, a date_column not of type date 42804, bounds without a date_column or a column count other than the list''s 22023; an error while reading names the table and the role.';

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

CREATE PROCEDURE refresh_forecasts(as_of date DEFAULT current_date - 1)
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
  as_of := @extschema@.check_as_of(as_of, 'as_of');
  IF method IS NULL OR NOT method = ANY (methods) THEN
    RAISE EXCEPTION 'method must be one of %, not %', array_to_string(methods, ', '), coalesce(quote_literal(method), 'NULL')
      USING ERRCODE = '22023', HINT = 'comb is the official forecast, office the office''s own.';
  END IF;
END
$fn$;
COMMENT ON FUNCTION check_forecast_args(regclass, date, text, text[]) IS 'Checks the arguments of the office-forecast functions: a NULL ledger is ERROR 22004, a ledger the caller may not read (ledger_readable) 42501, one not registered with register_ledger 42704 (with a hint), a NULL as_of 22004, an infinite or out-of-range one 22008 (check_as_of), a method not among methods 22023.';

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
COMMENT ON FUNCTION forecast_change(regclass, date, text) IS 'The monthly report''s pairs "this month''s forecast (last month''s)": per key of the ledger, the newest forecast of the method (default ''comb'', the official one; or ''office'', the office''s own, or another model) made in as_of''s month up to as_of (as_of, forecast), the newest made the month before (prev_as_of, prev_forecast; none in January: December forecast another year) and change = forecast − prev_forecast, numeric kronor in the ledger''s signs (NULL where either is missing). Reads forecast_snapshot with the caller''s rights. A ledger the caller may not read is ERROR 42501, one not registered 42704, a NULL as_of 22004, an infinite one 22008, an unknown method 22023.';

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
