-- Issue 13, finding 2: a hostile public schema captures no call.  public is
-- made writable by everyone (a database upgraded from PostgreSQL 14), and an
-- ordinary role plants in it, for every built-in function, aggregate and
-- operator the extension's SQL and PL/pgSQL bodies use (names extracted from
-- the catalog), overloads that would win if resolution reached public: the
-- built-in's own signature, closer ones (varchar, name, int2, float4, …, an
-- exact type for each polymorphic argument) and anyelement.  Each records in
-- ap_log (and by nextval, which no rollback undoes) that it ran, as whom.
-- Then every SQL and PL/pgSQL entry point (and view) of the extension runs as superuser
-- with the default search_path and with public first, and as an ordinary role
-- likewise: nothing planted may run, and every result must equal the one
-- computed before the planting.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(15);

-- ---------- fixtures (as superuser) ----------
CREATE ROLE ap_attacker NOLOGIN;
CREATE ROLE ap_user NOLOGIN;
GRANT CREATE ON SCHEMA public TO PUBLIC;   -- PostgreSQL 14-style public

CREATE SEQUENCE public.ap_hits;
CREATE TABLE public.ap_log (id bigint, what text, who name, sess name);
GRANT USAGE ON SEQUENCE public.ap_hits TO PUBLIC;
GRANT INSERT ON public.ap_log TO PUBLIC;

-- a ledger owned by a controller, who registers it in the superuser's runs
-- (a superuser may not register a ledger)
CREATE ROLE ap_owner NOLOGIN;
GRANT INSERT ON forecast_ledger TO ap_owner;
CREATE TABLE public.ap_gl (day date, unit text, amt sek);
INSERT INTO public.ap_gl
SELECT d::date, u, ((1000 + extract(month FROM d)::int * 10 + length(u) * 7)::text || ' kr')::sek
FROM generate_series(DATE '2020-01-01', DATE '2023-08-31', interval '1 day') d, unnest(ARRAY['a', 'bb']) u;
ALTER TABLE public.ap_gl OWNER TO ap_owner;
-- follow_up_report's two tables
CREATE TABLE public.ap_led (entry_date date, unit text, amount sek);
INSERT INTO public.ap_led
SELECT d::date, u, ((u * 10000 + extract(month FROM d)::int * 100)::text || ' kr')::sek
FROM generate_series(DATE '2019-01-01', DATE '2023-08-31', interval '7 days') d, generate_series(1, 3) u;
CREATE TABLE public.ap_bud (unit text, valid_from date, amount sek);
INSERT INTO public.ap_bud VALUES ('1', '2023-01-01', '600 tkr'), ('2', '2023-01-01', '1 mnkr'),
  ('3', '2023-01-01', '1,6 mnkr'), ('1', '2022-01-01', '500 tkr');
-- staffing_follow_up's two tables
CREATE TABLE public.ap_staff (unit text, month date, kind text, fte numeric, cost sek);
INSERT INTO public.ap_staff
SELECT u, m::date, k, CASE WHEN k = 'overtime' THEN NULL ELSE 3 + u END, ((u * 30000 + extract(month FROM m)::int * 100)::text || ' kr')::sek
FROM generate_series(DATE '2022-01-01', DATE '2023-08-01', interval '1 month') m, generate_series(1, 2) u,
     unnest(ARRAY['employed', 'consultant', 'overtime']) k;
CREATE TABLE public.ap_staff_bud (unit text, valid_from date, fte numeric, cost sek);
INSERT INTO public.ap_staff_bud VALUES ('1', '2023-01-01', 8, '1 mnkr'), ('2', '2023-01-01', 9, '1,5 mnkr');
-- placements
CREATE TABLE public.ap_stays (stay daterange, daily_cost sek, treated boolean);
INSERT INTO public.ap_stays
SELECT daterange(s, CASE WHEN i % 4 = 0 THEN NULL ELSE s + 20 + (i * 37) % 300 END),
       ((1500 + (i * 53) % 2000)::text || ' kr')::sek, i % 2 = 0
FROM (SELECT i, DATE '2019-01-05' + i * 23 AS s FROM generate_series(1, 85) i) g;
-- volume_price_report's budget assumptions, by ap_stays.treated
-- the income-support functions' register
CREATE TABLE public.ap_is (hh int, paid date, amt sek);
INSERT INTO public.ap_is
SELECT h, m::date + 3, ((4000 + extract(month FROM m)::int * 50 + h * 7)::text || ' kr')::sek
FROM generate_series(DATE '2020-01-01', DATE '2023-08-01', interval '1 month') m,
     generate_series(1, 30 + extract(month FROM m)::int + extract(year FROM m)::int % 4) h;
CREATE TABLE public.ap_vp_bud (treated text, persons_per_day float8, cost_per_care_day sek);
INSERT INTO public.ap_vp_bud VALUES ('true', 3, '2 000 kr'), ('false', 2.5, '2 648 kr');
-- the action plans of Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026
\i demo/plans.sql

-- key figures of three municipalities and a peer group (peer_comparison,
-- population, load_kpi_values)
INSERT INTO kpi VALUES ('N01951', 'Invånare totalt, antal', 'antal'), ('X_IFO', 'Kostnad IFO, kr/inv', 'kr/inv');
INSERT INTO municipality VALUES ('A1', 'A'), ('B1', 'B'), ('C1', 'C');
INSERT INTO peer_group VALUES ('PG', 'Liknande');
INSERT INTO peer_group_member VALUES ('PG', 'A1'), ('PG', 'B1'), ('PG', 'C1');
INSERT INTO kpi_value (kpi, municipality, year, value) VALUES
  ('N01951', 'A1', 2022, 159050), ('X_IFO', 'A1', 2022, 5200), ('X_IFO', 'B1', 2022, 4800), ('X_IFO', 'C1', 2022, 5000.5);
GRANT INSERT, UPDATE, DELETE ON kpi_value TO ap_user;

