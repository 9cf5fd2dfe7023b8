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
SELECT plan(66);

\i demo/plans.sql
SELECT plan_id AS p0 FROM action_plan WHERE source = 'Handlingsplan ekonomi 2025' \gset
SELECT plan_id AS p4 FROM action_plan WHERE source = 'Åtgärdsplan 2024–2026' \gset

-- Åtgärdsplan 2024–2026: the check
SELECT results_eq(
  format($$SELECT finding, number, estimate(stated_low::sek, stated_high::sek), estimate(computed_low::sek, computed_high::sek)
           FROM plan_check(%s)$$, :p4),
  $$VALUES ('stated_total_differs', NULL::int, '13 149 tkr'::estimate, '13 849 tkr'::estimate),
           ('row_total_missing', 2, NULL, '2 500 tkr'),
           ('row_total_missing', 6, NULL, '100 tkr'),
           ('row_total_missing', 7, NULL, '1 859 tkr'),
           ('row_total_differs', 10, '150 tkr', '450 tkr')$$,
  'Åtgärdsplan 2024–2026: the stated sum 13 149 tkr against 13 849 tkr saved (the columns'' 13 549 + the rent increase''s 150 in 2025 and 2026), rows 2, 6 and 7 without a total, row 10''s lasting rent increase counted in 2024 only');
SELECT is((SELECT replace(detail, U&'\00A0', ' ') FROM plan_check(:p4) WHERE finding = 'stated_total_differs'),
          'the plan states 13 149 tkr; its measures'' effects save 13 849 tkr',
          'Åtgärdsplan 2024–2026: the finding in words, in tkr');
SELECT is(13549000 + 2 * 150000, 13849000, 'Åtgärdsplan 2024–2026 by hand: the year columns 7 169 + 3 900 + 2 480 = 13 549 tkr, and 150 tkr more in 2025 and 2026');
SELECT results_eq(
  format('SELECT year, estimate(expected_low::sek, expected_high::sek) FROM plan_totals(%s) WHERE year IS NOT NULL', :p4),
  $$VALUES (2024, '7 169 tkr'::estimate), (2025, ((3900 + 150)::text || ' tkr')::estimate), (2026, ((2480 + 150)::text || ' tkr')::estimate)$$,
  'Åtgärdsplan 2024–2026: saved per year = the year columns 7 169, 3 900 and 2 480 tkr, the rent increase carried into 2025 and 2026');
SELECT results_eq(
  format('SELECT year, one_off_low, lasting_low, level_low, cumulative_low FROM plan_totals(%s)', :p4),
  $$VALUES (2024, (1750 + 1200 + 1000 + 100 + 1859) * 1000::numeric, (535 + 440 + 465 + 150) * 1000::numeric,
            (1750 + 1200 + 1000 + 100 + 1859 + 535 + 440 + 465 + 150) * 1000::numeric, 7169000::numeric),
           (2025, (750 + 1000) * 1000, (535 + 600 + 440 + 465 + 440 + 150) * 1000,
            (750 + 1000 + 535 + 600 + 440 + 465 + 440 + 150) * 1000, (7169 + 4050) * 1000),
           (2026, 0, (535 + 600 + 440 + 465 + 440 + 150) * 1000, (535 + 600 + 440 + 465 + 440 + 150) * 1000,
            (7169 + 4050 + 2630) * 1000),
           (NULL, (5909 + 1750) * 1000, 2630000, 2630000, 13849000)$$,
  'Åtgärdsplan 2024–2026 by hand: one-offs (2, 3, 5, 6, 7 in 2024; 2 and 5 in 2025), permanent levels (1, 4 from October 2024, 8, 10; 3 and 9 from 2025), the level reached and the cumulative savings');
SELECT results_eq(
  format($$SELECT year, requirement, round(coverage_low, 6), round(coverage_high, 6) FROM plan_totals(%s)$$, :p4),
  $$VALUES (2024, 12357000::numeric, round(7499000 / 12357000.0 * 100, 6), round(7499000 / 12357000.0 * 100, 6)),
           (2025, 12357000, round(4380000 / 12357000.0 * 100, 6), round(4380000 / 12357000.0 * 100, 6)),
           (2026, 12357000, round(2630000 / 12357000.0 * 100, 6), round(2630000 / 12357000.0 * 100, 6)),
           (NULL, 12357000, round(2630000 / 12357000.0 * 100, 6), round(2630000 / 12357000.0 * 100, 6))$$,
  'Åtgärdsplan 2024–2026: the 12 357 tkr sparbeting, an annual level, on every row; the level reached covers 60,7, 35,4 and 21,3 %, and 21,3 % carries into 2027 (not 109,6 %)');
