-- Section 11: a check of the report's own arithmetic.  The table of section
-- 2 (per unit: last year's outcome, budget, period budget, outcome, period
-- deviation, year-end forecast, forecast deviation) is stated as the report
-- prints it (sek_format in mnkr, one decimal) with state_report/state_table/
-- state_column/state_row/state_figures, and report_check recomputes its
-- sums and deviations; rounding of the printed figures is told from error.
\o /dev/null
SELECT forget_report(name) FROM stated_report WHERE name = 'Månadsrapport ' || (SELECT as_of FROM rp);
SELECT 'Månadsrapport ' || as_of AS rc_name FROM rp \gset
SELECT state_report(:'rc_name', 'Månadsrapport, individ- och familjeomsorgen, ' || period_name || ' ' || y, as_of) FROM rp;
SELECT state_table(:'rc_name', '2', 'Ekonomiskt utfall och prognos per verksamhet', 'mnkr');
SELECT state_column(:'rc_name', '2', c, r, o::text[]) FROM (VALUES
  (1, 'Bokslut', 'outcome', NULL), (2, 'Budget', 'budget', NULL), (3, 'Periodens budget', 'period_budget', NULL),
  (4, 'Periodens utfall', 'outcome', NULL), (5, 'Periodens avvikelse', 'deviation', '{Periodens budget,Periodens utfall}'),
  (6, 'Prognos helår', 'forecast', '{Periodens utfall}'), (7, 'Prognosavvikelse', 'deviation', '{Budget,Prognos helår}')) v(i, c, r, o)
ORDER BY i;
SELECT state_row(:'rc_name', '2', 'Nettokostnad');
SELECT state_row(:'rc_name', '2', t.unit, total => 'Nettokostnad')
FROM fu2 t JOIN unit u USING (unit) ORDER BY u.ord;
SELECT state_figures(:'rc_name', '2', coalesce(t.unit, 'Nettokostnad'),
                     ARRAY[sek_format(t.prev_year_outcome, 'mnkr'), sek_format(t.budget, 'mnkr'), sek_format(t.period_budget, 'mnkr'),
                           sek_format(t.outcome, 'mnkr'), sek_format(t.deviation, 'mnkr'), sek_format(t.forecast, 'mnkr'),
                           sek_format(t.forecast_deviation, 'mnkr')])
FROM fu2 t;
\o

CREATE TEMP VIEW r_rapportkontroll AS
SELECT c.row_label AS "Rad", c.column_label AS "Kolumn",
       CASE c.finding WHEN 'parts_do_not_add_up' THEN 'delarna summerar inte till summan'
                      WHEN 'deviation_differs' THEN 'avvikelsen följer inte av kolumnerna'
                      WHEN 'forecast_below_outcome' THEN 'prognosen under utfallet hittills'
                      WHEN 'volume_price_differs' THEN 'volym × pris ger inte beloppet'
                      WHEN 'same_figure_differs' THEN 'samma tal olika på två ställen'
                      WHEN 'rounding' THEN 'avrundning' ELSE c.finding END AS "Kontroll",
       sek_format(c.stated::sek, 'mnkr') AS "Angivet", sek_format(c.computed::sek, 'mnkr') AS "Beräknat",
       sek_format(c.tolerance::sek, 'mnkr', 2) AS "Avrundning högst"
FROM report_check(:'rc_name', rounding => true) c
UNION ALL
SELECT 'Nettokostnad och verksamheterna', 'alla', 'inga fel: summor och avvikelser stämmer inom avrundning', NULL, NULL, NULL
WHERE NOT EXISTS (SELECT FROM report_check(:'rc_name') c);

INSERT INTO report_section VALUES (11, 'Kontroll av rapporten',
  'Tabellen i avsnitt 2 som den står tryckt (mnkr med en decimal), kontrollerad mot sig själv: att verksamheterna '
  'summerar till nettokostnaden, att avvikelserna är prognos − budget och utfall − periodens budget, och att ingen '
  'kostnadsprognos ligger under utfallet hittills. Varje tryckt tal kan vara avrundat med en halv enhet i sista '
  'siffran; en skillnad inom summan av de halva enheterna är avrundning och inget fel. Avrundningarna listas; '
  'kontrollen av handlingsplanerna står i avsnitt 6.');
