-- The demo municipality (demo/municipality.sql) and its monthly report
-- (demo/report_views.sql, demo/report_html.sql): the generated figures land
-- close to Delårsrapport 2 2023's within the tolerances stated with each test, the
-- stays are log-normal as R's survreg estimates them, the ledger agrees with
-- the placements to the öre, the nightly snapshots and their accuracy are
-- there, the plans' findings are Åtgärdsplan 2024–2026's and Handlingsplan ekonomi 2025's, the report's tables say
-- what the functions say, and the HTML file parses (html.parser) with its
-- SVG charts as XML.  number_format/percent_format's SQLSTATEs too.
\set QUIET on
SET client_min_messages = warning;
\getenv root PWD
BEGIN;
SELECT plan(76);

\set demo_quiet 1
\i demo/municipality.sql
-- the generator leaves demo first in the search_path

-- Budget (Delårsrapport 2 2023 §4): exact, with its changes
SELECT is((SELECT sum(amount) FROM budget WHERE valid_from BETWEEN '2023-01-01' AND '2023-08-31'), '654 376 tkr'::sek,
          'budget in force on 31 August 2023: 654 376 tkr');
SELECT is((SELECT sum(amount) FROM budget WHERE valid_from BETWEEN '2023-01-01' AND '2023-05-30'), '654 442 tkr'::sek,
          'budget in force on 30 May 2023: 654 442 tkr');
SELECT results_eq($$SELECT unit, sek_format(sum(amount), 'mnkr') FROM budget JOIN unit USING (unit)
                    WHERE valid_from BETWEEN '2023-01-01' AND '2023-08-31' GROUP BY unit, ord ORDER BY ord$$,
  $$VALUES ('Övergripande & nämnd', '27,3 mnkr'), ('Förebyggande & familjecentraler', '29,4 mnkr'), ('Myndighet', '125,7 mnkr'),
           ('Eget utförande', '179,3 mnkr'), ('Ensamkommande', '0,7 mnkr'), ('Externa vård- och behandlingskostnader', '292,0 mnkr')$$,
  'each unit''s budget 2023 as Delårsrapport 2 2023 §4.1');

-- External care, Jan–Aug 2023 (Delårsrapport 2 2023 §4.3.4)
CREATE TEMP TABLE ext23 AS
SELECT target_group, category, census(stay, daily_cost, '[2023-01-01,2023-09-01)') AS c
FROM placement_cost GROUP BY 1, 2;
SELECT cmp_ok(abs(persons_per_day(rollup(c)) / 461 - 1), '<', 0.03::float8,
              'persons per day Jan–Aug 2023 within 3 % of 461: ' || round(persons_per_day(rollup(c))::numeric, 1)) FROM ext23;
SELECT is((SELECT string_agg(format('%s %s (%s)', target_group, round(p::numeric), t), ', ')
           FROM (SELECT target_group, persons_per_day(rollup(c)) AS p FROM ext23 GROUP BY 1) s
           JOIN (VALUES ('Barn', 165), ('Unga', 154), ('Vuxna', 134)) v(target_group, t) USING (target_group)
           WHERE abs(p / t - 1) >= 0.06), NULL,
          'each target group within 6 % of Delårsrapport 2 2023''s 165 barn, 154 unga, 134 vuxna');
SELECT cmp_ok(abs(sek_ore(avg(cost_per_care_day(c)))::float8 / 298200 - 1), '<', 0.05::float8,
              'cost per care day, unweighted mean of the categories (as Delårsrapport 2 2023 counts it), within 5 % of 2 982 kr: '
              || sek_format(avg(cost_per_care_day(c)), 'kr')) FROM ext23;
SELECT ok(cost_per_care_day(rollup(c)) BETWEEN '2 200 kr'::sek AND '2 600 kr'::sek,
          'cost per care day weighted by care days between 2 200 and 2 600 kr: ' || sek_format(cost_per_care_day(rollup(c)), 'kr'))
