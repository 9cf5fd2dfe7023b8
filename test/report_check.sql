-- report_check: the inconsistencies of "Delårsrapport med prognos 2 för
-- 2023" (Socialnämnden, Örebro) and of a December 2025 "Resultatrapport",
-- whose tables test/data/report_check_reports.sql states as printed, each
-- against hand arithmetic; rounding told from error (a correctly rounded
-- table gives no finding, a mutated figure one); document_findings beside
-- plan_check; bad input with its SQLSTATE; and who may see and change a
-- report's figures.
\set QUIET on
SET client_min_messages = warning;
BEGIN;
SELECT plan(54);

\i test/data/report_check_reports.sql
\i demo/plans.sql

CREATE TEMP VIEW f AS SELECT * FROM report_check('DR2 2023');

-- ---------- the findings of Delårsrapport med prognos 2 för 2023 ----------
SELECT results_eq($$SELECT finding, stated, computed FROM f WHERE table_label = '4. Delårsresultat och prognos – ekonomi'$$,
  $$VALUES ('same_figure_differs', -29.6 * 1000000, -79.6 * 1000000)$$,
  'the text''s "underskott på 29,6 mnkr" against the period deviation -79,6 of table 4.1');
SELECT is_empty($$SELECT * FROM f WHERE table_label IN ('4.1 Enheternas delårsresultat och prognos', '1. Förslag till beslut')$$,
  'the texts quoting -79,6 (4.1) and -81,5 mnkr (the proposal) agree with the table');
SELECT results_eq($$SELECT finding, stated, computed FROM f WHERE table_label = '4.2 kontogrupp' AND row_label = 'Övriga intäkter'$$,
  $$VALUES ('deviation_differs', 17.4 * 1000000, (17.4 - 4.5) * 1000000)$$,
  '4.2 Övriga intäkter: the deviation 17,4 is not forecast 17,4 − budget 4,5');
SELECT results_eq($$SELECT finding, stated, computed, difference FROM f WHERE row_label = '551 Missbruksvård vuxna'$$,
  $$VALUES ('forecast_below_outcome', -50520 * 1000::numeric, -86564 * 1000::numeric, (-50520 + 86564) * 1000::numeric)$$,
  '551: the forecast -50 520 tkr is below the outcome to date -86 564 tkr');
SELECT results_eq($$SELECT finding, stated, computed FROM f WHERE row_label = '561 Barn och ungdomsvård'$$,
  $$VALUES ('forecast_below_outcome', -126366 * 1000::numeric, -280934 * 1000::numeric)$$,
  '561: the forecast -126 366 tkr is below the outcome to date -280 934 tkr');
SELECT results_eq($$SELECT stated, computed FROM f WHERE table_label = '4.3.4' AND column_label = 'Jan–aug 2023' AND finding = 'parts_do_not_add_up'$$,
  $$VALUES (461::numeric, (165 + 154 + 134)::numeric)$$, 'target groups'' persons per day add up to 453, not 461');
SELECT results_eq($$SELECT stated, computed FROM f WHERE table_label = '4.3.4' AND column_label = 'Budget 2023' AND finding = 'parts_do_not_add_up'$$,
  $$VALUES (383::numeric, (139 + 133 + 99)::numeric)$$, 'the budget''s groups add up to 371, not 383');
SELECT results_eq($$SELECT table_label, column_label, stated, computed FROM f WHERE finding = 'same_figure_differs' AND table_label = '5'$$,
  $$VALUES ('5', 'Utfall 2020', 2686::numeric, 2611::numeric)$$,
  'the cost per care day of 2020 is 2 611 kr in table 4.3.4 and 2 686 kr in the five-year summary (2019, 2021, 2022 agree)');
