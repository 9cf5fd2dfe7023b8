-- The action-plan register with Handlingsplan ekonomi 2025 and Åtgärdsplan 2024–2026 loaded as written: the
-- consistency check, totals per year with realisation and coverage, and the
-- measures behind schedule, shown as a finance office reads them.
SET client_min_messages = warning;
\set ECHO none
\i demo/plans.sql
\set ECHO all
\pset null '—'

-- what does not add up (the functions give numeric kronor for BI tools, an
-- estimate as its two ends: made sek and estimate again for the formats)
SELECT p.source, c.number AS "löpnr", c.finding, estimate_format(estimate(c.stated_low::sek, c.stated_high::sek), 'tkr') AS stated,
       estimate_format(estimate(c.computed_low::sek, c.computed_high::sek), 'tkr') AS computed
FROM plan_check() c JOIN action_plan p USING (plan_id)
ORDER BY p.source, c.number NULLS FIRST;

-- totals per plan and year (total row last), as of 31 October 2025: what
-- the year saves, the annual level reached (permanent levels in force at the
-- year's end + the year's one-offs; total row: the level that carries on)
-- against the requirement, and the savings added up over the years
SELECT p.source, coalesce(t.year::text, 'totalt') AS "år", t.measures AS "åtgärder",
       estimate_format(estimate(t.expected_low::sek, t.expected_high::sek), 'tkr') AS "sparat under året",
       estimate_format(estimate(t.level_low::sek, t.level_high::sek), 'tkr') AS "uppnådd årsnivå",
       estimate_format(estimate(t.cumulative_low::sek, t.cumulative_high::sek), 'tkr') AS "ackumulerat",
       t.unquantified AS "ej beräknade",
       sek_format(t.achieved::sek, 'tkr') AS "uppnådd",
       translate(to_char(t.realisation_high, 'FM990.0') || '–' || to_char(t.realisation_low, 'FM990.0') || ' %', '.', ',') AS "realisering",
       sek_format(t.requirement::sek, 'tkr') AS "krav",
       translate(to_char(t.coverage_low, 'FM990.0') || '–' || to_char(t.coverage_high, 'FM990.0') || ' %', '.', ',') AS "nivå mot krav",
       estimate_format(estimate(t.stated_low::sek, t.stated_high::sek), 'tkr') AS "angiven summa"
FROM plan_totals(NULL, '2025-10-31') t JOIN action_plan p USING (plan_id)
ORDER BY p.source, t.year NULLS LAST;

-- behind schedule as of 31 October 2025, Handlingsplan ekonomi 2025
SELECT m.number AS "löpnr", m.year AS "år", estimate_format(estimate(m.expected_to_date_low::sek, m.expected_to_date_high::sek)) AS "väntat hittills",
       sek_format(m.achieved::sek) AS "uppnått", m.status, array_to_string(m.reasons, '; ') AS "skäl"
FROM measures_behind_schedule('2025-10-31') m JOIN action_plan p USING (plan_id)
WHERE p.source = 'Handlingsplan ekonomi 2025'
ORDER BY 1, 2;