FROM ext23;
SELECT is((SELECT sum(amount) FROM ledger WHERE unit = 'Externa vård- och behandlingskostnader'
           AND entry_date BETWEEN '2023-01-01' AND '2023-08-31'),
          (SELECT cost(rollup(c)) FROM ext23),
          'the external-care ledger Jan–Aug 2023 equals the census cost of the placements to the öre');
SELECT is((SELECT sum(amount) FROM ledger WHERE unit = 'Externa vård- och behandlingskostnader'),
          (SELECT sum(stay_cost(stay, daily_cost, '[2018-01-01,2023-09-01)')) FROM placement_cost),
          'the whole external-care ledger equals stay_cost of the price periods 2018-01 .. 2023-08');
SELECT is((SELECT sum(care_days(stay, '[2015-01-01,2023-09-01)')) FROM placement_cost),
          (SELECT sum(care_days(stay, '[2015-01-01,2023-09-01)')) FROM placement),
          'the price periods cover each stay exactly once');
SELECT is((SELECT count(*) FROM placement WHERE lower(stay) > '2023-08-31' OR upper(stay) > '2023-08-31'), 0::bigint,
          'nothing after 31 August 2023 is known: no later arrival, no later departure (open stays have no end)');
-- the history 2018–2022 modelled on Delårsrapport 2 2023's persons per day
SELECT is((SELECT string_agg(format('%s: %s (%s)', y, round(p::numeric), t), ', ')
           FROM (SELECT extract(year FROM lower(b.period))::int AS y, b.persons_per_day AS p
                 FROM (SELECT census(stay, daily_cost, '[2018-01-01,2023-01-01)') AS c FROM placement_cost) s,
                      census_buckets(s.c, '1 year') b) h
           JOIN (VALUES (2018, 388), (2019, 414), (2020, 389), (2021, 398), (2022, 425)) v(y, t) USING (y)
           WHERE abs(p / t - 1) >= 0.08), NULL,
          'persons per day 2018–2022 each within 8 % of Delårsrapport 2 2023''s 388, 414, 389, 398, 425');

-- Stay lengths are log-normal: R's survreg (censored at as_of) recovers each
-- category's median and sigma within 10 %
SELECT current_setting('data_directory') || '/actionplan_demo_stays.csv' AS rfile \gset
SELECT format('cat >/dev/null; rm -f ''%s''', :'rfile') AS rmcmd \gset
COPY (SELECT c.id, coalesce(upper(p.stay), DATE '2023-09-01') - lower(p.stay) AS days, (upper(p.stay) IS NOT NULL)::int AS ended
      FROM placement p JOIN category c USING (target_group, category) ORDER BY p.placement_id)
  TO :'rfile' WITH (FORMAT csv, HEADER);
SELECT format($R$Rscript -e "suppressMessages(library(survival)); d <- read.csv('%s'); for (i in sort(unique(d[['id']]))) { s <- d[d[['id']] == i, ]; f <- survreg(Surv(days, ended) ~ 1, data = s, dist = 'lognormal'); writeLines(sprintf('%%d,%%.10g,%%.10g', i, exp(coef(f)[[1]]), f[['scale']])) }"$R$,
              :'rfile') AS rcmd \gset
CREATE TEMP TABLE r_fit (id int, median float8, sigma float8);
COPY r_fit FROM PROGRAM :'rcmd' WITH (FORMAT csv);
COPY (SELECT 1) TO PROGRAM :'rmcmd';
SELECT is((SELECT count(*) FROM r_fit), 15::bigint, 'R fitted a log-normal to each of the 15 categories');
SELECT is((SELECT string_agg(format('%s: median %s (R %s), sigma %s (R %s)', c.id, c.median_days, round(r.median::numeric),
                                    c.sigma_days, round(r.sigma::numeric, 2)), '; ')
           FROM r_fit r JOIN category c USING (id)
           WHERE abs(r.median / c.median_days - 1) >= 0.10 OR abs(r.sigma / c.sigma_days - 1) >= 0.10), NULL,
          'R survreg''s log-normal median and sigma within 10 % of the generator''s, every category');
