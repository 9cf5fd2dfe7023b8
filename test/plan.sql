-- The action-plan register with the plans of Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026 as written:
-- the consistency check (Åtgärdsplan 2024–2026: 13 149 tkr stated against 13 549 tkr from its
-- year columns; three rows without a total), totals, realisation and coverage
-- recomputed by hand, measures behind schedule, bad rows refused with their
-- SQLSTATE, and a real pg_dump of a database with plans restored into another.
\set QUIET on
SET client_min_messages = warning;
\getenv root PWD
-- the pg_dump test's databases (CREATE/DROP DATABASE cannot run in the
-- test's transaction, nor from the shell command that restores the dump:
-- DROP waits for every backend, this one included)
DROP DATABASE IF EXISTS ap_plan_dump_a;
DROP DATABASE IF EXISTS ap_plan_dump_b;
CREATE DATABASE ap_plan_dump_a;
CREATE DATABASE ap_plan_dump_b;
BEGIN;
SELECT plan(36);

\i demo/plans.sql
SELECT plan_id AS p0 FROM action_plan WHERE source = 'Handlingsplan ekonomi 2025' \gset
SELECT plan_id AS p4 FROM action_plan WHERE source = 'Åtgärdsplan 2024–2026' \gset

-- 004: the check
SELECT results_eq(
  format($$SELECT finding, number, estimate(stated_low::sek, stated_high::sek), estimate(computed_low::sek, computed_high::sek)
           FROM plan_check(%s)$$, :p4),
  $$VALUES ('stated_total_differs', NULL::int, '13 149 tkr'::estimate, '13 549 tkr'::estimate),
           ('row_total_missing', 2, NULL, '2 500 tkr'),
           ('row_total_missing', 6, NULL, '100 tkr'),
           ('row_total_missing', 7, NULL, '1 859 tkr')$$,
  '004: the stated sum 13 149 tkr against 13 549 tkr from the year columns, and rows 2, 6 and 7 without a total');
SELECT is((SELECT replace(detail, U&'\00A0', ' ') FROM plan_check(:p4) WHERE finding = 'stated_total_differs'),
          'the plan states 13 149 tkr; its measures'' year cells add up to 13 549 tkr',
          '004: the finding in words, in tkr');
SELECT results_eq(
  format('SELECT year, estimate(expected_low::sek, expected_high::sek) FROM plan_totals(%s) WHERE year IS NOT NULL', :p4),
  $$VALUES (2024, '7 169 tkr'::estimate), (2025, '3 900 tkr'), (2026, '2 480 tkr')$$,
  '004: the year columns add up to 7 169, 3 900 and 2 480 tkr');
SELECT is((SELECT sum(expected) FROM measure_effect e JOIN plan_measure m USING (measure_id) WHERE m.plan_id = :p4),
          '13 549 tkr'::estimate, '004: the cells themselves add up to 13 549 tkr');
SELECT results_eq(
  format($$SELECT requirement, round(coverage_low, 6), estimate(stated_low::sek, stated_high::sek)
           FROM plan_totals(%s) WHERE year IS NULL$$, :p4),
  $$VALUES (12357000::numeric, round(13549000 / 12357000.0 * 100, 6), '13 149 tkr'::estimate)$$,
  '004: the requirement 12 357 tkr is covered 109,6 % by the year cells (on the total row, with the stated sum)');
SELECT is((SELECT count(*) FROM plan_totals(:p4) WHERE year IS NOT NULL AND requirement IS NOT NULL), 0::bigint,
          '004: a requirement for the whole plan is not repeated on the year rows');

-- 000: a range total for 2025 against the measures' ranges
SELECT results_eq(
  format('SELECT finding, estimate(stated_low::sek, stated_high::sek), estimate(computed_low::sek, computed_high::sek) FROM plan_check(%s)', :p0),
  $$VALUES ('stated_total_differs', 'ca 7-10 mkr'::estimate, '9,2-10,2 mkr'::estimate)$$,
  '000: "7-10 mkr" stated for 2025 against 9,2–10,2 mkr from its measures');
SELECT results_eq(
  format($$SELECT year, measures, expected_low, expected_high, achieved, requirement, coverage_low, coverage_high
           FROM plan_totals(%s, '2025-10-31')$$, :p0),
  $$VALUES (2025, 3::bigint, 9200000::numeric, 10200000::numeric, 2000000::numeric, 15000000::numeric,
            (9200000 / 15000000.0::float8 * 100)::numeric, (10200000 / 15000000.0::float8 * 100)::numeric),
           (2026, 1::bigint, 2000000, 3000000, 0, NULL, NULL, NULL),
           (NULL, 4::bigint, 11200000, 13200000, 2000000, NULL, NULL, NULL)$$,
  '000: per year and total; the 15 000 tkr deficit of 2025 covered 61,3–68,0 %');