SELECT results_eq($$SELECT stated, computed FROM f WHERE table_label = '4.3.4' AND column_label = 'Budget 2023' AND finding = 'volume_price_differs'$$,
  $$VALUES (292.0 * 1000000, 383 * 2648 * 365::numeric)$$,
  'volume × price: the budget''s 383 persons × 2 648 kr × 365 days is 370,2 mnkr, not its 292,0');
SELECT is((SELECT count(*) FROM f WHERE finding = 'volume_price_differs'), 7::bigint,
  'volume × price misses in each of 2017–2022 and the budget (the cost per care day is an unweighted mean)');
SELECT results_eq($$SELECT stated, computed FROM f WHERE table_label LIKE '4.3.4 %'$$,
  $$VALUES (-79.6 * 1000000, -82.0 * 1000000)$$,
  '4.3.4''s text gives external care''s period deviation as -79,6 (the committee''s), table 4.1 as -82,0');
SELECT set_eq($$SELECT table_label, row_label, finding FROM f WHERE table_label = '4.2 kontogrupp'$$,
  $$VALUES ('4.2 kontogrupp', 'Övriga intäkter', 'deviation_differs'), ('4.2 kontogrupp', 'Summa intäkter', 'parts_do_not_add_up'),
           ('4.2 kontogrupp', 'Summa kostnader', 'deviation_differs'), ('4.2 kontogrupp', 'Netto', 'parts_do_not_add_up'),
           ('4.2 kontogrupp', 'Övriga kostnader', 'forecast_below_outcome')$$,
  '4.2 by account group: the findings found by hand, and no others');
SELECT results_eq($$SELECT stated, computed, tolerance FROM f WHERE table_label = '4.2 kontogrupp' AND row_label = 'Summa kostnader'$$,
  $$VALUES (-99.7 * 1000000, (-789.0 + 689.6) * 1000000, 3 * 50000::numeric)$$,
  'Summa kostnader: -99,7 against -789,0 − -689,6 = -99,4, beyond the three half units 0,15 mnkr');
SELECT is_empty($$SELECT * FROM f WHERE table_label IN ('4.1', '4.2 verksamhet') AND finding NOT LIKE 'forecast%'$$,
  'tables 4.1 and 4.2 by activity code add up within rounding');
SELECT results_eq($$SELECT stated, computed, tolerance FROM report_check('DR2 2023', rounding => true)
                   WHERE table_label = '4.1' AND row_label = 'Nettokostnad egen verksamhet' AND column_label = 'Periodens utfall'$$,
  $$VALUES (-229.4 * 1000000, (-17.8 - 18.9 - 79.5 - 113.3) * 1000000, 5 * 50000::numeric)$$,
  'with rounding => true the rounding of table 4.1 is listed: -229,4 against parts of -229,5');
SELECT is((SELECT count(*) FROM report_check('DR2 2023', true) WHERE finding <> 'rounding'), (SELECT count(*) FROM f),
  'rounding => true adds rounding rows only');
SELECT ok((SELECT bool_and(description_sv IS NOT NULL AND description IS NOT NULL) FROM f), 'every finding has both descriptions');
SELECT is((SELECT replace(description_sv, U&'\00A0', ' ') FROM f WHERE row_label = '551 Missbruksvård vuxna'),
  'prognosen -50 520 tkr är en lägre kostnad än utfallet hittills -86 564 tkr (Ack. utfall aug 2023): skillnaden 36 044 tkr är större än de 1,00 tkr som avrundning kan förklara',
  'the Swedish description of 551');

-- ---------- Resultatrapport December 2025 ----------
SELECT results_eq($$SELECT row_label, column_label, finding, stated, computed, tolerance FROM report_check('Resultatrapport dec 2025')$$,
  $$VALUES ('Nämnden', 'Avvikelse december', 'parts_do_not_add_up', 32.8 * 1000000,
            (-6.0 - 1.4 + 12.3 + 19.7 - 15.0 + 9.1 + 0.4 + 1.5 + 5.9 + 3.7 - 1.9 - 3.9 + 7.6) * 1000000, 14 * 50000::numeric)$$,
  'the units'' year-end deviations add up to +32,0 against the stated +32,8 (more than 14 half units), and the text agrees with +32,8');