SELECT cmp_ok((SELECT max(abs(median_stay(s.curve) / c.median_days - 1))
               FROM (SELECT target_group, category, stay_survival(stay, '2023-08-31') AS curve FROM placement GROUP BY 1, 2) s
               JOIN category c USING (target_group, category)),
              '<', 0.12::float8, 'median_stay (Kaplan–Meier) within 12 % of each category''s log-normal median');

-- Own facilities (Delårsrapport 2 2023 Bilaga 3): accumulated Jan–Aug 2023 within 5 points
CREATE TEMP TABLE occ23 AS
SELECT f.name, f.places, census(s.stay, '0'::sek, '[2023-01-01,2023-09-01)') AS c
FROM facility f JOIN facility_stay s ON s.facility = f.name GROUP BY 1, 2;
SELECT is((SELECT string_agg(format('%s %s %% (%s %%)', name, round(100 * occupancy(c, places)), t), ', ')
           FROM occ23 JOIN (VALUES ('HVB ungdom', 90), ('Stödboende ungdom', 78), ('Stödboende vuxen', 78), ('Referensbostad', 100)) v(name, t)
             USING (name)
           WHERE abs(100 * occupancy(c, places) - t) > 5), NULL,
          'occupancy Jan–Aug 2023 of each facility within 5 points of Delårsrapport 2 2023''s 90, 78, 78, 100 %');
SELECT cmp_ok(abs(100 * avg(occupancy(c, places)) - 87), '<=', 3::float8,
              'the unweighted total within 3 points of Delårsrapport 2 2023''s 87 %: ' || round(100 * avg(occupancy(c, places)))) FROM occ23;
SELECT cmp_ok(max(occupancy(c, places, daterange(m::date, (m + interval '1 month')::date))), '>', 1::float8,
              'HVB ungdom takes in more than its places in some month (Delårsrapport 2 2023: 105 % in April)')
FROM occ23, generate_series(DATE '2023-01-01', DATE '2023-08-01', interval '1 month') m WHERE name = 'HVB ungdom';

-- The nightly forecasts: 32 month ends × 7 keys × 4 methods, failures written down
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ledger'::regclass AND method <> 'office'), 32 * 7 * 4::bigint,
          'a snapshot per month end 2021-01 .. 2023-08, key (six units and the total) and method');
SELECT is((SELECT count(*) FROM forecast_snapshot WHERE ledger = 'ledger'::regclass AND method = 'office' AND recorded_by = 'demo_ekonomi'),
          32 * 6::bigint, 'the office''s own forecast per unit and month end, recorded by the office''s role');
SELECT is((SELECT string_agg(DISTINCT (key ->> 'unit') || ' ' || method, ', ') FROM forecast_snapshot WHERE error IS NOT NULL),
          'Ensamkommande profile',
          'only the profile of the net-income unit fails (months on both sides of zero), and says why');
SELECT is((SELECT count(*) FROM forecast_accuracy(2022) WHERE key = '{}'), 4 * 12::bigint,
          'forecast_accuracy(2022): the total''s four methods at twelve month ends');
SELECT is((SELECT mean_error FROM forecast_accuracy(2022) WHERE key = '{}' AND method = 'runrate' AND months_before_end = 4),
          ((SELECT forecast FROM forecast_snapshot WHERE key = '{}' AND method = 'runrate' AND as_of = '2022-08-31')
           - (SELECT sum(amount) FROM ledger WHERE entry_date BETWEEN '2022-01-01' AND '2022-12-31'))::numeric,
          'the run-rate forecast of August 2022 missed 2022''s outcome by the accuracy table''s error');

-- The action plans as written, with follow-ups
SELECT is((SELECT count(*) FROM action_plan), 2::bigint, 'the plans of Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026');
SELECT is((SELECT f.status FROM measure_follow_up f JOIN plan_measure m USING (measure_id) JOIN action_plan p USING (plan_id)
           WHERE p.source = 'Åtgärdsplan 2024–2026' AND m.number = 10 ORDER BY f.as_of DESC LIMIT 1), 'cancelled',
          'Åtgärdsplan 2024–2026''s measure 10 (rents) is cancelled');