SELECT results_eq(
  format($$SELECT realisation_low, realisation_high FROM plan_totals(%s, '2025-10-31') WHERE year = 2025$$, :p0),
  $$VALUES ((2000000 / 9200000.0::float8 * 100)::numeric, (2000000 / 10200000.0::float8 * 100)::numeric)$$,
  '000: realisation 2025 = achieved 2 mkr against the low and the high end');
SELECT is((SELECT achieved FROM plan_totals(:p0, '2025-06-02') WHERE year = 2025), 0::numeric,
          'a follow-up after as_of does not count');

-- behind schedule (amounts in words use no-break spaces between thousands)
SELECT results_eq(
  format($$SELECT number, reasons FROM measures_behind_schedule('2025-10-31', %s) WHERE year = 2025$$, :p0),
  $$VALUES (1, ARRAY['no achieved amount followed up; 1,7 mnkr expected by now']),
           (2, ARRAY['no achieved amount followed up; 2,2 mnkr expected by now']),
           (3, ARRAY['achieved 2,0 mnkr, below the 3,8 mnkr expected by now'])$$,
  '000 as of 31 October 2025: measures 1–3 behind (304 of 365 days: 3,83 mnkr of 4,6 expected by now)');
SELECT is((SELECT estimate(expected_to_date_low::sek, expected_to_date_high::sek) FROM measure_progress('2025-10-31', :p0) WHERE number = 3),
          '4,6 mkr'::estimate * (304 / 365.0::float8), 'expected by now = expected × share of the year''s days');
SELECT is((SELECT count(*) FROM measure_progress('2025-10-31', :p0) WHERE number >= 4 AND behind), 0::bigint,
          '000: measures with no effect expected are not behind');
SELECT ok((SELECT 'not started, due 2024-03-31' = ANY (reasons) FROM measure_progress('2024-06-30', :p4)
           WHERE number = 1 AND year = 2024), '004: measure 1, due Q1 2024 and still planned in June, is not started');
SELECT ok((SELECT 'follow-up overdue: last never, every 1 mon' = ANY (reasons) FROM measure_progress('2024-06-30', :p4)
           WHERE number = 1 AND year = 2024), '004: a monthly follow-up never done is overdue');
INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status)
SELECT measure_id, '2024-06-15', 2024, '300 tkr', 'started' FROM plan_measure WHERE plan_id = :p4 AND number = 1;
SELECT is((SELECT behind FROM measure_progress('2024-06-30', :p4) WHERE number = 1 AND year = 2024), false,
          '004: followed up on 15 June with 300 tkr of 535 (267 by the end of June): on schedule');
SELECT is((SELECT achieved FROM plan_totals(:p4, '2024-06-30') WHERE year = 2024), 300000::numeric,
          'the follow-up is in the achieved total');
UPDATE plan_measure SET status = 'cancelled' WHERE plan_id = :p4 AND number = 10;
SELECT is((SELECT reasons FROM measure_progress('2024-12-31', :p4) WHERE number = 10),
          ARRAY['cancelled: the expected effect will not come'], 'a cancelled measure with an expected effect is flagged');
SELECT is((SELECT reason_codes FROM measure_progress('2024-06-30', :p4) WHERE number = 2 AND year = 2024),
          ARRAY['not_started', 'not_followed_up', 'follow_up_overdue'], 'the reasons as codes, in the same order');
SELECT is((SELECT count(*) FROM measure_progress('2023-12-31', :p4)), 0::bigint,
          'no rows for effect years not begun');

-- more findings
INSERT INTO measure_effect (measure_id, year, expected)
SELECT measure_id, 2027, '1 mkr' FROM plan_measure WHERE plan_id = :p4 AND number = 9;
INSERT INTO measure_follow_up (measure_id, as_of, year, achieved)
SELECT measure_id, '2023-12-31', 2023, '50 tkr' FROM plan_measure WHERE plan_id = :p4 AND number = 9;
UPDATE plan_measure SET stated_total = '1 mkr' WHERE plan_id = :p4 AND number = 4;
SELECT results_eq(
  format($$SELECT finding, number, replace(detail, U&'\00A0', ' ') FROM plan_check(%s) WHERE number IN (4, 9)$$, :p4),
  $$VALUES ('row_total_differs', 4, 'the row states 1 000 tkr; its year cells add up to 990 tkr'),
           ('achieved_outside_plan_years', 9, 'achieved 50 tkr in 2023 (followed up 2023-12-31), outside the plan''s years 2024–2026'),
           ('effect_outside_plan_years', 9, 'expected effect 1 000 tkr in 2027, outside the plan''s years 2024–2026'),
           ('row_total_differs', 9, 'the row states 550 tkr; its year cells add up to 1 550 tkr')$$,
  'a row total that differs, an effect and an achieved amount outside the plan''s years');