-- the ordinary role: what a controller is granted (docs/security.md), its own ledger
GRANT SELECT ON public.ap_led, public.ap_bud, public.ap_stays, public.ap_gl, public.ap_staff, public.ap_staff_bud, public.ap_vp_bud, public.ap_is TO ap_user;
GRANT SELECT ON action_plan, plan_stated_total, plan_measure, measure_effect, measure_follow_up, measure_link TO ap_user;
GRANT INSERT, DELETE ON measure_link TO ap_user;
GRANT INSERT, UPDATE, DELETE ON stated_report, stated_table, stated_row, stated_column, stated_figure TO ap_user;
GRANT USAGE ON SEQUENCE stated_id_seq TO ap_user;
GRANT INSERT, UPDATE, DELETE ON forecast_ledger TO ap_user;
GRANT INSERT, UPDATE ON forecast_snapshot TO ap_user;
SET ROLE ap_user;
CREATE TABLE public.ap_user_gl (day date, unit text, amt sek);
INSERT INTO public.ap_user_gl SELECT day, unit, amt FROM public.ap_gl WHERE unit = 'a';
RESET ROLE;

-- ---------- the calls: every SQL and PL/pgSQL entry point ----------
-- who: 'su' (superuser modes only), 'role' (ordinary role only), NULL both.
-- stmts run first, then q (its rows, as text, sorted), then post.  The call
-- texts name everything by schema or use no operator at all, so that only
-- the extension's own code meets the planted objects.
CREATE TEMP TABLE ap_calls (id serial, covers text[], who text, stmts text[], q text, post text[]);
GRANT SELECT ON ap_calls TO ap_user;
INSERT INTO ap_calls (covers, who, stmts, q, post) VALUES
  ('{"number_format(numeric,integer,text)"}', NULL, NULL,
   $$SELECT public.number_format('1234567.891'::numeric, 2), public.number_format('-0.4'::numeric),
            public.number_format('-98765.5'::numeric, 0, ' '), public.number_format('5'::numeric, 12)$$, NULL),
  ('{"number_format(numeric,integer,text)"}', NULL, NULL, $$SELECT public.number_format('NaN'::numeric)$$, NULL),
  ('{"number_format(double precision,integer,text)"}', NULL, NULL,
   $$SELECT public.number_format('2982.4'::float8), public.number_format('-12.44'::float8, 1)$$, NULL),
  ('{"percent_format(double precision,integer)"}', NULL, NULL,
   $$SELECT public.percent_format('-12.44'::float8, 1), public.percent_format('77.4'::float8)$$, NULL),
  ('{"int4_mul_sek(integer,sek)","int8_mul_sek(bigint,sek)","float8_mul_sek(double precision,sek)","numeric_mul_sek(numeric,sek)"}', NULL, NULL,
   $$SELECT public.int4_mul_sek('3'::int4, '2,50 kr'::public.sek), public.int8_mul_sek('3'::int8, '2 kr'::public.sek),
            public.float8_mul_sek('1.5'::float8, '3 kr'::public.sek), public.numeric_mul_sek('0.25'::numeric, '10 kr'::public.sek),
            '3'::int4 OPERATOR(public.*) '2 kr'::public.sek, '1.5'::float8 OPERATOR(public.*) '3 kr'::public.sek,
            '0.5'::numeric OPERATOR(public.*) '3 kr'::public.sek, '7'::int8 OPERATOR(public.*) '1 kr'::public.sek$$, NULL),
  ('{"float8_mul_estimate(double precision,estimate)","sek_contained_estimate(sek,estimate)","estimate_contained(estimate,estimate)"}', NULL, NULL,
   $$SELECT public.float8_mul_estimate('2'::float8, '2-3 mkr'::public.estimate),
            public.sek_contained_estimate('2,5 mkr'::public.sek, '2-3 mkr'::public.estimate),
            public.estimate_contained('2-2,5 mkr'::public.estimate, '2-3 mkr'::public.estimate),
            '2'::float8 OPERATOR(public.*) '2-3 mkr'::public.estimate,
            '2,5 mkr'::public.sek OPERATOR(public.<@) '2-3 mkr'::public.estimate,
            '2-2,5 mkr'::public.estimate OPERATOR(public.<@) '2-3 mkr'::public.estimate$$, NULL),
  ('{"net_effect(sek,sek,bigint)"}', NULL, NULL,
   $$SELECT * FROM public.net_effect('4,1 mnkr'::public.sek, '138 tkr'::public.sek, '7'::int8)$$, NULL),
  ('{"net_effect(stay_effect_result,sek)"}', NULL, NULL,
   $$SELECT (public.net_effect(public.stay_effect(s.stay, s.daily_cost, s.treated, '2022-06-30'::date), '138 tkr'::public.sek)).*
     FROM public.ap_stays s$$, NULL),
  ('{"placement_outlook(census,placement_forecast_result)"}', NULL, NULL,
   $$SELECT (public.placement_outlook(x.c, x.f)).*
     FROM (SELECT public.census(s.stay, s.daily_cost, '[2022-01-01,2022-07-01)'::daterange) AS c,
                  public.placement_forecast(s.stay, s.daily_cost, '2022-06-30'::date, '2022-12-31'::date) AS f
           FROM public.ap_stays s) x$$, NULL),
  ('{"follow_up_report(regclass,regclass,date,text,text,text,name[],name,name,name,name,boolean)","follow_up_unit(text,sek,sek,date,text,text,double precision[],text)","check_as_of(date,text)"}', NULL, NULL,
   $$SELECT * FROM public.follow_up_report('public.ap_led'::regclass, 'public.ap_bud'::regclass, '2023-08-31'::date)$$, NULL),
  ('{"follow_up_report(regclass,regclass,date,text,text,text,name[],name,name,name,name,boolean)"}', NULL, NULL,
   $$SELECT * FROM public.follow_up_report('public.ap_led'::regclass, 'public.ap_bud'::regclass, '2023-08-31'::date, 'profile', 'history', 'report')$$, NULL),
  ('{"follow_up_report(regclass,regclass,date,text,text,text,name[],name,name,name,name,boolean)"}', NULL, NULL,
   $$SELECT * FROM public.follow_up_report('public.ap_led'::regclass, 'public.ap_bud'::regclass, '2023-05-15'::date, 'profile', 'days', 'LEDGER')$$, NULL),
  ('{"follow_up_report(regclass,regclass,date,text,text,text,name[],name,name,name,name,boolean)"}', NULL, NULL,
   $$SELECT * FROM public.follow_up_report('public.ap_led'::regclass, 'public.ap_bud'::regclass, '2023-08-31'::date, 'guess')$$, NULL),
  ('{"follow_up_report(regclass,regclass,date,text,text,text,name[],name,name,name,name,boolean)","follow_up_unit(text,sek,sek,date,text,text,double precision[],text)"}', NULL, NULL,
   $$SELECT * FROM public.follow_up_report('public.ap_led'::regclass, 'public.ap_bud'::regclass, '2023-01-01'::date, 'runrate', 'months', 'report')$$, NULL),
  ('{"volume_price_deviation(daterange,numeric,numeric,numeric,numeric,numeric,text)","volume_price_split(text,daterange,numeric,numeric,numeric,numeric,numeric)"}', NULL, NULL,
   $$SELECT * FROM public.volume_price_deviation('[2023-01-01,2023-09-01)'::daterange, 383, 2648, 461, 2982, 292000000, 'Barn')$$, NULL),
  ('{"volume_price_deviation(census,numeric,numeric,numeric,text)"}', NULL, NULL,
   $$SELECT (public.volume_price_deviation(public.census(s.stay, s.daily_cost, '[2022-01-01,2022-07-01)'::daterange), 4, 2500)).*
     FROM public.ap_stays s$$, NULL),
  ('{"volume_price_report(regclass,regclass,daterange,name,numeric,name,name,name,name)"}', NULL, NULL,
   $$SELECT * FROM public.volume_price_report('public.ap_stays'::regclass, 'public.ap_vp_bud'::regclass, '[2022-01-01,2022-07-01)'::daterange, 'treated', 3000000)$$, NULL),
  ('{"forecast_scenario(numeric,numeric,numeric,date,date,numeric,numeric,numeric,numeric,integer,estimate)"}', NULL, NULL,
   $$SELECT * FROM public.forecast_scenario(376600000, 360000000, 395000000, '2023-09-01'::date, '2023-12-31'::date,
                                            10, 2982, 1.5, 461, 1, '6 000–16 000 kr'::public.estimate)$$, NULL),
  ('{"plan_pct(sek,sek)"}', NULL, NULL,
   $$SELECT public.plan_pct('2 mkr'::public.sek, '8 mkr'::public.sek), public.plan_pct('2 mkr'::public.sek, '0'::public.sek)$$, NULL),
  ('{"plan_totals(integer,date)","plan_args(text,integer,date)"}', NULL, NULL, $$SELECT * FROM public.plan_totals(NULL, '2025-09-30'::date)$$, NULL),
  ('{"measure_progress(date,integer)","plan_args(text,integer,date)"}', NULL, NULL, $$SELECT * FROM public.measure_progress('2025-09-30'::date)$$, NULL),
  ('{"measures_behind_schedule(date,integer)","plan_args(text,integer,date)"}', NULL, NULL, $$SELECT * FROM public.measures_behind_schedule('2025-09-30'::date)$$, NULL),
  ('{"plan_check(integer)","plan_args(text,integer,date)"}', NULL, NULL, $$SELECT * FROM public.plan_check()$$, NULL),
  ('{"state_report(text,text,date,name[],text)","state_table(text,text,text,text,boolean,integer)","state_line(text,text,text,text,text,text,text[],text,text,integer)","state_row(text,text,text,text,text[],text,text,integer)","state_column(text,text,text,text,text[],text,text,integer)","state_figure(text,text,text,text,text,text)","state_figures(text,text,text,text[])","state_quote(text,text,text,text,text)","stated_report_id(text,text,boolean)","stated_figure_parse(text,text)","stated_format(numeric,text,integer)","report_check(text,boolean)","report_check_args(text)","forget_report(text)","stated_report_access(integer,boolean)"}', NULL,
   ARRAY[$$SELECT public.state_report('ap_sp', 'search path', '2023-08-31'::date)$$,
         $$SELECT public.state_table('ap_sp', 't', 'a table', 'mnkr')$$,
         $$SELECT public.state_column('ap_sp', 't', 'Budget', 'budget')$$,
         $$SELECT public.state_column('ap_sp', 't', 'Utfall', 'outcome')$$,
         $$SELECT public.state_column('ap_sp', 't', 'Prognos', 'forecast', '{Utfall}'::text[])$$,
         $$SELECT public.state_column('ap_sp', 't', 'Avvikelse', 'deviation', '{Budget,Prognos}'::text[])$$,
         $$SELECT public.state_row('ap_sp', 't', 'Summa')$$,
         $$SELECT public.state_row('ap_sp', 't', 'Del', total => 'Summa')$$,
         $$SELECT public.state_row('ap_sp', 't', 'Del 2', total => 'Summa', unit => 'tkr')$$,
         $$SELECT public.state_figures('ap_sp', 't', 'Del', '{-10\,0,-7\,0,-6\,0,3\,9}'::text[])$$,
         $$SELECT public.state_figures('ap_sp', 't', 'Del 2', '{-1 000,-500,-900,100}'::text[])$$,
         $$SELECT public.state_figure('ap_sp', 't', 'Summa', 'Avvikelse', '−5,1 mkr', 'avvikelsen')$$,
         $$SELECT public.state_quote('ap_sp', '1', 'ett underskott på 4,1 mnkr', '-4,1 mnkr', 'avvikelsen')$$],
   $$SELECT * FROM public.report_check('ap_sp', true)$$, ARRAY[$$SELECT public.forget_report('ap_sp')$$]),
  ('{"document_findings"}', NULL,
   ARRAY[$$SELECT public.state_report('ap_sp', 'search path')$$, $$SELECT public.state_table('ap_sp', 't')$$,
         $$SELECT public.state_column('ap_sp', 't', 'U')$$, $$SELECT public.state_row('ap_sp', 't', 'S')$$,
         $$SELECT public.state_row('ap_sp', 't', 'D', total => 'S')$$,
         $$SELECT public.state_figures('ap_sp', 't', 'D', '{7 kr}'::text[])$$, $$SELECT public.state_figures('ap_sp', 't', 'S', '{9 kr}'::text[])$$],
   $$SELECT document_kind, document, place, row_label, finding, stated_low, stated_high, computed_low, computed_high, difference, description, description_sv
     FROM public.document_findings$$, ARRAY[$$SELECT public.forget_report('ap_sp')$$]),
  ('{"plan_effect_cells(integer,date)"}', NULL, NULL, $$SELECT * FROM public.plan_effect_cells(NULL, '2025-09-30'::date)$$, NULL),
  -- a link (its trigger walks the links for a cycle), the totals with it, and the link removed again
  ('{"measure_link_check()"}', NULL,
   '{"INSERT INTO public.measure_link (plan_id, measure_id, linked_to, overlap) SELECT a.plan_id, a.measure_id, b.measure_id, 0.5 FROM public.plan_measure a JOIN public.plan_measure b ON b.plan_id OPERATOR(pg_catalog.=) a.plan_id AND b.number OPERATOR(pg_catalog.=) 3 WHERE a.number OPERATOR(pg_catalog.=) 2 AND a.title OPERATOR(pg_catalog.~~) ''Fortsatt strategiskt%''"}',
   $$SELECT t.year, t.expected_low, t.overlap_low FROM public.plan_totals(NULL, '2025-09-30'::date) t$$,
   '{"DELETE FROM public.measure_link l WHERE l.overlap OPERATOR(pg_catalog.=) 0.5"}'),
  ('{"acts_as(name)","ledger_readable(regclass)"}', NULL, NULL,
   $$SELECT public.acts_as('postgres'), public.acts_as('ap_user'), public.acts_as('ap_no_such_role'),
            public.ledger_readable('public.ap_gl'::regclass), public.ledger_readable('public.ap_user_gl'::regclass),
            public.ledger_readable('pg_catalog.pg_authid'::regclass)$$, NULL),
  ('{"may_read_ledger(name,regclass,name[])"}', NULL, NULL,
   $$SELECT public.may_read_ledger('postgres', 'public.ap_gl'::regclass, '{day,amt}'::name[]),
            public.may_read_ledger('ap_user', 'public.ap_gl'::regclass, '{day,amt}'::name[]),
            public.may_read_ledger('ap_user', 'public.ap_user_gl'::regclass, '{day,amt,unit}'::name[])$$, NULL),
  -- the refresh: the controller's ledger, refreshed by the superuser (and the role's, read as the role) ...
  ('{"register_ledger(regclass,name,name,name[])"}', 'su',
   '{"SET ROLE ap_owner", "SELECT public.register_ledger(''public.ap_gl''::regclass, ''day'', ''amt'', ''{unit}''::name[])"}',
   $$SELECT l.ledger, l.date_column, l.amount_column, l.key_columns, l.registered_by, l.last_error
     FROM public.forecast_ledger l$$, NULL),
  -- ... or, as the ordinary role, its own one
  ('{"register_ledger(regclass,name,name,name[])"}', 'role',
   '{"SELECT public.register_ledger(''public.ap_user_gl''::regclass, ''day'', ''amt'', ''{unit}''::name[])"}',
   $$SELECT l.ledger, l.date_column, l.amount_column, l.key_columns, l.registered_by, l.last_error
     FROM public.forecast_ledger l$$, NULL),
  ('{"refresh_forecasts(date)","fit_in_parallel(series_to_fit[],integer)"}', NULL, '{"CALL public.refresh_forecasts(''2023-08-31''::date)"}',
   $$SELECT s.ledger, s.as_of, s.key, s.method, s.outcome, s.forecast, s.lo, s.hi, s.error
     FROM public.forecast_snapshot s$$, NULL),
  ('{"refresh_forecasts(date)","forecast_accuracy(integer)"}', NULL, '{"CALL public.refresh_forecasts(''2022-08-31''::date)"}',
   $$SELECT * FROM public.forecast_accuracy()$$, NULL),
  ('{"forecast_accuracy(integer)"}', NULL, NULL, $$SELECT * FROM public.forecast_accuracy(2022)$$, NULL),
  -- the office's own forecasts beside the models', of the mode's ledger
  ('{"record_office_forecast(regclass,jsonb,date,sek,text)"}', 'su',
   '{"SELECT public.record_office_forecast(''public.ap_gl''::regclass, ''{\"unit\": \"a\"}''::jsonb, ''2022-08-31''::date, ''400 tkr''::public.sek, ''bedömning'')",
     "SELECT public.record_office_forecast(''public.ap_gl''::regclass, ''{\"unit\": \"a\"}''::jsonb, ''2023-08-31''::date, ''430 tkr''::public.sek)"}',
   $$SELECT s.ledger, s.as_of, s.key, s.forecast, s.outcome, s.recorded_by, s.comment FROM public.forecast_snapshot s
     WHERE s.method OPERATOR(pg_catalog.=) 'office'$$, NULL),
  ('{"record_office_forecast(regclass,jsonb,date,sek,text)"}', 'role',
   '{"SELECT public.record_office_forecast(''public.ap_user_gl''::regclass, ''{\"unit\": \"a\"}''::jsonb, ''2022-08-31''::date, ''400 tkr''::public.sek, ''bedömning'')",
     "SELECT public.record_office_forecast(''public.ap_user_gl''::regclass, ''{\"unit\": \"a\"}''::jsonb, ''2023-08-31''::date, ''430 tkr''::public.sek)"}',
   $$SELECT s.ledger, s.as_of, s.key, s.forecast, s.outcome, s.recorded_by, s.comment FROM public.forecast_snapshot s
     WHERE s.method OPERATOR(pg_catalog.=) 'office'$$, NULL),
  ('{"forecast_change(regclass,date,text)","check_forecast_args(regclass,date,text,text[])"}', 'su', NULL,
   $$SELECT * FROM public.forecast_change('public.ap_gl'::regclass, '2023-08-31'::date, 'office')
     UNION ALL SELECT * FROM public.forecast_change('public.ap_gl'::regclass, '2023-08-31'::date)$$, NULL),
  ('{"forecast_change(regclass,date,text)","check_forecast_args(regclass,date,text,text[])"}', 'role', NULL,
   $$SELECT * FROM public.forecast_change('public.ap_user_gl'::regclass, '2023-08-31'::date, 'office')$$, NULL),
  ('{"forecast_contest(regclass,integer,integer,text)","forecast_errors(regclass,integer,integer)"}', 'su', NULL,
   $$SELECT * FROM public.forecast_contest('public.ap_gl'::regclass, 2022, 2022)
     UNION ALL SELECT NULL, NULL, NULL, e.forecast, e.outcome, e.error, e.method FROM public.forecast_errors('public.ap_gl'::regclass) e$$, NULL),
  ('{"forecast_contest(regclass,integer,integer,text)","forecast_errors(regclass,integer,integer)"}', 'role', NULL,
   $$SELECT * FROM public.forecast_contest('public.ap_user_gl'::regclass, 2022, 2022, 'runrate')
     UNION ALL SELECT NULL, NULL, NULL, e.forecast, e.outcome, e.error, e.method FROM public.forecast_errors(NULL, 2022, 2022) e$$, NULL),
  -- dropping a registered table: the event trigger forgets it
  ('{"forget_dropped_ledgers()"}', NULL,
   '{"CREATE TABLE public.ap_drop_me (day date, amt public.sek)",
     "ALTER TABLE public.ap_drop_me OWNER TO ap_user",
     "SET ROLE ap_user",
     "SELECT public.register_ledger(''public.ap_drop_me''::regclass, ''day'', ''amt'')",
     "DROP TABLE public.ap_drop_me"}',
   $$SELECT pg_catalog.count(*) FROM public.forecast_ledger l
     WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) l.ledger::pg_catalog.oid)$$,
   '{"DELETE FROM public.forecast_ledger l WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) l.ledger::pg_catalog.oid)"}'),
  -- the view BI tools read, over the snapshots the refreshes above wrote
  ('{"forecast_latest"}', NULL, NULL, $$SELECT * FROM public.forecast_latest$$, NULL),
  ('{"fte_cost(numeric,sek,numeric,numeric)"}', NULL, NULL,
   $$SELECT public.fte_cost('9'::numeric, '34 000 kr'::public.sek, '40'::numeric), public.fte_cost('2'::numeric, '130 000 kr'::public.sek, '0'::numeric, '10'::numeric)$$, NULL),
  ('{"staffing_follow_up(regclass,regclass,date,text,name[],name,name,name,name,name,name,name)","report_columns_problem(text,regclass,text,name[],regtype[],text)","report_keys_problem(name[],regclass,regclass)","report_key_sql(name[])","report_read_sql(regclass,name[],text,name)","report_input_problem(text,name[],regclass,text,name[],regtype[],regclass,text,name[],regtype[],text,boolean)"}', NULL, NULL,
   $$SELECT * FROM public.staffing_follow_up('public.ap_staff'::regclass, 'public.ap_staff_bud'::regclass, '2023-08-31'::date, 'report')$$, NULL),
  ('{"income_support_months(regclass,date,date,name,name,name)","income_support_check(text,regclass,name,name,name)"}', NULL, NULL,
   $$SELECT * FROM public.income_support_months('public.ap_is'::regclass, '2023-01-01'::date, NULL::date, 'hh', 'paid', 'amt')$$, NULL),
  ('{"income_support_forecast(regclass,date,text,name,name,name)","income_support_year_end(numeric,forecast_model,forecast_model,double precision)","income_support_correlation(date[],double precision[],double precision[])"}', NULL, NULL,
   $$SELECT * FROM public.income_support_forecast('public.ap_is'::regclass, '2023-08-31'::date, 'comb', 'hh', 'paid', 'amt')$$, NULL),
  ('{"income_support_forecast(regclass,date,text,name,name,name)"}', NULL, NULL,
   $$SELECT * FROM public.income_support_forecast('public.ap_is'::regclass, '2022-12-31'::date, 'theta', 'hh', 'paid', 'amt')$$, NULL),
  ('{"income_support_effect(regclass,date,date,numeric,text,text,name,name,name)"}', NULL, NULL,
   $$SELECT * FROM public.income_support_effect('public.ap_is'::regclass, '2023-03-01'::date, '2023-08-31'::date, '100000'::numeric, 'forecast', 'theta', 'hh', 'paid', 'amt')$$, NULL),
  ('{"income_support_effect(regclass,date,date,numeric,text,text,name,name,name)"}', NULL, NULL,
   $$SELECT * FROM public.income_support_effect('public.ap_is'::regclass, '2023-01-01'::date, '2023-08-31'::date, '100000'::numeric, 'baseline', 'comb', 'hh', 'paid', 'amt')$$, NULL),
  ('{"sek_format(numeric,text,integer,text)","sek_format(bigint,text,integer,text)","sek_format(integer,text,integer,text)","sek_format(text,text,integer,text)"}', NULL, NULL,
   $$SELECT public.sek_format('-81500000.004'::numeric, 'mnkr'), public.sek_format('1234567'::int8, 'tkr', 1, '.'),
            public.sek_format('-81500000'::int4), public.sek_format('2 300 kr'::text, 'kr', 2),
            public.sek_format(NULL::numeric, 'kr')$$, NULL),
  ('{"population(text,integer)","cost_per_inhabitant(numeric,numeric)","cost_per_inhabitant(numeric,text,integer)","unfunded_cost(numeric,numeric,numeric)","unfunded_cost(numeric,numeric,text,integer)"}', NULL, NULL,
   $$SELECT public.population('A1', 2022), public.cost_per_inhabitant('30378550'::numeric, '159050'::numeric),
            public.cost_per_inhabitant('1000000'::numeric, 'A1', 2022), public.unfunded_cost('228'::numeric, '37'::numeric, '159050'::numeric),
            public.unfunded_cost('228'::numeric, '37'::numeric, 'A1', 2022)$$, NULL),
  ('{"peer_comparison(text,text,integer,integer,text[])"}', NULL, NULL,
   $$SELECT * FROM public.peer_comparison('A1', 'PG', 2021, 2022)$$, NULL),
  ('{"kpi_csv_fields(text,text)"}', NULL, NULL, $$SELECT public.kpi_csv_fields('a;"b;c";"d""e";', ';')$$, NULL),
  -- loads a value and removes it again, so that every mode and phase starts alike
  ('{"load_kpi_values(text,text,text)"}', NULL, NULL,
   $$SELECT * FROM public.load_kpi_values(E'\uFEFFkpi;municipality;period;gender;value\r\nX_IFO;B1;2021;T;"4 700,5"\r\nX_IFO;C1;2021;;\r\n', 'ap')$$,
   '{"DELETE FROM public.kpi_value v WHERE v.source OPERATOR(pg_catalog.=) ''ap''"}');