-- The report's figures
\ir ../demo/report_views.sql
SELECT is((SELECT "Budget 2023" FROM r_verksamhet WHERE "Verksamhet" = 'Nettokostnad'), '-654,4 mnkr',
          'report §4.1: the net cost budget -654,4 mnkr');
SELECT is((SELECT sum(outcome) FROM fu2 WHERE unit IS NOT NULL), (SELECT outcome FROM fu2 WHERE unit IS NULL),
          'report §4.1: the units'' outcomes add up to the total');
SELECT is((SELECT outcome FROM fu2 WHERE unit IS NULL),
          -(SELECT sum(amount) FROM ledger WHERE entry_date BETWEEN '2023-01-01' AND '2023-08-31'),
          'report §4.1: the outcome is the ledger''s Jan–Aug 2023, costs negative');
SELECT cmp_ok(abs(sek_ore(outcome)::float8 / -50657400000 - 1), '<', 0.05::float8,
              'outcome Jan–Aug within 5 % of Delårsrapport 2 2023''s 506,6 mnkr: ' || sek_format(outcome, 'mnkr')) FROM fu2 WHERE unit IS NULL;
SELECT ok(consumption BETWEEN 72 AND 80, 'consumption between 72 and 80 % (Delårsrapport 2 2023: 77 %): ' || round(consumption)) FROM fu2 WHERE unit IS NULL;
SELECT is((SELECT forecast FROM fu2 WHERE unit IS NULL),
          -(SELECT sum(forecast) FROM forecast_snapshot WHERE key ? 'unit' AND method = 'comb' AND as_of = '2023-08-31'),
          'report §4.1: the year-end forecast is the sum of the units'' nightly comb snapshots of 31 August');
SELECT ok(forecast_deviation BETWEEN '-110 mnkr'::sek AND '-70 mnkr'::sek AND lo < forecast AND forecast < hi,
          'forecast deficit between -110 and -70 mnkr (Delårsrapport 2 2023: -81,5), inside its 95 % interval: ' || sek_format(forecast_deviation, 'mnkr'))
FROM fu2 WHERE unit IS NULL;
SELECT is(forecast_deviation, forecast - budget, 'report §4.1: forecast deviation = forecast − budget (report signs)')
FROM fu2 WHERE unit IS NULL;
SELECT is((SELECT "Placeringsdriven prognos" FROM r_externa_kostnad WHERE "Målgrupp" = 'Totalt'),
          (SELECT sek_format(-o.cost, 'mnkr')
           FROM (SELECT rollup(c) AS c FROM ext23) a,
                (SELECT rollup(f) AS f
                 FROM (SELECT placement_forecast(stay, daily_cost, '2023-08-31', '2023-12-31') AS f
                       FROM placement_now GROUP BY target_group, category) x) b,
                placement_outlook(a.c, b.f) o),
          'report §4.3.4: the placement-driven forecast of the total is the rollup of each category''s placement_outlook');
SELECT is((SELECT "Budget 2023" FROM r_externa_volym WHERE "Målgrupp, personer per dygn" = 'Totalt'), '383',
          'report §4.3.4: the budget''s 383 persons per day');
SELECT is((SELECT count(*) FROM r_belaggning), 6::bigint, 'report: occupancy of four facilities and two totals');
SELECT is((SELECT "Ack" FROM r_belaggning WHERE "Beläggningsgrad" = 'Totalt (ovägt medelvärde)'),
          (SELECT percent_format(100 * avg(occupancy(c, places))) FROM occ23),
          'report: the unweighted total is the mean of the facilities');
SELECT results_eq($$SELECT "Fynd", translate("Angivet", U&'\00A0', ' '), translate("Beräknat", U&'\00A0', ' '),
                           translate("Differens", U&'\00A0', ' ') FROM r_plan_kontroll
                    WHERE "Plan" LIKE 'Åtgärdsplan%' AND "Nr" IS NULL$$,
  $$VALUES ('angiven summa stämmer inte med årskolumnerna', '13 149 tkr', '13 849 tkr', '700 tkr')$$,
  'report: Åtgärdsplan 2024–2026 states 13 149 tkr against 13 849 tkr saved (its columns'' 13 549 and the rent increase in 2025 and 2026)');