SELECT is((SELECT round(coverage_low, 1) FROM plan_totals(:p4) WHERE year IS NULL), 21.3,
          'Åtgärdsplan 2024–2026: 2 630 tkr of lasting savings ÷ 12 357 tkr = 21,3 %');
SELECT is((SELECT round(cumulative_low / requirement * 100, 1) FROM plan_totals(:p4) WHERE year IS NULL), 112.1,
          'Åtgärdsplan 2024–2026: the cumulative 13 849 tkr, three years of savings, ÷ the annual 12 357 tkr would be 112,1 % (the 109,6 % of the year columns was this quotient)');
SELECT is(round(13549000 / 12357000.0 * 100, 1), 109.6, 'Åtgärdsplan 2024–2026 by hand: 13 549 ÷ 12 357 = 109,6 %');
SELECT results_eq(format($$SELECT year, expected_low, lasting_low FROM measure_progress('2026-12-31', %s) WHERE number = 4$$, :p4),
  $$VALUES (2024, 440000 * 3 / 12::numeric, 440000::numeric), (2025, 440000, 440000), (2026, 440000, 440000)$$,
  'Åtgärdsplan 2024–2026: measure 4 from October 2024: three twelfths of 440 tkr in 2024 = the 110 000 of its column, then 440 000 a year');

-- Handlingsplan ekonomi 2025: a range total for 2025 against the measures' ranges, measure 8 counted once in measure 1's
SELECT results_eq(
  format('SELECT finding, number, estimate(stated_low::sek, stated_high::sek), estimate(computed_low::sek, computed_high::sek), detail FROM plan_check(%s)', :p0),
  $$VALUES ('stated_total_differs', NULL::int, 'ca 7-10 mkr'::estimate, '9,2-10,2 mkr'::estimate,
            'the plan states 7' || U&'\00A0' || '000–10' || U&'\00A0' || '000 tkr for 2025; its measures'' effects save 9' || U&'\00A0' || '200–10' || U&'\00A0' || '200 tkr'),
           ('unquantified_effect', 4, NULL, NULL, 'an effect is expected in 2026 but not quantified'),
           ('unquantified_effect', 7, NULL, NULL, 'an effect is expected in 2026 but not quantified'),
           ('unquantified_effect', 9, NULL, NULL, 'an effect is expected in 2026 but not quantified')$$,
  'Handlingsplan ekonomi 2025: "7-10 mkr" stated for 2025 against 9,2–10,2 mkr from its measures; the effects of 4, 7 and 9 expected in 2026 without an amount');
SELECT results_eq(
  format($$SELECT year, measures, expected_low, expected_high, achieved, requirement, coverage_low, coverage_high
           FROM plan_totals(%s, '2025-10-31')$$, :p0),
  $$VALUES (2025, 3::bigint, 9200000::numeric, 10200000::numeric, 2000000::numeric, 15000000::numeric,
            (9200000 / 15000000.0::float8 * 100)::numeric, (10200000 / 15000000.0::float8 * 100)::numeric),
           (2026, 1::bigint, 2000000, 3000000, 0, NULL, NULL, NULL),
           (NULL, 4::bigint, 11200000, 13200000, 2000000, NULL, NULL, NULL)$$,
  'Handlingsplan ekonomi 2025: per year and total; the 15 000 tkr deficit of 2025 covered 61,3–68,0 %');
SELECT results_eq(
  format($$SELECT year, overlap_low, overlap_high, unquantified, one_off_low, lasting_low, lasting_high, level_low, level_high,
                  cumulative_low, cumulative_high FROM plan_totals(%s, '2025-10-31')$$, :p0),
  $$VALUES (2025, 2000000::numeric, 3000000::numeric, 0::bigint, 9200000::numeric, 0::numeric, 0::numeric,
            9200000::numeric, 10200000::numeric, 9200000::numeric, 10200000::numeric),
           (2026, 0, 0, 3, 0, 2000000, 3000000, 2000000, 3000000, 11200000, 13200000),
           (NULL, 2000000, 3000000, 3, 9200000, 2000000, 3000000, 2000000, 3000000, 11200000, 13200000)$$,
  'Handlingsplan ekonomi 2025: measure 8''s ca 2-3 mkr, measure 1''s joint effect, not counted twice; three effects of 2026 without an amount; measure 6''s 2-3 mkr a new level from 2026');