-- ---------- rounding told from error ----------
SELECT state_report('rt', 'rounding');
SELECT state_table('rt', 't', unit => 'mnkr', costs_negative => false);
SELECT state_column('rt', 't', 'Budget', 'budget');
SELECT state_column('rt', 't', 'Prognos', 'forecast');
SELECT state_column('rt', 't', 'Avvikelse', 'deviation', '{Budget,Prognos}');
SELECT state_row('rt', 't', 'Summa');
SELECT state_row('rt', 't', r, total => 'Summa') FROM unnest('{a,b,c}'::text[]) r;
-- exact: each part 3,347 / 3,453 / -0,106; total 10,041 / 10,359 / -0,318, rounded to one decimal
SELECT state_figures('rt', 't', r, '{3\,3,3\,5,-0\,1}') FROM unnest('{a,b,c}'::text[]) r;
SELECT state_figures('rt', 't', 'Summa', '{10\,0,10\,4,-0\,3}');
SELECT is_empty($$SELECT * FROM report_check('rt')$$, 'a correctly rounded table gives no finding');
SELECT set_eq($$SELECT row_label, column_label, stated, computed FROM report_check('rt', true)$$,
  $$VALUES ('Summa', 'Budget', 10.0 * 1000000, 9.9 * 1000000), ('Summa', 'Prognos', 10.4 * 1000000, 10.5 * 1000000),
           ('a', 'Avvikelse', -0.1 * 1000000, -0.2 * 1000000), ('b', 'Avvikelse', -0.1 * 1000000, -0.2 * 1000000),
           ('c', 'Avvikelse', -0.1 * 1000000, -0.2 * 1000000), ('Summa', 'Avvikelse', -0.3 * 1000000, -0.4 * 1000000)$$,
  'its rounding differences are there with rounding => true');
SELECT state_report('rt2', 'rounding, one figure mutated');
SELECT state_table('rt2', 't', unit => 'mnkr', costs_negative => false);
SELECT state_column('rt2', 't', 'Budget', 'budget');
SELECT state_column('rt2', 't', 'Prognos', 'forecast');
SELECT state_column('rt2', 't', 'Avvikelse', 'deviation', '{Budget,Prognos}');
SELECT state_row('rt2', 't', 'Summa');
SELECT state_row('rt2', 't', r, total => 'Summa') FROM unnest('{a,b,c}'::text[]) r;
SELECT state_figures('rt2', 't', r, '{3\,3,3\,5,-0\,1}') FROM unnest('{a,b}'::text[]) r;
SELECT state_figures('rt2', 't', 'c', '{3\,3,3\,5,-0\,4}');
SELECT state_figures('rt2', 't', 'Summa', '{10\,0,10\,4,-0\,3}');
SELECT set_eq($$SELECT row_label, column_label, finding FROM report_check('rt2')$$,
  $$VALUES ('c', 'Avvikelse', 'deviation_differs'), ('Summa', 'Avvikelse', 'parts_do_not_add_up')$$,
  'a mutated figure (-0,4 for -0,1) gives a finding of its row and of the total it is a part of');
-- volume × price within rounding, then mutated
SELECT state_table('rt', 'vp', days => 30, costs_negative => false);
SELECT state_column('rt', 'vp', 'Utfall');
SELECT state_row('rt', 'vp', 'Personer per dygn', 'volume');
SELECT state_row('rt', 'vp', 'Kostnad per dygn', 'price', unit => 'kr');
SELECT state_row('rt', 'vp', 'Kostnad', 'amount', '{Personer per dygn,Kostnad per dygn}', unit => 'mnkr');
SELECT state_row('rt', 'vp', 'Kostnad, ändrad', 'amount', '{Personer per dygn,Kostnad per dygn}', unit => 'mnkr');
SELECT state_figures('rt', 'vp', r, ARRAY[f]) FROM (VALUES ('Personer per dygn', '10,4'), ('Kostnad per dygn', '2 000'),
  ('Kostnad', '0,6'), ('Kostnad, ändrad', '0,7')) v(r, f);