SELECT is((SELECT translate("Krav" || ', ' || "Nivå mot krav" || ', ' || "Uppnådd årsnivå" || ', ' || "Ackumulerat", U&'\00A0', ' ')
           FROM r_plan_totaler WHERE "Plan" LIKE 'Åtgärdsplan%' AND "År" = 'Totalt'),
          '12 357 tkr sparbeting, 21,3 %, 2 630 tkr, 13 849 tkr',
          'report: Åtgärdsplan 2024–2026 reaches a lasting level of 2 630 tkr (535 + 600 + 440 + 465 + 440 + 150), 21,3 % of the 12 357 tkr sparbeting, and saves 13 849 tkr over three years');
SELECT is((SELECT array_agg(translate("Nivå mot krav", U&'\00A0', ' ') ORDER BY "År") FROM r_plan_totaler
           WHERE "Plan" LIKE 'Åtgärdsplan%' AND "År" <> 'Totalt'),
          ARRAY['60,7 %', '35,4 %', '21,3 %'], 'report: the level reached each year against the annual requirement: 7 499, 4 380 and 2 630 tkr of 12 357');
SELECT is((SELECT "Ej beräknade" FROM r_plan_totaler WHERE "Plan" LIKE 'Handlingsplan%' AND "År" = '2026'), 3::bigint,
          'report: Handlingsplan ekonomi 2025 expects three effects in 2026 without an amount');
SELECT is((SELECT count(*) FROM r_plan_kontroll), 9::bigint,
          'report: nine findings (Handlingsplan ekonomi 2025''s total and three unquantified effects, Åtgärdsplan 2024–2026''s total, rows 2, 6, 7 and 10)');
SELECT is((SELECT count(*) FROM stated_figure f JOIN stated_report r USING (report_id) WHERE r.name = :'rc_name'),
          (SELECT sum(num_nonnulls(prev_year_outcome, budget, period_budget, outcome, deviation, forecast, forecast_deviation)) FROM fu2)::bigint,
          'report check: every printed figure of section 2 is stated');
SELECT is((SELECT count(*) FROM report_check(:'rc_name')), 0::bigint,
          'report check: section 2 as printed adds up, and its deviations follow, within rounding');
SELECT ok((SELECT bool_and("Efter plan" !~ '\m(expected|below|overdue|achieved|cancelled|started|due|every)\M')
           AND count("Efter plan") > 10 FROM r_plan_atgarder),
          'report: the reasons a measure is behind are in Swedish');
SELECT is((SELECT count(*) FROM r_prognossakerhet WHERE "Antal år" = 2), 11::bigint,
          'report: accuracy over 2021 and 2022 after each month January..November');

-- One voice: one official forecast of the net cost, the same in the
-- summary, section 2, the month-by-month table and the charts; one sign
-- convention (costs negative) in tables and charts; one label per quantity
SELECT is((SELECT array_agg(v ORDER BY v) FROM (
             SELECT "Värde" AS v FROM r_sammanfattning WHERE "Nyckeltal" ~ '^Prognos helår'
             UNION ALL SELECT "Prognos helår" FROM r_verksamhet WHERE "Verksamhet" = 'Nettokostnad'
             UNION ALL SELECT "Komb." FROM r_prognos_ar WHERE "Prognos efter" = 'Aug') x),
          (SELECT array_fill(sek_format(forecast, 'mnkr'), ARRAY[3]) FROM fu2 WHERE unit IS NULL),
          'one voice: the summary''s only forecast row, section 2''s net cost and the month table''s August comb are the same official forecast');
SELECT is((SELECT "Komb. 95 %" FROM r_prognos_ar WHERE "Prognos efter" = 'Aug'),
          (SELECT "95 % intervall" FROM r_verksamhet WHERE "Verksamhet" = 'Nettokostnad'),
          'one voice: the official forecast''s interval is the same in section 2 and the month table');