SELECT is((SELECT sum(expected) FROM measure_effect e JOIN plan_measure m USING (measure_id) WHERE m.plan_id = :p0 AND e.year = 2025),
          '11,2-13,2 mkr'::estimate, 'Handlingsplan ekonomi 2025: counted twice, 2025''s effects would be 11,2–13,2 mkr');
SELECT results_eq(
  format($$SELECT realisation_low, realisation_high FROM plan_totals(%s, '2025-10-31') WHERE year = 2025$$, :p0),
  $$VALUES ((2000000 / 9200000.0::float8 * 100)::numeric, (2000000 / 10200000.0::float8 * 100)::numeric)$$,
  'Handlingsplan ekonomi 2025: realisation 2025 = achieved 2 mkr against the low and the high end');
SELECT is((SELECT achieved FROM plan_totals(:p0, '2025-06-02') WHERE year = 2025), 0::numeric,
          'a follow-up after as_of does not count');
SELECT results_eq(
  format($$SELECT number, expected_high, counted_in FROM measure_progress('2025-10-31', %s) WHERE number IN (1, 8)$$, :p0),
  $$VALUES (1, 3000000::numeric, NULL::int[]), (8, 0, '{1}')$$,
  'Handlingsplan ekonomi 2025: measure 8''s effect is counted in measure 1''s');

-- behind schedule (amounts in words use no-break spaces between thousands)
SELECT results_eq(
  format($$SELECT number, reasons FROM measures_behind_schedule('2025-10-31', %s) WHERE year = 2025$$, :p0),
  $$VALUES (1, ARRAY['no achieved amount followed up; 1,7 mnkr expected by now']),
           (2, ARRAY['no achieved amount followed up; 2,2 mnkr expected by now']),
           (3, ARRAY['achieved 2,0 mnkr, below the 3,8 mnkr expected by now'])$$,
  'Handlingsplan ekonomi 2025 as of 31 October 2025: measures 1–3 behind (304 of 365 days: 3,83 mnkr of 4,6 expected by now)');
SELECT is((SELECT estimate(expected_to_date_low::sek, expected_to_date_high::sek) FROM measure_progress('2025-10-31', :p0) WHERE number = 3),
          '4,6 mkr'::estimate * (304 / 365.0::float8), 'expected by now = expected × share of the year''s days');
SELECT is((SELECT count(*) FROM measure_progress('2025-10-31', :p0) WHERE number >= 4 AND behind), 0::bigint,
          'Handlingsplan ekonomi 2025: measures with no effect expected are not behind');
SELECT ok((SELECT 'not started, due 2024-03-31' = ANY (reasons) FROM measure_progress('2024-06-30', :p4)
           WHERE number = 1 AND year = 2024), 'Åtgärdsplan 2024–2026: measure 1, due Q1 2024 and still planned in June, is not started');
SELECT ok((SELECT 'follow-up overdue: last never, every 1 mon' = ANY (reasons) FROM measure_progress('2024-06-30', :p4)
           WHERE number = 1 AND year = 2024), 'Åtgärdsplan 2024–2026: a monthly follow-up never done is overdue');
INSERT INTO measure_follow_up (measure_id, as_of, year, achieved, status)
SELECT measure_id, '2024-06-15', 2024, '300 tkr', 'started' FROM plan_measure WHERE plan_id = :p4 AND number = 1;
SELECT is((SELECT behind FROM measure_progress('2024-06-30', :p4) WHERE number = 1 AND year = 2024), false,
          'Åtgärdsplan 2024–2026: followed up on 15 June with 300 tkr of 535 (267 by the end of June): on schedule');
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
  $$VALUES ('row_total_differs', 4, 'the row states 1 000 tkr; its effects save 990 tkr in the plan''s years'),
           ('achieved_outside_plan_years', 9, 'achieved 50 tkr in 2023 (followed up 2023-12-31), outside the plan''s years 2024–2026'),
           ('effect_outside_plan_years', 9, 'expected effect 1 000 tkr in 2027, outside the plan''s years 2024–2026')$$,
  'a row total that differs, an effect and an achieved amount outside the plan''s years (an effect outside them is not in the row''s sum)');
INSERT INTO measure_effect (measure_id, kind, starts, expected)
SELECT measure_id, 'permanent', '2028-03-01', '200 tkr' FROM plan_measure WHERE plan_id = :p4 AND number = 6;
SELECT is((SELECT replace(detail, U&'\00A0', ' ') FROM plan_check(:p4) WHERE number = 6 AND finding = 'effect_outside_plan_years'),
          'permanent effect 200 tkr a year from 2028-03-01, outside the plan''s years 2024–2026', 'a permanent effect starting after the plan');