-- results by phase, mode and call
CREATE TEMP TABLE ap_results (phase text, mode text, id int, res text);
GRANT INSERT ON ap_results TO ap_user;

-- Runs the calls for one mode with the given search_path; its own SQL is
-- parsed with pg_catalog, pg_temp, only the calls with the mode's path.
CREATE FUNCTION pg_temp.ap_run(phase text, mode text, who text, path text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  c record;
  s text;
  q text;
  stmts text[];
  post text[];
  res text;
  mode_role name := current_user;
BEGIN
  FOR c IN SELECT * FROM pg_temp.ap_calls WHERE coalesce(ap_calls.who, ap_run.who) = ap_run.who ORDER BY id LOOP
    -- everything computed before the path changes: only the calls see it
    q := format($f$SELECT pg_catalog.string_agg(t::pg_catalog.text, E'\n' ORDER BY t::pg_catalog.text) FROM (%s) t$f$, c.q);
    stmts := coalesce(c.stmts, '{}');
    post := coalesce(c.post, '{}');
    BEGIN
      PERFORM set_config('search_path', path, true);
      FOREACH s IN ARRAY stmts LOOP
        EXECUTE s;
      END LOOP;
      EXECUTE q INTO res;
      FOREACH s IN ARRAY post LOOP
        EXECUTE s;
      END LOOP;
      PERFORM set_config('search_path', 'pg_catalog, pg_temp', true);
    EXCEPTION WHEN OTHERS THEN
      PERFORM set_config('search_path', 'pg_catalog, pg_temp', true);
      res := format('ERROR %s: %s', SQLSTATE, SQLERRM);
    END;
    -- a call that registers as the ledger's owner changes role: back to the mode's
    EXECUTE format('SET LOCAL ROLE %I', mode_role);
    INSERT INTO pg_temp.ap_results VALUES (phase, mode, c.id, res);
  END LOOP;
END
$$;

-- Each mode starts from no registrations and no snapshots, so its results
-- depend on nothing another mode did.
CREATE FUNCTION pg_temp.ap_run_all(phase text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  DELETE FROM public.forecast_snapshot;
  DELETE FROM public.forecast_ledger;
  PERFORM pg_temp.ap_run(phase, 'superuser, default search_path', 'su', '"$user", public');
  DELETE FROM public.forecast_snapshot;
  DELETE FROM public.forecast_ledger;
  PERFORM pg_temp.ap_run(phase, 'superuser, public first', 'su', 'public, pg_catalog');
  DELETE FROM public.forecast_snapshot;
  DELETE FROM public.forecast_ledger;
  SET LOCAL ROLE ap_user;
  PERFORM pg_temp.ap_run(phase, 'ordinary role, default search_path', 'role', '"$user", public');
  RESET ROLE;
  DELETE FROM public.forecast_snapshot;
  DELETE FROM public.forecast_ledger;
  SET LOCAL ROLE ap_user;
  PERFORM pg_temp.ap_run(phase, 'ordinary role, public first', 'role', 'public, pg_catalog');
  RESET ROLE;
END
$$;

-- ---------- before: the results to keep ----------
SELECT pg_temp.ap_run_all('before') \gset

-- ---------- the planting, as the attacker ----------
-- the built-ins the extension's SQL and PL/pgSQL bodies call (dynamic SQL
-- included: it is text in the body), and the operators they use; and those
-- of the ledger query ledger_month_sums (C) builds
CREATE TEMP TABLE ap_names AS
WITH ext AS (
  SELECT coalesce(p.prosrc, '') || ' ' || coalesce(pg_get_function_sqlbody(p.oid), '') AS src
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'actionplan'
  JOIN pg_language l ON l.oid = p.prolang AND l.lanname IN ('sql', 'plpgsql')
  UNION ALL
  -- and the extension's views
  SELECT pg_get_viewdef(c.oid) FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'actionplan'
  WHERE c.relkind = 'v')
SELECT DISTINCT lower(m[1])::name AS n, 'f' AS kind FROM ext, regexp_matches(src, '([A-Za-z_][A-Za-z0-9_]*)\s*\(', 'g') m
UNION SELECT DISTINCT m[1]::name, 'o' FROM ext, regexp_matches(src, '([-+*/<>=~!@#%^&|`?]+)', 'g') m
UNION VALUES ('jsonb_build_object'::name, 'f'), ('date_trunc', 'f'), ('sum', 'f'), ('>=', 'o'), ('<=', 'o');
DELETE FROM ap_names n WHERE NOT EXISTS (SELECT FROM pg_proc p WHERE p.proname = n.n AND p.pronamespace = 'pg_catalog'::regnamespace)
                         AND NOT EXISTS (SELECT FROM pg_operator o WHERE o.oprname = n.n AND o.oprnamespace = 'pg_catalog'::regnamespace);
GRANT SELECT ON ap_names TO ap_attacker;
CREATE TEMP TABLE ap_planted (kind text, name name, args regtype[]);
GRANT INSERT ON ap_planted TO ap_attacker;

SET ROLE ap_attacker;
SET search_path = pg_catalog, pg_temp;
CREATE FUNCTION public.ap_hit(what text) RETURNS void LANGUAGE sql SET search_path = pg_catalog, pg_temp
AS $$INSERT INTO public.ap_log VALUES (pg_catalog.nextval('public.ap_hits'), what, current_user, session_user)$$;
DO $gen$
DECLARE
  poly_elem regtype[] := ARRAY['anyelement', 'anynonarray', 'anycompatible', 'anycompatiblenonarray', '"any"', 'anyenum']::regtype[];
  poly_arr regtype[] := '{anyarray,anycompatiblearray}';
  poly_rng regtype[] := '{anyrange,anycompatiblerange,anymultirange,anycompatiblemultirange}';
  -- the closer or looser types tried for an argument of each family
  fams regtype[][] := ARRAY[ARRAY['text', 'varchar', 'name', 'bpchar', '"char"']::regtype[],
                            ARRAY['int2', 'int4', 'int8', 'float4', 'float8']::regtype[],
                            ARRAY['numeric', 'int4', 'int8', 'float4', 'float8']::regtype[],
                            ARRAY['date', 'timestamp', 'timestamptz', 'timestamptz', 'timestamptz']::regtype[],
                            ARRAY['json', 'jsonb', 'jsonb', 'jsonb', 'jsonb']::regtype[]];
  -- the exact types tried for polymorphic arguments
  elems regtype[] := '{date,float8,text,int4,int8,numeric,jsonb,name,bool,interval,public.sek,public.estimate,daterange}';
  f record;
  args regtype[];
  cand regtype[];
  ret text;
  e regtype;
  alt regtype;
  i int;
  j int;
  k int := 0;
BEGIN
  CREATE TEMP TABLE ap_cands (kind text, name name, args regtype[], ret text, setof boolean, outargs boolean, src oid);
  FOR f IN
    SELECT p.oid, p.proname AS name, CASE p.prokind WHEN 'a' THEN 'a' ELSE 'f' END AS kind,
           p.proargtypes::oid[]::regtype[] AS args, p.prorettype::regtype AS ret, p.proretset AS setof,
           p.proallargtypes IS NOT NULL AS outargs
    FROM pg_proc p JOIN ap_names n ON n.n = p.proname AND n.kind = 'f'
    WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind IN ('f', 'a')
      AND NOT EXISTS (SELECT FROM pg_aggregate a WHERE a.aggfnoid = p.oid AND a.aggkind <> 'n')
      AND NOT p.proargtypes::oid[]::regtype[] && '{internal,cstring}'::regtype[]
    UNION ALL
    SELECT o.oid, o.oprname, 'o', CASE WHEN o.oprleft = 0 THEN ARRAY[o.oprright::regtype]
                                     ELSE ARRAY[o.oprleft::regtype, o.oprright::regtype] END,
           o.oprresult::regtype, false, false
    FROM pg_operator o JOIN ap_names n ON n.n = o.oprname AND n.kind = 'o'
    WHERE o.oprnamespace = 'pg_catalog'::regnamespace AND o.oprkind IN ('b', 'l')
  LOOP
    args := f.args;
    IF args && (poly_elem || poly_arr || poly_rng) THEN
      -- every polymorphic argument made one exact type: an exact match beats
      -- the polymorphic built-in whatever the order of the schemas
      CONTINUE WHEN f.outargs OR args && poly_rng OR f.ret::regtype = ANY (poly_rng);
      FOREACH e IN ARRAY elems LOOP
        -- (built by queries: plpgsql's in-place array assignment would share arrays)
        cand := ARRAY(SELECT CASE WHEN u.a = ANY (poly_elem) THEN e
                                  WHEN u.a = ANY (poly_arr) THEN (SELECT t.typarray::regtype FROM pg_type t WHERE t.oid = e)
                                  ELSE u.a END
                      FROM unnest(args) WITH ORDINALITY u(a, o) ORDER BY u.o);
        ret := CASE WHEN f.ret::regtype = ANY (poly_elem) THEN e::text
                    WHEN f.ret::regtype = ANY (poly_arr) THEN (SELECT t.typarray::regtype::text FROM pg_type t WHERE t.oid = e)
                    ELSE f.ret::text END;
        INSERT INTO ap_cands VALUES (f.kind, f.name, cand, ret, f.setof, false, f.oid);
      END LOOP;
      CONTINUE;
    END IF;
    -- the built-in's own signature (it wins where public comes first) ...
    INSERT INTO ap_cands VALUES (f.kind, f.name, args, CASE WHEN f.outargs THEN pg_get_function_result(f.oid) ELSE f.ret::text END,
                                 f.setof, f.outargs, f.oid);
    CONTINUE WHEN f.outargs;
    -- ... closer and looser ones (an exact match wins wherever public is) ...
    FOR i IN 1 .. cardinality(args) LOOP
      FOR j IN 1 .. array_length(fams, 1) LOOP
        CONTINUE WHEN NOT args[i] = ANY (fams[j:j]);
        FOREACH alt IN ARRAY fams[j:j] LOOP
          cand := ARRAY(SELECT CASE WHEN u.o = i THEN alt ELSE u.a END
                        FROM unnest(args) WITH ORDINALITY u(a, o) ORDER BY u.o);
          INSERT INTO ap_cands VALUES (f.kind, f.name, cand, f.ret::text, f.setof, false, f.oid);
        END LOOP;
      END LOOP;
    END LOOP;
    -- ... and anyelement
    IF cardinality(args) = 1 THEN
      INSERT INTO ap_cands VALUES (f.kind, f.name, '{anyelement}', f.ret::text, f.setof, false, f.oid);
    END IF;
  END LOOP;
  -- plant each signature public has not yet
  FOR f IN SELECT DISTINCT ON (c.kind, c.name, c.args) c.* FROM ap_cands c
           WHERE array_position(c.args, NULL) IS NULL AND c.ret IS NOT NULL
             AND NOT (c.kind = 'o' AND EXISTS (SELECT FROM pg_operator o WHERE o.oprname = c.name
                        AND o.oprnamespace = 'public'::regnamespace AND o.oprleft = CASE WHEN cardinality(c.args) = 1 THEN 0 ELSE c.args[1] END
                        AND o.oprright = c.args[cardinality(c.args)]))
             AND NOT (c.kind <> 'o' AND EXISTS (SELECT FROM pg_proc p WHERE p.proname = c.name
                        AND p.pronamespace = 'public'::regnamespace AND p.proargtypes::oid[] = c.args::oid[]))
           ORDER BY c.kind, c.name, c.args, c.src LOOP
    k := k + 1;
    BEGIN
      IF f.kind = 'f' THEN
        EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s%s LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %L',
          f.name, array_to_string(f.args, ', '), CASE WHEN f.setof AND NOT f.outargs THEN 'SETOF ' ELSE '' END, f.ret,
          format('BEGIN PERFORM public.ap_hit(%L); RETURN%s; END', format('%s(%s)', f.name, array_to_string(f.args, ',')),
                 CASE WHEN f.setof OR f.outargs OR f.ret = 'void' THEN '' ELSE ' NULL' END));
      ELSIF f.kind = 'a' THEN
        EXECUTE format('CREATE FUNCTION public.ap_sf%s(%s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %L',
          k, array_to_string(f.ret || f.args::text[], ', '), f.ret,
          format('BEGIN PERFORM public.ap_hit(%L); RETURN NULL; END', format('aggregate %s(%s)', f.name, array_to_string(f.args, ','))));
        EXECUTE format('CREATE AGGREGATE public.%I(%s) (SFUNC = public.ap_sf%s, STYPE = %s)',
          f.name, CASE WHEN cardinality(f.args) = 0 THEN '*' ELSE array_to_string(f.args, ', ') END, k, f.ret);
      ELSE
        EXECUTE format('CREATE FUNCTION public.ap_op%s(%s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS %L',
          k, array_to_string(f.args, ', '), f.ret,
          format('BEGIN PERFORM public.ap_hit(%L); RETURN NULL; END', format('operator %s(%s)', f.name, array_to_string(f.args, ','))));
        EXECUTE format('CREATE OPERATOR public.%s (%s, FUNCTION = public.ap_op%s)', f.name,
          CASE WHEN cardinality(f.args) = 1 THEN format('RIGHTARG = %s', f.args[1])
               ELSE format('LEFTARG = %s, RIGHTARG = %s', f.args[1], f.args[2]) END, k);
      END IF;
      INSERT INTO ap_planted VALUES (f.kind, f.name, f.args);
    EXCEPTION WHEN OTHERS THEN
      NULL;   -- a signature PostgreSQL refuses (a pseudo-type as a state, say) is not an attack
    END;
  END LOOP;
END
$gen$;
RESET ROLE;
RESET search_path;

-- the planted objects do capture unqualified calls: with public first, the
-- built-in's own signature; with the default path, a closer type
SELECT pg_catalog.nextval('public.ap_hits') AS h0 \gset
SET search_path = public, pg_catalog;
SELECT lower('X'::text) AS a, upper('x'::text) AS b, 1 + 1 AS c, round(1.5::numeric) AS d,
       date_trunc('month', '2023-05-05'::date) AS e \gset canary_
RESET search_path;
SELECT pg_catalog.nextval('public.ap_hits') AS h1 \gset
SELECT lower('X'::varchar) AS a, date_trunc('month', '2023-05-05'::date) AS b, 'a'::varchar || 'b'::text AS c, make_date(2023::int2, 1, 1) AS d,
       (SELECT array_agg(v.d) FROM (VALUES ('2023-01-01'::date)) v(d)) AS e \gset canary_
SELECT pg_catalog.nextval('public.ap_hits') AS h2 \gset
-- ---------- after: every entry point again, in every mode ----------
SELECT pg_catalog.nextval('public.ap_hits') AS h3 \gset
SELECT pg_temp.ap_run_all('after') \gset
SELECT pg_catalog.nextval('public.ap_hits') AS h4 \gset
-- the log, while the planted objects could still add to it
CREATE TEMP TABLE ap_caught AS SELECT * FROM public.ap_log WHERE id > :h3;
-- pgTAP's own functions are not schema-safe: remove the planted objects first
DROP OWNED BY ap_attacker;

SELECT ok((SELECT count(*) FILTER (WHERE kind = 'f') > 300 AND count(*) FILTER (WHERE kind = 'a') > 50
                  AND count(*) FILTER (WHERE kind = 'o') > 500
                  AND count(DISTINCT name) = (SELECT count(*) FROM ap_names) FROM ap_planted),
          format('planted in public: %s', (SELECT string_agg(c, ', ') FROM (SELECT format('%s %s', count(*), kind) AS c
                 FROM ap_planted GROUP BY kind ORDER BY kind) x))
          || format(', over %s built-in names: %s', (SELECT count(*) FROM ap_names),
                    (SELECT string_agg(n, ' ' ORDER BY n) FROM ap_names))
          || coalesce(', NOT planted: ' || (SELECT string_agg(n, ' ' ORDER BY n) FROM ap_names
                                            WHERE n NOT IN (SELECT name FROM ap_planted)), ''));

SELECT is(:h1 - :h0 - 1, 5, 'canary: with public first, lower, upper, +, round and date_trunc were captured');
SELECT is(:h2 - :h1 - 1, 5, 'canary: with the default search_path, lower(varchar), date_trunc(text, date), varchar || text, make_date(int2, int4, int4) and array_agg(date) were captured');


SELECT is(:h4 - :h3 - 1, 0, 'no planted function, aggregate or operator ran in any entry point (nextval count)');
SELECT is_empty($$SELECT what, who, sess FROM ap_caught$$,
                'the log of the planted objects is empty (what ran, as whom)');

SELECT set_eq(
  $$SELECT p.oid::regprocedure::text FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'actionplan'
    JOIN pg_language l ON l.oid = p.prolang AND l.lanname IN ('sql', 'plpgsql')
    UNION ALL
    SELECT c.relname::text FROM pg_class c
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'actionplan'
    WHERE c.relkind = 'v'$$,
  $$SELECT DISTINCT unnest(covers) FROM ap_calls$$,
  'every SQL and PL/pgSQL routine and every view of the extension is called by this suite');

SELECT is_empty(
  $$SELECT p.oid::regprocedure, p.proconfig FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'actionplan'
    JOIN pg_language l ON l.oid = p.prolang AND l.lanname IN ('sql', 'plpgsql')
    WHERE p.prosqlbody IS NULL
      AND NOT coalesce((SELECT split_part(c, '=', 2) ~ '^\s*"?pg_catalog"?\s*(,|$)' FROM unnest(p.proconfig) c
                        WHERE c LIKE 'search\_path=%'), false)$$,
  'every routine with a body in text pins a search_path starting with pg_catalog');
SELECT is_empty(
  $$SELECT p.oid::regprocedure FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'actionplan'
    JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'sql'
    WHERE p.proconfig IS NULL AND p.prosqlbody IS NULL$$,
  'every SQL function that can be inlined into the caller''s query (no SET clause) has a SQL-standard body, bound at creation');

SELECT is_empty($$SELECT mode, id, res FROM ap_results
                  WHERE phase = 'before' AND (res IS NULL OR res LIKE 'ERROR %' AND id <> 2 AND id <> 13)$$,
                'before the planting every call worked and returned rows (but the two that must fail)');
SELECT results_eq($$SELECT left(res, 11) FROM ap_results WHERE phase = 'before' AND id IN (2, 13) ORDER BY mode, id$$,
  $$SELECT unnest(ARRAY[a, b, a, b, a, b, a, b]) FROM (VALUES ('ERROR 22003', 'ERROR 22023')) v(a, b)$$,
  'NaN and an unknown method fail as they should');

SELECT is_empty(
  format($$SELECT b.id, b.res AS before, a.res AS after FROM ap_results b
           JOIN ap_results a ON a.phase = 'after' AND a.mode = b.mode AND a.id = b.id
           WHERE b.phase = 'before' AND b.mode = %L AND a.res IS DISTINCT FROM b.res$$, m),
  format('%s: every result after the planting equals the one before', m))
FROM unnest(ARRAY['superuser, default search_path', 'superuser, public first',
                  'ordinary role, default search_path', 'ordinary role, public first']) m;
SELECT is((SELECT count(*) FROM ap_results), 2 * ((SELECT count(*) FROM ap_calls WHERE who IS DISTINCT FROM 'role') * 2
                                                 + (SELECT count(*) FROM ap_calls WHERE who IS DISTINCT FROM 'su') * 2),
          'every call ran in every mode, before and after');

SELECT * FROM finish();
ROLLBACK;