SELECT cmp_ok(abs((SELECT sek_ore(outcome)::float8 / 1e8 FROM fu2 WHERE unit IS NULL) + (SELECT sum(point) FROM fan)
                  - (SELECT sek_ore(forecast)::float8 / 1e8 FROM fu2 WHERE unit IS NULL)), '<', 0.001::float8,
              'one voice: the fan chart''s months (each unit''s comb model, summed) and the outcome add up to the official forecast');
SELECT cmp_ok((SELECT abs(y - sek_ore(f.forecast)::float8 / 1e8) FROM chart_point, fu2 f
                WHERE chart = 'evolution' AND series = 'Komb.' AND x = '2023-08-31' AND f.unit IS NULL), '<', 1e-9::float8,
          'one voice: the evolution chart ends at the official forecast');
SELECT is((SELECT count(*) FROM chart_point WHERE chart IN ('fan', 'period', 'evolution') AND (y > 0 OR lo > 0 OR hi > 0)), 0::bigint,
          'one voice: the charts draw the net cost negative, as the tables');
SELECT is((SELECT count(*) FROM (
             SELECT "Utfall jan–aug" AS v FROM r_externa_kostnad UNION ALL SELECT "Placeringsdriven prognos" FROM r_externa_kostnad
             UNION ALL SELECT "Utfall jan–aug" FROM r_externa_kategori UNION ALL SELECT "Placeringsdriven prognos" FROM r_externa_kategori
             UNION ALL SELECT "Linjär" FROM r_prognos_ar UNION ALL SELECT "Komb." FROM r_prognos_ar UNION ALL SELECT "Budget" FROM r_prognos_ar) x
           WHERE v NOT LIKE '-%'), 0::bigint,
          'one voice: external care''s costs and the month table''s forecasts and budget are negative, as section 2''s');
SELECT is((SELECT string_agg(DISTINCT a.attname, ', ') FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           WHERE c.relname LIKE 'r\_%' AND c.relpersistence = 't' AND a.attnum > 0
             AND (a.attname ~ '(budget|prognos|utfall)\s*[−-]\s*(budget|prognos|utfall)' OR a.attname = 'Total kostnad')), NULL,
          'one voice: no column labelled with a formula (budget−prognos) or "Total kostnad"');
SELECT is((SELECT count(*) FROM r_verksamhetsgrupp WHERE "Verksamhetsgrupp" IN ('Nettokostnad', 'Total kostnad')), 1::bigint,
          'one voice: the activity groups'' total is "Nettokostnad", as section 2''s');

-- This month's forecast against last month's, and the office's own
SELECT is((SELECT "Prognos helår" FROM r_prognos_forandring WHERE "Verksamhet" = 'Nettokostnad'),
          (SELECT "Prognos helår" FROM r_verksamhet WHERE "Verksamhet" = 'Nettokostnad'),
          'one voice: the month-on-month table''s forecast is section 2''s official one');
SELECT is((SELECT count(*) FROM fc_change WHERE change <> forecast - prev OR office_change <> office - office_prev OR office IS NULL), 0::bigint,
          'each unit''s change is this month''s forecast − last month''s, for the model and for the office');
SELECT is((SELECT count(*) FROM r_vem_narmast WHERE "Antal prognoser" = 12), 11::bigint,
          'whose forecast was closer: six units × two years after each month January..November');

-- Volume and price, and the sensitivity table
SELECT is((SELECT count(*) FROM vp WHERE volume_effect + price_effect <> deviation), 0::bigint,
          'volume and price: each group''s and the total''s effects add up to its deviation');
SELECT is((SELECT sum(deviation) FROM vp WHERE category IS NOT NULL), (SELECT deviation FROM vp WHERE category IS NULL),
          'volume and price: the groups add up to the total');