SELECT is((SELECT count(*) FROM plan_check()), 13::bigint, 'plan_check() covers every plan');

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

-- bad effects
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, expected) SELECT measure_id, 'one_off', '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', 'new row for relation "measure_effect" violates check constraint "measure_effect_one_off_year"',
                 'a one-off effect without a year: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, year, expected) SELECT measure_id, 'permanent', 2025, '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', 'new row for relation "measure_effect" violates check constraint "measure_effect_permanent_starts"',
                 'a permanent effect without a start: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, year, starts, expected) SELECT measure_id, 'permanent', 2026, '2025-01-01', '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'a permanent effect whose year is not its start''s: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, starts, expected) SELECT measure_id, 'permanent', '2025-03-15', '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', 'new row for relation "measure_effect" violates check constraint "measure_effect_starts"',
                 'a start that is not the first of a month: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, starts, expected) SELECT measure_id, 'permanent', 'infinity', '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'an infinite start: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, year, starts, expected) SELECT measure_id, 'one_off', 2025, '2025-01-01', '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'a one-off with a start: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year, expected) SELECT measure_id, 2025, '-1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', 'new row for relation "measure_effect" violates check constraint "measure_effect_expected"',
                 'a negative effect: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year) SELECT measure_id, 2025
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', 'new row for relation "measure_effect" violates check constraint "measure_effect_quantified"',
                 'an effect without an amount that is not marked unquantified: 23514, not a silent zero');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year, expected, unquantified) SELECT measure_id, 2025, '1 mkr', true
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'an unquantified effect with an amount: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year, expected) SELECT measure_id, 2024, '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23505', NULL, 'a second one-off of a measure in a year: 23505');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, kind, starts, expected) SELECT measure_id, 'permanent', '2024-01-01', '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 1$$, :p4),
                 '23505', NULL, 'a second permanent effect of a measure from the same start: 23505');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year, expected) SELECT measure_id, 3000, '1 mkr'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'a year out of range: 23514');
SELECT throws_ok(format($$INSERT INTO measure_effect (measure_id, year, expected, kind) SELECT measure_id, 2026, '1 mkr', 'recurring'
                          FROM plan_measure WHERE plan_id = %s AND number = 6$$, :p4),
                 '23514', NULL, 'an unknown kind: 23514');

-- bad links
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to)
                          SELECT %s, a.measure_id, b.measure_id FROM plan_measure a, plan_measure b
                          WHERE a.plan_id = %s AND a.number = 1 AND b.plan_id = %s AND b.number = 8$$, :p0, :p0, :p0),
                 '23514', 'measure_link: measure ' || (SELECT measure_id FROM plan_measure WHERE plan_id = :p0 AND number = 1)
                          || ' linked to ' || (SELECT measure_id FROM plan_measure WHERE plan_id = :p0 AND number = 8)
                          || ' closes a cycle (' || (SELECT measure_id FROM plan_measure WHERE plan_id = :p0 AND number = 8)
                          || ' already depends on ' || (SELECT measure_id FROM plan_measure WHERE plan_id = :p0 AND number = 1) || ')',
                 'Handlingsplan ekonomi 2025: measure 1 linked back to measure 8 closes a cycle: 23514');
INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap)
SELECT :p0, a.measure_id, b.measure_id, 0.5 FROM plan_measure a, plan_measure b
WHERE a.plan_id = :p0 AND a.number = 2 AND b.plan_id = :p0 AND b.number = 3;
INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap)
SELECT :p0, a.measure_id, b.measure_id, 0.25 FROM plan_measure a, plan_measure b
WHERE a.plan_id = :p0 AND a.number = 3 AND b.plan_id = :p0 AND b.number = 8;
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to)
                          SELECT %s, a.measure_id, b.measure_id FROM plan_measure a, plan_measure b
                          WHERE a.plan_id = %s AND a.number = 1 AND b.plan_id = %s AND b.number = 2$$, :p0, :p0, :p0),
                 '23514', NULL, 'a cycle of four links (1 → 2 → 3 → 8 → 1): 23514');
