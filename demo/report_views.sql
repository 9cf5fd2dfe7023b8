-- The report's figures as temp views (r_*) and chart points, for
-- demo/report.sql (the terminal) and demo/report_html.sql (the HTML file);
-- prints nothing.  Every figure comes from the extension's functions; these
-- queries only select, format and lay out.  psql variables: data (the
-- schema of the tables, default demo), as_of (default 2023-08-31),
-- plan_as_of (the action plans' follow-up date, default 2025-08-31).
--
-- It reads, from the schema named by :data (README, "The demo municipality
-- and the monthly report", has the columns):
--   ledger (registered with register_ledger by {unit} and by {}, refreshed
--   at as_of), budget, unit, placement_cost (a row per price period),
--   placement_now (a row per stay), external_budget, facility, facility_stay
-- and the extension's action-plan register.
\set ON_ERROR_STOP on
\if :{?data} \else \set data demo \endif
\if :{?as_of} \else \set as_of 2023-08-31 \endif
\if :{?plan_as_of} \else \set plan_as_of 2025-08-31 \endif
SET client_min_messages = warning;
SET jit = off;
SELECT set_config('search_path', :'data' || ', ' || current_setting('search_path'), false) \g /dev/null
\ir html.sql

-- the dates of the report
CREATE TEMP TABLE rp AS
SELECT d AS as_of, make_date(extract(year FROM d)::int, 1, 1) AS ys, extract(year FROM d)::int AS y,
       extract(month FROM d)::int AS months, d + 1 AS upto, :'plan_as_of'::date AS plan_as_of,
       format('%I.ledger', :'data')::regclass AS ledger,
       'jan–' || (ARRAY['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'])[extract(month FROM d)::int] AS period_name
FROM (SELECT :'as_of'::date AS d) s;
SELECT as_of, y, period_name, 'Bokslut ' || (y - 1) AS prev_label, 'Budget ' || y AS budget_label,
       'Utfall ' || period_name AS outcome_label, 'Utfall ' || period_name || ' ' || (y - 1) AS prev_outcome_label, 'Kostnad per dygn ' || period_name AS cpd_label,
       'Årsarbetare, snitt ' || period_name AS fte_label, 'Personalkostnad ' || period_name AS staff_cost_label,
       'Samma period ' || (y - 1) AS prev_period_label FROM rp \gset

-- One voice: the report's sign convention (ledger signs in, the reports'
-- signs out: costs negative, a deviation positive when better than budget)
-- and its one official forecast, each stated once at the top.  The official
-- forecast of a unit is its nightly snapshot of as_of by the comb method;
-- the net cost's is the units' sum, so that the tables add up, with the
-- interval taking the units as independent (the root of the sum of squares
-- of each side's distance from the point).  The same sum is used wherever
-- the net cost's forecast appears: the summary, section 2, the month-by-month
-- table, and the charts.
CREATE TEMP VIEW ledger_unit AS SELECT entry_date, unit, amount FROM ledger;
CREATE TEMP VIEW budget_unit AS SELECT unit, valid_from, sum(amount) AS amount FROM budget GROUP BY 1, 2;
CREATE FUNCTION pg_temp.snapshot(key jsonb, method text DEFAULT 'comb') RETURNS forecast_snapshot
LANGUAGE sql STABLE AS $$
  SELECT fs.* FROM forecast_snapshot fs, rp
  WHERE fs.ledger = rp.ledger AND fs.as_of = rp.as_of AND fs.method = snapshot.method AND fs.key = snapshot.key
  ORDER BY fs.taken_at DESC LIMIT 1 $$;
-- the net cost's forecast by a method at a month end d, in report signs:
-- the sum of the units' snapshots (NULL unless every unit has one)
CREATE FUNCTION pg_temp.net_forecast(d date, m text DEFAULT 'comb', OUT forecast sek, OUT lo sek, OUT hi sek,
                                     OUT taken_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN count(s.forecast) = (SELECT count(*) FROM unit) THEN -sum(s.forecast) END,
         -sum(s.forecast) - (sqrt(sum(sek_ore(s.hi - s.forecast)::float8 ^ 2)) / 100)::sek,
         -sum(s.forecast) + (sqrt(sum(sek_ore(s.forecast - s.lo)::float8 ^ 2)) / 100)::sek,
         max(s.taken_at)
  FROM (SELECT DISTINCT ON (fs.key) fs.forecast, fs.lo, fs.hi, fs.taken_at
        FROM forecast_snapshot fs, rp
        WHERE fs.ledger = rp.ledger AND fs.as_of = d AND fs.method = m AND fs.key ? 'unit'
        ORDER BY fs.key, fs.taken_at DESC) s $$;
-- (follow_up_report gives numeric, for BI tools; the report computes in sek)
CREATE TEMP TABLE fu_units AS
SELECT f.unit, f.prev_year_outcome::sek, f.budget::sek, f.period_budget::sek, f.outcome::sek, f.deviation::sek, f.consumption,
       -s.forecast AS forecast, -s.hi AS lo, -s.lo AS hi
FROM follow_up_report('ledger_unit', 'budget_unit', (SELECT as_of FROM rp), convention => 'report') f
LEFT JOIN LATERAL pg_temp.snapshot(jsonb_build_object('unit', f.unit)) s ON true
WHERE f.unit IS NOT NULL;
CREATE TEMP TABLE fu AS
SELECT * FROM fu_units
UNION ALL
SELECT NULL, f.prev_year_outcome::sek, f.budget::sek, f.period_budget::sek, f.outcome::sek, f.deviation::sek, f.consumption,
       n.forecast, n.lo, n.hi
FROM follow_up_report('ledger_unit', 'budget_unit', (SELECT as_of FROM rp), convention => 'report') f,
     pg_temp.net_forecast((SELECT as_of FROM rp)) n
WHERE f.unit IS NULL;
CREATE TEMP TABLE fu2 AS
SELECT fu.*, r.forecast_deviation, r.deviation_pct
FROM fu LEFT JOIN LATERAL follow_up(fu.budget, fu.period_budget, fu.outcome, fu.forecast, 'report') r ON true;

CREATE TEMP VIEW r_sammanfattning AS
SELECT 'Budget ' || rp.y AS "Nyckeltal", sek_format(t.budget, 'mnkr') AS "Värde",
       format('i kraft %s, med %s under året', rp.as_of,
              (SELECT CASE count(DISTINCT valid_from) WHEN 0 THEN 'inga ändringar' WHEN 1 THEN 'en ändring'
                                                      ELSE count(DISTINCT valid_from) || ' ändringar' END
               FROM budget WHERE valid_from > rp.ys AND valid_from <= rp.as_of)) AS "Kommentar"
FROM fu2 t, rp WHERE t.unit IS NULL
UNION ALL
SELECT 'Utfall ' || rp.period_name, sek_format(t.outcome, 'mnkr'),
       format('%s av budgeten förbrukad; periodens budget %s', percent_format(t.consumption), sek_format(t.period_budget, 'mnkr'))
FROM fu2 t, rp WHERE t.unit IS NULL
UNION ALL
SELECT 'Prognos helår', sek_format(t.forecast, 'mnkr'),
       format('95 %% intervall %s till %s', sek_format(t.lo, 'mnkr'), sek_format(t.hi, 'mnkr'))
FROM fu2 t WHERE t.unit IS NULL
UNION ALL
SELECT 'Prognosavvikelse', sek_format(t.forecast_deviation, 'mnkr'),
       format('%s av budgeten; intervall %s till %s', percent_format(t.deviation_pct, 1),
              sek_format(t.lo - t.budget, 'mnkr'), sek_format(t.hi - t.budget, 'mnkr'))
FROM fu2 t WHERE t.unit IS NULL;

CREATE TEMP VIEW r_verksamhet AS
SELECT coalesce(t.unit, 'Nettokostnad') AS "Verksamhet",
       sek_format(t.prev_year_outcome, 'mnkr') AS :"prev_label",
       sek_format(t.budget, 'mnkr') AS :"budget_label",
       sek_format(t.period_budget, 'mnkr') AS "Periodens budget",
       sek_format(t.outcome, 'mnkr') AS "Periodens utfall",
       sek_format(t.deviation, 'mnkr') AS "Periodens avvikelse",
       percent_format(t.consumption) AS "Förbr.",
       sek_format(t.forecast, 'mnkr') AS "Prognos helår",
       replace(sek_format(t.lo, 'mnkr'), ' mnkr', '') || ' till ' || sek_format(t.hi, 'mnkr') AS "95 % intervall",
       sek_format(t.forecast_deviation, 'mnkr') AS "Prognosavvikelse",
       percent_format(t.deviation_pct, 1) AS "Prognosavv. %"
FROM fu2 t LEFT JOIN unit u USING (unit)
ORDER BY u.ord NULLS LAST;

-- This month's official forecast per unit beside last month's, and the
-- finance office's own judgement beside the model's (report signs, the net
-- cost the units' sum)
CREATE TEMP TABLE fc_change AS
SELECT c.key ->> 'unit' AS unit, -c.forecast AS forecast, -c.prev_forecast AS prev, -c.change AS change,
       -o.forecast AS office, -o.prev_forecast AS office_prev, -o.change AS office_change, c.prev_as_of
FROM rp, forecast_change(rp.ledger, rp.as_of) c
LEFT JOIN forecast_change((SELECT ledger FROM rp), (SELECT as_of FROM rp), 'office') o USING (key)
WHERE c.key ? 'unit';
SELECT 'Prognos ' || pg_temp.month_sv(max(prev_as_of)) AS prev_fc_label,
       'Bedömning ' || pg_temp.month_sv(max(prev_as_of)) AS prev_office_label FROM fc_change \gset
CREATE TEMP VIEW r_prognos_forandring AS
SELECT coalesce(c.unit, 'Nettokostnad') AS "Verksamhet",
       sek_format(c.forecast, 'mnkr') AS "Prognos helår",
       sek_format(c.prev, 'mnkr') AS :"prev_fc_label",
       sek_format(c.change, 'mnkr') AS "Förändring",
       sek_format(c.office, 'mnkr') AS "Ekonomienhetens bedömning",
       sek_format(c.office_prev, 'mnkr') AS :"prev_office_label",
       sek_format(c.office_change, 'mnkr') AS "Förändring, bedömning"
FROM (SELECT unit, forecast, prev, change, office, office_prev, office_change FROM fc_change
      UNION ALL
      SELECT NULL, sum(forecast), sum(prev), sum(change), sum(office), sum(office_prev), sum(office_change) FROM fc_change) c
LEFT JOIN unit u USING (unit)
ORDER BY u.ord NULLS LAST;

-- the same by activity code (verksamhetsgrupp, Delårsrapport 2 2023 §4.2)
-- with the outcome run up to a full year (not a forecast: that is section 2's)
CREATE TEMP VIEW r_verksamhetsgrupp AS
SELECT coalesce(f.unit || ' ' || CASE f.unit WHEN '100' THEN 'Politisk verksamhet' WHEN '551' THEN 'Missbruksvård vuxna'
                                  WHEN '553' THEN 'Övrig individ- och familjeomsorg' WHEN '561' THEN 'Barn- och ungdomsvård'
                                  WHEN '600' THEN 'Flyktingmottagande' ELSE '' END, 'Nettokostnad') AS "Verksamhetsgrupp",
       sek_format(f.prev_year_outcome::sek, 'tkr') AS :"prev_label",
       sek_format(f.budget::sek, 'tkr') AS :"budget_label",
       sek_format(f.outcome::sek, 'tkr') AS :"outcome_label",
       percent_format(f.consumption) AS "Förbr.",
       sek_format(f.forecast::sek, 'tkr') AS "Uppräknat helår",
       sek_format(f.forecast_deviation::sek, 'tkr') AS "Avvikelse uppräknat"
FROM follow_up_report('ledger', 'budget', (SELECT as_of FROM rp), convention => 'report', keys => '{activity}') f;

-- and by account group (kontogrupp, Delårsrapport 2 2023 §4.2): income
-- first, then the costs, with the same months of last year beside this
-- year's (the change in % of last year's)
CREATE TEMP VIEW r_kontogrupp AS
SELECT coalesce(f.unit, 'Nettokostnad') AS "Kontogrupp",
       sek_format(f.prev_year_outcome::sek, 'mnkr') AS :"prev_label",
       sek_format(f.prev_period_outcome::sek, 'mnkr') AS :"prev_outcome_label",
       sek_format(f.budget::sek, 'mnkr') AS :"budget_label",
       sek_format(f.period_budget::sek, 'mnkr') AS "Periodens budget",
       sek_format(f.outcome::sek, 'mnkr') AS :"outcome_label",
       sek_format(f.deviation::sek, 'mnkr') AS "Periodens avvikelse",
       percent_format(f.consumption) AS "Förbr.",
       percent_format(100 * (f.outcome - f.prev_period_outcome) / NULLIF(abs(f.prev_period_outcome), 0), 1) AS "Förändring mot året före"
FROM follow_up_report('ledger', 'budget', (SELECT as_of FROM rp), convention => 'report', keys => '{account_group}') f
ORDER BY f.level, CASE f.unit WHEN 'Intäkter' THEN 1 WHEN 'Personalkostnader' THEN 2 WHEN 'Lokalkostnader' THEN 3
                              WHEN 'Köp av verksamhet' THEN 4 ELSE 5 END;

-- External care: one census per target group and category over the five
-- years before and this year up to as_of, and the placement forecast for the
-- rest of the year (stays as known at as_of, each at its latest price)
CREATE TEMP TABLE ext AS
SELECT c.target_group, c.category, c.hist, c.year, f.f
FROM (SELECT target_group, category,
             census(stay, daily_cost, daterange((rp.ys - interval '5 years')::date, rp.upto)) AS hist,
             census(stay, daily_cost, daterange(rp.ys, rp.upto)) AS year
      FROM placement_cost, rp
      WHERE stay_overlaps(stay, daterange((rp.ys - interval '5 years')::date, rp.upto))
      GROUP BY 1, 2) c
JOIN (SELECT target_group, category,
             placement_forecast(stay, daily_cost, rp.as_of, make_date(rp.y, 12, 31)) AS f
      FROM placement_now, rp GROUP BY 1, 2) f USING (target_group, category);
CREATE TEMP TABLE ext_group AS
SELECT coalesce(target_group, 'Totalt') AS target_group, target_group IS NULL AS total,
       rollup(hist) AS hist, rollup(year) AS year, rollup(f) AS f,
       placement_outlook(rollup(year), rollup(f)) AS o
FROM ext GROUP BY ROLLUP (target_group);
SELECT y - 5 AS y5, y - 4 AS y4, y - 3 AS y3, y - 2 AS y2, y - 1 AS y1, 'Prognos ' || y AS fc_label FROM rp \gset

CREATE TEMP VIEW r_externa_volym AS
SELECT g.target_group AS "Målgrupp, personer per dygn",
       number_format(persons_per_day(g.hist, daterange(make_date(:y5, 1, 1), make_date(:y5 + 1, 1, 1)))) AS :"y5",
       number_format(persons_per_day(g.hist, daterange(make_date(:y4, 1, 1), make_date(:y4 + 1, 1, 1)))) AS :"y4",
       number_format(persons_per_day(g.hist, daterange(make_date(:y3, 1, 1), make_date(:y3 + 1, 1, 1)))) AS :"y3",
       number_format(persons_per_day(g.hist, daterange(make_date(:y2, 1, 1), make_date(:y2 + 1, 1, 1)))) AS :"y2",
       number_format(persons_per_day(g.hist, daterange(make_date(:y1, 1, 1), make_date(:y1 + 1, 1, 1)))) AS :"y1",
       number_format(b.ppd) AS :"budget_label",
       number_format(persons_per_day(g.year)) AS :"outcome_label",
       number_format((g.f).persons_per_day) AS "Prognos sep–dec",
       number_format((g.o).persons_per_day) AS "Prognos helår",
       number_format(b.ppd - (g.o).persons_per_day) AS "Prognosavvikelse"
FROM ext_group g
LEFT JOIN (SELECT coalesce(target_group, 'Totalt') AS target_group, sum(persons_per_day) AS ppd
           FROM external_budget GROUP BY ROLLUP (target_group)) b USING (target_group)
ORDER BY g.total, g.target_group;

CREATE TEMP TABLE ext_budget AS
SELECT sum(b.amount) AS budget FROM budget b JOIN unit u USING (unit), rp
WHERE u.kind = 'extern' AND b.valid_from BETWEEN rp.ys AND rp.as_of;
CREATE TEMP VIEW r_externa_kostnad AS
SELECT g.target_group AS "Målgrupp",
       sek_format(cost_per_care_day(g.year), 'kr') AS :"cpd_label",
       sek_format(-cost(g.year), 'mnkr') AS :"outcome_label",
       sek_format(-(g.o).cost, 'mnkr') AS "Placeringsdriven prognos",
       replace(sek_format(-(g.o).cost_hi, 'mnkr'), ' mnkr', '') || ' till ' || sek_format(-(g.o).cost_lo, 'mnkr') AS "95 % intervall",
       CASE WHEN g.total THEN sek_format(-eb.budget, 'mnkr') END AS :"budget_label",
       CASE WHEN g.total THEN sek_format(eb.budget - (g.o).cost, 'mnkr') END AS "Prognosavvikelse"
FROM ext_group g, ext_budget eb
ORDER BY g.total, g.target_group;

CREATE TEMP VIEW r_externa_kategori AS
SELECT e.target_group AS "Målgrupp", e.category AS "Kategori",
       number_format(persons_per_day(e.year), 1) AS "Snitt per dygn",
       peak(e.year) AS "Högst antal",
       sek_format(cost_per_care_day(e.year), 'kr') AS "Kostnad per dygn",
       sek_format(-cost(e.year), 'mnkr') AS :"outcome_label",
       (e.f).open_stays AS "Pågående",
       number_format(median_stay(s.curve)) AS "Median vårdtid, dygn",
       sek_format(-(o).cost, 'mnkr') AS "Placeringsdriven prognos"
FROM ext e
JOIN (SELECT target_group, category, stay_survival(stay, rp.as_of) AS curve FROM placement_now, rp GROUP BY 1, 2) s
  USING (target_group, category)
CROSS JOIN LATERAL placement_outlook(e.year, e.f) o
ORDER BY e.target_group, e.category;

-- cost per care day as the extension counts it (weighted by care days) and
-- as Delårsrapport 2 2023 reports it (the unweighted mean of the categories), and the budget's
CREATE TEMP VIEW r_externa_dygnskostnad AS
SELECT 'Vägd (kostnad ÷ vårddygn)' AS "Kostnad per vårddygn", sek_format(cost_per_care_day(g.year), 'kr') AS "Belopp"
FROM ext_group g WHERE g.total
UNION ALL
SELECT format('Ovägt medelvärde av %s kategorier', count(*)),
       sek_format(avg(cost_per_care_day(e.year)), 'kr')
FROM ext e
UNION ALL
SELECT 'Budget ' || :y, sek_format(sum(b.cost_per_care_day * b.persons_per_day) / sum(b.persons_per_day), 'kr')
FROM external_budget b;

-- External care's deviation from the budget's assumptions split into
-- volume and price (budget − actual: negative when the cost is over budget),
-- and the budget's own volume × price against its amount (the demo's budget
-- has one price for all groups, so there is no mix effect to show)
CREATE TEMP TABLE vp AS
SELECT * FROM volume_price_report('placement_cost', 'external_budget', (SELECT daterange(ys, upto) FROM rp), 'target_group',
                                  (SELECT budget::numeric FROM ext_budget));
CREATE TEMP VIEW r_volym_pris AS
SELECT coalesce(v.category, 'Totalt') AS "Målgrupp",
       number_format(v.budget_persons_per_day) AS "Budget, personer per dygn",
       number_format(v.actual_persons_per_day) AS :"outcome_label",
       sek_format(v.budget_cost_per_care_day, 'kr') AS "Budget, kr per dygn",
       sek_format(v.actual_cost_per_care_day, 'kr') AS :"cpd_label",
       sek_format(v.deviation, 'mnkr') AS "Avvikelse mot antagandena",
       sek_format(v.volume_effect, 'mnkr') AS "Volymeffekt",
       sek_format(v.price_effect, 'mnkr') AS "Priseffekt"
FROM vp v;
CREATE TEMP VIEW r_volym_pris_budget AS
SELECT format('Budgetens antaganden %s: %s personer per dygn à %s = %s per år; budgeten är %s (%s ofinansierat)',
              (SELECT y FROM rp), number_format(v.budget_persons_per_day), sek_format(v.budget_cost_per_care_day, 'kr'),
              sek_format(-v.assumed_annual_cost, 'mnkr'), sek_format(-v.annual_budget, 'mnkr'), sek_format(v.budget_gap, 'mnkr')) AS "Kontroll"
FROM vp v
WHERE v.category IS NULL AND v.budget_gap <> 0;

-- Sensitivity of the placement-driven forecast (forecast_scenario moves a
-- cost; the table shows it in report signs, costs negative)
CREATE TEMP VIEW r_kanslighet AS
SELECT s.label AS "Scenario, från dagen efter utfallet till årets slut",
       CASE WHEN r.change_low = r.change_high THEN sek_format(-r.change, 'mnkr')
            ELSE replace(sek_format(-r.change_high, 'mnkr'), ' mnkr', '') || ' till ' || sek_format(-r.change_low, 'mnkr') END AS "Förändring",
       sek_format(-r.forecast, 'mnkr') AS "Placeringsdriven prognos",
       replace(sek_format(-r.hi, 'mnkr'), ' mnkr', '') || ' till ' || sek_format(-r.lo, 'mnkr') AS "95 % intervall"
FROM (SELECT (g.o).cost::numeric AS fc, (g.o).cost_lo::numeric AS lo, (g.o).cost_hi::numeric AS hi,
             cost_per_care_day(g.year)::numeric AS price, ((g.f).persons_per_day)::numeric AS volume
      FROM ext_group g WHERE g.total) g, rp,
     (VALUES (1, 'Placeringsdriven prognos', 0, 0, 0), (2, '10 personer per dygn fler', 10, 0, 0),
             (3, '10 personer per dygn färre', -10, 0, 0), (4, 'Prisindex +1 %', 0, 1, 0),
             (5, 'Ett barn till à 6–16 tkr per dygn', 0, 0, 1), (6, 'Tre barn till à 6–16 tkr per dygn', 0, 0, 3)) s(ord, label, n, pct, k)
CROSS JOIN LATERAL forecast_scenario(g.fc, g.lo, g.hi, rp.as_of + 1, make_date(rp.y, 12, 31), s.n, g.price, s.pct, g.volume,
                                     s.k, '6 000–16 000 kr') r
ORDER BY s.ord;

-- Staff: FTE (årsarbetare) and personnel cost per unit against the staff
-- budget, the same period last year, consultants, overtime and sick pay
CREATE TEMP VIEW r_personal AS
SELECT coalesce(p.unit, 'Totalt') AS "Verksamhet",
       number_format(p.budget_fte, 1) AS "Årsarbetare budget",
       number_format(p.fte, 1) AS :"fte_label",
       number_format(p.fte_deviation, 1) AS "Avvikelse årsarbetare",
       number_format(p.consultant_fte, 1) AS "varav konsulter",
       sek_format(p.cost::sek, 'mnkr') AS :"staff_cost_label",
       sek_format(p.period_budget::sek, 'mnkr') AS "Periodens budget",
       sek_format(p.deviation::sek, 'mnkr') AS "Periodens avvikelse",
       sek_format(p.prev_year_cost::sek, 'mnkr') AS :"prev_period_label",
       sek_format(p.overtime_cost::sek, 'tkr') AS "Övertid",
       sek_format(p.sick_pay_cost::sek, 'tkr') AS "Sjuklön",
       sek_format(p.cost_per_fte::sek, 'tkr') AS "Kostnad per årsarbetare"
FROM staffing_follow_up('staff', 'staff_budget', (SELECT as_of FROM rp), 'report') p
LEFT JOIN unit u USING (unit)
ORDER BY u.ord NULLS LAST;

-- Own facilities: occupancy by month, accumulated (place-days weighted),
-- the same months of the year before, and the totals unweighted (as Delårsrapport 2 2023)
-- and weighted by places
CREATE TEMP TABLE occ AS
SELECT f.name, f.places, f.ord,
       census(s.stay, '0'::sek, daterange(rp.ys, rp.upto)) AS c,
       census(s.stay, '0'::sek, daterange((rp.ys - interval '1 year')::date, (rp.upto - interval '1 year')::date)) AS prev
FROM facility f JOIN facility_stay s ON s.facility = f.name, rp
GROUP BY f.name, f.places, f.ord;
-- one column per month so far (occupancy within the month: the census's
-- sub-period accessor)
DO $$
DECLARE
  names text[] := ARRAY['Jan', 'Feb', 'Mar', 'Apr', 'Maj', 'Jun', 'Jul', 'Aug', 'Sep', 'Okt', 'Nov', 'Dec'];
  ys date := (SELECT ys FROM rp);
  month_range text;
  hdr text := ''; fac text := ''; unw text := ''; wtd text := '';
BEGIN
  FOR k IN 1 .. (SELECT months FROM rp) LOOP
    month_range := quote_literal(daterange((ys + make_interval(months => k - 1))::date, (ys + make_interval(months => k))::date));
    hdr := hdr || format(', %I', names[k]);
    fac := fac || format(', percent_format(100 * occupancy(o.c, o.places, %s)) AS %I', month_range, names[k]);
    unw := unw || format(', percent_format(100 * avg(occupancy(o.c, o.places, %s)))', month_range);
    wtd := wtd || format(', percent_format(100 * occupancy(rollup(o.c), sum(o.places), %s))', month_range);
  END LOOP;
  EXECUTE format($q$
    CREATE TEMP VIEW r_belaggning AS
    SELECT "Beläggningsgrad", "Platser" %1$s, "Ack", "Ack året före" FROM (
      SELECT o.ord, o.name AS "Beläggningsgrad", o.places AS "Platser" %2$s,
             percent_format(100 * occupancy(o.c, o.places)) AS "Ack",
             percent_format(100 * occupancy(o.prev, o.places)) AS "Ack året före"
      FROM occ o
      UNION ALL
      SELECT 1000, 'Totalt (ovägt medelvärde)', sum(o.places) %3$s,
             percent_format(100 * avg(occupancy(o.c, o.places))), percent_format(100 * avg(occupancy(o.prev, o.places)))
      FROM occ o
      UNION ALL
      SELECT 1001, 'Totalt (vägt med platser)', sum(o.places) %4$s,
             percent_format(100 * occupancy(rollup(o.c), sum(o.places))),
             percent_format(100 * occupancy(rollup(o.prev), sum(o.places)))
      FROM occ o) t
    ORDER BY ord$q$, hdr, fac, unw, wtd);
END
$$;

-- Action plans (the register), as of :plan_as_of.  The plan functions give
-- an estimate as its two ends in numeric (for BI tools); est makes it an
-- estimate again for estimate_format.
CREATE FUNCTION pg_temp.est(low numeric, high numeric) RETURNS estimate LANGUAGE sql IMMUTABLE
AS $$ SELECT estimate(low::sek, high::sek) $$;
CREATE TEMP VIEW plan_name AS
SELECT plan_id, title || ' (' || committee || ')' AS plan, title AS short,
       CASE requirement_kind WHEN 'deficit' THEN 'underskott' ELSE 'sparbeting' END AS kind
FROM action_plan;
-- Per year what the year saves, the annual level reached (permanent levels
-- in force at the end of the year + the year's one-offs) against the
-- requirement's level, and the savings added up over the years; the total row
-- gives the level that carries beyond the plan (docs/plans.md).
CREATE TEMP VIEW r_plan_totaler AS
SELECT n.plan AS "Plan", coalesce(t.year::text, 'Totalt') AS "År", t.measures AS "Åtgärder med effekt",
       estimate_format(pg_temp.est(t.expected_low, t.expected_high), 'tkr') AS "Sparat under året",
       estimate_format(pg_temp.est(t.one_off_low, t.one_off_high), 'tkr') AS "varav engångs",
       estimate_format(pg_temp.est(t.level_low, t.level_high), 'tkr') AS "Uppnådd årsnivå",
       estimate_format(pg_temp.est(t.cumulative_low, t.cumulative_high), 'tkr') AS "Ackumulerat",
       nullif(t.unquantified, 0) AS "Ej beräknade",
       sek_format(t.achieved::sek, 'tkr') AS "Uppnått",
       CASE WHEN round(t.realisation_high) = round(t.realisation_low) THEN percent_format(t.realisation_low)
            ELSE number_format(t.realisation_high) || '–' || percent_format(t.realisation_low) END AS "Realisering",
       sek_format(t.requirement::sek, 'tkr') || ' ' || n.kind AS "Krav",
       CASE WHEN round(t.coverage_low, 1) = round(t.coverage_high, 1) THEN percent_format(t.coverage_low, 1)
            ELSE number_format(t.coverage_low, 1) || '–' || percent_format(t.coverage_high, 1) END AS "Nivå mot krav",
       estimate_format(pg_temp.est(t.stated_low, t.stated_high), 'tkr') AS "Angiven summa"
FROM plan_totals(NULL, (SELECT plan_as_of FROM rp)) t JOIN plan_name n USING (plan_id)
ORDER BY t.plan_id, t.year NULLS LAST;

-- measure_progress's reasons in Swedish, from its reason codes and the
-- figures behind them
CREATE FUNCTION pg_temp.reason_sv(code text, p measure_progress_row, m plan_measure) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE code
    WHEN 'cancelled' THEN 'avbruten: den förväntade effekten uteblir'
    WHEN 'not_started' THEN format('inte påbörjad, skulle vara klar %s', m.due)
    WHEN 'below_expected' THEN format('uppnått %s, under de %s som väntades hittills',
                                      sek_format(p.achieved::sek), sek_format(p.expected_to_date_low::sek))
    WHEN 'not_followed_up' THEN format('inget uppnått belopp uppföljt; %s väntades hittills',
                                       sek_format(p.expected_to_date_low::sek))
    WHEN 'follow_up_overdue' THEN format('uppföljning försenad: senast %s, ska ske var %s',
                                         coalesce(p.last_follow_up::text, 'aldrig'),
                                         replace(replace(m.follow_up_every::text, 'mons', 'mån'), 'mon', 'mån'))
    ELSE code END $$;
CREATE TEMP VIEW r_plan_atgarder AS
SELECT n.short AS "Plan", p.number AS "Nr", p.title AS "Åtgärd", p.year AS "År",
       estimate_format(pg_temp.est(p.expected_low, p.expected_high), 'tkr')
       || CASE WHEN p.counted_in IS NOT NULL THEN ' (ingår i nr ' || array_to_string(p.counted_in, ', ') || ')' ELSE '' END AS "Förväntad",
       nullif(estimate_format(pg_temp.est(p.lasting_low, p.lasting_high), 'tkr'), '0 tkr') AS "Varaktig nivå",
       estimate_format(pg_temp.est(p.expected_to_date_low, p.expected_to_date_high), 'tkr') AS "Förväntad hittills",
       sek_format(p.achieved::sek, 'tkr') AS "Uppnått",
       CASE p.status WHEN 'planned' THEN 'planerad' WHEN 'started' THEN 'påbörjad'
                     WHEN 'implemented' THEN 'genomförd' WHEN 'cancelled' THEN 'avbruten' END AS "Status",
       (SELECT string_agg(pg_temp.reason_sv(x, p, m), '; ' ORDER BY i)
        FROM unnest(p.reason_codes) WITH ORDINALITY u(x, i)) AS "Efter plan"
FROM measure_progress((SELECT plan_as_of FROM rp)) p JOIN plan_name n USING (plan_id)
JOIN plan_measure m USING (measure_id)
WHERE p.expected_high > 0 OR p.achieved IS NOT NULL OR p.behind OR p.counted_in IS NOT NULL
ORDER BY p.plan_id, p.number, p.year;
CREATE TEMP VIEW r_plan_kontroll AS
SELECT n.short AS "Plan", c.number AS "Nr",
       CASE c.finding WHEN 'stated_total_differs' THEN 'angiven summa stämmer inte med årskolumnerna'
                      WHEN 'row_total_missing' THEN 'radsumma saknas'
                      WHEN 'row_total_differs' THEN 'radsumman stämmer inte med årskolumnerna'
                      WHEN 'effect_outside_plan_years' THEN 'effekt utanför planens år'
                      WHEN 'achieved_outside_plan_years' THEN 'uppnått utanför planens år'
                      WHEN 'unquantified_effect' THEN 'effekt väntas ' || coalesce(substring(c.detail FROM '\d{4}-\d\d-\d\d'), substring(c.detail FROM '\d{4}')) || ' men är inte beräknad'
                      ELSE c.finding END AS "Fynd",
       estimate_format(pg_temp.est(c.stated_low, c.stated_high), 'tkr') AS "Angivet",
       estimate_format(pg_temp.est(c.computed_low, c.computed_high), 'tkr') AS "Beräknat",
       CASE WHEN c.stated_high = c.stated_low AND c.computed_high = c.computed_low
            THEN sek_format((c.computed_low - c.stated_low)::sek, 'tkr') END AS "Differens"
FROM plan_check() c JOIN plan_name n USING (plan_id)
ORDER BY c.plan_id, c.number NULLS FIRST;

-- Forecast accuracy (prognossäkerhet) of each method's nightly forecasts of
-- the whole ledger as one series in the ended years before this one (the
-- mean error in report signs: forecast − outcome, positive when the forecast
-- promised better than it became), and this year's official forecasts
CREATE TEMP TABLE acc AS
SELECT a.method, a.months_before_end, sum(a.n) AS n, min(yr) AS y_from, max(yr) AS y_to,
       sum(a.n * a.mean_abs_pct) / sum(a.n) AS mape,
       -round(sum(a.mean_error * a.n) / sum(a.n), 2)::sek AS bias,
       sum(a.interval_n) AS int_n, sum(a.interval_covered) AS int_covered
FROM rp, generate_series(rp.y - 3, rp.y - 1) yr, forecast_accuracy(yr) a
WHERE a.ledger = rp.ledger AND a.key = '{}'
GROUP BY 1, 2;
SELECT coalesce(min(y_from)::text || '–' || max(y_to), 'tidigare år') AS acc_years FROM acc \gset
CREATE TEMP VIEW r_prognossakerhet AS
SELECT initcap(pg_temp.month_sv(make_date(2000, 12 - months_before_end, 1))) AS "Prognos efter",
       max(n) AS "Antal år",
       percent_format(max(mape) FILTER (WHERE method = 'runrate'), 1) AS "Linjär",
       percent_format(max(mape) FILTER (WHERE method = 'profile'), 1) AS "Profil",
       percent_format(max(mape) FILTER (WHERE method = 'ets'), 1) AS "ETS",
       percent_format(max(mape) FILTER (WHERE method = 'comb'), 1) AS "Komb.",
       sek_format(max(bias) FILTER (WHERE method = 'comb'), 'mnkr') AS "Komb. medelfel",
       max(int_covered) FILTER (WHERE method = 'comb') || ' av ' || max(int_n) FILTER (WHERE method = 'comb') AS "Komb. inom 95 %-intervallet"
FROM acc WHERE months_before_end BETWEEN 1 AND 11
GROUP BY months_before_end ORDER BY months_before_end DESC;
-- the net cost's forecast by each method at each month end so far (the
-- units' sums, as the official one), report signs
-- whose forecasts were closer in the ended years: the office's or the comb
-- model's, per month the forecast was made, over the units
CREATE TEMP VIEW r_vem_narmast AS
SELECT initcap(pg_temp.month_sv(make_date(2000, 12 - c.months_before_end, 1))) AS "Prognos efter",
       sum(c.n) AS "Antal prognoser",
       sek_format(sum(c.office_mae * c.n) / sum(c.n), 'mnkr') AS "Ekonomienhetens medelabsolutfel",
       sek_format(sum(c.model_mae * c.n) / sum(c.n), 'mnkr') AS "Komb. medelabsolutfel",
       format('ekonomienheten för %s, modellen för %s av %s', count(*) FILTER (WHERE c.closer = 'office'),
              count(*) FILTER (WHERE c.closer = 'comb'), count(*)) AS "Närmast (verksamheter)"
FROM rp, forecast_contest(rp.ledger, rp.y - 2, rp.y - 1) c
WHERE c.key ? 'unit' AND c.months_before_end BETWEEN 1 AND 11
GROUP BY c.months_before_end ORDER BY c.months_before_end DESC;

CREATE TEMP TABLE fc_year AS
SELECT e.as_of, m.method, n.forecast, n.lo, n.hi,
       -(SELECT sum(b.amount) FROM budget b WHERE b.valid_from BETWEEN rp.ys AND e.as_of) AS budget
FROM rp, generate_series(1, rp.months) k,
     LATERAL (SELECT (rp.ys + make_interval(months => k) - interval '1 day')::date AS as_of) e,
     unnest(ARRAY['runrate', 'profile', 'ets', 'comb']) m(method),
     LATERAL pg_temp.net_forecast(e.as_of, m.method) n;
CREATE TEMP VIEW r_prognos_ar AS
SELECT initcap(pg_temp.month_sv(as_of)) AS "Prognos efter",
       sek_format(max(forecast) FILTER (WHERE method = 'runrate'), 'mnkr') AS "Linjär",
       sek_format(max(forecast) FILTER (WHERE method = 'profile'), 'mnkr') AS "Profil",
       sek_format(max(forecast) FILTER (WHERE method = 'ets'), 'mnkr') AS "ETS",
       sek_format(max(forecast) FILTER (WHERE method = 'comb'), 'mnkr') AS "Komb.",
       replace(sek_format(max(lo) FILTER (WHERE method = 'comb'), 'mnkr'), ' mnkr', '') || ' till '
         || sek_format(max(hi) FILTER (WHERE method = 'comb'), 'mnkr') AS "Komb. 95 %",
       sek_format(max(budget), 'mnkr') AS "Budget",
       sek_format(max(forecast) FILTER (WHERE method = 'comb') - max(budget), 'mnkr') AS "Prognosavvikelse (komb.)"
FROM fc_year GROUP BY as_of ORDER BY as_of;

SELECT format('Socialnämnden (demokommunen) — månadsuppföljning %s med helårsprognos', :'period_name' || ' ' || :y) AS title_line \gset

-- The report's words, in one place for the terminal and the HTML: the sign
-- convention and the official forecast, stated once at the top, and each
-- section's heading and introduction
SELECT 'Tecken: kostnader och nettokostnad är negativa, intäkter positiva. En avvikelse är positiv när utfallet eller '
       || 'prognosen är bättre än budgeten (avvikelse = utfall eller prognos − budget, med dessa tecken; för personer per '
       || 'dygn budget − prognos). '
       || format('Prognos helår är den officiella prognosen: varje verksamhets nattliga prognos per %s med metoden '
                 'kombination (medelvärdet av ETS, theta och dämpad trend), beräknad %s; nämndens prognos är summan av '
                 'verksamheternas, med 95 %% intervall där verksamheterna räknas som oberoende.',
                 rp.as_of, to_char(n.taken_at, 'YYYY-MM-DD HH24:MI')) AS convention
FROM rp, pg_temp.net_forecast(rp.as_of) n \gset
CREATE TEMP TABLE report_section (ord int PRIMARY KEY, h2 text, intro text);
INSERT INTO report_section
SELECT 1, 'Sammanfattning', NULL
UNION ALL
SELECT 2, 'Ekonomiskt utfall och prognos per verksamhet',
       'Nettokostnad; periodens budget i tolftedelar. Därefter prognosen mot föregående månads och ekonomienhetens egen '
       'bedömning (Ekonomienhetens bedömning) bredvid, som den registrerats varje månad. Diagrammen visar nämndens utfall per månad med den officiella '
       'prognosen för resten av året (verksamheternas månadsprognoser summerade) och det ackumulerade utfallet mot '
       'periodens budget.'
UNION ALL
SELECT 3, 'Per verksamhetsgrupp och kontogrupp',
       'Per verksamhetsgrupp utfallet uppräknat till helår (utfall ÷ förflutna månader × 12): en uppräkning, inte en '
       'prognos; prognosen per verksamhet står i avsnitt 2. Per kontogrupp utfallet mot periodens budget och mot samma '
       'månader året före; intäkter positiva.'
UNION ALL
SELECT 4, 'Externa vård- och behandlingskostnader',
       format('Personer per dygn (vårddygn ÷ dagar) ur placeringarna. Den placeringsdrivna prognosen är utfallet hittills '
              'plus prognosen för resten av året (pågående placeringar efter överlevnadskurvan, nya efter inflödet de '
              'senaste tolv månaderna), med 95 %% intervall; den kontrollerar verksamhetens officiella prognos i avsnitt 2, '
              '%s. Kostnad per dygn är ett pris och står positiv. Volym och pris delar periodens avvikelse mot budgetens '
              'antaganden (inte mot budgeten: dess belopp räcker inte till antagandena, se kontrollraden): volymeffekten är skillnaden i personer per dygn till budgetens dygnskostnad, priseffekten '
              'skillnaden i dygnskostnad för de personer som faktiskt var placerade. Känslighetsanalysen flyttar den '
              'placeringsdrivna prognosen; ett spann för enskilda placeringar vidgar intervallet med sin bredd.',
              (SELECT sek_format(t.forecast, 'mnkr') FROM fu2 t JOIN unit u USING (unit) WHERE u.kind = 'extern'))
UNION ALL
SELECT 5, 'Beläggning i egen regi', 'Vårddygn ÷ platsdygn, ackumulerat; totalt som ovägt medelvärde av boendena och vägt med platser.'
UNION ALL
SELECT 6, 'Handlingsplaner',
       format('Per år vad åtgärderna sparar under året (engångseffekter det året, varaktiga effekter från sin start) och '
              'den uppnådda årsnivån: de varaktiga nivåerna vid årets slut plus årets engångseffekter, mot underskottet '
              'eller sparbetinget; ackumulerat är årens besparingar hittills. Totalraden visar den nivå som består efter '
              'planen. En åtgärd vars effekt ingår i en annans räknas en gång; ej beräknade är effekter som väntas utan '
              'belopp. Uppföljt per %s; därefter varje åtgärd och år och kontrollen av planerna som de är skrivna.', rp.plan_as_of)
FROM rp
UNION ALL
SELECT 8, 'Personal och personalkostnader',
       'Årsarbetare (tillsvidare, visstid, timavlönade och konsulter) som snitt av årets månader mot budgeterade årsarbetare; '
       'avvikelsen är positiv när verksamheten har färre årsarbetare än budgeten. Personalkostnaden (med konsulter, övertid '
       'och sjuklön) mot periodens budget i tolftedelar och mot samma period förra året. Kostnad per årsarbetare är årets '
       'lönekostnad för de anställda per årsarbetare, räknad till helår.'
UNION ALL
SELECT 7, 'Prognossäkerhet',
       format('Medelabsolutfel i %% av årets utfall, %s, per månad då prognosen gjordes, för varje metod med nämnden '
              'prognostiserad som en serie; medelfelet är prognos − utfall (positivt när prognosen lovade bättre än det '
              'blev) och hur många år kombinationsmodellens 95 %%-intervall rymde utfallet. Därefter ekonomienhetens egna bedömningar mot kombinationsmodellens, per verksamhet och månad, och '
              'årets officiella helårsprognoser månad för månad: per metod summan av verksamheternas.%s',
              :'acc_years',
              (SELECT ' En metod saknas en månad då den inte kan räknas för någon verksamhet (profil: '
                      || string_agg(DISTINCT fs.key ->> 'unit', ', ') || ').'
               FROM forecast_snapshot fs, rp
               WHERE fs.ledger = rp.ledger AND fs.key ? 'unit' AND fs.method = 'profile' AND fs.error IS NOT NULL
                 AND fs.as_of BETWEEN rp.ys AND rp.as_of));

\ir peers.sql
\ir income_support.sql
\ir report_check.sql

-- ===================== charts =====================
INSERT INTO chart VALUES
  ('ppd', 'Externa placeringar: personer per dygn, månad för månad', 'personer per dygn', 0, 'month', true),
  ('fan', 'Nettokostnad per månad med prognos (80 % och 95 %) mot budget', 'mnkr per månad', 0, 'month', true),
  ('period', 'Ackumulerat utfall mot periodens budget ' || :y, 'mnkr', 0, 'category', true),
  ('evolution', 'Helårsprognosen ' || :y || ' månad för månad mot budget', 'mnkr', 0, 'month', false);

-- persons per day by target group (the census buckets) and the budget's volume
INSERT INTO chart_point (chart, series, ord, kind, color, x, y)
SELECT 'ppd', g.target_group, o.ord, 'line', o.color, lower(b.period), b.persons_per_day
FROM ext_group g, census_buckets(g.hist, '1 month') b,
     LATERAL (SELECT CASE g.target_group WHEN 'Barn' THEN 1 WHEN 'Unga' THEN 2 WHEN 'Vuxna' THEN 3 ELSE 4 END AS ord,
                     CASE g.target_group WHEN 'Barn' THEN '#1b9e77' WHEN 'Unga' THEN '#d95f02' WHEN 'Vuxna' THEN '#7570b3'
                          ELSE '#222222' END AS color) o
UNION ALL
SELECT 'ppd', 'Budget ' || rp.y || ' (totalt)', 5, 'dash', '#888888', m::date, (SELECT sum(persons_per_day) FROM external_budget)
FROM rp, generate_series(rp.ys, rp.as_of, interval '1 month') m;

-- the fan: the months of the two years before and this year and the
-- official forecast for the rest of the year, month by month: each unit's
-- comb model of its 60 complete months up to as_of (as the nightly refresh
-- fits it), summed, the intervals with the units independent; the outcome
-- so far plus these months is the official year-end forecast.  Report
-- signs, mnkr.  The budget in force each month as twelfths.
CREATE TEMP TABLE unit_month AS
SELECT unit, date_trunc('month', entry_date)::date AS month, sek_ore(sum(amount))::float8 / 100 AS kr
FROM ledger, rp WHERE entry_date >= (date_trunc('month', rp.upto) - interval '60 months')::date AND entry_date <= rp.as_of
GROUP BY 1, 2;
CREATE TEMP TABLE month_total AS
SELECT month, -sum(kr) / 1e6 AS mnkr FROM unit_month GROUP BY 1;
CREATE TEMP TABLE fan AS
SELECT f.period, -sum(f.point) / 1e6 AS point,
       (-sum(f.point) - sqrt(sum((f.hi95 - f.point) ^ 2))) / 1e6 AS lo95, (-sum(f.point) + sqrt(sum((f.point - f.lo95) ^ 2))) / 1e6 AS hi95,
       (-sum(f.point) - sqrt(sum((f.hi80 - f.point) ^ 2))) / 1e6 AS lo80, (-sum(f.point) + sqrt(sum((f.point - f.lo80) ^ 2))) / 1e6 AS hi80
FROM (SELECT unit, forecast_fit(month, kr, 'comb') AS m FROM unit_month GROUP BY unit) s, rp,
     forecast(s.m, 12 - rp.months) f
GROUP BY f.period;
INSERT INTO chart_point (chart, series, ord, kind, color, x, y, lo, hi)
SELECT 'fan', 'Utfall', 3, 'line', '#1f4e79', month, mnkr, NULL, NULL
FROM month_total, rp WHERE month >= (rp.ys - interval '2 years')::date
UNION ALL
-- the forecast series start at the last month with outcome
SELECT 'fan', s.series, s.ord, s.kind, s.color, x.month, x.y, x.lo, x.hi
FROM (VALUES ('Prognos', 4, 'dash', '#c0392b'), ('95 % intervall', 1, 'band', '#c0392b'), ('80 % intervall', 2, 'band', '#c0392b')) s(series, ord, kind, color),
     LATERAL (SELECT month, mnkr AS y, mnkr AS lo, mnkr AS hi FROM month_total ORDER BY month DESC LIMIT 1) l,
     LATERAL (SELECT l.month, l.y, l.lo, l.hi
              UNION ALL
              SELECT period, point, CASE s.ord WHEN 1 THEN lo95 WHEN 2 THEN lo80 END, CASE s.ord WHEN 1 THEN hi95 WHEN 2 THEN hi80 END
              FROM fan) x
UNION ALL
SELECT 'fan', 'Budget (tolftedel)', 5, 'dash', '#888888', m::date,
       -sek_ore((SELECT sum(b.amount) FROM budget b WHERE b.valid_from BETWEEN date_trunc('year', m)::date
                 AND (m + interval '1 month' - interval '1 day')::date)) / 12 / 1e8, NULL, NULL
FROM rp, generate_series((rp.ys - interval '2 years')::date, make_date(rp.y, 12, 1), interval '1 month') m;

-- accumulated outcome and period budget at each month end (follow_up per as_of)
INSERT INTO chart_point (chart, series, ord, kind, color, xcat, xlabel, y)
SELECT 'period', s.series, s.ord, 'bar', s.color, k, pg_temp.month_sv(m_end), -sek_ore(s.v) / 1e8
FROM rp, generate_series(1, rp.months) k,
     LATERAL (SELECT (rp.ys + make_interval(months => k) - interval '1 day')::date AS m_end) e,
     LATERAL (SELECT follow_up(l.entry_date, l.amount,
                               (SELECT sum(b.amount) FROM budget b WHERE b.valid_from BETWEEN rp.ys AND e.m_end), e.m_end) AS r
              FROM ledger l WHERE l.entry_date BETWEEN rp.ys AND e.m_end) f,
     LATERAL (VALUES ('Periodens budget', 1, '#9aa5b1', (f.r).period_budget),
                     ('Utfall', 2, '#1f4e79', (f.r).outcome)) s(series, ord, color, v);

-- the official year-end forecasts of each month end of this year (report signs)
INSERT INTO chart_point (chart, series, ord, kind, color, x, y, lo, hi)
SELECT 'evolution', CASE method WHEN 'comb' THEN 'Komb. 95 % intervall' END, 1, 'band', '#c0392b', as_of, NULL, sek_ore(lo) / 1e8, sek_ore(hi) / 1e8
FROM fc_year WHERE method = 'comb'
UNION ALL
SELECT 'evolution', CASE method WHEN 'comb' THEN 'Komb.' WHEN 'runrate' THEN 'Linjär' WHEN 'profile' THEN 'Profil' END,
       CASE method WHEN 'comb' THEN 2 WHEN 'runrate' THEN 3 ELSE 4 END,
       CASE method WHEN 'comb' THEN 'line' ELSE 'dash' END,
       CASE method WHEN 'comb' THEN '#c0392b' WHEN 'runrate' THEN '#7f8c8d' ELSE '#8e44ad' END,
       as_of, sek_ore(forecast) / 1e8, NULL, NULL
FROM fc_year WHERE method IN ('comb', 'runrate', 'profile') AND forecast IS NOT NULL
UNION ALL
SELECT 'evolution', 'Budget', 5, 'line', '#222222', as_of, sek_ore(max(budget)) / 1e8, NULL, NULL
FROM fc_year GROUP BY as_of;