SELECT is((SELECT array_agg("Förändring" ORDER BY "Scenario, från dagen efter utfallet till årets slut")
           FROM r_kanslighet WHERE "Scenario, från dagen efter utfallet till årets slut" LIKE '10 personer%'),
          (SELECT ARRAY[sek_format(-x, 'mnkr'), sek_format(x, 'mnkr')]
           FROM (SELECT (10 * cost_per_care_day(year)::numeric * (DATE '2023-12-31' - DATE '2023-08-31')) AS x FROM ext_group WHERE total) t),
          'sensitivity: ten persons a day more or fewer move the forecast by 10 × the cost per care day × the 122 days left, in report signs');

-- Staff: in agreement with the ledger's personnel costs, and the report's
-- staffing table from staffing_follow_up
SELECT cmp_ok((SELECT abs(sek_ore((SELECT sum(cost) FROM staff WHERE kind <> 'consultant' AND month BETWEEN '2023-01-01' AND '2023-08-01'))
                          - sek_ore((SELECT sum(amount) FROM ledger WHERE account_group = 'Personalkostnader'
                                     AND entry_date BETWEEN '2023-01-01' AND '2023-08-31')))),
              '<=', (SELECT count(*) * 3 FROM staff WHERE month BETWEEN '2023-01-01' AND '2023-08-01'),
              'staff: the personnel cost of the staff table is the ledger''s Personalkostnader Jan–Aug 2023 (to the öre per row)');
SELECT is((SELECT "Personalkostnad jan–aug" FROM r_personal WHERE "Verksamhet" = 'Totalt'),
          (SELECT sek_format(-sum(cost), 'mnkr') FROM staff WHERE month BETWEEN '2023-01-01' AND '2023-08-01'),
          'report: the staffing table''s total personnel cost is the staff table''s, costs negative');

-- Comparison with similar municipalities (section 9): generated peers
-- loaded by the office's role, the gap in kronor as plain SQL has it, and
-- Delårsrapport 2 2023's reform: (228 − 37) kr × 159 050 = 30,4 mnkr
SELECT is((SELECT format('%s rows, by %s', count(*), string_agg(DISTINCT loaded_by, ',')) FROM kpi_value WHERE municipality LIKE 'DEMO%'),
          '104 rows, by demo_ekonomi',
          'peers: 3 cost KPIs × 8 municipalities × 2020–2022 and the population 2020–2023, loaded by the office''s role');
SELECT is((SELECT "Skillnad mot medel" FROM r_jamforelse WHERE "År" = 2022 AND "Nyckeltal" LIKE '%individ- och familjeomsorg'),
          (SELECT sek_format(round((o.value - avg(p.value)) * pop.value, 2), 'mnkr')
           FROM kpi_value o JOIN kpi_value p ON p.kpi = o.kpi AND p.year = o.year
           JOIN peer_group_member m ON m.municipality = p.municipality AND m.peer_group = 'DEMO_LIKNANDE_IFO'
           JOIN kpi_value pop ON pop.kpi = 'N01951' AND pop.municipality = 'DEMO' AND pop.year = o.year
           WHERE o.kpi = 'DEMO_IFO' AND o.municipality = 'DEMO' AND o.year = 2022
           GROUP BY o.value, pop.value),
          'report: the IFO cost 2022 above the peers'' mean in kronor is (value − mean of the members) × population, as plain SQL');
SELECT is((SELECT translate("Ofinansierat per år" || ' for ' || "Invånare", E'\u00a0', ' ') FROM r_reform), '30,4 mnkr for 159 050',
          'report: the reform''s unfunded cost, (228 − 37) kr × 159 050 inhabitants = 30,4 mnkr a year');
-- Income support (generated): about 1 500 households a month in 2018,
-- fewer later, one payment per household and month; the report's section 10
-- says what the functions say
SELECT is((SELECT count(*) FILTER (WHERE households NOT BETWEEN 1250 AND 1600) || ' of ' || count(*)
           FROM income_support_months('income_support')), '0 of 68',
          'income support: 68 months 2018-01 .. 2023-08, each with 1 250 .. 1 600 households');