SELECT is((SELECT count(*) FROM plan_check()), 9::bigint, 'plan_check() covers every plan');

-- bad rows
SELECT throws_ok($$INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement)
                   VALUES ('x', 'y', 2026, 2025, 'deficit', '1 mkr')$$, '23514', NULL, 'last year before first: 23514');
SELECT throws_ok($$INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement)
                   VALUES ('x', 'y', 2025, 2025, 'deficit', '-1 mkr')$$, '23514', NULL, 'a negative requirement: 23514');
SELECT throws_ok($$INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement)
                   VALUES ('x', 'y', 2025, 2025, 'wish', '1 mkr')$$, '23514', NULL, 'an unknown requirement kind: 23514');
SELECT throws_ok($$INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement, requirement_year)
                   VALUES ('x', 'y', 2025, 2026, 'deficit', '1 mkr', 2030)$$, '23514', NULL, 'a requirement year outside the plan: 23514');
SELECT throws_ok($$INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement)
                   VALUES ('x', 'y', 2025, 2099, 'deficit', '1 mkr')$$, '23514', NULL, 'a plan over 75 years: 23514');
SELECT throws_ok($$INSERT INTO action_plan (committee, title, first_year, last_year, requirement_kind, requirement)
                   VALUES ('x', NULL, 2025, 2025, 'deficit', '1 mkr')$$, '23502', NULL, 'a plan without a title: 23502');
SELECT throws_ok(format($$INSERT INTO plan_measure (plan_id, title, status) VALUES (%s, 'z', 'done')$$, :p4),
                 '23514', NULL, 'an unknown status: 23514');
SELECT throws_ok(format($$INSERT INTO plan_measure (plan_id, number, title) VALUES (%s, 1, 'again')$$, :p4),
                 '23505', NULL, 'a measure number twice in a plan: 23505');
SELECT throws_ok($$INSERT INTO plan_measure (plan_id, title) VALUES (-1, 'orphan')$$,
                 '23503', NULL, 'a measure of no plan: 23503');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year, expected, cost)
                          SELECT measure_id, 2026, '1 mkr', '-5 kr' FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'a negative cost: 23514');
SELECT throws_ok(format($$INSERT INTO plan_stated_total VALUES (%s, NULL, '1 mkr')$$, :p4),
                 '23505', NULL, 'a second stated total for all years: 23505');
SELECT throws_ok($$INSERT INTO measure_effect (measure_id, year, expected) VALUES (1, 2025, 'lots')$$,
                 '22P02', NULL, 'an expected effect that is not an estimate: 22P02');

-- pg_dump keeps the register: dump a database with the two plans, restore it
-- into another, and compare the check there
SELECT ok((SELECT extconfig @> ARRAY['action_plan', 'plan_stated_total', 'plan_measure', 'measure_effect',
                                     'measure_follow_up', 'action_plan_id_seq', 'plan_measure_id_seq']::regclass[]::oid[]
           FROM pg_extension WHERE extname = 'actionplan'), 'the register''s tables and sequences are extension configuration');
SELECT setting AS bindir FROM pg_config WHERE name = 'BINDIR' \gset
SELECT format('-h %s -p %s -X -q -v ON_ERROR_STOP=1', split_part(current_setting('unix_socket_directories'), ',', 1),
              current_setting('port')) AS conn \gset
-- run by this psql (a backquote), not by the server through COPY FROM PROGRAM:
-- the server's user may not read the repository (a clone under /root or in
-- a mode-700 directory)
SELECT format($c$sh -c '%1$s/psql %2$s -d ap_plan_dump_a -c "CREATE EXTENSION actionplan" -f "%3$s/demo/plans.sql" >/dev/null && %1$s/pg_dump %4$s ap_plan_dump_a | %1$s/psql %2$s -d ap_plan_dump_b >/dev/null && %1$s/psql %2$s -d ap_plan_dump_b -At -F, -c "INSERT INTO plan_measure (plan_id, title) VALUES (1, current_database())" -c "SELECT count(*), (SELECT count(*) FROM plan_measure), (SELECT max(measure_id) FROM plan_measure), (SELECT sum(expected)::text FROM measure_effect) FROM plan_check()" | tail -n 1'$c$,
              :'bindir', :'conn', :'root',
              format('-h %s -p %s', split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'))) AS dumpcmd \gset
\set dump_out `:dumpcmd`
SELECT is(:'dump_out'::text, '5,20,20,24749000.00..26749000.00'::text,
  'after pg_dump and restore: the same 5 findings, 19 measures + 1 new one numbered after them (the sequence came along), the same effects');

SELECT * FROM finish();
ROLLBACK;
DROP DATABASE ap_plan_dump_a;
DROP DATABASE ap_plan_dump_b;