SELECT is((SELECT estimate(expected_low::sek, expected_high::sek) FROM plan_totals(:p0) WHERE year = 2025),
          '2-3 mkr'::estimate + '2,6 mkr'::estimate * 0.5::float8 + '4,6 mkr'::estimate * 0.75::float8,
          'a chain of partial overlaps: each measure counted × (1 − its overlap)');
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap)
                          SELECT %s, a.measure_id, b.measure_id, 0.75 FROM plan_measure a, plan_measure b
                          WHERE a.plan_id = %s AND a.number = 2 AND b.plan_id = %s AND b.number = 1$$, :p0, :p0, :p0),
                 '23514', 'measure_link: the overlaps of measure ' || (SELECT measure_id FROM plan_measure WHERE plan_id = :p0 AND number = 2)
                          || ' add up to 1.25, more than its whole effect',
                 'overlaps of one measure above its whole effect: 23514');
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to)
                          SELECT %s, measure_id, measure_id FROM plan_measure WHERE plan_id = %s AND number = 5$$, :p0, :p0),
                 '23514', NULL, 'a measure linked to itself: 23514');
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to)
                          SELECT %s, a.measure_id, b.measure_id FROM plan_measure a, plan_measure b
                          WHERE a.plan_id = %s AND a.number = 5 AND b.plan_id = %s AND b.number = 5$$, :p0, :p0, :p4),
                 '23503', NULL, 'a link to a measure of another plan: 23503');
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap)
                          SELECT %s, a.measure_id, b.measure_id, 0 FROM plan_measure a, plan_measure b
                          WHERE a.plan_id = %s AND a.number = 5 AND b.plan_id = %s AND b.number = 6$$, :p0, :p0, :p0),
                 '23514', NULL, 'an overlap of 0 (no link): 23514');
SELECT throws_ok(format($$INSERT INTO measure_link (plan_id, measure_id, linked_to, overlap)
                          SELECT %s, a.measure_id, b.measure_id, 1.5 FROM plan_measure a, plan_measure b
                          WHERE a.plan_id = %s AND a.number = 5 AND b.plan_id = %s AND b.number = 6$$, :p0, :p0, :p0),
                 '23514', NULL, 'an overlap above 1: 23514');

-- the register is not open: a role without SELECT on it gets 42501 (docs/security.md)
CREATE ROLE ap_plan_nobody NOLOGIN;
SET LOCAL ROLE ap_plan_nobody;
SELECT throws_ok($$SELECT * FROM plan_totals(NULL, '2025-10-31')$$, '42501', NULL, 'plan_totals as a role without SELECT on the register: 42501');
RESET ROLE;

-- pg_dump keeps the register: dump a database with the two plans, restore it
-- into another, and compare the check there
SELECT ok((SELECT extconfig @> ARRAY['action_plan', 'plan_stated_total', 'plan_measure', 'measure_effect',
                                     'measure_follow_up', 'measure_link', 'action_plan_id_seq', 'plan_measure_id_seq']::regclass[]::oid[]
           FROM pg_extension WHERE extname = 'actionplan'), 'the register''s tables and sequences are extension configuration');
SELECT setting AS bindir FROM pg_config WHERE name = 'BINDIR' \gset
SELECT format('-h %s -p %s -X -q -v ON_ERROR_STOP=1', split_part(current_setting('unix_socket_directories'), ',', 1),
              current_setting('port')) AS conn \gset
-- run by this psql (a backquote), not by the server through COPY FROM PROGRAM:
-- the server's user may not read the repository (a clone under /root or in
-- a mode-700 directory)
SELECT format($c$sh -c '%1$s/psql %2$s -d ap_plan_dump_a -c "CREATE EXTENSION actionplan" -f "%3$s/demo/plans.sql" >/dev/null && %1$s/pg_dump %4$s ap_plan_dump_a | %1$s/psql %2$s -d ap_plan_dump_b >/dev/null && %1$s/psql %2$s -d ap_plan_dump_b -At -F, -c "INSERT INTO plan_measure (plan_id, title) VALUES (1, current_database())" -c "SELECT count(*), (SELECT count(*) FROM plan_measure), (SELECT max(measure_id) FROM plan_measure), (SELECT sum(expected)::text FROM measure_effect), (SELECT count(*) FROM measure_link) FROM plan_check()" | tail -n 1'$c$,
              :'bindir', :'conn', :'root',
              format('-h %s -p %s', split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'))) AS dumpcmd \gset
\set dump_out `:dumpcmd`
SELECT is(:'dump_out'::text, format('9,20,20,%s.00..%s.00,1', 13200000 + 10289000, 16200000 + 10289000),
  'after pg_dump and restore: the same 9 findings, 19 measures + 1 new one numbered after them (the sequence came along), the same effects (Handlingsplan ekonomi 2025: 2-3 + 2,6 + 4,6 + 2-3 + 2-3 mkr; Åtgärdsplan 2024–2026: 7 659 tkr one-off + 2 630 tkr of levels) and the link');

SELECT * FROM finish();
ROLLBACK;
DROP DATABASE ap_plan_dump_a;
DROP DATABASE ap_plan_dump_b;