SELECT results_eq($$SELECT row_label, finding, stated, computed FROM report_check('rt') WHERE table_label = 'vp'$$,
  $$VALUES ('Kostnad, ändrad', 'volume_price_differs', 700000::numeric, 10.4 * 2000 * 30)$$,
  '10,4 persons × 2 000 kr × 30 days = 0,624 mnkr: ''0,6'' is rounding, ''0,7'' a finding');

-- ---------- document_findings ----------
SELECT is((SELECT count(*) FROM document_findings WHERE document_kind = 'report'),
          (SELECT count(*) FROM stated_report r, report_check(r.name)), 'document_findings lists every report''s findings');
SELECT is((SELECT count(*) FROM document_findings WHERE document_kind = 'plan'), (SELECT count(*) FROM plan_check()),
          'and every plan_check finding of the action plans');
SELECT ok((SELECT count(*) FROM plan_check()) > 0, 'the demo action plans have plan_check findings');
SELECT is((SELECT count(*) FROM document_findings WHERE description_sv IS NULL), 0::bigint, 'every document finding has a Swedish description');

-- ---------- bad input ----------
SELECT throws_ok($$SELECT state_figure('rt', 'vp', 'Personer per dygn', 'Utfall2', '1.5')$$, '22023', NULL, 'an unknown column is 22023');
SELECT throws_ok($$SELECT stated_figure_parse('1.5')$$, '22P02', NULL, 'a decimal point is 22P02');
SELECT throws_ok($$SELECT stated_figure_parse('12,3,4 mnkr')$$, '22P02', 'cannot read "12,3,4 mnkr" as a figure', 'unparseable figure text is 22P02');
SELECT throws_ok($$SELECT stated_figure_parse(repeat('1', 65))$$, '22P02', NULL, 'an over-long figure is 22P02');
SELECT throws_ok($$SELECT * FROM report_check('no such report')$$, '22023', 'report_check: there is no stated report "no such report"', 'an unknown report is 22023');
SELECT throws_ok($$SELECT * FROM report_check(NULL)$$, '22004', NULL, 'a NULL report is 22004');
SELECT throws_ok($$SELECT state_row('DR2 2023', '4.1', 'x', total => 'Netto')$$, '22023',
  'state_row: table "4.1" has no row ''Netto''', 'a total in another table (Netto is in 4.2 kontogrupp) is 22023');
SELECT throws_ok($$SELECT state_row('DR2 2023', '4.1', 'Myndighet')$$, '23505', NULL, 'a duplicate row label is 23505');
SELECT throws_ok($$SELECT state_table('DR2 2023', '4.1')$$, '23505', NULL, 'a duplicate table label is 23505');
SELECT throws_ok($$SELECT state_report('DR2 2023', 'again')$$, '23505', NULL, 'a report stated twice is 23505');
SELECT throws_ok($$SELECT state_figure('DR2 2023', '4.1', 'Myndighet', 'Budget 2023', '-1,0')$$, '23505', NULL, 'a cell stated twice is 23505');
SELECT throws_ok($$SELECT state_column('rt', 't', 'x', 'deviation', '{Budget}')$$, '22023', NULL, 'a deviation of one column is 22023');
SELECT throws_ok($$SELECT state_column('rt', 't', 'x', 'ratio')$$, '22023', 'state_column: unknown role "ratio"', 'an unknown role is 22023');
SELECT throws_ok($$SELECT state_figures('rt', 't', 'a', '{1,2,3,4}')$$, '22023', NULL, 'more figures than columns is 22023');
SELECT throws_ok($$SELECT state_table('rt', 'u', unit => 'sek')$$, '22023', NULL, 'an unknown unit is 22023');
UPDATE stated_row SET total_id = (SELECT row_id FROM stated_row WHERE label = 'a' AND table_id = (SELECT table_id FROM stated_table t JOIN stated_report r USING (report_id) WHERE r.name = 'rt2' AND t.label = 't'))
WHERE label = 'Summa' AND table_id = (SELECT table_id FROM stated_table t JOIN stated_report r USING (report_id) WHERE r.name = 'rt2' AND t.label = 't');
SELECT throws_ok($$SELECT * FROM report_check('rt2')$$, '22023', NULL, 'totals in a cycle (Summa a part of its part a) are 22023');