SELECT is((SELECT "Prognos" FROM r_bistand_prognos WHERE "Helårsprognos" = 'Helår 2023'),
          (SELECT sek_format(-forecast, 'mnkr') FROM income_support_forecast('income_support', '2023-08-31')),
          'report: section 10''s year-end forecast is income_support_forecast''s, costs negative');
SELECT is((SELECT "Besparing" FROM r_bistand_atgard WHERE "Månad" = 'Totalt'),
          (SELECT sek_format(household_effect + amount_effect, 'tkr')
           FROM income_support_effect('income_support', '2023-03-01', '2023-08-31', 8000000) WHERE month IS NULL),
          'report: the measure''s saving is its household effect + its amount effect');

-- The HTML file: written by psql's \o as make demo does, parsed by python3
-- (in the data directory, where the server may remove it again)
SELECT current_setting('data_directory') || '/actionplan_demo_report.html' AS html \gset
\set QUIET on
\ir ../demo/report_html.sql
-- back to pg_prove's output
\pset format unaligned
\pset tuples_only on
SELECT format($P$python3 -c "
import html.parser, re, sys, xml.etree.ElementTree as ET
doc = open('%s', encoding='utf-8').read()
void = {'meta', 'br', 'img', 'link', 'line', 'rect', 'polyline', 'polygon', 'path', 'circle'}
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.bad = 0; self.count = {}
    def handle_starttag(self, t, a):
        self.count[t] = self.count.get(t, 0) + 1
        if t not in void: self.stack.append(t)
    def handle_endtag(self, t):
        if t in void: return
        if not self.stack or self.stack[-1] != t: self.bad += 1
        else: self.stack.pop()
p = P(); p.feed(doc)
svgs = []
i = doc.find('<svg')
while i >= 0:
    j = doc.index('</svg>', i) + 6; svgs.append(doc[i:j]); i = doc.find('<svg', j)
ok = 0
for s in svgs:
    r = ET.fromstring(s); texts = [t.text for t in r.iter('{http://www.w3.org/2000/svg}text')]
    if len(texts) > 5 and any(re.fullmatch('[-\u2212]?[0-9][0-9\u00a0 ]*(,[0-9]+)?', t or '') for t in texts): ok += 1
print('balanced,%%d' %% (p.bad == 0 and not p.stack))
print('tables,%%d' %% p.count.get('table', 0))
print('svg_xml,%%d' %% ok)
print('svg,%%d' %% len(svgs))
print('nan,%%d' %% (('NaN' in doc) + ('Infinity' in doc)))
"$P$, :'html') AS pycmd \gset
CREATE TEMP TABLE html_check (what text, n int);
COPY html_check FROM PROGRAM :'pycmd' WITH (FORMAT csv);
SELECT format('cat >/dev/null; rm -f ''%s''', :'html') AS rmhtml \gset
COPY (SELECT 1) TO PROGRAM :'rmhtml';
SELECT is((SELECT n FROM html_check WHERE what = 'balanced'), 1, 'HTML: every tag closed in order (html.parser)');
SELECT is((SELECT n FROM html_check WHERE what = 'tables'), 26, 'HTML: twenty-six tables');
SELECT is((SELECT n FROM html_check WHERE what = 'svg'), 4, 'HTML: four SVG charts');
SELECT is((SELECT n FROM html_check WHERE what = 'svg_xml'), 4, 'HTML: each chart is well-formed XML with labelled axes');
SELECT is((SELECT n FROM html_check WHERE what = 'nan'), 0, 'HTML: no NaN or Infinity anywhere');

-- number_format / percent_format: bad input and its SQLSTATE
SELECT throws_ok($$SELECT number_format('NaN'::numeric)$$, '22003', 'cannot format NaN as a number', 'number_format(NaN) is 22003');
SELECT throws_ok($$SELECT percent_format('Infinity'::float8, 1)$$, '22003', NULL, 'percent_format(infinity) is 22003');
SELECT throws_ok($$SELECT number_format(1.5, 13)$$, '22023', 'decimals 13 is outside 0..12', 'decimals 13 is 22023');

SELECT * FROM finish();
ROLLBACK;
