-- A first tour of actionplan, with figures from the seed reports.
-- Run by `make demo` in the throwaway cluster; safe to run again.
\set ON_ERROR_STOP on
\pset footer off
\pset null '—'
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS actionplan CASCADE;
CREATE EXTENSION actionplan;

\echo
\echo '== 1. sek: amounts as the reports write them, exact to the öre'
SELECT input, input::sek AS stored, sek_format(input::sek) AS shown
FROM (VALUES ('-15 000 tkr'), ('81,5 mnkr'), (U&'\2212' || '4,6 mkr'), ('2 300 kr'),
             ('12 357 tkr'), ('1750000.50')) v(input);

\echo
\echo '== 2. Interim report after August 2023 (seed 003, §4.1): the budget with its changes'
SELECT sek_format(b) AS "Budget 2023", sek_format(c1, 'tkr') AS "Tilläggsanslag",
       sek_format(c2, 'tkr') AS "Ombudgetering", sek_format(c3, 'tkr') AS "Rättning hyresindex",
       sek_format(b + c1 + c2 + c3, 'tkr') AS "Budget efter ändringar"
FROM (VALUES ('654 442 tkr'::sek, '115 tkr'::sek, '-103 tkr'::sek, '-78 tkr'::sek)) v(b, c1, c2, c3);

\echo
\echo '   … and the follow-up with follow_up(): outcome, consumption, run-rate (forecast_runrate)'
\echo '   and the office''s own forecast (reports'' convention: costs negative, deviation positive = under budget)'
SELECT sek_format(r.budget, 'mnkr') AS "Budget",
       sek_format(r.period_budget, 'mnkr') AS "Periodens budget",
       sek_format(r.outcome, 'mnkr') AS "Utfall jan-aug",
       sek_format(r.deviation, 'mnkr') AS "Periodens avvikelse",
       round(r.consumption)::text || ' %' AS "Förbrukning",
       sek_format(-forecast_runrate('506 574 tkr', '2023-08-31'), 'mnkr') AS "Linjär prognos",
       sek_format(r.forecast, 'mnkr') AS "Prognos helår",
       sek_format(r.forecast_deviation, 'mnkr') AS "Avvikelse",
       replace(round(r.deviation_pct::numeric, 1)::text, '.', ',') || ' %' AS "Avvikelse %"
FROM follow_up('-654 376 tkr'::sek, '-426 980 tkr', '-506 574 tkr', '-735 827 tkr', 'report') r;

\echo
\echo '== 3. estimate: expected effects of the 2025 action plan (seed 000)'
CREATE TEMP TABLE measure (title text, effect_2025 estimate);
INSERT INTO measure VALUES
  ('Stöd i hemmet och till familjehem', 'ca 2-3 mkr'),
  ('Prisförhandling av de mest kostsamma HVB-placeringarna', 'ca 2,6 mkr'),
  ('Förkorta vårdtider för vuxna, mer öppenvård', 'ca 4,6 mkr'),
  ('Utreda kommunalt HVB för 8–12 år', 'ingen effekt');
SELECT title, estimate_format(effect_2025, 'mkr') AS "Effekt 2025" FROM measure;
SELECT estimate_format(sum(effect_2025), 'mkr') AS "Summa av åtgärderna",
       estimate_format('7-10 mkr', 'mkr') AS "Angiven summa",
       '7-10 mkr'::estimate @> sum(effect_2025) AS "Stämmer summan?",
       sum(effect_2025) @> '15 000 tkr'::sek AS "Täcker underskottet 15 000 tkr?",
       sek_format('15 000 tkr'::sek - high(sum(effect_2025)), 'mkr') AS "Kvar att täcka (minst)"
FROM measure;

\echo
\echo '== 4. Action plan 2024-2026 (seed 004): a stated sum that does not add up'
SELECT sek_format(y2024 + y2025 + y2026, 'tkr') AS "Summa av årskolumnerna",
       sek_format('13 149 tkr'::sek, 'tkr') AS "Angiven summa",
       sek_format((y2024 + y2025 + y2026) - '13 149 tkr'::sek, 'tkr') AS "Differens",
       sek_format('12 357 tkr'::sek, 'tkr') AS "Sparbeting"
FROM (VALUES ('7 169 tkr'::sek, '3 900 tkr'::sek, '2 480 tkr'::sek)) v(y2024, y2025, y2026);

\echo
\echo '== 5. A measured effect, the 2023 way (seed 003, "hemtagningspaket")'
SELECT sek_format(saved, 'mnkr') AS "Minskade placeringskostnader",
       sek_format(cost, 'tkr') AS "Kostnad placeringskurator",
       sek_format(saved - cost, 'mnkr') AS "Netto",
       sek_format((saved - cost) / 7, 'tkr') AS "Per ungdom (7)",
       sek_format(external - own, 'mnkr') AS "Alternativkostnad: externt - eget"
FROM (VALUES ('4,1 mnkr'::sek, '138 tkr'::sek, '6,9 mnkr'::sek, '4,9 mnkr'::sek)) v(saved, cost, external, own);

\echo
\echo '== 6. Aggregates are exact and parallel: a ledger of 200 000 random entries'
CREATE TEMP TABLE ledger AS
  SELECT (DATE '2023-01-01' + (i % 243)) AS entry_date, 'unit ' || (i % 5) AS unit,
         sek_from_ore((i::bigint * 2654435761) % 500000000 - 100000000) AS amount
  FROM generate_series(1, 200000) i;
SELECT unit, sek_format(sum(amount), 'tkr') AS "Utfall", sek_format(avg(amount), 'kr') AS "Snitt",
       sek_format(min(amount), 'kr') AS "Minst", sek_format(max(amount), 'kr') AS "Störst"
FROM ledger GROUP BY unit ORDER BY unit;

\echo
\echo 'The cluster keeps running: `make psql` opens it, `make stop` stops it.'