-- ---------- who may see and change a report ----------
CREATE ROLE ap_rc_owner;
CREATE ROLE ap_rc_reader;
CREATE ROLE ap_rc_other;
GRANT INSERT, UPDATE, DELETE ON stated_report, stated_table, stated_row, stated_column, stated_figure TO ap_rc_owner, ap_rc_other, ap_rc_reader;
GRANT USAGE ON SEQUENCE stated_id_seq TO ap_rc_owner, ap_rc_other, ap_rc_reader;
SET ROLE ap_rc_owner;
SELECT state_report('own', 'a controller''s draft', readers => '{ap_rc_reader}');
SELECT state_table('own', 't', unit => 'tkr');
SELECT state_column('own', 't', 'Utfall');
SELECT state_row('own', 't', 'Summa');
SELECT state_row('own', 't', 'a', total => 'Summa');
SELECT state_figures('own', 't', 'a', '{1}');
SELECT state_figures('own', 't', 'Summa', '{5}');
SELECT is((SELECT count(*) FROM report_check('own')), 1::bigint, 'the owner states a report and checks it');
SELECT is((SELECT count(*) FROM stated_report), 1::bigint, 'the owner sees only its own report, not the superuser''s');
SET ROLE ap_rc_reader;
SELECT is((SELECT count(*) FROM report_check('own')), 1::bigint, 'a reader checks it too');
SELECT throws_ok($$SELECT state_figures('own', 't', 'a', '{5}')$$, '42501', NULL, 'a reader may not state figures (42501)');
SELECT throws_ok($$SELECT forget_report('own')$$, '42501', NULL, 'a reader may not forget it (42501)');
UPDATE stated_figure SET value = 0;
SET ROLE ap_rc_other;
SELECT throws_ok($$SELECT * FROM report_check('own')$$, '22023', NULL, 'another role does not see it (22023, as unknown)');
SELECT is((SELECT count(*) FROM stated_figure) + (SELECT count(*) FROM document_findings WHERE document_kind = 'report'), 0::bigint,
  'another role sees none of its figures and none of its findings');
SELECT throws_ok($$INSERT INTO stated_figure (report_id, place, quote, figure, value, decimals, half_unit, key)
                   SELECT report_id, 'x', 'x', '1', 1, 0, 0.5, 'k' FROM (SELECT max(report_id) AS report_id FROM stated_figure) s
                   UNION ALL SELECT (SELECT min(report_id) FROM stated_table), 'x', 'x', '1', 1, 0, 0.5, 'k'$$,
  NULL, NULL, 'another role cannot add a figure to it');
RESET ROLE;
SELECT results_eq($$SELECT f.value FROM stated_figure f JOIN stated_report r USING (report_id) WHERE r.name = 'own' ORDER BY 1$$,
  $$VALUES (1000::numeric), (5000)$$, 'a reader''s UPDATE of its figures changed nothing');
SELECT is(forget_report('own'), 2::bigint, 'forget_report removes its two figures');
SELECT is((SELECT count(*) FROM stated_table t WHERE NOT EXISTS (SELECT FROM stated_report r WHERE r.report_id = t.report_id)), 0::bigint,
  'and its tables with it');

SELECT * FROM finish();
ROLLBACK;
